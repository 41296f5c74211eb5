"""The facts the partner networks are made of: agreements and events (who took part, in which
role, when), organisations (their kind, country and parents) and union memberships, made from
the rows of one streamed SPARQL query (``queries/partner_facts.rq``; aggregating in SPARQL was
slower, FIELD-NOTES). Reading them from the store, keeping them beside it and patching them
after a load is ``graph.network.stored``'s.

Facts hold no weights: what an agreement or event adds to a partnership is decided when the
facts are projected (``graph.network.partners``), so the caches serve any weights.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graph.errors import CustomsKGError
from graph.queries.items import Claim, Source, settle_claims
from graph.store import GraphStore
from ontology.dates import parse_date
from ontology.vocab import CKG, ORG, PROV, RDF, SCHEMA, SKOS

_ROLES = {str(CKG.party): "party", str(CKG.implementedBy): "implementer",
          str(CKG.participant): "participant"}
_ROLE_RANK = {"party": 0, "implementer": 1, "participant": 2}
_DATES = {str(CKG.signingDate): "signed", str(CKG.entryIntoForceDate): "in_force",
          str(CKG.validFrom): "valid_from", str(CKG.validUntil): "valid_to",
          str(SCHEMA.startDate): "start", str(SCHEMA.endDate): "end"}
_CLASSES = {str(CKG.Country): "country", str(CKG.EconomicUnion): "union",
            str(CKG.InternationalOrganisation): "international", str(CKG.Agency): "agency"}
TOP_KINDS = frozenset({"country", "union", "international"})
"""Organisations that stand for themselves at the country level (an agency counts for its
country)."""
(_TYPE, _KIND, _SUPER, _COUNT, _LABEL, _CODE, _COUNTRY, _PARENT, _MEMBER, _ORGANISATION,
 _HOST) = (str(RDF.type), str(CKG.kind), str(SCHEMA.superEvent), str(CKG.eventCount),
           str(SKOS.prefLabel), str(CKG.isoAlpha2), str(CKG.country), str(ORG.subOrganizationOf),
           str(ORG.member), str(ORG.organization), str(SCHEMA.organizer))
_EVIDENCE, _DERIVED = str(PROV.qualifiedDerivation), str(PROV.wasDerivedFrom)
BASIS_RANK = {"curated": 0, "reference": 1, "extracted": 2}
"""The bases of certainty, surest first (see ``graph.queries.items.certainty``)."""
_AGREEMENT_KIND = "/kind/agreement/"
_BODIES = {str(CKG.executiveBodyOf): "executive", str(CKG.collectiveBodyOf): "collective"}
BODY_NOUNS = {"executive": "the executive body", "collective": "a collective body"}
"""How a union's body is named in words: "… is the executive body of the EAEU"."""


class NetworkError(CustomsKGError):
    """A partner-network question that cannot be answered (no path, a bad option)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: building many small objects at once (the facts
    of a big store, or answers over them) otherwise triggers full collections over everything
    already built, which cost more than the work itself. Nothing here makes cycles. What was
    built is then frozen (``gc.freeze``): the collection that re-enabling would set off at once
    (every object made meanwhile is young) would walk millions of objects for nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
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
    # How sure it is, as ``graph.queries.items.certainty`` tells it for links and timeline:
    # curated | reference | extracted, the best confidence of an extracted item's evidence, and
    # whether that evidence is only its sources' headlines.
    basis: str = "curated"
    confidence: float | None = None
    headline_only: bool = False

    @property
    def share(self) -> int:
        """How many events it stands for: 1 for an agreement or event; for a summary the events
        it stands for, less those its sub-events stand for (they count themselves). What that
        adds to a weight is ``PartnerWeights.of``'s to say."""
        if self.count is None:
            return 1
        return max(self.count - self.inner, 0)

    def settle(self, claims: dict[str, dict[str, Claim]]) -> None:
        """Take the best-supported value of each date (as ``links`` does) and the span."""
        values = {name: settle_claims(list(found.values()))[0].value
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

    def certainty(self) -> dict[str, Any]:
        """Its certainty in the shape of ``graph.queries.items.certainty``."""
        return {"basis": self.basis, "confidence": self.confidence,
                "headline_only": self.headline_only}

    def weigh_sources(self, stated: Iterable[tuple[str, list[str]]]) -> None:
        """Tell its certainty from the loaders of the graphs stating it and the evidence
        codes there (``partner_facts.rq``), by the rule of ``graph.queries.items.certainty``:
        curated when a curated file states it (without an extractor's evidence), reference
        when only reference data does, else extracted, with its evidence's best confidence."""
        trusted: list[str] = []
        scores: list[float] = []
        headline = True
        extracted = False
        for loader, codes in stated:
            if not (loader.startswith("extractor") or any(c[0] == "x" for c in codes)):
                trusted.append(loader)
                continue
            extracted = True
            headline = headline and bool(codes) and all(c[1] == "h" for c in codes)
            for code in codes:
                try:
                    scores.append(float(code[2:]))
                except ValueError:
                    pass
        if trusted or not extracted:
            self.basis = ("reference" if trusted and all(t == "reference" for t in trusted)
                          else "curated")
            self.confidence, self.headline_only = None, False
        else:
            self.basis, self.headline_only = "extracted", headline
            self.confidence = max(scores) if scores else None

    def ref(self) -> dict[str, Any]:
        """How it is listed as evidence, with its certainty."""
        found = {"iri": self.iri, "label": self.label, "kind": self.kind, "date": self.date}
        if self.count is not None:
            found["count"] = self.count
        found["certainty"] = self.certainty()
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
        self.bodies: dict[str, tuple[str, str]] = {}  # body -> (its union, executive|collective)
        # what they were read with: the rejected (subject, graph) pairs, and each loaded file's
        # source document, reliability and loader (a patch checks they still hold)
        self.basis: tuple[set[tuple[str, str]], dict[str, tuple]] | None = None
        self._tops: dict[str, str] = {}
        self._by_org: dict[str, list[str]] | None = None
        self._children: dict[str, list[str]] | None = None
        self._members: dict[str, list[Membership]] | None = None
        self._bodies_by_union: dict[str, list[str]] | None = None
        self._sub_items: dict[str, list[str]] | None = None

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
                  sources: dict[str, Source],
                  rejected: set[tuple[str, str]] | None = None,
                  referenced: Iterable[str] = ()) -> Facts:
        """Facts from the ``(s, p, o, g)`` rows of ``partner_facts.rq`` (IRIs and lexical
        forms); ``sources``: loaded files by graph, to weigh competing dates and tell each
        item's certainty; ``rejected``: the (subject, graph) pairs whose statements are left
        out (an item stated only there is not one of the facts); ``referenced``: organisations
        to hold even if no row makes them one (items the rows are not about take part in
        them)."""
        facts = cls()
        for iri in referenced:
            facts.org(iri)
        labels: dict[str, str] = {}
        codes: dict[str, str] = {}
        claims: dict[str, dict[str, dict[str, Claim]]] = {}
        stated: dict[str, set[str]] = defaultdict(set)  # item -> the graphs stating it
        evidence: dict[tuple[str, str], list[str]] = defaultdict(list)  # (s, g) -> codes
        # One string object per IRI: networkx's dicts then find their keys by identity (after a
        # read without it, betweenness at the agency level took twice as long).
        one = {}.setdefault
        for row in rows:
            s, p, o = row[0], row[1], row[2]
            if rejected and (s, row[3]) in rejected:
                continue
            s, o = one(s, s), one(o, o)
            if p in _ROLES:
                stated[s].add(row[3])
                roles = facts.item(s).roles
                role, known = _ROLES[p], roles.get(o)
                if known is None or _ROLE_RANK[role] < _ROLE_RANK[known]:
                    roles[o] = role
            elif p in _DATES:
                graph = row[3]
                stated[s].add(graph)
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
                stated[s].add(row[3])
                item = facts.item(s)
                item.kind = o.rsplit("/", 1)[-1]
                if _AGREEMENT_KIND in o:
                    item.type = "agreement"
            elif p == _TYPE:
                org, kind = facts.org(s), _CLASSES[o]
                if org.kind == "other" or kind in TOP_KINDS:
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
            elif p in _BODIES:
                facts.bodies[s] = (o, _BODIES[p])
                facts.org(o)
            elif p == _EVIDENCE:
                evidence[(s, row[3])].append(o)
            elif p == _DERIVED:
                stated[s].add(row[3])
        facts._settle(labels, codes, claims)
        none = Source(file="", graph="", loaded_at="")
        for item in facts.items.values():
            item.weigh_sources((sources.get(g, none).loader, evidence.get((item.iri, g), []))
                               for g in sorted(stated.get(item.iri, ())))
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
        self.orgs = dict(sorted(self.orgs.items()))  # one order, however the rows came
        self.memberships = dict(sorted(self.memberships.items()))
        self.bodies = dict(sorted(self.bodies.items()))
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
        """The country an organisation belongs to; a union's executive or collective body (and
        its units) stands for the union, as an agency stands for its country; a country, union
        or international organisation (or anything unknown) is its own top."""
        found = self._tops.get(iri)
        if found is None:
            found, node, seen = iri, self.orgs.get(iri), {iri}
            while node is not None and (node.kind not in TOP_KINDS or found in self.bodies):
                if found in self.bodies:
                    found = self.bodies[found][0]
                    break
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
            for _, membership in sorted(self.memberships.items()):
                if membership.member and membership.union:
                    self._members[membership.union].append(membership)
                    self._members[membership.member].append(membership)
        return self._members.get(iri, [])

    def members_then(self, union: str, item: ItemFacts) -> list[str]:
        """The members of ``union`` an agreement of the union covers: as ``links`` counts
        them, every member except those whose membership ended before the item's date."""
        return sorted({m.member for m in self.memberships_of(union)
                       if m.union == union and m.member and _lasted(m, item)})

    def bodies_of(self, union: str) -> list[str]:
        """The executive and collective bodies of ``union``, its executive body first."""
        if self._bodies_by_union is None:
            found: dict[str, list[str]] = defaultdict(list)
            for body, (of, _) in self.bodies.items():
                found[of].append(body)
            self._bodies_by_union = {
                of: sorted(bodies, key=lambda body: (self.bodies[body][1] != "executive", body))
                for of, bodies in found.items()}
        return self._bodies_by_union.get(union, [])

    def body_in(self, item: ItemFacts, union: str) -> str | None:
        """The body through which ``union`` is in ``item``: None when the union takes part
        itself, or none of its bodies does."""
        if union in item.roles:
            return None
        return next((b for b in self.bodies_of(union) if b in item.roles), None)

    def through(self, item: ItemFacts, node: str) -> str | None:
        """The union through which ``node`` (a country-level node) is in ``item`` (the union
        or one of its bodies takes part): None when it takes part itself (or through one of
        its agencies)."""
        if item.type != "agreement":
            return None
        for membership in self.memberships_of(node):
            union = membership.union
            if membership.member == node and union and \
                    (union in item.roles or self.body_in(item, union)) \
                    and _lasted(membership, item):
                if any(self.top(o) == node for o in item.roles):
                    return None  # a party itself too
                return membership.union
        return None

    def items_of(self, orgs: Iterable[str]) -> set[str]:
        """The agreements and events the organisations take part in."""
        by_org = self.items_by_org()
        prefetch = getattr(by_org, "prefetch", None)  # lists read from the cache's file
        if prefetch is not None:
            orgs = list(orgs)
            prefetch(orgs)
        return {i for org in orgs for i in by_org.get(org, ())}

    def prefetch(self, iris: Iterable[str]) -> None:
        """Make the items ``iris`` at once, when they are read from the cache's file (a few
        queries instead of one each); nothing otherwise."""
        prefetch = getattr(self.items, "prefetch", None)
        if prefetch is not None:
            prefetch(iris)

    def items_by_org(self) -> dict[str, list[str]]:
        """Organisation -> the items it takes part in (kept in the cache, and by patches)."""
        if self._by_org is None:
            self._by_org = defaultdict(list)
            for iri, roles in self.item_roles():
                for org in roles:
                    self._by_org[org].append(iri)
        return self._by_org

    def descendants(self, iri: str) -> set[str]:
        """The agencies and units under an organisation (for a country: all its agencies)."""
        if self._children is None:
            self._children = defaultdict(list)
            for org in self.orgs.values():
                for parent in {*org.parents, *([org.country] if org.country else [])}:
                    self._children[parent].append(org.iri)
            for body, (union, _) in self.bodies.items():
                self._children[union].append(body)
        found: set[str] = set()
        todo = [iri]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        found.discard(iri)
        return found

    def item_roles(self) -> Iterator[tuple[str, dict[str, str]]]:
        """Each item's IRI and roles, without making ``ItemFacts`` of those not made yet."""
        raw = getattr(self.items, "raw", None)  # items read from the cache, not all made
        if raw is not None:
            yield from ((row[0], row[4]) for row in raw.values())
        yield from ((i.iri, i.roles) for i in (
            self.items.made() if raw is not None else self.items.values()))

    def sub_items(self) -> dict[str, list[str]]:
        """Item -> the items it is a parent of (once per time they name it), made once and
        kept up to date by patches (``graph.network.stored``)."""
        if self._sub_items is None:
            found: dict[str, list[str]] = defaultdict(list)
            raw = getattr(self.items, "raw", None)
            if raw is not None:
                for row in raw.values():
                    for parent in row[6]:
                        found[parent].append(row[0])
            for item in (self.items.made() if raw is not None else self.items.values()):
                for parent in item.parents:
                    found[parent].append(item.iri)
            self._sub_items = found
        return self._sub_items

    def item_nesting(self) -> Iterator[tuple[list[str], int | None]]:
        """Each item's parents and count, without making ``ItemFacts`` of those not made."""
        raw = getattr(self.items, "raw", None)
        if raw is not None:
            yield from ((row[6], row[7]) for row in raw.values())
        yield from ((i.parents, i.count) for i in (
            self.items.made() if raw is not None else self.items.values()))

    # -- cache ----------------------------------------------------------------------------
    def dump(self, items: bool = True) -> tuple:
        """The facts as plain data for the cache (see ``graph.store.cache``). Repeated strings are
        made one object first: marshal then writes them once, and loading makes half as many
        objects. Without ``items``, their place is an empty list."""
        canon: dict[str, str] = {}

        def one(text: str | None) -> str | None:
            return text if text is None else canon.setdefault(text, text)

        def row(i: ItemFacts) -> tuple:
            return (i.iri, one(i.type), one(i.kind), i.label,
                    {one(k): one(v) for k, v in i.roles.items()}, [one(h) for h in i.hosts],
                    [one(p) for p in i.parents], i.count, i.inner, one(i.date), one(i.start),
                    one(i.end), one(i.basis), i.confidence, i.headline_only)

        raw = getattr(self.items, "raw", None)  # items read from the cache, not all made
        rows: list[tuple] = []
        if items:
            rows = ([row(i) for i in self.items.made()] + list(raw.values()) if raw is not None
                    else [row(i) for i in self.items.values()])
        orgs = [(one(o.iri), one(o.kind), o.label, o.code, one(o.country),
                 [one(p) for p in o.parents]) for o in self.orgs.values()]
        members = [(k, m.member, m.union, m.since, m.until)
                   for k, m in self.memberships.items()]
        bodies = [(body, union, relation) for body, (union, relation) in self.bodies.items()]
        return rows, orgs, members, bodies

    @classmethod
    def load(cls, data: tuple) -> Facts:
        """Facts from ``dump``."""
        items, orgs, members, bodies = data
        facts = cls()
        facts.bodies = {body: (union, relation) for body, union, relation in bodies}
        facts.items = {row[0]: ItemFacts(*row) for row in items}
        facts.orgs = {row[0]: OrgFacts(*row) for row in orgs}
        facts.memberships = {row[0]: Membership(*row[1:]) for row in members}
        return facts


def item_row(i: ItemFacts) -> tuple:
    """An item as plain data, as ``Facts.dump`` gives it (``ItemFacts(*row)`` makes it again)."""
    return (i.iri, i.type, i.kind, i.label, dict(i.roles), list(i.hosts), list(i.parents),
            i.count, i.inner, i.date, i.start, i.end, i.basis, i.confidence, i.headline_only)


def _lasted(membership: Membership, item: ItemFacts) -> bool:
    """A membership counts for an item unless it ended before the item's earliest date."""
    if not membership.until or not item.start:
        return True
    try:
        return parse_date(membership.until).latest >= item.start
    except ValueError:
        return True


def read_facts(store: GraphStore) -> Facts:
    """Everything the partner networks need, read from the whole store
    (``graph.network.stored.read_facts``)."""
    from graph.network.stored import read_facts as read

    return read(store)


def load_facts(store: GraphStore) -> Facts:
    """The facts of the store, from the cache beside an on-disk store, patched after a load
    or a removal (``graph.network.stored.load_facts``)."""
    from graph.network.stored import load_facts as load

    return load(store)
