"""The kept index of items (graph.queries.item_index): it holds what the SPARQL patterns it
stands for find, patched after loads, a review, a replacing load and removals as built anew;
and links and timelines found through it are the answers found in SPARQL, page by page."""

from __future__ import annotations

import shutil
from array import array

import pytest
from curated import DATA, ESTABLISHED, MN, RU, SEED_000, SEED_003, SEEDS, VN
from pyoxigraph import NamedNode
from test_order_cache import STATED
from test_query_order import EXTRA, PERIODS
from test_review import WHEN, WIRE

from graph.queries import item_index as item_index_module
from graph.queries import named_query, paging, relations
from graph.queries.item_index import (
    KINDS,
    ItemIndex,
    build_item_index,
    item_index,
    kept_index,
)
from graph.queries.paging import Paging
from graph.queries.period import bounds, candidates_pattern
from graph.queries.relations import links_between, scope, timeline
from graph.queries.review import review_claims
from graph.store import OxigraphStore
from loaders.load import load_paths, remove_source
from loaders.review import ClaimDecision, record_decisions


def _contents(index: ItemIndex) -> dict:
    """Each graph's posting lists, the items named (their numbers differ between indexes)."""
    return {g: {kind: {key: sorted({index.iri(n) for n in array("i", numbers)})
                       for key, numbers in lists.items()} for kind, lists in kinds.items()}
            for g, kinds in index.graphs.items()}


def _sparql(store: OxigraphStore, kind: str) -> dict:
    """What the index should hold, per graph: each key's items."""
    found: dict = {}
    query = f"SELECT ?g ?item ?o WHERE {{ GRAPH ?g {{ ?item {KINDS[kind]} ?o }} }}"
    for g, item, o in store.select_rows(query):
        key = item_index_module._key(kind, o)
        if key is not None and isinstance(item, NamedNode):
            found.setdefault(g.value, {}).setdefault(key, set()).add(item.value)
    return found


def _check(store: OxigraphStore, monkeypatch, patched_only: bool = True) -> None:
    """The index kept (patched, not built) is the index built anew and holds what SPARQL
    finds."""
    item_index_module._KEPT.clear()
    if patched_only:
        def refuse(*args, **kwargs):
            raise AssertionError("built anew instead of patched")

        monkeypatch.setattr(item_index_module, "build_item_index", refuse)
    patched = item_index(store)
    monkeypatch.undo()
    assert patched is not None
    kept = _contents(patched)
    assert kept == _contents(build_item_index(store))
    for kind in KINDS:
        expected = {g: {key: sorted(items) for key, items in keys.items()}
                    for g, keys in _sparql(store, kind).items()}
        assert {g: kinds[kind] for g, kinds in kept.items() if kinds.get(kind)} == expected


def test_loads_a_review_replacements_and_removals_patch_the_index(tmp_path, monkeypatch):
    files = tmp_path / "files"
    files.mkdir()
    for name in (SEED_000, SEED_003):
        shutil.copy2(DATA / name, files / name)
    wire = files / "wire.yaml"
    wire.write_text(WIRE, encoding="utf-8")
    store = OxigraphStore(tmp_path / "kg", writable=True)
    try:
        load_paths(store, [DATA / ESTABLISHED])
        _check(store, monkeypatch, patched_only=False)

        def review() -> None:
            meeting = next(c for c in review_claims(store) if c.kind == "meeting")
            record_decisions(store, files / "reviewed.yaml",
                             [ClaimDecision(meeting.id, "reject", note="no such meeting")],
                             reviewer="jdoe", when=WHEN)

        first = files / "first.yaml"
        first.write_text(STATED.format(source="first", reliability="low", date="2019-01"))
        steps = [
            lambda: load_paths(store, [first]),
            lambda: load_paths(store, [files / SEED_000]),
            lambda: load_paths(store, [files / SEED_003, wire]),
            review,
            lambda: (wire.write_text(WIRE.replace("2019-05-02", "2019-05-03")),
                     load_paths(store, [wire])),  # a replacing load
            lambda: remove_source(store, str(files / "reviewed.yaml")),
            lambda: remove_source(store, str(files / SEED_000)),
            lambda: load_paths(store, [files / SEED_000]),
        ]
        for step in steps:
            step()
            _check(store, monkeypatch)
    finally:
        store.close()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    """On disk (so the index is kept): the curated dataset, the wire with extracted claims
    and a file of undated items, partial dates and ties."""
    folder = tmp_path_factory.mktemp("item-index")
    extra, wire = folder / "order-test.yaml", folder / "wire.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    wire.write_text(WIRE, encoding="utf-8")
    store = OxigraphStore(folder / "kg", writable=True)
    load_paths(store, [*SEEDS, extra, wire])
    yield store
    store.close()


@pytest.mark.parametrize(("since", "until"), [*PERIODS, ("2019-03", "2019-03"),
                                              ("1990", None)])
def test_dated_items_are_the_candidates_sparql_finds(disk_store, since, until):
    low, high = bounds(since, until)
    if low is None and high is None:
        return
    query = f"SELECT DISTINCT ?item WHERE {{ {candidates_pattern(low, high)} }}"
    expected = {row[0].value for row in disk_store.select_rows(query)
                if isinstance(row[0], NamedNode)}
    index = item_index(disk_store)
    assert {index.iri(n) for n in index.dated_in(low, high)} == expected


@pytest.mark.parametrize(("since", "until"), PERIODS)
@pytest.mark.parametrize("entities", [[RU], [MN], [RU, VN]])
def test_answers_through_the_index_are_the_answers(disk_store, monkeypatch, entities, since,
                                                   until):
    nodes = [NamedNode(e) for e in entities]
    pairs = [(VN, RU), (MN, RU), (RU, MN)]
    monkeypatch.setattr(item_index_module, "_KEPT", {})  # no index read: all in SPARQL
    monkeypatch.setattr(relations, "INDEXED_FROM", 10**9)
    whole = timeline(disk_store, nodes, since, until)
    links = [links_between(disk_store, NamedNode(a), NamedNode(b)) for a, b in pairs]
    assert whole and any(links) and kept_index(disk_store) is None
    monkeypatch.setattr(relations, "INDEXED_FROM", 0)  # every entity a hub: the index read
    assert timeline(disk_store, nodes, since, until) == whole
    monkeypatch.setattr(relations, "INDEXED_FROM", 10**9)  # read already: still used
    assert kept_index(disk_store) is not None
    assert timeline(disk_store, nodes, since, until) == whole
    monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)  # put in order
    monkeypatch.setattr(paging, "CACHED_FROM", 0)  # from the kept order of items
    for limit, offset in ((None, 0), (1000, 0), (3, 2), (2, 0)):
        page = timeline(disk_store, nodes, since, until, paging=Paging(limit, offset))
        end = None if limit is None else offset + limit
        assert page == whole[offset:end] and page.total == len(whole)
        for (a, b), answers in zip(pairs, links, strict=True):
            page = links_between(disk_store, NamedNode(a), NamedNode(b),
                                 paging=Paging(limit, offset))
            assert page == answers[offset:end] and page.total == len(answers)


def test_no_index_for_a_store_in_memory():
    store = OxigraphStore(None)
    load_paths(store, SEEDS)
    assert item_index(store) is None


def test_parts_and_units_are_those_sparql_finds(disk_store):
    index = item_index(disk_store)
    entities = [row[0] for row in disk_store.select_rows(
        "SELECT DISTINCT ?x WHERE { { ?x a ckg:Country } UNION { ?x a ckg:Agency } "
        "UNION { ?x a ckg:EconomicUnion } }")]
    assert len(entities) > 100
    for entity in entities:
        assert scope(disk_store, entity, index) == scope(disk_store, entity)
        units = {row["node"].value for row in disk_store.select(named_query("descendants"),
                                                                 {"x": entity})}
        assert index.below(entity.value, ("under", "bodies")) == units
