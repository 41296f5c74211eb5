"""The analysts' questions at library level, against the curated dataset (``data/``).

Expected answers come from the curated records (``data/*.yaml``, described in
``data/README.md``), not from the code under test.
"""

from __future__ import annotations

import pytest
from curated import (
    AGREEMENT_2010,
    CKG,
    DATA_CHANNEL,
    EAEU,
    ESTABLISHED,
    FCS,
    FTA,
    GDVC,
    ID,
    JOINT_PLAN,
    MINUTES,
    MN,
    MONGOLIA_MEETING,
    PLANNED_2020,
    RU,
    SEED_000,
    SEED_003,
    SHANGHAI_MEETING,
    SIBERIAN,
    SIBERIAN_2019,
    TALKS,
    VN,
    VN_RU_ANSWERS,
)
from pyoxigraph import Literal, NamedNode

from graph.errors import EntityNotFound
from graph.names import ORGANISATION_KINDS, index_from_store
from graph.queries.catalog import conflicts, graph_stats, search_entities
from graph.queries.items import meets_certainty
from graph.queries.paging import Paging
from graph.queries.relations import links_between, scope, timeline
from graph.store.loaded import loaded_sources


def node(store, name: str) -> NamedNode:
    """The organisation a name designates, resolved as the CLI does."""
    return index_from_store(store).require(name, ORGANISATION_KINDS).iri


def by_iri(items: list[dict]) -> dict[str, dict]:
    return {item["iri"]: item for item in items}


def files(item: dict) -> set[str]:
    return {source["file"].rsplit("/", 1)[-1] for source in item["sources"]}


def iris(entries: list[dict]) -> set[str]:
    return {entry["iri"] for entry in entries}


def dates_in_order(dates: list[str]) -> bool:
    return all(a <= b for a, b in zip(dates, dates[1:], strict=False))


# -- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "expected"), [
    ("Vietnam", VN), ("Viet Nam", VN), ("VN", VN), ("vietnam", VN),
    ("Socialist Republic of Viet Nam", VN),
    ("Vietnamese customs", GDVC), ("GDVC", GDVC), ("Vietnam Customs", GDVC),
    ("General Department of Vietnam Customs", GDVC),
    ("Russia", RU), ("RU", RU), ("Russian Federation", RU),
    ("FCS", FCS), ("Federal Customs Service of Russia", FCS),
    ("Siberian Customs Directorate", SIBERIAN), ("STU", SIBERIAN),
    ("EAEU", EAEU), ("Eurasian Economic Union", EAEU),
])
def test_names_resolve_loosely(curated_store, name, expected):
    assert node(curated_store, name).value == expected


def test_unknown_name_suggests_the_closest(curated_store):
    with pytest.raises(EntityNotFound) as err:
        node(curated_store, "Vietnm")
    assert str(err.value) == "no entity 'Vietnm' — did you mean Vietnam (VN)?"
    assert err.value.suggestions == ["Vietnam (VN)"]


def test_unknown_name_without_a_close_match(curated_store):
    with pytest.raises(EntityNotFound) as err:
        node(curated_store, "Xyzzyqq")
    assert str(err.value).startswith("no entity 'Xyzzyqq'")


# -- links: which agreements link Vietnam and Russia --------------------------------------------
@pytest.fixture(scope="module")
def vn_ru(curated_store) -> list[dict]:
    return links_between(curated_store, NamedNode(VN), NamedNode(RU))


def test_links_vietnam_russia_finds_every_agreement_and_event(vn_ru):
    assert set(by_iri(vn_ru)) == VN_RU_ANSWERS
    assert len(vn_ru) == len(VN_RU_ANSWERS)  # each answer once


def test_links_answers_have_the_documented_fields(vn_ru):
    for item in vn_ru:
        assert {"type", "kind", "iri", "label", "date", "via", "sources", "conflicts"} <= set(item)
        assert ("parties" if item["type"] == "agreement" else "participants") in item
        assert item["label"]
        assert item["sources"], item["iri"]


def test_links_2010_agreement_is_direct(vn_ru):
    item = by_iri(vn_ru)[AGREEMENT_2010]
    assert item["type"] == "agreement"
    assert item["kind"] == "mutual-assistance"
    assert "mutual administrative assistance in customs matters" in item["label"]
    assert item["date"] == item["signed"] == "2010"  # a year only: ISO at its precision
    assert iris(item["parties"]) == {VN, RU}
    assert iris(item["implementers"]) == {GDVC, FCS}
    assert item["via"] is None  # both countries are parties themselves
    assert files(item) == {ESTABLISHED, SEED_003}
    assert item["conflicts"] == []


def test_links_fta_goes_through_russias_eaeu_membership(vn_ru):
    item = by_iri(vn_ru)[FTA]
    assert item["type"] == "agreement"
    assert item["kind"] == "free-trade"
    assert iris(item["parties"]) == {VN, EAEU}
    # the best-supported (high reliability) signing date, and the entry into force
    assert item["signed"] == "2015-05-29"
    assert item["date"] == "2015-05-29"
    assert item["in_force"] == "2016-10-05"
    assert item["place"]["label"] == "Burabay"
    # the path is part of the answer: Russia is not a party, its union is
    assert item["via"] == [
        "Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)"]
    assert files(item) == {ESTABLISHED, SEED_003}


def test_links_fta_carries_the_signing_date_conflict(vn_ru):
    item = by_iri(vn_ru)[FTA]
    assert len(item["conflicts"]) == 1
    conflict = item["conflicts"][0]
    assert conflict["field"] == "signed"
    values = [(v["value"], {s["file"].rsplit("/", 1)[-1] for s in v["sources"]})
              for v in conflict["values"]]
    assert values == [("2015-05-29", {ESTABLISHED}), ("2016-10-05", {SEED_003})]
    assert conflict["values"][0]["sources"][0]["reliability"] == "high"
    assert conflict["values"][1]["sources"][0]["reliability"] == "medium"


@pytest.mark.parametrize(("iri", "kind"), [
    (JOINT_PLAN, "cooperation-plan"), (MINUTES, "minutes")])
def test_links_2019_documents_go_through_the_customs_services(vn_ru, iri, kind):
    item = by_iri(vn_ru)[iri]
    assert item["type"] == "agreement"
    assert item["kind"] == kind
    assert item["date"] == item["signed"] == "2019-09-09"
    assert iris(item["parties"]) == {GDVC, FCS}
    assert item["via"] == [
        "General Department of Vietnam Customs is an agency of Vietnam (VN)",
        "Federal Customs Service of Russia is an agency of Russia (RU)"]
    assert files(item) == {SEED_003}
    assert item["conflicts"] == []


def test_links_joint_plan_is_valid_2019_to_2023(vn_ru):
    item = by_iri(vn_ru)[JOINT_PLAN]
    assert "customs violations" in item["label"]
    assert (item["valid_from"], item["valid_to"]) == ("2019", "2023")


def test_links_moscow_talks(vn_ru):
    item = by_iri(vn_ru)[TALKS]
    assert item["type"] == "event"
    assert item["kind"] == "talks"
    assert item["date"] == "2019-09-09"
    assert item["date_text"] == "September 9"
    assert item["place"]["label"] == "Moscow"
    assert iris(item["participants"]) == {GDVC, FCS}
    assert item["host"]["iri"] == FCS
    assert {JOINT_PLAN, MINUTES} <= {o["iri"] for o in item["outcomes"]}
    assert item["planned"] is False
    assert item["via"] == [
        "General Department of Vietnam Customs is an agency of Vietnam (VN)",
        "Federal Customs Service of Russia is an agency of Russia (RU)"]
    assert files(item) == {SEED_003}


def test_links_planned_data_channel(vn_ru):
    item = by_iri(vn_ru)[DATA_CHANNEL]
    assert item["kind"] == "data-exchange"
    assert item["date"] == "2019-10-05"
    assert item["planned"] is True


def test_links_oldest_first_with_partial_dates(vn_ru):
    dates = [item["date"] for item in vn_ru]
    assert dates[:2] == ["2010", "2015-05-29"]
    assert dates == sorted(dates)
    assert vn_ru[-1]["iri"] == DATA_CHANNEL


def test_links_is_symmetric(curated_store, vn_ru):
    reverse = links_between(curated_store, NamedNode(RU), NamedNode(VN))
    assert [i["iri"] for i in reverse] == [i["iri"] for i in vn_ru]
    assert by_iri(reverse)[FTA]["via"] == [
        "Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)"]


@pytest.mark.parametrize("name", ["Vietnam", "Viet Nam", "VN", "Vietnamese customs", "GDVC"])
def test_links_same_answers_for_every_name_of_vietnam(curated_store, name):
    answers = links_between(curated_store, node(curated_store, name), node(curated_store, "Russia"))
    assert {item["iri"] for item in answers} == VN_RU_ANSWERS
    fta = by_iri(answers)[FTA]
    assert "Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)" in fta["via"]


def test_links_only_agreements_or_only_events(curated_store):
    agreements = links_between(curated_store, NamedNode(VN), NamedNode(RU), ("agreement",))
    events = links_between(curated_store, NamedNode(VN), NamedNode(RU), ("event",))
    assert {i["iri"] for i in agreements} == {AGREEMENT_2010, FTA, JOINT_PLAN, MINUTES}
    assert {i["iri"] for i in events} == {TALKS, DATA_CHANNEL}


def test_links_other_eaeu_member_through_the_fta(curated_store):
    answers = links_between(curated_store, NamedNode(VN), node(curated_store, "Kyrgyzstan"))
    assert [i["iri"] for i in answers] == [FTA]
    assert answers[0]["via"][0].startswith("Kyrgyzstan (KG) is a member of the Eurasian")


def test_links_nothing_between_unrelated_entities(curated_store):
    assert links_between(curated_store, NamedNode(VN), NamedNode(ID + "country/CU")) == []


def test_scope_of_russia_includes_its_agencies_and_union(curated_store):
    found = scope(curated_store, NamedNode(RU))
    assert found[RU].rel == "self"
    assert found[FCS].rel == "part"
    assert found[SIBERIAN].rel == "part"
    assert found[EAEU].rel == "member"
    assert found[EAEU].via == RU
    assert found[EAEU].since == "2015-01-01"


def test_scope_of_an_agency_includes_its_country(curated_store):
    found = scope(curated_store, NamedNode(GDVC))
    assert found[GDVC].rel == "self"
    assert found[VN].rel == "parent"


# -- timeline -----------------------------------------------------------------------------------
def test_timeline_siberian_directorate_2019(curated_store):
    items = timeline(curated_store, [NamedNode(SIBERIAN)], "2019", "2019-12-31")
    found = by_iri(items)
    assert set(found) == SIBERIAN_2019
    mongolia = found[MONGOLIA_MEETING]
    assert mongolia["kind"] == "meeting"
    assert mongolia["date"] == "2019"
    assert iris(mongolia["participants"]) >= {
        SIBERIAN, MN, ID + "agency/mn-far-eastern-customs-administration"}
    shanghai = found[SHANGHAI_MEETING]
    assert iris(shanghai["participants"]) == {
        SIBERIAN, ID + "agency/ru-novosibirsk-customs", ID + "agency/cn-shanghai-customs"}
    assert files(shanghai) == {SEED_000}
    assert all(item["date"] == "2019" for item in items)
    assert PLANNED_2020 not in found


def test_timeline_summaries_carry_their_counts(curated_store):
    found = by_iri(timeline(curated_store, [NamedNode(SIBERIAN)], "2019", "2019"))
    counts = {iri.rsplit("/", 1)[-1]: item["count"] for iri, item in found.items()}
    assert counts["stu-2019-international-events"] == 20
    assert counts["stu-2019-foreign-customs-meetings"] == 9
    assert counts["stu-2019-meetings-china"] == 5
    assert counts["stu-2019-meetings-mongolia"] == 2
    assert counts["stu-2019-forums"] == 11
    assert counts["stu-2019-meeting-shanghai-customs"] is None


def test_timeline_without_period_includes_planned_2020(curated_store):
    items = timeline(curated_store, [NamedNode(SIBERIAN)])
    assert set(by_iri(items)) == SIBERIAN_2019 | {PLANNED_2020}
    assert items[-1]["iri"] == PLANNED_2020
    assert items[-1]["planned"] is True


def test_timeline_partial_dates_sort_before_the_days_they_contain(curated_store):
    items = timeline(curated_store, [NamedNode(RU)])
    dates = [item["date"] for item in items]
    assert dates_in_order(dates)
    assert dates[0] == "2010"
    # "2019" (the directorate's undated-within-the-year events) before "2019-09-09"
    assert dates.index("2019-09-09") > max(i for i, d in enumerate(dates) if d == "2019")
    assert dates.index("2019-10-05") > dates.index("2019-09-09")
    assert dates[-1] == "2020"


def test_timeline_of_a_country_includes_its_agencies_and_units(curated_store):
    found = by_iri(timeline(curated_store, [NamedNode(RU)]))
    assert {AGREEMENT_2010, JOINT_PLAN, MINUTES, TALKS, DATA_CHANNEL} <= set(found)
    assert SIBERIAN_2019 <= set(found)  # a unit of the FCS, an agency of Russia


EAEU_BODIES = """
source: {id: eaeu-bodies, title: What the EAEU's bodies did}
agencies:
  - {id: eaeu-customs, name: customs authorities of the EAEU countries, country: null}
  - {id: eaeu-customs-it, name: Joint IT group of the EAEU customs, country: null,
     parent: customs authorities of the EAEU countries}
agreements:
  - id: eaeu-vn-information-protocol
    title: Protocol on exchanging information on goods moved between the Union States and Vietnam
    kind: protocol
    parties: [customs authorities of the EAEU countries, VN]
    signed: "2018"
events:
  - id: eec-vn-consultation-2019
    kind: meeting
    date: "2019-03-04"
    participants: [Eurasian Economic Commission, VN]
  - id: eaeu-it-group-2020
    kind: meeting
    date: "2020-02-03"
    participants: [Joint IT group of the EAEU customs, CN]
"""


def test_a_unions_timeline_includes_what_its_bodies_did(memory_store, tmp_path):
    """The Eurasian Economic Commission (the EAEU's executive body), the customs authorities of
    the EAEU countries (a collective body) and a unit of theirs act for the union."""
    from loaders.load import load_paths

    path = tmp_path / "eaeu-bodies.yaml"
    path.write_text(EAEU_BODIES, encoding="utf-8")
    load_paths(memory_store, [path])
    found = [item["iri"] for item in timeline(memory_store, [NamedNode(EAEU)])]
    assert found == [ID + "agreement/eaeu-vn-information-protocol",
                     ID + "event/eec-vn-consultation-2019", ID + "event/eaeu-it-group-2020"]
    # Vietnam's own timeline is unchanged: a body stands for its union, not for its partners.
    assert ID + "event/eaeu-it-group-2020" not in {
        item["iri"] for item in timeline(memory_store, [NamedNode(VN)])}


@pytest.mark.parametrize(("since", "until", "expected"), [
    ("2019-09-10", None, {JOINT_PLAN, DATA_CHANNEL}),  # the plan is valid until 2023
    (None, "2012", {AGREEMENT_2010}),
    ("2016", "2016", {FTA}),  # in force 2016-10-05
    ("2019-09", "2019-09", {JOINT_PLAN, MINUTES, TALKS}),
    ("2019-09-09", "2019-09-09", {JOINT_PLAN, MINUTES, TALKS}),
    ("2020", None, {JOINT_PLAN}),
    ("2024", None, set()),
    (None, "2009", set()),
])
def test_timeline_since_until(curated_store, since, until, expected):
    items = timeline(curated_store, [NamedNode(VN)], since, until)
    assert {item["iri"] for item in items} == expected
    assert dates_in_order([item["date"] for item in items])


def test_timeline_of_vietnam_without_period(curated_store):
    items = timeline(curated_store, [NamedNode(VN)])
    assert [item["iri"] for item in items][:2] == [AGREEMENT_2010, FTA]
    assert {item["iri"] for item in items} == VN_RU_ANSWERS


def test_timeline_of_everything(curated_store):
    items = timeline(curated_store, [])
    events = {i["iri"] for i in items if i["type"] == "event"}
    agreements = {i["iri"] for i in items if i["type"] == "agreement"}
    assert agreements == {AGREEMENT_2010, FTA, JOINT_PLAN, MINUTES}
    assert events == SIBERIAN_2019 | {PLANNED_2020, TALKS, DATA_CHANNEL}
    assert dates_in_order([i["date"] for i in items])


def test_timeline_rejects_a_bad_date(curated_store):
    with pytest.raises(ValueError):
        timeline(curated_store, [NamedNode(VN)], "2019-13")


def test_timeline_bounds_are_data_not_query_text(curated_store):
    # a period bound is bound as a value; text that is not a date never reaches the query
    with pytest.raises(ValueError):
        timeline(curated_store, [NamedNode(VN)], '2019" ) } #')


# -- entities -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("Vietnam", VN),
    ("Viet Nam", VN),
    ("VN", VN),
    ("GDVC", GDVC),  # an acronym
    ("Vietnamese customs", GDVC),
    ("FCS", FCS),
    ("STU", SIBERIAN),
    ("Siberian", SIBERIAN),
    ("Sibirian Customs", SIBERIAN),  # misspelt
    ("EAEU", EAEU),
    ("Bulavin", ID + "person/vladimir-bulavin"),
    ("Nguyễn Văn Cẩn", ID + "person/nguyen-van-can"),  # an alias with diacritics
    ("Vietnam - EAEU FTA", FTA),  # an agreement's alias
    ("Victoria Olca", ID + "person/victoria-olca"),
])
def test_search_entities_best_match(curated_store, text, expected):
    found = search_entities(curated_store, text, limit=5)
    assert found, text
    assert found[0]["iri"] == expected
    assert len(found) <= 5


def test_search_entities_fields(curated_store):
    [vietnam] = [e for e in search_entities(curated_store, "Vietnam") if e["iri"] == VN]
    assert vietnam["kind"] == "country"
    assert vietnam["label"] == "Vietnam"
    assert vietnam["code"] == "VN"
    assert {"Viet Nam", "VNM", "Socialist Republic of Viet Nam"} <= set(vietnam["aliases"])
    [gdvc] = search_entities(curated_store, "GDVC", limit=1)
    assert gdvc["kind"] == "agency"
    assert "GDVC" in gdvc["aliases"]


def test_search_entities_scores_descend(curated_store):
    scores = [e["score"] for e in search_entities(curated_store, "Vietnam", limit=10)]
    assert scores == sorted(scores, reverse=True)


def test_search_entities_nothing_for_nonsense(curated_store):
    assert search_entities(curated_store, "xyzzyq") == []


def test_search_entities_without_text_lists_all_up_to_limit(curated_store):
    found = search_entities(curated_store, None, limit=1000)
    assert {VN, RU, GDVC, FCS, SIBERIAN, FTA, ID + "person/victoria-olca"} <= {
        e["iri"] for e in found}
    assert len(search_entities(curated_store, None, limit=3)) == 3


# -- stats, sources, conflicts ------------------------------------------------------------------
def test_graph_stats(curated_store):
    stats = graph_stats(curated_store)
    assert stats["triples"] == len(curated_store)  # every quad sits in a named graph
    assert stats["graphs"] == 6  # three reference files and three data files
    entities = stats["entities"]
    assert entities["Agreement"] == 4
    assert entities["Event"] == 12
    assert entities["EventSummary"] == 7
    assert entities["Person"] == 3
    assert entities["LoadedFile"] == 6
    countries = curated_store.select(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{CKG}Country> }}")
    assert entities["Country"] == int(countries[0]["n"].value)


def test_loaded_sources(curated_store):
    sources = {s.path.rsplit("/", 1)[-1]: s for s in loaded_sources(curated_store)}
    assert {ESTABLISHED, SEED_000, SEED_003} <= set(sources)
    assert len(sources) == 6
    for source in sources.values():
        assert len(source.hash) == 64
        assert source.triples > 0
        assert source.loaded_at[:2] == "20" and "T" in source.loaded_at


def test_conflicts_fta_signing_date(curated_store):
    found = conflicts(curated_store)
    assert len(found) == 1
    [conflict] = found
    assert conflict["iri"] == FTA
    assert conflict["field"] == "signed"
    assert conflict["property"] == CKG + "signingDate"
    values = [(v["value"], [s["file"].rsplit("/", 1)[-1] for s in v["sources"]])
              for v in conflict["values"]]
    assert values == [("2015-05-29", [ESTABLISHED]), ("2016-10-05", [SEED_003])]


# -- bound values are data ----------------------------------------------------------------------
HOSTILE = 'Vietnam" } UNION { ?e ?p ?o } # {braces} \\" \'quoted\' }}'


def test_bound_literal_is_data_not_query_text(curated_store):
    query = "SELECT DISTINCT ?e WHERE { ?e skos:prefLabel ?name }"
    assert curated_store.select(query, {"name": Literal(HOSTILE)}) == []
    [row] = curated_store.select(query, {"name": Literal("Federal Customs Service of Russia")})
    assert row["e"].value == FCS
    [echo] = curated_store.select("SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": Literal(HOSTILE)})
    assert echo["x"] == Literal(HOSTILE)


def test_bound_iri(curated_store):
    rows = curated_store.select("SELECT DISTINCT ?label WHERE { ?e skos:prefLabel ?label }",
                                {"e": NamedNode(VN)})
    assert [row["label"].value for row in rows] == ["Vietnam"]
    assert curated_store.ask("ASK { ?a a ckg:FreeTradeAgreement }", {"a": NamedNode(FTA)})
    assert not curated_store.ask("ASK { ?a a ckg:FreeTradeAgreement }",
                                 {"a": NamedNode(MINUTES)})


# -- pages: limits and offsets pushed into the store, the same answers in the same order ------
PAGES = [(2, 0), (2, 2), (3, 5), (50, 0), (1, 100)]


@pytest.fixture(params=["ordered first", "all described"])
def ordering(request, monkeypatch):
    """Both ways to a page: the items put in order from their dates and titles, then the page
    described (what a big store takes), or all described at once (few answers)."""
    if request.param == "ordered first":
        monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)
    return request.param


@pytest.mark.parametrize(("limit", "offset"), PAGES)
def test_timeline_pages_are_slices_of_the_whole(curated_store, limit, offset, ordering):
    whole = timeline(curated_store, [NamedNode(RU)])
    page = timeline(curated_store, [NamedNode(RU)], paging=Paging(limit, offset))
    assert [i["iri"] for i in page] == [i["iri"] for i in whole][offset:offset + limit]
    assert page == whole[offset:offset + limit]
    assert page.total == whole.total == len(whole)


@pytest.mark.parametrize(("limit", "offset"), PAGES)
def test_links_pages_are_slices_of_the_whole(curated_store, limit, offset, ordering):
    whole = links_between(curated_store, NamedNode(VN), NamedNode(RU))
    page = links_between(curated_store, NamedNode(VN), NamedNode(RU), paging=Paging(limit, offset))
    assert page == whole[offset:offset + limit]
    assert page.total == len(whole) == len(VN_RU_ANSWERS)


def test_a_page_of_one_type_of_links(curated_store, ordering):
    events = links_between(curated_store, NamedNode(VN), NamedNode(RU), ("event",))
    page = links_between(curated_store, NamedNode(VN), NamedNode(RU), ("event",), Paging(1, 1))
    assert page == events[1:2] and page.total == len(events) == 2


@pytest.mark.parametrize(("since", "until"), [("2019", "2019-12-31"), ("2010-05", "2019-09-09"),
                                              ("2001", "2030"), ("2019-09-09", None),
                                              (None, "2019-09")])
def test_timeline_periods_listed_or_compared_agree(curated_store, since, until, monkeypatch):
    """Periods short enough have their date values listed for the index; longer ones compare
    every date: both give the same answers."""
    import graph.queries.period as period

    listed = timeline(curated_store, [], since, until)
    monkeypatch.setattr(period, "MAX_LISTED_YEARS", 0)
    compared = timeline(curated_store, [], since, until)
    assert listed == compared
    assert listed, "the curated data has items in each of these periods"


def test_timeline_page_with_a_certainty_filter(curated_store):
    """A page keeps only what passes the filter, and is full when enough answers pass."""
    whole = [i for i in timeline(curated_store, [NamedNode(RU)])
             if meets_certainty(i, None, curated_only=True)]
    page = timeline(curated_store, [NamedNode(RU)],
                    paging=Paging(limit=2, offset=1, curated_only=True))
    assert page == whole[1:3]
    everything = timeline(curated_store, [NamedNode(RU)], paging=Paging(curated_only=True))
    assert everything == whole and everything.total == len(whole)
