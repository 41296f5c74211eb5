"""The SHACL shapes as SPARQL: each constraint of ``ontology/shapes.ttl`` becomes one SELECT
query whose rows are its validation results, run by the store itself (no copy of the graph).

Compiled the way pySHACL evaluates the shapes over the union of the store's graphs with the
ontology mixed in (``ontology.validation.validate_graph``): focus nodes are a shape's targets
(``sh:targetClass`` with the ontology's subclasses, ``sh:targetSubjectsOf``); one result per
focus node for ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue`` and node-level constraints,
one per (focus node, value node) for value constraints (``sh:datatype``, ``sh:pattern``,
``sh:nodeKind``, ``sh:in``, ``sh:node``, ``sh:or``, ``sh:minInclusive``, ``sh:maxInclusive``),
one per solution for ``sh:sparql``. Literals are well formed when the store can cast their
lexical form to their datatype (an ``xsd:date`` of 30 February is not). Paths are single
properties; a shape using anything else raises ``ShapeNotSupported``, so an edit of the shapes
cannot be silently skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import BNode, Literal, Node, URIRef

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
CASTS = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.decimal, XSD.integer, XSD.boolean,
         XSD.dateTime}
"""Datatypes whose lexical forms the store checks by casting (others: any form)."""
VALUE_COMPONENTS = (SH.datatype, SH.pattern, SH.nodeKind, SH["in"], SH.node, SH["or"],
                    SH.minInclusive, SH.maxInclusive)
ERROR_FREE = (SH.node, SH["or"])
"""Components whose tests raise no error (built by ``conforms``)."""
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
              SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
              SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))"}


class ShapeNotSupported(ValueError):
    """A shape uses a SHACL feature this compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint as a query: each row a result on ``?this`` (the focus node), with
    ``?value`` and, for SPARQL constraints, ``?path`` and the message's variables."""

    query: str
    shape: str
    component: str
    path: str | None
    message: str
    severity: str
    targets: str | None = None
    """When set, ``query`` may find nodes that are not focus nodes: this SELECT, with a VALUES
    block of the found ?this in place of its ``#VALUES`` marker, keeps the focus nodes (few
    rows break a constraint, so they are looked up after the values were tested)."""

    @property
    def on_value(self) -> bool:
        """Whether the result is on the value node (``?focus``), a nested result of sh:node."""
        return "BIND(?value AS ?focus)" in self.query


def term(node: Node) -> str:
    """An rdflib IRI or literal in SPARQL syntax."""
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise ShapeNotSupported(f"a blank node where a term is expected: {node}")


class Compiler:
    """Turns the shapes graph into checks; the ontology gives subclasses and the concepts
    (``skos:inScheme``) that value nodes are looked up in besides the store."""

    def __init__(self, shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
        self.g = shapes
        self.ontology = ontology

    def checks(self) -> list[Check]:
        found: list[Check] = []
        shapes = set(self.g.subjects(SH.targetClass)) | set(self.g.subjects(SH.targetSubjectsOf))
        for shape in sorted(shapes, key=str):
            if (shape, SH.targetNode, None) in self.g or (shape, SH.targetObjectsOf, None) in \
                    self.g:
                raise ShapeNotSupported(f"{shape}: only class and subjects-of targets")
            found += self.shape_checks(shape)
        return found

    # -- targets ------------------------------------------------------------------------------
    def subjects_of(self, shape: Node) -> list[Node]:
        return sorted(self.g.objects(shape, SH.targetSubjectsOf), key=str)

    def targets(self, shape: Node) -> str:
        classes: set[Node] = set()
        for cls in self.g.objects(shape, SH.targetClass):
            classes |= set(self.ontology.transitive_subjects(RDFS.subClassOf, cls))
        parts = [f"{{ ?this a {term(c)} }}" for c in sorted(classes, key=str)]
        parts += [f"{{ ?this {term(p)} [] }}" for p in self.subjects_of(shape)]
        return " UNION ".join(parts)

    def target_nodes(self, shape: Node) -> str:
        """A pattern binding ?this to each focus node of ``shape`` once."""
        return "{ SELECT DISTINCT ?this WHERE { " + self.targets(shape) + " } }"

    # -- one node shape -----------------------------------------------------------------------
    def shape_checks(self, shape: Node) -> list[Check]:
        targets = self.target_nodes(shape)
        severity = self.severity(shape)
        message = self.message(shape)
        found = []
        for component in (*VALUE_COMPONENTS, SH.hasValue):  # on the focus node itself
            for _ in self.g.objects(shape, component):
                missing = self.all_missing(shape, component)
                if missing is not None:  # none of the alternatives has its value: MINUS
                    query = f"SELECT ?this WHERE {{ {targets} {missing} }}"
                else:
                    test = self.guarded_test(shape, component, "?this")
                    query = f"SELECT ?this WHERE {{ {targets} FILTER(!{test}) }}"
                found.append(Check(
                    query, str(shape), _name(component), None,
                    message or f"the node does not conform to {_name(component)}", severity))
        for constraint in self.g.objects(shape, SH.sparql):
            found.append(self.sparql_check(shape, constraint, targets, severity))
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            found += self.property_checks(
                shape, prop, targets,
                f"SELECT DISTINCT ?this WHERE {{ #VALUES\n {{ {self.targets(shape)} }} }}")
        return found

    def all_missing(self, shape: Node, component: Node) -> str | None:
        """For an ``sh:or`` of "has a value of P" shapes: MINUS blocks that leave the focus
        nodes with none of them (evaluated as one set, not node by node); else None."""
        if component != SH["or"]:
            return None
        blocks = []
        for member in Collection(self.g, self.g.value(shape, component)):
            path, minimum = self.g.value(member, SH.path), self.g.value(member, SH.minCount)
            rest = set(self.g.predicates(member)) - {SH.path, SH.minCount, RDF.type}
            if not isinstance(path, URIRef) or rest or minimum is None or int(minimum) != 1:
                return None
            blocks.append(f"MINUS {{ ?this {term(path)} ?any }}")
            known = [term(k) for k in self.ontology.subjects(path, None)
                     if not isinstance(k, BNode)]
            if known:
                blocks.append(f"FILTER(?this NOT IN ({', '.join(sorted(known))}))")
        return " ".join(blocks)

    def severity(self, shape: Node) -> str:
        value = self.g.value(shape, SH.severity)
        return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"

    def message(self, shape: Node) -> str | None:
        value = self.g.value(shape, SH.message)
        return str(value) if value is not None else None

    def sparql_check(self, shape: Node, constraint: Node, targets: str,
                     severity: str) -> Check:
        select = str(self.g.value(constraint, SH.select))
        prefixes = "".join(
            f"PREFIX {decl_prefix}: <{decl_ns}>\n"
            for declared in self.g.objects(constraint, SH.prefixes)
            for decl in self.g.objects(declared, SH.declare)
            for decl_prefix, decl_ns in [(self.g.value(decl, SH.prefix),
                                          self.g.value(decl, SH.namespace))])
        select = select.replace("$this", "?this")
        # FILTER NOT EXISTS on the focus node alone is a MINUS (the same results, evaluated
        # as one set rather than node by node: seconds instead of minutes at 10M triples)
        select = re.sub(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}",
                        lambda m: _as_minus(m, select), select)
        where = re.search(r"WHERE\s*\{", select, re.IGNORECASE)
        head = re.match(r"\s*SELECT\s+(DISTINCT\s+)?", select, re.IGNORECASE)
        if where is None or head is None:
            raise ShapeNotSupported(f"{shape}: a SPARQL constraint that is not a SELECT … WHERE")
        select = ("SELECT DISTINCT " + select[head.end():where.end()] + f" {targets} "
                  + select[where.end():])
        message = (self.message(shape) or self.message(constraint)
                   or "the node does not conform to a SPARQL constraint")
        return Check(prefixes + select, str(shape), "SPARQLConstraint", None, message, severity)

    # -- property shapes ----------------------------------------------------------------------
    def property_checks(self, shape: Node, prop: Node, targets: str,
                        is_target: str | None) -> list[Check]:
        """``targets`` binds the focus nodes; ``is_target`` selects those of the ?this found
        (``Check.targets``)."""
        path = self.g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            raise ShapeNotSupported(f"{shape}: property paths other than one property")
        p = term(path)
        severity = self.severity(prop)
        message = self.message(prop)
        # a value implies the focus node is a target when the shape targets subjects of p
        if path in self.subjects_of(shape):
            is_target = None
        found = []

        def check(query: str, component: Node, default: str, all_targets: bool = False) -> None:
            found.append(Check(query, str(shape), _name(component), str(path),
                               message or default, severity,
                               None if all_targets else is_target))

        for count in self.g.objects(prop, SH.minCount):
            n = int(count)
            if n == 1:
                query = f"SELECT ?this WHERE {{ {targets} MINUS {{ ?this {p} ?any }} }}"
                check(query, SH.minCount, f"Less than {n} values on {path}", True)
                continue
            else:
                query = (f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {p} ?value }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")
            if n > 0:
                check(query, SH.minCount, f"Less than {n} values on {path}", True)
        for count in self.g.objects(prop, SH.maxCount):
            check(f"SELECT ?this WHERE {{ {{ SELECT ?this WHERE {{ ?this {p} ?value }} "
                  f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {int(count)}) }} }}",
                  SH.maxCount, f"More than {int(count)} values on {path}")
        for value in self.g.objects(prop, SH.hasValue):
            check(f"SELECT ?this WHERE {{ {targets} MINUS {{ ?this {p} {term(value)} }} }}",
                  SH.hasValue, f"Missing expected value {value} on {path}", True)
        for component in VALUE_COMPONENTS:
            for _ in self.g.objects(prop, component):
                test = self.guarded_test(prop, component, "?value")
                check(f"SELECT DISTINCT ?this ?value WHERE {{ ?this {p} ?value "
                      f"FILTER(!{test}) }}", component,
                      f"Value does not conform to {_name(component)} on {path}")
        for node in self.g.objects(prop, SH.node):
            found += self.node_details(node, p, is_target)
        return found

    def node_details(self, node: Node, p: str, is_target: str | None) -> list[Check]:
        """What pySHACL reports besides a failed ``sh:node``: the nested results on the value
        node, one per property shape of the node shape it fails (``sh:hasValue`` only)."""
        found = []
        for prop in self.g.objects(node, SH.property):
            path = self.g.value(prop, SH.path)
            values = list(self.g.objects(prop, SH.hasValue))
            extra = set(self.g.predicates(prop)) - {SH.path, SH.hasValue, RDF.type}
            if not values or extra or not isinstance(path, URIRef):
                raise ShapeNotSupported(f"{node}: a property shape under sh:node that is not "
                                        "one path with sh:hasValue")
            names = [v.n3(self.g.namespace_manager) for v in values]
            test = self.property_test(prop, "?value")
            found.append(Check(
                f"SELECT DISTINCT ?value ?this WHERE {{ ?this {p} ?value "
                f"FILTER(!{test}) }} # BIND(?value AS ?focus)",
                str(node), "HasValueConstraintComponent", str(path),
                "Node {focus}->" + path.n3(self.g.namespace_manager)
                + f" does not contain a value in the set: {names}", self.severity(prop),
                is_target))
        return found

    # -- whether a node conforms: SPARQL expressions ------------------------------------------
    def component_test(self, shape: Node, component: Node, v: str) -> str:
        """The test of one constraint component of ``shape`` on the node ``v``."""
        value = self.g.value(shape, component)
        if component == SH.datatype:
            test = f"(isLiteral({v}) && DATATYPE({v}) = {term(value)}"
            if value in CASTS:
                test += f" && isLiteral({term(value)}(STR({v})))"
            return test + ")"
        if component == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            return (f"REGEX(STR({v}), {Literal(str(value)).n3()}"
                    + (f", {Literal(str(flags)).n3()})" if flags else ")"))
        if component == SH.nodeKind:
            return NODE_KINDS[value].format(v=v)
        if component == SH["in"]:
            members = list(Collection(self.g, value))
            return "(" + " || ".join(_same_term(v, m) for m in members) + ")" \
                if members else "false"
        if component == SH.hasValue:
            return _same_term(v, value)
        if component in (SH.minInclusive, SH.maxInclusive):
            op = ">=" if component == SH.minInclusive else "<="
            return f"({v} {op} {term(value)})"
        if component == SH.node:
            return self.conforms(value, v)
        if component == SH["or"]:
            members = list(Collection(self.g, value))
            return "(" + " || ".join(self.conforms(m, v) for m in members) + ")"
        raise ShapeNotSupported(f"{shape}: {component}")

    def guarded_test(self, shape: Node, component: Node, v: str) -> str:
        """``component_test`` with an error counted as a failure: ``COALESCE(test, false)``,
        but for ``sh:node`` and ``sh:or``, whose tests (``conforms``: guarded parts and
        EXISTS, which raises no error) never raise one. Virtuoso compiles no EXISTS inside
        COALESCE (docs/remote-stores.md)."""
        test = self.component_test(shape, component, v)
        return test if component in ERROR_FREE else f"COALESCE({test}, false)"

    def conforms(self, shape: Node, v: str) -> str:
        """A test that node ``v`` conforms to ``shape`` (a node shape or a property shape)."""
        tests = []
        if (shape, SH.path, None) in self.g:
            tests.append(self.property_test(shape, v))
        else:
            for component in (*VALUE_COMPONENTS, SH.hasValue):
                for _ in self.g.objects(shape, component):
                    tests.append(self.guarded_test(shape, component, v))
            for prop in self.g.objects(shape, SH.property):
                tests.append(self.property_test(prop, v))
        return "(" + " && ".join(tests) + ")" if tests else "true"

    def property_test(self, prop: Node, v: str) -> str:
        """``v`` has what the property shape asks (a value, or a given value), in the store
        or in the ontology (which pySHACL mixes into the data); raises no error."""
        path = self.g.value(prop, SH.path)
        allowed = {SH.path, SH.minCount, SH.hasValue, SH.message, SH.severity, RDF.type}
        extra = {p for p in self.g.predicates(prop) if p not in allowed}
        if not isinstance(path, URIRef) or extra:
            raise ShapeNotSupported(f"a nested property shape with {sorted(extra) or path}")
        tests = []
        minimum = self.g.value(prop, SH.minCount)
        if minimum is not None and int(minimum) > 1:
            raise ShapeNotSupported("a nested sh:minCount above 1")
        if minimum is not None and int(minimum) == 1:
            known = set(self.ontology.subjects(path, None))
            tests.append(_exists_or_known(f"{v} {term(path)} []", v, known))
        for value in self.g.objects(prop, SH.hasValue):
            known = set(self.ontology.subjects(path, value))
            tests.append(_exists_or_known(f"{v} {term(path)} {term(value)}", v, known))
        return "(" + " && ".join(tests) + ")" if tests else "true"


def _as_minus(match: re.Match, query: str) -> str:
    """``FILTER NOT EXISTS { P }`` as ``MINUS { P }`` when P shares only ?this with the rest
    of the query (then both remove the same solutions); else unchanged."""
    inner = match.group(1)
    rest = query[:match.start()] + query[match.end():]
    shared = set(re.findall(r"[?$](\w+)", inner)) & set(re.findall(r"[?$](\w+)", rest))
    if "this" not in re.findall(r"[?$](\w+)", inner) or shared != {"this"}:
        return match.group(0)
    return f"MINUS {{{inner}}}"


def _same_term(v: str, node: Node) -> str:
    """A test that ``v`` is the RDF term ``node``. A plain string is compared by its parts:
    RDF 1.1 makes "x" and "x"^^xsd:string one term, which some engines (Virtuoso) keep apart
    in ``sameTerm``."""
    if isinstance(node, Literal) and node.language is None and node.datatype in (None,
                                                                                 XSD.string):
        return (f"(isLiteral({v}) && lang({v}) = \"\" && datatype({v}) = {term(XSD.string)} "
                f"&& str({v}) = {term(Literal(str(node)))})")
    return f"sameTerm({v}, {term(node)})"


def _exists_or_known(pattern: str, v: str, known: set[Node]) -> str:
    listed = [term(k) for k in sorted(known, key=str) if not isinstance(k, BNode)]
    exists = f"EXISTS {{ {pattern} }}"
    return f"({v} IN ({', '.join(listed)}) || {exists})" if listed else exists


def _name(component: Node) -> str:
    name = str(component).rsplit("#", 1)[-1]
    return name[0].upper() + name[1:] + "ConstraintComponent"


@lru_cache(maxsize=1)
def shape_checks() -> tuple[Check, ...]:
    """The checks of the project's shapes, compiled once."""
    from ontology.validation import ontology_graph, shapes_graph

    return tuple(Compiler(shapes_graph(), ontology_graph()).checks())
