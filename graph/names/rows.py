"""Entities of an index read from the cache, kept as rows until asked for
(``EntityIndex.load``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.store.cache import MadeOnDemand


class LazyEntities(MadeOnDemand):
    """The entities of an index read from the cache, each made an ``Entity`` when first
    asked for: a load resolving a few names into a big store makes a few, not all."""

    def __init__(self, raw: dict[str, tuple], make: Callable[[tuple], Any],
                 row: Callable[[Any], tuple]) -> None:
        super().__init__(raw, make)
        self.row = row

    def rows(self) -> list[tuple]:
        """Every entity as plain data, in IRI order, without making the others."""
        made = {key: self.row(e) for key, e in dict.items(self)}
        return [row for _, row in sorted({**self.raw, **made}.items())]
