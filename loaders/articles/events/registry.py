"""The events of an article found so far, and what every way of finding one needs: its
participants from a sentence's mentions, its place, its date resolved."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field

from graph.names import normalise_name
from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.dates import DateMention, anaphoric_shift
from loaders.articles.entities.analysis import EntityAnalysis, Mention
from loaders.articles.entities.words import ORG_HEADS, POST_WORDS
from loaders.articles.gazetteer import gazetteer
from loaders.articles.sentences import Sentence, first_search, search_before

_ONGOING = re.compile(r"(?i)\b(?:is|are)\s+(?:on|paying|making|currently)\b|\bis\s+visiting\b")
_PLACE = re.compile(
    r"(?:\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]*['’]s\s+(?:capital\s+)?(?:city\s+)?of\s+)?"
    r"|\bvisit(?:ed)?\s+to\s+(?:the\s+)?|\bvisited\s+(?:the\s+)?)"
    r"(?P<place>[A-Z][\w’'.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'.-]*){0,3})")
CONDITIONAL = re.compile(r"(?i)^(?:if|should|unless|provided\s+that)\b")
_EVENT_NAME_START = re.compile(r"(?:Operation|Exercise|Project|Programme|Program)$")
_EVENT_NAME_END = re.compile(r"(?:Forum|Conference|Summit|Meeting|Session|Exhibition|Expo|"
                             r"Week|Symposium|Seminar|Workshop|Dialogue)$")


@dataclass
class Event:
    """An event the article reports or announces."""

    kind: str
    sentence: int
    date: DateMention | None = None
    date_value: str | None = None
    date_text: str | None = None
    place: str | None = None
    participants: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # agreement keys
    planned: bool = False
    announced: bool = False  # told in the future tense ("will be held"), not only dated ahead
    sentences: list[int] = field(default_factory=list)
    confidence: float = 0.6
    trigger: str = ""
    within: str | None = None  # a signing's: the kind of the event it took place within

    def add_participants(self, keys: list[str]) -> None:
        """Adds the keys it does not have yet, in order (one set lookup each: an event of a
        long sentence may have thousands)."""
        if not self.participants:
            self.participants.extend(dict.fromkeys(keys))
            return
        present = set(self.participants)
        self.participants.extend([k for k in dict.fromkeys(keys) if k not in present])


@dataclass
class _Context:
    year: str | None = None  # "In 2019, …" sets the year of the undated events that follow
    current: Event | None = None


_COUNTRY_AFTER = re.compile(r",\s+(?:the\s+)?(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})")


def _start_of(mention: Mention) -> int:
    return mention.start


def covered_mentions(mentions: list[Mention]) -> set[int]:
    """The ids of the mentions inside a longer agency mention (starting no later and ending
    no sooner, with another span)."""
    agencies = sorted((m.start, -m.end) for m in mentions if m.kind == "agency")
    starts = [a for a, _ in agencies]
    best_end: list[int] = []  # the furthest end of the agencies up to each, in start order
    for _, negative_end in agencies:
        best_end.append(max(-negative_end, best_end[-1] if best_end else -1))
    covered = set()
    for mention in mentions:
        before = bisect.bisect_left(starts, mention.start)  # agencies starting earlier
        if before and best_end[before - 1] >= mention.end:
            covered.add(id(mention))
            continue
        same = bisect.bisect_right(starts, mention.start)  # or at the same place, longer
        if same > before and -agencies[before][1] > mention.end:
            covered.add(id(mention))
    return covered


class EventRegistry:
    """The events of one article found so far; the finder's parts are subclasses of this."""

    def __init__(self, sentences: list[Sentence], entities: EntityAnalysis,
                 agreements: AgreementAnalysis, dates: dict[int, list[DateMention]],
                 published: dt.date | None, summary_sentences: set[int],
                 pair: list[str]) -> None:
        self.pair = pair
        self.sentences = sentences
        self.entities = entities
        self.agreements = agreements
        self.dates = dates
        self.published = published
        self.summary_sentences = summary_sentences
        self.events: list[Event] = []
        self.context = _Context()
        self.last_person: str | None = None
        self._place_span: tuple[int, int] = (-1, -1)
        used = set()
        for agreement in agreements.agreements.values():
            for date in (agreement.signed, agreement.in_force, agreement.valid):
                if date is not None:
                    used.add((date.start, date.end))
        self.used_dates = used
        self._covered_cache: dict[int, tuple[tuple[int, int], set[int]]] = {}
        self._whole_cache: dict[tuple[int, int, tuple[int, int]],
                                tuple[list[str], str | None]] = {}

    def _participants(self, sentence: Sentence, start: int | None = None,
                      end: int | None = None) -> list[str]:
        """The participants a sentence (or its part from ``start`` to ``end``) names, in
        order: agencies, countries and people's organisations, less those inside a longer
        name, an agreement's title or the place. A whole sentence's are found once (for a
        place span) and replayed, so that each trigger of a long sentence does not rescan it."""
        mentions = self.entities.mentions(sentence.index)
        if start is None:
            cache_key = (sentence.index, len(mentions), self._place_span)
            cached = self._whole_cache.get(cache_key)
            if cached is None:
                before = self.last_person
                self.last_person = None
                keys = self._participants_of(sentence, mentions)
                cached = (keys, self.last_person)
                self._whole_cache[cache_key] = cached
                self.last_person = before
            if cached[1] is not None:
                self.last_person = cached[1]
            return list(cached[0])
        stop = end or 10**9
        first = bisect.bisect_left(mentions, start, key=_start_of)
        last = bisect.bisect_left(mentions, stop, key=_start_of)
        return self._participants_of(sentence, mentions[first:last])

    def _participants_of(self, sentence: Sentence, mentions: list[Mention]) -> list[str]:
        covered = self._covered(sentence.index, self.entities.mentions(sentence.index))
        keys: list[str] = []
        seen: set[str] = set()
        for mention in mentions:
            if self._place_span[0] <= mention.start < self._place_span[1] and \
                    mention.kind == "country":
                continue
            if mention.role in ("inside", "locative") or self.agreements.inside_title(
                    sentence.index, mention.start, mention.end):
                continue
            if id(mention) in covered:
                continue
            key = self._key(mention)
            if key and key not in seen:
                seen.add(key)
                keys.append(key)
        return keys

    def _covered(self, index: int, mentions: list[Mention]) -> set[int]:
        """The ids of the mentions of a sentence that lie inside a longer agency's ("Customs"
        in "Japan Customs"), found once per sentence in one pass over the sorted mentions."""
        cache_key = (index, len(mentions))
        if self._covered_cache.get(index, (None,))[0] != cache_key:
            self._covered_cache[index] = (cache_key, covered_mentions(mentions))
        return self._covered_cache[index][1]

    def _key(self, mention: Mention) -> str | None:
        if mention.kind == "person":
            self.last_person = mention.key
            person = self.entities.people.get(mention.key)
            return person.organisation if person else None
        return mention.key

    def _place_in(self, sentence: Sentence) -> str | None:
        for match in _PLACE.finditer(sentence.text):
            place = match.group("place")
            start = sentence.start + match.start("place")
            if any(d.start <= start < d.end for d in self.dates.get(sentence.index, [])):
                continue
            covering = [m for m in self.entities.mentions(sentence.index)
                        if m.start <= start < m.end and m.kind in ("agency", "person")]
            if covering or self.agreements.inside_title(sentence.index, start, start + 1):
                continue  # "in Customs Matters" of an agreement's title is no place
            if re.match(r"['’]s\b", sentence.text[match.end("place"):]):
                continue
            place = place.rstrip(".,")
            words = place.split()
            if normalise_name(words[0]) in POST_WORDS or normalise_name(words[-1]) in ORG_HEADS:
                continue
            while words and words[-1] in {"On", "In", "At", "The"}:
                words.pop()
            if words and (_EVENT_NAME_END.match(words[-1]) or _EVENT_NAME_START.match(words[0])):
                continue  # "took part in the Oman Logistics Forum": an event, no place
            if words:
                end = match.end("place")
                country = _COUNTRY_AFTER.match(sentence.text, end)
                if country and normalise_name(country.group("name")) in gazetteer().countries:
                    end = country.end()  # "in Lomé, Togo": Togo is the place's, no participant
                self._place_span = (sentence.start + match.start(), sentence.start + end)
                return " ".join(words)
        return None

    def _resolve(self, event: Event, date: DateMention | None, sentence: Sentence) -> None:
        if date is not None:
            value = date.value
            if date.kind == "anaphoric" and (not date.value or not anaphoric_shift(date.text)):
                value = self._anaphoric_value()  # "that day": the last event's
            event.date = date
            event.date_value = value
            prefix = search_before(r"(?i)\b(on|in|from|since|until|by|during|at)\s+$",
                                   sentence.text, date.start - sentence.start)
            words = (prefix.group(1) + " " if prefix else "") + date.text
            if date.kind in ("relative", "anaphoric") or value is None or date.open_end:
                event.date_text = words
        elif self.published and first_search(_ONGOING, sentence.text):
            event.date_value = self.published.isoformat()
            event.date_text = "at the time of publication"

    def _anaphoric_value(self) -> str | None:
        for event in reversed(self.events):
            if event.date_value:
                return event.date_value
        return None

    @staticmethod
    def _dates_agree(event: Event, date: DateMention | None) -> bool:
        if date is None or date.value is None or event.date_value is None:
            return True
        a, b = event.date_value.split("/")[0], date.value.split("/")[0]
        n = min(len(a), len(b))
        if a[:n] == b[:n]:
            return True
        # "at their meeting on Thursday (6 November)", then "The meeting, held on November
        # 5-6": the days overlap
        a_end, b_end = event.date_value.split("/")[-1], date.value.split("/")[-1]
        return a[:n] <= b_end[:n] and b[:n] <= a_end[:n]
