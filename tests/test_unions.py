"""Unions in records (issue 9, part 4): union codes (EU, EAEU) wherever a country code is
accepted, agreements whose source lists no party, a union's executive and collective bodies
followed by ``links``, ``partners`` and ``path`` as memberships are, and agencies given with
their country resolving to that country's known body, never to another country's."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from curated import SEEDS
from pyoxigraph import NamedNode

from graph.errors import RecordError
from graph.network import partners, shortest_path
from graph.queries.relations import links_between
from graph.store import OxigraphStore
from graph.validation import validate_store
from loaders.load import load_paths
from ontology.vocab import ID

EU, EAEU, VN, RU = (NamedNode(ID[p]) for p in ("union/eu", "union/eaeu", "country/VN",
                                                  "country/RU"))
EEC = NamedNode(ID["org/eec"])
# Gold 22's collective body, as the gold names it.
EAEU_CUSTOMS = NamedNode(ID["org/customs-authorities-of-the-eaeu-countries"])
EUROPEAN_COMMISSION = NamedNode(ID["org/european-commission"])
EEC_VIA = "Eurasian Economic Commission is the executive body of the Eurasian Economic Union"
COLLECTIVE_VIA = ("customs authorities of the EAEU countries is a collective body of the "
                  "member states of the Eurasian Economic Union")


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def ask(store, query: str, **bindings: NamedNode) -> bool:
    return store.ask(query, bindings)


def objects(store, subject: NamedNode, predicate: str) -> set[str]:
    rows = store.select(f"SELECT DISTINCT ?o WHERE {{ ?s {predicate} ?o }}", {"s": subject})
    return {row["o"].value for row in rows}


# -- union codes wherever a country code is accepted ---------------------------------------------
def test_union_codes_load_as_countries_agency_countries_and_parties(memory_store, tmp_path):
    path = write(tmp_path / "eu.yaml", """\
        source: {id: eu-test, title: EU test}
        countries: [EU, US, EAEU, ASEAN, {code: EU, aliases: [European Union (EU)]}]
        agencies:
          - {name: European Anti-Fraud Office, country: EU, aliases: [OLAF]}
        agreements:
          - {id: eu-us-mra, title: EU-US mutual recognition, kind: mutual-recognition,
             parties: [EU, US], signed: "2012-05-04"}
        """)

    load_paths(memory_store, [path])

    mentioned = objects(memory_store, NamedNode(ID["source/eu-test"]), "schema:mentions")
    assert {EU.value, EAEU.value, str(ID["union/asean"]), str(ID["country/US"])} <= mentioned
    # No country is made up for a union's code.
    assert not ask(memory_store, "ASK { ?c a ckg:Country ; ckg:isoAlpha2 ?code "
                                 "FILTER(STR(?code) IN ('EU', 'EAEU', 'ASEAN')) }")
    olaf = NamedNode(ID["agency/european-anti-fraud-office"])
    assert objects(memory_store, olaf, "org:subOrganizationOf") == {EU.value}
    assert objects(memory_store, olaf, "ckg:country") == set()
    assert objects(memory_store, NamedNode(ID["agreement/eu-us-mra"]), "ckg:party") == {
        EU.value, str(ID["country/US"])}
    # The union stands for its body in links, as a country for its agencies.
    answers = links_between(memory_store, olaf, NamedNode(ID["country/US"]))
    assert [a["label"] for a in answers] == ["EU-US mutual recognition"]
    assert answers[0]["via"] == ["European Anti-Fraud Office is part of European Union"]


def test_an_unknown_code_is_still_refused(memory_store, tmp_path):
    path = write(tmp_path / "bad.yaml", "countries: [EU, XQ]\n")
    with pytest.raises(RecordError, match="unknown country 'XQ'"):
        load_paths(memory_store, [path])


def test_the_gold_files_with_eu_load(memory_store, corpus):
    gold = [corpus / "gold" / f"{stem}.yaml" for stem in (
        "27_thenews_pakistan_tajikistan_cmaa", "29_ictsd_eu_us_mutual_recognition",
        "45_ec_eu_china_jccc_2012")]
    results = load_paths(memory_store, gold)
    assert [r.status for r in results if not r.path.startswith("reference:")] == ["loaded"] * 3
    # Gold 29: the EU–US arrangement has the union itself as a party.
    assert memory_store.ask("""ASK { ?a ckg:party ?eu , ?us ;
                                       dct:title "EU-US agreement to recognise each other's authorised traders (mutual recognition of AEO and C-TPAT)" }""",  # noqa: E501
                            {"eu": EU, "us": NamedNode(ID["country/US"])})
    # Gold 29's "European Commission" is the reference data's, the EU's executive body.
    assert objects(memory_store, EUROPEAN_COMMISSION, "ckg:executiveBodyOf") == {EU.value}


# -- agreements whose source lists no party -------------------------------------------------------
def test_an_agreement_without_listed_parties_is_marked_and_conforms(memory_store, tmp_path):
    path = write(tmp_path / "cites.yaml", """\
        source: {id: cites-test, title: CITES mention}
        agreements:
          - {id: cites, title: CITES, kind: other, parties: []}
          - {id: no-parties-given, title: An agreement with its parties left out, kind: other}
        """)
    load_paths(memory_store, [path])

    cites, other = NamedNode(ID["agreement/cites"]), NamedNode(ID["agreement/no-parties-given"])
    assert ask(memory_store, "ASK { ?a ckg:partiesUnlisted true }", a=cites)
    assert not ask(memory_store, "ASK { ?a ckg:partiesUnlisted ?x }", a=other)
    report = validate_store(memory_store)
    focus = {v.focus for v in report.violations if v.severity == "Violation"}
    # Marked, the convention conforms; a record that merely leaves parties out does not.
    assert cites.value not in focus
    assert other.value in focus


# -- a union's executive and collective bodies ----------------------------------------------------
def test_the_reference_data_links_bodies_to_their_unions(memory_store):
    load_paths(memory_store, [])
    assert objects(memory_store, EEC, "ckg:executiveBodyOf") == {EAEU.value}
    assert objects(memory_store, EUROPEAN_COMMISSION, "ckg:executiveBodyOf") == {EU.value}


def test_collective_bodies_are_linked_to_their_union(memory_store, tmp_path):
    path = write(tmp_path / "collective.yaml", """\
        agencies:
          - {id: eaeu-customs, name: customs authorities of the EAEU countries, country: null}
          - {id: eu-customs, name: Customs services of the EU member states, country: null}
          - {id: by-alias, name: the Member States' customs, country: null,
             aliases: [customs administrations of the Eurasian Economic Union member states]}
          - {id: stated, name: Joint customs group, country: null, collective_body_of: EAEU}
          - {id: no-union, name: central customs authorities of the Member States,
             country: null}
        """)
    load_paths(memory_store, [path])

    def union_of(org: str) -> set[str]:
        return objects(memory_store, NamedNode(ID[f"org/{org}"]), "ckg:collectiveBodyOf")

    assert union_of("eaeu-customs") == union_of("by-alias") == union_of("stated") == {
        EAEU.value}
    assert union_of("eu-customs") == {EU.value}
    assert union_of("no-union") == set()  # no union named: nothing guessed


def test_a_body_must_name_a_union(memory_store, tmp_path):
    path = write(tmp_path / "bad-body.yaml", """\
        agencies:
          - {name: Some Secretariat, country: null, executive_body_of: WCO}
        """)
    with pytest.raises(RecordError, match="'WCO' is not an economic union"):
        load_paths(memory_store, [path])


EEC_MEETING = """\
    source: {id: eec-vn, title: EEC and Vietnam}
    events:
      - {id: eec-vn-meeting, kind: meeting, date: "2021-03",
         participants: [Eurasian Economic Commission, VN]}
    """


def test_links_paths_and_partners_follow_the_executive_body(memory_store, tmp_path):
    load_paths(memory_store, [write(tmp_path / "eec.yaml", EEC_MEETING)])

    answers = links_between(memory_store, VN, EAEU)
    assert [(a["label"], a["via"]) for a in answers] == [
        ("Meeting: Eurasian Economic Commission – Vietnam (2021-03)", [EEC_VIA])]
    # From the union's side of the question too.
    assert [a["via"] for a in links_between(memory_store, EAEU, VN)] == [[EEC_VIA]]

    (found,) = partners(memory_store, EAEU)
    assert (found["label"], found["events"]) == ("Vietnam (VN)", 1)
    (event,) = found["evidence"]["events"]
    assert event["body"] == [{"union": {"iri": EAEU.value, "label": "Eurasian Economic Union"},
                              "body": {"iri": EEC.value,
                                       "label": "Eurasian Economic Commission"},
                              "relation": "executive"}]

    path = shortest_path(memory_store, EAEU, VN)
    assert path["text"] == ("Eurasian Economic Union has Eurasian Economic Commission as its "
                            "executive body, which met Vietnam (VN) (2021).")
    assert [s["relation"] for s in path["steps"]] == ["body", "cooperation"]


# -- over the development corpus's gold, with the curated data -----------------------------------
@pytest.fixture(scope="module")
def gold_store(corpus):
    store = OxigraphStore(None)
    load_paths(store, [*SEEDS, corpus / "gold"])
    yield store
    store.close()


def test_links_vietnam_eaeu_shows_what_the_commission_and_the_customs_authorities_did(
        gold_store):
    answers = {a["label"]: a for a in links_between(gold_store, VN, EAEU)}
    # Gold 22: the consultation the Commission held with Vietnam.
    (meeting,) = [a for a in answers.values() if a["label"].startswith(
        "Meeting: Eurasian Economic Commission")]
    assert meeting["via"] == [EEC_VIA]
    # Gold 22: the protocol "the customs authorities of the EAEU countries" signed with Vietnam.
    protocol = answers["Protocol on exchange of information on goods being moved within trade "
                       "turnover between the Union States and Vietnam"]
    assert protocol["via"] == [COLLECTIVE_VIA]
    assert protocol["date"] == "2018"
    # And the FTA, which the union signed itself: no via.
    fta = [a for a in answers.values() if a["kind"] == "free-trade"]
    assert len(fta) == 1 and not fta[0]["via"]


def test_partners_and_path_follow_the_bodies_over_the_gold(gold_store):
    (vietnam,) = [p for p in partners(gold_store, EAEU) if p["iri"] == VN.value]
    labels = {i["label"] for i in vietnam["evidence"]["agreements"] + vietnam["evidence"]["events"]}
    assert "Protocol on exchange of information on goods being moved within trade turnover "\
           "between the Union States and Vietnam" in labels
    assert any(i["label"].startswith("Meeting: Eurasian Economic Commission")
               for i in vietnam["evidence"]["events"])
    # Russia, a member, signed the protocol through the union's customs authorities.
    (ru_vn,) = [p for p in partners(gold_store, RU) if p["iri"] == VN.value]
    (protocol,) = [a for a in ru_vn["evidence"]["agreements"]
                   if a["label"].startswith("Protocol on exchange of information")]
    assert protocol["through"] == [{
        "member": {"iri": RU.value, "label": "Russia (RU)"},
        "union": {"iri": EAEU.value, "label": "Eurasian Economic Union"},
        "body": {"iri": EAEU_CUSTOMS.value,
                 "label": "customs authorities of the EAEU countries"}}]
    path = shortest_path(gold_store, EEC, EAEU)
    assert path["text"] == ("Eurasian Economic Commission is the executive body of the "
                            "Eurasian Economic Union.")


# -- an agency given with its country -------------------------------------------------------------
def test_a_known_alias_with_its_country_is_that_countrys_body(memory_store, tmp_path):
    path = write(tmp_path / "mof.yaml", """\
        source: {id: mof-test, title: Ministries}
        agencies:
          - {name: Ministry of Finance, country: VN}
          - {name: Treasury, country: GB}
          - {name: Ministry of Finance, country: KH}
        events:
          - {id: mof-meeting, kind: meeting, date: "2019",
             participants: [Ministry of Finance, Treasury]}
        """)
    load_paths(memory_store, [path])

    stated = memory_store.select("""SELECT DISTINCT ?a WHERE {
        ?a a ckg:Agency ; prov:wasDerivedFrom ?doc }""", {"doc": NamedNode(ID["source/mof-test"])})
    assert {row["a"].value for row in stated} == {
        str(ID["agency/vn-mof"]), str(ID["agency/gb-hm-treasury"]),
        str(ID["agency/kh-ministry-of-finance"])}
    # The name both ministries share, referred to in the same file, is the first this file
    # declares, never a body of a country the file does not name.
    assert objects(memory_store, NamedNode(ID["event/mof-meeting"]), "ckg:participant") == {
        str(ID["agency/vn-mof"]), str(ID["agency/gb-hm-treasury"])}


def test_a_near_name_of_another_countrys_body_is_not_merged(memory_store, tmp_path):
    # "General Department of Customs" is an alias of Vietnam's customs; "Federal Customs
    # Services" is one letter off Russia's.
    path = write(tmp_path / "kh.yaml", """\
        source: {id: kh-test, title: Cambodia and Kazakhstan}
        agencies:
          - {name: General Department of Customs, country: KH}
          - {name: Federal Customs Services, country: KZ}
        events:
          - {id: kh-kz-talks, kind: talks, date: "2020",
             participants: [General Department of Customs, Federal Customs Services]}
        """)
    load_paths(memory_store, [path])

    kh = NamedNode(ID["agency/kh-general-department-of-customs"])
    kz = NamedNode(ID["agency/kz-federal-customs-services"])
    assert objects(memory_store, kh, "ckg:country") == {str(ID["country/KH"])}
    assert objects(memory_store, kz, "ckg:country") == {str(ID["country/KZ"])}
    assert objects(memory_store, NamedNode(ID["event/kh-kz-talks"]), "ckg:participant") == {
        kh.value, kz.value}
    # Vietnam's and Russia's customs gained neither a source nor a name from this file.
    for agency in ("agency/vn-gdvc", "agency/ru-fcs"):
        assert NamedNode(ID["source/kh-test"]).value not in objects(
            memory_store, NamedNode(ID[agency]), "prov:wasDerivedFrom")
    assert "Federal Customs Services" not in objects(memory_store, NamedNode(ID["agency/ru-fcs"]),
                                                     "skos:altLabel")


def test_a_government_is_its_country(memory_store, tmp_path):
    path = write(tmp_path / "gov.yaml", """\
        source: {id: gov-test, title: Governments}
        agencies:
          - {name: Government of Vietnam, country: VN, kind: government}
          - {name: Government of the Republic of Karelia, country: RU, kind: government}
        agreements:
          - {id: vn-karelia, title: Vietnam-Karelia plan, kind: cooperation-plan,
             parties: [Government of Vietnam, Government of the Republic of Karelia]}
        """)
    load_paths(memory_store, [path])

    assert objects(memory_store, NamedNode(ID["agreement/vn-karelia"]), "ckg:party") == {
        VN.value, str(ID["agency/ru-government-of-the-republic-of-karelia"])}
    assert not ask(memory_store, "ASK { ?a a ckg:Agency ; skos:prefLabel 'Government of Vietnam' }")


def test_cli_links_vietnam_eaeu_says_via_the_commission(runner, corpus, tmp_path):
    from cli import cli

    store = str(tmp_path / "kg")
    loaded = runner.invoke(cli, ["--store", store, "load", *map(str, SEEDS), str(corpus / "gold")])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(cli, ["--store", store, "links", "Vietnam", "Eurasian Economic Union"])
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]

    def via_of(label_start: str) -> str:
        at = next(i for i, line in enumerate(lines) if line.startswith(label_start))
        return next(line for line in lines[at:] if line.startswith("via: "))

    assert via_of("Meeting: Eurasian Economic Commission") == f"via: {EEC_VIA}"
    assert via_of("Protocol on exchange of information") == f"via: {COLLECTIVE_VIA}"
