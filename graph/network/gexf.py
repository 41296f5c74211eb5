"""The partner network as GEXF 1.2 for Gephi, written as a stream of lines: node and edge
attributes declared once, time spells for Gephi's timeline, evidence lists as JSON text; from a
networkx graph or, at scale, straight from a ``WholeNetwork``.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
from collections.abc import Iterable, Iterator
from itertools import chain, repeat
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

import networkx as nx

from graph.network.colours import community_colour
from graph.network.partners import (
    PartnerWeights,
)
from graph.network.whole import WholeNetwork, _first_day

GEXF_NODE_ATTRIBUTES = (("iri", "string"), ("kind", "string"), ("country", "string"),
                        ("code", "string"), ("degree", "integer"),
                        ("weighted_degree", "integer"), ("betweenness", "double"),
                        ("community", "integer"), ("first_year", "integer"),
                        ("last_year", "integer"), ("basis", "string"))
GEXF_EDGE_ATTRIBUTES = (("agreement_count", "integer"), ("event_count", "integer"),
                        ("first_year", "integer"), ("last_year", "integer"),
                        ("basis", "string"), ("confidence", "double"),
                        ("headline_only", "boolean"), ("curated_count", "integer"),
                        ("extracted_count", "integer"),
                        ("agreements", "string"), ("events", "string"))
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NEEDS_QUOTING = re.compile("[&<>\"\x00-\x1f]")
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_COMPILED_JSON = (None if c_make_encoder is None else c_make_encoder(
    None, _ENCODER.default, encode_basestring, None, ": ", ", ", False, False, True))


def _JSON(value: Any) -> str:  # noqa: N802 (a constant's name, as it was)
    """``json.dumps(value, ensure_ascii=False)``: by json's compiled encoder made once (its
    ``encode`` makes one per call), without the check for circular references (the
    evidence has none)."""
    if _COMPILED_JSON is None:
        return _ENCODER.encode(value)
    return "".join(_COMPILED_JSON(value, 0))


GEXF_CHUNK = 20_000
"""Lines written at a time: the file streams out, never whole in memory."""


def _xml(value: Any) -> str:
    """An attribute value, quoted for XML."""
    text = value if isinstance(value, str) else str(value)
    if _NEEDS_QUOTING.search(text) is None:
        return f'"{text}"'
    return quoteattr(_XML_UNSAFE.sub("", text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _xml_json(value: Any, encoded: dict[int, str] | None = None) -> str:
    """``value`` as JSON text in an attribute value quoted with apostrophes (JSON's quotes
    then need no escaping, and JSON has already escaped every control character). A list's
    entries are each encoded once, in ``encoded`` (by ``id``: the entries must outlive it),
    when given: the edges listing the same agreement share its entry."""
    if encoded is not None and isinstance(value, list):
        text = _encoded_list(value, encoded)
    else:
        text = _JSON(value)
    if "'" in text:
        return _xml(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    return f"'{text}'"


def _encoded_list(value: list[Any], encoded: dict[int, str]) -> str:
    """``_JSON(value)``, each entry encoded once."""
    if len(value) < 2:
        if not value:
            return "[]"
        text = encoded.get(id(value[0]))
        if text is None:
            text = encoded[id(value[0])] = _JSON(value[0])
        return f"[{text}]"
    texts = []
    for entry in value:
        text = encoded.get(id(entry))
        if text is None:
            text = encoded[id(entry)] = _JSON(entry)
        texts.append(text)
    return f"[{', '.join(texts)}]"


class _Quoted(dict):
    """Attribute values quoted for XML (``_xml``), each text quoted once."""

    def __missing__(self, text: str) -> str:
        found = self[text] = _xml(text)
        return found


_BOOLEANS = {True: '"true"', False: '"false"'}


class _Attvalues:
    """The ``attvalues`` of elements with the given attributes (absent or None values left
    out), made quickly for many: one template per combination of value types met (the 1.2M
    edges of a big network have a few), filled by one ``str.format`` per element. With
    ``encoded``, list entries are JSON-encoded once each (see ``_xml_json``)."""

    def __init__(self, attributes: tuple[tuple[str, str], ...],
                 encoded: dict[int, str] | None = None) -> None:
        self.names = tuple(name for name, _ in attributes)
        self.encoded = encoded
        self.quoted = _Quoted()
        self.plans: dict[tuple[type, ...], tuple[str, list[tuple[int, Any]]]] = {}

    def __call__(self, data: dict[str, Any]) -> str:
        values: Any = tuple(map(data.get, self.names))
        types = tuple(map(type, values))
        plan = self.plans.get(types)
        if plan is None:
            plan = self.plans[types] = self._plan(types)
        template, converters = plan
        if converters:
            values = list(values)
            for index, convert in converters:
                values[index] = convert(values[index])
        return template.format(*values)

    def _plan(self, types: tuple[type, ...]) -> tuple[str, list[tuple[int, Any]]]:
        parts, converters = [], []
        for index, kind in enumerate(types):
            if kind is type(None):
                continue
            if kind is bool:
                piece, convert = f"{{{index}}}", _BOOLEANS.__getitem__
            elif issubclass(kind, bool):
                piece, convert = f"{{{index}}}", _bool
            elif issubclass(kind, (int, float)):
                piece, convert = f'"{{{index}}}"', None
            elif kind is str:
                piece, convert = f"{{{index}}}", self.quoted.__getitem__
            elif issubclass(kind, str):
                piece, convert = f"{{{index}}}", _xml
            elif kind is list and self.encoded is not None:
                piece, convert = f"{{{index}}}", self._list
            else:
                piece, convert = f"{{{index}}}", _xml_json
            parts.append(f'<attvalue for="{index}" value={piece}/>')
            if convert is not None:
                converters.append((index, convert))
        return (f"<attvalues>{''.join(parts)}</attvalues>" if parts else "", converters)

    def _list(self, value: list[Any]) -> str:
        """``_xml_json(value, encoded)``, at once for the usual list of one entry or none."""
        if not value:
            return "'[]'"
        if len(value) == 1:
            entry = value[0]
            text = self.encoded.get(id(entry))  # type: ignore[union-attr]
            if text is None:
                text = self.encoded[id(entry)] = _JSON(entry)  # type: ignore[index]
            if "'" not in text and "&" not in text and "<" not in text:
                return f"'[{text}]'"
        return _xml_json(value, self.encoded)


def _bool(value: bool) -> str:
    return '"true"' if value else '"false"'


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
            for block in _whole_edges(graph, ends):
                file.write(block)
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
               f"{_edge_text(data, attvalues)}")
    yield from ("</edges>", "</graph>", "</gexf>", "")


def _whole_edges(whole: WholeNetwork, ends: list[bytes], start: int = 0,
                 stop: int | None = None) -> Iterator[bytes]:
    """The lines of the edges ``start`` to ``stop`` of ``whole`` (``ends``: each node's id
    quoted for XML), ``GEXF_CHUNK`` at a time. Each text after the ends is made once for the
    edges of a group (``WholeNetwork.groups``), when the first of a chunk's edges needs it,
    and dropped after the last; the lines are joined by compiled code (``map``, ``zip``,
    ``join``)."""
    stop = len(whole.groups) if stop is None else stop
    at = whole.groups[start:stop]
    last = dict(zip(at, range(start, stop), strict=True))
    sources = list(map(ends.__getitem__, map(itemgetter(0), whole.ends[start:stop])))
    targets = list(map(ends.__getitem__, map(itemgetter(1), whole.ends[start:stop])))
    attvalues = _Attvalues(GEXF_EDGE_ATTRIBUTES, {})
    group_data = whole.group_data
    made = []  # the dicts texts were made of, kept: ``attvalues`` knows their entries by id
    texts: dict[int, bytes] = {}
    for begin in range(start, stop, GEXF_CHUNK):
        end = min(begin + GEXF_CHUNK, stop)
        chunk = at[begin - start:end - start]
        needed = set(chunk)
        for k in needed:
            if k not in texts:
                data = group_data(k)
                made.append(data)
                texts[k] = _edge_text(data, attvalues).encode()
        yield b"".join(chain.from_iterable(zip(
            map(b'<edge id="%d" source='.__mod__, range(begin, end)),
            sources[begin - start:end - start], repeat(b" target="),
            targets[begin - start:end - start], map(texts.__getitem__, chunk),
            repeat(b"\n"))))
        for k in needed:
            if last[k] < end:
                del texts[k]


def _edge_text(data: dict[str, Any], attvalues: _Attvalues) -> str:
    """An edge element's text from its ``weight`` on."""
    spells = data.get("spells")
    if spells:
        if len(spells) == 1:
            (start, end), = spells
            spells = f'<spells><spell start="{start}" end="{end}"/></spells>'
        else:
            spells = "".join(f'<spell start="{start}" end="{end}"/>' for start, end in spells)
            spells = f"<spells>{spells}</spells>"
    return f' weight="{data["weight"]}">{attvalues(data)}{spells or ""}</edge>'


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
