"""Events a word names ("talks", "the meeting", "a working visit", "received the Director
General of …"): a new event or more of one told before, with the participants the sentence
names; what the parties discussed and who else took part."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from loaders.articles.dates import DateMention, is_future_between
from loaders.articles.events.registry import Event, EventRegistry
from loaders.articles.events.separate import counted_places
from loaders.articles.sentences import (
    Sentence,
    clause_end,
    clause_start,
    first_search,
    search_before,
    search_between,
)

# "the meeting", "the committee's meeting", "the Authority's annual meeting"
_DEFINITE = re.compile(r"(?i)\b(?:the|this|that|these|its|their|his|her)\s+"
                       r"(?:[\w-]+(?:['’]s)?\s+){0,2}$")
_INDEFINITE = re.compile(r"(?i)\b(?:a|an|another)\s+(?:\w+\s+){0,2}$")
_HELD = re.compile(r"(?i)\b(?:held|hold|holds|holding|conducted|organi[sz]ed|hosted|took\s+place|"
                   r"takes\s+place|was\s+held|were\s+held|ended|opened|attended|chaired|"
                   r"during|at|sidelines|margins?)\b")
_TOPIC = re.compile(r"(?i)\b(?:discussed|reviewed|exchanged\s+views\s+on|focused\s+on|"
                    r"talked\s+about|addressed)\s+(?P<what>[^.;]+)|"
                    r"\b(?:issues|questions|matters)\s+of\s+(?P<what2>[^.;]+?)\s+(?:were|was)\s+"
                    r"discussed")


def _date_start(date: DateMention) -> int:
    return date.start


# "a visit of <guest> to <host>": up to the date, the next clause or the sentence's end
_OF_TO = re.compile(r"\s+(?:by|of)\s+[^,;.]{3,120}?\s+to\s+[^,;]{3,120}?"
                    r"(?=\s+(?:on|in|from|during)\s+\d|\s+(?:on|in)\s+[A-Z][a-z]+\s+\d|[,;]|\.\s|\.$|$)")


# "the 14th meeting of the working group, held in Ulaanbaatar on Monday": its own date
_NUMBERED = re.compile(r"(?i)(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                       r"tenth|next|\d+(?:st|nd|rd|th))\b")
_HELD_ON = re.compile(r"(?i),\s+(?:which\s+(?:was\s+|[A-Z][\w-]*\s+)?)?(?:held|hosted|"
                      r"realized|realised|organi[sz]ed|convened|took\s+place)\s+"
                      r"(?:in|at|on|the|from)\b")

# "… in 2027." a year that ends the sentence
_ENDS_IN_YEAR = re.compile(r"(?i)in\s(?:19|20)\d\d\s*[.;]?\s*$")
_ORDINAL = re.compile(r"(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                      r"next|\d+(?:st|nd|rd|th))\s+(?:[\w-]+\s+){0,2}$")


_DAYS_LONG = re.compile(r"(?i)\b(?P<n>two|three|four|five|[2-5])[-\s]day\s+(?:[\w-]+\s+)?$")


def _over_days(text: str, at: int, date: DateMention, told: Event) -> DateMention:
    """"The two-day forum, which opened on Tuesday" after a signing at the forum on
    Wednesday: the forum's days from Tuesday, which hold the day told; else ``date``."""
    length = _DAYS_LONG.search(text[max(0, at - 30):at])
    value = told.date_value or ""
    if length is None or date.precision != "day" or not date.value or "/" in date.value or \
            len(value) != 10 or "/" in value:
        return date
    first = dt.date.fromisoformat(date.value)
    last = first + dt.timedelta(days={"two": 2, "three": 3, "four": 4, "five": 5}.get(
        length.group("n").lower(), int(length.group("n")) if length.group("n").isdigit()
        else 1) - 1)
    if not first.isoformat() <= value <= last.isoformat():
        return date
    return DateMention(date.start, date.end, date.text, f"{first.isoformat()}/"
                       f"{last.isoformat()}", date.kind)


def _ordinal(text: str, at: int) -> str | None:
    """The ordinal that numbers the event named at ``at`` ("the 61st meeting", "the third
    joint meeting"), within its trigger or just before it; lower case."""
    match = _ORDINAL.search(text[max(0, at - 40):at]) or re.match(
        r"(?i)(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|next|"
        r"\d+(?:st|nd|rd|th))\b", text[at:])
    return match.group(1).lower() if match else None


# "launched a joint pilot at the crossing in March", "the green channel was launched on
# Monday": an operation that starts is an event (kind other); a plan launched is validity
# "since 2019, when the two countries launched …": the year the "when" clause is of
_YEAR_WHEN = re.compile(r"(?i)\b(?:in|since)\s+(?P<year>(?:19|20)\d\d),\s+when\s+[^,;]{0,80}$")
_LAUNCHED = re.compile(
    r"(?i)\blaunched\s+(?:an?|the|their|its)\s+(?:[\w\"“”'’-]+\s+){0,4}?"
    r"(?P<noun>pilot|pilots|system|channel|project|corridor|platform|lane|service|scheme|"
    r"operation|exchange|control|controls|programme|program)\b|"
    r"\b(?P<noun2>pilot|system|channel|project|corridor|platform|lane|service|scheme|"
    r"exchange|control|controls)\s+(?:was|were|has\s+been|had\s+been)\s+launched\b")
_THE_TWO = re.compile(r"(?i)\b(?:the\s+two|both|they)\b")


# A sentence longer than this (characters: a page without full stops; real articles' sentences
# stay under half of it) gives each event the participants of its own clause, not all the
# bodies the sentence names (which would make its events' records grow as its square).
LONG_SENTENCE = 1000
_CLAUSE_BREAKS = (", and ", "; ", ", while ", ", but ")
_CLAUSE_REACH = 1000


def _clause_around(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The absolute bounds of the clause of a long sentence holding ``start``–``end``: from
    the break before it to the break after it (within ``_CLAUSE_REACH`` characters)."""
    text, at, to = sentence.text, start - sentence.start, end - sentence.start
    low, high = max(0, at - _CLAUSE_REACH), min(len(text), to + _CLAUSE_REACH)
    before = max((text.rfind(b, low, at) + len(b) for b in _CLAUSE_BREAKS
                  if text.rfind(b, low, at) >= 0), default=low)
    after = min((i for i in (text.find(b, to, high) for b in _CLAUSE_BREAKS) if i >= 0),
                default=high)
    return sentence.start + before, sentence.start + after


class TriggeredEvents(EventRegistry):
    """Events named by a trigger word, and what later sentences add to them."""

    def _real_talks(self, sentence: Sentence, match: re.Match) -> bool:
        """Talks that took place ("held talks", "the talks", "talks were held"), not a
        process ("completed negotiations")."""
        text, at = sentence.text, match.start()
        after = sentence.text[match.end():]
        if search_before(r"(?i)\bto\s+(?:start|begin|launch|open|resume|continue)\s+"
                         r"(?:\w+\s+){0,2}$", text, at):
            return False  # "agreed to start negotiations": a process to come, no event
        if search_before(r"(?i)\b(?:[\w-]+[- ](?:year|month)s?[- ]long|(?:years|months)|"
                         r"journey|process|rounds)\s+(?:\w+\s+){0,2}of\s+$", text, at):
            return False  # "a seven-year-long journey of negotiations": a process
        if search_before(r"(?i)\b(?:held|hold|holds|holding|conducted|began|opened|had|"
                         r"start(?:ed)?|continued)\s+(?:\w+\s+){0,3}$", text, at) or \
                counted_places(text, at, match.end()):  # "had held two rounds of technical
            # talks, in A and in B"
            # "held two days of talks"
            return True
        if re.match(r"(?i)\s+(?:were|was|have\s+been|will\s+be)\s+(?:held|conducted)|"
                    r"\s+(?:took|take|will\s+take)\s+place|\s+(?:between|with)\b", after):
            return True
        if search_before(r"(?i)\b(?:at|during|after|following)\s+$", text, at) and re.match(
                r"\s+(?:in\s+[A-Z]|on\s+\d|on\s+[A-Z][a-z]+\s+\d|held\b)", after):
            return True  # "at talks in Dushanbe on February 22-23"
        return bool(search_before(r"(?i)\b(?:the|at|during|after|following)\s+(?:\w+\s+)?$",
                                  text, at)) and self._current("talks") is not None

    def _real_visit(self, sentence: Sentence, match: re.Match) -> bool:
        after = sentence.text[match.end():]
        if search_before(r"(?i)(?:['’]s|\b(?:his|her|their|an?|the|this|official|working|"
                         r"state))\s+(?:[\w-]+-day\s+|official\s+|working\s+|state\s+|"
                         r"study\s+)?$", sentence.text, match.start()):
            return True  # "a two-day visit", "the official visit"
        return bool(re.match(r"\s+(?:to|the|of\s+(?:an?|the)\s+[\w ]{0,40}?delegation)\b",
                             after)) or match.group(0).lower() in ("visited", "received", "hosted",
                                                                   "welcomed")

    def _trigger(self, sentence: Sentence, start: int, end: int, kind: str,
                 place: str | None, future: bool, limit: int | None = None) -> None:
        at = start - sentence.start
        # "the meeting" refers back; "the two directors-general met" is no mention of one
        definite = bool(search_before(_DEFINITE, sentence.text, at)) and \
            not search_before(_INDEFINITE, sentence.text, at) and not re.match(
                r"(?i)(?:met|meet|meets|visited|received|hosted|welcomed)\b",
                sentence.text[at:])
        verb_held = bool(first_search(_HELD, sentence.text))
        participants = self._event_participants(sentence, start, end, kind)
        self._joint(sentence, start, participants)
        current = self._current(kind, announced=future)
        if kind == "operation" and current is None and not re.match(
                r"(?i)(?:joint|global|international|regional|co-?ordinated)\b",
                sentence.text[start - sentence.start:]):
            return  # "the operation of the checkpoint" names none
        if kind == "meeting" and self._met_during_visit(sentence, start, participants):
            return
        # "the visit" names an event told and dated before: only a date right after it can
        # be its own
        # "The 15th meeting of the working group will be held …": a numbered session
        # announced is one of its own, not the one told before
        definite = definite and not (future and _NUMBERED.match(sentence.text, at))
        date = self._date_for(sentence, end, kind, limit, near_only=definite and (
            current is not None and current.date_value is not None))
        complement = bool(re.match(r"\s+(?:with|between|of\s+heads|among)\b",
                                   sentence.text[end - sentence.start:]))
        # "the 61st meeting of the Authority" after the committee's third meeting: another
        # session; "the third meeting" again, or "the 6th meeting" after "met": the same one
        ordinal = _ordinal(sentence.text, at)
        told = _ordinal(current.trigger, 0) if current is not None else None
        if current is not None and definite and date is not None:
            date = _over_days(sentence.text, at, date, current)
        if current is not None and definite and ordinal != "next" and (
                ordinal is None or told is None or ordinal == told):
            if not complement or self._compatible(current, participants):
                if self._dates_agree(current, date):
                    self._merge(current, sentence, participants, date, place)
                    return
        if current is not None and kind == current.kind and date is not None and \
                current.date_value and date.value == current.date_value:
            self._merge(current, sentence, participants, date, place)
            return
        if kind == "visit" and current is not None and current.kind == "visit" and (
                place and current.place == place or  # "During the visit, the delegation also
                sentence.index in current.sentences and date is None) and \
                self._dates_agree(current, date):  # visited the port": part of that visit
            self._merge(current, sentence, participants, date, place)
            return
        if not (verb_held or definite or date or place or kind in ("visit", "talks")):
            return
        recent = self.events[-1] if self.events else None
        if kind == "visit" and definite and recent is not None and recent.kind == "meeting" \
                and not recent.planned and sentence.index - max(recent.sentences) <= 3 and \
                (date is None or date.start - end > 60 or self._dates_agree(recent, date)):
            recent.kind = "visit"  # "met with the attaché … At the end of the visit"
            self._merge(recent, sentence, participants, None, place)
            return
        headline = next((e for e in self._headline_events(sentence) if e.sentences == [0] and
                         e.date_value is None and
                         (e.kind == kind or {e.kind, kind} == {"visit", "meeting"})), None)
        if headline is not None and sentence.index > 0:  # the body tells the headline's event
            self._merge(headline, sentence, participants, date, place)
            headline.sentence = sentence.index
            return
        event = Event(kind=kind, sentence=sentence.index, place=place, planned=future,
                      announced=future, sentences=[sentence.index], trigger=sentence.text[
                          start - sentence.start:end - sentence.start])
        event.add_participants(participants)
        if not participants:  # "A first joint workshop is scheduled for …", "the first
            # trilateral meeting in this format had been held in Aktau": those of the event
            # told before (the last with any), else the article's two main parties; a guess
            told = self.context.current
            source = told.participants if told is not None and told.participants else next(
                (e.participants for e in reversed(self.events) if e.participants), self.pair)
            event.add_participants(source)
            if not future:
                event.confidence = 0.45
        self._resolve(event, date, sentence)
        if event.date_value is None and event.date is None and self.context.year and \
                not future:
            event.date_value = self.context.year
        if self.published and event.date_value and event.date_value[:10] > \
                self.published.isoformat():
            event.planned = True
        self.events.append(event)
        self.context.current = event

    def _launches(self, sentence: Sentence) -> None:
        """"and the two launched a joint pilot at the crossing in March": an event of kind
        other, dated by its clause, with the clause's parties (or those of the event told,
        for "the two"); none without a date, none announced (the announcements' part) and none
        of an agreement ("launched the Action Plan": its validity)."""
        for match in _LAUNCHED.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            at = clause_start(sentence.text, match.start())
            stop = clause_end(sentence.text, match.start())
            if is_future_between(sentence.text, at, stop) or self.agreements.inside_title(
                    sentence.index, end - 1, end) or any(
                    a.sentence == sentence.index and start <= a.start <= end
                    for a in self.agreements.actions):
                continue
            date = self._date_for(sentence, end, "other", near_only=True) or \
                self._year_when(sentence, match.start())
            if date is None or not date.value:
                continue
            participants = self._participants(sentence, sentence.start + at, start)
            if search_between(_THE_TWO, sentence.text, at, stop) or len(participants) < 2:
                told = self.context.current
                source = told.participants if told is not None and \
                    sentence.index - max(told.sentences) <= 1 else []
                source = source or self._participants(sentence)
                participants += [p for p in source if p not in participants]
            event = Event(kind="other", sentence=sentence.index, sentences=[sentence.index],
                          place=None, trigger=match.group(0))
            event.add_participants(participants)
            self._resolve(event, date, sentence)
            if self.published and event.date_value and event.date_value[:10] > \
                    self.published.isoformat():
                continue
            self.events.append(event)

    def _year_when(self, sentence: Sentence, at: int) -> DateMention | None:
        """"… since 2019, when the two countries launched a pilot": the year the clause
        that "when" opens is told of, right before it."""
        when = search_before(_YEAR_WHEN, sentence.text, at)
        if when is None:
            return None
        start = sentence.start + when.start("year")
        return next((d for d in self.dates.get(sentence.index, []) if d.start == start), None)

    def _headline_events(self, sentence: Sentence) -> list[Event]:
        """The events the headline (sentence 0) made, for a later sentence: those the
        article starts with, since events are made sentence by sentence, in order, each with
        the sentence that made it first in its ``sentences``."""
        if sentence.index == 0:
            return []
        count = 0
        while count < len(self.events) and self.events[count].sentences[:1] == [0]:
            count += 1
        return self.events[:count]

    def _met_during_visit(self, sentence: Sentence, start: int,
                          participants: list[str]) -> bool:
        """"paid a working visit to Yerevan, where he met with the Chairman of …": the one he
        met is the visit's host, not another meeting's."""
        if not search_before(r",\s+where\s+(?:\w+\s+){0,3}$", sentence.text,
                             start - sentence.start) or \
                not re.match(r"(?i)met\b", sentence.text[start - sentence.start:]):
            return False
        visit = next((e for e in reversed(self.events) if sentence.index in e.sentences
                      and e.kind == "visit" and not e.planned), None)
        if visit is None:
            return False
        visit.add_participants(participants)
        return True

    def _joint(self, sentence: Sentence, start: int, participants: list[str]) -> None:
        """"a joint evaluation meeting … attended by TRA": a joint event of one of the
        article's two main bodies is one of both."""
        at = start - sentence.start
        if len(self.pair) != 2 or not (
                search_before(r"(?i)\bjoint\s+(?:[\w-]+\s+)?$", sentence.text, at) or
                re.match(r"(?i)joint\b", sentence.text[at:])):
            return
        known = set(participants) | {self.entities.country_of(p) for p in participants}
        present = [p for p in self.pair if p in known or self.entities.country_of(p) in known]
        if len(present) == 1:
            participants += [p for p in self.pair if p not in present]

    def _event_participants(self, sentence: Sentence, start: int, end: int,
                            kind: str) -> list[str]:
        if kind != "visit" or sentence.text[start - sentence.start:end - sentence.start].lower() \
                in ("received", "hosted", "welcomed"):  # the host and the guest it received
            keys = self._participants(sentence) if len(sentence.text) <= LONG_SENTENCE else \
                self._participants(sentence, *_clause_around(sentence, start, end))
        else:
            keys = []
            at = start - sentence.start
            owner = search_before(r"(?:(?P<name>[A-Z][\w-]+)['’]s|\b(?P<pron>his|her))\s+"
                                  r"(?:\w+\s+)?$", sentence.text, at)
            if owner and owner.group("pron"):
                first_after = next((m for m in self.entities.starting_in(
                    sentence.index, end, 10**9) if m.kind == "person"), None)
                later = [first_after] if first_after else []
                person_key = later[0].key if later and re.compile(
                    r"(?i)\s*(?:during|on|after|before|while|in\s+the\s+course\s+of)\b").match(
                    sentence.text, 0, at) else self.last_person
                person = self.entities.people.get(person_key) if person_key else None
                if person and person.organisation:
                    keys.append(person.organisation)
            else:
                near = next((m for m in reversed(self.entities.starting_in(
                    sentence.index, 0, start)) if m.end <= start and m.kind in (
                    "person", "agency", "country")), None)  # the last one before
                if near:
                    key = self._key(near)
                    if key:
                        keys.append(key)
            target = [m for m in self.entities.starting_in(sentence.index, end, end + 9)
                      if m.kind == "country"]
            invitation = first_search(r"(?i)\b(?:at\s+the\s+invitation\s+of|hosted\s+by|"
                                      r"received\s+by|welcomed\s+by)\b", sentence.text)
            if invitation:
                at = sentence.start + invitation.end()
                clause = sentence.text.find(".", invitation.end())
                stop = sentence.start + (clause if clause > 0 else len(sentence.text))
                target += [m for m in self.entities.starting_in(sentence.index, at, stop)
                           if m.kind in ("agency", "person")]
            for mention in target:
                key = self._key(mention)
                if key and key not in keys:
                    keys.append(key)
            of_to = _OF_TO.match(sentence.text, end - sentence.start)
            if of_to:  # "a working visit of the RMCD Director General … to DG TAXUD"
                for mention in self.entities.starting_in(sentence.index, end,
                                                         sentence.start + of_to.end()):
                    if mention.kind in ("agency", "person", "country") and \
                            mention.role not in ("inside", "locative"):
                        key = self._key(mention)
                        if key and key not in keys:
                            keys.append(key)
        pronoun = first_search(r"(?i)\b(?:they|the\s+two\s+(?:sides|parties|administrations|"
                               r"services|agencies|countries|delegations|authorities)|"
                               r"both\s+sides|the\s+sides|the\s+parties|the\s+delegat(?:es|ions)|"
                               r"(?:next|another|further)\s+(?:\w+\s+)?(?:meeting|round)|"
                               r"meet\s+again|\d+(?:st|nd|rd|th)\s+(?:\w+\s+)?"
                               r"(?:meeting|session|round))\b", sentence.text)
        if pronoun and self.context.current is not None:
            keys += [k for k in self.context.current.participants if k not in keys]
        elif pronoun:
            keys += [k for k in self.pair if k not in keys]
        return keys

    def _current(self, kind: str, announced: bool = True) -> Event | None:
        """The latest event a definite mention of ``kind`` may refer to; with ``announced``
        False (a mention in a clause telling the past: "on the sidelines of the meeting"), not
        one only announced."""
        for event in reversed(self.events):
            if event.announced and not announced:
                continue
            if event.kind == kind or {event.kind, kind} <= {"talks", "meeting"}:
                return event
        return None

    def _compatible(self, event: Event, participants: list[str]) -> bool:
        known = set(event.participants)
        known |= {c for c in (self.entities.country_of(p) for p in event.participants) if c}
        for key in participants:
            country = self.entities.country_of(key)
            if key not in known and (country is None or country not in known):
                return False
        return True

    def _merge(self, event: Event, sentence: Sentence, participants: list[str],
               date: DateMention | None, place: str | None) -> None:
        event.add_participants(participants)
        if sentence.index not in event.sentences:
            event.sentences.append(sentence.index)
        if event.date_value is None and event.date is None and date is not None:
            self._resolve(event, date, sentence)
        elif date is not None and date.value and "/" in date.value and event.date_value and \
                "/" not in event.date_value and len(event.date_value) == 10 and \
                date.value.split("/")[0] <= event.date_value <= date.value.split("/")[1]:
            self._resolve(event, date, sentence)  # a day of it, then all its days
        if event.place is None and place:
            event.place = place
        self.context.current = event

    def _date_for(self, sentence: Sentence, at: int, kind: str, limit: int | None = None,
                  near_only: bool = False) -> DateMention | None:
        """The date of an event named at ``at``: one just after it, else one no agreement
        took; not one past ``limit`` (where the sentence names another event)."""
        dates = self.dates.get(sentence.index, [])  # in order: found by bisection
        high = len(dates) if limit is None else \
            bisect.bisect_left(dates, limit, key=_date_start)

        def usable(d: DateMention) -> bool:
            return not self.agreements.inside_title(sentence.index, d.start, d.end)

        year_only = None  # "hosted this year … on 3–4 September": the day, not the year
        for d in dates[bisect.bisect_left(dates, at, key=_date_start, hi=high):high]:
            if d.start - at > (120 if year_only is not None or _HELD_ON.search(
                    sentence.text, at - sentence.start, d.start - sentence.start) else 60):
                break
            if not usable(d):
                continue
            if d.precision != "year":
                return d  # near
            if year_only is None and (d.start - at <= 45 or _ENDS_IN_YEAR.match(
                    sentence.text, d.start - sentence.start - 3)):
                year_only = d  # "will be held in <a city> in 2027."
        if year_only is not None:
            return year_only
        if near_only:
            return None
        free = [d for d in dates[:high] if usable(d) and (d.start, d.end) not in self.used_dates
                and (d.start, d.end) not in self.agreements.validity_dates]
        # "agreed to switch … from July 1 at the meeting": a start of what was agreed
        return next((d for d in free if not d.open_end), free[0] if free else None)

    def _taking_part(self, sentence: Sentence) -> None:
        """"Representatives of … took part": more participants of the event just named."""
        event = self.context.current
        if event is None or event.planned or sentence.index - max(event.sentences) > 1:
            return
        event.add_participants(self._participants(sentence))

    def _topics(self, sentence: Sentence) -> None:
        event = self.context.current
        if event is None:
            return
        if sentence.index not in event.sentences and not re.match(
                r"(?i)^(?:the\s+(?:two\s+)?(?:parties|sides|delegations|delegates|participants)|"
                r"they|both\s+sides)\b", sentence.text):
            return
        for match in _TOPIC.finditer(sentence.text):
            what = (match.group("what") or match.group("what2") or "").strip()
            what = re.sub(r"^(?:the\s+)?(?:issues|questions|matters)\s+of\s+", "", what)
            if 3 < len(what) <= 200 and what not in event.topics:
                event.topics.append(what)
