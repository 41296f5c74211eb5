"""Entities of an index read from the cache, kept as rows until asked for
(``EntityIndex.load``), and the plain-data helpers of the index's lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from pyoxigraph import NamedNode

from graph.names.entities import Entity
from graph.names.shards import Shards
from graph.store.cache import MadeOnDemand


class LazyEntities(MadeOnDemand):
    """The entities of an index read from the cache, each made an ``Entity`` when first
    asked for: a load resolving a few names into a big store makes a few, not all. The rows
    are a dict, or ``Shards`` (read a shard at a time)."""

    def __init__(self, raw: MutableMapping[str, tuple], make: Callable[[tuple], Any],
                 row: Callable[[Any], tuple]) -> None:
        super().__init__(raw, make)  # type: ignore[arg-type]
        self.row = row

    def rows(self) -> list[tuple]:
        """Every entity as plain data, in IRI order, without making the others."""
        made = {key: self.row(e) for key, e in dict.items(self)}
        return [row for _, row in sorted({**self.raw, **made}.items())]

    def shards(self) -> tuple:
        """Every entity as plain data in shards (``Shards.dump``), the shards no entity was
        made from as they were read."""
        raw = self.raw if isinstance(self.raw, Shards) else Shards.of(dict(self.raw))
        made = list(dict.keys(self))
        for key in made:
            raw[key] = self.row(dict.__getitem__(self, key))
        try:
            return raw.dump()
        finally:
            for key in made:
                raw.pop(key, None)


def agreement_row(facts: tuple) -> tuple:
    """An agreement's kinds, parties and signing years as the cache keeps them (sorted)."""
    return tuple(sorted(values) for values in facts)


def discard_from(mapping: MutableMapping, iris: set[str],
                 keys: Iterable[str] | None = None) -> None:
    """Remove ``iris`` from every list of ``mapping`` (from those under ``keys`` only, if
    given: the only ones that may hold them), and the keys left with none."""
    if keys is None:
        keys = [k for k, bucket in mapping.items() if not iris.isdisjoint(bucket)]
    for key in keys:
        bucket = mapping.get(key)
        if bucket is None or iris.isdisjoint(bucket):
            continue
        kept = [i for i in bucket if i not in iris]
        if kept:
            mapping[key] = kept
        else:
            del mapping[key]


def entity_from_row(row: tuple) -> Entity:
    """An entity from ``entity_row``."""
    iri, kind, label, code, country, national, names, parties, ids = row
    return Entity(NamedNode(iri), kind, label, code, NamedNode(country) if country else None,
                  NamedNode(national) if national else None, set(names), set(parties), set(ids))


def entity_row(e: Entity) -> tuple:
    """An entity as plain data (the cache, ``LazyEntities``)."""
    return (e.iri.value, e.kind, e.label, e.code, e.country.value if e.country else None,
            e.national_customs.value if e.national_customs else None, sorted(e.names),
            sorted(e.parties), sorted(e.ids))
