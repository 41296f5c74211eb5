"""Which agreement a mention names: a new one, one named before (by title, acronym or "the
MoU"), or, once the article is read, a duplicate of another ("memorandum … on X" in a caption
and "… (MOU) on Y" in the body) or the headline's. Also the kind a head noun or title gives."""

from __future__ import annotations

import re
from collections.abc import Callable

from graph.names import normalise_name
from loaders.articles.agreements.analysis import Agreement, AgreementAnalysis, AgreementMention
from loaders.articles.dates import DateMention
from loaders.articles.entities.analysis import EntityAnalysis
from loaders.articles.lexicon import lexicon
from loaders.articles.sentences import Sentence, first_search, search_before

_KIND_OF_HEAD = [
    (re.compile(r"(?i)memorand|^mou|^moc"), "memorandum"),
    (re.compile(r"(?i)^protocol"), "protocol"),
    # "an executive programme" implements an agreement: of no plan's kind
    (re.compile(r"(?i)^executive\s+programme"), "other"),
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
# What may stand before a country's name: "with the Republic of Bolivia"
_STYLE_OF = re.compile(r"(?:(?:Republic|Kingdom|State|Government|Federation|Sultanate|"
                       r"Principality|Commonwealth)\s+of\s+(?:the\s+)?)?")
_NEW_MARKERS = re.compile(r"(?i)\b(?:first|another|additionally|second|earlier|previous|"
                          r"previously|also\s+signed|separate)\b")


def _kind(head: str, title: str) -> str:
    for pattern, kind in _KIND_OF_HEAD:
        if pattern.search(head):
            return kind
    noun = lexicon().agreement(head)
    if noun is not None and noun.kind:
        return noun.kind
    for pattern, kind in _KIND_OF_TITLE:
        if pattern.search(title):
            return kind
    return "other"


def _head_class(head: str) -> str:
    """The noun later mentions use for it: "agreement", "memorandum", "protocol", …"""
    noun = lexicon().agreement(head)
    if noun is not None:
        return noun.cls
    low = head.lower()
    for word in ("memorand", "mou", "moc", "protocol", "plan", "programme", "minutes",
                 "letter", "framework", "arrangement", "treaty", "convention", "accord", "pact",
                 "document", "decision"):
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


def merge_duplicates(result: AgreementAnalysis) -> None:
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
    first.valid_from = first.valid_from or second.valid_from
    for party in second.parties:
        if party not in first.parties:
            first.parties.append(party)
    del result.agreements[second_key]
    for action in result.actions:
        action.agreements = [first_key if k == second_key else k for k in action.agreements]
    for spans in result.spans.values():
        spans[:] = [(s, e, first_key if k == second_key else k) for s, e, k in spans]


def merge_headline(result: AgreementAnalysis,
                   country_of: Callable[[str], str | None] | None = None) -> None:
    """An agreement named only in the headline ("… agree on roadmap for exchanging customs
    information"; the body may refer back to it: "The MoU was signed …") is the body's one
    agreement of that kind, named in its own words there; of several ("signs memoranda with
    Azerbaijan and Armenia"), the one between the same countries."""
    for key, agreement in list(result.agreements.items()):
        if key not in result.agreements or any(m.sentence != 0 and not m.anaphoric
                                               for m in agreement.mentions):
            continue  # (one the body only refers back to, "The MoU was signed …", is too)
        same = [k for k, other in result.agreements.items() if k != key and
                (other.kind == agreement.kind or "other" in (other.kind, agreement.kind)) and
                other.heads & agreement.heads and
                any(m.sentence != 0 for m in other.mentions)]
        if len(same) > 1 and country_of is not None:
            mine = {country_of(p) for p in agreement.parties} - {None}
            same = [k for k in same if mine and mine <= {
                country_of(p) for p in result.agreements[k].parties}]
        if len(same) == 1:
            _fold(result, same[0], key)


def _content(text: str) -> set[str]:
    stop = {"the", "a", "an", "of", "on", "in", "and", "for", "to", "between", "with", "s",
            "its", "their", "new"}
    return {w for w in normalise_name(text).split() if w not in stop}


class AgreementRegistry:
    """The agreements of one article found so far; the finder's parts are subclasses of this."""

    def __init__(self, text: str, sentences: list[Sentence], entities: EntityAnalysis,
                 dates: dict[int, list[DateMention]]) -> None:
        self.text = text
        self.sentences = sentences
        self.entities = entities
        self.dates = dates
        self.result = AgreementAnalysis()
        self.acronyms: dict[str, str] = {}  # acronym -> agreement key
        self.order: list[str] = []

    def register(self, mention: AgreementMention, sentence: Sentence) -> str | None:
        """The agreement a mention names: a known one it refers to, or a new one."""
        if mention.anaphoric:
            key = self._antecedent(mention)
            if key is None and mention.indefinite and (mention.head.isupper() or
                                                       mention.head in {"MoU", "MoC"}):
                mention.anaphoric = False
                return self.register(mention, sentence)
            if key is None and (self._signed_object(mention, sentence) or
                                self._first_mention(mention, sentence)):
                mention.anaphoric = False
                mention.title = self._unnamed_title(mention, sentence)
                return self.register(mention, sentence)
            other = self._with_another(key, mention, sentence) if key else None
            if key and other:
                known = self._known_with(key, other)  # "the memorandum with the Azerbaijani
                if known is not None:  # side" after memoranda with Azerbaijan and Armenia
                    self.result.agreements[known].mentions.append(mention)
                    return known
                return self._another_like(key, mention, sentence)
            if key:
                self.result.agreements[key].mentions.append(mention)
                if mention.acronym or mention.head.isupper():
                    acronym = mention.acronym or mention.head
                    self.result.agreements[key].acronyms.add(acronym)
                    if not mention.head.isupper():
                        self.result.agreements[key].add_alias(mention.head)
            return key
        kind = _kind(mention.head, mention.title)
        marker = bool(first_search(_NEW_MARKERS, sentence.text))
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

    def _with_another(self, key: str, mention: AgreementMention, sentence: Sentence) -> str | None:
        """"the JAP with Mozambique" after a JAP between others: the party it is "with", when
        the agreement named before has parties and that one is not among them."""
        agreement = self.result.agreements[key]
        with_ = re.match(r"\s+with\s+(?:the\s+)?", self.text[mention.end:mention.end + 12])
        if with_ is None or not agreement.mentions:
            return None
        parties = agreement.parties or [  # else those named where it was first named
            m.key for m in self.entities.mentions(agreement.mentions[0].sentence)
            if m.kind in ("country", "agency") and m.role != "inside"]
        if not parties:
            return None
        at = mention.end + with_.end()
        other = next((m for m in self.entities.starting_in(sentence.index, at, at + 40)
                      if m.kind in ("country", "agency") and m.role != "inside"), None)
        if other is None or not _STYLE_OF.fullmatch(self.text[at:other.start]):
            return None
        countries = {self.entities.country_of(p) for p in parties}
        if other.key in parties or self.entities.country_of(other.key) in countries:
            return None
        self._other_end = other.end
        return other.key

    def _known_with(self, key: str, other: str) -> str | None:
        """An agreement named before, of the kind of ``key``, with ``other``'s country among
        its parties."""
        heads = self.result.agreements[key].heads
        country = self.entities.country_of(other)
        for known in reversed(self.order):
            agreement = self.result.agreements.get(known)
            if agreement is None or not agreement.heads & heads:
                continue
            if other in agreement.parties or country is not None and country in {
                    self.entities.country_of(p) for p in agreement.parties}:
                return known
        return None

    def _another_like(self, key: str, mention: AgreementMention, sentence: Sentence) -> str:
        """A new agreement of the kind of ``key``, named "<its name> with <party>"."""
        like = self.result.agreements[key]
        mention.anaphoric = False
        mention.title = " ".join(self.text[mention.start:self._other_end].split())
        new = f"agreement-{len(self.order) + 1}"
        agreement = Agreement(key=new, title=mention.title, kind=like.kind, marked_new=True,
                              head_phrase=like.head_phrase, heads=set(like.heads))
        agreement.mentions.append(mention)
        self.result.agreements[new] = agreement
        self.order.append(new)
        return new

    def _first_mention(self, mention: AgreementMention, sentence: Sentence) -> bool:
        """"The protocol was initialled", "the draft roadmap": a definite or bare mention
        with nothing before it to refer to is an agreement of its own, in the body (a
        headline's bare "pact" is the body's)."""
        head = _head_class(mention.head)
        return sentence.index > 0 and head != "document" and not mention.head.isupper() \
            and (mention.definite or not mention.indefinite) and \
            not search_before(r"(?i)\b(?:in|reached|reach|no|any|without)\s+(?:the\s+)?$",
                              self.text, mention.start, sentence.start)

    def _signed_object(self, mention: AgreementMention, sentence: Sentence) -> bool:
        """"the sides signed the minutes" with no minutes named before: a new agreement."""
        return bool(search_before(r"(?i)\b(?:signed|inked|concluded)\s+(?:the|a|an)\s+$",
                                  self.text, mention.start, sentence.start)) \
            and not search_before(r"(?i)\b(?:to|will|would|shall|plan\s+to|plans\s+to)\s+"
                                  r"\w+\s+(?:the|a|an)\s+$", self.text, mention.start,
                                  sentence.start)

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
        # "the Joint Action Plan agreement" is the "Bilateral Joint Action Plan"
        a = _content(agreement.title) - lexicon().generic_nouns
        b = _content(mention.title) - lexicon().generic_nouns
        if mention.parties and agreement.parties and not set(mention.parties) & set(
                agreement.parties):
            return False
        if a and b and (a <= b or b <= a) and min(len(a), len(b)) >= 2:
            return True
        # "the AEO arrangement" after an "arrangement on the mutual recognition of authorized
        # economic operators": an acronym of words of its title, with the same head
        caps = [w for w in re.findall(r"\b[A-Z]{2,6}\b", mention.title)
                if w not in agreement.title]
        if caps and _head_class(mention.head) in agreement.heads:
            words = "".join(w[0].lower() for w in re.findall(r"[A-Za-z]+", agreement.title))
            return all(c.lower() in words for c in caps)
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
        if head in lexicon().generic_classes and self.order and (
                mention.definite or mention.head[:1].isupper()):
            return self.order[-1]  # "the document", "this agreement": the one named last
        return None
