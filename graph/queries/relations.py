"""The analysts' questions: which agreements and events link two entities (and through what),
and what an entity did over time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from graph.queries import bind_clause, named_query, values_clause
from graph.queries.item_index import BODIES, UNDER, ItemIndex, item_index, kept_index
from graph.queries.items import (
    ORDER_PREDICATES,
    Item,
    describe_items,
    entity_names,
    item_as_dict,
    labels,
    source_index,
)
from graph.queries.order_cache import END_FIELDS, START_FIELDS, Ordered
from graph.queries.paging import Page, Paging, answer_key, in_answer_order, page_of
from graph.queries.period import bounds, candidates_pattern, overlaps
from graph.store import GraphStore
from ontology.dates import parse_date
from ontology.vocab import ID, RDF

ROLES = "ckg:party|ckg:implementedBy|ckg:participant"
COUNTRY_PREFIX = str(ID) + "country/"


RANK = {"self": 0, "part": 1, "executive": 1, "collective": 2, "parent": 2, "member": 3}
"""How closely a scope node stands for its entity: the closest explains an answer."""


@dataclass(frozen=True)
class ScopeNode:
    """An entity that stands for another in a relationship, and the explanation why."""

    iri: str
    rel: str  # self | part | parent | member | executive | collective
    via: str | None = None
    since: str | None = None
    until: str | None = None


def scope(store: GraphStore, entity: NamedNode,
          index: ItemIndex | None = None) -> dict[str, ScopeNode]:
    """``entity`` itself, its agencies and units, the organisations it belongs to, the
    unions it (or its country) is a member of, and a union's executive and collective
    bodies. With ``index``, the agencies and units are found there."""
    rank = RANK

    def preference(node: ScopeNode) -> tuple:
        # The closest relation; among equals the most direct (via the entity itself), then the
        # first by IRI and date, so the answer does not depend on the order of the rows.
        return (rank[node.rel], node.via != entity.value, node.via or "", node.since or "",
                node.until or "")

    found: dict[str, ScopeNode] = {entity.value: ScopeNode(entity.value, "self")}
    values = values_clause("x", [entity])
    if index is not None:
        parts = [ScopeNode(node, "part", via) for node in index.below(entity.value)
                 for via in index.parents(node)]
    else:
        parts = [ScopeNode(node.value, "part", via.value if via is not None else None)
                 for node, via in store.select_rows(
                     named_query("scope_parts").replace("#VALUES", values))]
    rows = store.select(named_query("scope").replace("#VALUES", bind_clause("x", entity)))
    for node in parts + [ScopeNode(row["node"].value, row["rel"].value,
                                   row["via"].value if "via" in row else None,
                                   row["since"].value if "since" in row else None,
                                   row["until"].value if "until" in row else None)
                         for row in rows]:
        known = found.get(node.iri)
        if known is None or preference(node) < preference(known):
            found[node.iri] = node
    return found


def _is_country(iri: str | None) -> bool:
    return bool(iri) and iri.startswith(COUNTRY_PREFIX)


def _explain(node: ScopeNode, entity: str, names: dict[str, str]) -> str | None:
    """Why ``node`` stands for ``entity``, in words; None when it is the entity itself."""
    name, subject = names.get(node.iri, node.iri), names.get(entity, entity)
    if node.rel == "self":
        return None
    if node.rel == "part":
        relation = "an agency of" if _is_country(entity) and node.via == entity else "part of"
        return f"{name} is {relation} {subject}"
    if node.rel == "parent":
        relation = "an agency of" if _is_country(node.iri) else "part of"
        return f"{subject} is {relation} {name}"
    if node.rel == "executive":
        return f"{name} is the executive body of the {subject}"
    if node.rel == "collective":
        return f"{name} is a collective body of the member states of the {subject}"
    member = names.get(node.via or "", node.via or "")
    period = f" (since {node.since})" if node.since else ""
    if node.until:
        period = f" ({node.since or '…'} – {node.until})"
    return f"{member} is a member of the {name}{period}"


def _member_then(node: ScopeNode, item: Item | Ordered) -> bool:
    """A membership counts for an item dated while it lasted (or undated)."""
    if node.rel != "member" or not item.date:
        return True
    date = parse_date(item.date)
    if node.until and parse_date(node.until).latest < date.earliest:
        return False
    return True


INDEXED_FROM = 500
"""An entity of this many direct units (agencies, units, bodies) on, or scopes of this many
nodes on (both ends of a link, a timeline's entities), finds its units and items in the kept
index (``graph.queries.item_index``) rather than in SPARQL: a hub's hundreds of thousands of
rows cost seconds there. A process that has read the index already answers every question
from it (reading it costs ~0.3 s at 10M triples, more than a small question in SPARQL)."""

UNITS_QUERY = f"SELECT (COUNT(*) AS ?n) WHERE {{ #VALUES ?node {UNDER}|{BODIES} ?x }}"


def hub_index(store: GraphStore, entity: NamedNode, kept: ItemIndex | None) -> ItemIndex | None:
    """The index to find ``entity``'s units and items in: ``kept`` (read by this process
    already), else the kept index when ``entity`` has ``INDEXED_FROM`` or more direct units
    (counted in SPARQL), else None."""
    if kept is not None:
        return kept
    query = UNITS_QUERY.replace("#VALUES", values_clause("x", [entity]))
    units = next(iter(store.select_rows(query)))[0]
    if units is None or int(units.value) < INDEXED_FROM:
        return None
    return item_index(store)


def _link_matches(store: GraphStore, scope_a: dict[str, ScopeNode],
                  scope_b: dict[str, ScopeNode],
                  index: ItemIndex | None) -> dict[str, list[tuple[str, str]]]:
    """Each item one node of each scope (two different nodes) is party, implementer or
    participant of, with those pairs of nodes (found in ``index``, or for large scopes in the
    kept index, else in SPARQL)."""
    if index is None and len(scope_a) + len(scope_b) >= INDEXED_FROM:
        index = item_index(store)
    matches: dict[str, list[tuple[str, str]]] = {}
    if index is not None:
        side_a, side_b = index.postings("roles", scope_a), index.postings("roles", scope_b)
        common = set().union(*side_a.values()) & set().union(*side_b.values())
        nodes_a: dict[int, list[str]] = {}
        nodes_b: dict[int, list[str]] = {}
        for side, nodes in ((side_a, nodes_a), (side_b, nodes_b)):
            for node, numbers in side.items():  # each node once a side
                for number in common.intersection(numbers):
                    known = nodes.get(number)
                    if known is None:
                        nodes[number] = [node]
                    else:
                        known.append(node)
        for number in common:
            pairs = [(pa, pb) for pa in nodes_a[number] for pb in nodes_b[number] if pa != pb]
            if pairs:
                matches[index.iri(number)] = pairs
        return matches
    # Each side's items in a subquery of its own, then joined on ?item: with both VALUES blocks
    # in one pattern Oxigraph tries every (?pa, ?pb) pair first (1.2 s instead of 0.1 s for
    # two countries with hundreds of agencies each, at 1M triples).
    query = ("SELECT DISTINCT ?item ?pa ?pb WHERE {\n"
             + "  { SELECT DISTINCT ?item ?pa WHERE {"
             + values_clause("pa", map(NamedNode, scope_a)) + f"?item {ROLES} ?pa }} }}\n"
             + "  { SELECT DISTINCT ?item ?pb WHERE {"
             + values_clause("pb", map(NamedNode, scope_b)) + f"?item {ROLES} ?pb }} }}\n"
             + "  FILTER(?pa != ?pb)\n}")
    for item, pa, pb in store.select_rows(query):  # tuples: tens of thousands for a hub
        matches.setdefault(item.value, []).append((pa.value, pb.value))
    return matches


def links_between(store: GraphStore, a: NamedNode, b: NamedNode,
                  types: tuple[str, ...] = ("agreement", "event"),
                  paging: Paging | None = None) -> Page:
    """Agreements and events that link ``a`` and ``b``: both (or an agency, unit, parent or
    union of each) are parties or participants. Each answer says ``via`` what, if not
    directly; oldest first. ``paging``: which page of answers (default: all), and certainty
    filters; only the page is described in full."""
    paging = paging or Paging()
    kept = kept_index(store)
    index_a = hub_index(store, a, kept)
    index_b = hub_index(store, b, index_a)
    scope_a, scope_b = scope(store, a, index_a), scope(store, b, index_b)
    matches = _link_matches(store, scope_a, scope_b, index_a or index_b)
    sources = source_index(store)

    def closest(item: Item | Ordered) -> tuple[str, str] | None:
        """The pair of scope nodes that explains ``item`` best (None: it is no answer)."""
        if item.type not in types:
            return None
        pairs = [(pa, pb) for pa, pb in matches[item.iri]
                 if _member_then(scope_a[pa], item) and _member_then(scope_b[pb], item)]
        return min(pairs, key=lambda p: (RANK[scope_a[p[0]].rel] + RANK[scope_b[p[1]].rel], p),
                   default=None)

    # items linked by a pair of which neither is a union the entity is a member of: answers
    # whatever their dates (a hub's thousands of items are told without weighing their pairs)
    undated = {iri for iri, pairs in matches.items()
               if any(scope_a[pa].rel != "member" and scope_b[pb].rel != "member"
                      for pa, pb in pairs)}

    def is_answer(item: Item | Ordered) -> bool:
        """``closest(item)`` is not None."""
        return item.type in types and (item.iri in undated or closest(item) is not None)

    def answers(items: dict[str, Item], iris: list[str]) -> list[dict[str, Any]]:
        pairs = {iri: closest(items[iri]) or ("", "") for iri in iris}
        # the names shown only: of the scope nodes that explain an answer (a hub's scope holds
        # thousands of agencies), not of the whole scopes
        shown = {n for pa, pb in pairs.values() if pa and pb
                 for node in (scope_a[pa], scope_b[pb]) for n in (node.iri, node.via) if n}
        names = labels(store, [a.value, b.value, *shown, *entity_names(items[i] for i in iris)])
        found = []
        for iri in iris:
            item = items[iri]
            pa, pb = pairs[iri]
            via = [e for e in (_explain(scope_a[pa], a.value, names),
                               _explain(scope_b[pb], b.value, names)) if e]
            item.via = via or None
            found.append(item_as_dict(item, names))
        return found

    if paging.describes_all(len(matches)):  # one description of them all
        items = describe_items(store, map(NamedNode, matches), sources)
        ordered = sorted((i for i in items.values() if closest(i)), key=answer_key)
        return page_of([i.iri for i in ordered], paging, lambda iris: answers(items, iris))

    def describe(iris: list[str]) -> list[dict[str, Any]]:
        items = describe_items(store, map(NamedNode, iris), sources)
        return answers(items, [iri for iri in iris if iri in items and closest(items[iri])])

    return page_of(in_answer_order(store, matches, sources, is_answer), paging, describe)


TIMELINE_QUERY = """
SELECT DISTINCT ?item WHERE {
  #CANDIDATES
  #NODES
}
"""
# With a period, the candidates (found from the index of date values) come first; the exact
# overlap is then told from the dates ``describe_items`` reads anyway (``period.overlaps``).


def timeline(store: GraphStore, entities: list[NamedNode], since: str | None = None,
             until: str | None = None, paging: Paging | None = None) -> Page:
    """Events and agreements of the entities (and their agencies and units; of a union, its
    executive and collective bodies and their units too; all of them with no entities), in
    time order;
    partial dates sort before the days they contain ("2019" before "2019-03-05"). With
    ``since``/``until`` (any precision), only dated items that overlap the period. ``paging``:
    which page of answers (default: all), and certainty filters; only the page is described."""
    paging = paging or Paging()
    nodes: dict[str, str] = {}
    index = kept_index(store)
    for entity in entities:
        nodes.setdefault(entity.value, entity.value)
        index = hub_index(store, entity, index)
        below = (index.below(entity.value, ("under", "bodies")) if index is not None else
                 [row["node"].value for row in store.select(named_query("descendants"),
                                                            {"x": entity})])
        for node in below:
            nodes.setdefault(node, entity.value)
    low, high = bounds(since, until)
    dated = low is not None or high is not None
    if index is None and len(nodes) >= INDEXED_FROM:
        index = item_index(store)
    if nodes and index is not None:  # a hub: its items looked up in the kept index
        numbers = index.items_of(("roles", "hosts"), nodes)
        if dated:
            numbers &= index.dated_in(low, high)
        found = [index.iri(number) for number in numbers]
    else:
        found = _timeline_items(store, nodes, low, high)
    sources = source_index(store)

    def in_period(item: Item | Ordered) -> bool:
        return not dated or overlaps(_values(item, START_FIELDS), _values(item, END_FIELDS),
                                     low, high)

    def describe(iris: list[str]) -> list[dict[str, Any]]:
        items = describe_items(store, map(NamedNode, iris), sources)
        names = labels(store, entity_names(items.values()))
        return [item_as_dict(items[iri], names) for iri in iris if iri in items]

    if paging.describes_all(len(found)):  # one description of them all
        items = describe_items(store, map(NamedNode, found), sources)
        ordered = sorted((i for i in items.values() if in_period(i)), key=answer_key)
        return page_of([i.iri for i in ordered], paging,
                       lambda iris: _as_dicts(store, items, iris))
    # A dated item has a start date: its kind (rdf:type, two or three rows an item) is not
    # needed to tell it, nor its place in time order.
    predicates = [p for p in ORDER_PREDICATES if not dated or p != str(RDF.type)]
    return page_of(in_answer_order(store, found, sources, in_period, predicates), paging,
                   describe)


def _timeline_items(store: GraphStore, nodes: dict[str, str], low: str | None,
                    high: str | None) -> list[str]:
    """The items of ``nodes`` (or every agreement and event, without nodes) that may overlap
    the period (all of them, without one), found in SPARQL."""
    dated = low is not None or high is not None
    if nodes:
        # the entities' items in a subquery of their own, then joined with the period's
        # candidates: 0.7 s instead of 1.8 s for RU's 3,731 nodes in 2019 at 10M triples
        selection = (f"  {{ SELECT DISTINCT ?item WHERE {{ ?item {ROLES}|schema:organizer ?n ."
                     + values_clause("n", map(NamedNode, nodes)) + " } }")
    elif dated:  # every dated item: the candidates are agreements and events
        selection = "  { ?item a ckg:Event } UNION { ?item a ckg:Agreement }"
    else:  # everything
        selection = "  { ?item a ckg:Event } UNION { ?item a ckg:Agreement }"
    query = (TIMELINE_QUERY
             .replace("#CANDIDATES", candidates_pattern(low, high) if dated else "")
             .replace("#NODES", selection))
    return [item.value for item, in store.select_rows(query)]


def _values(item: Item | Ordered, fields: tuple[str, ...]) -> list[str]:
    """The values an item's sources give to ``fields`` (dates, any precision)."""
    if isinstance(item, Ordered):
        return item.starts if fields == START_FIELDS else item.ends
    return [c.value for name in fields for c in item.claims.get(name, [])]


def _as_dicts(store: GraphStore, items: dict[str, Item], iris: list[str]) -> list[dict[str, Any]]:
    """Described items as answers, in the order of ``iris`` (only the names they show)."""
    names = labels(store, entity_names(items[i] for i in iris))
    return [item_as_dict(items[iri], names) for iri in iris]
