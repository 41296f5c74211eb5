"""Pass 3, loose forms of national and regional customs: "Mongolian customs", "customs service
of China", "the Mexican tax service", "Novosibirsk customs", and collectives ("customs
authorities of the EAEU countries")."""

from __future__ import annotations

import re

from graph.names import normalise_name
from loaders.articles.entities.analysis import AgencyEntity
from loaders.articles.entities.registry import EntityRegistry
from loaders.articles.entities.words import (
    COMPASS,
    CONNECTORS,
    CUSTOMS_COMPOUNDS,
    ORG_HEADS,
    REGION_WORDS,
    STOP_CAPS,
)
from loaders.articles.sentences import Sentence, is_title_case, search_before


class LooseForms(EntityRegistry):
    """Pass 3."""

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

    def _loose_of(self, sentence: Sentence, match: re.Match) -> None:
        base = sentence.start
        if match.group("bare") and not (match.group("customs") == "Customs" or search_before(
                r"\bthe\s+$", sentence.text, match.start("customs"))):
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
        # "the customs administrations of A, B and C": the bodies the article names for those
        # countries, else the countries alone (no gazetteer body the article never names)
        collective = bool(noun and noun.lower().endswith("s") and match.group("coord"))
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
            if modifier and n == 0 and (modifier.split()[0].lower() in COMPASS
                                        or modifier[:1].isupper()) and \
                    normalise_name(modifier.split()[-1]) not in self.gaz.demonyms:
                name = self.text[start:end]
                entity = self._new_agency(name, code, "regional-customs",
                                          national_level=False, confidence=0.6)
                self._mention_agency(entity, sentence, start, end, "loose", 0.6)
                continue
            entity = self._named_national(code) if collective else self._national(code)
            if entity is not None:
                self._mention_agency(entity, sentence, start, end, "loose", 0.75, alias)

    def _named_national(self, code: str) -> AgencyEntity | None:
        """The national body of a country the article itself names, if any."""
        return next((e for e in self.result.agencies.values() if e.country == code and
                     e.national_level and not e.collective and e.mentions), None)

    def _loose_before(self, sentence: Sentence, match: re.Match) -> None:
        base = sentence.start
        after = (match.group("after") or "").strip().lower().strip(",.;:")
        head = match.group("head").lower()
        noun = match.group("noun")
        if not noun and after in CUSTOMS_COMPOUNDS and after != "and":
            return
        if noun and after in CUSTOMS_COMPOUNDS - {"and"}:
            return
        if head != "customs" and not noun:
            return
        if re.match(r"[-–][A-Z]", sentence.text[match.end():]):
            return  # "US Customs-Trade Partnership": a programme's name, not the agency
        if re.search(r"(?i)\b(?:" + "|".join(REGION_WORDS) + r")\s+$",
                     sentence.text[max(0, match.start("c") - 12):match.start("c")]):
            return  # "Central American customs": a region's, no country's
        if re.search(r"(?i)\b[dl]['’]$", sentence.text[max(0, match.start("c") - 4):
                                                          match.start("c")]):
            return  # "Côte d'Ivoire customs": a place of several words, not "Ivoire"
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
                if head == "customs" and single and not noun and self._regional_place(place) \
                        and not (sentence.index == 0 and is_title_case(sentence.text)) and not (
                            match.start("c") == 0 and self._region_country(place) is None):
                    # ("Smart customs will …": a sentence's first word is capitalised anyway)
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

    def _regional_place(self, place: str) -> bool:
        words = place.split()
        if len(words) != 1 or not words[0][:1].isupper():
            return False
        norm = normalise_name(words[0])
        return norm not in STOP_CAPS and norm not in ORG_HEADS and norm not in CONNECTORS \
            and not words[0].isupper() and norm not in {"federal", "national", "state",
                                                        "general", "central", "royal",
                                                        "joint", "regional", "international",
                                                        "binational", "bilateral", "trilateral",
                                                        "multilateral", "mixed"}

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
