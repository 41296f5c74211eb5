"""The partner facts read from the store and kept beside it: the rows of
``queries/partner_facts.rq`` per loaded file (``graph_rows``), the facts built from them
(``read_facts``), and the cache beside an on-disk store (``load_facts``), patched after a load
or a removal (``patch_facts``): the subjects the added and removed files state are read again,
by their IRIs, from every graph, and replace what the facts held of them; the result is what
reading the whole store gives (tests/test_incremental.py)."""

from __future__ import annotations

import marshal
import secrets
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from pyoxigraph import NamedNode

from graph.network import pairs as kept_pairs
from graph.network.facts import (
    Facts,
    ItemFacts,
    Membership,
    OrgFacts,
    collector_paused,
    item_row,
)
from graph.queries import named_query, values_clause
from graph.queries.items import Source, source_index
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from graph.store.cache import (
    MadeOnDemand,
    cache_folder,
    loaded_state,
    maintained,
    named_file,
    write_cache_file,
)
from graph.store.keyed import KeyedFile, ListsOnDemand, RowsOnDemand, remove_others
from graph.store.loaded import loaded_sources

CACHE_VERSION = 10
"""Bumped whenever what ``Facts`` holds changes, so older caches are read again."""
ROWS_VERSION = 4
"""Bumped whenever ``partner_facts.rq`` changes, so the rows kept per loaded file are read again."""


def read_facts(store: GraphStore) -> Facts:
    """Everything the partner networks need: the rows of ``partner_facts.rq``, each loaded
    file's kept beside an on-disk store (see ``graph_rows``), less the extracted claims a
    loaded review rejects (``graph.queries.review.rejected_claims``)."""
    sources = {s.graph: s for s in source_index(store).values()}
    rejected = rejected_claims(store)
    with collector_paused():
        facts = Facts.from_rows(graph_rows(store), sources, rejected)
    facts.basis = (rejected, _marks(sources))
    return facts


def _marks(sources: dict[str, Source]) -> dict[str, tuple]:
    """What facts depend on of each loaded file beyond its rows."""
    return {graph: (s.document, s.reliability, s.loader) for graph, s in sources.items()}


def _query_rows(store: GraphStore, graphs: list[str] | None,
                subjects: list[str] | None = None) -> dict[str, list[tuple]]:
    """The rows of ``partner_facts.rq`` by graph: of ``graphs``, or of every graph; of
    ``subjects`` only, if given."""
    query = named_query("partner_facts")
    found: dict[str, list[tuple]] = defaultdict(list)
    one = {}.setdefault  # one string object per IRI or value: less memory, smaller caches
    if graphs is not None:
        # One query per graph, the graph named in it: with the graphs in a VALUES block,
        # Oxigraph read every graph (a small file's rows in 7 s instead of 0.01 s at 10M).
        for graph in graphs:
            named = query.replace("#GRAPHS", "").replace(
                "GRAPH ?g {", f"GRAPH {NamedNode(graph)} {{")
            rows = found[graph]
            for s, p, o, _ in store.select_rows(named):
                s, p, o = s.value, p.value, o.value
                rows.append((one(s, s), one(p, p), one(o, o), one(graph, graph)))
        return found
    if subjects is not None:
        query = query.replace("#GRAPHS", values_clause("s", map(NamedNode, subjects)))
    for s, p, o, g in store.select_rows(query):
        graph = g.value
        s, p, o = s.value, p.value, o.value
        found[graph].append((one(s, s), one(p, p), one(o, o), one(graph, graph)))
    return found


def graph_rows(store: GraphStore) -> list[tuple[str, str, str, str]]:
    """The rows of ``partner_facts.rq`` for the whole store, the graphs in load order. For an
    on-disk store each loaded file's rows are kept in its cache folder, named after the file's
    graph, hash and load time: after a load only the new files are read (a small file into a
    1M-triple store: about 0.3 s instead of 3 s), after a removal none."""
    loaded = loaded_sources(store)
    folder = cache_folder(store)
    named = [g.value for g in store.named_graphs()]
    kept: dict[str, list[tuple]] = {}
    files: dict[str, Path] = {}
    if folder is not None:
        for source in loaded:
            files[source.graph] = path = named_file(folder, "partner-rows", ROWS_VERSION,
                                                    source.graph, source.hash,
                                                    source.loaded_at)
            try:
                kept[source.graph] = marshal.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                pass  # not kept yet, or unreadable: read it
    missing = [g for g in named if g not in kept]
    if missing:
        kept.update(_query_rows(store, None if len(missing) == len(named) else missing))
        for graph in missing:
            if graph in files:
                write_cache_file(files[graph], kept.get(graph, []))
    if folder is not None and folder.is_dir():
        wanted = {path.name for path in files.values()}
        for old in folder.glob("partner-rows-*.marshal"):
            if old.name not in wanted:
                old.unlink(missing_ok=True)
    order = [s.graph for s in loaded] + sorted(set(named) - {s.graph for s in loaded})
    return [row for graph in order for row in kept.get(graph, ())]


def _rows_file(folder: Path, graph: str, hash: str, loaded_at: str) -> Path:
    return named_file(folder, "partner-rows", ROWS_VERSION, graph, hash, loaded_at)


_HANDED: list[tuple] = []
"""The facts ``refresh_answers`` loaded, for the next ``load_facts`` of the same store in this
process: (cache folder, loaded state, facts)."""


def refresh_answers(store: GraphStore) -> None:
    """Bring the partner answers kept beside the store up to date (``load_facts`` patches the
    facts, and the answers follow, see ``graph.network.pairs``); the facts are handed to the
    next ``load_facts`` of this store, so a caller that still has to work one out does not
    read them twice."""
    facts = load_facts(store)
    _HANDED[:] = [(cache_folder(store), loaded_state(store), facts)]


def load_facts(store: GraphStore) -> Facts:
    """The facts of the store: from the cache beside an on-disk store when it is up to date
    (about 0.2 s at 1M triples instead of 4 s), patched after a load or a removal
    (``patch_facts``; the cache keeps the changes in a log, see ``graph.store.cache``), else
    read and cached for the next run."""
    if _HANDED:
        folder, state, handed = _HANDED.pop()
        if folder is not None and folder == cache_folder(store) and \
                state == loaded_state(store):
            return handed
    folder = cache_folder(store)

    def dump(facts: Facts) -> tuple:
        rejected, marks = facts.basis or (set(), {})
        try:
            return _cache_data(facts, folder), sorted(rejected), marks
        except (OSError, sqlite3.Error):
            return None  # the folder cannot be written: a base that cannot be read

    def load(data: tuple) -> Facts:
        facts = _from_cache(data[0], folder)
        facts.basis = ({tuple(pair) for pair in data[1]}, data[2])
        return facts

    def build() -> Facts:
        facts = read_facts(store)
        state = loaded_state(store)
        kept_pairs.moved(store, state, state, CACHE_VERSION, None)  # every answer dropped
        return facts

    def patch(facts: Facts, added: list, removed: list) -> tuple | None:
        touched: set[str] = set()
        whole: set[str] = set()
        pairs: dict[str, set[tuple[str, str]]] = {}
        change = patch_facts(store, facts, added, removed, touched, (whole, pairs))
        if change is not None:  # the kept answers follow, before the change is logged
            after = loaded_state(store)
            before = sorted((set(after) - set(added)) | set(removed))

            def update(level: str, entity: str, shown: int, answers: list) -> list | None:
                if entity in whole:
                    return None  # its own organisations changed: worked out when asked
                return kept_pairs.updated(facts, answers, entity, level, shown,
                                          pairs.get(level, set()), whole)

            with collector_paused():
                kept_pairs.moved(store, before, after, CACHE_VERSION, touched, update)
        return change

    with collector_paused():
        return maintained(store, "partner-facts", CACHE_VERSION, build, patch, replay_facts,
                          dump, load)


PATCH_MAX_SUBJECTS = 20_000
"""A patch reads again at most this many subjects; beyond, the facts are read anew."""


def patch_facts(store: GraphStore, facts: Facts, added: list[tuple[str, str, str]],
                removed: list[tuple[str, str, str]], touched: set[str] | None = None,
                redo: tuple[set[str], dict[str, set]] | None = None) -> tuple | None:
    """Bring ``facts`` up to date after the files ``added`` were loaded and ``removed``
    removed (each as graph, hash, load time): every subject their rows state (and every item
    a loaded review now rejects or no longer rejects) is read again from the whole store and
    replaces what ``facts`` held of it. The rows of a removed file are those kept beside the
    store (``graph_rows``); an added file's are read and kept. Returns the change, which
    ``replay_facts`` applies again to the facts as they were; None, ``facts`` untouched, when
    that cannot be done cheaply or surely (then read them anew). ``touched``, if given, gets
    the organisations whose partners may have changed (``graph.network.pairs.affected``);
    ``redo``, if given, gets those whose own organisations changed
    (``graph.network.pairs.org_changes``) and the pairs the changed items link at each
    level (``graph.network.pairs.linked``)."""
    folder = cache_folder(store)
    if folder is None or facts.basis is None:
        return None
    old_rejected, old_marks = facts.basis
    sources = {s.graph: s for s in source_index(store).values()}
    marks = _marks(sources)
    if any(tuple(marks[g]) != tuple(mark) for g, mark in old_marks.items() if g in marks):
        return None  # a document's reliability restated elsewhere: weigh everything again
    changed: list[tuple] = []
    for graph, digest, loaded_at in removed:
        path = _rows_file(folder, graph, digest, loaded_at)
        try:
            if path.stat().st_size > PATCH_MAX_SUBJECTS * 1000:
                return None  # a big file: as cheap to read everything again
            changed += marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None  # its rows were not kept: whom it spoke of is unknown
    sizes = {s.graph: s.triples for s in loaded_sources(store)}
    if sum(sizes.get(g, PATCH_MAX_SUBJECTS) for g, _, _ in added) > 10 * PATCH_MAX_SUBJECTS:
        return None
    if added:
        rows = _query_rows(store, [g for g, _, _ in added])
        for graph, digest, loaded_at in added:
            write_cache_file(_rows_file(folder, graph, digest, loaded_at), rows.get(graph, []))
            changed += rows.get(graph, [])
    rejected = rejected_claims(store)
    subjects = {row[0] for row in changed} | {s for s, _ in rejected ^ old_rejected}
    if len(subjects) > PATCH_MAX_SUBJECTS:
        return None
    with collector_paused():
        subjects, part = _read_subjects(store, facts, subjects, sources, rejected)
        before = {s: _org_state(facts, s) for s in subjects}
        if touched is not None:
            touched |= kept_pairs.affected(facts, subjects)
        changed = {s for s in subjects if _org_state(part, s) != before[s]}
        if redo is not None:
            _note_redo(facts, subjects, changed, redo)
        derived = _apply_subjects(facts, subjects, part)
        if touched is not None:
            touched |= kept_pairs.affected(facts, subjects)
        if redo is not None:
            _note_redo(facts, subjects, changed, redo)
    facts.basis = (rejected, marks)
    change = (sorted(subjects), part.dump(), sorted(rejected), marks, derived)
    for graph, digest, loaded_at in removed:
        _rows_file(folder, graph, digest, loaded_at).unlink(missing_ok=True)
    return change


def replay_facts(facts: Facts, change: tuple) -> None:
    """Apply a change ``patch_facts`` made (to the facts as they were before it)."""
    subjects, part, rejected, marks, derived = change
    with collector_paused():
        _apply_subjects(facts, set(subjects), Facts.load(part), tuple(derived))
    facts.basis = ({tuple(pair) for pair in rejected}, marks)


def _read_subjects(store: GraphStore, facts: Facts, subjects: set[str],
                   sources: dict[str, Source],
                   rejected: set[tuple[str, str]]) -> tuple[set[str], Facts]:
    """What the store states now of ``subjects`` (and of the organisations that makes new
    ones), as facts of their own: the subjects read, and those facts."""
    order = {s.graph: n for n, s in enumerate(loaded_sources(store))}

    def read(wanted: set[str], referenced: set[str]) -> Facts:
        by_graph = _query_rows(store, None, sorted(wanted)) if wanted else {}
        rows = [row for graph in sorted(by_graph, key=lambda g: (g not in order,
                                                                 order.get(g, 0), g))
                for row in by_graph[graph]]
        return Facts.from_rows(rows, sources, rejected, referenced)

    # Organisations read again that no row makes one stay if items not read again take part
    # in them (or bodies name them); new ones that items now take part in are read too.
    part = read(subjects, set())
    more = {o for item in part.items.values() for o in item.roles} | \
        {union for union, _ in part.bodies.values()}
    more -= subjects | set(facts.orgs)
    if more:
        subjects = subjects | more
        part = read(subjects, set())
    bare = {s for s in subjects if s in facts.orgs and s not in part.orgs}
    if bare:
        kept = _referenced(facts, bare, subjects)
        if kept:
            part = read(subjects, kept)
    return subjects, part


def _apply_subjects(facts: Facts, subjects: set[str], part: Facts,
                    derived: tuple[list[str], dict[str, int]] | None = None
                    ) -> tuple[list[str], dict[str, int]]:
    """Replace what ``facts`` holds of ``subjects`` by ``part`` (``_read_subjects``). What
    follows from the whole facts (the organisations no longer anyone's, the events sub-events
    stand for) is worked out, or taken from ``derived`` (as worked out before, when a change
    is replayed); returned."""
    old_items = [facts.items[s] for s in subjects if s in facts.items]
    old_unions = {facts.bodies[s][0] for s in subjects if s in facts.bodies}
    by_org, sub_items = facts._by_org, facts._sub_items
    if by_org is not None:
        for item in old_items:
            for org in item.roles:
                if item.iri in by_org.get(org, ()):
                    by_org[org].remove(item.iri)
    if sub_items is not None:
        for item in old_items:
            for parent in set(item.parents):
                kept = [c for c in sub_items.get(parent, ()) if c != item.iri]
                if kept:
                    sub_items[parent] = kept
                else:
                    sub_items.pop(parent, None)
    for iri in subjects:
        facts.items.pop(iri, None)
        facts.orgs.pop(iri, None)
        facts.memberships.pop(iri, None)
        facts.bodies.pop(iri, None)
    for name in ("items", "orgs", "memberships", "bodies"):
        mine, theirs = getattr(facts, name), getattr(part, name)
        mine.update((k, v) for k, v in theirs.items() if k in subjects or k not in mine)
    if by_org is not None:
        for iri in sorted(subjects):
            if iri in facts.items:
                for org in facts.items[iri].roles:
                    by_org[org].append(iri)
    if sub_items is not None:
        for iri in sorted(subjects):
            if iri in facts.items:
                for parent in facts.items[iri].parents:
                    sub_items.setdefault(parent, []).append(iri)
    if derived is None:
        # Organisations only the items read again took part in, that no row makes one.
        orphans = ({o for item in old_items for o in item.roles} | old_unions) - subjects - \
            set(part.orgs)
        orphans = {o for o in orphans if _bare(facts.orgs.get(o))}
        gone = sorted(orphans - _referenced(facts, orphans, set())) if orphans else []
        # How many events the sub-events of the items read again, and of their parents,
        # stand for.
        targets = subjects | {p for item in (*old_items, *part.items.values())
                              for p in item.parents}
        inner: dict[str, int] = {t: 0 for t in targets if t in facts.items}
        sub_items = facts.sub_items()
        for parent in inner:
            for child in sub_items.get(parent, ()):
                count = facts.items[child].count
                inner[parent] += count if count is not None else 1
        derived = (gone, inner)
    gone, inner = derived
    for iri in gone:
        facts.orgs.pop(iri, None)
    for iri, events in inner.items():
        facts.items[iri].inner = events
    facts.orgs = dict(sorted(facts.orgs.items()))
    facts.memberships = dict(sorted(facts.memberships.items()))
    facts.bodies = dict(sorted(facts.bodies.items()))
    facts._tops, facts._children, facts._members = {}, None, None
    facts._bodies_by_union = None
    return derived


def _note_redo(facts: Facts, subjects: set[str], changed: set[str],
               redo: tuple[set[str], dict[str, set]]) -> None:
    """Add to ``redo`` what a kept answer works out again (``graph.network.pairs.updated``),
    as ``facts`` stand (call it before and after a change): the organisations whose own
    organisations ``changed`` and the pairs the items among ``subjects`` link."""
    redo[0].update(kept_pairs.org_changes(facts, changed))
    for level, found in kept_pairs.linked(facts, subjects).items():
        redo[1].setdefault(level, set()).update(found)


def _org_state(facts: Facts, iri: str) -> tuple:
    """What ``facts`` hold of ``iri`` as an organisation, a membership and a body, as plain
    data (to tell whether a patch changed it)."""
    org, membership = facts.orgs.get(iri), facts.memberships.get(iri)
    return ((org.iri, org.kind, org.label, org.code, org.country, sorted(org.parents))
            if org is not None else None,
            (membership.member, membership.union, membership.since, membership.until)
            if membership is not None else None,
            tuple(facts.bodies[iri]) if iri in facts.bodies else None)


def _bare(org: OrgFacts | None) -> bool:
    """An organisation no row makes one (it is one because items take part in it)."""
    return org is not None and org.kind == "other" and not org.country and not org.parents


def _referenced(facts: Facts, orgs: set[str], besides: set[str]) -> set[str]:
    """Those of ``orgs`` that items or bodies other than ``besides`` name."""
    by_org = facts.items_by_org()
    found = {o for o in orgs if any(i not in besides for i in by_org.get(o, ()))}
    return found | {union for body, (union, _) in facts.bodies.items()
                    if body not in besides and union in orgs}


ITEMS_FILE = "partner-items"
"""The SQLite file beside the cache's base holding its items and who takes part in which
(``graph.store.keyed``): ``ITEMS_FILE-<token>.sqlite``, the token in the base."""


def _cache_data(facts: Facts, folder: Path) -> tuple:
    """``Facts.dump`` as the cache keeps it: the items by IRI and who takes part in which in
    a file of their own, read by key (``graph.store.keyed``: the items two countries share
    are read, not all 700,000 at 10M triples), the rest in the base, with the file's name.
    Older copies of the file are removed (``graph.store.keyed.remove_others``)."""
    name = f"{ITEMS_FILE}-{secrets.token_hex(10)}.sqlite"
    folder.mkdir(exist_ok=True)
    raw, by_org = getattr(facts.items, "raw", None), facts.items_by_org()
    if isinstance(raw, RowsOnDemand) and not raw.drained and \
            isinstance(by_org, ListsOnDemand) and not by_org.whole and by_org.file is raw.file:
        # Read from a file, not all made: a copy of it with the items and lists that changed
        # written again, the items taken and not made again gone (10M: a copy of the file and
        # a few rows, instead of 11 s of CPU).
        made = dict(dict.items(facts.items))
        original = facts.items.made_from or {}
        rows = ((iri, item_row(item)) for iri, item in made.items())
        KeyedFile.write_changes(raw.file.path, folder / name, {
            "items": ([(iri, row) for iri, row in rows if original.get(iri) != row],
                      sorted(raw.gone - set(made))),
            "by_org": (by_org.changed().items(), ())})
        _, orgs, members, bodies = facts.dump(items=False)
    else:
        items, orgs, members, bodies = facts.dump()
        by_org = by_org.everything() if isinstance(by_org, ListsOnDemand) else dict(by_org)
        KeyedFile.write(folder / name, {"items": ((row[0], row) for row in items),
                                        "by_org": by_org.items()})
    remove_others(folder, f"{ITEMS_FILE}-*.sqlite", name)
    sub_items = {parent: list(children) for parent, children in facts.sub_items().items()
                 if children}
    return name, orgs, members, bodies, sub_items


def _item(row: tuple) -> ItemFacts:
    """An item from its row in the items file, its repeated strings (organisations, kinds,
    dates) one object each, as one blob of all rows gave them: a row read alone has its own
    copies (all 700,000 items made at 10M: 635 MB instead of 966 MB, 1.5 s more CPU)."""
    (iri, kind_of, kind, label, roles, hosts, parents, count, inner, date, start, end, basis,
     confidence, headline) = row
    one = sys.intern
    return ItemFacts(iri, one(kind_of), one(kind), label,
                     {one(org): one(role) for org, role in roles.items()},
                     [one(h) for h in hosts], parents, count, inner,
                     date if date is None else one(date), start if start is None else one(start),
                     end if end is None else one(end), one(basis), confidence, headline)


def _from_cache(data: tuple, folder: Path) -> Facts:
    """Facts from ``_cache_data``: each item, and the items of each organisation, read from
    the file when first asked for. OSError when the file cannot be read."""
    name, orgs, members, bodies, sub_items = data
    file = KeyedFile.open(folder / name)
    facts = Facts()
    facts.bodies = {body: (union, relation) for body, union, relation in bodies}
    facts.items = MadeOnDemand(RowsOnDemand(file, "items"), _item)  # type: ignore[arg-type]
    facts.orgs = {row[0]: OrgFacts(*row) for row in orgs}
    facts.memberships = {row[0]: Membership(*row[1:]) for row in members}
    facts._by_org = ListsOnDemand(file, "by_org")
    facts._sub_items = {parent: list(children) for parent, children in sub_items.items()}
    return facts
