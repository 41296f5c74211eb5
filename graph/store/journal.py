"""Crash safety of the on-disk store: the journal of intent, its commit test, and recovery.

A write (``load``, ``remove``) that may touch several named graphs goes like this:

1. the journal, ``STORE/journal.json``, names the graphs it will write (``new``) and the
   graphs it will retire (``old``); it is written to a temporary file, fsync'd, renamed into
   place and its folder fsync'd *before* the store is touched;
2. the new graphs' contents are written (Oxigraph's bulk loader for RDF files, which is not
   atomic, or one transaction per records file); no new graph has its ``ckg:LoadedFile``
   record yet, so none of them is a loaded source;
3. the **commit point**: ONE store transaction (a single SPARQL update, which Oxigraph
   applies as one RocksDB write batch) adds every new graph's record and deletes every
   retired graph's record;
4. the retired graphs are dropped (each ``remove_graph`` is a transaction of its own);
5. the store is flushed, then the journal is deleted.

Recovery runs when the store is next opened by a writer (a reader that finds a journal first
takes the writer's place to recover): if the commit happened (the new graphs have their
records; with no new graph, the retired graphs have lost theirs) it rolls forward, dropping the
retired graphs that are left; otherwise it rolls back, dropping the new graphs. Both are
idempotent, so a crash during recovery is recovered by the next open. A killed bulk load leaves
``bulk-*.sst`` files in Oxigraph's folder; while the writer's lock is held no other process can
be writing them, so recovery deletes them.

Why this holds: a RocksDB write batch is applied all or nothing, also when replayed from the
write-ahead log after a crash; the journal exists on disk before any write; new graphs have
fresh IRIs, so dropping them never drops committed data; retired graphs have lost their records
at the commit, so dropping them only finishes what was decided.

``CUSTOMS_KG_FAULT`` is the **fault-injection hook** of the crash tests
(``tests/test_crash_safety.py``): set to a stage name (``fault_point`` calls below), the process
kills itself with SIGKILL there; set to ``enospc:STAGE`` it raises ``OSError(ENOSPC)`` there
instead. Never set it otherwise.
"""

from __future__ import annotations

import errno
import json
import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from graph.errors import StoreError
from ontology.vocab import CKG

JOURNAL = "journal.json"
FAULT_ENV = "CUSTOMS_KG_FAULT"


def fault_point(stage: str) -> None:
    """The fault-injection hook (see the module docstring): does nothing unless
    ``$CUSTOMS_KG_FAULT`` names ``stage``."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    if wanted == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    if wanted == f"enospc:{stage}":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@dataclass
class Journal:
    """A write in progress: the graphs it adds and the graphs it retires."""

    op: str
    new: list[str] = field(default_factory=list)
    old: list[str] = field(default_factory=list)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_journal(root: Path, journal: Journal) -> None:
    """Put the journal in place durably (temporary file, fsync, rename, fsync the folder)."""
    path = root / JOURNAL
    temporary = root / f"{JOURNAL}.{os.getpid()}.tmp"
    data = json.dumps({"op": journal.op, "new": journal.new, "old": journal.old,
                       "pid": os.getpid()}).encode()
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        _fsync_dir(root)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise StoreError(f"cannot write to store {root}: {err.strerror or err}") from err


def read_journal(root: Path) -> Journal | None:
    """The journal of an unfinished write, or None."""
    try:
        data = json.loads((root / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise StoreError(f"store {root}: unreadable journal {root / JOURNAL}: {err}") from err
    return Journal(str(data.get("op", "")), [str(g) for g in data.get("new", [])],
                   [str(g) for g in data.get("old", [])])


def clear_journal(root: Path) -> None:
    (root / JOURNAL).unlink(missing_ok=True)
    _fsync_dir(root)


def pending(root: Path) -> bool:
    return (root / JOURNAL).exists()


def _has_record(store: Store, graph: str) -> bool:
    node = NamedNode(graph)
    return any(True for _ in store.quads_for_pattern(node, None, NamedNode(str(CKG.LoadedFile)),
                                                     node))


def committed(store: Store, journal: Journal) -> bool:
    """Whether the write the journal describes passed its commit point."""
    if journal.new:
        return _has_record(store, journal.new[0])
    return not any(_has_record(store, g) for g in journal.old)


def commit_update(records: Iterable[Quad], retired: Iterable[NamedNode]) -> str:
    """The commit point as one SPARQL update: retired graphs lose their ``ckg:LoadedFile``
    record (every statement about the graph in itself), new graphs get theirs."""
    operations = [f"DELETE WHERE {{ GRAPH {g} {{ {g} ?p ?o }} }}" for g in retired]
    by_graph: dict[str, list[str]] = {}
    for quad in records:
        by_graph.setdefault(str(quad.graph_name), []).append(
            f"{quad.subject} {quad.predicate} {quad.object} .")
    if by_graph:
        body = "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}"
                         for g, lines in by_graph.items())
        operations.append(f"INSERT DATA {{\n{body}\n}}")
    return " ;\n".join(operations)


def drop_leftover_bulk_files(data: Path) -> list[Path]:
    """Delete ``bulk-*.sst`` files a killed bulk load left in Oxigraph's folder (call only
    while holding the writer's lock: then nobody is writing them)."""
    removed = []
    for path in data.glob("bulk-*.sst"):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    for path in data.parent.glob(f"{JOURNAL}.*.tmp"):
        path.unlink(missing_ok=True)
    return removed


def recover(root: Path, store: Store) -> str | None:
    """Finish or undo the write an unfinished journal describes; what was done, or None."""
    journal = read_journal(root)
    if journal is None:
        return None
    outcome = settle(store, journal)
    store.flush()
    fault_point("recovery-flushed")
    clear_journal(root)
    return f"{journal.op} {outcome}"


def settle(store: Store, journal: Journal) -> str:
    """Roll the write forward when it passed its commit point, else back."""
    forward = committed(store, journal)
    for number, graph in enumerate(journal.old if forward else journal.new):
        store.remove_graph(NamedNode(graph))
        fault_point(f"recovery-dropped-{number}")
    return "rolled forward" if forward else "rolled back"


def hidden_graphs(store: Store, journal: Journal) -> set[str]:
    """For a reader that cannot recover (a read-only store): the graphs not in the last
    committed state."""
    return set(journal.old if committed(store, journal) else journal.new)
