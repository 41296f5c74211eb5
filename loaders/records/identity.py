"""The IRIs of what records declare and refer to: organisations, agreements, people and
countries, matched with the entities already known (in the store or earlier in the load) so
that files may refer to each other; slugs and extractor agents."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pyoxigraph import NamedNode

from graph.names import ORGANISATION_KINDS, Entity, EntityIndex, normalise_name
from loaders.records.documents import Context, as_list, as_text, record_label
from ontology.vocab import ID

UNION_KIND = frozenset({"union"})
# "customs authorities of the EAEU countries", "customs services of the EU member states": the
# member states' bodies acting together, a collective body of the union.
_COLLECTIVE = re.compile(r"^(?:central |national )?customs (?:authorities|services|administrations"
                         r"|bodies|agencies) of (?:the )?(?P<u>.+?) (?:member )?(?:states|"
                         r"countries)$")
# "government of vietnam", "vietnam government", "vietnamese government", "government".
_GOVERNMENT = re.compile(r"^(?:government of (?P<c>.+)|(?:(?P<d>.+?) )?government)$")


def n(term: Any) -> NamedNode:
    """A pyoxigraph NamedNode for an rdflib URIRef (the vocabulary is written with rdflib)."""
    return NamedNode(str(term))


def slugify(text: str, limit: int = 60) -> str:
    """A readable IRI segment; long texts keep a hash so two never collide."""
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(text)).strip("-") or "x"
    if len(slug) > limit:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        slug = slug[:limit].rstrip("-") + "-" + digest
    return slug


def extractor_agent(extractor: str) -> NamedNode:
    """The prov:SoftwareAgent of an extractor named in evidence: ``customs-kg-extract 0.1.0``
    is ``id:loader/extractor-0.1.0``; another tool is ``id:loader/<its name, slugified>``."""
    match = re.fullmatch(r"customs-kg-extract\s+(\S+)", extractor.strip())
    version = re.sub(r"[^A-Za-z0-9._~-]+", "-", match.group(1)) if match else None
    name = f"extractor-{version}" if version else slugify(extractor)
    return n(ID[f"loader/{name}"])


class RecordIdentity:
    """The IRIs of records' entities and references, resolved with ``index``."""

    # -- identity ---------------------------------------------------------------------------
    def __init__(self, index: EntityIndex) -> None:
        self.index = index
        self._declared: dict[tuple[str, str, int], NamedNode] = {}
        self._doc_iris: dict[str, set[str]] = {}  # by document: the IRIs its records declare
        self._doc_key: str | None = None  # the document being converted
        self._doc_names: dict[str, dict[str, Entity]] = {}  # by document: its governments
        self._label_owner: dict[str, tuple[str, str, int]] = {}

    def _org_iri(self, doc_key: str, pos: int, record: dict, ctx: Context,
                 section: str) -> NamedNode:
        key = (doc_key, section, pos)
        if key in self._declared:
            return self._declared[key]
        name = as_text(record.get("name"))
        if not name:
            raise ctx.error("missing name", "name")
        kind = record.get("kind") or ("union" if section == "unions" else None)
        country = self._country_of(record, ctx)
        parent = record.get("parent")
        if kind is None:
            kind = "customs" if country or parent else "international"
        entity_kind = ("union" if kind == "union" else
                       "international" if kind == "international" else "agency")
        explicit = as_text(record.get("id"))
        iri = None
        if explicit:
            known = self.index.candidates(explicit, ORGANISATION_KINDS)
            iri = known[0].iri if known and known[0].iri.value.endswith("/" + explicit) else None
        if iri is None and not explicit:
            government = self._government(name, kind, country)
            if government is not None:
                # A government is its country, not an agency beside it: the document's
                # references to it by this name are the country.
                self._declared[key] = government.iri
                self._doc_iris.setdefault(doc_key, set()).add(government.iri.value)
                self._doc_names.setdefault(doc_key, {})[normalise_name(name)] = government
                return government.iri
            names = [name, *as_list(record.get("aliases"))]
            for candidate_name in names:
                for entity in self.index.candidates(str(candidate_name), ORGANISATION_KINDS):
                    if self._same_org(entity, entity_kind, country):
                        iri = entity.iri
                        break
                if iri is not None:
                    break
            if iri is None and entity_kind == "agency" and country is not None \
                    and country.kind == "country":
                iri = self._known_with_country(names, country)
        if iri is None:
            folder = {"union": "union", "international": "org"}.get(entity_kind, "agency")
            slug = explicit or slugify(
                (country.code.lower() + " " if country is not None and country.code else "")
                + name)
            iri = ID[f"{folder}/{slug}"]
            iri = n(iri)
        self._declared[key] = iri
        self._doc_iris.setdefault(doc_key, set()).add(iri.value)
        self._claim_label(iri, key)
        entity = self.index.add(iri, entity_kind, name, [str(a) for a in
                                as_list(record.get("aliases"))], explicit or
                                iri.value.rsplit("/", 1)[-1])
        if country is not None and entity.country is None:
            entity.country = country.iri
        if record.get("national") and country is not None:
            self.index.set_national_customs(country.iri, iri)
        return iri

    def _known_with_country(self, names: list, country: Entity) -> NamedNode | None:
        """The agency of ``country`` that one of ``names``, qualified by the country, names in
        the gazetteer: "Ministry of Finance" given with VN is the "Ministry of Finance of
        Vietnam", "Treasury" with GB the "UK Treasury". Only an agency of that country."""
        forms = [c for c in sorted({country.label, *country.names}, key=len)
                 if len(normalise_name(c)) > 1]
        for name in names:
            for form in forms:
                for text in (f"{name} of {form}", f"{form} {name}", f"{form}'s {name}"):
                    for entity in self.index.candidates(text, frozenset({"agency"})):
                        if entity.country == country.iri:
                            return entity.iri
        return None

    def _collective_union(self, names: list) -> Entity | None:
        """The union whose member states' bodies one of ``names`` names together ("customs
        authorities of the EAEU countries" → the EAEU), or None."""
        for name in names:
            match = _COLLECTIVE.match(normalise_name(str(name)))
            union = self._union_named(match.group("u")) if match else None
            if union is not None:
                return union
        return None

    def _government(self, name: str, kind: str | None, country: Entity | None
                    ) -> Entity | None:
        """The country a record names as its government ("Government of Vietnam", "the
        Vietnamese government", or "the government" of kind government with its country);
        None for anything else (a regional government stays an agency)."""
        if kind not in (None, "government"):
            return None
        match = _GOVERNMENT.match(normalise_name(name))
        if match is None:
            return None
        named = match.group("c") or match.group("d")
        if not named:
            return country if kind == "government" and country is not None \
                and country.kind == "country" else None
        found = self.index.resolve(named, frozenset({"country"}))
        if found is None or (country is not None and found.iri != country.iri):
            return None
        return found

    @staticmethod
    def _same_org(entity: Entity, kind: str, country: Entity | None) -> bool:
        if entity.kind in ("union", "international"):
            return kind in ("union", "international") or country is None
        if entity.kind != "agency":
            return False
        return country is None or entity.country is None or entity.country == country.iri

    def _union_named(self, value: str) -> Entity | None:
        """The union ``value`` names (its code, id, name or alias: ``EU``, ``EAEU``), which the
        records accept wherever they accept a country."""
        return self.index.resolve(value, UNION_KIND)

    def _country_of(self, record: dict, ctx: Context) -> Entity | None:
        """The country a record's ``country`` names, or the union it names (``EU``)."""
        value = as_text(record.get("country"))
        if value is None:
            return None
        if re.fullmatch(r"[A-Za-z]{2,3}", value):
            country = self.index.country_by_code(value) or self._union_named(value)
            if country is None:
                raise ctx.error(f"unknown country code '{value}'", "country")
            return country
        country = (self.index.resolve(value, frozenset({"country"}))
                   or self._union_named(value))
        if country is None:
            suggestions = self.index.suggest(value, frozenset({"country"}))
            hint = f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""
            raise ctx.error(f"unknown country '{value}'{hint}", "country")
        return country

    def _agreement_iri(self, doc_key: str, pos: int, record: dict, ctx: Context) -> NamedNode:
        key = (doc_key, "agreements", pos)
        if key in self._declared:
            return self._declared[key]
        explicit = as_text(record.get("id"))
        title = as_text(record.get("title"))
        parties = {e.iri.value for p in as_list(record.get("parties"))
                   for e in self.index.candidates(str(p), ORGANISATION_KINDS)[:1]}
        iri = None
        if explicit:
            iri = n(ID[f"agreement/{explicit}"])
        else:
            if not title:
                raise ctx.error("an agreement needs a title or an id", "title")
            for name in [title, *as_list(record.get("aliases"))]:
                for entity in self.index.candidates(str(name), frozenset({"agreement"})):
                    if not parties or self._shares_party(entity.iri, parties):
                        iri = entity.iri
                        break
                if iri is not None:
                    break
            if iri is None and self.index.scope is not None:
                iri = self._known_agreement(record, parties)
            if iri is None:
                digest = hashlib.sha1("|".join(sorted(parties)).encode()).hexdigest()[:6]
                iri = n(ID[f"agreement/{slugify(title)}-{digest}"])
        self._declared[key] = iri
        self._claim_label(iri, key)
        entity = self.index.add(iri, "agreement", title, [str(a) for a in
                                as_list(record.get("aliases"))],
                                explicit or iri.value.rsplit("/", 1)[-1])
        signed = as_text(record.get("signed"))
        self.index.note_agreement(entity, as_text(record.get("kind")) or "other", parties,
                                  [signed] if signed else [])
        return iri

    def _known_agreement(self, record: dict, parties: set[str]) -> NamedNode | None:
        """The known agreement an extracted record states under a name of its own ("the MRA",
        "the customs mutual assistance agreement"): the one agreement curated or reference
        sources state of the record's kind, when that kind is specific (mutual recognition,
        mutual assistance, free trade; see ``EntityIndex.known_agreements``), between the same
        countries and unions (an agency counts as its country; at least two). Of several, the
        one signed in the record's signing year; else None (the record's own agreement)."""
        found = self.index.known_agreements(as_text(record.get("kind")) or "other", parties)
        if len(found) > 1:
            signed = as_text(record.get("signed"))
            year = signed[:4] if signed and re.match(r"\d{4}", signed) else None
            found = [e for e in found if year and year in self.index.signing_years(e)]
        return found[0].iri if len(found) == 1 else None

    def _claim_label(self, iri: NamedNode, key: tuple[str, str, int]) -> None:
        """The first record to name an entity unknown so far gives its preferred label."""
        if self.index.get(iri) is None:
            self._label_owner.setdefault(iri.value, key)

    def _label_of(self, iri: NamedNode, key: tuple[str, str, int], name: str | None,
                  aliases: list) -> tuple[str | None, list]:
        """(preferred label, aliases) this record may state: another record's entity keeps
        its label, and this record's name becomes an alias of it."""
        if self._label_owner.get(iri.value) == key or name is None:
            return name, aliases
        return None, [name, *aliases]

    def _shares_party(self, agreement: NamedNode, parties: set[str]) -> bool:
        entity = self.index.get(agreement)
        return entity is None or not entity.parties or bool(entity.parties & parties)

    def declare(self, document: dict, doc_key: str, name: str, graph: NamedNode | None = None,
                extracted: bool = False) -> None:
        """Register the entities a document declares, so other documents can refer to them.

        The records of an extracted source (``extracted``: an article read by the extractor;
        else each record whose evidence names an extractor) declare their names within the
        scope of their ``graph`` only (``EntityIndex.within``): they resolve that source's own
        mentions and never another source's."""
        for section in ("countries", "unions", "agencies", "agreements", "people"):
            for pos, record in enumerate(as_list(document.get(section))):
                ctx = Context(name, record_label(section, pos, record))
                with self.index.within(record_scope(record, graph, extracted)):
                    if section == "countries":
                        self._declare_country(record, ctx)
                    elif section in ("unions", "agencies"):
                        self._org_iri(doc_key, pos, record, ctx, section)
                    elif section == "agreements":
                        self._agreement_iri(doc_key, pos, record, ctx)
                    else:
                        self._person_iri(record, ctx)

    def _declare_country(self, record: Any, ctx: Context) -> Entity:
        if isinstance(record, dict):
            code = as_text(record.get("code"))
            if code is None:
                raise ctx.error("a country needs a code", "code")
            country = self.index.country_by_code(code) or self._union_named(code)
            if country is None and record.get("name"):
                iri = n(ID[f"country/{code.upper()}"])
                country = self.index.add(iri, "country", str(record["name"]),
                                         [str(a) for a in as_list(record.get("aliases"))],
                                         code.upper())
                self.index.add_code(iri, code)
                for alt in ("alpha3",):
                    if record.get(alt):
                        self.index.add_code(iri, str(record[alt]))
                for demonym in as_list(record.get("demonyms")):
                    self.index.add_demonym(str(demonym), iri)
            elif country is None:
                raise ctx.error(f"unknown country code '{code}'", "code")
            else:
                self.index.add(country.iri, "country", None,
                               [str(a) for a in as_list(record.get("aliases"))])
            return country
        value = as_text(record) or ""
        country = (self.index.country_by_code(value) if re.fullmatch(r"[A-Za-z]{2,3}", value)
                   else self.index.resolve(value, frozenset({"country"})))
        country = country or self._union_named(value)
        if country is None:
            raise ctx.error(f"unknown country '{value}'", "code")
        return country

    def _person_iri(self, record: dict, ctx: Context) -> NamedNode:
        name = as_text(record.get("name"))
        if not name:
            raise ctx.error("missing name", "name")
        explicit = as_text(record.get("id"))
        known = self.index.resolve(explicit or name, frozenset({"person"}))
        iri = known.iri if known else n(ID[f"person/{explicit or slugify(name)}"])
        self.index.add(iri, "person", name, [str(a) for a in as_list(record.get("aliases"))],
                       explicit or iri.value.rsplit("/", 1)[-1])
        return iri

    # -- references -------------------------------------------------------------------------
    def _org(self, value: Any, ctx: Context, field: str) -> NamedNode:
        text = as_text(value)
        if text is None:
            raise ctx.error("empty reference", field)
        government = self._doc_names.get(self._doc_key or "", {}).get(normalise_name(text))
        found = [government] if government else self.index.candidates(text, ORGANISATION_KINDS)
        # A name several entities share ("Ministry of Finance") is the one this document
        # declares, never another country's body that happens to be known first.
        own = self._doc_iris.get(self._doc_key or "", set())
        entity = next((e for e in found if e.iri.value in own), found[0] if found else None)
        if entity is None:
            if re.fullmatch(r"[A-Z]{2}", text):
                raise ctx.error(f"unknown country code '{text}'", field)
            suggestions = self.index.suggest(text, ORGANISATION_KINDS)
            hint = f" — did you mean {' or '.join(suggestions)}?" if suggestions else ""
            raise ctx.error(f"'{text}' resolves to no country, union or agency{hint}", field)
        return entity.iri


def record_scope(record: Any, graph: NamedNode | None, extracted: bool) -> str | None:
    """The name scope a record's names belong to: its graph's, when the record comes from an
    extracted source (the whole document, or its own evidence naming an extractor); None (every
    source's) for curated records."""
    if graph is None:
        return None
    if extracted:
        return graph.value
    evidence = record.get("evidence") if isinstance(record, dict) else None
    items = evidence if isinstance(evidence, list) else [evidence]
    if any(isinstance(e, dict) and e.get("extractor") for e in items):
        return graph.value
    return None
