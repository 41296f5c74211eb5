"""Crash safety: kill -9 a `load` or `remove` at any moment and the next command sees the store
exactly as before it or exactly as after it (graph.store.journal).

Each case copies a store of a few hundred thousand triples, runs `customs-kg load`/`remove`
as a subprocess, and kills it with SIGKILL: at the named stages of the write (through the
fault-injection hook ``CUSTOMS_KG_FAULT``, which makes the process kill itself there) and after
random delays (in the middle of Oxigraph's bulk load, of a graph's drop, …). A fresh command
then must see the before or the after state: the same sources (path, hash, triples), every
named graph a listed source's, the same number of statements in each, no journal and no
``bulk-*.sst`` left. ``KILLS`` counts the kill points tried; every one must hold.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from needs import unavailable

from graph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
TRIPLES = 240_000  # in the base store, untouched by the writes
WRITTEN = 30_000  # in each file a write loads, replaces or removes (a graph's drop costs
#                   ~100 µs a statement in Oxigraph: the suite stays around two minutes)
STAGES = ["journal-written", "ingested-0", "before-commit", "committed", "dropped-0",
          "flushed", "journal-cleared"]
MULTI_STAGES = ["ingested-0", "ingested-1", "before-commit", "committed"]
RANDOM_KILLS = 2
KILLS: list[str] = []
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def big_file(path: Path, variant: str, count: int = TRIPLES) -> Path:
    """An N-Triples file of ``count`` statements; another ``variant`` gives other statements."""
    ex = "https://example.org/crash/"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count // 3):
            subject = f"<{ex}{variant}/item/{i}>"
            out.write(f"{subject} <{ex}label> \"item {i} of {variant}\" .\n"
                      f"{subject} <{ex}next> <{ex}{variant}/item/{i + 1}> .\n"
                      f"{subject} <{ex}rank> \"{i}\"^^<{XSD_INTEGER}> .\n")
    return path


SMALL = """agreements:
  - {id: crash-a1, title: Crash test agreement one, parties: [RU, VN], signed: 2019-09-09}
  - {id: crash-a2, title: Crash test agreement two, parties: [CN, KZ], signed: 2020}
"""


def cli(store: Path, *args: str, fault: str | None = None, **kw) -> subprocess.Popen:
    env = {**os.environ, "CUSTOMS_KG_STORE": str(store), "CUSTOMS_KG_LOCK_WAIT": "60"}
    env.pop("CUSTOMS_KG_FAULT", None)
    if fault:
        env["CUSTOMS_KG_FAULT"] = fault
    return subprocess.Popen([sys.executable, "-c", "from cli import main; main()", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kw)


def run(store: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    process = cli(store, *args, fault=fault)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def state(store: Path) -> dict:
    """What a fresh command sees: `sources` (run first, so that it recovers), then each
    graph's size read from the store."""
    listed = run(store, "sources", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    sources = json.loads(listed.stdout)
    assert not (store / "journal.json").exists()
    assert not list((store / "oxigraph").glob("bulk-*.sst"))
    opened = OxigraphStore(store)
    try:
        graphs = {g.value for g in opened.named_graphs()}
        rows = opened.select("SELECT ?g ?path WHERE { GRAPH ?g { ?g ckg:path ?path } }")
        path_of = {r["g"].value: r["path"].value for r in rows}
        assert graphs == set(path_of), "a named graph that is no loaded source"
        sizes = {}
        for graph, path in path_of.items():
            count = opened.select(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            assert path not in sizes, f"{path} loaded twice"
            sizes[path] = int(count[0]["n"].value)
    finally:
        opened.close()
    return {"sources": sorted((s["path"], s["hash"], s["triples"]) for s in sources),
            "sizes": sizes}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A base store holding reference data, a records file and a big N-Triples file; the files
    of the writes to try; and the before/after states of each write."""
    folder = tmp_path_factory.mktemp("crash")
    files = folder / "files"
    files.mkdir()
    big_file(files / "big.nt", "big")
    big_file(files / "base.nt", "base", WRITTEN)
    (files / "small.yaml").write_text(SMALL, encoding="utf-8")
    big_file(files / "more.nt", "more", WRITTEN)
    (files / "extra.yaml").write_text(SMALL.replace("crash-a", "crash-b"), encoding="utf-8")
    base = folder / "base-store"
    loaded = run(base, "load", str(files / "big.nt"), str(files / "base.nt"),
                 str(files / "small.yaml"))
    assert loaded.returncode == 0, loaded.stderr
    changed = folder / "changed"
    changed.mkdir()
    big_file(changed / "base.nt", "changed", WRITTEN + 3000)
    return {"folder": folder, "base": base, "files": files, "changed": changed,
            "before": state(base), "cases": {}}


def write_args(world, case: str) -> list[str]:
    files = world["files"]
    return {
        "load": ["load", str(files / "more.nt")],
        "replace": ["load", str(world["replace_file"])],
        "multi": ["load", str(files / "extra.yaml"), str(files / "more.nt")],
        "remove": ["remove", "base.nt"],
    }[case]


def fresh_copy(world, name: str) -> Path:
    target = world["folder"] / f"store-{name}-{len(KILLS)}"
    shutil.copytree(world["base"], target)
    return target


def expected(world, case: str) -> tuple[dict, dict, float]:
    """The before and after states of a write, and how long it takes."""
    if case not in world["cases"]:
        world["replace_file"] = world["files"] / "base.nt"  # changed in place for "replace"
        store = fresh_copy(world, case)
        if case == "replace":
            shutil.copy(world["changed"] / "base.nt", world["files"] / "base.nt")
        started = time.monotonic()
        result = run(store, *write_args(world, case))
        took = time.monotonic() - started
        assert result.returncode == 0, result.stderr
        world["cases"][case] = (world["before"], state(store), took)
        if case == "replace":
            big_file(world["files"] / "base.nt", "base", WRITTEN)  # back as the base has it
        shutil.rmtree(store)
    return world["cases"][case]


def kill_and_check(world, case: str, fault: str | None = None, delay: float | None = None,
                   recovery_fault: str | None = None) -> str:
    before, after, _ = expected(world, case)
    store = fresh_copy(world, case)
    if case == "replace":
        shutil.copy(world["changed"] / "base.nt", world["files"] / "base.nt")
    try:
        process = cli(store, *write_args(world, case), fault=fault)
        if delay is not None:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate(timeout=300)
        if fault is not None:
            assert process.returncode == -signal.SIGKILL, err
        if recovery_fault is not None:
            interrupted = run(store, "sources", fault=recovery_fault)
            assert interrupted.returncode in (0, -signal.SIGKILL), interrupted.stderr
        seen = state(store)
    finally:
        if case == "replace":
            big_file(world["files"] / "base.nt", "base", WRITTEN)
    KILLS.append(f"{case}:{fault or f'after {delay:.2f}s'}")
    assert seen in (before, after), f"{case} killed at {fault or delay}: a third state"
    shutil.rmtree(store)
    return "before" if seen == before else "after"


@pytest.mark.parametrize("case", ["load", "replace", "multi", "remove"])
def test_the_write_itself_gives_the_after_state(world, case):
    before, after, _ = expected(world, case)
    assert before != after


# every stage a write of that kind passes (a first load retires no graph, a remove ingests
# nothing)
STAGE_CASES = [(case, stage) for case in ("load", "replace", "remove") for stage in STAGES
               if not (case == "load" and stage == "dropped-0")
               and not (case == "remove" and stage.startswith("ingested"))]


@pytest.mark.parametrize(("case", "stage"), STAGE_CASES)
def test_killed_at_a_stage(world, case, stage):
    outcome = kill_and_check(world, case, fault=stage)
    committed = stage in ("committed", "dropped-0", "flushed", "journal-cleared")
    assert outcome == ("after" if committed else "before")


@pytest.mark.parametrize("stage", MULTI_STAGES)
def test_a_multi_file_load_killed_at_a_stage(world, stage):
    outcome = kill_and_check(world, "multi", fault=stage)
    assert outcome == ("after" if stage == "committed" else "before")


@pytest.mark.parametrize("case", ["load", "replace", "multi", "remove"])
def test_killed_after_random_delays(world, case):
    _, _, took = expected(world, case)
    chance = random.Random(f"{case}-{TRIPLES}")
    for _ in range(RANDOM_KILLS):
        kill_and_check(world, case, delay=chance.uniform(0.3, max(0.5, took)))


@pytest.mark.parametrize("case,recovery", [("replace", "recovery-dropped-0"),
                                           ("load", "recovery-dropped-0"),
                                           ("replace", "recovery-flushed")])
def test_a_recovery_killed_in_turn(world, case, recovery):
    """A crash during recovery is recovered by the next open."""
    stage = "committed" if recovery == "recovery-flushed" else "ingested-0"
    kill_and_check(world, case, fault=stage, recovery_fault=recovery)


@pytest.mark.parametrize("stage", ["ingested-0", "committed"])
def test_a_read_only_reader_sees_the_committed_state(tmp_path, stage):
    """A crashed write on a store that can no longer be written (a read-only mount): readers
    leave out what the journal says is not committed."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs",
                                            str(mount)], capture_output=True).returncode:
        unavailable("needs root and mount(8) for a tmpfs (.ci/run runs as root)")
    try:
        store = mount / "kg"
        (tmp_path / "a.nt").write_text('<http://e/a> <http://e/p> "1" .\n')
        assert run(store, "load", str(tmp_path / "a.nt")).returncode == 0
        before = state(store)
        (tmp_path / "a.nt").write_text('<http://e/a> <http://e/p> "2" .\n')
        killed = run(store, "load", str(tmp_path / "a.nt"), fault=stage)
        assert killed.returncode == -signal.SIGKILL
        assert subprocess.run(["mount", "-o", "remount,ro", str(mount)]).returncode == 0
        answer = run(store, "sparql", "SELECT ?o { <http://e/a> <http://e/p> ?o }", "--format",
                     "csv")
        assert answer.stdout.split() == ["o", "2" if stage == "committed" else "1"]
        listed = json.loads(run(store, "sources", "--format", "json").stdout)
        assert len(listed) == len(before["sources"])
        KILLS.append(f"read-only:{stage}")
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_kill_points_held():
    """Every kill point tried above held (the count goes to the report)."""
    if len(KILLS) < 30:
        pytest.skip("counts the kill points of the whole module")
    print(f"\n{len(KILLS)} kill points tried, all held")
