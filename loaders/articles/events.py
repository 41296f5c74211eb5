"""Events in article sentences: talks, meetings, forums, visits, trainings and signings, with
their date, place, participants, topics and outcomes; announced ones are planned. Later
mentions ("the meeting", "at the talks") add to the event named before."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from loaders.articles.agreements import _IN_FORCE, AgreementAnalysis, SignAction
from loaders.articles.dates import DateMention, is_future_context
from loaders.articles.entities import ORG_HEADS, POST_WORDS, EntityAnalysis, Mention
from loaders.articles.sentences import Sentence
from loaders.reference_data import normalise_name

_TRIGGERS: list[tuple[str, re.Pattern]] = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("signing", r"\bsigning\s+ceremony\b"),
    ("talks", r"\b(?:(?:bilateral|official|high-level|trilateral)\s+)?(?:talks|negotiations)\b"),
    ("meeting", r"\b(?:(?:working|bilateral|official|joint|regular|annual|first|second|third|"
                r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+)*"
                r"(?:meeting|consultations?|session|summit|round\s*table|video\s*conference|"
                r"videoconference)\b"),
    ("forum", r"\b(?:forum|conference|exhibition|symposium|expo)\b"),
    ("meeting", r"\b(?:met|meet|meets)\b(?=\s+(?:with|in|on|at|again|to)\b|\s+[A-Z])"),
    ("visit", r"\b(?:(?:official|working|state|study)\s+)?(?:visit|trip)\b|\bvisited\b"),
    ("training", r"\b(?:seminar|workshop|training\s+(?:course|session|programme|program)|"
                 r"webinar)\b"),
]]
_DEFINITE = re.compile(r"(?i)\b(?:the|this|that|these|its|their|his|her)\s+(?:\w+\s+){0,2}$")
_INDEFINITE = re.compile(r"(?i)\b(?:a|an|another)\s+(?:\w+\s+){0,2}$")
_HELD = re.compile(r"(?i)\b(?:held|hold|holds|holding|conducted|organi[sz]ed|hosted|took\s+place|"
                   r"takes\s+place|was\s+held|were\s+held|ended|opened|attended|chaired|"
                   r"during|at)\b")
_ONGOING = re.compile(r"(?i)\b(?:is|are)\s+(?:on|paying|making|currently)\b|\bis\s+visiting\b")
_PLACE = re.compile(
    r"(?:\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]*['’]s\s+(?:capital\s+)?(?:city\s+)?of\s+)?"
    r"|\bvisit(?:ed)?\s+to\s+(?:the\s+)?|\bvisited\s+(?:the\s+)?)"
    r"(?P<place>[A-Z][\w’'.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'.-]*){0,3})")
_TOPIC = re.compile(r"(?i)\b(?:discussed|reviewed|exchanged\s+views\s+on|focused\s+on|"
                    r"talked\s+about|addressed)\s+(?P<what>[^.;]+)|"
                    r"\b(?:issues|questions|matters)\s+of\s+(?P<what2>[^.;]+?)\s+(?:were|was)\s+"
                    r"discussed")
_SUMMARY_ITEM = re.compile(r"(?i)\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                           r"eleven|twelve)\s+(?:of\s+(?:those|these|them)\s+)?(?:\w+\s+)?"
                           r"(?:events?|meetings?|forums?|visits?)\b")


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


class _EventFinder:
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

    # -- helpers ------------------------------------------------------------------------------
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

    def _date_for(self, sentence: Sentence, at: int, kind: str) -> DateMention | None:
        dates = [d for d in self.dates.get(sentence.index, [])
                 if not self.agreements.inside_title(sentence.index, d.start, d.end)]
        near = [d for d in dates if 0 <= d.start - at <= 60 and d.precision != "year" or
                0 <= d.start - at <= 45]
        if near:
            return near[0]
        free = [d for d in dates if (d.start, d.end) not in self.used_dates]
        return free[0] if free else None

    def _place_in(self, sentence: Sentence) -> str | None:
        for match in _PLACE.finditer(sentence.text):
            place = match.group("place")
            start = sentence.start + match.start("place")
            if any(d.start <= start < d.end for d in self.dates.get(sentence.index, [])):
                continue
            covering = [m for m in self.entities.mentions(sentence.index)
                        if m.start <= start < m.end and m.kind in ("agency", "person")]
            if covering:
                continue
            if re.match(r"['’]s\b", sentence.text[match.end("place"):]):
                continue
            place = place.rstrip(".,")
            words = place.split()
            if normalise_name(words[0]) in POST_WORDS or normalise_name(words[-1]) in ORG_HEADS:
                continue
            while words and words[-1] in {"On", "In", "At", "The"}:
                words.pop()
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

    # -- sentences ------------------------------------------------------------------------------
    def sentence(self, sentence: Sentence) -> None:
        self._context_year(sentence)
        if sentence.index in self.summary_sentences:
            return
        future = is_future_context(sentence.text)
        found = []
        for kind, pattern in _TRIGGERS:
            for match in pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                if any(a <= start < b for a, b, _ in found):
                    continue
                if self.agreements.inside_title(sentence.index, start, start + 1):
                    continue
                if any(m.start <= start < m.end for m in self.entities.mentions(sentence.index)
                       if m.kind == "agency"):
                    continue
                if any(start >= sentence.start + j.start() and start < sentence.start + j.end()
                       for j in _joint_spans(sentence, self.entities)):
                    continue
                if kind == "visit" and not self._real_visit(sentence, match):
                    continue
                if kind == "talks" and not self._real_talks(sentence, match):
                    continue
                found.append((start, sentence.start + match.end(), kind))
        found.sort()
        self._place_span = (-1, -1)
        place = self._place_in(sentence)
        for start, end, kind in found:
            self._trigger(sentence, start, end, kind, place, future)
        for action in [a for a in self.agreements.actions if a.sentence == sentence.index]:
            self._signing(sentence, action, place, future, bool(found))
        if not found and future:
            self._announced(sentence)
        self._topics(sentence)

    def _context_year(self, sentence: Sentence) -> None:
        match = re.match(r"^(?:[A-Z][\w ]{0,25},\s*)?(?:[Ii]n|[Dd]uring|[Tt]hroughout)\s+"
                         r"((?:19|20)\d\d)\b", sentence.text)
        if match:
            self.context.year = match.group(1)

    def _real_talks(self, sentence: Sentence, match: re.Match) -> bool:
        """Talks that took place ("held talks", "the talks", "talks were held"), not a
        process ("completed negotiations")."""
        before = sentence.text[:match.start()]
        after = sentence.text[match.end():]
        if re.search(r"(?i)\b(?:held|hold|holds|holding|conducted|began|opened|had|start(?:ed)?|"
                     r"continued)\s+(?:\w+\s+){0,2}$", before):
            return True
        if re.match(r"(?i)\s+(?:were|was|have\s+been|will\s+be)\s+(?:held|conducted)|"
                    r"\s+(?:took|take|will\s+take)\s+place|\s+(?:between|with)\b", after):
            return True
        return bool(re.search(r"(?i)\b(?:the|at|during|after|following)\s+(?:\w+\s+)?$",
                              before)) and self._current("talks") is not None

    def _real_visit(self, sentence: Sentence, match: re.Match) -> bool:
        before = sentence.text[:match.start()]
        after = sentence.text[match.end():]
        if re.search(r"(?i)(?:['’]s|\b(?:his|her|their|an?|the|this|official|working|state))\s+$",
                     before):
            return True
        return bool(re.match(r"\s+(?:to|the)\b", after)) or match.group(0).lower() == "visited"

    def _trigger(self, sentence: Sentence, start: int, end: int, kind: str,
                 place: str | None, future: bool) -> None:
        text_before = sentence.text[:start - sentence.start]
        definite = bool(_DEFINITE.search(text_before)) and not _INDEFINITE.search(text_before)
        verb_held = bool(_HELD.search(sentence.text))
        participants = self._event_participants(sentence, start, end, kind)
        date = self._date_for(sentence, end, kind)
        current = self._current(kind)
        complement = bool(re.match(r"\s+(?:with|between|of\s+heads|among)\b",
                                   sentence.text[end - sentence.start:]))
        if current is not None and definite and not re.search(
                r"(?i)\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                r"next|\d+(?:st|nd|rd|th))\s+$", text_before):
            if not complement or self._compatible(current, participants):
                if self._dates_agree(current, date):
                    self._merge(current, sentence, participants, date, place)
                    return
        if current is not None and kind == current.kind and date is not None and \
                current.date_value and date.value == current.date_value:
            self._merge(current, sentence, participants, date, place)
            return
        if kind == "visit" and current is not None and place and current.place == place and \
                self._dates_agree(current, date):
            self._merge(current, sentence, participants, date, place)
            return
        if not (verb_held or definite or date or place or kind in ("visit", "talks")):
            return
        headline = next((e for e in self.events if e.sentences == [0] and e.kind == kind
                         and e.date_value is None), None)
        if headline is not None and sentence.index > 0:  # the body tells the headline's event
            self._merge(headline, sentence, participants, date, place)
            headline.sentence = sentence.index
            return
        event = Event(kind=kind, sentence=sentence.index, place=place, planned=future,
                      sentences=[sentence.index], trigger=sentence.text[
                          start - sentence.start:end - sentence.start])
        event.add_participants(participants)
        self._resolve(event, date, sentence)
        if event.date_value is None and event.date is None and self.context.year and \
                not future:
            event.date_value = self.context.year
        if self.published and event.date_value and event.date_value[:10] > \
                self.published.isoformat():
            event.planned = True
        self.events.append(event)
        self.context.current = event

    def _event_participants(self, sentence: Sentence, start: int, end: int,
                            kind: str) -> list[str]:
        if kind != "visit":
            keys = self._participants(sentence)
        else:
            keys = []
            before = sentence.text[:start - sentence.start]
            owner = re.search(r"(?:(?P<name>[A-Z][\w-]+)['’]s|\b(?P<pron>his|her))\s+"
                              r"(?:\w+\s+)?$", before)
            if owner and owner.group("pron"):
                later = [m for m in self.entities.mentions(sentence.index)
                         if m.kind == "person" and m.start >= end]
                person_key = later[0].key if later and re.search(
                    r"(?i)^\s*(?:during|on|after|before|while|in\s+the\s+course\s+of)\b",
                    before) else self.last_person
                person = self.entities.people.get(person_key) if person_key else None
                if person and person.organisation:
                    keys.append(person.organisation)
            else:
                near = [m for m in self.entities.mentions(sentence.index)
                        if m.end <= start and m.kind in ("person", "agency", "country")]
                if near:
                    key = self._key(near[-1])
                    if key:
                        keys.append(key)
            target = [m for m in self.entities.mentions(sentence.index)
                      if 0 <= m.start - end <= 8 and m.kind == "country"]
            invitation = re.search(r"(?i)\b(?:at\s+the\s+invitation\s+of|hosted\s+by|"
                                   r"received\s+by|welcomed\s+by)\b", sentence.text)
            if invitation:
                at = sentence.start + invitation.end()
                clause = sentence.text.find(".", invitation.end())
                stop = sentence.start + (clause if clause > 0 else len(sentence.text))
                target += [m for m in self.entities.mentions(sentence.index)
                           if at <= m.start < stop and m.kind in ("agency", "person")]
            for mention in target:
                key = self._key(mention)
                if key and key not in keys:
                    keys.append(key)
        pronoun = re.search(r"(?i)\b(?:they|the\s+two\s+(?:sides|parties|administrations|services|"
                            r"agencies|countries|delegations)|both\s+sides|the\s+sides|"
                            r"the\s+parties|the\s+delegat(?:es|ions)|(?:next|another|"
                            r"further)\s+(?:\w+\s+)?(?:meeting|round)|meet\s+again)\b",
                            sentence.text)
        if pronoun and self.context.current is not None:
            keys += [k for k in self.context.current.participants if k not in keys]
        elif pronoun:
            keys += [k for k in self.pair if k not in keys]
        return keys

    def _current(self, kind: str) -> Event | None:
        """The latest event a definite mention of ``kind`` may refer to."""
        for event in reversed(self.events):
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

    @staticmethod
    def _dates_agree(event: Event, date: DateMention | None) -> bool:
        if date is None or date.value is None or event.date_value is None:
            return True
        a, b = event.date_value.split("/")[0], date.value.split("/")[0]
        n = min(len(a), len(b))
        return a[:n] == b[:n]

    def _merge(self, event: Event, sentence: Sentence, participants: list[str],
               date: DateMention | None, place: str | None) -> None:
        event.add_participants(participants)
        if sentence.index not in event.sentences:
            event.sentences.append(sentence.index)
        if event.date_value is None and event.date is None and date is not None:
            self._resolve(event, date, sentence)
        if event.place is None and place:
            event.place = place
        self.context.current = event

    def _signing(self, sentence: Sentence, action: SignAction, place: str | None,
                 future: bool, has_trigger: bool) -> None:
        if action.purpose or future:
            return
        if not action.main_clause:
            return
        date = action.date
        if date is not None and date.kind == "anaphoric":
            date = DateMention(date.start, date.end, date.text, self._anaphoric_value(),
                               "anaphoric")
        if date is not None and date.precision in ("year", "month") and not has_trigger:
            return  # background: "an MOU signed in 2018"
        host = None
        same_sentence = [e for e in self.events if sentence.index in e.sentences]
        if same_sentence:
            host = same_sentence[-1]
        elif self.context.current is not None and self.context.current.kind in (
                "talks", "meeting", "forum", "visit", "signing") and \
                self._dates_agree(self.context.current, date):
            host = self.context.current
        if host is None:
            for event in reversed(self.events):
                if event.kind == "signing" and self._dates_agree(event, date):
                    host = event
                    break
        if host is None:
            host = Event(kind="signing", sentence=sentence.index, place=place,
                         sentences=[sentence.index], trigger=action.verb)
            self.events.append(host)
            self._resolve(host, date, sentence)
            if host.date_value is None and host.date is None and self.context.year:
                host.date_value = self.context.year
        else:
            if sentence.index not in host.sentences:
                host.sentences.append(sentence.index)
            if host.date_value is None and host.date is None and date is not None:
                self._resolve(host, date, sentence)
            if host.place is None and place:
                host.place = place
        host.add_participants(action.parties)
        for key in action.agreements:
            if key not in host.outcomes:
                host.outcomes.append(key)
            agreement = self.agreements.agreements.get(key)
            if agreement is not None and agreement.signed is None and host.date_value and \
                    not action.verb.startswith("exchang"):
                value = _common_prefix(host.date_value)
                agreement.signed = DateMention(-1, -1, host.date_text or value, value,
                                               "inherited")
            if agreement is not None and agreement.date_text is None and host.date_text and \
                    not action.verb.startswith("exchang"):
                agreement.date_text = host.date_text
        self.context.current = self.context.current or host

    def _announced(self, sentence: Sentence) -> None:
        """"… which will start from October 5": an announced event with a day or a month."""
        if _IN_FORCE.search(sentence.text) or re.search(r"(?i)\bsign", sentence.text):
            return
        dates = [d for d in self.dates.get(sentence.index, [])
                 if d.kind in ("relative", "absolute", "range") and d.precision != "year"
                 and (d.start, d.end) not in self.used_dates
                 and not self.agreements.inside_title(sentence.index, d.start, d.end)
                 and re.search(r"[A-Za-z]", d.text) and d.kind != "anaphoric"]
        if not dates:
            return
        event = Event(kind="other", sentence=sentence.index, planned=True,
                      sentences=[sentence.index], place=self._place_in(sentence))
        event.add_participants(self._participants(sentence))
        if self.context.current is not None and re.search(
                r"(?i)\b(?:they|the\s+two\s+sides|both\s+sides|the\s+parties)\b", sentence.text):
            event.add_participants(self.context.current.participants)
        self._resolve(event, dates[0], sentence)
        event.confidence = 0.4
        self.events.append(event)

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


def _common_prefix(value: str) -> str | None:
    """A date for something that happened during an interval: what its ends share."""
    if "/" not in value:
        return value
    start, end = value.split("/")
    for size in (10, 7, 4):
        if start[:size] == end[:size]:
            return start[:size]
    return None


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
    return finder.events


def is_summary_sentence(sentence: Sentence) -> bool:
    """True when a sentence counts events ("5 events with …", "9 of those meetings")."""
    return bool(_SUMMARY_ITEM.search(sentence.text))
