"""The name index: entities with their names in scopes (curated, or one extracted source's),
and the lookups the commands and the loaders share (``EntityIndex``)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import NamedNode
from rapidfuzz import fuzz, process

from graph.errors import EntityNotFound
from graph.names.entities import AmbiguousName, Entity, GenericName, Match
from graph.names.rows import (
    LazyEntities,
    agreement_row,
    discard_from,
    entity_from_row,
    entity_row,
)
from graph.names.shards import ShardedSet, Shards
from graph.names.text import GENERIC_NAMES, normalise_name
from graph.names.translations import country_translations

ORGANISATION_KINDS = frozenset({"country", "union", "international", "agency"})
ALL_KINDS = ORGANISATION_KINDS | {"agreement", "person", "event"}
SPECIFIC_AGREEMENT_KINDS = frozenset({"mutual-recognition", "mutual-assistance", "free-trade"})
"""The agreement kinds specific enough that one kind between the same parties is one agreement
(an extracted "the MRA" between Japan and New Zealand is the known Japan–New Zealand MRA); a
memorandum, plan or other agreement is not (see ``EntityIndex.known_agreements``)."""

# Loose forms of "the customs administration of <country>".
_CUSTOMS_FORMS = (
    re.compile(r"^(?P<c>.+?)s? customs(?: service| administration| authorit(?:y|ies))?$"),
    re.compile(r"^customs(?: service| administration| authorit(?:y|ies))? of (?P<c>.+)$"),
)


class EntityIndex:
    """Every name of every entity, normalised; built from the store, added to while loading.

    Names are kept in tiers (see the module's docstring): the names anyone's mentions resolve
    by (curated, reference), each extracted source's own names (``within``), the names of the
    entities only extracted sources know (for user queries, ``with_extracted``), and the
    translations of country names (pycountry's catalogues, read when first needed).
    """

    def __init__(self) -> None:
        self.entities: dict[str, Entity] = {}
        self._by_name: dict[str, list[str]] = {}
        self._by_id: dict[str, list[str]] = {}
        self._by_code: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        # every entity stating a code or demonym, in build order: the last one has it (a
        # patch that forgets one gives it back to the one before)
        self._code_claims: dict[str, list[str]] = {}
        self._demonym_claims: dict[str, list[str]] = {}
        self.events: set[str] = set()  # IRIs of the events already loaded
        # scope ("" while loading: a curated record's generic names) -> name -> IRIs
        self._scoped: dict[str, dict[str, list[str]]] = {}
        self._scoped_national: dict[str, dict[str, str]] = {}  # scope -> country -> agency
        self._extracted_only: set[str] = set()  # entities no curated or reference source states
        self._extracted_names: dict[str, list[str]] = {}  # their names and ids, normalised
        # agreements as curated sources state them: IRI -> (kinds, party IRIs, signing years),
        # and the lookup of ``known_agreements``: (kind, party countries) -> IRIs
        self._agreement_facts: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self._known_agreements: dict[tuple[str, frozenset[str]], list[str]] = {}
        self._agreement_keys: dict[str, list[tuple[str, frozenset[str]]]] = {}
        self.scope: str | None = None
        self.with_extracted = False
        self.translations_folder: Path | None = None
        self.loading = True  # False while built from the store (see _add_name)
        self._registered = True  # whether _known_agreements is filed (see _file_agreements)

    # -- building ---------------------------------------------------------------------------
    @contextmanager
    def within(self, scope: str | None) -> Iterator[EntityIndex]:
        """Resolve and add names as the extracted source ``scope`` (any key naming it, e.g.
        its graph IRI) while the block runs; ``None``: as a curated source. Its names resolve
        its own mentions first and nobody else's; an entity it creates is extraction-only."""
        previous, self.scope = self.scope, scope
        try:
            yield self
        finally:
            self.scope = previous

    def add(self, iri: NamedNode, kind: str, label: str | None = None,
            names: tuple[str, ...] | list[str] = (), identifier: str | None = None) -> Entity:
        """Register an entity (or more names of a known one) and return it, in the current
        scope (``within``)."""
        key = iri.value
        entity = self.entities.get(key)
        if entity is None:
            entity = Entity(iri, kind, label or identifier or key.rsplit("/", 1)[-1])
            self.entities[key] = entity
            if self.scope is not None:
                self._extracted_only.add(key)
        else:
            if label and entity.label == entity.iri.value.rsplit("/", 1)[-1]:
                entity.label = label
            if self.scope is None and key in self._extracted_only:
                self._confirm(key)  # a curated record states the entity: its names count
        for name in (label, *names):
            if name:
                self._add_name(key, name, self.scope)
        if identifier:
            if self.scope is not None and key in self._extracted_only:
                _append(self._extracted_names, identifier.casefold(), key)
            elif self.scope is None:
                _append(self._by_id, identifier.casefold(), key)
                entity.ids.add(identifier.casefold())
        return entity

    def _add_name(self, key: str, name: str, scope: str | None) -> None:
        entity = self.entities[key]
        normal = normalise_name(name)
        if not normal:
            return
        if scope is not None:
            if self.loading:  # built from the store: no source of it is loading now
                _append(self._scoped.setdefault(scope, {}), normal, key)
            if key in self._extracted_only and normal not in GENERIC_NAMES:
                entity.names.add(name)
                _append(self._extracted_names, normal, key)
        elif normal in GENERIC_NAMES:
            if self.loading:  # the curated record's own mentions in this load still find it
                _append(self._scoped.setdefault("", {}), normal, key)
            if name == entity.label:
                entity.names.add(name)
        else:
            entity.names.add(name)
            _append(self._by_name, normal, key)

    def is_extracted_only(self, iri: str) -> bool:
        """Whether only extracted sources know the entity ``iri`` (no curated record or
        reference data states it): a mention that resolved to nothing known."""
        return iri in self._extracted_only

    def _confirm(self, key: str) -> None:
        """An extraction-only entity that a curated source states too is known from now on;
        the names the extracted sources gave it stay theirs."""
        self._extracted_only.discard(key)

    def add_code(self, iri: NamedNode, code: str) -> None:
        self._by_code[code.upper()] = self._claim(self._code_claims, code.upper(), iri.value)
        entity = self.entities.get(iri.value)
        if entity is not None and len(code) == 2:
            entity.code = code.upper()

    def add_demonym(self, demonym: str, country: NamedNode) -> None:
        normal = normalise_name(demonym)
        self._demonyms[normal] = self._claim(self._demonym_claims, normal, country.value)

    def _claim(self, claims: dict[str, list[str]], key: str, iri: str) -> str:
        """Note that ``iri`` states ``key`` (a code, a demonym) and return who has it: the
        entity last in build order (``build_order``) while built from the store, the one
        stated last while loading."""
        bucket = claims.setdefault(key, [])
        if iri in bucket:
            bucket.remove(iri)
        if self.loading:
            bucket.append(iri)
        else:
            bisect.insort(bucket, iri, key=self.build_order)
        return bucket[-1]

    # -- patching ---------------------------------------------------------------------------
    def build_order(self, iri: str) -> tuple[int, str]:
        """Where an entity stands in every list of the index built from a store: by its kind
        (agencies, unions, international organisations, countries, people, agreements), then
        its IRI, whatever order the store gave the rows in."""
        entity = self.entities.get(iri)
        return (_BUILD_RANK.get(entity.kind, 9) if entity is not None else 9, iri)

    def forget(self, iris: set[str]) -> None:
        """Remove everything the entities ``iris`` bring (their names, ids, codes, demonyms,
        scopes, agreement facts, and their being events), so that what the store now states of
        them can be added again (``graph.names.building.patch_index``)."""
        named: dict[str, set[str]] = {"_by_name": set(), "_by_id": set()}
        for iri in iris:
            entity = self.entities.pop(iri, None)
            if entity is not None:  # the keys of _by_name and _by_id that may hold it
                named["_by_name"].update(normalise_name(name) for name in entity.names)
                named["_by_id"].update(entity.ids)
            self._agreement_facts.pop(iri, None)
            for key in self._agreement_keys.pop(iri, []):
                bucket = self._known_agreements.get(key, [])
                if iri in bucket:
                    bucket.remove(iri)
        self._extracted_only -= iris
        self.events -= iris
        for name, keys in named.items():
            discard_from(getattr(self, name), iris, keys)
        for mapping in (self._extracted_names, *self._scoped.values()):
            discard_from(mapping, iris)
        for claims, owners in ((self._code_claims, self._by_code),
                               (self._demonym_claims, self._demonyms)):
            discard_from(claims, iris)
            for key in [k for k, iri in owners.items() if iri in iris]:
                if key in claims:
                    owners[key] = claims[key][-1]
                else:
                    del owners[key]
        for scope in [s for s, names in self._scoped.items() if not names]:
            del self._scoped[scope]

    def canonical(self, touched: set[str] | None = None) -> None:
        """Put the lists that hold any of ``touched`` (all of them if None) in build order
        (``build_order``), and the names in sorted order: the index built from a store is then
        the same however it was made (from scratch, or patched). Shards (an index read from
        the cache) keep their keys in order themselves."""
        lists = [self._extracted_names, *self._scoped.values()]
        if touched is None:
            lists += [self._by_name, self._by_id]
        else:  # the lists of _by_name and _by_id that hold one are under its names and ids
            made = [self.entities[iri] for iri in touched if iri in self.entities]
            for mapping, keys in (
                    (self._by_name, {normalise_name(n) for e in made for n in e.names}),
                    (self._by_id, {i for e in made for i in e.ids})):
                for key in keys:
                    bucket = mapping.get(key)
                    if bucket and not touched.isdisjoint(bucket):
                        bucket.sort(key=self.build_order)
        for mapping in lists:
            for bucket in mapping.values():
                if touched is None or not touched.isdisjoint(bucket):
                    bucket.sort(key=self.build_order)
        for name in ("_by_name", "_by_id", "_extracted_names"):
            if isinstance(getattr(self, name), dict):
                setattr(self, name, dict(sorted(getattr(self, name).items())))
        self._scoped = {scope: dict(sorted(names.items()))
                        for scope, names in sorted(self._scoped.items())}

    def set_national_customs(self, country: NamedNode, agency: NamedNode) -> None:
        """``agency`` is ``country``'s customs administration (for "Vietnamese customs"); in
        an extracted scope, for that source's mentions only."""
        if self.scope is not None:
            self._scoped_national.setdefault(self.scope, {})[country.value] = agency.value
            return
        entity = self.entities.get(country.value)
        if entity is not None:
            entity.national_customs = agency

    def note_agreement(self, entity: Entity, kind: str | None, parties: Iterable[str],
                       signed: Iterable[str] = ()) -> None:
        """What a source states of the agreement ``entity``: its kind (a records kind such as
        ``mutual-recognition``), parties (IRIs) and signing dates (``2019``, ``2019-09-09``).
        The parties count in every scope (``parties``); what a curated source states (scope
        None) also makes the agreement one ``known_agreements`` finds."""
        parties = list(parties)
        entity.parties.update(parties)
        if self.scope is not None:
            return
        stated = self._agreement_facts.get(entity.iri.value, ((), (), ()))
        kinds, known_parties, years = self._agreement_facts[entity.iri.value] = (
            stated if isinstance(stated[0], list) else tuple(list(v) for v in stated))
        for values, new in ((kinds, [kind] if kind else []), (known_parties, parties),
                            (years, [d[:4] for d in signed if re.match(r"\d{4}", d)])):
            values.extend(v for v in dict.fromkeys(new) if v not in values)
        self._register_agreement(entity.iri.value)

    def _file_agreements(self) -> None:
        """File every agreement (``_register_agreement``), once, when first needed: an index
        read from the cache need not do it for questions that never ask."""
        if not self._registered:
            self._registered = True
            for iri in self._agreement_facts:
                self._register_agreement(iri)

    def _register_agreement(self, iri: str) -> None:
        """(Re)file the agreement ``iri`` under (kind, party countries) for each kind."""
        if not self._registered:
            return  # all are filed together when first needed
        for key in self._agreement_keys.pop(iri, []):
            bucket = self._known_agreements.get(key, [])
            if iri in bucket:
                bucket.remove(iri)
        kinds, parties, _ = self._agreement_facts[iri]
        countries = self.party_countries(parties)
        if len(countries) < 2:
            return
        keys = self._agreement_keys.setdefault(iri, [])
        for kind in kinds:
            keys.append((kind, countries))
            bucket = self._known_agreements.setdefault((kind, countries), [])
            if iri not in bucket:
                bisect.insort(bucket, iri)

    def register_agreements_of(self, parties: set[str]) -> None:
        """File again the agreements any of ``parties`` is a party to (their countries may
        have changed)."""
        if not self._registered:
            return
        for iri, (_, stated, _) in self._agreement_facts.items():
            if not parties.isdisjoint(stated):
                self._register_agreement(iri)

    # -- cache ------------------------------------------------------------------------------
    def dump(self) -> tuple:
        """The whole index as plain data, every list in order (to compare two indexes)."""
        entities = self.entities.rows() if isinstance(self.entities, LazyEntities) else \
            [entity_row(e) for _, e in sorted(self.entities.items())]
        return (entities, dict(sorted(self._by_name.items())),
                dict(sorted(self._by_id.items())), self._by_code, self._demonyms,
                sorted(self.events), self._scoped, self._scoped_national,
                sorted(self._extracted_only), self._extracted_names,
                {iri: agreement_row(facts)
                 for iri, facts in sorted(self._agreement_facts.items())},
                self._code_claims, self._demonym_claims)

    def cache_data(self) -> tuple:
        """``dump`` as the cache keeps it: the big mappings (entities, names, ids, events,
        agreements) in shards, read a shard at a time (``graph.names.shards``)."""
        entities = self.entities.shards() if isinstance(self.entities, LazyEntities) else \
            Shards.of({iri: entity_row(e) for iri, e in self.entities.items()}).dump()
        events = self.events.shards if isinstance(self.events, ShardedSet) else \
            ShardedSet.of(self.events).shards
        agreements = self._agreement_facts if isinstance(self._agreement_facts, Shards) else \
            Shards.of(self._agreement_facts)
        return (entities, *(m.dump() if isinstance(m, Shards) else Shards.of(m).dump()
                            for m in (self._by_name, self._by_id)),
                self._by_code, self._demonyms, events.dump(), self._scoped,
                self._scoped_national, sorted(self._extracted_only), self._extracted_names,
                agreements.dump(agreement_row), self._code_claims, self._demonym_claims)

    @classmethod
    def load(cls, data: tuple) -> EntityIndex:
        """An index from ``cache_data`` (or ``dump``)."""
        (entities, by_name, by_id, by_code, demonyms, events, scoped, scoped_national,
         extracted_only, extracted_names, agreement_facts, code_claims, demonym_claims) = data
        index = cls()
        if isinstance(entities, tuple):  # in shards
            by_name, by_id = Shards.load(by_name), Shards.load(by_id)
            events = ShardedSet(Shards.load(events))
            agreement_facts = Shards.load(agreement_facts)
            raw = Shards.load(entities)
        else:
            raw, events = {row[0]: row for row in entities}, set(events)
        index.entities = LazyEntities(raw, entity_from_row, entity_row)
        index._by_name, index._by_id, index._by_code = by_name, by_id, by_code
        index._demonyms, index.events = demonyms, events
        index._code_claims, index._demonym_claims = code_claims, demonym_claims
        index._scoped, index._scoped_national = scoped, scoped_national
        index._extracted_only, index._extracted_names = set(extracted_only), extracted_names
        index._agreement_facts = agreement_facts  # tuples, made lists when added to
        index._registered = False  # filed when first asked (``known_agreements``)
        return index

    # -- lookups ----------------------------------------------------------------------------
    def get(self, iri: NamedNode | str) -> Entity | None:
        return self.entities.get(iri.value if isinstance(iri, NamedNode) else iri)

    def party_countries(self, parties: Iterable[str]) -> frozenset[str]:
        """Parties (IRIs) at the level of countries and unions: an agency counts as its
        country (or union), anything else as itself."""
        found = set()
        for iri in parties:
            entity = self.entities.get(iri)
            country = entity.country if entity is not None and entity.kind == "agency" else None
            found.add(country.value if country is not None else iri)
        return frozenset(found)

    def known_agreements(self, kind: str, parties: Iterable[str]) -> list[Entity]:
        """The agreements curated or reference sources state (never one only extracted
        sources know) of ``kind`` whose parties, at the level of countries and unions
        (``party_countries``), are exactly those of ``parties``: at least two. None for a
        kind that is not specific (``SPECIFIC_AGREEMENT_KINDS``: two memoranda between the
        same parties are no evidence of one memorandum)."""
        if kind not in SPECIFIC_AGREEMENT_KINDS:
            return []
        self._file_agreements()
        countries = self.party_countries(parties)
        if len(countries) < 2:
            return []
        return [self.entities[iri] for iri in self._known_agreements.get((kind, countries), [])
                if iri in self.entities and iri not in self._extracted_only]

    def signing_years(self, agreement: Entity) -> set[str]:
        """The years curated sources give for the agreement's signing."""
        return set(self._agreement_facts.get(agreement.iri.value, ((), (), ()))[2])

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

    def _known(self, text: str, key: str) -> list[str]:
        """What the names anyone's mentions resolve by give: an ISO code, an id, a name, an
        alias, a demonym or a loose form."""
        found: list[str] = []
        if re.fullmatch(r"[A-Za-z]{2,3}", text) and text.upper() in self._by_code:
            found.append(self._by_code[text.upper()])
        found += self._by_id.get(text.casefold(), [])
        found += self._by_name.get(key, [])
        if key in self._demonyms:
            found.append(self._demonyms[key])
        if not found:
            found += self._customs_of(key, {})
        return found

    def _customs_of(self, key: str, national: dict[str, str]) -> list[str]:
        """"Vietnamese customs", "customs of Vietnam": the country's customs administration."""
        for form in _CUSTOMS_FORMS:
            match = form.match(key)
            country = self._country_named(match.group("c")) if match else None
            if country is None:
                continue
            agency = national.get(country.iri.value) or (
                country.national_customs.value if country.national_customs else None)
            if agency is not None:
                return [agency]
        return []

    def _tiers(self, text: str) -> Iterator[list[str]]:
        """The entities ``text`` names, tier by tier, best tier first."""
        key = normalise_name(text)
        if self.scope is not None:
            scoped = self._scoped.get(self.scope, {})
            yield scoped.get(key, [])
            yield self._customs_of(key, self._scoped_national.get(self.scope, {}))
        yield self._known(text, key)
        if self.scope is None:
            yield self._scoped.get("", {}).get(key, [])
            if self.with_extracted:
                yield self._extracted_names.get(key, []) + self._extracted_names.get(
                    text.casefold(), [])
        code = self.translations().get(key)
        if code is not None and code in self._by_code:
            yield [self._by_code[code]]

    def candidates(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> list[Entity]:
        """Entities ``text`` names exactly: an ISO code, an id, a name, an alias, a loose
        form such as "Vietnamese customs", a country's name in another language; best first,
        from the first tier of names that gives any (see the class's docstring)."""
        text = text.strip()
        for found in self._tiers(text):
            unique = [self.entities[i] for i in dict.fromkeys(found)
                      if i in self.entities and self.entities[i].kind in kinds]
            if unique:
                return unique
        return []

    def resolve(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Entity | None:
        """The entity ``text`` names, or None."""
        found = self.candidates(text, kinds)
        return found[0] if found else None

    def translations(self) -> dict[str, str]:
        """Country names in other languages (normalised) -> ISO alpha-2, from pycountry's
        catalogues; read once, and cached beside an on-disk store (``translations_folder``)."""
        return country_translations(self.translations_folder)

    def _names_for_search(self, kinds: frozenset[str]) -> dict[str, list[str]]:
        names = {name: [i for i in iris if self.entities[i].kind in kinds]
                 for name, iris in self._by_name.items()}
        if self.with_extracted:
            for name, iris in self._extracted_names.items():
                names[name] = names.get(name, []) + [i for i in iris
                                                     if self.entities[i].kind in kinds]
        return {name: iris for name, iris in names.items() if iris}

    def suggest(self, text: str, kinds: frozenset[str] = ALL_KINDS, limit: int = 3) -> list[str]:
        """Display names of the entities whose names are closest to ``text``."""
        choices = self._names_for_search(kinds)
        matches = process.extract(normalise_name(text), list(choices), scorer=fuzz.ratio,
                                  limit=limit * 3, score_cutoff=60)
        best = matches[0][1] if matches else 0
        seen: list[str] = []
        for name, score, _ in matches:
            if score < best - 8:
                break
            for iri in choices[name]:
                shown = self.entities[iri].display()
                if shown not in seen:
                    seen.append(shown)
        return seen[:limit]

    def match(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Match:
        """What a user's ``text`` names: an exact name (one entity), else the one entity one
        of whose names holds ``text`` as whole words, best placed ("Siberian Customs" →
        Siberian Customs Directorate). AmbiguousName when several entities fit equally well,
        EntityNotFound (with suggestions) when none does."""
        key, stripped = normalise_name(text), text.strip()
        if key in GENERIC_NAMES:
            raise GenericName(text)
        exact = self.candidates(text, kinds)
        coded = self._by_code.get(stripped.upper()) if re.fullmatch(
            r"[A-Za-z]{2,3}", stripped) else None
        if coded is not None and any(e.iri.value == coded for e in exact):
            return Match(self.entities[coded], True)  # an ISO code names one country
        if len(exact) == 1:
            named = key in self._by_name or key in self._extracted_names or \
                stripped.casefold() in self._by_id
            return Match(exact[0], named)
        if exact:
            raise AmbiguousName(text, [e.display() for e in _ranked(exact)][:6])
        found = [(e, score) for e, score in self.search(text, kinds, None) if score >= 90]
        if found:
            best = found[0][1]
            top = [e for e, score in found if score == best]
            if len(top) == 1:
                return Match(top[0], False)
            raise AmbiguousName(text, [e.display() for e in top][:6])
        raise EntityNotFound(text, self.suggest(text, kinds))

    def require(self, text: str, kinds: frozenset[str] = ALL_KINDS) -> Entity:
        """The entity ``text`` names (see ``match``); EntityNotFound with suggestions if
        none, AmbiguousName if several."""
        return self.match(text, kinds).entity

    def search(self, text: str, kinds: frozenset[str] = ALL_KINDS,
               limit: int | None = 20) -> list[tuple[Entity, float]]:
        """Entities whose names contain or loosely match ``text``, best first, with a score
        out of 100: an exact name 100, a name starting with it as whole words 95, whole words
        inside a name 90, a part of a name 85, else the fuzzy score."""
        key = normalise_name(text)
        scored: dict[str, float] = {}
        for name, iris in self._names_for_search(kinds).items():
            if name == key:
                score = 100.0
            elif name.startswith(key + " "):
                score = 95.0
            elif f" {key} " in f" {name} ":
                score = 90.0
            elif key in name:
                score = 85.0
            else:
                part = fuzz.partial_ratio(key, name) if len(name) >= len(key) else 0
                score = max(fuzz.ratio(key, name) * 0.85, part * 0.8 if part >= 85 else 0)
            if score >= 65:
                for iri in iris:
                    scored[iri] = max(scored.get(iri, 0.0), score)
        for entity in self.candidates(text, kinds):
            scored[entity.iri.value] = 100.0

        def order(item: tuple[str, float]) -> tuple:
            return (-item[1], *_rank(self.entities[item[0]]))

        ranked = sorted(scored.items(), key=order)
        return [(self.entities[iri], round(score, 1)) for iri, score in ranked[:limit]]


_BUILD_RANK = {"agency": 0, "union": 1, "international": 2, "country": 3, "person": 4,
               "agreement": 5, "event": 6}
"""The order of kinds in the index's lists (``EntityIndex.build_order``)."""
_KIND_RANK = {"country": 0, "union": 1, "agency": 2, "international": 3, "person": 4,
              "agreement": 5, "event": 6}


def _rank(entity: Entity) -> tuple:
    return (_KIND_RANK.get(entity.kind, 9), len(entity.label), entity.label)


def _ranked(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=_rank)


def _append(mapping: dict[str, list[str]], key: str, value: str) -> None:
    bucket = mapping.setdefault(key, [])
    if value not in bucket:
        bucket.append(value)


