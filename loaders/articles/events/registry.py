"""The events of an article found so far, and what every way of finding one needs: its
participants from a sentence's mentions, its place, its date resolved."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from graph.names import normalise_name
from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.dates import DateMention
from loaders.articles.entities.analysis import EntityAnalysis, Mention
from loaders.articles.entities.words import ORG_HEADS, POST_WORDS
from loaders.articles.sentences import Sentence

_ONGOING = re.compile(r"(?i)\b(?:is|are)\s+(?:on|paying|making|currently)\b|\bis\s+visiting\b")
_PLACE = re.compile(
    r"(?:\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]*['’]s\s+(?:capital\s+)?(?:city\s+)?of\s+)?"
    r"|\bvisit(?:ed)?\s+to\s+(?:the\s+)?|\bvisited\s+(?:the\s+)?)"
    r"(?P<place>[A-Z][\w’'.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'.-]*){0,3})")
CONDITIONAL = re.compile(r"(?i)^(?:if|should|unless|provided\s+that)\b")
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

    def add_participants(self, keys: list[str]) -> None:
        for key in keys:
            if key not in self.participants:
                self.participants.append(key)


@dataclass
class _Context:
    year: str | None = None  # "In 2019, …" sets the year of the undated events that follow
    current: Event | None = None


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

    def _participants(self, sentence: Sentence, start: int | None = None,
                      end: int | None = None) -> list[str]:
        mentions = self.entities.mentions(sentence.index)
        keys: list[str] = []
        for mention in mentions:
            if start is not None and not (start <= mention.start < (end or 10**9)):
                continue
            if self._place_span[0] <= mention.start < self._place_span[1] and \
                    mention.kind == "country":
                continue
            if mention.role in ("inside", "locative") or self.agreements.inside_title(
                    sentence.index, mention.start, mention.end):
                continue
            if any(o is not mention and o.kind == "agency" and o.start <= mention.start and
                   mention.end <= o.end and (o.end - o.start) > (mention.end - mention.start)
                   for o in mentions):
                continue
            key = self._key(mention)
            if key and key not in keys:
                keys.append(key)
        return keys

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
            if words and _EVENT_NAME_END.match(words[-1]):
                continue  # "took part in the Oman Logistics Forum": an event, no place
            if words:
                self._place_span = (sentence.start + match.start(), sentence.start +
                                    match.end("place"))
                return " ".join(words)
        return None

    def _resolve(self, event: Event, date: DateMention | None, sentence: Sentence) -> None:
        if date is not None:
            value = date.value
            if date.kind == "anaphoric":
                value = self._anaphoric_value()
            event.date = date
            event.date_value = value
            prefix = re.search(r"(?i)\b(on|in|from|since|until|by|during|at)\s+$",
                               sentence.text[:date.start - sentence.start])
            words = (prefix.group(1) + " " if prefix else "") + date.text
            if date.kind in ("relative", "anaphoric") or value is None or date.open_end:
                event.date_text = words
        elif _ONGOING.search(sentence.text) and self.published:
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
        return a[:n] == b[:n]
