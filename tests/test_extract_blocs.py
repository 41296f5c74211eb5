"""Blocs and international bodies whose names end in no body noun ("Mercosur", "the GCC",
"SAARC"), read from the extractor's list of them (``loaders/articles/bodies.yaml``); the
organs named after them ("SCO Secretariat"); a bloc named once in passing. The sentences are
the tests' own."""

from __future__ import annotations

import pytest

from loaders.articles import extract_article
from loaders.articles.gazetteer import gazetteer

HEADER = "source: https://example.org/news/9\npublished: 2025-05-09\n---\nCustoms news\n"


def _document(body: str) -> dict:
    return extract_article(HEADER + body + "\n", name="blocs.txt", evidence=False)


def _agencies(body: str) -> dict[str, dict]:
    return {a["name"]: a for a in _document(body)["agencies"]}


@pytest.mark.parametrize("name", ["Mercosur", "GCC", "SAARC", "CAREC", "SACU", "AfCFTA"])
def test_a_bloc_without_a_body_noun_is_known(name: str):
    known = set(gazetteer().acronyms) | {n for b in gazetteer().bodies.values()
                                         for n in [b.name, *b.aliases]}
    assert name in known


def test_a_bloc_named_without_a_body_noun_is_a_body_of_no_country():
    agencies = _agencies(
        "Customs chiefs of Mercosur met in Asuncion on 6 May 2025. The Mercosur heads agreed "
        "on a single transit declaration with the Paraguayan customs service.")
    assert agencies["Mercosur"]["country"] is None


def test_a_blocs_acronym_takes_its_full_name():
    agencies = _agencies(
        "The General Authority of Customs of Qatar and the GCC signed a memorandum on data "
        "exchange in Doha on 5 May 2025.")
    assert agencies["Gulf Cooperation Council"]["country"] is None


def test_an_organ_named_after_its_bloc_is_a_body_of_its_own():
    agencies = _agencies(
        "The SCO Secretariat hosted a meeting of customs experts in Beijing on 5 May 2025. "
        "The SCO Secretariat will publish the minutes.")
    assert "SCO Secretariat" in agencies


def test_a_bloc_named_once_in_passing_is_a_body_the_extractor_is_unsure_of():
    document = extract_article(
        HEADER + "Sri Lanka Customs and Maldives Customs Service held talks in Colombo on 6 "
        "May 2025. The two services also work together in regional forums such as SAARC.\n",
        name="blocs.txt")
    (bloc,) = [a for a in document["agencies"] if a["country"] is None]
    assert bloc["name"] == "South Asian Association for Regional Cooperation"
    assert bloc["evidence"]["confidence"] <= 0.6


def test_an_organisation_hosting_a_conference_takes_part_in_it():
    document = _document(
        "The Pacific Trade Organisation held its annual conference in Suva on 6 May 2025, "
        "which closed with the signing of a grant arrangement between the Pacific Trade "
        "Organisation and the New Zealand Customs Service.")
    (conference,) = [e for e in document["events"] if e["kind"] in ("forum", "meeting")]
    assert "Pacific Trade Organisation" in conference["participants"]
