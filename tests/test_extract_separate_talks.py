"""Bilateral events with several counterparts ("held bilateral talks with the delegations of
A and B", "met separately with A and B"): one event per counterpart, between the clause's
subject and that counterpart. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/13\npublished: 2025-04-10\n---\nCustoms news\n"


def _events(body: str) -> list[dict]:
    document = extract_article(HEADER + body + "\n", name="separate.txt", evidence=False)
    return document["events"]


def test_bilateral_talks_with_two_delegations_are_two_events():
    events = _events("On 8 April 2025 in Vienna, the Federal Ministry of Finance of Austria "
                     "held bilateral talks with the delegations of Slovenia and Croatia on "
                     "rail transit.")
    talks = [e for e in events if e["kind"] == "talks"]
    assert sorted(e["participants"][-1] for e in talks) == ["HR", "SI"]
    assert all(e["date"] == "2025-04-08" for e in talks)


def test_talks_between_two_parties_stay_one_event():
    events = _events("On 8 April 2025 in Vienna, Austria and Slovenia held talks on rail "
                     "transit.")
    assert len([e for e in events if e["kind"] == "talks"]) == 1


def test_joint_talks_with_two_delegations_stay_one_event():
    events = _events("On 8 April 2025 in Vienna, the Federal Ministry of Finance of Austria "
                     "held trilateral talks with the delegations of Slovenia and Croatia on "
                     "rail transit.")
    assert len([e for e in events if e["kind"] == "talks"]) == 1


def test_each_counterpart_of_an_ellipsis_takes_its_own_date():
    events = _events("On the sidelines, the Federal Ministry of Finance of Austria held "
                     "bilateral talks with the delegation of Slovenia on 7 April 2025, and "
                     "with the delegation of Croatia a day later, on the operation of the "
                     "EU customs link.")
    talks = sorted((e["participants"][-1], e["date"]) for e in events if e["kind"] == "talks")
    assert talks == [("HR", "2025-04-08"), ("SI", "2025-04-07")]


def test_counted_rounds_of_talks_in_as_many_places_are_one_event_per_place():
    events = _events("The State Revenue Service of Latvia and the Tax and Customs Board of "
                     "Estonia held two rounds of expert talks, in Riga and in Tartu, in "
                     "February 2025.")
    talks = [e for e in events if e["kind"] == "talks"]
    assert sorted(e["place"] for e in talks) == ["Riga", "Tartu"]
    assert all(e["date"] == "2025-02" and not e.get("aggregate") for e in talks)


def test_counted_talks_without_as_many_places_stay_a_summary_line():
    events = _events("The State Revenue Service of Latvia and the Tax and Customs Board of "
                     "Estonia held three rounds of expert talks in Riga in February 2025.")
    assert [e.get("aggregate") for e in events if e["kind"] == "talks"] == [True]
