"""The projection: the nodes and relationships an RDF store maps to (``graph.neo4j.mapping``),
read with a few batched SPARQL queries, for the whole store or for some subjects; and the
derived ``PARTNER_OF`` relationships, the edges of the partner networks of ``graph.network``
under the default ``PartnerWeights``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pyoxigraph import NamedNode

from graph.neo4j.mapping import (
    CLASS_LABELS,
    LINKS,
    MAPPING_VERSION,
    PARTNER_OF,
    PROPERTIES,
    REIFIED,
    RESOURCE,
    PropertyBag,
)
from graph.network import DEFAULT_WEIGHTS, Facts, collector_paused, load_facts
from graph.network import project as partner_graph
from graph.queries import values_clause
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from graph.store.loaded import loaded_sources
from ontology.vocab import ID

PROJECTION_VERSION = f"{MAPPING_VERSION}; partner weights {DEFAULT_WEIGHTS.spec()}"
"""What a mirror is synced with: the mapping's version and the weights ``PARTNER_OF`` is computed
with. A mirror synced with another is rebuilt, so a change of either never leaves stale
relationships."""
# -- projection -------------------------------------------------------------------------------
@dataclass
class NodeRow:
    uri: str
    labels: tuple[str, ...]
    props: dict[str, Any]


@dataclass
class RelRow:
    type: str
    start: str
    end: str
    props: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.type, self.start, self.end, self.props["uri"])


@dataclass
class Projection:
    """The property graph the RDF store projects to (or a part of it)."""

    nodes: dict[str, NodeRow] = field(default_factory=dict)
    rels: list[RelRow] = field(default_factory=list)

    def label_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for node in self.nodes.values():
            for label in node.labels:
                counts[label] += 1
        return dict(counts)

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for rel in self.rels:
            counts[rel.type] += 1
        return dict(counts)


_VALUES_LIMIT = 1000  # IRIs per VALUES block when the projection is limited to some subjects


def _iri_values(name: str, iris: Iterable[str]) -> str:
    return values_clause(name, (NamedNode(i) for i in iris))


# Each query has a #VALUES marker at the start of its group, where _Reader.rows puts what binds
# it (VALUES blocks, or a block of subjects and FILTER … IN for the rest).
TYPES_QUERY = """
SELECT ?s ?c ?g WHERE { #VALUES
  GRAPH ?g { ?s a ?c } FILTER isIRI(?s) }
"""
PROPERTIES_QUERY = """
SELECT ?s ?p ?o ?g WHERE { #VALUES
  GRAPH ?g { ?s ?p ?o } FILTER isIRI(?s) }
"""
LINKS_QUERY = """
SELECT ?s ?p ?o ?g WHERE { #VALUES
  GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s) && isIRI(?o)) }
"""
REIFIED_QUERY = """
SELECT ?s ?p ?o ?g WHERE { #VALUES
  ?s a ?c . GRAPH ?g { ?s ?p ?o } }
"""
INCOMING_REIFIED_QUERY = """
SELECT DISTINCT ?s WHERE { #VALUES
  ?s a ?c ; ?p ?o }
"""
SUBJECTS_QUERY = """
SELECT DISTINCT ?s WHERE { #VALUES
  GRAPH ?g { ?s ?p ?o } FILTER isIRI(?s) }
"""


def graph_paths(store: GraphStore) -> dict[str, str]:
    """Named graph IRI → path of the loaded file it holds (only complete loads)."""
    return {s.graph: s.path for s in loaded_sources(store)}


class _Reader:
    """Runs the projection's SPARQL queries: one query per kind of row and batch of subjects
    (never one per node), keeping only rows from loaded files' graphs, less the statements of
    rejected claims (``rejected``: (subject, graph) pairs)."""

    def __init__(self, store: GraphStore, paths: Mapping[str, str],
                 rejected: set[tuple[str, str]] | None = None) -> None:
        self.store = store
        self.paths = paths
        self.rejected = rejected or set()

    def path(self, row: Any) -> str | None:
        """The loaded file a row's statement comes from; None when it is not a loaded file's
        or a review rejected the claim."""
        graph = row["g"].value
        if self.rejected and (row["s"].value, graph) in self.rejected:
            return None
        return self.paths.get(graph)

    def rows(self, query: str, values: Mapping[str, Iterable[str]],
             subjects: list[str] | None, subject_var: str = "s") -> Iterator[dict[str, Any]]:
        """Rows of ``query`` with each variable of ``values`` bound to those IRIs, over the
        whole store or for ``subjects`` (bound to ``subject_var``) in batches.

        With ``subjects``, they are the one VALUES block and the rest ``FILTER … IN``:
        Oxigraph joins two blocks (subjects and predicates) slowly (9 s for 1,000 subjects and
        4 predicates at 1M triples, against 0.07 s this way).
        """
        if subjects is None:
            blocks = "".join(_iri_values(name, iris) for name, iris in values.items())
            yield from self.store.select(query.replace("#VALUES", blocks))
            return
        filters = "".join(
            f"\nFILTER (?{name} IN ({', '.join(str(NamedNode(i)) for i in iris)}))\n"
            for name, iris in values.items())
        for i in range(0, len(subjects), _VALUES_LIMIT):
            blocks = _iri_values(subject_var, subjects[i:i + _VALUES_LIMIT]) + filters
            yield from self.store.select(query.replace("#VALUES", blocks))


def project(store: GraphStore, subjects: Iterable[str] | None = None, *,
            paths: Mapping[str, str] | None = None, properties: bool = True,
            rejected: set[tuple[str, str]] | None = None) -> Projection:
    """The nodes and relationships the store projects to: all of them, or only the nodes among
    ``subjects`` and the relationships those subjects' statements make (``RelRow.props['uri']``
    in ``subjects``). Without ``properties``, nodes carry only ``uri`` and ``sources`` (enough
    to count them). The statements of the extracted claims a loaded review rejects
    (``rejected``, by default ``graph.queries.review.rejected_claims``) are left out: an item
    only they state is no node."""
    paths = graph_paths(store) if paths is None else paths
    rejected = rejected_claims(store) if rejected is None else rejected
    reader = _Reader(store, paths, rejected)
    wanted = None if subjects is None else sorted(set(subjects))
    projection = Projection()

    labels: dict[str, set[str]] = defaultdict(set)
    bags: dict[str, PropertyBag] = defaultdict(PropertyBag)
    sources: dict[str, set[str]] = defaultdict(set)
    for row in reader.rows(TYPES_QUERY, {"c": CLASS_LABELS}, wanted):
        path = reader.path(row)
        if path is None:
            continue
        s = row["s"].value
        labels[s].update(CLASS_LABELS[row["c"].value])
        sources[s].add(path)
    for row in reader.rows(PROPERTIES_QUERY, {"p": PROPERTIES}, wanted) if properties else ():
        path = reader.path(row)
        s = row["s"].value
        if path is None or s not in labels:
            continue
        bags[s].add(PROPERTIES[row["p"].value], row["o"])
        sources[s].add(path)

    link_rows: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for row in reader.rows(LINKS_QUERY, {"p": LINKS}, wanted):
        path = reader.path(row)
        s = row["s"].value
        if path is None or s not in labels:
            continue
        sources[s].add(path)
        link = LINKS[row["p"].value]
        o = row["o"].value
        start, end = (o, s) if link.reverse else (s, o)
        link_rows[(link.type, start, end, s)].add(path)

    reified = _read_reified(reader, wanted)
    for uri, node_labels in labels.items():
        props = bags[uri].properties() if uri in bags else {}
        props["uri"] = uri
        found = sources[uri]
        props["sources"] = list(found) if len(found) == 1 else sorted(found)
        projection.nodes[uri] = NodeRow(uri, tuple(sorted({RESOURCE, *node_labels})), props)

    # Relationships need both ends to be nodes: look up the types of ends outside the subjects.
    ends = {k[1] for k in link_rows} | {k[2] for k in link_rows}
    ends |= {e for rel in reified for e in (rel.start, rel.end)}
    known = set(projection.nodes) | (set(wanted) if wanted is not None else set())
    is_node = set(projection.nodes)
    if wanted is not None:
        is_node |= node_uris(store, sorted(ends - known), paths)
    for (rel_type, start, end, owner), rel_sources in link_rows.items():
        if start in is_node and end in is_node:
            projection.rels.append(RelRow(rel_type, start, end, {
                "uri": owner,
                "sources": list(rel_sources) if len(rel_sources) == 1 else sorted(rel_sources)}))
    projection.rels += [r for r in reified if r.start in is_node and r.end in is_node]
    return projection


def node_uris(store: GraphStore, uris: list[str], paths: Mapping[str, str]) -> set[str]:
    """Which of ``uris`` are nodes (have a mapped class in a loaded file's graph)."""
    reader = _Reader(store, paths)
    return {row["s"].value for row in reader.rows(TYPES_QUERY, {"c": CLASS_LABELS}, uris)
            if row["g"].value in paths}


def _read_reified(reader: _Reader, wanted: list[str] | None) -> list[RelRow]:
    rels: list[RelRow] = []
    for kind in REIFIED:
        predicates = [kind.start, kind.end, *kind.properties]
        starts: dict[str, set[str]] = defaultdict(set)
        ends: dict[str, set[str]] = defaultdict(set)
        bags: dict[str, PropertyBag] = defaultdict(PropertyBag)
        sources: dict[str, set[str]] = defaultdict(set)
        for row in reader.rows(REIFIED_QUERY, {"c": [kind.rdf_class], "p": predicates}, wanted):
            path = reader.paths.get(row["g"].value)
            if path is None:
                continue
            s, p, o = row["s"].value, row["p"].value, row["o"]
            sources[s].add(path)
            if p == kind.start and isinstance(o, NamedNode):
                starts[s].add(o.value)
            elif p == kind.end and isinstance(o, NamedNode):
                ends[s].add(o.value)
            elif p in kind.properties:
                bags[s].add(kind.properties[p], o)
        for uri in sorted(starts):
            props = bags[uri].properties() if uri in bags else {}
            props["uri"] = uri
            props["sources"] = sorted(sources[uri])
            for start in sorted(starts[uri]):
                for end in sorted(ends.get(uri, ())):
                    rels.append(RelRow(kind.type, start, end, dict(props)))
    return rels


def subjects_in_graphs(store: GraphStore, graphs: Iterable[str]) -> set[str]:
    """Every IRI that is the subject of a statement in one of ``graphs``."""
    graphs = sorted(graphs)
    found: set[str] = set()
    for i in range(0, len(graphs), _VALUES_LIMIT):
        query = SUBJECTS_QUERY.replace("#VALUES", _iri_values("g", graphs[i:i + _VALUES_LIMIT]))
        found.update(row["s"].value for row in store.select(query))
    return found


def incoming(store: GraphStore, targets: Iterable[str], exclude_owners: set[str], *,
             paths: Mapping[str, str]) -> list[RelRow]:
    """Relationships ending at (or starting from) the nodes ``targets`` that statements of other
    resources make, except those of ``exclude_owners``: what a node that has just appeared must
    be linked to."""
    targets = sorted(set(targets))
    if not targets:
        return []
    reader = _Reader(store, paths)
    owners: set[str] = set()
    for row in reader.rows(LINKS_QUERY, {"p": LINKS}, targets, subject_var="o"):
        if row["g"].value in paths:
            owners.add(row["s"].value)
    for kind in REIFIED:
        for row in reader.rows(INCOMING_REIFIED_QUERY,
                               {"c": [kind.rdf_class], "p": [kind.start, kind.end]},
                               targets, subject_var="o"):
            owners.add(row["s"].value)
    owners -= exclude_owners
    if not owners:
        return []
    target_set = set(targets)
    part = project(store, owners, paths=paths)
    return [rel for rel in part.rels
            if rel.props["uri"] in owners and (rel.start in target_set or rel.end in target_set)]


# -- partner networks -------------------------------------------------------------------------
PARTNER_LEVELS = ("country", "agency")
ITEM_LABELS = ("Agreement", "Event")
ORGANISATION_LABELS = ("Country", "Agency", "Union", "InternationalOrganisation")
INVOLVEMENT_TYPES = ("PARTY_TO", "IMPLEMENTS", "PARTICIPATED_IN", "HOSTED")
"""Relationships (organisation → agreement or event) that partnerships are made of."""


def kind_of(labels: Iterable[str]) -> str | None:
    """``item`` (agreement, event), ``organisation`` or None, for a node with ``labels``."""
    labels = set(labels)
    if labels.intersection(ITEM_LABELS):
        return "item"
    if labels.intersection(ORGANISATION_LABELS):
        return "organisation"
    return None


@dataclass(frozen=True)
class PartnerEdge:
    level: str
    a: str
    b: str
    data: dict[str, Any]

    @property
    def evidence(self) -> list[str]:
        return [ref["iri"] for ref in (*self.data["agreements"], *self.data["events"])]


def partner_edges(facts: Facts, around: set[str] | None = None) -> list[PartnerEdge]:
    """The partner networks of ``graph.network`` (the ``customs-kg partners`` and ``network``
    commands) at both levels, under the default weights (``DEFAULT_WEIGHTS``): all their
    edges, or those of the organisations ``around``."""
    edges: list[PartnerEdge] = []
    for level in PARTNER_LEVELS:
        with collector_paused():
            graph = partner_graph(facts, level, around=around, weights=DEFAULT_WEIGHTS)
        for a, b, data in graph.edges(data=True):
            a, b = sorted((a, b))
            edges.append(PartnerEdge(level, a, b, data))
    return sorted(edges, key=lambda e: (e.level, e.a, e.b))


def partner_rows(edges: Iterable[PartnerEdge],
                 sources: Mapping[str, Sequence[str]]) -> list[RelRow]:
    """``PARTNER_OF`` relationships from partner-network edges: one per pair and level, from the
    lower ``uri`` to the higher (query it undirected, ``-[:PARTNER_OF]-``), with ``level``
    (``country``/``agency``), ``agreements`` and ``events`` (how many shared), ``weight``
    (under the default ``PartnerWeights``: a binding agreement 5, another agreement 3, an event
    1, an event summary its events but at most 3),
    ``first_year``/``last_year``, ``basis`` and ``confidence`` (how sure it is: curated or
    reference if a curated or reference item is among its evidence, else extracted with the
    best confidence, see ``graph.network.summed_certainty``), ``uri`` and ``sources`` (the
    files stating its agreements and events). ``sources`` maps every node to its files: edges
    whose ends are not both nodes are left out."""
    rows: list[RelRow] = []
    for edge in edges:
        if edge.a not in sources or edge.b not in sources:
            continue
        files: set[str] = set()
        for item in edge.evidence:
            files.update(sources.get(item, ()))
        data = edge.data
        props: dict[str, Any] = {
            "uri": partnership_uri(edge.level, edge.a, edge.b), "level": edge.level,
            "agreements": data["agreement_count"], "events": data["event_count"],
            "weight": data["weight"], "sources": sorted(files), "basis": data["basis"],
        }
        if data.get("confidence") is not None:
            props["confidence"] = data["confidence"]
        if data["first_year"] is not None:
            props["first_year"], props["last_year"] = data["first_year"], data["last_year"]
        rows.append(RelRow(PARTNER_OF, edge.a, edge.b, props))
    return rows


def partnership_uri(level: str, a: str, b: str) -> str:
    """A stable IRI naming the partnership of ``a`` and ``b`` (not an RDF resource):
    ``id:partnership/country/RU--VN``."""

    def local(uri: str) -> str:
        if uri.startswith(str(ID)):
            return uri[len(str(ID)):].split("/", 1)[-1]
        return quote(uri, safe="")

    return f"{ID}partnership/{level}/{local(a)}--{local(b)}"


def add_certainty(projection: Projection, facts: Facts) -> None:
    """Put on every agreement and event node how sure it is, as ``links`` and ``partners`` tell
    it (``graph.network.ItemFacts.certainty``): ``basis`` (curated, reference or extracted),
    ``confidence`` (an extracted item's best; absent otherwise) and ``headlineOnly``."""
    for uri, node in projection.nodes.items():
        if kind_of(node.labels) != "item":
            continue
        item = facts.items.get(uri)
        if item is None:
            continue
        node.props["basis"] = item.basis
        node.props["headlineOnly"] = item.headline_only
        if item.confidence is not None:
            node.props["confidence"] = item.confidence


def project_all(store: GraphStore, *, progress: Callable[[str], None] | None = None,
                properties: bool = True) -> Projection:
    """The whole projection, ``PARTNER_OF`` included (without ``properties``, see
    :func:`project`), agreements and events with their certainty (``add_certainty``)."""
    if progress:
        progress("reading the RDF store")
    projection = project(store, properties=properties)
    if progress:
        progress("computing partners")
    facts = load_facts(store)
    if properties:
        add_certainty(projection, facts)
    sources = {uri: node.props["sources"] for uri, node in projection.nodes.items()}
    projection.rels += partner_rows(partner_edges(facts), sources)
    return projection
