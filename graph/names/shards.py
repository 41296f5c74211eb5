"""Mappings and sets read from the cache a shard at a time (``Shards``, ``ShardedSet``).

A big index kept beside a store (hundreds of thousands of names at 10M triples) is written as
many small ``marshal`` blobs, each holding the keys whose hash falls in it. Reading the cache
reads the blobs as bytes; a lookup unmarshals only its key's shard, so a load that resolves a
few dozen names into a big store opens a few dozen small shards instead of the whole index.
Writing keeps the bytes of the shards never opened, so it costs no more than the shards used.
Going through every key (a fuzzy search, a full rebuild) opens them all, in key order.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from typing import Any

KEYS_PER_SHARD = 128
"""About this many keys a shard when a mapping is first written in shards."""


def _shard_of(key: str, count: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


class Shards(MutableMapping):
    """A mapping of strings to plain data, kept as ``marshal`` shards until a key is asked
    for (see the module's docstring). Iterates in key order."""

    def __init__(self, blobs: Sequence[bytes], sizes: list[int]) -> None:
        # a list, or a sequence reading each blob when asked (graph.store.keyed.BlobList)
        self._blobs: Any = list(blobs) if isinstance(blobs, (list, tuple)) else blobs
        self._sizes = list(sizes)
        self._open: dict[int, dict[str, Any]] = {}

    @classmethod
    def of(cls, mapping: dict[str, Any]) -> Shards:
        """``mapping`` in shards (for a first write)."""
        count = max(1, len(mapping) // KEYS_PER_SHARD)
        parts: list[dict[str, Any]] = [{} for _ in range(count)]
        for key in sorted(mapping):
            parts[_shard_of(key, count)][key] = mapping[key]
        shards = cls([b""] * count, [0] * count)
        shards._open = dict(enumerate(parts))
        return shards

    @classmethod
    def load(cls, data: tuple) -> Shards:
        """Shards from ``dump``."""
        blobs, sizes = data
        return cls(blobs, sizes)

    def dump(self, canonical: Callable[[Any], Any] | None = None) -> tuple:
        """The shards as plain data: those opened written again (their keys in order, each
        value through ``canonical`` if given), the others as they were read. Shards read from
        a file (``graph.store.keyed.BlobList``) stay there: the blobs are then a ``BlobList``
        of the same file holding only the shards opened."""
        changed = getattr(self._blobs, "changed", None)
        blobs: Any = None if changed is not None else list(self._blobs)
        written: dict[int, bytes] = {}
        sizes = list(self._sizes)
        for number, part in self._open.items():
            ordered = {key: (canonical(part[key]) if canonical else part[key])
                       for key in sorted(part)}
            written[number] = marshal.dumps(ordered)
            sizes[number] = len(part)
        if changed is not None:
            return changed(written), sizes
        for number, blob in written.items():
            blobs[number] = blob
        return blobs, sizes

    def _part(self, key: str) -> dict[str, Any]:
        number = _shard_of(key, len(self._blobs))
        part = self._open.get(number)
        if part is None:
            blob = self._blobs[number]
            part = self._open[number] = marshal.loads(blob) if blob else {}
            self._blobs[number] = None
        return part

    def _every(self) -> list[dict[str, Any]]:
        for number, blob in enumerate(self._blobs):
            if number not in self._open:
                self._open[number] = marshal.loads(blob) if blob else {}
                self._blobs[number] = None
        return list(self._open.values())

    def __getitem__(self, key: str) -> Any:
        return self._part(key)[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._part(key)[key] = value

    def __delitem__(self, key: str) -> None:
        del self._part(key)[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._part(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._part(key).get(key, default)

    def __len__(self) -> int:
        return sum(len(part) for part in self._open.values()) + sum(
            size for number, size in enumerate(self._sizes) if number not in self._open)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(key for part in self._every() for key in part))


class ShardedSet:
    """A set of strings kept in ``Shards`` (what the index needs of a set: add, discard,
    membership, removing several, going through all in order)."""

    def __init__(self, shards: Shards) -> None:
        self.shards = shards

    @classmethod
    def of(cls, members: Iterable[str]) -> ShardedSet:
        return cls(Shards.of(dict.fromkeys(members, 0)))

    def add(self, member: str) -> None:
        self.shards[member] = 0

    def discard(self, member: str) -> None:
        self.shards.pop(member, None)

    def update(self, members: Iterable[str]) -> None:
        for member in members:
            self.add(member)

    def __isub__(self, members: Iterable[str]) -> ShardedSet:
        for member in members:
            self.discard(member)
        return self

    def __contains__(self, member: object) -> bool:
        return member in self.shards

    def __iter__(self) -> Iterator[str]:
        return iter(self.shards)

    def __len__(self) -> int:
        return len(self.shards)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (ShardedSet, set, frozenset)):
            return set(self) == set(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (a set: mutable)
