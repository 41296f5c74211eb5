"""Events in article sentences: talks, meetings, forums, visits, trainings and signings, with
their date, place, participants, topics and outcomes; announced ones are planned. Later
mentions ("the meeting", "at the talks") add to the event named before."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from graph.names import normalise_name
from loaders.articles.agreements import _ADOPT, _IN_FORCE, AgreementAnalysis, SignAction
from loaders.articles.dates import DateMention, is_future_context
from loaders.articles.entities import ORG_HEADS, POST_WORDS, EntityAnalysis, Mention
from loaders.articles.gazetteer import gazetteer
from loaders.articles.sentences import Sentence, clause_breaks, clause_end, clause_start

_TRIGGERS: list[tuple[str, re.Pattern]] = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("signing", r"\bsigning\s+ceremony\b"),
    ("talks", r"\b(?:(?:bilateral|official|high-level|trilateral)\s+)?(?:talks|negotiations)\b"),
    ("meeting", r"\b(?:(?:working|bilateral|official|joint|regular|annual|first|second|third|"
                r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+)*"
                r"(?:meeting|consultations?|session|summit|round\s*table|video\s*conference|"
                r"videoconference|(?:policy|strategic|high-level)\s+dialogue|(?-i:Dialogue))\b"),
    ("forum", r"\b(?:forum|conference|exhibition|symposium|expo)\b"),
    ("meeting", r"\b(?:met|meet|meets)\b(?=\s+(?:with|in|on|at|again|to)\b|\s+[A-Z])"),
    ("visit", r"\b(?:(?:official|working|state|study)\s+)?(?:visit|trip)\b|\bvisited\b|"
              # "received the Director General of …", "received a delegation of …"
              r"\b(?:received|hosted|welcomed)\b(?=\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?"
              r"(?:delegation|"
              + "|".join(sorted(POST_WORDS, key=len, reverse=True)) + r")\b)"),
    ("training", r"\b(?:seminar|workshop|training\s+(?:course|session|programme|program)|"
                 r"webinar|(?<!of\s)(?<!the\s)course(?!\s+of\b)|"
                 # "a joint training on …", "a two-day training for …"; not "training centre"
                 r"(?:(?<=\ba\s)|joint\s+|[\w-]+-(?:day|week)\s+)training"
                 r"(?=\s+(?:on|for|in|of|at)\b))\b"),
    # "a joint enforcement operation", then "the operation": written as kind "other"
    ("operation", r"\bjoint\s+(?:[\w-]+\s+){0,2}operation\b|(?<=\b[Tt]he\s)operation\b"
                  r"(?!\s+of\b)"),
]]
_DEFINITE = re.compile(r"(?i)\b(?:the|this|that|these|its|their|his|her)\s+(?:\w+\s+){0,2}$")
_INDEFINITE = re.compile(r"(?i)\b(?:a|an|another)\s+(?:\w+\s+){0,2}$")
_HELD = re.compile(r"(?i)\b(?:held|hold|holds|holding|conducted|organi[sz]ed|hosted|took\s+place|"
                   r"takes\s+place|was\s+held|were\s+held|ended|opened|attended|chaired|"
                   r"during|at|sidelines|margins?)\b")
_ONGOING = re.compile(r"(?i)\b(?:is|are)\s+(?:on|paying|making|currently)\b|\bis\s+visiting\b")
_PLACE = re.compile(
    r"(?:\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w’'-]*['’]s\s+(?:capital\s+)?(?:city\s+)?of\s+)?"
    r"|\bvisit(?:ed)?\s+to\s+(?:the\s+)?|\bvisited\s+(?:the\s+)?)"
    r"(?P<place>[A-Z][\w’'.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w’'.-]*){0,3})")
_TOPIC = re.compile(r"(?i)\b(?:discussed|reviewed|exchanged\s+views\s+on|focused\s+on|"
                    r"talked\s+about|addressed)\s+(?P<what>[^.;]+)|"
                    r"\b(?:issues|questions|matters)\s+of\s+(?P<what2>[^.;]+?)\s+(?:were|was)\s+"
                    r"discussed")
_SIDELINES = re.compile(r"(?i)\b(?:on|at)\s+the\s+(?:sidelines|margins?)\s+of\b")
# What is only considered or offered, not held: "the possibility of holding a seminar",
# "invited a delegation to visit".
_HYPOTHETICAL = re.compile(r"(?i)\b(?:possibility|possibilities|prospects?|feasibility|idea|"
                           r"proposals?|options?)\s+(?:of|for)\s+(?:\w+\s+){0,3}$|"
                           r"\binvit(?:ed|es|ing|e)\b.{0,80}\bto\s+$")
_CONDITIONAL = re.compile(r"(?i)^(?:if|should|unless|provided\s+that)\b")
_TAKING_PART = re.compile(r"(?i)\b(?:took\s+part|take\s+part|taking\s+part|participated|"
                          r"attended|joined)\b")
_THE_TWO = re.compile(r"(?i)\b(?:they|the\s+two\s+(?:customs\s+)?(?:sides|parties|"
                      r"administrations|agencies|services|countries|authorities|delegations)|"
                      r"both\s+(?:sides|parties|agencies|administrations|services|countries|"
                      r"authorities)|"
                      r"the\s+(?:sides|parties))\b")
_EVENT_NAME_END = re.compile(r"(?:Forum|Conference|Summit|Meeting|Session|Exhibition|Expo|"
                             r"Week|Symposium|Seminar|Workshop|Dialogue)$")
# What an announced event is, from the words that name it: "monthly video conferences, the
# first of which is scheduled for …", "officers will be trained in …"
_ANNOUNCED_KINDS = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("meeting", r"\b(?:video\s*conferences?|videoconferences?|meetings|consultations)\b"),
    ("training", r"\b(?:be\s+trained|trainings|seminars|workshops|courses)\b"),
    ("visit", r"\bvisits\b"),
    ("forum", r"\b(?:forums|conferences)\b(?<!video\sconferences)"),
]]
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

    def _date_for(self, sentence: Sentence, at: int, kind: str, limit: int | None = None,
                  near_only: bool = False) -> DateMention | None:
        """The date of an event named at ``at``: one just after it, else one no agreement
        took; not one past ``limit`` (where the sentence names another event)."""
        dates = [d for d in self.dates.get(sentence.index, [])
                 if not self.agreements.inside_title(sentence.index, d.start, d.end)
                 and (limit is None or d.start < limit)]
        near = [d for d in dates if 0 <= d.start - at <= 60 and d.precision != "year" or
                0 <= d.start - at <= 45]
        if near or near_only:
            return near[0] if near else None
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

    # -- sentences ------------------------------------------------------------------------------
    def sentence(self, sentence: Sentence) -> None:
        self._context_year(sentence)
        if sentence.index in self.summary_sentences:
            return
        future = is_future_context(sentence.text)
        found = []
        for kind, pattern in _TRIGGERS if not _CONDITIONAL.match(sentence.text) else []:
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
                if _HYPOTHETICAL.search(sentence.text[:match.start()]):
                    continue
                if kind == "visit" and not self._real_visit(sentence, match):
                    continue
                if kind == "talks" and not self._real_talks(sentence, match):
                    continue
                found.append((start, sentence.start + match.end(), kind))
        found.sort()
        self._place_span = (-1, -1)
        place = self._place_in(sentence)
        for n, (start, end, kind) in enumerate(found):
            limit = found[n + 1][0] if n + 1 < len(found) else sentence.end
            at = start - sentence.start
            clause = sentence.text[clause_start(sentence.text, at):clause_end(sentence.text, at)]
            self._trigger(sentence, start, end, kind, place, is_future_context(clause), limit)
        actions = [a for a in self.agreements.actions if a.sentence == sentence.index]
        for action in actions:
            self._signing(sentence, action, place, future, bool(found))
        if not found and not actions and future and not _CONDITIONAL.match(sentence.text):
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

    def _real_talks(self, sentence: Sentence, match: re.Match) -> bool:
        """Talks that took place ("held talks", "the talks", "talks were held"), not a
        process ("completed negotiations")."""
        before = sentence.text[:match.start()]
        after = sentence.text[match.end():]
        if re.search(r"(?i)\bto\s+(?:start|begin|launch|open|resume|continue)\s+(?:\w+\s+){0,2}$",
                     before):
            return False  # "agreed to start negotiations": a process to come, no event
        if re.search(r"(?i)\b(?:held|hold|holds|holding|conducted|began|opened|had|start(?:ed)?|"
                     r"continued)\s+(?:\w+\s+){0,3}$", before):  # "held two days of talks"
            return True
        if re.match(r"(?i)\s+(?:were|was|have\s+been|will\s+be)\s+(?:held|conducted)|"
                    r"\s+(?:took|take|will\s+take)\s+place|\s+(?:between|with)\b", after):
            return True
        if re.search(r"(?i)\b(?:at|during|after|following)\s+$", before) and re.match(
                r"\s+(?:in\s+[A-Z]|on\s+\d|on\s+[A-Z][a-z]+\s+\d|held\b)", after):
            return True  # "at talks in Dushanbe on February 22-23"
        return bool(re.search(r"(?i)\b(?:the|at|during|after|following)\s+(?:\w+\s+)?$",
                              before)) and self._current("talks") is not None

    def _real_visit(self, sentence: Sentence, match: re.Match) -> bool:
        before = sentence.text[:match.start()]
        after = sentence.text[match.end():]
        if re.search(r"(?i)(?:['’]s|\b(?:his|her|their|an?|the|this|official|working|state))\s+"
                     r"(?:[\w-]+-day\s+|official\s+|working\s+|state\s+|study\s+)?$", before):
            return True  # "a two-day visit", "the official visit"
        return bool(re.match(r"\s+(?:to|the|of\s+(?:an?|the)\s+[\w ]{0,40}?delegation)\b",
                             after)) or match.group(0).lower() in ("visited", "received", "hosted",
                                                                   "welcomed")

    def _trigger(self, sentence: Sentence, start: int, end: int, kind: str,
                 place: str | None, future: bool, limit: int | None = None) -> None:
        text_before = sentence.text[:start - sentence.start]
        definite = bool(_DEFINITE.search(text_before)) and not _INDEFINITE.search(text_before)
        verb_held = bool(_HELD.search(sentence.text))
        participants = self._event_participants(sentence, start, end, kind)
        self._joint(sentence, start, participants)
        current = self._current(kind, announced=future)
        if kind == "operation" and current is None and not re.match(
                r"(?i)joint\b", sentence.text[start - sentence.start:]):
            return  # "the operation of the checkpoint" names none
        if kind == "meeting" and self._met_during_visit(sentence, start, participants):
            return
        # "the visit" names an event told and dated before: only a date right after it can
        # be its own
        date = self._date_for(sentence, end, kind, limit, near_only=definite and (
            current is not None and current.date_value is not None))
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
        recent = self.events[-1] if self.events else None
        if kind == "visit" and definite and recent is not None and recent.kind == "meeting" \
                and not recent.planned and sentence.index - max(recent.sentences) <= 3 and \
                (date is None or date.start - end > 60 or self._dates_agree(recent, date)):
            recent.kind = "visit"  # "met with the attaché … At the end of the visit"
            self._merge(recent, sentence, participants, None, place)
            return
        headline = next((e for e in self.events if e.sentences == [0] and e.date_value is None
                         and (e.kind == kind or {e.kind, kind} == {"visit", "meeting"})), None)
        if headline is not None and sentence.index > 0:  # the body tells the headline's event
            self._merge(headline, sentence, participants, date, place)
            headline.sentence = sentence.index
            return
        event = Event(kind=kind, sentence=sentence.index, place=place, planned=future,
                      announced=future, sentences=[sentence.index], trigger=sentence.text[
                          start - sentence.start:end - sentence.start])
        event.add_participants(participants)
        if future and not participants:  # "A first joint workshop is scheduled for …"
            told = self.context.current
            event.add_participants(told.participants if told else self.pair)
        self._resolve(event, date, sentence)
        if event.date_value is None and event.date is None and self.context.year and \
                not future:
            event.date_value = self.context.year
        if self.published and event.date_value and event.date_value[:10] > \
                self.published.isoformat():
            event.planned = True
        self.events.append(event)
        self.context.current = event

    def _met_during_visit(self, sentence: Sentence, start: int,
                          participants: list[str]) -> bool:
        """"paid a working visit to Yerevan, where he met with the Chairman of …": the one he
        met is the visit's host, not another meeting's."""
        before = sentence.text[:start - sentence.start]
        if not re.search(r",\s+where\s+(?:\w+\s+){0,3}$", before) or \
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
                re.search(r"(?i)\bjoint\s+(?:[\w-]+\s+)?$", sentence.text[:at]) or
                re.match(r"(?i)joint\b", sentence.text[at:])):
            return
        known = set(participants) | {self.entities.country_of(p) for p in participants}
        present = [p for p in self.pair if p in known or self.entities.country_of(p) in known]
        if len(present) == 1:
            participants += [p for p in self.pair if p not in present]

    def _event_participants(self, sentence: Sentence, start: int, end: int,
                            kind: str) -> list[str]:
        if kind != "visit":
            keys = self._participants(sentence)
        elif sentence.text[start - sentence.start:end - sentence.start].lower() in (
                "received", "hosted", "welcomed"):
            keys = self._participants(sentence)  # the host and the guest it received
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
                            r"agencies|countries|delegations|authorities)|both\s+sides|the\s+sides|"
                            r"the\s+parties|the\s+delegat(?:es|ions)|(?:next|another|"
                            r"further)\s+(?:\w+\s+)?(?:meeting|round)|meet\s+again|"
                            r"\d+(?:st|nd|rd|th)\s+(?:\w+\s+)?(?:meeting|session|round))\b",
                            sentence.text)
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
        adopt = bool(_ADOPT.match(action.verb))
        clause = sentence.text[:clause_end(sentence.text, action.start - sentence.start)]
        if action.purpose or is_future_context(clause):
            if not adopt and (action.purpose or action.main_clause):
                self._planned_signing(sentence, action, place)
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
        same_sentence = [e for e in self.events if sentence.index in e.sentences
                         and not e.planned]
        if same_sentence:
            host = same_sentence[-1]
        else:
            told = self.context.current
            if told is not None and told.announced:  # "signed the minutes and agreed that
                # the next meeting will be held …": the meeting held, not the one announced
                told = next((e for e in reversed(self.events) if not e.announced and
                             sentence.index - max(e.sentences) <= 3), None)
            if told is not None and told.kind in ("talks", "meeting", "forum", "visit",
                                                  "signing") and self._dates_agree(told, date):
                host = told
        if adopt:  # "adopted a plan", "the document was agreed at …": the event's outcome
            if host is not None and host.kind != "signing":
                self._outcomes(host, action)
            return
        if host is not None and host.kind != "signing" and (
                _SIDELINES.search(sentence.text) or host.kind == "visit" and (
                    date is None or date.precision == "day")):
            host = self._signing_during(sentence, action, host, date, place)
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
            if place and (host.place is None or _is_country(host.place) and
                          not _is_country(place)):
                host.place = place  # "a visit to Serbia", then "signed … in Belgrade"
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

    def _outcomes(self, event: Event, action: SignAction) -> None:
        """The agreements of an action become the event's outcomes, their parties its
        participants."""
        parties = list(action.parties)
        for key in action.agreements:
            if key not in event.outcomes:
                event.outcomes.append(key)
            agreement = self.agreements.agreements.get(key)
            if not parties and agreement is not None:
                parties = list(agreement.parties)
        event.add_participants(parties)

    def _signing_during(self, sentence: Sentence, action: SignAction, outer: Event,
                        date: DateMention | None, place: str | None) -> Event:
        """A signing during a visit or on the sidelines of a meeting: an event of its own,
        within the other's dates and place; the other gets the agreement as an outcome."""
        for key in action.agreements:
            if key not in outer.outcomes:
                outer.outcomes.append(key)
        signing = next((e for e in self.events if e.kind == "signing" and
                        set(action.agreements) & set(e.outcomes)), None)
        if signing is None:
            signing = Event(kind="signing", sentence=sentence.index, sentences=[sentence.index],
                            place=place or outer.place, trigger=action.verb)
            self.events.append(signing)
            if date is not None:
                self._resolve(signing, date, sentence)
            elif outer.date_value:
                signing.date_value = _common_prefix(outer.date_value)
                signing.date_text = outer.date_text
        if outer.date_value is None:  # the meeting was on when the signing was
            outer.date_value = signing.date_value or next(
                (a.signed.value for a in (self.agreements.agreements.get(k)
                                          for k in action.agreements)
                 if a is not None and a.signed is not None and a.signed.value), None)
        return signing

    def _planned_signing(self, sentence: Sentence, action: SignAction,
                         place: str | None) -> None:
        """"plans to sign an agreement … in 2024", "agreed to sign an MoU next month": an
        announced signing, when the sentence dates it."""
        date = action.date
        if date is None or date.value is None and date.kind != "relative":
            return
        if self.published and date.value and date.value[:10] < self.published.isoformat()[
                :len(date.value[:10])]:
            return  # a date past at publication: no announcement
        for event in self.events:
            if event.planned and event.kind == "signing" and \
                    set(event.outcomes) & set(action.agreements):
                event.add_participants(action.parties)
                return
        parties = list(action.parties)
        if not parties:
            current = self.context.current
            parties = list(current.participants) if current is not None else list(self.pair)
        event = Event(kind="signing", sentence=sentence.index, planned=True, announced=True,
                      place=place,
                      sentences=[sentence.index], trigger=action.verb, confidence=0.5)
        event.add_participants(parties)
        event.outcomes = list(action.agreements)
        self._resolve(event, date, sentence)
        self.events.append(event)

    def _announced_clauses(self, sentence: Sentence, found: list[tuple[int, int, str]]) -> None:
        """A later clause that announces what a reported event led to: "signed a protocol
        at the talks, under which trucks will be inspected once … from January 2025"."""
        text = sentence.text
        taken = [a - sentence.start for a, _, _ in found] + [
            a.start - sentence.start for a in self.agreements.actions
            if a.sentence == sentence.index]
        for brk in clause_breaks(text):
            start = brk.end()
            end = clause_end(text, start)
            clause = text[start:end]
            if any(start <= t < end for t in taken) or \
                    not is_future_context(clause) or _CONDITIONAL.match(clause) or \
                    not any(t < start for t in taken):
                continue
            self._announced(sentence, (start, end))

    def _announced(self, sentence: Sentence, span: tuple[int, int] | None = None) -> None:
        """"… which will start from October 5": an announced event with a day or a month,
        one per clause that dates one ("tests in the first quarter of 2025, and the full
        exchange from 15 May"); "until May 31" ends the one announced just before."""
        text = sentence.text
        if re.search(r"(?i)\bsign", text[span[0]:span[1]] if span else text):
            return
        in_force = [(sentence.start + m.start(), sentence.start + clause_end(text, m.end()))
                    for m in _IN_FORCE.finditer(text)]
        dates = [d for d in self.dates.get(sentence.index, [])
                 if d.kind in ("relative", "absolute", "range", "partial")
                 and d.precision != "year"
                 and not any(a <= d.start < b for a, b in in_force)
                 and not (in_force and (d.start, d.end) in self.used_dates and
                          d.start > in_force[0][0])
                 and not self.agreements.inside_title(sentence.index, d.start, d.end)
                 and re.search(r"[A-Za-z]", d.text) and d.kind != "anaphoric"
                 and not re.search(r"(?i)\b(?:by|before)\s+$",  # a deadline, not a date
                                   text[:d.start - sentence.start])
                 and (span is None or span[0] <= d.start - sentence.start < span[1])]
        if not dates:
            return
        if len(dates) == 1 and self._closes_announced(sentence, dates[0]):
            return
        clauses: list[DateMention] = []
        for date in dates:
            cut = [m.end() for m in re.finditer(r",\s+and\s+|;\s+|,\s+while\s+",
                                                 text[:date.start - sentence.start])]
            if clauses and cut and clauses[-1].start - sentence.start >= cut[-1]:
                continue  # the same clause as the last one taken
            if clauses and not cut:
                continue
            clauses.append(date)
        if self.published:  # a day already past at publication is no announcement's
            clauses = [d for d in clauses if not d.value or d.value.split("/")[-1] >=
                       self.published.isoformat()[:len(d.value.split("/")[-1])]]
        participants = self._participants(sentence)
        if _THE_TWO.search(text) or not participants:
            source = self.context.current.participants if self.context.current else self.pair
            participants += [p for p in source if p not in participants]
        kinds = {kind for kind, pattern in _ANNOUNCED_KINDS if pattern.search(text)}
        for date in clauses:
            event = Event(kind=kinds.pop() if len(kinds) == 1 and len(clauses) == 1 else "other",
                          sentence=sentence.index, planned=True, announced=True,
                          sentences=[sentence.index], place=self._place_in(sentence))
            event.add_participants(participants)
            self._resolve(event, date, sentence)
            event.confidence = 0.4
            self.events.append(event)

    def _closes_announced(self, sentence: Sentence, date: DateMention) -> bool:
        """"… which will run until May 31": the end of the event announced "from March 1" in
        the sentence before."""
        if not re.search(r"(?i)\b(?:until|till|through|to)\s+$",
                         sentence.text[:date.start - sentence.start]):
            return False
        last = self.events[-1] if self.events else None
        if last is None or not last.planned or last.date is None or not last.date.open_end \
                or sentence.index - max(last.sentences) > 1 or not last.date_value or \
                not date.value or "/" in last.date_value or date.value <= last.date_value:
            return False
        last.date_value = f"{last.date_value}/{date.value}"
        last.date_text = f"{last.date_text or last.date.text} … until {date.text}"
        last.sentences.append(sentence.index)
        return True

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


def _is_country(place: str) -> bool:
    return normalise_name(place) in gazetteer().countries


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
    for event in finder.events:
        if event.kind == "operation":
            event.kind = "other"
    return finder.events


def is_summary_sentence(sentence: Sentence) -> bool:
    """True when a sentence counts events ("5 events with …", "9 of those meetings")."""
    return bool(_SUMMARY_ITEM.search(sentence.text))
