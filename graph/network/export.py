"""The whole partner network, with its centrality and communities, and its exports: GraphML,
GEXF (with time spells for Gephi's timeline), node-link JSON and one self-contained HTML page
(its assets under ``graph/network/static/``). Every export states the weights its partnerships
were weighed with.
"""

from __future__ import annotations

import html
import json
import math
import os
import random
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from graph.network.colours import PALETTE, community_colour
from graph.network.facts import NetworkError, collector_paused, load_facts
from graph.network.gexf import write_gexf
from graph.network.gexf_edges import KEPT_SHARE_EARLY, LaterEdges
from graph.network.layout import complete, lay_out
from graph.network.partners import (
    DEFAULT_WEIGHTS,
    Certainty,
    PartnerWeights,
    Period,
    _check_level,
    partner_network,
)
from graph.network.whole import WholeNetwork
from graph.store import GraphStore

FORMATS = ("graphml", "gexf", "json", "html")
EXACT_BETWEENNESS_MAX = 500
"""Above this many nodes betweenness is estimated from a sample of source nodes."""
BETWEENNESS_SAMPLE = 100
HTML_EVIDENCE = 12
"""Agreements and events listed per edge in the HTML page's tooltips (all are counted)."""
LOUVAIN_TRIES = 3
"""Louvain runs (seeds ``seed``, ``seed + 1``, …) on a network of at most
``EXACT_BETWEENNESS_MAX`` nodes, the partition of highest modularity kept: on a small network
one run can end in a poor local optimum (the curated country network, weighed by the default
weights, as one community of modularity 0 with seed 0, against two of 0.17 with the others)."""


def add_centrality(graph: nx.Graph, seed: int = 0) -> nx.Graph:
    """Degree, weighted degree, betweenness (sampled above ``EXACT_BETWEENNESS_MAX`` nodes)
    and a Louvain community (numbered by size, largest first) on every node."""
    count = graph.number_of_nodes()
    converted = _igraph(graph, "weight") if count > EXACT_BETWEENNESS_MAX else None
    betweenness, community, sample = _centrality(graph, converted, seed)
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        weighted = graph.degree(node, weight="weight")
        data["weighted_degree"] = round(weighted, 6) if isinstance(weighted, float) else weighted
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["community"] = community[node]
    graph.graph["betweenness"] = "exact" if sample is None else f"sampled (k={sample})"
    graph.graph["communities"] = len(set(community.values()))
    return graph


def _centrality(graph: nx.Graph | None, converted: Converted | None,
                seed: int) -> tuple[dict[str, float], dict[str, int], int | None]:
    """Betweenness and communities (numbered by size, largest first) of ``graph``, or of
    ``converted`` alone above ``EXACT_BETWEENNESS_MAX`` nodes; the sample betweenness was
    estimated from (None: exact)."""
    count = len(converted[1]) if converted is not None else graph.number_of_nodes()
    sample = BETWEENNESS_SAMPLE if count > EXACT_BETWEENNESS_MAX else None
    betweenness = betweenness_centrality(graph, sample, seed, converted) if count else {}
    communities = _communities(graph, seed, LOUVAIN_TRIES if sample is None else 1, converted)
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {node: k for k, members in enumerate(ordered) for node in members}
    return betweenness, community, sample


def add_whole_centrality(whole: WholeNetwork, seed: int = 0) -> WholeNetwork:
    """``add_centrality`` on a ``WholeNetwork``: the same values (its nodes and edges are in
    networkx's order), the big network given to igraph without networkx."""
    count = whole.number_of_nodes()
    if count > EXACT_BETWEENNESS_MAX:
        graph = None
        converted = _whole_igraph(whole)
    else:
        graph = nx.Graph()  # as ``build`` adds them: the same order for networkx's Louvain
        graph.add_edges_from((a, b, {"weight": weight})
                             for a, b, weight in whole.sorted_pairs())
        converted = None
    betweenness, community, sample = _centrality(graph, converted, seed)
    for node, data in zip(whole.nodes, whole.node_data, strict=True):
        weighted = data["weighted_degree"]
        data["weighted_degree"] = round(weighted, 6) if isinstance(weighted, float) else weighted
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["community"] = community[node]
    whole.attributes["betweenness"] = "exact" if sample is None else f"sampled (k={sample})"
    whole.attributes["communities"] = len(set(community.values()))
    return whole


Converted = tuple[Any, list[str], bool]
"""``graph`` as an igraph ``Graph`` (vertices numbered in ``graph``'s node order), that order,
and whether any edge weighs more than 0."""


def _igraph(graph: nx.Graph, weight: str | None = None) -> Converted:
    """``graph`` in igraph (once for betweenness and communities: converting 1.2M edges
    costs about as much as either), with the edges' ``weight`` (1 where not given)."""
    import igraph

    nodes = list(graph)
    number = {node: k for k, node in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    values: list[Any] = []
    if weight is None:
        edges = [(number[a], number[b]) for a, b in graph.edges()]
    else:
        pair, value = edges.append, values.append
        for a, b, w in graph.edges(data=weight, default=1):
            pair((number[a], number[b]))
            value(w)
    found = igraph.Graph(n=len(nodes), edges=edges)
    if weight is not None:
        found.es[weight] = values
    return found, nodes, any(w > 0 for w in values)


def _whole_igraph(whole: WholeNetwork) -> Converted:
    """``_igraph(graph, "weight")`` of the graph ``whole`` stands for."""
    import igraph

    found = igraph.Graph(n=len(whole.nodes), edges=whole.ends)
    values = whole.weights
    found.es["weight"] = values
    return found, whole.nodes, any(w > 0 for w in values)


def betweenness_centrality(graph: nx.Graph | None, sample: int | None = None, seed: int = 0,
                           converted: Converted | None = None) -> dict[str, float]:
    """Normalised, unweighted betweenness, exact or estimated from ``sample`` source nodes:
    the values of ``nx.betweenness_centrality(graph, k=sample, seed=seed)`` (same sources,
    same scaling), computed by igraph's compiled code (at 10M triples networkx's took most
    of an agency network's export; benchmarks/README.md)."""
    found, nodes, _ = converted or _igraph(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    if sample is None or sample >= n:
        raw = found.betweenness(directed=False)
        scale = 2 / ((n - 1) * (n - 2))
        return {node: value * scale for node, value in zip(nodes, raw, strict=True)}
    sources = random.Random(seed).sample(nodes, sample)
    number = {node: k for k, node in enumerate(nodes)}
    raw = found.betweenness(directed=False, sources=[number[s] for s in sources])
    chosen = set(sources)
    source_scale = 2 / ((sample - 1) * (n - 2)) if sample > 1 else math.nan
    other_scale = 2 / (sample * (n - 2))
    return {node: value * (source_scale if node in chosen else other_scale)
            for node, value in zip(nodes, raw, strict=True)}


def _communities(graph: nx.Graph | None, seed: int, tries: int,
                 converted: Converted | None = None) -> list[set[str]]:
    """The best of ``tries`` Louvain partitions, by weight (unweighted when every weight is 0);
    networkx's on a small network, igraph's multilevel (the same method, compiled) on one
    above ``EXACT_BETWEENNESS_MAX`` nodes."""
    if converted is not None or graph.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        converted = converted or _igraph(graph, "weight")
        if not converted[0].ecount():
            return [{n} for n in converted[1]]
        return _igraph_communities(converted, "weight" if converted[2] else None, seed)
    if not graph.number_of_edges():
        return [{n} for n in graph]
    weight = "weight" if graph.size(weight="weight") > 0 else None
    best: list[set[str]] = []
    score = -1.0
    for k in range(tries):
        found = nx.community.louvain_communities(graph, weight=weight, seed=seed + k)
        if tries == 1:
            return found
        modularity = nx.community.modularity(graph, found, weight=weight)
        if modularity > score + 1e-9:
            best, score = found, modularity
    return best


def _igraph_communities(converted: Converted, weight: str | None,
                        seed: int) -> list[set[str]]:
    """igraph's Louvain (multilevel) partition, reproducible: igraph draws from a
    ``random.Random(seed)`` for the call."""
    import igraph

    found, nodes, _ = converted
    igraph.set_random_number_generator(random.Random(seed))
    try:
        clusters = found.community_multilevel(weights=weight)
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[k] for k in members} for members in clusters]


def network(store: GraphStore, level: str = "country", since: str | None = None,
            until: str | None = None, weights: PartnerWeights | None = None,
            min_confidence: float | None = None, curated_only: bool = False) -> nx.Graph:
    """The partner network with its centrality and communities, weighed by ``weights`` (by
    default ``DEFAULT_WEIGHTS``; the graph's ``weights`` attribute says which), of the
    agreements and events that meet ``min_confidence`` / ``curated_only``. Every edge says how
    sure it is (``basis``, ``confidence``, ``headline_only``, ``curated_count`` and
    ``extracted_count``), every node its ``basis``."""
    graph = partner_network(store, level, since, until, weights, min_confidence, curated_only)
    with collector_paused():
        return add_centrality(graph)


def whole_network(store: GraphStore, level: str = "country", since: str | None = None,
                  until: str | None = None, weights: PartnerWeights | None = None,
                  min_confidence: float | None = None, curated_only: bool = False,
                  edges_ahead: bool = False) -> WholeNetwork:
    """``network``'s graph as a ``WholeNetwork`` (no networkx graph made: quicker, and a
    fraction of the memory, for a big store), for ``write_gexf``. ``edges_ahead``: for a big
    network, a forked process starts making the later edges' GEXF lines as soon as the edges
    are known, while this one works out the rest (``graph.network.gexf_edges``); give it only
    when the network is then written as GEXF."""
    _check_level(level)
    facts = load_facts(store)
    with collector_paused():
        whole = lay_out(facts, level, Period(since, until), weights or DEFAULT_WEIGHTS,
                        Certainty(min_confidence, curated_only))
        if edges_ahead:
            whole.later = LaterEdges.start(whole, KEPT_SHARE_EARLY)
        return add_whole_centrality(complete(whole))


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy with only scalar attributes (GraphML and GEXF have no lists): the evidence and
    the weights as JSON text, nothing that is None."""
    flat = nx.Graph()
    flat.graph.update({k: v if isinstance(v, (str, int, float)) else
                       json.dumps(v, ensure_ascii=False)
                       for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        attrs = {k: v for k, v in data.items()
                 if v is not None and k not in ("agreements", "events", "spells")}
        attrs["agreements"] = json.dumps(data["agreements"], ensure_ascii=False)
        attrs["events"] = json.dumps(data["events"], ensure_ascii=False)
        flat.add_edge(a, b, **attrs)
    return flat


def write_graphml(graph: nx.Graph, path: Path | BinaryIO) -> None:
    """GraphML; the evidence lists as JSON text (GraphML has no lists)."""
    nx.write_graphml(_flat(graph), path)


def network_as_json(graph: nx.Graph) -> dict[str, Any]:
    """networkx's node-link form, evidence lists kept."""
    return nx.node_link_data(graph, edges="links")


def write_json(graph: nx.Graph, path: Path | BinaryIO) -> None:
    _write_bytes(path, json.dumps(network_as_json(graph), ensure_ascii=False, indent=1)
                 .encode() + b"\n")


def _write_bytes(path: Path | BinaryIO, data: bytes) -> None:
    if isinstance(path, (str, os.PathLike)):
        Path(path).write_bytes(data)
    else:
        path.write(data)


def _static(name: str) -> str:
    return resources.files("graph.network").joinpath("static", name).read_text(encoding="utf-8")


def page_data(graph: nx.Graph) -> dict[str, Any]:
    """What the HTML page draws: nodes with centrality, edges with years and evidence.

    Compact, for a page may hold 100k+ edges: an edge is a row of ``edge_fields`` naming its
    ends by their place in ``nodes`` and its evidence (the latest ``HTML_EVIDENCE``) by its
    place in ``evidence``, where each agreement or event is listed once, however many edges
    share it; ``through`` maps such a place to why a union's agreement links the edge's ends
    ("Kazakhstan (KZ) as a member of the Eurasian Economic Union"); an edge's and an item's
    ``certainty`` says in a few words how sure it is (``curated``, ``extracted 0.80``), with
    the edge's counts of ``curated`` and ``extracted`` items. ``weights`` says what the
    weights were (``agreement=3,binding=5,…``)."""
    stated = graph.graph.get("weights")
    place = {n: i for i, n in enumerate(graph)}
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "country": d.get("country"),
              "degree": d.get("degree", 0), "weighted_degree": d.get("weighted_degree", 0),
              "betweenness": d.get("betweenness", 0.0), "community": d.get("community", 0),
              "colour": community_colour(d.get("community", 0)),
              "first_year": d.get("first_year"), "last_year": d.get("last_year"),
              "basis": d.get("basis")}
             for n, d in graph.nodes(data=True)]
    evidence: list[list[Any]] = []
    listed_at: dict[str, int] = {}
    edges = []
    years = [y for n in nodes for y in (n["first_year"], n["last_year"]) if y is not None]
    for a, b, d in graph.edges(data=True):
        listed = sorted(d["agreements"] + d["events"],
                        key=lambda i: (i["date"] is None, i["date"] or ""), reverse=True)
        for i in listed[:HTML_EVIDENCE]:
            if i["iri"] not in listed_at:
                listed_at[i["iri"]] = len(evidence)
                evidence.append([i["date"], i["kind"], i["label"], _sureness(i.get("certainty"))])
        spells = [[int(s[:4]), int(e[:4])] for s, e in d["spells"]]
        years += [y for s in spells for y in s]
        through = {listed_at[i["iri"]]: "; ".join(
            f"{t['member']['label']} as a member of the {t['union']['label']}"
            for t in i["through"]) for i in listed[:HTML_EVIDENCE] if i.get("through")}
        edges.append([place[a], place[b], d["weight"], d["agreement_count"], d["event_count"],
                      d["first_year"], d["last_year"], spells,
                      [listed_at[i["iri"]] for i in listed[:HTML_EVIDENCE]],
                      max(len(listed) - HTML_EVIDENCE, 0), through,
                      _sureness({"basis": d.get("basis"), "confidence": d.get("confidence"),
                                 "headline_only": d.get("headline_only")}),
                      d.get("curated_count"), d.get("extracted_count")])
    communities = defaultdict(list)
    for node in sorted(nodes, key=lambda n: -n["weighted_degree"]):
        communities[node["community"]].append(node["label"])
    return {
        "level": graph.graph.get("level"), "since": graph.graph.get("since"),
        "until": graph.graph.get("until"), "betweenness": graph.graph.get("betweenness"),
        "weights": PartnerWeights.from_dict(stated).spec() if stated else None,
        "first_year": min(years) if years else None, "last_year": max(years) if years else None,
        "nodes": nodes,
        "edge_fields": ["from", "to", "weight", "agreements", "events", "first_year",
                        "last_year", "spells", "evidence", "more", "through", "certainty",
                        "curated", "extracted"],
        "edges": edges, "evidence_fields": ["date", "kind", "label", "certainty"],
        "evidence": evidence,
        "communities": [{"id": k, "colour": community_colour(k), "size": len(v),
                         "top": v[:3]} for k, v in sorted(communities.items())][:len(PALETTE)],
    }


def _sureness(found: dict[str, Any] | None) -> str | None:
    """A certainty in a few words for the page: ``curated``, ``reference data``,
    ``extracted 0.80``, ``extracted 0.60, headline only``."""
    if not found or not found.get("basis"):
        return None
    if found["basis"] != "extracted":
        return {"reference": "reference data"}.get(found["basis"], found["basis"])
    confidence = found.get("confidence")
    return ("extracted" + (f" {confidence:.2f}" if confidence is not None else "")
            + (", headline only" if found.get("headline_only") else ""))


def _script_safe(data: str) -> str:
    """JSON text that cannot end the script element holding it."""
    return data.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def network_html(graph: nx.Graph, title: str | None = None) -> str:
    """One self-contained page (vis-network inlined, no network needed to view it)."""
    level = graph.graph.get("level", "country")
    period = " – ".join(x for x in (graph.graph.get("since"), graph.graph.get("until")) if x)
    title = title or f"customs-kg partner network ({level} level{', ' + period if period else ''})"
    library = _static("vis-network.min.js").rsplit("//# sourceMappingURL=", 1)[0]
    if "</script" in library.lower():  # it would end the script element early
        raise NetworkError("the vendored vis-network cannot be inlined: it holds '</script'")
    data = json.dumps(page_data(graph), ensure_ascii=False, separators=(",", ":"))
    page = _static("network.html")
    parts = {"__TITLE__": html.escape(title), "/*__VIS_NETWORK__*/": library,
             "__NETWORK_DATA__": _script_safe(data)}
    # One pass, so nothing inserted is scanned for markers again.
    return re.sub("|".join(re.escape(m) for m in parts), lambda m: parts[m[0]], page)


def write_html(graph: nx.Graph, path: Path | BinaryIO) -> None:
    _write_bytes(path, network_html(graph).encode())


WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json,
           "html": write_html}


def write_network(graph: nx.Graph | WholeNetwork, path: Path | BinaryIO, fmt: str) -> None:
    """Write ``graph`` (with its centrality) to a path or binary file as graphml, gexf, json
    or html (a ``WholeNetwork`` as gexf only)."""
    if fmt not in WRITERS:
        raise NetworkError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    if isinstance(graph, WholeNetwork) and fmt != "gexf":
        raise NetworkError(f"a network made by whole_network is written as gexf, not {fmt}")
    with collector_paused():
        WRITERS[fmt](graph, path)
