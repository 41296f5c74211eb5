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

from graph.names import normalise_name
from loaders.articles import extract_article
from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.dates import (
    is_future_between,
    is_future_context,
    tells_past,
    tells_past_between,
)
from loaders.articles.entities.analysis import AgencyEntity, EntityAnalysis, Mention
from loaders.articles.events.registry import Event, covered_mentions
from loaders.articles.sentences import (
    Spans,
    clause_breaks,
    clause_end,
    clause_start,
    first_search,
    matches_in,
    search_before,
    search_between,
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


MONTHS = ["March", "May", "June", "October"]
SYLLABLES = ["ar", "vel", "tom", "kes", "trin", "val", "or", "lan", "mir", "dun", "ebo", "sil"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _signings(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    return (f"{a} signed a memorandum of understanding on risk management, an action plan for "
            f"2024-2026 and a protocol on transit with {b}")


def _dates(rng: random.Random) -> str:
    a, b = rng.sample(BODIES, 2)
    days = [f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}"
            for _ in range(3)]
    return f"{a} met {b} on {days[0]}, on {days[1]} and again on {days[2]}"


def _unknown(rng: random.Random) -> str:
    return (f"{_name(rng)} {_name(rng)} of the {_name(rng)} {_name(rng)} Board spoke with "
            f"{_name(rng)} {_name(rng)} in {_name(rng)}")


def _sentence_of(piece, characters: int, seed: int = 5) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    while sum(len(p) + 6 for p in parts) < characters - len(HEADER):
        parts.append(piece(rng))
    text = ", and ".join(parts)
    return HEADER + text[0].upper() + text[1:] + ".\n"


@pytest.mark.parametrize("piece", [_signings, _dates, _unknown],
                         ids=["signings", "dates", "unknown-names"])
def test_the_work_on_long_sentences_of_one_kind_grows_linearly(piece):
    """One sentence of signings (many agreement titles and verbs), of meetings with three
    dates each, of people and bodies no gazetteer knows: four times the sentence, about
    four times the calls."""
    extract_article(_sentence_of(piece, 2_000), name="warm.txt")
    small, large = _calls(_sentence_of(piece, 6_000)), _calls(_sentence_of(piece, 24_000))
    assert large / small < 5, (small, large)


def _cpu(text: str, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        extract_article(text, name="long.txt")
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("piece", [None, _signings, _dates, _unknown],
                         ids=["clauses", "signings", "dates", "unknown-names"])
def test_the_time_on_long_sentences_grows_about_as_the_length(piece):
    """Counting calls does not see a regular expression run over the whole sentence once
    per word or per signing (one call each): the ratio of the CPU times of a sentence and of
    one four times as long (best of two, on the same machine at the same time) does. Linear
    work gives about 4 (4.1 to 4.5 here), a search of the sentence per signing 7.5."""
    def make(size: int) -> str:
        return one_sentence(size) if piece is None else _sentence_of(piece, size)

    _cpu(make(2_000), runs=1)
    small, large = _cpu(make(25_000)), _cpu(make(100_000))
    assert large / small < 6, (small, large)


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


@pytest.mark.parametrize("pattern", [r"(?i)\b(?:will|is\s+to|agreed\s+to\s+sign)\b",
                                     r"(?i)\b(?:already|so\s+far)\b", r"\bsigned\b",
                                     r",\s*(?:which|that)\s+(?:was|were)\s+\w+ed\b", r"^In\b",
                                     r"ed$", r"\s\s"])
def test_searching_a_range_is_searching_it_alone(pattern):
    """``search_between`` answers as a search of the slice, ``matches_in`` as a search with
    ``pos`` and ``endpos``, with the middle of a long text looked up (a small window here:
    longer than any try of these patterns on these words)."""
    words = ["will", "is", "to", "which", "was", "signed", "already", "so", "far", "In",
             "agreed", "sign", "x", "ed", "Customs", "were", "that"]
    rng = random.Random(11)
    compiled = re.compile(pattern)
    for _ in range(60):
        text = "".join(rng.choice(words) + rng.choice([" ", ", ", "  "])
                       for _ in range(rng.randint(1, 40)))
        for _ in range(40):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert search_between(pattern, text, start, end, window=30) == bool(
                compiled.search(text[start:end])), (text, start, end)
            assert matches_in(compiled, text, start, end, window=30) == bool(
                compiled.search(text, start, end)), (text, start, end)


def test_the_tense_of_a_clause_is_that_of_the_clause_alone():
    """``is_future_between`` and ``tells_past_between`` on long texts (the whole-text
    lookups) answer as the functions they stand for on the slice."""
    words = ["will", "signed", "the", "plan", "is", "to", "be", "held", "met", "agreed", "sign",
             "planned", "upcoming", "Customs", "and", "on", "May", "was", "approved"]
    rng = random.Random(19)
    for _ in range(20):
        text = "".join(rng.choice(words) + rng.choice([" ", " ", ", "])
                       for _ in range(rng.randint(100, 600)))
        for _ in range(60):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert is_future_between(text, start, end) == is_future_context(text[start:end])
            assert tells_past_between(text, start, end) == tells_past(text[start:end])


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


def test_agencies_looked_up_by_name_are_those_of_a_scan():
    """The name index of the agencies answers as a scan of every agency's names would, in
    the agencies' order, after aliases, a rename, agencies removed or put in by hand."""
    words = ["State", "Revenue", "Committee", "of", "Customs", "Service", "Atlantis", "the"]
    rng = random.Random(13)

    def name() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))

    for _ in range(60):
        analysis = EntityAnalysis()
        for n in range(rng.randint(1, 12)):
            entity = AgencyEntity(key=f"k{n}", name=name(), country=None, kind="customs")
            if rng.random() < 0.7:
                entity.mentions.append(Mention(0, 1, "x", "agency", entity.key))
            if rng.random() < 0.8:
                analysis.add_agency(entity)
            else:
                analysis.agencies[entity.key] = entity  # by hand
            for _ in range(rng.randint(0, 2)):
                rng.choice(list(analysis.agencies.values())).add_alias(name())
            if rng.random() < 0.15:
                rng.choice(list(analysis.agencies.values())).name = name()
            if rng.random() < 0.1:
                analysis.agencies.pop(rng.choice(list(analysis.agencies)))
        for _ in range(20):
            norm = normalise_name(name())
            names = {e.key: [normalise_name(x) for x in [e.name, *e.aliases]]
                     for e in analysis.agencies.values()}
            assert [e.key for e in analysis.named(norm)] == [
                k for k, ns in names.items() if norm in ns]
            assert [e.key for e in analysis.named_before_of(norm)] == [
                k for k, ns in names.items() if any(x.startswith(norm + " of ") for x in ns)]
            wanted = set(norm.split()) or {"customs"}
            assert [e.key for e in analysis.with_words(wanted)] == [
                k for k, ns in names.items() if any(wanted <= set(x.split()) for x in ns)]


def test_spans_cover_what_a_scan_finds():
    rng = random.Random(17)
    for _ in range(200):
        spans, found = Spans(), []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 60)
            end = start + rng.randint(1, 15)
            spans.add(start, end)
            found.append((start, end))
            for at in range(0, 80, 3):
                assert spans.covers(at) == any(a <= at < b for a, b in found)


def test_participants_added_once_in_order():
    event = Event(kind="meeting", sentence=0, participants=["A", "B"])
    event.add_participants(["C", "A", "D", "C", "E"])
    assert event.participants == ["A", "B", "C", "D", "E"]
