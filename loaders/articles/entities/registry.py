"""The state every recognition pass shares: the article, its tokens and the entities found so
far, how a name becomes an entity and a mention, and the places names resolve to (countries,
demonyms, unions, regions, a country's national customs)."""

from __future__ import annotations

import re

from graph.names import normalise_name
from loaders.articles.entities.analysis import AgencyEntity, EntityAnalysis, Mention
from loaders.articles.entities.tokens import tokenise
from loaders.articles.entities.words import COMPASS
from loaders.articles.gazetteer import COMBINING_FORMS, Gazetteer, gazetteer
from loaders.articles.sentences import Sentence


class EntityRegistry:
    """The entities of one article found so far; each pass is a subclass of this."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.gaz: Gazetteer = gazetteer()
        self.text = text
        self.sentences = sentences
        self.result = EntityAnalysis()
        self.tokens = {s.index: tokenise(s.text, s.start) for s in sentences}

    # -- entities and mentions --------------------------------------------------------------
    def _agency_from_reference(self, key: str) -> AgencyEntity:
        entity = self.result.agencies.get(key)
        if entity is None:
            body = self.gaz.bodies[key]
            kind = body.agency_kind or "customs"
            entity = AgencyEntity(key=key, name=body.name, country=body.country, kind=kind,
                                  reference=key, national_level=kind != "regional-customs")
            self.result.add_agency(entity)
        return entity

    def _new_agency(self, name: str, country: str | None, kind: str, *,
                    national_level: bool = True, collective: bool = False,
                    confidence: float = 0.7) -> AgencyEntity:
        name = " ".join(name.split())
        norm = normalise_name(name)
        key = "new:" + norm
        for entity in self.result.named(norm):  # a known name is that entity
            return entity
        if len(norm.split()) >= 2:  # "State Revenue Committee" after "… of X"
            for entity in self.result.named_before_of(norm):
                if entity.mentions:
                    return entity
        entity = self.result.agencies.get(key)
        if entity is None:
            entity = AgencyEntity(key=key, name=name, country=country, kind=kind,
                                  national_level=national_level, collective=collective,
                                  confidence=confidence)
            self.result.add_agency(entity)
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
        return any(m.kind in kinds for m in self.result.overlapping(sentence.index, start, end))

    # -- places -------------------------------------------------------------------------------
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

    def _region_country(self, place: str) -> str | None:
        """The country of a region named exactly so in ISO 3166-2 ("Osaka"), else None. A
        compass word names a region in several countries ("East" is one of Cameroon's): no
        country from it ("East African Community Secretariat")."""
        key = normalise_name(place)
        return None if key in COMPASS else self.gaz.subdivisions.get(key)

    def _country_compound(self, place: str) -> bool:
        """"Korea-Thailand", "Russian-Chinese": countries joined by a hyphen."""
        parts = re.split(r"[-–]", place)
        return len(parts) > 1 and all(self._resolve_place(p)[1] or
                                      normalise_name(p) in COMBINING_FORMS for p in parts)

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
