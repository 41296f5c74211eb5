"""Signings told by ellipsis: "the memorandum with X was signed in A on DATE, and the one with
Y in B a day later" signs the one with Y on its own date, at its own place, an event of its
own. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/11\npublished: 2025-06-20\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="ellipses.txt", evidence=False)


BODY = ("The Customs Service of Moldova has signed memoranda of understanding on risk "
        "analysis with the State Customs Service of Ukraine and the Romanian Customs "
        "Authority. The memorandum with the Ukrainian side was signed in Chisinau on June 16, "
        "and the one with Romania in Bucharest two days later.")


def test_the_one_with_another_party_is_signed_on_its_own_date():
    agreements = _document(BODY)["agreements"]
    signed = {a["parties"][-1]: a["signed"] for a in agreements}
    assert signed == {"State Customs Service of Ukraine": "2025-06-16",
                      "Romanian Customs Authority": "2025-06-18"}


def test_the_elliptic_signing_is_an_event_of_its_own():
    events = [e for e in _document(BODY)["events"] if e["kind"] == "signing"]
    assert [(e["date"], e["place"]) for e in events] == [("2025-06-16", "Chisinau"),
                                                         ("2025-06-18", "Bucharest")]


def test_no_ellipsis_without_a_signing_before_it():
    document = _document("The Customs Service of Moldova discussed two draft memoranda with "
                         "the State Customs Service of Ukraine, and the one with Romania is "
                         "still being negotiated.")
    assert all(a["signed"] is None for a in document["agreements"])
