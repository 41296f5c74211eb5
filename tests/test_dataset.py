"""The sourced dataset of customs agreements under ``data/`` (issue 13): every file loads with
the rest of ``data/`` into a real store on disk and conforms to the shapes, every record names
a source URL, every party is a country or a union, a few pairs read in the sources come back
with their dates, and the coverage holds its floors (also as ``customs-kg stats`` gives it)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from curated import CKG, DATA, ESTABLISHED, ID, SEED_000, SEED_003
from pyoxigraph import NamedNode

from cli import cli
from graph.queries.catalog import graph_stats
from graph.queries.relations import links_between
from graph.store import OxigraphStore
from loaders.load import load_paths

CURATED = {ESTABLISHED, SEED_000, SEED_003}
DATASET = sorted((DATA / "agreements").glob("*.yaml"))

MIN_AGREEMENTS = 300
"""Distinct agreements the dataset files state (issue 13: at least 300)."""
MIN_PARTIES = 80
"""Countries and unions that are parties of the dataset's agreements."""


def agreement_records(path: Path) -> list[tuple[dict, dict]]:
    """(record, the source it names: its own or its file's) for each agreement of a file."""
    found = []
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        for record in document.get("agreements") or []:
            found.append((record, record.get("source") or document.get("source")))
    return found


def dataset_ids() -> set[str]:
    return {record["id"] for path in DATASET for record, _ in agreement_records(path)}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """An on-disk store holding all of ``data/`` (the curated files and the dataset), loaded
    through the CLI's code path; read-only use."""
    path = tmp_path_factory.mktemp("dataset") / "kg"
    writable = OxigraphStore(path, writable=True)
    try:
        load_paths(writable, [DATA])
    finally:
        writable.close()
    opened = OxigraphStore(path)
    yield opened
    opened.close()


def parties_of(store: OxigraphStore) -> dict[str, list[tuple[str, set[str]]]]:
    """Each agreement's parties with their classes."""
    found: dict[str, list[tuple[str, set[str]]]] = {}
    rows = store.select("SELECT ?a ?p ?c WHERE { ?a a ckg:Agreement ; ckg:party ?p . "
                        "OPTIONAL { ?p a ?c } }")
    classes: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        key = (row["a"].value, row["p"].value)
        classes.setdefault(key, set())
        if "c" in row:
            classes[key].add(row["c"].value)
    for (agreement, party), kinds in classes.items():
        found.setdefault(agreement, []).append((party, kinds))
    return found


def test_the_dataset_has_files():
    assert len(DATASET) >= 40


def test_every_dataset_file_loads_with_data_and_conforms(tmp_path):
    """``customs-kg load data/`` then ``validate``, through the CLI, on a store on disk."""
    runner, path = CliRunner(), tmp_path / "kg"
    loaded = runner.invoke(cli, ["--store", str(path), "load", str(DATA)])
    assert loaded.exit_code == 0, (loaded.output, loaded.exception)
    for file in DATASET:
        assert file.name in loaded.output
    valid = runner.invoke(cli, ["--store", str(path), "validate"])
    assert valid.exit_code == 0, valid.output


@pytest.mark.parametrize("path", DATASET, ids=lambda p: p.name)
def test_every_record_names_a_source_url_when_it_was_read_and_a_reliability(path):
    records = agreement_records(path)
    assert records, f"{path.name} states no agreement"
    for record, source in records:
        assert isinstance(source, dict), (path.name, record["id"])
        assert str(source.get("url", "")).startswith("http"), (path.name, record["id"])
        assert source.get("reliability") in ("high", "medium", "low"), (path.name, record["id"])
        assert str(source.get("retrieved", "")).startswith("20"), (path.name, record["id"])
        assert record.get("id") and record.get("kind"), record
        # parties: [] only for a multilateral agreement whose source names no single party
        assert record.get("parties") or record.get("parties") == [] and record.get("notes"), record


def test_every_party_resolves_to_a_country_or_a_union(store):
    parties = parties_of(store)
    wanted = {CKG + "Country", CKG + "EconomicUnion"}
    unlisted = {row["a"].value for row in store.select(
        "SELECT ?a WHERE { ?a ckg:partiesUnlisted true }")}
    for agreement in dataset_ids():
        iri = ID + f"agreement/{agreement}"
        if iri in unlisted:
            continue
        assert parties.get(iri), f"{agreement} has no party"
        for party, classes in parties[iri]:
            assert classes & wanted, f"{agreement}: party {party} is not a country or union"


def test_every_dataset_agreement_names_its_sources_in_the_graph(store):
    rows = store.select("SELECT DISTINCT ?a WHERE { ?a a ckg:Agreement ; "
                        "prov:wasDerivedFrom ?doc . ?doc schema:url ?url ; "
                        "ckg:retrievedOn ?read }")
    sourced = {row["a"].value for row in rows}
    missing = {i for i in dataset_ids() if ID + f"agreement/{i}" not in sourced}
    assert not missing


def answer(store, a: str, b: str, agreement: str) -> dict:
    found = links_between(store, NamedNode(ID + a), NamedNode(ID + b), ("agreement",))
    by_iri = {item["iri"]: item for item in found}
    assert ID + f"agreement/{agreement}" in by_iri, sorted(by_iri)
    return by_iri[ID + f"agreement/{agreement}"]


@pytest.mark.parametrize(("a", "b", "agreement", "field", "value"), [
    # EC, MOF Japan and the Japan–France arrangement text: the EC–Japan customs agreement.
    ("country/JP", "union/eu", "ccmaa-eu-jp", "signed", "2008-01-30"),
    # Lexology: the EU–Japan AEO mutual recognition implemented from 24 May 2011.
    ("country/JP", "union/eu", "aeo-mra-eu-jp", "in_force", "2011-05-24"),
    # CT Strategies: the U.S.–Korea AEO MRA of June 2010.
    ("country/US", "country/KR", "aeo-mra-kr-us", "signed", "2010-06"),
    # SARS: the South Africa–Norway customs MAA in force from 1 November 2006.
    ("country/ZA", "country/NO", "cmaa-no-za", "in_force", "2006-11-01"),
    # Cullen Commission overview report: the Canada–U.S. CMAA of 1984, in force 1985.
    ("country/CA", "country/US", "cmaa-ca-us", "in_force", "1985-01-08"),
    # Dongpo News (KCS): the Korea–Spain CMAA in force from 24 December 2021.
    ("country/KR", "country/ES", "cmaa-es-kr", "in_force", "2021-12-24"),
    # Japan's MOF: the Japan–Netherlands CMAA signed 9 March 2009.
    ("country/JP", "country/NL", "cmaa-jp-nl", "signed", "2009-03-09"),
])
def test_known_pairs_with_their_dates(store, a, b, agreement, field, value):
    assert answer(store, a, b, agreement)[field] == value


def test_the_us_korea_cmaa_links_the_two(store):
    item = answer(store, "country/US", "country/KR", "cmaa-kr-us")
    assert {p["iri"] for p in item["parties"]} == {ID + "country/US", ID + "country/KR"}


def test_a_disagreement_between_sources_is_kept(store):
    """CBP dates the U.S.–Jordan MRA June 2008, JIFFA June 2007: both claims stay."""
    rows = store.select("SELECT DISTINCT ?d WHERE { GRAPH ?g { "
                        f"<{ID}agreement/aeo-mra-jo-us> ckg:signingDate ?d }} }}")
    assert {row["d"].value for row in rows} == {"2008-06", "2007-06"}


def test_the_coverage_floors(store):
    ids = dataset_ids()
    assert len(ids) >= MIN_AGREEMENTS
    parties = parties_of(store)
    covered = {party for i in ids for party, _ in parties.get(ID + f"agreement/{i}", [])}
    assert len(covered) >= MIN_PARTIES


def test_stats_give_the_coverage(store):
    coverage = graph_stats(store)["coverage"]
    assert coverage["agreements"] >= MIN_AGREEMENTS
    assert coverage["countries"] + coverage["unions"] >= MIN_PARTIES
    assert coverage["by_kind"]["mutual-assistance"] >= 100
    assert coverage["by_kind"]["mutual-recognition"] >= 90
    assert sum(coverage["by_kind"].values()) == coverage["agreements"]
    assert coverage["sources"] == len(coverage["by_source"]) >= 50
    by_source = {s["source"]: s["agreements"] for s in coverage["by_source"]}
    assert by_source["sars-maas-on-customs"] == 25
    assert by_source["taxscan-india-notification-58-2021"] == 32
