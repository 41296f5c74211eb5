"""The whole-network projection made fast (graph/network/whole.py) gives the graph the plain
projection gives: ``evidence`` on every pair ``_links`` finds, nodes and edges in the same
order (the communities depend on it), at both levels, over a period, under certainty filters,
weights that are not whole, and for some items or around some nodes only. And the GEXF
writer's templates write what each value is."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from curated import EAEU, FCS, KZ, RU, SEEDS

from graph.network import (
    BASIS_RANK,
    Certainty,
    OrgFacts,
    Period,
    evidence,
    load_facts,
    parse_weights,
    project,
)
from graph.network.export import add_centrality
from graph.network.gexf import _Attvalues, write_gexf
from graph.network.partners import ANY_CERTAINTY, DEFAULT_WEIGHTS, _links
from graph.store import OxigraphStore
from loaders.load import load_paths


def plain_project(facts, level, period, items=None, around=None, weights=DEFAULT_WEIGHTS,
                  certainty=ANY_CERTAINTY) -> nx.Graph:
    """The projection as it was before graph/network/whole.py, edge by edge."""
    links = _links(facts, level, period, items, around, certainty)
    graph = nx.Graph()
    for (a, b), iris in sorted(links.items()):
        graph.add_edge(a, b, **evidence(facts, iris, (a, b), weights))
    for node, data in graph.nodes(data=True):
        org = facts.orgs.get(node) or OrgFacts(node)
        years = [y for _, _, e in graph.edges(node, data=True)
                 for y in (e["first_year"], e["last_year"]) if y is not None]
        basis = min((e["basis"] for _, _, e in graph.edges(node, data=True)),
                    key=BASIS_RANK.__getitem__)
        data.update(iri=node, label=facts.name(node), kind=org.kind,
                    country=facts.name(facts.top(node)) if org.kind == "agency" else None,
                    code=org.code, first_year=min(years) if years else None,
                    last_year=max(years) if years else None, basis=basis)
    return graph


def same_graph(found: nx.Graph, expected: nx.Graph) -> None:
    assert list(found.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(found.edges) == list(expected.edges)
    for a, b, data in expected.edges(data=True):
        got = found.edges[a, b]
        assert list(got) == list(data), (a, b)  # the same attributes, in the same order
        assert json.dumps(got) == json.dumps(data), (a, b)


@pytest.fixture(scope="module")
def facts(curated_store):
    return load_facts(curated_store)


CASES = {
    "whole": {},
    "period": {"period": Period("2015", "2020")},
    "curated only": {"certainty": Certainty(curated_only=True)},
    "min confidence": {"certainty": Certainty(min_confidence=0.7)},
    "uneven weights": {"weights": parse_weights("agreement=2.5,binding=4.25,event=0.1")},
    "uncapped": {"weights": parse_weights("summary_cap=none")},
}


@pytest.mark.parametrize("level", ["country", "agency"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_fast_projection_is_the_plain_one(facts, level, case):
    given = {"period": Period(), **CASES[case]}
    expected = plain_project(facts, level, **given)
    assert expected.number_of_edges() > 3
    same_graph(project(facts, level, **given), expected)


@pytest.mark.parametrize("level", ["country", "agency"])
def test_some_items_or_around_some_nodes(facts, level):
    items = sorted(facts.items_of([RU, FCS, KZ, EAEU]))
    around = {RU, FCS, EAEU}
    for given in ({"items": items}, {"around": around}, {"items": items, "around": around},
                  {"items": items + items[:3]}):
        expected = plain_project(facts, level, Period(), **given)
        assert expected.number_of_edges() > 0
        same_graph(project(facts, level, **given), expected)


EEC_MEETING = """\
source: {id: eec-vn, title: EEC and Vietnam}
events:
  - {id: eec-vn-meeting, kind: meeting, date: "2021-03",
     participants: [Eurasian Economic Commission, VN]}
"""


@pytest.mark.parametrize("level", ["country", "agency"])
def test_a_unions_body_and_its_members_say_so_edge_by_edge(tmp_path, level):
    """The edges whose evidence differs from edge to edge: a union in an event through its
    executive body (``body``), a member in an agreement through its union (``through``)."""
    path = tmp_path / "eec.yaml"
    path.write_text(EEC_MEETING, encoding="utf-8")
    store = OxigraphStore(None)
    try:
        load_paths(store, [*SEEDS, path])
        facts = load_facts(store)
    finally:
        store.close()
    expected = plain_project(facts, level, Period())
    same_graph(project(facts, level), expected)
    refs = [ref for _, _, d in expected.edges(data=True) for ref in d["agreements"] + d["events"]]
    # At the agency level the body is a node itself, and members' agencies stand for them.
    assert any("body" in ref for ref in refs) == (level == "country")
    assert any("through" in ref for ref in refs) == (level == "country")


def test_templates_write_each_value_as_its_type():
    """1, 1.0 and True in the same attribute are written differently, and a value left out
    or None has no attvalue; JSON lists share each entry's text."""
    attributes = (("n", "double"), ("flag", "boolean"), ("name", "string"), ("list", "string"))
    entry = {"label": "O'Brien & <Sons>"}
    write = _Attvalues(attributes, {})
    texts = [write({"n": 1, "flag": True, "name": "a&b", "list": [entry]}),
             write({"n": 1.0, "flag": False, "list": [entry, entry]}),
             write({"n": True}), write({}), write({"n": None, "list": []})]
    assert texts[0] == ('<attvalues><attvalue for="0" value="1"/><attvalue for="1" '
                        'value="true"/><attvalue for="2" value="a&amp;b"/><attvalue for="3" '
                        'value="[{&quot;label&quot;: &quot;O\'Brien &amp; &lt;Sons&gt;'
                        '&quot;}]"/></attvalues>')
    assert '<attvalue for="0" value="1.0"/>' in texts[1] and 'value="false"' in texts[1]
    assert json.loads(ET.fromstring(texts[1]).find("attvalue[@for='3']").get("value")) \
        == [entry, entry]
    assert texts[2] == '<attvalues><attvalue for="0" value="true"/></attvalues>'
    assert texts[3] == ""
    assert texts[4] == "<attvalues><attvalue for=\"3\" value='[]'/></attvalues>"


def test_gexf_reads_back_as_the_network(facts, tmp_path):
    graph = add_centrality(project(facts, "agency"))
    path = tmp_path / "agency.gexf"
    write_gexf(graph, path)
    read = nx.read_gexf(path)
    assert set(read.edges) == {tuple(map(str, e)) for e in read.edges}
    assert read.number_of_edges() == graph.number_of_edges()
    for a, b, data in graph.edges(data=True):
        got = read.edges[a, b]
        assert got["weight"] == data["weight"]
        assert json.loads(got["agreements"]) == data["agreements"]
        assert json.loads(got["events"]) == data["events"]
        assert got["agreement_count"] == data["agreement_count"]
        assert got.get("confidence") == data["confidence"]


@pytest.mark.parametrize("big", [False, True], ids=["small", "big"])
@pytest.mark.parametrize("level", ["country", "agency"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_whole_network_writes_the_gexf_of_the_networkx_graph(facts, level, case, big,
                                                                 tmp_path, monkeypatch):
    """``whole_network`` (no networkx graph) writes the very file ``network`` does: the same
    nodes, edges, attributes and order, the same centrality (networkx's Louvain on a small
    network, igraph's on a big one: ``big`` makes the curated network count as big)."""
    from graph.network import export, gexf_edges
    from graph.network.whole import project_whole

    if big:
        monkeypatch.setattr(export, "EXACT_BETWEENNESS_MAX", 10)
        monkeypatch.setattr(export, "BETWEENNESS_SAMPLE", 7)
    monkeypatch.setattr(gexf_edges, "GEXF_CHUNK", 50)
    given = {"period": Period(), "weights": DEFAULT_WEIGHTS, "certainty": ANY_CERTAINTY,
             **CASES[case]}
    graph = add_centrality(project(facts, level, **given))
    whole = export.add_whole_centrality(project_whole(facts, level, **given))
    assert graph.number_of_edges() > 3
    assert whole.graph["betweenness"] == graph.graph["betweenness"]
    assert whole.graph["communities"] == graph.graph["communities"]
    assert list(whole.edges()) == list(graph.edges(data=True))
    write_gexf(graph, tmp_path / "networkx.gexf")
    write_gexf(whole, tmp_path / "whole.gexf")
    assert (tmp_path / "whole.gexf").read_bytes() == (tmp_path / "networkx.gexf").read_bytes()


def test_edges_sharing_their_evidence_are_written_alike(facts, tmp_path):
    """Edges resting on the same items share one attribute dict in a ``WholeNetwork``, and
    each is written in full, with its own id and ends."""
    from graph.network.export import add_whole_centrality
    from graph.network.whole import project_whole

    whole = add_whole_centrality(project_whole(facts, "agency", Period(), DEFAULT_WEIGHTS,
                                               ANY_CERTAINTY))
    shared = {}
    for a, b, data in whole.edges():
        shared.setdefault(id(data), []).append((a, b))
    assert any(len(ends) > 2 for ends in shared.values())
    path = tmp_path / "agency.gexf"
    write_gexf(whole, path)
    read = nx.read_gexf(path)
    assert read.number_of_edges() == whole.number_of_edges()
    for a, b, data in whole.edges():
        assert json.loads(read.edges[a, b]["events"]) == data["events"]
        assert read.edges[a, b]["weight"] == data["weight"]


def test_the_whole_network_is_written_as_gexf_only(facts, tmp_path):
    from graph.network import NetworkError, write_network
    from graph.network.export import add_whole_centrality
    from graph.network.whole import project_whole

    whole = add_whole_centrality(project_whole(facts, "country", Period(), DEFAULT_WEIGHTS,
                                               ANY_CERTAINTY))
    with pytest.raises(NetworkError, match="written as gexf"):
        write_network(whole, tmp_path / "n.json", "json")
