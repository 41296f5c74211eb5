"""Paths: the shortest chain of cooperation between two organisations, through shared
agreements and events, parent organisations, countries, union memberships and unions' executive
and collective bodies, each step told in words. Among chains of the same length the one with
the heavier evidence wins (under the ``PartnerWeights`` given); the graph the paths run on is
kept beside an on-disk store.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
from pyoxigraph import NamedNode

from graph.network.facts import (
    BASIS_RANK,
    BODY_NOUNS,
    TOP_KINDS,
    Facts,
    ItemFacts,
    Membership,
    NetworkError,
    OrgFacts,
    collector_paused,
    load_facts,
)
from graph.network.partners import (
    ANY_CERTAINTY,
    DEFAULT_WEIGHTS,
    Certainty,
    PartnerWeights,
    Period,
    evidence,
    pairs,
)
from graph.store import GraphStore
from graph.store.cache import cached

PATH_GRAPH_VERSION = 5
"""Bumped whenever ``path_graph`` changes (or ``CACHE_VERSION``), so older caches are rebuilt.
The weights its costs were computed with are kept in the cache too, and checked."""

_EVENT_VERBS = {"talks": "held talks with", "meeting": "met", "forum": "took part in a forum with",
                "visit": "exchanged a visit with", "signing": "took part in a signing with",
                "training": "trained with", "data-exchange": "exchanged data with"}
_AGREEMENT_NOUNS = {"mutual-assistance": "a mutual assistance agreement",
                    "free-trade": "a free trade agreement",
                    "cooperation-plan": "a cooperation plan",
                    "memorandum": "a memorandum of understanding",
                    "mutual-recognition": "a mutual recognition arrangement",
                    "protocol": "a protocol", "minutes": "minutes"}


def path_graph(facts: Facts, period: Period | None = None,
               weights: PartnerWeights | None = None,
               certainty: Certainty | None = None) -> nx.Graph:
    """Organisations linked by the agreements and events they share (each as itself, for
    different countries), by their parents (``org:subOrganizationOf``), by their countries,
    by union memberships and by unions' executive and collective bodies. Every step costs about
    1; a step through shared agreements and events a little less the heavier they weigh under
    ``weights``, so that among chains of the same length the best-supported one wins. Only the
    agreements and events ``certainty`` admits link organisations."""
    period = period or Period()
    weights = weights or DEFAULT_WEIGHTS
    certainty = certainty or ANY_CERTAINTY
    edges: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for item in facts.items.values():
        if len(item.roles) < 2 or not period.admits(item) or not certainty.admits(item):
            continue
        for pair in pairs(facts, item, "path"):
            edges[pair].setdefault("items", []).append(item.iri)
    for org in facts.orgs.values():
        if org.kind in TOP_KINDS:
            continue
        for parent in ([*org.parents, org.country] if org.country else org.parents):
            if parent and parent != org.iri:
                key = (org.iri, parent) if org.iri < parent else (parent, org.iri)
                edges[key].setdefault("part", (org.iri, parent))
    for membership in facts.memberships.values():
        if membership.member and membership.union:
            if period.until and membership.since and membership.since > period.until + "~":
                continue
            if period.since and membership.until and membership.until < period.since:
                continue
            key = tuple(sorted((membership.member, membership.union)))
            edges[key].setdefault("member", membership)
    for body, (union, relation) in facts.bodies.items():
        key = (body, union) if body < union else (union, body)
        edges[key].setdefault("body", (body, union, relation))
    graph = nx.Graph()
    for (a, b), data in sorted(edges.items()):  # in order: ties break the same way each time
        items = data.get("items")
        weight = weights.total(map(facts.items.__getitem__, items)) if items else 0
        graph.add_edge(a, b, cost=1 + 0.01 / (1 + weight), **data)
    return graph


def _dump_path_graph(graph: nx.Graph) -> list[tuple]:
    """The path graph as plain data for the cache: its edges in the order ``path_graph`` adds
    them (by their ends, the lower first), which ``_load_path_graph`` keeps: the order breaks
    ties between paths."""
    rows = []
    for a, b, data in graph.edges(data=True):
        member = data.get("member")
        rows.append((*sorted((a, b)), data["cost"], data.get("items"), data.get("part"),
                     (member.member, member.union, member.since, member.until)
                     if member else None, data.get("body")))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def _load_path_graph(rows: list[tuple]) -> nx.Graph:
    """The path graph from ``_dump_path_graph``'s rows."""
    graph = nx.Graph()
    for a, b, cost, items, part, member, body in rows:
        data: dict[str, Any] = {"cost": cost}
        if items is not None:
            data["items"] = items
        if part is not None:
            data["part"] = tuple(part)
        if member is not None:
            data["member"] = Membership(*member)
        if body is not None:
            data["body"] = tuple(body)
        graph.add_edge(a, b, **data)
    return graph


def stored_path_graph(store: GraphStore, facts: Facts, period: Period,
                      weights: PartnerWeights | None = None,
                      certainty: Certainty | None = None) -> nx.Graph:
    """``path_graph`` of the store's facts; for all years and every item, kept beside an
    on-disk store between runs (``graph.store.cache``) with the weights its costs come from: a
    graph cached under other weights is built again (and replaces it)."""
    weights = weights or DEFAULT_WEIGHTS
    certainty = certainty or ANY_CERTAINTY
    if period.bounded or certainty.bounded:
        return path_graph(facts, period, weights, certainty)

    def load(data: tuple) -> nx.Graph:
        spec, rows = data
        if spec != weights.spec():
            raise ValueError(f"path graph cached with the weights {spec}")
        return _load_path_graph(rows)

    return cached(store, "path-graph", PATH_GRAPH_VERSION,
                  lambda: path_graph(facts, period, weights),
                  lambda graph: (weights.spec(), _dump_path_graph(graph)), load)


def _best(facts: Facts, iris: list[str], a: str, b: str) -> ItemFacts:
    """The item that best explains a link: an agreement both signed, then any agreement, then
    events; the surest (curated before extracted), then the latest first."""
    def rank(item: ItemFacts) -> tuple:
        signed = item.roles.get(a) == item.roles.get(b) == "party"
        return (item.type != "agreement", not signed, BASIS_RANK[item.basis],
                -(item.confidence or 0), item.count is not None,
                item.date is None, _invert(item.date or ""), item.label)

    return min((facts.items[i] for i in iris), key=rank)


def _invert(date: str) -> str:
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)


def _step(facts: Facts, graph: nx.Graph, a: str, b: str,
          weights: PartnerWeights) -> dict[str, Any]:
    data = graph.edges[a, b]
    name_a, name_b = facts.name(a), facts.name(b)
    step: dict[str, Any] = {"from": {"iri": a, "label": name_a},
                            "to": {"iri": b, "label": name_b}}
    if data.get("items"):
        found = evidence(facts, data["items"], weights=weights)
        item = _best(facts, data["items"], a, b)
        year = f" ({item.date[:4]})" if item.date else ""
        when = f" ({item.date})" if item.date else ""
        if item.type == "agreement":
            role = item.roles.get(a)
            verb = ("signed" if role == "party" and item.date else
                    "implements" if role == "implementer" else "is a party to")
            short = (f"{verb} {_AGREEMENT_NOUNS.get(item.kind, 'an agreement')} "
                     f"with {name_b}{year}")
            text = f"{name_a} {verb} the {item.label}{when} with {name_b}"
        else:
            verb = _EVENT_VERBS.get(item.kind, "cooperated with")
            short = f"{verb} {name_b}{year}"
            text = f"{name_a} {verb} {name_b}: {item.label}{when}"
        others = found["agreement_count"] + found["event_count"] - 1
        if others:
            text += f" (and {others} more)"
        step.update(relation="cooperation", phrase=short, text=text,
                    evidence={"agreements": found["agreements"], "events": found["events"]},
                    weight=found["weight"],
                    certainty={key: found[key] for key in ("basis", "confidence",
                                                           "headline_only")}
                    | {"curated_items": found["curated_count"],
                       "extracted_items": found["extracted_count"]})
        return step
    if "part" in data:
        child, parent = data["part"]
        noun = "an agency" if facts.orgs.get(parent, OrgFacts(parent)).kind == "country" \
            else "a unit"
        if child == a:
            relation = "an agency of" if noun == "an agency" else "part of"
            phrase = f"is {relation} {name_b}"
        else:
            phrase = f"has {name_b} as {noun}"
        step.update(relation="part", phrase=phrase, text=f"{name_a} {phrase}")
        return step
    if "body" in data and "member" not in data:
        body, union, relation = data["body"]
        noun = BODY_NOUNS[relation]
        if body == a:
            phrase = f"is {noun} of the {name_b}"
        else:
            phrase = f"has {name_b} as {noun.replace('the ', 'its ', 1)}"
        step.update(relation="body", phrase=phrase, text=f"{name_a} {phrase}")
        return step
    membership: Membership = data["member"]
    period = f" (since {membership.since})" if membership.since else ""
    if membership.until:
        period = f" ({membership.since or '…'} – {membership.until})"
    phrase = (f"is a member of the {name_b}{period}" if membership.member == a
              else f"has {name_b} as a member{period}")
    step.update(relation="member", phrase=phrase, text=f"{name_a} {phrase}")
    return step


def shortest_path(store: GraphStore, a: NamedNode, b: NamedNode, since: str | None = None,
                  until: str | None = None, weights: PartnerWeights | None = None,
                  min_confidence: float | None = None,
                  curated_only: bool = False) -> dict[str, Any]:
    """The shortest chain of cooperation between ``a`` and ``b``: shared agreements and
    events, with the parent organisations, countries and unions on the way. Each step is
    explained in words, and ``text`` tells the whole chain; among chains of the same length
    the one whose evidence weighs more under ``weights`` (by default ``DEFAULT_WEIGHTS``)
    wins, and the answer states those ``weights``. Only the agreements and events that meet
    ``min_confidence`` / ``curated_only`` link organisations (see ``Certainty``); each step
    through them says how sure it is (``certainty``, as a partner does) and each of its
    items its own."""
    if a == b:
        raise NetworkError("A and B are the same entity")
    weights = weights or DEFAULT_WEIGHTS
    certainty = Certainty(min_confidence, curated_only)
    facts = load_facts(store)
    with collector_paused():
        graph = stored_path_graph(store, facts, Period(since, until), weights, certainty)
    for entity in (a, b):
        if entity.value not in graph:
            raise NetworkError(f"{facts.name(entity.value)} takes part in no agreement or "
                               f"event and belongs to nothing that does")
    try:
        nodes = nx.dijkstra_path(graph, a.value, b.value, weight="cost")
    except nx.NetworkXNoPath:
        raise NetworkError(f"no chain of cooperation links {facts.name(a.value)} and "
                           f"{facts.name(b.value)}") from None
    steps = [_step(facts, graph, x, y, weights)
             for x, y in zip(nodes, nodes[1:], strict=False)]
    text = facts.name(a.value) + " " + ", which ".join(s["phrase"] for s in steps) + "."
    return {"from": {"iri": a.value, "label": facts.name(a.value)},
            "to": {"iri": b.value, "label": facts.name(b.value)},
            "length": len(steps), "text": text, "steps": steps, "weights": weights.as_dict(),
            "min_confidence": min_confidence, "curated_only": curated_only}

