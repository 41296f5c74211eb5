"""Partner networks: who cooperates with whom, projected from the graph into networkx.

The package, by topic:

* ``facts``: the agreements, events, organisations and memberships the networks are made of
  (``Facts``); they hold no weights.
* ``stored``: the facts read from the store by one streamed SPARQL query (``read_facts``) and
  kept beside an on-disk store, patched after each load or removal (``load_facts``,
  ``patch_facts``).
* ``partners``: the projection into partner graphs and the ranked partners of one
  organisation, weighed by ``PartnerWeights`` (``parse_weights`` reads them from text such as
  ``agreement=3,event=1``; ``DEFAULT_WEIGHTS`` otherwise).
* ``paths``: the shortest chain of cooperation between two organisations, told in words.
* ``export``: the whole network with centrality and communities, and its GraphML, GEXF, JSON
  and HTML exports (the page's assets are in ``static/``).

Everything public is importable from ``graph.network`` itself; ``export`` and ``paths`` (and
with them networkx) are imported when one of their names is first asked for, so that
``partners`` answering from its kept table imports neither.
"""

from __future__ import annotations

import importlib
from typing import Any

from graph.network.facts import (
    BASIS_RANK,
    Facts,
    ItemFacts,
    Membership,
    NetworkError,
    OrgFacts,
    collector_paused,
)
from graph.network.partners import (
    ANY_CERTAINTY,
    BINDING_KINDS,
    DEFAULT_WEIGHTS,
    LEVELS,
    WEIGHT_KEYS,
    Certainty,
    PartnerWeights,
    Period,
    evidence,
    parse_weights,
    partner_network,
    partners,
    project,
    summed_certainty,
    weight_of,
)
from graph.network.stored import (
    CACHE_VERSION,
    ROWS_VERSION,
    graph_rows,
    load_facts,
    patch_facts,
    read_facts,
)
from graph.network.stored import _query_rows as _query_rows  # for tests/test_cache.py

_LAZY = {name: "export" for name in (
    "BETWEENNESS_SAMPLE", "EXACT_BETWEENNESS_MAX", "FORMATS", "HTML_EVIDENCE", "WRITERS",
    "add_centrality", "add_whole_centrality", "community_colour", "network", "network_as_json",
    "network_html",
    "page_data", "whole_network", "write_gexf", "write_graphml", "write_html", "write_json",
    "write_network")}
_LAZY.update(dict.fromkeys(("PATH_GRAPH_VERSION", "path_graph", "shortest_path",
                            "stored_path_graph"), "paths"))


def __getattr__(name: str) -> Any:
    """The names of ``export`` and ``paths``, importing the module on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"graph.network.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'graph.network' has no attribute {name!r}")


__all__ = [
    "ANY_CERTAINTY", "BASIS_RANK", "BETWEENNESS_SAMPLE", "BINDING_KINDS", "CACHE_VERSION",
    "Certainty", "DEFAULT_WEIGHTS", "EXACT_BETWEENNESS_MAX", "FORMATS", "Facts", "HTML_EVIDENCE",
    "ItemFacts", "LEVELS", "Membership", "NetworkError", "OrgFacts", "PATH_GRAPH_VERSION",
    "PartnerWeights", "Period", "ROWS_VERSION", "WEIGHT_KEYS", "WRITERS", "add_centrality",
    "add_whole_centrality",
    "collector_paused", "community_colour", "evidence", "graph_rows", "load_facts", "network",
    "network_as_json", "network_html", "page_data", "parse_weights", "partner_network", "partners",
    "patch_facts",
    "path_graph", "project", "read_facts", "shortest_path", "stored_path_graph",
    "summed_certainty", "weight_of", "whole_network", "write_gexf", "write_graphml", "write_html",
    "write_json",
    "write_network"
]
