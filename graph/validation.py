"""SHACL validation of a whole store against the customs-kg shapes."""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import RdfFormat, serialize

from graph.queries.review import rejected_claims
from graph.store import GraphStore
from ontology.validation import validate_graph

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


PREFIXES = (
    ("https://w3id.org/customs-kg/id/", "id:"),
    ("https://w3id.org/customs-kg/ontology#", "ckg:"),
    ("http://purl.org/dc/terms/", "dct:"),
    ("https://schema.org/", "schema:"),
    ("http://www.w3.org/ns/org#", "org:"),
    ("http://www.w3.org/ns/prov#", "prov:"),
    ("http://www.w3.org/2004/02/skos/core#", "skos:"),
)


def compact(iri: str) -> str:
    """An IRI in the prefixed form analysts read (``id:agreement/x``, ``ckg:party``)."""
    for namespace, prefix in PREFIXES:
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str
    files: list[str] = field(default_factory=list)  # the loaded files stating the focus node


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    turtle: str = ""

    def text(self) -> str:
        counts = Counter(v.severity for v in self.violations)
        summary = ", ".join(f"{n} {severity.lower()}{'s' if n > 1 else ''}"
                            for severity, n in sorted(counts.items(), key=lambda kv: kv[0]))
        if self.conforms:
            head = "valid: the graph conforms to the customs-kg shapes"
            return head + (f" ({summary})" if summary else "") + "".join(
                f"\n  {line}" for line in self._lines())
        return "\n".join([f"invalid: {summary}", *(f"  {line}" for line in self._lines())])

    def _lines(self) -> list[str]:
        lines = []
        for v in self.violations:
            where = f" {compact(v.path)}" if v.path else ""
            files = f" [{', '.join(v.files)}]" if v.files else ""
            lines.append(f"{v.severity}: {compact(v.focus)}{where}: {v.message}{files}")
        return lines


FOCUS_FILES_QUERY = """
SELECT DISTINCT ?focus ?path WHERE {
  GRAPH ?g { ?focus ?p ?o }
  GRAPH ?g { ?g a ckg:LoadedFile ; ckg:path ?path }
}
"""


def _files_of(store: GraphStore, focus_nodes: set[str]) -> dict[str, list[str]]:
    """The loaded files that state something about each focus node (one query)."""
    from pyoxigraph import NamedNode

    from graph.queries import values_clause
    from graph.queries.items import display_path

    iris = [NamedNode(f) for f in focus_nodes if f.startswith(("http://", "https://", "urn:"))]
    if not iris:
        return {}
    query = FOCUS_FILES_QUERY + values_clause("focus", iris)
    files: dict[str, list[str]] = {}
    for row in store.select(query):
        files.setdefault(row["focus"].value, []).append(display_path(row["path"].value, store))
    return {focus: sorted(paths) for focus, paths in files.items()}


@contextmanager
def ill_typed_literals_quiet() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal ("2019-13-45"^^xsd:date); the shapes
    report those as violations, so the log stays quiet."""
    logger = logging.getLogger("rdflib.term")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def store_as_graph(store: GraphStore) -> rdflib.Graph:
    """The union of every named graph of the store, as one rdflib graph; what an extracted
    claim a loaded review rejects states of its item (``rejected_claims``) counts only where
    no other graph states that property of it: a correction's restated values replace the
    rejected ones, and a fact only the rejected claim gives (its title) is still there."""
    buffer = io.BytesIO()
    rejected = rejected_claims(store)
    if rejected:
        quads = list(store.quads())
        kept = [(q.subject.value, getattr(q.graph_name, "value", "")) not in rejected
                for q in quads]
        # what another graph states too (the restated kind of a correction) replaces it
        stated = {(q.subject.value, q.predicate.value)
                  for q, k in zip(quads, kept, strict=True) if k}
        triples = {q.triple for q, k in zip(quads, kept, strict=True)
                   if k or (q.subject.value, q.predicate.value) not in stated}
        serialize(triples, buffer, RdfFormat.N_TRIPLES)
    else:
        store.dump(buffer, RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    with ill_typed_literals_quiet():
        graph.parse(data=buffer.getvalue(), format="nt")
    return graph


def validate_store(store: GraphStore) -> ValidationReport:
    """Validate the store's union graph with pySHACL; every violation with its focus node."""
    with ill_typed_literals_quiet():
        conforms, results, _text = validate_graph(store_as_graph(store))
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=str(focus), path=str(path) if path is not None else None,
            message=str(message) if message is not None else "constraint violated",
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        ))
    files = _files_of(store, {v.focus for v in violations})
    for v in violations:
        v.files = files.get(v.focus, [])
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.message))
    return ValidationReport(conforms, violations, results.serialize(format="turtle"))
