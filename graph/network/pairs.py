"""Partner answers kept beside an on-disk store: for the default view of ``partners`` (no
period, no certainty filter, ``DEFAULT_WEIGHTS``, depth 1, the table's shown items), each
organisation's ranked partners at each level, with their counts, weight, years, certainty,
``via`` and the latest items the table shows, read by key from a SQLite file in the cache
folder (``STORE/cache/partner-pairs.sqlite``) without loading the partner facts.

An organisation's answer is worked out the first time it is asked for (as ``partners`` always
does) and kept. The file records the loaded state it holds answers for (the committed
loaded-file records, as every cache, ``graph.store.cache``): answers of another state are never
trusted. When the partner facts are patched after a load or a removal
(``graph.network.stored.load_facts``; a reader that finds the file kept for an earlier state
has them patched first, ``read_answers``), the answers of the organisations the changed
subjects touch (``affected``) are brought up to date (``updated``: only the partners the
changed items link them to, ``linked``, are worked out again) or, for an organisation whose
own agencies, unions or bodies changed (``org_changes``), dropped; the file then moves to the
new state. When the facts are built anew, every answer is dropped. Deleting the file is always
safe.
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from graph.network.facts import Facts, ItemFacts
from graph.store import GraphStore
from graph.store.cache import cache_folder, loaded_state

PAIRS_VERSION = 2
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
    """What the answers are kept for, as bytes that are the same for the same state (not
    ``marshal``'s: they depend on how the strings were made and shared)."""
    data = (PAIRS_VERSION, facts_version, sorted(tuple(map(str, entry)) for entry in state))
    return hashlib.sha256(repr(data).encode("utf-8", "surrogatepass")).digest()


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
    store as loaded in ``state`` (``loaded_state``, read before anything else); else None.
    Answers kept for an earlier state are brought up to date first: the partner facts are
    patched (``graph.network.stored.refresh_answers``), which updates the answers a change
    touches and moves the file to the new state."""
    path = _path(store)
    if path is None:
        return None
    found = _read(path, state, entity, level, shown, facts_version)
    if found is _STALE:
        importlib.import_module("graph.network.stored").refresh_answers(store)
        found = _read(path, state, entity, level, shown, facts_version)
    return None if found is _STALE else found


_STALE: Any = object()
"""What ``_read`` gives for a file kept for another state."""


def _read(path: Path, state: State, entity: str, level: str, shown: int,
          facts_version: int) -> list[dict[str, Any]] | None:
    """The kept answer, None if there is none, ``_STALE`` if the file is of another state."""
    try:
        db = _connect(path)
        if db is None:
            return None
        with closing(db):
            if _stored_key(db) != _key(state, facts_version):
                return _STALE if _stored_key(db) is not None else None
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


Update = Callable[[str, str, int, list[dict[str, Any]]], "list[dict[str, Any]] | None"]
"""Brings one kept answer (level, entity, shown, answer) up to date, or None: drop it."""


def moved(store: GraphStore, before: State, after: State, facts_version: int,
          entities: set[str] | None, update: Update | None = None) -> None:
    """The facts went from the loaded state ``before`` to ``after``: bring the answers of
    ``entities`` up to date with ``update`` (drop those it gives None for, all of them
    without it; every answer when ``entities`` is None, or when the file was not kept for
    ``before``) and record ``after``. Called before the facts' change is logged, so a crash
    between the two leaves answers no older than the facts."""
    path = _path(store)
    if path is None or not path.is_file():
        return
    old, new = _key(before, facts_version), _key(after, facts_version)
    try:
        db = _connect(path)
        if db is None:
            raise sqlite3.Error("cannot open")
        with closing(db):
            fresh: list[tuple] = []
            if entities and update is not None and _stored_key(db) in (old, new):
                fresh = _updated(db, sorted(entities), update)
            db.execute("BEGIN IMMEDIATE")
            try:
                stored = _stored_key(db)
                if entities is None or stored not in (old, new):
                    db.execute("DELETE FROM answers")
                else:
                    db.executemany("DELETE FROM answers WHERE entity = ?",
                                   [(e,) for e in sorted(entities)])
                    db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", fresh)
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


def _updated(db: sqlite3.Connection, entities: list[str], update: Update) -> list[tuple]:
    """The kept answers of ``entities`` that ``update`` brings up to date, as rows."""
    rows = []
    for start in range(0, len(entities), 500):
        chunk = entities[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        rows += db.execute("SELECT level, entity, shown, data FROM answers "
                           f"WHERE entity IN ({marks})", chunk).fetchall()
    fresh = []
    for level, entity, shown, data in rows:
        try:
            answers = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            continue  # unreadable: dropped
        answers = update(level, entity, shown, answers)
        if answers is not None:
            fresh.append((level, entity, shown, marshal.dumps(answers)))
    return fresh


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
            related = _related(facts, subject)
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
    sub_items = facts.sub_items()
    return {child for item in items for child in sub_items.get(item, ())}


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


# -- bringing a kept answer up to date ----------------------------------------------------------
def org_changes(facts: Facts, orgs: Iterable[str]) -> set[str]:
    """The organisations whose answers must be worked out anew when what ``facts`` holds of
    the organisations, memberships or bodies ``orgs`` changes (call it on the facts before and
    after the change, and take both): those organisations, their agencies and units, unions
    and bodies, the members of those unions, and every organisation above them. Any other
    organisation a change touches (``affected``) keeps its answer, its changed partners
    worked out again (``updated``)."""
    found: set[str] = set()
    for org in orgs:
        related = _related(facts, org)
        for union in list(related):
            related |= {m.member for m in facts.memberships_of(union)
                        if m.union == union and m.member}
        found |= related
    return _above(facts, found)


def linked(facts: Facts, subjects: Iterable[str]) -> dict[str, set[tuple[str, str]]]:
    """The pairs of nodes, at each level, that the items among ``subjects`` link, with their
    sub-items and parents (summaries and their centres): call it on the facts before and
    after a change and take both, so that a kept answer works out again only the partners
    these pairs give it (``updated``)."""
    computing = importlib.import_module("graph.network.partners")  # it imports this module
    items = {s for s in subjects if s in facts.items}
    items |= _children(facts, items)
    items |= {p for i in list(items) for p in facts.items[i].parents if p in facts.items}
    return {level: {pair for iri in sorted(items)
                    for pair in computing.pairs(facts, facts.items[iri], level)}
            for level in computing.LEVELS}


def updated(facts: Facts, answers: list[dict[str, Any]], entity: str, level: str,
            shown: int, pairs: set[tuple[str, str]], whole: set[str]) -> list[dict[str, Any]]:
    """``entity``'s kept answer (default view, ``level``, ``shown`` items) after a change
    that none of ``entity``'s own organisations took part in (it is not in ``whole``, see
    ``org_changes``): the partners the changed items link it to at ``level`` (``pairs``, see
    ``linked``) and those in ``whole`` are worked out again from ``facts`` (as they are now),
    over only the items both sides take part in; the others stay; the whole is ranked again.
    The same as working out the whole answer (tests/test_partner_pairs.py)."""
    computing = importlib.import_module("graph.network.partners")  # it imports this module
    weights = computing.DEFAULT_WEIGHTS
    period, certainty = computing.Period(), computing.ANY_CERTAINTY
    orgs = {entity} | facts.descendants(entity)
    ring = {facts.top(o) for o in orgs} if level == "country" else orgs
    if level == "country":  # the agreements of the unions they are members of too
        unions = {m.union for node in orgs for m in facts.memberships_of(node)
                  if m.member == node and m.union}
        orgs = orgs | unions | {b for u in unions for b in facts.bodies_of(u)}
    redo = whole | {b for a, b in pairs if a in ring} | {a for a, b in pairs if b in ring}
    redo -= ring
    if not redo:
        return answers
    theirs = facts.items_of(orgs)
    kept = [answer for answer in answers if answer["iri"] not in redo]
    for node in sorted(redo):
        # Every item that can link ``node``: its own and its agencies', and (a union's
        # agreement covers its members) its unions' and their bodies'.
        related = {node} | facts.descendants(node)
        for union in {m.union for m in facts.memberships_of(node)
                      if m.member == node and m.union}:
            related |= {union} | facts.descendants(union)
        both = theirs & facts.items_of(related)
        if not both:
            continue
        vias = {}
        for (a, b), items in computing._links(facts, level, period, both, ring,
                                              certainty).items():
            for one, via in ((a, b), (b, a)):
                if one == node and via in ring:
                    vias[via] = items
        if vias:
            kept.append(computing._partner(facts, node, vias, 1, entity, level, weights,
                                           shown))
    kept.sort(key=lambda a: (a["distance"], -a["weight"], -(a["agreements"] + a["events"]),
                             a["label"], a["iri"]))
    stated = weights.as_dict()
    for rank, answer in enumerate(kept, 1):
        answer["rank"] = rank
        answer["weights"] = stated
    return kept


def _related(facts: Facts, org: str) -> set[str]:
    """``org`` and what a change to it reaches: its agencies and units, its unions and bodies,
    the body's union, and a membership's member and union."""
    related = {org} | facts.descendants(org)
    related |= {m.union for m in facts.memberships_of(org) if m.union}
    related |= set(facts.bodies_of(org))
    if org in facts.bodies:
        related.add(facts.bodies[org][0])
    membership = facts.memberships.get(org)
    if membership is not None:
        related |= {o for o in (membership.member, membership.union) if o}
    return related
