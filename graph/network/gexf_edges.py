"""The edges' lines of a ``WholeNetwork``'s GEXF, a chunk at a time, each text made once for
the edges resting on the same items; from ``PARALLEL_EDGES`` edges on, the later part made
by a forked process while this one goes on (``LaterEdges``): making the texts of 1.2M edges
costs more than all the rest of an export, and a machine has more than one core.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import warnings
from collections.abc import Iterator
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, BinaryIO

from graph.network.gexf_text import GEXF_EDGE_ATTRIBUTES, ItemsText, _Attvalues, _xml, edge_text
from graph.network.whole import WholeNetwork

GEXF_CHUNK = 20_000
"""Lines written at a time: the file streams out, never whole in memory."""
PARALLEL_EDGES = 200_000
"""From this many edges on, where the system can fork, a forked process makes the later part
of the edges' lines (``LaterEdges``)."""
KEPT_SHARE = 0.6
"""The share of the edges' work kept by this process when the forked one starts as the edges
are written: the forked one pays for copying on write each page of facts it reads (at 10M
triples, 3-4 s of 11)."""
KEPT_SHARE_EARLY = 0.45
"""The share kept when the forked process starts as soon as the edges are known
(``whole_network(..., edges_ahead=True)``), this one then making the nodes' attributes and
the centrality first (at 10M triples, 8 s)."""


def write_whole_edges(whole: WholeNetwork, ends: list[bytes], file: BinaryIO) -> None:
    """The edges' lines of ``whole`` into ``file`` (``ends``: each node's id quoted for XML):
    the later part by ``whole.later`` (started now for a big network if not before), the
    rest made here meanwhile."""
    later = whole.later
    if later is None:
        later = whole.later = LaterEdges.start(whole, KEPT_SHARE)
    if later is None:
        for block in whole_edges(whole, ends):
            file.write(block)
        return
    try:
        for block in whole_edges(whole, ends, 0, later.split):
            file.write(block)
        later.finish(whole, ends, file)
    finally:
        whole.later = None
        later.close()


class LaterEdges:
    """The lines of the edges from ``split`` on, made by a forked process into an unnamed
    temporary file; ``finish`` copies them after the first part (or, should that process
    have failed, makes them then)."""

    def __init__(self, split: int, pid: int, made: BinaryIO) -> None:
        self.split, self.pid, self.made = split, pid, made

    @classmethod
    def start(cls, whole: WholeNetwork, keep: float) -> LaterEdges | None:
        """Fork a process making the lines of the edges after the first ``keep`` share of
        the work; None for a network of fewer than ``PARALLEL_EDGES`` edges, or where the
        system cannot fork (or give a temporary file) now."""
        if len(whole.groups) < PARALLEL_EDGES or not hasattr(os, "fork"):
            return None
        split = even_split(whole, keep)
        try:
            made = tempfile.TemporaryFile(prefix="customs-kg-edges-")
        except OSError:  # no room for it: the edges are all made here
            return None
        try:
            with warnings.catch_warnings():
                # Python 3.12 on warns of forking a process with other threads (an open
                # store's): the forked process runs only Python on what is in memory, writes
                # its own file and ends by os._exit, never touching the store or its locks.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:  # no process to be had (a limit, memory): the same
            made.close()
            return None
        if pid == 0:  # the forked process: the lines into ``made``, and nothing else
            status = 1
            try:
                ends = [_xml(node).encode() for node in whole.nodes]
                with open(made.fileno(), "wb", closefd=False) as out:
                    for block in whole_edges(whole, ends, split):
                        out.write(block)
                status = 0
            finally:
                os._exit(status)
        return cls(split, pid, made)

    def finish(self, whole: WholeNetwork, ends: list[bytes], file: BinaryIO) -> None:
        """The lines, after the first part in ``file``."""
        pid, self.pid = self.pid, 0
        _, status = os.waitpid(pid, 0)
        if status != 0:
            for block in whole_edges(whole, ends, self.split):
                file.write(block)
            return
        file.flush()
        done = 0
        try:
            size = os.fstat(self.made.fileno()).st_size
            while done < size:  # in the kernel, from file to file
                step = os.copy_file_range(self.made.fileno(), file.fileno(), size - done, done)
                if not step:
                    break
                done += step
            file.seek(0, os.SEEK_END)  # the writer's idea of where it is, after the copy
        except (AttributeError, OSError, ValueError):  # not files both (a pipe, a buffer)
            self.made.seek(done)
            shutil.copyfileobj(self.made, file, 1 << 24)

    def close(self) -> None:
        """Stop the process if it still runs, and drop its file."""
        if self.pid:
            pid, self.pid = self.pid, 0
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.made.close()


def even_split(whole: WholeNetwork, keep: float) -> int:
    """The edge from which on the lines are made in the forked process, this one keeping a
    ``keep`` share of the work, reckoned by the items of the groups each part makes texts
    of (the edges first come to the groups of many items: at 10M triples the first half of
    the edges makes twice as many texts of items as the second)."""
    shared = whole.shared
    kept = sum(2 + len(items) for _, _, items in shared) * keep
    seen: set[int] = set()
    done = 0
    for k, group in enumerate(whole.groups):
        if group not in seen:
            seen.add(group)
            done += 2 + len(shared[group][2])
            if done >= kept:
                return k
    return len(whole.groups)


def whole_edges(whole: WholeNetwork, ends: list[bytes], start: int = 0,
                stop: int | None = None) -> Iterator[bytes]:
    """The lines of the edges ``start`` to ``stop`` of ``whole`` (``ends``: each node's id
    quoted for XML), ``GEXF_CHUNK`` at a time. Each text after the ends is made once for the
    edges of a group (``WholeNetwork.groups``), when the first of a chunk's edges needs it,
    and dropped after the last; the lines are joined by compiled code (``map``, ``zip``,
    ``join``)."""
    stop = len(whole.groups) if stop is None else stop
    at = whole.groups[start:stop]
    last = dict(zip(at, range(start, stop), strict=True))
    sources = list(map(ends.__getitem__, map(itemgetter(0), whole.ends[start:stop])))
    targets = list(map(ends.__getitem__, map(itemgetter(1), whole.ends[start:stop])))
    attvalues = _Attvalues(GEXF_EDGE_ATTRIBUTES, {})
    group_data, shared, own = whole.group_data, whole.shared, whole.own
    items_text = ItemsText(whole.summaries.weights)
    made: list[dict[str, Any]] = []  # kept: ``attvalues`` knows their entries by id
    texts: dict[int, bytes] = {}
    for begin in range(start, stop, GEXF_CHUNK):
        end = min(begin + GEXF_CHUNK, stop)
        chunk = at[begin - start:end - start]
        needed = set(chunk)
        for k in needed:
            if k not in texts:
                text = None if k in own else items_text(shared[k][2])
                if text is None:
                    data = group_data(k)
                    made.append(data)
                    text = edge_text(data, attvalues)
                texts[k] = text.encode()
        yield b"".join(chain.from_iterable(zip(
            map(b'<edge id="%d" source='.__mod__, range(begin, end)),
            sources[begin - start:end - start], repeat(b" target="),
            targets[begin - start:end - start], map(texts.__getitem__, chunk),
            repeat(b"\n"))))
        for k in needed:
            if last[k] < end:
                del texts[k]
