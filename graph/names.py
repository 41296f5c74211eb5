"""Name resolution: ISO codes, ids, names, aliases and loose forms ("Vietnamese customs") to
the entities of the graph."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pyoxigraph import NamedNode
from rapidfuzz import fuzz, process

from graph.errors import EntityNotFound
from graph.store.cache import cached

ORGANISATION_KINDS = frozenset({"country", "union", "international", "agency"})
ALL_KINDS = ORGANISATION_KINDS | {"agreement", "person", "event"}

# Loose forms of "the customs administration of <country>".
_CUSTOMS_FORMS = (
    re.compile(r"^(?P<c>.+?)s? customs(?: service| administration| authorit(?:y|ies))?$"),
    re.compile(r"^customs(?: service| administration| authorit(?:y|ies))? of (?P<c>.+)$"),
)

_APOSTROPHES_AND_DOTS = re.compile(r"['’ʼ`.]")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """The form names are matched in: case-folded, unaccented, no punctuation, no leading "the".

    Apostrophes and dots vanish ("U.S." -> "us", "China's" -> "chinas"), "&" reads "and", any
    other punctuation separates words ("Guinea-Bissau" -> "guinea bissau").
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("&", " and ")
    text = _APOSTROPHES_AND_DOTS.sub("", text)
    text = _NOT_WORD.sub(" ", text)
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text).strip())
    if text.startswith("the "):
        text = text[4:]
    return text



@dataclass
class Entity:
    """What resolution needs to know of an entity."""

    iri: NamedNode
    kind: str
    label: str
    code: str | None = None  # ISO alpha-2 of a country
    country: NamedNode | None = None  # of an agency
    national_customs: NamedNode | None = None  # of a country
    names: set[str] = field(default_factory=set)  # every label, as written
    parties: set[str] = field(default_factory=set)  # of an agreement: party IRIs

    def display(self) -> str:
        return f"{self.label} ({self.code})" if self.code else self.label


class EntityIndex:
    """Every name of every entity, normalised; built from the store, added to while loading."""

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self._by_name: dict[str, list[str]] = {}
        self._by_id: dict[str, list[str]] = {}
        self._by_code: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        self.events: set[str] = set()  # IRIs of the events already loaded

    # -- building ---------------------------------------------------------------------------
    def add(self, iri: NamedNode, kind: str, label: str | None = None,
            names: tuple[str, ...] | list[str] = (), identifier: str | None = None) -> Entity:
        """Register an entity (or more names of a known one) and return it."""
        key = iri.value
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(iri, kind, label or identifier or key.rsplit("/", 1)[-1])
            self.entities[key] = entity
        elif label and entity.label == entity.iri.value.rsplit("/", 1)[-1]:
            entity.label = label
        for name in (label, *names):
            if name and name not in entity.names:
                entity.names.add(name)
                bucket = self._by_name.setdefault(normalise_name(name), [])
                if key not in bucket:
                    bucket.append(key)
        if identifier:
            bucket = self._by_id.setdefault(identifier.casefold(), [])
            if key not in bucket:
                bucket.append(key)
        return entity

    def add_code(self, iri: NamedNode, code: str) -> None:
        self._by_code[code.upper()] = iri.value
        entity = self.entities.get(iri.value)
        if entity is not None and len(code) == 2:
            entity.code = code.upper()

    def add_demonym(self, demonym: str, country: NamedNode) -> None:
        self._demonyms[normalise_name(demonym)] = country.value

    def set_national_customs(self, country: NamedNode, agency: NamedNode) -> None:
        entity = self.entities.get(country.value)
        if entity is not None:
            entity.national_customs = agency

    # -- cache ------------------------------------------------------------------------------
    def dump(self) -> tuple:
        """The index as plain data for the cache (see ``graph.store.cache``)."""
        entities = [(e.iri.value, e.kind, e.label, e.code,
                     e.country.value if e.country else None,
                     e.national_customs.value if e.national_customs else None,
                     sorted(e.names), sorted(e.parties)) for e in self.entities.values()]
        return (entities, self._by_name, self._by_id, self._by_code, self._demonyms,
                sorted(self.events))

    @classmethod
    def load(cls, data: tuple) -> EntityIndex:
        """An index from ``dump``."""
        entities, by_name, by_id, by_code, demonyms, events = data
        index = cls()
        for iri, kind, label, code, country, national, names, parties in entities:
            index.entities[iri] = Entity(
                NamedNode(iri), kind, label, code, NamedNode(country) if country else None,
                NamedNode(national) if national else None, set(names), set(parties))
        index._by_name, index._by_id, index._by_code = by_name, by_id, by_code
        index._demonyms, index.events = demonyms, set(events)
        return index

    # -- lookups ----------------------------------------------------------------------------
    def get(self, iri: NamedNode | str) -> Entity | None:
        return self.entities.get(iri.value if isinstance(iri, NamedNode) else iri)

    def country_by_code(self, code: str) -> Entity | None:
        iri = self._by_code.get(code.upper())
        return self.entities.get(iri) if iri else None

    def _country_named(self, text: str) -> Entity | None:
        key = normalise_name(text)
        iri = self._demonyms.get(key)
        if iri:
            return self.entities.get(iri)
        for candidate in self._by_name.get(key, []):
            if self.entities[candidate].kind == "country":
                return self.entities[candidate]
        return None

    def candidates(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> list[Entity]:
        """Entities ``text`` names exactly: an ISO code, an id, a name, an alias, or a loose
        form such as "Vietnamese customs"; best first."""
        text = text.strip()
        found: list[str] = []
        if re.fullmatch(r"[A-Za-z]{2,3}", text) and text.upper() in self._by_code:
            found.append(self._by_code[text.upper()])
        found += self._by_id.get(text.casefold(), [])
        key = normalise_name(text)
        found += self._by_name.get(key, [])
        if key in self._demonyms:
            found.append(self._demonyms[key])
        if not found:
            for form in _CUSTOMS_FORMS:
                match = form.match(key)
                country = self._country_named(match.group("c")) if match else None
                if country is not None and country.national_customs is not None:
                    found.append(country.national_customs.value)
                    break
        unique = list(dict.fromkeys(found))
        return [self.entities[i] for i in unique if self.entities[i].kind in kinds]

    def resolve(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Entity | None:
        """The entity ``text`` names, or None."""
        found = self.candidates(text, kinds)
        return found[0] if found else None

    def suggest(self, text: str, kinds: frozenset[str] = ALL_KINDS, limit: int = 3) -> list[str]:
        """Display names of the entities whose names are closest to ``text``."""
        choices = {name: iris for name, iris in self._by_name.items()
                   if any(self.entities[i].kind in kinds for i in iris)}
        matches = process.extract(normalise_name(text), list(choices), scorer=fuzz.ratio,
                                  limit=limit * 3, score_cutoff=60)
        best = matches[0][1] if matches else 0
        seen: list[str] = []
        for name, score, _ in matches:
            if score < best - 8:
                break
            for iri in choices[name]:
                shown = self.entities[iri].display()
                if shown not in seen and self.entities[iri].kind in kinds:
                    seen.append(shown)
        return seen[:limit]

    def require(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Entity:
        """The entity ``text`` names; EntityNotFound with suggestions if none."""
        entity = self.resolve(text, kinds)
        if entity is None:
            raise EntityNotFound(text, self.suggest(text, kinds))
        return entity

    def search(self, text: str, kinds: frozenset[str] = ALL_KINDS,
               limit: int | None = 20) -> list[tuple[Entity, float]]:
        """Entities whose names contain or loosely match ``text``, best first, with a score
        out of 100: an exact name 100, a name starting with it 95, a word of a name 90, a
        part of a name 85, else the fuzzy score."""
        key = normalise_name(text)
        scored: dict[str, float] = {}
        for name, iris in self._by_name.items():
            if name == key:
                score = 100.0
            elif name.startswith(key):
                score = 95.0
            elif f" {key}" in f" {name}":
                score = 90.0
            elif key in name:
                score = 85.0
            else:
                part = fuzz.partial_ratio(key, name) if len(name) >= len(key) else 0
                score = max(fuzz.ratio(key, name) * 0.85, part * 0.8 if part >= 85 else 0)
            if score >= 65:
                for iri in iris:
                    if self.entities[iri].kind in kinds:
                        scored[iri] = max(scored.get(iri, 0.0), score)
        for entity in self.candidates(text, kinds):
            scored[entity.iri.value] = 100.0
        rank = {"country": 0, "union": 1, "agency": 2, "international": 3, "person": 4,
                "agreement": 5, "event": 6}

        def order(item: tuple[str, float]) -> tuple:
            entity = self.entities[item[0]]
            return (-item[1], rank.get(entity.kind, 9), len(entity.label), entity.label)

        ranked = sorted(scored.items(), key=order)
        return [(self.entities[iri], round(score, 1)) for iri, score in ranked[:limit]]


# Each entity's names, ids, codes, demonyms, country and national customs administration, one
# fact a row. DISTINCT: a fact several files state (every article restates its agencies) is one
# row, and no OPTIONAL multiplies another (asking for all of them in one row made the rows grow
# with the product of the number of files stating each fact).
INDEX_QUERY = """
SELECT DISTINCT ?e ?kind ?p ?v WHERE {
  { SELECT DISTINCT ?e ?kind WHERE {
      VALUES (?class ?kind) {
        (ckg:Country "country") (ckg:EconomicUnion "union")
        (ckg:InternationalOrganisation "international")
        (ckg:Agency "agency") (ckg:CustomsAdministration "agency") (ckg:Ministry "agency")
        (ckg:GovernmentBody "agency") (ckg:RegionalCustomsUnit "agency")
        (schema:Person "person")
      }
      ?e a ?class } }
  OPTIONAL {
    VALUES ?p { skos:prefLabel skos:altLabel dct:identifier ckg:isoAlpha2 ckg:isoAlpha3
                skos:hiddenLabel ckg:country ckg:nationalCustomsAdministration }
    ?e ?p ?v }
}
"""
_FACT_NAMES = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "name",
    "http://purl.org/dc/terms/identifier": "id",
    "https://w3id.org/customs-kg/ontology#isoAlpha2": "code",
    "https://w3id.org/customs-kg/ontology#isoAlpha3": "code",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": "hidden",
    "https://w3id.org/customs-kg/ontology#country": "country",
    "https://w3id.org/customs-kg/ontology#nationalCustomsAdministration": "national",
}

AGREEMENT_INDEX_QUERY = """
SELECT DISTINCT ?e ?p ?v WHERE {
  { SELECT DISTINCT ?e WHERE { ?e a ckg:Agreement ; dct:title [] } }
  VALUES ?p { dct:title skos:altLabel dct:identifier ckg:party }
  ?e ?p ?v
}
"""
_AGREEMENT_FACTS = {"http://purl.org/dc/terms/title": "label",
                    "http://www.w3.org/2004/02/skos/core#altLabel": "name",
                    "http://purl.org/dc/terms/identifier": "id",
                    "https://w3id.org/customs-kg/ontology#party": "party"}

EVENT_INDEX_QUERY = "SELECT DISTINCT ?e WHERE { ?e a ckg:Event }"
INDEX_CACHE_VERSION = 1
"""Bumped whenever what the index holds changes, so older caches are rebuilt."""


def cached_index(store, *, organisations_only: bool = False) -> EntityIndex:
    """``index_from_store``, kept beside an on-disk store between runs (see ``graph.store.cache``):
    what the commands resolve and search names with. At 1M triples the organisations' index
    loads in 0.05 s instead of being built in 0.4 s."""
    name = "organisation-index" if organisations_only else "entity-index"
    return cached(store, name, INDEX_CACHE_VERSION,
                  lambda: index_from_store(store, organisations_only=organisations_only),
                  EntityIndex.dump, EntityIndex.load)


def index_from_store(store, exclude: list[NamedNode] | None = None, *,
                     organisations_only: bool = False) -> EntityIndex:
    """Build the index of every organisation, person and agreement the store holds, leaving
    out the named graphs in ``exclude`` (those a load is about to replace). With
    ``organisations_only``, organisations and people only: enough to resolve the names of
    organisations, and faster on a big store (0.4 s instead of 1.8 s at 1M triples)."""
    index = EntityIndex()
    graphs = None
    if exclude:
        dropped = {g.value for g in exclude}
        graphs = [g for g in store.named_graphs() if g.value not in dropped]
    kinds: dict[str, list[str]] = {}
    facts: dict[str, dict[str, list]] = {}
    nodes: dict[str, NamedNode] = {}
    for row in store.select(INDEX_QUERY, graphs=graphs):
        key = row["e"].value
        nodes.setdefault(key, row["e"])
        if row["kind"].value not in kinds.setdefault(key, []):
            kinds[key].append(row["kind"].value)
        if "p" in row:
            facts.setdefault(key, {}).setdefault(_FACT_NAMES[row["p"].value], []).append(
                row["v"])
    kind_rank = {"agency": 0, "union": 1, "international": 2, "country": 3, "person": 4}
    ordered = sorted(((min(kinds[key], key=kind_rank.__getitem__), key) for key in kinds),
                     key=lambda pair: kind_rank[pair[0]])
    for kind, key in ordered:
        fact = facts.get(key, {})
        labels = [v.value for v in fact.get("label", [])]
        ids = [v.value for v in fact.get("id", [])]
        entity = index.add(nodes[key], kind, labels[0] if labels else None,
                           labels[1:] + [v.value for v in fact.get("name", [])],
                           ids[0] if ids else None)
        for identifier in ids[1:]:
            index.add(nodes[key], kind, None, (), identifier)
        for code in fact.get("code", []):
            index.add_code(nodes[key], code.value)
        for demonym in fact.get("hidden", []):
            index.add_demonym(demonym.value, nodes[key])
        if fact.get("country"):
            entity.country = fact["country"][-1]
    for key in kinds:
        for national in facts.get(key, {}).get("national", []):
            index.set_national_customs(nodes[key], national)
    if organisations_only:
        return index
    agreements: dict[str, dict[str, list[str]]] = {}
    for row in store.select(AGREEMENT_INDEX_QUERY, graphs=graphs):
        nodes.setdefault(row["e"].value, row["e"])
        agreements.setdefault(row["e"].value, {}).setdefault(
            _AGREEMENT_FACTS[row["p"].value], []).append(row["v"].value)
    for key, fact in agreements.items():
        labels, ids = fact.get("label", []), fact.get("id", [])
        entity = index.add(nodes[key], "agreement", labels[0], labels[1:] + fact.get("name", []),
                           ids[0] if ids else None)
        for identifier in ids[1:]:
            index.add(nodes[key], "agreement", None, (), identifier)
        entity.parties.update(fact.get("party", []))
    index.events = {row["e"].value for row in store.select(EVENT_INDEX_QUERY, graphs=graphs)}
    return index
