"""Conflicts: values equal at the coarser precision are one claim at two precisions ("2015" and
"2015-05-29"), shown together; only values that truly disagree are a conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from curated import DATA, ESTABLISHED, FTA, SEED_003, copy_seeds

from cli import cli
from graph.queries.catalog import conflicts
from graph.queries.items import Claim, Item, Source, settle_claims
from graph.store import OxigraphStore
from loaders.load import load_paths

# A third source on the Viet Nam–EAEU FTA that gives only the year of signature.
YEAR_ONLY = """\
source: {{id: fta-year-only, title: The FTA by its year, reliability: medium}}
agreements:
  - id: vn-eaeu-fta
    parties: [VN, EAEU]
    signed: "{signed}"
"""


def source(name: str, reliability: str = "medium") -> Source:
    return Source(file=name, graph=f"urn:graph:{name}", loaded_at="", document=name,
                  reliability=reliability)


def claim(value: str, *names: str) -> Claim:
    return Claim(value, [source(name) for name in names])


def values(found: list[Claim]) -> list[tuple[str, list[str], list[str]]]:
    return [(c.value, [s.file for s in c.sources], [o.value for o in c.coarser]) for c in found]


# -- settling claims ---------------------------------------------------------------------------
def test_a_year_and_a_day_of_that_year_are_one_claim():
    settled = settle_claims([claim("2015", "article"), claim("2015-05-29", "facts")])
    assert values(settled) == [("2015-05-29", ["facts"], ["2015"])]


def test_a_year_a_month_and_a_day_are_one_claim():
    settled = settle_claims([claim("2015", "a"), claim("2015-05", "b"), claim("2015-05-29", "c")])
    assert values(settled) == [("2015-05-29", ["c"], ["2015", "2015-05"])]


def test_days_that_differ_stay_a_conflict_and_the_year_supports_the_one_it_fits():
    settled = settle_claims([claim("2015-05-29", "facts"), claim("2016-10-05", "seed"),
                             claim("2015", "article")])
    assert values(settled) == [("2015-05-29", ["facts"], ["2015"]),
                               ("2016-10-05", ["seed"], [])]


def test_a_year_that_fits_two_disagreeing_days_supports_both():
    settled = settle_claims([claim("2015-05-29", "a"), claim("2015-10-05", "b"),
                             claim("2015", "c")])
    assert values(settled) == [("2015-05-29", ["a"], ["2015"]), ("2015-10-05", ["b"], ["2015"])]


def test_a_coarser_value_adds_its_sources_to_the_finer_values_weight():
    # alone, each day has one source; the year's source makes 2015-10-05 the better supported
    settled = settle_claims([claim("2015-05-29", "a"), claim("2015-10-05", "b"),
                             claim("2015-10", "c")])
    assert [c.value for c in settled] == ["2015-10-05", "2015-05-29"]


def test_years_that_differ_are_a_conflict():
    assert [c.value for c in settle_claims([claim("2015", "a"), claim("2016", "b")])] == \
        ["2015", "2016"]


def test_an_answer_takes_the_finest_value_its_sources_agree_on():
    item = Item("urn:item")
    item.claims["signed"] = [Claim("2015", [source("reference", "high")]),
                             Claim("2015-05-29", [source("article", "low")])]
    assert item.value("signed") == "2015-05-29"
    assert item.conflicts() == []


def test_values_dict_lists_the_coarser_sources_with_what_they_state():
    [settled] = settle_claims([claim("2015", "article"), claim("2015-05-29", "facts")])
    data = settled.values_dict()
    assert data["value"] == "2015-05-29"
    assert [(s["file"], s.get("stated")) for s in data["sources"]] == [
        ("facts", None), ("article", "2015")]


# -- in a store ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def year_store(tmp_path_factory) -> Path:
    """The curated data plus a file that gives the FTA's signing as the year 2015 only."""
    folder = tmp_path_factory.mktemp("conflicts")
    copy_seeds(folder / "data")
    (folder / "data" / "fta-year.yaml").write_text(YEAR_ONLY.format(signed="2015"),
                                                   encoding="utf-8")
    store = OxigraphStore(folder / "kg", writable=True)
    try:
        load_paths(store, [folder / "data"])
    finally:
        store.close()
    return folder / "kg"


def files(value: dict) -> list[tuple[str, str | None]]:
    return [(s["file"].rsplit("/", 1)[-1], s.get("stated")) for s in value["sources"]]


def test_conflicts_put_the_year_under_the_day_it_fits(year_store):
    store = OxigraphStore(year_store)
    try:
        [conflict] = conflicts(store)
    finally:
        store.close()
    assert (conflict["iri"], conflict["field"]) == (FTA, "signed")
    assert [(v["value"], files(v)) for v in conflict["values"]] == [
        ("2015-05-29", [(ESTABLISHED, None), ("fta-year.yaml", "2015")]),
        ("2016-10-05", [(SEED_003, None)]),
    ]


def test_conflicts_table_shows_the_year_source_under_the_day(year_store):
    result = CliRunner().invoke(cli, ["--store", str(year_store), "conflicts"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": signed")
    assert lines[1].startswith("  2015-05-29  ") and \
        "fta-year.yaml (The FTA by its year) [as 2015]" in lines[1] and ESTABLISHED in lines[1]
    assert lines[2].startswith("  2016-10-05  ") and SEED_003 in lines[2]
    assert len(lines) == 3  # no line of its own for "2015"


def test_links_conflict_line_and_json_agree(year_store):
    runner = CliRunner()
    table = runner.invoke(cli, ["--store", str(year_store), "links", "Vietnam", "Russia"])
    [line] = [x.strip() for x in table.stdout.splitlines() if "CONFLICT" in x]
    assert line == (f"CONFLICT signed: 2015-05-29 (data/{ESTABLISHED}, data/fta-year.yaml "
                    f"as 2015) vs 2016-10-05 (data/{SEED_003})")
    answers = json.loads(runner.invoke(
        cli, ["--store", str(year_store), "links", "Vietnam", "Russia", "-f", "json"]).stdout)
    [fta] = [a for a in answers if a["iri"] == FTA]
    assert fta["signed"] == "2015-05-29"
    [conflict] = fta["conflicts"]
    assert [(v["value"], files(v)) for v in conflict["values"]] == [
        ("2015-05-29", [(ESTABLISHED, None), ("fta-year.yaml", "2015")]),
        ("2016-10-05", [(SEED_003, None)]),
    ]


def test_a_year_that_agrees_with_the_only_day_is_no_conflict(tmp_path):
    (tmp_path / "fta-year.yaml").write_text(YEAR_ONLY.format(signed="2015"), encoding="utf-8")
    store = OxigraphStore(None)
    try:
        load_paths(store, [DATA / ESTABLISHED, tmp_path / "fta-year.yaml"])
        assert conflicts(store) == []
    finally:
        store.close()


def test_a_year_that_disagrees_is_a_conflict(tmp_path):
    (tmp_path / "fta-year.yaml").write_text(YEAR_ONLY.format(signed="2014"), encoding="utf-8")
    store = OxigraphStore(None)
    try:
        load_paths(store, [DATA / ESTABLISHED, tmp_path / "fta-year.yaml"])
        [conflict] = conflicts(store)
    finally:
        store.close()
    assert [(v["value"], files(v)) for v in conflict["values"]] == [
        ("2015-05-29", [(ESTABLISHED, None)]), ("2014", [("fta-year.yaml", None)])]


def test_partners_date_an_item_as_links_does(year_store):
    # the partner network settles the FTA's signing date the same way: the year-only source
    # supports 2015-05-29, which then outweighs 2016-10-05
    runner = CliRunner()
    answers = json.loads(runner.invoke(
        cli, ["--store", str(year_store), "partners", "Russia", "-f", "json"]).stdout)
    vietnam = next(a for a in answers if a["label"] == "Vietnam (VN)")
    [fta] = [i for i in vietnam["evidence"]["agreements"] if i["iri"] == FTA]
    links = json.loads(runner.invoke(
        cli, ["--store", str(year_store), "links", "Vietnam", "Russia", "-f", "json"]).stdout)
    assert fta["date"] == next(a["date"] for a in links if a["iri"] == FTA) == "2015-05-29"
