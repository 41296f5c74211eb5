"""Extracted claims for an analyst to review, and the decisions loaded reviews hold.

An **extracted claim** is one agreement or event as one extracted source states it: the item's
IRI and the source document whose evidence (a ``prov:Derivation`` naming an extractor, or any
derivation in a graph the extractor loaded) backs it. Its ID is the first 8 hex digits of the
SHA-1 of the item IRI and the source document's id: extracted IRIs are made from the content,
so reloading an article keeps every claim's ID (graph IRIs, new at every load, never enter it).

A loaded review (``ckg:Review``, written by a ``reviews:`` section of a records file) decides a
claim: ``accept``, ``reject`` or ``correct``. The latest decision on a claim counts. A rejected
or corrected claim stays in its source's graph, but ``rejected_claims`` names its (item, graph)
pairs, which the answers leave out (``describe_items``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from graph.errors import CustomsKGError
from graph.queries import values_clause
from graph.store import GraphStore
from graph.store.loaded import loaded_sources
from ontology.vocab import CKG, DCTERMS, ID, RDF, SCHEMA, SKOS

DECISIONS = ("accept", "reject", "correct")
REJECTING = ("reject", "correct")
"""Decisions that take the extracted claim out of the answers (a correction restates it)."""
SOURCE_PREFIX = str(ID) + "source/"
COUNTRY_PREFIX = str(ID) + "country/"
AGREEMENT_DATES = ("signed", "in_force", "valid_from", "valid_to")

_DATES = {str(CKG.signingDate): "signed", str(CKG.entryIntoForceDate): "in_force",
          str(CKG.validFrom): "valid_from", str(CKG.validUntil): "valid_to",
          str(SCHEMA.startDate): "start", str(SCHEMA.endDate): "end"}
_ROLES = {str(CKG.party): "parties", str(CKG.implementedBy): "implementers",
          str(CKG.participant): "participants", str(SCHEMA.organizer): "host",
          str(SCHEMA.location): "place", str(SCHEMA.attendee): "people"}
_TYPE, _AGREEMENT, _KIND = str(RDF.type), str(CKG.Agreement), str(CKG.kind)
_LABELS = (str(SKOS.prefLabel), str(DCTERMS.title))
_DATE_TEXT, _PLANNED, _STATUS = str(CKG.dateText), str(CKG.planned), str(CKG.status)

REVIEWS_QUERY = """
SELECT ?review ?item ?doc ?decision ?at ?reviewer ?note ?g WHERE {
  GRAPH ?g { ?review a ckg:Review ; ckg:reviewedItem ?item ; ckg:reviewedSource ?doc ;
                     ckg:decision ?decision ; prov:generatedAtTime ?at .
             OPTIONAL { ?review prov:wasAttributedTo/rdfs:label ?reviewer }
             OPTIONAL { ?review rdfs:comment ?note } }
}
"""
CLAIM_GRAPHS_QUERY = """
SELECT DISTINCT ?item ?doc ?g WHERE {
  GRAPH ?g { ?item prov:qualifiedDerivation ?d . ?d prov:entity ?doc .
             OPTIONAL { ?d prov:hadActivity/prov:wasAssociatedWith ?agent } }
  FILTER(BOUND(?agent) || ?g IN (#EXTRACTOR_GRAPHS))
}
"""
CLAIMS_QUERY = """
SELECT ?item ?g ?doc ?sentence ?start ?end ?confidence ?extractor WHERE {
  GRAPH ?g {
    VALUES ?class { ckg:Agreement ckg:Event }
    ?item a ?class ; prov:qualifiedDerivation ?d .
    ?d prov:entity ?doc .
    OPTIONAL { ?d ckg:sentence ?sentence }
    OPTIONAL { ?d ckg:spanStart ?start }
    OPTIONAL { ?d ckg:spanEnd ?end }
    OPTIONAL { ?d ckg:confidence ?confidence }
    OPTIONAL { ?d prov:hadActivity/prov:wasAssociatedWith/rdfs:label ?extractor }
  }
}
"""
CLAIM_TRIPLES_QUERY = """
SELECT ?item ?g ?p ?o WHERE {
  #VALUES
  GRAPH ?g { ?item ?p ?o }
}
"""


class UnknownClaim(CustomsKGError):
    """A claim ID names no extracted claim of the store."""

    def __init__(self, claim: str) -> None:
        self.claim = claim
        super().__init__(f"no extracted claim '{claim}' (see 'customs-kg review')")


def claim_id(item: str, document: str) -> str:
    """The claim's short, stable ID: 8 hex digits of the SHA-1 of the item IRI and the source
    document's id (``seed_003_vietnam_russia_talks`` for ``id:source/seed_003_…``)."""
    basis = f"{item}\n{document_id(document)}"
    return hashlib.sha1(basis.encode()).hexdigest()[:8]


def document_id(document: str) -> str:
    """A source document's id: the last part of ``id:source/<id>`` (else the IRI itself)."""
    return document[len(SOURCE_PREFIX):] if document.startswith(SOURCE_PREFIX) else document


def item_id(item: str) -> str:
    """An item's IRI relative to the ``id:`` namespace: ``agreement/vn-eaeu-fta``."""
    return item[len(str(ID)):] if item.startswith(str(ID)) else item


@dataclass
class Decision:
    """The latest loaded decision on a claim."""

    decision: str  # accept | reject | correct
    at: str
    reviewer: str | None = None
    note: str | None = None
    graph: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "reviewer": self.reviewer, "at": self.at,
                "note": self.note}


@dataclass
class ReviewClaim:
    """An agreement or event as one extracted source states it, with the evidence behind it."""

    id: str
    item: str
    document: str
    type: str = "event"  # agreement | event
    kind: str = "other"
    label: str = ""
    dates: dict[str, str] = field(default_factory=dict)  # records field -> value
    roles: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # {"iri", "label"}
    date_text: str | None = None
    status: str | None = None
    planned: bool = False
    sentence: str | None = None
    span: list[int] | None = None
    confidence: float | None = None
    extractor: str | None = None
    files: list[str] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)
    decision: Decision | None = None

    @property
    def date(self) -> str | None:
        for name in ("start", "signed", "in_force", "valid_from"):
            if self.dates.get(name):
                return self.dates[name]
        return None

    @property
    def order(self) -> tuple:
        """Least certain first (no confidence given counts as 0), then by source and item."""
        return (self.confidence if self.confidence is not None else 0.0,
                document_id(self.document), self.label, self.item)

    def record(self) -> dict[str, Any]:
        """The claim in the records format (``agreements:`` or ``events:``), with the item's
        id and references as analysts write them (a country's code, else the name)."""

        def refs(role: str) -> list[str]:
            return [reference_text(e) for e in self.roles.get(role, [])]

        place = (self.roles.get("place") or [None])[0]
        record: dict[str, Any] = {"id": item_id(self.item).split("/", 1)[1]}
        if self.type == "agreement":
            record.update({"title": self.label or None, "kind": self.kind,
                           "parties": refs("parties"), "implementers": refs("implementers")})
            record.update({k: self.dates.get(k) for k in AGREEMENT_DATES})
            record["status"] = self.status
        else:
            start, end = self.dates.get("start"), self.dates.get("end")
            record.update({"kind": self.kind, "date": f"{start}/{end}" if start and end
                           else start, "participants": refs("participants"),
                           "host": (refs("host") or [None])[0], "people": refs("people"),
                           "planned": self.planned})
        record["place"] = reference_text(place) if place else None
        record["date_text"] = self.date_text
        return record

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "item": self.item, "source": document_id(self.document),
                "type": self.type, "kind": self.kind, "label": self.label, "date": self.date,
                "dates": dict(self.dates), "date_text": self.date_text, "status": self.status,
                "planned": self.planned,
                **{role: list(self.roles.get(role, [])) for role in
                   (("parties", "implementers") if self.type == "agreement"
                    else ("participants", "host"))},
                "place": (self.roles.get("place") or [None])[0],
                "sentence": self.sentence, "span": self.span, "confidence": self.confidence,
                "extractor": self.extractor, "files": list(self.files),
                "decision": self.decision.as_dict() if self.decision else None,
                "record": self.record()}


def reference_text(entry: dict[str, str]) -> str:
    """How a records file names an entity of a claim: a country by its ISO code, anything
    else by its name (``labels`` writes a country as "Vietnam (VN)")."""
    iri = entry["iri"]
    if iri.startswith(COUNTRY_PREFIX):
        return iri[len(COUNTRY_PREFIX):]
    return entry["label"]


def loaded_decisions(store: GraphStore) -> dict[tuple[str, str], Decision]:
    """The latest loaded decision on each (item IRI, source document IRI)."""
    found: dict[tuple[str, str], Decision] = {}
    for row in store.select(REVIEWS_QUERY):
        decision = row["decision"].value
        if decision not in DECISIONS:
            continue
        key = (row["item"].value, row["doc"].value)
        candidate = Decision(decision, row["at"].value,
                             row["reviewer"].value if "reviewer" in row else None,
                             row["note"].value if "note" in row else None, row["g"].value)
        known = found.get(key)
        if known is None or (candidate.at, candidate.graph) > (known.at, known.graph):
            found[key] = candidate
    return found


def _extractor_graphs(store: GraphStore) -> list[str]:
    return [s.graph for s in loaded_sources(store) if s.loader.startswith("extractor")]


def rejected_claims(store: GraphStore) -> set[tuple[str, str]]:
    """(item IRI, named-graph IRI) of every extracted claim a loaded review rejects (or
    corrects): the item as that graph states it is left out of answers. Empty when no review
    is loaded (one cheap query)."""
    rejected = {key for key, found in loaded_decisions(store).items()
                if found.decision in REJECTING}
    if not rejected:
        return set()
    graphs = " ".join(f"<{g}>" for g in _extractor_graphs(store)) or "<urn:x-none>"
    items = {item for item, _ in rejected}
    query = (CLAIM_GRAPHS_QUERY.replace("#EXTRACTOR_GRAPHS", graphs)
             + values_clause("item", map(NamedNode, sorted(items))))
    return {(row["item"].value, row["g"].value) for row in store.select(query)
            if (row["item"].value, row["doc"].value) in rejected}


def review_claims(store: GraphStore, *, include_decided: bool = False,
                  ids: list[str] | None = None) -> list[ReviewClaim]:
    """The extracted claims of the store, least certain first, with the sentence behind each;
    those a loaded review has decided only with ``include_decided`` (or when named in
    ``ids``). ``ids``: only these claims; UnknownClaim for an ID the store does not hold."""
    from graph.queries.items import display_path  # items imports this module

    sources = {s.graph: s for s in loaded_sources(store)}
    extractor_graphs = {g for g, s in sources.items() if s.loader.startswith("extractor")}
    claims: dict[str, ReviewClaim] = {}
    for row in store.select(CLAIMS_QUERY):
        g = row["g"].value
        extractor = row["extractor"].value if "extractor" in row else None
        if g not in sources or (extractor is None and g not in extractor_graphs):
            continue
        item, doc = row["item"].value, row["doc"].value
        key = claim_id(item, doc)
        claim = claims.setdefault(key, ReviewClaim(key, item, doc))
        if g not in claim.graphs:
            claim.graphs.append(g)
        confidence = float(row["confidence"].value) if "confidence" in row else None
        if claim.sentence is None or (confidence or 0) > (claim.confidence or 0):
            claim.sentence = row["sentence"].value if "sentence" in row else None
            claim.span = ([int(row["start"].value), int(row["end"].value)]
                          if "start" in row and "end" in row else None)
            claim.confidence = confidence
            claim.extractor = extractor
    if ids is not None:
        wanted = list(dict.fromkeys(ids))
        for wanted_id in wanted:
            if wanted_id not in claims:
                raise UnknownClaim(wanted_id)
        claims = {i: claims[i] for i in wanted}
    decisions = loaded_decisions(store)
    for claim in claims.values():
        claim.decision = decisions.get((claim.item, claim.document))
        claim.files = sorted({display_path(sources[g].path, store) for g in claim.graphs})
    if not include_decided and ids is None:
        claims = {i: c for i, c in claims.items() if c.decision is None}
    _describe(store, list(claims.values()))
    return sorted(claims.values(), key=lambda c: c.order)


def _describe(store: GraphStore, claims: list[ReviewClaim]) -> None:
    """Each claim's kind, label, dates and roles as its own graphs state them."""
    from graph.queries.items import labels  # items imports this module

    pairs = sorted({(c.item, g) for c in claims for g in c.graphs})
    if not pairs:
        return
    block = "VALUES (?item ?g) { " + " ".join(f"(<{i}> <{g}>)" for i, g in pairs) + " }"
    by_pair: dict[tuple[str, str], list[ReviewClaim]] = defaultdict(list)
    for claim in claims:
        for g in claim.graphs:
            by_pair[(claim.item, g)].append(claim)
    role_iris: set[str] = set()
    for row in store.select(CLAIM_TRIPLES_QUERY.replace("#VALUES", block)):
        p, o = row["p"].value, row["o"]
        for claim in by_pair.get((row["item"].value, row["g"].value), []):
            value = o.value
            if p == _TYPE and value == _AGREEMENT:
                claim.type = "agreement"
            elif p == _KIND:
                claim.kind = value.rsplit("/", 1)[-1]
            elif p in _LABELS and not claim.label:
                claim.label = value
            elif p in _DATES:
                claim.dates.setdefault(_DATES[p], value)
            elif p in _ROLES and isinstance(o, NamedNode):
                entries = claim.roles.setdefault(_ROLES[p], [])
                if all(e["iri"] != value for e in entries):
                    entries.append({"iri": value, "label": value})
                    role_iris.add(value)
            elif p == _DATE_TEXT:
                claim.date_text = value
            elif p == _STATUS:
                claim.status = value.rsplit("/", 1)[-1]
            elif p == _PLANNED:
                claim.planned = value == "true"
    names = labels(store, role_iris)
    for claim in claims:
        for entries in claim.roles.values():
            for entry in entries:
                entry["label"] = names.get(entry["iri"], entry["iri"])
            entries.sort(key=lambda e: (e["label"].casefold(), e["iri"]))
        names_of = AGREEMENT_DATES if claim.type == "agreement" else ("start", "end")
        claim.dates = {k: claim.dates[k] for k in names_of if claim.dates.get(k)}
