"""The evidence of extracted records: the sentence quoted, whole or in part, with its span."""

from __future__ import annotations

from loaders.articles import extract_article
from loaders.articles.evidence import EVIDENCE_SENTENCE_MAX, quoted_sentence

HEADER = "source: https://example.org/news/1\npublished: 2024-05-20\n---\nCustoms news\n"


def _evidences(document: dict) -> list[dict]:
    return [record["evidence"] for key in ("agencies", "agreements", "events")
            for record in document.get(key) or [] if record.get("evidence")]


def test_a_sentence_of_ordinary_length_is_quoted_whole():
    text = "A short sentence about customs."
    assert quoted_sentence(text) == text


def test_a_sentence_longer_than_the_limit_is_quoted_in_part():
    text = "word " * 1000
    quoted = quoted_sentence(text)
    assert quoted.endswith(" …")
    assert len(quoted) <= EVIDENCE_SENTENCE_MAX + 2
    assert text.startswith(quoted[:-2])


def test_records_of_a_page_long_sentence_quote_it_in_part_and_keep_its_whole_span():
    clauses = [f"the Customs Service of Kazakhstan met the Korea Customs Service on {day} May 2024"
               for day in range(1, 29)] * 3
    body = ", and ".join(clauses)
    raw = HEADER + body[0].upper() + body[1:] + ".\n"
    document = extract_article(raw, name="long.txt")
    evidences = _evidences(document)
    assert evidences
    for evidence in evidences:
        start, end = evidence["span"]
        assert end - start > EVIDENCE_SENTENCE_MAX
        assert evidence["sentence"].endswith(" …")
        assert raw[start:end].startswith(evidence["sentence"][:-2])
