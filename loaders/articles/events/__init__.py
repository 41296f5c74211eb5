"""Events in article sentences: talks, meetings, forums, visits, trainings and signings, with
their date, place, participants, topics and outcomes; announced ones are planned. Later
mentions ("the meeting", "at the talks") add to the event named before.

Modules: ``registry`` (``Event`` and what finding one needs), ``triggers`` (events a word
names), ``signings`` (events of signing statements), ``announcements`` (events announced);
this one reads an article's sentences with them, in order."""

from __future__ import annotations

import datetime as dt
import re

from loaders.articles.agreements.analysis import AgreementAnalysis
from loaders.articles.dates import DateMention, is_future_between, is_future_context
from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.entities.words import POST_WORDS
from loaders.articles.events.announcements import AnnouncedEvents
from loaders.articles.events.registry import CONDITIONAL, Event
from loaders.articles.events.separate import split_bilateral
from loaders.articles.events.signings import SigningEvents, common_prefix
from loaders.articles.events.triggers import TriggeredEvents
from loaders.articles.lexicon import lexicon
from loaders.articles.sentences import (
    Sentence,
    Spans,
    clause_end,
    clause_start,
    first_search,
    is_caption,
    search_before,
    search_between,
)

_TRIGGERS: list[tuple[str, re.Pattern]] = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("signing", r"\bsigning\s+ceremony\b"),
    ("talks", r"\b(?:(?:bilateral|official|high-level|trilateral)\s+)?(?:talks|negotiations)\b"),
    ("meeting", r"\b(?:(?:working|bilateral|official|joint|regular|annual|first|second|third|"
                r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+)*"
                r"(?:" + lexicon().event_pattern("meeting") + "|"
                r"(?:policy|strategic|high-level)\s+dialogue|(?-i:Dialogue))\b"),
    ("forum", r"\b(?:" + lexicon().event_pattern("forum") + r")\b"),
    ("meeting", r"\b(?:met|meet|meets)\b(?=\s+(?:with|in|on|at|again|to)\b|\s+[A-Z])"),
    ("visit", r"\b(?:(?:official|working|state|study)\s+)?(?:visit|trip)\b|\bvisited\b|"
              # "received the Director General of …", "received a delegation of …"
              r"\b(?:received|hosted|welcomed)\b(?=\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?"
              r"(?:delegation|"
              + "|".join(sorted(POST_WORDS, key=len, reverse=True)) + r")\b)"),
    ("training", r"\b(?:" + lexicon().event_pattern("training") + "|"
                 r"training\s+(?:course|session|programme|program)|(?<!of\s)(?<!the\s)course(?!\s+of\b)|"
                 # "a joint training on …", "a two-day training for …"; not "training centre"
                 r"(?:(?<=\ba\s)|joint\s+|[\w-]+-(?:day|week)\s+)training"
                 r"(?=\s+(?:on|for|in|of|at)\b))\b"),
    # "a joint enforcement operation", then "the operation": written as kind "other"
    ("operation", r"\b(?:joint|global|international|regional|co-?ordinated)\s+"
                  r"(?:[\w-]+\s+){0,2}operation\b|(?<=\b[Tt]he\s)operation\b"
                  r"(?!\s+of\b)"),
]]
_SIDELINES_OF = re.compile(r"(?i)\b(?:on|at)\s+the\s+(?:sidelines|margins?)\b")
_BILATERAL = re.compile(r"(?i)\bbilateral\b|\bbetween\b")
_WELCOME = re.compile(r"(?i)(?:received|hosted|welcomed)\b")
# What is only considered or offered, not held: "the possibility of holding a seminar",
# "invited a delegation to visit".
_HYPOTHETICAL = re.compile(r"(?i)\b(?:possibility|possibilities|prospects?|feasibility|idea|"
                           r"proposals?|options?)\s+(?:of|for)\s+(?:\w+\s+){0,3}$|"
                           r"\binvit(?:ed|es|ing|e)\b.{0,80}\bto\s+$")
_TAKING_PART = re.compile(r"(?i)\b(?:took\s+part|take\s+part|taking\s+part|participated|"
                          r"attended|joined)\b")
_SUMMARY_ITEM = re.compile(r"(?i)\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"eleven|twelve)\s+(?:of\s+(?:those|these|them)\s+)?(?:\w+\s+)?"
                           r"(?:events?|meetings?|forums?|visits?)\b")


class _EventFinder(TriggeredEvents, SigningEvents, AnnouncedEvents):
    """Finds the events of one article, sentence by sentence."""

    def sentence(self, sentence: Sentence) -> None:
        self._context_year(sentence)
        if is_caption(sentence.text):
            return
        if not CONDITIONAL.match(sentence.text):
            self._launches(sentence)
        if sentence.index in self.summary_sentences:
            return
        future = is_future_context(sentence.text)
        found = []
        taken = Spans()
        joint_spans = None
        for kind, pattern in _TRIGGERS if not CONDITIONAL.match(sentence.text) else []:
            for match in pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                if taken.covers(start):
                    continue
                if self.agreements.inside_title(sentence.index, start, start + 1) and \
                        not _HELD_AFTER.match(sentence.text, match.end()):
                    continue  # not "the minutes of their 12th meeting, held in X on …"
                if any(m.kind == "agency" for m in self.entities.overlapping(
                        sentence.index, start, start + 1)):
                    continue
                if joint_spans is None:
                    joint_spans = _joint_spans(sentence, self.entities)
                if any(start >= sentence.start + j.start() and start < sentence.start + j.end()
                       for j in joint_spans):
                    continue
                if search_before(_HYPOTHETICAL, sentence.text, match.start()):
                    continue
                if kind == "visit" and not self._real_visit(sentence, match):
                    continue
                if kind == "talks" and not self._real_talks(sentence, match):
                    continue
                found.append((start, sentence.start + match.end(), kind))
                taken.add(start, sentence.start + match.end())
        found.sort()
        if any(k != "visit" for _, _, k in found):  # "before the signing ceremony, the
            # chairman welcomed the ambassador": a welcome at that event, no visit of its own
            found = [f for f in found if not (f[2] == "visit" and _WELCOME.match(
                sentence.text, f[0] - sentence.start))]
        self._place_span = (-1, -1)
        place = self._place_in(sentence)
        for n, (start, end, kind) in enumerate(found):
            limit = found[n + 1][0] if n + 1 < len(found) else sentence.end
            at = start - sentence.start
            future_clause = is_future_between(sentence.text, clause_start(sentence.text, at),
                                              clause_end(sentence.text, at))
            self._trigger(sentence, start, end, kind, place, future_clause, limit)
        actions = [a for a in self.agreements.actions if a.sentence == sentence.index]
        for action in actions:
            self._signing(sentence, action, place, future, bool(found))
        if not found and not actions and future and not CONDITIONAL.match(sentence.text):
            self._announced(sentence)
        elif found or actions:
            self._announced_clauses(sentence, found)
        if not found and _TAKING_PART.search(sentence.text):
            self._taking_part(sentence)
        self._topics(sentence)

    def _context_year(self, sentence: Sentence) -> None:
        match = re.match(r"^(?:[A-Z][\w ]{0,25},\s*)?(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+"
                         r"((?:19|20)\d\d)\b", sentence.text)
        if match:
            self.context.year = match.group(1)


def _joint_spans(sentence: Sentence, entities: EntityAnalysis) -> list[re.Match]:
    spans = []
    for name in entities.joint_bodies.get(sentence.index, []):
        at = sentence.text.find(name)
        if at >= 0:
            spans.append(re.compile(re.escape(name)).search(sentence.text, at))
    return [s for s in spans if s]


def find_events(sentences: list[Sentence], entities: EntityAnalysis,
                agreements: AgreementAnalysis, dates: dict[int, list[DateMention]],
                published: dt.date | None, summary_sentences: set[int],
                pair: list[str] | None = None) -> list[Event]:
    """The events of an article, in the order the article first names them."""
    finder = _EventFinder(sentences, entities, agreements, dates, published, summary_sentences,
                          pair or [])
    for sentence in sentences:
        finder.sentence(sentence)
    for event in finder.events:
        if event.kind == "operation":
            event.kind = "other"
    _date_visits(finder.events)
    _span_days(finder.events, sentences)
    events = _signed_at_the_close(finder.events, sentences)
    _past_not_planned(events, published)
    _date_sideline_events(events, sentences)
    _without_bilateral_hosts(events, sentences, entities)
    events = _without_headline_only(_without_reported_signings(events, agreements))
    return split_bilateral(events, sentences, entities, dates)


# "the minutes of the 12th meeting, held in Tay Ninh on April 15-16": the meeting is told
_HELD_AFTER = re.compile(r"\s*,\s+(?:which\s+(?:was|were)\s+)?(?:held|convened|hosted)\s+"
                         r"(?:in|at|on|from)\b")
# "The document was signed at the close of the meeting", "signed … at the end of talks"
_SIGNED_AT_THE_CLOSE = re.compile(r"(?i)\b(?:signed|inked)\s+(?:[^.;]{0,200}?\s)?(?:at|during)\s+"
                                  r"the\s+(?:close|end|conclusion|closing\s+session)\s+of\b")


def _signed_at_the_close(events: list[Event], sentences: list[Sentence]) -> list[Event]:
    """"X and Y signed an addendum on 3 July", then "The document was signed at the close of
    the meeting …": the document is the meeting's (talks', forum's) outcome, not a signing of
    its own; the signing's day is the last of the meeting when the meeting has no days that
    hold it (one dated by a report: "…, the office said on Monday")."""
    by_index = {s.index: s for s in sentences}
    dropped: set[int] = set()
    for host in events:
        sentence = by_index.get(host.sentence)
        if host.kind not in ("meeting", "talks", "forum") or host.planned or \
                not host.outcomes or sentence is None or \
                not first_search(_SIGNED_AT_THE_CLOSE, sentence.text):
            continue
        for signing in events:
            if signing.kind != "signing" or signing.planned or not signing.outcomes or \
                    id(signing) in dropped or not set(signing.outcomes) <= set(host.outcomes):
                continue
            day = (signing.date_value or "").split("/")[-1]
            days = (host.date_value or "").split("/")
            if day and len(day) == 10 and (not host.date_value or len(days) == 1 and
                                           len(days[0]) == 10 and days[0] > day):
                host.date_value, host.date = signing.date_value, signing.date
                host.date_text = signing.date_text
            elif day and host.date_value and not days[0][:len(day)] <= day <= \
                    days[-1] + "\uffff":
                continue  # signed on a day the meeting does not hold: not at its close
            host.place = host.place or signing.place
            host.add_participants(signing.participants)
            dropped.add(id(signing))
    return [e for e in events if id(e) not in dropped]


def _past_not_planned(events: list[Event], published: dt.date | None) -> None:
    """"agreed to open the checkpoint from July 1 at the meeting held on Monday": an event
    whose days all lie before the publication date is no announced one."""
    if published is None:
        return
    for event in events:
        last = (event.date_value or "").split("/")[-1]
        if event.planned and len(last) == 10 and last < published.isoformat():
            event.planned = event.announced = False


def _without_headline_only(events: list[Event]) -> list[Event]:
    """"UK and Switzerland sign agreement": a headline restates the body's event; undated
    and told by the headline only, it is none of its own when the body tells any."""
    body = [e for e in events if e.sentences != [0]]
    if not body:
        return events
    return [e for e in events if e.sentences != [0] or e.date_value or e.planned]


def _without_reported_signings(events: list[Event], agreements: AgreementAnalysis
                               ) -> list[Event]:
    """"Have signed a deal, X announced on Wednesday", then "the accord was signed on Monday
    at the close of the talks": the signing dated by the report is the talks' outcome, not an
    event of its own."""
    kept = []
    for event in events:
        if event.kind == "signing" and not event.planned and event.outcomes and \
                event.date_value and all(_signed_elsewhere(key, event, events, agreements)
                                         for key in event.outcomes):
            continue
        kept.append(event)
    return kept


def _signed_elsewhere(key: str, signing: Event, events: list[Event],
                      agreements: AgreementAnalysis) -> bool:
    agreement = agreements.agreements.get(key)
    if agreement is None or agreement.signed is None or not agreement.signed.value:
        return False
    signed = agreement.signed.value.split("/")[0]
    day = (signing.date_value or "").split("/")[0]
    if day.startswith(signed) or signed.startswith(day):
        return False
    return any(e is not signing and not e.planned and key in e.outcomes for e in events)


def _without_bilateral_hosts(events: list[Event], sentences: list[Sentence],
                             entities: EntityAnalysis) -> None:
    """"The WCO hosted a bilateral meeting between X and Y": an international organisation
    hosting or reporting a meeting of two others is no participant of it."""
    by_index = {s.index: s for s in sentences}
    for event in events:
        sentence = by_index.get(event.sentence)
        if sentence is None or not _told_bilateral(sentence.text, event.trigger):
            continue
        hosts = [p for p in event.participants if p in entities.agencies and
                 entities.agencies[p].kind == "international"]
        if hosts and len(event.participants) - len(hosts) >= 2:
            event.participants = [p for p in event.participants if p not in hosts]


def _told_bilateral(text: str, trigger: str) -> bool:
    """"a bilateral meeting", "a meeting between X and Y"; not "… between the OCO and NZ" of
    an arrangement signed at a conference."""
    at = text.find(trigger) if trigger else -1
    if at < 0:
        return bool(_BILATERAL.search(text))
    return bool(re.search(r"(?i)\bbilateral\b", text[max(0, at - 30):at + len(trigger)]) or
                re.match(r"(?i)\s+(?:\w+\s+){0,3}?between\b", text[at + len(trigger):]))


# "During the visit, the delegation also held talks with …": within the event told before
_DURING_THE = re.compile(r"(?i)\s*(?:during|in\s+the\s+course\s+of)\s+the\s+(?P<noun>visit|"
                         r"meeting|talks|session|forum|conference)\b")


def _date_sideline_events(events: list[Event], sentences: list[Sentence]) -> None:
    """"On the sidelines, X held bilateral talks with …", "During the visit, X also held
    talks with …": an undated event on the sidelines of (or during) the meeting or visit told
    before is dated by it (to what its days share)."""
    by_index = {s.index: s for s in sentences}
    for n, event in enumerate(events):
        sentence = by_index.get(event.sentence)
        if event.date_value or event.planned or sentence is None:
            continue
        during = _DURING_THE.match(sentence.text)
        if during is None and not first_search(_SIDELINES_OF, sentence.text):
            continue
        kinds = ("visit",) if during and during.group("noun").lower() == "visit" else \
            ("meeting", "forum", "visit", "talks")
        host = next((e for e in reversed(events[:n]) if not e.planned and e.date_value and
                     e.kind in kinds), None)
        if host is not None:
            event.date_value = common_prefix(host.date_value)


_DAYS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_DURATION = re.compile(r"(?i)\b(?P<n>two|three|four|five|[2-5])(?:-|\s+)days?(?:[-\s]long)?\s+"
                       r"(?:of\s+)?(?P<noun>(?:[\w-]+\s+){0,2}[\w-]+)")
_EVENT_NOUNS = {"talks", "negotiations", "visit", "training", "meetings", "consultations",
                "sessions", *(n.noun for n in lexicon().events)}
_AT_THE_END = re.compile(r"(?i)\b(?:close|end|conclusion|last\s+day|final\s+day)\s+of\s+"
                         r"(?:the\s+|a\s+|their\s+)?$")
_ENDED = re.compile(r"(?i)\b(?:ended|concluded|closed|wrapped\s+up)\b")


def _span_days(events: list[Event], sentences: list[Sentence]) -> None:
    """"at the close of two days of talks" on Monday: Sunday to Monday; "a two-day visit"
    from Monday: Monday to Tuesday. An event dated to one day whose sentence gives its
    length in days spans them, ending on that day when the sentence tells its end."""
    by_index = {s.index: s for s in sentences}
    per_sentence: dict[int, int] = {}
    for event in events:
        for index in event.sentences:
            per_sentence[index] = per_sentence.get(index, 0) + 1
    lengths: dict[int, list[re.Match[str]]] = {}  # a sentence's lengths in days, found once
    for event in events:
        date = event.date
        if date is None or not date.value or "/" in date.value or date.precision != "day" or \
                event.date_value != date.value or not event.trigger or event.kind == "signing":
            continue  # a signing is a moment, not the days of the talks it closed
        nouns = {event.trigger.split()[-1].lower()}
        for index in event.sentences:
            if per_sentence.get(index) == 1:  # its sentence's only event
                nouns |= _EVENT_NOUNS
            sentence = by_index.get(index)
            if sentence is not None and index not in lengths:
                lengths[index] = list(_DURATION.finditer(sentence.text))
            match = sentence and next((m for m in lengths[index] if any(  # "two-day working
                w in nouns for w in m.group("noun").lower().split())), None)  # visit"
            if not match:
                continue
            days = _DAYS[match.group("n").lower()] - 1
            day = dt.date.fromisoformat(date.value)
            text = sentence.text
            if _AT_THE_END.search(text[max(0, match.start() - 40):match.start()]) or \
                    search_between(_ENDED, text, match.end(), len(text)):
                first, last = day - dt.timedelta(days=days), day
            else:
                first, last = day, day + dt.timedelta(days=days)
            event.date_value = f"{first.isoformat()}/{last.isoformat()}"
            break


def _date_visits(events: list[Event]) -> None:
    """"During his visit to Washington …" after "signed … in Washington on April 9": an
    undated visit is dated by what happened at its place during it (to the month)."""
    for visit in events:
        if visit.kind != "visit" or visit.date_value or visit.planned or not visit.place:
            continue
        within = next((e for e in events if e is not visit and not e.planned and
                       e.place == visit.place and e.date_value), None)
        if within is not None:
            visit.date_value = within.date_value.split("/")[0][:7]


def is_summary_sentence(sentence: Sentence) -> bool:
    """True when a sentence counts events ("5 events with …", "9 of those meetings")."""
    return bool(_SUMMARY_ITEM.search(sentence.text))
