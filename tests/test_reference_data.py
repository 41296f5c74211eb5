"""The reference data: ISO countries with their usual names, unions, the customs gazetteer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pycountry
import pytest
import yaml

from graph.names import normalise_name
from loaders.reference_data import (
    REFERENCE_DOCUMENTS,
    country_index,
    country_records,
    demonyms,
    read_reference_document,
    reference_document,
)

ISO_CODES = {country.alpha_2 for country in pycountry.countries}
KINDS = {"customs", "regional-customs", "ministry", "agency", "government"}

# Names of real customs bodies as the corpus gold files write them.
GOLD_CUSTOMS_NAMES = [
    "Federal Customs Service of Russia",
    "General Department of Vietnam Customs",
    "Korea Customs Service",
    "U.S. Customs and Border Protection",
    "U.S. Customs & Border Protection",
    "Singapore Customs",
    "Australian Border Force",
    "Customs Administration of the Netherlands",
    "Siberian Customs Directorate",
    "Novosibirsk customs",
    "Shanghai customs",
    "General Administration of Customs of PRC",
    "China Customs",
]


def agencies() -> list[dict]:
    return read_reference_document("agencies")["agencies"]


def unions() -> dict[str, dict]:
    return {union["id"]: union for union in read_reference_document("unions")["unions"]}


def agency_labels() -> dict[str, str]:
    """Normalised agency name or alias -> agency id."""
    return {normalise_name(label): agency["id"]
            for agency in agencies() for label in [agency["name"], *agency["aliases"]]}


def by_code() -> dict[str, dict]:
    return {record["code"]: record for record in country_records()}


@pytest.mark.parametrize(("text", "expected"), [
    ("U.S. Customs & Border Protection", "us customs and border protection"),
    ("The Netherlands", "netherlands"),
    ("  Côte d'Ivoire ", "cote divoire"),
    ("Guinea-Bissau", "guinea bissau"),
    ("China's  customs", "chinas customs"),
    ("Theodore", "theodore"),
])
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


def test_every_iso_country_is_present():
    records = country_records()
    assert len(records) == 249
    assert {record["code"] for record in records} == ISO_CODES


def test_country_records_shape():
    for record in country_records():
        assert len(record["alpha3"]) == 3 and len(record["numeric"]) == 3
        assert record["name"] not in record["aliases"]
        keys = [normalise_name(alias) for alias in record["aliases"]]
        assert len(keys) == len(set(keys)), record["code"]


def test_extra_names_are_keyed_by_iso_codes():
    from loaders.reference_data import _country_extras

    assert set(_country_extras()) <= ISO_CODES


def test_preferred_names():
    countries = by_code()
    expected = {"VN": "Vietnam", "RU": "Russia", "KR": "South Korea", "US": "United States",
                "GB": "United Kingdom", "CN": "China", "IR": "Iran", "BO": "Bolivia",
                "TW": "Taiwan", "LA": "Laos", "SY": "Syria"}
    assert {code: countries[code]["name"] for code in expected} == expected


def test_vietnam():
    vietnam = by_code()["VN"]
    assert {"Viet Nam", "Vietnam"} <= {vietnam["name"], *vietnam["aliases"]}
    assert "Vietnamese" in vietnam["demonyms"]
    assert vietnam["alpha3"] == "VNM" and vietnam["numeric"] == "704"


def test_russia():
    assert "Russian Federation" in by_code()["RU"]["aliases"]


@pytest.mark.parametrize(("name", "code"), [
    ("Republic of Korea", "KR"), ("South Korea", "KR"), ("Korea", "KR"), ("KOR", "KR"),
    ("North Korea", "KP"), ("DPRK", "KP"), ("Russian Federation", "RU"), ("Russia", "RU"),
    ("Viet Nam", "VN"), ("UK", "GB"), ("Great Britain", "GB"), ("U.S.", "US"), ("USA", "US"),
    ("United States of America", "US"), ("Turkey", "TR"), ("Türkiye", "TR"),
    ("Czech Republic", "CZ"), ("Holland", "NL"), ("the Netherlands", "NL"),
    ("Ivory Coast", "CI"), ("Swaziland", "SZ"), ("Macedonia", "MK"), ("Burma", "MM"),
    ("Brunei", "BN"), ("Vatican", "VA"), ("Micronesia", "FM"), ("Palestine", "PS"),
    ("PRC", "CN"), ("People's Republic of China", "CN"), ("UAE", "AE"), ("Laos", "LA"),
    ("Cape Verde", "CV"), ("Iran", "IR"), ("Syria", "SY"), ("Tanzania", "TZ"),
    ("Moldova", "MD"), ("Bolivia", "BO"), ("Venezuela", "VE"), ("Taiwan", "TW"),
])
def test_country_names_resolve(name, code):
    assert country_index()[normalise_name(name)] == code


def test_no_country_name_belongs_to_two_countries():
    owners: dict[str, set[str]] = {}
    for record in country_records():
        for label in [record["name"], *record["aliases"]]:
            owners.setdefault(normalise_name(label), set()).add(record["code"])
    shared = {label: codes for label, codes in owners.items() if len(codes) > 1}
    assert shared == {}


def test_demonyms():
    table = demonyms()
    assert table["vietnamese"] == "VN"
    assert table["russian"] == "RU"
    assert table["mongolian"] == "MN"
    assert table["korean"] == "KR"
    assert table["dutch"] == "NL"
    assert set(table.values()) <= ISO_CODES


def test_each_demonym_names_one_country():
    listed = Counter(demonym.casefold()
                     for record in country_records() for demonym in record["demonyms"])
    assert [demonym for demonym, count in listed.items() if count > 1] == []


def test_demonyms_cover_the_groups_we_report_on():
    g20 = {"AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "KR", "MX", "RU",
           "SA", "ZA", "TR", "GB", "US"}
    eaeu = {"AM", "BY", "KG", "KZ", "RU"}
    asean = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}
    eu = {member["member"] for member in unions()["eu"]["members"] if not member.get("until")}
    corpus = {"MN", "CU", "NL", "AU", "SG", "US", "MX", "GB", "KZ", "CN", "VN"}
    covered = set(demonyms().values())
    assert g20 | eaeu | asean | eu | corpus <= covered


def test_reference_documents():
    assert REFERENCE_DOCUMENTS == ("countries", "unions", "agencies")
    sources = {name: reference_document(name)["source"] for name in REFERENCE_DOCUMENTS}
    assert {source["reliability"] for source in sources.values()} == {"high"}
    assert [source["id"] for source in sources.values()] == [
        "reference-countries", "reference-unions", "reference-gazetteer"]
    assert len(reference_document("countries")["countries"]) == 249
    assert reference_document("agencies") == read_reference_document("agencies")
    with pytest.raises(ValueError, match="unions, agencies"):
        read_reference_document("countries")
    with pytest.raises(ValueError, match="countries, unions, agencies"):
        reference_document("ports")


def test_eaeu_memberships():
    eaeu = unions()["eaeu"]
    assert eaeu["name"] == "Eurasian Economic Union"
    assert {"EAEU", "EEU"} <= set(eaeu["aliases"])
    assert eaeu["kind"] == "union"
    members = {member["member"]: (str(member["since"]), member.get("until"))
               for member in eaeu["members"]}
    assert members == {
        "RU": ("2015-01-01", None),
        "BY": ("2015-01-01", None),
        "KZ": ("2015-01-01", None),
        "AM": ("2015-01-02", None),
        "KG": ("2015-08-06", None),
    }


def test_eu_memberships():
    members = unions()["eu"]["members"]
    current = {member["member"] for member in members if not member.get("until")}
    assert len(current) == 27
    founders = {member["member"] for member in members if str(member["since"]) == "1958-01-01"}
    assert founders == {"BE", "DE", "FR", "IT", "LU", "NL"}
    (uk,) = [member for member in members if member["member"] == "GB"]
    assert (str(uk["since"]), str(uk["until"])) == ("1973-01-01", "2020-01-31")


def test_unions_and_organisations():
    table = unions()
    assert {"eaeu", "eu", "asean", "wco", "wto", "idb", "eec"} <= set(table)
    assert {table[key]["kind"] for key in ("wco", "wto", "idb", "eec")} == {"international"}
    assert table["eec"]["name"] == "Eurasian Economic Commission"
    for union in table.values():
        for member in union.get("members", []):
            assert member["member"] in ISO_CODES
            if member.get("until"):
                assert str(member["until"]) >= str(member["since"])


def test_agencies_are_well_formed():
    ids = [agency["id"] for agency in agencies()]
    assert len(ids) == len(set(ids))
    for agency in agencies():
        assert agency["kind"] in KINDS, agency["id"]
        assert agency["country"] in ISO_CODES, agency["id"]
        assert agency.get("parent") is None or agency["parent"] in ids, agency["id"]
        assert isinstance(agency["aliases"], list), agency["id"]
        if agency.get("national"):
            assert agency["kind"] == "customs" and not agency.get("parent"), agency["id"]


def test_no_label_is_shared_by_two_agencies():
    owners: dict[str, set[str]] = {}
    for agency in agencies():
        for label in [agency["name"], *agency["aliases"]]:
            owners.setdefault(normalise_name(label), set()).add(agency["id"])
    shared = {label: ids for label, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_agency_labels_are_not_country_or_union_labels():
    countries = set(country_index())
    organisations = {normalise_name(label)
                     for union in unions().values() for label in [union["name"], *union["aliases"]]}
    assert set(agency_labels()) & (countries | organisations) == set()


def test_one_national_customs_administration_per_country():
    national = Counter(agency["country"] for agency in agencies() if agency.get("national"))
    assert [country for country, count in national.items() if count > 1] == []
    assert len(national) >= 50
    assert {"RU", "VN", "CN", "MN", "KR", "KZ", "US", "MX", "NL", "SG", "AU", "GB", "CU"} <= set(
        national)


@pytest.mark.parametrize("name", GOLD_CUSTOMS_NAMES)
def test_gold_customs_names_are_in_the_gazetteer(name):
    assert normalise_name(name) in agency_labels()


def test_gold_customs_names_come_from_the_gold_files(corpus: Path):
    gold = corpus / "gold"
    written = {agency["name"] for path in gold.glob("*.yaml")
               for agency in yaml.safe_load(path.read_text(encoding="utf-8"))["agencies"]}
    written |= {alias for path in gold.glob("*.yaml")
                for agency in yaml.safe_load(path.read_text(encoding="utf-8"))["agencies"]
                for alias in agency.get("aliases", [])}
    assert set(GOLD_CUSTOMS_NAMES) <= written


def test_regional_units_hang_under_their_national_administration():
    table = {agency["id"]: agency for agency in agencies()}
    labels = agency_labels()
    siberian = table[labels["stu"]]
    assert siberian["kind"] == "regional-customs"
    assert siberian["parent"] == labels[normalise_name("FCS of Russia")]
    novosibirsk = table[labels["novosibirsk customs"]]
    assert novosibirsk["parent"] == siberian["id"]
    assert table[labels["shanghai customs"]]["parent"] == labels["gacc"]
