"""Stores behind one interface: the embedded on-disk Oxigraph store (default), an in-memory one
for tests and scratch work, and a remote SPARQL 1.1 endpoint (``graph.store.endpoint``).

Queries see the union of all named graphs as their default graph. Terms are pyoxigraph terms.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Protocol, runtime_checkable

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from graph.errors import QueryError, StoreError, StoreLocked
from graph.store import journal
from graph.store.bindings import bind_values, refuse_service, uses_service
from graph.store.limits import check_json_depth, check_xml_entities
from graph.store.lock import StoreLock
from ontology.vocab import PREFIXES, SPARQL_PREFIXES

Term = object  # a pyoxigraph NamedNode, BlankNode, Literal or Triple
Row = dict[str, Term]

DEFAULT_STORE = ".customs-kg"
STORE_ENV = "CUSTOMS_KG_STORE"

RESULT_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
    "rdfxml": RdfFormat.RDF_XML,
}


@runtime_checkable
class GraphStore(Protocol):
    """What the loaders and queries need of a store."""

    location: str

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *,
               graphs: list[NamedNode] | None = None) -> list[Row]:
        """Run a SELECT query; each row maps variable names to bound terms. ``graphs``, if
        given, are the named graphs whose union is the default graph (else all of them)."""

    def select_rows(self, query: str) -> Iterator[tuple[Term | None, ...]]:
        """Stream a SELECT query's solutions as tuples of terms (None where unbound), in the
        order of its variables: for reading much, without a dict per row."""

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK query."""

    def serialize_query(self, query: str, bindings: Mapping[str, Term] | None,
                        result_format: str, graph_fallback: str | None = None, *,
                        allow_service: bool = False) -> bytes:
        """Run a user's query (the project's prefixes declared) and serialize its results: W3C
        result formats for SELECT/ASK, an ``RDF_FORMATS`` name for CONSTRUCT/DESCRIBE (else
        ``graph_fallback``, else a QueryError). A query with ``SERVICE`` is refused unless
        ``allow_service``."""

    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads atomically: all of them or none."""

    def load_file(self, path: Path, rdf_format: RdfFormat, graph: NamedNode) -> None:
        """Load an RDF file into one named graph, fast; may leave part of it on failure."""

    def drop_graphs(self, graphs: Iterable[NamedNode]) -> None:
        """Remove named graphs and everything in them."""

    def update(self, update: str) -> None:
        """Run a SPARQL update (the project's prefixes declared) as one transaction."""

    def begin_write(self, op: str, new: list[NamedNode], old: list[NamedNode]) -> None:
        """Before a write: record its intent (the graphs it adds and retires) durably."""

    def commit(self, records: list[Quad], retired: list[NamedNode]) -> None:
        """The commit point of a write, in one transaction: add the new graphs' loaded-file
        records, delete the retired graphs' records."""

    def end_write(self) -> None:
        """After a write: make it durable and forget its intent."""

    def abort_write(self) -> None:
        """After a write failed: finish it if it passed its commit point, else undo it."""

    def named_graphs(self) -> list[NamedNode]:
        """The named graphs the store holds."""

    def dump(self, output: IO[bytes], rdf_format: RdfFormat) -> None:
        """Write the whole store (every named graph) to ``output``."""

    def close(self) -> None:
        """Release the store (and its lock)."""


def query_error(err: Exception, line_offset: int = 0) -> QueryError:
    """A one-line QueryError from a SPARQL parser or evaluator message; ``line_offset`` lines
    of prologue added before the user's query are taken off the line numbers it gives."""
    text = " ".join(str(err).split())
    if line_offset:
        text = re.sub(r"\b(at |line )(\d+)(?=:|\b)",
                      lambda m: f"{m[1]}{max(1, int(m[2]) - line_offset)}", text)
    if len(text) > 160:
        text = text[:157].rsplit(",", 1)[0] + ", …"
    return QueryError(f"SPARQL error: {text}")


USER_PROLOGUE = " ".join(SPARQL_PREFIXES.split("\n")).strip() + "\n"
"""The project's prefixes (ckg:, id:, org:, schema:, …) on one line, before a user's query;
a query's own PREFIX declarations come after and win."""


def graph_result_format(result_format: str, graph_fallback: str | None) -> RdfFormat:
    """The RDF format for CONSTRUCT/DESCRIBE results asked for as ``result_format``."""
    if result_format in RDF_FORMATS:
        return RDF_FORMATS[result_format]
    if graph_fallback is not None:
        return RDF_FORMATS[graph_fallback]
    raise QueryError(f"a CONSTRUCT or DESCRIBE query gives RDF, not '{result_format}' results: "
                     f"use one of {', '.join(RDF_FORMATS)}")


class OxigraphStore:
    """The embedded store: Oxigraph on disk at ``path``, or in memory when ``path`` is None.

    Opening on disk takes the store's lock: ``writable=True`` takes it exclusively (a second
    writer gets ``StoreLocked``), read-only opens share it (waiting a bounded time for a
    writer at work). A writer's open first recovers from a crashed write
    (``graph.store.journal``); a reader that finds one recovers as a writer, or, on a store it
    cannot write, reads the last committed state.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 writable: bool = False) -> None:
        self._lock: StoreLock | None = None
        self._hidden: set[str] = set()
        self._journal: journal.Journal | None = None
        self.writable = writable
        self.root: Path | None = None
        if path is None:
            self.location = ":memory:"
            self._store = Store()
            return
        root = Path(path)
        self.location = str(root)
        self.root = root
        data = root / "oxigraph"
        if not writable and not data.exists():
            raise StoreError(
                f"no store at {root}: load data first with 'customs-kg load' "
                f"or point --store / ${STORE_ENV} at one"
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create store directory {root}: {err.strerror}") from err
        self._lock = self._take_lock(root)
        if not writable and journal.pending(root) and not self._lock.read_only:
            self._lock.release()
            self._recover_as_writer(root)
            self._lock = self._take_lock(root)
        try:
            if writable:
                journal.drop_leftover_bulk_files(data)
                self._store = Store(str(data))
                journal.recover(root, self._store)
            else:
                self._store = Store.read_only(str(data))
                pending = journal.read_journal(root)
                if pending is not None:
                    self._hidden = journal.hidden_graphs(self._store, pending)
        except (OSError, RuntimeError, ValueError) as err:
            self._lock.release()
            raise StoreError(f"cannot open store {root}: {_one_line(err)}") from err
        except BaseException:
            self._lock.release()
            raise

    def _take_lock(self, root: Path) -> StoreLock:
        try:
            return StoreLock(root, exclusive=self.writable)
        except OSError as err:
            raise StoreError(f"cannot {'write' if self.writable else 'read'} store {root}: "
                             f"{err.strerror or err}") from err

    @staticmethod
    def _recover_as_writer(root: Path) -> None:
        """A crashed write left its journal: finish or undo it now, as the writer would."""
        try:
            OxigraphStore(root, writable=True).close()
        except StoreLocked:
            pass  # another process writes (and recovers) now: our shared lock waits for it
        except StoreError:
            pass  # cannot write here: read the last committed state instead

    # -- queries ----------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, Term] | None,
               graphs: list[NamedNode] | None = None):
        query = bind_values(query, bindings)
        try:
            if self._hidden:
                visible = [g for g in self.named_graphs()]
                graphs = visible if graphs is None else [g for g in graphs if g in visible]
                return self._store.query(query, default_graph=graphs or [DefaultGraph()],
                                         named_graphs=visible)
            if graphs is not None:
                return self._store.query(query, default_graph=graphs or [DefaultGraph()])
            return self._store.query(query, use_default_graph_as_union=True)
        except SyntaxError as err:
            raise query_error(err) from err
        except (OSError, ValueError, RuntimeError) as err:
            raise self._read_error(err) from err

    def _read_error(self, err: Exception) -> Exception:
        """A store that fails while read (``Corruption``, I/O) is named; other errors are the
        query's."""
        text = _one_line(err)
        if self.root is not None and isinstance(err, (OSError, RuntimeError)) and (
                "orruption" in text or isinstance(err, OSError)):
            return StoreError(f"cannot read store {self.root}: {text}")
        return query_error(err)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None, *,
               graphs: list[NamedNode] | None = None) -> list[Row]:
        results = self._query(SPARQL_PREFIXES + query, bindings, graphs)
        if not isinstance(results, QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in results.variables]
        try:
            return [
                {name: term for name, term in zip(names, solution, strict=False)
                 if term is not None}
                for solution in results
            ]
        except (OSError, ValueError, RuntimeError) as err:
            raise self._read_error(err) from err

    def select_rows(self, query: str) -> Iterator[tuple[Term | None, ...]]:
        results = self._query(SPARQL_PREFIXES + query, None, None)
        if not isinstance(results, QuerySolutions):
            raise QueryError("expected a SELECT query")
        try:
            for solution in results:
                yield tuple(solution)  # every variable, None where unbound
        except (OSError, ValueError, RuntimeError) as err:
            raise self._read_error(err) from err

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self._query(SPARQL_PREFIXES + query, bindings)
        if not isinstance(result, QueryBoolean):
            raise QueryError("expected an ASK query")
        return bool(result)

    def serialize_query(self, query: str, bindings: Mapping[str, Term] | None,
                        result_format: str, graph_fallback: str | None = None, *,
                        allow_service: bool = False) -> bytes:
        refuse_service(query, allow_service)
        remote = allow_service and uses_service(query)
        try:
            results = self._query(USER_PROLOGUE + query, bindings)
        except QueryError as err:
            if remote and "SERVICE" not in str(err).upper() and "HTTP" in str(err).upper():
                raise service_error(err) from None
            raise query_error(Exception(str(err).removeprefix("SPARQL error: ")), 1) from None
        except StoreError as err:
            raise service_error(err) if remote else err from None
        try:
            if isinstance(results, (QuerySolutions, QueryBoolean)):
                if result_format not in RESULT_FORMATS:
                    raise QueryError(
                        f"format '{result_format}' is not a SPARQL results format "
                        f"({', '.join(RESULT_FORMATS)})"
                    )
                return results.serialize(format=RESULT_FORMATS[result_format])
            assert isinstance(results, QueryTriples)
            return results.serialize(format=graph_result_format(result_format, graph_fallback))
        except (OSError, RuntimeError) as err:
            raise service_error(err) if remote else self._read_error(err) from err

    # -- writes -----------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad]) -> None:
        try:
            journal.fault_point("add-quads")
            self._store.extend(quads)
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {err}") from err

    def load_file(self, path: Path, rdf_format: RdfFormat, graph: NamedNode) -> None:
        if rdf_format == RdfFormat.RDF_XML:
            check_xml_entities(path)
        elif rdf_format == RdfFormat.JSON_LD:
            check_json_depth(path)
        if rdf_format.supports_datasets:
            # A dataset file's own graphs all go into the file's one graph.
            quads = parse(path=str(path), format=rdf_format, rename_blank_nodes=True)
            self._store.bulk_extend(Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        else:
            self._store.bulk_load(path=str(path), format=rdf_format, to_graph=graph)

    def add_quads_bulk(self, quads: Iterable[Quad]) -> None:
        """Add many quads fast, without atomicity (callers clean up on failure)."""
        self._store.bulk_extend(quads)

    def drop_graphs(self, graphs: Iterable[NamedNode]) -> None:
        try:
            for number, graph in enumerate(graphs):
                self._store.remove_graph(graph)
                journal.fault_point(f"dropped-{number}")
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(err)}") from err

    def update(self, update: str) -> None:
        try:
            self._store.update(SPARQL_PREFIXES + update)
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(err)}") from err

    def begin_write(self, op: str, new: list[NamedNode], old: list[NamedNode]) -> None:
        self._journal = journal.Journal(op, [g.value for g in new], [g.value for g in old])
        if self.root is not None:
            journal.write_journal(self.root, self._journal)
        journal.fault_point("journal-written")

    def abort_write(self) -> None:
        intent, self._journal = self._journal, None
        if intent is None:
            return
        if self.root is not None:  # first give back the space a failed bulk load took
            journal.drop_leftover_bulk_files(self.root / "oxigraph")
        try:
            journal.settle(self._store, intent)
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(err)}") from err
        self.end_write()

    def commit(self, records: list[Quad], retired: list[NamedNode]) -> None:
        journal.fault_point("before-commit")
        try:
            self._store.update(journal.commit_update(records, retired))
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(err)}") from err
        journal.fault_point("committed")

    def end_write(self) -> None:
        self._journal = None
        if self.root is None:
            return
        try:
            self._store.flush()
        except OSError as err:
            raise StoreError(f"cannot write to store {self.location}: {_one_line(err)}") from err
        journal.fault_point("flushed")
        journal.clear_journal(self.root)
        journal.fault_point("journal-cleared")

    def named_graphs(self) -> list[NamedNode]:
        return [g for g in self._store.named_graphs()
                if isinstance(g, NamedNode) and g.value not in self._hidden]

    def quads(self, graph: NamedNode | None = None) -> Iterator[Quad]:
        if self._hidden and graph is None:
            return (q for q in self._store if q.graph_name.value not in self._hidden)
        return self._store.quads_for_pattern(None, None, None, graph)

    def dump(self, output: IO[bytes], rdf_format: RdfFormat) -> None:
        prefixes = PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
        if rdf_format.supports_datasets and not self._hidden:
            self._store.dump(output, rdf_format, prefixes=prefixes)
            return
        if rdf_format.supports_datasets:
            serialize(self.quads(), output, rdf_format, prefixes=prefixes)
            return
        # A triple format: the union of every named graph, one statement once.
        if self.root is None:  # in memory: the store is in memory anyway
            triples: Iterable[Triple] = {q.triple for q in self.quads()}
        else:
            triples = self._union_triples()
        serialize(triples, output, rdf_format, prefixes=prefixes)

    def _union_triples(self) -> Iterator[Triple]:
        """Every statement of the store once, streamed: the store on disk lists its quads by
        graph and subject (its GSPO index); each (graph, subject) reads that subject's
        statements in every graph (one index lookup) and writes those it states first.
        Memory: one subject's statements."""
        def shown(quad: Quad) -> bool:
            return getattr(quad.graph_name, "value", "") not in self._hidden

        current = None
        for quad in self._store:
            key = (quad.graph_name, quad.subject)
            if key == current:
                continue
            current = key
            if not shown(quad):
                continue
            first: dict[tuple, Quad] = {}
            for stated in self._store.quads_for_pattern(quad.subject, None, None, None):
                if shown(stated):
                    first.setdefault((stated.predicate, stated.object), stated)
            for stated in first.values():
                if stated.graph_name == quad.graph_name:
                    yield stated.triple

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.location != ":memory:" and self.writable:
            self._store.flush()

    def close(self) -> None:
        if self._lock is not None:
            failing = sys.exc_info()[0] is not None  # closed while an error is raised
            try:
                self.flush()
            except OSError as err:
                if not failing:  # else the error being raised says more
                    self._lock.release()
                    self._lock = None
                    raise StoreError(f"cannot write to store {self.location}: "
                                     f"{_one_line(err)}") from err
            del self._store
            self._lock.release()
            self._lock = None


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())[:300]


def service_error(err: Exception) -> QueryError:
    """A failed SERVICE call told by its HTTP status, never the remote body."""
    text = _one_line(err)
    status = re.search(r"\b(?:error|status)\s+([1-5]\d\d)\b", text, re.IGNORECASE)
    if status:
        return QueryError(f"SPARQL error: a SERVICE endpoint answered HTTP {status[1]}")
    return QueryError("SPARQL error: a SERVICE endpoint could not be reached")


def store_location(option: str | None) -> str:
    """The store named by ``--store``, else ``$CUSTOMS_KG_STORE``, else ``./.customs-kg``."""
    return option or os.environ.get(STORE_ENV) or DEFAULT_STORE


def open_store(location: str | None = None, *, writable: bool = False) -> GraphStore:
    """Open the store at ``location``: a directory (embedded Oxigraph), ``:memory:``, or the
    URL of a SPARQL 1.1 endpoint (``http(s)://…``)."""
    location = store_location(location)
    if location == ":memory:":
        return OxigraphStore(None)
    if location.startswith(("http://", "https://")):
        from graph.store.endpoint import SparqlEndpointStore

        return SparqlEndpointStore.from_url(location)
    return OxigraphStore(location, writable=writable)
