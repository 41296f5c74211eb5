"""Bilateral events with several counterparts: "held bilateral talks with the delegations of
A and B", "met separately with A and B" are one event per counterpart, each between the
subject and that counterpart; counted events with as many places ("two rounds of talks, in A
and in B") are one event per place."""

from __future__ import annotations

import copy
import re

from loaders.articles.dates import DateMention
from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.events.registry import Event
from loaders.articles.sentences import Sentence, clause_end, clause_start

_TOPIC = re.compile(r"(?i)[,;]?\s+(?:on|about|regarding|concerning)\s+(?:the|a|an|their|its|"
                    r"ways|issues|matters)\b")
_SEPARATE = re.compile(r"(?i)\b(?:bilateral|separate|individual)\s+(?:[\w-]+\s+)?$")
_SEPARATELY = re.compile(r"(?i)^\s+separately\b")
_WITH = re.compile(r"(?i)^(?:\s+separately)?\s+with\b")
_PLACE_NAME = r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}"
# ", in Abidjan and in Takoradi", " in Baku, Tbilisi and Astana"
_PLACES = re.compile(rf"^,?\s+in\s+(?P<list>{_PLACE_NAME}(?:,\s+(?:in\s+)?{_PLACE_NAME})*"
                     rf",?\s+and\s+(?:in\s+)?{_PLACE_NAME})")
_COUNTED = re.compile(r"(?i)\b(?P<n>two|three|four|five|[2-5])\s+(?:[\w-]+\s+)?"
                      r"(?:rounds?\s+of\s+(?:[\w-]+\s+)?)?$")
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}


def listed_places(text: str) -> list[str]:
    """The places a list right at the start of ``text`` names (", in A and in B"), or []."""
    match = _PLACES.match(text)
    if match is None:
        return []
    return [re.sub(r"^in\s+", "", part.strip()) for part in
            re.split(r",\s*(?:and\s+)?|\s+and\s+", match.group("list")) if part.strip()]


def counted_places(text: str, at: int, end: int) -> list[str]:
    """"two rounds of technical talks, in A and in B" (the event noun from ``at`` to
    ``end``): the places, when as many as the count; else []."""
    count = _COUNTED.search(text[max(0, at - 60):at])
    if count is None:
        return []
    number = count.group("n").lower()
    places = listed_places(text[end:])
    return places if len(places) == _COUNTS.get(number, int(number) if number.isdigit()
                                                 else 0) else []


def split_bilateral(events: list[Event], sentences: list[Sentence],
                    entities: EntityAnalysis,
                    dates: dict[int, list[DateMention]] | None = None) -> list[Event]:
    """The events, those held bilaterally with several counterparts one per counterpart;
    "with A on Sunday, and with B a day later": each on its own date."""
    by_index = {s.index: s for s in sentences}
    result: list[Event] = []
    for event in events:
        sentence = by_index.get(event.sentence)
        result.extend(_split(event, sentence, entities, (dates or {}).get(event.sentence, []))
                      or _split_places(event, sentence) or [event])
    return result


def _split_places(event: Event, sentence: Sentence | None) -> list[Event] | None:
    """"held two rounds of technical talks, in Abidjan and in Takoradi": one per place."""
    if sentence is None or not event.trigger:
        return None
    at = sentence.text.find(event.trigger)
    if at < 0:
        return None
    places = counted_places(sentence.text, at, at + len(event.trigger))
    if not places:
        return None
    events = []
    for place in places:
        one = copy.copy(event)
        one.place = place
        one.participants = list(event.participants)
        one.topics = list(event.topics)
        one.outcomes = list(event.outcomes)
        one.sentences = list(event.sentences)
        events.append(one)
    return events


def _split(event: Event, sentence: Sentence | None, entities: EntityAnalysis,
           dates: list[DateMention]) -> list[Event] | None:
    if sentence is None or event.kind not in ("talks", "meeting") or not event.trigger:
        return None
    at = sentence.text.find(event.trigger)
    if at < 0:
        return None
    end = at + len(event.trigger)
    before = sentence.text[max(0, at - 30):at]
    bilateral = _SEPARATE.search(before) or re.match(r"(?i)(?:bilateral|separate)\b",
                                                     event.trigger)
    if not (bilateral or _SEPARATELY.match(sentence.text[end:])):
        return None
    if not _WITH.match(sentence.text[end:]):
        return None
    stop = sentence.start + clause_end(sentence.text, end)
    topic = _TOPIC.search(sentence.text, end)  # "… on the operation of the GCC link"
    if topic is not None:
        stop = min(stop, sentence.start + topic.start())
    counterparts: list[str] = []
    starts: dict[str, int] = {}
    for mention in entities.mentions(sentence.index):
        if sentence.start + end <= mention.start < stop and mention.kind in (
                "country", "agency") and mention.role != "inside" and \
                mention.key in event.participants:
            country = entities.country_of(mention.key)
            if all(entities.country_of(k) != country or country is None
                   for k in counterparts) and mention.key not in counterparts:
                counterparts.append(mention.key)
                starts[mention.key] = mention.start
    subject = [p for p in event.participants if p not in counterparts and
               entities.country_of(p) not in {entities.country_of(c) for c in counterparts}]
    for start in (sentence.text.rfind(",", 0, at) + 1, clause_start(sentence.text, at)):
        named = [m.key for m in entities.mentions(sentence.index)
                 if sentence.start + start <= m.start < sentence.start + at and m.key in subject]
        if named:  # the subject of its clause: "…, and X held talks"
            subject = list(dict.fromkeys(named))
            break
    if len(counterparts) < 2 or not subject:
        return None
    events = []
    bounds = [starts[c] for c in counterparts] + [stop]
    for n, counterpart in enumerate(counterparts):
        one = copy.copy(event)
        one.participants = [*subject, counterpart]
        own = next((d for d in dates if bounds[n] < d.start < bounds[n + 1] and d.value), None)
        if own is not None and n > 0:  # "…, and with B a day later"
            one.date, one.date_value, one.date_text = own, own.value, own.text
        one.topics = list(event.topics)
        one.outcomes = list(event.outcomes)
        one.sentences = list(event.sentences)
        events.append(one)
    return events
