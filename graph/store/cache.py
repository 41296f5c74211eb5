"""Derived data kept beside an on-disk store between runs (the partner-network facts, the
name index), so a command does not rebuild it from the whole store each time.

A cached file is named after what is loaded (each loaded file's graph, hash and load time),
so any load or removal makes the old one unused; it is then replaced on the next read. The
files are ``marshal`` data (fast, and loading them runs no code) under ``STORE/cache/``.
Deleting the folder is always safe.
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


def cache_file(store: GraphStore, name: str, version: int) -> Path | None:
    """Where ``name`` (of format ``version``) is cached for the store as loaded now; None for
    a store that is not on disk."""
    folder = cache_folder(store)
    if folder is None:
        return None
    state = sorted((s.graph, s.hash, s.loaded_at) for s in loaded_sources(store))
    return named_file(folder, name, version, state)


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
