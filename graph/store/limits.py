"""Bounds on what an input file may make the loader do: XML entity expansion in RDF/XML, and
the nesting of JSON-LD.

Oxigraph's RDF/XML parser expands the internal entities a document declares in its DOCTYPE,
with no bound: a 1 KB "billion laughs" file grows to gigabytes. Before such a file is loaded,
its DOCTYPE's entity declarations are read here and the document refused when an entity is
recursive, is a parameter or external entity, expands to more than ``MAX_ENTITY_SIZE``
characters, or when all the references in the document together would expand to more than
``MAX_EXPANSION`` characters. Ordinary RDF/XML (OWL files that abbreviate namespaces with
entities) stays far below both.
"""

from __future__ import annotations

import mmap
import os
import re
from pathlib import Path

from graph.errors import SourceError

MAX_ENTITY_SIZE = 64 * 1024
MAX_EXPANSION = 64 * 1024 * 1024
PROLOG_LIMIT = 4 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s]+)\s+(SYSTEM|PUBLIC)?\s*"
                     rb"(\"[^\"]*\"|'[^']*')", re.DOTALL)
_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:-]*);")


def check_xml_entities(path: Path, display: str | None = None) -> None:
    """Refuse an XML file whose entities could expand without bound (SourceError)."""
    name = display or str(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(PROLOG_LIMIT)
    except OSError as err:
        raise SourceError(f"{name}: cannot read: {err.strerror}") from err
    if b"<!ENTITY" not in head:
        return
    doctype = _DOCTYPE.search(head)
    if doctype is None:
        raise SourceError(f"{name}: refused: a DOCTYPE whose entity declarations could not be "
                          f"read in the first {PROLOG_LIMIT // (1024 * 1024)} MB")
    values: dict[bytes, bytes] = {}
    for match in _ENTITY.finditer(doctype[1]):
        parameter, entity, external, value = match.groups()
        if parameter or external:
            raise SourceError(f"{name}: refused: the XML declares a "
                              f"{'parameter' if parameter else 'external'} entity "
                              f"'{entity.decode(errors='replace')}'")
        values[entity] = value[1:-1]
    sizes: dict[bytes, int] = {}

    def size(entity: bytes, trail: tuple[bytes, ...]) -> int:
        if entity in sizes:
            return sizes[entity]
        if entity in trail:
            raise SourceError(f"{name}: refused: XML entity '{entity.decode(errors='replace')}' "
                              "refers to itself")
        value = values[entity]
        total = len(value)
        for ref in _REFERENCE.findall(value):
            if ref in values:
                total += size(ref, (*trail, entity)) - len(ref) - 2
            if total > MAX_ENTITY_SIZE:
                raise SourceError(
                    f"{name}: refused: XML entity '{entity.decode(errors='replace')}' expands "
                    f"to more than {MAX_ENTITY_SIZE // 1024} KB (an entity expansion bomb?)")
        sizes[entity] = total
        return total

    for entity in values:
        size(entity, ())
    body_start = doctype.end()
    expansion = 0
    with open(path, "rb") as handle:
        handle.seek(body_start)
        carry = b""
        while chunk := handle.read(1 << 20):
            text = carry + chunk
            cut = max(0, len(text) - 256)
            for match in _REFERENCE.finditer(text):
                if match.start() < cut:
                    expansion += sizes.get(match[1], 0)
            carry = text[cut:]
            if expansion > MAX_EXPANSION:
                break
        else:
            for ref in _REFERENCE.findall(carry):
                expansion += sizes.get(ref, 0)
    if expansion > MAX_EXPANSION:
        raise SourceError(f"{name}: refused: its XML entities would expand to more than "
                          f"{MAX_EXPANSION // (1024 * 1024)} MB (an entity expansion bomb?)")


MAX_JSON_DEPTH = 256
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def check_json_depth(path: Path, display: str | None = None) -> None:
    """Refuse a JSON(-LD) file nested deeper than ``MAX_JSON_DEPTH`` (Oxigraph's JSON-LD parser
    recurses, and overflows its stack on a few thousand levels)."""
    name = display or str(path)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as text:
                depth = 0
                for match in _JSON_TOKEN.finditer(text):
                    token = match[0]
                    if token in (b"[", b"{"):
                        depth += 1
                        if depth > MAX_JSON_DEPTH:
                            raise SourceError(
                                f"{name}: nested more than {MAX_JSON_DEPTH} levels deep")
                    elif token in (b"]", b"}"):
                        depth -= 1
    except OSError as err:
        raise SourceError(f"{name}: cannot read: {err.strerror}") from err
