"""The whole partner network at once (``graph.network.partners.project``), fast enough for a
big store: the agreements and events behind each pair are found in one pass over the items,
taken in the order ``evidence`` lists them, and each edge's attributes are made from what each
item adds, worked out once per item and once per set of items (at the agency level of a
10M-triple store most of 1.2M pairs rest on one item, and half of them share their set), not
from the items again for every edge. Each edge's attributes are those ``evidence`` gives
(tests/test_network_scale.py); the evidence entries are shared between the edges listing the
same item, where ``evidence`` made one per edge.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from graph.network.facts import BASIS_RANK, Facts, ItemFacts
from graph.network.partners import (
    NO_ORG,
    Certainty,
    PartnerWeights,
    Period,
    _merge_spells,
    pairs,
)

if TYPE_CHECKING:
    import networkx as nx


def ordered_links(facts: Facts, level: str, period: Period, items: Iterable[str] | None,
                  around: set[str] | None,
                  certainty: Certainty) -> dict[tuple[str, str], list[ItemFacts]]:
    """``partners._links``, with the items behind each pair listed in ``evidence``'s order
    (each once)."""
    found = evidence_order(facts, period, items, certainty)
    links: dict[tuple[str, str], list[ItemFacts]] = defaultdict(list)
    for a, b, k in zip(*incidences(facts, level, found, around), strict=True):
        links[(a, b)].append(found[k])
    return links


def evidence_order(facts: Facts, period: Period, items: Iterable[str] | None,
                   certainty: Certainty) -> list[ItemFacts]:
    """The items (or those of ``items``) of two organisations or more, within ``period``
    and ``certainty``, in ``evidence``'s order (by date, label and IRI, the undated last)."""
    if items is not None:
        items = list(dict.fromkeys(items))
        facts.prefetch(items)
    chosen = facts.items.values() if items is None else map(facts.items.__getitem__, items)
    bounded = period.bounded or certainty.bounded
    found = [item for item in chosen if len(item.roles) > 1 and (
        not bounded or (period.admits(item) and certainty.admits(item)))]
    # By compiled keys.
    undated = [item for item in found if item.date is None]
    found = [item for item in found if item.date is not None]
    found.sort(key=attrgetter("date", "label", "iri"))
    undated.sort(key=attrgetter("label", "iri"))
    found += undated
    return found


def incidences(facts: Facts, level: str, found: list[ItemFacts],
               around: set[str] | None = None) -> tuple[list[str], list[str], list[int]]:
    """Each pair ``pairs`` finds in each of ``found`` (with an end in ``around``, if given),
    as three lists: its first and second organisation (the pair as a sorted tuple), and the
    item's place in ``found``; item by item, in order."""
    firsts: list[str] = []
    seconds: list[str] = []
    at: list[int] = []
    first, second, place = firsts.append, seconds.append, at.append
    tops, top = facts._tops, facts.top
    quick = level == "agency" and around is None
    for k, item in enumerate(found):
        if not quick or item.count is not None:
            for a, b in pairs(facts, item, level):
                if around is None or a in around or b in around:
                    first(a)
                    second(b)
                    place(k)
            continue
        # ``pairs`` at the agency level for an item that is no summary, quicker: each
        # organisation on its country's side, the government left out where its agencies are.
        roles = item.roles
        if len(roles) == 2:  # two organisations, partners if of different countries
            a, b = roles
            if (tops.get(a) or top(a)) != (tops.get(b) or top(b)):
                if b < a:
                    a, b = b, a
                first(a)
                second(b)
                place(k)
            continue
        sides: dict[str, list[str]] = {}
        for org in roles:
            side = tops.get(org) or top(org)
            if side in sides:
                sides[side].append(org)
            else:
                sides[side] = [org]
        if len(sides) < 2:
            continue
        groups = []
        for side, nodes in sides.items():
            if len(nodes) > 1 and side in nodes:
                nodes.remove(side)
            groups.append(nodes)
        for j, ones in enumerate(groups):
            for others in groups[j + 1:]:
                for a in ones:
                    for b in others:
                        if b < a:
                            first(b)
                            second(a)
                        else:
                            first(a)
                            second(b)
                        place(k)
    return firsts, seconds, at


class Summaries:
    """Edge attributes as ``evidence`` makes them, each item's part worked out once and each
    set of items' attributes once."""

    def __init__(self, facts: Facts, weights: PartnerWeights) -> None:
        self.facts, self.weights = facts, weights
        self.refs: dict[str, dict[str, Any]] = {}
        self.sets: dict[tuple[str, ...], dict[str, Any]] = {}
        self.special: dict[str, tuple[bool, bool]] = {}
        self.at: dict[tuple[str, str], dict[str, Any]] = {}
        # Whoever can put ``body`` or ``through`` in an item's entry: a union's body, or a
        # union (an item naming neither lists no such entry, whatever its ends).
        self.unionish = set(facts.bodies) | {m.union for m in facts.memberships.values()
                                             if m.union}

    def ref(self, item: ItemFacts) -> dict[str, Any]:
        """How ``item`` is listed as evidence, with the weight it adds (one dict per item)."""
        found = self.refs.get(item.iri)
        if found is None:
            found = self.refs[item.iri] = item.ref()
            found["weight"] = self.weights.of(item)
        return found

    def of(self, items: list[ItemFacts]) -> dict[str, Any]:
        """The attributes of an edge whose ends are neither unions with bodies nor members of
        a union (``evidence(facts, items)``)."""
        if len(items) == 1:
            key: Any = items[0].iri
            found = self.sets.get(key)
            if found is None:
                found = self.sets[key] = self._one(items[0])
            return found
        key = tuple(i.iri for i in items)
        found = self.sets.get(key)
        if found is None:
            found = self.sets[key] = self._made(items)
        return found

    def light(self, items: list[ItemFacts]) -> Light:
        """The ``Light`` values of the attributes ``of(items)`` makes, without making them."""
        if len(items) == 1:
            item = items[0]
            date = item.date
            year = int(date[:4]) if date and date[:4].isdigit() else None
            return (self.weights.total(items), year, year, item.basis,
                    item.start if item.start and item.end else None)
        years = [int(i.date[:4]) for i in items if i.date and i.date[:4].isdigit()]
        days = [i.start for i in items if i.start and i.end]
        return (self.weights.total(items), min(years) if years else None,
                max(years) if years else None,
                min((i.basis for i in items), key=BASIS_RANK.__getitem__, default="extracted"),
                min(days) if days else None)

    def _one(self, item: ItemFacts) -> dict[str, Any]:
        """``_made([item])``, quicker: most edges rest on one item."""
        ref = self.ref(item)
        agreement = item.type == "agreement"
        extracted = item.basis == "extracted"
        date = item.date
        year = int(date[:4]) if date and date[:4].isdigit() else None
        return {
            "weight": self.weights.total((item,)),
            "agreement_count": 1 if agreement else 0,
            "event_count": 0 if agreement else 1,
            "basis": item.basis,
            "confidence": item.confidence if extracted else None,
            "headline_only": extracted and item.headline_only,
            "curated_count": 0 if extracted else 1,
            "extracted_count": 1 if extracted else 0,
            "first_year": year,
            "last_year": year,
            "agreements": [ref] if agreement else [],
            "events": [] if agreement else [ref],
            "spells": [(item.start, item.end)] if item.start and item.end else [],
        }

    def _made(self, items: list[ItemFacts]) -> dict[str, Any]:
        weights = self.weights
        ref = self.ref
        agreements = [i for i in items if i.type == "agreement"]
        events = [i for i in items if i.type != "agreement"]
        years = [int(i.date[:4]) for i in items if i.date and i.date[:4].isdigit()]
        extracted = [i for i in items if i.basis == "extracted"]
        basis = min((i.basis for i in items), key=BASIS_RANK.__getitem__, default="extracted")
        only = basis == "extracted"
        scores = [i.confidence for i in extracted if i.confidence is not None] if only else ()
        return {
            "weight": weights.total(items),
            "agreement_count": len(agreements),
            "event_count": len(events),
            "basis": basis,
            "confidence": max(scores) if scores else None,
            "headline_only": only and bool(extracted) and all(i.headline_only
                                                                for i in extracted),
            "curated_count": len(items) - len(extracted),
            "extracted_count": len(extracted),
            "first_year": min(years) if years else None,
            "last_year": max(years) if years else None,
            "agreements": [ref(i) for i in agreements],
            "events": [ref(i) for i in events],
            "spells": _merge_spells([(i.start, i.end) for i in items if i.start and i.end]),
        }

    def kind(self, node: str) -> tuple[bool, bool]:
        """Whether ``node`` is a union with bodies, and whether it is a member of a union:
        only then may its edges' evidence say ``body`` or ``through``."""
        found = self.special.get(node)
        if found is None:
            facts = self.facts
            found = self.special[node] = (
                bool(facts.bodies_of(node)),
                any(m.member == node and m.union for m in facts.memberships_of(node)))
        return found

    def edge(self, a: str, b: str, items: list[ItemFacts]) -> dict[str, Any]:
        """``evidence(facts, items, (a, b), weights)``."""
        found = self.of(items)
        kinds = (self.kind(a), self.kind(b))
        if not any(k[0] or k[1] for k in kinds):
            return found
        plain = self.unionish.isdisjoint
        if all(plain(item.roles) for item in items):
            return found
        ends = [(end, kind) for end, kind in sorted(zip((a, b), kinds, strict=True))
                if kind[0] or kind[1]]
        lists: dict[str, list[dict[str, Any]]] = {"agreements": [], "events": []}
        changed = False
        for item in items:
            if len(ends) == 1:
                ref = self._ref_at(item, *ends[0])
            else:
                more: dict[str, Any] = {}
                extras = [self._extras(item, end, *kind) for end, kind in ends]
                for name in ("body", "through"):
                    found_ = [e for extra in extras if extra for e in extra.get(name, ())]
                    if found_:
                        more[name] = found_
                ref = {**self.ref(item), **more} if more else self.ref(item)
            changed = changed or ref is not self.refs[item.iri]
            lists["agreements" if item.type == "agreement" else "events"].append(ref)
        return {**found, **lists} if changed else found

    def _ref_at(self, item: ItemFacts, end: str, kind: tuple[bool, bool]) -> dict[str, Any]:
        """How ``item`` is listed on an edge of ``end`` (and of an end that needs no
        ``body`` or ``through``): one dict per item and end."""
        key = (item.iri, end)
        found = self.at.get(key)
        if found is None:
            more = self._extras(item, end, *kind)
            found = self.at[key] = {**self.ref(item), **more} if more else self.ref(item)
        return found

    def _extras(self, item: ItemFacts, end: str, union: bool,
                member: bool) -> dict[str, list[dict[str, Any]]] | None:
        """What ``item`` says of ``end`` on its edges: the body through which the union
        ``end`` is in it, the union through which the member ``end`` is in an agreement."""
        facts = self.facts
        more: dict[str, list[dict[str, Any]]] = {}
        body = facts.body_in(item, end) if union else None
        if body:
            more["body"] = [{"union": {"iri": end, "label": facts.name(end)},
                             "body": {"iri": body, "label": facts.name(body)},
                             "relation": facts.bodies[body][1]}]
        through = facts.through(item, end) if member and item.type == "agreement" else None
        if through:
            more["through"] = [self._through(item, end, through)]
        return more or None

    def _through(self, item: ItemFacts, end: str, union: str) -> dict[str, Any]:
        facts = self.facts
        entry = {"member": {"iri": end, "label": facts.name(end)},
                 "union": {"iri": union, "label": facts.name(union)}}
        body = facts.body_in(item, union)
        if body is not None:
            entry["body"] = {"iri": body, "label": facts.name(body)}
        return entry


def _pair_edges(facts: Facts, level: str, period: Period, items: Iterable[str] | None,
                around: set[str] | None, weights: PartnerWeights,
                certainty: Certainty) -> list[tuple[str, str, dict[str, Any]]]:
    """Each pair of partners with its edge's attributes, pairs in order (as sorted tuples of
    IRIs, the order ``build`` adds them to networkx in). Edges resting on the same set of
    items share one attribute dict (their ends neither unions with bodies nor members)."""
    links = ordered_links(facts, level, period, items, around, certainty)
    summaries = Summaries(facts, weights)
    # The pairs in order (as sorted tuples of IRIs, quicker as numbers): networkx then numbers
    # the nodes, and lists the edges, as it always has (the communities follow that order).
    place = {node: k for k, node in enumerate(sorted({n for pair in links for n in pair}))}
    size = len(place)
    special = {node for node in place if any(summaries.kind(node))}
    sets, of, edge = summaries.sets, summaries.of, summaries.edge
    edges = []
    ordered = sorted(links.items(), key=lambda p: place[p[0][0]] * size + place[p[0][1]])
    links.clear()
    for (a, b), found in ordered:
        if a in special or b in special:
            data = edge(a, b, found)
        else:
            data = (sets.get(found[0].iri) if len(found) == 1 else None) or of(found)
        edges.append((a, b, data))
    return edges


def _graph_attributes(level: str, period: Period, weights: PartnerWeights,
                      certainty: Certainty) -> dict[str, Any]:
    return {"level": level, "since": period.since, "until": period.until,
            "weights": weights.as_dict(), "min_confidence": certainty.min_confidence,
            "curated_only": certainty.curated_only}


def node_attributes(facts: Facts, node: str, first_year: int | None, last_year: int | None,
                    basis: str) -> dict[str, Any]:
    """A node's attributes, given the first and last years and the best basis of its edges."""
    org = facts.orgs.get(node) or NO_ORG
    return {"iri": node, "label": facts.name(node), "kind": org.kind,
            "country": facts.name(facts.top(node)) if org.kind == "agency" else None,
            "code": org.code, "first_year": first_year, "last_year": last_year,
            "basis": basis}


def build(facts: Facts, level: str, period: Period, items: Iterable[str] | None,
          around: set[str] | None, weights: PartnerWeights, certainty: Certainty) -> nx.Graph:
    """``graph.network.partners.project``'s graph (its arguments checked there)."""
    import networkx as nx

    graph = nx.Graph(**_graph_attributes(level, period, weights, certainty))
    edges = _pair_edges(facts, level, period, items, around, weights, certainty)
    graph.add_edges_from(edges)
    del edges
    rank_of = BASIS_RANK.__getitem__
    for node, nbrs in graph.adjacency():
        found = nbrs.values()
        firsts = [d["first_year"] for d in found if d["first_year"] is not None]
        lasts = [d["last_year"] for d in found if d["last_year"] is not None]
        graph.nodes[node].update(node_attributes(
            facts, node, min(firsts) if firsts else None, max(lasts) if lasts else None,
            min((d["basis"] for d in found), key=rank_of)))
    return graph


Light = tuple[Any, int | None, int | None, str, str | None]
"""What the nodes and the centrality need of an edge's attributes: its weight, first and last
years, basis, and first day (the earliest start of its spells)."""


@dataclass
class WholeNetwork:
    """The graph ``build`` makes, without networkx (whose dict per edge costs most of the time
    and memory of a 1.2M-edge network): the nodes in networkx's order, the edges in the order
    networkx lists them (``graph.edges()``), each as networkx gives it (``ends``: the places of
    its ends in ``nodes``). The edges resting on the same items form one group (``groups``:
    each edge's; in ``shared`` an edge of each group with its items): their attributes are one
    dict, made when asked for (``group_data``, ``edge_data``), not before (the GEXF writer
    makes their text straight from the items). ``lay_out`` makes this much; ``complete`` adds
    the nodes' attributes and the edges' weights."""

    attributes: dict[str, Any]
    nodes: list[str]
    ends: list[tuple[int, int]]
    groups: list[int]
    shared: list[tuple[str, str, list[ItemFacts]]]
    summaries: Summaries
    special: set[str]
    """The nodes whose edges' evidence may say ``body`` or ``through`` (``Summaries.kind``)."""
    own: set[int]
    """The groups of one edge of a special node whose items may list ``body`` or
    ``through``."""
    incidence: Any = None
    """Each pair's places of its ends and its group, in the order ``build`` adds them
    (numpy arrays, until ``complete``)."""
    node_data: list[dict[str, Any]] = field(default_factory=list)
    weights: list[Any] = field(default_factory=list)
    starts: list[str | None] = field(default_factory=list)
    """Each node's first day: the earliest start of its edges' spells (None: none)."""
    later: Any = None
    """The later edges' GEXF lines in the making (``graph.network.gexf_edges.LaterEdges``)."""

    @property
    def graph(self) -> dict[str, Any]:
        """The graph's attributes, as ``nx.Graph.graph``."""
        return self.attributes

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.ends)

    def group_data(self, group: int) -> dict[str, Any]:
        """The attributes of the edges of ``group`` (one dict for the edges resting on the
        same items: made once)."""
        a, b, items = self.shared[group]
        if group in self.own:
            return self.summaries.edge(a, b, items)
        return self.summaries.of(items)

    @property
    def edge_data(self) -> list[dict[str, Any]]:
        """Each edge's attributes, in the order of ``ends``."""
        datas = list(map(self.group_data, range(len(self.shared))))
        return list(map(datas.__getitem__, self.groups))

    def edges(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """``(a, b, data)`` as ``nx.Graph.edges(data=True)`` gives them."""
        nodes = self.nodes
        for (a, b), data in zip(self.ends, self.edge_data, strict=True):
            yield nodes[a], nodes[b], data

    def sorted_pairs(self) -> list[tuple[str, str, Any]]:
        """The edges with their weights in the order ``build`` adds them to networkx."""
        nodes = self.nodes
        return sorted((min(nodes[a], nodes[b]), max(nodes[a], nodes[b]), weight)
                      for (a, b), weight in zip(self.ends, self.weights, strict=True))


def project_whole(facts: Facts, level: str, period: Period, weights: PartnerWeights,
                  certainty: Certainty) -> WholeNetwork:
    """``build``'s graph of every item as a ``WholeNetwork``: the same nodes, edges and
    attributes, in the same order (tests/test_network_scale.py), each node's degree and
    weighted degree added as networkx counts them."""
    from graph.network.layout import complete, lay_out

    return complete(lay_out(facts, level, period, weights, certainty))


def _first_day(data: dict[str, Any]) -> str | None:
    """The earliest start of an edge's spells."""
    spells = data.get("spells")
    if not spells:
        return None
    return spells[0][0] if len(spells) == 1 else min(spell[0] for spell in spells)
