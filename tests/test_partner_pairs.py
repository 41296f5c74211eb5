"""``partners`` in the default view answers from the answers kept beside the store
(``graph.network.pairs``), and they are exactly what working them out from the facts gives:
on the curated seeds and dataset, at both levels, after loads, a replacing load and removals
(only the organisations a change touches are worked out again)."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from curated import DATA, ESTABLISHED, ROOT, SEED_000, SEED_003
from pyoxigraph import NamedNode

from graph import presentation as show
from graph.network import read_facts
from graph.network.pairs import FILE_NAME
from graph.network.partners import LEVELS, partners
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR
from loaders.load import load_paths, remove_source

SHOWN = show.PARTNER_ITEMS_SHOWN
partners_module = importlib.import_module("graph.network.partners")
NOTE = """\
source: {id: pairs-note, title: A note of one more meeting}
events:
  - {id: pairs-note-meeting, title: Talks of the Vietnamese and Mongolian customs,
     kind: meeting, date: 2021-03-04,
     participants: [Customs General Administration of Mongolia, General Department of
     Vietnam Customs]}
"""


def entities(store: OxigraphStore) -> list[str]:
    """Every organisation that takes part in something: countries, unions, agencies."""
    facts = read_facts(store)
    return sorted(facts.items_by_org())


def worked_out(store: OxigraphStore, entity: str, level: str) -> list[dict]:
    """The answer worked out from the facts read from the whole store (nothing kept)."""
    return partners(store, NamedNode(entity), level, shown=SHOWN, facts=read_facts(store))


def check(store: OxigraphStore, names: list[str], monkeypatch) -> int:
    """Every kept answer (asked twice: worked out and kept, then read) is the one worked out
    from the whole store, as data and as the table; returns how many were read kept."""
    fresh = read_facts(store)
    read_kept = 0
    for level in LEVELS:
        for entity in names:
            node = NamedNode(entity)
            expected = partners(store, node, level, shown=SHOWN, facts=fresh)
            first = partners(store, node, level, shown=SHOWN)
            with monkeypatch.context() as patched:
                def refuse(*args, **kwargs):
                    raise AssertionError("the facts were loaded for a kept answer")

                patched.setattr(partners_module, "load_facts", refuse)
                kept = partners(store, node, level, shown=SHOWN)
            read_kept += 1
            assert first == expected, (level, entity)
            assert kept == expected, (level, entity)
            assert show.partners_text(kept, "table") == show.partners_text(expected, "table")
    return read_kept


@pytest.fixture
def store_dir(tmp_path) -> Path:
    path = tmp_path / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [DATA / ESTABLISHED, ROOT / "data" / "agreements"])
    finally:
        store.close()
    return path


def test_kept_answers_follow_loads_replacements_and_removals(store_dir, tmp_path,
                                                             monkeypatch):
    files = tmp_path / "files"
    files.mkdir()
    for name in (SEED_000, SEED_003):
        shutil.copy2(DATA / name, files / name)
    note = files / "note.yaml"
    note.write_text(NOTE)
    store = OxigraphStore(store_dir, writable=True)
    try:
        names = entities(store)
        check(store, names, monkeypatch)
        assert (store_dir / CACHE_DIR / FILE_NAME).is_file()
        steps = [
            lambda: load_paths(store, [files / SEED_000]),
            lambda: load_paths(store, [files / SEED_003, note]),
            lambda: (note.write_text(NOTE.replace("2021-03-04", "2022-05-06")),
                     load_paths(store, [note])),  # a replacing load
            lambda: remove_source(store, str(note)),
            lambda: remove_source(store, str(files / SEED_000)),
            lambda: load_paths(store, [files / SEED_000]),
        ]
        for step in steps:
            # Every answer kept as of the state before the step: the step must drop those it
            # changes.
            for level in LEVELS:
                for entity in names:
                    partners(store, NamedNode(entity), level, shown=SHOWN)
            step()
            names = entities(store)
            check(store, names, monkeypatch)
    finally:
        store.close()


def test_other_views_are_worked_out_and_match(store_dir, monkeypatch):
    """A period, a certainty filter, other weights, depth 2 or every item (JSON, CSV) are
    worked out each time, as before; the kept default view is not used for them."""
    store = OxigraphStore(store_dir, writable=True)
    try:
        entity = NamedNode(next(e for e in entities(store) if e.endswith("country/RU")))
        partners(store, entity, "country", shown=SHOWN)  # kept
        every = partners(store, entity, "country")
        assert every == partners(store, entity, "country", facts=read_facts(store))
        assert any(len(a["evidence"]["agreements"]) + len(a["evidence"]["events"]) > SHOWN
                   for a in every) or all(a["agreements"] + a["events"] <= SHOWN for a in every)
        deeper = partners(store, entity, "country", depth=2, shown=SHOWN)
        assert any(a["distance"] == 2 for a in deeper)
        since = partners(store, entity, "country", since="2020", shown=SHOWN)
        assert since == partners(store, entity, "country", since="2020", shown=SHOWN,
                                 facts=read_facts(store))
    finally:
        store.close()


def test_a_file_kept_for_another_state_or_damaged_is_not_trusted(store_dir, tmp_path,
                                                                 monkeypatch):
    store = OxigraphStore(store_dir, writable=True)
    try:
        names = entities(store)[:6]
        check(store, names, monkeypatch)
        path = store_dir / CACHE_DIR / FILE_NAME
        kept = path.read_bytes()
        note = tmp_path / "note.yaml"
        note.write_text(NOTE)
        load_paths(store, [note])
        (store_dir / CACHE_DIR / FILE_NAME).write_bytes(kept)  # as if never moved on
        # The facts were not patched yet: the next ask patches them and drops what changed.
        check(store, entities(store), monkeypatch)
        path.write_bytes(b"\x00 damaged")
        check(store, names, monkeypatch)
    finally:
        store.close()
