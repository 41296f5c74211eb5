"""What entity recognition finds in an article: agencies and people with their aliases, and
every mention of them and of countries, sentence by sentence."""

from __future__ import annotations

import re
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


@dataclass
class EntityAnalysis:
    """The entities of an article and their mentions, sentence by sentence."""

    agencies: dict[str, AgencyEntity] = field(default_factory=dict)
    people: dict[str, PersonEntity] = field(default_factory=dict)
    country_mentions: dict[str, list[Mention]] = field(default_factory=dict)
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    joint_bodies: dict[int, list[str]] = field(default_factory=dict)  # sentence -> names

    def mentions(self, sentence: int) -> list[Mention]:
        return self.by_sentence.get(sentence, [])

    def add(self, mention: Mention) -> None:
        items = self.by_sentence.setdefault(mention.sentence, [])
        if not any(m.start == mention.start and m.end == mention.end and m.key == mention.key
                   for m in items):
            items.append(mention)
            items.sort(key=lambda m: (m.start, -m.end))

    def country_of(self, key: str) -> str | None:
        """The country of an agency key, a person key or a country code."""
        if key in self.agencies:
            return self.agencies[key].country
        if key in self.people:
            return self.people[key].country
        return key if re.fullmatch(r"[A-Z]{2}", key) else None
