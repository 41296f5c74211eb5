"""Partner networks: who cooperates with whom, projected from the graph into networkx.

Two organisations are partners when they take part, for different countries, in the same
agreement (as parties or implementers) or event (as participants). At the ``country`` level
every agency stands for its country, while unions and international organisations stay
themselves; at the ``agency`` level each organisation is itself, and a country (its
government) is a node only where none of its agencies took part in the same agreement or event.
At the ``country`` level a union's agreement also links its member states with the other
parties (``through`` the union, in the evidence), as ``links`` counts it.

Each edge carries its evidence: ``agreements`` and ``events`` (IRI, label, kind and date of
each), a ``weight`` (the agreements, plus the events: an event summary counts as the events it
stands for less those its own sub-events describe, so nested summaries do not count twice), and
``first_year`` and ``last_year``. The projections are built in Python from one streamed SPARQL
query (``queries/partner_facts.rq``); aggregating in SPARQL was slower (FIELD-NOTES).
"""

from __future__ import annotations

import gc
import html
import json
import marshal
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

import networkx as nx
from pyoxigraph import NamedNode

from graph.errors import CustomsKGError
from graph.queries import named_query, values_clause
from graph.queries.items import Claim, Source, source_index
from graph.store import GraphStore
from graph.store.cache import cache_folder, cached, named_file, write_cache_file
from graph.store.loaded import loaded_sources
from ontology.dates import parse_date
from ontology.vocab import CKG, ORG, RDF, SCHEMA, SKOS

LEVELS = ("country", "agency")
FORMATS = ("graphml", "gexf", "json", "html")
EXACT_BETWEENNESS_MAX = 500
"""Above this many nodes betweenness is estimated from a sample of source nodes."""
BETWEENNESS_SAMPLE = 100
HTML_EVIDENCE = 12
"""Agreements and events listed per edge in the HTML page's tooltips (all are counted)."""
CACHE_VERSION = 4
"""Bumped whenever what ``Facts`` holds changes, so older caches are read again."""
PATH_GRAPH_VERSION = 2
"""Bumped whenever ``path_graph`` changes (or ``CACHE_VERSION``), so older caches are rebuilt."""
ROWS_VERSION = 1
"""Bumped whenever ``partner_facts.rq`` changes, so the rows kept per loaded file are read again."""

_ROLES = {str(CKG.party): "party", str(CKG.implementedBy): "implementer",
          str(CKG.participant): "participant"}
_ROLE_RANK = {"party": 0, "implementer": 1, "participant": 2}
_DATES = {str(CKG.signingDate): "signed", str(CKG.entryIntoForceDate): "in_force",
          str(CKG.validFrom): "valid_from", str(CKG.validUntil): "valid_to",
          str(SCHEMA.startDate): "start", str(SCHEMA.endDate): "end"}
_CLASSES = {str(CKG.Country): "country", str(CKG.EconomicUnion): "union",
            str(CKG.InternationalOrganisation): "international", str(CKG.Agency): "agency"}
_TOPS = frozenset({"country", "union", "international"})
(_TYPE, _KIND, _SUPER, _COUNT, _LABEL, _CODE, _COUNTRY, _PARENT, _MEMBER, _ORGANISATION,
 _HOST) = (str(RDF.type), str(CKG.kind), str(SCHEMA.superEvent), str(CKG.eventCount),
           str(SKOS.prefLabel), str(CKG.isoAlpha2), str(CKG.country), str(ORG.subOrganizationOf),
           str(ORG.member), str(ORG.organization), str(SCHEMA.organizer))
_AGREEMENT_KIND = "/kind/agreement/"


class NetworkError(CustomsKGError):
    """A partner-network question that cannot be answered (no path, a bad option)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: building many small objects at once (the facts
    of a big store, or answers over them) otherwise triggers full collections over everything
    already built, which cost more than the work itself. Nothing here makes cycles."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# -- facts ------------------------------------------------------------------------------------
@dataclass(slots=True)
class ItemFacts:
    """An agreement or event as the projections see it."""

    iri: str
    type: str = "event"  # agreement | event
    kind: str = "other"
    label: str = ""
    roles: dict[str, str] = field(default_factory=dict)  # organisation -> its role
    hosts: list[str] = field(default_factory=list)  # schema:organizer
    parents: list[str] = field(default_factory=list)  # the summaries it is part of
    count: int | None = None  # of an event summary: how many events it stands for
    inner: int = 0  # how many events its sub-events stand for
    date: str | None = None  # an event's start, an agreement's signing (or entry into force)
    start: str | None = None  # first day of its earliest date, YYYY-MM-DD
    end: str | None = None  # last day of its latest date (end, validity)

    @property
    def share(self) -> int:
        """What it adds to a weight: 1 for an agreement or event; for a summary the events it
        stands for, less those its sub-events stand for (they count themselves)."""
        if self.count is None:
            return 1
        return max(self.count - self.inner, 0)

    def settle(self, claims: dict[str, dict[str, Claim]]) -> None:
        """Take the best-supported value of each date (as ``links`` does) and the span."""
        values = {name: max(found.values(), key=lambda c: c.weight).value
                  for name, found in claims.items()}
        self.date = next((values[n] for n in ("start", "signed", "in_force", "valid_from")
                          if n in values), None)
        days = []
        for value in values.values():
            try:
                day = parse_date(value[:10])
            except ValueError:
                continue
            days += [day.earliest, day.latest]
        if days:
            self.start, self.end = min(days), max(days)

    def ref(self) -> dict[str, Any]:
        """How it is listed as evidence."""
        found = {"iri": self.iri, "label": self.label, "kind": self.kind, "date": self.date}
        if self.count is not None:
            found["count"] = self.count
        return found


@dataclass(slots=True)
class OrgFacts:
    """An organisation (country, union, international organisation or agency)."""

    iri: str
    kind: str = "other"
    label: str = ""
    code: str | None = None  # a country's ISO alpha-2
    country: str | None = None  # an agency's country
    parents: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Membership:
    member: str | None = None
    union: str | None = None
    since: str | None = None
    until: str | None = None


class Facts:
    """The agreements and events, organisations and memberships the networks are made of."""

    def __init__(self) -> None:
        self.items: dict[str, ItemFacts] = {}
        self.orgs: dict[str, OrgFacts] = {}
        self.memberships: dict[str, Membership] = {}
        self._tops: dict[str, str] = {}
        self._by_org: dict[str, list[str]] | None = None
        self._children: dict[str, list[str]] | None = None
        self._members: dict[str, list[Membership]] | None = None

    def item(self, iri: str) -> ItemFacts:
        found = self.items.get(iri)
        if found is None:
            found = self.items[iri] = ItemFacts(iri)
        return found

    def org(self, iri: str) -> OrgFacts:
        found = self.orgs.get(iri)
        if found is None:
            found = self.orgs[iri] = OrgFacts(iri)
        return found

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]],
                  sources: dict[str, Source]) -> Facts:
        """Facts from the ``(s, p, o, g)`` rows of ``partner_facts.rq`` (IRIs and lexical
        forms); ``sources``: loaded files by graph, to weigh competing dates."""
        facts = cls()
        labels: dict[str, str] = {}
        codes: dict[str, str] = {}
        claims: dict[str, dict[str, dict[str, Claim]]] = {}
        # One string object per IRI: networkx's dicts then find their keys by identity (after a
        # read without it, betweenness at the agency level took twice as long).
        one = {}.setdefault
        for row in rows:
            s, p, o = row[0], row[1], row[2]
            s, o = one(s, s), one(o, o)
            if p in _ROLES:
                roles = facts.item(s).roles
                role, known = _ROLES[p], roles.get(o)
                if known is None or _ROLE_RANK[role] < _ROLE_RANK[known]:
                    roles[o] = role
            elif p in _DATES:
                graph = row[3]
                source = sources.get(graph)
                if source is None:
                    source = sources[graph] = Source(file="", graph=graph, loaded_at="")
                found = claims.setdefault(s, {}).setdefault(_DATES[p], {})
                claim = found.get(o)
                if claim is None:
                    claim = found[o] = Claim(o)
                if source not in claim.sources:
                    claim.sources.append(source)
            elif p == _LABEL:
                labels.setdefault(s, o)
            elif p == _KIND:
                item = facts.item(s)
                item.kind = o.rsplit("/", 1)[-1]
                if _AGREEMENT_KIND in o:
                    item.type = "agreement"
            elif p == _TYPE:
                org, kind = facts.org(s), _CLASSES[o]
                if org.kind == "other" or kind in _TOPS:
                    org.kind = kind
            elif p == _COUNTRY:
                facts.org(s).country = o
            elif p == _PARENT:
                if o not in facts.org(s).parents:
                    facts.org(s).parents.append(o)
            elif p == _SUPER:
                if o not in facts.item(s).parents:
                    facts.item(s).parents.append(o)
            elif p == _COUNT:
                facts.item(s).count = int(o)
            elif p == _CODE:
                codes[s] = o
            elif p == _HOST:
                if o not in facts.item(s).hosts:
                    facts.item(s).hosts.append(o)
            elif p == _MEMBER:
                facts.memberships.setdefault(s, Membership()).member = o
            elif p == _ORGANISATION:
                facts.memberships.setdefault(s, Membership()).union = o
        facts._settle(labels, codes, claims)
        return facts

    def _settle(self, labels: dict[str, str], codes: dict[str, str],
                claims: dict[str, dict[str, dict[str, Claim]]]) -> None:
        inner: dict[str, int] = defaultdict(int)
        for item in self.items.values():
            item.label = labels.get(item.iri, item.iri.rsplit("/", 1)[-1])
            item.settle(claims.get(item.iri, {}))
            for parent in item.parents:
                inner[parent] += item.count if item.count is not None else 1
            for org in item.roles:
                self.org(org)
        for iri, events in inner.items():
            if iri in self.items:
                self.items[iri].inner = events
        for org in self.orgs.values():
            org.label = labels.get(org.iri, org.iri.rsplit("/", 1)[-1])
            org.code = codes.get(org.iri)
            if org.kind == "country" and org.code:
                org.label = f"{org.label} ({org.code})"
        for iri, membership in self.memberships.items():
            for name, found in claims.get(iri, {}).items():
                value = max(found.values(), key=lambda c: c.weight).value
                if name == "start":
                    membership.since = value
                elif name == "end":
                    membership.until = value

    # -- lookups ----------------------------------------------------------------------------
    def centre(self, item: ItemFacts) -> set[str] | None:
        """Whom an event summary is about: a summary ("9 meetings of the directorate with
        foreign customs services") lists every counterpart as a participant, but they met the
        directorate, not each other. Its centre is its organiser, else the participants it
        shares with a summary it is part of; None (everyone met everyone) when neither tells."""
        if item.count is None:
            return None
        everyone = set(item.roles)
        if everyone.intersection(item.hosts):
            return everyone.intersection(item.hosts)
        for parent in sorted(item.parents):
            above = self.items.get(parent)
            shared = everyone & set(above.roles) if above else set()
            if shared and shared != everyone:
                return shared
        return None

    def top(self, iri: str) -> str:
        """The country an organisation belongs to; a country, union or international
        organisation (or anything unknown) is its own top."""
        found = self._tops.get(iri)
        if found is None:
            found, node, seen = iri, self.orgs.get(iri), {iri}
            while node is not None and node.kind not in _TOPS:
                if node.country:
                    found = node.country
                    break
                parent = next((p for p in node.parents if p not in seen), None)
                if parent is None:
                    break
                seen.add(parent)
                found, node = parent, self.orgs.get(parent)
            self._tops[iri] = found
        return found

    def name(self, iri: str) -> str:
        org = self.orgs.get(iri)
        if org is not None:
            return org.label
        item = self.items.get(iri)
        return item.label if item is not None else iri.rsplit("/", 1)[-1]

    def memberships_of(self, iri: str) -> list[Membership]:
        """The memberships of a union (or organisation) ``iri``, and those of a country: each
        membership is listed under both its union and its member."""
        if self._members is None:
            self._members = defaultdict(list)
            for membership in self.memberships.values():
                if membership.member and membership.union:
                    self._members[membership.union].append(membership)
                    self._members[membership.member].append(membership)
        return self._members.get(iri, [])

    def members_then(self, union: str, item: ItemFacts) -> list[str]:
        """The members of ``union`` an agreement of the union covers: as ``links`` counts
        them, every member except those whose membership ended before the item's date."""
        return sorted({m.member for m in self.memberships_of(union)
                       if m.union == union and m.member and _lasted(m, item)})

    def through(self, item: ItemFacts, node: str) -> str | None:
        """The union through which ``node`` (a country-level node) is in ``item``: None when
        it takes part itself (or through one of its agencies)."""
        if item.type != "agreement":
            return None
        for membership in self.memberships_of(node):
            if membership.member == node and membership.union in item.roles \
                    and _lasted(membership, item):
                if any(self.top(o) == node for o in item.roles):
                    return None  # a party itself too
                return membership.union
        return None

    def items_of(self, orgs: Iterable[str]) -> set[str]:
        """The agreements and events the organisations take part in."""
        if self._by_org is None:
            self._by_org = defaultdict(list)
            for item in self.items.values():
                for org in item.roles:
                    self._by_org[org].append(item.iri)
        return {i for org in orgs for i in self._by_org.get(org, ())}

    def descendants(self, iri: str) -> set[str]:
        """The agencies and units under an organisation (for a country: all its agencies)."""
        if self._children is None:
            self._children = defaultdict(list)
            for org in self.orgs.values():
                for parent in {*org.parents, *([org.country] if org.country else [])}:
                    self._children[parent].append(org.iri)
        found: set[str] = set()
        todo = [iri]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        found.discard(iri)
        return found

    # -- cache ----------------------------------------------------------------------------
    def dump(self) -> tuple:
        """The facts as plain data for the cache (see ``graph.store.cache``). Repeated strings are
        made one object first: marshal then writes them once, and loading makes half as many
        objects."""
        canon: dict[str, str] = {}

        def one(text: str | None) -> str | None:
            return text if text is None else canon.setdefault(text, text)

        items = [(i.iri, one(i.type), one(i.kind), i.label,
                  {one(k): one(v) for k, v in i.roles.items()}, [one(h) for h in i.hosts],
                  [one(p) for p in i.parents], i.count, i.inner, one(i.date), one(i.start),
                  one(i.end)) for i in self.items.values()]
        orgs = [(one(o.iri), one(o.kind), o.label, o.code, one(o.country),
                 [one(p) for p in o.parents]) for o in self.orgs.values()]
        members = [(k, m.member, m.union, m.since, m.until)
                   for k, m in self.memberships.items()]
        return items, orgs, members

    @classmethod
    def load(cls, data: tuple) -> Facts:
        """Facts from ``dump``."""
        items, orgs, members = data
        facts = cls()
        facts.items = {row[0]: ItemFacts(*row) for row in items}
        facts.orgs = {row[0]: OrgFacts(*row) for row in orgs}
        facts.memberships = {row[0]: Membership(*row[1:]) for row in members}
        return facts


def _lasted(membership: Membership, item: ItemFacts) -> bool:
    """A membership counts for an item unless it ended before the item's earliest date."""
    if not membership.until or not item.start:
        return True
    try:
        return parse_date(membership.until).latest >= item.start
    except ValueError:
        return True


def read_facts(store: GraphStore) -> Facts:
    """Everything the partner networks need: the rows of ``partner_facts.rq``, each loaded
    file's kept beside an on-disk store (see ``graph_rows``)."""
    sources = {s.graph: s for s in source_index(store).values()}
    with collector_paused():
        return Facts.from_rows(graph_rows(store), sources)


def _query_rows(store: GraphStore, graphs: list[str] | None) -> dict[str, list[tuple]]:
    """The rows of ``partner_facts.rq`` by graph: of ``graphs``, or of every graph."""
    query = named_query("partner_facts")
    if graphs is not None:
        query = query.replace("#GRAPHS", values_clause("g", map(NamedNode, graphs)))
    found: dict[str, list[tuple]] = defaultdict(list)
    one = {}.setdefault  # one string object per IRI or value: less memory, smaller caches
    for s, p, o, g in store.select_rows(query):
        graph = g.value
        s, p, o = s.value, p.value, o.value
        found[graph].append((one(s, s), one(p, p), one(o, o), one(graph, graph)))
    return found


def graph_rows(store: GraphStore) -> list[tuple[str, str, str, str]]:
    """The rows of ``partner_facts.rq`` for the whole store, the graphs in load order. For an
    on-disk store each loaded file's rows are kept in its cache folder, named after the file's
    graph, hash and load time: after a load only the new files are read (a small file into a
    1M-triple store: about 0.3 s instead of 3 s), after a removal none."""
    loaded = loaded_sources(store)
    folder = cache_folder(store)
    named = [g.value for g in store.named_graphs()]
    kept: dict[str, list[tuple]] = {}
    files: dict[str, Path] = {}
    if folder is not None:
        for source in loaded:
            files[source.graph] = path = named_file(folder, "partner-rows", ROWS_VERSION,
                                                    source.graph, source.hash,
                                                    source.loaded_at)
            try:
                kept[source.graph] = marshal.loads(path.read_bytes())
            except (OSError, ValueError, EOFError, TypeError):
                pass  # not kept yet, or unreadable: read it
    missing = [g for g in named if g not in kept]
    if missing:
        kept.update(_query_rows(store, None if len(missing) == len(named) else missing))
        for graph in missing:
            if graph in files:
                write_cache_file(files[graph], kept.get(graph, []))
    if folder is not None and folder.is_dir():
        wanted = {path.name for path in files.values()}
        for old in folder.glob("partner-rows-*.marshal"):
            if old.name not in wanted:
                old.unlink(missing_ok=True)
    order = [s.graph for s in loaded] + sorted(set(named) - {s.graph for s in loaded})
    return [row for graph in order for row in kept.get(graph, ())]


def load_facts(store: GraphStore) -> Facts:
    """The facts of the store: from the cache beside an on-disk store when it is up to date
    (about 0.2 s at 1M triples instead of 4 s), else read and cached for the next run."""
    with collector_paused():
        return cached(store, "partner-facts", CACHE_VERSION, lambda: read_facts(store),
                      Facts.dump, Facts.load)


# -- projection -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """Agreements and events whose dates (first to last) overlap ``since``–``until``; with
    either bound, undated ones are left out."""

    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                try:
                    parse_date(value)
                except ValueError as err:
                    raise NetworkError(f"--{name}: {err}") from None

    @property
    def bounded(self) -> bool:
        return self.since is not None or self.until is not None

    def admits(self, item: ItemFacts) -> bool:
        if not self.bounded:
            return True
        if item.start is None or item.end is None:
            return False
        if self.since is not None and item.end < parse_date(self.since).earliest:
            return False
        return self.until is None or item.start <= parse_date(self.until).latest


def _merge_spells(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[list[str]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def evidence(facts: Facts, iris: Iterable[str], ends: Iterable[str] = ()) -> dict[str, Any]:
    """The edge attributes for the agreements and events ``iris``; an agreement that links
    one of the ``ends`` only as a member of a union party says so (``through``: the member and
    the union)."""
    items = sorted((facts.items[i] for i in set(iris)),
                   key=lambda i: (i.date is None, i.date or "", i.label, i.iri))
    agreements = [i for i in items if i.type == "agreement"]
    ends = list(ends)
    refs = {}
    for item in agreements:
        refs[item.iri] = ref = item.ref()
        through = sorted((end, union) for end in set(ends)
                         if (union := facts.through(item, end)))
        if through:
            ref["through"] = [{"member": {"iri": end, "label": facts.name(end)},
                               "union": {"iri": union, "label": facts.name(union)}}
                              for end, union in through]
    events = [i for i in items if i.type != "agreement"]
    years = [int(i.date[:4]) for i in items if i.date and i.date[:4].isdigit()]
    return {
        "weight": len(agreements) + sum(e.share for e in events),
        "agreement_count": len(agreements),
        "event_count": len(events),
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
        "agreements": [refs[i.iri] for i in agreements],
        "events": [i.ref() for i in events],
        "spells": _merge_spells([(i.start, i.end) for i in items if i.start and i.end]),
    }


def _weight(facts: Facts, iris: Iterable[str]) -> int:
    """``evidence(facts, iris)["weight"]``, without the rest."""
    return sum(facts.items[i].share if facts.items[i].type != "agreement" else 1
               for i in set(iris))


def _pairs(facts: Facts, item: ItemFacts, level: str) -> Iterable[tuple[str, str]]:
    """The pairs of nodes an item links (each pair once, in order): nodes standing for
    different countries (or unions, …); for a summary, only pairs with its centre. ``level``:
    country, agency or ``path`` (every organisation as itself, governments too)."""
    sides: dict[str, set[str]] = {}
    for org in item.roles:
        top = facts.top(org)
        sides.setdefault(top, set()).add(top if level == "country" else org)
    if len(sides) < 2:
        return
    if level == "country" and item.type == "agreement":
        # A union's agreement covers its member states: each is on the union's side.
        for top in [t for t in sides if facts.orgs.get(t, _NO_ORG).kind == "union"]:
            sides[top].update(m for m in facts.members_then(top, item) if m not in sides)
    if level == "agency":
        for top, nodes in sides.items():
            if len(nodes) > 1:
                nodes.discard(top)  # the government, where its agencies took part
    centre = facts.centre(item)
    hubs = {facts.top(o) for o in centre} if centre else set(sides)
    tops = sorted(sides)
    for i, first in enumerate(tops):
        for second in tops[i + 1:]:
            if first not in hubs and second not in hubs:
                continue
            for a in sides[first]:
                for b in sides[second]:
                    yield (a, b) if a < b else (b, a)


_NO_ORG = OrgFacts("")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise NetworkError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")


def _links(facts: Facts, level: str, period: Period, items: Iterable[str] | None = None,
           around: set[str] | None = None) -> dict[tuple[str, str], list[str]]:
    """The agreements and events behind each pair of partners."""
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in (facts.items.values() if items is None else map(facts.items.__getitem__, items)):
        if len(item.roles) < 2 or not period.admits(item):
            continue
        for pair in _pairs(facts, item, level):
            if around is None or pair[0] in around or pair[1] in around:
                links[pair].append(item.iri)
    return links


def project(facts: Facts, level: str = "country", period: Period | None = None,
            items: Iterable[str] | None = None, around: set[str] | None = None) -> nx.Graph:
    """The partner graph of ``facts`` (of some ``items`` only; only the edges of the nodes
    ``around``): nodes are organisation IRIs, edges carry their evidence (see ``evidence``).
    Only organisations with a partner are nodes."""
    _check_level(level)
    period = period or Period()
    links = _links(facts, level, period, items, around)
    graph = nx.Graph(level=level, since=period.since, until=period.until)
    for (a, b), iris in sorted(links.items()):
        graph.add_edge(a, b, **evidence(facts, iris, (a, b)))
    for node, data in graph.nodes(data=True):
        org = facts.orgs.get(node) or OrgFacts(node)
        years = [y for _, _, e in graph.edges(node, data=True)
                 for y in (e["first_year"], e["last_year"]) if y is not None]
        data.update(iri=node, label=facts.name(node), kind=org.kind,
                    country=facts.name(facts.top(node)) if org.kind == "agency" else None,
                    code=org.code, first_year=min(years) if years else None,
                    last_year=max(years) if years else None)
    return graph


def partner_network(store: GraphStore, level: str = "country", since: str | None = None,
                    until: str | None = None) -> nx.Graph:
    """The whole partner network at ``level``, over ``since``–``until``."""
    _check_level(level)
    period = Period(since, until)
    facts = load_facts(store)
    with collector_paused():
        return project(facts, level, period)


# -- partners ---------------------------------------------------------------------------------
def partners(store: GraphStore, entity: NamedNode, level: str = "country",
             since: str | None = None, until: str | None = None, depth: int = 1,
             facts: Facts | None = None) -> list[dict[str, Any]]:
    """The partners of ``entity`` (and of its agencies and units), ranked by weight, with the
    agreements and events behind each: the entity's edges in the partner network at ``level``.
    At the ``agency`` level each answer says ``via`` which of the entity's own agencies, if
    not the entity itself. With ``depth`` > 1, partners of partners too (``distance`` 2, …),
    linked through the partners ``via`` names."""
    _check_level(level)
    if depth < 1:
        raise NetworkError("depth must be at least 1")
    period = Period(since, until)
    facts = facts or load_facts(store)
    with collector_paused():
        return _partners(facts, entity.value, level, period, depth)


def _partners(facts: Facts, entity: str, level: str, period: Period,
              depth: int) -> list[dict[str, Any]]:
    orgs = {entity} | facts.descendants(entity)
    ring = {facts.top(o) for o in orgs} if level == "country" else orgs
    reached = dict.fromkeys(ring, 0)
    answers: list[dict[str, Any]] = []
    for distance in range(1, depth + 1):
        found: dict[str, dict[str, list[str]]] = defaultdict(dict)  # partner -> via -> items
        if level == "country":  # the agreements of the unions they are members of too
            orgs = orgs | {m.union for node in orgs for m in facts.memberships_of(node)
                           if m.member == node and m.union}
        for (a, b), items in _links(facts, level, period, facts.items_of(orgs), ring).items():
            for node, via in ((a, b), (b, a)):
                if via in ring and node not in reached:
                    found[node][via] = items
        for node, vias in found.items():
            reached[node] = distance
            answers.append(_partner(facts, node, vias, distance, entity, level))
        ring = set(found)
        orgs = ring | {d for node in ring for d in facts.descendants(node)}
    answers.sort(key=lambda a: (a["distance"], -a["weight"],
                                -(a["agreements"] + a["events"]), a["label"], a["iri"]))
    for rank, answer in enumerate(answers, 1):
        answer["rank"] = rank
    return answers


def _partner(facts: Facts, node: str, vias: dict[str, list[str]], distance: int, entity: str,
             level: str) -> dict[str, Any]:
    found = evidence(facts, [i for items in vias.values() for i in items], (node, *vias))
    org = facts.orgs.get(node) or OrgFacts(node)
    hidden = distance == 1 and level == "country"
    return {
        "rank": 0,
        "iri": node,
        "label": facts.name(node),
        "kind": org.kind,
        "country": facts.name(facts.top(node)) if org.kind == "agency" else None,
        "distance": distance,
        "weight": found["weight"],
        "agreements": found["agreement_count"],
        "events": found["event_count"],
        "first_year": found["first_year"],
        "last_year": found["last_year"],
        "via": [{"iri": v, "label": facts.name(v)} for v in sorted(vias)
                if v != entity and not hidden],
        "evidence": {"agreements": found["agreements"], "events": found["events"]},
    }


# -- paths ------------------------------------------------------------------------------------
_EVENT_VERBS = {"talks": "held talks with", "meeting": "met", "forum": "took part in a forum with",
                "visit": "exchanged a visit with", "signing": "took part in a signing with",
                "training": "trained with", "data-exchange": "exchanged data with"}
_AGREEMENT_NOUNS = {"mutual-assistance": "a mutual assistance agreement",
                    "free-trade": "a free trade agreement",
                    "cooperation-plan": "a cooperation plan",
                    "memorandum": "a memorandum of understanding",
                    "mutual-recognition": "a mutual recognition arrangement",
                    "protocol": "a protocol", "minutes": "minutes"}


def path_graph(facts: Facts, period: Period | None = None) -> nx.Graph:
    """Organisations linked by the agreements and events they share (each as itself, for
    different countries), by their parents (``org:subOrganizationOf``), by their countries
    and by union memberships."""
    period = period or Period()
    edges: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for item in facts.items.values():
        if len(item.roles) < 2 or not period.admits(item):
            continue
        for pair in _pairs(facts, item, "path"):
            edges[pair].setdefault("items", []).append(item.iri)
    for org in facts.orgs.values():
        if org.kind in _TOPS:
            continue
        for parent in ([*org.parents, org.country] if org.country else org.parents):
            if parent and parent != org.iri:
                key = (org.iri, parent) if org.iri < parent else (parent, org.iri)
                edges[key].setdefault("part", (org.iri, parent))
    for membership in facts.memberships.values():
        if membership.member and membership.union:
            if period.until and membership.since and membership.since > period.until + "~":
                continue
            if period.since and membership.until and membership.until < period.since:
                continue
            key = tuple(sorted((membership.member, membership.union)))
            edges[key].setdefault("member", membership)
    graph = nx.Graph()
    for (a, b), data in sorted(edges.items()):  # in order: ties break the same way each time
        items = data.get("items")
        weight = _weight(facts, items) if items else 0
        graph.add_edge(a, b, cost=1 + 0.01 / (1 + weight), **data)
    return graph


def _dump_path_graph(graph: nx.Graph) -> list[tuple]:
    """The path graph as plain data for the cache: its edges in the order ``path_graph`` adds
    them (by their ends, the lower first), which ``_load_path_graph`` keeps: the order breaks
    ties between paths."""
    rows = []
    for a, b, data in graph.edges(data=True):
        member = data.get("member")
        rows.append((*sorted((a, b)), data["cost"], data.get("items"), data.get("part"),
                     (member.member, member.union, member.since, member.until)
                     if member else None))
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


def _load_path_graph(rows: list[tuple]) -> nx.Graph:
    graph = nx.Graph()
    for a, b, cost, items, part, member in rows:
        data: dict[str, Any] = {"cost": cost}
        if items is not None:
            data["items"] = items
        if part is not None:
            data["part"] = tuple(part)
        if member is not None:
            data["member"] = Membership(*member)
        graph.add_edge(a, b, **data)
    return graph


def stored_path_graph(store: GraphStore, facts: Facts, period: Period) -> nx.Graph:
    """``path_graph`` of the store's facts; for all years, kept beside an on-disk store
    between runs (``graph.store.cache``)."""
    if period.bounded:
        return path_graph(facts, period)
    return cached(store, "path-graph", PATH_GRAPH_VERSION, lambda: path_graph(facts, period),
                  _dump_path_graph, _load_path_graph)


def _best(facts: Facts, iris: list[str], a: str, b: str) -> ItemFacts:
    """The item that best explains a link: an agreement both signed, then any agreement, then
    events; the latest first."""
    def rank(item: ItemFacts) -> tuple:
        signed = item.roles.get(a) == item.roles.get(b) == "party"
        return (item.type != "agreement", not signed, item.count is not None,
                item.date is None, _invert(item.date or ""), item.label)

    return min((facts.items[i] for i in iris), key=rank)


def _invert(date: str) -> str:
    return "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)


def _step(facts: Facts, graph: nx.Graph, a: str, b: str) -> dict[str, Any]:
    data = graph.edges[a, b]
    name_a, name_b = facts.name(a), facts.name(b)
    step: dict[str, Any] = {"from": {"iri": a, "label": name_a},
                            "to": {"iri": b, "label": name_b}}
    if data.get("items"):
        found = evidence(facts, data["items"])
        item = _best(facts, data["items"], a, b)
        year = f" ({item.date[:4]})" if item.date else ""
        when = f" ({item.date})" if item.date else ""
        if item.type == "agreement":
            role = item.roles.get(a)
            verb = ("signed" if role == "party" and item.date else
                    "implements" if role == "implementer" else "is a party to")
            short = (f"{verb} {_AGREEMENT_NOUNS.get(item.kind, 'an agreement')} "
                     f"with {name_b}{year}")
            text = f"{name_a} {verb} the {item.label}{when} with {name_b}"
        else:
            verb = _EVENT_VERBS.get(item.kind, "cooperated with")
            short = f"{verb} {name_b}{year}"
            text = f"{name_a} {verb} {name_b}: {item.label}{when}"
        others = found["agreement_count"] + found["event_count"] - 1
        if others:
            text += f" (and {others} more)"
        step.update(relation="cooperation", phrase=short, text=text,
                    evidence={"agreements": found["agreements"], "events": found["events"]},
                    weight=found["weight"])
        return step
    if "part" in data:
        child, parent = data["part"]
        noun = "an agency" if facts.orgs.get(parent, OrgFacts(parent)).kind == "country" \
            else "a unit"
        if child == a:
            relation = "an agency of" if noun == "an agency" else "part of"
            phrase = f"is {relation} {name_b}"
        else:
            phrase = f"has {name_b} as {noun}"
        step.update(relation="part", phrase=phrase, text=f"{name_a} {phrase}")
        return step
    membership: Membership = data["member"]
    period = f" (since {membership.since})" if membership.since else ""
    if membership.until:
        period = f" ({membership.since or '…'} – {membership.until})"
    phrase = (f"is a member of the {name_b}{period}" if membership.member == a
              else f"has {name_b} as a member{period}")
    step.update(relation="member", phrase=phrase, text=f"{name_a} {phrase}")
    return step


def shortest_path(store: GraphStore, a: NamedNode, b: NamedNode, since: str | None = None,
                  until: str | None = None) -> dict[str, Any]:
    """The shortest chain of cooperation between ``a`` and ``b``: shared agreements and
    events, with the parent organisations, countries and unions on the way. Each step is
    explained in words, and ``text`` tells the whole chain; among chains of the same length
    the one with more evidence wins."""
    if a == b:
        raise NetworkError("A and B are the same entity")
    facts = load_facts(store)
    with collector_paused():
        graph = stored_path_graph(store, facts, Period(since, until))
    for entity in (a, b):
        if entity.value not in graph:
            raise NetworkError(f"{facts.name(entity.value)} takes part in no agreement or "
                               f"event and belongs to nothing that does")
    try:
        nodes = nx.dijkstra_path(graph, a.value, b.value, weight="cost")
    except nx.NetworkXNoPath:
        raise NetworkError(f"no chain of cooperation links {facts.name(a.value)} and "
                           f"{facts.name(b.value)}") from None
    steps = [_step(facts, graph, x, y) for x, y in zip(nodes, nodes[1:], strict=False)]
    text = facts.name(a.value) + " " + ", which ".join(s["phrase"] for s in steps) + "."
    return {"from": {"iri": a.value, "label": facts.name(a.value)},
            "to": {"iri": b.value, "label": facts.name(b.value)},
            "length": len(steps), "text": text, "steps": steps}


# -- centrality and export --------------------------------------------------------------------
def add_centrality(graph: nx.Graph, seed: int = 0) -> nx.Graph:
    """Degree, weighted degree, betweenness (sampled above ``EXACT_BETWEENNESS_MAX`` nodes)
    and a Louvain community (numbered by size, largest first) on every node."""
    count = graph.number_of_nodes()
    sample = BETWEENNESS_SAMPLE if count > EXACT_BETWEENNESS_MAX else None
    betweenness = nx.betweenness_centrality(graph, k=sample, seed=seed) if count else {}
    communities = (nx.community.louvain_communities(graph, weight="weight", seed=seed)
                   if graph.number_of_edges() else [{n} for n in graph])
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community = {node: k for k, members in enumerate(ordered) for node in members}
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = graph.degree(node, weight="weight")
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["community"] = community[node]
    graph.graph["betweenness"] = "exact" if sample is None else f"sampled (k={sample})"
    graph.graph["communities"] = len(ordered)
    return graph


def network(store: GraphStore, level: str = "country", since: str | None = None,
            until: str | None = None) -> nx.Graph:
    """The partner network with its centrality and communities."""
    graph = partner_network(store, level, since, until)
    with collector_paused():
        return add_centrality(graph)


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy with only scalar attributes (GraphML and GEXF have no lists): the evidence as
    JSON text, nothing that is None."""
    flat = nx.Graph()
    flat.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: v for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        attrs = {k: v for k, v in data.items()
                 if v is not None and k not in ("agreements", "events", "spells")}
        attrs["agreements"] = json.dumps(data["agreements"], ensure_ascii=False)
        attrs["events"] = json.dumps(data["events"], ensure_ascii=False)
        flat.add_edge(a, b, **attrs)
    return flat


PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#86bcb6", "#d37295", "#a0cbe8")
OTHER_COLOUR = "#9a9a9a"


def community_colour(community: int) -> str:
    return PALETTE[community] if community < len(PALETTE) else OTHER_COLOUR


def write_graphml(graph: nx.Graph, path: Path | BinaryIO) -> None:
    """GraphML; the evidence lists as JSON text (GraphML has no lists)."""
    nx.write_graphml(_flat(graph), path)


GEXF_NODE_ATTRIBUTES = (("iri", "string"), ("kind", "string"), ("country", "string"),
                        ("code", "string"), ("degree", "integer"),
                        ("weighted_degree", "integer"), ("betweenness", "double"),
                        ("community", "integer"), ("first_year", "integer"),
                        ("last_year", "integer"))
GEXF_EDGE_ATTRIBUTES = (("agreement_count", "integer"), ("event_count", "integer"),
                        ("first_year", "integer"), ("last_year", "integer"),
                        ("agreements", "string"), ("events", "string"))
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml(value: Any) -> str:
    """An attribute value, quoted for XML."""
    text = _XML_UNSAFE.sub("", value if isinstance(value, str) else str(value))
    return quoteattr(text, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _gexf_attvalues(data: dict[str, Any], attributes: tuple[tuple[str, str], ...]) -> str:
    values = []
    for number, (name, _) in enumerate(attributes):
        value = data.get(name)
        if value is not None:
            if not isinstance(value, (str, int, float)):
                value = json.dumps(value, ensure_ascii=False)
            values.append(f'<attvalue for="{number}" value={_xml(value)}/>')
    return f"<attvalues>{''.join(values)}</attvalues>" if values else ""


def write_gexf(graph: nx.Graph, path: Path | BinaryIO) -> None:
    """GEXF 1.2 with time spells: each edge lives over the dates of its agreements and events,
    each node from its first one on, so Gephi's timeline plays the network over the years.
    Nodes are coloured by community and sized by weighted degree; the evidence lists are JSON
    text. Written directly (networkx's writer takes 10 s for 140k edges)."""
    top = max((d.get("weighted_degree", 0) for _, d in graph.nodes(data=True)), default=0) or 1
    name = f"customs-kg partner network, {graph.graph.get('level', 'country')} level"
    lines = ["<?xml version='1.0' encoding='utf-8'?>",
             '<gexf xmlns="http://www.gexf.net/1.2draft" '
             'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft '
             'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
             f"<meta><creator>customs-kg</creator><description>{html.escape(name)}"
             "</description></meta>",
             '<graph defaultedgetype="undirected" mode="dynamic" timeformat="date">']
    for kind, attributes in (("node", GEXF_NODE_ATTRIBUTES), ("edge", GEXF_EDGE_ATTRIBUTES)):
        lines.append(f'<attributes mode="static" class="{kind}">')
        lines += [f'<attribute id="{n}" title="{title}" type="{kind_}"/>'
                  for n, (title, kind_) in enumerate(attributes)]
        lines.append("</attributes>")
    lines.append("<nodes>")
    for node, data in graph.nodes(data=True):
        starts = [s[0] for _, _, e in graph.edges(node, data=True) for s in e["spells"]]
        spells = f'<spells><spell start="{min(starts)}"/></spells>' if starts else ""
        colour = community_colour(data.get("community", 0))
        red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        size = round(5 + 45 * data.get("weighted_degree", 0) / top, 2)
        lines.append(f"<node id={_xml(node)} label={_xml(data.get('label', node))}>"
                     f"{_gexf_attvalues(data, GEXF_NODE_ATTRIBUTES)}{spells}"
                     f'<viz:color r="{red}" g="{green}" b="{blue}" a="1.0"/>'
                     f'<viz:size value="{size}"/></node>')
    lines.append("</nodes>")
    lines.append("<edges>")
    for number, (a, b, data) in enumerate(graph.edges(data=True)):
        spells = "".join(f'<spell start="{start}" end="{end}"/>' for start, end in data["spells"])
        lines.append(f'<edge id="{number}" source={_xml(a)} target={_xml(b)} '
                     f'weight="{data["weight"]}">{_gexf_attvalues(data, GEXF_EDGE_ATTRIBUTES)}'
                     f"{f'<spells>{spells}</spells>' if spells else ''}</edge>")
    lines += ["</edges>", "</graph>", "</gexf>", ""]
    _write_bytes(path, "\n".join(lines).encode())


def network_as_json(graph: nx.Graph) -> dict[str, Any]:
    """networkx's node-link form, evidence lists kept."""
    return nx.node_link_data(graph, edges="links")


def write_json(graph: nx.Graph, path: Path | BinaryIO) -> None:
    _write_bytes(path, json.dumps(network_as_json(graph), ensure_ascii=False, indent=1)
                 .encode() + b"\n")


def _write_bytes(path: Path | BinaryIO, data: bytes) -> None:
    if isinstance(path, (str, os.PathLike)):
        Path(path).write_bytes(data)
    else:
        path.write(data)


def _static(name: str) -> str:
    return resources.files("graph.network").joinpath("static", name).read_text(encoding="utf-8")


def page_data(graph: nx.Graph) -> dict[str, Any]:
    """What the HTML page draws: nodes with centrality, edges with years and evidence.

    Compact, for a page may hold 100k+ edges: an edge is a row of ``edge_fields`` naming its
    ends by their place in ``nodes`` and its evidence (the latest ``HTML_EVIDENCE``) by its
    place in ``evidence``, where each agreement or event is listed once, however many edges
    share it; ``through`` maps such a place to why a union's agreement links the edge's ends
    ("Kazakhstan (KZ) as a member of the Eurasian Economic Union")."""
    place = {n: i for i, n in enumerate(graph)}
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "country": d.get("country"),
              "degree": d.get("degree", 0), "weighted_degree": d.get("weighted_degree", 0),
              "betweenness": d.get("betweenness", 0.0), "community": d.get("community", 0),
              "colour": community_colour(d.get("community", 0)),
              "first_year": d.get("first_year"), "last_year": d.get("last_year")}
             for n, d in graph.nodes(data=True)]
    evidence: list[list[Any]] = []
    listed_at: dict[str, int] = {}
    edges = []
    years = [y for n in nodes for y in (n["first_year"], n["last_year"]) if y is not None]
    for a, b, d in graph.edges(data=True):
        listed = sorted(d["agreements"] + d["events"],
                        key=lambda i: (i["date"] is None, i["date"] or ""), reverse=True)
        for i in listed[:HTML_EVIDENCE]:
            if i["iri"] not in listed_at:
                listed_at[i["iri"]] = len(evidence)
                evidence.append([i["date"], i["kind"], i["label"]])
        spells = [[int(s[:4]), int(e[:4])] for s, e in d["spells"]]
        years += [y for s in spells for y in s]
        through = {listed_at[i["iri"]]: "; ".join(
            f"{t['member']['label']} as a member of the {t['union']['label']}"
            for t in i["through"]) for i in listed[:HTML_EVIDENCE] if i.get("through")}
        edges.append([place[a], place[b], d["weight"], d["agreement_count"], d["event_count"],
                      d["first_year"], d["last_year"], spells,
                      [listed_at[i["iri"]] for i in listed[:HTML_EVIDENCE]],
                      max(len(listed) - HTML_EVIDENCE, 0), through])
    communities = defaultdict(list)
    for node in sorted(nodes, key=lambda n: -n["weighted_degree"]):
        communities[node["community"]].append(node["label"])
    return {
        "level": graph.graph.get("level"), "since": graph.graph.get("since"),
        "until": graph.graph.get("until"), "betweenness": graph.graph.get("betweenness"),
        "first_year": min(years) if years else None, "last_year": max(years) if years else None,
        "nodes": nodes,
        "edge_fields": ["from", "to", "weight", "agreements", "events", "first_year",
                        "last_year", "spells", "evidence", "more", "through"],
        "edges": edges, "evidence_fields": ["date", "kind", "label"], "evidence": evidence,
        "communities": [{"id": k, "colour": community_colour(k), "size": len(v),
                         "top": v[:3]} for k, v in sorted(communities.items())][:len(PALETTE)],
    }


def _script_safe(data: str) -> str:
    """JSON text that cannot end the script element holding it."""
    return data.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def network_html(graph: nx.Graph, title: str | None = None) -> str:
    """One self-contained page (vis-network inlined, no network needed to view it)."""
    level = graph.graph.get("level", "country")
    period = " – ".join(x for x in (graph.graph.get("since"), graph.graph.get("until")) if x)
    title = title or f"customs-kg partner network ({level} level{', ' + period if period else ''})"
    library = _static("vis-network.min.js").rsplit("//# sourceMappingURL=", 1)[0]
    if "</script" in library.lower():  # it would end the script element early
        raise NetworkError("the vendored vis-network cannot be inlined: it holds '</script'")
    data = json.dumps(page_data(graph), ensure_ascii=False, separators=(",", ":"))
    page = _static("network.html")
    parts = {"__TITLE__": html.escape(title), "/*__VIS_NETWORK__*/": library,
             "__NETWORK_DATA__": _script_safe(data)}
    # One pass, so nothing inserted is scanned for markers again.
    return re.sub("|".join(re.escape(m) for m in parts), lambda m: parts[m[0]], page)


def write_html(graph: nx.Graph, path: Path | BinaryIO) -> None:
    _write_bytes(path, network_html(graph).encode())


WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "json": write_json,
           "html": write_html}


def write_network(graph: nx.Graph, path: Path | BinaryIO, fmt: str) -> None:
    """Write ``graph`` (with its centrality) to a path or binary file as graphml, gexf, json
    or html."""
    if fmt not in WRITERS:
        raise NetworkError(f"format must be one of {', '.join(FORMATS)}, not '{fmt}'")
    with collector_paused():
        WRITERS[fmt](graph, path)
