"""Mentions of agreements: titles grown from a head noun ("memorandum of understanding",
"Protocol", "FTA") over the name before it and the subject after it ("on cooperation and
mutual administrative assistance in customs matters"), and the parties a title names."""

from __future__ import annotations

import bisect
import re

from graph.names import normalise_name
from loaders.articles.agreements.analysis import AgreementMention
from loaders.articles.agreements.registry import AgreementRegistry
from loaders.articles.dates import DateMention
from loaders.articles.entities.tokens import Token, tokenise
from loaders.articles.gazetteer import gazetteer
from loaders.articles.lexicon import lexicon
from loaders.articles.sentences import Sentence, Spans, is_title_case, search_before

_HEAD = re.compile(
    r"\b(?:(?i:memorand(?:um|a)(?:\s+of\s+(?:understanding|cooperation|co-operation|intent))?)"
    r"|MoUs?|MOUs?|MoCs?|MOCs?|FTAs?|MRAs?|CMAAs?|MAAs?"
    # "a Decision of the Joint Committee amending …", "Decision No. 3/2024": a body's act
    # adopting a text, written with a capital and named after its body or number
    r"|Decision(?=\s+(?:of\s+the\s+[A-Z]|No\b|\d))"
    r"|(?i:" + lexicon().agreement_pattern() + "|"
    # not the verb: "we plan our controls together"
    r"(?<!\bwe\s)(?<!\bthey\s)(?<!\bto\s)(?<!\bwill\s)(?<!\bwould\s)"
    r"(?:action\s+|cooperation\s+|co-operation\s+|work\s+)?plans?|"
    r"(?:action|cooperation|co-operation|work|joint|executive)\s+programmes?|"
    r"programmes?\s+of\s+(?:joint\s+|customs\s+)?(?:cooperation|co-operation|action)|"
    r"letters?\s+of\s+intent|(?:strategic\s+)?framework(?=\s+for\s+(?:[\w-]+\s+){0,2}"
    r"(?:cooperation|co-operation))))\b")
_TITLE_MODIFIERS = frozenset({
    "joint", "bilateral", "trilateral", "multilateral", "working", "cooperation",
    "co-operation", "mutual", "administrative", "assistance", "free", "trade", "recognition",
    "intergovernmental", "inter-governmental", "customs", "comprehensive", "strategic",
    "partnership", "action", "implementation", "framework",
    "economic", "interagency", "inter-agency", "technical", "security",
})
_NOT_TITLE = frozenset({"new", "latest", "updated", "draft", "amended", "first", "second",
                        "relevant", "earlier", "previous", "same", "above", "said", "such",
                        "existing", "current", "signed", "important", "historic", "landmark"})
_DETERMINERS = frozenset({"the", "this", "these", "that", "those", "such", "our", "their",
                          "its", "both", "his", "her", "said"})
_INDEFINITE = frozenset({"a", "an", "another", "one", "two", "three", "several", "new"})
_TAIL_PREPOSITIONS = frozenset({"on", "of", "for", "between", "regarding", "concerning",
                                "implying", "amending", "about", "among"})
_TAIL_STOP = frozenset({
    "which", "that", "who", "whom", "whose", "was", "were", "is", "are", "will", "would",
    "has", "have", "had", "can", "could", "should", "may", "might", "said", "says", "signed",
    "states", "according", "under", "with", "by", "at", "after", "before", "during", "while",
    "as", "from", "since", "until", "and", "to", "or", "but", "through",
    # finite verbs: "the Agreement ... enters into force", "the plan covers …"
    "enters", "entered", "takes", "took", "comes", "came", "becomes", "became", "covers",
    "covering", "provides", "allows", "aims", "sets", "expires", "expired", "remains",
    "includes", "envisages", "stipulates", "when", "once", "if",
})
# Words after "and" that start a new clause or a new object, not more of a title's subject.
_CLAUSE_AFTER_AND = frozenset({
    "a", "an", "another", "agreed", "signed", "approved", "adopted", "discussed", "exchanged",
    "reviewed", "noted", "decided", "stressed", "expressed", "will", "also", "then", "is",
    "are", "was", "were", "has", "have", "had",
})
PLAN_HEAD = re.compile(r"(?i)plan|road\s?map|programme|program|strategy|framework")
# "an agreement to recognise each other's traders", "a roadmap aimed at …": a title from the
# purpose (the verb after "to" is one of purpose, not "to the minister")
_PURPOSE = re.compile(r"^\s*(?:,\s*)?(?:(?:with\s+(?:an?\s+)?aim\s+to|aimed\s+at|"
                      r"in\s+order\s+to)\s+|"
                      r"to\s+(?=(?:enhance|strengthen|promote|boost|facilitate|develop|improve|"
                      r"expand|deepen|ensure|support|establish|combat|fight|prevent|recogni[sz]e|"
                      r"exchange|share|simplify|harmoni[sz]e|create|reduce|increase|protect|"
                      r"cooperate|co-operate|accept|speed|ease|modernise|modernize)\b))"
                      r"(?P<what>[^,.;]+)")


def _token_start(token: Token) -> int:
    return token.start


def _date_start(date: DateMention) -> int:
    return date.start


def _date_at(dates: list[DateMention], at: int) -> DateMention | None:
    """The first date of a sentence's (in order) that starts at ``at``."""
    i = bisect.bisect_left(dates, at, key=_date_start)
    return dates[i] if i < len(dates) and dates[i].start == at else None


def _date_over(dates: list[DateMention], at: int) -> DateMention | None:
    """The first date of a sentence's (in order, never overlapping) that holds ``at``."""
    i = bisect.bisect_right(dates, at, key=_date_start)
    return dates[i - 1] if i and at < dates[i - 1].end else None


class AgreementTitles(AgreementRegistry):
    """Finds the agreement mentions of a sentence."""

    def mentions_in(self, sentence: Sentence) -> list[AgreementMention]:
        found: list[AgreementMention] = []
        spans = Spans()  # the found mentions', to ask whether a head is inside one
        tokens = tokenise(sentence.text, sentence.start)
        for match in _HEAD.finditer(sentence.text):
            head = match.group(0)
            h_start, h_end = sentence.start + match.start(), sentence.start + match.end()
            nested = spans.covers(h_start)
            if head.lower().endswith("s") and head.lower() not in {"minutes"} and \
                    not head.isupper() and not head.endswith("As"):
                continue  # "deals", "agreements": plural and generic
            if head.lower().startswith("document") and not search_before(
                    r"(?i)\bsign(?:ed|ing)?\s+(?:an?|the)\s+$", sentence.text, match.start()) \
                    and not (self.order and search_before(r"(?i)\b(?:the|this)\s+$",
                                                          sentence.text, match.start())):
                continue
            if search_before(r"(?i)\b(?:in|reached|reach)\s+(?:an?\s+)?$",
                             sentence.text, match.start()) and head.lower() == "agreement":
                continue
            mention = self._mention(sentence, tokens, head, h_start, h_end)
            if mention is None:
                continue
            if head.lower() == "agreement" and re.match(
                    r"(?i)\s+(?:was|were|has\s+been|had\s+been|is)\s+reached\b",
                    self.text[mention.end:mention.end + 30]):
                continue  # "the agreement on the pilot was reached": a decision
            if nested and (mention.anaphoric or not mention.definite or
                           mention.start == h_start and mention.end == h_end):
                continue
            if sentence.index == 0 and not mention.anaphoric and mention.end == h_end and \
                    all(w.lower() in _TITLE_MODIFIERS for w in
                        mention.title[:h_start - mention.start].split()) and \
                    not head.isupper():
                continue  # a headline's "customs pact": the body names it properly
            found.append(mention)
            spans.add(mention.start, mention.end)
        found += self._acronym_mentions(sentence, found)
        return found

    def _acronym_mentions(self, sentence: Sentence, found: list[AgreementMention]
                          ) -> list[AgreementMention]:
        """"the JAP" after a "Joint Action Plan": an acronym of the initials of an agreement
        named before, never defined, is a mention of it."""
        initials = set()
        for key in self.order:
            words = re.findall(r"[A-Za-z]+", self.result.agreements[key].title)
            initials.add("".join(w[0] for w in words if w[0].isupper()))
        extra = []
        for match in re.finditer(r"\b[A-Z]{3,6}\b", sentence.text):
            if not any(match.group(0) in i for i in initials):
                continue
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(m.start <= start < m.end for m in found) or any(
                    True for _ in self.entities.overlapping(sentence.index, start, end)):
                continue
            definite = bool(search_before(r"(?i)\b(?:the|this|that|its|their)\s+$",
                                          sentence.text, match.start()))
            extra.append(AgreementMention(start, end, match.group(0), match.group(0),
                                          sentence.index, acronym=match.group(0),
                                          anaphoric=True, definite=definite))
        return extra

    def _mention(self, sentence: Sentence, tokens: list[Token], head: str, h_start: int,
                 h_end: int) -> AgreementMention | None:
        index = bisect.bisect_left(tokens, h_start, key=_token_start)  # the head's token
        # left: modifiers and names ("Vietnam - Eurasian Economic Union Free Trade")
        i = index
        title_case = sentence.index == 0 and is_title_case(sentence.text)
        while i > 0:
            prev = tokens[i - 1]
            if title_case and prev.norm not in _TITLE_MODIFIERS and not any(
                    m.kind == "country" for m in self.entities.overlapping(
                        sentence.index, prev.start, prev.end)):
                break  # "EU, US Ink Mutual Recognition Customs Deal": capitals say nothing
            if re.fullmatch(r"(?i)(?:today|yesterday|tomorrow)['’]s", prev.text):
                break  # "Today's agreement": the one the article is about
            if prev.text in {"-", "–", "—"} and i >= 2 and tokens[i - 2].is_word:
                i -= 1
                continue
            if not prev.is_word or prev.norm in _DETERMINERS or prev.norm in _INDEFINITE:
                break
            if prev.norm in _NOT_TITLE:
                break
            if prev.capitalised and (i - 1 > 0 or prev.norm not in {"the", "a"}):
                if i - 1 == 0 and prev.norm in {"after", "under", "according", "during",
                                                "additionally", "as", "in", "on", "for"}:
                    break
                i -= 1
                continue
            if prev.norm in _TITLE_MODIFIERS:
                i -= 1
                continue
            break
        # Only modifiers that belong to a name stay: a verb or a sentence-start word does not.
        while i < index and tokens[i].capitalised and tokens[i].norm in {
                "the", "this", "that", "after", "under", "additionally", "as", "in", "on"}:
            i += 1
        start = tokens[i].start if i < index else h_start
        left_words = [t for t in tokens[i:index] if t.is_word]
        det = search_before(r"(?i)\b(\w+)\s+(?:(?:new|latest|updated|relevant|said|same|"
                            r"draft)\s+)*$", sentence.text, start - sentence.start)
        determiner = det.group(1).lower() if det else ""
        end = h_end
        acronym = None
        rest = sentence.text[end - sentence.start:]
        paren = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z&-]{1,9})\)", rest)
        if paren:
            acronym = paren.group("acr")
            end += paren.end()
        tail_end = self._tail(sentence, tokens, end, head)
        title_end = max(end, tail_end)
        title = self.text[start:title_end]
        while title and title[-1] in "'’\"”»" and title.count(title[-1]) % 2 and \
                title[-1] not in "’”»" or title and title[-1] in "’”»" and not any(
                    c in title for c in "‘“«"):
            title_end -= 1  # the closing quote of "the 'Action Plan …' was launched"
            title = title[:-1]
        has_tail = tail_end > end
        proper = [t for t in left_words if t.capitalised or t.norm in _TITLE_MODIFIERS]
        bare = not proper and not has_tail
        mention = AgreementMention(start, title_end, title.strip(), head, sentence.index,
                                   acronym=acronym)
        if bare:
            purpose = _PURPOSE.match(self._skip_date(sentence, h_end))
            apposition = search_before(
                r"(?P<name>(?:[A-Z][\w’'-]*\s+){1,5}[A-Z][\w’'-]*),\s+(?:a|an)\s+$",
                sentence.text, start - sentence.start)
            if apposition and determiner in {"a", "an"}:
                mention.start = sentence.start + apposition.start("name")
                mention.title = apposition.group("name")
                mention.definite = True
                return mention
            if purpose and determiner in {"a", "an", ""}:
                what = purpose.group("what")
                for date in self.dates.get(sentence.index, []):  # "… on 2 May 2023"
                    at = what.find(date.text)
                    if at > 0:
                        what = re.sub(r"(?i)\s+(?:on|in|at|from|since)\s*$", "", what[:at])
                mention.title = f"{head} to {what.strip()}"
                mention.end = h_end
                return mention
            if determiner in _DETERMINERS or head[:1].isupper() and not head.isupper() and \
                    not determiner:
                mention.anaphoric = True
            elif head.isupper() or head in {"MoU", "MoC"}:
                mention.anaphoric = True  # "an MRA with Australia": the MRA named before
            elif determiner not in {"a", "an"}:
                mention.anaphoric = True
        mention.definite = determiner in _DETERMINERS
        mention.indefinite = determiner in {"a", "an"}
        mention.parties = self._title_parties(sentence, start, h_start, title_end)
        return mention

    def _skip_date(self, sentence: Sentence, at: int) -> str:
        rest = sentence.text[at - sentence.start:]
        for date in self.dates.get(sentence.index, []):
            if date.start >= at and sentence.text[at - sentence.start:date.start -
                                                  sentence.start].strip() in {"", "on", "in"}:
                return sentence.text[date.end - sentence.start:]
        return rest

    def _tail(self, sentence: Sentence, tokens: list[Token], at: int, head: str) -> int:
        """Where the subject of an agreement's title ends ("on cooperation and mutual
        administrative assistance in customs matters")."""
        k = bisect.bisect_left(tokens, at, key=_token_start)
        if re.match(r"(?i)\s*on\s+(?:the\s+)?(?:occasion|sidelines|behalf|margins|eve|"
                    r"(?:(?:first|second|third|fourth|fifth|last|final|closing|opening)\s+)?"
                    r"day)\b", self.text[at:at + 40]):  # "… on the second day of the meeting"
            return at
        years = self._years_after(sentence, tokens, k, head)
        if years is not None:  # "Joint Action Plan 2024-2026"
            at, k = years
        in_a_field = (k + 1 < len(tokens) and tokens[k].norm == "in"
                      and tokens[k + 1].norm in {"customs", "combating", "the"}
                      and not tokens[k + 1].capitalised)  # "… in customs matters"
        if (k >= len(tokens) or tokens[k].norm not in _TAIL_PREPOSITIONS) and not in_a_field:
            return at
        end = at
        count = 0
        sentence_dates = self.dates.get(sentence.index, [])
        while k < len(tokens) and count < 24:
            t = tokens[k]
            if not t.is_word and t.text not in {"-", "–", "’", "'", "&", "(", ")", '"', "“",
                                                "”", "«", "»"}:
                break
            if t.text == "(":
                close = next((j for j in range(k, min(k + 6, len(tokens)))
                              if tokens[j].text == ")"), None)
                if close is None:
                    break
                k = close + 1
                end = tokens[close].end
                continue
            if t.norm in _TAIL_STOP and count > 0 and not (t.norm == "states" and t.capitalised):
                if t.norm == "and" and k + 1 < len(tokens) and \
                        self._new_object_after_and(tokens, k):
                    break  # "a protocol on X and an action plan", "… and agreed on …"
                if t.norm == "and" and k + 1 < len(tokens) and not tokens[k + 1].capitalised:
                    pass  # "cooperation and mutual assistance"
                elif t.norm == "to" and count > 0 and k > 0 and tokens[k - 1].norm in {
                        "amendments", "amendment", "changes", "annex", "addendum"}:
                    pass
                elif t.norm == "between" or (t.norm == "and" and k + 1 < len(tokens)
                                             and tokens[k - 1].capitalised):
                    pass
                else:
                    break
            if t.norm == "in" and k + 1 < len(tokens) and tokens[k + 1].capitalised and \
                    tokens[k + 1].norm != "customs":
                break  # "in Washington", but "in Customs Matters"
            if t.norm in {"in", "on"} and k + 1 < len(tokens) and \
                    _date_at(sentence_dates, tokens[k + 1].start) is not None:
                break
            date = _date_over(sentence_dates, t.start)
            if date is not None:
                if date.kind in ("range", "partial") and date.precision == "year" and \
                        tokens[k - 1].norm == "for":
                    k = next((j for j in range(k, len(tokens)) if tokens[j].start >= date.end),
                             len(tokens))
                    end = date.end
                    if k < len(tokens) and tokens[k].norm in {"period", "years"}:
                        end = tokens[k].end
                        k += 1
                    count += 2
                    continue
                if date.precision == "year" and PLAN_HEAD.search(head) and \
                        tokens[k - 1].capitalised:
                    end = date.end  # "Strategic Framework for Customs Cooperation 2024-2027"
                break
            if any(p.kind == "person" for p in self.entities.overlapping(
                    sentence.index, t.start, t.start + 1)):
                break
            end = t.end
            k += 1
            count += 1
        # a title does not end on a preposition
        title = self.text[at:end]
        trimmed = re.sub(r"(?i)(?:\s+(?:and|or|of|on|for|between|to|the|in|a|an|with))+$", "",
                         title)
        return at + len(trimmed)

    def _years_after(self, sentence: Sentence, tokens: list[Token], k: int, head: str
                     ) -> tuple[int, int] | None:
        """A year or year range right after a plan's head ("Action Plan 2024-2026"): the end
        of the date and the token after it, or None."""
        if k >= len(tokens) or not PLAN_HEAD.search(head):
            return None
        date = next((d for d in self.dates.get(sentence.index, [])
                     if d.start == tokens[k].start and d.precision == "year"), None)
        if date is None:
            return None
        k = next((j for j in range(k, len(tokens)) if tokens[j].start >= date.end), len(tokens))
        return date.end, k

    @staticmethod
    def _new_object_after_and(tokens: list[Token], k: int) -> bool:
        """True when the words after "and" start another object or a clause."""
        following = tokens[k + 1]
        if following.norm in _CLAUSE_AFTER_AND:
            return True
        if following.norm == "the":
            return any(_HEAD.fullmatch(t.text) for t in tokens[k + 2:k + 6])
        return False

    def _title_parties(self, sentence: Sentence, start: int, h_start: int,
                       end: int | None = None) -> list[str]:
        """Countries and unions named in a title ("Vietnam-Netherlands agreement",
        "Agreement between the Government of X and the Government of Y")."""
        parties = []
        between = None
        if end is not None:
            match = re.search(r"\bbetween\b", self.text[h_start:end])
            # "Agreement between X and Y", not "on goods moved between X and Y"
            if match and not re.search(r"(?i)\b(?!understanding|regarding|concerning|including)"
                                       r"\w+(?:ed|ing)\b",
                                       self.text[h_start:h_start + match.start()]):
                between = h_start + match.end()
        for m in self.entities.starting_in(sentence.index, start,
                                           h_start if between is None else end):
            if m.kind not in ("country", "agency"):
                continue
            if (start <= m.start and m.end <= h_start) or (
                    between is not None and between <= m.start and m.end <= end):
                key = m.key
                if m.kind == "agency" and between is not None and m.start >= between:
                    agency = self.entities.agencies.get(key)
                    if agency is not None and agency.kind == "government" and agency.country:
                        key = agency.country
                if key not in parties and not any(
                        self.entities.country_of(p) == key for p in parties):
                    parties.append(key)
        if not parties and end is not None:
            parties = self._joint_body_pair(sentence, h_start, end)
        return parties

    def _joint_body_pair(self, sentence: Sentence, h_start: int, end: int) -> list[str]:
        """"a Decision of the JCCC" where the JCCC is the "Japan-EU Joint Customs
        Cooperation Committee": the act of a joint body binds the pair its name gives."""
        act = re.match(r"Decisions?\s+of\s+the\s+", self.text[h_start:end])
        if act is None:
            return []
        at = h_start + act.end()
        mention = next((m for m in self.entities.starting_in(sentence.index, at, at + 1)
                        if m.kind == "agency"), None)
        agency = self.entities.agencies.get(mention.key) if mention is not None else None
        if agency is None or agency.country:
            return []
        pair = re.match(r"([A-Z][\w.]*)[-–]([A-Z][\w.]*)\s", agency.name)
        if pair is None:
            return []
        gaz = gazetteer()
        codes = []
        for part in pair.groups():
            key = normalise_name(part)
            code = "EU" if part.upper() == "EU" else gaz.countries.get(key) or \
                gaz.demonyms.get(key)
            if code is None:
                return []
            codes.append(code)
        return codes
