"""How the RDF graph reads as a Neo4j property graph: the mapping, declared once, and the
projection that applies it to a store.

The mapping (``CLASS_LABELS``, ``PROPERTIES``, ``LINKS``, ``REIFIED``) is the whole contract:

* a resource with a class in ``CLASS_LABELS`` becomes a node labelled ``:Resource`` plus the
  class's labels (``ckg:CustomsAdministration`` → ``:Resource:Agency:CustomsAdministration``);
  other resources (memberships, loaded files, OWL-Time instants) are not nodes;
* a predicate in ``PROPERTIES`` becomes a node property: complete ``xsd:date`` values as Neo4j
  dates, partial ones (``xsd:gYear``, ``xsd:gYearMonth``) as their text with ``<name>_precision``
  ``year``/``month``; numbers and booleans as such; language-tagged text under ``<name>_<lang>``
  (``name_vi``; a single-valued property stated only with tags also gets its plain name, in
  English if there is one); multi-valued properties always as sorted lists; a single-valued
  property that the sources state differently keeps the lowest value, lists every value as
  text in ``<name>_values`` and is named in the node's ``conflicts`` list (never silently
  overwritten);
* a predicate in ``LINKS`` becomes a relationship between two nodes, in the direction that reads
  naturally (``ckg:party`` on an agreement → ``(party)-[:PARTY_TO]->(agreement)``);
* a class in ``REIFIED`` (``org:Membership``) becomes one relationship with properties
  (``(country)-[:MEMBER_OF {since, until}]->(union)``);
* every node carries ``uri`` and ``sources`` (the paths of the loaded files that state something
  about it as a subject); every relationship carries ``uri`` (the IRI of the RDF resource whose
  statement it mirrors: the agreement for ``PARTY_TO``, the membership for ``MEMBER_OF``) and
  ``sources`` (the files stating it).

``PARTNER_OF`` relationships are derived, not mapped: they are the edges of the partner
networks of ``graph.network`` (what ``customs-kg partners`` and ``network`` answer), at the
country and the agency level; see :func:`partner_rows`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

from graph.network import Facts, collector_paused, load_facts
from graph.network import project as partner_graph
from graph.queries import values_clause
from graph.store import GraphStore
from graph.store.loaded import loaded_sources
from ontology.vocab import CKG, DCTERMS, ID, ORG, PROV, RDFS, SCHEMA, SKOS, XSD

MAPPING_VERSION = "1"
"""Bumped whenever the mapping changes: a mirror synced with another version is rebuilt."""

RESOURCE = "Resource"
"""The label every mirrored node has; ``uri`` is unique under it."""
PARTNER_OF = "PARTNER_OF"

# -- the mapping ------------------------------------------------------------------------------
CLASS_LABELS: dict[str, tuple[str, ...]] = {
    str(CKG.Country): ("Country",),
    str(CKG.EconomicUnion): ("Union",),
    str(CKG.InternationalOrganisation): ("InternationalOrganisation",),
    str(CKG.Agency): ("Agency",),
    str(CKG.CustomsAdministration): ("Agency", "CustomsAdministration"),
    str(CKG.RegionalCustomsUnit): ("Agency", "CustomsAdministration", "RegionalCustomsUnit"),
    str(CKG.Ministry): ("Agency", "Ministry"),
    str(CKG.GovernmentBody): ("Agency", "GovernmentBody"),
    str(CKG.Agreement): ("Agreement",),
    str(CKG.MutualAssistanceAgreement): ("Agreement", "MutualAssistanceAgreement"),
    str(CKG.FreeTradeAgreement): ("Agreement", "FreeTradeAgreement"),
    str(CKG.CooperationPlan): ("Agreement", "CooperationPlan"),
    str(CKG.MemorandumOfUnderstanding): ("Agreement", "MemorandumOfUnderstanding"),
    str(CKG.MutualRecognitionArrangement): ("Agreement", "MutualRecognitionArrangement"),
    str(CKG.Protocol): ("Agreement", "Protocol"),
    str(CKG.Minutes): ("Agreement", "Protocol", "Minutes"),
    str(CKG.Event): ("Event",),
    str(CKG.Talks): ("Event", "Talks"),
    str(CKG.WorkingMeeting): ("Event", "WorkingMeeting"),
    str(CKG.Forum): ("Event", "Forum"),
    str(CKG.Visit): ("Event", "Visit"),
    str(CKG.Signing): ("Event", "Signing"),
    str(CKG.Training): ("Event", "Training"),
    str(CKG.DataExchange): ("Event", "DataExchange"),
    str(CKG.EventSummary): ("Event", "EventSummary"),
    str(SCHEMA.Person): ("Person",),
    str(ORG.Post): ("Post",),
    str(SCHEMA.Place): ("Place",),
    str(SKOS.Concept): ("Topic",),
    str(CKG.SourceDocument): ("Source",),
}
"""RDF class → node labels (superclasses written out: no inference needed)."""


@dataclass(frozen=True)
class Property:
    """How a predicate's values become one node property."""

    name: str
    many: bool = False
    """Always a list (aliases, notes); else one value, conflicts kept beside it."""
    iri: str = "never"
    """What an IRI value becomes: ``never`` (ignored), ``local`` (its last path segment, as for
    ``id:kind/agreement/free-trade`` → ``free-trade``) or ``text`` (the IRI itself)."""


PROPERTIES: dict[str, Property] = {
    str(SKOS.prefLabel): Property("name"),
    str(SCHEMA.name): Property("name"),
    str(SKOS.altLabel): Property("aliases", many=True),
    str(SKOS.hiddenLabel): Property("hidden_labels", many=True),
    str(DCTERMS.identifier): Property("id"),
    str(DCTERMS.title): Property("title"),
    str(RDFS.comment): Property("notes", many=True),
    str(SCHEMA.url): Property("url", many=True),
    str(CKG.isoAlpha2): Property("iso"),
    str(CKG.isoAlpha3): Property("iso3"),
    str(CKG.isoNumeric): Property("iso_numeric"),
    str(CKG.kind): Property("kind", iri="local"),
    str(CKG.status): Property("status", iri="local"),
    str(CKG.signingDate): Property("signed"),
    str(CKG.entryIntoForceDate): Property("in_force"),
    str(CKG.validFrom): Property("valid_from"),
    str(CKG.validUntil): Property("valid_until"),
    str(SCHEMA.startDate): Property("start_date"),
    str(SCHEMA.endDate): Property("end_date"),
    str(CKG.dateText): Property("date_text"),
    str(CKG.outcomeNote): Property("outcome_notes", many=True),
    str(CKG.planned): Property("planned"),
    str(CKG.cameoCode): Property("cameo_code"),
    str(CKG.eventCount): Property("event_count"),
    str(CKG.reliability): Property("reliability"),
    str(DCTERMS.publisher): Property("publisher", iri="text"),
    str(DCTERMS.issued): Property("issued"),
    str(SCHEMA.roleName): Property("role"),
}
"""Predicate → node property."""


@dataclass(frozen=True)
class Link:
    """How a predicate between two resources becomes a relationship."""

    type: str
    reverse: bool = False
    """``(object)-[:TYPE]->(subject)`` instead of ``(subject)-[:TYPE]->(object)``."""


LINKS: dict[str, Link] = {
    str(CKG.country): Link("IN_COUNTRY"),  # agency → its country
    str(ORG.subOrganizationOf): Link("PART_OF"),  # unit → parent agency
    str(SCHEMA.superEvent): Link("PART_OF"),  # event → the summary it is counted in
    str(CKG.nationalCustomsAdministration): Link("NATIONAL_CUSTOMS"),  # country → agency
    str(CKG.party): Link("PARTY_TO", reverse=True),  # party → agreement
    str(CKG.implementedBy): Link("IMPLEMENTS", reverse=True),  # agency → agreement
    str(CKG.participant): Link("PARTICIPATED_IN", reverse=True),  # organisation → event
    str(SCHEMA.organizer): Link("HOSTED", reverse=True),  # host → event
    str(SCHEMA.attendee): Link("ATTENDED", reverse=True),  # person → event
    str(CKG.outcome): Link("PRODUCED"),  # event → agreement signed there
    str(SCHEMA.about): Link("ABOUT"),  # event or agreement → topic
    str(SCHEMA.location): Link("HELD_IN"),  # event or agreement → place or country
    str(SCHEMA.containedInPlace): Link("LOCATED_IN"),  # place → country
    str(ORG.holds): Link("HOLDS"),  # person → post
    str(ORG.postIn): Link("POST_IN"),  # post → agency
    str(PROV.wasDerivedFrom): Link("DERIVED_FROM"),  # statement's subject → source document
    str(SCHEMA.mentions): Link("MENTIONS"),  # source document → what it mentions
}
"""Predicate → relationship. Not mirrored (their content is there another way):
``org:memberOf`` (the memberships are), ``org:heldBy`` (``HOLDS`` is), ``skos:inScheme``,
``org:memberDuring`` and the OWL-Time resources (the membership's dates are)."""


@dataclass(frozen=True)
class Reified:
    """A class whose resources each become one relationship, not a node."""

    rdf_class: str
    type: str
    start: str
    """Predicate naming the start node."""
    end: str
    """Predicate naming the end node."""
    properties: Mapping[str, Property]


REIFIED: tuple[Reified, ...] = (
    Reified(str(ORG.Membership), "MEMBER_OF", str(ORG.member), str(ORG.organization),
            {str(SCHEMA.startDate): Property("since"), str(SCHEMA.endDate): Property("until")}),
)

NODE_LABELS: tuple[str, ...] = tuple(dict.fromkeys(
    label for labels in CLASS_LABELS.values() for label in labels))
RELATIONSHIP_TYPES: tuple[str, ...] = tuple(dict.fromkeys(
    [*(link.type for link in LINKS.values()), *(r.type for r in REIFIED), PARTNER_OF]))

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
for _name in (RESOURCE, *NODE_LABELS, *RELATIONSHIP_TYPES):
    # Labels and types are written into Cypher text (they cannot be parameters): plain names only.
    assert _NAME.fullmatch(_name), _name

# -- literals ---------------------------------------------------------------------------------
_XSD = str(XSD)
_PARTIAL_DATES = {_XSD + "gYear": "year", _XSD + "gYearMonth": "month"}
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                "positiveInteger", "negativeInteger", "nonPositiveInteger")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}


@dataclass(frozen=True)
class Value:
    """One converted literal: what Neo4j stores, its text, and its date precision if partial."""

    value: Any
    text: str
    precision: str | None = None


def convert(term: object, prop: Property) -> tuple[Value, str | None] | None:
    """A property value and its language tag from an RDF term; None for what is not mapped."""
    if isinstance(term, NamedNode):
        if prop.iri == "local":
            text = term.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            return Value(text, text), None
        if prop.iri == "text":
            return Value(term.value, term.value), None
        return None
    if not isinstance(term, Literal):
        return None
    text = term.value
    if term.language:
        return Value(text, text), term.language.lower().replace("-", "_")
    datatype = term.datatype.value
    try:
        if datatype == _XSD + "date":
            return Value(dt.date.fromisoformat(text[:10]), text[:10]), None
        if datatype in _PARTIAL_DATES:
            return Value(text, text, _PARTIAL_DATES[datatype]), None
        if datatype in _INTEGERS:
            return Value(int(text), text), None
        if datatype in _FLOATS:
            return Value(float(text), text), None
        if datatype == _XSD + "boolean":
            return Value(text.strip() in ("true", "1"), text), None
        if datatype == _XSD + "dateTime":
            return Value(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), text), None
    except ValueError:
        pass  # an ill-typed literal is kept as its text
    return Value(text, text), None


class PropertyBag:
    """The values stated for one node's (or relationship's) properties, merged by the rules
    above when :meth:`properties` is asked for."""

    __slots__ = ("values", "tagged")

    def __init__(self) -> None:
        self.values: dict[tuple[str, bool], dict[str, Value]] = {}
        self.tagged: dict[str, dict[str, Value]] = {}

    def add(self, prop: Property, term: object) -> None:
        converted = convert(term, prop)
        if converted is None:
            return
        value, language = converted
        if language:
            self.values.setdefault((f"{prop.name}_{language}", prop.many), {})[value.text] = value
            if not prop.many:
                self.tagged.setdefault(prop.name, {}).setdefault(language, value)
            return
        self.values.setdefault((prop.name, prop.many), {})[value.text] = value

    def properties(self) -> dict[str, Any]:
        # A single-valued property stated only with language tags also gets its plain name
        # (English if there is one, else the first tag), so captions and queries find it.
        for name, by_language in self.tagged.items():
            if (name, False) not in self.values:
                language = "en" if "en" in by_language else sorted(by_language)[0]
                value = by_language[language]
                self.values[(name, False)] = {value.text: value}
        props: dict[str, Any] = {}
        conflicts: list[str] = []
        for (key, many), found in sorted(self.values.items()):
            values = [found[text] for text in sorted(found)]
            if many:
                kinds = {type(v.value) for v in values}
                # Neo4j lists hold one type: mixed values (a date and a year) stay as text.
                props[key] = [v.value if len(kinds) == 1 else v.text for v in values]
                continue
            first = values[0]
            props[key] = first.value
            if first.precision:
                props[f"{key}_precision"] = first.precision
            if len(values) > 1:
                props[f"{key}_values"] = [v.text for v in values]
                conflicts.append(key)
        if conflicts:
            props["conflicts"] = conflicts
        return props


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
    (never one per node), keeping only rows from loaded files' graphs."""

    def __init__(self, store: GraphStore, paths: Mapping[str, str]) -> None:
        self.store = store
        self.paths = paths

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
            paths: Mapping[str, str] | None = None, properties: bool = True) -> Projection:
    """The nodes and relationships the store projects to: all of them, or only the nodes among
    ``subjects`` and the relationships those subjects' statements make (``RelRow.props['uri']``
    in ``subjects``). Without ``properties``, nodes carry only ``uri`` and ``sources`` (enough
    to count them)."""
    paths = graph_paths(store) if paths is None else paths
    reader = _Reader(store, paths)
    wanted = None if subjects is None else sorted(set(subjects))
    projection = Projection()

    labels: dict[str, set[str]] = defaultdict(set)
    bags: dict[str, PropertyBag] = defaultdict(PropertyBag)
    sources: dict[str, set[str]] = defaultdict(set)
    for row in reader.rows(TYPES_QUERY, {"c": CLASS_LABELS}, wanted):
        path = paths.get(row["g"].value)
        if path is None:
            continue
        s = row["s"].value
        labels[s].update(CLASS_LABELS[row["c"].value])
        sources[s].add(path)
    for row in reader.rows(PROPERTIES_QUERY, {"p": PROPERTIES}, wanted) if properties else ():
        path = paths.get(row["g"].value)
        s = row["s"].value
        if path is None or s not in labels:
            continue
        bags[s].add(PROPERTIES[row["p"].value], row["o"])
        sources[s].add(path)

    link_rows: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for row in reader.rows(LINKS_QUERY, {"p": LINKS}, wanted):
        path = paths.get(row["g"].value)
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
    commands) at both levels: all their edges, or those of the organisations ``around``."""
    edges: list[PartnerEdge] = []
    for level in PARTNER_LEVELS:
        with collector_paused():
            graph = partner_graph(facts, level, around=around)
        for a, b, data in graph.edges(data=True):
            a, b = sorted((a, b))
            edges.append(PartnerEdge(level, a, b, data))
    return sorted(edges, key=lambda e: (e.level, e.a, e.b))


def partner_rows(edges: Iterable[PartnerEdge],
                 sources: Mapping[str, Sequence[str]]) -> list[RelRow]:
    """``PARTNER_OF`` relationships from partner-network edges: one per pair and level, from the
    lower ``uri`` to the higher (query it undirected, ``-[:PARTNER_OF]-``), with ``level``
    (``country``/``agency``), ``agreements`` and ``events`` (how many shared), ``weight``
    (agreements plus events, an event summary counting as the events it stands for),
    ``first_year``/``last_year``, ``uri`` and ``sources`` (the files stating its agreements and
    events). ``sources`` maps every node to its files: edges whose ends are not both nodes are
    left out."""
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
            "weight": data["weight"], "sources": sorted(files),
        }
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


def project_all(store: GraphStore, *, progress: Callable[[str], None] | None = None,
                properties: bool = True) -> Projection:
    """The whole projection, ``PARTNER_OF`` included (without ``properties``, see
    :func:`project`)."""
    if progress:
        progress("reading the RDF store")
    projection = project(store, properties=properties)
    if progress:
        progress("computing partners")
    sources = {uri: node.props["sources"] for uri, node in projection.nodes.items()}
    projection.rels += partner_rows(partner_edges(load_facts(store)), sources)
    return projection
