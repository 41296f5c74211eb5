"""When agreements apply from, told apart from events: "Under the arrangements, certified
companies will receive priority clearance from 1 January 2026", "Both documents will apply
from July 1", "… will be extended from 1 August, under an arrangement signed in May"."""

from __future__ import annotations

import re

from loaders.articles.agreements.analysis import AgreementMention
from loaders.articles.agreements.registry import AgreementRegistry
from loaders.articles.agreements.signing import APPLIES_FROM
from loaders.articles.dates import is_future_context
from loaders.articles.lexicon import lexicon
from loaders.articles.sentences import Sentence, clause_end, first_search, search_before

_FROM = re.compile(r"(?i)\b(?:from|as\s+of|starting(?:\s+on)?)\s+$")
_UNDER = re.compile(r"(?i)\bunder\s+(?:the|this|these|that|those|an?|its|their|both|all)\s+"
                    r"(?:[\w-]+\s+){0,3}$")
# "Both documents will apply from …", "The three arrangements apply from …": all of them
_PLURAL_SUBJECT = re.compile(r"(?i)^\s*(?:both|all|the\s+(?:two|three|four|five|\d+))\b|"
                             r"^\s*(?:the\s+)?(?:[\w-]+\s+){0,2}(?:documents|agreements|"
                             r"arrangements|memoranda|protocols|accords|deals)\b")
_DURATION = re.compile(r"(?i)\b(?:valid|in\s+force|appl(?:y|ies))\s+for\s+(?:a\s+|an\s+)?"
                       r"(?:(?:pilot|trial|initial|further|renewable)\s+)?(?:period\s+of\s+|term\s+of\s+)?"
                       r"(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\b|"
                       r"\bfor\s+(?:a|an)\s+(?:(?:pilot|trial|initial)\s+)?(?:period|term)\s+of\s+"
                       r"(?P<m>one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\b")
# "will be applied on a trial basis for six months from Jan. 1": valid to the month it gives
_MONTHS_LONG = re.compile(r"(?i)\b(?:valid|in\s+force|appl(?:y|ies|ied))\s+(?:on\s+an?\s+"
                          r"(?:trial|pilot|provisional|temporary)\s+basis\s+)?for\s+(?:a\s+"
                          r"(?:trial\s+|pilot\s+)?period\s+of\s+)?(?P<n>one|two|three|four|"
                          r"five|six|seven|eight|nine|ten|eleven|twelve|eighteen|\d{1,2})\s+"
                          r"months?\b")
# "renewed the Arrangement for a further five years, until 2031", "agreed to extend it until
# the end of 2027": the agreement's new end
_EXTENDED = re.compile(r"(?i)\b(?:renew(?:ed|s|ing)?|extend(?:ed|s|ing)?|prolong(?:ed|s|ing)?)"
                       r"\b")
_UNTIL = re.compile(r"(?i)\b(?:until|till|to|through)\s+(?:the\s+end\s+of\s+)?$")
# "It will remain in force until 30 June 2028", "valid through 2030": the agreement's end
_IN_FORCE_UNTIL = re.compile(r"(?i)\b(?:in\s+force|valid|effective|applicable|in\s+effect)\s+"
                             r"(?:until|till|through)\s+(?:the\s+end\s+of\s+)?")
# "will be operated on a trial basis from May 1 to October 31": the agreement just signed
_TRIAL_FROM = re.compile(r"(?i)\b(?:operat(?:e|es|ed)|run|runs|us(?:e|ed)|test(?:s|ed)?|"
                         r"implement(?:s|ed)?|appl(?:y|ies|ied))\s+on\s+an?\s+(?:trial|pilot|"
                         r"provisional|temporary|experimental)\s+basis\s+(?:from|as\s+of|"
                         r"starting)\b")
# "renewed, for a further five years, the Arrangement": valid to the report's year and five
_FURTHER = re.compile(r"(?i)\bfor\s+(?:a|an|another)\s+(?:further|additional|new)?\s*"
                      r"(?:period\s+of\s+|term\s+of\s+)?(?P<n>one|two|three|four|five|six|"
                      r"seven|eight|nine|ten|\d{1,2})\s+years?\b")
# "It will …", "The addendum will …": the sentence's subject is an agreement named before
_ANAPHORIC_SUBJECT = re.compile(r"(?i)\s*(?:it|this|they|these|the\s+[\w-]+)\s+"
                                r"(?:will|shall|would|is|was|remains|are|were)\b")
_YEARS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}
_RECENT = 3  # sentences back that a subject without a title may refer to
# "Under the arrangements, …" with no title: the agreements just signed
_UNDER_NOUN = re.compile(r"(?i)\bunder\s+(?:the|these|those|both|all|this|that)\s+"
                         r"(?:(?:two|three|four|five|new|\d+)\s+)?(?P<noun>"
                         + lexicon().agreement_pattern() +
                         r"|memorand(?:um|a)|mous?|mras?)\b")


class ValidityStatements(AgreementRegistry):
    """Reads the dates from which agreements apply."""

    def validity(self, sentence: Sentence,
                 mentions: list[tuple[AgreementMention, str]]) -> None:
        text = sentence.text
        if not is_future_context(text):
            return
        # what the sentence acts "under" and what "applies from" reads no date: found once
        under: list[str] | None = None
        applies: list[str] | None = None
        verb = first_search(APPLIES_FROM, text) or first_search(_TRIAL_FROM, text)
        for date in self.dates.get(sentence.index, []):
            at = date.start - sentence.start
            # "will apply from 15 July to 15 September": a range right after the verb
            ranged = date.kind == "range" and bool(re.match(r"(?i)from\s", date.text)) and \
                verb is not None and verb.start() < at < verb.end()
            if date.value is None or not (ranged or search_before(_FROM, text, at)):
                continue
            if under is None:
                under = [] if ranged else self._under(sentence, mentions)
            keys = under
            if not keys and verb is not None and verb.start() < at:
                if applies is None:
                    applies = self._applies(sentence, mentions, verb) or (
                        self._last_named(sentence) if ranged and not any(
                            m.start - sentence.start < verb.start() for m, _ in mentions)
                        else [])
                keys = applies
            if not keys:
                continue
            for key in keys:
                agreement = self.result.agreements[key]
                if agreement.valid_from is None:
                    agreement.valid_from = date
            self.result.validity_dates.add((date.start, date.end))

    def duration(self, sentence: Sentence) -> None:
        """"enter into force on April 1, 2025 and remain valid for five years", "apply from
        September 1 for a pilot period of one year": valid to the year its length gives."""
        match = _DURATION.search(sentence.text)
        if match is None:
            return
        words = match.group("n") or match.group("m")
        years = _YEARS.get(words.lower()) or int(words)
        inside = range(sentence.start, sentence.end)
        for agreement in self.result.agreements.values():
            start = next((d for d in (agreement.valid_from, agreement.in_force)
                          if d is not None and d.value and d.start in inside), None)
            if start is not None and agreement.valid_to is None:
                agreement.valid_to = str(int(start.value[:4]) + years)

    def months_long(self, sentence: Sentence) -> None:
        """"will be applied on a trial basis for six months from Jan. 1, 2026": valid to the
        month that length ends in (June 2026)."""
        match = _MONTHS_LONG.search(sentence.text)
        if match is None:
            return
        words = match.group("n")
        months = _YEARS.get(words.lower()) or int(words)
        inside = range(sentence.start, sentence.end)
        for agreement in self.result.agreements.values():
            start = next((d for d in (agreement.valid_from, agreement.in_force)
                          if d is not None and d.value and len(d.value) >= 7 and
                          d.start in inside), None)
            if start is not None and agreement.valid_to is None:
                year, month = int(start.value[:4]), int(start.value[5:7])
                day = int(start.value[8:10]) if len(start.value) >= 10 else 1
                last = year * 12 + month - 1 + months - (1 if day == 1 else 0)
                agreement.valid_to = f"{last // 12:04d}-{last % 12 + 1:02d}"

    def until(self, sentence: Sentence,
              mentions: list[tuple[AgreementMention, str]]) -> None:
        """"It will be in force until 30 June 2028", "the protocol remains valid through
        2030": the agreement (named before the words in the sentence, else the one the
        sentences just before name, for a subject "it" / "the addendum") is valid to that
        date, which dates no event."""
        text = sentence.text
        match = first_search(_IN_FORCE_UNTIL, text)
        if match is None:
            return
        date = next((d for d in self.dates.get(sentence.index, [])
                     if d.start - sentence.start == match.end() and d.value), None)
        if date is None:
            return
        named = [k for m, k in mentions if m.end - sentence.start <= match.start()][-1:]
        if not named and _ANAPHORIC_SUBJECT.match(text):
            named = self._last_named(sentence)
        for key in named:
            agreement = self.result.agreements[key]
            agreement.valid_to = agreement.valid_to or date.value.split("/")[-1]
            self.result.validity_dates.add((date.start, date.end))

    def _last_named(self, sentence: Sentence) -> list[str]:
        """The agreement named last in the sentences just before."""
        for index in range(sentence.index - 1, max(-1, sentence.index - 1 - _RECENT), -1):
            spans = self.result.spans.get(index)
            if spans:
                return [max(spans)[2]]
        return []

    def extension(self, sentence: Sentence,
                  mentions: list[tuple[AgreementMention, str]]) -> None:
        """"renewed their Arrangement for a further five years, until 2031", "agreed to
        extend it (the memorandum …) until the end of 2028": the agreement (named in the
        clause, else the one just named) is valid to that date, which dates no event."""
        text = sentence.text
        verb = _EXTENDED.search(text)
        if verb is None:
            return
        stop = clause_end(text, verb.end())
        date = next((d for d in self.dates.get(sentence.index, [])
                     if verb.end() <= d.start - sentence.start < stop and d.value and
                     search_before(_UNTIL, text, d.start - sentence.start)), None)
        if date is None:
            self._renewed_for(sentence, mentions, verb, stop)
            return
        named = [k for m, k in mentions if verb.end() <= m.start - sentence.start <
                 date.start - sentence.start] or [
            k for m, k in mentions if m.end - sentence.start <= verb.start()][-1:]
        if not named and re.match(r"\s+(?:it|them)\b", text[verb.end():]) and self.order:
            named = [self.order[-1]]
        for key in named[:1]:
            agreement = self.result.agreements[key]
            value = date.value.split("/")[-1]
            agreement.valid_to = agreement.valid_to or value
            self.result.validity_dates.add((date.start, date.end))

    def _renewed_for(self, sentence: Sentence, mentions: list[tuple[AgreementMention, str]],
                     verb: re.Match[str], stop: int) -> None:
        """"renewed, for a further five years, the Arrangement …": no end date told; the
        agreement (the first named after the verb) runs that long from the report's year."""
        text = sentence.text
        length = _FURTHER.search(text, verb.end())
        if length is None or length.start() > stop + 80:
            return
        words = length.group("n")
        key = next((k for m, k in mentions if m.start - sentence.start >= verb.end()), None)
        if key is not None:
            self.result.agreements[key].renewed_years = _YEARS.get(words.lower()) or int(words)

    def _under(self, sentence: Sentence,
               mentions: list[tuple[AgreementMention, str]]) -> list[str]:
        """The agreements a sentence says it acts "under"."""
        for mention, key in mentions:
            before = self.text[max(sentence.start, mention.start - 60):mention.start]
            if _UNDER.search(before):
                return self._all_of(key) if _plural(mention) else [key]
        match = _UNDER_NOUN.search(sentence.text)
        if match is None:
            return []
        noun = match.group("noun").lower()
        return self._recent(sentence, plural=noun.endswith(("s", "memoranda")) and
                            noun not in ("mous",) or noun == "mous")

    def _recent(self, sentence: Sentence, plural: bool) -> list[str]:
        """The agreements signed in the sentences just before: all, or the latest."""
        recent = [a for a in self.result.agreements.values() if a.signed_in is not None and
                  0 < sentence.index - a.signed_in <= _RECENT]
        if not recent:
            return []
        if plural:
            return [a.key for a in recent]
        return [max(recent, key=lambda a: (a.signed_in, self.order.index(a.key))).key]

    def _applies(self, sentence: Sentence, mentions: list[tuple[AgreementMention, str]],
                 verb: re.Match[str]) -> list[str]:
        """"X will apply from DATE" where X is no title of this sentence: the agreements the
        sentences just before signed (all of them for "both documents"). ``verb`` is the
        sentence's first "apply from", found before DATE."""
        text = sentence.text
        if any(m.start - sentence.start < verb.start() for m, _ in mentions):
            return []
        return self._recent(sentence, bool(_PLURAL_SUBJECT.search(text[:verb.start()])))

    def _all_of(self, key: str) -> list[str]:
        """"the arrangements": the ones signed in the same sentence as ``key``."""
        signed_in = self.result.agreements[key].signed_in
        if signed_in is None:
            return [key]
        return [a.key for a in self.result.agreements.values() if a.signed_in == signed_in]


def _plural(mention: AgreementMention) -> bool:
    words = mention.title.lower().split()
    return bool(words) and (words[-1].endswith("s") and words[-1] not in ("mous", "mocs") and
                            not words[-1].endswith("ss") or words[-1] in ("memoranda",
                                                                          "mous", "mocs"))


