"""Page-long sentences (no full stops): the evidence quotes them in part, with the whole span,
and each event takes the participants of its own clause."""

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


def test_each_event_of_a_page_long_sentence_takes_its_own_clause_s_participants():
    """Bodies no gazetteer knows, a different pair in each clause: an event does not list all
    the bodies of the sentence (records would grow as the square of its length)."""
    units = ["Board", "Directorate", "Office", "Service"]
    clauses = [f"the Chief of the Velmar Dost {units[i % 4]} {i} met the Head of the Orvin Kade "
               f"{units[(i + 1) % 4]} {i} in Tashkent on {i % 28 + 1} May 2024"
               for i in range(60)]
    body = ", and ".join(clauses)
    raw = HEADER + body[0].upper() + body[1:] + ".\n"
    assert len(raw) > 3 * EVIDENCE_SENTENCE_MAX
    document = extract_article(raw, name="long.txt")
    events = document.get("events") or []
    assert events
    assert max(len(event.get("participants") or []) for event in events) <= 6
