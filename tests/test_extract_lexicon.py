"""Head nouns of agreements and events come from a data file (issue 10): kinds and classes
from loaders/articles/lexicon.yaml; titles from a purpose ("an agreement to recognise …");
a title-case headline's capitals are no name. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article
from loaders.articles.lexicon import LEXICON, lexicon

HEADER = "source: https://example.org/news/3\npublished: 2023-05-10\n---\n"


def _document(headline: str, body: str) -> dict:
    return extract_article(HEADER + headline + "\n" + body + "\n", name="lex.txt",
                           evidence=False)


def test_the_lexicon_is_data_with_kinds_and_classes():
    assert LEXICON.suffix == ".yaml"
    nouns = {n.noun: n for n in lexicon().agreements}
    assert {"deal", "declaration", "accord", "arrangement", "roadmap", "letter of intent",
            "convention"} <= set(nouns)
    assert nouns["declaration"].kind == "other"
    assert lexicon().agreement("Roadmaps").cls == "plan"
    assert "agreement" in lexicon().generic_classes
    assert {n.kind for n in lexicon().events} >= {"meeting", "forum", "training"}


def test_a_joint_declaration_is_an_agreement_but_a_customs_declaration_is_not():
    document = _document("Customs news", "Chile and Peru signed a joint declaration on "
                         "border cooperation on 2 May 2023. Traders file a customs "
                         "declaration for every consignment.")
    assert [(a["title"], a["kind"]) for a in document["agreements"]] == [
        ("joint declaration on border cooperation", "other")]


def test_a_congress_from_the_lexicon_is_a_forum():
    document = _document("Customs news", "Chile and Peru customs attended a congress on "
                         "trade facilitation in Lima on 2 May 2023.")
    assert [e["kind"] for e in document["events"]] == ["forum"]


def test_an_agreement_to_do_something_is_titled_by_its_purpose():
    document = _document("Customs news", "Chile and Peru signed an agreement to recognise "
                         "each other's trusted traders on 2 May 2023.")
    assert [a["title"] for a in document["agreements"]] == [
        "agreement to recognise each other's trusted traders"]


def test_a_title_case_headline_gives_no_name_of_capitals():
    document = _document("Chile, Peru Sign Mutual Recognition Customs Deal",
                         "Chile and Peru signed an agreement to recognise each other's trusted "
                         "traders on 2 May 2023. Today's agreement follows two years of talks.")
    assert len(document["agreements"]) == 1
    assert not [a for a in document["agencies"] if "Recognition" in a["name"]]


def test_an_executive_programme_is_an_agreement_of_no_plans_kind():
    document = _document(
        "Customs news",
        "The Customs Department of Oman and the Customs Authority of Kuwait on Monday signed "
        "an executive programme for 2023-2025 to implement their agreement on customs "
        "cooperation.")
    programmes = [a for a in document["agreements"] if a["title"].startswith("executive")]
    assert len(programmes) == 1
    assert programmes[0]["kind"] == "other"
    assert programmes[0]["signed"] == "2023-05-08"
    assert (programmes[0]["valid_from"], programmes[0]["valid_to"]) == ("2023", "2025")


def test_a_decision_of_a_joint_committee_binds_the_pair_its_name_gives():
    document = _document(
        "Customs news",
        "The 3rd meeting of the Canada-Chile Joint Customs Cooperation Committee (JCCC) was "
        "held in Ottawa on 4 May 2023. The delegations adopted a Decision of the JCCC on the "
        "mutual recognition of Authorised Economic Operator programmes, which will apply from "
        "1 January 2024.")
    decisions = [a for a in document["agreements"] if a["title"].startswith("Decision")]
    assert len(decisions) == 1
    decision = decisions[0]
    assert decision["kind"] == "mutual-recognition"
    assert sorted(decision["parties"]) == ["CA", "CL"]
    assert decision["signed"] is None and decision["valid_from"] == "2024-01-01"


def test_a_decision_in_lower_case_or_without_its_body_is_none():
    document = _document(
        "Customs news",
        "The Customs Department of Oman welcomed the decision to open the border. The "
        "Decision was taken after long talks.")
    assert document["agreements"] == []


def test_a_letter_of_exchange_is_an_agreement():
    document = _document(
        "Customs news",
        "The Customs Department of Oman and the Customs Authority of Kuwait signed a Letter of "
        "Exchange on the posting of liaison officers on 8 May 2023.")
    letters = [a for a in document["agreements"] if a["title"].startswith("Letter")]
    assert len(letters) == 1 and letters[0]["kind"] == "other"
    assert letters[0]["signed"] == "2023-05-08"
