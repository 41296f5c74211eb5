"""Derived data kept beside an on-disk store between runs (the partner-network facts, the
name index), so a command does not rebuild it from the whole store each time.

A cached file is named after what is loaded (each loaded file's graph, hash and load time),
so any load or removal makes the old one unused: a cache whose name does not match the store
as loaded now is never trusted as it is. ``cached`` then rebuilds it; ``maintained`` patches
it when it can (the file records the loaded state it was made for, so the graphs added and
removed since are known, and only they are read), else rebuilds it. The state is read from
the store's committed loaded-file records (a crashed write is settled, or hidden from a
read-only reader, before any query), so a write that did not commit never changes what a
cache is named after. The files are ``marshal`` data (fast, and loading them runs no code)
under ``STORE/cache/``; a big cache keeps its big mappings in a SQLite file beside its base,
read by key (``graph.store.keyed``: the partner facts' items, the name index's shards), so a
command reads the part it needs. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from graph.builds import tell
from graph.store import GraphStore, OxigraphStore
from graph.store.keyed import WholeWhenIterated
from graph.store.loaded import loaded_sources

T = TypeVar("T")

CACHE_DIR = "cache"


def cache_folder(store: GraphStore) -> Path | None:
    """The cache folder of an on-disk store (it may not exist yet); None for another store."""
    location = getattr(store, "location", "")
    if not isinstance(store, OxigraphStore) or location == ":memory:":
        return None
    return Path(location) / CACHE_DIR


def loaded_state(store: GraphStore) -> list[tuple[str, str, str]]:
    """What a cache is kept for: each loaded file's graph, hash and load time, sorted."""
    return sorted((s.graph, s.hash, s.loaded_at) for s in loaded_sources(store))


def cache_file(store: GraphStore, name: str, version: int,
               state: list[tuple[str, str, str]] | None = None) -> Path | None:
    """Where ``name`` (of format ``version``) is cached for the store as loaded now (or as
    ``state`` says); None for a store that is not on disk."""
    folder = cache_folder(store)
    if folder is None:
        return None
    return named_file(folder, name, version, loaded_state(store) if state is None else state)


def named_file(folder: Path, name: str, *key: Any) -> Path:
    """``FOLDER/NAME-<hash of key>.marshal``: a file of ``name`` for that key (what it was
    built from, its format's version), the Python version included (marshal's format)."""
    digest = hashlib.sha256(repr((name, sys.version_info[:2], key)).encode()).hexdigest()
    return folder / f"{name}-{digest[:20]}.marshal"


def write_cache_file(path: Path, data: Any) -> bool:
    """Write ``data`` (plain data ``marshal`` can write) to ``path`` atomically; False, and
    nothing written, when the folder cannot be written."""
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(data))
        os.replace(temporary, path)
    except OSError:
        return False
    return True


def cached(store: GraphStore, name: str, version: int, build: Callable[[], T],
           dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
    """``build()``'s result, from the cache beside the store when it is up to date, else built
    and cached (replacing older copies). ``dump`` turns the result into plain data
    ``marshal`` can write, ``load`` turns that back; a cache that cannot be read or loaded is
    rebuilt, and a store whose folder cannot be written is simply not cached."""
    path = cache_file(store, name, version)
    if path is not None and path.is_file():
        try:
            return load(marshal.loads(path.read_bytes()))
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            pass  # unreadable or of another shape: build it again
    if path is not None:
        tell(store, name, "build")
    result = build()
    if path is not None:
        try:
            for old in path.parent.glob(f"{name}-*.marshal"):
                old.unlink(missing_ok=True)
        except OSError:
            pass
        write_cache_file(path, dump(result))  # a read-only store: no cache, the same answers
    return result


def _replace_copies(path: Path, name: str, data: Any) -> None:
    """Write ``data`` as ``path``, the only copy of ``name``."""
    try:
        for old in path.parent.glob(f"{name}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    write_cache_file(path, data)


CHANGES_SUFFIX = ".changes"
"""The log of changes kept beside a maintained cache's base file (``maintained``)."""
MAX_CHANGES = 16
"""A log of more changes than this is folded into a new base (each read replays them all)."""


def maintained(store: GraphStore, name: str, version: int, build: Callable[[], T],
               patch: Callable[[T, list[tuple[str, str, str]], list[tuple[str, str, str]]], Any],
               replay: Callable[[T, Any], None], dump: Callable[[T], Any],
               load: Callable[[Any], T], compact_after: int | None = None) -> T:
    """Like ``cached``, for data that is brought up to date rather than rebuilt. The cache is a
    base file (the data as of one loaded state) and a log of the changes since, each with the
    loaded state it brings the data to (``NAME.changes``). Reading loads the base and
    ``replay(data, change)``s the log; when the store has changed since, ``patch(data, added,
    removed)`` is given the loaded files (graph, hash, load time) added and removed, updates
    the data in place and returns the change (plain data; None when it cannot: the data is
    then built anew), which is appended to the log. So a small load costs a small write, not a
    rewrite of the whole cache; once the log outgrows a tenth of the base, the base is
    rewritten and the log emptied (also past ``MAX_CHANGES``). With ``compact_after``, a read
    that replays at least that many changes and finds the data up to date rewrites the base
    too (the log emptied), so later reads replay nothing. Files that cannot be read, of
    another format, or a log made for another base are never used."""
    folder = cache_folder(store)
    if folder is None:
        return build()
    state = loaded_state(store)
    key = (name, version, sys.version_info[:2])
    log_path = folder / f"{name}{CHANGES_SUFFIX}"
    base: tuple[Path, list, T] | None = None
    try:
        candidates = sorted(folder.glob(f"{name}-*.marshal"), key=lambda p: p.stat().st_mtime,
                            reverse=True)
    except OSError:
        candidates = []
    for candidate in candidates[:2]:
        try:
            stored_key, stored_state, data = marshal.loads(candidate.read_bytes())
            if tuple(stored_key) == key:
                base = (candidate, [tuple(entry) for entry in stored_state], load(data))
                break
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            continue  # unreadable, of another shape, or removed meanwhile
    if base is None:
        tell(store, name, "build")
        result = build()
        _write_base(folder, name, key, state, dump(result), log_path)
        return result
    path, base_state, result = base
    changes: list = []
    now = base_state
    try:
        log_key, log_base, logged = marshal.loads(log_path.read_bytes())
        if tuple(log_key) != key or [tuple(e) for e in log_base] != base_state:
            logged = []  # a log made for another base
    except (OSError, ValueError, EOFError, TypeError):
        logged = []  # no log, or unreadable
    try:
        for log_state, change in logged:
            replay(result, change)
            changes.append((log_state, change))
            now = [tuple(entry) for entry in log_state]
    except (ValueError, TypeError, KeyError, IndexError):
        # a log of another shape, half replayed: start again from the base alone
        try:
            log_path.unlink(missing_ok=True)
        except OSError:
            return build()
        return maintained(store, name, version, build, patch, replay, dump, load,
                          compact_after)
    if set(now) == set(state):
        if compact_after is not None and len(changes) >= compact_after:
            _write_base(folder, name, key, state, dump(result), log_path)
        return result
    stored, current = set(now), set(state)
    added, removed = sorted(current - stored), sorted(stored - current)
    change = None
    if not {g for g, _, _ in added} & {g for g, _, _ in removed}:  # else changed in place
        tell(store, name, "patch")
        change = patch(result, added, removed)
    if change is None:
        tell(store, name, "build")
        result = build()
        _write_base(folder, name, key, state, dump(result), log_path)
        return result
    changes.append((state, change))
    log = marshal.dumps((key, base_state, changes))
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if len(log) > max(size // 10, 1 << 20) or len(changes) > MAX_CHANGES:
        _write_base(folder, name, key, state, dump(result), log_path)
    else:
        write_cache_file(log_path, (key, base_state, changes))
    return result


def _write_base(folder: Path, name: str, key: tuple, state: list, data: Any,
                log_path: Path) -> None:
    """Write the base file of a maintained cache, the only one, with an empty log."""
    path = named_file(folder, name, key[1], state)
    _replace_copies(path, name, (key, state, data))
    try:
        log_path.unlink(missing_ok=True)
    except OSError:
        pass


_ABSENT = object()


class MadeOnDemand(WholeWhenIterated):
    """A mapping read from a cache as plain rows, each value made by ``make(row)`` when first
    asked for: a command that needs a few values of a big cache makes a few, not all. Reading
    every key or value makes them all."""

    def __init__(self, raw: dict[str, tuple], make: Callable[[tuple], Any]) -> None:
        super().__init__()
        self.raw, self.make = raw, make
        # The rows values were made from, when read from a file (``graph.store.keyed``): what
        # is written back is only what changed since.
        self.made_from: dict[str, Any] | None = {} if hasattr(raw, "pop_many") else None

    def _made(self, key: str, row: Any) -> Any:
        if self.made_from is not None:
            self.made_from[key] = row
        return self.make(row)

    def __missing__(self, key: str) -> Any:
        value = self._made(key, self.raw.pop(key))
        dict.__setitem__(self, key, value)
        return value

    def made(self) -> Iterator[Any]:
        """The values made so far."""
        return iter(dict.values(self))

    def _every(self) -> None:
        drain = getattr(self.raw, "drain", None)  # rows read from a file, in one pass
        if drain is not None:
            for key, row in drain():
                dict.__setitem__(self, key, self.make(row))
            return
        for key in list(self.raw):
            self[key]  # noqa: B018 (makes the value)

    def prefetch(self, keys) -> None:
        """Make the values of ``keys`` not made yet at once (rows read from a file in a few
        queries instead of one each); keys it has not are left out."""
        pop_many = getattr(self.raw, "pop_many", None)
        if pop_many is None:
            return
        for key, row in pop_many(k for k in keys if not dict.__contains__(self, k)).items():
            dict.__setitem__(self, key, self._made(key, row))

    def get(self, key, default=None):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        row = self.raw.pop(key, _ABSENT)
        if row is _ABSENT:
            return default
        value = self._made(key, row)
        dict.__setitem__(self, key, value)
        return value

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.raw

    def __setitem__(self, key, value) -> None:
        self.raw.pop(key, None)
        dict.__setitem__(self, key, value)

    def pop(self, key, *default):
        if key in self.raw:
            self[key]  # noqa: B018
        return dict.pop(self, key, *default)

    def update(self, pairs=(), **more) -> None:
        for key, value in dict(pairs, **more).items():
            self[key] = value

    def __len__(self) -> int:
        return dict.__len__(self) + len(self.raw)
