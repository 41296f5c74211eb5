"""Agreements and events as answers: their kind, dates (with competing claims), parties,
participants and the sources behind every statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from graph.queries import named_query, values_clause
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from graph.store.loaded import loaded_sources
from ontology.vocab import CKG, DCTERMS, PROV, RDF, RDFS, SCHEMA, SKOS

RELIABILITY = {"high": 3, "medium": 2, "low": 1}
DATE_FIELDS = {
    str(CKG.signingDate): "signed",
    str(CKG.entryIntoForceDate): "in_force",
    str(CKG.validFrom): "valid_from",
    str(CKG.validUntil): "valid_to",
    str(SCHEMA.startDate): "start",
    str(SCHEMA.endDate): "end",
}
# Property IRIs as strings, once: an rdflib namespace lookup costs microseconds, and
# describe_items compares every row's predicate with them.
_TYPE, _AGREEMENT, _KIND = str(RDF.type), str(CKG.Agreement), str(CKG.kind)
_NAMES = (str(SKOS.prefLabel), str(DCTERMS.title))
_DERIVED, _OUTCOME_NOTE, _DATE_TEXT = (str(PROV.wasDerivedFrom), str(CKG.outcomeNote),
                                       str(CKG.dateText))
_QUALIFIED = str(PROV.qualifiedDerivation)
_PLANNED, _COUNT, _CAMEO, _COMMENT = (str(CKG.planned), str(CKG.eventCount), str(CKG.cameoCode),
                                      str(RDFS.comment))
ROLE_FIELDS = {
    str(CKG.party): "parties",
    str(CKG.implementedBy): "implementers",
    str(CKG.participant): "participants",
    str(SCHEMA.organizer): "host",
    str(SCHEMA.location): "place",
    str(CKG.outcome): "outcomes",
    str(SCHEMA.about): "topics",
    str(SCHEMA.attendee): "people",
    str(SCHEMA.superEvent): "part_of",
}


def display_path(path: str, store: GraphStore | None = None) -> str:
    """A loaded file's path as analysts read it: relative to the working directory when it is
    under it, else relative to the folder that holds the store (the project folder, for the
    default ``./.customs-kg``) when it is under that, else as loaded (absolute)."""
    roots = [Path.cwd()]
    if store is not None and store.location not in (":memory:", "") and "://" not in \
            store.location:
        roots.append(Path(store.location).resolve().parent)
    for root in roots:
        try:
            return str(Path(path).relative_to(root))
        except ValueError:
            continue
    return path


def loaded_files(store: GraphStore) -> list[dict[str, Any]]:
    """What is loaded, one dict per file: path (as displayed), triples, load time, hash,
    format, loader and named graph."""
    return [{"path": display_path(s.path, store), "triples": s.triples,
             "loaded_at": s.loaded_at, "hash": s.hash, "format": s.format, "loader": s.loader,
             "graph": s.graph} for s in loaded_sources(store)]


@dataclass
class Source:
    """A loaded file, and the document it states, behind a statement."""

    file: str
    graph: str
    loaded_at: str
    document: str | None = None
    title: str | None = None
    url: str | None = None
    reliability: str = "medium"
    loader: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "document": self.document, "title": self.title,
                "url": self.url, "reliability": self.reliability, "loaded_at": self.loaded_at,
                "loader": self.loader}

    @property
    def order(self) -> tuple:
        """Sources are listed most reliable first, then by file and document: the same order
        whatever the store's graph names (random per load) and query order."""
        return (-RELIABILITY.get(self.reliability, 2), self.file, self.document or "")


@dataclass
class Claim:
    """One value of a single-valued fact, and the sources that state it; ``coarser``: the
    claims of the same fact at a coarser precision that agree with it ("2015" under
    "2015-05-29"), whose sources support it too (see ``settle_claims``)."""

    value: str
    sources: list[Source] = field(default_factory=list)
    coarser: list[Claim] = field(default_factory=list)

    @property
    def weight(self) -> tuple:
        every = [s for claim in (self, *self.coarser) for s in claim.sources]
        best = max((RELIABILITY.get(s.reliability, 2) for s in every), default=0)
        return (best, len({(s.graph, s.document) for s in every}), len(self.value))

    def values_dict(self) -> dict[str, Any]:
        """The claim as the conflicts show it: its value, its sources, then the sources of
        the coarser claims it settles, each with the value it states (``stated``)."""
        sources = [s.as_dict() for s in sorted(self.sources, key=lambda s: s.order)]
        for claim in sorted(self.coarser, key=lambda c: c.value):
            sources += [{**s.as_dict(), "stated": claim.value}
                        for s in sorted(claim.sources, key=lambda s: s.order)]
        return {"value": self.value, "sources": sources}


def compatible(a: str, b: str) -> bool:
    """Two values that can both be true: equal, or one date refining the other ("2015" and
    "2015-05-29")."""
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def settle_claims(claims: list[Claim]) -> list[Claim]:
    """The claims of one fact that say something of their own: a value that a finer value
    refines ("2015" and "2015-05-29", or "2015-05") is not a claim apart but support for each
    finer value it agrees with (its ``coarser``); best supported first. More than one claim
    left means the sources truly disagree."""
    finest = [c for c in claims if not any(o.value.startswith(c.value + "-") for o in claims)]
    settled = [Claim(c.value, c.sources, [o for o in claims
                                          if c.value.startswith(o.value + "-")])
               for c in finest]
    return sorted(sorted(settled, key=lambda c: c.value), key=lambda c: c.weight, reverse=True)


@dataclass
class Item:
    """An agreement or an event, ready to show."""

    iri: str
    type: str = "event"  # agreement | event
    kind: str = "other"
    label: str = ""
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    outcome_notes: list[str] = field(default_factory=list)
    date_text: str | None = None
    planned: bool = False
    count: int | None = None
    cameo: str | None = None
    sources: list[Source] = field(default_factory=list)
    via: list[str] | None = None
    # (graph, source document) -> the evidence (sentence, span, confidence, extractor) of the
    # item's most confident qualified derivation stated there
    evidence: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        """The best-supported value of a date field, at the finest precision its sources
        agree on."""
        claims = self.claims.get(name)
        return settle_claims(claims)[0].value if claims else None

    @property
    def date(self) -> str | None:
        """The date an answer is filed under: an event's start, an agreement's signing (or,
        failing that, its entry into force or start of validity)."""
        for name in ("start", "signed", "in_force", "valid_from"):
            if self.value(name):
                return self.value(name)
        return None

    def conflicts(self) -> list[dict[str, Any]]:
        """The date fields whose sources truly disagree (values equal at the coarser
        precision are one claim), each value with its sources, best supported first."""
        found = []
        for name, claims in self.claims.items():
            settled = settle_claims(claims)
            if len(settled) > 1:
                found.append({"field": name, "values": [c.values_dict() for c in settled]})
        return found


def source_index(store: GraphStore) -> dict[str, Source]:
    """Every loaded file's graph → its Source (file, load time, document, reliability)."""
    sources = {s.graph: Source(file=display_path(s.path, store), graph=s.graph,
                               loaded_at=s.loaded_at, loader=s.loader)
               for s in loaded_sources(store)}
    for row in store.select(named_query("source_documents")):
        source = sources.get(row["g"].value)
        if source is None:
            continue
        source.document = row["doc"].value
        source.title = row["title"].value if "title" in row else None
        source.url = row["url"].value if "url" in row else None
        source.reliability = row["reliability"].value if "reliability" in row else "medium"
    return sources


def labels(store: GraphStore, iris: Iterable[str]) -> dict[str, str]:
    """Display names for IRIs ("Vietnam (VN)" for countries)."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rows = store.select(named_query("labels").replace(
        "#VALUES", values_clause("e", map(NamedNode, wanted))))
    found: dict[str, str] = {}
    for row in rows:
        if "label" in row:
            label = row["label"].value
            if "code" in row:
                label = f"{label} ({row['code'].value})"
            if "unresolved" in row:
                label = f"{label} (unresolved)"
            found.setdefault(row["e"].value, label)
    return {iri: found.get(iri, iri.rsplit("/", 1)[-1]) for iri in wanted}


ORDER_PREDICATES = (_TYPE, *_NAMES, *DATE_FIELDS, _DERIVED)
"""What the order of answers (date, then label) depends on: ``describe_items`` with only these
tells it without reading the rest."""


def describe_items(store: GraphStore, iris: Iterable[NamedNode],
                   sources: dict[str, Source] | None = None,
                   predicates: Iterable[str] | None = None) -> dict[str, Item]:
    """Agreements and events by IRI, with every statement's source. An extracted claim a
    loaded review rejects (or corrects) is left out: its graph's statements of the item do not
    count, and an item no other source states is not returned. With ``predicates``, only the
    statements of those (the same scan, filtered in the store: rows keep their order)."""
    iris = list(dict.fromkeys(iris))
    if not iris:
        return {}
    sources = sources if sources is not None else source_index(store)
    query = named_query("item_triples")
    if predicates is not None:
        listed = ", ".join(str(NamedNode(p)) for p in predicates)
        query = query.replace("#FILTER", f"FILTER(?p IN ({listed}))")
    rows = store.select(query + values_clause("item", iris))
    rejected = rejected_claims(store)
    if rejected:
        rows = [row for row in rows if (row["item"].value, row["g"].value) not in rejected]
    items: dict[str, Item] = {}
    record_docs: dict[tuple[str, str], str] = {}
    with_evidence: set[str] = set()
    for row in rows:
        if row["p"].value == _DERIVED:
            record_docs[(row["item"].value, row["g"].value)] = row["o"].value
        elif row["p"].value == _QUALIFIED:
            with_evidence.add(row["item"].value)
    doc_meta = {s.document: s for s in sources.values() if s.document}
    for row in rows:
        iri, p, o, g = row["item"].value, row["p"].value, row["o"], row["g"].value
        item = items.setdefault(iri, Item(iri))
        source = sources.get(g)
        if source is None:
            continue
        doc = record_docs.get((iri, g))
        if doc and doc != source.document:
            meta = doc_meta.get(doc)
            source = Source(source.file, source.graph, source.loaded_at, doc,
                            meta.title if meta else None, meta.url if meta else None,
                            meta.reliability if meta else source.reliability, source.loader)
        if all(s is not source and (s.graph, s.document) != (source.graph, source.document)
               for s in item.sources):
            item.sources.append(source)
        value = o.value
        if p == _TYPE and value == _AGREEMENT:
            item.type = "agreement"
        elif p == _KIND:
            item.kind = value.rsplit("/", 1)[-1]
        elif p in _NAMES and not item.label:
            item.label = value
        elif p in DATE_FIELDS:
            claims = item.claims.setdefault(DATE_FIELDS[p], [])
            claim = next((c for c in claims if c.value == value), None)
            if claim is None:
                claim = Claim(value)
                claims.append(claim)
            if source not in claim.sources:
                claim.sources.append(source)
        elif p in ROLE_FIELDS and isinstance(o, NamedNode):
            if value not in item.roles[ROLE_FIELDS[p]]:
                item.roles[ROLE_FIELDS[p]].append(value)
        elif p == _OUTCOME_NOTE and value not in item.outcome_notes:
            item.outcome_notes.append(value)
        elif p == _DATE_TEXT:
            item.date_text = value
        elif p == _PLANNED and isinstance(o, Literal):
            item.planned = value == "true"
        elif p == _COUNT:
            item.count = int(value)
        elif p == _CAMEO:
            item.cameo = value
        elif p == _COMMENT and value not in item.notes:
            item.notes.append(value)
    if with_evidence:
        _add_evidence(store, items, sorted(with_evidence))
    return items


def _add_evidence(store: GraphStore, items: dict[str, Item], iris: list[str]) -> None:
    """Each item's qualified derivations: the most confident per graph and source document."""
    rows = store.select(named_query("item_evidence")
                        + values_clause("item", map(NamedNode, iris)))
    for row in rows:
        item = items.get(row["item"].value)
        if item is None:
            continue
        evidence: dict[str, Any] = {
            "sentence": row["sentence"].value if "sentence" in row else None,
            "span": ([int(row["start"].value), int(row["end"].value)]
                     if "start" in row and "end" in row else None),
            "confidence": float(row["confidence"].value) if "confidence" in row else None,
            "extractor": row["extractor"].value if "extractor" in row else None,
        }
        key = (row["g"].value, row["doc"].value)
        known = item.evidence.get(key)
        if known is None or (evidence["confidence"] or 0) > (known["confidence"] or 0):
            item.evidence[key] = evidence


def source_as_dict(item: Item, source: Source) -> dict[str, Any]:
    """A source of an item, with the evidence of the item there when it has some: the
    sentence, its span in the source document, the confidence and the extractor."""
    data = source.as_dict()
    evidence = item.evidence.get((source.graph, source.document or ""))
    if evidence is None:
        evidence = next((e for (g, _), e in sorted(item.evidence.items()) if g == source.graph),
                        None)
    if evidence is not None:
        data.update(evidence)
    return data


def item_as_dict(item: Item, names: dict[str, str]) -> dict[str, Any]:
    """The JSON shape of an answer."""

    def named(key: str) -> list[dict[str, str]]:  # in the order of their names
        return sorted(({"iri": i, "label": names.get(i, i)} for i in item.roles.get(key, [])),
                      key=lambda e: (e["label"].casefold(), e["iri"]))

    data: dict[str, Any] = {
        "type": item.type,
        "kind": item.kind,
        "iri": item.iri,
        "label": item.label,
        "date": item.date,
    }
    if item.type == "agreement":
        data.update({k: item.value(k) for k in ("signed", "in_force", "valid_from", "valid_to")})
        data["parties"] = named("parties")
        data["implementers"] = named("implementers")
    else:
        data["end"] = item.value("end")
        data["participants"] = named("participants")
        data["host"] = (named("host") or [None])[0]
        data["planned"] = item.planned
        data["count"] = item.count
        data["cameo"] = item.cameo
        data["outcomes"] = named("outcomes") + [{"iri": None, "label": note}
                                                 for note in item.outcome_notes]
    data["place"] = (named("place") or [None])[0]
    data["date_text"] = item.date_text
    data["notes"] = item.notes
    data["via"] = item.via
    data["sources"] = [source_as_dict(item, s) for s in sorted(item.sources,
                                                                key=lambda s: s.order)]
    data["conflicts"] = item.conflicts()
    data["certainty"] = certainty(data["sources"])
    return data


def certainty(sources: list[dict[str, Any]]) -> dict[str, Any]:
    """How sure an answer is, from its sources: ``basis`` is ``curated`` when a curated file
    (records or RDF, without an extractor's evidence) states it, ``reference`` when only the
    shipped reference data does, else ``extracted``; an extracted answer has the best
    ``confidence`` its evidence gives (None when the evidence gives none), and
    ``headline_only`` is true when the evidence of every source is its document's headline
    (the evidence sentence is the source's title)."""
    extracted = [s for s in sources
                 if s.get("loader", "").startswith("extractor") or s.get("extractor")]
    trusted = [s for s in sources if s not in extracted]
    if trusted:
        basis = ("reference" if all(s.get("loader") == "reference" for s in trusted)
                 else "curated")
        return {"basis": basis, "confidence": None, "headline_only": False}
    scores = [s["confidence"] for s in extracted if s.get("confidence") is not None]
    headline = bool(extracted) and all(
        s.get("sentence") and s.get("title")
        and " ".join(s["sentence"].split()) == " ".join(s["title"].split()) for s in extracted)
    return {"basis": "extracted", "confidence": max(scores) if scores else None,
            "headline_only": headline}


def meets_certainty(item: dict[str, Any], min_confidence: float | None = None,
                    curated_only: bool = False) -> bool:
    """Whether an answer passes the certainty filters: ``curated_only`` keeps what curated
    files or reference data state; ``min_confidence`` keeps those and extracted answers whose
    confidence is at least that."""
    found = item["certainty"]
    if found["basis"] != "extracted":
        return True
    if curated_only:
        return False
    return min_confidence is None or (found["confidence"] or 0.0) >= min_confidence


def entity_names(items: Iterable[Item]) -> set[str]:
    return {i for item in items for values in item.roles.values() for i in values}
