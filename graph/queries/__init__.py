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
