"""What a clause says happened to an agreement decides its dates (issue 10): only a signing
gives a signing date; a signing to be witnessed or approved is none; "applies from" is
validity; a weekday before the full date it names is that date. The sentences are the
tests' own."""

from __future__ import annotations

from loaders.articles import extract_article
from loaders.articles.dates import find_dates

HEADER = "source: https://example.org/news/4\npublished: 2024-03-04\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="status.txt", evidence=False)


def test_a_weekday_before_the_full_date_is_that_date():
    import datetime as dt

    dates = find_dates("The meeting is on Wednesday, 6 March 2024. Tomorrow, Tuesday - "
                       "05 March 2024.", dt.date(2024, 3, 4))
    assert [(d.text, d.value) for d in dates] == [
        ("Wednesday, 6 March 2024", "2024-03-06"),
        ("Tomorrow, Tuesday - 05 March 2024", "2024-03-05")]


def test_a_signing_to_be_witnessed_gives_no_signing_date():
    document = _document("Chile and Peru will sign a Joint Border Plan in Lima on Wednesday, "
                         "6 March 2024. Media is invited to witness the signing of the plan.")
    (plan,) = document["agreements"]
    assert plan["signed"] is None
    assert plan.get("status") != "signed"


def test_an_approved_signing_is_no_signing():
    document = _document("The Cabinet of Chile on Monday approved the signing of an agreement "
                         "between Chile and Peru on customs cooperation.")
    (agreement,) = document["agreements"]
    assert agreement["signed"] is None


def test_an_acronym_of_an_agreement_with_another_party_is_another_agreement():
    document = _document("Chile and Peru will sign a Joint Border Plan on Wednesday, 6 March "
                         "2024. Chile has already signed the JBP with the Republic of Bolivia "
                         "in 2022.")
    titles = {a["title"]: a for a in document["agreements"]}
    bolivia = titles["JBP with the Republic of Bolivia"]
    assert bolivia["parties"] == ["CL", "BO"]
    assert bolivia["signed"] == "2022"
    assert len(titles) == 2


def test_a_generic_noun_after_a_title_names_that_agreement():
    document = _document("Chile and Peru will sign the Bilateral Joint Border Plan on 6 March "
                         "2024. The Joint Border Plan agreement covers three crossings.")
    assert len(document["agreements"]) == 1


def test_applies_from_is_validity_not_signing_or_entry_into_force():
    document = _document("Chile and Peru signed a customs agreement on 1 March 2024. The "
                         "agreement will apply from 1 June 2024.")
    (agreement,) = document["agreements"]
    assert agreement["signed"] == "2024-03-01"
    assert agreement["valid_from"] == "2024-06-01"
    assert agreement["in_force"] is None


def test_a_plan_launched_at_a_meeting_is_valid_from_the_meeting():
    document = _document("Chile and Peru customs met in Lima on 1 March 2024. At the same "
                         "occasion, the 'Action Plan for Border Data' was launched.")
    (plan,) = document["agreements"]
    assert plan["title"] == "Action Plan for Border Data"
    assert plan["valid_from"] == "2024-03-01"
    assert plan["signed"] is None


def test_ratified_or_initialled_gives_no_signing_date():
    document = _document("The parliament of Chile ratified the customs agreement with Peru on "
                         "1 March 2024. Chile and Bolivia initialled a protocol on transit on "
                         "2 March 2024.")
    assert [a["signed"] for a in document["agreements"]] == [None, None]


def test_a_parliament_ratifying_is_a_body_but_no_party():
    document = _document("The Chilean National Assembly on Monday ratified an agreement with "
                         "Peru on customs cooperation.")
    assert "National Assembly" in " ".join(a["name"] for a in document["agencies"])
    (agreement,) = document["agreements"]
    assert agreement["parties"] == ["CL", "PE"]
    assert agreement["signed"] is None


def test_a_signing_spoken_of_in_the_future_is_none():
    document = _document("The Cabinet of Chile approved the memorandum between Chile and Peru "
                         "on border crossings. With the signing of the memorandum, trade will "
                         "grow.")
    (memo,) = document["agreements"]
    assert memo.get("status") != "signed" and memo["signed"] is None


# -- batch 31-40 of the check set ------------------------------------------------------------
def test_a_parliament_ratifying_in_a_relative_clause_is_its_event():
    document = _document("The new protocol complements the agreement between Chile and Peru on "
                         "customs cooperation, which the Parliament of Chile ratified in "
                         "February.")
    (ratification,) = [e for e in document["events"] if e["kind"] == "other"]
    assert ratification["participants"] == ["Parliament of Chile"]
    assert ratification["date"] == "2024-02"
    assert all(a["signed"] is None for a in document["agreements"])


def test_a_council_of_ministers_approving_the_draft_is_its_event():
    document = _document("The two sides finalised the text of the agreement between Chile and "
                         "Peru on customs cooperation. The Council of Ministers of Chile had "
                         "approved the draft on 12 February 2024.")
    (approval,) = [e for e in document["events"] if e["kind"] == "other"]
    assert approval["date"] == "2024-02-12"
    assert approval["participants"] == ["Council of Ministers of Chile"]
    (agreement,) = document["agreements"]
    assert agreement["signed"] is None


def test_plan_as_a_verb_names_no_plan():
    document = _document("The Customs Service of Chile and the Customs Service of Peru met in "
                         "Arica on Monday. They said it is natural that we plan our controls "
                         "together.")
    assert not document["agreements"]


def test_a_programme_of_customs_cooperation_is_a_plan():
    document = _document("The heads of customs of Chile and Peru on Monday approved a programme "
                         "of customs cooperation for 2024-2026.")
    (programme,) = document["agreements"]
    assert programme["kind"] == "cooperation-plan"
    assert programme["signed"] is None


def test_a_signing_told_with_as_well_as_signs_both():
    document = _document("Following the talks, the Protocol on joint control at the Tacna "
                         "checkpoint was signed on 1 March 2024, as well as the Plan of joint "
                         "actions of Chile and Peru for 2024-2025.")
    assert sorted(a["signed"] or "" for a in document["agreements"]) == ["2024-03-01"] * 2


def test_a_year_in_an_events_name_is_no_signing_date():
    document = _document("The Customs of Peru and the National Customs Service of Chile on "
                         "Monday signed a memorandum on fruit checks at the 2024 Pacific "
                         "Customs Forum in Lima.")
    (memorandum,) = document["agreements"]
    assert memorandum["signed"] == "2024-03-04"
