"""``links`` and ``timeline`` a page at a time: --limit (default 50), --offset, --all; the
pages add up to every answer, in order, and a note says which of how many a page shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli import cli
from graph.presentation import page_note


@pytest.fixture(scope="module")
def store_dir(curated_store_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("paging") / "kg"
    shutil.copytree(curated_store_dir, path)
    return path


def run(runner, store: Path, *args: str):
    result = runner.invoke(cli, ["--store", str(store), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def iris(result) -> list[str]:
    return [answer["iri"] for answer in json.loads(result.stdout)]


@pytest.mark.parametrize("question", [("timeline", "Vietnam"), ("timeline", "Russia"),
                                      ("links", "Vietnam", "Russia"), ("timeline",)])
def test_pages_add_up_to_every_answer(runner, store_dir, question):
    every = iris(run(runner, store_dir, *question, "--all", "-f", "json"))
    assert len(every) >= 3
    pages = []
    for offset in range(0, len(every), 2):
        result = run(runner, store_dir, *question, "--limit", "2", "--offset", str(offset),
                     "-f", "json")
        pages += iris(result)
        end = min(offset + 2, len(every))
        more = (f"; --offset {end} for the next {min(2, len(every) - end)}, --all for every one"
                if end < len(every) else "")
        assert result.stderr.strip() == f"{offset + 1}–{end} of {len(every)} answers{more}"
    assert pages == every


def test_the_table_ends_with_the_note_and_says_nothing_when_all_fit(runner, store_dir):
    every = iris(run(runner, store_dir, "timeline", "Vietnam", "--all", "-f", "json"))
    table = run(runner, store_dir, "timeline", "Vietnam", "--limit", "1").stdout
    assert table.splitlines()[-1] == (f"1–1 of {len(every)} answers; --offset 1 for the next "
                                      "1, --all for every one")
    whole = run(runner, store_dir, "timeline", "Vietnam")
    assert len(every) < 50 and "answers" not in whole.stdout.splitlines()[-1]
    assert whole.stderr == ""


def test_certainty_filters_apply_before_paging(runner, store_dir):
    every = iris(run(runner, store_dir, "timeline", "--curated-only", "--all", "-f", "json"))
    first = iris(run(runner, store_dir, "timeline", "--curated-only", "--limit", "3",
                     "-f", "json"))
    assert first == every[:3]


def test_a_bad_page_is_a_usage_error(runner, store_dir):
    result = runner.invoke(cli, ["--store", str(store_dir), "timeline", "--limit", "0"])
    assert result.exit_code == 2 and "--limit" in result.output


@pytest.mark.parametrize("args,expected", [
    ((3, 3, 0, 50), None),
    ((50, 120, 0, 50), "1–50 of 120 answers; --offset 50 for the next 50, --all for every one"),
    ((20, 120, 100, 50), "101–120 of 120 answers"),
    ((0, 10, 20, 50), "none of 10 answers"),
    ((50, None, 0, 50), "answers 1–50; more may follow: --offset 50 for the next 50, --all for "
                        "every one"),
    ((7, None, 50, 50), "answers 51–57, the last"),
    ((7, None, 0, 50), None),
    ((120, 120, 0, None), None),
])
def test_page_note(args, expected):
    assert page_note(*args) == expected
