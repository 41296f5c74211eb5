"""Forms of translated press releases: "the 1 of July of 2025", "the first semester of 2026",
"subscribed" for signed, "enter in vigour" for entry into force; an event's name ("IV
Binational Meeting of Customs") is no body. The sentences are the tests' own."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.articles import extract_article
from loaders.articles.dates import find_dates

HEADER = "source: https://example.org/news/14\npublished: 2025-04-28\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="translated.txt", evidence=False)


@pytest.mark.parametrize(("text", "value"), [
    ("It will apply from the 1 of July of 2025.", "2025-07-01"),
    ("The next meeting is in the first semester of 2026.", "2026-01/2026-06"),
    ("Results are due in the second semester of the year.", "2025-07/2025-12"),
])
def test_translated_dates(text: str, value: str):
    (date,) = find_dates(text, dt.date(2025, 4, 28))
    assert date.value == value


def test_subscribed_is_signed_and_in_vigour_in_force():
    document = _document(
        "The Customs of Ecuador and the National Customs Service of Chile subscribed a "
        "memorandum on risk analysis in Quito on 22 April 2025. The memorandum will enter in "
        "vigour the 1 of July of 2025.")
    (memorandum,) = document["agreements"]
    assert (memorandum["signed"], memorandum["in_force"]) == ("2025-04-22", "2025-07-01")


def test_an_events_name_is_no_body():
    document = _document(
        "The delegations met in Quito at the III Binational Meeting of Customs Ecuador-Chile "
        "on 22 April 2025.")
    assert all("Meeting" not in a["name"] for a in document["agencies"])


def test_a_meeting_realized_on_days_takes_them():
    document = _document(
        "The Customs of Ecuador and the National Customs Service of Chile met at the III "
        "Binational Meeting of Customs Ecuador-Chile, realized in the city of Quito the days "
        "23 and 24 of April.")
    (meeting,) = document["events"]
    assert meeting["date"] == "2025-04-23/2025-04-24"


def test_a_year_that_names_an_event_is_no_date():
    dates = find_dates("They met at the 2025 China-ASEAN Customs Cooperation Forum in Nanning.",
                       dt.date(2025, 9, 18))
    assert dates == []
    (year,) = find_dates("The plan was adopted in 2025.", dt.date(2025, 9, 18))
    assert year.value == "2025"
