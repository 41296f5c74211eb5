"""Bilateral events with several counterparts: "held bilateral talks with the delegations of
A and B", "met separately with A and B" are one event per counterpart, each between the
subject and that counterpart."""

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


def split_bilateral(events: list[Event], sentences: list[Sentence],
                    entities: EntityAnalysis,
                    dates: dict[int, list[DateMention]] | None = None) -> list[Event]:
    """The events, those held bilaterally with several counterparts one per counterpart;
    "with A on Sunday, and with B a day later": each on its own date."""
    by_index = {s.index: s for s in sentences}
    result: list[Event] = []
    for event in events:
        result.extend(_split(event, by_index.get(event.sentence), entities,
                             (dates or {}).get(event.sentence, [])) or [event])
    return result


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
