"""Who is told when a structure kept beside a store is built or patched (``graph.store.cache``
tells): the command line's notice of a long build, and what ``graph.preparation`` reports.
Imports nothing heavy, so that every command can watch at no cost."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

KEPT = {
    "entity-index": "the name index",
    "organisation-index": "the organisations' name index",
    "item-index": "the index of agreements and events",
    "partner-facts": "the partner facts",
    "path-graph": "the shortest-path graph",
    "partner-answers": "the countries' partners",
}
"""The structures kept beside a store that are built from the whole of it, as said to users."""
FILLED = {"item-order": "the order of agreements and events"}
"""The structures kept beside a store that the questions fill as they go (``prepare`` fills them
whole), as said to users."""

Watcher = Callable[[Any, str, str], None]
_WATCHERS: list[Watcher] = []


@contextmanager
def watching(watcher: Watcher) -> Iterator[None]:
    """While the block runs, ``watcher(store, name, what)`` is called before a kept structure
    ``name`` is built from the whole store (``what``: "build") or patched ("patch")."""
    _WATCHERS.append(watcher)
    try:
        yield
    finally:
        _WATCHERS.remove(watcher)


def tell(store: Any, name: str, what: str) -> None:
    """Call every watcher (see ``watching``)."""
    for watcher in list(_WATCHERS):
        watcher(store, name, what)
