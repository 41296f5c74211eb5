"""Several agreements of one head noun, one per counterpart (issue 10, check-set batch 31-40):
a long "on …" between the noun and "with", an acronym in brackets inside the list, the
headline's list paired with the body's by country, "the memorandum with the Azerbaijani
side" naming the one with Azerbaijan; "General Directorate of Customs" keeps its first word.
The sentences are the tests' own."""

from __future__ import annotations

from loaders.articles import extract_article

HEADER = "source: https://example.org/news/38\npublished: 2025-05-14\n---\n"


def _document(body: str, headline: str = "Customs news") -> dict:
    return extract_article(HEADER + headline + "\n" + body + "\n", name="lists.txt",
                           evidence=False)


def _countries(document: dict, agreement: dict) -> set[str]:
    by_name = {a["name"]: a.get("country") for a in document["agencies"]}
    return {by_name.get(p, p) for p in agreement["parties"]}


def test_a_long_topic_and_a_bracketed_acronym_keep_one_agreement_per_counterpart():
    document = _document(
        "The Ghana Revenue Authority signed memoranda of understanding on the exchange of "
        "preliminary information on transit cargo with the Togolese Revenue Office (OTR) and "
        "the General Directorate of Customs of Benin on Monday.")
    memoranda = [a for a in document["agreements"] if a["kind"] == "memorandum"]
    assert len(memoranda) == 2
    assert {frozenset(_countries(document, m)) for m in memoranda} == {
        frozenset({"GH", "TG"}), frozenset({"GH", "BJ"})}
    assert "General Directorate of Customs of Benin" in {a["name"] for a in document["agencies"]}


def test_the_headlines_list_is_the_bodys_paired_by_country():
    document = _document(
        "Georgia's Revenue Service has signed memoranda of understanding on rail cargo data with "
        "the State Customs Committee of Azerbaijan and the State Revenue Committee of Armenia. "
        "The memorandum with the Azerbaijani side was signed in Tbilisi on May 12.",
        headline="Georgia signs rail data memoranda with Azerbaijan and Armenia")
    memoranda = [a for a in document["agreements"] if a["kind"] == "memorandum"]
    assert len(memoranda) == 2
    with_azerbaijan = next(m for m in memoranda if "AZ" in _countries(document, m))
    with_armenia = next(m for m in memoranda if "AM" in _countries(document, m))
    assert with_azerbaijan["signed"] == "2025-05-12"
    assert with_armenia["signed"] != "2025-05-12"


def test_director_general_is_still_a_post_not_a_name():
    document = _document("Director General Kofi Mensah of the Ghana Revenue Authority met the "
                         "Togolese Revenue Office in Accra on Monday.")
    names = {a["name"] for a in document["agencies"]}
    assert "Ghana Revenue Authority" in names
    assert not any(n.startswith("General") for n in names)
