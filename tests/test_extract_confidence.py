"""What a record's confidence says (issue 10 point 3): the rules of ``confidence.py`` on
sentences written for these tests. A name the text gives with a body's head noun stays a
body when it takes part in nothing; a collective of a union's members has no country and
loses nothing for it; a body known only from a post is at most 0.6; an event of one
participant is no guess."""

from __future__ import annotations

from loaders.articles import extract_article
from loaders.articles.confidence import _head_noun, event_confidence

HEADER = "source: https://example.org/news/9\npublished: 2024-05-20\n---\nCustoms news\n"


def _confidences(body: str, section: str = "agencies", key: str = "name") -> dict[str, float]:
    document = extract_article(HEADER + body + "\n", name="confidence.txt")
    return {str(item[key]): item["evidence"]["confidence"] for item in document[section]}


def test_the_head_noun_of_a_name():
    assert _head_noun("Regional Office for Capacity Building") == "office"
    assert _head_noun("Customs and Tariff Bureau") == "bureau"
    assert _head_noun("Ministry of Economy") == "ministry"
    assert _head_noun("Union Customs") == "customs"


def test_a_body_named_with_a_body_noun_in_passing_is_no_guess():
    found = _confidences(
        "The State Customs Service of Armenia and the Customs Service of Georgia held talks in "
        "Tbilisi on 14 May 2024. Experts from the Maritime Intelligence Coordination Office "
        "presented a study on risk.")
    assert found["Maritime Intelligence Coordination Office"] >= 0.5


def test_a_collective_of_a_unions_members_is_no_guess():
    found = _confidences(
        "The Eurasian Economic Commission and the customs authorities of the EAEU member "
        "states met in Moscow on 14 May 2024 to discuss transit.")
    collective = [name for name in found if name.startswith("customs authorities")]
    assert collective and found[collective[0]] >= 0.5


def test_a_body_known_only_from_a_post_is_at_most_0_6():
    found = _confidences(
        "The State Customs Service of Armenia and the Revenue Service of Georgia held talks in "
        "Tbilisi on 14 May 2024. Georgia's Finance Minister Ana Beridze opened them.")
    ministries = [name for name in found if name.startswith("Ministry of Finance")]
    assert ministries and all(found[name] <= 0.6 for name in ministries)


def test_an_event_of_one_participant_is_no_guess_and_one_of_none_is():
    assert event_confidence(0.5, ["AT"], "2024-05", True) >= 0.5
    assert event_confidence(0.6, ["AT"], "2024-05", False) >= 0.5
    assert event_confidence(0.6, [], "2024-05", False) < 0.5


def test_a_signing_on_the_sidelines_of_a_meeting_is_doubtful_one_during_a_visit_is_not():
    assert event_confidence(0.6, ["AT", "LE"], "2024-05-14", False, "meeting") <= 0.6
    assert event_confidence(0.6, ["AT", "LE"], "2024-05-14", False, "visit") >= 0.8
    document = extract_article(
        HEADER + "The annual meeting of the heads of customs of Armenia and Georgia was held "
        "in Yerevan on 14 May 2024. On the sidelines of the meeting, the State Revenue "
        "Committee of Armenia and the Revenue Service of Georgia signed a memorandum on "
        "risk management.\n", name="sidelines.txt")
    signings = [e for e in document["events"] if e["kind"] == "signing"]
    assert signings and all(e["evidence"]["confidence"] <= 0.6 for e in signings)
