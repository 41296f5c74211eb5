"""Context that changes what a name, a date or a place stands for (issue 10, check-set batch
31-40): a known body's name owned by another country is that country's body; a signing told
in the past inside an announcing sentence is dated in the past; the country after a host city
is the place's, no participant. The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/33\npublished: 2025-06-19\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="context.txt", evidence=False)


def test_a_known_name_owned_by_another_country_is_that_countrys_body():
    document = _document("Oman's General Administration of Customs and the Customs Service "
                         "of Jordan held talks in Muscat on Monday.")
    countries = {a["name"]: a.get("country") for a in document["agencies"]}
    assert countries.get("General Administration of Customs") == "OM"
    assert "CN" not in document["countries"]
    assert set(document["countries"]) == {"OM", "JO"}


def test_a_known_name_without_another_owner_keeps_its_country():
    document = _document("The General Administration of Customs of China and the Customs "
                         "Service of Jordan held talks in Beijing on Monday.")
    assert "CN" in document["countries"]


def test_a_signing_told_in_the_past_in_an_announcing_sentence_is_past():
    document = _document(
        "The transit system will be extended to the Padang Besar crossing from 1 August, under "
        "an arrangement the Royal Malaysian Customs Department signed with the Customs "
        "Department of Thailand in May.")
    (arrangement,) = document["agreements"]
    assert arrangement["signed"] == "2025-05"
    assert arrangement["valid_from"] == "2025-08-01"
    assert not [e for e in document["events"] if e["kind"] == "signing"]


def test_the_country_after_a_host_city_is_a_place_not_a_participant():
    document = _document("The ECOWAS Commission and the Ghana Revenue Authority held a meeting "
                         "in Abuja, Nigeria, from 10 to 12 March 2025. The next meeting will "
                         "take place in Lomé, Togo, in September 2025.")
    held, announced = document["events"]
    assert held["place"] == "Abuja" and announced["place"] == "Lomé"
    assert "NG" not in held["participants"]
    assert "TG" not in announced["participants"]
    assert "Ghana Revenue Authority" in announced["participants"]


def test_a_generic_customs_of_a_listed_country_is_the_body_named_for_it():
    document = _document(
        "The National Customs Directorate of Uruguay signed arrangements with the customs "
        "administrations of Argentina and Paraguay on Tuesday. They were signed by the "
        "directors of the Federal Revenue and Customs Agency of Argentina and the National "
        "Directorate of Tax Revenue of Paraguay.")
    names = {a["name"] for a in document["agencies"]}
    assert "National Directorate of Tax Revenue of Paraguay" in names
    assert not [n for n in names if n.startswith("Customs of")]
