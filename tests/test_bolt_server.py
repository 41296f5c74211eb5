"""The Bolt test server, and the Cypher a Neo4j mirror of the graph relies on.

Every test but the ArcadeDB-only ones at the end holds on Neo4j 5 as well (run them against one
by setting NEO4J_URI, see ``neo4j_fixtures``). ``docs/neo4j-arcadedb-notes.md`` lists where
ArcadeDB's Cypher differs.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import neo4j
import pytest
from bolt_test_server import BoltServerError, BoltSettings, BoltTestServer
from neo4j.exceptions import ConstraintError
from neo4j.time import Date

# The fixtures (bolt_server, neo4j_driver, empty_bolt_db). Registered as a plugin, a module is
# loaded once however many test modules or conftests name it: one server per session.
pytest_plugins = ["neo4j_fixtures"]

UNIQUE_URI = (
    "CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (n:Resource) REQUIRE n.uri IS UNIQUE"
)
MERGE_NODES = "UNWIND $rows AS row MERGE (n:Resource {uri: row.uri}) SET n += row.props"
MERGE_RELS = (
    "UNWIND $rows AS row "
    "MATCH (a:Resource {uri: row.s}) MATCH (b:Resource {uri: row.o}) "
    "MERGE (a)-[r:PARTY_TO]->(b) SET r += row.props"
)


def run(driver: neo4j.Driver, db: str, query: str, **params: object) -> neo4j.EagerResult:
    return driver.execute_query(query, params, database_=db)


def label_counts(driver: neo4j.Driver, db: str) -> dict[tuple[str, ...], int]:
    """``{sorted labels: node count}``; ArcadeDB sorts labels, Neo4j keeps no set order."""
    records = run(driver, db, "MATCH (n) RETURN labels(n) AS labels, count(*) AS n").records
    counts: Counter[tuple[str, ...]] = Counter()
    for record in records:
        counts[tuple(sorted(record["labels"]))] += record["n"]
    return dict(counts)


def type_counts(driver: neo4j.Driver, db: str) -> dict[str, int]:
    records = run(driver, db, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n").records
    return {record["t"]: record["n"] for record in records}


def is_arcadedb(driver: neo4j.Driver) -> bool:
    return "ArcadeDB" in driver.get_server_info().agent


def load_nodes(driver: neo4j.Driver, db: str, rows: list[dict[str, Any]]) -> None:
    """The mirror's node load: MERGE by uri, then one statement per extra label."""
    run(driver, db, UNIQUE_URI)
    run(driver, db, MERGE_NODES, rows=[{"uri": r["uri"], "props": r["props"]} for r in rows])
    by_label: dict[str, list[object]] = {}
    for row in rows:
        for label in row.get("labels", []):
            by_label.setdefault(str(label), []).append(row["uri"])
    for label, uris in by_label.items():
        assert label.isidentifier()  # labels are inlined, so they must be plain names
        run(driver, db, f"UNWIND $uris AS u MATCH (n:Resource {{uri: u}}) SET n:{label}", uris=uris)


# -- the server ---------------------------------------------------------------------------


def test_server_answers_bolt(neo4j_driver: neo4j.Driver, bolt_server: BoltSettings) -> None:
    neo4j_driver.verify_connectivity()
    records = run(neo4j_driver, bolt_server.database, "RETURN 1 + 1 AS two").records
    assert records[0]["two"] == 2
    assert neo4j_driver.get_server_info().agent.startswith("Neo4j/")


def test_settings_from_env() -> None:
    env = {"NEO4J_URI": "bolt://db.example:7687", "NEO4J_PASSWORD": "pw"}
    expected = BoltSettings("bolt://db.example:7687", "neo4j", "pw", "neo4j")
    assert BoltSettings.from_env(env) == expected
    with pytest.raises(BoltServerError):
        BoltSettings.from_env({})


def test_failed_start_reports_the_log_tail(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'no arcadedb here' >&2\nexit 3\n")
    fake.chmod(0o755)
    server = BoltTestServer(python=str(fake), root_dir=tmp_path / "root", start_timeout=20)
    with pytest.raises(BoltServerError) as failure:
        server.start()
    message = str(failure.value)
    assert "exited (code 3)" in message and "no arcadedb here" in message
    assert not server.running


def test_missing_interpreter_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BoltServerError, match="cannot run"):
        BoltTestServer(python=str(tmp_path / "nope"), root_dir=tmp_path / "root").start()


def test_a_second_server_starts_and_stops_cleanly() -> None:
    pytest.importorskip("arcadedb_embedded")
    with BoltTestServer(database="other", heap_size="512m") as server:
        root = server.root_dir
        assert root is not None and root.is_dir()
        with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
            assert run(d, "other", "RETURN 'ok' AS s").records[0]["s"] == "ok"
        port = server.bolt_port
    assert not server.running
    assert not root.exists()  # a temporary root is removed
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more


# -- Cypher the mirror uses -----------------------------------------------------------------


def test_uniqueness_constraint(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    first = run(driver, db, UNIQUE_URI).summary.counters
    again = run(driver, db, UNIQUE_URI).summary.counters  # IF NOT EXISTS: a no-op
    assert again.constraints_added == 0
    assert first.constraints_added in (0, 1)  # 0 when an earlier test made it
    shown = run(
        driver, db,
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
        "WHERE 'Resource' IN labelsOrTypes RETURN name, type, properties",
    ).records
    assert any(r["type"] == "UNIQUENESS" and r["properties"] == ["uri"] for r in shown)
    run(driver, db, "CREATE (:Resource {uri: 'urn:x'})")
    with pytest.raises(ConstraintError):
        run(driver, db, "CREATE (:Resource {uri: 'urn:x'})")
    # A failed statement changes nothing, even rows before the bad one.
    with pytest.raises(ConstraintError):
        run(driver, db, "UNWIND $u AS u CREATE (:Resource {uri: u})", u=["urn:y", "urn:x"])
    assert run(driver, db, "MATCH (n:Resource) RETURN count(n) AS c").records[0]["c"] == 1


def test_batch_merge_then_labels(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    rows: list[dict[str, Any]] = [
        {"uri": f"urn:agency:{i}", "props": {"name": f"Agency {i}"}, "labels": ["Agency"]}
        for i in range(30)
    ] + [
        {"uri": f"urn:country:{i}", "props": {"code": f"C{i}"}, "labels": ["Country"]}
        for i in range(20)
    ] + [
        {"uri": "urn:both", "props": {}, "labels": ["Agency", "Customs"]},
        {"uri": "urn:plain", "props": {"note": "no extra label"}, "labels": []},
    ]
    load_nodes(driver, db, rows)
    expected = {
        ("Agency", "Resource"): 30,
        ("Country", "Resource"): 20,
        ("Agency", "Customs", "Resource"): 1,
        ("Resource",): 1,
    }
    assert label_counts(driver, db) == expected

    # Loading again is idempotent: MERGE matches, SET of a present label adds none.
    merge_rows = [{"uri": r["uri"], "props": r["props"]} for r in rows]
    assert run(driver, db, MERGE_NODES, rows=merge_rows).summary.counters.nodes_created == 0
    load_nodes(driver, db, rows)
    assert label_counts(driver, db) == expected

    name = run(driver, db, "MATCH (n:Agency {uri: 'urn:agency:7'}) RETURN n.name AS name")
    assert name.records[0]["name"] == "Agency 7"
    labels = run(driver, db, "CALL db.labels() YIELD label RETURN collect(label) AS l").records
    assert {"Resource", "Agency", "Country", "Customs"} <= set(labels[0]["l"])


def test_merge_with_set_label_in_one_statement(
    empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    """Works in an auto-commit statement. On ArcadeDB the same statement in an explicit or
    managed transaction fails under the uniqueness constraint (pinned below)."""
    driver, db = empty_bolt_db, bolt_server.database
    run(driver, db, UNIQUE_URI)
    rows = [{"uri": "urn:a"}, {"uri": "urn:b"}, {"uri": "urn:a"}]
    query = "UNWIND $rows AS row MERGE (n:Resource {uri: row.uri}) SET n:Agency"
    with driver.session(database=db) as session:
        assert session.run(query, rows=rows).consume().counters.nodes_created == 2
        session.run(query, rows=rows).consume()
    assert label_counts(driver, db) == {("Agency", "Resource"): 2}


def test_relationships_with_properties(
    empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    load_nodes(driver, db, [{"uri": f"urn:n:{i}", "props": {}} for i in range(10)])
    rels = [
        {"s": f"urn:n:{i}", "o": f"urn:n:{(i + 1) % 10}",
         "props": {"since": Date(2000 + i, 1, 1), "roles": ["signatory", f"r{i}"], "w": i / 2}}
        for i in range(10)
    ]
    assert run(driver, db, MERGE_RELS, rows=rels).summary.counters.relationships_created == 10
    assert run(driver, db, MERGE_RELS, rows=rels).summary.counters.relationships_created == 0
    run(
        driver, db,
        "UNWIND $rows AS row MATCH (a:Resource {uri: row.s}) MATCH (b:Resource {uri: row.o}) "
        "MERGE (a)-[r:MEMBER_OF]->(b)",
        rows=[{"s": "urn:n:0", "o": "urn:n:5"}, {"s": "urn:n:1", "o": "urn:n:5"}],
    )
    assert type_counts(driver, db) == {"PARTY_TO": 10, "MEMBER_OF": 2}
    record = run(
        driver, db,
        "MATCH (:Resource {uri: 'urn:n:3'})-[r:PARTY_TO]->(b) "
        "RETURN r.since AS since, r.roles AS roles, r.w AS w, b.uri AS o, type(r) AS t",
    ).records[0]
    assert record["since"] == Date(2003, 1, 1) and isinstance(record["since"], Date)
    assert record["roles"] == ["signatory", "r3"]
    assert record["w"] == 1.5 and record["o"] == "urn:n:4"
    relationship_types = run(
        driver, db, "CALL db.relationshipTypes() YIELD relationshipType AS t RETURN collect(t) AS l"
    ).records[0]["l"]
    assert {"PARTY_TO", "MEMBER_OF"} <= set(relationship_types)
    degree = run(
        driver, db,
        "MATCH (n:Resource {uri: 'urn:n:5'}) RETURN count { (n)<--() } AS indegree",
    ).records[0]["indegree"]
    assert degree == 3


def test_lists_and_dates(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    run(driver, db, UNIQUE_URI)
    run(driver, db, "CREATE INDEX resource_signed IF NOT EXISTS FOR (n:Resource) ON (n.signed)")
    rows = [
        {"uri": "urn:ag:1", "props": {
            "signed": Date(1999, 12, 31), "dates": [Date(2001, 2, 3), Date(2004, 5, 6)],
            "names": ["Accord", "Agreement"], "years": [1999, 2004], "scores": [0.5, 1.25],
        }},
        {"uri": "urn:ag:2", "props": {"signed": dt.date(2010, 6, 30), "names": []}},
    ]
    run(driver, db, MERGE_NODES, rows=rows)
    first = run(driver, db, "MATCH (n:Resource {uri: 'urn:ag:1'}) RETURN n").records[0]["n"]
    assert first["signed"] == Date(1999, 12, 31) and type(first["signed"]) is Date
    assert first["signed"].to_native() == dt.date(1999, 12, 31)
    assert first["dates"] == [Date(2001, 2, 3), Date(2004, 5, 6)]
    assert first["names"] == ["Accord", "Agreement"]
    assert first["years"] == [1999, 2004] and first["scores"] == [0.5, 1.25]
    assert set(first.labels) == {"Resource"}
    second = run(driver, db, "MATCH (n:Resource {uri: 'urn:ag:2'}) RETURN n").records[0]["n"]
    assert second["signed"] == Date(2010, 6, 30)  # a datetime.date parameter comes back as Date
    assert second["names"] == []

    after = run(
        driver, db,
        "MATCH (n:Resource) WHERE n.signed >= $d RETURN collect(n.uri) AS uris", d=Date(2000, 1, 1),
    ).records[0]["uris"]
    assert after == ["urn:ag:2"]
    computed = run(
        driver, db,
        "MATCH (n:Resource {uri: 'urn:ag:1'}) "
        "RETURN n.signed.year AS y, n.signed + duration({days: 1}) AS next, "
        "date('2001-02-03') IN n.dates AS found, toString(n.signed) AS text, size(n.names) AS k",
    ).records[0]
    assert computed["y"] == 1999 and computed["next"] == Date(2000, 1, 1)
    assert computed["found"] is True and computed["text"] == "1999-12-31" and computed["k"] == 2


def test_set_with_a_map_and_nulls(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    run(driver, db, "CREATE (:Resource $props)", props={"uri": "urn:m", "a": 1, "b": 2})
    run(driver, db, "MATCH (n:Resource {uri: 'urn:m'}) SET n += $p", p={"a": None, "c": [3]})
    props = run(driver, db, "MATCH (n:Resource {uri: 'urn:m'}) RETURN properties(n) AS p")
    assert props.records[0]["p"] == {"uri": "urn:m", "b": 2, "c": [3]}  # null removes 'a'
    run(driver, db, "MATCH (n:Resource {uri: 'urn:m'}) SET n = $p", p={"uri": "urn:m", "d": "x"})
    props = run(driver, db, "MATCH (n:Resource {uri: 'urn:m'}) RETURN properties(n) AS p")
    assert props.records[0]["p"] == {"uri": "urn:m", "d": "x"}  # '=' replaces every property


def test_detach_delete(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    load_nodes(driver, db, [{"uri": f"urn:d:{i}", "props": {}} for i in range(4)])
    run(driver, db, MERGE_RELS, rows=[
        {"s": "urn:d:0", "o": f"urn:d:{i}", "props": {}} for i in range(1, 4)
    ])
    with pytest.raises(neo4j.exceptions.Neo4jError):  # plain DELETE of a connected node
        run(driver, db, "MATCH (n:Resource {uri: 'urn:d:0'}) DELETE n")
    deleted = run(driver, db, "MATCH (n:Resource {uri: 'urn:d:0'}) DETACH DELETE n")
    counters = deleted.summary.counters
    assert counters.nodes_deleted == 1 and counters.relationships_deleted == 3
    assert type_counts(driver, db) == {}
    assert label_counts(driver, db) == {("Resource",): 3}
    run(driver, db, "MATCH (n) DETACH DELETE n")
    assert label_counts(driver, db) == {}


def test_explicit_transaction_rollback_and_commit(
    empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    run(driver, db, UNIQUE_URI)
    with driver.session(database=db) as session:
        tx = session.begin_transaction()
        tx.run("CREATE (:Resource {uri: 'urn:tx:1'})").consume()
        assert tx.run("MATCH (n:Resource) RETURN count(n) AS c").single(strict=True)["c"] == 1
        tx.rollback()
    assert run(driver, db, "MATCH (n:Resource) RETURN count(n) AS c").records[0]["c"] == 0

    def write(tx: neo4j.ManagedTransaction) -> None:
        tx.run("UNWIND $u AS u MERGE (:Resource {uri: u})", u=["urn:tx:2", "urn:tx:3"]).consume()

    with driver.session(database=db) as session:
        session.execute_write(write)
    assert run(driver, db, "MATCH (n:Resource) RETURN count(n) AS c").records[0]["c"] == 2

    # A failure inside a transaction undoes the statements before it.
    with pytest.raises(ConstraintError), driver.session(database=db) as session:
        with session.begin_transaction() as tx:
            tx.run("CREATE (:Resource {uri: 'urn:tx:4'})").consume()
            tx.run("CREATE (:Resource {uri: 'urn:tx:2'})").consume()
            tx.commit()
    assert run(driver, db, "MATCH (n:Resource) RETURN count(n) AS c").records[0]["c"] == 2


def test_call_in_transactions(empty_bolt_db: neo4j.Driver, bolt_server: BoltSettings) -> None:
    driver, db = empty_bolt_db, bolt_server.database
    with driver.session(database=db) as session:  # auto-commit, as Neo4j requires
        session.run(
            "UNWIND range(1, 25) AS i CALL (i) { CREATE (:Resource {uri: 'urn:it:' + i}) } "
            "IN TRANSACTIONS OF 10 ROWS"
        ).consume()
        session.run(
            "MATCH (n:Resource) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 7 ROWS"
        ).consume()
    assert label_counts(driver, db) == {}


# -- ArcadeDB-only: pinned differences (a failure here means ArcadeDB changed; update the notes)


@pytest.fixture
def arcadedb(empty_bolt_db: neo4j.Driver) -> neo4j.Driver:
    if not is_arcadedb(empty_bolt_db):
        pytest.skip("pins ArcadeDB behaviour")
    return empty_bolt_db


def test_arcadedb_element_id_changes_with_labels(
    arcadedb: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    db = bolt_server.database
    run(arcadedb, db, "CREATE (:Resource {uri: 'urn:e'})")
    get = "MATCH (n:Resource {uri: 'urn:e'}) RETURN elementId(n) AS e"
    before = run(arcadedb, db, get).records[0]["e"]
    run(arcadedb, db, "MATCH (n:Resource {uri: 'urn:e'}) SET n:Agency")
    after = run(arcadedb, db, get).records[0]["e"]
    assert before != after, "elementId is now stable across label changes"
    assert before.startswith("#") and ":" in before  # a record id, '#bucket:position'


def test_arcadedb_relabel_of_a_node_created_in_the_same_transaction_fails(
    arcadedb: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    # Neo4j allows this. ArcadeDB moves a relabelled record to another type and, inside one
    # explicit transaction, finds the node's own uncommitted index entry: DuplicatedKeyException.
    db = bolt_server.database
    run(arcadedb, db, UNIQUE_URI)
    with pytest.raises(ConstraintError):  # execute_query runs in a managed transaction
        run(arcadedb, db, "MERGE (n:Resource {uri: 'urn:r'}) SET n:Agency")

    def create_then_label(tx: neo4j.ManagedTransaction) -> None:
        tx.run("MERGE (:Resource {uri: 'urn:r'})").consume()
        tx.run("MATCH (n:Resource {uri: 'urn:r'}) SET n:Agency").consume()

    with pytest.raises(ConstraintError), arcadedb.session(database=db) as session:
        session.execute_write(create_then_label)
    assert label_counts(arcadedb, db) == {}
    # Committed first, relabelled in a later transaction: fine.
    run(arcadedb, db, "MERGE (:Resource {uri: 'urn:r'})")
    run(arcadedb, db, "MATCH (n:Resource {uri: 'urn:r'}) SET n:Agency")
    assert label_counts(arcadedb, db) == {("Agency", "Resource"): 1}


def test_arcadedb_dynamic_label_in_merge_pattern_is_dropped(
    arcadedb: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    db = bolt_server.database
    rows = [{"u": "urn:x", "l": "Agency"}]
    run(arcadedb, db, "UNWIND $r AS r MERGE (n:$(r.l) {uri: r.u})", r=rows)
    assert label_counts(arcadedb, db) == {(): 1}, "MERGE (n:$(expr)) now sets the label"
    run(arcadedb, db, "UNWIND $r AS r MATCH (n {uri: r.u}) SET n:$(r.l)", r=rows)
    assert label_counts(arcadedb, db) == {("Agency",): 1}  # SET n:$(expr) works


def test_arcadedb_session_without_database_reuses_the_last_one(
    arcadedb: neo4j.Driver, bolt_server: BoltSettings
) -> None:
    # A pooled connection remembers the database of its previous session: database=None is
    # not "the default database". Pinned because it makes a missing database= hard to spot.
    with neo4j.GraphDatabase.driver(
        bolt_server.uri, auth=(bolt_server.user, bolt_server.password), max_connection_pool_size=1
    ) as driver:
        with pytest.raises(neo4j.exceptions.ClientError), driver.session(database="missing") as s:
            s.run("RETURN 1").consume()
        with pytest.raises(neo4j.exceptions.ClientError, match="missing"), driver.session() as s:
            s.run("RETURN 1").consume()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
