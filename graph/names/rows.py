"""Entities of an index read from the cache, kept as rows until asked for
(``EntityIndex.load``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LazyEntities(dict):
    """The entities of an index read from the cache, each made an ``Entity`` when first
    asked for: a load resolving a few names into a big store makes a few, not all."""

    def __init__(self, raw: dict[str, tuple], make: Callable[[tuple], Any],
                 row: Callable[[Any], tuple]) -> None:
        super().__init__()
        self.raw, self.make, self.row = raw, make, row

    def __missing__(self, key: str) -> Any:
        entity = self.make(self.raw.pop(key))
        dict.__setitem__(self, key, entity)
        return entity

    def _every(self) -> None:
        for key in list(self.raw):
            self[key]  # noqa: B018 (made an Entity)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.raw

    def __setitem__(self, key, value) -> None:
        self.raw.pop(key, None)
        dict.__setitem__(self, key, value)

    def pop(self, key, *default):
        if key in self.raw:
            self[key]  # noqa: B018
        return dict.pop(self, key, *default)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self.raw)

    def __iter__(self):
        self._every()
        return dict.__iter__(self)

    def keys(self):
        self._every()
        return dict.keys(self)

    def values(self):
        self._every()
        return dict.values(self)

    def items(self):
        self._every()
        return dict.items(self)

    def rows(self) -> list[tuple]:
        """Every entity as plain data, in IRI order, without making the others."""
        made = {key: self.row(e) for key, e in dict.items(self)}
        return [row for _, row in sorted({**self.raw, **made}.items())]
