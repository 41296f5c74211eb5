"""Sentences of an article with their character spans: lines are paragraphs, and a full stop
ends a sentence unless it ends an abbreviation, an initial or a dotted acronym ("U.S.")."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "rt", "hon", "no", "nos", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "co", "inc", "ltd", "corp", "vs", "etc",
    "gen", "gov", "sen", "rep", "prof", "approx", "dept", "est", "fig", "jr", "sr", "messrs",
    "art", "para", "vol", "op", "cf", "al", "e.g", "i.e", "ave", "blvd",
})
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“'‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*$")
# How far back the word before a full stop (or a name before a dash) is looked for: a word is
# shorter, and a longer look would rescan the sentence at every stop (quadratic in its length).
_WORD_WINDOW = 120


# What ends a clause: a full stop, a semicolon, a dash, ", while", "and agreed to …".
_CLAUSE_BREAK = re.compile(r"[.;]\s|[.;]$|,\s+(?:while|whereas|but|and\s+the\s+\w+\s+"
                           r"(?:said|noted))|\s+[–—]\s+|,?\s+and\s+(?=(?:also\s+)?(?:agreed|"
                           r"decided|will|plans?|intends?|noted|discussed|stressed)\b)|"
                           r",\s+(?=(?:under|according\s+to|in\s+accordance\s+with)\s+which\b|"
                           r"whereby\b)")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w’'-]*$")
_NAME_AFTER = re.compile(r"(?!(?:The|A|An|This|That|It|He|She|They|We|In|On|At)\b)[A-Z]")


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text and its span in the article text; ``paragraph`` counts lines."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int = 0


def _is_abbreviation(chunk: str) -> bool:
    """True when the full stop ending ``chunk`` belongs to an abbreviation or an initial."""
    match = _WORD_BEFORE.search(chunk)
    if not match:
        return False
    word = match.group(1)
    if word.endswith("."):
        word = word[:-1]
    if re.fullmatch(r"[A-Z]", word):  # an initial: "Mark A. Morgan"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # U.S, U.K, e.g
        return True
    return word.casefold() in ABBREVIATIONS


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """The sentences of ``text[start:end]``, each with its span in ``text``."""
    end = len(text) if end is None else end
    sentences: list[Sentence] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        body = line.group(0)
        if not body.strip():
            continue
        cursor = 0
        for match in _END.finditer(body):
            if match.group(0).startswith(".") and \
                    _is_abbreviation(body[max(0, match.end() - _WORD_WINDOW):match.end()]):
                continue
            _add(sentences, text, line_start + cursor, line_start + match.end(), paragraph)
            cursor = match.end()
        _add(sentences, text, line_start + cursor, line_start + len(body), paragraph)
        paragraph += 1
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end], paragraph, len(sentences)))


# How far back a pattern anchored at a position (``…\s+$`` on the text before it) is looked
# for: longer than any such pattern's match.
LOOKBACK = 200


def search_before(pattern: str | re.Pattern[str], text: str, end: int, start: int = 0,
                  window: int = LOOKBACK) -> re.Match[str] | None:
    """``re.search(pattern, text[start:end])`` for a pattern anchored at the end (``$``)
    whose matches are shorter than ``window``: only the last ``window`` characters are searched
    (word boundaries still see the text before them), so that asking before every word of a
    long sentence does not rescan it. Offsets are those of ``text``."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    return compiled.search(text, max(start, end - window), end)


@functools.lru_cache(maxsize=32)
def _match_starts(pattern: re.Pattern[str], text: str) -> list[int]:
    """Every position of ``text`` where ``pattern`` matches (each search starts one past the
    last match's start, so that overlapping matches are all found)."""
    starts = []
    match = pattern.search(text)
    while match is not None:
        starts.append(match.start())
        match = pattern.search(text, match.start() + 1)
    return starts


def matches_in(pattern: str | re.Pattern[str], text: str, pos: int, endpos: int,
               window: int = LOOKBACK) -> bool:
    """``pattern.search(text, pos, endpos) is not None`` for a pattern whose try at a
    position reads fewer than ``window`` characters from there: tries that cannot reach
    ``endpos`` are those on the whole text, whose matches are found once and looked up by
    bisection, so that asking for every clause or word of a long sentence does not rescan
    it; the last ``window`` characters are searched as asked."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    if endpos - pos <= 2 * window:
        return compiled.search(text, pos, endpos) is not None
    starts = _match_starts(compiled, text)
    i = bisect.bisect_left(starts, pos)
    if i < len(starts) and starts[i] <= endpos - window:
        return True
    return compiled.search(text, max(pos, endpos - window), endpos) is not None


def search_between(pattern: str | re.Pattern[str], text: str, start: int, end: int,
                   window: int = LOOKBACK) -> bool:
    """``re.search(pattern, text[start:end]) is not None`` for such a pattern (see
    ``matches_in``): the try at ``start``, where the slice has nothing before it, on the
    slice; the others as ``matches_in``."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    if end - start <= 2 * window:
        return compiled.search(text[start:end]) is not None
    return compiled.match(text[start:start + window]) is not None or \
        matches_in(compiled, text, start + 1, end, window)


@functools.lru_cache(maxsize=64)
def first_search(pattern: str | re.Pattern[str], text: str) -> re.Match[str] | None:
    """``re.search(pattern, text)``, remembered: a sentence asked the same question once per
    trigger word is searched once."""
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    return compiled.search(text)


def _joins(text: str, match: re.Match[str]) -> bool:
    """True for a dash between two names, which breaks no clause."""
    return match.group(0).strip() in {"–", "—"} and \
        _NAME_BEFORE.search(text, max(0, match.start() - _WORD_WINDOW), match.start()) \
        is not None and _NAME_AFTER.match(text, match.end()) is not None


def clause_breaks(text: str, start: int = 0, end: int | None = None):
    """The clause breaks of ``text``; a dash between two names ("the Yahodyn – Dorohusk
    checkpoint", "Oybek – Fotehobod") joins them and breaks nothing."""
    for match in _CLAUSE_BREAK.finditer(text, start, len(text) if end is None else end):
        if not _joins(text, match):
            yield match


@dataclass(frozen=True)
class _Breaks:
    """Every match of the clause-break pattern in one text, in order, found once: where it
    starts and ends, whether it breaks (a dash between names does not), and the end of the
    last break up to each."""

    starts: list[int]
    ends: list[int]
    breaks: list[bool]
    last_end: list[int]


@functools.lru_cache(maxsize=32)
def _breaks_of(text: str) -> _Breaks:
    starts, ends, breaks, last_end = [], [], [], []
    last = 0
    for match in _CLAUSE_BREAK.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
        breaks.append(not _joins(text, match))
        last = match.end() if breaks[-1] else last
        last_end.append(last)
    return _Breaks(starts, ends, breaks, last_end)


# clause_start reads the text before a position as far as it ends there; further back, the
# breaks of the whole text are those of the text cut there (no pattern looks this far ahead).
_LOOKAHEAD = 200


def clause_end(text: str, at: int) -> int:
    """Where the clause holding ``text[at]`` ends: a full stop, a semicolon, a dash, a
    relative clause on a document's content (", under which …"), or "and agreed/decided/will
    …" starting another clause. The breaks of a text are found once, so that asking for
    every word of a long sentence does not rescan it."""
    found = _breaks_of(text)
    i = bisect.bisect_left(found.starts, at)
    if i and found.ends[i - 1] > at:  # inside a break: read on from there
        match = next(clause_breaks(text, at), None)
        return match.start() if match else len(text)
    for j in range(i, len(found.starts)):
        if found.breaks[j]:
            return found.starts[j]
    return len(text)


def clause_start(text: str, at: int) -> int:
    """Where the clause holding ``text[at]`` starts (see ``clause_end``): the end of the last
    break of ``text[:at]``."""
    found = _breaks_of(text)
    k = bisect.bisect_right(found.ends, at - _LOOKAHEAD) - 1
    start = found.last_end[k] if k >= 0 else 0
    scan_from = found.ends[k] if k >= 0 else 0
    if k + 1 < len(found.starts):
        scan_from = min(found.starts[k + 1], max(scan_from, at - _LOOKAHEAD))
    else:
        scan_from = max(scan_from, at - _LOOKAHEAD)
    for match in clause_breaks(text, scan_from, at):
        start = match.end()
    return start


class Spans:
    """Spans added in any order, asked whether one covers a position: by bisection on their
    starts, going back no further than the longest span reaches."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start)

    def covers(self, at: int) -> bool:
        """True when ``start <= at < end`` for a span added."""
        i = bisect.bisect_right(self.starts, at) - 1
        while i >= 0 and self.starts[i] + self.longest > at:
            if self.ends[i] > at:
                return True
            i -= 1
        return False


def is_title_case(text: str) -> bool:
    """True for a headline in title case ("EU, US Ink Mutual Recognition Customs Deal"),
    where a capital says nothing about a name: most words of four letters or more begin
    with one."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


# A photo caption shows an event the text tells; it tells none ("(Photo: …)", "Pictured: …").
_CAPTION = re.compile(r"(?i)^\W{0,3}(?:photo(?:\s+caption|\s+credit|graph)?|pictured|picture|"
                      r"image|caption|file\s+photo|in\s+the\s+photo|top\s+photo)\s*(?::|-|–|by\b)")


def is_caption(text: str) -> bool:
    """True for a photo caption ("Photo: …", "(Pictured: …)"): no event, no signing."""
    return bool(_CAPTION.match(text))
