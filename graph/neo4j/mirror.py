"""The Neo4j mirror: writes the projection of the RDF store (``graph.neo4j.projection``) to a
Neo4j server over Bolt (``graph.neo4j.connection``), keeps it in step, and compares the two.

* **Full sync** reads the whole projection, empties the mirror (every ``:Resource`` node), and
  writes nodes with ``UNWIND … CREATE`` per label set and relationships per type, in batches.
* **Incremental sync** compares the loaded files' named graphs with those recorded at the last
  sync (a ``:SyncState`` node in the same database): the subjects of added graphs and the nodes
  whose ``sources`` name a changed or removed file are re-projected, their nodes updated, created
  or deleted and the relationships their statements make rewritten; ``PARTNER_OF`` is
  recomputed and only its differences written. Nothing changed: nothing is written.
* **Interruptions**: a full sync removes the sync state first and writes it last, so an
  interrupted one is redone in full; an incremental one records the subjects it is rewriting
  before writing, and the next run rewrites them again. ``uri`` is unique (a constraint), so
  no run can duplicate a node.

Only Cypher that Neo4j 5/2025 and ArcadeDB both run (no APOC); see
``docs/neo4j-arcadedb-notes.md`` for why nodes are created with all their labels at once and
labels are changed one per transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import neo4j

from graph.neo4j.connection import Neo4jSettings, connect, translated_errors
from graph.neo4j.mapping import NODE_LABELS, PARTNER_OF, REIFIED, RESOURCE
from graph.neo4j.projection import (
    INVOLVEMENT_TYPES,
    PROJECTION_VERSION,
    NodeRow,
    Projection,
    RelRow,
    add_certainty,
    incoming,
    kind_of,
    partner_edges,
    partner_rows,
    project,
    project_all,
    subjects_in_graphs,
)
from graph.network import Facts, load_facts
from graph.queries.items import display_path
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from graph.store.loaded import SourceInfo, loaded_sources

BATCH_SIZE = 5000
"""Rows per UNWIND transaction (FIELD-NOTES: 1k–10k write at the same speed; 5k is the middle)."""
REBUILD_ABOVE = 10_000
"""An incremental sync rewriting more subjects than this and than half the nodes rebuilds."""
STATE_ID = "customs-kg"

SCHEMA_STATEMENTS = (
    f"CREATE CONSTRAINT customs_kg_resource_uri IF NOT EXISTS "
    f"FOR (n:{RESOURCE}) REQUIRE n.uri IS UNIQUE",
    "CREATE CONSTRAINT customs_kg_sync_state_id IF NOT EXISTS "
    "FOR (n:SyncState) REQUIRE n.id IS UNIQUE",
    f"CREATE INDEX customs_kg_resource_id IF NOT EXISTS FOR (n:{RESOURCE}) ON (n.id)",
    f"CREATE INDEX customs_kg_resource_name IF NOT EXISTS FOR (n:{RESOURCE}) ON (n.name)",
    "CREATE INDEX customs_kg_country_iso IF NOT EXISTS FOR (n:Country) ON (n.iso)",
    *(f"CREATE INDEX customs_kg_{kind.type.lower()}_uri IF NOT EXISTS "
      f"FOR ()-[r:{kind.type}]-() ON (r.uri)" for kind in REIFIED),
)

DELETE_ALL = (f"MATCH (n:{RESOURCE}) WITH n LIMIT $limit DETACH DELETE n "
              "RETURN count(*) AS deleted")
COUNT_NODES = f"MATCH (n:{RESOURCE}) RETURN count(n) AS n"
READ_STATE = "MATCH (s:SyncState {id: $id}) RETURN properties(s) AS state"
WRITE_STATE = "MERGE (s:SyncState {id: $id}) SET s += $props"
DELETE_STATE = "MATCH (s:SyncState {id: $id}) DELETE s"
NODES_WITH_SOURCES = (f"MATCH (n:{RESOURCE}) WHERE any(p IN n.sources WHERE p IN $paths) "
                      "RETURN n.uri AS uri")
EXISTING_NODES = (f"UNWIND $uris AS u MATCH (n:{RESOURCE} {{uri: u}}) "
                  "RETURN n.uri AS uri, labels(n) AS labels")
DELETE_OWNED = (f"UNWIND $rows AS u MATCH (n:{RESOURCE} {{uri: u}})-[r]-() "
                "WHERE r.uri = u DELETE r")
DELETE_NODES = f"UNWIND $rows AS u MATCH (n:{RESOURCE} {{uri: u}}) DETACH DELETE n"
UPDATE_NODES = f"UNWIND $rows AS row MATCH (n:{RESOURCE} {{uri: row.uri}}) SET n = row.props"
READ_PARTNERS = (f"MATCH (a:{RESOURCE})-[r:{PARTNER_OF}]->(b:{RESOURCE}) "
                 "RETURN a.uri AS a, b.uri AS b, properties(r) AS props")
READ_PARTNERS_OF = tuple(
    f"UNWIND $rows AS u MATCH {pattern} RETURN a.uri AS a, b.uri AS b, properties(r) AS props"
    # The bound node first: ArcadeDB starts matching from the first node of the pattern.
    for pattern in (f"(a:{RESOURCE} {{uri: u}})-[r:{PARTNER_OF}]->(b:{RESOURCE})",
                    f"(b:{RESOURCE} {{uri: u}})<-[r:{PARTNER_OF}]-(a:{RESOURCE})"))
OLD_INVOLVED = (f"UNWIND $rows AS u MATCH (:{RESOURCE} {{uri: u}})"
                f"<-[:{'|'.join(INVOLVEMENT_TYPES)}]-(o:{RESOURCE}) "
                "RETURN DISTINCT o.uri AS uri, labels(o) AS labels")
OLD_MEMBERSHIPS = ("UNWIND $rows AS u MATCH (a)-[r:MEMBER_OF {uri: u}]->(b) "
                   "UNWIND [a.uri, b.uri] AS uri RETURN DISTINCT uri")
NEAR_SUMMARIES = (f"UNWIND $rows AS u MATCH (:{RESOURCE} {{uri: u}})-[:PART_OF]-(x:Event) "
                  "RETURN DISTINCT x.uri AS uri")
NODE_SOURCES = (f"UNWIND $rows AS u MATCH (n:{RESOURCE} {{uri: u}}) "
                "RETURN n.uri AS uri, n.sources AS sources")
OLD_COUNTRIES = (f"UNWIND $rows AS u MATCH (:{RESOURCE} {{uri: u}})-[:IN_COUNTRY]->"
                 f"(c:{RESOURCE}) RETURN DISTINCT c.uri AS uri")
SERVER_LABELS = (f"MATCH (n:{RESOURCE}) UNWIND labels(n) AS label "
                 "RETURN label, count(*) AS n")
SERVER_TYPES = (f"MATCH (:{RESOURCE})-[r]->(:{RESOURCE}) "
                "RETURN type(r) AS type, count(*) AS n")

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, called after every batch written."""


@contextmanager
def mirror_session(settings: Neo4jSettings, **options: Any) -> Iterator[Neo4jMirror]:
    """A :class:`Neo4jMirror` on a fresh connection, closed afterwards."""
    driver = connect(settings)
    try:
        yield Neo4jMirror(driver, settings, **options)
    finally:
        driver.close()


# -- reports ----------------------------------------------------------------------------------
@dataclass
class SyncState:
    """What the mirror was last synced from (kept in the ``:SyncState`` node)."""

    graphs: dict[str, tuple[str, str]]
    """Named graph → (path, content hash) of each loaded file synced."""
    mapping: str = PROJECTION_VERSION
    """The mapping and partner weights it was synced with (``PROJECTION_VERSION``)."""
    synced_at: str = ""
    pending: list[str] = field(default_factory=list)
    """Subjects an interrupted incremental sync was rewriting."""
    pending_new: list[str] = field(default_factory=list)
    """Nodes it was creating (they need the relationships others' statements make)."""
    pending_partners: list[str] = field(default_factory=list)
    """Organisations whose ``PARTNER_OF`` it was to recompute."""
    rejected: list[str] = field(default_factory=list)
    """Claims reviews rejected (``item<TAB>graph``): items rejected or restored since change."""

    @classmethod
    def from_properties(cls, props: dict[str, Any]) -> SyncState:
        graphs = {g: (p, h) for g, p, h in zip(props.get("graphs") or [],
                                                 props.get("paths") or [],
                                                 props.get("hashes") or [], strict=False)}
        return cls(graphs, str(props.get("mapping", "")), str(props.get("synced_at", "")),
                   list(props.get("pending") or []), list(props.get("pending_new") or []),
                   list(props.get("pending_partners") or []),
                   list(props.get("rejected") or []))


@dataclass
class SyncReport:
    """What a sync did."""

    mode: str  # full | incremental | up-to-date
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    nodes: int = 0
    relationships: int = 0
    counters: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def writes(self) -> int:
        """Nodes and relationships created or deleted, properties and labels set."""
        return sum(self.counters.values())

    def text(self) -> str:
        """What the sync did, in a few lines."""
        if self.mode == "up-to-date":
            return "up to date: no loaded file changed since the last sync"
        c = self.counters
        done = (f"{c['nodes_created']:,} nodes created, {c['nodes_deleted']:,} deleted; "
                f"{c['relationships_created']:,} relationships created, "
                f"{c['relationships_deleted']:,} deleted ({self.seconds:.1f} s)")
        if self.mode == "full":
            return (f"full sync of {len(self.added)} loaded files: {self.nodes:,} nodes, "
                    f"{self.relationships:,} relationships\n{done}")
        lines = [f"incremental sync: {len(self.added)} added, {len(self.changed)} changed, "
                 f"{len(self.removed)} removed"]
        for word, paths in (("added", self.added), ("changed", self.changed),
                            ("removed", self.removed)):
            lines += [f"  {word:8} {display_path(path)}" for path in paths]
        lines.append(f"{self.nodes:,} nodes and {self.relationships:,} relationships "
                     f"re-projected; {done}")
        return "\n".join(lines)


@dataclass
class StatusReport:
    """Per-label node counts and per-type relationship counts, RDF projection vs server."""

    labels: dict[str, tuple[int, int]]
    types: dict[str, tuple[int, int]]
    synced_at: str | None
    stale: list[str]
    """Loaded files added, changed or removed since the last sync."""

    @property
    def in_sync(self) -> bool:
        return not self.stale and all(
            a == b for a, b in [*self.labels.values(), *self.types.values()])

    def text(self) -> str:
        """The counts side by side, then whether the mirror is in step."""
        width = max([len(r["name"]) + 5 for r in self.rows()] + [20])
        lines = [f"{'':{width}} {'RDF':>9} {'Neo4j':>9}"]
        for row in self.rows():
            name = f":{row['name']}" if row["kind"] == "label" else f"-[:{row['name']}]-"
            mark = "" if row["rdf"] == row["neo4j"] else "  differs"
            lines.append(f"{name:{width}} {row['rdf']:>9,} {row['neo4j']:>9,}{mark}")
        lines.append(f"last sync: {self.synced_at or 'never'}")
        lines += [f"not synced: {display_path(path)}" for path in self.stale]
        lines.append("in sync" if self.in_sync else "OUT OF SYNC: run 'customs-kg neo4j sync'")
        return "\n".join(lines)

    def rows(self) -> list[dict[str, Any]]:
        return ([{"kind": "label", "name": k, "rdf": a, "neo4j": b}
                 for k, (a, b) in sorted(self.labels.items())]
                + [{"kind": "type", "name": k, "rdf": a, "neo4j": b}
                   for k, (a, b) in sorted(self.types.items())])


def _changes(state: SyncState, sources: Sequence[SourceInfo]) -> tuple[list[str], list[str],
                                                                        list[str]]:
    """Paths of files added, changed and removed since ``state``."""
    current = {s.graph: s for s in sources}
    old_paths = {path for path, _ in state.graphs.values()}
    new_paths = {s.path for s in sources}
    touched = {current[g].path for g in current if g not in state.graphs}
    touched |= {state.graphs[g][0] for g in state.graphs if g not in current}
    added = sorted(p for p in touched if p not in old_paths)
    removed = sorted(p for p in touched if p not in new_paths)
    changed = sorted(touched - set(added) - set(removed))
    return added, changed, removed


def _claim_keys(rejected: set[tuple[str, str]]) -> list[str]:
    """Rejected claims as the sync state keeps them: ``item<TAB>graph``, sorted."""
    return sorted(f"{item}\t{graph}" for item, graph in rejected)


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# -- the mirror -------------------------------------------------------------------------------
class Neo4jMirror:
    """Writes and reads the mirror in one Neo4j database."""

    def __init__(self, driver: neo4j.Driver, settings: Neo4jSettings, *,
                 batch_size: int = BATCH_SIZE, progress: Progress | None = None) -> None:
        self.driver = driver
        self.settings = settings
        self.database = settings.database
        self.batch_size = batch_size
        self.progress = progress
        self.counters: Counter[str] = Counter()

    # -- low level ------------------------------------------------------------------------
    def run(self, query: str, doing: str = "a query", *, counted: bool = True,
            **params: Any) -> list[neo4j.Record]:
        """One statement in its own managed transaction; its counters are added up (unless
        not ``counted``: the sync state's own writes)."""
        with translated_errors(self.settings, doing):
            result = self.driver.execute_query(query, params, database_=self.database)
        if not counted:
            return result.records
        counters = result.summary.counters
        for name in ("nodes_created", "nodes_deleted", "relationships_created",
                     "relationships_deleted", "properties_set", "labels_added",
                     "labels_removed"):
            value = getattr(counters, name)
            if value:
                self.counters[name] += value
        return result.records

    def write(self, query: str, rows: Sequence[Any], stage: str) -> None:
        """``query`` over ``rows`` (``$rows``) in batches, one transaction each."""
        done = 0
        for batch in _chunks(rows, self.batch_size):
            self.run(query, stage, rows=list(batch))
            done += len(batch)
            if self.progress:
                self.progress(stage, done, len(rows))

    def ensure_schema(self) -> None:
        """The constraints and indexes the mirror needs (created once, ``IF NOT EXISTS``)."""
        for statement in SCHEMA_STATEMENTS:
            self.run(statement, "creating constraints and indexes")

    # -- state ------------------------------------------------------------------------------
    def read_state(self) -> SyncState | None:
        records = self.run(READ_STATE, "reading the sync state", id=STATE_ID)
        return SyncState.from_properties(records[0]["state"]) if records else None

    def write_state(self, state: SyncState, store: GraphStore | None = None) -> None:
        graphs = sorted(state.graphs)
        props = {"mapping": state.mapping, "synced_at": state.synced_at,
                 "graphs": graphs, "paths": [state.graphs[g][0] for g in graphs],
                 "hashes": [state.graphs[g][1] for g in graphs],
                 "pending": state.pending, "pending_new": state.pending_new,
                 "pending_partners": state.pending_partners, "rejected": state.rejected}
        if store is not None:
            props["store"] = store.location
        self.run(WRITE_STATE, "writing the sync state", counted=False, id=STATE_ID, props=props)

    # -- sync -------------------------------------------------------------------------------
    def sync(self, store: GraphStore, *, full: bool = False) -> SyncReport:
        """Bring the mirror in step with ``store``: incrementally when it was synced before
        with this mapping and these partner weights, else (or with ``full``) by rebuilding it."""
        began = time.monotonic()
        self.counters = Counter()
        self.ensure_schema()
        sources = loaded_sources(store)
        state = self.read_state()
        if full or state is None or state.mapping != PROJECTION_VERSION:
            report = self._full(store, sources)
        else:
            report = self._incremental(store, state, sources)
        report.counters = self.counters
        report.seconds = time.monotonic() - began
        return report

    def _state_for(self, sources: Sequence[SourceInfo], rejected: set[tuple[str, str]],
                   **pending: list[str]) -> SyncState:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        graphs = {s.graph: (s.path, s.hash) for s in sources}
        return SyncState(graphs, synced_at=now, rejected=_claim_keys(rejected), **pending)

    def _full(self, store: GraphStore, sources: Sequence[SourceInfo]) -> SyncReport:
        rejected = rejected_claims(store)
        projection = project_all(store, progress=lambda stage: self._stage(stage))
        # The state goes first: an interrupted rebuild leaves none, so the next run rebuilds.
        self.run(DELETE_STATE, "removing the sync state", counted=False, id=STATE_ID)
        self.delete_all()
        self.create_nodes(projection.nodes.values())
        self.create_rels(projection.rels)
        self.write_state(self._state_for(sources, rejected), store)
        return SyncReport("full", added=sorted(s.path for s in sources),
                          nodes=len(projection.nodes), relationships=len(projection.rels))

    def _incremental(self, store: GraphStore, state: SyncState,
                     sources: Sequence[SourceInfo]) -> SyncReport:
        current = {s.graph: s for s in sources}
        added_graphs = [g for g in current if g not in state.graphs]
        dropped_paths = sorted({path for g, (path, _) in state.graphs.items()
                                if g not in current})
        added, changed, removed = _changes(state, sources)
        if not added_graphs and not dropped_paths and not state.pending:
            return SyncReport("up-to-date")
        paths = {s.graph: s.path for s in sources}

        self._stage("finding what changed")
        affected = set(state.pending) | subjects_in_graphs(store, added_graphs)
        rejected = rejected_claims(store)  # claims rejected or restored: their items changed
        affected |= {key.split("\t", 1)[0]
                     for key in set(state.rejected) ^ set(_claim_keys(rejected))}
        if dropped_paths:
            affected |= {r["uri"] for r in self.run(
                NODES_WITH_SOURCES, "finding the nodes of changed files", paths=dropped_paths)}
            for kind in REIFIED:
                affected |= {r["uri"] for r in self.run(
                    f"MATCH ()-[r:{kind.type}]->() WHERE any(p IN r.sources WHERE p IN $paths) "
                    "RETURN r.uri AS uri", "finding the relationships of changed files",
                    paths=dropped_paths)}
        wanted = sorted(affected)
        if len(wanted) > REBUILD_ABOVE:
            total = self.run(COUNT_NODES, "counting nodes")[0]["n"]
            if len(wanted) > total / 2:  # most of the graph changed: a rebuild is faster
                return self._full(store, sources)
        self._stage("reading the RDF store")
        part = project(store, wanted, paths=paths, rejected=rejected)
        facts = load_facts(store)
        add_certainty(part, facts)
        existing = self.existing_labels(wanted)
        new_nodes = sorted((set(part.nodes) - set(existing)) | set(state.pending_new))
        partner_orgs = sorted(set(state.pending_partners)
                              | self.partner_orgs(wanted, existing, part))
        # Recorded before any write: an interrupted run is redone from here by the next one.
        pending = SyncState(state.graphs, state.mapping, state.synced_at, wanted, new_nodes,
                            partner_orgs, state.rejected)
        self.write_state(pending, store)

        self.write(DELETE_OWNED, sorted(set(existing)), "removing changed relationships")
        owners = sorted(affected - set(existing) - set(part.nodes))
        for kind in REIFIED:
            self.write(f"UNWIND $rows AS u MATCH ()-[r:{kind.type} {{uri: u}}]->() DELETE r",
                       owners, "removing changed relationships")
        self.write(DELETE_NODES, sorted(set(existing) - set(part.nodes)), "removing nodes")
        self.update_nodes([part.nodes[u] for u in sorted(existing) if u in part.nodes],
                          existing)
        self.create_nodes(part.nodes[u] for u in sorted(set(part.nodes) - set(existing)))
        self.create_rels([r for r in part.rels if r.props["uri"] in affected])
        self.merge_rels(incoming(store, [u for u in new_nodes if u in part.nodes], affected,
                                 paths=paths))
        self._stage("computing partners")
        self.recompute_partners(store, partner_orgs, facts)
        self.write_state(self._state_for(sources, rejected), store)
        return SyncReport("incremental", added, changed, removed, nodes=len(part.nodes),
                          relationships=len(part.rels))

    # -- writing ----------------------------------------------------------------------------
    def delete_all(self) -> None:
        """Remove every mirrored node and its relationships, in batches."""
        deleted = 0
        while True:
            records = self.run(DELETE_ALL, "emptying the mirror", limit=self.batch_size)
            count = records[0]["deleted"] if records else 0
            if not count:
                break
            deleted += count
            if self.progress:
                self.progress("emptying the mirror", deleted, 0)

    def create_nodes(self, nodes: Iterable[NodeRow]) -> None:
        """``CREATE`` nodes with all their labels at once, one statement per label set."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            groups[node.labels].append(node.props)
        for labels, rows in sorted(groups.items()):
            self.write(f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row",
                       rows, f"creating :{':'.join(labels)} nodes")

    def update_nodes(self, nodes: Sequence[NodeRow], existing: dict[str, set[str]]) -> None:
        """Replace the properties of existing nodes; add and remove labels, one label per
        statement (ArcadeDB relabels a node once per transaction)."""
        self.write(UPDATE_NODES, [{"uri": n.uri, "props": n.props} for n in nodes],
                   "updating nodes")
        adds: dict[str, list[str]] = defaultdict(list)
        removes: dict[str, list[str]] = defaultdict(list)
        managed = set(NODE_LABELS)
        for node in nodes:
            have, want = existing[node.uri], set(node.labels)
            for label in sorted(want - have):
                adds[label].append(node.uri)
            for label in sorted((have - want) & managed):
                removes[label].append(node.uri)
        for label, uris in sorted(adds.items()):
            self.write(f"UNWIND $rows AS u MATCH (n:{RESOURCE} {{uri: u}}) SET n:{label}",
                       uris, f"adding :{label}")
        for label, uris in sorted(removes.items()):
            self.write(f"UNWIND $rows AS u MATCH (n:{RESOURCE} {{uri: u}}) REMOVE n:{label}",
                       uris, f"removing :{label}")

    def create_rels(self, rels: Iterable[RelRow]) -> None:
        """``CREATE`` relationships, one statement per type."""
        for rel_type, rows in sorted(self._rel_groups(rels).items()):
            self.write(f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{uri: row.a}}) "
                       f"MATCH (b:{RESOURCE} {{uri: row.b}}) "
                       f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props",
                       rows, f"creating :{rel_type} relationships")

    def merge_rels(self, rels: Iterable[RelRow]) -> None:
        """``MERGE`` relationships by their ends, type and ``uri`` (safe to repeat)."""
        for rel_type, rows in sorted(self._rel_groups(rels).items()):
            self.write(f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{uri: row.a}}) "
                       f"MATCH (b:{RESOURCE} {{uri: row.b}}) "
                       f"MERGE (a)-[r:{rel_type} {{uri: row.props.uri}}]->(b) "
                       "ON CREATE SET r = row.props",
                       rows, f"linking new nodes by :{rel_type}")

    @staticmethod
    def _rel_groups(rels: Iterable[RelRow]) -> dict[str, list[dict[str, Any]]]:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel in rels:
            groups[rel.type].append({"a": rel.start, "b": rel.end, "props": rel.props})
        return groups

    def partner_orgs(self, wanted: Sequence[str], existing: dict[str, set[str]],
                     part: Projection) -> set[str]:
        """The organisations whose partnerships the rewrite of ``wanted`` may change: those
        among them; those taking part (before or after) in the agreements and events among
        them, or in the event summaries just above or below those (a summary's weight counts its
        sub-events, and whom a summary links depends on the summary above it); and the
        countries of all those (before and after)."""

        def is_kind(uri: str, kind: str) -> bool:
            return kind_of(existing.get(uri, ())) == kind or (
                uri in part.nodes and kind_of(part.nodes[uri].labels) == kind)

        items = {u for u in wanted if is_kind(u, "item")}
        orgs = {u for u in wanted if is_kind(u, "organisation")}
        items |= {r.end for r in part.rels if r.type == "PART_OF" and r.start in items}
        for batch in _chunks(sorted(items), self.batch_size):
            items |= {r["uri"] for r in self.run(NEAR_SUMMARIES, "reading partners",
                                                 rows=list(batch))}
        orgs |= {r.start for r in part.rels if r.type in INVOLVEMENT_TYPES}
        for batch in _chunks(sorted(items), self.batch_size):
            orgs |= {r["uri"] for r in self.run(OLD_INVOLVED, "reading partners", rows=list(batch))}
        # A membership added or removed changes the member's partners through its union.
        orgs |= {end for r in part.rels if r.type == "MEMBER_OF" for end in (r.start, r.end)}
        for batch in _chunks(sorted(wanted), self.batch_size):
            orgs |= {r["uri"] for r in self.run(OLD_MEMBERSHIPS, "reading partners",
                                                 rows=list(batch))}
        countries = {r.end for r in part.rels if r.type == "IN_COUNTRY" and r.start in orgs}
        for batch in _chunks(sorted(orgs), self.batch_size):
            countries |= {r["uri"] for r in self.run(OLD_COUNTRIES, "reading partners",
                                                      rows=list(batch))}
        return orgs | countries

    def recompute_partners(self, store: GraphStore, orgs: Iterable[str],
                           facts: Facts | None = None) -> None:
        """Rewrite the ``PARTNER_OF`` relationships of ``orgs`` (and of their countries) that
        differ from the store's partner networks (of ``facts``, by default the store's)."""
        facts = facts or load_facts(store)
        around = set(orgs)
        around |= {facts.top(org) for org in around}
        # A union's agreements link its members too (graph.network): their edges may change.
        around |= {m.member for org in list(around) for m in facts.memberships_of(org)
                   if m.union == org and m.member}
        edges = partner_edges(facts, around)
        needed = {uri for edge in edges for uri in (edge.a, edge.b, *edge.evidence)}
        sources: dict[str, list[str]] = {}
        for batch in _chunks(sorted(needed), self.batch_size):
            sources.update((r["uri"], r["sources"]) for r in self.run(
                NODE_SOURCES, "reading partners", rows=list(batch)))
        self.sync_partners(partner_rows(edges, sources), around)

    def sync_partners(self, rows: Sequence[RelRow], touching: set[str] | None = None) -> None:
        """Write only the ``PARTNER_OF`` relationships that differ from ``rows``: all of them,
        or those of the organisations ``touching``."""
        if touching is None:
            records = self.run(READ_PARTNERS, "reading PARTNER_OF")
        else:
            records = []
            for batch in _chunks(sorted(touching), self.batch_size):
                for query in READ_PARTNERS_OF:
                    records += self.run(query, "reading PARTNER_OF", rows=batch)
        # Keyed by the ends and the uri: a pair can be partners at both levels.
        have = {(r["a"], r["b"], r["props"]["uri"]): r["props"] for r in records}
        want = {(r.start, r.end, r.props["uri"]): r for r in rows}
        gone = [{"a": a, "b": b, "uri": uri} for a, b, uri in sorted(set(have) - set(want))]
        self.write(f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{uri: row.a}})"
                   f"-[r:{PARTNER_OF} {{uri: row.uri}}]->(b:{RESOURCE} {{uri: row.b}}) DELETE r",
                   gone, "removing PARTNER_OF")
        changed = [{"a": k[0], "b": k[1], "uri": k[2], "props": r.props}
                   for k, r in sorted(want.items()) if k in have and have[k] != r.props]
        self.write(f"UNWIND $rows AS row MATCH (a:{RESOURCE} {{uri: row.a}})"
                   f"-[r:{PARTNER_OF} {{uri: row.uri}}]->(b:{RESOURCE} {{uri: row.b}}) "
                   "SET r = row.props", changed, "updating PARTNER_OF")
        self.create_rels(r for k, r in sorted(want.items()) if k not in have)

    # -- reading ----------------------------------------------------------------------------
    def existing_labels(self, uris: Sequence[str]) -> dict[str, set[str]]:
        """Which of ``uris`` are nodes in the mirror, with their labels."""
        found: dict[str, set[str]] = {}
        for batch in _chunks(uris, self.batch_size):
            for record in self.run(EXISTING_NODES, "reading nodes", uris=list(batch)):
                found[record["uri"]] = set(record["labels"])
        return found

    def server_counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per-label node counts and per-type relationship counts of the mirror."""
        labels = {r["label"]: r["n"] for r in self.run(SERVER_LABELS, "counting nodes")}
        types = {r["type"]: r["n"] for r in self.run(SERVER_TYPES, "counting relationships")}
        return labels, types

    def status(self, store: GraphStore) -> StatusReport:
        """Compare the store's projection with the mirror."""
        projection = project_all(store, properties=False)
        rdf_labels, rdf_types = projection.label_counts(), projection.type_counts()
        server_labels, server_types = self.server_counts()
        state = self.read_state()
        sources = loaded_sources(store)
        if state is None:
            stale = sorted(s.path for s in sources)
        else:
            added, changed, removed = _changes(state, sources)
            stale = sorted([*added, *changed, *removed])
        return StatusReport(
            {k: (rdf_labels.get(k, 0), server_labels.get(k, 0))
             for k in set(rdf_labels) | set(server_labels)},
            {k: (rdf_types.get(k, 0), server_types.get(k, 0))
             for k in set(rdf_types) | set(server_types)},
            state.synced_at if state else None, stale)

    def _stage(self, stage: str) -> None:
        if self.progress:
            self.progress(stage, 0, 0)


def mirror_to_neo4j(store: GraphStore, settings: Neo4jSettings, *, full: bool = False,
                    progress: Progress | None = None,
                    batch_size: int = BATCH_SIZE) -> SyncReport:
    """Sync ``store`` to the Neo4j database ``settings`` names (see :meth:`Neo4jMirror.sync`)."""
    with mirror_session(settings, progress=progress, batch_size=batch_size) as mirror:
        return mirror.sync(store, full=full)


def mirror_status(store: GraphStore, settings: Neo4jSettings) -> StatusReport:
    """Compare ``store``'s projection with the mirror (see :meth:`Neo4jMirror.status`)."""
    with mirror_session(settings) as mirror:
        return mirror.status(store)
