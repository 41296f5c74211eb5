"""Partner networks at scale: centrality of big networks from igraph's compiled code with the
values networkx defines (the same betweenness, exact or from the same sampled sources; a
reproducible Louvain partition), and a streamed GEXF that escapes every value."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.network.export import (
    EXACT_BETWEENNESS_MAX,
    _communities,
    add_centrality,
    betweenness_centrality,
)


@pytest.fixture(scope="module")
def big_network() -> nx.Graph:
    graph = nx.gnm_random_graph(EXACT_BETWEENNESS_MAX + 100, 3000, seed=7)
    graph = nx.relabel_nodes(graph, {n: f"https://example.org/agency/{n}" for n in graph})
    for k, (_, _, data) in enumerate(graph.edges(data=True)):
        data["weight"] = 1 + k % 5
    return graph


def test_exact_betweenness_is_networkxs():
    graph = nx.relabel_nodes(nx.karate_club_graph(), str)
    expected = nx.betweenness_centrality(graph)
    assert betweenness_centrality(graph) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", [0, 3])
def test_sampled_betweenness_is_networkxs_with_the_same_sources(big_network, seed):
    expected = nx.betweenness_centrality(big_network, k=100, seed=seed)
    found = betweenness_centrality(big_network, 100, seed)
    assert found == pytest.approx(expected, abs=1e-12)
    assert max(found.values()) > 0


def test_tiny_networks_have_no_betweenness():
    graph = nx.Graph([("a", "b")])
    assert betweenness_centrality(graph) == {"a": 0.0, "b": 0.0}


def test_big_network_communities_are_a_reproducible_partition(big_network):
    first = _communities(big_network, seed=0, tries=1)
    assert sorted(map(sorted, first)) == sorted(map(sorted, _communities(big_network, 0, 1)))
    assert set().union(*first) == set(big_network)
    assert sum(map(len, first)) == big_network.number_of_nodes()
    assert 1 < len(first) < big_network.number_of_nodes()
    assert nx.community.modularity(big_network, first, weight="weight") > 0.2


def test_add_centrality_on_a_big_network_says_it_sampled(big_network):
    graph = add_centrality(big_network.copy())
    assert graph.graph["betweenness"] == "sampled (k=100)"
    assert graph.graph["communities"] == len({d["community"] for _, d in graph.nodes(data=True)})


def test_gexf_streams_and_escapes_every_value(tmp_path, monkeypatch):
    """Names and evidence with XML's and JSON's special characters read back unchanged, also
    across the writer's chunks."""
    import json
    import xml.etree.ElementTree as ET

    from graph.network import gexf

    monkeypatch.setattr(gexf, "GEXF_CHUNK", 3)
    odd = "O'Brien & \"Sons\" <Customs>\ttab"
    graph = nx.Graph(level="agency")
    evidence = [{"iri": "https://example.org/a?x=1&y='2'", "label": odd, "weight": 1}]
    graph.add_node("https://example.org/a&b", label=odd, kind="agency")
    graph.add_node("https://example.org/c", label="plain", kind="agency")
    graph.add_edge("https://example.org/a&b", "https://example.org/c", weight=2,
                   spells=[("2019-01-01", "2019-12-31")], agreements=evidence,
                   events=[{"iri": "https://example.org/e", "label": "Talks – 2019"}],
                   basis="curated", headline_only=False, confidence=None)
    add_centrality(graph)
    path = tmp_path / "odd.gexf"
    gexf.write_gexf(graph, path)
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    labels = {n.get("id"): n.get("label") for n in root.iterfind(".//g:node", ns)}
    assert labels == {"https://example.org/a&b": odd, "https://example.org/c": "plain"}
    edge = root.find(".//g:edge", ns)
    values = {v.get("for"): v.get("value") for v in edge.iterfind(".//g:attvalue", ns)}
    titles = [title for title, _ in gexf.GEXF_EDGE_ATTRIBUTES]
    assert json.loads(values[str(titles.index("agreements"))]) == evidence
    assert json.loads(values[str(titles.index("events"))])[0]["label"] == "Talks – 2019"
    assert values[str(titles.index("headline_only"))] == "false"
    read = nx.read_gexf(path)
    assert read.number_of_edges() == 1
