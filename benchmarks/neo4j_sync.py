"""Neo4j mirror figures for ``benchmarks/run.py --neo4j``: a full sync of the benchmark store,
the same rows written by bare ``UNWIND … CREATE`` batches (the floor), and an incremental sync
after one small source changed.

The server is the one ``NEO4J_URI`` names (``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``; its database is emptied), else an ArcadeDB Bolt test server started here
(``tests/bolt_test_server.py``) with two databases: one for the bare writes, one for the mirror.
Also runnable alone on a kept store: ``python benchmarks/neo4j_sync.py STORE_DIR``.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import neo4j
from common import ROOT, SMALL_SOURCE, log, report, timed

sys.path.insert(0, str(ROOT / "tests"))  # the test Bolt server lives with the tests
from bolt_test_server import BoltSettings, BoltTestServer  # noqa: E402

from graph.neo4j.mapping import RESOURCE
from graph.neo4j.mirror import (
    BATCH_SIZE,
    Neo4jSettings,
    connect,
    mirror_status,
    mirror_to_neo4j,
)
from graph.neo4j.projection import Projection, project_all
from graph.store import OxigraphStore
from loaders.load import load_paths


@contextmanager
def bolt_databases() -> Iterator[tuple[Neo4jSettings, Neo4jSettings, str]]:
    """Settings for the bare writes and for the mirror, and what the server is."""
    if os.environ.get("NEO4J_URI"):
        env = BoltSettings.from_env()
        settings = Neo4jSettings(env.uri, env.user, env.password, env.database)
        yield settings, settings, "NEO4J_URI"
        return
    with BoltTestServer(database="kg", heap_size="4g") as server:
        token = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
        request = urllib.request.Request(
            server.http_url + "/api/v1/server", method="POST",
            data=json.dumps({"command": "create database kg_raw"}).encode(),
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60):
            pass
        mirror = Neo4jSettings(server.uri, server.user, server.password, server.database)
        raw = Neo4jSettings(server.uri, server.user, server.password, "kg_raw")
        yield raw, mirror, "ArcadeDB test server (arcadedb-embedded, heap 4g)"


def empty(driver: neo4j.Driver, database: str) -> None:
    """Delete every node of ``database``, in batches (not timed)."""
    while True:
        records = driver.execute_query("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n "
                                       "RETURN count(*) AS n", database_=database).records
        if not records or not records[0]["n"]:
            return


def write_raw(driver: neo4j.Driver, database: str, projection: Projection,
              batch_size: int = BATCH_SIZE) -> None:
    """The projection's rows by bare ``UNWIND … CREATE`` batches: nodes per label set, then
    relationships per type matched by ``uri`` (under the uniqueness constraint that makes that
    match an index lookup)."""
    driver.execute_query(f"CREATE CONSTRAINT raw_uri IF NOT EXISTS FOR (n:{RESOURCE}) "
                         "REQUIRE n.uri IS UNIQUE", database_=database)
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in projection.nodes.values():
        nodes[node.labels].append(node.props)
    for labels, rows in nodes.items():
        query = f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row"
        for i in range(0, len(rows), batch_size):
            driver.execute_query(query, {"rows": rows[i:i + batch_size]}, database_=database)
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rel in projection.rels:
        rels[rel.type].append({"a": rel.start, "b": rel.end, "props": rel.props})
    for rel_type, rows in rels.items():
        query = (f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{uri: row.a}}) "
                 f"MATCH (b:{RESOURCE} {{uri: row.b}}) CREATE (a)-[r:{rel_type}]->(b) "
                 "SET r = row.props")
        for i in range(0, len(rows), batch_size):
            driver.execute_query(query, {"rows": rows[i:i + batch_size]}, database_=database)


def changed_small_source(text: str) -> str:
    """The small source with one event's host and one topic changed."""
    changed = text.replace("    host: Federal Customs Service of Russia\n",
                           "    host: General Department of Vietnam Customs\n")
    return changed.replace("      - staff training\n", "")


def measure_neo4j(store_dir: Path, workdir: Path) -> dict[str, Any]:
    """Load a small source into the benchmark store, then time the bare writes, a full sync
    and an incremental sync after that source changed; the figures."""
    small = workdir / "neo4j-small-source.yaml"
    small.write_text(SMALL_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    store = OxigraphStore(store_dir, writable=True)
    try:
        load_paths(store, [small])
        log("neo4j: projecting the store (for the bare writes)")
        read_s, projection = timed(lambda: project_all(store))
        nodes, rels = len(projection.nodes), len(projection.rels)
        log(f"neo4j: {nodes:,} nodes, {rels:,} relationships read in {read_s:.1f} s")
        figures: dict[str, Any] = {"neo4j_nodes": nodes, "neo4j_relationships": rels,
                                   "neo4j_read_s": round(read_s, 2)}
        with bolt_databases() as (raw_settings, settings, server):
            figures["neo4j_server"] = server
            driver = connect(raw_settings)
            try:
                figures["neo4j_server_agent"] = driver.get_server_info().agent

                def bare_writes(run: int) -> float:
                    empty(driver, raw_settings.database)
                    log(f"neo4j: bare UNWIND … CREATE of the same rows, run {run}")
                    seconds, _ = timed(lambda: write_raw(driver, raw_settings.database,
                                                         projection))
                    log(f"neo4j: bare writes {seconds:.1f} s")
                    empty(driver, raw_settings.database)
                    return seconds

                # Bare writes before and after the syncs, so that neither side alone gets the
                # server's warm-up (its first big write runs slower).
                raw_runs = [bare_writes(1)]
                log("neo4j: full sync")
                sync_s, report = timed(lambda: mirror_to_neo4j(store, settings, full=True))
                log(f"neo4j: full sync {sync_s:.1f} s")
                small.write_text(changed_small_source(small.read_text(encoding="utf-8")),
                                 encoding="utf-8")
                load_paths(store, [small])
                log("neo4j: incremental sync after changing the small source")
                incremental_s, incremental = timed(lambda: mirror_to_neo4j(store, settings))
                log(f"neo4j: incremental sync {incremental_s:.1f} s")
                noop_s, noop = timed(lambda: mirror_to_neo4j(store, settings))
                status_s, status = timed(lambda: mirror_status(store, settings))
                raw_runs.append(bare_writes(2))
            finally:
                driver.close()
    finally:
        store.close()
    figures.update({
        "neo4j_sync_s": round(sync_s, 2),
        "neo4j_sync_nodes": report.nodes,
        "neo4j_sync_relationships": report.relationships,
        "neo4j_raw_s": round(min(raw_runs), 2),
        "neo4j_raw_runs_s": [round(x, 2) for x in raw_runs],
        "neo4j_sync_vs_raw": round(sync_s / min(raw_runs), 2),
        "neo4j_incremental_s": round(incremental_s, 2),
        "neo4j_incremental_nodes": incremental.nodes,
        "neo4j_incremental_relationships": incremental.relationships,
        "neo4j_incremental_writes": incremental.writes,
        "neo4j_noop_sync_s": round(noop_s, 2),
        "neo4j_noop_sync_writes": noop.writes,
        "neo4j_status_s": round(status_s, 2),
        "neo4j_status_in_sync": status.in_sync,
    })
    return figures


def main(argv: list[str]) -> int:
    """Measure on a kept benchmark store (``run.py --keep DIR`` leaves it in ``DIR/store``)."""
    if len(argv) != 1:
        print("usage: python benchmarks/neo4j_sync.py STORE_DIR", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="customs-kg-neo4j-") as workdir:
        report(measure_neo4j(Path(argv[0]), Path(workdir)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
