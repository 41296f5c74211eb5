"""What only a Virtuoso shows of the remote store (its limits, its authentication, its own
graphs), and the CLI run against it as a team would. The protocol suite itself runs on
Virtuoso in tests/test_stores.py (the ``[virtuoso]`` cases)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from needs import unavailable
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat
from virtuoso_server import RESULT_SET_MAX_ROWS, VirtuosoServer, virtuoso

from cli import cli
from graph.errors import StoreError
from graph.store import STORE_ENV
from graph.store.endpoint import (
    DATA_URL_ENV,
    PASSWORD_ENV,
    QUERY_URL_ENV,
    UPDATE_URL_ENV,
    USER_ENV,
    SparqlEndpointStore,
)

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "data" / "seed-003-vietnam-russia-talks.yaml"
G = NamedNode("http://example.org/graph/virtuoso")
VIRTRDF = NamedNode("http://www.openlinksw.com/schemas/virtrdf#")


@pytest.fixture(scope="session")
def virtuoso_server() -> VirtuosoServer:
    return virtuoso(unavailable)


def _environment(server: VirtuosoServer) -> dict[str, str]:
    """What a team sets to point customs-kg at a Virtuoso: the store URL, the three URLs of
    its authenticated services, and the account."""
    return {STORE_ENV: server.http_url, QUERY_URL_ENV: server.auth_url,
            UPDATE_URL_ENV: server.auth_url, DATA_URL_ENV: server.crud_url,
            USER_ENV: server.user, PASSWORD_ENV: server.password}


@pytest.fixture
def virtuoso_store(virtuoso_server, monkeypatch) -> Iterator[SparqlEndpointStore]:
    """An emptied store on the test Virtuoso, configured from the environment."""
    for name, value in _environment(virtuoso_server).items():
        monkeypatch.setenv(name, value)
    store = SparqlEndpointStore.from_url(virtuoso_server.http_url)
    store.drop_graphs(store.named_graphs())
    yield store
    store.drop_graphs(store.named_graphs())


def test_virtuoso_own_graphs_are_hidden_and_kept(virtuoso_store, virtuoso_server):
    store = virtuoso_store
    assert store.named_graphs() == [] and len(store) == 0
    store.add_quads([Quad(NamedNode("http://example.org/a"), NamedNode("http://example.org/p"),
                          Literal("x"), G)])
    assert store.named_graphs() == [G] and len(store) == 1
    store.drop_graphs(store.named_graphs())
    anonymous = SparqlEndpointStore(virtuoso_server.sparql_url)
    assert anonymous.ask(f"ASK {{ GRAPH {VIRTRDF} {{ ?s ?p ?o }} }}")


def test_virtuoso_row_limit_is_an_error_not_a_short_answer(virtuoso_store):
    store = virtuoso_store
    rows = RESULT_SET_MAX_ROWS + 5
    store.add_quads(Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"),
                         Literal(str(i)), G) for i in range(rows))
    assert len(store) == rows
    with pytest.raises(StoreError, match=f"cut the answer at {RESULT_SET_MAX_ROWS} rows"):
        store.select("SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match=rf"sent 100\d\d of the {rows} statements"):
        list(store.quads(G))
    with pytest.raises(StoreError, match="ResultSetMaxRows"):
        store.dump(io.BytesIO(), RdfFormat.N_QUADS)


def test_virtuoso_digest_authentication(virtuoso_server):
    url = virtuoso_server.auth_url
    for user, password in ((None, None), (virtuoso_server.user, "wrong")):
        store = SparqlEndpointStore(url, url, user=user, password=password)
        with pytest.raises(StoreError, match=r"authentication failed \(HTTP 401\)"):
            store.ask("ASK {}")
    store = SparqlEndpointStore(url, url, user=virtuoso_server.user,
                                password=virtuoso_server.password)
    assert store.ask("ASK {}") is True


def test_virtuoso_anonymous_services_read_but_cannot_write(virtuoso_store, virtuoso_server):
    virtuoso_store.add_quads([Quad(NamedNode("http://example.org/a"),
                                   NamedNode("http://example.org/p"), Literal("x"), G)])
    url = virtuoso_server.sparql_url
    reader = SparqlEndpointStore(url, data_url=virtuoso_server.http_url + "/sparql-graph-crud")
    assert reader.named_graphs() == [G] and len(list(reader.quads(G))) == 1
    with pytest.raises(StoreError, match="failed the update"):
        SparqlEndpointStore(url, url).update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> 1 } }")


def test_virtuoso_wrong_data_url_is_an_error_not_an_empty_graph(virtuoso_store, virtuoso_server):
    virtuoso_store.add_quads([Quad(NamedNode("http://example.org/a"),
                                   NamedNode("http://example.org/p"), Literal("x"), G)])
    url = virtuoso_server.sparql_url
    wrong = SparqlEndpointStore(url, data_url=virtuoso_server.http_url + "/store")
    with pytest.raises(StoreError, match=r"has no graph .* which holds 1 statements: check "
                                         r"\$CUSTOMS_KG_DATA_URL"):
        wrong.dump(io.BytesIO(), RdfFormat.N_QUADS)


def test_virtuoso_cli_load_then_links(virtuoso_store, virtuoso_server, tmp_path):
    """``customs-kg --store http://…`` loads a records file into Virtuoso and answers
    ``links`` exactly as the embedded store does after the same load."""
    runner = CliRunner()
    environment = _environment(virtuoso_server)
    embedded = str(tmp_path / "kg")
    outputs = {}
    for name, store, env in (("virtuoso", virtuoso_server.http_url, environment),
                             ("embedded", embedded, {})):
        loaded = runner.invoke(cli, ["--store", store, "load", str(RECORDS)], env=env)
        assert loaded.exit_code == 0, (name, loaded.output)
        again = runner.invoke(cli, ["--store", store, "load", str(RECORDS)], env=env)
        assert again.exit_code == 0, (name, again.output)
        env = {**env, STORE_ENV: store}  # the store from the environment this time
        links = runner.invoke(cli, ["links", "Vietnam", "Russia"], env=env)
        assert links.exit_code == 0, (name, links.output)
        outputs[name] = (loaded.output, again.output, links.output)
    assert "Joint Vietnam–Russia customs plan" in outputs["virtuoso"][2]
    assert outputs["virtuoso"] == outputs["embedded"]


def test_virtuoso_validate_reports_as_the_embedded_store(virtuoso_store, virtuoso_server,
                                                          tmp_path):
    """``customs-kg validate`` runs its shape checks on Virtuoso (no EXISTS inside COALESCE)
    and finds what the embedded store finds: nothing wrong in a curated file, and the
    violations of a file that breaks the shapes."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ckg: <https://w3id.org/customs-kg/ontology#> .\n"
                   "<https://example.org/agreement/x> a ckg:Agreement .\n", encoding="utf-8")
    runner = CliRunner()
    embedded = str(tmp_path / "kg")
    outputs = {}
    for name, store, env in (("virtuoso", virtuoso_server.http_url,
                              _environment(virtuoso_server)), ("embedded", embedded, {})):
        loaded = runner.invoke(cli, ["--store", store, "load", str(RECORDS)], env=env)
        assert loaded.exit_code == 0, (name, loaded.output)
        clean = runner.invoke(cli, ["--store", store, "validate"], env=env)
        assert clean.exit_code == 0, (name, clean.output)
        loaded = runner.invoke(cli, ["--store", store, "load", str(bad)], env=env)
        assert loaded.exit_code == 0, (name, loaded.output)
        broken = runner.invoke(cli, ["--store", store, "validate"], env=env)
        assert broken.exit_code == 1, (name, broken.output)
        # a file beside an embedded store is named relative to it, on a server in full
        outputs[name] = broken.output.replace(f"{tmp_path}/", "")
    assert "agreement/x" in outputs["virtuoso"]
    assert sorted(outputs["virtuoso"].splitlines()) == sorted(outputs["embedded"].splitlines())
