"""The analysts' questions: which agreements and events link two entities (and through what),
and what an entity did over time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode

from graph.queries import named_query, values_clause
from graph.queries.items import (
    Item,
    describe_items,
    entity_names,
    item_as_dict,
    labels,
    source_index,
)
from graph.store import GraphStore
from ontology.dates import parse_date
from ontology.vocab import ID

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


def scope(store: GraphStore, entity: NamedNode) -> dict[str, ScopeNode]:
    """``entity`` itself, its agencies and units, the organisations it belongs to, the
    unions it (or its country) is a member of, and a union's executive and collective
    bodies."""
    rank = RANK

    def preference(node: ScopeNode) -> tuple:
        # The closest relation; among equals the most direct (via the entity itself), then the
        # first by IRI and date, so the answer does not depend on the order of the rows.
        return (rank[node.rel], node.via != entity.value, node.via or "", node.since or "",
                node.until or "")

    found: dict[str, ScopeNode] = {entity.value: ScopeNode(entity.value, "self")}
    query = named_query("scope").replace("#VALUES", values_clause("x", [entity]))
    for row in store.select(query):
        node = ScopeNode(row["node"].value, row["rel"].value,
                         row["via"].value if "via" in row else None,
                         row["since"].value if "since" in row else None,
                         row["until"].value if "until" in row else None)
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


def _member_then(node: ScopeNode, item: Item) -> bool:
    """A membership counts for an item dated while it lasted (or undated)."""
    if node.rel != "member" or not item.date:
        return True
    date = parse_date(item.date)
    if node.until and parse_date(node.until).latest < date.earliest:
        return False
    return True


def links_between(store: GraphStore, a: NamedNode, b: NamedNode,
                  types: tuple[str, ...] = ("agreement", "event")) -> list[dict[str, Any]]:
    """Agreements and events that link ``a`` and ``b``: both (or an agency, unit, parent or
    union of each) are parties or participants. Each answer says ``via`` what, if not
    directly; oldest first."""
    scope_a, scope_b = scope(store, a), scope(store, b)
    # Each side's items in a subquery of its own, then joined on ?item: with both VALUES blocks
    # in one pattern Oxigraph tries every (?pa, ?pb) pair first (1.2 s instead of 0.1 s for
    # two countries with hundreds of agencies each, at 1M triples).
    query = ("SELECT DISTINCT ?item ?pa ?pb WHERE {\n"
             + "  { SELECT DISTINCT ?item ?pa WHERE {"
             + values_clause("pa", map(NamedNode, scope_a)) + f"?item {ROLES} ?pa }} }}\n"
             + "  { SELECT DISTINCT ?item ?pb WHERE {"
             + values_clause("pb", map(NamedNode, scope_b)) + f"?item {ROLES} ?pb }} }}\n"
             + "  FILTER(?pa != ?pb)\n}")
    matches: dict[str, list[tuple[str, str]]] = {}
    for row in store.select(query):
        matches.setdefault(row["item"].value, []).append((row["pa"].value, row["pb"].value))
    sources = source_index(store)
    items = describe_items(store, map(NamedNode, matches), sources)
    names = labels(store, [a.value, b.value, *scope_a, *scope_b, *entity_names(items.values())])
    answers = []
    for iri, pairs in matches.items():
        item = items.get(iri)
        if item is None or item.type not in types:
            continue
        pairs = [(pa, pb) for pa, pb in pairs
                 if _member_then(scope_a[pa], item) and _member_then(scope_b[pb], item)]
        if not pairs:
            continue
        pa, pb = min(pairs, key=lambda p: (RANK[scope_a[p[0]].rel] + RANK[scope_b[p[1]].rel],
                                           p))
        via = [e for e in (_explain(scope_a[pa], a.value, names),
                           _explain(scope_b[pb], b.value, names)) if e]
        item.via = via or None
        answers.append(item)
    answers.sort(key=lambda i: (i.date is None, i.date or "", i.label, i.iri))
    return [item_as_dict(item, names) for item in answers]


def _bound(text: str | None, upper: bool) -> str | None:
    if text is None:
        return None
    date = parse_date(text)
    return date.iso + "~" if upper else date.iso


TIMELINE_QUERY = """
SELECT DISTINCT ?item ?since ?until WHERE {
  #NODES

  #DATES
}
"""
# Overlap of an item's dates with the period: lexical forms of partial dates compare in time
# order, and "~" sorts after every digit and "-", so "2019~" is the end of 2019.
TIMELINE_DATES = """
  ?item schema:startDate|ckg:signingDate|ckg:entryIntoForceDate|ckg:validFrom ?d .
  OPTIONAL { ?item schema:endDate|ckg:validUntil ?e }
  BIND(STR(?d) AS ?lo)
  BIND(CONCAT(STR(COALESCE(?e, ?d)), "~") AS ?hi)
"""
SINCE_FILTER = "  FILTER(?hi >= ?since)\n"
UNTIL_FILTER = "  FILTER(?lo <= ?until)\n"



def timeline(store: GraphStore, entities: list[NamedNode], since: str | None = None,
             until: str | None = None) -> list[dict[str, Any]]:
    """Events and agreements of the entities (and their agencies and units; of a union, its
    executive and collective bodies and their units too; all of them with no entities), in
    time order;
    partial dates sort before the days they contain ("2019" before "2019-03-05"). With
    ``since``/``until`` (any precision), only dated items that overlap the period."""
    nodes: dict[str, str] = {}
    for entity in entities:
        nodes.setdefault(entity.value, entity.value)
        for row in store.select(named_query("descendants"), {"x": entity}):
            nodes.setdefault(row["node"].value, entity.value)
    bindings: dict[str, Any] = {}
    if since:
        bindings["since"] = Literal(_bound(since, upper=False))
    if until:
        bindings["until"] = Literal(_bound(until, upper=True))
    dates = (TIMELINE_DATES + (SINCE_FILTER if since else "") + (UNTIL_FILTER if until else "")
             if since or until else "")
    if nodes:
        selection = (values_clause("n", map(NamedNode, nodes))
                     + f"  ?item {ROLES}|schema:organizer ?n .")
    else:  # everything
        selection = "  { ?item a ckg:Event } UNION { ?item a ckg:Agreement }"
    query = TIMELINE_QUERY.replace("#DATES", dates).replace("#NODES", selection)
    found = [row["item"] for row in store.select(query, bindings)]
    items = describe_items(store, found)
    names = labels(store, [*nodes, *entity_names(items.values())])
    ordered = sorted(items.values(),
                     key=lambda i: (i.date is None, i.date or "", i.label, i.iri))
    return [item_as_dict(item, names) for item in ordered]
