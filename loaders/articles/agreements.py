"""Agreements in article sentences: titles from a head noun ("memorandum of understanding",
"Protocol", "FTA") stretched over its name and subject, kinds, parties, and the dates that
signing and entry-into-force verbs give them. Later mentions ("the MoU", "this agreement")
are the same agreement."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.names import normalise_name
from loaders.articles.dates import DateMention
from loaders.articles.entities import EntityAnalysis, Mention, Token, tokenise
from loaders.articles.sentences import Sentence, clause_end

_HEAD = re.compile(
    r"\b(?:(?i:memorand(?:um|a)(?:\s+of\s+(?:understanding|cooperation|co-operation|intent))?)"
    r"|MoUs?|MOUs?|MoCs?|MOCs?|FTAs?|MRAs?|CMAAs?|MAAs?"
    r"|(?i:agreements?|arrangements?|treaty|treaties|conventions?|accords?|pacts?|protocols?|"
    r"(?:action\s+|cooperation\s+|co-operation\s+|work\s+)?plans?|road\s?maps?|minutes|"
    r"(?:action|cooperation|co-operation|work|joint)\s+programmes?|"
    r"programmes?\s+of\s+(?:joint\s+)?(?:cooperation|co-operation|action)|"
    r"letters?\s+of\s+intent|(?:strategic\s+)?framework(?=\s+for\s+(?:[\w-]+\s+){0,2}"
    r"(?:cooperation|co-operation))|documents?))\b")
_KIND_OF_HEAD = [
    (re.compile(r"(?i)memorand|^mou|^moc"), "memorandum"),
    (re.compile(r"(?i)^protocol"), "protocol"),
    (re.compile(r"(?i)plan|road\s?map|programme|framework"), "cooperation-plan"),
    (re.compile(r"(?i)^minutes"), "minutes"),
    (re.compile(r"(?i)^letters?\s+of\s+intent"), "other"),
    (re.compile(r"^FTA"), "free-trade"),
    (re.compile(r"^MRA"), "mutual-recognition"),
    (re.compile(r"^C?MAA"), "mutual-assistance"),
]
_KIND_OF_TITLE = [
    (re.compile(r"(?i)mutual\s+recognition|\bMRA\b"), "mutual-recognition"),
    (re.compile(r"(?i)free\s+trade|\bFTA\b"), "free-trade"),
    (re.compile(r"(?i)(?:mutual|administrative)\s+(?:administrative\s+)?assistance|"
                r"assistance\s+(?:agreement|in\s+customs)|\bC?MAA\b"), "mutual-assistance"),
    (re.compile(r"(?i)\bprotocol\b"), "protocol"),
    (re.compile(r"(?i)memorand|\bMoU\b"), "memorandum"),
    (re.compile(r"(?i)\b(?:cooperation|action)\s+plan\b|road\s?map"), "cooperation-plan"),
]
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
_PLAN_HEAD = re.compile(r"(?i)plan|road\s?map|programme|program|strategy|framework")
_PURPOSE = re.compile(r"^\s*(?:,\s*)?(?:with\s+(?:an?\s+)?aim\s+to|aimed\s+at|in\s+order\s+to|"
                      r"to\s+(?=(?:enhance|strengthen|promote|boost|facilitate|develop|improve|"
                      r"expand|deepen|ensure|support|establish|combat|fight|prevent)\b))\s+"
                      r"(?P<what>[^,.;]+)")
_SIGN = re.compile(r"(?i)\b(?P<verb>sign(?:s|ed|ing)?|ink(?:s|ed)?|conclud(?:e|es|ed)|"
                   r"exchang(?:e|es|ed)|adopt(?:s|ed)?|approv(?:e|es|ed)|endors(?:e|es|ed)|"
                   r"agreed(?:\s+(?:on|upon))?)\b")
# Verbs that make an agreement the parties' without signing it ("adopted a plan").
_ADOPT = re.compile(r"(?i)^(?:adopt|approv|endors|agreed)")
_DIRECT_OBJECT = re.compile(r"(?i)^\s+(?:(?:a|an|the|this|that|their|its|new|joint)\s+)*$")
_IN_FORCE = re.compile(r"(?i)\b(?:took|take|takes|taken|taking)\s+effect|"
                       r"(?:entered|enters|enter|entering|came|come|comes|coming)\s+into\s+force|"
                       r"(?:effective|in\s+force)\s+(?:from|since|as\s+of)")
_DATED = re.compile(r"(?i)\bdated\b")
_NEW_MARKERS = re.compile(r"(?i)\b(?:first|another|additionally|second|earlier|previous|"
                          r"previously|also\s+signed|separate)\b")
_PRONOUN_PARTIES = re.compile(
    r"(?i)\b(?:the\s+two|both)\s+(?P<what>sides|parties|agencies|countries|governments|"
    r"administrations|services|nations|states|customs\s+(?:services|administrations|"
    r"authorities))|\bthe\s+(?P<what2>parties|sides)\b")


@dataclass
class AgreementMention:
    """One mention of an agreement in a sentence."""

    start: int
    end: int
    title: str
    head: str
    sentence: int
    acronym: str | None = None
    anaphoric: bool = False
    parties: list[str] = field(default_factory=list)  # from the title: "Vietnam-Netherlands"
    definite: bool = False
    indefinite: bool = False  # "an MoU": a new one unless the article named one before


@dataclass
class Agreement:
    """An agreement of the article: the best title, other names, kind, parties and dates."""

    key: str
    title: str
    kind: str
    heads: set[str] = field(default_factory=set)
    aliases: list[str] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)
    parties: list[str] = field(default_factory=list)
    signed: DateMention | None = None
    in_force: DateMention | None = None
    valid: DateMention | None = None
    date_text: str | None = None
    mentions: list[AgreementMention] = field(default_factory=list)
    status: str | None = None
    confidence: float = 0.7
    signed_in: int | None = None  # sentence of the signing statement
    title_parties: bool = False  # the parties come from the title ("Vietnam-Netherlands")
    marked_new: bool = False  # its sentence says "first", "another", "additionally"
    head_phrase: str = ""

    def add_alias(self, text: str) -> None:
        text = " ".join(text.split())
        if text and normalise_name(text) not in {normalise_name(a)
                                                 for a in [self.title, *self.aliases]}:
            self.aliases.append(text)


@dataclass
class SignAction:
    """A sentence saying that agreements were signed (or exchanged, or are to be signed)."""

    sentence: int
    verb: str
    agreements: list[str]
    parties: list[str]
    date: DateMention | None
    main_clause: bool
    purpose: bool  # "to sign", "for signing": not done yet
    start: int = 0


@dataclass
class AgreementAnalysis:
    agreements: dict[str, Agreement] = field(default_factory=dict)
    actions: list[SignAction] = field(default_factory=list)
    spans: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)

    def inside_title(self, sentence: int, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b, _ in self.spans.get(sentence, []))


def _kind(head: str, title: str) -> str:
    for pattern, kind in _KIND_OF_HEAD:
        if pattern.search(head):
            return kind
    for pattern, kind in _KIND_OF_TITLE:
        if pattern.search(title):
            return kind
    return "other"


def _head_class(head: str) -> str:
    """The noun later mentions use for it: "agreement", "memorandum", "protocol", …"""
    low = head.lower()
    for word in ("memorand", "mou", "moc", "protocol", "plan", "programme", "minutes",
                 "letter", "framework", "arrangement", "treaty", "convention", "accord", "pact",
                 "document"):
        if word in low:
            return "memorandum" if word in ("memorand", "mou", "moc") else word
    if head.startswith(("FTA", "MRA", "CMAA", "MAA")):
        return {"F": "agreement", "M": "arrangement", "C": "agreement"}[head[0]] \
            if head[:3] != "MAA" else "agreement"
    return "agreement"


def _head_phrase(head: str) -> str:
    low = " ".join(head.lower().split())
    return {"mou": "memorandum of understanding", "mous": "memorandum of understanding",
            "moc": "memorandum of cooperation"}.get(low, low)


def _merge_duplicates(result: AgreementAnalysis) -> None:
    """Two titled mentions of one signing ("memorandum of understanding on X" in a caption,
    "... (MOU) on Y" in the body): same kind, head and parties, no conflicting date."""
    keys = list(result.agreements)
    for i, first_key in enumerate(keys):
        first = result.agreements.get(first_key)
        if first is None:
            continue
        for second_key in keys[i + 1:]:
            second = result.agreements.get(second_key)
            if second is None or second.marked_new or second.kind != first.kind:
                continue
            if second.head_phrase != first.head_phrase or not first.parties or \
                    set(first.parties) != set(second.parties):
                continue
            a = first.signed.value if first.signed else None
            b = second.signed.value if second.signed else None
            if a and b and a != b:
                continue
            if first.valid and second.valid and first.valid.value != second.valid.value:
                continue  # "action plan for 2024-2025" and "Joint Action Plan 2026-2028"
            _fold(result, first_key, second_key)


def _fold(result: AgreementAnalysis, first_key: str, second_key: str) -> None:
    """Make the agreement ``second_key`` one with ``first_key``: names, mentions, dates."""
    first, second = result.agreements[first_key], result.agreements[second_key]
    first.add_alias(second.title)
    for alias in second.aliases:
        first.add_alias(alias)
    first.acronyms |= second.acronyms
    first.mentions += second.mentions
    first.signed = first.signed or second.signed
    first.in_force = first.in_force or second.in_force
    first.valid = first.valid or second.valid
    for party in second.parties:
        if party not in first.parties:
            first.parties.append(party)
    del result.agreements[second_key]
    for action in result.actions:
        action.agreements = [first_key if k == second_key else k for k in action.agreements]
    for spans in result.spans.values():
        spans[:] = [(s, e, first_key if k == second_key else k) for s, e, k in spans]


def _merge_headline(result: AgreementAnalysis) -> None:
    """An agreement named only in the headline ("… agree on roadmap for exchanging customs
    information") is the body's one agreement of that kind, named in its own words there."""
    for key, agreement in list(result.agreements.items()):
        if any(m.sentence != 0 for m in agreement.mentions):
            continue
        same = [k for k, other in result.agreements.items() if k != key and
                other.kind == agreement.kind and other.heads & agreement.heads and
                any(m.sentence != 0 for m in other.mentions)]
        if len(same) == 1:
            _fold(result, same[0], key)


def _content(text: str) -> set[str]:
    stop = {"the", "a", "an", "of", "on", "in", "and", "for", "to", "between", "with", "s",
            "its", "their", "new"}
    return {w for w in normalise_name(text).split() if w not in stop}


class _AgreementFinder:
    def __init__(self, text: str, sentences: list[Sentence], entities: EntityAnalysis,
                 dates: dict[int, list[DateMention]]) -> None:
        self.text = text
        self.sentences = sentences
        self.entities = entities
        self.dates = dates
        self.result = AgreementAnalysis()
        self.acronyms: dict[str, str] = {}  # acronym -> agreement key
        self.order: list[str] = []

    # -- mentions -----------------------------------------------------------------------------
    def mentions_in(self, sentence: Sentence) -> list[AgreementMention]:
        found: list[AgreementMention] = []
        tokens = tokenise(sentence.text, sentence.start)
        for match in _HEAD.finditer(sentence.text):
            head = match.group(0)
            h_start, h_end = sentence.start + match.start(), sentence.start + match.end()
            nested = any(m.start <= h_start < m.end for m in found)
            if head.lower().endswith("s") and head.lower() not in {"minutes"} and \
                    not head.isupper() and not head.endswith("As"):
                continue  # "deals", "agreements": plural and generic
            if head.lower().startswith("document") and not re.search(
                    r"(?i)\bsign(?:ed|ing)?\s+(?:an?|the)\s+$", sentence.text[:match.start()]) \
                    and not (self.order and re.search(r"(?i)\b(?:the|this)\s+$",
                                                      sentence.text[:match.start()])):
                continue
            if re.search(r"(?i)\b(?:in|reached|reach)\s+(?:an?\s+)?$",
                         sentence.text[:match.start()]) and head.lower() == "agreement":
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
        return found

    def _mention(self, sentence: Sentence, tokens: list[Token], head: str, h_start: int,
                 h_end: int) -> AgreementMention | None:
        index = next(i for i, t in enumerate(tokens) if t.start >= h_start)
        # left: modifiers and names ("Vietnam - Eurasian Economic Union Free Trade")
        i = index
        while i > 0:
            prev = tokens[i - 1]
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
        before_start = sentence.text[:start - sentence.start]
        det = re.search(r"(?i)\b(\w+)\s+(?:(?:new|latest|updated|relevant|said|same|draft)\s+)*$",
                        before_start)
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
        has_tail = tail_end > end
        proper = [t for t in left_words if t.capitalised or t.norm in _TITLE_MODIFIERS]
        bare = not proper and not has_tail
        mention = AgreementMention(start, title_end, title.strip(), head, sentence.index,
                                   acronym=acronym)
        if bare:
            purpose = _PURPOSE.match(self._skip_date(sentence, h_end))
            apposition = re.search(
                r"(?P<name>(?:[A-Z][\w’'-]*\s+){1,5}[A-Z][\w’'-]*),\s+(?:a|an)\s+$", before_start)
            if apposition and determiner in {"a", "an"}:
                mention.start = sentence.start + apposition.start("name")
                mention.title = apposition.group("name")
                mention.definite = True
                return mention
            if purpose and determiner in {"a", "an", ""}:
                mention.title = f"{head} to {purpose.group('what').strip()}"
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
        k = next((i for i, t in enumerate(tokens) if t.start >= at), len(tokens))
        if re.match(r"(?i)\s*on\s+(?:the\s+)?(?:occasion|sidelines|behalf|margins)\b",
                    self.text[at:at + 40]):
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
        people_or_orgs = [m for m in self.entities.mentions(sentence.index)
                          if m.kind in ("person",)]
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
            if t.norm in {"in", "on"} and k + 1 < len(tokens) and any(
                    d.start == tokens[k + 1].start for d in self.dates.get(sentence.index, [])):
                break
            date = next((d for d in self.dates.get(sentence.index, [])
                         if d.start <= t.start < d.end), None)
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
                if date.precision == "year" and _PLAN_HEAD.search(head) and \
                        tokens[k - 1].capitalised:
                    end = date.end  # "Strategic Framework for Customs Cooperation 2024-2027"
                break
            if any(p.start <= t.start < p.end for p in people_or_orgs):
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
        if k >= len(tokens) or not _PLAN_HEAD.search(head):
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
        for m in self.entities.mentions(sentence.index):
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
        return parties

    # -- registry -----------------------------------------------------------------------------
    def register(self, mention: AgreementMention, sentence: Sentence) -> str | None:
        """The agreement a mention names: a known one it refers to, or a new one."""
        if mention.anaphoric:
            key = self._antecedent(mention)
            if key is None and mention.indefinite and (mention.head.isupper() or
                                                       mention.head in {"MoU", "MoC"}):
                mention.anaphoric = False
                return self.register(mention, sentence)
            if key is None and self._signed_object(mention, sentence):
                mention.anaphoric = False
                mention.title = self._unnamed_title(mention, sentence)
                return self.register(mention, sentence)
            if key:
                self.result.agreements[key].mentions.append(mention)
                if mention.acronym or mention.head.isupper():
                    acronym = mention.acronym or mention.head
                    self.result.agreements[key].acronyms.add(acronym)
                    if not mention.head.isupper():
                        self.result.agreements[key].add_alias(mention.head)
            return key
        kind = _kind(mention.head, mention.title)
        marker = bool(_NEW_MARKERS.search(sentence.text))
        for key in reversed(self.order):
            agreement = self.result.agreements[key]
            if any(m.sentence == mention.sentence and m.start <= mention.start and
                   mention.end <= m.end for m in agreement.mentions):
                continue  # an agreement named inside another's title is another one
            if self._same(agreement, mention, kind, marker):
                agreement.mentions.append(mention)
                self._absorb(agreement, mention)
                return key
        key = f"agreement-{len(self.order) + 1}"
        agreement = Agreement(key=key, title=mention.title, kind=kind, marked_new=marker,
                              head_phrase=_head_phrase(mention.head),
                              heads={_head_class(mention.head)}, parties=list(mention.parties),
                              title_parties=len(mention.parties) >= 2)
        if mention.acronym:
            agreement.acronyms.add(mention.acronym)
            self.acronyms[mention.acronym] = key
        if re.fullmatch(r"[A-Z][A-Za-z]{1,5}", mention.head) and mention.head[-1].isupper():
            agreement.acronyms.add(mention.head)
        agreement.mentions.append(mention)
        self.result.agreements[key] = agreement
        self.order.append(key)
        return key

    def _signed_object(self, mention: AgreementMention, sentence: Sentence) -> bool:
        """"the sides signed the minutes" with no minutes named before: a new agreement."""
        before = self.text[sentence.start:mention.start]
        return bool(re.search(r"(?i)\b(?:signed|inked|concluded)\s+(?:the|a|an)\s+$", before)) \
            and not re.search(r"(?i)\b(?:to|will|would|shall|plan\s+to|plans\s+to)\s+\w+\s+"
                              r"(?:the|a|an)\s+$", before)

    def _unnamed_title(self, mention: AgreementMention, sentence: Sentence) -> str:
        """A title for an agreement the article names by its head alone: "minutes of the
        meeting" when the sentence names the event it comes from."""
        event = re.search(r"(?i)\b(?:following|after|at|during|of)\s+the\s+(?:\w+\s+)?"
                          r"(?P<event>meeting|talks|session|consultations|negotiations)\b",
                          sentence.text)
        head = _head_phrase(mention.head)
        return f"{head} of the {event.group('event').lower()}" if event else head

    def _absorb(self, agreement: Agreement, mention: AgreementMention) -> None:
        if len(_content(mention.title)) > len(_content(agreement.title)):
            agreement.add_alias(agreement.title)
            agreement.title = mention.title
        else:
            agreement.add_alias(mention.title)
        if mention.acronym:
            agreement.acronyms.add(mention.acronym)
        for party in mention.parties:
            if party not in agreement.parties:
                agreement.parties.append(party)

    def _same(self, agreement: Agreement, mention: AgreementMention, kind: str,
              marker: bool) -> bool:
        """Whether a titled mention names an agreement already found."""
        if kind != agreement.kind and "other" not in (kind, agreement.kind):
            return False
        acronym = mention.acronym or (mention.head if mention.head.isupper() else None)
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", agreement.title)
                           if w[0].isupper())
        if marker:
            return False
        if acronym and (acronym in agreement.acronyms or (
                len(acronym) >= 3 and acronym in initials)):
            return not mention.parties or not agreement.parties or bool(
                set(mention.parties) & set(agreement.parties))
        a, b = _content(agreement.title), _content(mention.title)
        if mention.parties and agreement.parties and not set(mention.parties) & set(
                agreement.parties):
            return False
        if a and b and (a <= b or b <= a) and min(len(a), len(b)) >= 2:
            return True
        return False

    def _antecedent(self, mention: AgreementMention) -> str | None:
        acronym = mention.acronym or (mention.head if mention.head.isupper() or
                                      mention.head in {"MoU", "MoC"} else None)
        if acronym:
            if acronym in self.acronyms:
                return self.acronyms[acronym]
            for key in reversed(self.order):
                if acronym.rstrip("s") in self.result.agreements[key].acronyms:
                    return key
            if acronym.upper() in {"MOU", "MOC"}:
                for key in reversed(self.order):
                    if self.result.agreements[key].kind == "memorandum":
                        return key
            for key in reversed(self.order):
                initials = "".join(w[0] for w in re.findall(
                    r"[A-Za-z]+", self.result.agreements[key].title) if w[0].isupper())
                if len(acronym) >= 3 and acronym in initials:
                    return key
            return None
        head = _head_class(mention.head)
        for key in reversed(self.order):
            if head in self.result.agreements[key].heads:
                return key
        if head == "document" and mention.definite and self.order:
            return self.order[-1]  # "the document": the agreement named last
        return None

    # -- signing and dates ----------------------------------------------------------------------
    def relations(self, sentence: Sentence, mentions: list[tuple[AgreementMention, str]],
                  parties_by_pair: list[str]) -> None:
        text = sentence.text
        dates = self.dates.get(sentence.index, [])
        for match in _SIGN.finditer(text):
            verb = match.group("verb").lower()
            v_start = sentence.start + match.start()
            v_end = sentence.start + match.end()
            if any(m.start <= v_start < m.end for m, _ in mentions):
                continue  # "signing" inside a title
            end_of_clause = clause_end(text, match.end())
            after = [(m, k) for m, k in mentions
                     if v_end <= m.start < sentence.start + end_of_clause]
            if verb.startswith("exchang") and not (after and after[0][0].start - v_end <= 12):
                continue
            adopt = bool(_ADOPT.match(verb))
            passive = bool(re.search(r"(?i)\b(?:was|were|been|be|being|is|are)\s+$",
                                     text[:match.start()]))
            if adopt and not passive and not (after and _DIRECT_OBJECT.match(
                    self.text[v_end:after[0][0].start])):
                continue  # "agreed to sign", "agreed that …"
            objects = self._coordinated(after, text, match.end())
            relative = bool(re.search(r"(?i)\b(?:which|that|who)\s+(?:was|were|has been|have "
                                      r"been|had been|is|are)?\s*(?:\w+\s+)?$",
                                      text[:match.start()]))
            participle = verb == "signed" and bool(re.match(r"\s+(?:by|in|on|at|between)\b",
                                                            text[match.end():])) and not \
                re.search(r"(?i)\b(?:was|were|been|be|being|is|are)\s+$", text[:match.start()])
            if not objects or relative or passive or participle:
                before = [(m, k) for m, k in mentions if m.end <= v_start]
                if before and (relative or passive or participle or not objects):
                    objects = [before[-1]]
            if not objects:
                continue
            purpose = bool(re.search(r"(?i)\b(?:to|for|will|would|shall|should|could|may|might|"
                                     r"plan\s+to|plans\s+to|intend\s+to)\s+(?:be\s+)?$",
                                     text[:match.start()])) or \
                verb == "signing" and bool(re.search(r"(?i)\b(?:for|before|of)\s+$",
                                                     text[:match.start()]))
            clause_start = self._clause_start(text, match.start())
            date = self._date_near(dates, sentence, clause_start, end_of_clause, v_start,
                                   objects)
            parties = self._agents(sentence, clause_start, match, passive or participle,
                                   end_of_clause, parties_by_pair, objects)
            main = not (relative or participle) and not purpose
            self.result.actions.append(SignAction(
                sentence.index, verb, [k for _, k in objects], parties, date, main, purpose,
                v_start))
            for _, key in objects:
                agreement = self.result.agreements[key]
                if not agreement.title_parties and not purpose:
                    for party in parties:
                        if party not in agreement.parties:
                            agreement.parties.append(party)
                if verb.startswith("exchang") or adopt:
                    continue
                if purpose:
                    continue
                if date is not None and (agreement.signed is None or
                                         agreement.signed.value is None):
                    agreement.signed = date
                agreement.signed_in = agreement.signed_in if agreement.signed_in is not None \
                    else sentence.index
                agreement.status = "signed"
        for match in _IN_FORCE.finditer(text):
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
            if date is not None:
                agreement = self.result.agreements[target[1]]
                agreement.in_force = agreement.in_force or date
                agreement.status = "in-force"
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
        plan = bool(_PLAN_HEAD.search(mention.head))
        head_end = self.text.find(mention.head, mention.start) + len(mention.head)
        for date in dates:
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

    def _date_near(self, dates: list[DateMention], sentence: Sentence, clause_start: int,
                   clause_end: int, v_start: int,
                   objects: list[tuple[AgreementMention, str]]) -> DateMention | None:
        inside = [d for d in dates if sentence.start + clause_start <= d.start <
                  sentence.start + clause_end and not any(
                      m.start <= d.start < m.end for m, _ in objects)]
        after = [d for d in inside if d.start > v_start]
        before = [d for d in inside if d.start < v_start]
        if after:
            return after[0]
        return before[-1] if before else None

    def _agents(self, sentence: Sentence, clause_start: int, match: re.Match, passive: bool,
                clause_end: int, pair: list[str],
                objects: list[tuple[AgreementMention, str]]) -> list[str]:
        """Who signed: the subject before the verb, or "by ..." after a passive."""
        text = sentence.text
        if passive:
            by = re.compile(r"\bby\b").search(text, match.end())
            if not by or by.start() > clause_end:
                return []
            span = (sentence.start + by.end(), sentence.start + clause_end)
        else:
            span = (sentence.start + clause_start, sentence.start + match.start())
        titles = [(m.start, m.end) for m, _ in objects]
        agents: list[str] = []
        for mention in self.entities.mentions(sentence.index):
            if not (span[0] <= mention.start < span[1]):
                continue
            if any(a <= mention.start < b for a, b in titles) or \
                    self.result.inside_title(sentence.index, mention.start, mention.end):
                continue
            key = self._party_key(mention)
            if key and key not in agents:
                agents.append(key)
        with_ = re.compile(r"\bwith\b").search(text, match.end())
        if not passive and with_ and with_.start() < clause_end:  # "signed an MoU with X"
            for mention in self.entities.mentions(sentence.index):
                if sentence.start + with_.end() <= mention.start < sentence.start + clause_end \
                        and not any(a <= mention.start < b for a, b in titles):
                    key = self._party_key(mention)
                    if key and key not in agents:
                        agents.append(key)
                    break
        agents = [a for a in agents if not (re.fullmatch(r"[A-Z]{2}", a) and any(
            self.entities.country_of(b) == a for b in agents if b != a))]
        pronoun = _PRONOUN_PARTIES.search(text[span[0] - sentence.start:span[1] - sentence.start])
        if not agents and pronoun:
            what = (pronoun.group("what") or pronoun.group("what2") or "").lower()
            if what in {"countries", "governments", "nations", "states"}:
                codes = [self.entities.country_of(p) or p for p in pair]
                return [c for c in dict.fromkeys(codes) if c]
            return list(pair)
        return agents

    def _party_key(self, mention: Mention) -> str | None:
        if mention.kind == "person":
            person = self.entities.people.get(mention.key)
            return person.organisation if person else None
        if mention.role == "inside":
            return None
        return mention.key


def find_agreements(text: str, sentences: list[Sentence], entities: EntityAnalysis,
                    dates: dict[int, list[DateMention]],
                    main_pair: list[str]) -> AgreementAnalysis:
    """The agreements of an article and the statements that sign them."""
    finder = _AgreementFinder(text, sentences, entities, dates)
    for sentence in sentences:
        mentions = finder.mentions_in(sentence)
        registered = []
        for mention in mentions:
            key = finder.register(mention, sentence)
            if key is not None:
                registered.append((mention, key))
                finder.result.spans.setdefault(sentence.index, []).append(
                    (mention.start, mention.end, key))
        finder.relations(sentence, registered, main_pair)
        finder.possession(sentence, registered)
    _merge_duplicates(finder.result)
    _merge_headline(finder.result)
    for agreement in finder.result.agreements.values():
        actions = [a for a in finder.result.actions if agreement.key in a.agreements]
        if actions and all(a.purpose for a in actions) and agreement.signed is None:
            agreement.status = "draft"
        elif agreement.status == "draft":
            agreement.status = None
    return finder.result
