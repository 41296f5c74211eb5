"""The head nouns of agreements and events with their kinds (``lexicon.yaml``), read once:
the patterns that find them are built from the data, so a new noun is a line of YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class HeadNoun:
    """One noun: its forms, the kind it gives (None: the title decides) and its class."""

    noun: str
    plural: str
    kind: str | None
    cls: str
    generic: bool = False
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


def _phrase(words: str) -> str:
    return r"\s+".join(re.escape(w) for w in words.split())


@dataclass(frozen=True)
class Lexicon:
    agreements: tuple[HeadNoun, ...]
    events: tuple[HeadNoun, ...]

    def agreement_pattern(self) -> str:
        """An alternation of the agreement nouns, singular or plural, longest first, each
        not after the words that make it something else."""
        return _alternation(self.agreements)

    def event_pattern(self, kind: str) -> str:
        """An alternation of the event nouns of one kind (and the plurals the lexicon
        gives)."""
        return _alternation(tuple(n for n in self.events if n.kind == kind))

    def agreement(self, head: str) -> HeadNoun | None:
        """The agreement noun a head is (singular or plural, any case), or None."""
        low = " ".join(head.lower().split())
        return next((n for n in self.agreements if low in (n.noun, n.plural)), None)

    @property
    def generic_nouns(self) -> frozenset[str]:
        """The nouns any agreement goes by, singular and plural."""
        return frozenset(f for n in self.agreements if n.generic for f in (n.noun, n.plural))

    @property
    def generic_classes(self) -> frozenset[str]:
        return frozenset(n.cls for n in self.agreements if n.generic)


def _alternation(nouns: tuple[HeadNoun, ...]) -> str:
    parts = []
    for n in sorted(nouns, key=lambda n: len(n.noun), reverse=True):
        guard = "".join(rf"(?<!\b{re.escape(w)}\s)" for w in n.not_after)
        forms = sorted({n.noun, n.plural}, key=len, reverse=True)
        ahead = "".join(rf"(?!\s+{_phrase(w)}\b)" for w in n.not_before)
        parts.append(guard + "(?:" + "|".join(_phrase(f) for f in forms) + ")" + ahead)
    return "|".join(parts)


def _nouns(items: list[dict], plural: bool) -> tuple[HeadNoun, ...]:
    """Nouns from the YAML; without a written plural, noun + "s" (``plural``) or none."""
    return tuple(HeadNoun(noun=i["noun"], plural=i.get("plural") or (
                              i["noun"] + "s" if plural else i["noun"]),
                          kind=i.get("kind"), cls=i.get("class") or i["noun"],
                          generic=bool(i.get("generic")),
                          not_after=tuple(i.get("not_after") or ()),
                          not_before=tuple(i.get("not_before") or ()))
                 for i in items)


@cache
def lexicon() -> Lexicon:
    """The lexicon, read from ``lexicon.yaml`` on first use."""
    data = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    return Lexicon(_nouns(data.get("agreements") or [], True),
                   _nouns(data.get("events") or [], False))
