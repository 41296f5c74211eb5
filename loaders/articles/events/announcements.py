"""Events only announced: one per clause that dates one ("will begin exchanging data from
March 2024", "in the first quarter of 2025, and … on 15 May"), its kind from what it names,
"until May 31" closing the one announced "from March 1"; none dated before publication."""

from __future__ import annotations

import re

from loaders.articles.agreements.signing import APPLIES_FROM, IN_FORCE
from loaders.articles.dates import DateMention, is_future_context
from loaders.articles.events.registry import CONDITIONAL, Event, EventRegistry
from loaders.articles.sentences import Sentence, clause_breaks, clause_end, search_before

_THE_TWO = re.compile(r"(?i)\b(?:they|the\s+two\s+(?:customs\s+)?(?:sides|parties|"
                      r"administrations|agencies|services|countries|authorities|delegations)|"
                      r"both\s+(?:sides|parties|agencies|administrations|services|countries|"
                      r"authorities)|"
                      r"the\s+(?:sides|parties))\b")
# What an announced event is, from the words that name it: "monthly video conferences, the
# first of which is scheduled for …", "officers will be trained in …"
_ANNOUNCED_KINDS = [(kind, re.compile(pattern, re.I)) for kind, pattern in [
    ("meeting", r"\b(?:video\s*conferences?|videoconferences?|meetings|consultations)\b"),
    ("training", r"\b(?:be\s+trained|trainings|seminars|workshops|courses)\b"),
    ("visit", r"\bvisits\b"),
    ("forum", r"\b(?:forums|conferences)\b(?<!video\sconferences)"),
]]


class AnnouncedEvents(EventRegistry):
    """Events a sentence announces."""

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
                    not is_future_context(clause) or CONDITIONAL.match(clause) or \
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
                    for pattern in (IN_FORCE, APPLIES_FROM) for m in pattern.finditer(text)]
        in_force.sort()  # "the agreement will apply from March 15": validity, no event
        dates = [d for d in self.dates.get(sentence.index, [])
                 if d.kind in ("relative", "absolute", "range", "partial")
                 and d.precision != "year"
                 and not any(a <= d.start < b for a, b in in_force)
                 and (d.start, d.end) not in self.agreements.validity_dates
                 and not (in_force and (d.start, d.end) in self.used_dates and
                          d.start > in_force[0][0])
                 and not self.agreements.inside_title(sentence.index, d.start, d.end)
                 and re.search(r"[A-Za-z]", d.text) and d.kind != "anaphoric"
                 and not search_before(r"(?i)\b(?:by|before)\s+$",  # a deadline, not a date
                                       text, d.start - sentence.start)
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
        if not search_before(r"(?i)\b(?:until|till|through|to)\s+$",
                             sentence.text, date.start - sentence.start):
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
