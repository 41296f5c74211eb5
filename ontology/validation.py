"""Validate an RDF graph against the customs-kg shapes with pySHACL."""

from __future__ import annotations

from functools import lru_cache

import pyshacl
import rdflib

from ontology import ONTOLOGY_PATH, SHAPES_PATH


@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    """The OWL ontology (with its SKOS concept schemes), parsed once."""
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes, parsed once."""
    return rdflib.Graph().parse(SHAPES_PATH, format="turtle")


def validate_graph(data: rdflib.Graph) -> tuple[bool, rdflib.Graph, str]:
    """Validate ``data`` (left unchanged); return (conforms, report graph, report text).

    Warnings (an event without any date) are reported but do not make ``conforms`` false.
    """
    # The ontology (class hierarchy, concept schemes) is merged into a copy of the data here:
    # pySHACL's own ``ont_graph`` mixing took minutes on a few thousand triples.
    merged = rdflib.Graph()
    for triple in data:
        merged.add(triple)
    for triple in ontology_graph():
        merged.add(triple)
    conforms, report, text = pyshacl.validate(
        merged,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return bool(conforms), report, str(text)
