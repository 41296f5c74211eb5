"""Dates told relative to the publication date or to a date told before ("a week ago",
"Tuesday last week", "a day later"), and events whose sentence gives their length in days
("at the close of two days of talks"). The sentences are the tests' own."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.articles import extract_article
from loaders.articles.dates import anaphoric_shift, find_dates

FRIDAY = dt.date(2025, 3, 14)
HEADER = "source: https://example.org/news/7\npublished: 2025-03-14\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="relative.txt", evidence=False)


@pytest.mark.parametrize(("text", "value"), [
    ("The officers met three days ago.", "2025-03-11"),
    ("The officers met a week ago.", "2025-03-07"),
    ("The officers met on Tuesday last week.", "2025-03-04"),
    ("The officers will meet on Monday of next week.", "2025-03-17"),
    ("The officers met last week.", "2025-03"),
    ("The officers met at the end of February.", "2025-02"),
    ("The officers met at the beginning of March.", "2025-03"),
])
def test_a_date_relative_to_publication_resolves(text: str, value: str):
    (date,) = find_dates(text, FRIDAY)
    assert date.value == value


def test_a_week_across_two_months_gives_no_month():
    (date,) = find_dates("The officers met last week.", dt.date(2025, 3, 5))
    assert date.value is None  # 24 February to 2 March


@pytest.mark.parametrize(("text", "shift"), [
    ("that day", 0), ("a day later", 1), ("two days later", 2), ("the following day", 1),
    ("the day before", -1), ("three days earlier", -3), ("a week later", 7)])
def test_an_anaphoric_date_moves_by_what_it_says(text: str, shift: int):
    assert anaphoric_shift(text) == shift


def test_a_day_later_follows_the_date_told_before():
    document = _document(
        "Customs officers of Latvia and Lithuania met in Riga on 10 March 2025. A day later "
        "the State Revenue Service of Latvia and the Customs Department of Lithuania signed "
        "a protocol on joint border checks.")
    (protocol,) = document["agreements"]
    assert protocol["signed"] == "2025-03-11"


def test_the_close_of_two_days_of_talks_ends_on_the_day_given():
    document = _document(
        "The State Revenue Service of Latvia and the Customs Department of Lithuania met in "
        "Vilnius on Thursday at the close of two days of talks on transit.")
    (talks,) = document["events"]
    assert talks["date"] == "2025-03-12/2025-03-13"


def test_a_three_day_visit_starts_on_the_day_given():
    document = _document(
        "The Customs Department of Lithuania began a three-day visit to the State Revenue "
        "Service of Latvia in Riga on 3 March 2025.")
    (visit,) = [e for e in document["events"] if e["kind"] == "visit"]
    assert visit["date"] == "2025-03-03/2025-03-05"


def test_a_dateline_with_a_date_in_another_calendar_dates_nothing():
    from loaders.articles.dates import dateline_length

    line = "Riyadh, Rajab 15, 1446, January 15, 2025, SPA -- The two authorities met."
    assert line[dateline_length(line):].startswith("The two")


@pytest.mark.parametrize(("text", "value"), [
    ("The commission met in Minsk last October.", "2024-10"),
    ("The commission met in Minsk last February.", "2025-02"),
    ("The commission will meet next April.", "2025-04"),
    ("The commission will meet next January.", "2026-01"),
])
def test_a_month_named_last_or_next_is_the_nearest_one(text: str, value: str):
    assert [d.value for d in find_dates(text, FRIDAY)] == [value]
