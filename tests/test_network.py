"""Partner networks on the curated dataset: partners, paths, exports, and the HTML page drawn
in a real headless Chromium (Debian's ``chromium``; the page test fails when it cannot run)."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import networkx as nx
import pytest
from curated import (
    AGREEMENT_2010,
    AM,
    BY,
    CN,
    CU,
    DATA_CHANNEL,
    EAEU,
    FCS,
    FORUMS,
    FTA,
    GACC,
    GDVC,
    ID,
    JOINT_PLAN,
    KCS,
    KG,
    KR,
    KZ,
    KZ_SRC,
    MCGA,
    MEETINGS_9,
    MEETINGS_CHINA,
    MINUTES,
    MN,
    MN_FAR_EAST,
    MONGOLIA_MEETING,
    NOVOSIBIRSK,
    RU,
    SHANGHAI,
    SHANGHAI_MEETING,
    SIBERIAN,
    TALKS,
    VN,
)
from needs import require_chromium
from pyoxigraph import NamedNode

from cli import cli
from graph import network as nw
from graph.network import (
    DEFAULT_WEIGHTS,
    NetworkError,
    PartnerWeights,
    parse_weights,
    partners,
    shortest_path,
)
from graph.store import OxigraphStore


def iris(entries) -> set[str]:
    return {e["iri"] for e in entries}


def by_iri(answers) -> dict[str, dict]:
    return {a["iri"]: a for a in answers}


@pytest.fixture(scope="module")
def country_network(curated_store) -> nx.Graph:
    return nw.network(curated_store, "country")


@pytest.fixture(scope="module")
def agency_network(curated_store) -> nx.Graph:
    return nw.network(curated_store, "agency")


UNCAPPED_COUNTS = "agreement=1,binding=1,event=1,summary_cap=none"
"""Every agreement and event counted once and every summary as all its events: the ranking
before weights were explicit."""


# -- partners ---------------------------------------------------------------------------------
def test_russias_partners_by_country(curated_store):
    """Under the default weights (binding agreement 5, other agreement 3, event 1, a summary
    line its events but at most 3):

    * Vietnam 18: two binding agreements (the 2010 assistance agreement and, Russia being in
      the EAEU, the FTA) 2×5, the joint plan and the working minutes 2×3, the talks and the
      planned data channel 2×1;
    * China 7: the 11 forums, capped at 3; the 5 meetings with China's customs, 4 of their own
      (the Shanghai meeting counts itself), capped at 3; the 9 meetings, none of their own
      (their sub-summaries count them), 0; the Shanghai meeting 1;
    * Mongolia 5: the forums 3; the 2 meetings with Mongolian customs, 1 of their own; the 9
      meetings 0; the border meeting 1;
    * Cuba 3: only the line of 11 forums;
    * Kazakhstan and South Korea 1 each (one meeting each), in the order of their names."""
    answers = partners(curated_store, NamedNode(RU), "country")
    assert [(a["rank"], a["iri"], a["weight"]) for a in answers] == [
        (1, VN, 18), (2, CN, 7), (3, MN, 5), (4, CU, 3), (5, KZ, 1), (6, KR, 1)]
    assert all(a["weights"] == DEFAULT_WEIGHTS.as_dict() for a in answers)
    vietnam = by_iri(answers)[VN]
    assert vietnam["label"] == "Vietnam (VN)"
    assert (vietnam["agreements"], vietnam["events"]) == (4, 2)
    assert (vietnam["first_year"], vietnam["last_year"]) == (2010, 2019)
    assert iris(vietnam["evidence"]["agreements"]) == {AGREEMENT_2010, JOINT_PLAN, MINUTES, FTA}
    assert iris(vietnam["evidence"]["events"]) == {TALKS, DATA_CHANNEL}
    assert vietnam["via"] == []
    # The EAEU's FTA covers Russia as a member of the union, and says so.
    fta = next(a for a in vietnam["evidence"]["agreements"] if a["iri"] == FTA)
    assert fta["through"] == [{"member": {"iri": RU, "label": "Russia (RU)"},
                               "union": {"iri": EAEU, "label": "Eurasian Economic Union"}}]
    assert all("through" not in a for a in vietnam["evidence"]["agreements"] if a is not fta)
    # Each item says what it adds to the weight, and they add up to it.
    assert {a["iri"]: a["weight"] for a in vietnam["evidence"]["agreements"]} == {
        AGREEMENT_2010: 5, FTA: 5, JOINT_PLAN: 3, MINUTES: 3}
    assert {e["iri"]: e["weight"] for e in vietnam["evidence"]["events"]} == {
        TALKS: 1, DATA_CHANNEL: 1}


def test_a_binding_agreement_outweighs_a_line_of_forums(curated_store):
    """The finding of issue 8: one summary line of eleven forums (all Cuba shares with Russia)
    gave Cuba weight 11, above Vietnam's four agreements, an FTA among them, and two events.
    By default it weighs what one memorandum does, and less than the FTA alone."""
    answers = by_iri(partners(curated_store, NamedNode(RU), "country"))
    cuba, vietnam = answers[CU], answers[VN]
    (forums,) = cuba["evidence"]["events"]
    assert (forums["iri"], forums["count"], forums["weight"]) == (FORUMS, 11, 3)
    fta = next(a for a in vietnam["evidence"]["agreements"] if a["iri"] == FTA)
    assert fta["kind"] == "free-trade" and fta["weight"] > cuba["weight"]
    assert vietnam["rank"] == 1 and vietnam["weight"] > answers[CN]["weight"] > cuba["weight"]
    # Counted as before, the line of forums outranked the agreements.
    before = by_iri(partners(curated_store, NamedNode(RU), "country",
                             weights=parse_weights(UNCAPPED_COUNTS)))
    assert before[CU]["weight"] == 11 > before[VN]["weight"] == 6


def test_a_unions_agreements_link_its_members_but_not_their_agencies(curated_store):
    answers = by_iri(partners(curated_store, NamedNode(VN), "country"))
    assert set(answers) == {RU, EAEU, KZ, AM, BY, KG}
    for member in (KZ, AM, BY, KG):
        assert iris(answers[member]["evidence"]["agreements"]) == {FTA}
        (fta,) = answers[member]["evidence"]["agreements"]
        assert fta["through"][0]["member"]["iri"] == member
    assert "through" not in answers[EAEU]["evidence"]["agreements"][0]
    # Members are not one another's partners by their union's agreement.
    assert KZ not in by_iri(partners(curated_store, NamedNode(AM), "country"))
    # Agencies are not parties to their union's agreements.
    fcs = by_iri(partners(curated_store, NamedNode(FCS), "agency"))
    assert FTA not in iris(fcs[GDVC]["evidence"]["agreements"])
    assert VN not in fcs and EAEU not in fcs


def test_nested_summaries_count_once(curated_store):
    """Russia–China, summaries uncapped: 5 meetings with China's customs (one of them the
    Shanghai meeting, which counts itself) and 11 forums; the summary of 9 meetings adds nothing
    of its own. By default each summary counts at most 3 of its own events."""
    china = by_iri(partners(curated_store, NamedNode(RU), "country",
                            weights=parse_weights(UNCAPPED_COUNTS)))[CN]
    assert iris(china["evidence"]["events"]) == {MEETINGS_9, MEETINGS_CHINA, SHANGHAI_MEETING,
                                                 FORUMS}
    assert china["weight"] == 4 + 1 + 11
    assert {e["iri"]: e["weight"] for e in china["evidence"]["events"]} == {
        MEETINGS_CHINA: 4, SHANGHAI_MEETING: 1, FORUMS: 11, MEETINGS_9: 0}
    china = by_iri(partners(curated_store, NamedNode(RU), "country"))[CN]
    assert {e["iri"]: e["weight"] for e in china["evidence"]["events"]} == {
        MEETINGS_CHINA: 3, SHANGHAI_MEETING: 1, FORUMS: 3, MEETINGS_9: 0}
    assert china["weight"] == 3 + 1 + 3


def test_partners_by_agency_say_via_whom(curated_store):
    answers = by_iri(partners(curated_store, NamedNode(RU), "agency"))
    assert [v["iri"] for v in answers[MCGA]["via"]] == [SIBERIAN]
    assert [v["iri"] for v in answers[GACC]["via"]] == [SIBERIAN]
    assert iris(answers[GACC]["evidence"]["events"]) == {MEETINGS_9, MEETINGS_CHINA}
    assert iris(answers[MN_FAR_EAST]["evidence"]["events"]) == {MONGOLIA_MEETING}
    assert [v["iri"] for v in answers[GDVC]["via"]] == [FCS]
    assert [v["iri"] for v in answers[SHANGHAI]["via"]] == [NOVOSIBIRSK, SIBERIAN]
    # The government is not a node where its agencies took part (the 2010 agreement).
    assert VN not in answers and RU not in answers
    assert set(answers) == {CN, CU, MN, GDVC, GACC, KCS, MCGA, KZ_SRC, MN_FAR_EAST, SHANGHAI}


def test_an_agencys_own_partners(curated_store):
    answers = by_iri(partners(curated_store, NamedNode(SIBERIAN), "agency"))
    assert {MCGA, GACC, MN_FAR_EAST, SHANGHAI} <= set(answers)
    assert answers[MCGA]["via"] == []  # the directorate itself
    assert GDVC not in answers  # the FCS's partner, not the directorate's
    by_country = by_iri(partners(curated_store, NamedNode(SIBERIAN), "country"))
    assert set(by_country) == {CN, MN, KR, KZ, CU}


def test_summaries_do_not_make_their_counterparts_partners(country_network):
    """'9 meetings of the directorate with foreign customs services' names Chinese, Mongolian,
    Korean and Kazakh customs: they met the directorate, not each other."""
    assert not country_network.has_edge(CN, KR)
    assert not country_network.has_edge(CU, MN)
    assert sorted(tuple(sorted(e)) for e in country_network.edges) == sorted(
        tuple(sorted(e)) for e in [(RU, CN), (RU, MN), (RU, CU), (RU, VN), (RU, KZ), (RU, KR),
                                   (VN, EAEU), (VN, KZ), (VN, AM), (VN, BY), (VN, KG)])


def test_partners_of_partners(curated_store):
    answers = partners(curated_store, NamedNode(VN), "country", depth=2)
    assert answers[0]["iri"] == RU
    assert {a["iri"] for a in answers if a["distance"] == 1} == {RU, EAEU, KZ, AM, BY, KG}
    china = by_iri(answers)[CN]
    assert china["distance"] == 2
    assert [v["iri"] for v in china["via"]] == [RU]


def test_period(curated_store):
    assert partners(curated_store, NamedNode(RU), "country", since="2011", until="2014") == []
    (fta_only,) = partners(curated_store, NamedNode(RU), "country", since="2011", until="2015")
    assert iris(fta_only["evidence"]["agreements"]) == {FTA}
    vietnam = by_iri(partners(curated_store, NamedNode(RU), "country", since="2019-09"))[VN]
    assert iris(vietnam["evidence"]["agreements"]) == {JOINT_PLAN, MINUTES}
    # The joint plan and the minutes 3 each, the talks and the data channel 1 each.
    assert (vietnam["weight"], vietnam["first_year"]) == (3 + 3 + 1 + 1, 2019)
    with pytest.raises(NetworkError, match="not a real calendar date"):
        partners(curated_store, NamedNode(RU), "country", since="2019-13")


def test_partners_agree_with_the_network(curated_store, agency_network):
    for answer in partners(curated_store, NamedNode(SIBERIAN), "agency"):
        edge = agency_network.edges[SIBERIAN, answer["iri"]]
        assert answer["weight"] == edge["weight"]
        assert iris(answer["evidence"]["events"]) == iris(edge["events"])


# -- weights ----------------------------------------------------------------------------------
def test_parse_weights_reads_what_it_is_given():
    assert parse_weights("agreement=3,binding=5,event=1,summary_cap=3") == DEFAULT_WEIGHTS
    assert parse_weights(DEFAULT_WEIGHTS.spec()) == DEFAULT_WEIGHTS
    assert DEFAULT_WEIGHTS.spec() == "agreement=3,binding=5,event=1,summary_cap=3"
    # Keys not given keep their defaults; spaces, case and empty parts do not matter.
    assert parse_weights(" Event = 2 , ") == PartnerWeights(event=2)
    assert parse_weights("") == DEFAULT_WEIGHTS
    assert parse_weights("summary_cap=none").summary_cap is None
    assert parse_weights("summary-cap=0").summary_cap == 0
    halves = parse_weights("event=0.5,agreement=2.0")
    assert halves == PartnerWeights(agreement=2, event=0.5)
    assert isinstance(halves.agreement, int) and halves.spec().startswith("agreement=2,")


@pytest.mark.parametrize(("text", "message"), [
    ("agreements=3", "unknown weight 'agreements': the keys are agreement, binding, event, "
                     "summary_cap"),
    ("fta=9", "unknown weight 'fta': the keys are agreement, binding, event, summary_cap"),
    ("event", "'event' is not KEY=VALUE (for example agreement=3,event=1)"),
    ("event=-1", "weight event must be a number ≥ 0, not '-1'"),
    ("binding=lots", "weight binding must be a number ≥ 0, not 'lots'"),
    ("agreement=nan", "weight agreement must be a number ≥ 0, not 'nan'"),
    ("agreement=", "weight agreement must be a number ≥ 0, not ''"),
    ("summary_cap=2.5", "weight summary_cap must be a whole number ≥ 0 or none, not '2.5'"),
    ("event=1,event=2", "weight event is given twice"),
])
def test_parse_weights_names_what_is_wrong(text, message):
    with pytest.raises(NetworkError) as raised:
        parse_weights(text)
    assert str(raised.value) == message


def test_custom_weights_change_the_ranking(curated_store):
    def ranking(text: str) -> list[tuple[str, float]]:
        return [(a["iri"], a["weight"]) for a in partners(
            curated_store, NamedNode(RU), "country", weights=parse_weights(text))]

    # Counted as before weights were explicit: the summaries' events lift China, Mongolia and
    # Cuba above Vietnam (see test_nested_summaries_count_once for China's 16).
    assert ranking(UNCAPPED_COUNTS) == [(CN, 16), (MN, 13), (CU, 11), (VN, 6), (KZ, 1), (KR, 1)]
    # Only agreements weigh: Vietnam alone has any; the others tie at 0 and are ranked by how
    # many events they share (China and Mongolia 4, Kazakhstan and Korea 2, Cuba 1).
    assert ranking("event=0") == [(VN, 16), (CN, 0), (MN, 0), (KZ, 0), (KR, 0), (CU, 0)]
    # Decimal weights stay decimal: Vietnam 2×5 + 2×3 + 2×0.5, China (3 + 3 + 0 + 1)×0.5.
    assert ranking("event=0.5")[:2] == [(VN, 17.0), (CN, 3.5)]


def test_custom_weights_reach_the_network_and_the_path(curated_store, tmp_path):
    weights = parse_weights("binding=10,event=0.5")
    graph = nw.network(curated_store, "country", weights=weights)
    assert graph.graph["weights"] == weights.as_dict()
    assert graph.edges[RU, VN]["weight"] == 2 * 10 + 2 * 3 + 2 * 0.5
    assert graph.nodes[RU]["weighted_degree"] == pytest.approx(
        sum(d["weight"] for _, _, d in graph.edges(RU, data=True)))
    path = tmp_path / "network.gexf"
    nw.write_network(graph, path, "gexf")
    text = path.read_text()
    assert "weights agreement=3,binding=10,event=0.5,summary_cap=3" in text
    assert 'title="weighted_degree" type="double"' in text
    assert nx.read_gexf(path).edges[RU, VN]["weight"] == 27.0
    found = shortest_path(curated_store, NamedNode(MN), NamedNode(VN), weights=weights)
    assert found["weights"] == weights.as_dict()
    assert found["steps"][2]["weight"] == 10  # the 2010 assistance agreement
    assert shortest_path(curated_store, NamedNode(MN), NamedNode(VN))["weights"] == \
        DEFAULT_WEIGHTS.as_dict()
    # Nothing weighs anything: partnerships still have their evidence, communities are found
    # without weights.
    weightless = nw.network(curated_store, "country",
                            weights=parse_weights("agreement=0,binding=0,event=0"))
    assert {d["weight"] for _, _, d in weightless.edges(data=True)} == {0}
    assert weightless.graph["communities"] >= 2


# -- paths ------------------------------------------------------------------------------------
def test_path_from_mongolia_to_vietnam(curated_store):
    found = shortest_path(curated_store, NamedNode(MN), NamedNode(VN))
    assert found["length"] == 3
    assert [(s["from"]["iri"], s["relation"], s["to"]["iri"]) for s in found["steps"]] == [
        (MN, "cooperation", SIBERIAN), (SIBERIAN, "part", FCS), (FCS, "cooperation", VN)]
    assert found["text"] == (
        "Mongolia (MN) met Siberian Customs Directorate (2019), which is part of Federal "
        "Customs Service of Russia, which implements a mutual assistance agreement with "
        "Vietnam (VN) (2010).")
    first = found["steps"][0]
    assert first["text"].startswith("Mongolia (MN) met Siberian Customs Directorate: Working "
                                    "meeting of border customs heads")
    assert iris(first["evidence"]["events"]) == {MONGOLIA_MEETING, FORUMS}
    assert iris(found["steps"][2]["evidence"]["agreements"]) == {AGREEMENT_2010}


def test_path_through_a_union(curated_store):
    found = shortest_path(curated_store, NamedNode(VN), NamedNode(KZ))
    assert found["text"] == (
        "Vietnam (VN) signed a free trade agreement with Eurasian Economic Union (2015), "
        "which has Kazakhstan (KZ) as a member (since 2015-01-01).")


def test_path_errors(curated_store):
    with pytest.raises(NetworkError, match="same entity"):
        shortest_path(curated_store, NamedNode(RU), NamedNode(RU))
    with pytest.raises(NetworkError, match="no chain of cooperation links France"):
        shortest_path(curated_store, NamedNode(ID + "country/FR"), NamedNode(VN))
    with pytest.raises(NetworkError, match=r"Zambia \(ZM\) takes part in no agreement"):
        shortest_path(curated_store, NamedNode(ID + "country/ZM"), NamedNode(VN))


# -- the network and its exports --------------------------------------------------------------
def test_centrality_and_communities(country_network):
    russia = country_network.nodes[RU]
    # Its partners' weights (see test_russias_partners_by_country): 18 + 7 + 5 + 3 + 1 + 1.
    assert (russia["degree"], russia["weighted_degree"]) == (6, 35)
    # Russia bridges its partners to Vietnam, Vietnam the union's members to Russia.
    between = nx.betweenness_centrality(country_network)
    assert {n: d["betweenness"] for n, d in country_network.nodes(data=True)} == {
        n: pytest.approx(b, abs=1e-6) for n, b in between.items()}
    assert sorted(between, key=between.get)[-2:] == [VN, RU]
    assert country_network.nodes[VN]["community"] == country_network.nodes[EAEU]["community"]
    assert country_network.nodes[VN]["community"] != russia["community"]
    assert country_network.graph["betweenness"] == "exact"


def test_graphml_keeps_attributes(country_network, tmp_path):
    path = tmp_path / "network.graphml"
    nw.write_network(country_network, path, "graphml")
    read = nx.read_graphml(path)
    assert {frozenset(e) for e in read.edges} == {frozenset(e) for e in country_network.edges}
    assert read.number_of_edges() == country_network.number_of_edges()
    assert read.nodes[RU]["label"] == "Russia (RU)"
    assert read.nodes[RU]["degree"] == 6
    assert read.nodes[RU]["betweenness"] == pytest.approx(country_network.nodes[RU]["betweenness"])
    edge = read.edges[RU, VN]
    assert (edge["weight"], edge["agreement_count"], edge["first_year"]) == (18, 4, 2010)
    assert json.loads(read.graph["weights"]) == DEFAULT_WEIGHTS.as_dict()
    assert iris(json.loads(edge["agreements"])) == {AGREEMENT_2010, JOINT_PLAN, MINUTES, FTA}


def test_gexf_has_time_spells(agency_network, tmp_path):
    path = tmp_path / "network.gexf"
    nw.write_network(agency_network, path, "gexf")
    text = path.read_text()
    assert 'mode="dynamic" timeformat="date"' in text
    read = nx.read_gexf(path)
    assert read.number_of_nodes() == agency_network.number_of_nodes()
    assert read.number_of_edges() == agency_network.number_of_edges()
    edge = read.edges[FCS, GDVC]
    assert edge["spells"] == [("2010-01-01", "2010-12-31"), ("2019-01-01", "2023-12-31")]
    # The assistance agreement 5, the joint plan and the minutes 3 each (the FTA is the
    # union's, not the agencies'), the talks and the data channel 1 each.
    assert edge["weight"] == 5 + 3 + 3 + 1 + 1 and edge["event_count"] == 2
    assert iris(json.loads(edge["events"])) == {TALKS, DATA_CHANNEL}
    assert read.edges[EAEU, VN]["spells"] == [("2015-05-29", "2016-10-05")]
    node = read.nodes[SIBERIAN]
    assert node["label"] == "Siberian Customs Directorate"
    assert node["spells"][0][0] == "2019-01-01"
    assert node["degree"] == 9 and node["kind"] == "agency" and node["country"] == "Russia (RU)"
    assert set(node["viz"]) == {"color", "size"}


def test_json_is_node_link(country_network, tmp_path):
    path = tmp_path / "network.json"
    nw.write_network(country_network, path, "json")
    data = json.loads(path.read_text())
    assert data["graph"]["level"] == "country"
    assert data["graph"]["weights"] == DEFAULT_WEIGHTS.as_dict()
    assert len(data["nodes"]) == 11 and len(data["links"]) == 11
    link = next(x for x in data["links"] if {x["source"], x["target"]} == {RU, VN})
    assert iris(link["events"]) == {TALKS, DATA_CHANNEL}
    assert nx.node_link_graph(data, edges="links").number_of_edges() == 11


def test_cache_beside_an_on_disk_store(curated_store_dir, curated_store, tmp_path):
    path = tmp_path / "kg"
    shutil.copytree(curated_store_dir, path)
    store = OxigraphStore(path)
    try:
        first = partners(store, NamedNode(RU), "agency")
        cached = list((path / "cache").glob("partner-facts-*.marshal"))
        assert len(cached) == 1
        assert partners(store, NamedNode(RU), "agency") == first
        assert first == partners(curated_store, NamedNode(RU), "agency")
    finally:
        store.close()


# -- command line -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store_dir(curated_store_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("network-cli") / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


def invoke(runner, store_dir, *args):
    return runner.invoke(cli, ["--store", str(store_dir), *args])


def test_cli_partners(runner, store_dir):
    result = invoke(runner, store_dir, "partners", "Russia")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # As test_russias_partners_by_country explains.
    assert lines[0] == ("  1. Vietnam (VN)  weight 18: 4 agreements, 2 events, 2010–2019; "
                        "curated")
    assert "  2. China (CN)  weight 7: 0 agreements, 4 events, 2019; curated" in lines
    assert "  4. Cuba (CU)  weight 3: 0 agreements, 1 event, 2019; curated" in lines
    assert ("       2015-05-29  free-trade: Free Trade Agreement between the Socialist Republic "
            "of Viet Nam and the Eurasian Economic Union and its member states (Russia (RU) as a "
            "member of the Eurasian Economic Union)") in lines
    result = invoke(runner, store_dir, "partners", "FCS of Russia", "--level", "agency", "-f",
                    "json")
    found = {a["iri"]: a for a in json.loads(result.stdout)}  # the FCS's units' too
    # The assistance agreement 5, the joint plan and the minutes 3 each, two events 1 each.
    assert found[GDVC]["via"] == [] and found[GDVC]["weight"] == 13
    assert found[GDVC]["weights"] == DEFAULT_WEIGHTS.as_dict()
    assert [v["label"] for v in found[MCGA]["via"]] == ["Siberian Customs Directorate"]
    result = invoke(runner, store_dir, "partners", "Russia", "--level", "agency", "-f", "csv",
                    "--limit", "2")
    rows = result.stdout.splitlines()
    assert rows[0].startswith("rank,partner,kind,country,distance,weight")
    assert len(rows) == 3
    assert rows[1].startswith("1,General Department of Vietnam Customs,agency,Vietnam (VN),1,13,")


def test_cli_errors(runner, store_dir):
    result = invoke(runner, store_dir, "partners", "Rusia")
    assert result.exit_code == 1
    assert result.output == "Error: no entity 'Rusia' — did you mean Russia (RU)?\n"
    result = invoke(runner, store_dir, "partners", "Russia", "--since", "2019-13")
    assert result.exit_code == 2
    assert "Invalid value for '--since': '2019-13' is not a real calendar date" in result.output
    result = invoke(runner, store_dir, "path", "Russia", "RU")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: 'Russia' and 'RU' are the same entity, Russia (RU)\n")
    result = invoke(runner, store_dir, "network", "-o", "network.txt")
    assert result.exit_code == 2
    assert "give --format graphml|gexf|json|html" in result.output


def test_cli_path(runner, store_dir):
    result = invoke(runner, store_dir, "path", "Mongolia", "Vietnam")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Mongolia (MN) → Vietnam (VN): 3 steps"
    assert lines[1].startswith("Mongolia (MN) met Siberian Customs Directorate (2019), which")
    assert (" 2. Siberian Customs Directorate is part of Federal Customs Service of "
            "Russia") in lines


def test_cli_network(runner, store_dir, tmp_path):
    target = tmp_path / "agencies.gexf"
    result = invoke(runner, store_dir, "network", "--level", "agency", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr == ("15 organisations, 12 partnerships, 4 communities (betweenness "
                             f"exact) → {target}\n")
    assert nx.read_gexf(target).number_of_edges() == 12
    result = invoke(runner, store_dir, "network", "--format", "json", "--since", "2019")
    data = json.loads(result.stdout)
    assert len(data["links"]) == 6  # the 2015 FTA is before the period
    assert {frozenset((x["source"], x["target"])) for x in data["links"]} == {
        frozenset((RU, other)) for other in (CN, MN, CU, VN, KZ, KR)}


@pytest.mark.parametrize("command", ["partners", "path", "network"])
def test_cli_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ")


# -- the HTML page in a real browser ----------------------------------------------------------
def chromium() -> str:
    return require_chromium()


def run_chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Chromium headless on a local page, with virtual time so the layout settles; console
    messages go to stderr."""
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", "--enable-logging=stderr",
               "--v=0", "--virtual-time-budget=20000", "--window-size=1280,800", *args,
               page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180,
                            env={**os.environ, "HOME": str(tmp_path)})
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr}"
    return result


def png_colours(path: Path) -> int:
    """How many distinct colours a PNG (8-bit RGB or RGBA, as Chromium writes) has."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, [], None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    size = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    previous = bytearray(stride)
    colours = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 0xFF
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, size * 4))
        previous = line
    return len(colours)


@pytest.mark.parametrize("level", ["country", "agency"])
def test_html_page_in_chromium(curated_store, tmp_path, level):
    graph = nw.network(curated_store, level)
    page = tmp_path / f"network-{level}.html"
    nw.write_network(graph, page, "html")
    text = page.read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|https?://[^\s\"']+\.js", text)

    dumped = run_chromium(page, tmp_path, "--dump-dom")
    console = [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    drawn = re.search(r"<output id=\"drawn\"[^>]*>", dumped.stdout)
    assert drawn, dumped.stdout[-2000:]
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', drawn.group(0)))
    assert attributes.get("ready") == "true", drawn.group(0)
    assert int(attributes["nodes"]) == int(attributes["expected-nodes"]) == len(graph)
    assert int(attributes["edges"]) == int(attributes["expected-edges"]) == \
        graph.number_of_edges()
    errors = re.search(r'<pre id="errors"([^>]*)>(.*?)</pre>', dumped.stdout, re.DOTALL)
    assert errors and "hidden" in errors.group(1) and errors.group(2) == ""
    assert f"{len(graph)} of {len(graph)} organisations" in dumped.stdout

    shot = tmp_path / f"network-{level}.png"
    run_chromium(page, tmp_path, f"--screenshot={shot}")
    assert png_colours(shot) > 40


def many_partnerships(organisations: int = 400, partnerships: int = 6000) -> nx.Graph:
    """A partner network too big to draw whole: random pairs of agencies, weights 1–8."""
    shape = nx.gnm_random_graph(organisations, partnerships, seed=1)
    graph = nx.Graph(level="agency", since=None, until=None)
    for n in shape:
        graph.add_node(ID + f"agency/test-{n}", label=f"Agency {n}", kind="agency",
                       country=None, code=None, first_year=2010, last_year=2010)
    for a, b in shape.edges:
        weight = (a * 7 + b * 13) % 8 + 1
        event = {"iri": ID + f"event/test-{a}-{b}", "label": f"Meeting {a}–{b}",
                 "kind": "meeting", "date": "2010"}
        graph.add_edge(ID + f"agency/test-{a}", ID + f"agency/test-{b}", weight=weight,
                       agreement_count=0, event_count=1, first_year=2010, last_year=2010,
                       agreements=[], events=[event], spells=[("2010-01-01", "2010-12-31")])
    return nw.add_centrality(graph)


def test_a_big_page_draws_the_strongest_partnerships_and_says_so(tmp_path):
    graph = many_partnerships()
    page = tmp_path / "big.html"
    nw.write_network(graph, page, "html")
    dumped = run_chromium(page, tmp_path, "--dump-dom")
    console = [line for line in dumped.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    drawn = re.search(r"<output id=\"drawn\"[^>]*>", dumped.stdout)
    attributes = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', drawn.group(0)))
    assert attributes.get("ready") == "true", drawn.group(0)
    least = int(attributes["min-weight"])
    strong = sum(1 for _, _, w in graph.edges(data="weight") if w >= least)
    assert least > 1 and int(attributes["edges"]) == strong <= 1500
    assert int(attributes["nodes"]) == len(graph)  # every organisation, whatever its edges
    assert int(attributes["expected-edges"]) == graph.number_of_edges()
    assert (f"Drawing only the partnerships of weight ≥ {least}: the {strong:,} strongest of "
            f"{graph.number_of_edges():,}") in dumped.stdout


def test_the_page_reports_errors(tmp_path):
    """The page's own error box, which the test above relies on, does catch errors."""
    page = tmp_path / "broken.html"
    page.write_text(nw.network_html(nx.Graph(level="country")).replace(
        "window.partnerNetwork = network;", "window.partnerNetwork = network; notDefined();"))
    dumped = run_chromium(page, tmp_path, "--dump-dom")
    assert "notDefined is not defined" in dumped.stdout
    assert "Uncaught ReferenceError: notDefined is not defined" in dumped.stderr


def test_path_weights_are_the_evidence_weights(curated_store, agency_network):
    facts = nw.read_facts(curated_store)
    for _, _, data in agency_network.edges(data=True):
        items = iris(data["agreements"]) | iris(data["events"])
        assert nw.weight_of(facts, items) == data["weight"]


def test_the_page_says_why_a_unions_agreement_links_a_member(country_network):
    data = nw.page_data(country_network)
    at = {name: i for i, name in enumerate(data["edge_fields"])}
    ids = [n["id"] for n in data["nodes"]]
    (edge,) = [e for e in data["edges"] if {ids[e[at["from"]]], ids[e[at["to"]]]} == {VN, KZ}]
    (place,) = edge[at["evidence"]]
    assert data["evidence"][place][2].startswith("Free Trade Agreement between the Socialist")
    assert edge[at["through"]] == {
        place: "Kazakhstan (KZ) as a member of the Eurasian Economic Union"}
    (direct,) = [e for e in data["edges"] if {ids[e[at["from"]]], ids[e[at["to"]]]} == {VN, EAEU}]
    assert direct[at["through"]] == {}


def test_the_cached_path_graph_is_the_path_graph(curated_store_dir, curated_store, tmp_path):
    path = tmp_path / "kg"
    shutil.copytree(curated_store_dir, path)
    shutil.rmtree(path / "cache", ignore_errors=True)
    store = OxigraphStore(path)
    try:
        facts = nw.load_facts(store)
        built = nw.path_graph(facts)
        nw.stored_path_graph(store, facts, nw.Period())  # writes the cache
        assert len(list((path / "cache").glob("path-graph-*.marshal"))) == 1
        loaded = nw.stored_path_graph(store, facts, nw.Period())
        # The same edges with the same data, and the same order (it breaks ties).
        assert list(loaded.edges(data=True)) == list(built.edges(data=True))
        assert [list(loaded.adj[n]) for n in loaded] == [list(built.adj[n]) for n in built]
        # A graph cached under other weights is not served: its costs come from the weights.
        other = parse_weights("agreement=0,binding=0")
        reweighed = nw.stored_path_graph(store, facts, nw.Period(), other)
        assert list(reweighed.edges(data=True)) == \
            list(nw.path_graph(facts, weights=other).edges(data=True))
        assert list(reweighed.edges(data=True)) != list(built.edges(data=True))
        assert list(nw.stored_path_graph(store, facts, nw.Period()).edges(data=True)) == \
            list(built.edges(data=True))
        for a, b in ((MN, VN), (VN, KZ), (CU, GDVC)):
            assert shortest_path(store, NamedNode(a), NamedNode(b)) == \
                shortest_path(curated_store, NamedNode(a), NamedNode(b))
    finally:
        store.close()
