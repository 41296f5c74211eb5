"""Mentions of one event told in several sentences (issue 10, check-set batch 31-40): "the
meeting, held on 5-6 November" after "at their meeting on Thursday" is that meeting, with all
its days; a signing "at the next meeting, to be held in …" is that meeting's outcome; a
signing without a date after a meeting was told happened at it. The sentences are the
tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/39\npublished: 2025-11-06\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="mentions.txt", evidence=False)


def test_the_meeting_held_on_days_around_the_day_told_is_the_same_meeting():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan on Thursday "
        "approved a transit plan at their meeting in Islamabad. The meeting, held on "
        "November 5-6, also reviewed risk management.")
    meetings = [e for e in document["events"] if e["kind"] == "meeting"]
    assert len(meetings) == 1
    assert meetings[0]["date"] == "2025-11-05/2025-11-06"


def test_a_signing_at_an_announced_meeting_is_that_meetings_outcome():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan finalised an "
        "agreement on customs cooperation. The agreement will be signed at the next meeting of "
        "the two services, to be held in Dushanbe in the first half of 2026.")
    assert [(e["kind"], e["date"], e.get("planned")) for e in document["events"]] == [
        ("meeting", "2026-01/2026-06", True)]


def test_an_undated_signing_after_a_meeting_was_told_happened_at_it():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan held a meeting in "
        "Islamabad on 3 and 4 November 2025. The heads of the delegations spoke about transit. "
        "They discussed risk management. They reviewed the exchange of data. The delegations "
        "also signed a work plan for 2026 on the exchange of cargo data.")
    (plan,) = document["agreements"]
    assert plan["signed"] == "2025-11"
    assert [e["kind"] for e in document["events"]] == ["meeting"]


def test_a_reported_signing_date_gives_way_to_the_signings_own_date():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan have signed a deal "
        "to link their clearance systems, the Pakistani side announced on Thursday. The deal "
        "was signed on Monday in Dushanbe at the close of two days of talks.")
    (deal,) = document["agreements"]
    assert deal["signed"] == "2025-11-03"
    assert [e["date"] for e in document["events"]] == ["2025-11-03"]


def test_a_reported_date_alone_dates_the_signing():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan have signed a deal "
        "to link their clearance systems, the Pakistani side announced on Thursday.")
    (deal,) = document["agreements"]
    assert deal["signed"] == "2025-11-06"
    assert [(e["kind"], e["date"]) for e in document["events"]] == [("signing", "2025-11-06")]


def test_a_visit_of_a_guest_to_a_host_has_them_both():
    document = _document(
        "The text was initialled during a working visit of Director General Rustam Nazarov of "
        "the Customs Service of Tajikistan to the Federal Board of Revenue on 3 and 4 "
        "November.")
    (visit,) = [e for e in document["events"] if e["kind"] == "visit"]
    assert visit["date"] == "2025-11-03/2025-11-04"
    assert "Federal Board of Revenue" in visit["participants"]
    assert any("Tajikistan" in p for p in visit["participants"])


def test_an_undated_event_on_the_sidelines_takes_the_meetings_month():
    document = _document(
        "The heads of customs of the SCO member states met in Islamabad on November 5-6, "
        "hosted by the Federal Board of Revenue. On the sidelines, Pakistan Customs held "
        "bilateral talks with the delegation of Kazakhstan on transit.")
    talks = [e for e in document["events"] if e["kind"] == "talks"]
    assert [t["date"] for t in talks] == ["2025-11"]


def test_a_count_in_direct_speech_is_no_summary():
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan signed a protocol "
        'in Dushanbe on Monday. "One stop, one inspection is what the protocol promises," '
        "the chairman said.")
    assert all(not e.get("aggregate") for e in document["events"])
    assert [e["kind"] for e in document["events"]] == ["signing"]


def test_two_meetings_in_one_sentence_are_two_events():
    """"The committee's meeting, held on …, took place on the sidelines of the 12th meeting
    of <another body>": the committee's meeting told before (now with all its days) and a
    second, numbered one of the other body; "the Council's meeting" after it is that one."""
    document = _document(
        "The Federal Board of Revenue and the Customs Service of Tajikistan signed a transit "
        "protocol on Tuesday at the close of the second meeting of their joint customs "
        "committee in Islamabad. The committee's meeting, held on November 3 and 4, took "
        "place on the sidelines of the 12th meeting of the ECO Council of Customs Heads, "
        "which Pakistan hosted in Islamabad from November 3 to 5. At the Council's meeting, "
        "the delegations also discussed transit guarantees.")
    meetings = sorted(e["date"] for e in document["events"] if e["kind"] == "meeting")
    assert meetings == ["2025-11-03/2025-11-04", "2025-11-03/2025-11-05"]


def test_a_numbered_meeting_after_a_meeting_told_without_a_number_is_the_same():
    document = _document(
        "On Monday, the Commissioner met the Minister of Customs of Tajikistan in Dushanbe. "
        "He spoke at the opening of the 4th meeting of the Joint Customs Committee.")
    assert len([e for e in document["events"] if e["kind"] == "meeting"]) == 1


def test_a_meeting_told_without_participants_takes_those_of_the_event_told_before():
    document = _document(
        "A trilateral meeting of the customs services of Georgia, Armenia and Azerbaijan was "
        "held in Tbilisi on November 3. It was noted that the first meeting in this format "
        "had been held in Yerevan in April 2024.")
    meetings = {e["date"]: e for e in document["events"] if e["kind"] == "meeting"}
    assert set(meetings) == {"2025-11-03", "2024-04"}
    assert set(meetings["2024-04"]["participants"]) == set(meetings["2025-11-03"]["participants"])
