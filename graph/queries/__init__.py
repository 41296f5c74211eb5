"""Named, parameterised SPARQL queries and the relationship and timeline questions built on
them. Queries live as ``.rq`` files beside this module; values are bound, never formatted in."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode


@cache
def named_query(name: str) -> str:
    """The text of ``graph/queries/NAME.rq`` (package data, installed beside this module)."""
    return Path(__file__).with_name(f"{name}.rq").read_text(encoding="utf-8")


def values_clause(variable: str, terms: Iterable[NamedNode]) -> str:
    """A trailing ``VALUES ?variable { … }`` block for IRIs taken from the store (never user
    text); pyoxigraph's ``str()`` writes each in N-Triples syntax."""
    return f"\nVALUES ?{variable} {{ {' '.join(str(t) for t in terms)} }}\n"


def bind_clause(variable: str, term: NamedNode) -> str:
    """``BIND(<iri> AS ?variable)`` for an IRI taken from the store (never user text): binds it
    at the start of a group where a ``VALUES`` block would not do (Virtuoso wants the start of
    a transitive path bound in the group itself, and rejects one a group's VALUES gives)."""
    return f"BIND({term} AS ?{variable})"
