"""The article as a whole (issue 10): an agreement the text gives no parties has the
article's main parties (its headline's, else the opening's), with less confidence. The
sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article


def _document(published: str, headline: str, body: str) -> dict:
    text = f"source: https://example.org/news/2\npublished: {published}\n---\n{headline}\n{body}\n"
    return extract_article(text, name="doc.txt")


def test_an_agreement_without_parties_takes_the_headline_parties():
    document = _document("2021-03-02", "Chile and Peru deepen customs ties",
                         "The Action Plan for Joint Border Controls was launched in Lima on "
                         "Monday.")
    (plan,) = document["agreements"]
    assert plan["parties"] == ["CL", "PE"]
    assert plan["evidence"]["confidence"] < 0.75


def test_the_opening_sentence_completes_a_headline_with_one_party():
    document = _document("2021-03-02", "Chile opens a new chapter with its neighbour",
                         "Chile's customs service met the Customs of Peru in Lima. The "
                         "memorandum on data exchange was presented there.")
    (memo,) = document["agreements"]
    assert len(memo["parties"]) == 2
    assert "PE" in memo["parties"] or any("Peru" in p for p in memo["parties"])


def test_parties_the_text_names_are_kept():
    document = _document("2021-03-02", "Chile and Peru deepen customs ties",
                         "Chile signed a memorandum with Bolivia on 1 March 2021.")
    (memo,) = document["agreements"]
    assert memo["parties"] == ["CL", "BO"]
    assert memo["evidence"]["confidence"] >= 0.75


def test_an_organisation_reporting_the_meeting_is_no_party():
    document = _document("2021-03-02", "WCO: Chile and Peru customs agree on a roadmap",
                         "The roadmap was adopted at the meeting.")
    (roadmap,) = document["agreements"]
    assert len(roadmap["parties"]) == 2
    assert "World Customs Organization" not in roadmap["parties"]


def test_a_definite_first_mention_is_an_agreement():
    document = _document("2021-03-02", "Chile and Peru deepen customs ties",
                         "The officials met in Lima. The protocol on transit guarantees was "
                         "initialled there.")
    assert [a["kind"] for a in document["agreements"]] == ["protocol"]


def test_this_agreement_after_a_memorandum_is_that_memorandum():
    document = _document("2021-03-02", "Chile and Peru deepen customs ties",
                         "Chile signed a memorandum on data exchange with Peru on 1 March 2021. "
                         "This agreement sets up a joint risk team.")
    assert [a["kind"] for a in document["agreements"]] == ["memorandum"]


def test_a_press_release_label_is_no_headline_and_the_headline_mou_is_the_bodys():
    document = _document(
        "2024-03-06", "PRESS RELEASE\n\nPeru, Chile Customs Sign MoU on Exchange of Transit Data",
        "The customs services of Peru and Chile on Monday signed a Memorandum of Understanding "
        "on the exchange of transit data along the coast corridor.\n\nThe MoU was signed at "
        "the Chacalluta border post by the two heads of customs.")
    assert len(document["agreements"]) == 1
    assert [e["kind"] for e in document["events"]] == ["signing"]
