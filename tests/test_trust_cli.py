"""The trust questions from the command line: certainty filters on every relation question,
the review round trip (reject, reload, still rejected), and SPARQL kept inside the store."""

from __future__ import annotations

import json

import pytest
from test_certainty import curated_files, write_extracted

from cli import cli


@pytest.fixture
def store_args(tmp_path, runner):
    """``--store`` of an on-disk store holding the seed data and one extracted records file
    (see tests/test_certainty.py); the folder holds the extracted file too."""
    args = ["--store", str(tmp_path / "kg")]
    result = runner.invoke(cli, [*args, "load", str(curated_files(tmp_path)),
                                 str(write_extracted(tmp_path))])
    assert result.exit_code == 0, result.output
    return args


def partner_names(runner, args, *options) -> list[str]:
    result = runner.invoke(cli, [*args, "partners", "Vietnam", "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return [p["label"] for p in json.loads(result.stdout)]


def test_every_relation_question_takes_the_certainty_filters(runner, store_args):
    every = partner_names(runner, store_args)
    assert {"Cuba (CU)", "Laos (LA)", "Kazakhstan (KZ)", "Russia (RU)"} <= set(every)
    assert "Laos (LA)" not in partner_names(runner, store_args, "--min-confidence", "0.62")
    curated = partner_names(runner, store_args, "--curated-only")
    assert "Russia (RU)" in curated and not {"Cuba (CU)", "Laos (LA)"} & set(curated)
    direct = runner.invoke(cli, [*store_args, "path", "Vietnam", "Cuba"]).stdout
    assert direct.startswith("Vietnam (VN) → Cuba (CU): 1 step\n") and "[extracted" in direct
    curated = runner.invoke(cli, [*store_args, "path", "Vietnam", "Cuba", "--curated-only"])
    assert curated.stdout.startswith("Vietnam (VN) → Cuba (CU): 3 steps\n")
    assert "[extracted" not in curated.stdout
    network = runner.invoke(cli, [*store_args, "network", "--format", "json",
                                  "--curated-only"])
    pairs = {frozenset((e["source"][-2:], e["target"][-2:]))
             for e in json.loads(network.stdout)["links"]}
    assert network.exit_code == 0 and {"VN", "RU"} in pairs and {"VN", "CU"} not in pairs
    links = runner.invoke(cli, [*store_args, "links", "Vietnam", "Cuba", "--curated-only"])
    assert (links.exit_code, links.stdout) == (0, "nothing found\n")


def test_review_reject_reload_still_rejected(runner, store_args, tmp_path):
    listed = runner.invoke(cli, [*store_args, "review", "--format", "json"])
    claims = json.loads(listed.stdout)
    assert [c["confidence"] for c in claims] == sorted(c["confidence"] for c in claims)
    talks = next(c for c in claims if c["item"].endswith("/event/vn-la-talks-2021"))
    reviewed = tmp_path / "reviews.yaml"
    result = runner.invoke(cli, [*store_args, "review", "--reject", talks["id"], "--by",
                                 "analyst", "--note", "no such talks", "--file", str(reviewed)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"reject   {talks['id']}"
    assert "reviewer: analyst" in reviewed.read_text(encoding="utf-8")
    assert runner.invoke(cli, [*store_args, "links", "Vietnam", "Laos"]).stdout == "nothing found\n"
    reload = runner.invoke(cli, [*store_args, "load", str(write_extracted(tmp_path))])
    assert reload.exit_code == 0, reload.output
    assert runner.invoke(cli, [*store_args, "links", "Vietnam", "Laos"]).stdout == "nothing found\n"
    left = json.loads(runner.invoke(cli, [*store_args, "review", "--format", "json"]).stdout)
    assert talks["id"] not in {c["id"] for c in left}


def test_review_mistakes_are_one_line(runner, store_args, tmp_path):
    unknown = runner.invoke(cli, [*store_args, "review", "--accept", "0000beef", "--file",
                                  str(tmp_path / "r.yaml")])
    assert unknown.exit_code == 1 and unknown.output == (
        "Error: no extracted claim '0000beef' (see 'customs-kg review')\n")
    both = runner.invoke(cli, [*store_args, "review", "--accept", "x", "-i"])
    assert both.exit_code == 2 and "one of them" in both.output


def test_sparql_reaches_no_service_unless_allowed(runner, store_args):
    query = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = runner.invoke(cli, [*store_args, "sparql", query])
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert "SERVICE" in refused.output and "--allow-service" in refused.output


def test_review_at_the_terminal(runner, store_args, tmp_path):
    reviewed = tmp_path / "reviews.yaml"
    result = runner.invoke(cli, [*store_args, "review", "-i", "--file", str(reviewed)],
                           input="r\nno such talks\nq\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("[1/4] ")
    assert "Vietnam and Laos customs held talks" in result.output.split("[2/4]")[0]
    assert "accept, reject, correct, skip or quit? [a/r/c/s/q] " in result.output
    assert result.output.endswith(f"{reviewed}: 1 decision, loaded\n")
    assert runner.invoke(cli, [*store_args, "links", "Vietnam", "Laos"]).stdout == (
        "nothing found\n")
    ended = runner.invoke(cli, [*store_args, "review", "-i", "--file", str(reviewed)], input="")
    assert (ended.exit_code, ended.output.endswith("no decisions\n")) == (0, True)
