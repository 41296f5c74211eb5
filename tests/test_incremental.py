"""Work in proportion to the change: after a load, a replacing load or a removal, the name index
and the partner facts beside an on-disk store are patched (only the files added or removed are
read), and give exactly what building them from the whole store gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from curated import ALIAS_FILE, DATA, ESTABLISHED, SEED_000, SEED_003

from graph import network as nw
from graph.names import ALL_KINDS, EntityIndex, cached_index, index_from_store, loading_index
from graph.names import building as names_building
from graph.network import stored as facts_module
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR, CHANGES_SUFFIX
from graph.store.loaded import loaded_sources
from loaders.load import find_source, load_paths, remove_source

ARTICLES = Path(__file__).parent / "data" / "articles" / "articles"
PROBES = ("RU", "Russia", "FCS", "Vietnamese customs", "Mongolia", "VNM", "EAEU",
          "Siberian Customs Directorate", "vn-eaeu-fta", "CGAM-test", "Customs Service",
          "Ministry of Finance", "Korea Customs Service", "Thai Customs")

class NoRebuild:
    """Stand-ins for building from the whole store, failing the test if called."""

    def __init__(self, monkeypatch) -> None:
        self.monkeypatch = monkeypatch

    def __enter__(self) -> NoRebuild:
        def refuse(*args, **kwargs):
            raise AssertionError("rebuilt from the whole store instead of patched")

        self.monkeypatch.setattr(names_building, "index_from_store", refuse)
        self.monkeypatch.setattr(facts_module, "read_facts", refuse)
        return self

    def __exit__(self, *exc) -> None:
        self.monkeypatch.undo()


def same_index(patched: EntityIndex, built: EntityIndex) -> None:
    """The same index: the same data, and the same answers."""
    assert patched.dump() == built.dump()
    for text in PROBES:
        assert [e.iri for e in patched.candidates(text, ALL_KINDS)] == \
            [e.iri for e in built.candidates(text, ALL_KINDS)], text


def check_caches(store: OxigraphStore) -> None:
    """The caches as they stand (patched) against everything built from scratch."""
    for organisations_only in (True, False):
        patched = cached_index(store, organisations_only=organisations_only)
        built = index_from_store(store, organisations_only=organisations_only)
        built.with_extracted = True
        same_index(patched, built)
    patched, read = nw.load_facts(store), nw.read_facts(store)
    for mine, theirs in zip(patched.dump(), read.dump(), strict=True):
        assert sorted(mine, key=repr) == sorted(theirs, key=repr)
    assert patched.basis == read.basis


@pytest.fixture
def store_dir(tmp_path) -> Path:
    path = tmp_path / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [DATA / ESTABLISHED])
    finally:
        store.close()
    return path


def test_loads_replacements_and_removals_patch_the_caches(store_dir, tmp_path, monkeypatch):
    files = tmp_path / "files"
    files.mkdir()
    for name in (SEED_000, SEED_003):
        shutil.copy2(DATA / name, files / name)
    note = files / "note.yaml"
    note.write_text(ALIAS_FILE)
    store = OxigraphStore(store_dir, writable=True)
    try:
        check_caches(store)  # built once, from scratch
        steps = [
            lambda: load_paths(store, [files / SEED_000]),
            lambda: load_paths(store, [files / SEED_003, note]),
            lambda: (note.write_text(ALIAS_FILE.replace("CGAM-test", "CGAM-two")),
                     load_paths(store, [note])),  # a replacing load
            lambda: remove_source(store, str(note)),
            lambda: remove_source(store, str(files / SEED_000)),
            lambda: load_paths(store, [files / SEED_000]),
        ]
        for step in steps:
            step()
            with NoRebuild(monkeypatch):
                for organisations_only in (True, False):
                    cached_index(store, organisations_only=organisations_only)
                nw.load_facts(store)
            check_caches(store)
            assert len(list((store_dir / CACHE_DIR).glob("entity-index-*"))) == 1
    finally:
        store.close()


def test_the_index_a_replacing_load_resolves_with_is_patched_too(store_dir, tmp_path,
                                                                  monkeypatch):
    seed = tmp_path / SEED_003
    shutil.copy2(DATA / SEED_003, seed)
    store = OxigraphStore(store_dir, writable=True)
    try:
        load_paths(store, [seed])
        cached_index(store)
        old = [find_source(store, str(seed)).graph]
        from pyoxigraph import NamedNode

        exclude = [NamedNode(g) for g in old]
        built = index_from_store(store, exclude)
        with NoRebuild(monkeypatch):
            patched = loading_index(store, exclude)
        same_index(patched, built)
        assert patched.loading and not patched.with_extracted
    finally:
        store.close()


def test_extracted_sources_are_patched_in_and_out(store_dir, monkeypatch):
    """Articles are extracted sources: their names are scoped to them, and an entity only they
    know is extraction-only; loading and removing them is patched exactly."""
    articles = sorted(ARTICLES.glob("*.txt"))[:4]
    store = OxigraphStore(store_dir, writable=True)
    try:
        load_paths(store, [DATA / SEED_000])
        check_caches(store)
        load_paths(store, articles[:2])
        with NoRebuild(monkeypatch):
            cached_index(store)
            nw.load_facts(store)
        check_caches(store)
        load_paths(store, articles[2:])
        remove_source(store, str(articles[0]))
        with NoRebuild(monkeypatch):
            cached_index(store)
            cached_index(store, organisations_only=True)
            nw.load_facts(store)
        check_caches(store)
        assert len(loaded_sources(store)) > 2
    finally:
        store.close()


def test_a_cache_of_another_format_or_damaged_is_rebuilt_not_patched(store_dir, tmp_path):
    store = OxigraphStore(store_dir, writable=True)
    try:
        cached_index(store)
        (path,) = (store_dir / CACHE_DIR).glob("entity-index-*")
        path.write_bytes(b"\x00 damaged")
        note = tmp_path / "note.yaml"
        note.write_text(ALIAS_FILE)
        load_paths(store, [note])
        check_caches(store)
    finally:
        store.close()


def test_a_small_load_appends_to_the_log_and_leaves_the_base(store_dir, tmp_path):
    """The cache is a base file and a log of changes: a small load writes the log, not the
    base; a damaged log is not used (the base is patched again)."""
    store = OxigraphStore(store_dir, writable=True)
    try:
        check_caches(store)
        bases = {p: p.stat().st_mtime_ns for p in (store_dir / CACHE_DIR).glob("*-*.marshal")
                 if not p.name.startswith("partner-rows")}
        note = tmp_path / "note.yaml"
        note.write_text(ALIAS_FILE)
        load_paths(store, [note])
        check_caches(store)
        assert {p: p.stat().st_mtime_ns for p in bases} == bases
        logs = sorted((store_dir / CACHE_DIR).glob(f"*{CHANGES_SUFFIX}"))
        assert [p.name for p in logs] == [f"{name}{CHANGES_SUFFIX}" for name in (
            "entity-index", "organisation-index", "partner-facts")]
        for log in logs:
            log.write_bytes(b"\x00 damaged")
        check_caches(store)
        remove_source(store, str(note))
        check_caches(store)
    finally:
        store.close()


@pytest.mark.parametrize("stage", ["ingested-0", "before-commit", "committed", "dropped-0"])
def test_caches_never_answer_stale_after_a_crash_mid_load(store_dir, tmp_path, stage):
    """A replacing load killed at each stage of its write (``CUSTOMS_KG_FAULT``): the store is
    then as before or as after it, and the caches beside it, read or patched, give what a
    rebuild from the store gives (they are named after the committed loaded state)."""
    note = tmp_path / "note.yaml"
    note.write_text(ALIAS_FILE)
    store = OxigraphStore(store_dir, writable=True)
    try:
        load_paths(store, [note])
        check_caches(store)  # built, and patched with the note
    finally:
        store.close()
    note.write_text(ALIAS_FILE.replace("CGAM-test", "CGAM-crash"))
    env = {**os.environ, "CUSTOMS_KG_FAULT": stage}
    done = subprocess.run([sys.executable, "-c", "from cli import main; main()", "--store",
                           str(store_dir), "load", str(note)], cwd=Path(__file__).parents[1],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0  # killed at the stage
    store = OxigraphStore(store_dir, writable=True)  # settles the journal
    try:
        check_caches(store)
        found = cached_index(store).resolve("CGAM-crash")
        assert (found is not None) == (stage in ("committed", "dropped-0"))
    finally:
        store.close()
