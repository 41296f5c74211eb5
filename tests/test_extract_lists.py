"""Lists of counterparts of agreements (issue 10): "signed MRAs with A, B and C" gives one
agreement per listed counterpart, each between the subject and that counterpart. The
sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/1\npublished: 2023-05-10\n---\nCustoms news\n"


def _agreements(body: str) -> list[dict]:
    document = extract_article(HEADER + body + "\n", name="lists.txt", evidence=False)
    return document["agreements"]


def _parties(agreements: list[dict]) -> list[list[str]]:
    return [a["parties"] for a in agreements]


def test_plural_arrangements_with_a_list_give_one_agreement_each():
    found = _agreements("The Korea Customs Service signed AEO mutual recognition "
                        "arrangements with Japan, Mexico and Peru on 3 May 2023.")
    assert _parties(found) == [["Korea Customs Service", "JP"], ["Korea Customs Service", "MX"],
                               ["Korea Customs Service", "PE"]]
    assert {a["kind"] for a in found} == {"mutual-recognition"}
    assert {a["signed"] for a in found} == {"2023-05-03"}
    assert {a["status"] for a in found} == {"signed"}


def test_acronym_heads_and_an_oxford_comma():
    found = _agreements("Korea Customs Service has signed MRAs with Japan, Mexico, and Peru.")
    assert _parties(found) == [["Korea Customs Service", "JP"], ["Korea Customs Service", "MX"],
                               ["Korea Customs Service", "PE"]]
    assert {a["kind"] for a in found} == {"mutual-recognition"}


def test_memoranda_with_agencies_respectively():
    found = _agreements("The Federal Customs Service of Russia signed two memoranda with the "
                        "State Revenue Committee of Kazakhstan and the Customs Committee of "
                        "Uzbekistan respectively.")
    assert _parties(found) == [
        ["Federal Customs Service of Russia", "State Revenue Committee of Kazakhstan"],
        ["Federal Customs Service of Russia", "Customs Committee of the Republic of Uzbekistan"]]
    assert {a["kind"] for a in found} == {"memorandum"}


def test_singular_head_with_a_list_gives_one_agreement_each():
    found = _agreements("The Korea Customs Service signed a memorandum of understanding with "
                        "Japan and Peru on 3 May 2023.")
    assert _parties(found) == [["Korea Customs Service", "JP"], ["Korea Customs Service", "PE"]]
    assert {a["signed"] for a in found} == {"2023-05-03"}


def test_one_counterpart_stays_one_agreement():
    found = _agreements("The Korea Customs Service signed a memorandum of understanding with "
                        "Japan on 3 May 2023.")
    assert _parties(found) == [["Korea Customs Service", "JP"]]


def test_a_bilateral_agreement_between_two_stays_one():
    found = _agreements("Kenya and Uganda signed a mutual administrative assistance agreement "
                        "on 3 May 2023.")
    assert len(found) == 1 and sorted(found[0]["parties"]) == ["KE", "UG"]
    found = _agreements("A memorandum of understanding between Kenya and Uganda was signed on "
                        "3 May 2023.")
    assert len(found) == 1 and sorted(found[0]["parties"]) == ["KE", "UG"]


def test_a_trilateral_agreement_with_two_stays_one():
    found = _agreements("Kenya signed a trilateral agreement with Uganda and Tanzania on "
                        "3 May 2023.")
    assert len(found) == 1
    assert sorted(found[0]["parties"]) == ["KE", "TZ", "UG"]


def test_participants_of_a_meeting_are_no_agreements():
    found = _agreements("The Korea Customs Service held talks with Japan, Mexico and Peru in "
                        "Seoul on 3 May 2023.")
    assert found == []
    found = _agreements("Delegations of Japan, Mexico and Peru attended the meeting where the "
                        "agreements were discussed.")
    assert found == []
