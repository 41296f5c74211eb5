"""A remote SPARQL 1.1 endpoint as a store: Oxigraph server, Virtuoso, Apache Jena Fuseki,
GraphDB or QLever (``docs/remote-stores.md``; tested on Oxigraph and Virtuoso). Queries and
updates go over the SPARQL 1.1 Protocol, file loads and graph reads over the Graph Store HTTP
Protocol (``?graph=`` requests only), with ``urllib``; pyoxigraph parses and serializes.

``SparqlEndpointStore.from_url('http://host:7878')`` assumes the Oxigraph layout (``/query``,
``/update``, ``/store``); the ``CUSTOMS_KG_QUERY_URL``, ``CUSTOMS_KG_UPDATE_URL`` and
``CUSTOMS_KG_DATA_URL`` variables override each URL (for Virtuoso: ``/sparql-auth`` twice and
``/sparql-graph-crud-auth``). ``CUSTOMS_KG_ENDPOINT_USER`` and ``CUSTOMS_KG_ENDPOINT_PASSWORD``
answer a server's Basic or Digest challenge; ``CUSTOMS_KG_ENDPOINT_TOKEN`` is sent as a Bearer
token.

Like the embedded store, queries see the union of the named graphs as their default graph. On
Oxigraph that is the ``union-default-graph`` URL parameter, sent when ``union_default_graph``
is set (other servers ignore it); Fuseki needs ``tdb2:unionDefaultGraph true`` in the dataset's
configuration; the default graph of Virtuoso, GraphDB and QLever already is the union.

One code path for every server: where they differ (Virtuoso most), the request is one they all
take, or the answer is checked (each difference is listed in ``docs/remote-stores.md``).
Bindings are applied by :func:`bind_values`, a rewrite of the query text.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import IO

from pyoxigraph import (
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
from graph.store import (
    RESULT_FORMATS,
    USER_PROLOGUE,
    Row,
    Term,
    graph_result_format,
    query_error,
)
from graph.store.bindings import bind_values, query_form, refuse_service
from graph.store.journal import commit_update
from ontology.vocab import CKG, RDF, SPARQL_PREFIXES

QUERY_URL_ENV = "CUSTOMS_KG_QUERY_URL"
UPDATE_URL_ENV = "CUSTOMS_KG_UPDATE_URL"
DATA_URL_ENV = "CUSTOMS_KG_DATA_URL"
USER_ENV = "CUSTOMS_KG_ENDPOINT_USER"
PASSWORD_ENV = "CUSTOMS_KG_ENDPOINT_PASSWORD"
TOKEN_ENV = "CUSTOMS_KG_ENDPOINT_TOKEN"

# SELECT and ASK answer in JSON, CONSTRUCT and DESCRIBE in N-Triples (each only its own: offered
# both, Virtuoso answers a CONSTRUCT in JSON); pyoxigraph serializes what the caller asked for.
RESULTS_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"
MESSAGE_LIMIT = 500  # characters of a server's error message kept in ours

NAMED_GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
# For servers whose ``GRAPH ?g {}`` gives one row with ?g unbound (Virtuoso) instead of a row
# per graph: the graphs that hold a statement (slower on big stores, hence second). GROUP BY,
# not DISTINCT: Virtuoso took 20 s for the DISTINCT form over 13k statements, 20 ms for this.
NAMED_GRAPHS_FALLBACK = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
GRAPH_COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# A server's own graphs (Virtuoso's virtrdf:, LDP, OWL, ``http://HOST/sparql`` and ``/DAV/``):
# listing, counting and dumping skip them, so dropping every graph keeps them.
SERVER_GRAPHS = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
})
SERVER_GRAPH_PATHS = ("/sparql", "/DAV/")
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_ODD_TERMS = re.compile(rb'"bnode"|XMLSchema#boolean"')
_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(?<!\.)")
RDF_TYPE, LOADED_FILE = NamedNode(str(RDF.type)), NamedNode(str(CKG.LoadedFile))
# The default graph of a query over no graphs: one that no store holds.
NO_GRAPH = NamedNode("urn:x-customs-kg:no-graph")
# Statements sent in one update; more go in Graph Store Protocol POSTs, one per graph (Virtuoso's
# SPARQL compiler fails on about 1,500 statements in one update).
INSERT_DATA_LIMIT = 1000
# The header with which Virtuoso says it cut a SELECT answer at its ResultSetMaxRows.
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"


class SparqlEndpointStore:
    """A store behind SPARQL 1.1 Protocol and Graph Store Protocol URLs.

    ``update_url`` and ``data_url`` may be None for a read-only endpoint: writes then fail with
    a ``StoreError``.
    """

    def __init__(self, query_url: str, update_url: str | None = None,
                 data_url: str | None = None, *, union_default_graph: bool = True,
                 timeout: float = 60.0, user: str | None = None,
                 password: str | None = None, token: str | None = None) -> None:
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
        if token:  # an access token: QLever's for writes, or an OAuth proxy's
            self._headers["Authorization"] = f"Bearer {token}"
        self._opener = _opener(user, password, [query_url, update_url, data_url])

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
            token=os.environ.get(TOKEN_ENV) or None,
        )
        store.location = url
        return store

    # -- queries ----------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, Term] | None,
               graphs: list[NamedNode] | None = None):
        """Run a query: QuerySolutions, QueryBoolean, or a list of triples (as quads).

        With ``graphs``, the default graph is their union (``default-graph-uri`` parameters,
        form-encoded so that many graphs fit); the protocol then leaves no named graphs for
        ``GRAPH`` patterns to match. An empty list gives an empty dataset.
        """
        text = bind_values(query, bindings) if bindings else query
        url = self.query_url
        fields = [("query", text)]
        if graphs is not None:
            # No graphs: a graph nobody holds, since a server whose default graph is the
            # union of all graphs (Virtuoso, GraphDB) would read everything without one.
            fields += [("default-graph-uri", g.value) for g in graphs or [NO_GRAPH]]
        elif self.union_default_graph:
            url += ("&" if "?" in url else "?") + "union-default-graph=true"
        # Form-encoded, which every server takes (Virtuoso never answers a direct
        # application/sparql-query POST), and with room for many default-graph-uri fields.
        body = urllib.parse.urlencode(fields).encode("ascii")
        headers, body = self._fetch("POST", url, body=body,
                                    content_type="application/x-www-form-urlencoded",
                                    accept=_accept(text), action="query")
        if headers.get(MAX_ROWS_HEADER):
            raise StoreError(
                f"SPARQL endpoint {_shown(url)} cut the answer at {headers[MAX_ROWS_HEADER]} "
                "rows: raise the server's row limit (Virtuoso: ResultSetMaxRows in [SPARQL])"
            )
        media_type = headers.get("Content-Type", "").split(";")[0].strip().lower()
        with self._answer(media_type):
            results_format = QueryResultsFormat.from_media_type(media_type)
            if results_format == QueryResultsFormat.JSON and _ODD_TERMS.search(body):
                body = _standard_terms(body)
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

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *,
               graphs: list[NamedNode] | None = None) -> list[Row]:
        results = self._query(SPARQL_PREFIXES + query, bindings, graphs)
        if not isinstance(results, QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in results.variables]
        with self._answer("SPARQL results"):
            return [
                {name: term for name, term in zip(names, solution, strict=True) if term is not None}
                for solution in results
            ]

    def select_rows(self, query: str) -> Iterator[tuple[Term | None, ...]]:
        results = self._query(SPARQL_PREFIXES + query, None)
        if not isinstance(results, QuerySolutions):
            raise QueryError("expected a SELECT query")
        with self._answer("SPARQL results"):
            rows = [tuple(solution) for solution in results]  # None where unbound
        yield from rows

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        results = self._query(SPARQL_PREFIXES + query, bindings)
        if not isinstance(results, QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(results)

    def serialize_query(self, query: str, bindings: Mapping[str, Term] | None,
                        result_format: str, graph_fallback: str | None = None, *,
                        allow_service: bool = False) -> bytes:
        refuse_service(query, allow_service)
        results = self._query(USER_PROLOGUE + query, bindings)
        if isinstance(results, (QuerySolutions, QueryBoolean)):
            if result_format not in RESULT_FORMATS:
                raise QueryError(
                    f"format '{result_format}' is not a SPARQL results format "
                    f"({', '.join(RESULT_FORMATS)})"
                )
            with self._answer("SPARQL results"):
                return results.serialize(format=RESULT_FORMATS[result_format])
        rdf_format = graph_result_format(result_format, graph_fallback)
        return serialize([q.triple for q in results], format=rdf_format)

    def named_graphs(self) -> list[NamedNode]:
        """The graphs holding data, without the server's own (:data:`SERVER_GRAPHS`)."""
        rows = self.select(NAMED_GRAPHS_QUERY)
        if any("g" not in row for row in rows):
            rows = self.select(NAMED_GRAPHS_FALLBACK)
        return [row["g"] for row in rows
                if isinstance(row.get("g"), NamedNode) and not _server_graph(row["g"])]

    def __len__(self) -> int:
        return sum(int(row["n"].value) for row in self.select(COUNT_QUERY)
                   if isinstance(row.get("g"), NamedNode) and not _server_graph(row["g"]))

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        """The quads of ``graph``, or of every graph (:meth:`named_graphs`), one Graph Store
        Protocol read per graph, each checked against the graph's statement count."""
        if graph is None:
            return (quad for named in self.named_graphs() for quad in self.quads(named))
        url = _with_graph(self._need(self.data_url, "data"), graph)
        try:
            _, body = self._fetch("GET", url, accept=RdfFormat.N_TRIPLES.media_type,
                                  action="graph read")
            triples = self._parse(body, RdfFormat.N_TRIPLES, url)
        except _NotFound:  # no such graph, or no Graph Store Protocol at that URL
            triples = None
        rows = self.select(GRAPH_COUNT_QUERY, {"g": graph})
        expected = int(rows[0]["n"].value) if rows else 0
        if triples is None and expected:
            raise StoreError(f"SPARQL endpoint {_shown(url)} has no graph {graph.value}, which "
                             f"holds {expected} statements: check ${DATA_URL_ENV}")
        if triples and len(triples) < expected:  # Virtuoso cuts reads at ResultSetMaxRows
            raise StoreError(
                f"SPARQL endpoint {_shown(url)} sent {len(triples)} of the {expected} "
                f"statements of graph {graph.value}: raise the server's row limit "
                "(Virtuoso: ResultSetMaxRows in [SPARQL])"
            )
        if not triples:
            return iter(())
        return (Quad(q.subject, q.predicate, q.object, graph) for q in triples)

    def dump(self, output: IO[bytes], rdf_format: RdfFormat) -> None:
        if rdf_format.supports_datasets:
            serialize(self.quads(), output, rdf_format)
            return
        # A triple format: the union of every named graph, one statement once.
        serialize({q.triple for q in self.quads()}, output, rdf_format)

    # -- writes -----------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads: up to :data:`INSERT_DATA_LIMIT` statements in one ``INSERT { … }
        WHERE {}`` request, which the servers apply atomically; more with one Graph Store
        Protocol POST of N-Triples per graph (servers limit the size of an update, not of a
        POST).

        Blank nodes are scoped to a request, as SPARQL updates define them: the same
        ``BlankNode`` in two calls (or, for a large call, in two graphs) gives two nodes.
        """
        by_graph: dict[NamedNode | None, list[Quad]] = {}
        count = 0
        for quad in quads:
            graph = quad.graph_name if isinstance(quad.graph_name, NamedNode) else None
            by_graph.setdefault(graph, []).append(quad)
            count += 1
        if count > INSERT_DATA_LIMIT:
            url = self._need(self.data_url, "data")
            for graph, members in by_graph.items():
                body = serialize([q.triple for q in members], format=RdfFormat.N_TRIPLES)
                target = _with_graph(url, graph) if graph else _default_graph(url)
                self._post_data(target, io.BytesIO(body), RdfFormat.N_TRIPLES.media_type,
                                len(body))
            return
        parts = []
        for graph, members in by_graph.items():
            lines = [f"{q.subject} {q.predicate} {q.object} ." for q in members]
            parts += [f"GRAPH {graph} {{", *lines, "}"] if graph else lines
        if parts:  # INSERT … WHERE {}: Virtuoso refuses blank nodes in INSERT DATA
            self._update("\n".join(["INSERT {", *parts, "} WHERE {}"]))

    def load_file(self, path: Path, rdf_format: RdfFormat, graph: NamedNode) -> None:
        """Load a file into ``graph``: parsed here (invalid syntax raises pyoxigraph's
        ``SyntaxError``, as the embedded store's loader does), written to a temporary
        N-Triples file, and sent in one Graph Store Protocol POST to ``?graph=``.

        One format and one kind of request for every server: Virtuoso answers a bad upload
        with HTTP 500 and no line number, and neither it nor GraphDB takes a whole-dataset
        POST; statements of a dataset format (N-Quads, TriG) all go into ``graph``.
        """
        url = _with_graph(self._need(self.data_url, "data"), graph)
        with tempfile.TemporaryFile() as body:
            quads = parse(path=path, format=rdf_format, rename_blank_nodes=True)
            serialize((q.triple for q in quads), body, RdfFormat.N_TRIPLES)
            size = body.tell()
            body.seek(0)
            self._post_data(url, body, RdfFormat.N_TRIPLES.media_type, size)

    def drop_graphs(self, graphs: Iterable[NamedNode]) -> None:
        operations = [f"DROP SILENT GRAPH {graph}" for graph in graphs]
        if operations:
            self._update(" ;\n".join(operations))

    def update(self, update: str) -> None:
        """Run a SPARQL update (the project's prefixes declared) in one request."""
        self._update(SPARQL_PREFIXES + update)

    def begin_write(self, op: str, new: list[NamedNode], old: list[NamedNode]) -> None:
        """No journal file for a remote store; the intent is kept to undo a failed write."""
        self._intent = (list(new), list(old))

    def commit(self, records: list[Quad], retired: list[NamedNode]) -> None:
        """The records' statements, then the commit point: one update request (one transaction
        on the server) that types each new graph ``ckg:LoadedFile`` and retires the old ones.

        Until typed, a record is no source for any query. One statement per file keeps the
        commit point small: Virtuoso failed a commit of every statement of 120 files' records.
        """
        marks = [q for q in records if q.predicate == RDF_TYPE and q.object == LOADED_FILE]
        self.add_quads(q for q in records if q not in marks)
        update = commit_update(marks, retired)
        if update:
            self._update(update)

    def end_write(self) -> None:
        """Nothing to flush: each request is the server's."""

    def abort_write(self) -> None:
        """Drop the new graphs of a write that failed before its commit (the retired ones when
        it failed after)."""
        new, old = getattr(self, "_intent", ([], []))
        self._intent = ([], [])
        probe = new[0] if new else (old[0] if old else None)
        if probe is None:
            return
        recorded = self.ask(f"ASK {{ GRAPH {probe} {{ {probe} a ckg:LoadedFile }} }}")
        committed = recorded if new else not recorded
        self.drop_graphs(old if committed else new)

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
            try:
                raise self._http_error(err, url, action) from err
            finally:
                err.close()
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            raise _unreachable(url, err) from err

    def _fetch(self, method: str, url: str, *, body=None, content_type: str | None = None,
               accept: str | None = None, length: int | None = None,
               action: str) -> tuple[Message, bytes]:
        """Send a request and read the answer: its headers and body."""
        with self._open(method, url, body=body, content_type=content_type, accept=accept,
                        length=length, action=action) as response:
            return response.headers, self._read(response, url)

    @staticmethod
    def _read(response, url: str) -> bytes:
        try:
            return response.read()
        except (http.client.HTTPException, OSError) as err:
            raise _unreachable(url, err) from err

    def _parse(self, body: bytes, rdf_format: RdfFormat, url: str) -> list[Quad]:
        try:
            return list(parse(body, rdf_format))
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
                f"(HTTP {err.code}); set ${USER_ENV} and ${PASSWORD_ENV} (or ${TOKEN_ENV})"
            )
        if err.code == 404 and action == "graph read":
            return _NotFound(url)
        if err.code == 400 and action == "query":
            return query_error(message or "the endpoint rejected the query")
        if err.code == 400 and action == "load":
            return SyntaxError(message or "the endpoint rejected the file")
        detail = f"HTTP {err.code} {err.reason}".strip() + (f": {message}" if message else "")
        return StoreError(f"SPARQL endpoint {_shown(url)} failed the {action}: {detail}")


def _opener(user: str | None, password: str | None,
            urls: list[str | None]) -> urllib.request.OpenerDirector:
    """An opener that answers a server's Basic or Digest challenge with the credentials."""
    if user is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, [url for url in urls if url], user, password or "")
    return urllib.request.build_opener(_BasicAuth(passwords), _DigestAuth(passwords))


def _rewind(request: urllib.request.Request) -> None:
    """Before a request is sent again with credentials: its file body from the start."""
    if hasattr(request.data, "seek"):
        request.data.seek(0)


class _ClosingChallenge:
    """Closes a 401 answer once its challenge has been answered (urllib leaves it open)."""

    def http_error_401(self, req, fp, code, msg, headers):
        try:
            response = super().http_error_401(req, fp, code, msg, headers)
        except BaseException:
            fp.close()
            raise
        if response is not None:
            fp.close()
        return response


class _BasicAuth(_ClosingChallenge, urllib.request.HTTPBasicAuthHandler):
    """Answers a Basic challenge, then sends the credentials up front (not before one: Virtuoso
    answers an unasked-for Basic header with a 401 without a Digest challenge)."""

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self.challenged = False

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenged and not req.has_header(self.auth_header):
            user, password = self.passwd.find_user_password(None, req.full_url)
            if user is not None:
                token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
                req.add_unredirected_header(self.auth_header, f"Basic {token}")
        return req

    https_request = http_request

    def retry_http_basic_auth(self, host, req, realm):
        self.challenged = True
        _rewind(req)
        return super().retry_http_basic_auth(host, req, realm)


class _DigestAuth(_ClosingChallenge, urllib.request.HTTPDigestAuthHandler):
    """Answers a Digest challenge (Virtuoso's ``/sparql-auth``), resending a file body whole."""

    def retry_http_digest_auth(self, req, auth):
        _rewind(req)
        return super().retry_http_digest_auth(req, auth)


class _NotFound(StoreError):
    """A Graph Store Protocol GET of a graph the store does not hold."""

    def __init__(self, url: str) -> None:
        super().__init__(f"SPARQL endpoint {url} has no such graph")


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"not an http(s) URL for a SPARQL endpoint: {url}")


def _standard_terms(body: bytes) -> bytes:
    """JSON results with the terms as RDF writes them. Virtuoso labels blank nodes
    ``nodeID://b10003``, which pyoxigraph refuses (the same label stays the same node), and
    writes booleans as ``"1"``/``"0"``, which code comparing with ``"true"`` misreads."""
    try:
        results = json.loads(body)
        rows = results["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        return body  # let the parser report it
    for row in rows:
        for term in row.values() if isinstance(row, dict) else ():
            if not isinstance(term, dict):
                continue
            value = str(term.get("value", ""))
            if term.get("type") == "bnode" and not _BLANK_LABEL.fullmatch(value):
                term["value"] = "v" + value.encode("utf-8").hex()
            elif term.get("datatype") == XSD_BOOLEAN and value in ("1", "0"):
                term["value"] = "true" if value == "1" else "false"
    return json.dumps(results).encode("utf-8")


def _accept(query: str) -> str:
    """The answer format to ask for: N-Triples for CONSTRUCT and DESCRIBE, JSON results
    otherwise."""
    return GRAPH_ACCEPT if query_form(query) in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT


def _server_graph(graph: NamedNode) -> bool:
    """Whether ``graph`` is one of a server's own graphs (see :data:`SERVER_GRAPHS`)."""
    if graph.value in SERVER_GRAPHS:
        return True
    parts = urllib.parse.urlsplit(graph.value)
    return (parts.scheme == "http" and parts.path in SERVER_GRAPH_PATHS
            and not parts.query and not parts.fragment)


def _default_graph(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "default"


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
