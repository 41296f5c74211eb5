"""Agencies, countries and people in article sentences, resolved against the reference data.

Four passes over each sentence: names of the gazetteer (with acronyms), capitalised
organisation names it lacks ("Federal Customs Office of the PRC"), loose forms ("Mongolian
customs", "customs service of China", "the Mexican tax service"), and countries from names,
demonyms and compounds ("Russian-Mongolian"). People come from posts ("Head of the Federal
Customs Service of Russia, Vladimir Bulavin"). The result is one entity per real body, with
every surface form as an alias and every mention's position.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from graph.names import normalise_name
from loaders.articles.gazetteer import (
    CAPITALS,
    COMBINING_FORMS,
    Gazetteer,
    KnownBody,
    gazetteer,
)
from loaders.articles.sentences import Sentence

ORG_HEADS = frozenset({
    "customs", "service", "services", "administration", "directorate", "department",
    "committee", "commission", "subcommission", "ministry", "bureau", "agency", "office",
    "authority", "board", "government", "treasury", "bank", "organization", "organisation",
    "union", "council", "inspectorate", "police", "guard", "secretariat", "chamber", "embassy",
    "force", "enforcement", "protection", "revenue", "fund", "excise",
})
# Heads joined by "and" inside one name: "Customs and Excise", "Tax and Customs".
_PAIRED_HEADS = frozenset({"customs", "excise", "tax", "taxes", "revenue", "border",
                           "immigration", "monopolies"})
_MISSION_HEADS = frozenset({"embassy", "consulate", "mission", "representation"})
# Posts in the plural: "Heads of Customs Administrations" is a gathering of people, no body.
_GATHERED_POSTS = frozenset({"heads", "chiefs", "directors", "leaders", "commissioners",
                             "ministers"})
JOINT_BODY_HEADS = frozenset({"committee", "commission", "subcommission", "council",
                              "subcommittee", "group"})
_CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                   "september", "october", "november", "december", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "saturday", "sunday"}
_CONNECTORS = frozenset({"of", "for", "and", "the", "on", "&", "de", "du", "des", "between"})
_STOP_CAPS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "and", "but",
    "so", "after", "during", "as", "by", "with", "from", "to", "of", "it", "its", "their",
    "his", "her", "our", "we", "they", "he", "she", "i", "according", "under", "following",
    "before", "since", "while", "when", "also", "additionally", "moreover", "however",
    "meanwhile", "likewise", "through", "some", "every", "each", "both", "all", "among",
    "given", "upon", "further", "within", "between", "there", "here", "photo", "source",
    "deputy", "head", "chief", "minister", "commissioner", "chairman", "director", "member",
    "president", "vice", "ambassador", "secretary", "general", "acting", "senior", "mr", "ms",
    "mrs", "dr", "prime", "financial", "first", "executive", "official", "officer",
})
POST_WORDS = frozenset({
    "commissioner", "minister", "ambassador", "director", "director-general", "head", "chief",
    "chairman", "chairwoman", "chair", "chairperson", "president", "secretary", "member",
    "officer", "official", "governor", "premier", "counsellor", "consul", "adviser",
    "advisor", "spokesperson", "spokesman", "representative", "administrator", "commander",
    "superintendent", "inspector", "envoy", "delegate", "mayor", "undersecretary",
    "counterpart", "leader", "attaché", "attache", "comptroller", "comptroller-general",
})
_POST_MODIFIERS = frozenset({"deputy", "vice", "acting", "first", "senior", "general",
                             "assistant", "executive", "prime", "financial", "chief", "special",
                             "principal", "permanent", "foreign", "finance", "trade"})
# Nouns "customs" qualifies when it is an adjective ("customs clearance"), not an agency.
_CUSTOMS_COMPOUNDS = frozenset({
    "clearance", "control", "controls", "procedure", "procedures", "operation", "operations",
    "officer", "officers", "official", "officials", "duty", "duties", "matters", "affairs",
    "cooperation", "co-operation", "regime", "value", "declaration", "declarations", "union",
    "territory", "code", "statistics", "payments", "violations", "management", "check",
    "checks", "inspection", "inspections", "data", "information", "legislation", "law",
    "laws", "post", "posts", "point", "points", "border", "borders", "formalities", "fraud",
    "offences", "offenses", "issues", "sphere", "field", "house", "broker", "brokers",
    "warehouse", "tariff", "tariffs", "system", "systems", "modernization", "modernisation",
    "integrity", "risk", "enforcement", "capacity", "reform", "practices", "work", "staff",
    "bodies", "body", "agreement", "agreements", "administrations", "experts", "expert",
    "personnel", "regulations", "rules", "requirements", "processes", "process", "purposes",
    "transit", "zone", "zones", "area", "areas", "revenue", "revenues", "collection",
    "valuation", "classification", "audit", "audits", "seizures", "seizure", "payment",
    "authorities'", "activities", "activity", "sector", "community", "brokerage", "facilities",
    "facility", "administration's", "terminal", "terminals", "laboratory", "technologies",
    "technology", "service's", "and",
})
_REGION_PREFIXES = frozenset({"latin", "south", "north", "central", "east", "west", "inter",
                              "pan", "trans", "meso", "sub", "southeast", "northeast",
                              "southwest", "northwest", "far", "middle", "eastern", "western",
                              "northern", "southern"})
_COMPASS = frozenset({"far", "north", "south", "east", "west", "northern", "southern",
                      "eastern", "western", "central", "north-western", "north-eastern",
                      "south-western", "south-eastern", "northwestern", "southeastern"})

_NOT_NAMES = frozenset({
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "customs", "border", "trade", "agreement", "memorandum", "house", "street",
    "city", "republic", "kingdom", "states", "state", "union", "road", "hall", "centre",
    "center", "port", "airport", "station", "square", "palace", "hotel", "news", "photo",
    "programme", "program", "partnership", "framework", "standards", "operator", "operators",
})
_POST_RE = re.compile(
    r"\b(?:(?:[Dd]eputy|[Vv]ice|[Aa]cting|[Ff]irst|[Ss]enior|[Gg]eneral|[Ee]xecutive|[Pp]rime|"
    r"[Ff]inancial|[Aa]ssistant|[Ss]pecial|[Cc]hief|[Pp]ermanent|[Pp]rincipal)[\s-]+)*"
    r"(?:" + "|".join(sorted((w.capitalize() + "|" + w for w in POST_WORDS), key=len,
                             reverse=True)) + r")(?:[\s-]General)?\b")
# Words no organisation's name holds: between a post and a name they make a clause ("Head of
# X met with the attaché … Y"), not an organisation.
_CLAUSE_WORDS = frozenset({
    "with", "met", "meets", "said", "says", "held", "signed", "visited", "received",
    "welcomed", "told", "who", "which", "that", "was", "were", "is", "are", "has", "have",
    "by", "at", "on", "after", "before", "during", "while", "when",
})
_AGREEMENT_WORDS = frozenset({"agreement", "memorandum", "protocol", "treaty", "convention",
                              "arrangement", "accord", "pact", "between", "mou", "plan",
                              "framework", "programme", "roadmap", "strategy"})
_ENVOY = re.compile(r"(?i)\b(ambassador|consul|envoy|counterpart|attach[ée])\b")
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)+\.?|[^\W_]+(?:['’][^\W_]+)*|&|[^\w\s]")
_NAME_WORD = r"(?:[A-Z][a-zà-öø-ÿ'’]+(?:[A-Z][a-zà-öø-ÿ]+)?(?:-[A-Za-zà-öø-ÿ]+)?)"
_PARTICLE = r"(?:van|von|de|der|den|da|dos|du|la|le|bin|al|ibn|ter)"
_PERSON = re.compile(
    rf"(?:(?P<hon>Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Madam|Sir)\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*(?:[A-Z]\.|{_NAME_WORD})){{0,6}})")


@dataclass
class Token:
    start: int
    end: int
    text: str
    norm: str

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


@dataclass
class Mention:
    """Where an entity is named: its span in the article text and how it was recognised."""

    start: int
    end: int
    text: str
    kind: str  # agency | country | person
    key: str
    role: str = "name"  # name | acronym | loose | pattern | demonym | post | inside | anaphora
    confidence: float = 0.9
    sentence: int = -1


@dataclass
class AgencyEntity:
    """An agency, union, international organisation or collective the article names."""

    key: str
    name: str
    country: str | None
    kind: str  # records kinds: customs, regional-customs, ministry, agency, government, …
    reference: str | None = None  # the gazetteer id it resolved to
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    national_level: bool = True
    collective: bool = False
    confidence: float = 0.9
    parent: str | None = None  # the gazetteer id of the body it is part of (a collective's union)

    def add_alias(self, text: str) -> None:
        text = " ".join(text.split())
        if text and normalise_name(text) not in {normalise_name(a) for a in
                                                 [self.name, *self.aliases]}:
            self.aliases.append(text)


@dataclass
class PersonEntity:
    """A person the article names, with the post and organisation it gives."""

    key: str
    name: str
    post: str | None = None
    organisation: str | None = None  # an agency key, or a country code
    country: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class EntityAnalysis:
    """The entities of an article and their mentions, sentence by sentence."""

    agencies: dict[str, AgencyEntity] = field(default_factory=dict)
    people: dict[str, PersonEntity] = field(default_factory=dict)
    country_mentions: dict[str, list[Mention]] = field(default_factory=dict)
    by_sentence: dict[int, list[Mention]] = field(default_factory=dict)
    joint_bodies: dict[int, list[str]] = field(default_factory=dict)  # sentence -> names

    def mentions(self, sentence: int) -> list[Mention]:
        return self.by_sentence.get(sentence, [])

    def add(self, mention: Mention) -> None:
        items = self.by_sentence.setdefault(mention.sentence, [])
        if not any(m.start == mention.start and m.end == mention.end and m.key == mention.key
                   for m in items):
            items.append(mention)
            items.sort(key=lambda m: (m.start, -m.end))

    def country_of(self, key: str) -> str | None:
        """The country of an agency key, a person key or a country code."""
        if key in self.agencies:
            return self.agencies[key].country
        if key in self.people:
            return self.people[key].country
        return key if re.fullmatch(r"[A-Z]{2}", key) else None


@functools.lru_cache(maxsize=65536)
def _normal(word: str) -> str:
    return normalise_name(word)


def tokenise(text: str, offset: int = 0) -> list[Token]:
    """Words (with inner apostrophes and dotted acronyms) and punctuation marks."""
    return [Token(m.start() + offset, m.end() + offset, m.group(0), _normal(m.group(0)))
            for m in _TOKEN.finditer(text)]


def _windows(tokens: list[Token], i: int, limit: int, prefixes: set[str]):
    """(end, key) of the windows starting at token i whose words may begin a known name,
    shortest first; punctuation inside a name ("Guinea-Bissau", "Identity, Citizenship")
    is skipped."""
    if not tokens[i].is_word:
        return
    parts: list[str] = []
    for j in range(i, min(len(tokens), i + limit)):
        token = tokens[j]
        if not token.norm:
            if token.text in {"-", "–", "’", "'", "&", ","}:
                continue
            return
        parts.append(token.norm)
        key = " ".join(parts)
        if key not in prefixes:
            return
        yield j + 1, key


def _window_key(tokens: list[Token], i: int, j: int) -> str | None:
    """The normalised text of tokens[i:j], or None if punctuation breaks it."""
    parts = []
    for token in tokens[i:j]:
        if token.norm:
            parts.append(token.norm)
        elif token.text not in {"-", "–", "’", "'", "&", ","}:
            return None
    if not tokens[i].is_word or not tokens[j - 1].is_word:
        return None
    return " ".join(parts)


class _Recogniser:
    """Finds the entities of one article."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.text = text
        self.sentences = sentences
        self.result = EntityAnalysis()
        self.tokens = {s.index: tokenise(s.text, s.start) for s in sentences}

    # -- registry -------------------------------------------------------------------------
    def _agency_from_reference(self, key: str) -> AgencyEntity:
        entity = self.result.agencies.get(key)
        if entity is None:
            body = self.gaz.bodies[key]
            kind = body.agency_kind or "customs"
            entity = AgencyEntity(key=key, name=body.name, country=body.country, kind=kind,
                                  reference=key, national_level=kind != "regional-customs")
            self.result.agencies[key] = entity
        return entity

    def _new_agency(self, name: str, country: str | None, kind: str, *,
                    national_level: bool = True, collective: bool = False,
                    confidence: float = 0.7) -> AgencyEntity:
        name = " ".join(name.split())
        key = "new:" + normalise_name(name)
        norm = normalise_name(name)
        for entity in self.result.agencies.values():  # a known name is that entity
            names = {normalise_name(n) for n in [entity.name, *entity.aliases]}
            if norm in names:
                return entity
        for entity in self.result.agencies.values():  # "State Revenue Committee" after
            names = {normalise_name(n) for n in [entity.name, *entity.aliases]}  # "… of X"
            if entity.mentions and len(norm.split()) >= 2 and any(
                    n.startswith(norm + " of ") for n in names):
                return entity
        entity = self.result.agencies.get(key)
        if entity is None:
            entity = AgencyEntity(key=key, name=name, country=country, kind=kind,
                                  national_level=national_level, collective=collective,
                                  confidence=confidence)
            self.result.agencies[key] = entity
        return entity

    def _mention_agency(self, entity: AgencyEntity, sentence: Sentence, start: int, end: int,
                        role: str, confidence: float, alias: str | None = None) -> Mention:
        surface = self.text[start:end]
        mention = Mention(start, end, surface, "agency", entity.key, role, confidence,
                          sentence.index)
        entity.mentions.append(mention)
        if role not in ("anaphora", "inside"):
            entity.add_alias(alias or surface)
        self.result.add(mention)
        return mention

    def _mention_country(self, code: str, sentence: Sentence, start: int, end: int,
                         role: str, confidence: float = 0.9) -> None:
        mention = Mention(start, end, self.text[start:end], "country", code, role, confidence,
                          sentence.index)
        self.result.country_mentions.setdefault(code, []).append(mention)
        self.result.add(mention)

    def _taken(self, sentence: Sentence, start: int, end: int, kinds=("agency",)) -> bool:
        return any(m.start < end and start < m.end and m.kind in kinds
                   for m in self.result.mentions(sentence.index))

    # -- pass 1: names of the gazetteer ---------------------------------------------------
    def gazetteer_names(self, sentence: Sentence) -> None:
        tokens = self.tokens[sentence.index]
        i = 0
        while i < len(tokens):
            found = None
            for j, key in _windows(tokens, i, self.gaz.max_tokens, self.gaz.prefixes):
                keys = self.gaz.body_names.get(key)
                if keys and self._case_ok(tokens[i:j]):
                    found = (j, keys[0], "name")
            if found is None:
                acronym = tokens[i].text.rstrip(".")
                keys = self.gaz.acronyms.get(acronym)
                if keys and tokens[i].is_word:
                    found = (i + 1, keys[0], "acronym")
            if found is None:
                i += 1
                continue
            j, key, role = found
            if tokens[j - 1].norm == "customs" and j < len(tokens) and \
                    tokens[j].norm in _CUSTOMS_COMPOUNDS and tokens[j].norm != "and":
                i = j
                continue
            start, end = tokens[i].start, tokens[j - 1].end
            entity = self._agency_from_reference(key)
            if entity.kind == "union" and re.search(
                    r"(?i)\b(?:territory\s+of|from|in|into|within|across|throughout|outside)"
                    r"\s+(?:the\s+)?$", self.text[sentence.start:start]):
                role = "locative"
            self._mention_agency(entity, sentence, start, end, role, 0.95)
            i = j

    @staticmethod
    def _case_ok(window: list[Token]) -> bool:
        words = [t for t in window if t.is_word]
        if len(words) == 1:
            return words[0].capitalised
        return any(t.capitalised for t in words if t.norm not in _CONNECTORS)

    # -- pass 2: capitalised organisation names ---------------------------------------------
    def capitalised_names(self, sentence: Sentence) -> None:
        tokens = self.tokens[sentence.index]
        long_words = [t for t in tokens if t.is_word and len(t.text) > 3]
        if len(long_words) >= 4 and not re.search(r"[.!?\"”…\]]\s*$", sentence.text) and \
                sum(t.capitalised for t in long_words) >= 0.75 * len(long_words):
            return  # a headline in title case: every word looks like a name
        i = 0
        while i < len(tokens):
            if not (tokens[i].is_word and tokens[i].capitalised):
                i += 1
                continue
            j = i + 1
            while j < len(tokens):
                t = tokens[j]
                if t.is_word and (t.capitalised or t.text.isupper()):
                    j += 1
                elif (t.norm in _CONNECTORS or t.text in {"-", "&"}) and j + 1 < len(tokens) \
                        and (tokens[j + 1].capitalised or tokens[j + 1].norm == "the") \
                        and tokens[j + 1].is_word and not (
                            t.norm in {"on", "in", "since", "until", "by"} and
                            tokens[j + 1].norm in _CALENDAR_WORDS):  # "… Committee on October 10"
                    j += 1
                else:
                    break
            self._org_phrase(sentence, tokens, i, j)
            i = j

    def _org_phrase(self, sentence: Sentence, tokens: list[Token], i: int, j: int,
                    depth: int = 0) -> None:
        # An agreement's title names its parties: "Agreement between the Government of X".
        for k in range(j - 1, i - 1, -1):
            if tokens[k].norm in _AGREEMENT_WORDS:
                i = k + 1
                break
        # "Director-General for Taxation and Customs Union of the X": a field, then X
        for k in range(i, j):
            if tokens[k].norm in POST_WORDS:
                n = k + 1
                while n < j and (tokens[n].text in {"-", "–"} or tokens[n].norm == "general"):
                    n += 1
                if n < j and tokens[n].norm == "for":
                    i = self._portfolio(sentence, tokens, k, n, j)
                break
        # Drop leading function words, posts and people: start after the last "of/to the".
        while i < j and (tokens[i].norm in _STOP_CAPS or tokens[i].norm in _CONNECTORS
                         or not tokens[i].is_word):
            i += 1
        if i < j and tokens[i].norm in _GATHERED_POSTS:
            return  # "Heads of Customs of SACU": the holders of a post met, not a body
        heads = [k for k in range(i, j) if tokens[k].norm in ORG_HEADS]
        if not heads:
            return
        first_head = heads[0]
        # A post before the organisation: "Deputy Head of the X" -> X.
        for k in range(first_head - 1, i - 1, -1):
            if tokens[k].norm in POST_WORDS:
                i = k + 1
                while i < j and (tokens[i].norm in _CONNECTORS or not tokens[i].is_word
                                 or tokens[i].norm in _POST_MODIFIERS):
                    i += 1
                break
        heads = [k for k in heads if k >= i]
        if not heads:
            return
        end = self._org_end(tokens, heads, j, i)
        if end is None:
            return
        if end < j and depth < 5:
            rest = end
            while rest < j and (tokens[rest].norm in _CONNECTORS or not tokens[rest].is_word):
                rest += 1
            if rest < j:
                self._org_phrase(sentence, tokens, rest, j, depth + 1)
        window = tokens[i:end]
        words = [t for t in window if t.is_word and t.norm not in _CONNECTORS]
        if len(words) < 2:
            return
        start_char, end_char = window[0].start, window[-1].end
        if self._taken(sentence, start_char, end_char):
            # "Japan Customs and the Directorate-General for …": look past the named body
            taken_end = max(m.end for m in self.result.mentions(sentence.index)
                            if m.kind == "agency" and m.start < end_char and
                            start_char < m.end)
            rest = next((k for k in range(i, j) if tokens[k].start >= taken_end), None)
            if rest is not None and depth < 5:
                self._org_phrase(sentence, tokens, rest, j, depth + 1)
            return
        phrase = self.text[start_char:end_char]
        norms = [t.norm for t in window]
        rest = [t for t in words if t.norm not in {"customs", "service", "administration",
                                                    "authority", "authorities", "agency"}]
        if rest and all(self._resolve_place(t.text)[1] for t in rest) and len(words) > len(rest):
            return  # "China and Kazakhstan Customs": national customs, the loose pass's job
        two_countries = self._country_compound(window[0].text) or (
            len(window) > 2 and window[1].text in "-–" and
            self._country_compound(window[0].text + "-" + window[2].text))
        if (norms[0] in JOINT_BODY_HEADS or norms[0].startswith("sub")
                or any(n in JOINT_BODY_HEADS for n in norms)) and (
                "cooperation" in norms or "meetings" in norms or "co" in norms
                or ("joint" in norms and two_countries)):  # "Omani-Saudi Joint … Committee"
            self.result.joint_bodies.setdefault(sentence.index, []).append(phrase)
            return
        named = self._named_by_words(words)
        if named is not None:  # "Director General of Customs and Excise" after the DJBC
            self._mention_agency(named, sentence, start_char, end_char, "loose", 0.7)
            return
        fuzzy = self.gaz.fuzzy_body(phrase)
        if fuzzy and not self._distinct_words_kept(phrase, self.gaz.bodies[fuzzy]):
            fuzzy = None  # "Customs and Excise" is not "HM Customs and Excise"
        if fuzzy:
            entity = self._agency_from_reference(fuzzy)
            self._mention_agency(entity, sentence, start_char, end_char, "fuzzy", 0.75)
            return
        alias = None
        owner = re.match(r"(?P<place>[A-Z][\w .-]*?)['’]s\s+(?=[A-Z])", phrase)
        if owner and self._resolve_place(owner.group("place"))[1]:
            alias, phrase = phrase, phrase[owner.end():]  # "Guatemala's Superintendency …"
            window = [t for t in window if t.start >= start_char + owner.end()]
        named = window
        if any(t.norm in _MISSION_HEADS for t in window):  # "Embassy of Japan in Russia": JP
            named = next((window[:n] for n, t in enumerate(window) if t.norm == "in"), window)
        country = self._country_in(named)
        if alias and country is None:
            country = self._resolve_place(owner.group("place"))[1]
        regional = self._regional(window)
        if country is None and regional:  # "Osaka Customs": a region of Japan
            country = self._region_country(window[0].text)
        kind = self._kind_of(norms, country)
        if regional and kind == "customs":
            kind = "regional-customs"
        entity = self._new_agency(phrase, country, kind, confidence=0.7,
                                  national_level=not regional)
        self._mention_agency(entity, sentence, start_char, end_char, "pattern", 0.7, alias)

    def _portfolio(self, sentence: Sentence, tokens: list[Token], post: int, at: int,
                   j: int) -> int:
        """A post "for" a field ("Director-General for Taxation and Customs Union of the
        European Commission"): a Director-General's field names the Directorate-General;
        another post's field names no body. The token where the rest of the phrase starts."""
        end = next((k for k in range(at + 1, j) if tokens[k].norm == "of"), j)
        words = [t for t in tokens[at + 1:end] if t.is_word]
        if tokens[post].norm == "director" and words and all(
                t.capitalised or t.norm in _CONNECTORS for t in words):
            field_start, field_end = words[0].start, words[-1].end
            name = f"Directorate-General for {self.text[field_start:field_end]}"
            if not self._taken(sentence, field_start, field_end):
                entity = self._new_agency(name, None, "agency", confidence=0.6)
                self._mention_agency(entity, sentence, field_start, field_end, "post", 0.6,
                                     name)
        return end + 1 if end < j else j

    def _named_by_words(self, words: list[Token]) -> AgencyEntity | None:
        """The one agency named before whose name holds all these words, if any."""
        norms = {t.norm for t in words}
        if len(norms) < 2:
            return None
        found = []
        for entity in self.result.agencies.values():
            if not entity.mentions:
                continue
            names = [entity.name, *entity.aliases]
            if any(norms <= set(normalise_name(n).split()) for n in names):
                found.append(entity)
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _distinct_words_kept(phrase: str, body: KnownBody) -> bool:
        """True when the words that set a body's name apart ("HM", "Federal", "Russia") are in
        the phrase, if misspelt: a fuzzy match is a garbled name, not a shorter one."""
        words = normalise_name(phrase).split()
        generic = ORG_HEADS | _CONNECTORS | {"general", "national", "state"}
        distinct = [w for w in normalise_name(body.name).split() if w not in generic]
        return all(any(fuzz.ratio(w, x) >= 80 for x in words) for w in distinct)

    def _org_end(self, tokens: list[Token], heads: list[int], j: int,
                 start: int | None = None) -> int | None:
        """Where an organisation name ends: its last head, or an "of <place>" after it."""
        start = heads[0] if start is None else start
        last = None
        k = heads[0]
        while k < j:
            if tokens[k].norm in ORG_HEADS:
                last = k + 1
            elif tokens[k].norm == "of" and last is not None and tokens[k - 1].capitalised:
                tail = self._place_tail(tokens, k + 1, j)
                if tail is None:
                    break
                last = tail
                k = tail
                continue
            elif tokens[k].norm == "and" and k + 1 < j and \
                    tokens[k - 1].norm in _PAIRED_HEADS and tokens[k + 1].norm in _PAIRED_HEADS:
                pass  # "Customs and Excise"
            elif tokens[k].norm == "and" and last == k and k + 2 < j and (
                    tokens[k + 1].norm in ORG_HEADS or tokens[k + 1].norm == "the" and any(
                        t.norm in ORG_HEADS for t in tokens[k + 2:j]) or any(
                        t.norm in ORG_HEADS for t in tokens[k + 2:j]) and sum(
                        t.is_word and t.norm not in _CONNECTORS for t in tokens[start:k]) >= 2):
                break  # "the Government of X and the Government of Y", "Osaka Customs and
                #         Nagoya Customs": two bodies
            elif tokens[k].norm in _CONNECTORS or tokens[k].text in {"-", "&"}:
                pass
            elif tokens[k].norm in POST_WORDS:
                break
            k += 1
        if last is not None and last < j - 1 and tokens[last].norm in {"for", "on"} and all(
                t.capitalised or t.norm in _CONNECTORS for t in tokens[last + 1:j] if t.is_word) \
                and not any(t.norm in POST_WORDS for t in tokens[last + 1:j]):
            return j  # "Regional Office for Capacity Building", "Ministry for Foreign Affairs"
        if last is not None and tokens[last - 1].norm in _MISSION_HEADS or (
                last is not None and any(tokens[h].norm in _MISSION_HEADS for h in heads)):
            mission = self._mission_place(tokens, last)
            if mission is not None:
                return mission
        return last

    def _mission_place(self, tokens: list[Token], k: int) -> int | None:
        """"Embassy of Japan in the Russian Federation": where a mission is belongs to its
        name; the end of "in <country>" at k, or None."""
        if k < len(tokens) and tokens[k].norm == "in":
            key_end = None
            start = k + 2 if k + 1 < len(tokens) and tokens[k + 1].norm == "the" else k + 1
            for end in range(min(len(tokens), start + 6), start, -1):
                key = _window_key(tokens, start, end)
                if key and key in self.gaz.countries:
                    key_end = end
                    break
            return key_end
        return None

    def _place_tail(self, tokens: list[Token], k: int, j: int) -> int | None:
        """The end of "the PRC", "Russia", "the Republic of Karelia" starting at k."""
        if k < j and tokens[k].norm == "the":
            k += 1
        for end in range(min(j, k + 6), k, -1):
            key = _window_key(tokens, k, end)
            if key and (key in self.gaz.countries or key in self.gaz.body_names):
                return end
        if k < j and tokens[k].norm in {"republic", "region", "province", "oblast", "state",
                                        "city", "territory", "krai"}:
            k += 1
            if k < j and tokens[k].norm == "of":
                k += 1
        if k < j and tokens[k].is_word and tokens[k].capitalised \
                and tokens[k].norm not in POST_WORDS:
            return k + 1
        return None

    def _country_in(self, window: list[Token]) -> str | None:
        """The country an organisation name states ("of Russia", "Mexico's", "Korea")."""
        for size in range(min(6, len(window)), 0, -1):
            for a in range(0, len(window) - size + 1):
                key = _window_key(window, a, a + size)
                if not key:
                    continue
                if key in self.gaz.countries:
                    return self.gaz.countries[key]
                if key.endswith("s") and key[:-1] in self.gaz.countries \
                        and window[a + size - 1].text[-2:] in {"'s", "’s"}:
                    return self.gaz.countries[key[:-1]]
                if key in self.gaz.demonyms:
                    return self.gaz.demonyms[key]
        text = " ".join(t.text for t in window)
        match = re.search(r"\bof (?:the )?((?:Republic (?:of )?)?[A-Z][\w-]+(?: [A-Z][\w-]+)?)$",
                          text)
        if match:
            return self.gaz.subdivision_country(match.group(1))
        return None

    @staticmethod
    def _kind_of(norms: list[str], country: str | None) -> str:
        if "ministry" in norms:
            return "ministry"
        if "government" in norms:
            return "government"
        if "customs" in norms:
            return "customs"
        if country is None and set(norms) & {"bank", "organization", "organisation", "union",
                                              "commission", "council", "fund"}:
            return "international"
        return "agency"

    def _regional(self, window: list[Token]) -> bool:
        first = window[0].norm
        if first in _COMPASS:
            return True
        key = window[0].norm
        return (window[0].capitalised and key not in self.gaz.countries
                and key not in self.gaz.demonyms and key not in ORG_HEADS
                and key not in {"federal", "national", "state", "general", "central", "royal",
                                "main", "chief", "supreme", "customs", "ministry",
                                "department", "directorate"}
                and len(window) == 2 and window[1].norm == "customs")

    # -- pass 3: loose forms ------------------------------------------------------------------
    _LOOSE_BEFORE = re.compile(
        r"(?P<c>\b(?:[A-Z][\w’'.]*(?:-[A-Z][\w’'.]*)?(?:\s+and\s+[A-Z][\w’'.]*)?))\s+"
        r"(?P<head>(?i:customs|tax|revenue|border))"
        r"(?:\s+(?P<noun>service|services|administration|administrations|authority|"
        r"authorities|agency|agencies|office|department|committee|bureau))?\b(?P<after>\s+\S+)?")
    _LOOSE_OF = re.compile(
        r"(?P<mod>(?:\b(?:far|north|south|east|west|central)\s+)?(?:[A-Z][\w-]*\s+)?)"
        r"\b(?P<customs>(?i:customs))\s+(?:(?P<noun>service|services|administration|"
        r"administrations|authority|authorities|agency|agencies|office|offices)\s+"
        r"(?P<prep>of|in)|(?P<bare>of))\s+(?:the\s+)?"
        r"(?P<c>[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*){0,4})"
        r"(?P<coll>\s+(?:member\s+)?(?:countries|states|nations))?"
        r"(?P<coord>(?:,\s+(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*){0,4})*"
        r",?\s+and\s+(?:the\s+)?(?P<c2>[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)"
        r"{0,4}))?")

    def loose_forms(self, sentence: Sentence) -> None:
        for match in self._LOOSE_OF.finditer(sentence.text):
            self._loose_of(sentence, match)
        for match in self._LOOSE_BEFORE.finditer(sentence.text):
            self._loose_before(sentence, match)

    def _resolve_place(self, text: str) -> tuple[str, str | None]:
        """("country", code) / ("demonym", code) / ("possessive", code) / ("union", key) for
        a name, or ("", None)."""
        text = text.strip().rstrip(".,")
        possessive = re.sub(r"['’]s?$", "", text)
        for candidate, kind in ((text, "country"), (possessive, "possessive")):
            key = normalise_name(candidate)
            if key in self.gaz.countries:
                return kind, self.gaz.countries[key]
            if key in self.gaz.demonyms:
                return "demonym", self.gaz.demonyms[key]
            keys = self.gaz.body_names.get(key) or self.gaz.acronyms.get(candidate)
            if keys and self.gaz.bodies[keys[0]].kind == "union":
                return "union", keys[0]
        return "", None

    def _place_prefix(self, text: str) -> tuple[str, str | None, int]:
        """The longest leading words of ``text`` that name a country or union: (kind, code,
        length in characters)."""
        words = list(re.finditer(r"\S+", text))
        for size in range(len(words), 0, -1):
            end = words[size - 1].end()
            kind, code = self._resolve_place(text[:end])
            if code:
                return kind, code, len(text[:end].rstrip(".,"))
        return "", None, 0

    def _loose_of(self, sentence: Sentence, match: re.Match) -> None:
        base = sentence.start
        if match.group("bare") and not (match.group("customs") == "Customs" or re.search(
                r"\bthe\s+$", sentence.text[:match.start("customs")])):
            return  # "the customs of Kazakhstan", "Customs of Uzbekistan"; not "customs of"
        place = match.group("c")
        noun = match.group("noun")
        # "the Eurasian Economic Union countries" / "the Member States": a collective.
        if match.group("coll") or re.search(r"\b(?:countries|States|states|members)$", place) \
                or place == "Member":
            union_text = re.sub(r"\s*\b(?:countries|States|states|members|Member)\b.*$", "",
                                place)
            kind, key = self._resolve_place(union_text) if union_text else ("", None)
            union_key = key if kind == "union" else self._last_union()
            if union_key:
                self._collective(sentence, base + match.start("customs"),
                                 base + (match.end("coll") if match.group("coll")
                                         else match.end("c")), union_key)
            return
        modifier = match.group("mod").strip()
        targets = [(match.start("c"), place)]
        if match.group("coord"):
            for item in re.finditer(r"(?:,\s+|,?\s+and\s+)(?:the\s+)?(?P<name>[A-Z][\w’'.-]*"
                                    r"(?:\s+(?:of\s+)?[A-Z][\w’'.-]*){0,4})",
                                    match.group("coord")):
                targets.append((match.start("coord") + item.start("name"), item.group("name")))
        for n, (at, target) in enumerate(targets):
            kind, code, length = self._place_prefix(target)
            if not code or kind == "union":
                continue
            if n == 0:
                start = base + (match.start("mod") if modifier else match.start("customs"))
                alias = None
            else:
                start = base + at
                words = f"customs {noun}" if noun else "customs"
                alias = f"{words} of the {target[:length]}" if target.startswith(
                    "Republic") else f"{words} of {target[:length]}"
            end = base + at + length
            if self._taken(sentence, start, end):
                continue
            if modifier and n == 0 and (modifier.split()[0].lower() in _COMPASS
                                        or modifier[:1].isupper()) and \
                    normalise_name(modifier.split()[-1]) not in self.gaz.demonyms:
                name = self.text[start:end]
                entity = self._new_agency(name, code, "regional-customs",
                                          national_level=False, confidence=0.6)
                self._mention_agency(entity, sentence, start, end, "loose", 0.6)
                continue
            entity = self._national(code)
            if entity is not None:
                self._mention_agency(entity, sentence, start, end, "loose", 0.75, alias)

    def _loose_before(self, sentence: Sentence, match: re.Match) -> None:
        base = sentence.start
        after = (match.group("after") or "").strip().lower().strip(",.;:")
        head = match.group("head").lower()
        noun = match.group("noun")
        if not noun and after in _CUSTOMS_COMPOUNDS and after != "and":
            return
        if noun and after in _CUSTOMS_COMPOUNDS - {"and"}:
            return
        if head != "customs" and not noun:
            return
        words = " ".join(w for w in (match.group("head"), noun) if w)
        places = [m for m in re.finditer(r"\b(?!and\b)\S+(?:\s+(?!and\b)\S+)*",
                                         match.group("c"))]
        end = base + (match.end("noun") if noun else match.end("head"))
        single = len(places) == 1
        for place_match in places:
            place = place_match.group(0)
            p_start = base + match.start("c") + place_match.start()
            kind, code = self._resolve_place(place)
            start = p_start
            stop = end if single else p_start + len(place)
            alias = None if single else f"{place} {words}"
            if self._taken(sentence, start, stop):
                continue
            if code is None and self._country_compound(place):
                continue  # "the Korea-Thailand Customs Heads Meeting": both, no agency
            if code is None:
                # "Novosibirsk customs": a regional unit named by its place
                if head == "customs" and single and not noun and self._regional_place(place):
                    entity = self._new_agency(f"{place} customs", self._region_country(place),
                                              "regional-customs", national_level=False,
                                              confidence=0.6)
                    self._mention_agency(entity, sentence, start, stop, "loose", 0.6)
                continue
            if kind == "union":
                continue
            entity = self._national(code) if head == "customs" else \
                self._document_body(code, head, noun)
            if entity is not None:
                self._mention_agency(entity, sentence, start, stop, "loose", 0.75, alias)

    def _region_country(self, place: str) -> str | None:
        """The country of a region named exactly so in ISO 3166-2 ("Osaka"), else None. A
        compass word names a region in several countries ("East" is one of Cameroon's): no
        country from it ("East African Community Secretariat")."""
        key = normalise_name(place)
        return None if key in _COMPASS else self.gaz.subdivisions.get(key)

    def _country_compound(self, place: str) -> bool:
        """"Korea-Thailand", "Russian-Chinese": countries joined by a hyphen."""
        parts = re.split(r"[-–]", place)
        return len(parts) > 1 and all(self._resolve_place(p)[1] or
                                      normalise_name(p) in COMBINING_FORMS for p in parts)

    def _regional_place(self, place: str) -> bool:
        words = place.split()
        if len(words) != 1 or not words[0][:1].isupper():
            return False
        norm = normalise_name(words[0])
        return norm not in _STOP_CAPS and norm not in ORG_HEADS and norm not in _CONNECTORS \
            and not words[0].isupper() and norm not in {"federal", "national", "state",
                                                        "general", "central", "royal",
                                                        "joint", "regional", "international"}

    def _national(self, code: str) -> AgencyEntity | None:
        """The national customs of a country: one the article already names, else the
        gazetteer's."""
        for entity in self.result.agencies.values():
            if entity.country == code and entity.national_level and not entity.collective \
                    and entity.kind == "customs" and entity.mentions:
                return entity
        key = self.gaz.national_customs.get(code)
        if key:
            return self._agency_from_reference(key)
        name = f"Customs of {self.gaz.country_names.get(code, code)}"
        return self._new_agency(name, code, "customs", confidence=0.6)

    def _document_body(self, code: str, head: str, noun: str | None) -> AgencyEntity | None:
        """"the Mexican tax service": an agency of that country named with those words."""
        words = {head, noun} - {None}
        for entity in self.result.agencies.values():
            names = " ".join(normalise_name(n) for n in [entity.name, *entity.aliases])
            if entity.country == code and all(w in names for w in words):
                return entity
        for body in self.gaz.bodies.values():
            names = " ".join(normalise_name(n) for n in [body.name, *body.aliases])
            if body.country == code and all(w in names for w in words):
                return self._agency_from_reference(body.key)
        return None

    def _last_union(self) -> str | None:
        for entity in reversed(list(self.result.agencies.values())):
            if entity.kind == "union":
                return entity.key
        return None

    def _collective(self, sentence: Sentence, start: int, end: int, union_key: str) -> None:
        union = self.gaz.bodies.get(union_key)
        short = next((a for a in (union.aliases if union else []) if a.isupper()), None)
        label = short or (union.name if union else union_key)
        name = f"customs authorities of the {label} countries"
        entity = self._new_agency(name, None, "customs", collective=True, confidence=0.6)
        entity.collective = True
        if union is not None:
            entity.parent = union_key
        self._mention_agency(entity, sentence, start, end, "loose", 0.6)

    # -- pass 4: countries --------------------------------------------------------------------
    def countries(self, sentence: Sentence) -> None:
        tokens = self.tokens[sentence.index]
        i = 0
        while i < len(tokens):
            found = None
            windows = list(_windows(tokens, i, 6, self.gaz.prefixes))
            for j, key in reversed(windows):
                window = tokens[i:j]
                if not window[-1].capitalised and not window[0].capitalised:
                    continue
                code = self.gaz.countries.get(key)
                role = "name"
                if code is None and key.endswith("s") and window[-1].text[-2:] in {"'s", "’s"}:
                    code = self.gaz.countries.get(key[:-1])
                if code is None:
                    code, role = self.gaz.demonyms.get(key), "demonym"
                if code is None:
                    continue
                if len(window) == 1 and len(window[0].text.rstrip(".")) <= 3 and \
                        not window[0].text.isupper() and "." not in window[0].text:
                    continue  # "us" is no country
                if not all(t.capitalised for t in window if t.is_word and
                           t.norm not in {"of", "the", "and"}) and role == "demonym":
                    continue
                found = (j, code, role)
                break
            if found is None:
                norm = tokens[i].norm
                if norm in COMBINING_FORMS and i + 1 < len(tokens) and tokens[i + 1].text == "-":
                    found = (i + 1, COMBINING_FORMS[norm], "demonym")
            if found is None:
                i += 1
                continue
            j, code, role = found
            if self._region_compound(tokens, i):
                i = j
                continue
            start, end = tokens[i].start, tokens[j - 1].end
            inside = self._taken(sentence, start, end)
            self._mention_country(code, sentence, start, end, "inside" if inside else role)
            i = j

    _METONYMS = re.compile(
        r"(?P<a>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+and\s+(?P<b>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
        r"(?=\s+(?:have\s+|has\s+|had\s+|will\s+|also\s+|today\s+)*(?:signed|agreed|concluded|"
        r"inked|launched|exchanged|reached|sign|agree)\b)")

    def capitals(self, sentence: Sentence) -> None:
        """Capitals that stand for their countries, and only where they do: two of them (or a
        capital and a country) as the subject of "signed", "agreed" ("Moscow and Beijing
        signed …"). "in Moscow" stays a place."""
        for match in self._METONYMS.finditer(sentence.text):
            if re.search(r"(?i)\b(?:in|at|from|to|between|of|via)\s+$",
                         sentence.text[:match.start()]):
                continue
            sides = []
            for group in ("a", "b"):
                start = sentence.start + match.start(group)
                end = sentence.start + match.end(group)
                capital = CAPITALS.get(normalise_name(match.group(group)))
                country = next((m.key for m in self.result.mentions(sentence.index)
                                if m.kind == "country" and m.start == start and m.end == end),
                               None)
                sides.append((start, end, capital, country))
            if not any(c for _, _, c, _ in sides) or not all(c or k for _, _, c, k in sides):
                continue
            if len({c or k for _, _, c, k in sides}) < 2:
                continue
            for start, end, capital, country in sides:
                if capital and not country and not self._taken(sentence, start, end,
                                                                 ("agency", "country")):
                    self._mention_country(capital, sentence, start, end, "metonym", 0.7)

    @staticmethod
    def _region_compound(tokens: list[Token], i: int) -> bool:
        """"Latin American", "Inter-American", "South American": a region, not a country."""
        k = i - 1
        if k >= 0 and tokens[k].text in {"-", "–"}:
            k -= 1
            return k >= 0 and tokens[k].norm in _REGION_PREFIXES
        return k >= 0 and tokens[k].norm in _REGION_PREFIXES and tokens[k].capitalised

    # -- pass 5: people -----------------------------------------------------------------------
    def people(self, sentence: Sentence) -> None:
        text = sentence.text
        for match in _PERSON.finditer(text):
            words = [(m.start() + match.start("name"), m.group(0))
                     for m in re.finditer(r"\S+", match.group("name"))]
            honorific = match.group("hon") is not None
            # trim words that belong to posts, organisations or countries
            while words and (self._skip_word(sentence, *words[0]) or (
                    len(words) >= 3 and re.search(r"\b(?:and|for|of)\s+$",
                                                  text[:words[0][0]]) and
                    re.search(r"\b(?:[A-Z]\w+)\s+(?:and|for|of)\s+$", text[:words[0][0]]))):
                words = words[1:]
                honorific = False
            trimmed = []
            while words and self._skip_word(sentence, *words[-1]):
                trimmed.append(words[-1])
                words = words[:-1]
            if len(words) == 1 and len(trimmed) == 1 and not honorific and \
                    self._country_in_name(sentence, words[0], trimmed[0]):
                words.append(trimmed[0])  # "Finance Minister Petar Mali"
            if len(words) == 1 and not honorific:
                self._single_name(sentence, *words[0])
                continue
            if not words or (len(words) < 2 and not honorific) or len(words) > 4:
                continue
            start = sentence.start + words[0][0]
            end = sentence.start + words[-1][0] + len(words[-1][1])
            name = re.sub(r"['’]s$", "", self.text[start:end])
            end = start + len(name)
            post, org = self._post_of(sentence, start - sentence.start, end - sentence.start)
            known = self._known_person(name)
            if post is None and org is None and known is None:
                continue
            person = known or self._new_person(name)
            if post and post.lower().endswith("counterpart"):
                post = None
            if post and not person.post:
                person.post = post
            if org and not person.organisation:
                person.organisation = org
                person.country = self.result.country_of(org)
            mention = Mention(start, end, name, "person", person.key, "name", 0.8,
                              sentence.index)
            person.mentions.append(mention)
            self.result.add(mention)

    def _country_in_name(self, sentence: Sentence, first: tuple[int, str],
                         last: tuple[int, str]) -> bool:
        """"Petar Mali" after a post: a given name and a surname that is a country's name.
        The country mention is dropped when it is one."""
        start, end = sentence.start + last[0], sentence.start + last[0] + len(last[1])
        country = [m for m in self.result.mentions(sentence.index)
                   if m.kind == "country" and m.start == start and m.end == end]
        if not country or self._not_name_word(first[1]) or \
                normalise_name(first[1]) in _STOP_CAPS or first[1].isupper():
            return False
        if self._post_of(sentence, first[0], last[0] + len(last[1]))[0] is None:
            return False
        for mention in country:
            self.result.by_sentence[sentence.index].remove(mention)
            self.result.country_mentions[mention.key].remove(mention)
            if not self.result.country_mentions[mention.key]:
                del self.result.country_mentions[mention.key]
        return True

    def _single_name(self, sentence: Sentence, offset: int, word: str) -> None:
        """A person known by one name, right after a post with its organisation ("Director
        General of Customs and Excise Wirasakti")."""
        name = re.sub(r"['’]s$", "", word)
        if len(name) < 3 or name.isupper() or self._not_name_word(name) or \
                normalise_name(name) in _STOP_CAPS or normalise_name(name) in _CONNECTORS or \
                re.search(r"(?:tion|sion|ment|ness|ity|ance|ence|ing|ship|ism|ies)$", name):
            return
        at = sentence.start + offset
        before = [m for m in self.result.mentions(sentence.index)
                  if m.kind in ("agency", "country") and 0 <= at - m.end <= 1]
        previous = re.search(r"([\w’'-]+)\s+$", sentence.text[:offset])
        if not before and not (previous and normalise_name(previous.group(1)) in POST_WORDS):
            return  # the name follows a post or the organisation that ends one
        end = offset + len(name)
        if re.match(r"\s+[A-Z]", sentence.text[end:]) or not re.search(
                r"[\w.]\s+$", sentence.text[:offset]):
            return  # more capitalised words follow, or the name starts the sentence
        if any(name in p.name.split() for p in self.result.people.values()):
            return  # a part of a known name: name_parts links it
        post, org = self._post_of(sentence, offset, end)
        if post is None or org is None or not _POST_RE.search(sentence.text[:offset][-120:]):
            return
        person = self._new_person(name)
        person.post, person.organisation = post, org
        person.country = self.result.country_of(org)
        mention = Mention(sentence.start + offset, sentence.start + end, name, "person",
                          person.key, "name", 0.7, sentence.index)
        person.mentions.append(mention)
        self.result.add(mention)

    def _skip_word(self, sentence: Sentence, offset: int, word: str) -> bool:
        """A word that cannot start or end a person's name here."""
        start = sentence.start + offset
        if self._taken(sentence, start, start + len(word), ("agency", "country")):
            return True
        norm = normalise_name(re.sub(r"['’]s$", "", word))
        return (norm in _STOP_CAPS or norm in POST_WORDS or norm in _POST_MODIFIERS
                or self._not_name_word(word))

    def _not_name_word(self, word: str) -> bool:
        norm = normalise_name(re.sub(r"['’]s$", "", word))
        return (norm in self.gaz.countries or norm in self.gaz.demonyms or norm in ORG_HEADS
                or norm in POST_WORDS or norm in _NOT_NAMES)

    def _known_person(self, name: str) -> PersonEntity | None:
        key = normalise_name(name)
        for person in self.result.people.values():
            if normalise_name(person.name) == key:
                return person
        return None

    def _new_person(self, name: str) -> PersonEntity:
        key = "person:" + normalise_name(name)
        person = PersonEntity(key=key, name=name)
        self.result.people[key] = person
        return person

    def _post_of(self, sentence: Sentence, start: int, end: int) -> tuple[str | None, str | None]:
        """The post and organisation stated next to a name at start:end of the sentence."""
        text = sentence.text
        mentions = [m for m in self.result.mentions(sentence.index)
                    if m.kind in ("agency", "country")]
        # "<post> [of/to <org>][,] <Name>"
        before = text[max(0, start - 200):start]
        for match in reversed(list(_POST_RE.finditer(before))):
            gap = before[match.end():]
            post_start = sentence.start + start - len(before) + match.start()
            post_end = sentence.start + start - len(before) + match.end()
            org_text = re.match(r"^\s+(?:of|to|for|in charge of|at)\s+(?:the\s+)?(.*?)\s*,?\s*"
                                r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?(?:the\s+)?$", gap)
            if re.fullmatch(r"\s*,?\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?", gap):
                post = match.group(0).strip()
                org = self._org_near(mentions, post_start, post_end,
                                     sending=bool(_ENVOY.search(post)))
                if org is None:
                    org = self._org_after(mentions, sentence, text[end:end + 200], end)
                return post, org
            if org_text and self._org_like(sentence, org_text.group(1),
                                           sentence.start + start - len(gap) + org_text.start(1)):
                post = (match.group(0) + gap).strip(" ,")
                post = re.sub(r"\s*,?\s*(?:(?:Mr|Mrs|Ms|Dr)\.?\s*)?(?:the\s+)?$", "", post)
                org = None
                if re.search(r"\bof\s+Customs$", post):
                    code = self._possessive_country(mentions, post_start)
                    entity = self._national(code) if code else None
                    org = entity.key if entity else None
                if org is None:
                    org = self._org_near(mentions, post_start, sentence.start + start,
                                         sending=bool(_ENVOY.search(post)))
                return post, org
            break
        # "<Name>, <post> [of/to <org>]"
        after = text[end:end + 200]
        match = re.match(r"\s*,\s*(?:the\s+)?(?:[Aa]cting\s+)?", after)
        if match:
            post_match = _POST_RE.match(after, match.end())
            if post_match:
                clause = re.match(r"[^,;.“\"(]*", after[post_match.start():]).group(0).strip()
                post = post_match.group(0)
                rest = after[post_match.end():]
                org = None
                tail = re.match(r"\s+(?:of|to|for|in charge of|at)\s+(?:the\s+)?", rest)
                if tail:
                    at = sentence.start + end + post_match.end() + tail.end()
                    following = [m for m in mentions if m.start == at]
                    if following:
                        org = following[0].key
                        post += rest[:tail.end()] + following[0].text
                if org is None:
                    org = self._org_near(mentions, sentence.start + end + post_match.start(),
                                         sentence.start + end + post_match.end() + 40,
                                         after_only=True)
                    if len(clause) <= 90:
                        post = clause
                return post.strip(), org
        return None, None

    def _org_after(self, mentions: list[Mention], sentence: Sentence, after: str,
                   end: int) -> str | None:
        """"<post> <Name> of <org>": the agency named right after the name."""
        match = re.match(r"\s+of\s+(?:the\s+)?", after)
        if match:
            at = sentence.start + end + match.end()
            return next((m.key for m in mentions if m.start == at and m.kind == "agency"), None)
        return None

    def _org_like(self, sentence: Sentence, text: str, at: int) -> bool:
        """True when the words between a post and a name name its organisation."""
        if not text:
            return False
        covered = [m for m in self.result.mentions(sentence.index)
                   if m.kind in ("agency", "country") and at <= m.start < at + len(text)]
        if covered and covered[-1].end >= at + len(text.rstrip(" ,")) - 1:
            rest = text
            for m in reversed(covered):  # the words the names leave must be a name's too
                rest = rest[:m.start - at] + " " + rest[m.end - at:]
            return not any(w.lower() in _CLAUSE_WORDS for w in re.findall(r"[\w’'-]+", rest))
        words = text.split()
        return 0 < len(words) <= 6 and all(w[:1].isupper() or w in {"and", "of", "the"}
                                           for w in words)

    def _org_near(self, mentions: list[Mention], a: int, b: int,
                  after_only: bool = False, sending: bool = False) -> str | None:
        """The organisation a post names: an agency inside the post, else one just before
        it ("KCS Commissioner"), else a country ("Dutch Ambassador"). An envoy's is the
        country before the post ("Dutch Ambassador to Vietnam")."""
        if sending:
            just_before = [m for m in mentions if m.end <= a and a - m.end <= 3]
            if just_before:
                return just_before[-1].key
        inside = [m for m in mentions if a <= m.start and m.end <= b]
        for kind in ("agency", "country"):
            for m in inside:
                if m.kind == kind:
                    return m.key
        if after_only:
            return None
        just_before = [m for m in mentions if m.end <= a and a - m.end <= 3]
        if just_before:
            return just_before[-1].key
        return None

    @staticmethod
    def _possessive_country(mentions: list[Mention], post_start: int) -> str | None:
        before = [m for m in mentions if m.kind == "country" and 0 <= post_start - m.end <= 3]
        return before[-1].key if before else None

    # -- post-derived organisations ---------------------------------------------------------
    _MINISTER = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?:(?:Deputy|Vice|First)\s+)*Minister\s+(?:of|for)\s+"
        r"(?:the\s+)?"
        r"(?P<area>[A-Z][a-z]+(?:\s+(?:Affairs|Trade|Development|Security|Relations|Commerce|"
        r"Economy|Revenue|Credit|Industry|Planning|Investment)|\s+and\s+[A-Z][a-z]+)?)"
        r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}))?")
    # "Serbian Finance Minister", "the Japanese Foreign Minister"
    _AREA_MINISTER = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?P<area>Finance|Foreign|Trade|Economy|Justice|"
        r"Interior|Transport|Agriculture)\s+(?:(?:Deputy|Vice|First)\s+)?Minister\b")
    _SECRETARY_TO = re.compile(
        r"(?:\b(?P<pre>[A-Z][\w.’']*)\s+)?(?:(?:Financial|Chief|Economic|Permanent|Parliamentary|"
        r"Commercial)\s+)?Secretary\s+(?:to|of)\s+the\s+(?P<org>Treasury|Exchequer)")

    def post_organisations(self, sentence: Sentence) -> None:
        """Organisations named only through a post: "Minister of Finance", "Minister for
        Finance of Ghana", "Serbian Finance Minister", "to the Treasury"."""
        for match in [*self._MINISTER.finditer(sentence.text),
                      *self._AREA_MINISTER.finditer(sentence.text)]:
            area = match.group("area")
            if area == "Foreign":
                area = "Foreign Affairs"
            start = sentence.start + match.start("area") - len("Ministry of ")
            end = sentence.start + match.end("area")
            if self._taken(sentence, start + len("Ministry of "), end):
                continue
            code = self._resolve_place(match.group("pre"))[1] if match.group("pre") else None
            if code is None and match.groupdict().get("of"):
                code = self._place_prefix(match.group("of"))[1]
            entity = self._ministry(f"Ministry of {area}", code)
            self._mention_agency(entity, sentence, sentence.start + match.start("area"), end,
                                 "post", 0.6, f"Ministry of {area}")
        for match in self._SECRETARY_TO.finditer(sentence.text):
            start = sentence.start + match.start("org")
            end = sentence.start + match.end("org")
            if self._taken(sentence, start, end):
                continue
            code = self._resolve_place(match.group("pre"))[1] if match.group("pre") else None
            entity = self._ministry(match.group("org"), code)
            self._mention_agency(entity, sentence, start, end, "post", 0.6)

    def _ministry(self, name: str, code: str | None) -> AgencyEntity:
        words = [w for w in normalise_name(name).split() if w not in {"of", "the", "and"}]
        candidates = []
        for body in self.gaz.bodies.values():
            if body.agency_kind != "ministry" or (code and body.country != code):
                continue
            names = [normalise_name(n) for n in [body.name, *body.aliases]]
            if any(all(w in n.split() for w in words) for n in names):
                candidates.append(body)
        if len(candidates) == 1 and code:
            entity = self._agency_from_reference(candidates[0].key)
            entity.add_alias(name)
            return entity
        if code is None or code not in self.gaz.country_names:
            return self._new_agency(name, code, "ministry", confidence=0.6)
        # A ministry the gazetteer lacks is named with its country: "Ministry of Finance of
        # Ghana" (another article's "Ministry of Finance" is another country's).
        full = f"{name} of {self.gaz.country_names[code]}"
        for entity in self.result.agencies.values():
            if entity.kind == "ministry" and entity.reference is None and \
                    normalise_name(entity.name) == normalise_name(name) and entity.country is None:
                entity.country = code
                entity.name = full
                entity.add_alias(name)
                return entity
        entity = self._new_agency(full, code, "ministry", confidence=0.6)
        entity.add_alias(name)
        return entity

    # -- document level -----------------------------------------------------------------------
    def finish(self) -> None:
        """Settle what needs the whole article: a generic ministry's country, garbled
        acronyms, names given by anaphora ("the Commission")."""
        countries = Counter(m.key for ms in self.result.country_mentions.values() for m in ms)
        for entity in list(self.result.agencies.values()):
            if entity.reference is None and entity.kind in ("ministry", "government") \
                    and entity.country is None:
                self._settle_ministry(entity, countries)
        self._defined_acronyms()
        self._names_in_brackets()
        self._garbled_acronyms()
        self._anaphora()
        self._short_forms()

    def _short_forms(self) -> None:
        """A name that begins a longer one of the same country, the rest saying where or whose
        ("U.S. Embassy" and "U.S. Embassy in Panama", "State Revenue Committee" and "State
        Revenue Committee of the Republic of Armenia"), is that body."""
        agencies = sorted(self.result.agencies.values(), key=lambda a: len(a.name))
        for short in agencies:
            if short.country is None or short.collective or short.key not in \
                    self.result.agencies:
                continue
            key = normalise_name(short.name)
            for long in reversed(agencies):
                rest = normalise_name(long.name)[len(key):]
                if long is short or long.key not in self.result.agencies or \
                        long.country != short.country or long.collective or \
                        not normalise_name(long.name).startswith(key) or \
                        not re.match(r" (?:of|in|for|at|to) ", rest) or \
                        (short.reference and long.reference != short.reference):
                    continue
                self._fold_agency(short, long)
                break

    def _settle_ministry(self, entity: AgencyEntity, countries: Counter) -> None:
        words = [w for w in normalise_name(entity.name).split() if w not in {"of", "the"}]
        matches = []
        for body in self.gaz.bodies.values():
            if body.agency_kind != "ministry" or body.country not in countries:
                continue
            names = [normalise_name(n) for n in [body.name, *body.aliases]]
            if any(all(w in n.split() for w in words) for n in names):
                matches.append(body)
        if len(matches) == 1:
            entity.country = matches[0].country
            entity.reference = matches[0].key

    def _defined_acronyms(self) -> None:
        """"Body Name (ACR)": the acronym names the body wherever the article uses it."""
        defined: dict[str, AgencyEntity] = {}
        for sentence in self.sentences:
            for mention in self.result.mentions(sentence.index):
                if mention.kind != "agency":
                    continue
                match = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z]*[A-Z](?: [A-Z]{2,})?)\)",
                                 self.text[mention.end:mention.end + 20])
                if match:
                    entity = self.result.agencies[mention.key]
                    known = self._acronym_body(match.group("acr"), entity)
                    if known is not None:  # "Directorate General of Customs (DJBC)"
                        self._fold_agency(entity, known)
                        entity = known
                    else:  # the article's own "(SAT)" is not the gazetteer's SAT
                        self._claim_acronym(match.group("acr"), entity)
                    entity.add_alias(match.group("acr"))
                    defined[match.group("acr")] = entity
        for acronym, entity in defined.items():
            pattern = re.compile(rf"(?<![\w(]){re.escape(acronym)}(?![\w)])")
            for sentence in self.sentences:
                for match in pattern.finditer(sentence.text):
                    start = sentence.start + match.start()
                    end = sentence.start + match.end()
                    if not self._taken(sentence, start, end):
                        self._mention_agency(entity, sentence, start, end, "acronym", 0.85)

    def _names_in_brackets(self) -> None:
        """"Federal Revenue Service (Receita Federal)": a body named again in brackets right
        after its name, in other words or another language, is one body (the gazetteer's, if
        either is)."""
        for sentence in self.sentences:
            mentions = [m for m in self.result.mentions(sentence.index) if m.kind == "agency"]
            for first in mentions:
                for second in mentions:
                    if first.key == second.key or \
                            not re.fullmatch(r"\s*\(", self.text[first.end:second.start]) or \
                            self.text[second.end:second.end + 1] != ")":
                        continue
                    a = self.result.agencies.get(first.key)
                    b = self.result.agencies.get(second.key)
                    if a is None or b is None or a.collective or b.collective or \
                            (a.country and b.country and a.country != b.country) or \
                            (a.reference and b.reference):
                        continue
                    if a.reference:
                        self._fold_agency(b, a)
                    else:
                        self._fold_agency(a, b)

    def _acronym_body(self, acronym: str, entity: AgencyEntity) -> AgencyEntity | None:
        """The gazetteer body an acronym names when a name the gazetteer lacks defines it
        and the body's name holds that name's words, else None."""
        keys = self.gaz.acronyms.get(acronym)
        if entity.reference is not None or not keys:
            return None
        body = self.gaz.bodies[keys[0]]
        words = set(normalise_name(entity.name).split()) - {"of", "the", "and"}
        for name in [body.name, *body.aliases]:
            if words and words <= set(normalise_name(name).split()):
                return self._agency_from_reference(body.key)
        return None

    def _claim_acronym(self, acronym: str, entity: AgencyEntity) -> None:
        """Mentions of an acronym the gazetteer gives another body go to the body the
        article defines it for."""
        for mentions in self.result.by_sentence.values():
            for mention in mentions:
                if mention.kind != "agency" or mention.text != acronym or \
                        mention.key == entity.key:
                    continue
                other = self.result.agencies.get(mention.key)
                if other is None or other.reference is None:
                    continue
                other.mentions.remove(mention)
                mention.key = entity.key
                entity.mentions.append(mention)

    def _fold_agency(self, entity: AgencyEntity, into: AgencyEntity) -> None:
        """Make ``entity`` one with ``into``: its mentions and names go over."""
        for mention in entity.mentions:
            mention.key = into.key
            into.mentions.append(mention)
        into.add_alias(entity.name)
        for alias in entity.aliases:
            into.add_alias(alias)
        self.result.agencies.pop(entity.key, None)

    def _garbled_acronyms(self) -> None:
        """An all-capital word that starts with an acronym of the article and is no known name
        ("STUDENTS" beside "STU") is taken as a garbled form of it, with low confidence."""
        acronyms = {}
        for entity in self.result.agencies.values():
            for alias in [entity.name, *entity.aliases]:
                if re.fullmatch(r"[A-Z]{2,6}", alias):
                    acronyms[alias] = entity
        if not acronyms:
            return
        for sentence in self.sentences:
            for token in self.tokens[sentence.index]:
                word = token.text
                if not re.fullmatch(r"[A-Z]{4,12}", word) or word in acronyms:
                    continue
                if self.gaz.acronyms.get(word) or normalise_name(word) in self.gaz.countries:
                    continue
                for acronym, entity in acronyms.items():
                    if word.startswith(acronym) and len(acronym) >= 3:
                        if self._taken(sentence, token.start, token.end):
                            break
                        self._mention_agency(entity, sentence, token.start, token.end,
                                             "garbled", 0.4)
                        break

    def _anaphora(self) -> None:
        """"the Commission", "the Union": the body of that head the article named before."""
        for sentence in self.sentences:
            for match in re.finditer(r"\bthe (Commission|Union|Committee|Service|Agency|Bank|"
                                     r"Organi[sz]ation|Directorate|Administration)(?:['’]s)?\b",
                                     sentence.text):
                start = sentence.start + match.start(1)
                end = sentence.start + match.end(1)
                if self._taken(sentence, start, end):
                    continue
                head = match.group(1).lower()
                earlier = [e for e in self.result.agencies.values()
                           if e.mentions and min(m.start for m in e.mentions) < start
                           and normalise_name(e.name).split()[-1:] == [head]]
                if len(earlier) == 1:
                    entity = earlier[0]
                    entity.add_alias(f"the {match.group(1)}")
                    self._mention_agency(entity, sentence, start, end, "anaphora", 0.5)


    def name_parts(self) -> None:
        """Later mentions by one part of a known name: "Ko", "Commissioner McAleenan"."""
        parts: dict[str, list[PersonEntity]] = {}
        for person in self.result.people.values():
            words = [w for w in re.split(r"\s+", person.name) if not w.endswith(".")]
            for word in {words[0], words[-1]}:
                if len(word) >= 2 and not self._not_name_word(word):
                    parts.setdefault(word, []).append(person)
        if not parts:
            return
        for sentence in self.sentences:
            for token in self.tokens[sentence.index]:
                people = parts.get(re.sub(r"['’]s$", "", token.text))
                if not people or len(people) > 1:
                    continue
                if self._taken(sentence, token.start, token.end, ("agency", "country",
                                                                  "person")):
                    continue
                person = people[0]
                end = token.start + len(re.sub(r"['’]s$", "", token.text))
                mention = Mention(token.start, end, self.text[token.start:end], "person",
                                  person.key, "name", 0.6, sentence.index)
                person.mentions.append(mention)
                self.result.add(mention)


def recognise_entities(text: str, sentences: list[Sentence]) -> EntityAnalysis:
    """The agencies, countries and people of an article, with their mentions."""
    recogniser = _Recogniser(text, sentences)
    for sentence in sentences:
        recogniser.gazetteer_names(sentence)
        recogniser.capitalised_names(sentence)
        recogniser.post_organisations(sentence)
    for sentence in sentences:
        recogniser.loose_forms(sentence)
        recogniser.countries(sentence)
        recogniser.capitals(sentence)
    recogniser.finish()
    for sentence in sentences:
        recogniser.people(sentence)
    recogniser.name_parts()
    return recogniser.result
