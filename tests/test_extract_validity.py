"""When agreements apply from, and which date an event takes (issue 10, check-set batch
31-40): "under the arrangements … from DATE" and "both documents will apply from DATE" date
the agreements just signed, not an announced event; a date in another calendar with its
Gregorian gloss is the gloss; an event named with "this year" and its days further on takes
the days. The sentences are the tests' own."""

from __future__ import annotations

import datetime as dt

from loaders.articles import extract_article
from loaders.articles.dates import find_dates

HEADER = "source: https://example.org/news/31\npublished: 2025-03-06\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="validity.txt", evidence=False)


def test_under_the_arrangements_from_a_date_is_their_validity_not_an_event():
    document = _document(
        "The Customs Service of Chile signed mutual recognition arrangements with the customs "
        "administrations of Peru and Bolivia on Tuesday. Under the arrangements, certified "
        "traders will be cleared first in both countries from 1 September 2025.")
    assert len(document["agreements"]) == 2
    assert {a["valid_from"] for a in document["agreements"]} == {"2025-09-01"}
    assert {a["signed"] for a in document["agreements"]} == {"2025-03-04"}
    assert not [e for e in document["events"] if (e.get("date") or "").startswith("2025-09")]


def test_both_documents_apply_from_dates_every_agreement_just_signed():
    document = _document(
        "The Customs Service of Chile signed a memorandum of understanding on data exchange "
        "with the Customs Service of Peru on Monday. The two services also signed a protocol "
        "on joint inspections. Both documents will apply from June 1.")
    assert sorted(a["valid_from"] for a in document["agreements"]) == ["2025-06-01"] * 2
    assert not [e for e in document["events"] if (e.get("date") or "").startswith("2025-06")]


def test_a_subject_without_a_title_applying_from_a_date_is_the_last_agreement_signed():
    document = _document(
        "The Customs Service of Chile and the Customs Service of Peru signed a deal to connect "
        "their single windows on Monday. The connection will apply from April 15.")
    (deal,) = document["agreements"]
    assert deal["valid_from"] == "2025-04-15"


def test_from_a_date_with_no_agreement_around_stays_an_announcement():
    document = _document(
        "The Customs Service of Chile and the Customs Service of Peru will hold joint "
        "inspections at the Chacalluta crossing from 1 May.")
    assert not document["agreements"]
    assert [e["date"] for e in document["events"]] == ["2025-05-01"]


def test_a_date_in_another_calendar_with_its_gloss_is_the_gloss():
    published = dt.date(2025, 2, 28)
    dates = find_dates("The meeting was held on 13 and 14 Falgun 2081 (25 and 26 February "
                       "2025) and the Cabinet had approved it on 5 Magh 2081 (18 January 2025).",
                       published)
    assert [d.value for d in dates] == ["2025-02-25/2025-02-26", "2025-01-18"]
    dates = find_dates("It was signed on 18 January 2025 (5 Magh 2081).", published)
    assert [d.value for d in dates] == ["2025-01-18"]


def test_an_event_in_another_calendar_takes_the_gloss():
    document = _document(
        "The Department of Customs of Nepal and the National Board of Revenue of Bangladesh "
        "held a meeting in Kathmandu on 13 and 14 Falgun 2081 (25 and 26 February 2025).")
    (meeting,) = document["events"]
    assert meeting["date"] == "2025-02-25/2025-02-26"


def test_an_event_named_with_this_year_takes_the_days_given_further_on():
    document = _document(
        "The customs services of Chile and Peru held their annual meeting, hosted this year by "
        "the Customs Service of Peru in the city of Tacna on 3–4 March, to review transit.")
    (meeting,) = document["events"]
    assert meeting["date"] == "2025-03-03/2025-03-04"


def test_a_length_of_validity_gives_the_year_it_ends():
    document = extract_article(
        "source: https://example.org/news/8\npublished: 2025-03-10\n---\nCustoms news\n"
        "The Customs of Peru and the Customs of Chile signed a memorandum on risk analysis in "
        "Lima on 4 March 2025. The memorandum will enter into force on April 1, 2025 and "
        "remain valid for five years.\n", name="validity.txt", evidence=False)
    (memorandum,) = document["agreements"]
    assert (memorandum["in_force"], memorandum["valid_to"]) == ("2025-04-01", "2030")


def test_a_date_it_applies_from_is_no_signing_date():
    document = extract_article(
        "source: https://example.org/news/8\npublished: 2025-06-11\n---\nCustoms news\n"
        "The Customs of Peru and the Customs of Chile met in Lima on 9 June 2025. The sides "
        "signed a protocol on rail data, which is to apply from September 1 for a pilot "
        "period of one year.\n", name="validity.txt", evidence=False)
    (protocol,) = document["agreements"]
    assert protocol["signed"] != "2025-09-01"
    assert (protocol["valid_from"], protocol["valid_to"]) == ("2025-09-01", "2026")
    assert all(e["date"] != "2025-09-01" for e in document["events"])


def test_in_force_since_is_no_signing_date():
    document = _document("Chile has concluded a customs agreement with Peru under their Free "
                         "Trade Agreement, in force since 29 December 2022.")
    assert all(a["signed"] != "2022-12-29" for a in document["agreements"])


def test_applied_on_a_trial_basis_for_months_from_a_date_is_validity():
    document = _document(
        "Chile and Peru signed a protocol on joint controls at the Chacalluta crossing on "
        "Tuesday. The protocol will be applied on a trial basis for six months from Jan. 1, "
        "2026, after which the two sides will decide on other crossings.")
    protocol = document["agreements"][0]
    assert (protocol["valid_from"], protocol["valid_to"]) == ("2026-01-01", "2026-06")
    assert not [e for e in document["events"] if e.get("planned")]


def test_renewed_or_extended_until_a_date_is_the_agreements_end_not_an_event():
    document = _document(
        "The Customs Service of Chile and the National Customs Superintendency of Peru have "
        "renewed their Customs Cooperation Arrangement for a further five years, until 2030, "
        "at their annual meeting in Lima on 3 and 4 March. The two services also agreed to "
        "extend the memorandum of understanding on training, signed in 2020, until the end "
        "of 2027, and to hold their next meeting in Arica in the second half of the year.")
    ends = {a["title"].split()[0]: a.get("valid_to") for a in document["agreements"]}
    assert ends["Customs"] == "2030"
    assert ends["memorandum"] in ("2027", "2027-12")
    planned = [e for e in document["events"] if e.get("planned")]
    assert [e["date"] for e in planned] == ["2025-07/2025-12"]


def _found(body: str) -> tuple[dict, list[dict]]:
    document = _document(body)
    return document["agreements"][0], document["events"]


def test_in_force_until_in_a_sentence_of_its_own_ends_the_agreement_named_before():
    protocol, events = _found(
        "On 4 March 2025 the customs services of Peru and Bolivia signed a protocol on transit "
        "at Desaguadero. The protocol covers sealed trucks. It will remain in force until 31 "
        "December 2027.")
    assert protocol["valid_to"] == "2027-12-31"
    assert not [e for e in events if (e.get("date") or "").startswith("2027")]


def test_a_trial_period_from_one_day_to_another_is_the_validity_of_the_agreement_before():
    protocol, events = _found(
        "On 4 March 2025 the customs services of Peru and Bolivia signed a protocol on transit "
        "at Desaguadero. The protocol takes effect on signature. The joint lane will be run on "
        "a pilot basis from June 1 to November 30, after which both sides will assess it.")
    assert (protocol["valid_from"], protocol["valid_to"]) == ("2025-06-01", "2025-11-30")
    assert not [e for e in events if (e.get("date") or "").startswith("2025-06")]


def test_a_plan_applying_from_one_day_to_another_is_finer_than_its_year():
    plan, _ = _found("On 4 March 2025 the customs services of Peru and Bolivia approved the "
                     "Flood Response Plan 2025, which will apply from 10 April to 20 June.")
    assert (plan["valid_from"], plan["valid_to"]) == ("2025-04-10", "2025-06-20")


def test_renewed_for_a_further_number_of_years_runs_from_the_report_year():
    arrangement, _ = _found(
        "On 4 March 2025 the customs services of Peru and Bolivia renewed, for a further three "
        "years, the arrangement on joint controls at Desaguadero, first signed in 2019.")
    assert (arrangement["signed"], arrangement["valid_to"]) == ("2019", "2028")


def test_under_an_agreement_a_pilot_from_one_month_to_another_stays_an_event():
    document = _document(
        "On 4 March 2025 the customs services of Peru and Bolivia signed a protocol on transit "
        "at Desaguadero. Under the protocol, the two sides will run a joint pilot of shared "
        "inspections from May to August 2025.")
    assert document["agreements"][0].get("valid_from") is None
