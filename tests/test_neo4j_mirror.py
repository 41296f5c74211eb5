"""The Neo4j mirror against a real Bolt server (ArcadeDB by default, or NEO4J_URI's server).

The central check compares the whole mirror, node by node and relationship by relationship, with
the projection of the RDF store (``project_all``): after full syncs, incremental ones, removals
and interrupted runs alike.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import neo4j
import pytest
from bolt_test_server import BoltSettings, free_port
from curated import (
    DATA,
    FCS,
    FTA,
    GDVC,
    ID,
    RU,
    SEED_000,
    SEED_003,
    SIBERIAN,
    STAFF_TRAINING,
    TALKS,
    copy_seeds,
)
from neo4j.time import Date

from cli import cli
from graph.errors import MirrorError
from graph.neo4j.browser import guide_slides, write_guide, write_style
from graph.neo4j.mapping import (
    CLASS_LABELS,
    NODE_LABELS,
    PARTNER_OF,
    REIFIED,
    RELATIONSHIP_TYPES,
)
from graph.neo4j.mirror import (
    Neo4jSettings,
    connect,
    mirror_status,
    mirror_to_neo4j,
)
from graph.neo4j.projection import PROJECTION_VERSION, project_all
from graph.network import DEFAULT_WEIGHTS
from graph.store import STORE_ENV, OxigraphStore
from loaders.load import load_paths, remove_source

pytest_plugins = ["neo4j_fixtures"]



# -- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture
def settings(bolt_server: BoltSettings, empty_bolt_db: neo4j.Driver) -> Neo4jSettings:
    """Where the (emptied) test database is."""
    return Neo4jSettings(bolt_server.uri, bolt_server.user, bolt_server.password,
                         bolt_server.database)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the curated data that a test may change."""
    target = tmp_path / "data"
    copy_seeds(target)
    return target


@pytest.fixture
def store(data_dir: Path):
    store = OxigraphStore(None)
    load_paths(store, [data_dir])
    yield store
    store.close()


def run(driver: neo4j.Driver, settings: Neo4jSettings, query: str, **params: Any) -> list:
    return driver.execute_query(query, params, database_=settings.database).records


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def _props(props: dict[str, Any]) -> tuple:
    return tuple(sorted((k, _plain(v)) for k, v in props.items()))


def mirror_contents(driver: neo4j.Driver, settings: Neo4jSettings) -> tuple[dict, Counter]:
    """Every mirrored node (uri → labels, properties) and relationship (a multiset)."""
    nodes = {r["props"]["uri"]: (frozenset(r["labels"]), _props(r["props"])) for r in run(
        driver, settings, "MATCH (n:Resource) RETURN labels(n) AS labels, properties(n) AS props")}
    rels = Counter((r["type"], r["a"], r["b"], _props(r["props"])) for r in run(
        driver, settings, "MATCH (a:Resource)-[r]->(b:Resource) RETURN type(r) AS type, "
        "a.uri AS a, b.uri AS b, properties(r) AS props"))
    return nodes, rels


def projected_contents(store: OxigraphStore) -> tuple[dict, Counter]:
    projection = project_all(store)
    nodes = {n.uri: (frozenset(n.labels), _props(n.props)) for n in projection.nodes.values()}
    rels = Counter((r.type, r.start, r.end, _props(r.props)) for r in projection.rels)
    return nodes, rels


def assert_mirrors(driver: neo4j.Driver, settings: Neo4jSettings, store: OxigraphStore) -> None:
    """The mirror holds exactly the store's projection, and no uri twice."""
    nodes, rels = mirror_contents(driver, settings)
    want_nodes, want_rels = projected_contents(store)
    assert set(nodes) == set(want_nodes)
    for uri, node in want_nodes.items():
        assert nodes[uri] == node, uri
    assert rels == want_rels
    counts = run(driver, settings, "MATCH (n:Resource) RETURN count(n) AS n, "
                 "count(DISTINCT n.uri) AS distinct")[0]
    assert counts["n"] == counts["distinct"]
    assert mirror_status(store, settings).in_sync


def node(driver: neo4j.Driver, settings: Neo4jSettings, uri: str) -> tuple[set[str], dict]:
    records = run(driver, settings, "MATCH (n:Resource {uri: $uri}) "
                  "RETURN labels(n) AS labels, properties(n) AS props", uri=uri)
    assert len(records) == 1, uri
    return set(records[0]["labels"]), records[0]["props"]


class Interrupt(Exception):
    pass


def stop_after(batches: int):
    """A progress callback that interrupts the sync after ``batches`` batches were written."""
    seen = Counter()

    def progress(stage: str, done: int, total: int) -> None:
        if total:
            seen["batches"] += 1
            if seen["batches"] >= batches:
                raise Interrupt(stage)

    return progress


def change_seed_003(data_dir: Path) -> Path:
    """Make the Vietnamese side host the 2019 talks and drop one of their topics."""
    path = data_dir / SEED_003
    text = path.read_text()
    changed = text.replace("    host: Federal Customs Service of Russia\n",
                           "    host: General Department of Vietnam Customs\n")
    changed = changed.replace("      - staff training\n", "")
    assert changed != text
    path.write_text(changed)
    return path


# -- full sync: what the mirror holds ---------------------------------------------------------
def test_full_sync_mirrors_the_projection(store, settings, neo4j_driver):
    report = mirror_to_neo4j(store, settings)
    assert report.mode == "full"
    assert report.nodes == 435 and report.relationships > 1000
    assert_mirrors(neo4j_driver, settings, store)
    status = mirror_status(store, settings)
    labels = {name: counts for name, counts in status.labels.items()}
    assert labels["Resource"] == (report.nodes, report.nodes)
    assert labels["Country"][1] == 249 and labels["CustomsAdministration"][1] == 115
    # The curated data names no union's collective body (test_a_unions_bodies_point_to_it).
    assert set(status.types) == set(RELATIONSHIP_TYPES) - {"COLLECTIVE_BODY_OF"}
    # Every label of the mapping occurs in the curated data but three agreement and event kinds.
    assert set(NODE_LABELS) - set(labels) == {
        "Visit", "Signing", "Training", "MemorandumOfUnderstanding",
        "MutualRecognitionArrangement", "GovernmentBody"}


def test_constraints_and_indexes_are_created(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    constraints = run(neo4j_driver, settings, "SHOW CONSTRAINTS YIELD labelsOrTypes, properties "
                      "RETURN labelsOrTypes, properties")
    assert {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in constraints} >= {
        (("Resource",), ("uri",)), (("SyncState",), ("id",))}
    indexes = run(neo4j_driver, settings, "SHOW INDEXES YIELD labelsOrTypes, properties "
                  "RETURN labelsOrTypes, properties")
    assert {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in indexes} >= {
        (("Country",), ("iso",)), (("Resource",), ("id",)), (("MEMBER_OF",), ("uri",))}


def test_labels_properties_and_provenance(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    labels, props = node(neo4j_driver, settings, RU)
    assert labels == {"Resource", "Country"}
    assert props["iso"] == "RU" and props["iso3"] == "RUS" and props["name"] == "Russia"
    assert props["sources"] == ["reference:agencies", "reference:countries"]

    labels, props = node(neo4j_driver, settings, FCS)
    assert labels == {"Resource", "Agency", "CustomsAdministration"}
    # Multi-valued: the gazetteer's aliases and the seed's, one list, none lost.
    assert "ФТС России" in props["aliases"] and "Federal Customs Service of Russia" in \
        props["aliases"]
    assert props["sources"] == [str(store_path(store, SEED_003)), "reference:agencies"]

    labels, props = node(neo4j_driver, settings, SIBERIAN)
    assert labels == {"Resource", "Agency", "CustomsAdministration", "RegionalCustomsUnit"}

    labels, props = node(neo4j_driver, settings, ID + "agreement/vn-ru-working-minutes-2019")
    assert labels == {"Resource", "Agreement", "Protocol", "Minutes"}

    labels, props = node(neo4j_driver, settings, TALKS)
    assert labels == {"Resource", "Event", "Talks"}
    assert props["start_date"] == Date(2019, 9, 9) and "start_date_precision" not in props
    assert props["kind"] == "talks" and props["cameo_code"] == "046"
    assert props["date_text"] == "September 9"
    assert len(props["outcome_notes"]) == 2


def store_path(store: OxigraphStore, name: str) -> str:
    from graph.store.loaded import loaded_sources

    return next(s.path for s in loaded_sources(store) if s.path.endswith(name))


def test_conflicting_values_are_all_kept(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    labels, props = node(neo4j_driver, settings, FTA)
    assert labels == {"Resource", "Agreement", "FreeTradeAgreement"}
    assert props["signed"] == Date(2015, 5, 29)
    assert props["signed_values"] == ["2015-05-29", "2016-10-05"]
    assert props["conflicts"] == ["signed"]
    assert props["in_force"] == Date(2016, 10, 5) and "in_force_values" not in props
    assert len(props["notes"]) == 2 and len(props["sources"]) == 2


def test_partial_dates_keep_their_precision(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    _, post = node(neo4j_driver, settings, ID + "post/ru-fcs-head")
    assert (post["start_date"], post["start_date_precision"]) == ("2016-07", "month")
    assert (post["end_date"], post["end_date_precision"]) == ("2022-02", "month")
    assert post["role"] == "Head"
    _, summary = node(neo4j_driver, settings, ID + "event/stu-2019-forums")
    assert (summary["start_date"], summary["start_date_precision"]) == ("2019", "year")
    assert summary["event_count"] == 11
    _, agreement = node(neo4j_driver, settings, ID + "agreement/vn-ru-customs-assistance-2010")
    assert (agreement["signed"], agreement["signed_precision"]) == ("2010", "year")


def test_relationships_read_naturally_and_carry_provenance(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    member = run(neo4j_driver, settings, "MATCH (:Country {iso: 'RU'})-[m:MEMBER_OF]->"
                 "(u:Union {id: 'eaeu'}) RETURN properties(m) AS props")
    assert len(member) == 1
    assert member[0]["props"] == {"uri": ID + "membership/ru-eaeu", "since": Date(2015, 1, 1),
                                  "sources": ["reference:unions"]}
    found = {(r["type"], r["other"]) for r in run(
        neo4j_driver, settings, "MATCH (t:Resource {uri: $uri})-[r]-(o:Resource) "
        "RETURN type(r) AS type, o.uri AS other", uri=TALKS)}
    assert {("PARTICIPATED_IN", FCS), ("PARTICIPATED_IN", GDVC), ("HOSTED", FCS),
            ("PRODUCED", ID + "agreement/vn-ru-joint-plan-2019-2023"),
            ("HELD_IN", ID + "place/moscow"), ("ATTENDED", ID + "person/vladimir-bulavin"),
            ("DERIVED_FROM", ID + "source/seed-003")} <= found
    assert ("ABOUT", STAFF_TRAINING) in found
    directions = run(neo4j_driver, settings,
                     "MATCH (:Agency {id: 'ru-fcs'})-[:PARTY_TO]->(a:Agreement) "
                     "RETURN count(a) AS n")
    assert directions[0]["n"] == 2
    missing = run(neo4j_driver, settings, "MATCH ()-[r]->() WHERE r.uri IS NULL "
                  "OR r.sources IS NULL OR size(r.sources) = 0 RETURN count(r) AS n")
    assert missing[0]["n"] == 0
    missing = run(neo4j_driver, settings, "MATCH (n:Resource) WHERE n.sources IS NULL "
                  "OR size(n.sources) = 0 RETURN count(n) AS n")
    assert missing[0]["n"] == 0


def test_russia_partners_include_vietnam(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    # The query draws Russia's partners at once.
    paths = run(neo4j_driver, settings,
                "MATCH p=(:Country {iso: 'RU'})-[:PARTNER_OF]-() RETURN p")
    assert len(paths) == 6
    partners = {r["iso"]: r["props"] for r in run(
        neo4j_driver, settings, "MATCH (:Country {iso: 'RU'})-[r:PARTNER_OF]-(p:Country) "
        "RETURN p.iso AS iso, properties(r) AS props")}
    assert set(partners) == {"VN", "CN", "MN", "KR", "KZ", "CU"}
    # As `customs-kg partners Russia` weighs them, under the default weights (a binding
    # agreement 5, another agreement 3, an event 1, a summary line its events but at most 3;
    # tests/test_network.py::test_russias_partners_by_country adds them up).
    assert sorted(((iso, partners[iso]["weight"]) for iso in ("CN", "MN", "CU", "VN")),
                  key=lambda p: -p[1]) == [("VN", 18), ("CN", 7), ("MN", 5), ("CU", 3)]
    vietnam = partners["VN"]
    # The 2010 assistance agreement and (Russia being a member of the EAEU) the EAEU's FTA,
    # binding, 5 each; the working minutes and the joint plan 3 each; the talks and the planned
    # data channel 1 each.
    assert (vietnam["agreements"], vietnam["events"], vietnam["weight"]) == (4, 2, 18)
    assert (vietnam["first_year"], vietnam["last_year"]) == (2010, 2019)
    assert vietnam["level"] == "country"
    assert vietnam["uri"] == ID + "partnership/country/RU--VN"
    assert len(vietnam["sources"]) == 2
    agencies = run(neo4j_driver, settings, "MATCH (:Agency {id: 'ru-fcs'})-[r:PARTNER_OF]-"
                   "(:Agency {id: 'vn-gdvc'}) RETURN properties(r) AS props")
    assert len(agencies) == 1  # agencies are not parties to their union's agreements
    # The FTA is the union's: the assistance agreement 5, the minutes and the plan 3 each, and
    # the two events.
    assert (agencies[0]["props"]["agreements"], agencies[0]["props"]["events"],
            agencies[0]["props"]["weight"]) == (3, 2, 13)
    assert agencies[0]["props"]["level"] == "agency"


# -- incremental sync -------------------------------------------------------------------------
def test_second_sync_changes_nothing(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    before = mirror_contents(neo4j_driver, settings)
    report = mirror_to_neo4j(store, settings)
    assert report.mode == "up-to-date" and report.writes == 0
    assert mirror_contents(neo4j_driver, settings) == before
    # A full rebuild gives the very same mirror, and the sync after it writes nothing.
    assert mirror_to_neo4j(store, settings, full=True).mode == "full"
    assert mirror_contents(neo4j_driver, settings) == before
    assert mirror_to_neo4j(store, settings).writes == 0


def test_incremental_sync_after_changing_a_source(store, data_dir, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    total = len(mirror_contents(neo4j_driver, settings)[0])
    path = change_seed_003(data_dir)
    load_paths(store, [data_dir])
    report = mirror_to_neo4j(store, settings)
    assert report.mode == "incremental"
    assert report.changed == [str(path.resolve())] and not report.added and not report.removed
    assert report.nodes < total / 10  # only what the file states is rewritten
    assert_mirrors(neo4j_driver, settings, store)
    hosts = run(neo4j_driver, settings, "MATCH (h)-[:HOSTED]->(:Talks) RETURN h.id AS id")
    assert [r["id"] for r in hosts] == ["vn-gdvc"]
    gone = run(neo4j_driver, settings, "MATCH (t:Topic {uri: $uri}) RETURN t", uri=STAFF_TRAINING)
    assert gone == []
    assert mirror_to_neo4j(store, settings).writes == 0


def test_removed_source_is_removed(store, data_dir, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    removed = remove_source(store, str(data_dir / SEED_000))
    report = mirror_to_neo4j(store, settings)
    assert report.removed == [removed.path]
    assert_mirrors(neo4j_driver, settings, store)
    # Stated only by seed 000: deleted. Also in the gazetteer: kept, without the seed.
    assert run(neo4j_driver, settings, "MATCH (p:Person {id: 'victoria-olca'}) RETURN p") == []
    assert run(neo4j_driver, settings, "MATCH (e:EventSummary) RETURN e") == []
    _, props = node(neo4j_driver, settings, SIBERIAN)
    assert props["sources"] == ["reference:agencies"]
    partners = run(neo4j_driver, settings, "MATCH (:Country {iso: 'RU'})-[r:PARTNER_OF]-"
                   "(p:Country) RETURN p.iso AS iso")
    assert [r["iso"] for r in partners] == ["VN"]
    # Loading it again brings everything back.
    load_paths(store, [data_dir])
    assert mirror_to_neo4j(store, settings).added == [removed.path]
    assert_mirrors(neo4j_driver, settings, store)


MONGOLIA_JOINS = """\
source: {id: test-membership, title: A membership made up for a test}
memberships:
  - {member: MN, organisation: EAEU, since: "2015-01-01"}
"""


def vietnam_partners(driver: neo4j.Driver, settings: Neo4jSettings) -> dict[str, int]:
    return {r["iso"]: r["agreements"] for r in run(
        driver, settings, "MATCH (:Country {iso: 'VN'})-[r:PARTNER_OF]-(p:Country) "
        "RETURN p.iso AS iso, r.agreements AS agreements")}


def test_a_membership_changes_partners_through_the_union(store, data_dir, settings,
                                                         neo4j_driver):
    mirror_to_neo4j(store, settings)
    assert "MN" not in vietnam_partners(neo4j_driver, settings)
    joins = data_dir / "mongolia-joins.yaml"
    joins.write_text(MONGOLIA_JOINS)
    load_paths(store, [joins])
    assert mirror_to_neo4j(store, settings).mode == "incremental"
    assert_mirrors(neo4j_driver, settings, store)
    assert vietnam_partners(neo4j_driver, settings)["MN"] == 1  # the EAEU's FTA
    remove_source(store, str(joins))
    assert mirror_to_neo4j(store, settings).mode == "incremental"
    assert_mirrors(neo4j_driver, settings, store)
    assert "MN" not in vietnam_partners(neo4j_driver, settings)


UNIONS_AGREE = """\
source: {id: test-unions, title: An agreement between two unions made up for a test}
agreements:
  - {id: test-eaeu-asean, title: Memorandum between the EAEU and ASEAN, kind: memorandum,
     parties: [EAEU, ASEAN], signed: "2018-11-14"}
"""


def test_an_agreement_between_unions_links_their_members(store, data_dir, settings,
                                                          neo4j_driver):
    """Neither Kazakhstan nor Thailand is named by the file: their partnership comes from
    the unions they belong to, and the incremental sync follows it both ways."""
    query = ("MATCH (:Country {iso: 'KZ'})-[r:PARTNER_OF]-(:Country {iso: 'TH'}) "
             "RETURN r.agreements AS agreements")
    mirror_to_neo4j(store, settings)
    assert run(neo4j_driver, settings, query) == []
    agreement = data_dir / "unions-agree.yaml"
    agreement.write_text(UNIONS_AGREE)
    load_paths(store, [agreement])
    assert mirror_to_neo4j(store, settings).mode == "incremental"
    assert_mirrors(neo4j_driver, settings, store)
    assert [r["agreements"] for r in run(neo4j_driver, settings, query)] == [1]
    remove_source(store, str(agreement))
    assert mirror_to_neo4j(store, settings).mode == "incremental"
    assert_mirrors(neo4j_driver, settings, store)
    assert run(neo4j_driver, settings, query) == []


TURTLE_PREFIXES = """\
@prefix ckg: <https://w3id.org/customs-kg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def test_new_node_gets_the_relationships_others_state(store, data_dir, settings, neo4j_driver):
    # An event names a participant that nothing types yet: no relationship to it.
    (data_dir / "event.ttl").write_text(TURTLE_PREFIXES + """
<https://w3id.org/customs-kg/id/event/x-visit> a ckg:Event, ckg:Visit ;
    skos:prefLabel "A visit" ; schema:startDate "2021-03"^^xsd:gYearMonth ;
    ckg:participant <https://w3id.org/customs-kg/id/agency/vn-gdvc>,
        <https://w3id.org/customs-kg/id/agency/x-new-office> .
""")
    load_paths(store, [data_dir])
    mirror_to_neo4j(store, settings)
    assert_mirrors(neo4j_driver, settings, store)
    # Another file then says what the participant is: the event's relationship appears.
    (data_dir / "office.ttl").write_text(TURTLE_PREFIXES + """
<https://w3id.org/customs-kg/id/agency/x-new-office> a ckg:Agency, ckg:CustomsAdministration ;
    skos:prefLabel "Hải quan mới"@vi, "New customs office"@en ;
    skos:altLabel "Office"@en, "Văn phòng"@vi, "NCO" ;
    ckg:country <https://w3id.org/customs-kg/id/country/VN> .
""")
    load_paths(store, [data_dir])
    report = mirror_to_neo4j(store, settings)
    assert report.mode == "incremental" and len(report.added) == 1
    assert_mirrors(neo4j_driver, settings, store)
    labels, props = node(neo4j_driver, settings, ID + "agency/x-new-office")
    assert labels == {"Resource", "Agency", "CustomsAdministration"}
    # Language tags kept; the English name doubles as the plain one.
    assert (props["name"], props["name_en"], props["name_vi"]) == (
        "New customs office", "New customs office", "Hải quan mới")
    assert (props["aliases"], props["aliases_en"], props["aliases_vi"]) == (
        ["NCO"], ["Office"], ["Văn phòng"])
    linked = run(neo4j_driver, settings, "MATCH (:Agency {name: 'New customs office'})"
                 "-[r:PARTICIPATED_IN]->(e:Visit) RETURN r.uri AS owner")
    assert [r["owner"] for r in linked] == [ID + "event/x-visit"]


def test_sync_state_records_the_loaded_files(store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    state = run(neo4j_driver, settings, "MATCH (s:SyncState) RETURN properties(s) AS s")
    assert len(state) == 1
    props = state[0]["s"]
    assert len(props["graphs"]) == len(props["paths"]) == len(props["hashes"]) == 6
    assert props["pending"] == [] and props["mapping"]


def test_a_mirror_synced_under_other_partner_weights_is_rebuilt(store, settings, neo4j_driver):
    """PARTNER_OF weights come from the default partner weights, which the sync state names:
    a mirror synced before they changed (as under the mapping of version 1, when every
    agreement and event counted 1) is rebuilt, not left with stale weights."""
    mirror_to_neo4j(store, settings)
    (state,) = run(neo4j_driver, settings, "MATCH (s:SyncState) RETURN s.mapping AS mapping")
    assert state["mapping"] == PROJECTION_VERSION
    assert DEFAULT_WEIGHTS.spec() in PROJECTION_VERSION
    before = mirror_contents(neo4j_driver, settings)
    run(neo4j_driver, settings, "MATCH (s:SyncState) SET s.mapping = '1'")
    run(neo4j_driver, settings, "MATCH ()-[r:PARTNER_OF]->() SET r.weight = 1")
    assert mirror_to_neo4j(store, settings).mode == "full"
    assert mirror_contents(neo4j_driver, settings) == before


# -- interruptions ----------------------------------------------------------------------------
@pytest.mark.parametrize("batches", [1, 5, 20])
def test_interrupted_full_sync_is_completed_by_the_next(store, settings, neo4j_driver,
                                                        batches):
    with pytest.raises(Interrupt):
        mirror_to_neo4j(store, settings, batch_size=40, progress=stop_after(batches))
    assert run(neo4j_driver, settings, "MATCH (s:SyncState) RETURN s") == []
    assert not mirror_status(store, settings).in_sync
    report = mirror_to_neo4j(store, settings, batch_size=40)
    assert report.mode == "full"
    assert_mirrors(neo4j_driver, settings, store)


@pytest.mark.parametrize("batches", [1, 2, 3, 4, 6])
def test_interrupted_incremental_sync_is_completed_by_the_next(store, data_dir, settings,
                                                               neo4j_driver, batches):
    mirror_to_neo4j(store, settings)
    remove_source(store, str(data_dir / SEED_000))
    change_seed_003(data_dir)
    load_paths(store, [data_dir])
    (data_dir / SEED_000).unlink()
    with pytest.raises(Interrupt):
        mirror_to_neo4j(store, settings, batch_size=5, progress=stop_after(batches))
    pending = run(neo4j_driver, settings, "MATCH (s:SyncState) RETURN s.pending AS p")
    assert pending[0]["p"]
    report = mirror_to_neo4j(store, settings, batch_size=5)
    assert report.mode == "incremental"
    assert_mirrors(neo4j_driver, settings, store)


def test_interrupted_sync_then_new_change(store, data_dir, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    change_seed_003(data_dir)
    load_paths(store, [data_dir])
    with pytest.raises(Interrupt):
        mirror_to_neo4j(store, settings, batch_size=5, progress=stop_after(3))
    remove_source(store, str(data_dir / SEED_000))
    mirror_to_neo4j(store, settings)
    assert_mirrors(neo4j_driver, settings, store)


# -- status -----------------------------------------------------------------------------------
def test_status_sees_a_difference(store, data_dir, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    run(neo4j_driver, settings, "MATCH (t:Topic {uri: $uri}) DETACH DELETE t", uri=STAFF_TRAINING)
    status = mirror_status(store, settings)
    assert not status.in_sync
    assert status.labels["Topic"] == (22, 21)
    assert status.types["ABOUT"][0] == status.types["ABOUT"][1] + 1
    assert "differs" in status.text() and "OUT OF SYNC" in status.text()
    # A full sync repairs what an incremental one does not know about.
    mirror_to_neo4j(store, settings, full=True)
    assert mirror_status(store, settings).in_sync
    # A changed file not synced yet is named.
    path = change_seed_003(data_dir)
    load_paths(store, [data_dir])
    status = mirror_status(store, settings)
    assert status.stale == [str(path.resolve())] and not status.in_sync


def test_status_of_an_empty_mirror(store, settings):
    status = mirror_status(store, settings)
    assert not status.in_sync
    assert status.synced_at is None and len(status.stale) == 6
    assert status.labels["Resource"] == (435, 0)


# -- connection errors ------------------------------------------------------------------------
def test_unreachable_server(settings):
    wrong = Neo4jSettings(f"bolt://127.0.0.1:{free_port()}", settings.user, settings.password,
                          settings.database)
    with pytest.raises(MirrorError) as err:
        connect(wrong)
    assert str(err.value) == f"cannot reach Neo4j at {wrong.uri}: Connection refused"


def test_wrong_password(settings):
    wrong = Neo4jSettings(settings.uri, settings.user, settings.password + "-wrong",
                          settings.database)
    with pytest.raises(MirrorError) as err:
        connect(wrong)
    assert str(err.value) == (f"Neo4j at {settings.uri} refused the login of "
                              f"'{settings.user}': wrong user name or password")


def test_missing_database(settings):
    wrong = Neo4jSettings(settings.uri, settings.user, settings.password, "nosuchdatabase")
    with pytest.raises(MirrorError) as err:
        connect(wrong)
    assert str(err.value) == f"Neo4j at {settings.uri} has no database 'nosuchdatabase'"


def test_not_a_bolt_uri():
    with pytest.raises(MirrorError, match="'http://localhost:7474' is not a Bolt URI"):
        connect(Neo4jSettings("http://localhost:7474"))


# -- command line -----------------------------------------------------------------------------
def env_for(settings: Neo4jSettings, store_dir: Path) -> dict[str, str]:
    return {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.user,
            "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database,
            STORE_ENV: str(store_dir)}


@pytest.fixture
def store_dir(tmp_path: Path, data_dir: Path) -> Path:
    path = tmp_path / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [data_dir])
    finally:
        store.close()
    return path


def test_cli_sync_and_status(runner, settings, store_dir):
    env = env_for(settings, store_dir)
    result = runner.invoke(cli, ["neo4j", "sync"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("full sync of 6 loaded files: 435 nodes, ")
    result = runner.invoke(cli, ["neo4j", "sync"], env=env, catch_exceptions=False)
    assert result.output == "up to date: no loaded file changed since the last sync\n"
    result = runner.invoke(cli, ["neo4j", "status"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.search(r"^:Country\s+249\s+249$", result.output, re.MULTILINE)
    assert re.search(r"^-\[:PARTNER_OF\]-\s+23\s+23$", result.output, re.MULTILINE)
    assert result.output.endswith("in sync\n")
    result = runner.invoke(cli, ["neo4j", "status", "-f", "json"], env=env)
    found = json.loads(result.output)
    assert found["in_sync"] is True and found["not_synced"] == []
    assert {"kind": "label", "name": "Country", "rdf": 249, "neo4j": 249} in found["counts"]


def test_cli_status_exits_1_when_out_of_sync(runner, settings, store_dir, neo4j_driver):
    env = env_for(settings, store_dir)
    runner.invoke(cli, ["neo4j", "sync"], env=env, catch_exceptions=False)
    run(neo4j_driver, settings, "MATCH (p:Person) DETACH DELETE p")
    result = runner.invoke(cli, ["neo4j", "status"], env=env, catch_exceptions=False)
    assert result.exit_code == 1
    assert re.search(r"^:Person\s+3\s+0  differs$", result.output, re.MULTILINE)
    result = runner.invoke(cli, ["neo4j", "sync", "--full"], env=env, catch_exceptions=False)
    assert result.output.startswith("full sync")
    assert runner.invoke(cli, ["neo4j", "status"], env=env).exit_code == 0


def test_cli_options_win_over_environment(runner, settings, store_dir):
    env = env_for(settings, store_dir)
    result = runner.invoke(cli, ["neo4j", "status", "--password", "not-the-password"],
                           env=env, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output == (f"Error: Neo4j at {settings.uri} refused the login of "
                             f"'{settings.user}': wrong user name or password\n")
    result = runner.invoke(cli, ["neo4j", "sync", "--database", "nosuchdatabase"], env=env)
    assert result.exit_code == 1
    assert result.output == f"Error: Neo4j at {settings.uri} has no database 'nosuchdatabase'\n"
    port = free_port()
    result = runner.invoke(cli, ["neo4j", "sync", "--uri", f"bolt://127.0.0.1:{port}"], env=env)
    assert result.exit_code == 1
    assert result.output == f"Error: cannot reach Neo4j at bolt://127.0.0.1:{port}: " \
        "Connection refused\n"


@pytest.mark.parametrize("command", ["sync", "status", "style", "guide"])
def test_cli_help(runner, command):
    result = runner.invoke(cli, ["neo4j", command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")
    if command in ("sync", "status"):
        assert "NEO4J_URI" in result.output and "NEO4J_PASSWORD" in result.output


# -- Browser style and guide ------------------------------------------------------------------
def parse_grass(text: str) -> dict[str, dict[str, str]]:
    rules = {}
    for selector, body in re.findall(r"^([\w.]+) \{\n(.*?)\n\}", text, re.MULTILINE | re.DOTALL):
        rules[selector] = dict(re.findall(r"^\s+([\w-]+): (.*);$", body, re.MULTILINE))
    return rules


def test_style_has_a_colour_and_caption_per_label(runner, tmp_path):
    out = tmp_path / "customs-kg.grass"
    result = runner.invoke(cli, ["neo4j", "style", "-o", str(out)])
    assert result.exit_code == 0 and result.output == ""
    text = out.read_text()
    assert text == write_style()
    rules = parse_grass(text)
    for label in ("Resource", *NODE_LABELS):
        rule = rules[f"node.{label}"]
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"]), label
        assert re.fullmatch(r'"\{\w+\}"', rule["caption"]), label
    for rel_type in RELATIONSHIP_TYPES:
        assert "caption" in rules[f"relationship.{rel_type}"], rel_type
    assert rules[f"relationship.{PARTNER_OF}"]["caption"] == '"{weight}"'
    # Specific labels come after general ones, so they win on a node with both.
    order = [s for s in rules if s.startswith("node.")]
    assert order.index("node.Agency") < order.index("node.CustomsAdministration") < \
        order.index("node.RegionalCustomsUnit")


class _GuideParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.runnable: list[str] = []
        self.slides = 0
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in classes:
            self._in_pre = True
            self.runnable.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data):
        if self._in_pre:
            self.runnable[-1] += data


def test_guide_queries_run_on_the_mirror(runner, tmp_path, store, settings, neo4j_driver):
    mirror_to_neo4j(store, settings)
    out = tmp_path / "guide.html"
    result = runner.invoke(cli, ["neo4j", "guide", "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text()
    assert text.startswith('<article class="guide">') and "<carousel" in text
    parser = _GuideParser()
    parser.feed(text)
    expected = [q.cypher for slide in guide_slides() for q in slide.queries]
    assert parser.runnable == expected and parser.slides == 6
    answers = {}
    for query in parser.runnable:
        answers[query] = run(neo4j_driver, settings, query)
        assert answers[query], query  # every query finds something in the curated data
    table = next(q for q in expected if "ag.kind AS kind" in q)
    assert [r["kind"] for r in answers[table]] == ["mutual-assistance", "minutes",
                                                   "cooperation-plan"]
    members = next(q for q in expected if "m.since" in q)
    assert {r["member"] for r in answers[members]} == {"Russia", "Belarus", "Kazakhstan",
                                                       "Armenia", "Kyrgyzstan"}


def test_guide_values_are_checked(runner):
    assert "{iso: 'KZ'}" in write_guide(country="KZ")
    result = runner.invoke(cli, ["neo4j", "guide", "--country", "RU' OR 1=1"])
    assert result.exit_code == 2
    assert "letters, digits" in result.output


# -- the mapping ------------------------------------------------------------------------------
def test_every_class_in_the_data_is_mapped_or_documented(curated_store):
    found = {r["c"].value for r in curated_store.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    reified = {kind.rdf_class for kind in REIFIED}
    unmapped = found - set(CLASS_LABELS) - reified
    assert unmapped == {"http://www.w3.org/2006/time#Instant",
                        "http://www.w3.org/2006/time#Interval",
                        "http://www.w3.org/ns/prov#Entity",
                        "https://w3id.org/customs-kg/ontology#LoadedFile"}


def test_projection_reads_one_query_per_kind_not_per_node(curated_store, monkeypatch):
    queries: list[str] = []
    select = curated_store.select

    def counting(query, *args, **kwargs):
        queries.append(query)
        return select(query, *args, **kwargs)

    monkeypatch.setattr(curated_store, "select", counting)
    projection = project_all(curated_store)
    assert len(projection.nodes) == 435
    assert len(queries) <= 12


def test_dates_convert_by_precision():
    from pyoxigraph import Literal, NamedNode

    from graph.neo4j.mapping import Property, PropertyBag

    xsd = "http://www.w3.org/2001/XMLSchema#"
    bag = PropertyBag()
    prop = Property("signed")
    bag.add(prop, Literal("2019-09-09", datatype=NamedNode(xsd + "date")))
    assert bag.properties() == {"signed": dt.date(2019, 9, 9)}
    bag.add(prop, Literal("2019", datatype=NamedNode(xsd + "gYear")))
    assert bag.properties() == {"signed": "2019", "signed_precision": "year",
                                "signed_values": ["2019", "2019-09-09"],
                                "conflicts": ["signed"]}
    many = PropertyBag()
    for text, datatype in (("2019", "gYear"), ("2019-09-09", "date")):
        many.add(Property("dates", many=True), Literal(text, datatype=NamedNode(xsd + datatype)))
    # Neo4j lists hold one type: a year and a date together stay text.
    assert many.properties() == {"dates": ["2019", "2019-09-09"]}



def test_partner_of_is_the_partner_network(store, settings, neo4j_driver):
    from graph.network import partner_network

    mirror_to_neo4j(store, settings)
    for level in ("country", "agency"):
        graph = partner_network(store, level)
        want = {tuple(sorted((a, b))): (d["agreement_count"], d["event_count"], d["weight"])
                for a, b, d in graph.edges(data=True)}
        have = {(r["a"], r["b"]): (r["agreements"], r["events"], r["weight"]) for r in run(
            neo4j_driver, settings, "MATCH (a)-[r:PARTNER_OF {level: $level}]->(b) "
            "RETURN a.uri AS a, b.uri AS b, r.agreements AS agreements, r.events AS events, "
            "r.weight AS weight", level=level)}
        assert have == want and want, level


def test_an_incremental_sync_of_most_of_the_graph_rebuilds(store, data_dir, settings,
                                                           neo4j_driver, monkeypatch):
    import graph.neo4j.mirror

    mirror_to_neo4j(store, settings)
    monkeypatch.setattr(graph.neo4j.mirror, "REBUILD_ABOVE", 10)
    removed = remove_source(store, "reference:countries")
    report = mirror_to_neo4j(store, settings)
    assert report.mode == "full" and removed.path not in report.added
    assert_mirrors(neo4j_driver, settings, store)


# -- certainty, reviews and unions' bodies ------------------------------------------------------
VN_, CU_ = ID + "country/VN", ID + "country/CU"
VN_CU = ID + "agreement/vn-cu-assistance-2021"
EEC, EAEU_ = ID + "org/eec", ID + "union/eaeu"
COLLECTIVE = ID + "org/eaeu-customs"
BODIES = """
agencies:
  - {id: eaeu-customs, name: customs authorities of the EAEU countries, country: null}
"""
RESTATED = """
source:
  id: curated-vn-cu
  title: The Vietnam–Cuba agreement, as the ministry published it
agreements:
  - id: vn-cu-assistance-2021
    title: Vietnam–Cuba customs mutual assistance agreement
    kind: mutual-assistance
    parties: [VN, CU]
    signed: "2021-03-01"
"""
REJECTION = """
source:
  id: analyst-review
  title: An analyst's review
reviews:
  - item: agreement/vn-cu-assistance-2021
    source: extracted-news
    decision: reject
    reviewer: analyst
    at: "2026-12-03T10:00:00Z"
"""


@pytest.fixture
def small_store(tmp_path: Path):
    """The seed documents and established facts (not the whole dataset) and the extracted file
    of ``test_certainty`` (an agreement with Cuba only a headline states, confidence 0.8)."""
    from test_certainty import write_extracted

    folder = tmp_path / "small"
    folder.mkdir()
    for name in ("established-facts.yaml", SEED_000, SEED_003):
        shutil.copy2(DATA / name, folder / name)
    (folder / "bodies.yaml").write_text(BODIES, encoding="utf-8")
    store = OxigraphStore(None)
    load_paths(store, [folder, write_extracted(tmp_path)])
    yield store
    store.close()


def partner_of(driver: neo4j.Driver, settings: Neo4jSettings, a: str, b: str) -> dict:
    records = run(driver, settings, "MATCH (:Resource {uri: $a})-[r:PARTNER_OF {level: "
                  "'country'}]-(:Resource {uri: $b}) RETURN properties(r) AS props", a=a, b=b)
    return records[0]["props"] if records else {}


def test_items_and_partnerships_carry_their_certainty(small_store, settings, neo4j_driver):
    mirror_to_neo4j(small_store, settings)
    _, props = node(neo4j_driver, settings, VN_CU)
    assert (props["basis"], props["confidence"], props["headlineOnly"]) == ("extracted", 0.8,
                                                                            True)
    _, props = node(neo4j_driver, settings, FTA)
    assert (props["basis"], props["headlineOnly"]) == ("curated", False)
    assert "confidence" not in props
    _, talks = node(neo4j_driver, settings, TALKS)
    assert talks["basis"] == "curated"
    edge = partner_of(neo4j_driver, settings, VN_, CU_)
    assert (edge["basis"], edge["confidence"]) == ("extracted", 0.8)
    assert partner_of(neo4j_driver, settings, VN_, RU)["basis"] == "curated"
    assert "confidence" not in partner_of(neo4j_driver, settings, VN_, RU)
    assert_mirrors(neo4j_driver, settings, small_store)


def test_a_curated_file_loaded_later_makes_an_extracted_item_curated(small_store, settings,
                                                                     neo4j_driver, tmp_path):
    mirror_to_neo4j(small_store, settings)
    restated = tmp_path / "curated-vn-cu.yaml"
    restated.write_text(RESTATED, encoding="utf-8")
    load_paths(small_store, [restated])
    assert mirror_to_neo4j(small_store, settings).mode == "incremental"
    _, props = node(neo4j_driver, settings, VN_CU)
    assert (props["basis"], props["headlineOnly"]) == ("curated", False)
    assert "confidence" not in props
    edge = partner_of(neo4j_driver, settings, VN_, CU_)
    assert edge["basis"] == "curated" and "confidence" not in edge
    assert_mirrors(neo4j_driver, settings, small_store)
    remove_source(small_store, str(restated))
    assert mirror_to_neo4j(small_store, settings).mode == "incremental"
    _, props = node(neo4j_driver, settings, VN_CU)
    assert (props["basis"], props["confidence"]) == ("extracted", 0.8)
    assert partner_of(neo4j_driver, settings, VN_, CU_)["basis"] == "extracted"
    assert_mirrors(neo4j_driver, settings, small_store)


def test_a_rejected_claim_leaves_the_mirror(small_store, settings, neo4j_driver, tmp_path):
    mirror_to_neo4j(small_store, settings)
    review = tmp_path / "review.yaml"
    review.write_text(REJECTION, encoding="utf-8")
    load_paths(small_store, [review])
    assert mirror_to_neo4j(small_store, settings).mode == "incremental"
    assert run(neo4j_driver, settings, "MATCH (n:Resource {uri: $uri}) RETURN n", uri=VN_CU) == []
    assert partner_of(neo4j_driver, settings, VN_, CU_) == {}
    assert_mirrors(neo4j_driver, settings, small_store)
    remove_source(small_store, str(review))  # the claim counts again
    mirror_to_neo4j(small_store, settings)
    assert node(neo4j_driver, settings, VN_CU)[1]["basis"] == "extracted"
    assert partner_of(neo4j_driver, settings, VN_, CU_)["basis"] == "extracted"
    assert_mirrors(neo4j_driver, settings, small_store)


def test_a_unions_bodies_point_to_it(small_store, settings, neo4j_driver):
    mirror_to_neo4j(small_store, settings)
    found = {(r["type"], r["a"]) for r in run(
        neo4j_driver, settings, "MATCH (a:Resource)-[r:EXECUTIVE_BODY_OF|COLLECTIVE_BODY_OF]->"
        "(:Union {uri: $union}) RETURN type(r) AS type, a.uri AS a", union=EAEU_)}
    assert found == {("EXECUTIVE_BODY_OF", EEC), ("COLLECTIVE_BODY_OF", COLLECTIVE)}
    assert {"EXECUTIVE_BODY_OF", "COLLECTIVE_BODY_OF"} <= set(RELATIONSHIP_TYPES)
    grass = parse_grass(write_style())
    assert grass["relationship.EXECUTIVE_BODY_OF"]["color"] == "#1B5E20"
    assert "relationship.COLLECTIVE_BODY_OF" in grass
