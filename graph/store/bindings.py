"""Binding values to a query's variables, the same way for every store: a one-row VALUES
block at the start of each group graph pattern (never formatting user text into the query)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyoxigraph import BlankNode

from graph.errors import QueryError

Term = object  # a pyoxigraph NamedNode, Literal or Triple

_VARNAME = re.compile(r"\w[\w\u00b7\u0300-\u036f\u203f\u2040]*")
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>#[^\r\n]*)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'(?:[^'\\\r\n]|\\.)*')"
    r"|(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]+)"
    r"|(?P<word>(?:[\w:.\-%]|\\.)+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_QUERY_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


def bind_values(query: str, bindings: Mapping[str, Term] | None) -> str:
    """``query`` with each variable of ``bindings`` pre-bound, for any store.

    Every group graph pattern of the WHERE clause starts with a one-row
    ``VALUES (?a ?b) { (<term> <term>) }`` block, so the variables are bound wherever the
    query uses them: in triple patterns, FILTERs (``BOUND(?a)`` is true), ``BIND(?a AS ?b)``,
    OPTIONAL and MINUS parts, aggregates, and the projection. Subqueries keep their own scope:
    they are joined with the values, not rewritten inside. A trailing VALUES clause after the
    solution modifiers would do less: it joins after grouping and aggregation, so
    ``SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g {…} }`` would count every graph, and it clashes
    with a query's own trailing VALUES.

    Terms are written by pyoxigraph's ``str()`` (N-Triples syntax, escaped); blank nodes cannot
    be bound this way. The text is tokenized (IRIs, strings, comments) to find the patterns.
    """
    if not bindings:
        return query
    values = []
    for name, term in bindings.items():
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"invalid variable name in bindings: '{name}'")
        if isinstance(term, BlankNode):
            raise QueryError(f"cannot bind ?{name} to a blank node on a SPARQL endpoint")
        values.append(str(term))
    block = (f" VALUES ({' '.join('?' + name for name in bindings)})"
             f" {{ ({' '.join(values)}) }} ")
    return _Rewriter(query, block).rewrite()


class _Rewriter:
    """Adds a VALUES block to every group graph pattern of a query's WHERE clause."""

    def __init__(self, query: str, block: str) -> None:
        self.tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(query)]
        self.out = [text for _, text in self.tokens]
        self.block = block

    def rewrite(self) -> str:
        i = self._next(0)
        while i < len(self.tokens) and self._word(i) not in _QUERY_FORMS:
            i = self._next(i + 1)
        if i == len(self.tokens):
            raise QueryError("bindings apply to SELECT, ASK, CONSTRUCT or DESCRIBE queries")
        form = self._word(i)
        if form == "CONSTRUCT":
            template = self._next(i + 1)
            if self._text(template) == "{":  # the template, then the WHERE clause
                i = self._close(template)
            else:  # CONSTRUCT WHERE { triples }: write the template out, then bind
                where = self._find_brace(template)
                end = self._close(where)
                triples = "".join(self.out[where + 1:end])
                self.out[i] += " {" + triples + "}"
        where = self._find_brace(i + 1)
        self._group(where)
        return "".join(self.out)

    # token helpers
    def _next(self, i: int) -> int:
        """The first significant token at or after ``i``."""
        while i < len(self.tokens) and self.tokens[i][0] in ("space", "comment"):
            i += 1
        return i

    def _text(self, i: int) -> str:
        return self.tokens[i][1] if i < len(self.tokens) else ""

    def _word(self, i: int) -> str:
        if i < len(self.tokens) and self.tokens[i][0] == "word":
            return self.tokens[i][1].upper()
        return ""

    def _find_brace(self, i: int) -> int:
        """The first ``{`` at or after ``i`` outside parentheses: a WHERE clause's pattern."""
        depth = 0
        for j in range(i, len(self.tokens)):
            text = self.tokens[j][1] if self.tokens[j][0] == "other" else ""
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
            elif text == "{" and depth <= 0:
                return j
        raise QueryError("bindings need a query with a WHERE clause")

    def _close(self, i: int) -> int:
        """The ``}`` matching the ``{`` at ``i``."""
        depth = 0
        for j in range(i, len(self.tokens)):
            kind, text = self.tokens[j]
            if kind == "other" and text == "{":
                depth += 1
            elif kind == "other" and text == "}":
                depth -= 1
                if depth == 0:
                    return j
        raise QueryError("SPARQL error: unbalanced braces in the query")

    def _group(self, i: int) -> int:
        """Bind in the group graph pattern opening at ``i``; the index of its ``}``."""
        if self._text(i + 1) == "|":  # an RDF-star annotation {| … |}, not a pattern
            return self._close(i)
        first = self._next(i + 1)
        if self._word(first) == "SELECT":  # a subquery: joined with the values, untouched
            end = self._close(i)
            self.out[i] = "{" + self.block + "{"
            self.out[end] = "} }"
            return end
        self.out[i] = "{" + self.block
        j = first
        while j < len(self.tokens):
            kind, text = self.tokens[j]
            if kind == "word" and text.upper() == "VALUES":  # inline data: no pattern inside
                j = self._close(self._find_brace(j + 1))
            elif kind == "other" and text == "{":
                j = self._group(j)
            elif kind == "other" and text == "}":
                return j
            j = self._next(j + 1)
        raise QueryError("SPARQL error: unbalanced braces in the query")


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the form of a query (its first such
    keyword outside IRIs, strings and comments), or None for anything else."""
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "word" and match.group().upper() in _QUERY_FORMS:
            return match.group().upper()
    return None


def parse_binding(text: str) -> tuple[str, Term]:
    """``NAME=VALUE`` as a variable name and a term: ``<iri>`` or a URL is an IRI,
    ``text^^xsd:type`` (or ``^^<datatype IRI>``) a typed literal, anything else a plain literal.
    Raises QueryError naming what is wrong."""
    from pyoxigraph import Literal, NamedNode

    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME.fullmatch(name):
        raise QueryError(f"'{text}' is not NAME=VALUE")
    try:
        if value.startswith("<") and value.endswith(">"):
            return name, NamedNode(value[1:-1])
        if value.startswith(("http://", "https://", "urn:")):
            return name, NamedNode(value)
        if "^^" in value:
            lexical, _, datatype = value.rpartition("^^")
            datatype = datatype.strip("<>")
            if datatype.startswith("xsd:"):
                datatype = "http://www.w3.org/2001/XMLSchema#" + datatype[4:]
            return name, Literal(lexical, datatype=NamedNode(datatype))
    except ValueError as err:
        raise QueryError(f"'{value}' is not a valid IRI: {err}") from None
    return name, Literal(value)


def uses_service(query: str) -> bool:
    """Whether a query has a ``SERVICE`` clause (a keyword, not an IRI, string, comment,
    variable or prefixed name that happens to spell it)."""
    return any(match.lastgroup == "word" and match.group().upper() == "SERVICE"
               for match in _TOKEN.finditer(query))


def refuse_service(query: str, allow_service: bool) -> None:
    """A QueryError for a query that would reach another endpoint, unless allowed."""
    if not allow_service and uses_service(query):
        raise QueryError("SERVICE queries reach other endpoints and are off; "
                         "pass --allow-service to allow them")
