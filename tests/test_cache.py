"""The caches beside an on-disk store: reused while nothing is loaded, replaced after a load or a
removal, rebuilt when damaged, skipped when the folder cannot be written, and giving the same
answers as building from the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from curated import ALIAS_FILE

from cli import cli
from graph import network as nw
from graph.names import (
    ALL_KINDS,
    ORGANISATION_KINDS,
    EntityIndex,
    cached_index,
    index_from_store,
)
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR, cache_file, cached
from graph.store.loaded import loaded_sources
from loaders.load import load_paths, remove_source


@pytest.fixture
def store_dir(curated_store_dir, tmp_path) -> Path:
    path = tmp_path / "kg"
    shutil.copytree(curated_store_dir, path)
    shutil.rmtree(path / CACHE_DIR, ignore_errors=True)
    return path


class Counter:
    """A build function that counts its calls."""

    def __init__(self, value):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def cached_files(path: Path, name: str) -> list[Path]:
    return sorted((path / CACHE_DIR).glob(f"{name}-*.marshal"))


def test_cached_reuses_until_a_load_changes_the_store(store_dir, tmp_path):
    build = Counter({"answer": [1, 2, 3]})
    store = OxigraphStore(store_dir, writable=True)
    try:
        first = cached(store, "probe", 1, build, dict, dict)
        again = cached(store, "probe", 1, build, dict, dict)
        assert first == again == {"answer": [1, 2, 3]} and build.calls == 1
        (before,) = cached_files(store_dir, "probe")

        note = tmp_path / "note.yaml"
        note.write_text(ALIAS_FILE)
        load_paths(store, [note])
        cached(store, "probe", 1, build, dict, dict)
        assert build.calls == 2
        (after,) = cached_files(store_dir, "probe")  # the old copy is gone
        assert after != before

        remove_source(store, str(note))
        cached(store, "probe", 1, build, dict, dict)
        assert build.calls == 3 and len(cached_files(store_dir, "probe")) == 1
        cached(store, "probe", 2, build, dict, dict)  # another version of the format
        assert build.calls == 4
    finally:
        store.close()


def test_a_damaged_cache_is_rebuilt(store_dir):
    store = OxigraphStore(store_dir)
    try:
        build = Counter([1, 2])
        cached(store, "probe", 1, build, list, list)
        path = cache_file(store, "probe", 1)
        path.write_bytes(b"\x00 not marshal data")
        assert cached(store, "probe", 1, build, list, list) == [1, 2] and build.calls == 2
        path.write_bytes(b"")
        assert cached(store, "probe", 1, build, list, list) == [1, 2] and build.calls == 3
    finally:
        store.close()


def test_a_store_folder_where_the_cache_cannot_be_written_is_not_cached(store_dir):
    """(root writes into read-only folders, so a file stands where the folder would be)."""
    (store_dir / CACHE_DIR).write_text("not a folder")
    store = OxigraphStore(store_dir)
    try:
        build = Counter([1])
        assert cached(store, "probe", 1, build, list, list) == [1]
        assert cached(store, "probe", 1, build, list, list) == [1] and build.calls == 2
    finally:
        store.close()


def test_stores_in_memory_are_not_cached(memory_store):
    build = Counter([1])
    assert cache_file(memory_store, "probe", 1) is None
    cached(memory_store, "probe", 1, build, list, list)
    cached(memory_store, "probe", 1, build, list, list)
    assert build.calls == 2


@pytest.mark.parametrize("organisations_only", [True, False])
def test_the_cached_index_answers_as_the_built_one(store_dir, curated_store, organisations_only):
    built = index_from_store(curated_store, organisations_only=organisations_only)
    store = OxigraphStore(store_dir)
    try:
        cached_index(store, organisations_only=organisations_only)  # writes the cache
        from_cache = cached_index(store, organisations_only=organisations_only)
    finally:
        store.close()
    assert len(cached_files(store_dir, "organisation-index" if organisations_only
                            else "entity-index")) == 1
    kinds = ORGANISATION_KINDS if organisations_only else ALL_KINDS
    for text in ("RU", "Russia", "FCS", "Vietnamese customs", "Mongolia", "VNM", "EAEU",
                 "Siberian Customs Directorate", "vn-eaeu-fta"):
        assert [e.iri for e in from_cache.candidates(text, kinds)] == \
            [e.iri for e in built.candidates(text, kinds)], text
    assert from_cache.suggest("Vietnm", kinds) == built.suggest("Vietnm", kinds)
    assert [(e.iri, s) for e, s in from_cache.search("customs", kinds)] == \
        [(e.iri, s) for e, s in built.search("customs", kinds)]
    assert from_cache.events == built.events
    rebuilt, original = EntityIndex.load(from_cache.dump()).dump(), built.dump()
    assert sorted(rebuilt[0]) == sorted(original[0]) and rebuilt[1:] == original[1:]


def test_commands_see_names_loaded_after_the_index_was_cached(store_dir, tmp_path, runner):
    def invoke(*args):
        return runner.invoke(cli, ["--store", str(store_dir), *args])

    assert invoke("partners", "Russia").exit_code == 0  # caches the index
    assert len(cached_files(store_dir, "organisation-index")) == 1
    missing = invoke("partners", "CGAM-test")
    assert missing.exit_code == 1 and "no entity 'CGAM-test'" in missing.output

    note = tmp_path / "note.yaml"
    note.write_text(ALIAS_FILE)
    assert invoke("load", str(note)).exit_code == 0
    found = invoke("partners", "CGAM-test", "--level", "agency")
    assert found.exit_code == 0, found.output
    assert "Siberian Customs Directorate" in found.output

    assert invoke("remove", str(note)).exit_code == 0
    assert invoke("partners", "CGAM-test").exit_code == 1


def _facts_without_cache(store) -> tuple:
    from graph.network import Facts
    from graph.queries.items import source_index

    rows = [row for graph_rows in nw._query_rows(store, None).values() for row in graph_rows]
    sources = {s.graph: s for s in source_index(store).values()}
    return facts_data(Facts.from_rows(rows, sources))


def facts_data(facts) -> tuple:
    """The facts, whatever order they were read in."""
    return tuple(sorted(part) for part in facts.dump())


def test_partner_rows_are_kept_per_loaded_file(store_dir, tmp_path):
    store = OxigraphStore(store_dir, writable=True)
    try:
        first = nw.graph_rows(store)
        kept = {p.name: p.stat().st_mtime_ns for p in cached_files(store_dir, "partner-rows")}
        assert len(kept) == len(loaded_sources(store))  # one per loaded file
        assert sorted(nw.graph_rows(store)) == sorted(first)

        note = tmp_path / "note.yaml"
        note.write_text(ALIAS_FILE)
        load_paths(store, [note])
        after = {p.name: p.stat().st_mtime_ns for p in cached_files(store_dir, "partner-rows")}
        nw.graph_rows(store)
        after = {p.name: p.stat().st_mtime_ns for p in cached_files(store_dir, "partner-rows")}
        # The files loaded before keep their rows untouched; the new one has its own.
        assert {n: t for n, t in after.items() if n in kept} == kept
        assert len(after) == len(kept) + 1
        assert facts_data(nw.read_facts(store)) == _facts_without_cache(store)

        remove_source(store, str(note))
        assert facts_data(nw.read_facts(store)) == _facts_without_cache(store)
        assert {p.name for p in cached_files(store_dir, "partner-rows")} == set(kept)
    finally:
        store.close()


def test_damaged_partner_rows_are_read_again(store_dir):
    store = OxigraphStore(store_dir)
    try:
        expected = nw.read_facts(store).dump()
        for path in cached_files(store_dir, "partner-rows"):
            path.write_bytes(b"\x00 damaged")
        assert nw.read_facts(store).dump() == expected
    finally:
        store.close()
