"""The name index built from a store (only the graphs a load keeps), cached beside it and kept
up to date by patching: after a load or a removal only the entities the added and removed
files state are read again (``patch_index``), and the index is the same as one built from
scratch (``EntityIndex.canonical``: its lists in build order, whatever order rows came in)."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from graph.errors import UsageProblem
from graph.names.index import ORGANISATION_KINDS, EntityIndex, Match
from graph.queries import values_clause
from graph.store import GraphStore
from graph.store.cache import cache_folder, maintained
from graph.store.keyed import BlobList, KeyedFile, remove_others
from graph.store.loaded import loaded_sources

# -- building from the store -----------------------------------------------------------------
# Each entity's names, ids, codes, demonyms, country and national customs administration, one
# fact a row. DISTINCT: a fact several files state (every article restates its agencies) is one
# row, and no OPTIONAL multiplies another (asking for all of them in one row made the rows grow
# with the product of the number of files stating each fact).
_INDEXED_CLASSES = """VALUES (?class ?kind) {
  (ckg:Country "country") (ckg:EconomicUnion "union")
  (ckg:InternationalOrganisation "international")
  (ckg:Agency "agency") (ckg:CustomsAdministration "agency") (ckg:Ministry "agency")
  (ckg:GovernmentBody "agency") (ckg:RegionalCustomsUnit "agency")
  (schema:Person "person")
}"""
"""The classes whose instances the index holds, and the kind each counts as."""
_CLASS_FILTER = """FILTER(?class IN (ckg:Country, ckg:EconomicUnion, ckg:InternationalOrganisation,
  ckg:Agency, ckg:CustomsAdministration, ckg:Ministry, ckg:GovernmentBody,
  ckg:RegionalCustomsUnit, schema:Person))"""
_FACT_FILTER = """FILTER(?p IN (skos:prefLabel, skos:altLabel, dct:identifier, ckg:isoAlpha2,
  ckg:isoAlpha3, skos:hiddenLabel, ckg:country, ckg:nationalCustomsAdministration))"""
"""The classes and facts as FILTERs: joined with VALUES, Oxigraph read every instance of the
classes and every fact of the properties for a few entities (0.25 s and 4 s for 22 entities at
10M triples, instead of a few ms)."""
INDEX_QUERY = """
SELECT DISTINCT ?e ?kind ?p ?v WHERE {
  { SELECT DISTINCT ?e ?kind WHERE {
      { #ENTITIES
        ?e a ?class """ + _CLASS_FILTER + """ }
      """ + _INDEXED_CLASSES + """ } }
  OPTIONAL { ?e ?p ?v """ + _FACT_FILTER + """ }
}
"""
# The same facts, each with the graph that states it, over the graphs that VALUES ?g names
# (those of extracted sources): an entity counts as typed where it is named.
SCOPED_INDEX_QUERY = """
SELECT DISTINCT ?g ?e ?kind ?p ?v WHERE {
  #ENTITIES
  GRAPH ?g {
    ?e a ?class . """ + _CLASS_FILTER + """
    OPTIONAL { ?e ?p ?v """ + _FACT_FILTER + """ }
  }
  """ + _INDEXED_CLASSES + """
}
"""
_FACT_NAMES = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "name",
    "http://purl.org/dc/terms/identifier": "id",
    "https://w3id.org/customs-kg/ontology#isoAlpha2": "code",
    "https://w3id.org/customs-kg/ontology#isoAlpha3": "code",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": "hidden",
    "https://w3id.org/customs-kg/ontology#country": "country",
    "https://w3id.org/customs-kg/ontology#nationalCustomsAdministration": "national",
}

# An agreement's names, parties, kind and signing dates: kind and parties let an extracted "the
# MRA" between two known parties be the known agreement (``EntityIndex.known_agreements``).
_AGREEMENT_FACT_PROPERTIES = """VALUES ?p { dct:title skos:altLabel dct:identifier ckg:party
  ckg:kind ckg:signingDate }"""
# The properties as a FILTER, not a VALUES: joined with VALUES, Oxigraph read every agreement
# for a few entities (3 s instead of 0.01 s for 20 entities at 10M triples).
AGREEMENT_INDEX_QUERY = """
SELECT DISTINCT ?e ?p ?v WHERE {
  { SELECT DISTINCT ?e WHERE { #ENTITIES
      ?e a ckg:Agreement ; dct:title [] } }
  ?e ?p ?v
  FILTER(?p IN (dct:title, skos:altLabel, dct:identifier, ckg:party, ckg:kind,
                ckg:signingDate))
}
"""
SCOPED_AGREEMENT_INDEX_QUERY = """
SELECT DISTINCT ?g ?e ?p ?v WHERE {
  #ENTITIES
  GRAPH ?g { ?e a ckg:Agreement ; dct:title [] .
             """ + _AGREEMENT_FACT_PROPERTIES + """
             ?e ?p ?v }
}
"""
_AGREEMENT_FACTS = {"http://purl.org/dc/terms/title": "label",
                    "http://www.w3.org/2004/02/skos/core#altLabel": "name",
                    "http://purl.org/dc/terms/identifier": "id",
                    "https://w3id.org/customs-kg/ontology#party": "party",
                    "https://w3id.org/customs-kg/ontology#kind": "kind",
                    "https://w3id.org/customs-kg/ontology#signingDate": "signed"}

# The records an extractor's evidence backs (loaders/records: a qualified derivation whose
# activity is associated with the extractor), with the graph that states them.
EXTRACTED_RECORDS_QUERY = """
SELECT DISTINCT ?g ?e WHERE {
  #ENTITIES
  GRAPH ?g { ?e prov:qualifiedDerivation ?d . ?d prov:hadActivity ?a .
             ?a prov:wasAssociatedWith ?agent }
}
"""
EVENT_INDEX_QUERY = "SELECT DISTINCT ?e WHERE { #ENTITIES\n ?e a ckg:Event }"
# What a file's graph says of anyone the index holds: the subjects whose index facts it may
# change (a patch reads them again), and whether it holds an extractor's evidence (its
# graph's records are then scoped, see ``extracted_sources``).
GRAPH_SUBJECTS_QUERY = """
SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e ?p ?v } }
"""
HAS_EXTRACTED_RECORDS_QUERY = """
SELECT ?e WHERE { GRAPH ?g { ?e prov:qualifiedDerivation ?d . ?d prov:hadActivity ?a .
                             ?a prov:wasAssociatedWith ?agent } } LIMIT 1
"""
INDEX_CACHE_VERSION = 7
"""Bumped whenever what the index holds changes, so older caches are rebuilt."""


PATCH_MAX_TRIPLES = 200_000
"""A patch reads the files it adds or removes: up to this many triples in all; beyond, the
index is built anew (as cheap, and simpler)."""
REPLAYS_COMPACTED = 2
"""A reader that replays this many logged changes of the index (each costs about 0.1 s at 10M
triples) writes the base anew, so the next reader replays none (``maintained``)."""
SUBJECTS_KEPT = PATCH_MAX_TRIPLES // 10
"""The files of at most this many subjects (triples, when the index is built) have them kept
in the index's state: a patch after their removal reads those entities again."""
PATCH_BATCH = 2_000
"""Entities read again per query by a patch."""


@dataclass
class IndexState:
    """What the index of a store was built with, beyond the index: the graphs holding an
    extractor's evidence, and the subjects of the smaller files (so a patch after their
    removal knows whom they spoke of)."""

    extracted_graphs: set[str] = field(default_factory=set)
    subjects: dict[str, list[str]] = field(default_factory=dict)

    def dump(self) -> tuple:
        return sorted(self.extracted_graphs), {g: s for g, s in sorted(self.subjects.items())}

    @classmethod
    def load(cls, data: tuple) -> IndexState:
        graphs, subjects = data
        return cls(set(graphs), dict(subjects))


def cached_index(store, *, organisations_only: bool = False) -> EntityIndex:
    """``index_from_store``, kept beside an on-disk store between runs (see ``graph.store.cache``)
    and patched after a load or a removal (``patch_index``): what the commands resolve and
    search names with, entities only extracted sources know included (``with_extracted``).
    At 1M triples the organisations' index loads in 0.05 s instead of being built in 0.4 s."""
    index, _ = _maintained_index(store, organisations_only)
    index.with_extracted = True
    index.translations_folder = cache_folder(store)
    return index


def _maintained_index(store, organisations_only: bool) -> tuple[EntityIndex, IndexState]:
    name = "organisation-index" if organisations_only else "entity-index"

    def build() -> tuple[EntityIndex, IndexState]:
        state = IndexState()
        return index_from_store(store, organisations_only=organisations_only,
                                state=state), state

    def patch(built: tuple[EntityIndex, IndexState], added: list, removed: list) -> tuple | None:
        return patch_index(store, built[0], built[1], [g for g, _, _ in added],
                           [g for g, _, _ in removed], organisations_only=organisations_only)

    folder = cache_folder(store)
    return maintained(store, name, INDEX_CACHE_VERSION, build, patch, replay_index,
                      lambda built: (_shards_to_file(built[0].cache_data(), folder, name),
                                     built[1].dump()),
                      lambda data: (EntityIndex.load(_shards_from_file(data[0], folder)),
                                    IndexState.load(data[1])),
                      compact_after=REPLAYS_COMPACTED)


SHARDED_PARTS = (0, 1, 2, 5, 10)
"""Where ``EntityIndex.cache_data`` has its mappings in shards (entities, names, ids, events,
agreements): their blobs are kept in a file of their own, read a shard at a time."""


def _shards_to_file(data: tuple, folder, name: str) -> tuple:
    """``EntityIndex.cache_data`` with its shards' blobs written to a SQLite file beside the
    cache (``graph.store.keyed``), the base keeping their sizes and the file's name: a load
    reads the few shards its names need, not the whole index (153 MB at 10M triples). Older
    copies of the file are removed (``graph.store.keyed.remove_others``)."""
    parts = list(data)
    blobs: list[tuple[str, bytes]] = []
    sources = {id(parts[p][0].file): parts[p][0] for p in SHARDED_PARTS
               if isinstance(parts[p][0], BlobList)}
    # Read from one file: a copy of it with the shards opened written again.
    copy = next(iter(sources.values())) if len(sources) == 1 and all(
        isinstance(parts[p][0], BlobList) and parts[p][0].prefix == str(p)
        for p in SHARDED_PARTS) else None
    for position in SHARDED_PARTS:
        part_blobs, sizes = parts[position]
        blobs += list(part_blobs.changes().items()) if copy is not None else \
            [(f"{position}:{n}", blob) for n, blob in enumerate(part_blobs)]
        parts[position] = list(sizes)
    file_name = f"shards-of-{name}-{secrets.token_hex(10)}.sqlite"
    try:
        folder.mkdir(exist_ok=True)
        if copy is not None:
            KeyedFile.write_changes(copy.file.path, folder / file_name, {"blobs": (blobs, ())})
        else:
            KeyedFile.write(folder / file_name, {"blobs": blobs})
        remove_others(folder, f"shards-of-{name}-*.sqlite", file_name)
    except (OSError, sqlite3.Error):
        return (None, data)  # the folder cannot be written: a base that cannot be read
    return (file_name, tuple(parts))


def _shards_from_file(data: tuple, folder) -> tuple:
    """``EntityIndex.cache_data`` from ``_shards_to_file``'s: each shard read when first asked
    for. OSError when the file cannot be read."""
    file_name, parts = data
    if file_name is None:
        raise OSError("the index's shards were not written")
    file = KeyedFile.open(folder / file_name)
    parts = list(parts)
    for position in SHARDED_PARTS:
        sizes = parts[position]
        parts[position] = (BlobList(file, "blobs", str(position), len(sizes)), sizes)
    return tuple(parts)


def loading_index(store, exclude: list[NamedNode]) -> EntityIndex:
    """The index a load resolves its records with: the store's, less the named graphs in
    ``exclude`` (those the load replaces). From the cache beside an on-disk store, patched
    (so a small load into a big store reads only what it adds or replaces); built from the
    store when there is none."""
    if cache_folder(store) is None:
        return index_from_store(store, exclude)
    index, state = _maintained_index(store, False)
    index.translations_folder = cache_folder(store)
    if exclude and patch_index(store, index, state, [], [g.value for g in exclude],
                               exclude=[g.value for g in exclude]) is None:
        return index_from_store(store, exclude)
    return index


def extracted_sources(store, exclude: set[str] = frozenset(),
                      entities: list[str] | None = None) -> tuple[set[str], set[tuple]]:
    """The extracted sources: the graphs loaded through an extractor, and (graph, entity) for
    each record of another file that an extractor's evidence backs (of ``entities`` only, if
    given)."""
    whole = {s.graph for s in loaded_sources(store)
             if s.loader.startswith("extractor") and s.graph not in exclude}
    records = {(row["g"].value, row["e"].value)
               for row in _select(store, EXTRACTED_RECORDS_QUERY, entities)
               if row["g"].value not in whole and row["g"].value not in exclude}
    return whole, records


def _select(store, query: str, entities: list[str] | None, *,
            graphs: list[NamedNode] | None = None) -> Iterable:
    """The rows of ``query`` (its ``#ENTITIES`` mark bound to ``entities``, in batches; all
    entities when None)."""
    if entities is None:
        yield from store.select(query.replace("#ENTITIES", ""), graphs=graphs)
        return
    for start in range(0, len(entities), PATCH_BATCH):
        batch = values_clause("e", map(NamedNode, entities[start:start + PATCH_BATCH]))
        yield from store.select(query.replace("#ENTITIES", batch), graphs=graphs)


def index_from_store(store, exclude: list[NamedNode] | None = None, *,
                     organisations_only: bool = False,
                     state: IndexState | None = None) -> EntityIndex:
    """Build the index of every organisation, person and agreement the store holds, leaving
    out the named graphs in ``exclude`` (those a load is about to replace). Names that
    extracted sources state are kept as theirs (see the module's docstring). With
    ``organisations_only``, organisations and people only: enough to resolve the names of
    organisations, and faster on a big store (0.4 s instead of 1.8 s at 1M triples).
    ``state``, if given, is filled with what a later ``patch_index`` needs."""
    index = EntityIndex()
    index.loading = False
    index.translations_folder = cache_folder(store)
    dropped = {g.value for g in exclude or []}
    whole, records = extracted_sources(store, dropped)
    if state is not None:
        state.extracted_graphs = {g for g, _ in records}
        # whom each smaller file speaks of, so that a patch after its removal knows
        state.subjects = {source.graph: graph_subjects(store, source.graph)
                          for source in loaded_sources(store)
                          if source.triples <= SUBJECTS_KEPT and source.graph not in dropped}
    _add_entities(Select(store), index, dropped, whole, {g for g, _ in records}, records,
                  None, organisations_only)
    index.canonical()
    index.loading = True
    return index


def patch_index(store: GraphStore, index: EntityIndex, state: IndexState, added: list[str],
                removed: list[str], *, organisations_only: bool = False,
                exclude: list[str] = ()) -> tuple | None:
    """Bring ``index`` (built by ``index_from_store``) up to date after the files of the
    graphs ``added`` were loaded and those of ``removed`` removed (or, with ``exclude``, as if
    the graphs ``exclude`` were not there, while they still are): the entities those graphs
    state are forgotten and read again from the store, by their IRIs. The result is the index
    ``index_from_store`` would build. Returns the change, which ``replay_index`` applies
    again to the index as it was (it records the rows read); None, the index untouched, when
    it cannot be done cheaply (a big file, or a removed file whose subjects are unknown): then
    build it anew."""
    sizes = {s.graph: s.triples for s in loaded_sources(store)}
    present = {g.value for g in store.named_graphs()} - set(exclude)
    if sum(sizes.get(g, PATCH_MAX_TRIPLES) for g in added) > PATCH_MAX_TRIPLES:
        return None
    subjects: dict[str, list[str]] = {}
    for graph in [*added, *removed]:
        if graph in state.subjects:
            subjects[graph] = state.subjects[graph]
        elif graph in present or graph in exclude:
            subjects[graph] = graph_subjects(store, graph)
        else:
            return None  # removed, and whom it spoke of is unknown
        if sum(map(len, subjects.values())) > PATCH_MAX_TRIPLES:
            return None
    extracted = set(state.extracted_graphs) - set(removed) - set(exclude)
    for graph in added:
        if store.select(HAS_EXTRACTED_RECORDS_QUERY, {"g": NamedNode(graph)}):
            extracted.add(graph)
    touched = {e for found in subjects.values() for e in found}
    dropped = set(removed) | set(exclude)
    whole, records = extracted_sources(store, dropped, sorted(touched))
    select = Select(store, recording=True)
    change = (sorted(touched), sorted(dropped), sorted(whole), sorted(extracted),
              sorted(records), select.rows, sorted(removed),
              {g: subjects[g] for g in added if len(subjects[g]) <= SUBJECTS_KEPT},
              organisations_only)
    _apply_index(index, state, change, select)
    return change


def graph_subjects(store: GraphStore, graph: str) -> list[str]:
    """The IRIs a loaded file's graph states something of, sorted."""
    return sorted(row["e"].value for row in store.select(GRAPH_SUBJECTS_QUERY,
                                                         {"g": NamedNode(graph)})
                  if isinstance(row["e"], NamedNode))


def replay_index(built: tuple[EntityIndex, IndexState], change: tuple) -> None:
    """Apply a change ``patch_index`` made (to the index as it was before it)."""
    _apply_index(built[0], built[1], change, Select(None, played=change[5]))


def _apply_index(index: EntityIndex, state: IndexState, change: tuple,
                 select: Select) -> None:
    (touched, dropped, whole, extracted, records, _, removed, subjects,
     organisations_only) = change
    index.loading = False
    index.forget(set(touched))
    _add_entities(select, index, set(dropped), set(whole), set(extracted),
                  {tuple(pair) for pair in records}, list(touched), organisations_only)
    index.canonical(set(touched))
    index.register_agreements_of(set(touched))
    index.loading = True
    state.extracted_graphs = set(extracted)
    for graph in removed:
        state.subjects.pop(graph, None)
    state.subjects.update(subjects)


class Select:
    """How the index is read from a store: the rows of a query (its ``#ENTITIES`` mark bound
    to some entities, in batches), and the store's named graphs. A patch records the rows it
    reads (as plain data), so that replaying the change reads none (``replay_index``)."""

    def __init__(self, store, *, recording: bool = False,
                 played: list | None = None) -> None:
        self.store = store
        self.rows: list[list[dict]] = [] if played is None else played
        self.recording = recording
        self.playing = iter(self.rows) if played is not None else None

    def named_graphs(self) -> list[NamedNode]:
        return [] if self.store is None else self.store.named_graphs()

    def __call__(self, query: str, entities: list[str] | None,
                 graphs: list[NamedNode] | None = None) -> list:
        if self.playing is not None:
            return [{name: _term(value) for name, value in row.items()}
                    for row in next(self.playing)]
        rows = list(_select(self.store, query, entities, graphs=graphs))
        if self.recording:
            self.rows.append([{name: _plain(term) for name, term in row.items()
                               if term is not None} for row in rows])
        return rows


def _plain(term) -> tuple:
    """A term as plain data (``_term`` turns it back)."""
    if isinstance(term, NamedNode):
        return ("n", term.value)
    if isinstance(term, Literal):
        return ("l", term.value, term.datatype.value, term.language or "")
    return ("b", term.value)


def _term(plain: tuple):
    kind, value, *rest = plain
    if kind == "n":
        return NamedNode(value)
    if kind == "l":
        datatype, language = rest
        return Literal(value, language=language) if language else \
            Literal(value, datatype=NamedNode(datatype))
    return BlankNode(value)


def _add_entities(select: Select, index: EntityIndex, dropped: set[str], whole: set[str],
                  extracted_graphs: set[str], records: set[tuple], entities: list[str] | None,
                  organisations_only: bool) -> None:
    """Add to ``index`` what the store states of ``entities`` (of everyone, if None), leaving
    out the graphs ``dropped``: trusted names from every graph but those of extracted sources
    (``whole`` graphs, and the ``extracted_graphs`` holding extracted ``records``), scoped
    names from those."""
    scoped_graphs = sorted((whole | extracted_graphs) - dropped)
    graphs = None
    if dropped or scoped_graphs:
        skipped = dropped | set(scoped_graphs)
        graphs = [g for g in select.named_graphs() if g.value not in skipped]

    def scope_of(graph: str, entity: str) -> str | None:
        return graph if graph in whole or (graph, entity) in records else None

    # (scope, entity) -> kinds, facts; trusted sources (scope None) first
    kinds: dict[tuple, list[str]] = {}
    facts: dict[tuple, dict[str, list]] = {}
    nodes: dict[str, NamedNode] = {}

    def collect(scope: str | None, node: NamedNode, kind: str, p: NamedNode | None,
                v: object) -> None:
        key = (scope, node.value)
        nodes.setdefault(node.value, node)
        if kind not in kinds.setdefault(key, []):
            kinds[key].append(kind)
        if p is not None:
            facts.setdefault(key, {}).setdefault(_FACT_NAMES[p.value], []).append(v)

    for row in select(INDEX_QUERY, entities, graphs):
        collect(None, row["e"], row["kind"].value, row.get("p"), row.get("v"))
    if scoped_graphs:
        query = SCOPED_INDEX_QUERY + values_clause("g", map(NamedNode, scoped_graphs))
        known = {iri for _, iri in kinds}
        for row in select(query, entities):
            scope = scope_of(row["g"].value, row["e"].value)
            if scope is None or row["e"].value not in known:  # what they say of known ones
                collect(scope, row["e"], row["kind"].value, row.get("p"), row.get("v"))

    kind_rank = {"agency": 0, "union": 1, "international": 2, "country": 3, "person": 4}
    ordered = sorted(((min(kinds[key], key=kind_rank.__getitem__), key) for key in kinds),
                     key=lambda pair: (pair[1][0] is not None, kind_rank[pair[0]],
                                       pair[1][1], pair[1][0] or ""))
    for kind, key in ordered:
        scope, iri = key
        fact = {name: sorted(values, key=_term_order)
                for name, values in facts.get(key, {}).items()}
        labels = [v.value for v in fact.get("label", [])]
        ids = [v.value for v in fact.get("id", [])]
        with index.within(scope):
            entity = index.add(nodes[iri], kind, labels[0] if labels else None,
                               labels[1:] + [v.value for v in fact.get("name", [])],
                               ids[0] if ids else None)
            for identifier in ids[1:]:
                index.add(nodes[iri], kind, None, (), identifier)
        if scope is None:
            for code in fact.get("code", []):
                index.add_code(nodes[iri], code.value)
            for demonym in fact.get("hidden", []):
                index.add_demonym(demonym.value, nodes[iri])
        if fact.get("country") and (scope is None or entity.country is None):
            entity.country = fact["country"][-1]
        if scope is None:  # an extracted source's say is for its own mentions, none loading now
            for national in fact.get("national", []):
                index.set_national_customs(nodes[iri], national)
    if not organisations_only:
        _index_agreements(select, index, graphs, scoped_graphs, scope_of, entities)
        index.events.update(row["e"].value for row in select(
            EVENT_INDEX_QUERY, entities,
            graphs + [NamedNode(g) for g in scoped_graphs] if graphs is not None else None))


def _term_order(term) -> tuple[str, str]:
    """Values in one order whatever order the store gave them in."""
    return (term.value, str(term))


def _index_agreements(select: Select, index: EntityIndex, graphs: list[NamedNode] | None,
                      scoped_graphs: list[str], scope_of: Callable[[str, str], str | None],
                      entities: list[str] | None) -> None:
    agreements: dict[tuple, dict[str, list[str]]] = {}
    nodes: dict[str, NamedNode] = {}
    rows = [(None, row) for row in select(AGREEMENT_INDEX_QUERY, entities, graphs)]
    if scoped_graphs:
        known = {row["e"].value for _, row in rows}
        query = SCOPED_AGREEMENT_INDEX_QUERY + values_clause("g", map(NamedNode, scoped_graphs))
        for row in select(query, entities):
            scope = scope_of(row["g"].value, row["e"].value)
            if scope is None or row["e"].value not in known:
                rows.append((scope, row))
    for scope, row in rows:
        nodes.setdefault(row["e"].value, row["e"])
        agreements.setdefault((scope, row["e"].value), {}).setdefault(
            _AGREEMENT_FACTS[row["p"].value], []).append(row["v"].value)
    for (scope, key), fact in sorted(agreements.items(),
                                     key=lambda kv: (kv[0][0] is not None, kv[0][1],
                                                     kv[0][0] or "")):
        fact = {name: sorted(values) for name, values in fact.items()}
        labels, ids = fact.get("label", []), fact.get("id", [])
        with index.within(scope):
            entity = index.add(nodes[key], "agreement", labels[0] if labels else None,
                               labels[1:] + fact.get("name", []), ids[0] if ids else None)
            for identifier in ids[1:]:
                index.add(nodes[key], "agreement", None, (), identifier)
            for kind in fact.get("kind", []) or [None]:  # id:kind/agreement/<kind>
                index.note_agreement(entity, kind.rsplit("/", 1)[-1] if kind else None,
                                     fact.get("party", []), fact.get("signed", []))


def resolve_names(store, names: tuple[str, ...] | list[str]) -> list[Match]:
    """The organisations NAMES name, as every question resolves them (``EntityIndex.match``
    on the store's index of curated and reference names): ``Match.note`` says a best match
    that is not one of the entity's own names. Two names of the same entity are a
    ``UsageProblem``; a name that resolves to nothing raises ``EntityNotFound``."""
    index = cached_index(store, organisations_only=True)
    matches = [index.match(name, ORGANISATION_KINDS) for name in names]
    first: dict[str, int] = {}
    for position, match in enumerate(matches):
        earlier = first.setdefault(match.entity.iri.value, position)
        if earlier != position:
            raise UsageProblem(f"'{names[earlier]}' and '{names[position]}' are the same "
                               f"entity, {match.entity.display()}")
    return matches
