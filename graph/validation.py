"""SHACL validation of a whole store against the customs-kg shapes: the constraints run as
SPARQL queries in the store (``validate_store``), or, as the reference, pySHACL over a copy in
rdflib (``validate_with_pyshacl``)."""

from __future__ import annotations

import io
import logging
import re
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


def validate_with_pyshacl(store: GraphStore) -> ValidationReport:
    """Validate the store's union graph with pySHACL, copied into rdflib: the reference the
    SPARQL checks are tested against (``tests/test_validation_scale.py``); memory and time grow
    with the store (457 s and 3.3 GB at 1M triples), so ``validate_store`` does not use it."""
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
    return _finish(store, conforms, violations, results.serialize(format="turtle"))


def _finish(store: GraphStore, conforms: bool, violations: list[Violation],
            turtle: str) -> ValidationReport:
    files = _files_of(store, {v.focus for v in violations})
    for v in violations:
        v.files = files.get(v.focus, [])
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.message))
    return ValidationReport(conforms, violations, turtle)


def validate_store(store: GraphStore) -> ValidationReport:
    """Validate the store against the shapes, each constraint one SPARQL query the store runs
    (``graph.queries.shape_checks``): the results pySHACL gives on the union of the store's
    graphs, without copying it. What an extracted claim a loaded review rejects states of its
    item counts as ``store_as_graph`` says: those items are checked apart, on a small in-memory
    copy of their statements (and of the nodes they point to)."""
    rejected = rejected_claims(store)
    reviewed = {item for item, _ in rejected}
    found = [v for v in run_checks(store) if v.focus not in reviewed]
    if reviewed:
        found += [v for v in run_checks(_reviewed_items(store, rejected))
                  if v.focus in reviewed]
    conforms = not any(v.severity == "Violation" for v in found)
    return _finish(store, conforms, found, report_turtle(conforms, found))


def run_checks(store: GraphStore) -> list[Violation]:
    """Every check of the shapes on ``store``: one Violation per result."""
    from graph.queries.shape_checks import shape_checks

    found = []
    for check in shape_checks():
        rows = store.select(check.query)
        if rows and check.targets is not None:
            rows = _on_targets(store, check.targets, rows)
        for row in rows:
            message = check.message
            if check.component == "SPARQLConstraint":  # {?var} / {$var}: the row's values
                for name, value in row.items():
                    message = re.sub(r"\{[?$]" + re.escape(name) + r"\}",
                                     lambda _m, v=value: v.value, message)
            path = row["path"].value if "path" in row else check.path
            focus = row["value"] if check.on_value else row["this"]
            if check.on_value:  # pySHACL names the node as in N-Triples (no prefix of ours)
                message = message.replace("{focus}", str(focus))
            found.append(Violation(focus.value, path, message, check.severity))
    return found


LISTED_TARGETS = 1000
"""Up to this many nodes found are looked up as focus nodes; more, and every focus node of the
shape is read instead (the kinds of 550,000 events found by the agreements' kind check)."""


def _on_targets(store: GraphStore, targets: str, rows: list[dict]) -> list[dict]:
    """The rows whose ?this is a focus node of the check's shape."""
    from pyoxigraph import NamedNode

    from graph.queries import values_clause

    nodes = {row["this"] for row in rows}
    if len(nodes) <= LISTED_TARGETS and all(isinstance(n, NamedNode) for n in nodes):
        query = targets.replace("#VALUES", values_clause("this", sorted(nodes, key=str)))
    else:  # many, or blank nodes (which a query cannot list): every focus node, then those
        query = targets
    focus = {row["this"] for row in store.select(query)}
    return [row for row in rows if row["this"] in focus]


def _reviewed_items(store: GraphStore, rejected: set[tuple[str, str]]) -> GraphStore:
    """An in-memory store holding what counts of the reviewed items (``store_as_graph``'s rule)
    and every statement of the nodes they point to."""
    from pyoxigraph import NamedNode, Quad

    from graph.queries import values_clause
    from graph.store import OxigraphStore

    items = sorted({item for item, _ in rejected})
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
                        + values_clause("s", map(NamedNode, items)))
    kept = [r for r in rows if (r["s"].value, r["g"].value) not in rejected]
    stated = {(r["s"].value, r["p"].value) for r in kept}
    chosen = kept + [r for r in rows if (r["s"].value, r["g"].value) in rejected
                     and (r["s"].value, r["p"].value) not in stated]
    pointed = sorted({r["o"].value for r in chosen if isinstance(r["o"], NamedNode)})
    if pointed:
        chosen += store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
                               + values_clause("s", map(NamedNode, pointed)))
    copy = OxigraphStore(None)
    graph = NamedNode("urn:customs-kg:reviewed-items")
    copy.add_quads(Quad(r["s"], r["p"], r["o"], graph) for r in chosen)
    return copy


def report_turtle(conforms: bool, violations: list[Violation]) -> str:
    """The results as a SHACL validation report, in Turtle."""
    report = rdflib.Graph()
    report.bind("sh", SH)
    node = rdflib.BNode()
    report.add((node, rdflib.RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, rdflib.Literal(conforms)))
    for v in violations:
        result = rdflib.BNode()
        report.add((node, SH.result, result))
        report.add((result, rdflib.RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, rdflib.URIRef(v.focus)))
        if v.path:
            report.add((result, SH.resultPath, rdflib.URIRef(v.path)))
        report.add((result, SH.resultMessage, rdflib.Literal(v.message)))
        report.add((result, SH.resultSeverity, SH[v.severity]))
    return report.serialize(format="turtle")
