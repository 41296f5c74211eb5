"""What the commands print for people: paging of entities, every date in CSV, notes, ordered
participants, every step's evidence in ``path``, readable exports and paths from any folder.

Against a copy of the curated on-disk store, through Click's CliRunner.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from curated import ESTABLISHED, FTA, SEEDS, copy_seeds

from cli import cli
from graph.presentation import entities_text, path_text
from graph.queries.items import display_path
from graph.store import OxigraphStore


@pytest.fixture(scope="module")
def store_dir(curated_store_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("output") / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


def run(runner, store: Path, *args: str):
    result = runner.invoke(cli, ["--store", str(store), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def total_entities(runner, store_dir) -> int:
    return len(json.loads(run(runner, store_dir, "entities", "--all", "-f", "json").stdout))


# -- entities -------------------------------------------------------------------------------
def test_entities_says_it_shows_a_page_and_how_to_see_the_rest(runner, store_dir):
    total = total_entities(runner, store_dir)
    assert total > 50
    lines = run(runner, store_dir, "entities").stdout.splitlines()
    assert len(lines) == 2 + 50 + 1  # header, rule, a page, the note
    assert lines[-1] == (f"1–50 of {total:,} entities; --offset 50 for the next 50, --all for "
                         "every one")


def test_entities_pages_with_offset_and_limit(runner, store_dir):
    every = json.loads(run(runner, store_dir, "entities", "--all", "-f", "json").stdout)
    result = run(runner, store_dir, "entities", "--offset", "10", "--limit", "5", "-f", "json")
    assert [e["iri"] for e in json.loads(result.stdout)] == [e["iri"] for e in every[10:15]]
    # machine formats keep the note off standard output
    assert result.stderr.startswith(f"11–15 of {len(every):,} entities; --offset 15")


def test_entities_last_page_has_no_next_page(runner, store_dir):
    total = total_entities(runner, store_dir)
    result = run(runner, store_dir, "entities", "--offset", str(total - 3))
    assert result.stdout.splitlines()[-1] == f"{total - 2:,}–{total:,} of {total:,} entities"


def test_entities_all_and_a_short_search_say_nothing_more(runner, store_dir):
    result = run(runner, store_dir, "entities", "--all")
    assert "entities" not in result.stdout.splitlines()[-1]
    assert run(runner, store_dir, "entities", "GDVC").stderr == ""


def test_entities_text_with_nothing_on_the_page():
    rows = [{"kind": "country", "label": "A", "code": "AA", "aliases": [], "iri": "x"}]
    text, note = entities_text(rows, "table", offset=5, limit=10)
    assert note == "none of 1 entity"
    assert text.splitlines()[0].split() == ["kind", "label", "code", "aliases", "iri"]


# -- links and timeline ---------------------------------------------------------------------
def test_links_csv_has_every_date_in_its_own_column(runner, store_dir):
    text = run(runner, store_dir, "links", "Vietnam", "Russia", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"signed", "in_force", "valid_from", "valid_to", "end", "planned", "implementers",
            "place", "notes"} <= set(rows[0])
    [fta] = [r for r in rows if r["iri"] == FTA]
    assert fta["in_force"] == "2016-10-05" and fta["place"] == "Burabay"
    plan = next(r for r in rows if r["kind"] == "cooperation-plan")
    assert (plan["valid_from"], plan["valid_to"]) == ("2019", "2023")


def test_notes_appear_in_the_table_as_in_json(runner, store_dir):
    items = json.loads(run(runner, store_dir, "links", "Vietnam", "Russia", "-f",
                           "json").stdout)
    noted = next(i for i in items if i["notes"])
    table = run(runner, store_dir, "links", "Vietnam", "Russia").stdout
    for note in noted["notes"]:
        assert f"            note: {note}" in table


def test_participants_and_parties_are_in_the_order_of_their_names(runner, store_dir):
    items = json.loads(run(runner, store_dir, "timeline", "Siberian Customs Directorate",
                           "-f", "json").stdout)
    lists = [[e["label"] for e in i.get("participants") or i.get("parties")] for i in items]
    assert any(len(names) > 2 for names in lists)
    for names in lists:
        assert names == sorted(names, key=str.casefold)


# -- path -----------------------------------------------------------------------------------
def test_path_lists_every_item_behind_a_step(runner, store_dir):
    found = json.loads(run(runner, store_dir, "path", "Mongolia", "Vietnam", "-f", "json").stdout)
    text = run(runner, store_dir, "path", "Mongolia", "Vietnam").stdout
    step = next(s for s in found["steps"] if "more)" in s["text"])
    items = step["evidence"]["agreements"] + step["evidence"]["events"]
    assert len(items) > 1
    for item in items:
        assert f"{item['kind']}: {item['label']}" in text


def test_path_text_points_to_json_beyond_the_shown_items():
    items = [{"date": f"2019-01-{d:02}", "kind": "meeting", "label": f"m{d}"} for d in range(1, 9)]
    found = {"length": 1, "from": {"label": "A"}, "to": {"label": "B"}, "text": "A met B.",
             "steps": [{"text": "A met B: m8 (and 7 more)",
                        "evidence": {"agreements": [], "events": items}}]}
    lines = path_text(found, "table", shown=5).splitlines()
    assert lines[-1] == "      … and 3 more (--format json lists all)"
    assert lines[-6].endswith("meeting: m8")  # latest first


# -- sources, export, output files ----------------------------------------------------------
def test_sources_paths_are_relative_to_the_project_from_any_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    copy_seeds(project / "data")
    store = OxigraphStore(project / ".customs-kg", writable=True)
    try:
        from loaders.load import load_paths

        load_paths(store, [project / "data"])
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.chdir(elsewhere)
        shown = display_path(str(project / "data" / ESTABLISHED), store)
    finally:
        store.close()
    assert shown == f"data/{ESTABLISHED}"
    assert display_path("/nowhere/else.yaml") == "/nowhere/else.yaml"


def test_sources_from_another_folder(runner, tmp_path, monkeypatch):
    project = tmp_path / "project"
    copy_seeds(project / "data")
    monkeypatch.chdir(project)
    run(runner, project / ".customs-kg", "load", "data")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    rows = json.loads(run(runner, project / ".customs-kg", "sources", "-f", "json").stdout)
    assert f"data/{ESTABLISHED}" in {r["path"] for r in rows}


def test_export_to_the_terminal_uses_the_project_prefixes(runner, store_dir):
    text = run(runner, store_dir, "export").stdout
    assert text.startswith("@prefix ")
    assert "@prefix ckg: <https://w3id.org/customs-kg/ontology#> ." in text
    assert "ckg:signingDate" in text


@pytest.mark.parametrize("args", [["export"], ["sparql", "ASK {}"], ["network"],
                                  ["neo4j", "style"], ["neo4j", "guide"]])
def test_output_into_a_missing_folder_is_one_line(runner, store_dir, tmp_path, args):
    target = tmp_path / "no" / "such" / "folder" / "out.html"
    result = runner.invoke(cli, ["--store", str(store_dir), *args, "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: cannot write: No such file or directory\n"


# -- partner weights ------------------------------------------------------------------------
def ranking(runner, store_dir, *args: str) -> list[tuple[str, float]]:
    rows = csv.DictReader(io.StringIO(run(runner, store_dir, "partners", "Russia", "-f", "csv",
                                          *args).stdout))
    return [(row["partner"], float(row["weight"])) for row in rows]


def test_default_weights_put_agreements_above_a_line_of_forums(runner, store_dir):
    # Vietnam shares four agreements (an FTA among them) with Russia; Cuba only a summary
    # line of eleven forums
    ranked = [name for name, _ in ranking(runner, store_dir)]
    assert ranked.index("Vietnam (VN)") < ranked.index("Cuba (CU)")


def test_weights_option_changes_the_ranking(runner, store_dir):
    # with agreements worth nothing and summary lines uncapped, the forums win again
    ranked = ranking(runner, store_dir, "--weights",
                     "agreement=0,binding=0,event=1,summary_cap=none")
    names = [name for name, _ in ranked]
    assert names.index("Cuba (CU)") < names.index("Vietnam (VN)")
    assert dict(ranked)["Cuba (CU)"] == 11


@pytest.mark.parametrize(("value", "words"), [
    ("bogus=1", "unknown weight 'bogus': the keys are agreement, binding, event, summary_cap"),
    ("event=-1", "weight event must be a number ≥ 0, not '-1'"),
    ("event", "'event' is not KEY=VALUE (for example agreement=3,event=1)"),
])
def test_bad_weights_are_a_usage_error(runner, store_dir, value, words):
    for command in (["partners", "Russia"], ["network", "-f", "json"], ["path", "MN", "VN"]):
        result = runner.invoke(cli, ["--store", str(store_dir), *command, "--weights", value])
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--weights': {words}"


def test_network_and_path_take_the_weights(runner, store_dir):
    graph = json.loads(run(runner, store_dir, "network", "-f", "json", "--weights",
                           "event=2").stdout)
    assert graph["graph"]["weights"]["event"] == 2
    found = json.loads(run(runner, store_dir, "path", "Mongolia", "Vietnam", "-f", "json",
                           "--weights", "event=2").stdout)
    assert found["length"] == 3


def test_partners_text_names_the_union_body_behind_an_item(runner, tmp_path, corpus):
    # gold 22: the Eurasian Economic Commission met Vietnam; the EAEU's partner is Vietnam
    store = tmp_path / "kg"
    gold = next((corpus / "gold").glob("22_*.yaml"))
    run(runner, store, "load", *map(str, SEEDS), str(gold))
    answers = json.loads(run(runner, store, "partners", "Eurasian Economic Union", "-f",
                             "json").stdout)
    vietnam = next(a for a in answers if a["label"] == "Vietnam (VN)")
    items = vietnam["evidence"]["agreements"] + vietnam["evidence"]["events"]
    bodies = {b["body"]["label"] for i in items for b in i.get("body", ())}
    assert "Eurasian Economic Commission" in bodies
    text = run(runner, store, "partners", "Eurasian Economic Union").stdout
    assert "(Eurasian Economic Commission for the Eurasian Economic Union)" in text


# -- certainty ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def article_store(tmp_path_factory) -> Path:
    """The curated data and one example article, loaded through the extractor."""
    from click.testing import CliRunner

    store = tmp_path_factory.mktemp("certainty") / "kg"
    article = Path(__file__).resolve().parents[1] / "docs" / "examples" / "talks.txt"
    run(CliRunner(), store, "load", *map(str, SEEDS), str(article), "--published", "2022-06-08")
    return store


def test_every_answer_says_how_certain_it_is(runner, article_store):
    curated = json.loads(run(runner, article_store, "links", "Vietnam", "Russia", "-f",
                             "json").stdout)
    assert {i["certainty"]["basis"] for i in curated} == {"curated"}
    assert all(i["certainty"]["confidence"] is None for i in curated)
    extracted = json.loads(run(runner, article_store, "timeline", "Uzbekistan", "-f",
                               "json").stdout)
    assert extracted and {i["certainty"]["basis"] for i in extracted} == {"extracted"}
    for item in extracted:
        best = max(s["confidence"] for s in item["sources"] if s.get("confidence") is not None)
        assert item["certainty"]["confidence"] == best
    table = run(runner, article_store, "timeline", "Uzbekistan").stdout
    assert table.count("certainty: extracted only, confidence ") == len(extracted)
    assert "            certainty: curated\n" in run(runner, article_store, "links", "Vietnam",
                                                     "Russia").stdout


def test_certainty_filters(runner, article_store):
    every = json.loads(run(runner, article_store, "timeline", "Uzbekistan", "-f",
                           "json").stdout)
    confidences = sorted(i["certainty"]["confidence"] for i in every)
    assert len(set(confidences)) > 1  # the article gives answers of different confidence
    threshold = confidences[-1]
    kept = json.loads(run(runner, article_store, "timeline", "Uzbekistan", "-f", "json",
                          "--min-confidence", str(threshold)).stdout)
    assert kept and all(i["certainty"]["confidence"] >= threshold for i in kept)
    assert len(kept) == sum(c >= threshold for c in confidences)
    assert run(runner, article_store, "timeline", "Uzbekistan",
               "--curated-only").stdout == "nothing found\n"
    # curated answers pass every filter
    for option in (["--curated-only"], ["--min-confidence", "1"]):
        assert len(json.loads(run(runner, article_store, "links", "Vietnam", "Russia", "-f",
                                  "json", *option).stdout)) == 6


def test_csv_has_the_certainty(runner, article_store):
    rows = list(csv.DictReader(io.StringIO(run(runner, article_store, "timeline", "Uzbekistan",
                                               "-f", "csv").stdout)))
    assert rows and {r["certainty"] for r in rows} == {"extracted"}
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_sources_are_listed_most_reliable_first_then_by_file(runner, store_dir):
    # graph names are random per load, so an order taken from the store would change between
    # loads; the rule is stated by reliability, then file, then document
    rank = {"high": 0, "medium": 1, "low": 2}
    items = json.loads(run(runner, store_dir, "links", "Vietnam", "Russia", "-f", "json").stdout)
    assert any(len(i["sources"]) > 1 for i in items)
    for item in items:
        keys = [(rank[s["reliability"]], s["file"], s["document"] or "") for s in item["sources"]]
        assert keys == sorted(keys)
