"""The text of GEXF attributes: values quoted for XML, lists as JSON text, each element's
``attvalues`` from a template per combination of value types, and an edge's text from its
attributes or, quicker, straight from the items it rests on (``ItemsText``).
"""

from __future__ import annotations

import json
import re
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any
from xml.sax.saxutils import quoteattr

from graph.network.facts import BASIS_RANK, ItemFacts
from graph.network.partners import PartnerWeights, _merge_spells

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
        return _quoted_json(_encoded_list(value, encoded))
    return _quoted_json(_JSON(value))


def _quoted_json(text: str) -> str:
    """JSON ``text`` as an attribute value (``_xml_json``)."""
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


class ItemsText:
    """``edge_text`` of the attributes ``Summaries.of(items)`` makes (an edge whose ends list
    no ``body`` or ``through``), made straight from the items, each item's evidence entry
    encoded once: a fifth of the time of making the attributes and then their text. None for
    items with a number of an unusual type (not an ``int`` or ``float``)."""

    def __init__(self, weights: PartnerWeights) -> None:
        self.weights = weights
        self.entries: dict[str, str | None] = {}
        self.rank_of = BASIS_RANK.__getitem__

    def entry(self, item: ItemFacts) -> str | None:
        """``_JSON`` of the item's evidence entry (``Summaries.ref``)."""
        found = self.entries.get(item.iri, False)
        if found is not False:
            return found  # type: ignore[return-value]
        adds, confidence, count = self.weights.of(item), item.confidence, item.count
        text: str | None = None
        if type(adds) in (int, float) and type(confidence) in (float, type(None)) and \
                type(count) in (int, type(None)):
            date = item.date
            counted = "" if count is None else f'"count": {count}, '
            text = (f'{{"iri": {encode_basestring(item.iri)}, '
                    f'"label": {encode_basestring(item.label)}, '
                    f'"kind": {encode_basestring(item.kind)}, '
                    f'"date": {"null" if date is None else encode_basestring(date)}, '
                    f"{counted}"
                    f'"certainty": {{"basis": {encode_basestring(item.basis)}, "confidence": '
                    f'{"null" if confidence is None else confidence}, "headline_only": '
                    f'{"true" if item.headline_only else "false"}}}, "weight": {adds}}}')
        self.entries[item.iri] = text
        return text

    def __call__(self, items: list[ItemFacts]) -> str | None:
        weight = self.weights.total(items)
        if type(weight) not in (int, float):
            return None
        agreements, events = [], []
        for item in items:
            text = self.entry(item)
            if text is None:
                return None
            (agreements if item.type == "agreement" else events).append(text)
        extracted = [i for i in items if i.basis == "extracted"]
        years = [int(i.date[:4]) for i in items if i.date and i.date[:4].isdigit()]
        basis = min((i.basis for i in items), key=self.rank_of, default="extracted")
        only = basis == "extracted"
        scores = [i.confidence for i in extracted if i.confidence is not None] if only else ()
        spells = "".join(f'<spell start="{start}" end="{end}"/>' for start, end in (
            [(i.start, i.end) for i in items if i.start and i.end] if len(items) == 1 else
            _merge_spells([(i.start, i.end) for i in items if i.start and i.end])))
        return "".join((
            f' weight="{weight}"><attvalues><attvalue for="0" value="{len(agreements)}"/>'
            f'<attvalue for="1" value="{len(events)}"/>',
            f'<attvalue for="2" value="{min(years)}"/><attvalue for="3" value="{max(years)}"/>'
            if years else "", f"<attvalue for=\"4\" value={_xml(basis)}/>",
            f'<attvalue for="5" value="{max(scores)}"/>' if scores else "",
            '<attvalue for="6" value="true"/>' if only and extracted and all(
                i.headline_only for i in extracted) else '<attvalue for="6" value="false"/>',
            f'<attvalue for="7" value="{len(items) - len(extracted)}"/>'
            f'<attvalue for="8" value="{len(extracted)}"/>'
            f'<attvalue for="9" value={_quoted_json("[" + ", ".join(agreements) + "]")}/>'
            f'<attvalue for="10" value={_quoted_json("[" + ", ".join(events) + "]")}/>'
            "</attvalues>",
            f"<spells>{spells}</spells>" if spells else "", "</edge>"))


def edge_text(data: dict[str, Any], attvalues: _Attvalues) -> str:
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
