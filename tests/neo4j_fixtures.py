"""Fixtures for tests that need a real Bolt (Neo4j protocol) server.

Import them into ``conftest.py`` (``from neo4j_fixtures import bolt_server, neo4j_driver,
empty_bolt_db``, or ``pytest_plugins = ["neo4j_fixtures"]`` in the top-level conftest).

By default one ArcadeDB server (``bolt_test_server.BoltTestServer``) is started for the whole
session, on free loopback ports, and stopped at the end; it takes about 5 s to come up. A server
that cannot start fails the tests that use it with its log tail: nothing is skipped.

With ``NEO4J_URI`` set, no server is started: the tests run against that server, logging in with
``NEO4J_USERNAME``/``NEO4J_PASSWORD`` and using ``NEO4J_DATABASE`` (default ``neo4j``). Point it at
a throwaway database only: ``empty_bolt_db`` deletes every node in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import neo4j
import pytest
from bolt_test_server import BoltSettings, BoltTestServer


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoltSettings]:
    """Where the session's Bolt server is: ``uri``, ``user``, ``password``, ``database``."""
    if os.environ.get("NEO4J_URI"):
        yield BoltSettings.from_env()
        return
    # A root under pytest's temporary directory, so a failed run's server logs stay readable.
    root = tmp_path_factory.mktemp("arcadedb")
    with BoltTestServer(database="kg", root_dir=root) as server:
        yield server.settings


@pytest.fixture(scope="session")
def neo4j_driver(bolt_server: BoltSettings) -> Iterator[neo4j.Driver]:
    """One driver for the session. Always pass ``database=`` (see the ArcadeDB notes)."""
    driver = neo4j.GraphDatabase.driver(
        bolt_server.uri, auth=(bolt_server.user, bolt_server.password)
    )
    try:
        driver.verify_connectivity()
        yield driver
    finally:
        driver.close()


@pytest.fixture
def empty_bolt_db(neo4j_driver: neo4j.Driver, bolt_server: BoltSettings) -> neo4j.Driver:
    """The session's driver, after deleting every node and relationship in the test database.

    Constraints and indexes are kept (create them with ``IF NOT EXISTS``).
    """
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=bolt_server.database)
    return neo4j_driver
