"""Loading files into the store: one named graph per file, with provenance, all-or-nothing.

Each loaded file's graph also holds the file's ``ckg:LoadedFile`` record (path, content hash,
format, triple count, load time, loader). A graph is complete once that record is in it, so a
load interrupted by a crash leaves a graph without one, which the next load removes. Loading a
changed file writes a new graph and then drops the old one; an unchanged file is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat

from graph.errors import CustomsKGError, SourceError, StoreError
from graph.names import loading_index
from graph.store import GraphStore
from graph.store.journal import fault_point
from graph.store.limits import check_json_depth, check_xml_entities
from graph.store.loaded import SourceInfo, loaded_sources
from loaders import reference_data
from loaders.records import (
    RECORD_SUFFIXES,
    RecordsConverter,
    check_schema,
    extractor_agent,
    n,
    read_record_documents,
)
from loaders.records.documents import check_size, max_file_size
from ontology.vocab import CKG, GRAPH, ID, PROV, RDF, XSD

LOADER_VERSION = "0.1.0"
RDF_SIZE_ENV = "CUSTOMS_KG_MAX_RDF_SIZE"
RDF_SUFFIXES = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".jsonld": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
}
# Articles: read by the extractor (loaders/articles), whose records go through the same
# conversion as a records file. Only files named one by one: a folder's README.md is no article.
ARTICLE_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                    ".htm": "html"}
LOADERS = {"records": n(ID["loader/records"]), "rdf": n(ID["loader/rdf"]),
           "reference": n(ID["loader/reference"])}

COUNT_GRAPH_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass
class FileLoad:
    """What a load did with one file."""

    path: str
    status: str  # loaded | replaced | unchanged
    triples: int = 0
    graph: str = ""


@dataclass
class _Pending:
    path: str
    display: str
    hash: str
    kind: str  # records | rdf | reference | article
    fmt: str
    file: Path | None = None
    documents: list[dict] | None = None
    graph: NamedNode = field(default_factory=lambda: n(GRAPH[f"file/{uuid.uuid4().hex}"]))
    old_graphs: list[NamedNode] = field(default_factory=list)


def supported(path: Path, articles: bool = True) -> bool:
    suffix = path.suffix.lower()
    return (suffix in RECORD_SUFFIXES or suffix in RDF_SUFFIXES
            or (articles and suffix in ARTICLE_SUFFIXES))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the records and RDF files under folders named, in a stable order.
    Articles are taken when named, not from folders."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        _check_name(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and supported(p, False)
                           and not any(part.startswith(".") for part in p.parts[len(
                               path.parts):]))
            for file in found:
                _check_name(file)
            files += found
        elif path.is_file():
            if not supported(path):
                raise SourceError(f"{path}: unsupported file type '{path.suffix}' (records: "
                                  f"{', '.join(RECORD_SUFFIXES)}; RDF: {', '.join(RDF_SUFFIXES)}; "
                                  f"articles: {', '.join(ARTICLE_SUFFIXES)})")
            files.append(path)
        else:
            raise SourceError(f"{path}: no such file or folder")
    return list(dict.fromkeys(files))


def _check_name(path: Path) -> None:
    """A SourceError for a file name that is not UTF-8 (it could be neither recorded as the
    source's path nor printed)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", errors="replace")
        raise SourceError(f"{shown}: the file name is not UTF-8; rename the file") from None


def rdf_size_limit() -> int:
    """The largest RDF file loaded: ``$CUSTOMS_KG_MAX_RDF_SIZE`` bytes (K, M, G suffixes),
    default 16 GB (RDF files are streamed into the store, not read into memory)."""
    return max_file_size(RDF_SIZE_ENV, 16 << 30)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as err:
        raise SourceError(f"{path}: cannot read: {err.strerror}") from err
    return digest.hexdigest()


def repair(store: GraphStore) -> list[str]:
    """Drop graphs a crashed load left behind: incomplete ones, and older copies of a file."""
    sources = loaded_sources(store)
    complete = {s.graph for s in sources}
    stale = [g for g in store.named_graphs() if g.value.startswith(str(GRAPH) + "file/")
             and g.value not in complete]
    newest: dict[str, SourceInfo] = {}
    for source in sources:
        if source.path in newest:
            stale.append(NamedNode(newest[source.path].graph))
        newest[source.path] = source
    if stale:
        store.drop_graphs(stale)
    return [g.value for g in stale]


def _reference_pending(current: dict[str, SourceInfo]) -> list[_Pending]:
    pending = []
    for name in reference_data.REFERENCE_DOCUMENTS:
        document = reference_data.reference_document(name)
        text = json.dumps(document, sort_keys=True, default=str)
        digest = hashlib.sha256((LOADER_VERSION + text).encode()).hexdigest()
        path = f"reference:{name}"
        if path in current and current[path].hash == digest:
            continue
        item = _Pending(path, path, digest, "reference", "records", documents=[document])
        if path in current:
            item.old_graphs.append(NamedNode(current[path].graph))
        pending.append(item)
    return pending


def _file_record(item: _Pending, triples: int, sources: list[NamedNode], now: str) -> list[Quad]:
    g = item.graph
    if item.kind == "article":
        from loaders.articles.extract import EXTRACTOR

        loader = extractor_agent(EXTRACTOR)
    else:
        loader = LOADERS[item.kind]
    quads = [
        Quad(g, n(RDF.type), n(CKG.LoadedFile), g),
        Quad(g, n(RDF.type), n(PROV.Entity), g),
        Quad(g, n(CKG.path), Literal(item.path), g),
        Quad(g, n(CKG.contentHash), Literal(item.hash), g),
        Quad(g, n(CKG["format"]), Literal(item.fmt), g),
        Quad(g, n(CKG.tripleCount), Literal(str(triples), datatype=n(XSD.integer)), g),
        Quad(g, n(CKG.loaderVersion), Literal(LOADER_VERSION), g),
        Quad(g, n(PROV.generatedAtTime), Literal(now, datatype=n(XSD.dateTime)), g),
        Quad(g, n(PROV.wasAttributedTo), loader, g),
    ]
    quads += [Quad(g, n(PROV.wasDerivedFrom), source, g) for source in sources]
    return quads


def _article_digest(file_digest: str, published: str | None) -> str:
    """An article's content hash: the file's, the extractor's version and ``published`` (a
    new extractor or another publication date gives other records)."""
    from loaders.articles.extract import EXTRACTOR

    basis = f"{file_digest}|{EXTRACTOR}|published={published or ''}"
    return hashlib.sha256(basis.encode()).hexdigest()


def _read_article(item: _Pending, published: str | None) -> list[dict]:
    """The records document the extractor makes of an article."""
    from loaders.articles.extract import extract_file

    assert item.file is not None
    try:
        return [extract_file(item.file, published=published)]
    except SourceError as err:
        message = str(err)
        if not message.startswith((item.display, str(item.file), item.file.name)):
            message = f"{item.display}: {message}"
        raise SourceError(message) from err


def load_paths(store: GraphStore, paths: Iterable[str | Path], *,
               progress: Callable[[int, int, str], None] | None = None,
               with_reference: bool = True, published: str | None = None) -> list[FileLoad]:
    """Load files and folders (records and RDF) and articles into ``store``, all or nothing.

    An article (``.txt``, ``.md``, ``.html``, named one by one) goes through the extractor
    (``loaders.articles``): its records, each with its evidence, load like a records file;
    ``published`` (YYYY-MM-DD) dates an article whose header gives no publication date.
    Reference data (countries, unions, the gazetteer of customs administrations) is loaded
    first when missing or out of date. Raises RecordError / SourceError naming the file,
    record and field; the store is then as it was.
    """
    files = expand_paths(paths)
    rdf_limit = rdf_size_limit() if any(p.suffix.lower() in RDF_SUFFIXES for p in files) else 0
    repair(store)
    current = {s.path: s for s in loaded_sources(store)}
    pending: list[_Pending] = _reference_pending(current) if with_reference else []
    results: list[FileLoad] = []
    for path in files:
        absolute = str(path.resolve())
        display = _display(path)
        suffix = path.suffix.lower()
        if suffix in RDF_SUFFIXES:
            check_size(path, display, rdf_limit, RDF_SIZE_ENV)
        else:
            check_size(path, display)
        digest = _hash_file(path)
        if suffix in ARTICLE_SUFFIXES:
            kind, fmt, digest = "article", "article", _article_digest(digest, published)
        elif suffix in RECORD_SUFFIXES:
            kind, fmt = "records", RECORD_SUFFIXES[suffix]
        else:
            kind, fmt = "rdf", RDF_SUFFIXES[suffix].name
        previous = current.get(absolute)
        if previous is not None and previous.hash == digest:
            results.append(FileLoad(display, "unchanged", previous.triples, previous.graph))
            continue
        item = _Pending(absolute, display, digest, kind, fmt, file=path)
        if previous is not None:
            item.old_graphs.append(NamedNode(previous.graph))
        pending.append(item)
    if not pending:
        return results

    # 1. Parse (or extract) and convert every records document in memory: errors stop here,
    #    nothing written.
    records = [p for p in pending if p.kind != "rdf"]
    for item in records:
        if item.documents is None:
            assert item.file is not None
            item.documents = (_read_article(item, published) if item.kind == "article"
                              else read_record_documents(item.file, item.display))
        for name, document in _named(item):
            check_schema(document, name)
    converted: dict[str, tuple[list[Quad], list[NamedNode]]] = {}
    if records:
        index = loading_index(store, [g for p in pending for g in p.old_graphs])
        converter = RecordsConverter(index)
        for item in records:
            for position, (name, document) in enumerate(_named(item)):
                converter.declare(document, f"{item.path}#{position}", name, item.graph,
                                  extracted=item.kind == "article")
        for item in records:
            quads: list[Quad] = []
            sources: list[NamedNode] = []
            for position, (name, document) in enumerate(_named(item)):
                more_quads, more_sources = converter.convert(
                    document, f"{item.path}#{position}", name, item.graph,
                    extracted=item.kind == "article")
                quads += more_quads
                sources += [s for s in more_sources if s not in sources]
            converted[item.path] = (quads, sources)

    # 2. The journal of intent, then every new graph's content (no loaded-file record yet:
    #    none of them is a source until the commit). On failure, remove what was written.
    now = load_time()
    retired = [g for item in pending for g in item.old_graphs]
    store.begin_write("load", [item.graph for item in pending], retired)
    records: list[Quad] = []
    # Reference data and curated records first: an RDF file's preferred label for one of their
    # entities then becomes an alternative label in the file's graph (reference data wins).
    authorities = [NamedNode(s.graph) for s in current.values()
                   if s.loader in ("reference", "records")
                   and NamedNode(s.graph) not in retired]
    authorities += [p.graph for p in pending if p.kind in ("reference", "records")]
    order = sorted(range(len(pending)), key=lambda i: pending[i].kind == "rdf")
    loaded: dict[int, FileLoad] = {}
    try:
        for done, position in enumerate(order):
            item = pending[position]
            if progress:
                progress(done, len(pending), item.display)
            if item.kind == "rdf":
                triples = _load_rdf(store, item, authorities)
                records += _file_record(item, triples, [], now)
            else:
                quads, sources = converted[item.path]
                triples = len({(q.subject, q.predicate, q.object) for q in quads})
                store.add_quads(quads)
                records += _file_record(item, triples, sources, now)
            fault_point(f"ingested-{done}")
            loaded[position] = FileLoad(item.display,
                                        "replaced" if item.old_graphs else "loaded",
                                        triples, item.graph.value)
        results += [loaded[position] for position in range(len(pending))]
        # 3. The commit point: every record of the load in one transaction.
        store.commit(records, retired)
    except BaseException:
        try:
            store.abort_write()
        except CustomsKGError:
            pass  # the journal stays: the next open finishes or undoes the load
        raise
    # 4. Drop the graphs the new ones replace, then forget the journal.
    store.drop_graphs(retired)
    store.end_write()
    if progress:
        progress(len(pending), len(pending), "done")
    return results


def load_time() -> str:
    """The load time recorded for the files of a load: now, in UTC, to the second; or the time
    ``$SOURCE_DATE_EPOCH`` gives (seconds since 1970, the reproducible-builds convention), so
    that a load can be repeated with the same provenance (the docs' sessions are)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError) as err:
            raise CustomsKGError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds "
                                 "since 1970-01-01") from err
    else:
        when = dt.datetime.now(dt.timezone.utc)
    return when.isoformat(timespec="seconds")


def _named(item: _Pending) -> list[tuple[str, dict]]:
    """The documents of a file, each with the name its errors give: the file's, and the
    document's number when the file holds several."""
    documents = item.documents or []
    if len(documents) == 1:
        return [(item.display, documents[0])]
    return [(f"{item.display} (document {i + 1})", d) for i, d in enumerate(documents)]


DEMOTE_LABELS = """
DELETE { GRAPH ?new { ?s skos:prefLabel ?label } }
INSERT { GRAPH ?new { ?s skos:altLabel ?label } }
WHERE { GRAPH ?new { ?s skos:prefLabel ?label }
        FILTER EXISTS { VALUES ?authority { AUTHORITIES }
                        GRAPH ?authority { ?s skos:prefLabel ?other } } }
"""


def _demote_labels(store: GraphStore, graph: NamedNode, authorities: list[NamedNode]) -> None:
    """A file's skos:prefLabel of an entity reference data or curated records label becomes a
    skos:altLabel in the file's graph: it adds a name, the reference label stays the one shown."""
    if not authorities:
        return
    update = DEMOTE_LABELS.replace("?new", str(graph)).replace(
        "AUTHORITIES", " ".join(str(g) for g in authorities))
    store.update(update)


def _load_rdf(store: GraphStore, item: _Pending,
              authorities: list[NamedNode] | None = None) -> int:
    assert item.file is not None
    rdf_format = RDF_SUFFIXES[item.file.suffix.lower()]
    if rdf_format == RdfFormat.RDF_XML:
        check_xml_entities(item.file, item.display)
    elif rdf_format == RdfFormat.JSON_LD:
        check_json_depth(item.file, item.display)
    try:
        store.load_file(item.file, rdf_format, item.graph)
    except SyntaxError as err:
        message = " ".join(str(err).split())
        raise SourceError(f"{item.display}: invalid {rdf_format.name}: {message}") from err
    except (OSError, ValueError) as err:
        message = " ".join(str(err).split())
        raise SourceError(f"{item.display}: cannot load {rdf_format.name}: {message}") from err
    _demote_labels(store, item.graph, authorities or [])
    rows = store.select(COUNT_GRAPH_QUERY, {"g": item.graph})
    return int(rows[0]["n"].value) if rows else 0


def find_source(store: GraphStore, name: str) -> SourceInfo:
    """The loaded file ``name`` designates: its path (as given or absolute), its graph IRI,
    or a unique file name."""
    sources = loaded_sources(store)
    wanted = {name, str(Path(name).resolve())}
    exact = [s for s in sources if s.path in wanted or s.graph == name]
    if exact:
        return exact[0]
    by_name = [s for s in sources if Path(s.path).name == name or s.path.endswith("/" + name)]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise StoreError(f"'{name}' matches several sources: "
                         + ", ".join(s.path for s in by_name))
    raise StoreError(f"no loaded source '{name}' (see 'customs-kg sources')")


def remove_source(store: GraphStore, name: str) -> SourceInfo:
    """Drop one loaded file's named graph (and so every statement it made)."""
    return remove_sources(store, [name])[0]


def remove_sources(store: GraphStore, names: Iterable[str]) -> list[SourceInfo]:
    """Drop loaded files' named graphs, all or nothing: the files stop being sources in one
    transaction (the commit point), then their graphs are dropped."""
    sources = list({s.graph: s for s in (find_source(store, name) for name in names)}.values())
    graphs = [NamedNode(s.graph) for s in sources]
    store.begin_write("remove", [], graphs)
    try:
        store.commit([], graphs)
    except BaseException:
        try:
            store.abort_write()
        except CustomsKGError:
            pass
        raise
    store.drop_graphs(graphs)
    store.end_write()
    return sources
