"""What entity recognition finds in an article: agencies and people with their aliases, and
every mention of them and of countries, sentence by sentence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from graph.names import normalise_name


@dataclass
class Mention:
    """Where an entity is named: its span in the article text and how it was recognised."""

    start: int
    end: int
    text: str
    kind: str  # agency | country | person
    key: str
    role: str = "name"  # name | acronym | loose | pattern | demonym | post | inside | anaphora
    confidence: float = 0.9
    sentence: int = -1


@dataclass
class AgencyEntity:
    """An agency, union, international organisation or collective the article names."""

    key: str
    name: str
    country: str | None
    kind: str  # records kinds: customs, regional-customs, ministry, agency, government, …
    reference: str | None = None  # the gazetteer id it resolved to
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    national_level: bool = True
    collective: bool = False
    confidence: float = 0.9
    parent: str | None = None  # the gazetteer id of the body it is part of (a collective's union)

    def add_alias(self, text: str) -> None:
        text = " ".join(text.split())
        if text and normalise_name(text) not in {normalise_name(a) for a in
                                                 [self.name, *self.aliases]}:
            self.aliases.append(text)


@dataclass
class PersonEntity:
    """A person the article names, with the post and organisation it gives."""

    key: str
    name: str
    post: str | None = None
    organisation: str | None = None  # an agency key, or a country code
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)


def _start(mention: Mention) -> int:
    return mention.start


def _order(mention: Mention) -> tuple[int, int]:
    return mention.start, -mention.end


@dataclass
class EntityAnalysis:
    """The entities of an article and their mentions, sentence by sentence."""

    agencies: dict[str, AgencyEntity] = field(default_factory=dict)
    people: dict[str, PersonEntity] = field(default_factory=dict)
    country_mentions: dict[str, list[Mention]] = field(default_factory=dict)
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    joint_bodies: dict[int, list[str]] = field(default_factory=dict)  # sentence -> names
    longest: int = 0  # the length of the longest mention added

    def mentions(self, sentence: int) -> list[Mention]:
        return self.by_sentence.get(sentence, [])

    def add(self, mention: Mention) -> None:
        """Adds a mention to its sentence's, kept in order of (start, longest first), unless
        the same entity is already named there."""
        items = self.by_sentence.setdefault(mention.sentence, [])
        first = bisect.bisect_left(items, mention.start, key=_start)
        for i in range(first, len(items)):
            m = items[i]
            if m.start != mention.start:
                break
            if m.end == mention.end and m.key == mention.key:
                return
        bisect.insort_right(items, mention, key=_order)
        self.longest = max(self.longest, mention.end - mention.start)

    def starting_in(self, sentence: int, start: int, stop: int) -> list[Mention]:
        """The mentions of a sentence that start in ``[start, stop)``, in order (by
        bisection)."""
        items = self.by_sentence.get(sentence, [])
        return items[bisect.bisect_left(items, start, key=_start):
                     bisect.bisect_left(items, stop, key=_start)]

    def overlapping(self, sentence: int, start: int, end: int) -> Iterator[Mention]:
        """The mentions of a sentence that overlap ``[start, end)``, last first; found by
        bisection, so that asking for every word of a long sentence stays cheap."""
        items = self.by_sentence.get(sentence, [])
        for i in range(bisect.bisect_left(items, end, key=_start) - 1, -1, -1):
            mention = items[i]
            if mention.start + self.longest <= start:
                break  # this one and those before it end before ``start``
            if mention.end > start:
                yield mention

    def country_of(self, key: str) -> str | None:
        """The country of an agency key, a person key or a country code."""
        if key in self.agencies:
            return self.agencies[key].country
        if key in self.people:
            return self.people[key].country
        return key if re.fullmatch(r"[A-Z]{2}", key) else None
