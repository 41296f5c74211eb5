"""A remote SPARQL 1.1 endpoint as a store: Oxigraph server, Apache Jena Fuseki or GraphDB.

Queries and updates go over the SPARQL 1.1 Protocol, file loads and dumps over the Graph Store
HTTP Protocol, with the standard library's ``urllib``; pyoxigraph parses and serializes.

URLs, by server:

=========  =====================================  ============================  ==============
server     query URL                              update URL                    data URL
=========  =====================================  ============================  ==============
Oxigraph   ``http://host:7878/query``             ``…/update``                  ``…/store``
Fuseki     ``http://host:3030/ds/query``          ``…/ds/update``               ``…/ds``
GraphDB    ``http://host:7200/repositories/kg``   ``…/kg/statements``           see below
=========  =====================================  ============================  ==============

``SparqlEndpointStore.from_url('http://host:7878')`` assumes the Oxigraph layout; the
``CUSTOMS_KG_QUERY_URL``, ``CUSTOMS_KG_UPDATE_URL`` and ``CUSTOMS_KG_DATA_URL`` variables
override each URL, ``CUSTOMS_KG_ENDPOINT_USER`` and ``CUSTOMS_KG_ENDPOINT_PASSWORD`` give HTTP
basic authentication. The data URL must accept whole-dataset requests (a GET or POST of N-Quads
without a ``graph`` parameter) as well as ``?graph=`` ones: Oxigraph's ``/store`` and Fuseki's
dataset URL do; GraphDB's ``rdf-graphs/service`` does not, so dumps need another route there.

Like the embedded store, queries see the union of the named graphs as their default graph. On
Oxigraph that is the ``union-default-graph`` URL parameter, sent when ``union_default_graph``
is set (other servers ignore it); Fuseki needs ``tdb2:unionDefaultGraph true`` in the dataset's
configuration; GraphDB's default graph already is the union of all graphs.

Bindings are applied by :func:`bind_values`, a rewrite of the query text (see there), since the
protocol has no way to pre-bind variables.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pyoxigraph import (
    BlankNode,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)

from graph.errors import QueryError, StoreError
from graph.store import RDF_FORMATS, RESULT_FORMATS, Row, Term, query_error
from ontology.vocab import SPARQL_PREFIXES

QUERY_URL_ENV = "CUSTOMS_KG_QUERY_URL"
UPDATE_URL_ENV = "CUSTOMS_KG_UPDATE_URL"
DATA_URL_ENV = "CUSTOMS_KG_DATA_URL"
USER_ENV = "CUSTOMS_KG_ENDPOINT_USER"
PASSWORD_ENV = "CUSTOMS_KG_ENDPOINT_PASSWORD"

# SELECT and ASK answer in JSON (lossless, parsed by pyoxigraph); CONSTRUCT and DESCRIBE in
# N-Triples. Whatever the caller asked for is serialized from these by pyoxigraph, so the
# output is byte-for-byte what the embedded store writes.
QUERY_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
MESSAGE_LIMIT = 500  # characters of a server's error message kept in ours

NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
UNION_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


class SparqlEndpointStore:
    """A store behind SPARQL 1.1 Protocol and Graph Store Protocol URLs.

    ``update_url`` and ``data_url`` may be None for a read-only endpoint: writes then fail with
    a ``StoreError``.
    """

    def __init__(self, query_url: str, update_url: str | None = None,
                 data_url: str | None = None, *, union_default_graph: bool = True,
                 timeout: float = 60.0, user: str | None = None,
                 password: str | None = None) -> None:
        for url in (query_url, update_url, data_url):
            if url is not None:
                _check_url(url)
        self.location = query_url
        self.query_url = query_url
        self.update_url = update_url
        self.data_url = data_url
        self.union_default_graph = union_default_graph
        self.timeout = timeout
        self._headers = {"User-Agent": "customs-kg"}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._opener = urllib.request.build_opener()

    @classmethod
    def from_url(cls, url: str) -> SparqlEndpointStore:
        """The store of an Oxigraph server at ``url`` (``/query``, ``/update``, ``/store``), each
        URL overridable from the environment, credentials taken from it."""
        base = url.rstrip("/")
        store = cls(
            os.environ.get(QUERY_URL_ENV) or base + "/query",
            os.environ.get(UPDATE_URL_ENV) or base + "/update",
            os.environ.get(DATA_URL_ENV) or base + "/store",
            user=os.environ.get(USER_ENV) or None,
            password=os.environ.get(PASSWORD_ENV),
        )
        store.location = url
        return store

    # -- queries ----------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, Term] | None):
        """Run a query: QuerySolutions, QueryBoolean, or a list of triples (as quads)."""
        text = bind_values(query, bindings) if bindings else query
        url = self.query_url
        if self.union_default_graph:
            url += ("&" if "?" in url else "?") + "union-default-graph=true"
        content_type, body = self._fetch(
            "POST", url, body=text.encode("utf-8"), content_type="application/sparql-query",
            accept=QUERY_ACCEPT, action="query",
        )
        media_type = content_type.split(";")[0].strip().lower()
        with self._answer(media_type):
            results_format = QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                return parse_query_results(body, results_format)
            rdf_format = RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return list(parse(body, rdf_format))
        raise StoreError(
            f"SPARQL endpoint {self.query_url} answered in an unexpected format: "
            f"'{media_type or 'no content type'}'"
        )

    @contextmanager
    def _answer(self, media_type: str) -> Iterator[None]:
        """Report an answer pyoxigraph cannot parse (results parse lazily) as a StoreError."""
        try:
            yield
        except (SyntaxError, ValueError) as err:
            raise StoreError(
                f"SPARQL endpoint {self.query_url} sent invalid {media_type}: {_one_line(err)}"
            ) from err

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        results = self._query(SPARQL_PREFIXES + query, bindings)
        if not isinstance(results, QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in results.variables]
        with self._answer("SPARQL results"):
            return [
                {name: term for name, term in zip(names, solution, strict=True) if term is not None}
                for solution in results
            ]

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        results = self._query(SPARQL_PREFIXES + query, bindings)
        if not isinstance(results, QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(results)

    def serialize_query(self, query: str, bindings: Mapping[str, Term] | None,
                        result_format: str) -> bytes:
        results = self._query(query, bindings)
        if isinstance(results, (QuerySolutions, QueryBoolean)):
            if result_format not in RESULT_FORMATS:
                raise QueryError(
                    f"format '{result_format}' is not a SPARQL results format "
                    f"({', '.join(RESULT_FORMATS)})"
                )
            with self._answer("SPARQL results"):
                return results.serialize(format=RESULT_FORMATS[result_format])
        rdf_format = RDF_FORMATS.get(result_format, RdfFormat.TURTLE)
        return serialize([q.triple for q in results], format=rdf_format)

    def named_graphs(self) -> list[NamedNode]:
        rows = self.select(NAMED_GRAPHS_QUERY)
        return [row["g"] for row in rows if isinstance(row.get("g"), NamedNode)]

    def __len__(self) -> int:
        rows = self.select(COUNT_QUERY)
        return int(rows[0]["n"].value) if rows else 0

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        """The quads of ``graph``, or of the whole dataset (read in full first)."""
        url = self._need(self.data_url, "data")
        if graph is None:
            _, body = self._fetch("GET", url, accept=RdfFormat.N_QUADS.media_type,
                                  action="dump")
            return self._parse(body, RdfFormat.N_QUADS, url)
        url = _with_graph(url, graph)
        try:
            _, body = self._fetch("GET", url, accept=RdfFormat.N_TRIPLES.media_type,
                                  action="graph read")
        except _NotFound:
            return iter(())
        return (Quad(q.subject, q.predicate, q.object, graph)
                for q in self._parse(body, RdfFormat.N_TRIPLES, url))

    def dump(self, output: IO[bytes], rdf_format: RdfFormat) -> None:
        if not rdf_format.supports_datasets:
            # A triple format: the union of every named graph, one statement once.
            triples = {q.triple for q in self._query(UNION_QUERY, None)}
            serialize(triples, output, rdf_format)
            return
        url = self._need(self.data_url, "data")
        with self._open("GET", url, accept=rdf_format.media_type, action="dump") as response:
            while True:
                chunk = self._read(response, url, 1 << 16)
                if not chunk:
                    break
                output.write(chunk)

    # -- writes -----------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads in one ``INSERT DATA`` request, which the servers apply atomically.

        The whole update is built in memory and sent at once: fine for the files customs-kg
        writes (thousands of statements); very large inputs may meet a server's request size
        limit, and should go through ``load_file`` instead. Blank nodes are scoped to the
        request, as SPARQL updates define them: the same ``BlankNode`` in two calls gives two
        nodes.
        """
        default: list[str] = []
        named: dict[NamedNode, list[str]] = {}
        for quad in quads:
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            if isinstance(quad.graph_name, NamedNode):
                named.setdefault(quad.graph_name, []).append(line)
            else:
                default.append(line)
        if not default and not named:
            return
        parts = ["INSERT DATA {", *default]
        for graph, lines in named.items():
            parts += [f"GRAPH {graph} {{", *lines, "}"]
        parts.append("}")
        self._update("\n".join(parts))

    def load_file(self, path: Path, rdf_format: RdfFormat, graph: NamedNode) -> None:
        """Load a file into ``graph`` with a Graph Store Protocol POST, streaming it.

        Dataset formats (N-Quads, TriG) are parsed here and every statement moved into
        ``graph``. Invalid syntax raises ``SyntaxError`` as the embedded store's loader does.
        """
        url = self._need(self.data_url, "data")
        if not rdf_format.supports_datasets:
            with open(path, "rb") as body:
                self._post_data(_with_graph(url, graph), body, rdf_format.media_type,
                                os.fstat(body.fileno()).st_size)
            return
        with tempfile.TemporaryFile() as body:
            quads = parse(path=path, format=rdf_format, rename_blank_nodes=True)
            serialize((Quad(q.subject, q.predicate, q.object, graph) for q in quads), body,
                      RdfFormat.N_QUADS)
            size = body.tell()
            body.seek(0)
            self._post_data(url, body, RdfFormat.N_QUADS.media_type, size)

    def drop_graphs(self, graphs: Iterable[NamedNode]) -> None:
        operations = [f"DROP SILENT GRAPH {graph}" for graph in graphs]
        if operations:
            self._update(" ;\n".join(operations))

    def close(self) -> None:
        """Nothing to release: every request has its own connection."""

    # -- HTTP -------------------------------------------------------------------------------
    def _update(self, update: str) -> None:
        url = self._need(self.update_url, "update")
        self._fetch("POST", url, body=update.encode("utf-8"),
                    content_type="application/sparql-update", action="update")

    def _post_data(self, url: str, body: IO[bytes], media_type: str, size: int) -> None:
        self._fetch("POST", url, body=body, content_type=media_type, action="load",
                    length=size)

    def _need(self, url: str | None, kind: str) -> str:
        if url is None:
            raise StoreError(f"SPARQL endpoint {self.location} has no {kind} URL: read-only")
        return url

    def _request(self, method: str, url: str, body, content_type: str | None,
                 accept: str | None, length: int | None) -> urllib.request.Request:
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if length is not None:
            headers["Content-Length"] = str(length)
        return urllib.request.Request(url, data=body, headers=headers, method=method)

    def _open(self, method: str, url: str, *, body=None, content_type: str | None = None,
              accept: str | None = None, length: int | None = None, action: str):
        """Send a request; the open response, or the error it gets as a customs-kg error."""
        request = self._request(method, url, body, content_type, accept, length)
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            with err:
                raise self._http_error(err, url, action) from err
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            raise _unreachable(url, err) from err

    def _fetch(self, method: str, url: str, *, body=None, content_type: str | None = None,
               accept: str | None = None, length: int | None = None,
               action: str) -> tuple[str, bytes]:
        """Send a request and read the answer: its content type and body."""
        with self._open(method, url, body=body, content_type=content_type, accept=accept,
                        length=length, action=action) as response:
            return response.headers.get("Content-Type", ""), self._read(response, url)

    @staticmethod
    def _read(response, url: str, size: int | None = None) -> bytes:
        try:
            return response.read(size)
        except (http.client.HTTPException, OSError) as err:
            raise _unreachable(url, err) from err

    def _parse(self, body: bytes, rdf_format: RdfFormat, url: str) -> Iterator[Quad]:
        try:
            return iter(list(parse(body, rdf_format)))
        except SyntaxError as err:
            raise StoreError(
                f"SPARQL endpoint {_shown(url)} sent invalid {rdf_format.name}: {_one_line(err)}"
            ) from err

    def _http_error(self, err: urllib.error.HTTPError, url: str, action: str) -> Exception:
        try:
            message = _one_line(err.read().decode("utf-8", errors="replace"))
        except (http.client.HTTPException, OSError):
            message = ""
        if err.code in (401, 403):
            return StoreError(
                f"SPARQL endpoint {_shown(url)} refused the request: authentication failed "
                f"(HTTP {err.code}); set ${USER_ENV} and ${PASSWORD_ENV}"
            )
        if err.code == 404 and action == "graph read":
            return _NotFound(url)
        if err.code == 400 and action == "query":
            return query_error(message or "the endpoint rejected the query")
        if err.code == 400 and action == "load":
            return SyntaxError(message or "the endpoint rejected the file")
        detail = f"HTTP {err.code} {err.reason}".strip() + (f": {message}" if message else "")
        return StoreError(f"SPARQL endpoint {_shown(url)} failed the {action}: {detail}")


class _NotFound(StoreError):
    """A Graph Store Protocol GET of a graph the store does not hold."""

    def __init__(self, url: str) -> None:
        super().__init__(f"SPARQL endpoint {url} has no such graph")


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an http(s) URL for a SPARQL endpoint: {url}")


def _with_graph(url: str, graph: NamedNode) -> str:
    query = urllib.parse.urlencode({"graph": graph.value})
    return url + ("&" if "?" in url else "?") + query


def _shown(url: str) -> str:
    """A URL as messages show it: without its parameters."""
    return urllib.parse.urlsplit(url)._replace(query="").geturl()


def _one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MESSAGE_LIMIT else line[:MESSAGE_LIMIT - 1] + "…"


def _unreachable(url: str, err: Exception) -> StoreError:
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return StoreError(f"cannot reach SPARQL endpoint {_shown(url)}: {_one_line(text)}")


# -- bindings ---------------------------------------------------------------------------------
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
    """``query`` with each variable of ``bindings`` pre-bound, for an endpoint.

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
