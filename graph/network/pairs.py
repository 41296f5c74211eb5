"""Partner answers kept beside an on-disk store: for the default view of ``partners`` (no
period, no certainty filter, ``DEFAULT_WEIGHTS``, depth 1, the table's shown items), each
organisation's ranked partners at each level, with their counts, weight, years, certainty,
``via`` and the latest items the table shows, read by key from a SQLite file in the cache
folder (``STORE/cache/partner-pairs.sqlite``) without loading the partner facts.

An organisation's answer is worked out the first time it is asked for (as ``partners`` always
does) and kept. The file records the loaded state it holds answers for (the committed
loaded-file records, as every cache, ``graph.store.cache``): answers of another state are never
trusted. When the partner facts are patched after a load or a removal
(``graph.network.stored.load_facts``), the answers of the organisations the changed subjects
touch (``affected``) are dropped and the file moves to the new state; when the facts are built
anew, every answer is dropped. Deleting the file is always safe.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from graph.network.facts import Facts, ItemFacts
from graph.store import GraphStore
from graph.store.cache import cache_folder, loaded_state

PAIRS_VERSION = 1
"""Bumped whenever what an answer holds changes, so older answers are dropped."""
FILE_NAME = "partner-pairs.sqlite"
State = list[tuple[str, str, str]]


def current_state(store: GraphStore) -> State:
    """What answers are kept for: the store's loaded files (``loaded_state``)."""
    return loaded_state(store)


def _path(store: GraphStore) -> Path | None:
    folder = cache_folder(store)
    return None if folder is None else folder / FILE_NAME


def _key(state: Iterable[tuple[str, str, str]], facts_version: int) -> bytes:
    return marshal.dumps((PAIRS_VERSION, facts_version,
                          sorted(tuple(entry) for entry in state)))


def _connect(path: Path) -> sqlite3.Connection | None:
    """The kept file, if there is one (never made here)."""
    if not path.is_file():
        return None
    try:
        return sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error:
        return None


def _tables(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS answers (level TEXT, entity TEXT, shown INTEGER,"
               " data BLOB, PRIMARY KEY (level, entity, shown))")


def _stored_key(db: sqlite3.Connection) -> bytes | None:
    row = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
    return None if row is None else bytes(row[0])


def read_answers(store: GraphStore, state: State, entity: str, level: str, shown: int,
                 facts_version: int) -> list[dict[str, Any]] | None:
    """The kept answer of ``entity`` at ``level`` (``shown`` items each), if kept for the
    store as loaded in ``state`` (``loaded_state``, read before anything else); else None."""
    path = _path(store)
    if path is None:
        return None
    try:
        db = _connect(path)
        if db is None:
            return None
        with closing(db):
            if _stored_key(db) != _key(state, facts_version):
                return None
            row = db.execute("SELECT data FROM answers WHERE level = ? AND entity = ? "
                             "AND shown = ?", (level, entity, shown)).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        return marshal.loads(row[0])
    except (ValueError, EOFError, TypeError):
        return None


def keep_answers(store: GraphStore, state: State, entity: str, level: str, shown: int,
                 facts_version: int, answers: list[dict[str, Any]]) -> None:
    """Keep ``answers`` for the next ask, worked out from facts loaded after ``state`` was
    read (so of that state or newer: a newer state is never keyed as an older one). A file
    kept for another state is emptied first; nothing is kept when the folder cannot be
    written."""
    path = _path(store)
    if path is None:
        return
    try:
        data = marshal.dumps(answers)
    except ValueError:
        return  # not plain data: keep nothing
    key = _key(state, facts_version)
    for _ in range(2):
        if _keep(path, key, (level, entity, shown, data)):
            return
        try:
            path.unlink(missing_ok=True)  # damaged, or not a database: made anew
        except OSError:
            return


def _keep(path: Path, key: bytes, row: tuple) -> bool:
    """Write ``row`` to the file at ``path`` (emptied first if kept for another ``key``);
    False when the file cannot be used."""
    try:
        path.parent.mkdir(exist_ok=True)
        db = sqlite3.connect(path, timeout=10, isolation_level=None)
    except (sqlite3.Error, OSError):
        return True  # cannot be written: nothing kept
    try:
        with closing(db):
            _tables(db)
            db.execute("BEGIN IMMEDIATE")
            try:
                if _stored_key(db) != key:
                    db.execute("DELETE FROM answers")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", row)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    except sqlite3.OperationalError:
        return True  # locked or read-only: kept another time
    except sqlite3.Error:
        return False
    return True


def moved(store: GraphStore, before: State, after: State, facts_version: int,
          entities: set[str] | None) -> None:
    """The facts went from the loaded state ``before`` to ``after``: drop the answers of
    ``entities`` (every answer when None, or when the file was not kept for ``before``) and
    record ``after``. Called before the facts' change is logged, so a crash between the two
    leaves answers no older than the facts."""
    path = _path(store)
    if path is None or not path.is_file():
        return
    old, new = _key(before, facts_version), _key(after, facts_version)
    try:
        db = _connect(path)
        if db is None:
            raise sqlite3.Error("cannot open")
        with closing(db):
            db.execute("BEGIN IMMEDIATE")
            try:
                stored = _stored_key(db)
                if entities is None or stored not in (old, new):
                    db.execute("DELETE FROM answers")
                else:
                    db.executemany("DELETE FROM answers WHERE entity = ?",
                                   [(e,) for e in sorted(entities)])
                db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (new,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
    except sqlite3.Error:
        # Cannot be brought up to date: it must not be trusted.
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


# -- what a change touches --------------------------------------------------------------------
def affected(facts: Facts, subjects: Iterable[str]) -> set[str]:
    """The organisations whose partners may change when what ``facts`` holds of ``subjects``
    changes (call it on the facts before and after the change, and take both): those taking
    part in the items changed, in their parent and sub-items (summaries and their centres),
    in the items of a changed organisation, membership or body (names, countries, unions), and
    every organisation above them (an answer covers its agencies and units); with a union, its
    members (a union's agreement links them at the country level)."""
    subjects = set(subjects)
    items = {s for s in subjects if s in facts.items}
    orgs: set[str] = set()
    for subject in subjects - items:
        if subject in facts.orgs or subject in facts.bodies or subject in facts.memberships:
            orgs.add(subject)
            related = {subject} | facts.descendants(subject)
            related |= {m.union for m in facts.memberships_of(subject) if m.union}
            related |= set(facts.bodies_of(subject))
            if subject in facts.bodies:
                related.add(facts.bodies[subject][0])
            membership = facts.memberships.get(subject)
            if membership is not None:
                related |= {o for o in (membership.member, membership.union) if o}
            items |= facts.items_of(related)
            orgs |= related
    items |= _children(facts, items)
    for iri in list(items):
        item: ItemFacts = facts.items[iri]
        items.update(p for p in item.parents if p in facts.items)
    for iri in items:
        orgs.update(facts.items[iri].roles)
    for org in list(orgs):
        if org in facts.bodies:
            orgs.add(facts.bodies[org][0])
    for org in list(orgs):
        orgs.update(m.member for m in facts.memberships_of(org) if m.union == org and m.member)
    return _above(facts, orgs)


def _children(facts: Facts, items: set[str]) -> set[str]:
    """The items one of ``items`` is a parent of."""
    if not items:
        return set()
    raw = getattr(facts.items, "raw", None)
    found = set()
    if raw is not None:
        found = {row[0] for row in raw.values() if items.intersection(row[6])}
        made = facts.items.made()
    else:
        made = facts.items.values()
    return found | {i.iri for i in made if items.intersection(i.parents)}


def _above(facts: Facts, orgs: set[str]) -> set[str]:
    """``orgs`` and every organisation above one of them (parents, country, union of a body)."""
    found = set(orgs)
    todo = list(orgs)
    while todo:
        org = facts.orgs.get(todo.pop())
        if org is None:
            continue
        ups = [*org.parents, *([org.country] if org.country else [])]
        if org.iri in facts.bodies:
            ups.append(facts.bodies[org.iri][0])
        for up in ups:
            if up not in found:
                found.add(up)
                todo.append(up)
    return found
