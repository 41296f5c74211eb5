"""SHACL validation of a whole store against the customs-kg shapes."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import RdfFormat

from graph.store import GraphStore
from ontology.validation import validate_graph

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    turtle: str = ""

    def text(self) -> str:
        if self.conforms:
            return "valid: the graph conforms to the customs-kg shapes"
        lines = [f"{len(self.violations)} violation(s):"]
        for v in self.violations:
            where = f" ({v.path})" if v.path else ""
            lines.append(f"  {v.severity}: {v.focus}{where}: {v.message}")
        counts = Counter(v.message for v in self.violations)
        if len(counts) < len(self.violations):
            lines.append("by message:")
            lines += [f"  {n:5}  {m}" for m, n in counts.most_common()]
        return "\n".join(lines)


def store_as_graph(store: GraphStore) -> rdflib.Graph:
    """The union of every named graph of the store, as one rdflib graph."""
    buffer = io.BytesIO()
    store.dump(buffer, RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=buffer.getvalue(), format="nt")
    return graph


def validate_store(store: GraphStore) -> ValidationReport:
    """Validate the store's union graph with pySHACL; every violation with its focus node."""
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
    violations.sort(key=lambda v: (v.focus, v.message))
    return ValidationReport(conforms, violations, results.serialize(format="turtle"))
