"""Partners: the facts projected into networkx graphs whose edges say who cooperates with whom,
on what evidence and how strongly (``PartnerWeights``), and the ranked partners of one
organisation.

Two organisations are partners when they take part, for different countries, in the same
agreement (as parties or implementers) or event (as participants). At the ``country`` level
every agency stands for its country, while unions and international organisations stay
themselves; at the ``agency`` level each organisation is itself, and a country (its
government) is a node only where none of its agencies took part in the same agreement or event.
At the ``country`` level a union's agreement also links its member states with the other
parties (``through`` the union, in the evidence), as ``links`` counts it. A union's executive
body (the Eurasian Economic Commission) and collective bodies ("the customs authorities of the
EAEU member states") stand for the union as an agency stands for its country; an item the union
is in only through one of them says so (``body``, in the evidence).

Each edge carries its evidence: ``agreements`` and ``events`` (IRI, label, kind, date and the
``weight`` each adds), the edge's ``weight`` (their sum, under the ``PartnerWeights`` given,
by default ``DEFAULT_WEIGHTS``), and ``first_year`` and ``last_year``. Weights are applied
here, never stored with the facts, so no cache holds a weight.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from graph.network import pairs as kept_pairs
from graph.network.facts import (
    BASIS_RANK,
    Facts,
    ItemFacts,
    NetworkError,
    OrgFacts,
    collector_paused,
    load_facts,
)
from graph.network.stored import CACHE_VERSION
from graph.queries.items import meets_certainty
from graph.store import GraphStore
from ontology.dates import parse_date

if TYPE_CHECKING:
    import networkx as nx

LEVELS = ("country", "agency")


# -- weights ----------------------------------------------------------------------------------
BINDING_KINDS = frozenset({"free-trade", "mutual-assistance", "mutual-recognition"})
"""Agreement kinds that bind the customs services to act: a free trade agreement (tariffs,
rules of origin, customs procedures), a mutual administrative assistance agreement (the legal
basis for exchanging information and assisting investigations) and a mutual recognition
arrangement (each recognises the other's authorised economic operators or controls)."""

Number = int | float


@dataclass(frozen=True)
class PartnerWeights:
    """What each agreement and event two organisations share adds to their partnership's
    weight. The defaults, and why:

    * ``binding`` = 5: an agreement of a binding kind (``BINDING_KINDS``: free trade, mutual
      assistance, mutual recognition) obliges the two services to act and takes years to
      negotiate; it outweighs any one line of meetings.
    * ``agreement`` = 3: any other agreement (a cooperation plan, memorandum, protocol, minutes):
      something both sides signed, so more than attending a meeting, but a statement of intent
      or the record of one meeting rather than an obligation.
    * ``event`` = 1: a meeting, talks, a forum, a visit, a training, a data exchange.
    * ``summary_cap`` = 3: an event summary ("11 forums and negotiations of the directorate",
      naming China, Mongolia and Cuba) counts as the events it stands for (less those its own
      sub-events describe, which count themselves), each at the ``event`` weight, but as at
      most this many: it names its counterparts together without saying who attended which
      event, so it shows only that each attended at least one. ``None``: no cap.

    So a line of eleven forums adds 3, a single memorandum 3, an FTA 5. Every weight is a
    number ≥ 0; ``parse_weights`` reads them from text such as ``agreement=3,event=1``.
    """

    agreement: Number = 3
    binding: Number = 5
    event: Number = 1
    summary_cap: int | None = 3

    def __post_init__(self) -> None:
        for name in ("agreement", "binding", "event"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or value < 0:
                raise NetworkError(f"weight {name} must be a number ≥ 0, not {value!r}")
        cap = self.summary_cap
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 0):
            raise NetworkError(f"weight summary_cap must be a whole number ≥ 0 or none, "
                               f"not {cap!r}")

    @cached_property
    def whole(self) -> bool:
        """Whether every weight is a whole number: then so is every weight computed (an
        ``int``); else every one is a ``float``, so that each attribute has one type."""
        return all(isinstance(getattr(self, name), int)
                   for name in ("agreement", "binding", "event"))

    def of(self, item: ItemFacts) -> Number:
        """What ``item`` adds to the weight of a partnership it is evidence for."""
        value = self._raw(item)
        return value if self.whole else float(value)

    def _raw(self, item: ItemFacts) -> Number:
        """``of``, before making it a ``float`` when the weights are not whole."""
        if item.type == "agreement":
            value = self.binding if item.kind in BINDING_KINDS else self.agreement
        else:
            events = item.share
            if item.count is not None and self.summary_cap is not None:
                events = min(events, self.summary_cap)
            value = self.event * events
        return value

    def add(self, values: Iterable[Number]) -> Number:
        """The sum of weights ``of`` gave (rounded when they are not whole: no float noise)."""
        total = sum(values)
        return total if self.whole else round(total, 6)

    def total(self, items: Iterable[ItemFacts]) -> Number:
        """The weight of a partnership with the evidence ``items``."""
        if self.whole:  # as add(of(item) …), asking whole once
            return sum(self._raw(item) for item in items)
        return self.add(float(self._raw(item)) for item in items)

    def spec(self) -> str:
        """The weights as ``parse_weights`` reads them: ``agreement=3,binding=5,…``."""
        return ",".join(f"{f.name}={_text(getattr(self, f.name))}" for f in fields(self))

    def as_dict(self) -> dict[str, Any]:
        """The weights for JSON answers, with the agreement kinds ``binding`` applies to."""
        return {**asdict(self), "binding_kinds": sorted(BINDING_KINDS)}

    @classmethod
    def from_dict(cls, stated: dict[str, Any]) -> PartnerWeights:
        """The weights ``as_dict`` stated."""
        return cls(**{name: stated[name] for name in WEIGHT_KEYS if name in stated})


DEFAULT_WEIGHTS = PartnerWeights()
WEIGHT_KEYS = tuple(f.name for f in fields(PartnerWeights))


def parse_weights(text: str) -> PartnerWeights:
    """``PartnerWeights`` from ``KEY=VALUE`` pairs separated by commas, such as
    ``agreement=3,binding=5,event=1,summary_cap=3`` (``summary-cap`` too); keys not given keep
    their defaults, and ``summary_cap=none`` lifts the cap. A bad key or value raises
    ``NetworkError`` with a one-line message naming it."""
    given: dict[str, Any] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        key, equals, value = (x.strip() for x in part.partition("="))
        if not equals:
            raise NetworkError(f"'{part}' is not KEY=VALUE (for example agreement=3,event=1)")
        named, key = key, key.lower().replace("-", "_")
        if key not in WEIGHT_KEYS:
            raise NetworkError(f"unknown weight '{named}': the keys are "
                               f"{', '.join(WEIGHT_KEYS)}")
        if key in given:
            raise NetworkError(f"weight {key} is given twice")
        given[key] = _cap(value) if key == "summary_cap" else _weight_value(key, value)
    return PartnerWeights(**given)


def _weight_value(key: str, text: str) -> Number:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise NetworkError(f"weight {key} must be a number ≥ 0, not '{text}'")
    return _number(value)


def _cap(text: str) -> int | None:
    if text.lower() == "none":
        return None
    if not (text.isascii() and text.isdigit()):
        raise NetworkError(f"weight summary_cap must be a whole number ≥ 0 or none, "
                           f"not '{text}'")
    return int(text)


def _number(value: float) -> Number:
    """A whole number as an ``int``."""
    return int(value) if value.is_integer() else value


def _text(value: Number | None) -> str:
    return "none" if value is None else str(value)


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


@dataclass(frozen=True)
class Certainty:
    """Which agreements and events count, by how sure they are (the rule of ``links`` and
    ``timeline``, ``graph.queries.items.meets_certainty``): with ``curated_only`` only what a
    curated file or reference data states; with ``min_confidence`` those and what extraction
    alone gives with at least that confidence. Items left out weigh nothing."""

    min_confidence: float | None = None
    curated_only: bool = False

    def __post_init__(self) -> None:
        value = self.min_confidence
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0 <= value <= 1):
            raise NetworkError(f"--min-confidence must be a number from 0 to 1, not {value!r}")

    @property
    def bounded(self) -> bool:
        return self.curated_only or self.min_confidence is not None

    def admits(self, item: ItemFacts) -> bool:
        if not self.bounded or item.basis != "extracted":
            return True
        return meets_certainty({"certainty": item.certainty()}, self.min_confidence,
                               self.curated_only)


ANY_CERTAINTY = Certainty()


def summed_certainty(items: Iterable[ItemFacts]) -> dict[str, Any]:
    """How sure a partnership (or a step of a path) is, from its agreements and events: the
    surest ``basis`` among them (curated, then reference data, then extracted); when that is
    extracted, the best ``confidence`` and whether every one rests ``headline_only``; and how
    many are curated (or reference data: ``curated_items``) and only extracted
    (``extracted_items``)."""
    items = list(items)
    extracted = [i for i in items if i.basis == "extracted"]
    basis = min((i.basis for i in items), key=BASIS_RANK.__getitem__, default="extracted")
    scores = [i.confidence for i in extracted if i.confidence is not None]
    only = basis == "extracted"
    return {"basis": basis, "confidence": max(scores) if only and scores else None,
            "headline_only": only and bool(extracted) and all(i.headline_only
                                                                for i in extracted),
            "curated_items": len(items) - len(extracted), "extracted_items": len(extracted)}


def _merge_spells(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[list[str]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def evidence(facts: Facts, iris: Iterable[str], ends: Iterable[str] = (),
             weights: PartnerWeights | None = None, shown: int | None = None) -> dict[str, Any]:
    """The edge attributes for the agreements and events ``iris``, each listed with the
    ``weight`` it adds under ``weights`` (by default ``DEFAULT_WEIGHTS``); an agreement that
    links one of the ``ends`` only as a member of a union party says so (``through``: the
    member and the union, and the union's ``body`` that took part, if not the union itself);
    an item a union end is in only through its executive or collective body says so too
    (``body``: the union, the body and ``relation``, executive or collective). With
    ``shown``, only the ``shown`` latest items are listed (undated ones last); the counts,
    weight, years, spells and certainty still cover them all."""
    weights = weights or DEFAULT_WEIGHTS
    items = sorted((facts.items[i] for i in set(iris)),
                   key=lambda i: (i.date is None, i.date or "", i.label, i.iri))
    listed = items if shown is None or len(items) <= shown else _latest(items, shown)
    agreements = [i for i in items if i.type == "agreement"]
    ends = sorted(set(ends))
    # Only a union (with bodies) can be in an item through a body, only a member of a union
    # through the union: the other ends need no look at each item.
    unions = [end for end in ends if facts.bodies_of(end)]
    members = [end for end in ends
               if any(m.member == end and m.union for m in facts.memberships_of(end))]
    refs = {}
    for item in listed:
        refs[item.iri] = ref = item.ref()
        ref["weight"] = weights.of(item)
        bodies = [(end, body) for end in unions if (body := facts.body_in(item, end))]
        if bodies:
            ref["body"] = [{"union": {"iri": end, "label": facts.name(end)},
                            "body": {"iri": body, "label": facts.name(body)},
                            "relation": facts.bodies[body][1]} for end, body in bodies]
        if item.type != "agreement":
            continue
        through = [(end, union) for end in members if (union := facts.through(item, end))]
        if through:
            ref["through"] = []
            for end, union in through:
                entry = {"member": {"iri": end, "label": facts.name(end)},
                         "union": {"iri": union, "label": facts.name(union)}}
                body = facts.body_in(item, union)
                if body is not None:
                    entry["body"] = {"iri": body, "label": facts.name(body)}
                ref["through"].append(entry)
    events = [i for i in items if i.type != "agreement"]
    years = [int(i.date[:4]) for i in items if i.date and i.date[:4].isdigit()]
    sure = summed_certainty(items)
    return {
        "weight": weights.total(items),
        "agreement_count": len(agreements),
        "event_count": len(events),
        "basis": sure["basis"],
        "confidence": sure["confidence"],
        "headline_only": sure["headline_only"],
        "curated_count": sure["curated_items"],
        "extracted_count": sure["extracted_items"],
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
        "agreements": [refs[i.iri] for i in agreements if i.iri in refs],
        "events": [refs[i.iri] for i in events if i.iri in refs],
        "spells": _merge_spells([(i.start, i.end) for i in items if i.start and i.end]),
    }


def _latest(items: list[ItemFacts], shown: int) -> list[ItemFacts]:
    """The ``shown`` items a reader sees first: latest first, undated last, agreements before
    events of the same date (``graph.presentation.partners_text``'s order)."""
    ordered = ([i for i in items if i.type == "agreement"]
               + [i for i in items if i.type != "agreement"])
    ordered.sort(key=lambda i: (i.date is not None, i.date or ""), reverse=True)
    return ordered[:shown]


def weight_of(facts: Facts, iris: Iterable[str], weights: PartnerWeights | None = None) -> Number:
    """``evidence(facts, iris, weights=weights)["weight"]``, without the rest."""
    return (weights or DEFAULT_WEIGHTS).total(facts.items[i] for i in set(iris))


def pairs(facts: Facts, item: ItemFacts, level: str) -> Iterable[tuple[str, str]]:
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
        for top in [t for t in sides if facts.orgs.get(t, NO_ORG).kind == "union"]:
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


NO_ORG = OrgFacts("")
"""What an organisation the facts do not know is taken for."""


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise NetworkError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")


def _links(facts: Facts, level: str, period: Period, items: Iterable[str] | None = None,
           around: set[str] | None = None,
           certainty: Certainty = ANY_CERTAINTY) -> dict[tuple[str, str], list[str]]:
    """The agreements and events behind each pair of partners (those ``certainty`` admits)."""
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    if items is not None:
        items = list(items)
        facts.prefetch(items)
    for item in (facts.items.values() if items is None else map(facts.items.__getitem__, items)):
        if len(item.roles) < 2 or not period.admits(item) or not certainty.admits(item):
            continue
        for pair in pairs(facts, item, level):
            if around is None or pair[0] in around or pair[1] in around:
                links[pair].append(item.iri)
    return links


def project(facts: Facts, level: str = "country", period: Period | None = None,
            items: Iterable[str] | None = None, around: set[str] | None = None,
            weights: PartnerWeights | None = None,
            certainty: Certainty | None = None) -> nx.Graph:
    """The partner graph of ``facts`` (of some ``items`` only; only the edges of the nodes
    ``around``; only the items ``certainty`` admits): nodes are organisation IRIs, edges carry
    their evidence, weight under ``weights`` and certainty (see ``evidence``); the graph's
    ``weights`` attribute says which (``PartnerWeights.as_dict``), ``min_confidence`` and
    ``curated_only`` which items count. Only organisations with a partner are nodes; each
    has the surest ``basis`` of its edges (curated or reference data if any curated or
    reference item involves it, else extracted)."""
    _check_level(level)
    period = period or Period()
    weights = weights or DEFAULT_WEIGHTS
    certainty = certainty or ANY_CERTAINTY
    from graph.network.whole import build  # the evidence of 1.2M edges made fast

    return build(facts, level, period, items, around, weights, certainty)


def partner_network(store: GraphStore, level: str = "country", since: str | None = None,
                    until: str | None = None, weights: PartnerWeights | None = None,
                    min_confidence: float | None = None,
                    curated_only: bool = False) -> nx.Graph:
    """The whole partner network at ``level``, over ``since``–``until``, weighed by
    ``weights`` (by default ``DEFAULT_WEIGHTS``), of the agreements and events that meet
    ``min_confidence`` / ``curated_only`` (see ``Certainty``)."""
    _check_level(level)
    period = Period(since, until)
    certainty = Certainty(min_confidence, curated_only)
    facts = load_facts(store)
    with collector_paused():
        return project(facts, level, period, weights=weights, certainty=certainty)


# -- partners ---------------------------------------------------------------------------------
def partners(store: GraphStore, entity: NamedNode, level: str = "country",
             since: str | None = None, until: str | None = None, depth: int = 1,
             facts: Facts | None = None, weights: PartnerWeights | None = None,
             min_confidence: float | None = None, curated_only: bool = False,
             shown: int | None = None) -> list[dict[str, Any]]:
    """The partners of ``entity`` (and of its agencies and units), ranked by weight under
    ``weights`` (by default ``DEFAULT_WEIGHTS``), then by how many agreements and events they
    share, with the agreements and events behind each: the entity's edges in the partner
    network at ``level``. Every answer states the ``weights`` used
    (``PartnerWeights.as_dict``) and each item of its evidence the ``weight`` it adds. At the
    ``agency`` level each answer says ``via`` which of the entity's own agencies, if not the
    entity itself. With ``depth`` > 1, partners of partners too (``distance`` 2, …), linked
    through the partners ``via`` names. Only the agreements and events that meet
    ``min_confidence`` / ``curated_only`` count (see ``Certainty``); each answer says how sure
    it is (``certainty``: the surest basis of its evidence, see ``summed_certainty``) and
    each item of its evidence its own ``certainty``. With ``shown``, each partner's evidence
    lists only the ``shown`` latest items (see ``evidence``), its counts still all of them."""
    _check_level(level)
    if depth < 1:
        raise NetworkError("depth must be at least 1")
    period = Period(since, until)
    certainty = Certainty(min_confidence, curated_only)
    weights = weights or DEFAULT_WEIGHTS
    default = (facts is None and depth == 1 and shown is not None and not period.bounded
               and not certainty.bounded and weights == DEFAULT_WEIGHTS
               and weights.whole)
    if default:  # the default view: kept beside the store (graph.network.pairs)
        return kept_answers(store, None, entity.value, level, shown)[0]
    facts = facts or load_facts(store)
    with collector_paused():
        return _partners(facts, entity.value, level, period, depth, weights, certainty, shown)


def kept_answers(store: GraphStore, facts: Facts | None, entity: str, level: str,
                 shown: int) -> tuple[list[dict[str, Any]], bool]:
    """The default view of ``entity``'s partners (default weights, any period and certainty,
    ``shown`` items of evidence), as kept beside the store (``graph.network.pairs``), else
    worked out from ``facts`` (the store's, read when None) and kept; and whether it was
    worked out."""
    state = kept_pairs.current_state(store)
    kept = kept_pairs.read_answers(store, state, entity, level, shown, CACHE_VERSION)
    if kept is not None:
        return kept, False
    facts = facts or load_facts(store)
    with collector_paused():
        answers = _partners(facts, entity, level, Period(None, None), 1, DEFAULT_WEIGHTS,
                            ANY_CERTAINTY, shown)
    kept_pairs.keep_answers(store, state, entity, level, shown, CACHE_VERSION, answers)
    return answers, True


def _partners(facts: Facts, entity: str, level: str, period: Period, depth: int,
              weights: PartnerWeights, certainty: Certainty = ANY_CERTAINTY,
              shown: int | None = None) -> list[dict[str, Any]]:
    stated = weights.as_dict()
    orgs = {entity} | facts.descendants(entity)
    ring = {facts.top(o) for o in orgs} if level == "country" else orgs
    reached = dict.fromkeys(ring, 0)
    answers: list[dict[str, Any]] = []
    for distance in range(1, depth + 1):
        found: dict[str, dict[str, list[str]]] = defaultdict(dict)  # partner -> via -> items
        if level == "country":  # the agreements of the unions they are members of too
            unions = {m.union for node in orgs for m in facts.memberships_of(node)
                      if m.member == node and m.union}
            orgs = orgs | unions | {b for u in unions for b in facts.bodies_of(u)}
        for (a, b), items in _links(facts, level, period, facts.items_of(orgs), ring,
                                    certainty).items():
            for node, via in ((a, b), (b, a)):
                if via in ring and node not in reached:
                    found[node][via] = items
        for node, vias in found.items():
            reached[node] = distance
            answers.append(_partner(facts, node, vias, distance, entity, level, weights,
                                    shown))
        ring = set(found)
        orgs = ring | {d for node in ring for d in facts.descendants(node)}
    answers.sort(key=lambda a: (a["distance"], -a["weight"],
                                -(a["agreements"] + a["events"]), a["label"], a["iri"]))
    for rank, answer in enumerate(answers, 1):
        answer["rank"] = rank
        answer["weights"] = stated
    return answers


def _partner(facts: Facts, node: str, vias: dict[str, list[str]], distance: int, entity: str,
             level: str, weights: PartnerWeights, shown: int | None = None) -> dict[str, Any]:
    found = evidence(facts, [i for items in vias.values() for i in items], (node, *vias),
                     weights, shown)
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
        "certainty": {key: found[key] for key in ("basis", "confidence", "headline_only")}
        | {"curated_items": found["curated_count"], "extracted_items": found["extracted_count"]},
        "via": [{"iri": v, "label": facts.name(v)} for v in sorted(vias)
                if v != entity and not hidden],
        "evidence": {"agreements": found["agreements"], "events": found["events"]},
    }

