"""Sentences of an article with their character spans: lines are paragraphs, and a full stop
ends a sentence unless it ends an abbreviation, an initial or a dotted acronym ("U.S.")."""

from __future__ import annotations

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
            if match.group(0).startswith(".") and _is_abbreviation(body[:match.end()]):
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


def clause_breaks(text: str, start: int = 0, end: int | None = None):
    """The clause breaks of ``text``; a dash between two names ("the Yahodyn – Dorohusk
    checkpoint", "Oybek – Fotehobod") joins them and breaks nothing."""
    for match in _CLAUSE_BREAK.finditer(text, start, len(text) if end is None else end):
        if match.group(0).strip() in {"–", "—"} and _NAME_BEFORE.search(text, 0, match.start()) \
                and _NAME_AFTER.match(text, match.end()):
            continue
        yield match


def clause_end(text: str, at: int) -> int:
    """Where the clause holding ``text[at]`` ends: a full stop, a semicolon, a dash, a
    relative clause on a document's content (", under which …"), or "and agreed/decided/will
    …" starting another clause."""
    match = next(clause_breaks(text, at), None)
    return match.start() if match else len(text)


def clause_start(text: str, at: int) -> int:
    """Where the clause holding ``text[at]`` starts (see ``clause_end``)."""
    start = 0
    for match in clause_breaks(text, 0, at):
        start = match.end()
    return start
