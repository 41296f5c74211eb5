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


def test_inter_alia_before_the_list():
    found = _agreements("The Revenue Authority of Ghana has signed customs assistance "
                        "agreements with, inter alia, Togo, Benin and Nigeria.")
    assert [p[1] for p in _parties(found)] == ["TG", "BJ", "NG"]


def test_agreements_only_negotiated_are_drafts_without_a_signing_date():
    found = _agreements("The Revenue Authority of Ghana signed a customs cooperation "
                        "agreement with Togo on 2 May 2023. It is negotiating such agreements "
                        "with Benin, Niger and Mali.")
    drafts = [a for a in found if a.get("status") == "draft"]
    assert [p[1] for p in _parties(drafts)] == ["BJ", "NE", "ML"]
    assert {a["signed"] for a in drafts} == {None}
    assert {a["title"] for a in drafts} <= {a["title"] for a in found[:1]} | {
        a["title"] for a in drafts}
    assert all("agreement" in a["title"].lower() for a in drafts)


def test_a_bloc_named_with_countries_in_a_list():
    found = _agreements("Korea Customs Service is pursuing the conclusion of MRAs with "
                        "Chile, ASEAN countries and Peru.")
    assert [p[1] for p in _parties(found)] == ["CL", "Association of Southeast Asian Nations",
                                               "PE"]


def test_the_eu_as_a_party_is_its_code():
    document = extract_article(HEADER + "The Korea Customs Service signed MRAs with the "
                               "European Union and Japan on 3 May 2023.\n", name="eu.txt",
                               evidence=False)
    assert [a["parties"][1] for a in document["agreements"]] == ["EU", "JP"]
    assert "EU" in document["countries"]


def test_agreements_signed_already_make_no_signing_event():
    document = extract_article(HEADER + "The Korea Customs Service has already signed MRAs "
                               "with Japan, Mexico and Peru.\n", name="past.txt",
                               evidence=False)
    assert len(document["agreements"]) == 3
    assert not [e for e in document["events"] if e["kind"] == "signing"]


def test_several_subjects_with_one_counterpart_give_one_agreement_each():
    found = _agreements("Chile, Peru and Japan already have similar reciprocal agreements "
                        "with Korea Customs Service.")
    assert sorted(tuple(sorted(p)) for p in _parties(found)) == sorted(
        tuple(sorted(["Korea Customs Service", c])) for c in ("CL", "PE", "JP"))
    assert {a["title"] for a in found} == {"reciprocal agreement"}


def test_a_capital_as_counterpart_stands_for_the_union_seated_there():
    found = _agreements("The European Union is active. Chile, Peru and Japan already have "
                        "reciprocal agreements with Brussels.")
    assert sorted(p[0] if p[1] == "EU" else p[1] for p in _parties(found)) == \
        ["CL", "JP", "PE"]
    assert all("EU" in p for p in _parties(found))


def test_an_agreement_with_a_counterpart_under_consideration():
    found = _agreements("Chile signed a memorandum with Peru on 3 May 2023. The Korea Customs "
                        "Service, which is exploring the possibility of an accord with Japan, "
                        "welcomed it.")
    accord = [a for a in found if "accord" in a["title"]]
    assert [a["parties"] for a in accord] == [["Korea Customs Service", "JP"]]
    assert accord[0]["status"] == "draft" and accord[0]["signed"] is None


def test_a_bracketed_gloss_in_a_list_is_no_member():
    agreements = _agreements(
        "The Customs of Peru has so far concluded AEO mutual recognition agreements with the "
        "Republic of Korea, Macao (China), the United States and Canada.")
    assert sorted(a["parties"][-1] for a in agreements) == ["CA", "KR", "MO", "US"]


def test_agreements_held_with_a_list_are_one_per_member_and_not_signed_here():
    agreements = _agreements(
        "Norway already has mutual recognition agreements for trusted trader schemes with "
        "Japan, Canada and the EU.")
    assert sorted(a["parties"][-1] for a in agreements) == ["CA", "EU", "JP"]
    assert all(a["signed"] is None for a in agreements)


def test_cooperation_documents_with_a_list_respectively():
    agreements = _agreements(
        "On 9 May 2023 the Customs of Peru also signed cooperation documents with the National "
        "Customs Service of Chile and the Bolivian National Customs, on fruit inspection and "
        "transit respectively.")
    assert len(agreements) == 2
    assert all(a["signed"] == "2023-05-09" for a in agreements)


def test_already_signed_with_a_list_is_read_once():
    agreements = _agreements(
        "The Customs of Peru has already signed customs cooperation agreements with Chile, "
        "Bolivia and Ecuador.")
    assert len(agreements) == 3


def test_a_plural_after_a_signed_agreement_names_new_ones():
    agreements = _agreements(
        "The Customs of Peru and the Customs of Chile signed an AEO mutual recognition "
        "agreement on 8 May 2023. The Customs of Peru has so far concluded AEO mutual "
        "recognition agreements with Canada and Japan.")
    assert sorted(a["parties"][-1] for a in agreements) == ["CA", "CL", "JP"]


def test_one_with_another_party_is_one_more_of_the_kind_just_named():
    agreements = _agreements(
        "The Customs of Peru signed similar memoranda with the National Customs Service of "
        "Chile and the Bolivian National Customs in 2022, and is negotiating one with the "
        "Customs of Ecuador.")
    assert len(agreements) == 3
    (draft,) = [a for a in agreements if a["signed"] is None]
    assert draft["parties"] == [agreements[0]["parties"][0], "Customs of Ecuador"]


def test_arrangements_of_the_same_type_are_of_the_kind_named_before():
    agreements = _agreements(
        "The Customs of Peru and the Customs of Colombia signed an AEO mutual recognition "
        "arrangement on 8 May 2023. Likewise, it is negotiating arrangements of the same type "
        "with Ecuador and Bolivia.")
    drafts = [a for a in agreements if a["signed"] is None]
    assert sorted(a["parties"][-1] for a in drafts) == ["BO", "EC"]
    assert all(a["kind"] == "mutual-recognition" for a in drafts)


def test_an_acronym_the_article_defined_heads_a_list():
    agreements = _agreements(
        "The Customs of Peru and the Customs of Colombia subscribed the Mutual Recognition "
        "Arrangement (ARM) of their AEO programs on 8 May 2023. With it, the Customs of Peru "
        "counts with ARM in force with the customs administrations of Korea, Brazil and "
        "Chile.")
    held = [a for a in agreements if a["signed"] is None]
    assert sorted(a["parties"][-1] for a in held) == ["BR", "CL", "KR"]
    assert all(a["kind"] == "mutual-recognition" for a in held)


def test_negotiating_with_one_and_with_another_gives_one_draft_each():
    found = _agreements("The Bureau of Customs of the Philippines signed an MRA with Korea "
                        "on 2 May 2023. The Bureau is currently negotiating MRAs with Japan "
                        "and with Hong Kong, China.")
    drafts = [a for a in found if a.get("status") == "draft"]
    assert sorted(a["parties"][-1] for a in drafts) == ["HK", "JP"]
    assert all(a["parties"][0] == "Bureau of Customs of the Philippines" for a in drafts)


def test_agreements_held_under_with_a_list_of_bodies_are_one_each_with_the_subject():
    found = _agreements("The Uganda Revenue Authority operates border posts with Kenya and "
                        "Rwanda under bilateral agreements with the Kenya Revenue Authority "
                        "and the Rwanda Revenue Authority.")
    assert sorted(_parties(found)) == [
        ["Uganda Revenue Authority", "Kenya Revenue Authority"],
        ["Uganda Revenue Authority", "Rwanda Revenue Authority"]]
    assert all(a["signed"] is None for a in found)


def test_a_sample_of_a_count_gives_one_undated_agreement_each():
    found = _agreements("Since 1995, New Zealand has concluded 12 customs cooperation "
                        "arrangements, including with Chile, Japan, Fiji and Korea.")
    assert _parties(found) == [["NZ", "CL"], ["NZ", "JP"], ["NZ", "FJ"], ["NZ", "KR"]]
    assert {a["signed"] for a in found} == {None}
    document = extract_article(HEADER + "Since 1995, New Zealand has concluded 12 customs "
                               "cooperation arrangements, notably with Chile and Japan.\n",
                               name="lists.txt", evidence=False)
    assert [e for e in document["events"] if e["kind"] == "signing"] == []
