"""Signing events from the agreements' signing statements: an event of its own, the outcome of
the talks it happened at, one within a visit or "on the sidelines of" a meeting, or an
announced signing ("plans to sign … in 2024")."""

from __future__ import annotations

import datetime as dt
import re

from graph.names import normalise_name
from loaders.articles.agreements.analysis import SignAction
from loaders.articles.agreements.signing import ADOPT, LAUNCH
from loaders.articles.dates import DateMention, anaphoric_shift, is_future_between
from loaders.articles.events.registry import Event, EventRegistry
from loaders.articles.gazetteer import gazetteer
from loaders.articles.sentences import Sentence, clause_end, first_search

_SIDELINES = re.compile(r"(?i)\b(?:on|at)\s+the\s+(?:sidelines|margins?)\s+of\b")


class SigningEvents(EventRegistry):
    """Events the signing of agreements makes."""

    def _signing(self, sentence: Sentence, action: SignAction, place: str | None,
                 future: bool, has_trigger: bool) -> None:
        adopt = bool(ADOPT.match(action.verb))
        at = action.start - sentence.start
        # the clause up to its verb: "signed a protocol, which is to apply from …" is done
        clause_stop = at + len(action.verb) + 1 if re.match(
            r"(?i)\w+ed\b", action.verb) else clause_end(sentence.text, at)
        date = action.date
        if action.approvers and date is not None:
            self._approval(sentence, action, date)
            return
        if action.purpose or is_future_between(sentence.text, 0, clause_stop):
            if not adopt and (action.purpose or action.main_clause):
                self._planned_signing(sentence, action, place)
            return
        if not action.main_clause:
            return
        date = action.date
        if date is not None and date.kind == "anaphoric" and not (
                date.value and anaphoric_shift(date.text)):
            date = DateMention(date.start, date.end, date.text, self._anaphoric_value(),
                               "anaphoric")
        if date is not None and date.precision in ("year", "month") and not has_trigger and \
                date.kind != "relative":
            return  # background: "an MOU signed in 2018"; not "earlier this month"
        host = None
        place = action.place or place
        same_sentence = [e for e in self.events if sentence.index in e.sentences
                         and not e.planned and not (  # "…, and the one with Y a day later"
                             e.kind == "signing" and action.place and
                             not self._dates_agree(e, date))]
        if same_sentence:
            host = same_sentence[-1]
            margins = first_search(_SIDELINES, sentence.text)
            if margins is not None:  # "On the margins of the Conference, X signed …, and Y
                # held a meeting": the event the margins are of, not the clause's
                named = sentence.text[margins.end():margins.end() + 60].lower()
                host = next((e for e in same_sentence if e.trigger and
                             e.trigger.split()[-1].lower() in named), host)
        else:
            told = self.context.current
            if told is not None and told.announced:  # "signed the minutes and agreed that
                # the next meeting will be held …": the meeting held, not the one announced
                told = next((e for e in reversed(self.events) if not e.announced and
                             sentence.index - max(e.sentences) <= 3), None)
            if told is not None and told.kind in ("talks", "meeting", "forum", "visit",
                                                  "signing") and self._dates_agree(told, date):
                host = told
            if host is None and date is None:  # "The delegations also signed a work plan"
                # after the meeting was told: undated, it was signed there
                host = next((e for e in reversed(self.events) if not e.announced and
                             e.kind in ("talks", "meeting", "forum", "visit")), None)
        if adopt:  # "adopted a plan", "the document was agreed at …": the event's outcome
            if host is not None and host.kind != "signing":
                self._outcomes(host, action)
                if LAUNCH.match(action.verb) and host.date_value and not host.planned:
                    for key in action.agreements:  # "launched at the meeting": valid from then
                        agreement = self.agreements.agreements.get(key)
                        if agreement is not None and agreement.valid_from is None:
                            value = common_prefix(host.date_value)
                            agreement.valid_from = DateMention(
                                -1, -1, host.date_text or value or "", value, "inherited")
            return
        if host is not None and host.kind not in ("signing", "forum") and (
                first_search(_SIDELINES, sentence.text) or host.kind == "visit" and (
                    date is None or date.precision == "day")):
            # on the margins of a conference or forum: its outcome, as one signed at it
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
        nth = _nth_day(sentence.text, host) if date is None else None
        for key in action.agreements:
            if key not in host.outcomes:
                host.outcomes.append(key)
            agreement = self.agreements.agreements.get(key)
            if agreement is not None and nth is not None and (
                    agreement.signed is None or not agreement.signed.value or
                    _within(agreement.signed.value, host.date_value)):
                agreement.signed = DateMention(-1, -1, nth[1], nth[0], "inherited")
            if agreement is not None and agreement.signed is None and host.date_value and \
                    not action.verb.startswith("exchang") and not host.planned:
                value = common_prefix(host.date_value)
                agreement.signed = DateMention(-1, -1, host.date_text or value, value,
                                               "inherited")
            if agreement is not None and agreement.date_text is None and host.date_text and \
                    not action.verb.startswith("exchang"):
                agreement.date_text = host.date_text
        self.context.current = self.context.current or host

    def _approval(self, sentence: Sentence, action: SignAction, date: DateMention) -> None:
        """"The State Duma on Tuesday ratified the agreement", "the Cabinet approved (the
        signing of) the MoU": an event of the approving body, one per body and day."""
        self._resolve(probe := Event(kind="other", sentence=sentence.index), date, sentence)
        same = next((e for e in self.events if e.trigger == "approval" and
                     e.date_value == probe.date_value and
                     set(e.participants) == set(action.approvers)), None)
        if same is not None:
            same.outcomes += [k for k in action.agreements if k not in same.outcomes]
            same.sentences.append(sentence.index)
            return
        event = Event(kind="other", sentence=sentence.index, sentences=[sentence.index],
                      place=None, trigger="approval")
        event.add_participants(action.approvers)
        event.outcomes = list(action.agreements)
        self._resolve(event, date, sentence)
        self.events.append(event)

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
                            place=place or outer.place, trigger=action.verb, within=outer.kind)
            self.events.append(signing)
            if date is not None:
                self._resolve(signing, date, sentence)
            elif outer.date_value:
                signing.date_value = common_prefix(outer.date_value)
                signing.date_text = outer.date_text
        signing.within = signing.within or outer.kind
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
        if any(a.sentence == action.sentence and a.approvers and
               set(a.agreements) & set(action.agreements) for a in self.agreements.actions):
            return  # "the Cabinet on Thursday approved the signing of …": the approval's date
        for event in self.events:
            if event.planned and event.kind == "signing" and \
                    set(event.outcomes) & set(action.agreements):
                event.add_participants(action.parties)
                return
        host = next((e for e in reversed(self.events) if e.planned and
                     e.kind not in ("signing", "visit") and  # during a visit: both events
                     sentence.index in e.sentences and e.date_value == date.value), None)
        if host is not None:  # "will be signed at the next meeting, to be held in Dhaka in
            # the second half of 2025": that meeting's outcome, no signing of its own
            self._outcomes(host, action)
            return
        visit = next((e for e in reversed(self.events) if e.planned and e.kind == "visit" and
                      sentence.index in e.sentences and e.date_value == date.value), None)
        if visit is not None:  # "to be signed during the visit of …": the visit's outcome too
            self._outcomes(visit, action)
        parties = list(action.parties) or [
            p for key in action.agreements if key in self.agreements.agreements
            for p in self.agreements.agreements[key].parties]
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


_NTH_DAY = re.compile(r"(?i)\bon\s+the\s+(?P<n>first|second|third|fourth|fifth|last|final|"
                      r"closing|opening)\s+day\s+of\s+(?:the|their|its)\s+")
_NTH = {"first": 0, "opening": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4}


def _nth_day(text: str, event: Event) -> tuple[str, str] | None:
    """"signed … on the second day of the meeting" (15-16 September): that day, and the
    words."""
    match = first_search(_NTH_DAY, text)  # once per sentence, not per signing
    value = event.date_value or ""
    if match is None or "/" not in value or len(value) != 21:
        return None
    first, last = (dt.date.fromisoformat(v) for v in value.split("/"))
    n = match.group("n").lower()
    day = last if n in ("last", "final", "closing") else first + dt.timedelta(days=_NTH[n])
    return (day.isoformat(), match.group(0).strip()) if day <= last else None


def _within(value: str, interval: str | None) -> bool:
    """Whether a date lies within an event's interval (its first day included)."""
    if not interval or "/" not in interval:
        return False
    first, last = interval.split("/")
    return first <= value.split("/")[0] <= last


def _is_country(place: str) -> bool:
    return normalise_name(place) in gazetteer().countries


def common_prefix(value: str) -> str | None:
    """A date for something that happened during an interval: what its ends share."""
    if "/" not in value:
        return value
    start, end = value.split("/")
    for size in (10, 7, 4):
        if start[:size] == end[:size]:
            return start[:size]
    return None
