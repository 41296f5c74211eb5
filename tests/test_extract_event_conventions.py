"""Event conventions (issue 10): a welcome at a signing ceremony is no visit of its own; a
process of negotiations is no event; an undated visit takes the month of what happened at
its place during it. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/5\npublished: 2024-03-08\n---\nCustoms news\n"


def _events(body: str) -> list[dict]:
    return extract_article(HEADER + body + "\n", name="events.txt", evidence=False)["events"]


def test_a_welcome_at_a_signing_ceremony_is_no_visit():
    events = _events("Chile and Peru signed a customs agreement in Lima on 4 March 2024. "
                     "Before the signing ceremony, the chairman of the Customs of Peru "
                     "welcomed the Ambassador of Chile.")
    assert [e["kind"] for e in events] == ["signing"]


def test_years_of_negotiations_are_no_talks():
    events = _events("Chile and Peru signed a customs agreement in Lima on 4 March 2024, "
                     "ending a five-year-long journey of negotiations between the two "
                     "administrations.")
    assert [e["kind"] for e in events] == ["signing"]


def test_an_undated_visit_takes_the_month_of_a_signing_at_its_place():
    events = _events("The Commissioner of the Korea Customs Service signed a memorandum with "
                     "the Customs of Peru in Lima on 4 March 2024. During his visit to Lima, "
                     "the Commissioner also met the Minister of Finance of Peru.")
    visits = [e for e in events if e["kind"] == "visit"]
    assert [v["date"] for v in visits] == ["2024-03"]


def test_an_organisation_hosting_a_bilateral_meeting_is_no_participant():
    events = _events("The World Customs Organization hosted a bilateral meeting between the "
                     "Customs of Chile and the Customs of Peru in Brussels on 4 March 2024.")
    (meeting,) = events
    assert "World Customs Organization" not in meeting["participants"]
    assert len(meeting["participants"]) == 2
    assert meeting["place"] == "Brussels"


def test_a_headline_restating_the_signing_is_no_second_event():
    text = ("source: https://example.org/news/6\npublished: 2024-03-08\n---\n"
            "Chile and Peru sign customs agreement\nChile and Peru signed a customs "
            "cooperation agreement in Lima on 4 March 2024.\n")
    events = extract_article(text, name="headline.txt", evidence=False)["events"]
    assert [e["kind"] for e in events] == ["signing"]


def test_a_global_operation_is_an_event_and_its_name_no_place():
    events = _events("A global enforcement operation organized by the World Customs "
                     "Organization ran from 4 to 8 March 2024. Customs of Chile and Peru "
                     "took part in Operation CONDOR 3.")
    (operation,) = events
    assert operation["kind"] == "other"
    assert operation["date"] == "2024-03-04/2024-03-08"
    assert operation["place"] is None


def test_countries_named_as_a_blocs_members_are_countries():
    document = extract_article(HEADER + "The programme supports the customs administrations "
                               "in the Andean Member States of Bolivia, Colombia, Ecuador and "
                               "Peru.\n", name="members.txt", evidence=False)
    assert set(document["countries"]) >= {"BO", "CO", "EC", "PE"}


def test_a_cabinets_approvals_of_a_day_are_one_event_of_the_cabinet():
    events = _events("The Union Cabinet on Monday approved the memorandum between Chile and "
                     "Peru on border crossings. The Union Cabinet also on Monday approved the "
                     "signing of an agreement between Chile and Bolivia on transit.")
    assert [(e["kind"], e["date"], e["participants"]) for e in events] == [
        ("other", "2024-03-04", ["Union Cabinet"])]
    assert len(events[0]["outcomes"]) == 2


def test_validity_announced_is_no_event():
    events = _events("The Chilean Senate on Tuesday ratified the agreement with Peru on customs "
                     "cooperation. The agreement will apply from 1 June 2024.")
    assert [(e["kind"], e["date"]) for e in events] == [("other", "2024-03-05")]


def test_an_undated_headline_event_restates_the_body():
    document = extract_article(
        "source: https://example.org/news/5\npublished: 2024-03-08\n---\n"
        "Chile and Peru sign customs agreement\nThe agreement was signed in Lima earlier this "
        "month by the Customs of Peru and the National Customs Service of Chile.\n",
        name="events.txt", evidence=False)
    assert [(e["kind"], e["date"]) for e in document["events"]] == [("signing", "2024-03")]


def test_a_meeting_held_on_a_day_is_dated_by_it_not_by_what_it_agreed():
    document = extract_article(
        "source: https://example.org/news/5\npublished: 2025-06-11\n---\nCustoms news\n"
        "The Customs of Peru and the Customs of Chile agreed to open the Tacna checkpoint "
        "round the clock from July 1 at the 14th meeting of their joint working group, held "
        "in Lima on Monday.\n", name="events.txt", evidence=False)
    (meeting,) = document["events"]
    assert (meeting["date"], meeting.get("planned", False)) == ("2025-06-09", False)


def test_a_numbered_session_announced_is_one_of_its_own():
    document = extract_article(
        "source: https://example.org/news/5\npublished: 2025-06-11\n---\nCustoms news\n"
        "The Customs of Peru and the Customs of Chile held the 14th meeting of their working "
        "group in Lima on Monday.\nThe 15th meeting of the working group will be held in "
        "Santiago in 2026.\n", name="events.txt", evidence=False)
    assert [(e["date"], e.get("planned", False)) for e in document["events"]] == [
        ("2025-06-09", False), ("2026", True)]


def test_a_parliament_with_a_proper_name_ratifies_on_its_own_date():
    document = extract_article(
        "source: https://example.org/news/5\npublished: 2025-06-11\n---\nCustoms news\n"
        "Earlier this month, the Supreme Rada ratified the Agreement between Moldova and "
        "Romania on border checkpoints, which was signed in Chisinau in December 2024.\n",
        name="events.txt", evidence=False)
    assert "Supreme Rada" in [a["name"] for a in document["agencies"]]
    (ratification,) = document["events"]
    assert ratification["date"] == "2025-06"


def test_a_signing_planned_during_a_visit_is_an_event_beside_the_visit():
    document = extract_article(
        "source: https://example.org/news/5\npublished: 2025-11-12\n---\nCustoms news\n"
        "The Cabinet approved the Customs Mutual Assistance Agreement between Chile and Peru "
        "on Wednesday. The Agreement is expected to be signed during the visit of the Finance "
        "Minister of Chile to Lima later this month.\n", name="events.txt", evidence=False)
    planned = {e["kind"]: e for e in document["events"] if e.get("planned")}
    assert set(planned) == {"visit", "signing"}
    assert {"CL", "PE"} <= set(planned["signing"]["participants"])


def test_a_past_launch_of_a_pilot_is_an_event_one_of_a_plan_is_not():
    events = _events(
        "Busan Customs held five working meetings with the Customs of Fukuoka in 2023, and "
        "the two launched a joint express-cargo pilot at the ferry terminal in February "
        "this year. The Korea Customs Service and Japan Customs launched the Action Plan for "
        "Data Exchange on 1 March 2024.")
    launches = [e for e in events if e["kind"] == "other"]
    assert len(launches) == 1
    assert launches[0]["date"] == "2024-02"
    assert {"Busan Customs", "Fukuoka Customs"} & set(launches[0]["participants"]) or \
        len(launches[0]["participants"]) >= 2


def test_a_signing_on_the_margins_of_a_conference_is_its_outcome():
    document = extract_article(
        HEADER + "The 12th Conference of Heads of Customs of the Baltic region was held in "
        "Riga, Latvia, from 4 to 6 March 2024. On the margins of the Conference, the State "
        "Revenue Service of Latvia and the Tax and Customs Board of Estonia signed a "
        "memorandum of understanding on risk management, and the Lithuanian Customs held a "
        "coordination meeting with its regional offices on 3 March.\n",
        name="margins.txt", evidence=False)
    kinds = sorted(e["kind"] for e in document["events"])
    assert "signing" not in kinds and "forum" in kinds
    forum = next(e for e in document["events"] if e["kind"] == "forum")
    assert forum["date"] == "2024-03-04/2024-03-06"
    assert any(t.startswith("memorandum") for t in forum.get("outcomes", []))
    memoranda = [a for a in document["agreements"] if a["title"].startswith("memorandum")]
    assert memoranda and memoranda[0]["signed"] == "2024-03"  # not the other clause's 3 March


def test_a_forum_told_with_its_length_after_a_signing_at_it_is_the_same_forum():
    events = _events(
        "The General Administration of Customs of China and the Lao Customs Department on "
        "Wednesday signed a memorandum on border ports at the Lancang-Mekong Customs Forum "
        "in Kunming. The two-day forum, which opened on Tuesday, brought together officials "
        "from six countries.")
    forums = [e for e in events if e["kind"] == "forum"]
    assert [f["date"] for f in forums] == ["2024-03-05/2024-03-06"]
    assert not [e for e in events if e["kind"] == "signing"]


def test_the_two_who_met_on_the_sidelines_is_a_meeting_of_its_own():
    events = _events(
        "The Customs Department of Thailand and the Lao Customs Department held their fifth "
        "consultative meeting in Vientiane on 4-5 March 2024. On the sidelines, the two "
        "directors-general met a delegation of China's Kunming Customs.")
    assert len([e for e in events if e["kind"] == "meeting"]) == 2


def test_a_place_visited_during_a_visit_is_part_of_it():
    events = _events(
        "The delegation of the State Customs Committee of Belarus paid a working visit to "
        "China on 3-6 March 2024. During the visit, the delegation also visited the Xi'an "
        "land port.")
    assert [e["kind"] for e in events] == ["visit"]


def test_a_document_signed_at_the_close_of_a_meeting_is_its_outcome_not_a_signing():
    events = _events("The customs services of Chile and Peru signed a protocol on transit in "
                     "Tacna on 6 March 2024. The protocol was signed at the close of the 4th "
                     "meeting of the joint customs committee, which was held in Tacna on 5 and "
                     "6 March.")
    assert [(e["kind"], e["date"]) for e in events] == [("meeting", "2024-03-05/2024-03-06")]
    assert events[0]["outcomes"]


def test_talks_closed_by_a_signing_take_its_day_not_the_report_day():
    events = _events("The customs services of Chile and Peru signed a protocol on transit in "
                     "Lima on Sunday (March 3, 2024). The protocol was signed at the end of "
                     "talks between the two delegations, the Chilean customs press office said "
                     "on Monday.")
    assert [(e["kind"], e["date"]) for e in events] == [("talks", "2024-03-03")]


def test_a_signing_on_another_day_than_the_meeting_stays_a_signing():
    events = _events("The customs services of Chile and Peru signed a protocol on transit in "
                     "Lima on 20 March 2024. A first draft was discussed at the close of the "
                     "meeting of the joint customs committee, held in Tacna on 5 and 6 March.")
    assert "signing" in [e["kind"] for e in events]


def test_a_year_ending_the_sentence_after_a_place_dates_the_meeting_announced():
    events = _events("The customs services of Chile and Peru held the 4th meeting of their "
                     "subcommittee in Tacna on 5-6 March. The next meeting of the subcommittee "
                     "will be held in Valparaiso in 2025.")
    assert [(e["kind"], e["date"], e.get("planned")) for e in events][-1] == \
        ("meeting", "2025", True)


def test_a_meeting_named_in_the_title_of_its_minutes_and_held_on_days_is_told():
    events = _events("The customs services of Chile and Peru agreed to share manifests, "
                     "according to the minutes of their 7th bilateral meeting, held in Arica "
                     "on March 4-5. The minutes were signed on March 5 at the close of the "
                     "meeting.")
    assert [(e["kind"], e["date"]) for e in events] == [("meeting", "2024-03-04/2024-03-05")]


def test_a_two_day_working_visit_that_ended_on_a_day_spans_the_day_before():
    events = _events("The customs services of Chile and Peru on Monday signed a memorandum on "
                     "transit data. The memorandum was signed at the Chacalluta border post "
                     "during a two-day working visit of the Peruvian delegation to Chile, which "
                     "ended on Tuesday.")
    visit = next(e for e in events if e["kind"] == "visit")
    assert visit["date"] == "2024-03-04/2024-03-05"


def test_a_ratification_is_dated_by_its_own_words_not_by_the_signing_of_the_agreement():
    events = _events("The Senate of Chile earlier this month ratified the agreement on customs "
                     "cooperation between the governments of Chile and Peru, signed in Lima in "
                     "May 2022.")
    assert [(e["kind"], e["date"]) for e in events] == [("other", "2024-03")]


def test_talks_held_during_the_visit_told_before_take_its_month():
    events = _events("A delegation of the Customs of Peru paid a two-day working visit to Chile "
                     "on 4-5 March. During the visit, the delegation also held talks with the "
                     "management of the customs school of Valparaiso on training.")
    talks = next(e for e in events if e["kind"] == "talks")
    assert talks["date"] == "2024-03"


def test_a_pilot_launched_in_the_year_a_when_clause_is_of_is_an_event_of_that_year():
    events = _events("Electronic seals have been used between Chile and Peru since 2019, when "
                     "the two countries launched a joint cargo tracking pilot at Chacalluta.")
    assert [(e["kind"], e["date"]) for e in events] == [("other", "2019")]
