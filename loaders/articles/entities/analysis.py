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
    # the analysis whose name index holds it, told when its names change
    index: EntityAnalysis | None = field(default=None, repr=False, compare=False)

    def __setattr__(self, attr: str, value: object) -> None:
        object.__setattr__(self, attr, value)
        if attr == "name" and self.__dict__.get("index") is not None:
            self.index.index_names(self)

    def normalised_names(self) -> tuple[str, ...]:
        """The normalised forms of its name and aliases, in that order (aliases are only
        added, so they are worked out again when the name or the count changes)."""
        cached = self.__dict__.get("_normalised")
        if cached is None or cached[0] != (self.name, len(self.aliases)):
            cached = ((self.name, len(self.aliases)),
                      tuple(normalise_name(n) for n in [self.name, *self.aliases]))
            object.__setattr__(self, "_normalised", cached)
        return cached[1]

    def add_alias(self, text: str) -> None:
        text = " ".join(text.split())
        if text and normalise_name(text) not in self.normalised_names():
            self.aliases.append(text)
            if self.index is not None:
                self.index.index_names(self)


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
    # agencies by the normalised forms of their names, the words in them and the part before
    # each " of " ("state revenue committee" of "state revenue committee of x"), each with the
    # order it was added in: a new name is looked up, not compared with every agency's
    _by_name: dict[str, list[AgencyEntity]] = field(default_factory=dict, repr=False)
    _by_word: dict[str, list[AgencyEntity]] = field(default_factory=dict, repr=False)
    _by_head: dict[str, list[AgencyEntity]] = field(default_factory=dict, repr=False)
    _indexed: dict[int, tuple[int, set[str]]] = field(default_factory=dict, repr=False)
    _synced: tuple[int, int] = (0, 0)  # len(agencies) and id of the last one, when indexed

    def add_agency(self, entity: AgencyEntity) -> None:
        """Adds an agency (after those added before) and indexes its names."""
        self._sync()
        self.agencies[entity.key] = entity
        self.index_names(entity)
        self._synced = self._state()

    def index_names(self, entity: AgencyEntity) -> None:
        """Indexes the names ``entity`` has now; the index only grows, so that a name it
        lost is filtered out where it is looked up."""
        if entity.index is not self:
            object.__setattr__(entity, "index", self)
        order, done = self._indexed.setdefault(id(entity), (len(self._indexed), set()))
        for norm in entity.normalised_names():
            if norm in done:
                continue
            done.add(norm)
            self._by_name.setdefault(norm, []).append(entity)
            for word in set(norm.split()):
                self._by_word.setdefault(word, []).append(entity)
            at = norm.find(" of ")
            while at >= 0:
                self._by_head.setdefault(norm[:at], []).append(entity)
                at = norm.find(" of ", at + 1)

    def _state(self) -> tuple[int, int]:
        return len(self.agencies), id(next(reversed(self.agencies.values()), None))

    def _sync(self) -> None:
        """Indexes the agencies put in ``agencies`` by hand since the last look."""
        if self._synced != self._state():
            for entity in list(self.agencies.values()):
                if id(entity) not in self._indexed:
                    self.index_names(entity)
            self._synced = self._state()

    def _live(self, candidates: list[AgencyEntity]) -> list[AgencyEntity]:
        """The candidates still among the agencies, once each, in the order they were added."""
        live = {id(e): e for e in candidates if self.agencies.get(e.key) is e}
        return sorted(live.values(), key=lambda e: self._indexed[id(e)][0])

    def named(self, norm: str) -> list[AgencyEntity]:
        """The agencies with a name whose normalised form is ``norm``, in order."""
        self._sync()
        return [e for e in self._live(self._by_name.get(norm, []))
                if norm in e.normalised_names()]

    def named_before_of(self, norm: str) -> list[AgencyEntity]:
        """The agencies with a name "``norm`` of …", in order."""
        self._sync()
        return [e for e in self._live(self._by_head.get(norm, []))
                if any(n.startswith(norm + " of ") for n in e.normalised_names())]

    def with_words(self, words: set[str]) -> list[AgencyEntity]:
        """The agencies with a name holding all these (normalised, at least one) words, in
        order."""
        self._sync()
        rarest = min((self._by_word.get(w, []) for w in words), key=len)
        return [e for e in self._live(rarest)
                if any(words <= set(n.split()) for n in e.normalised_names())]

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
