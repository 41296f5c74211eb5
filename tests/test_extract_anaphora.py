"""Later mentions of agreements named before (issue 10, batch 51-60): "The documents were
signed …" signs the agreements the sentence before named; "the AEO arrangement" is the
arrangement on authorised economic operators named before; "takes effect on the day of
signing" is in force from the signing date. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/55\npublished: 2025-05-12\n---\nCustoms news\n"


def _agreements(body: str) -> list[dict]:
    document = extract_article(HEADER + body + "\n", name="anaphora.txt", evidence=False)
    return document["agreements"]


BODY = ("The Customs Service of Georgia and the State Customs Committee of Azerbaijan have "
        "signed an arrangement on the mutual recognition of authorised economic operators "
        "and a protocol on the exchange of transit data. The documents were signed in Tbilisi "
        "on 7 May by the heads of the two services. The protocol takes effect on the day of "
        "signing, while the AEO arrangement will enter into force on 1 July 2025.")


def test_the_documents_were_signed_signs_both_agreements_named_before():
    agreements = _agreements(BODY)
    assert len(agreements) == 2
    assert [a["signed"] for a in agreements] == ["2025-05-07", "2025-05-07"]


def test_an_acronym_of_a_titles_words_names_that_agreement():
    arrangement = next(a for a in _agreements(BODY) if a["title"].startswith("arrangement"))
    assert arrangement["in_force"] == "2025-07-01"


def test_in_force_on_the_day_of_signing_is_the_signing_date():
    protocol = next(a for a in _agreements(BODY) if a["title"].startswith("protocol"))
    assert protocol["in_force"] == "2025-05-07"


def test_a_plural_without_two_agreements_before_signs_nothing():
    agreements = _agreements("The Customs Service of Georgia opened a new office. The "
                             "documents were signed in Tbilisi on 7 May.")
    assert agreements == []


def test_signed_on_the_second_day_of_the_meeting_is_that_day_and_no_title():
    agreements = _agreements(
        "The Customs Service of Georgia and the State Customs Committee of Azerbaijan signed a "
        "Mutual Recognition Arrangement (MRA) during their annual meeting held in Baku on May "
        "5 and 6, 2025. The two chairmen signed the arrangement on the second day of the "
        "meeting. The arrangement will take effect on July 1, 2025.")
    assert len(agreements) == 1
    assert (agreements[0]["signed"], agreements[0]["in_force"]) == ("2025-05-06", "2025-07-01")
