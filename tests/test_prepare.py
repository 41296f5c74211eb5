"""``customs-kg prepare`` (also run by ``load`` after a large load): everything kept beside an
on-disk store is built or patched ahead of the first question, in processes of its own, and the
questions then build nothing; a command that does build from a big store says so first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from curated import ALIAS_FILE, DATA, ESTABLISHED, ROOT, SEED_000, SEED_003

from cli import cli
from graph import commandline
from graph.builds import FILLED, KEPT, watching
from graph.names import cached_index
from graph.network import load_facts
from graph.network.partners import Period
from graph.network.paths import stored_path_graph
from graph.preparation import JOBS, prepare_store
from graph.presentation import prepared_text
from graph.queries.item_index import item_index
from graph.queries.order_cache import keep_every_order
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR
from loaders.load import load_paths, remove_source


@pytest.fixture
def store_dir(curated_store_dir, tmp_path) -> Path:
    path = tmp_path / "kg"
    shutil.copytree(curated_store_dir, path)
    shutil.rmtree(path / CACHE_DIR, ignore_errors=True)  # as a bulk load leaves it: nothing kept
    return path


def kept_events(store_dir: Path) -> list[tuple[str, str]]:
    """What reading every kept structure builds or patches (nothing, once prepared)."""
    events: list[tuple[str, str]] = []
    store = OxigraphStore(store_dir)
    try:
        with watching(lambda _, name, what: events.append((name, what))):
            cached_index(store)
            cached_index(store, organisations_only=True)
            item_index(store)
            stored_path_graph(store, load_facts(store), Period(None, None))
            if keep_every_order(store):
                events.append(("item-order", "described"))
    finally:
        store.close()
    return events


@pytest.mark.parametrize("processes", [1, 2])
def test_prepare_builds_everything_the_questions_read(store_dir, processes):
    done = prepare_store(str(store_dir), processes)
    assert [d.job for d in done] == list(JOBS)
    built = {name for d in done for name in d.built}
    assert built == set(KEPT) | set(FILLED)  # the load kept none: all built from the store
    assert all(d.built and not d.patched and d.seconds > 0 for d in done)
    assert kept_events(store_dir) == []
    again = prepare_store(str(store_dir), processes)
    assert all(not d.built and not d.patched for d in again)  # all up to date


def prepared_then_changed(store_dir: Path, processes: int,
                          change: Callable[[OxigraphStore], object]) -> None:
    """Prepare the store, then ``change`` it (a load, a removal) as a writer."""
    prepare_store(str(store_dir), processes)
    store = OxigraphStore(store_dir, writable=True)
    try:
        change(store)
    finally:
        store.close()


def load_note(tmp_path: Path) -> Callable[[OxigraphStore], object]:
    note = tmp_path / "note.yaml"
    note.write_text(ALIAS_FILE)
    return lambda store: load_paths(store, [note])


def test_after_a_small_load_prepare_patches_and_nothing_is_built_later(store_dir, tmp_path):
    prepared_then_changed(store_dir, 2, load_note(tmp_path))
    done = {d.job: d for d in prepare_store(str(store_dir), 2)}
    assert done["partners"].patched == ["partner-facts"]
    assert done["partners"].built == ["path-graph"]  # kept for one loaded state, made anew
    assert done["names"].patched == ["entity-index", "organisation-index"]
    assert done["items"].patched == ["item-index"]
    lines = prepared_text(list(done.values()), 1.25).splitlines()
    assert lines[0].split(None, 3)[3] == \
        "built the shortest-path graph; updated the partner facts"
    assert lines[1].endswith("  updated the name index, the organisations' name index")
    assert lines[-2].endswith("  up to date") and lines[-1] == "prepared in 1.2 s"
    assert kept_events(store_dir) == []


def test_answers_after_prepare_are_those_built_on_demand(store_dir, tmp_path, runner):
    other = tmp_path / "other"
    shutil.copytree(store_dir, other)
    result = runner.invoke(cli, ["--store", str(store_dir), "prepare"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == list(JOBS)
    assert "the partner facts" in result.output and lines[-1].startswith("prepared in ")
    for question in (["partners", "Russia", "-f", "json"], ["links", "RU", "VN", "-f", "json"],
                     ["path", "Mongolia", "Vietnam", "-f", "json"],
                     ["entities", "customs", "-f", "json"]):
        prepared = runner.invoke(cli, ["--store", str(store_dir), *question])
        on_demand = runner.invoke(cli, ["--store", str(other), *question])
        assert prepared.exit_code == on_demand.exit_code == 0, prepared.output
        assert json.loads(prepared.stdout) == json.loads(on_demand.stdout), question


def test_load_prepare_loads_then_prepares(tmp_path, runner):
    path = tmp_path / "kg"
    result = runner.invoke(cli, ["--store", str(path), "load", "--prepare",
                                 str(DATA / ESTABLISHED), str(DATA / SEED_000)])
    assert result.exit_code == 0, result.output
    words = [line.split()[0] for line in result.output.splitlines()]
    loads = words.index(list(JOBS)[0])
    assert loads >= 2 and set(words[:loads]) == {"loaded"}  # the files, reference data too
    assert words[loads:] == [*JOBS, "prepared"]
    assert kept_events(path) == []


def test_prepare_needs_a_store_on_disk(tmp_path, runner):
    result = runner.invoke(cli, ["--store", "http://127.0.0.1:9/sparql", "prepare"])
    assert result.exit_code == 2
    assert "nothing to prepare at http://127.0.0.1:9/sparql" in result.stderr
    missing = tmp_path / "none"
    result = runner.invoke(cli, ["--store", str(missing), "prepare"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no store at {missing}")
    assert not missing.exists()


def test_a_command_building_from_a_big_store_says_so_once(store_dir, runner, monkeypatch):
    monkeypatch.setattr(commandline, "NOTICE_FROM", 100)  # the curated files: a big store
    monkeypatch.setattr(commandline, "_NOTICED", set())
    result = runner.invoke(cli, ["--store", str(store_dir), "partners", "Russia"])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if line.startswith("customs-kg:")]
    assert notices == [f"customs-kg: building {what} from {triples(store_dir):,} triples, once "
                       "after a large load ('customs-kg prepare' does it ahead of time)"
                       for what in ("the organisations' name index", "the partner facts")]
    again = runner.invoke(cli, ["--store", str(store_dir), "partners", "Russia"])
    assert "customs-kg:" not in again.stderr  # kept now: nothing to build
    monkeypatch.setattr(commandline, "NOTICE_FROM", 10 ** 9)
    small = runner.invoke(cli, ["--store", str(store_dir), "path", "Mongolia", "Vietnam"])
    assert small.exit_code == 0 and "customs-kg:" not in small.stderr


def triples(store_dir: Path) -> int:
    from graph.store.loaded import loaded_sources

    store = OxigraphStore(store_dir)
    try:
        return sum(s.triples for s in loaded_sources(store))
    finally:
        store.close()


def test_after_prepare_a_removal_is_patched_not_built_again(store_dir):
    prepared_then_changed(store_dir, 1, lambda store: remove_source(store, str(DATA / SEED_003)))
    done = {d.job: d for d in prepare_store(str(store_dir), 1)}
    assert done["names"].built == [] and done["items"].built == []
    assert done["partners"].built == ["path-graph"]  # kept for one loaded state, made anew
    assert done["names"].patched == ["entity-index", "organisation-index"]


def test_a_large_load_prepares_by_default(tmp_path, runner, monkeypatch):
    monkeypatch.setattr(commandline, "PREPARE_FROM", 100)  # the curated files: a large load
    path = tmp_path / "kg"
    result = runner.invoke(cli, ["--store", str(path), "load", str(DATA / SEED_000)])
    assert result.exit_code == 0, result.output
    assert "prepared in" in result.stdout
    assert result.stderr == (f"customs-kg: {triples(path):,} triples changed: preparing the "
                             "indexes kept beside the store for the first questions "
                             "(--no-prepare leaves it to them)\n")
    assert kept_events(path) == []  # everything kept, up to date
    again = runner.invoke(cli, ["--store", str(path), "load", str(DATA / SEED_000)])
    assert "prepared" not in again.stdout  # unchanged: nothing loaded, nothing to prepare
    skipped = runner.invoke(cli, ["--store", str(path), "load", "--no-prepare",
                                  str(DATA / SEED_003)])
    assert skipped.exit_code == 0 and "prepared" not in skipped.stdout
    assert kept_events(path) != []  # the kept indexes are patched on first use instead


def test_a_large_removal_prepares_by_default(store_dir, runner, monkeypatch):
    prepare_store(str(store_dir), 1)
    monkeypatch.setattr(commandline, "PREPARE_FROM", 10)  # the seed file: a large removal
    result = runner.invoke(cli, ["--store", str(store_dir), "remove", SEED_003])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("removed ") and "prepared in" in result.stdout
    assert kept_events(store_dir) == []
    back = runner.invoke(cli, ["--store", str(store_dir), "load", str(DATA / SEED_003)])
    again = runner.invoke(cli, ["--store", str(store_dir), "remove", "--no-prepare",
                                SEED_003])
    assert back.exit_code == again.exit_code == 0 and "prepared" not in again.stdout


def test_a_small_load_does_not_prepare_unless_asked(tmp_path, runner):
    path = str(tmp_path / "kg")
    result = runner.invoke(cli, ["--store", path, "load", str(DATA / SEED_000)])
    assert result.exit_code == 0 and "prepared" not in result.stdout
    asked = runner.invoke(cli, ["--store", path, "load", "--prepare", str(DATA / SEED_003)])
    assert asked.exit_code == 0 and "prepared in" in asked.stdout


def test_a_failed_preparation_after_a_load_leaves_the_load_standing(tmp_path, runner,
                                                                     monkeypatch):
    """The preparation, not the load, is what fails here (a stand-in for a process killed
    for memory): the load is kept, said so on standard error, exit 0; asked for, exit 1."""
    from graph import preparation
    from graph.errors import CustomsKGError

    def fails(location, processes):
        raise CustomsKGError("cannot prepare: a process preparing it ended abruptly")

    monkeypatch.setattr(commandline, "PREPARE_FROM", 100)
    monkeypatch.setattr(preparation, "prepare_store", fails)
    path = str(tmp_path / "kg")
    result = runner.invoke(cli, ["--store", path, "load", str(DATA / SEED_000)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1:] == [
        "customs-kg: done, but not prepared: cannot prepare: a process preparing it ended "
        "abruptly (the first questions build what they need; 'customs-kg prepare' tries again)"]
    assert triples(Path(path)) > 100
    asked = runner.invoke(cli, ["--store", path, "load", "--prepare", str(DATA / SEED_003)])
    assert asked.exit_code == 1 and "Error: cannot prepare" in asked.stderr


def test_an_interrupted_preparation_after_a_load_leaves_the_load_standing(tmp_path, runner,
                                                                          monkeypatch):
    """Ctrl-C while preparing (stood in for here: the load's handling is under test): the
    load is kept, a line says so, exit 130, no traceback."""
    from graph import preparation

    def interrupted(location, processes):
        raise KeyboardInterrupt

    monkeypatch.setattr(commandline, "PREPARE_FROM", 100)
    monkeypatch.setattr(preparation, "prepare_store", interrupted)
    path = tmp_path / "kg"
    result = runner.invoke(cli, ["--store", str(path), "load", str(DATA / SEED_000)])
    assert result.exit_code == 130
    assert result.stderr.splitlines()[1:] == [
        "customs-kg: done, but not prepared: interrupted (the first questions build what they "
        "need; 'customs-kg prepare' tries again)"]
    assert "Traceback" not in result.output and triples(path) > 100


def test_prepare_while_a_load_writes_waits_then_says_so_in_one_line(store_dir):
    writer = OxigraphStore(store_dir, writable=True)
    try:
        done = subprocess.run([sys.executable, "-m", "cli", "--store", str(store_dir), "prepare"],
                              capture_output=True, text=True, timeout=120, cwd=ROOT,
                              env={**os.environ, "CUSTOMS_KG_LOCK_WAIT": "0.3"})
    finally:
        writer.close()
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == \
        f"Error: store {store_dir} is locked by pid {os.getpid()}"
    assert "Traceback" not in done.stderr


def test_a_patch_that_cannot_be_made_is_reported_as_a_build(store_dir, tmp_path, monkeypatch):
    from graph.names import building

    prepared_then_changed(store_dir, 1, load_note(tmp_path))
    monkeypatch.setattr(building, "PATCH_MAX_TRIPLES", 0)  # every file too big to patch
    done = {d.job: d for d in prepare_store(str(store_dir), 1)}
    assert done["names"].built == ["entity-index", "organisation-index"]
    assert done["names"].patched == []
