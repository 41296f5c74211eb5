"""The extractor's work grows linearly with an article's length, long sentences included.

Timings belong in ``benchmarks/extract_speed.py``; here a generous limit only guards against
a hang, and the linearity is asserted on the number of function calls (the same on every
machine), with the shortcuts that made it linear checked against the plain scans they replace.
"""

from __future__ import annotations

import random
import re
import sys
import time

import pytest

from loaders.articles import extract_article
from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.entities.analysis import EntityAnalysis, Mention
from loaders.articles.events.registry import covered_mentions
from loaders.articles.sentences import (
    clause_breaks,
    clause_end,
    clause_start,
    first_search,
    search_before,
)

HEADER = "source: https://example.org/long\npublished: 2024-05-20\n---\nCustoms news\n"
BODIES = ["the Customs Service of Atlantis", "the Federal Customs Service of Russia",
          "Japan Customs", "the State Revenue Committee of Kazakhstan",
          "the Korea Customs Service", "the World Customs Organization"]
CLAUSES = ["{a} and {b} discussed risk management on {day} May 2024",
           "{a} signed a memorandum of understanding on mutual assistance with {b}",
           "the delegation of {a} visited {b} in Tashkent",
           "Deputy Head of {a} Ivan Petrov met the Chairman of {b}",
           "{a} will exchange data on goods in transit with {b} from March 2025"]


def one_sentence(characters: int, seed: int = 3) -> str:
    """An article of one sentence about ``characters`` long: clauses joined by ", and "."""
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) + 6 for p in parts) < characters - len(HEADER):
        a, b = rng.sample(BODIES, 2)
        parts.append(rng.choice(CLAUSES).format(a=a, b=b, day=rng.randint(1, 28)))
    text = ", and ".join(parts)
    return HEADER + text[0].upper() + text[1:] + ".\n"


def test_a_200_kb_sentence_is_extracted_without_hanging():
    """A guard against quadratic work coming back: one sentence of 200 KB (the size limit
    of an article's text) took over a minute before issue 10; under a second now."""
    text = one_sentence(199_000)
    started = time.perf_counter()
    document = extract_article(text, name="long.txt")
    assert time.perf_counter() - started < 20
    assert document["agencies"] and document["agreements"] and document["events"]


def _calls(text: str) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += 1

    sys.setprofile(profile)
    try:
        extract_article(text, name="long.txt")
    finally:
        sys.setprofile(None)
    return count


def test_the_work_on_one_long_sentence_grows_linearly():
    """Four times the sentence, about four times the calls (a rescan of the sentence per
    word or per trigger would make it sixteen)."""
    extract_article(one_sentence(2_000), name="warm.txt")
    small, large = _calls(one_sentence(15_000)), _calls(one_sentence(60_000))
    assert large / small < 5, (small, large)


# -- the shortcuts against the scans they replace ----------------------------------------------
PIECES = ["Customs", " – ", " — ", ", and agreed", ", while ", ". ", "; ", " and will ",
          ", under which ", "Oybek", " the ", "x", "  ", ".", ";", ", and the chief said",
          " Dorohusk", " In ", "whereby", ", according to which ", "was ", "signed "]


def _texts(count: int, seed: int = 1):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 60)))


def test_clause_limits_are_those_of_a_scan_of_the_whole_text():
    for text in _texts(120):
        for at in range(len(text) + 1):
            scanned_end = next(clause_breaks(text, at), None)
            assert clause_end(text, at) == (scanned_end.start() if scanned_end else len(text))
            start = 0
            for match in clause_breaks(text, 0, at):
                start = match.end()
            assert clause_start(text, at) == start, (text, at)


@pytest.mark.parametrize("pattern", [r"(?i)\b(?:was|were|is)\s+$", r"([\w’'-]+)\s+$",
                                     r"(?i)\bsigned\s+(?:\w+\s+){0,2}$"])
def test_searching_before_a_position_is_searching_the_text_up_to_it(pattern):
    for text in _texts(60, seed=2):
        for end in range(len(text) + 1):
            expected = re.search(pattern, text[:end])
            found = search_before(pattern, text, end)
            assert (found and found.span()) == (expected and expected.span()), (text, end)
    assert first_search(r"\bsigned\b", "they signed it").start() == 5


def _mentions(rng: random.Random, count: int) -> list[Mention]:
    mentions = []
    for _ in range(count):
        start = rng.randint(0, 80)
        end = start + rng.randint(1, 20)
        kind = rng.choice(["agency", "country", "person"])
        mentions.append(Mention(start, end, "x", kind, rng.choice("ABCD"), sentence=0))
    return mentions


def test_mention_lookups_are_those_of_a_scan():
    rng = random.Random(5)
    for _ in range(300):
        analysis = EntityAnalysis()
        for mention in _mentions(rng, rng.randint(0, 15)):
            analysis.add(mention)
        items = analysis.mentions(0)
        assert items == sorted(items, key=lambda m: (m.start, -m.end))
        for start in range(0, 100, 7):
            for end in (start + 1, start + 9):
                assert list(analysis.overlapping(0, start, end))[::-1] == [
                    m for m in items if m.start < end and start < m.end]
                assert analysis.starting_in(0, start, end) == [
                    m for m in items if start <= m.start < end]
        assert covered_mentions(items) == {
            id(m) for m in items if any(
                o is not m and o.kind == "agency" and o.start <= m.start and m.end <= o.end
                and o.end - o.start > m.end - m.start for o in items)}


def test_inside_a_title_is_inside_one_of_the_sentences_titles():
    rng = random.Random(7)
    for _ in range(200):
        analysis = AgreementAnalysis()
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 80)
            spans.append((start, start + rng.randint(1, 30), "k"))
            analysis.spans.setdefault(0, []).append(spans[-1])
            for at in range(0, 110, 3):
                for end in (at + 1, at + 12):
                    assert analysis.inside_title(0, at, end) == any(
                        a <= at and end <= b for a, b, _ in spans)
