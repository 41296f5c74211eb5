"""Tokens of a sentence (words with inner apostrophes and dotted acronyms, punctuation marks)
and the windows of tokens that may spell a name of the gazetteer."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from graph.names import normalise_name

_ELIDED = re.compile(r"(?i:d|l|dell|degli)['’][A-ZÀ-ÖØ-Þ]")
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)+\.?|[^\W_]+(?:['’][^\W_]+)*|&|[^\w\s]")


@dataclass
class Token:
    start: int
    end: int
    text: str
    norm: str

    @property
    def capitalised(self) -> bool:
        """"Customs", and an elided article before a capital: "d'Ivoire", "l'Union"."""
        return self.text[:1].isupper() or bool(_ELIDED.match(self.text))

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


@functools.lru_cache(maxsize=65536)
def _normal(word: str) -> str:
    return normalise_name(word)


normalised = _normal
"""``normalise_name``, remembered: the passes ask it of the same words again and again."""


def tokenise(text: str, offset: int = 0) -> list[Token]:
    """Words (with inner apostrophes and dotted acronyms) and punctuation marks; read once
    per sentence (entities and agreements both ask)."""
    return list(_tokens(text, offset))


@functools.lru_cache(maxsize=1024)
def _tokens(text: str, offset: int) -> tuple[Token, ...]:
    return tuple(Token(m.start() + offset, m.end() + offset, m.group(0), _normal(m.group(0)))
                 for m in _TOKEN.finditer(text))


def name_windows(tokens: list[Token], i: int, limit: int, prefixes: set[str]):
    """(end, key) of the windows starting at token i whose words may begin a known name,
    shortest first; punctuation inside a name ("Guinea-Bissau", "Identity, Citizenship")
    is skipped."""
    if not tokens[i].is_word:
        return
    parts: list[str] = []
    for j in range(i, min(len(tokens), i + limit)):
        token = tokens[j]
        if not token.norm:
            if token.text in {"-", "–", "’", "'", "&", ","}:
                continue
            return
        parts.append(token.norm)
        key = " ".join(parts)
        if key not in prefixes:
            return
        yield j + 1, key


def window_key(tokens: list[Token], i: int, j: int) -> str | None:
    """The normalised text of tokens[i:j], or None if punctuation breaks it."""
    parts = []
    for token in tokens[i:j]:
        if token.norm:
            parts.append(token.norm)
        elif token.text not in {"-", "–", "’", "'", "&", ","}:
            return None
    if not tokens[i].is_word or not tokens[j - 1].is_word:
        return None
    return " ".join(parts)
