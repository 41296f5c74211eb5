"""The kept order of every item (graph.queries.order_cache): patched after loads, a replacing
load, a review and removals, it equals the order built from the whole store; and answers put
in order from it are the answers put in order from the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from curated import CKG, DATA, ESTABLISHED, ID, MN, RU, SEED_000, SEED_003, SEEDS, VN
from pyoxigraph import NamedNode
from test_query_order import EXTRA, PERIODS
from test_review import WHEN, WIRE

from graph.queries import order_cache, paging
from graph.queries.items import source_index
from graph.queries.order_cache import (
    _FIELD,
    _graph_numbers,
    build_order_facts,
    describe_records,
    keep_order_facts,
    order_facts,
    order_of,
)
from graph.queries.paging import Paging
from graph.queries.relations import links_between, timeline
from graph.queries.review import review_claims
from graph.store import OxigraphStore
from loaders.load import load_paths, remove_source
from loaders.review import ClaimDecision, record_decisions


def _normal(records: dict[str, str], graphs: list[str]) -> dict:
    """Each item's record, its graphs named (their numbers differ between kept and fresh)."""
    return {iri: (record.rsplit(_FIELD, 1)[0], sorted(graphs[n] for n in _graph_numbers(record)))
            for iri, record in records.items()}


def _check(store: OxigraphStore, monkeypatch, patched_only: bool = True) -> None:
    """The records kept (patched) are those of the items described anew; then every item is
    put in order, so that the next change has records to patch."""
    sources = source_index(store)
    if patched_only:
        def refuse(*args, **kwargs):
            raise AssertionError("started anew instead of patched")

        monkeypatch.setattr(order_cache, "build_order_facts", refuse)
    patched = order_facts(store, sources)
    monkeypatch.undo()
    assert patched is not None
    kept = patched.every()
    graphs: dict[str, int] = {}
    fresh = describe_records(store, sorted(kept), sources, graphs)
    assert _normal(kept, patched.graphs) == _normal(fresh, list(graphs))
    built = build_order_facts(store, sources)
    assert sorted(patched.rejected) == sorted(built.rejected)
    assert patched.snapshot == built.snapshot
    items = [row[0].value for row in store.select_rows(
        "SELECT DISTINCT ?i WHERE { { ?i a ckg:Event } UNION { ?i a ckg:Agreement } }")]
    _, added = order_of(store, items, sources, patched)
    keep_order_facts(store, patched)
    assert len(order_facts(store, sources).every()) == len(kept) + added >= len(items) - 2


TALKS = ID + "event/kept-order-talks"
STATED = """
source: {{id: {source}, title: A source of the talks, reliability: {reliability}}}
countries: [VN, RU]
events:
  - {{id: kept-order-talks, title: Talks, kind: talks, date: "{date}", participants: [RU, VN]}}
"""


def test_loads_a_review_replacements_and_removals_patch_the_order(tmp_path, monkeypatch):
    files = tmp_path / "files"
    files.mkdir()
    for name in (SEED_000, SEED_003):
        shutil.copy2(DATA / name, files / name)
    wire = files / "wire.yaml"
    wire.write_text(WIRE, encoding="utf-8")
    store = OxigraphStore(tmp_path / "kg", writable=True)
    try:
        load_paths(store, [DATA / ESTABLISHED])
        _check(store, monkeypatch, patched_only=False)  # started once

        def review() -> None:
            meeting = next(c for c in review_claims(store) if c.kind == "meeting")
            record_decisions(store, files / "reviewed.yaml",
                             [ClaimDecision(meeting.id, "reject", note="no such meeting")],
                             reviewer="jdoe", when=WHEN)

        first, second = files / "first.yaml", files / "second.yaml"
        first.write_text(STATED.format(source="first", reliability="low", date="2019-01"))
        second.write_text(STATED.format(source="second", reliability="high", date="2019-02-03"))
        turtle = files / "more.ttl"
        turtle.write_text(f"<{TALKS}> <{CKG}signingDate> \"2018-12-30\" .\n")
        steps = [
            lambda: load_paths(store, [first]),
            lambda: load_paths(store, [second]),  # another source's date of the same item
            lambda: load_paths(store, [turtle]),  # a file of statements, no source document
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
        assert "2018-12-30" in order_facts(store, source_index(store)).get(TALKS).starts
    finally:
        store.close()


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory):
    """On disk (so the order is kept): the curated dataset, the wire with extracted claims and
    a file of undated items, partial dates and ties."""
    folder = tmp_path_factory.mktemp("kept-order")
    extra, wire = folder / "order-test.yaml", folder / "wire.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    wire.write_text(WIRE, encoding="utf-8")
    store = OxigraphStore(folder / "kg", writable=True)
    load_paths(store, [*SEEDS, extra, wire])
    yield store
    store.close()


@pytest.mark.parametrize(("since", "until"), PERIODS)
@pytest.mark.parametrize("entities", [[], [RU], [MN]])
def test_answers_in_the_kept_order_are_the_answers(disk_store, monkeypatch, entities, since,
                                                   until):
    nodes = [NamedNode(e) for e in entities]
    whole = timeline(disk_store, nodes, since, until)
    pairs = [(VN, RU), (MN, RU), (RU, MN)]
    links = [links_between(disk_store, NamedNode(a), NamedNode(b)) for a, b in pairs]
    monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)
    monkeypatch.setattr(paging, "CACHED_FROM", 0)
    for limit, offset in ((1000, 0), (3, 2)):
        page = timeline(disk_store, nodes, since, until, paging=Paging(limit, offset))
        assert page == whole[offset:offset + limit] and page.total == len(whole)
        for (a, b), answers in zip(pairs, links, strict=True):
            page = links_between(disk_store, NamedNode(a), NamedNode(b),
                                 paging=Paging(limit, offset))
            assert page == answers[offset:offset + limit] and page.total == len(answers)
    assert list(Path(disk_store.location, "cache").glob("item-order-*"))
