"""What the graph holds: entity search, counts, and facts that sources disagree on."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from graph.queries import named_query
from graph.queries.items import Claim, labels, settle_claims, source_index
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from ontology.vocab import CKG, SCHEMA

if TYPE_CHECKING:  # name resolution (rapidfuzz) is imported by the search that uses it
    from graph.names import EntityIndex

FIELD_NAMES = {
    str(CKG.signingDate): "signed",
    str(CKG.entryIntoForceDate): "in_force",
    str(CKG.validFrom): "valid_from",
    str(CKG.validUntil): "valid_to",
    str(SCHEMA.startDate): "date",
    str(SCHEMA.endDate): "end",
    str(CKG.country): "country",
    str(CKG.eventCount): "count",
}


ORGANISATIONS = frozenset({"agency", "union", "international"})


def search_entities(store: GraphStore, text: str | None = None, limit: int | None = 50,
                    index: EntityIndex | None = None) -> list[dict[str, Any]]:
    """Entities whose names or aliases match ``text``, best first (all of them without
    ``text``, by kind and label); at most ``limit`` (None: every one). ``unresolved``: an
    organisation only extracted sources name, which resolved to nothing known."""
    from graph.names import ALL_KINDS, cached_index

    index = index or cached_index(store)
    if text:
        found = index.search(text, ALL_KINDS, limit)
    else:
        ranked = sorted(index.entities.values(), key=lambda e: (e.kind, e.label))
        found = [(entity, 100.0) for entity in ranked[:limit]]
    return [{
        "iri": entity.iri.value,
        "kind": entity.kind,
        "label": entity.label,
        "code": entity.code,
        "aliases": sorted(name for name in entity.names if name != entity.label),
        "score": round(score, 1),
        "unresolved": entity.kind in ORGANISATIONS and index.is_extracted_only(entity.iri.value),
    } for entity, score in found]


def graph_stats(store: GraphStore) -> dict[str, Any]:
    """Triples, named graphs, entities per main class, and what the agreements cover
    (``coverage``, see :func:`agreement_coverage`)."""
    counts = {row["class"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(row["n"].value)
              for row in store.select(named_query("stats"))}
    return {
        "triples": len(store),  # the store's own count: a server's own graphs left out
        "graphs": len(store.named_graphs()),
        "entities": counts,
        "coverage": agreement_coverage(store),
    }


def agreement_coverage(store: GraphStore) -> dict[str, Any]:
    """What the agreements cover: ``agreements`` (how many), ``by_kind`` (kind → count, the
    records' kind names, most first), ``countries`` and ``unions`` (how many are parties of an
    agreement), ``sources`` (how many source documents state agreements) and ``by_source``
    (one ``{"source", "title", "agreements"}`` per source document, most first)."""
    by_kind: dict[str, int] = {}
    parties = {"Country": 0, "EconomicUnion": 0}
    by_source = []
    for row in store.select(named_query("coverage")):
        facet, key, n = row["facet"].value, row["key"].value, int(row["n"].value)
        name = key.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if facet == "kind":
            by_kind[name] = n
        elif facet == "party":
            parties[name] = int(row["parties"].value)
        else:
            by_source.append({"source": name, "title": row["title"].value if "title" in row
                              else None, "agreements": n})
    total = store.select(
        "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ckg:Agreement }")
    return {
        "agreements": int(total[0]["n"].value) if total else 0,
        "by_kind": dict(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))),
        "countries": parties["Country"],
        "unions": parties["EconomicUnion"],
        "sources": len(by_source),
        "by_source": sorted(by_source, key=lambda s: (-s["agreements"], s["source"])),
    }


def conflicts(store: GraphStore) -> list[dict[str, Any]]:
    """Single-valued facts (dates, an agency's country, a count) that loaded sources state
    with values that truly disagree; each value with the sources that state it, best first.
    Values equal at the coarser precision are one claim ("2015" and "2015-05-29"): the
    coarser value's sources are listed under the finer value, each with the value it states
    (``stated``)."""
    sources = source_index(store)
    claims: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    rejected = rejected_claims(store)
    for row in store.select(named_query("conflicts")):
        if (row["s"].value, row["g"].value) in rejected:
            continue  # a claim a review rejected (or corrected) no longer disagrees
        key = (row["s"].value, row["p"].value)
        value = row["o"].value
        claim = next((c for c in claims[key] if c.value == value), None)
        if claim is None:
            claim = Claim(value)
            claims[key].append(claim)
        source = sources.get(row["g"].value)
        if source is not None and source not in claim.sources:
            claim.sources.append(source)
    found = []
    for (subject, prop), values in claims.items():
        settled = settle_claims(values)
        if len(settled) > 1:
            found.append((subject, prop, settled))
    names = labels(store, [s for s, _, _ in found])
    return [{
        "iri": subject,
        "label": names.get(subject, subject),
        "field": FIELD_NAMES.get(prop, prop),
        "property": prop,
        "values": [c.values_dict() for c in values],
    } for subject, prop, values in sorted(found, key=lambda f: (names.get(f[0], ""), f[1]))]


__all__ = ["search_entities", "graph_stats", "agreement_coverage", "conflicts", "NamedNode"]
