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
under ``STORE/cache/``. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from graph.store import GraphStore, OxigraphStore
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


def maintained(store: GraphStore, name: str, version: int, build: Callable[[], T],
               patch: Callable[[T, list[tuple[str, str, str]], list[tuple[str, str, str]]], bool],
               dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
    """Like ``cached``, for data that can be brought up to date: when the cache beside the
    store was made for another loaded state, ``patch(data, added, removed)`` is given it and
    the loaded files (graph, hash, load time) added and removed since, and updates it in
    place, returning False when it cannot (then it is built anew). A file that cannot be read,
    or of another format, is never patched."""
    folder = cache_folder(store)
    if folder is None:
        return build()
    state = loaded_state(store)
    path = named_file(folder, name, version, state)
    key = (name, version, sys.version_info[:2])
    result: T | None = None
    try:
        candidates = [path] if path.is_file() else []
        candidates += sorted((p for p in folder.glob(f"{name}-*.marshal") if p != path),
                             key=lambda p: p.stat().st_mtime, reverse=True)[:1]
    except OSError:
        candidates = []
    for candidate in candidates:
        try:
            stored_key, stored_state, data = marshal.loads(candidate.read_bytes())
            if tuple(stored_key) != key:
                continue
            found = load(data)
        except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
            continue  # unreadable, of another shape, or removed meanwhile
        stored = {tuple(entry) for entry in stored_state}
        if candidate == path and stored == set(state):
            return found
        now = set(state)
        added, removed = sorted(now - stored), sorted(stored - now)
        if {g for g, _, _ in added} & {g for g, _, _ in removed}:
            continue  # a graph whose content changed in place: its old content is unknown
        if patch(found, added, removed):
            result = found
        break
    if result is None:
        result = build()
    _replace_copies(path, name, (key, state, dump(result)))
    return result
