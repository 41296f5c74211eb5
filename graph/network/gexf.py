"""The partner network as GEXF 1.2 for Gephi, written as a stream of lines: node and edge
attributes declared once, time spells for Gephi's timeline, evidence lists as JSON text; from a
networkx graph or, at scale, straight from a ``WholeNetwork`` (its edges' lines by
``graph.network.gexf_edges``, in two processes).
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from graph.network.colours import community_colour
from graph.network.gexf_edges import GEXF_CHUNK, write_whole_edges
from graph.network.gexf_text import (
    GEXF_EDGE_ATTRIBUTES,
    GEXF_NODE_ATTRIBUTES,
    _Attvalues,
    _xml,
    edge_text,
)
from graph.network.partners import PartnerWeights
from graph.network.whole import WholeNetwork, _first_day

__all__ = ["GEXF_CHUNK", "GEXF_EDGE_ATTRIBUTES", "GEXF_NODE_ATTRIBUTES", "_Attvalues",
           "write_gexf"]


def write_gexf(graph: nx.Graph | WholeNetwork, path: Path | BinaryIO) -> None:
    """GEXF 1.2 with time spells: each edge lives over the dates of its agreements and events,
    each node from its first one on, so Gephi's timeline plays the network over the years.
    Nodes are coloured by community and sized by weighted degree; the evidence lists are JSON
    text; the description says the weights. Written directly and streamed (networkx's writer
    takes 10 s for 140k edges and holds the document in memory). Of a ``WholeNetwork``, the
    text of edges sharing their attributes is made once, and the edges are written a chunk at
    a time by compiled code (``_whole_edges``)."""
    if isinstance(graph, WholeNetwork):
        with (open(path, "wb") if isinstance(path, (str, os.PathLike))  # noqa: SIM115
              else contextlib.nullcontext(path)) as file:
            nodes = list(zip(graph.nodes, graph.node_data, strict=True))
            starts = dict(zip(graph.nodes, graph.starts, strict=True))
            quoted: dict[str, str] = {}
            head = [*_gexf_head(graph.attributes, nodes), *_gexf_nodes(nodes, starts, quoted),
                    "<edges>"]
            file.write(("\n".join(head) + "\n").encode())
            ends = [quoted[node].encode() for node in graph.nodes]
            del head, starts, quoted
            write_whole_edges(graph, ends, file)
            file.write("\n".join(("</edges>", "</graph>", "</gexf>", "")).encode())
        return
    _write_lines(path, _gexf_lines(graph))


def _gexf_head(attributes: dict[str, Any],
               nodes: Iterable[tuple[str, dict[str, Any]]]) -> list[str]:
    """The document's lines up to its nodes: the description, and the attributes' types."""
    name = f"customs-kg partner network, {attributes.get('level', 'country')} level"
    if attributes.get("weights"):
        name += f"; weights {PartnerWeights.from_dict(attributes['weights']).spec()}"
    lines = ["<?xml version='1.0' encoding='utf-8'?>",
             '<gexf xmlns="http://www.gexf.net/1.2draft" '
             'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft '
             'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
             f"<meta><creator>customs-kg</creator><description>{html.escape(name)}"
             "</description></meta>",
             '<graph defaultedgetype="undirected" mode="dynamic" timeformat="date">']
    for kind, described in (("node", _node_attributes(nodes)), ("edge", GEXF_EDGE_ATTRIBUTES)):
        lines.append(f'<attributes mode="static" class="{kind}">')
        lines += (f'<attribute id="{n}" title="{title}" type="{kind_}"/>'
                  for n, (title, kind_) in enumerate(described))
        lines.append("</attributes>")
    return lines


def _node_attributes(nodes: Iterable[tuple[str, dict[str, Any]]]) -> tuple[tuple[str, str], ...]:
    """The nodes' attributes and their types (weighted degree a double if any is a float)."""
    if any(isinstance(d.get("weighted_degree"), float) for _, d in nodes):
        return tuple((n, "double" if n == "weighted_degree" else t)
                     for n, t in GEXF_NODE_ATTRIBUTES)
    return GEXF_NODE_ATTRIBUTES


def _gexf_nodes(nodes: Iterable[tuple[str, dict[str, Any]]], starts: dict[str, str | None],
                quoted: dict[str, str]) -> Iterator[str]:
    """The nodes' lines, each node's id quoted for XML into ``quoted`` on the way."""
    top = max((d.get("weighted_degree", 0) for _, d in nodes), default=0) or 1
    node_values = _Attvalues(_node_attributes(nodes))
    yield "<nodes>"
    for node, data in nodes:
        start = starts.get(node)
        spells = f'<spells><spell start="{start}"/></spells>' if start else ""
        colour = community_colour(data.get("community", 0))
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        size = round(5 + 45 * data.get("weighted_degree", 0) / top, 2)
        quoted[node] = _xml(node)
        yield (f"<node id={quoted[node]} label={_xml(data.get('label', node))}>"
               f"{node_values(data)}{spells}"
               f'<viz:color r="{red}" g="{green}" b="{blue}" a="1.0"/>'
               f'<viz:size value="{size}"/></node>')
    yield "</nodes>"


def _gexf_lines(graph: nx.Graph) -> Iterator[str]:
    nodes = graph.nodes(data=True)
    yield from _gexf_head(graph.graph, nodes)
    starts: dict[str, str | None] = {}
    for a, b, data in graph.edges(data=True):
        start = _first_day(data)
        if start:
            for node in (a, b):
                if node not in starts or start < starts[node]:  # type: ignore[operator]
                    starts[node] = start
    quoted: dict[str, str] = {}
    yield from _gexf_nodes(nodes, starts, quoted)
    yield "<edges>"
    attvalues = _Attvalues(GEXF_EDGE_ATTRIBUTES, {})
    for number, (a, b, data) in enumerate(graph.edges(data=True)):
        yield (f'<edge id="{number}" source={quoted[a]} target={quoted[b]}'
               f"{edge_text(data, attvalues)}")
    yield from ("</edges>", "</graph>", "</gexf>", "")


def _write_lines(path: Path | BinaryIO, lines: Iterator[str]) -> None:
    """``lines`` joined by newlines, UTF-8, written ``GEXF_CHUNK`` lines at a time."""
    with (open(path, "wb") if isinstance(path, (str, os.PathLike))  # noqa: SIM115
          else contextlib.nullcontext(path)) as file:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            if len(chunk) >= GEXF_CHUNK:
                file.write(("\n".join(chunk) + "\n").encode())
                chunk.clear()
        file.write("\n".join(chunk).encode())
