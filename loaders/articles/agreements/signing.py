"""What sentences say agreements underwent: signed (or exchanged, adopted, to be signed),
entered into force, dated, valid for years ("Action Plan 2024-2026"), and who the parties are
(the signers, "the two sides", "X and Y have an FTA")."""

from __future__ import annotations

import bisect
import re

from loaders.articles.agreements.analysis import AgreementMention, SignAction
from loaders.articles.agreements.lists import _BACKGROUND, CounterpartLists
from loaders.articles.agreements.titles import PLAN_HEAD
from loaders.articles.dates import DateMention, is_future_between
from loaders.articles.entities.analysis import Mention
from loaders.articles.sentences import Sentence, clause_end, matches_in, search_before
from loaders.articles.sentences import clause_start as clause_start_of

_SIGN = re.compile(r"(?i)\b(?P<verb>sign(?:s|ed|ing)?|subscrib(?:e|es|ed)|ink(?:s|ed)?|"
                   r"conclud(?:e|es|ed)|"
                   r"exchang(?:e|es|ed)|adopt(?:s|ed)?|approv(?:e|es|ed)|endors(?:e|es|ed)|"
                   r"launch(?:es|ed)?|initial(?:l?ed|s)|ratif(?:y|ies|ied)|"
                   r"agreed(?:\s+(?:on|upon))?)\b")
# Verbs that make an agreement the parties' without signing it ("adopted a plan").
ADOPT = re.compile(r"(?i)^(?:adopt|approv|endors|agreed|launch|initial|ratif)")
# Verbs from which an agreement applies: "the plan was launched" (valid from then)
LAUNCH = re.compile(r"(?i)^launch")
# "the Agreement will apply from 15 March": validity, not entry into force
APPLIES_FROM = re.compile(r"(?i)\b(?:appl(?:y|ies|ied)|applicable|valid|operational)\s+"
                          # "will be applied on a trial basis for six months from …"
                          r"(?:on\s+an?\s+(?:trial|pilot|provisional|temporary)\s+basis\s+)?"
                          r"(?:for\s+(?:a\s+(?:trial\s+|pilot\s+)?period\s+of\s+)?[\w-]+\s+"
                          r"(?:months?|years?)\s+)?(?:from|as\s+of|starting)\b")
# "have signed a deal …, the Kuwaiti side announced on Wednesday": the report's date
_REPORTED = re.compile(r"(?i)\b(?:said|announced|reported|stated|confirmed|disclosed)\s+"
                       r"(?:on\s+|in\s+)?$")
# "the agreement …, which the Parliament of Finland ratified": the clause's object is before it
_WHICH_SUBJECT = re.compile(r"(?i)\b(?:which|that)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+|of\s+){1,6}"
                            r"(?:had\s+|has\s+)?$")
# "approved the draft", "endorsed the text": the agreement named last
_THE_DRAFT = re.compile(r"(?i)\s+the\s+(?:draft|text)\b(?!\s+of\b)")
_DIRECT_OBJECT = re.compile(r"(?i)^\s+(?:(?:a|an|the|this|that|their|its|new|joint)\s+)*$")
IN_FORCE = re.compile(r"(?i)\b(?:took|take|takes|taken|taking)\s+effect|"
                       r"(?:entered|enters|enter|entering|came|come|comes|coming)\s+in(?:to)?\s+"
                       r"(?:force|vigou?r)|"
                       r"(?:effective|in\s+force)\s+(?:from|since|as\s+of)")
_DATED = re.compile(r"(?i)\bdated\b")
# ", and the Liaison Office held a meeting with …": another clause with its own subject and
# verb; its date is not the signing's
_ANOTHER_CLAUSE = re.compile(r",\s+(?:and|while)\s+(?:the\s+)?[A-Z][^,;]{0,120}?\b(?:held|hosted|"
                             r"met|organi[sz]ed|conducted|opened|visited|discussed)\b")
# "…, which was signed in December 2024", "…, signed in Astana in July 2024": the date of an
# earlier act of the object, not the verb's
_WHICH_WAS = re.compile(r"(?i),\s*(?:(?:which|that)\s+(?:was|were|had\s+been|has\s+been)\s+"
                        r"\w+ed\b|(?:originally\s+|first\s+|previously\s+)?(?:signed|concluded|"
                        r"inked)\s+(?:in|on|at)\b)")
_AS_WELL_AS = re.compile(r"(?i)(?:,\s*|\s+)(?:as\s+well\s+as|along\s+with|together\s+with)\s+"
                         r"(?:the\s+|a\s+|an\s+)?")
_VALIDITY_BEFORE = re.compile(r"(?i)(?:\b(?:appl(?:y|ies|ied)|applicable|valid|effective|"
                              r"operational)\s+(?:from|as\s+of|starting)|\binto\s+force\s+(?:on|from)|"
                              r"\bin\s+force\s+(?:since|from|as\s+of)|"
                              r"\bin\s+vigou?r\s+(?:on|from)?(?:\s*the)?)\s*$")
_BE = re.compile(r"(?i)\b(?:was|were|been|be|being|is|are)\s+$")
# "takes effect on the day of signing", "enters into force upon signature"
_ON_SIGNING = re.compile(r"(?i)\s+(?:on\s+the\s+(?:day|date)\s+of\s+(?:its\s+)?"
                         r"(?:signing|signature)|upon\s+(?:its\s+)?(?:signing|signature))\b")
# "The documents were signed …", "Both agreements were signed …": those just named
_PLURAL_ANAPHOR = re.compile(r"(?i)\b(?:the|both|these|all|the\s+two|the\s+three)\s+"
                             r"(?:two\s+|three\s+)?(?:documents|agreements|memoranda|"
                             r"arrangements|protocols|instruments)\s+(?:were|have\s+been|had\s+"
                             r"been)\s+$")
_BY = re.compile(r"\bby\b")
_WITH = re.compile(r"\bwith\b")
_PRONOUN_PARTIES = re.compile(
    r"(?i)\b(?:the\s+two|both)\s+(?P<what>sides|parties|agencies|countries|governments|"
    r"administrations|services|nations|states|customs\s+(?:services|administrations|"
    r"authorities))|\bthe\s+(?P<what2>parties|sides)\b")
_APPROVERS = frozenset({"cabinet", "duma", "parliament", "assembly", "senate", "congress",
                        "khural", "majlis", "rada", "sejm", "bundestag", "storting", "riksdag",
                        "knesset", "legislature", "seimas", "saeima", "riigikogu"})
# Councils that approve for a government: "the Swiss Federal Council", "the State Council"
_APPROVING_COUNCILS = frozenset({"federal council", "state council", "executive council"})


def _approves(name: str) -> bool:
    """True for a body that approves or ratifies agreements: "the Union Cabinet", "the
    Parliament of Finland", "the Council of Ministers of Nepal"."""
    words = name.lower().split()
    return bool(words) and (words[-1] in _APPROVERS or words[0] in _APPROVERS or
                            " ".join(words[:3]) == "council of ministers" or
                            " ".join(words[-2:]) in _APPROVING_COUNCILS)


def _date_start(date: DateMention) -> int:
    return date.start


class SigningStatements(CounterpartLists):
    """Reads the signing, entry-into-force and possession statements of a sentence."""

    def relations(self, sentence: Sentence, mentions: list[tuple[AgreementMention, str]],
                  parties_by_pair: list[str]) -> None:
        text = sentence.text
        dates = self.dates.get(sentence.index, [])
        # the titles' spans in order, with the furthest end up to each, and whether the
        # mentions come in order: a long sentence's many verbs look them up by bisection
        spans = sorted((m.start, m.end) for m, _ in mentions)
        span_starts = [a for a, _ in spans]
        furthest: list[int] = []
        for _, b in spans:
            furthest.append(max(b, furthest[-1]) if furthest else b)
        starts = [m.start for m, _ in mentions]
        in_order = starts == span_starts
        for match in _SIGN.finditer(text):
            verb = match.group("verb").lower()
            v_start = sentence.start + match.start()
            v_end = sentence.start + match.end()
            inside = bisect.bisect_right(span_starts, v_start)
            if inside and furthest[inside - 1] > v_start:
                continue  # "signing" inside a title
            end_of_clause = clause_end(text, match.end())
            if in_order:
                after = mentions[bisect.bisect_left(starts, v_end):
                                 bisect.bisect_left(starts, sentence.start + end_of_clause)]
            else:
                after = [(m, k) for m, k in mentions
                         if v_end <= m.start < sentence.start + end_of_clause]
            if verb.startswith("exchang") and not (after and after[0][0].start - v_end <= 12):
                continue
            adopt = bool(ADOPT.match(verb))
            passive = bool(search_before(_BE, text, match.start()))
            # "…, which the Parliament ratified in June"; "had approved the draft on …"
            told_object = adopt and not passive and bool(
                search_before(_WHICH_SUBJECT, text, match.start()) or
                _THE_DRAFT.match(text, match.end()) and self.order)
            if adopt and not passive and not told_object and not (after and _DIRECT_OBJECT.match(
                    self.text[v_end:after[0][0].start])):
                continue  # "agreed to sign", "agreed that …"
            objects = self._coordinated(after, text, match.end())
            if told_object and not objects and _THE_DRAFT.match(text, match.end()):
                last = self.result.agreements[self.order[-1]]
                objects = [(last.mentions[-1], last.key)] if last.mentions else []
            relative = bool(search_before(r"(?i)\b(?:which|that|who)\s+(?:was|were|has been|"
                                          r"have been|had been|is|are)?\s*(?:\w+\s+)?$",
                                          text, match.start()))
            participle = verb == "signed" and bool(re.match(r"\s+(?:by|in|on|at|between)\b",
                                                            text[match.end():])) and not \
                search_before(_BE, text, match.start())
            if not objects or relative or passive or participle:
                before = [(m, k) for m, k in mentions if m.end <= v_start]
                if before and (relative or passive or participle or not objects):
                    objects = [before[-1]]
                    also = _AS_WELL_AS.search(text, match.end(), match.end() + 60)
                    # "X was signed (on DATE), as well as Y"
                    objects += [(m, k) for m, k in mentions if also and
                                m.start == sentence.start + also.end() and (m, k) not in objects]
            if not objects and passive and search_before(_PLURAL_ANAPHOR, text, match.start()):
                objects = self._told_together(sentence.index)  # "The documents were signed"
            if not objects:
                continue
            purpose = bool(search_before(r"(?i)\b(?:to|for|will|would|shall|should|could|may|"
                                         r"might|plan\s+to|plans\s+to|intend\s+to)\s+"
                                         r"(?:be\s+)?$", text, match.start())) or \
                verb == "signing" and bool(search_before(
                    r"(?i)\b(?:for|before|of)\s+$|\b(?:witness|attend|approv\w*|authori[sz]\w*|"
                    r"await\w*|prepar\w*\s+for)\s+the\s+$", text, match.start()) or
                    is_future_between(text, clause_start_of(text, match.start()),
                                      end_of_clause))
            clause_start = self._clause_start(text, match.start())
            date = self._date_near(dates, sentence, clause_start, end_of_clause, v_start,
                                   objects)
            parties = self._agents(sentence, clause_start, match, passive or participle,
                                   end_of_clause, parties_by_pair, objects)
            main = not (relative or participle) and not purpose and \
                not matches_in(_BACKGROUND, text, clause_start, match.start())
            approvers = [k for k in self._parties_between(
                sentence, sentence.start + clause_start, v_start, []) if k in
                self.entities.agencies and _approves(self.entities.agencies[k].name)
                ] if adopt and not passive or verb == "signing" and search_before(
                    r"(?i)\bapprov\w*\s+the\s+$", text, match.start()) else []
            self.result.actions.append(SignAction(
                sentence.index, verb, [k for _, k in objects], parties, date, main, purpose,
                v_start, approvers))
            for _, key in objects:
                agreement = self.result.agreements[key]
                if not agreement.title_parties and not purpose:
                    for party in parties:
                        if party not in agreement.parties:
                            agreement.parties.append(party)
                if LAUNCH.match(verb) and date is not None and agreement.valid_from is None:
                    agreement.valid_from = date
                if verb.startswith("exchang") or adopt:
                    continue
                if purpose:
                    continue
                reported = date is not None and bool(search_before(
                    _REPORTED, text, date.start - sentence.start))
                if date is not None and (agreement.signed is None or
                                         agreement.signed.value is None or
                                         agreement.signed_reported and not reported):
                    agreement.signed = date  # "…, X announced on Wednesday", then "The
                    agreement.signed_reported = reported  # accord was signed on Monday"
                agreement.signed_in = agreement.signed_in if agreement.signed_in is not None \
                    else sentence.index
                agreement.status = "signed"
        for match in IN_FORCE.finditer(text):
            start = sentence.start + match.start()
            before = [(m, k) for m, k in mentions if m.end <= start]
            after = [(m, k) for m, k in mentions if m.start >= start]
            target = before[-1] if before else (after[0] if after else None)
            if target is None:
                continue
            end_of_clause = clause_end(text, match.end())
            date = next((d for d in dates if d.start >= start and
                         d.start < sentence.start + end_of_clause), None)
            if date is None:  # "… on 15 May 2025, when the Agreement enters into force"
                date = next((d for d in dates if d.end <= target[0].start and re.fullmatch(
                    r"(?i)\s*,?\s*when\s+(?:the\s+|this\s+|their\s+)?",
                    self.text[d.end:target[0].start])), None)
            if date is None and _ON_SIGNING.match(text, match.end()):
                date = self.result.agreements[target[1]].signed  # "on the day of signing"
            if date is not None:
                agreement = self.result.agreements[target[1]]
                agreement.in_force = agreement.in_force or date
                agreement.status = "in-force"
        for match in APPLIES_FROM.finditer(text):
            start = sentence.start + match.start()
            before = [(m, k) for m, k in mentions if m.end <= start]
            key = before[-1][1] if before else (
                self.order[-1] if self.order and re.search(
                    r"(?i)\b(?:it|this|they)\s+(?:will\s+|shall\s+|would\s+)?$",
                    text[:match.start()]) else None)
            # (a range "from 15 July to 15 September" starts with the verb's "from")
            date = next((d for d in dates if (d.start >= sentence.start + match.end() or
                                              d.start > start and d.kind == "range") and
                         d.start < sentence.start + clause_end(text, match.end())), None)
            if key is not None and date is not None:
                agreement = self.result.agreements[key]
                agreement.valid_from = agreement.valid_from or date
        for match in _DATED.finditer(text):
            start = sentence.start + match.end()
            date = next((d for d in dates if 0 <= d.start - start <= 2), None)
            before = [(m, k) for m, k in mentions if m.end <= start]
            if date and before:
                agreement = self.result.agreements[before[-1][1]]
                agreement.signed = agreement.signed or date
        for mention, key in mentions:
            valid = self._validity(mention, dates)
            if valid is not None:
                value = valid.value if "/" in (valid.value or "") else \
                    f"{valid.value}/{valid.value}"
                self.result.agreements[key].valid = DateMention(
                    valid.start, valid.end, valid.text, value, "range")
                if valid.end <= mention.start:
                    continue
            # "the 2015 Agreement": the year it was signed
            before = self.text[max(sentence.start, mention.start - 20):mention.start]
            year = re.search(r"(?i)\b(?:the|a|an|its|their)\s+((?:19|20)\d\d)\s+$", before)
            agreement = self.result.agreements[key]
            if year and agreement.signed is None:
                at = mention.start - len(before) + year.start(1)
                agreement.signed = DateMention(at, at + 4, year.group(1), year.group(1),
                                               "partial")

    def _validity(self, mention: AgreementMention, dates: list[DateMention]
                  ) -> DateMention | None:
        """The years a plan covers: "plan for 2019-2023 period", "plan for 2023", "Action
        Plan 2024-2026", "the 2024-2026 roadmap"."""
        plan = bool(PLAN_HEAD.search(mention.head))
        head_end = self.text.find(mention.head, mention.start) + len(mention.head)
        # a date inside the title, or one right before it (with spaces between at most)
        for date in dates[bisect.bisect_left(dates, mention.start - 220, key=_date_start):
                          bisect.bisect_left(dates, mention.end, key=_date_start)]:
            if date.precision != "year":
                continue
            if mention.start <= date.start and date.end <= mention.end:
                if re.search(r"(?i)\bfor\s+(?:the\s+)?(?:period\s+)?$",
                             self.text[mention.start:date.start]):
                    return date
                if plan and date.start >= head_end and (
                        not self.text[head_end:date.start].strip() or date.end == mention.end):
                    return date  # "Action Plan 2024-2026", "Framework for … Cooperation 2024-2027"
            if plan and date.end <= mention.start and \
                    not self.text[date.end:mention.start].strip():
                return date
        return None

    def possession(self, sentence: Sentence, mentions: list[tuple[AgreementMention, str]]
                   ) -> None:
        """"the EAEU and Vietnam have a Free Trade Agreement": who the parties are."""
        for match in re.finditer(r"(?i)\b(?:have|has|had)\s+(?:signed\s+)?(?:an?|the)\s+",
                                 sentence.text):
            at = sentence.start + match.end()
            target = next(((m, k) for m, k in mentions if 0 <= m.start - at <= 3), None)
            if target is None:
                continue
            agreement = self.result.agreements[target[1]]
            if agreement.parties:
                continue
            for mention in self.entities.mentions(sentence.index):
                if mention.start < sentence.start + match.start() and mention.role != "inside":
                    key = self._party_key(mention)
                    if key and key not in agreement.parties:
                        agreement.parties.append(key)

    @staticmethod
    def _clause_start(text: str, at: int) -> int:
        cut = text.rfind(";", 0, at)
        return cut + 1 if cut >= 0 else 0

    @staticmethod
    def _coordinated(after: list[tuple[AgreementMention, str]], text: str,
                     verb_end: int) -> list[tuple[AgreementMention, str]]:
        """The objects of a verb: the first mention after it and those joined by "and"."""
        if not after:
            return []
        objects = [after[0]]
        for mention in after[1:]:
            prev = objects[-1][0]
            gap = mention[0].start - prev.end
            if gap > 12:
                break
            objects.append(mention)
        return objects

    def _told_together(self, index: int) -> list[tuple[AgreementMention, str]]:
        """The agreements the last sentence before ``index`` that names two or more names
        (within two sentences): what "the documents" refers to."""
        by_sentence: dict[int, list[tuple[AgreementMention, str]]] = {}
        for key in self.order:
            for mention in self.result.agreements[key].mentions:
                if index - 2 <= mention.sentence < index:
                    by_sentence.setdefault(mention.sentence, []).append((mention, key))
        for sentence in sorted(by_sentence, reverse=True):
            keys = list(dict.fromkeys(k for _, k in by_sentence[sentence]))
            if len(keys) >= 2:
                return [next(p for p in by_sentence[sentence] if p[1] == k) for k in keys]
        return []

    def _date_near(self, dates: list[DateMention], sentence: Sentence, clause_start: int,
                   clause_end: int, v_start: int,
                   objects: list[tuple[AgreementMention, str]]) -> DateMention | None:
        """The first date of the clause after the verb, else the last before it, not one
        inside the objects' titles (``dates`` are in order: found by bisection)."""
        low = bisect.bisect_left(dates, sentence.start + clause_start, key=_date_start)
        high = bisect.bisect_left(dates, sentence.start + clause_end, key=_date_start)
        verb = bisect.bisect_right(dates, v_start, key=_date_start, lo=low, hi=high)

        # where another clause with its own subject and verb starts (looked for once, over a
        # window: a long sentence has many verbs)
        other = _ANOTHER_CLAUSE.search(self.text, v_start, min(sentence.start + clause_end,
                                                               v_start + 400))
        other_clause = other.start() if other is not None else len(self.text)

        # none after it: "signed an MoU, and the RILO held a meeting … on 5 May"
        high = bisect.bisect_left(dates, other_clause, key=_date_start, lo=verb, hi=high)

        usable = self._usable_dates(dates, sentence)
        # the first "…, which was signed" after the verb: a date after its end has it between
        which = self._which_was(v_start)

        def free(d: DateMention) -> bool:
            if any(m.start <= d.start < m.end for m, _ in objects):
                return False
            if d.start > v_start and matches_in(_WHICH_WAS, self.text, v_start, d.start):
                return False  # "ratified the Agreement …, which was signed in December 2024"
            return True

        after = None
        for i in usable[bisect.bisect_left(usable, verb):bisect.bisect_left(usable, high)]:
            if which is not None and which < dates[i].start:
                break  # this one and those after it: "…, which was signed" between
            if free(dates[i]):
                after = dates[i]
                break
        before = next((dates[i] for i in reversed(usable[bisect.bisect_left(usable, low):
                                                         bisect.bisect_left(usable, verb)])
                       if dates[i].start < v_start and free(dates[i])), None)
        if after is not None and after.precision == "year" and before is not None and \
                before.precision in ("day", "month") and re.search(
                    r"(?i)\bthe\s+$", self.text[max(0, after.start - 5):after.start]) and \
                re.match(r"\s+[A-Z]", self.text[after.end:after.end + 2]):
            return before  # "on Wednesday signed … at the 2025 Forum": the day, not a name's year
        return after if after is not None else before

    def _usable_dates(self, dates: list[DateMention], sentence: Sentence) -> list[int]:
        """The indices of the dates of a sentence that may date a signing: not inside an
        agreement's title ("…, as well as the Plan for 2025–2026": another's title), not
        after "apply from" ("…, which is to apply from September 1": validity, not
        signing). Found once per sentence and titles."""
        cache = self.__dict__.setdefault("_usable_index", {})
        version = (id(dates), len(dates), len(self.result.spans.get(sentence.index, [])))
        found = cache.get(sentence.index)
        if found is None or found[0] != version:
            usable = [i for i, d in enumerate(dates)
                      if not self.result.inside_title(sentence.index, d.start, d.end) and
                      not _VALIDITY_BEFORE.search(
                          self.text[max(sentence.start, d.start - 40):d.start])]
            found = (version, usable)
            cache[sentence.index] = found
        return found[1]

    def _which_was(self, at: int) -> int | None:
        """The end of the first "…, which was signed" of the text from ``at``, if any (a
        search that far ends inside the text, so that it finds it whatever follows)."""
        ends = self.__dict__.get("_which_ends")
        if ends is None:
            ends = [(m.start(), m.end()) for m in _WHICH_WAS.finditer(self.text)]
            self.__dict__["_which_ends"] = ends
        i = bisect.bisect_left(ends, (at, -1))
        return ends[i][1] if i < len(ends) else None

    def _agents(self, sentence: Sentence, clause_start: int, match: re.Match, passive: bool,
                clause_end: int, pair: list[str],
                objects: list[tuple[AgreementMention, str]]) -> list[str]:
        """Who signed: the subject before the verb, or "by ..." after a passive."""
        text = sentence.text
        if passive:
            by = _BY.search(text, match.end(), clause_end + 3)  # no further: one in the clause
            if not by or by.start() > clause_end:
                return []
            span = (sentence.start + by.end(), sentence.start + clause_end)
        else:
            span = (sentence.start + clause_start, sentence.start + match.start())
        titles = [(m.start, m.end) for m, _ in objects]
        agents = self._parties_between(sentence, span[0], span[1], titles)
        with_ = _WITH.search(text, match.end(), clause_end + 5)
        if not passive and with_ and with_.start() < clause_end:  # "signed an MoU with X"
            for mention in self.entities.starting_in(sentence.index,
                                                     sentence.start + with_.end(),
                                                     sentence.start + clause_end):
                if not any(a <= mention.start < b for a, b in titles):
                    key = self._party_key(mention)
                    if key and key not in agents:
                        agents.append(key)
                    break
        agents = self._without_approvers(agents)
        agents = [a for a in agents if not (re.fullmatch(r"[A-Z]{2}", a) and any(
            self.entities.country_of(b) == a for b in agents if b != a))]
        pronoun = None if agents else _PRONOUN_PARTIES.search(
            text[span[0] - sentence.start:span[1] - sentence.start])
        if not agents and pronoun:
            what = (pronoun.group("what") or pronoun.group("what2") or "").lower()
            if what in {"countries", "governments", "nations", "states"}:
                codes = [self.entities.country_of(p) or p for p in pair]
                return [c for c in dict.fromkeys(codes) if c]
            return list(pair)
        return agents

    def _without_approvers(self, agents: list[str]) -> list[str]:
        """A cabinet or parliament approving or ratifying an agreement is no party to it: its
        country is (when known)."""
        out: list[str] = []
        for key in agents:
            agency = self.entities.agencies.get(key)
            if agency is not None and agency.name.split()[-1].lower() in _APPROVERS:
                key = agency.country or ""
            if key and key not in out:
                out.append(key)
        return out

    def _parties_between(self, sentence: Sentence, start: int, stop: int,
                         titles: list[tuple[int, int]]) -> list[str]:
        """The parties named from ``start`` to ``stop``, each once, in order, less those
        inside an agreement's title. Each party's mentions are indexed once per sentence, so
        that every signing of a long sentence looks up parties, not every mention before it."""
        mentions = self.entities.mentions(sentence.index)
        cache = self.__dict__.setdefault("_party_index", {})
        version = (len(mentions), len(self.result.spans.get(sentence.index, [])))
        index = cache.get(sentence.index)
        if index is None or index[0] != version:
            by_key: dict[str, list[tuple[int, int]]] = {}  # key -> (start, order), in order
            for order, mention in enumerate(mentions):
                if self.result.inside_title(sentence.index, mention.start, mention.end):
                    continue
                key = self._party_key(mention)
                if key:
                    by_key.setdefault(key, []).append((mention.start, order))
            index = (version, by_key)
            cache[sentence.index] = index
        first: list[tuple[int, str]] = []
        for key, places in index[1].items():
            for i in range(bisect.bisect_left(places, (start, -1)), len(places)):
                at, order = places[i]
                if at >= stop:
                    break
                if not any(a <= at < b for a, b in titles):
                    first.append((order, key))
                    break
        return [key for _, key in sorted(first)]

    def _party_key(self, mention: Mention) -> str | None:
        if mention.kind == "person":
            person = self.entities.people.get(mention.key)
            return person.organisation if person else None
        if mention.role == "inside":
            return None
        return mention.key
