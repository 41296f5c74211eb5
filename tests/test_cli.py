"""The command line, end to end through Click's CliRunner, against the curated dataset.

Read-only commands run against a copy of the session's on-disk store made once for this module;
commands that write (load, remove) get their own copy or a fresh store, so the session fixture
``curated_store_dir`` is never written to.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from curated import (
    AGREEMENT_2010,
    CKG,
    DATA,
    DATA_CHANNEL,
    EAEU,
    ESTABLISHED,
    FCS,
    FTA,
    GDVC,
    ID,
    JOINT_PLAN,
    MINUTES,
    MONGOLIA_MEETING,
    PLANNED_2020,
    RU,
    SEED_000,
    SEED_003,
    SEEDS,
    SHANGHAI_MEETING,
    SIBERIAN,
    TALKS,
    VN,
    VN_RU_ANSWERS,
)
from rdflib.query import Result

from cli import cli
from graph.store import STORE_ENV, OxigraphStore

DATA_FILES = {ESTABLISHED, SEED_000, SEED_003}
REFERENCE = {"reference:countries", "reference:unions", "reference:agencies"}

PREFIXES = """PREFIX ckg: <https://w3id.org/customs-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
EVENTS_QUERY = PREFIXES + """SELECT DISTINCT ?item ?label ?date ?count WHERE {
  ?item a ckg:Event ; skos:prefLabel ?label .
  OPTIONAL { ?item schema:startDate ?date }
  OPTIONAL { ?item ckg:eventCount ?count }
} ORDER BY ?item"""
LABEL_QUERY = PREFIXES + "SELECT DISTINCT ?e WHERE { ?e skos:prefLabel ?name } ORDER BY ?e"
ECHO_QUERY = "SELECT ?x WHERE { BIND(?v AS ?x) }"
# A value that would change the query if it were formatted into it.
HOSTILE = 'Vietnam" } UNION { ?e ?p ?o } # {braces} \\" \'quoted\' }}'


# -- fixtures and helpers -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store_dir(curated_store_dir, tmp_path_factory) -> Path:
    """A copy of the curated on-disk store for read-only commands of this module."""
    path = tmp_path_factory.mktemp("cli-read") / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


@pytest.fixture
def writable_store(curated_store_dir, tmp_path) -> Path:
    """A private copy of the curated store, for commands that write."""
    path = tmp_path / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


@pytest.fixture(scope="module")
def store_counts(store_dir) -> dict[str, int]:
    """Quads, distinct triples and named graphs of the curated store, read directly."""
    store = OxigraphStore(store_dir)
    try:
        quads = list(store.quads())
        return {"quads": len(quads), "triples": len({q.triple for q in quads}),
                "graphs": len(store.named_graphs())}
    finally:
        store.close()


def run(runner, store: Path | str, *args: str, **kwargs):
    return runner.invoke(cli, ["--store", str(store), *args], **kwargs)


def ok(result) -> str:
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def as_json(result):
    return json.loads(ok(result))


def name_of(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def parse_results(data: bytes, fmt: str) -> Result:
    return Result.parse(io.BytesIO(data), format=fmt)


def parse_rdf(data: bytes, fmt: str) -> rdflib.Dataset:
    """Parse RDF with rdflib (whose own Dataset code warns about its deprecated internals)."""
    dataset = rdflib.Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=data, format=fmt)
    return dataset


def all_quads(dataset: rdflib.Dataset) -> list:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return list(dataset.quads((None, None, None, None)))


# -- help, store selection ------------------------------------------------------------------------
COMMANDS = ["load", "links", "timeline", "entities", "conflicts", "stats", "sources", "remove",
            "sparql", "export", "validate",
            "extract", "partners", "path", "network", "neo4j"]


@pytest.mark.parametrize("args", [["--help"], *([c, "--help"] for c in COMMANDS)])
def test_help(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: ")


def test_help_lists_every_command(runner):
    text = ok(runner.invoke(cli, ["--help"]))
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", text, re.MULTILINE), command


def test_store_from_environment(runner, store_dir):
    found = json.loads(ok(runner.invoke(cli, ["stats", "--format", "json"],
                                        env={STORE_ENV: str(store_dir)})))
    assert found["graphs"] == 6


def test_store_option_wins_over_environment(runner, store_dir, tmp_path):
    result = runner.invoke(cli, ["--store", str(store_dir), "stats", "--format", "json"],
                           env={STORE_ENV: str(tmp_path / "elsewhere")})
    assert json.loads(ok(result))["graphs"] == 6


def test_missing_store_is_a_one_line_error(runner, tmp_path):
    missing = tmp_path / "nothing-here"
    result = run(runner, missing, "stats")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: no store at {missing}")
    assert "Traceback" not in result.output
    assert not missing.exists()  # reading does not create a store


def test_default_store_is_dot_customs_kg(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(STORE_ENV, raising=False)
    result = runner.invoke(cli, ["stats"])
    assert result.exit_code == 1
    assert "no store at .customs-kg" in result.stderr


# -- load -----------------------------------------------------------------------------------------
def test_load_into_a_fresh_store(runner, tmp_path):
    store = tmp_path / "fresh"
    lines = ok(run(runner, store, "load", *map(str, SEEDS))).splitlines()
    status = {name_of(line.split()[-1]): line.split()[0] for line in lines}
    assert status == dict.fromkeys(DATA_FILES | REFERENCE, "loaded")
    again = ok(run(runner, store, "load", *map(str, SEEDS))).splitlines()
    assert {name_of(line.split()[-1]): line.split()[0] for line in again} == dict.fromkeys(
        DATA_FILES, "unchanged")
    answers = as_json(run(runner, store, "links", "Vietnam", "Russia", "--format", "json"))
    assert {a["iri"] for a in answers} == VN_RU_ANSWERS


def test_load_missing_path_fails_cleanly(runner, tmp_path):
    result = run(runner, tmp_path / "kg", "load", str(tmp_path / "no-such.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "no such file or folder" in result.stderr


# -- links ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vn_ru_json(store_dir) -> list[dict]:
    return as_json(run(CliRunner(), store_dir, "links", "Vietnam", "Russia", "--format", "json"))


def test_links_json_is_an_array_of_answers(vn_ru_json):
    assert isinstance(vn_ru_json, list)
    for item in vn_ru_json:
        assert {"kind", "iri", "label", "date", "via", "sources"} <= set(item)
        assert "parties" in item or "participants" in item
        assert isinstance(item["sources"], list) and item["sources"]
        assert item["via"] is None or isinstance(item["via"], list)
    assert {item["iri"] for item in vn_ru_json} == VN_RU_ANSWERS


def test_links_json_answers(vn_ru_json):
    found = {item["iri"]: item for item in vn_ru_json}
    assert found[AGREEMENT_2010]["date"] == "2010"
    assert found[AGREEMENT_2010]["kind"] == "mutual-assistance"
    assert found[AGREEMENT_2010]["via"] is None
    assert {p["iri"] for p in found[AGREEMENT_2010]["parties"]} == {VN, RU}

    fta = found[FTA]
    assert (fta["signed"], fta["in_force"]) == ("2015-05-29", "2016-10-05")
    assert fta["date"] == "2015-05-29"
    assert {p["iri"] for p in fta["parties"]} == {VN, EAEU}
    assert fta["via"] == [
        "Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)"]
    [conflict] = fta["conflicts"]
    assert conflict["field"] == "signed"
    assert [(v["value"], [name_of(s["file"]) for s in v["sources"]])
            for v in conflict["values"]] == [("2015-05-29", [ESTABLISHED]),
                                             ("2016-10-05", [SEED_003])]
    assert {name_of(s["file"]) for s in fta["sources"]} == {ESTABLISHED, SEED_003}

    plan = found[JOINT_PLAN]
    assert (plan["kind"], plan["date"], plan["valid_from"], plan["valid_to"]) == (
        "cooperation-plan", "2019-09-09", "2019", "2023")
    assert found[MINUTES]["kind"] == "minutes"
    assert found[MINUTES]["date"] == "2019-09-09"
    talks = found[TALKS]
    assert (talks["kind"], talks["date"], talks["place"]["label"]) == (
        "talks", "2019-09-09", "Moscow")
    assert {p["iri"] for p in talks["participants"]} == {GDVC, FCS}
    for iri in (JOINT_PLAN, MINUTES, TALKS):
        assert found[iri]["via"] == [
            "General Department of Vietnam Customs is an agency of Vietnam (VN)",
            "Federal Customs Service of Russia is an agency of Russia (RU)"]
        assert [name_of(s["file"]) for s in found[iri]["sources"]] == [SEED_003]


def test_links_json_dates_in_order(vn_ru_json):
    dates = [item["date"] for item in vn_ru_json]
    assert dates == sorted(dates)
    assert dates[0] == "2010"
    for date in dates:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date)


def test_links_table(runner, store_dir):
    text = ok(run(runner, store_dir, "links", "Vietnam", "Russia"))
    assert "mutual administrative assistance in customs matters" in text
    assert "signed 2015-05-29; in force 2016-10-05" in text
    assert "via: Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)" in text
    assert re.search(r"CONFLICT signed: 2015-05-29 \([^)]*established-facts\.yaml\) vs "
                     r"2016-10-05 \([^)]*seed-003-vietnam-russia-talks\.yaml\)", text)
    assert "Joint Vietnam–Russia customs plan against customs violations, 2019–2023" in text
    assert "Working minutes of the Vietnam–Russia customs talks of September 2019" in text
    assert "place: Moscow" in text
    assert text.index("2010 ") < text.index("2015-05-29") < text.index("2019-09-09")


@pytest.mark.parametrize("name", ["Vietnam", "Viet Nam", "VN", "Vietnamese customs", "GDVC"])
def test_links_names_resolve_loosely(runner, store_dir, name):
    answers = as_json(run(runner, store_dir, "links", name, "Russia", "--format", "json"))
    assert {item["iri"] for item in answers} == VN_RU_ANSWERS
    [fta] = [item for item in answers if item["iri"] == FTA]
    assert "Russia (RU) is a member of the Eurasian Economic Union (since 2015-01-01)" in fta[
        "via"]


@pytest.mark.parametrize("name", ["Russia", "RU", "Russian Federation", "FCS"])
def test_links_other_side_resolves_loosely(runner, store_dir, name):
    answers = as_json(run(runner, store_dir, "links", "Vietnam", name, "--format", "json"))
    assert {item["iri"] for item in answers} == VN_RU_ANSWERS


def test_links_misspelt_name(runner, store_dir):
    result = run(runner, store_dir, "links", "Vietnm", "Russia")
    assert result.exit_code != 0
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: no entity 'Vietnm' — did you mean Vietnam (VN)?\n"


def test_links_unknown_name_without_suggestion(runner, store_dir):
    result = run(runner, store_dir, "links", "Vietnam", "Xyzzyqq")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no entity 'Xyzzyqq'")


@pytest.mark.parametrize(("only", "expected"), [
    ("agreements", {AGREEMENT_2010, FTA, JOINT_PLAN, MINUTES}),
    ("events", {TALKS, DATA_CHANNEL}),
])
def test_links_only(runner, store_dir, only, expected):
    answers = as_json(run(runner, store_dir, "links", "Vietnam", "Russia", "--only", only,
                          "--format", "json"))
    assert {item["iri"] for item in answers} == expected


def test_links_csv_parses(runner, store_dir, vn_ru_json):
    text = ok(run(runner, store_dir, "links", "Vietnam", "Russia", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"date", "kind", "label", "parties", "via", "sources", "iri"} <= set(rows[0])
    assert [r["iri"] for r in rows] == [item["iri"] for item in vn_ru_json]
    assert [r["date"] for r in rows] == [item["date"] for item in vn_ru_json]
    fta = next(r for r in rows if r["iri"] == FTA)
    assert "Russia (RU) is a member of the Eurasian Economic Union" in fta["via"]
    assert fta["conflicts"] == "signed"
    assert {name_of(s.strip()) for s in fta["sources"].split(";")} == {ESTABLISHED, SEED_003}
    plan = next(r for r in rows if r["iri"] == JOINT_PLAN)
    assert plan["label"] == ("Joint Vietnam–Russia customs plan against customs violations, "
                             "2019–2023")
    assert set(plan["parties"].split("; ")) == {
        "General Department of Vietnam Customs", "Federal Customs Service of Russia"}


def test_links_nothing_found(runner, store_dir):
    assert ok(run(runner, store_dir, "links", "Vietnam", "Cuba")) == "nothing found\n"
    assert as_json(run(runner, store_dir, "links", "Vietnam", "Cuba", "--format", "json")) == []


# -- timeline -------------------------------------------------------------------------------------
def test_timeline_siberian_directorate_2019(runner, store_dir):
    items = as_json(run(runner, store_dir, "timeline", "Siberian Customs Directorate",
                        "--since", "2019", "--until", "2019-12-31", "--format", "json"))
    found = {item["iri"]: item for item in items}
    assert MONGOLIA_MEETING in found
    assert SHANGHAI_MEETING in found
    assert PLANNED_2020 not in found
    assert len(items) == 9
    for item in items:
        assert {"kind", "iri", "label", "date", "participants", "via", "sources"} <= set(item)
        assert item["date"] == "2019"
    shanghai = found[SHANGHAI_MEETING]
    assert shanghai["kind"] == "meeting"
    assert "Shanghai Customs" in {p["label"] for p in shanghai["participants"]}
    mongolia = found[MONGOLIA_MEETING]
    assert "Mongolia (MN)" in {p["label"] for p in mongolia["participants"]}
    assert [name_of(s["file"]) for s in mongolia["sources"]] == [SEED_000]


def test_timeline_table(runner, store_dir):
    text = ok(run(runner, store_dir, "timeline", "Siberian Customs Directorate",
                  "--since", "2019", "--until", "2019-12-31"))
    assert "Working meeting of border customs heads of the Siberian Customs Directorate and " \
           "Mongolia" in text
    assert "Working meeting of the Siberian Customs Directorate and Novosibirsk Customs with " \
           "Shanghai Customs" in text
    assert "(20 events)" in text
    assert "Continued cooperation" not in text  # planned for 2020


def test_timeline_partial_dates_sort_first(runner, store_dir):
    items = as_json(run(runner, store_dir, "timeline", "Russia", "--format", "json"))
    dates = [item["date"] for item in items]
    assert dates == sorted(dates)
    assert dates[0] == "2010" and dates[-1] == "2020"
    last_year_only = max(i for i, d in enumerate(dates) if d == "2019")
    assert dates.index("2019-09-09") == last_year_only + 1  # "2019" before "2019-09-09"


@pytest.mark.parametrize(("args", "expected"), [
    (["--since", "2019-09-10"], {JOINT_PLAN, DATA_CHANNEL}),
    (["--until", "2012"], {AGREEMENT_2010}),
    (["--since", "2016", "--until", "2016"], {FTA}),
    (["--since", "2019-09", "--until", "2019-09"], {JOINT_PLAN, MINUTES, TALKS}),
    ([], VN_RU_ANSWERS),
])
def test_timeline_since_until(runner, store_dir, args, expected):
    items = as_json(run(runner, store_dir, "timeline", "Vietnam", *args, "--format", "json"))
    assert {item["iri"] for item in items} == expected


def test_timeline_csv_parses(runner, store_dir):
    text = ok(run(runner, store_dir, "timeline", "Siberian Customs Directorate",
                  "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 10
    assert [r["date"] for r in rows] == ["2019"] * 9 + ["2020"]
    assert rows[-1]["iri"] == PLANNED_2020
    assert {MONGOLIA_MEETING, SHANGHAI_MEETING} <= {r["iri"] for r in rows}


def test_timeline_of_everything(runner, store_dir):
    items = as_json(run(runner, store_dir, "timeline", "--format", "json"))
    assert len(items) == 16  # 12 events (7 of them summaries) and 4 agreements
    dates = [i["date"] for i in items]
    assert dates == sorted(dates)


@pytest.mark.parametrize("value", ["bogus", "2019-13", "2019-02-30", '2019" } #'])
def test_timeline_rejects_bad_dates(runner, store_dir, value):
    result = run(runner, store_dir, "timeline", "Vietnam", "--since", value)
    assert result.exit_code == 2
    assert "Invalid value for '--since'" in result.stderr


# -- entities -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("Vietnam", VN), ("Viet Nam", VN), ("GDVC", GDVC), ("Vietnamese customs", GDVC),
    ("FCS", FCS), ("STU", SIBERIAN), ("Sibirian Customs", SIBERIAN), ("EAEU", EAEU),
    ("Bulavin", ID + "person/vladimir-bulavin"), ("Vietnam - EAEU FTA", FTA),
])
def test_entities_search(runner, store_dir, text, expected):
    found = as_json(run(runner, store_dir, "entities", text, "--limit", "5", "--format", "json"))
    assert found[0]["iri"] == expected
    assert len(found) <= 5
    assert {"iri", "kind", "label", "aliases"} <= set(found[0])


def test_entities_json_fields(runner, store_dir):
    [gdvc] = as_json(run(runner, store_dir, "entities", "GDVC", "--limit", "1",
                         "--format", "json"))
    assert gdvc["label"] == "General Department of Vietnam Customs"
    assert gdvc["kind"] == "agency"
    assert "GDVC" in gdvc["aliases"] and "Vietnam Customs" in gdvc["aliases"]


def test_entities_csv_and_table(runner, store_dir):
    text = ok(run(runner, store_dir, "entities", "Vietnam", "--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    vietnam = next(r for r in rows if r["iri"] == VN)
    assert (vietnam["kind"], vietnam["label"], vietnam["code"]) == ("country", "Vietnam", "VN")
    assert "Viet Nam" in vietnam["aliases"].split("; ")
    table = ok(run(runner, store_dir, "entities", "GDVC"))
    assert table.splitlines()[0].split() == ["kind", "label", "code", "aliases", "iri"]
    assert "General Department of Vietnam Customs" in table


def test_entities_without_text_respects_limit(runner, store_dir):
    found = as_json(run(runner, store_dir, "entities", "--limit", "7", "--format", "json"))
    assert len(found) == 7


# -- stats, sources, conflicts --------------------------------------------------------------------
def test_stats(runner, store_dir, store_counts):
    found = as_json(run(runner, store_dir, "stats", "--format", "json"))
    assert found["triples"] == store_counts["quads"]
    assert found["graphs"] == store_counts["graphs"] == 6
    assert found["entities"]["Agreement"] == 4
    assert found["entities"]["Event"] == 12
    assert found["entities"]["Person"] == 3
    table = ok(run(runner, store_dir, "stats"))
    assert re.search(rf"^triples\s+{store_counts['quads']:,}$", table, re.MULTILINE)
    assert re.search(r"^named graphs\s+6$", table, re.MULTILINE)
    assert re.search(r"^Agreement\s+4$", table, re.MULTILINE)
    # what the agreements cover: the seeds' four, per kind, their parties and sources
    coverage = table.split("\n\n", 1)[1].splitlines()
    assert coverage[0].split() == ["agreements", "4"]
    assert coverage[1:5] == [f"  {kind:22} {1:>7}" for kind in found["coverage"]["by_kind"]]
    assert coverage[5].split()[-1] == str(found["coverage"]["countries"])
    assert coverage[7].split()[-1] == str(found["coverage"]["sources"])


def test_sources(runner, store_dir):
    rows = as_json(run(runner, store_dir, "sources", "--format", "json"))
    by_name = {name_of(r["path"]): r for r in rows}
    assert set(by_name) == DATA_FILES | REFERENCE
    for name in DATA_FILES:
        row = by_name[name]
        assert row["hash"] == hashlib.sha256((DATA / name).read_bytes()).hexdigest()
        assert row["triples"] > 0
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})",
                            row["loaded_at"])
        assert row["graph"].startswith("https://w3id.org/customs-kg/graph/")
    table = ok(run(runner, store_dir, "sources"))
    assert table.splitlines()[0].split() == ["path", "triples", "loaded_at", "hash"]
    assert by_name[SEED_003]["hash"] in table
    text = ok(run(runner, store_dir, "sources", "--format", "csv"))
    assert {name_of(r["path"]) for r in csv.DictReader(io.StringIO(text))} == set(by_name)


def test_sources_triples_match_the_graphs(runner, store_dir):
    rows = as_json(run(runner, store_dir, "sources", "--format", "json"))
    query = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o "
             "FILTER(?s != ?g) } }")
    for row in rows:
        data = ok(run(runner, store_dir, "sparql", query, "--bind", f"g=<{row['graph']}>",
                      "--format", "json"))
        count = int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
        assert row["triples"] == count, row["path"]  # the file's statements, not its record


def test_conflicts(runner, store_dir):
    [conflict] = as_json(run(runner, store_dir, "conflicts", "--format", "json"))
    assert conflict["iri"] == FTA
    assert conflict["field"] == "signed"
    assert [(v["value"], [name_of(s["file"]) for s in v["sources"]])
            for v in conflict["values"]] == [("2015-05-29", [ESTABLISHED]),
                                             ("2016-10-05", [SEED_003])]
    text = ok(run(runner, store_dir, "conflicts"))
    lines = text.splitlines()
    assert lines[0] == ("Free Trade Agreement between the Socialist Republic of Viet Nam and "
                        "the Eurasian Economic Union and its member states: signed")
    assert "2015-05-29" in lines[1] and ESTABLISHED in lines[1]
    assert "2016-10-05" in lines[2] and SEED_003 in lines[2]


# -- remove ---------------------------------------------------------------------------------------
def test_remove_a_source(runner, writable_store):
    result = run(runner, writable_store, "remove", SEED_003)
    assert ok(result).startswith("removed ")
    assert SEED_003 in result.stdout and "139 triples" in result.stdout
    names = {name_of(r["path"]) for r in as_json(
        run(runner, writable_store, "sources", "--format", "json"))}
    assert names == (DATA_FILES | REFERENCE) - {SEED_003}
    assert ok(run(runner, writable_store, "conflicts")) == "no conflicts\n"
    answers = as_json(run(runner, writable_store, "links", "Vietnam", "Russia",
                          "--format", "json"))
    assert {a["iri"] for a in answers} == {AGREEMENT_2010, FTA}
    fta = next(a for a in answers if a["iri"] == FTA)
    assert fta["conflicts"] == []
    assert [name_of(s["file"]) for s in fta["sources"]] == [ESTABLISHED]


def test_remove_by_graph_iri_and_path(runner, writable_store):
    rows = as_json(run(runner, writable_store, "sources", "--format", "json"))
    graph = next(r["graph"] for r in rows if name_of(r["path"]) == SEED_000)
    ok(run(runner, writable_store, "remove", graph))
    ok(run(runner, writable_store, "remove", str(DATA / ESTABLISHED)))
    names = {name_of(r["path"]) for r in as_json(
        run(runner, writable_store, "sources", "--format", "json"))}
    assert names == (DATA_FILES | REFERENCE) - {SEED_000, ESTABLISHED}
    items = as_json(run(runner, writable_store, "timeline", "Siberian Customs Directorate",
                        "--format", "json"))
    assert items == []


def test_remove_several_sources_all_or_nothing(runner, writable_store):
    every = {name_of(r["path"]) for r in as_json(
        run(runner, writable_store, "sources", "--format", "json"))}
    refused = run(runner, writable_store, "remove", SEED_000, "no-such-file.yaml")
    assert refused.exit_code == 1 and "no-such-file.yaml" in refused.stderr
    assert {name_of(r["path"]) for r in as_json(
        run(runner, writable_store, "sources", "--format", "json"))} == every
    removed = ok(run(runner, writable_store, "remove", SEED_000, SEED_003)).splitlines()
    assert len(removed) == 2 and all(line.startswith("removed ") for line in removed)
    assert {name_of(r["path"]) for r in as_json(
        run(runner, writable_store, "sources", "--format", "json"))} == every - {SEED_000,
                                                                              SEED_003}


def test_output_into_a_missing_folder_is_one_line(runner, writable_store, tmp_path):
    target = tmp_path / "no-such-folder" / "out"
    for args in (["export", "-o", f"{target}.trig"], ["network", "-o", f"{target}.html"],
                 ["sparql", "ASK { ?s ?p ?o }", "-o", f"{target}.json"],
                 ["neo4j", "style", "-o", f"{target}.grass"]):
        result = run(runner, writable_store, *args)
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: {target}{Path(args[-1]).suffix}: cannot write: " \
                                "No such file or directory\n", args


def test_remove_unknown_source(runner, writable_store):
    result = run(runner, writable_store, "remove", "no-such-file.yaml")
    assert result.exit_code == 1
    assert result.stderr == ("Error: no loaded source 'no-such-file.yaml' "
                             "(see 'customs-kg sources')\n")


# -- sparql ---------------------------------------------------------------------------------------
def sparql_bytes(runner, store_dir, *args: str) -> bytes:
    result = run(runner, store_dir, "sparql", *args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout_bytes


def test_sparql_table(runner, store_dir):
    text = ok(run(runner, store_dir, "sparql", EVENTS_QUERY))
    lines = text.splitlines()
    assert lines[0].split() == ["item", "label", "date", "count"]
    assert lines[-1] == "12 rows"
    assert TALKS in text


def test_sparql_from_file(runner, store_dir, tmp_path):
    query = tmp_path / "events.rq"
    query.write_text(EVENTS_QUERY, encoding="utf-8")
    from_file = sparql_bytes(runner, store_dir, "-f", str(query), "--format", "json")
    from_text = sparql_bytes(runner, store_dir, EVENTS_QUERY, "--format", "json")
    assert json.loads(from_file) == json.loads(from_text)
    same = sparql_bytes(runner, store_dir, "--file", str(query), "--format", "json")
    assert json.loads(same) == json.loads(from_text)


def test_sparql_needs_exactly_one_query(runner, store_dir, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text(EVENTS_QUERY, encoding="utf-8")
    assert run(runner, store_dir, "sparql").exit_code == 2
    assert run(runner, store_dir, "sparql", EVENTS_QUERY, "-f", str(query)).exit_code == 2


def test_sparql_syntax_error_is_one_line(runner, store_dir):
    result = run(runner, store_dir, "sparql", "SELECT ?x WHERE { ?x ")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: SPARQL error:")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_sparql_result_formats_parse_and_round_trip(runner, store_dir, fmt):
    reference = parse_results(sparql_bytes(runner, store_dir, EVENTS_QUERY, "--format", "json"),
                              "json")
    expected = [tuple(row) for row in reference]
    assert len(expected) == 12
    result = parse_results(sparql_bytes(runner, store_dir, EVENTS_QUERY, "--format", fmt), fmt)
    assert [str(v) for v in result.vars] == ["item", "label", "date", "count"]
    rows = [tuple(row) for row in result]
    if fmt == "csv":  # CSV keeps lexical forms only
        def lexical(rows):
            return [tuple(None if t is None else str(t) for t in row) for row in rows]

        assert lexical(rows) == lexical(expected)
    else:
        assert rows == expected
    talks = next(row for row in rows if str(row[0]) == TALKS)
    assert str(talks[2]) == "2019-09-09"
    if fmt != "csv":
        assert talks[2].datatype == rdflib.XSD.date
    summary = next(row for row in rows if str(row[0]).endswith("stu-2019-international-events"))
    assert (str(summary[2]), str(summary[3])) == ("2019", "20")


def test_sparql_output_file(runner, store_dir, tmp_path):
    out = tmp_path / "results.json"
    result = run(runner, store_dir, "sparql", EVENTS_QUERY, "--format", "json", "-o", str(out))
    assert ok(result) == ""
    parsed = parse_results(out.read_bytes(), "json")
    assert len(list(parsed)) == 12
    table = tmp_path / "results.txt"
    ok(run(runner, store_dir, "sparql", EVENTS_QUERY, "--output", str(table)))
    assert table.read_text(encoding="utf-8").splitlines()[-1] == "12 rows"


def test_sparql_bind_literal(runner, store_dir):
    data = sparql_bytes(runner, store_dir, LABEL_QUERY, "--bind",
                        "name=Federal Customs Service of Russia", "--format", "json")
    assert [str(row[0]) for row in parse_results(data, "json")] == [FCS]


@pytest.mark.parametrize("value", [VN, f"<{VN}>"])
def test_sparql_bind_iri(runner, store_dir, value):
    query = PREFIXES + "SELECT DISTINCT ?label WHERE { ?e skos:prefLabel ?label }"
    data = sparql_bytes(runner, store_dir, query, "--bind", f"e={value}", "--format", "json")
    assert [str(row[0]) for row in parse_results(data, "json")] == ["Vietnam"]


def test_sparql_bind_typed_literal(runner, store_dir):
    query = PREFIXES + ("SELECT DISTINCT ?item WHERE { ?item schema:startDate ?d } "
                        "ORDER BY ?item")
    data = sparql_bytes(runner, store_dir, query, "--bind", "d=2019-09-09^^xsd:date",
                        "--format", "json")
    assert [str(row[0]) for row in parse_results(data, "json")] == [TALKS]
    echo = sparql_bytes(runner, store_dir, ECHO_QUERY, "--bind", "v=2019^^xsd:gYear",
                        "--format", "json")
    [row] = list(parse_results(echo, "json"))
    assert row[0] == rdflib.Literal("2019", datatype=rdflib.XSD.gYear)


def test_sparql_several_bindings(runner, store_dir):
    query = PREFIXES + "SELECT DISTINCT ?label WHERE { ?e skos:prefLabel ?label ; ?p ?o }"
    data = sparql_bytes(runner, store_dir, query, "--bind", f"e=<{GDVC}>",
                        "--bind", f"p=<{CKG}country>", "--bind", f"o=<{VN}>",
                        "--format", "json")
    assert [str(row[0]) for row in parse_results(data, "json")] == [
        "General Department of Vietnam Customs"]


def test_sparql_bound_text_is_data_not_query(runner, store_dir):
    # if the value were formatted into the query, the UNION would match every entity
    data = sparql_bytes(runner, store_dir, LABEL_QUERY, "--bind", f"name={HOSTILE}",
                        "--format", "json")
    assert list(parse_results(data, "json")) == []
    echo = sparql_bytes(runner, store_dir, ECHO_QUERY, "--bind", f"v={HOSTILE}",
                        "--format", "json")
    [row] = list(parse_results(echo, "json"))
    assert row[0] == rdflib.Literal(HOSTILE)


def test_sparql_bound_iri_like_text_is_never_query_text(runner, store_dir):
    # text that looks like a URL but is not an IRI: rejected as a bad value (a usage error),
    # never spliced into the query and never a traceback
    value = "https://example.org/x> } UNION { ?e ?p ?o } #"
    result = run(runner, store_dir, "sparql", LABEL_QUERY, "--bind", f"name={value}")
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr.startswith(("Error:", "Usage:"))
    assert "--bind" in result.stderr
    assert "Traceback" not in result.output


def test_sparql_bad_binding(runner, store_dir):
    result = run(runner, store_dir, "sparql", ECHO_QUERY, "--bind", "no-equals-sign")
    assert result.exit_code == 2
    assert "Invalid value for '--bind': 'no-equals-sign' is not NAME=VALUE" in result.stderr


def test_sparql_distinct_reads_the_union_as_an_rdf_merge(runner, store_dir):
    # The documented way round pyoxigraph 0.5's double counting (see the next test).
    query = f"SELECT DISTINCT ?type WHERE {{ <{FTA}> a ?type }} ORDER BY ?type"
    rows = parse_results(sparql_bytes(runner, store_dir, query, "--format", "json"), "json")
    assert [str(row[0]) for row in rows] == [CKG + "Agreement", CKG + "FreeTradeAgreement"]


@pytest.mark.xfail(strict=True, reason="pyoxigraph 0.5 counts a triple once per named graph "
                   "in the union default graph (oxigraph issue 1919, fixed after 0.5)")
def test_sparql_union_default_graph_is_an_rdf_merge(runner, store_dir):
    # The FTA's classes are stated by two sources (established facts and seed 003); the union
    # of the loaded graphs is one RDF graph (a set of triples), so each triple matches once.
    query = f"SELECT ?type WHERE {{ <{FTA}> a ?type }} ORDER BY ?type"
    rows = parse_results(sparql_bytes(runner, store_dir, query, "--format", "json"), "json")
    assert [str(row[0]) for row in rows] == [CKG + "Agreement", CKG + "FreeTradeAgreement"]
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{FTA}> a ?type }}"
    [row] = parse_results(sparql_bytes(runner, store_dir, count, "--format", "json"), "json")
    assert int(row[0]) == 2


def test_sparql_ask(runner, store_dir):
    yes = PREFIXES + f"ASK {{ <{FTA}> a ckg:FreeTradeAgreement }}"
    no = PREFIXES + f"ASK {{ <{FTA}> a ckg:CooperationPlan }}"
    assert ok(run(runner, store_dir, "sparql", yes)) == "true\n"
    assert ok(run(runner, store_dir, "sparql", no)) == "false\n"
    for fmt in ("json", "xml"):
        assert parse_results(sparql_bytes(runner, store_dir, yes, "--format", fmt),
                             fmt).askAnswer is True
        assert parse_results(sparql_bytes(runner, store_dir, no, "--format", fmt),
                             fmt).askAnswer is False
    bound = PREFIXES + "ASK { ?a a ckg:FreeTradeAgreement }"
    assert ok(run(runner, store_dir, "sparql", bound, "--bind", f"a={FTA}")) == "true\n"
    assert ok(run(runner, store_dir, "sparql", bound, "--bind", f"a={MINUTES}")) == "false\n"


CONSTRUCT_QUERY = PREFIXES + """CONSTRUCT { ?a skos:prefLabel ?label ; ckg:signingDate ?d }
WHERE { ?a a ckg:Agreement ; skos:prefLabel ?label ; ckg:signingDate ?d }"""


@pytest.mark.parametrize(("fmt", "rdflib_format"), [
    (None, "turtle"), ("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"),
    ("rdfxml", "xml"),
])
def test_sparql_construct(runner, store_dir, fmt, rdflib_format):
    args = [CONSTRUCT_QUERY] + (["--format", fmt] if fmt else [])
    triples = {(s, p, o) for s, p, o, _ in all_quads(
        parse_rdf(sparql_bytes(runner, store_dir, *args), rdflib_format))}
    signed = {(str(s), str(o)) for s, p, o in triples if p == rdflib.URIRef(CKG + "signingDate")}
    assert signed == {(AGREEMENT_2010, "2010"), (FTA, "2015-05-29"), (FTA, "2016-10-05"),
                      (JOINT_PLAN, "2019-09-09"), (MINUTES, "2019-09-09")}
    assert len({s for s, p, o in triples if p == rdflib.SKOS.prefLabel}) == 4
    assert len(triples) == 9


def test_sparql_construct_with_binding(runner, store_dir):
    data = sparql_bytes(runner, store_dir, CONSTRUCT_QUERY, "--bind", f"a=<{FTA}>",
                        "--format", "turtle")
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert set(graph.subjects()) == {rdflib.URIRef(FTA)}


def test_sparql_construct_to_file(runner, store_dir, tmp_path):
    out = tmp_path / "agreements.ttl"
    ok(run(runner, store_dir, "sparql", CONSTRUCT_QUERY, "--format", "turtle", "-o", str(out)))
    graph = rdflib.Graph().parse(out, format="turtle")
    assert len(set(graph.subjects())) == 4


# -- export ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "rdflib_format", "dataset"), [
    ("turtle", "turtle", False), ("ntriples", "nt", False), ("rdfxml", "xml", False),
    ("nquads", "nquads", True), ("trig", "trig", True), ("jsonld", "json-ld", True),
])
def test_export_parses_with_rdflib(runner, store_dir, store_counts, tmp_path, fmt,
                                   rdflib_format, dataset):
    out = tmp_path / f"export.{fmt}"
    assert ok(run(runner, store_dir, "export", "--format", fmt, "-o", str(out))) == ""
    parsed = parse_rdf(out.read_bytes(), rdflib_format)
    quads = all_quads(parsed)
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert len(triples) == store_counts["triples"]
    if dataset:  # every source keeps its named graph
        assert len(quads) == store_counts["quads"]
        graphs = {str(g.identifier) if hasattr(g, "identifier") else str(g)
                  for _, _, _, g in quads}
        assert len(graphs) == store_counts["graphs"]
    fta = rdflib.URIRef(FTA)
    signed = {str(o) for s, p, o in triples
              if s == fta and p == rdflib.URIRef(CKG + "signingDate")}
    assert signed == {"2015-05-29", "2016-10-05"}


def test_export_default_is_trig_on_stdout(runner, store_dir, store_counts):
    result = run(runner, store_dir, "export")
    assert result.exit_code == 0, result.output
    parsed = parse_rdf(result.stdout_bytes, "trig")
    assert len(all_quads(parsed)) == store_counts["quads"]


# -- validate -------------------------------------------------------------------------------------
def test_validate_curated_data(runner, store_dir):
    result = run(runner, store_dir, "validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid")
