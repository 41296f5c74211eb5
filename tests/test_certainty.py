"""Certainty in every answer: headline-only items, and partners, paths and the network export
carrying each item's certainty and filtered by it (issue 9, part 2).

The store: the curated seed data (the established facts and seeds 000 and 003) and one
extracted records file (``EXTRACTED``): an agreement with
Cuba that only a headline states (confidence 0.8), talks with Laos (0.6), a meeting with
Kazakhstan (0.65), and a restatement of the curated 2010 Vietnam–Russia agreement (0.7).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
from curated import AGREEMENT_2010, CU, DATA, ESTABLISHED, ID, KZ, RU, SEED_000, SEED_003, VN
from pyoxigraph import NamedNode

from graph import network as nw
from graph.network import NetworkError, partners, shortest_path
from graph.presentation import certainty_text, items_text, partners_text, path_text
from graph.queries.items import meets_certainty
from graph.queries.relations import links_between
from graph.store import OxigraphStore
from loaders.load import load_paths

CURATED = (ESTABLISHED, SEED_000, SEED_003)
LA = ID + "country/LA"
HEADLINE = "Vietnam and Cuba sign customs mutual assistance agreement"
VN_CU = ID + "agreement/vn-cu-assistance-2021"
VN_LA = ID + "event/vn-la-talks-2021"
VN_KZ = ID + "event/vn-kz-meeting-2021"
EXTRACTOR = "customs-kg-extract 0.2.0"
EXTRACTED = f"""
source:
  id: extracted-news
  title: {HEADLINE}
agreements:
  - id: vn-cu-assistance-2021
    title: Vietnam–Cuba customs mutual assistance agreement
    kind: mutual-assistance
    parties: [VN, CU]
    signed: "2021-03-01"
    evidence:
      source: extracted-news
      sentence: {HEADLINE}
      extractor: {EXTRACTOR}
      confidence: 0.8
  - id: vn-ru-customs-assistance-2010
    title: Vietnam–Russia customs assistance agreement
    kind: mutual-assistance
    parties: [VN, RU]
    evidence:
      source: extracted-news
      sentence: The two services recalled their 2010 agreement with Russia.
      extractor: {EXTRACTOR}
      confidence: 0.7
events:
  - id: vn-la-talks-2021
    kind: talks
    date: "2021-04-02"
    participants: [VN, LA]
    evidence:
      source: extracted-news
      sentence: Vietnam and Laos customs held talks in Vientiane on April 2, 2021.
      extractor: {EXTRACTOR}
      confidence: 0.6
  - id: vn-kz-meeting-2021
    kind: meeting
    date: "2021-05-03"
    participants: [VN, KZ]
    evidence:
      source: extracted-news
      sentence: Vietnam and Kazakhstan customs met in Astana on May 3, 2021.
      extractor: {EXTRACTOR}
      confidence: 0.65
"""


def write_extracted(folder: Path) -> Path:
    path = folder / "extracted-news.yaml"
    path.write_text(EXTRACTED, encoding="utf-8")
    return path


def curated_files(folder: Path) -> Path:
    """The seed documents and the established facts (not the whole, growing dataset) in
    ``folder``/curated."""
    target = folder / "curated"
    target.mkdir()
    for name in CURATED:
        shutil.copy2(DATA / name, target / name)
    return target


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An on-disk store with the curated seed data and the extracted file (caches beside
    it)."""
    folder = tmp_path_factory.mktemp("certainty")
    store = OxigraphStore(folder / "kg", writable=True)
    load_paths(store, [curated_files(folder), write_extracted(folder)])
    yield store
    store.close()


def by_iri(answers) -> dict[str, dict]:
    return {a["iri"]: a for a in answers}


# -- items ------------------------------------------------------------------------------------
def test_an_item_only_a_headline_states_says_so(store):
    (answer,) = links_between(store, NamedNode(VN), NamedNode(CU))
    assert answer["iri"] == VN_CU
    assert answer["certainty"] == {"basis": "extracted", "confidence": 0.8,
                                   "headline_only": True}
    assert certainty_text(answer["certainty"]) == ("extracted only, confidence 0.80, only in a "
                                                   "headline")
    assert "certainty: extracted only, confidence 0.80, only in a headline" in items_text(
        [answer], "table")
    row = next(csv.DictReader(io.StringIO(items_text([answer], "csv"))))
    assert (row["certainty"], row["confidence"], row["headline_only"]) == ("extracted", "0.8",
                                                                           "true")
    talks = links_between(store, NamedNode(VN), NamedNode(LA))
    assert [a["certainty"] for a in talks] == [{"basis": "extracted", "confidence": 0.6,
                                                "headline_only": False}]


def test_a_curated_source_outweighs_an_extracted_restatement(store):
    answers = by_iri(links_between(store, NamedNode(VN), NamedNode(RU)))
    assert answers[AGREEMENT_2010]["certainty"] == {"basis": "curated", "confidence": None,
                                                    "headline_only": False}
    assert "extracted-news.yaml" in {Path(s["file"]).name
                                     for s in answers[AGREEMENT_2010]["sources"]}


# -- partner facts ----------------------------------------------------------------------------
def test_the_facts_know_each_items_certainty(store):
    facts = nw.read_facts(store)
    assert facts.items[VN_CU].certainty() == {"basis": "extracted", "confidence": 0.8,
                                              "headline_only": True}
    assert facts.items[VN_KZ].certainty() == {"basis": "extracted", "confidence": 0.65,
                                              "headline_only": False}
    assert facts.items[AGREEMENT_2010].basis == "curated"
    # and keep it through the cache beside the store
    cached = nw.load_facts(store)
    again = nw.load_facts(store)
    assert cached.items[VN_CU].certainty() == again.items[VN_CU].certainty()
    assert again.items[VN_LA].confidence == 0.6


def test_the_same_certainty_as_links(store):
    facts = nw.load_facts(store)
    for other in (CU, LA, KZ, RU):
        for answer in links_between(store, NamedNode(VN), NamedNode(other)):
            assert facts.items[answer["iri"]].certainty() == answer["certainty"], answer["iri"]


# -- partners ---------------------------------------------------------------------------------
def test_partners_say_how_certain_they_are(store):
    found = by_iri(partners(store, NamedNode(VN)))
    assert found[CU]["certainty"] == {"basis": "extracted", "confidence": 0.8,
                                      "headline_only": True, "curated_items": 0,
                                      "extracted_items": 1}
    assert found[LA]["certainty"]["basis"] == "extracted"
    assert found[LA]["certainty"]["confidence"] == 0.6
    # the FTA through the EAEU is curated; the meeting only extracted
    assert found[KZ]["certainty"] == {"basis": "curated", "confidence": None,
                                      "headline_only": False, "curated_items": 1,
                                      "extracted_items": 1}
    assert found[RU]["certainty"]["basis"] == "curated"
    (meeting,) = found[KZ]["evidence"]["events"]
    assert meeting["certainty"] == {"basis": "extracted", "confidence": 0.65,
                                    "headline_only": False}
    assert {a["certainty"]["basis"] for a in found[KZ]["evidence"]["agreements"]} == {"curated"}


def test_partners_filters(store):
    every = by_iri(partners(store, NamedNode(VN)))
    curated = by_iri(partners(store, NamedNode(VN), curated_only=True))
    assert CU not in curated and LA not in curated
    assert set(curated) == set(every) - {CU, LA}
    # left out before weighing: Kazakhstan keeps only the FTA
    assert (every[KZ]["weight"], every[KZ]["events"]) == (6, 1)
    assert (curated[KZ]["weight"], curated[KZ]["events"]) == (5, 0)
    assert curated[KZ]["certainty"]["extracted_items"] == 0
    assert curated[RU] == {**every[RU], "rank": curated[RU]["rank"]}
    sure = by_iri(partners(store, NamedNode(VN), min_confidence=0.7))
    assert CU in sure and LA not in sure and sure[KZ]["events"] == 0
    assert CU not in by_iri(partners(store, NamedNode(VN), min_confidence=0.81))
    assert CU in by_iri(partners(store, NamedNode(VN), min_confidence=0.8))
    with pytest.raises(NetworkError):
        partners(store, NamedNode(VN), min_confidence=1.5)


def test_partners_text_shows_the_certainty(store):
    answers = partners(store, NamedNode(VN))
    text = partners_text(answers, "table")
    assert ("Cuba (CU)  weight 5: 1 agreement, 0 events, 2021; extracted only, confidence "
            "0.80, only in a headline\n") in text
    assert "Kazakhstan (KZ)  weight 6: 1 agreement, 1 event, 2015–2021; curated (and 1 " \
           "extracted only)\n" in text
    assert "Meeting: Vietnam – Kazakhstan (2021-05-03) [extracted 0.65]\n" in text
    assert "Vietnam–Cuba customs mutual assistance agreement [extracted 0.80, headline only]" \
        in text
    rows = by_iri(csv.DictReader(io.StringIO(partners_text(answers, "csv"))))
    assert (rows[CU]["certainty"], rows[CU]["confidence"]) == ("extracted", "0.8")
    assert (rows[KZ]["certainty"], rows[KZ]["curated_items"], rows[KZ]["extracted_items"]) == (
        "curated", "1", "1")


# -- paths ------------------------------------------------------------------------------------
def test_path_steps_say_how_certain_they_are(store):
    found = shortest_path(store, NamedNode(VN), NamedNode(CU))
    (step,) = found["steps"]
    assert step["certainty"]["basis"] == "extracted"
    assert step["certainty"]["confidence"] == 0.8
    assert step["evidence"]["agreements"][0]["certainty"]["headline_only"] is True
    assert path_text(found, "table").splitlines()[3].endswith(
        "[extracted only, confidence 0.80, only in a headline]")


def test_path_filters(store):
    found = shortest_path(store, NamedNode(VN), NamedNode(CU), curated_only=True)
    assert found["length"] > 1
    assert VN_CU not in json.dumps(found)
    for step in found["steps"]:
        if step["relation"] == "cooperation":
            assert step["certainty"]["basis"] == "curated"
            assert step["certainty"]["extracted_items"] == 0
    assert "[curated]" in path_text(found, "table")
    assert shortest_path(store, NamedNode(VN), NamedNode(LA), min_confidence=0.6)["length"] == 1
    # without the talks, Laos is reached only through what the curated data says (a union)
    other = shortest_path(store, NamedNode(VN), NamedNode(LA), min_confidence=0.61)
    assert other["length"] > 1 and VN_LA not in json.dumps(other)


# -- the network export -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def country(store) -> nx.Graph:
    return nw.network(store, "country")


def test_network_edges_and_nodes_carry_the_certainty(country):
    edge = country.edges[VN, CU]
    assert (edge["basis"], edge["confidence"], edge["headline_only"]) == ("extracted", 0.8, True)
    assert (edge["curated_count"], edge["extracted_count"]) == (0, 1)
    kz = country.edges[VN, KZ]
    assert (kz["basis"], kz["confidence"], kz["curated_count"], kz["extracted_count"]) == (
        "curated", None, 1, 1)
    assert country.nodes[LA]["basis"] == "extracted"
    assert country.nodes[CU]["basis"] == "curated"  # the curated forums with Cuba
    assert country.nodes[VN]["basis"] == "curated"


def test_network_filters(store, country):
    curated = nw.network(store, "country", curated_only=True)
    assert LA not in curated and not curated.has_edge(VN, CU)
    assert curated.edges[VN, KZ]["weight"] == 5
    assert {d["basis"] for _, _, d in curated.edges(data=True)} <= {"curated", "reference"}
    assert curated.graph["curated_only"] is True
    sure = nw.network(store, "country", min_confidence=0.7)
    assert sure.has_edge(VN, CU) and LA not in sure
    assert country.number_of_edges() > sure.number_of_edges() > curated.number_of_edges()


def test_every_export_has_the_certainty(country, tmp_path):
    nw.write_graphml(country, tmp_path / "n.graphml")
    read = nx.read_graphml(tmp_path / "n.graphml")
    assert read.edges[VN, CU]["basis"] == "extracted"
    assert read.edges[VN, CU]["confidence"] == 0.8
    assert read.edges[VN, CU]["extracted_count"] == 1
    assert read.nodes[LA]["basis"] == "extracted"
    assert json.loads(read.edges[VN, CU]["agreements"])[0]["certainty"]["headline_only"]
    nw.write_gexf(country, tmp_path / "n.gexf")
    gexf = (tmp_path / "n.gexf").read_text()
    assert '<attribute id="4" title="basis" type="string"/>' in gexf
    assert 'title="headline_only" type="boolean"' in gexf
    assert 'value="true"' in gexf and 'value="True"' not in gexf
    data = nw.network_as_json(country)
    link = next(e for e in data["links"] if {e["source"], e["target"]} == {VN, CU})
    assert (link["basis"], link["confidence"]) == ("extracted", 0.8)
    page = nw.page_data(country)
    at = {f: i for i, f in enumerate(page["edge_fields"])}
    place = {n["id"]: i for i, n in enumerate(page["nodes"])}
    row = next(e for e in page["edges"]
               if {e[at["from"]], e[at["to"]]} == {place[VN], place[CU]})
    assert row[at["certainty"]] == "extracted 0.80, headline only"
    assert (row[at["curated"]], row[at["extracted"]]) == (0, 1)
    (listed,) = row[at["evidence"]]
    assert page["evidence"][listed][page["evidence_fields"].index("certainty")] == \
        "extracted 0.80, headline only"
    assert page["nodes"][place[LA]]["basis"] == "extracted"
    assert "certainty: " in nw.network_html(country)


def test_meets_certainty_is_the_rule_of_the_filters(store):
    facts = nw.load_facts(store)
    for item in facts.items.values():
        for option in ({"curated_only": True}, {"min_confidence": 0.7}, {}):
            admitted = nw.Certainty(**option).admits(item)
            assert admitted == meets_certainty({"certainty": item.certainty()}, **option)


# -- reviews ----------------------------------------------------------------------------------
REVIEW = """
source:
  id: analyst-review
  title: An analyst's review of the extracted news
reviews:
  - item: agreement/vn-cu-assistance-2021
    source: extracted-news
    decision: reject
    reviewer: analyst
    at: "2026-12-03T10:00:00Z"
  - item: event/vn-la-talks-2021
    source: extracted-news
    decision: accept
    reviewer: analyst
    at: "2026-12-03T10:00:00Z"
"""


def test_reviews_reach_the_partner_facts(tmp_path):
    """A rejected claim is left out of the partner facts (the item it alone states is gone); an
    accepted one is curated."""
    store = OxigraphStore(tmp_path / "kg", writable=True)
    try:
        load_paths(store, [curated_files(tmp_path), write_extracted(tmp_path)])
        assert CU in by_iri(partners(store, NamedNode(VN)))
        (tmp_path / "review.yaml").write_text(REVIEW, encoding="utf-8")
        load_paths(store, [tmp_path / "review.yaml"])
        facts = nw.load_facts(store)
        assert VN_CU not in facts.items
        assert facts.items[VN_LA].basis == "curated"
        found = by_iri(partners(store, NamedNode(VN), curated_only=True))
        assert CU not in found and found[LA]["certainty"]["basis"] == "curated"
        assert not nw.network(store).has_edge(VN, CU)
    finally:
        store.close()
