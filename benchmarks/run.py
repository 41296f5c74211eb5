"""Benchmark customs-kg on a synthetic customs graph: load speed and the links/timeline queries.

Generates an N-Triples file written exactly as the loaders write records (``ontology/README.md``),
loads it through ``load_paths`` (the ``customs-kg load`` path) and through pyoxigraph's raw
``bulk_load``, times ``links_between`` and ``timeline``, and prints one JSON object to stdout.
Progress goes to stderr. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from common import ROOT, SMALL_SOURCE, log, percentile, report, timed
from pyoxigraph import NamedNode, RdfFormat, Store

from graph.queries import values_clause
from graph.queries.paging import Paging
from graph.queries.relations import ROLES, links_between, scope, timeline
from graph.store import OxigraphStore
from graph.store.cache import CACHE_DIR
from graph.store.loaded import loaded_sources
from loaders.load import load_paths
from loaders.reference_data import country_records
from ontology.vocab import (
    AGREEMENT_CLASSES,
    CAMEO_DEFAULTS,
    CKG,
    DCTERMS,
    EVENT_CLASSES,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SPARQL_PREFIXES,
    TIME,
    XSD,
)

# Countries that take part most often come first; the rest follow in a seeded random order.
HUBS = ("RU", "CN", "KZ", "BY", "US", "DE", "VN", "TR", "IN", "UZ", "KG", "AM", "FR", "JP",
        "KR", "MN", "IR", "AE", "GB", "IT", "PL", "FI", "TJ", "AZ", "GE", "UA", "EG", "BR")
REFERENCE_UNIONS = ("eaeu", "eu")  # unions of the reference data, with their memberships
AGREEMENT_KINDS = {"mutual-assistance": 30, "cooperation-plan": 20, "memorandum": 25,
                   "protocol": 8, "minutes": 5, "free-trade": 4, "mutual-recognition": 5,
                   "other": 3}
EVENT_KINDS = {"talks": 25, "meeting": 30, "forum": 8, "visit": 15, "signing": 6,
               "training": 8, "data-exchange": 5, "other": 3}
CAMEO_EXTRA = ("036", "043", "045", "050", "051", "060", "062", "070")
STATUSES = ("signed", "in-force", "in-force", "in-force", "expired", "planned")
TOPICS = ("trade facilitation", "risk management", "customs valuation", "smuggling",
          "transit", "electronic declarations", "authorised economic operators",
          "rules of origin", "intellectual property", "drug trafficking", "capacity building",
          "data exchange", "border crossing points", "tariff classification", "wildlife trade",
          "e-commerce", "excise goods", "post-clearance audit", "sanctions", "cargo tracking")
BASE = {"agencies": 3000, "unions": 12, "sources": 6000, "places": 400,
        "agreements": 15000, "events": 55000}
LINK_PAIRS = 50
TIMELINE_AGENCIES = 50
RDFLIB_QUERY_TIMEOUT_S = 60.0


def iri(term: Any) -> str:
    """An IRI in N-Triples syntax."""
    return f"<{term}>"


def lit(text: str, datatype: Any = None) -> str:
    """A literal in N-Triples syntax."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype is not None else "")


A, LABEL, ALT, IDENT = iri(RDF.type), iri(SKOS.prefLabel), iri(SKOS.altLabel), iri(
    DCTERMS.identifier)
DERIVED = iri(PROV.wasDerivedFrom)
DATATYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def date_lit(iso: str) -> str:
    """A date literal typed by its precision (xsd:gYear, xsd:gYearMonth, xsd:date)."""
    return lit(iso, DATATYPES[len(iso)])


class TripleWriter:
    """Writes N-Triples lines and counts them."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.count = 0
        self._buffer: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        self._buffer.append(f"{s} {p} {o} .\n")
        if len(self._buffer) >= 50_000:
            self.flush()

    def flush(self) -> None:
        self.count += len(self._buffer)
        self.handle.writelines(self._buffer)
        self._buffer.clear()


@dataclass
class Counts:
    """How many of each kind of entity to generate."""

    agencies: int
    unions: int
    sources: int
    places: int
    agreements: int
    events: int

    @classmethod
    def for_scale(cls, scale: float, agreements: int | None, events: int | None) -> Counts:
        def scaled(name: str, minimum: int) -> int:
            return max(minimum, round(BASE[name] * scale))

        return cls(agencies=scaled("agencies", 500), unions=BASE["unions"],
                   sources=scaled("sources", 20), places=scaled("places", 20),
                   agreements=agreements if agreements is not None else scaled("agreements", 1),
                   events=events if events is not None else scaled("events", 1))


@dataclass
class Synthetic:
    """What was generated: the file, its size, and the entities queries pick from."""

    path: Path
    triples: int
    agencies: list[str]
    party_countries: list[str] = field(default_factory=list)


class Generator:
    """Builds the synthetic graph with a seeded random generator."""

    def __init__(self, counts: Counts, seed: int) -> None:
        self.counts = counts
        self.rng = random.Random(seed)
        records = country_records()
        self.names = {r["code"]: r["name"] for r in records}
        rest = sorted(set(self.names) - set(HUBS))
        self.rng.shuffle(rest)
        self.codes = [c for c in HUBS if c in self.names] + rest
        # Zipf-like popularity: a few countries take part in much of the cooperation.
        self.weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.codes))]
        self.agencies_of: dict[str, list[str]] = {}
        self.national: dict[str, str] = {}
        self.unions: list[str] = []
        self.sources: list[str] = []
        self.places: list[str] = []
        self.topics: list[str] = []
        self.agreements: list[str] = []
        self.party_countries: set[str] = set()

    # -- helpers ------------------------------------------------------------------------------
    def country(self, code: str) -> str:
        return iri(ID[f"country/{code}"])

    def pick_countries(self, k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            code = self.rng.choices(self.codes, self.weights)[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def date(self, first: int, last: int) -> tuple[str, dt.date]:
        """A random date between two years, and the day it stands for."""
        start = dt.date(first, 1, 1)
        return self.precision(start + dt.timedelta(
            days=self.rng.randrange((dt.date(last, 12, 31) - start).days)))

    def later(self, day: dt.date, at_least: int = 1) -> tuple[str, dt.date]:
        """A random date up to two years after ``at_least`` days past ``day``."""
        return self.precision(day + dt.timedelta(days=at_least + self.rng.randrange(720)))

    def precision(self, day: dt.date) -> tuple[str, dt.date]:
        """``day`` written to the day (60%), the month (25%) or the year (15%)."""
        roll, iso = self.rng.random(), day.isoformat()
        return (iso if roll < 0.6 else iso[:7] if roll < 0.85 else iso[:4]), day

    def agency_of(self, code: str) -> str:
        """An agency of a country: its national customs half the time, else any of them."""
        if self.rng.random() < 0.5:
            return self.national[code]
        return self.rng.choice(self.agencies_of[code])

    # -- sections -----------------------------------------------------------------------------
    def write(self, out: TripleWriter) -> None:
        self.write_sources(out)
        self.write_topics_and_places(out)
        self.write_agencies(out)
        self.write_unions(out)
        self.write_agreements(out)
        self.write_events(out)
        out.flush()

    def write_sources(self, out: TripleWriter) -> None:
        publishers = ("Federal Customs Service", "World Customs Organization", "TASS",
                      "Vietnam News Agency", "Xinhua", "Kazinform", "BelTA", "Reuters")
        for i in range(self.counts.sources):
            s = iri(ID[f"source/syn-{i}"])
            title = f"Customs cooperation report {i}"
            out.add(s, A, iri(CKG.SourceDocument))
            out.add(s, IDENT, lit(f"syn-{i}"))
            out.add(s, iri(DCTERMS.title), lit(title))
            out.add(s, LABEL, lit(title))
            out.add(s, iri(SCHEMA.url), lit(f"https://news.example.org/{i}", XSD.anyURI))
            out.add(s, iri(DCTERMS.publisher), lit(self.rng.choice(publishers)))
            if self.rng.random() < 0.9:
                out.add(s, iri(DCTERMS.issued), date_lit(self.date(1995, 2024)[0]))
            out.add(s, iri(CKG.reliability),
                    lit(self.rng.choice(("high", "medium", "medium", "low"))))
            self.sources.append(s)

    def source(self) -> str:
        return self.rng.choice(self.sources)

    def write_topics_and_places(self, out: TripleWriter) -> None:
        for name in TOPICS:
            t = iri(ID[f"topic/{name.replace(' ', '-')}"])
            out.add(t, A, iri(SKOS.Concept))
            out.add(t, iri(SKOS.inScheme), iri(ID["scheme/topics"]))
            out.add(t, LABEL, lit(name.capitalize()))
            self.topics.append(t)
        for i in range(self.counts.places):
            code = self.rng.choices(self.codes, self.weights)[0]
            p = iri(ID[f"place/syn-city-{i}"])
            out.add(p, A, iri(SCHEMA.Place))
            out.add(p, LABEL, lit(f"City {i} ({self.names[code]})"))
            out.add(p, iri(SCHEMA.containedInPlace), self.country(code))
            self.places.append(p)

    def write_agencies(self, out: TripleWriter) -> None:
        """Per country: a ministry, the national customs, regional units and their posts."""
        total = sum(self.weights)
        budget = self.counts.agencies - 2 * len(self.codes)
        for code, weight in zip(self.codes, self.weights, strict=True):
            name = self.names[code]
            slug = code.lower()
            ministry = iri(ID[f"agency/syn-{slug}-ministry-of-finance"])
            customs = iri(ID[f"agency/syn-{slug}-customs"])
            self.org(out, ministry, (CKG.Agency, CKG.Ministry), f"Ministry of Finance of {name}",
                     code, None)
            self.org(out, customs, (CKG.Agency, CKG.CustomsAdministration),
                     f"Customs Service of {name}", code,
                     ministry if self.rng.random() < 0.3 else None,
                     alias=f"{code} Customs")
            out.add(customs, iri(SCHEMA.url), lit(f"https://customs.{slug}.example", XSD.anyURI))
            self.national[code] = customs
            units = [ministry, customs]
            regions = max(0, round(budget * weight / total))
            region_iris: list[str] = []
            for k in range(regions):
                if region_iris and self.rng.random() < 0.6:  # a post under a regional unit
                    parent = self.rng.choice(region_iris)
                    unit = iri(ID[f"agency/syn-{slug}-customs-post-{k}"])
                    label = f"Customs Post {k} ({name})"
                else:
                    parent = customs
                    unit = iri(ID[f"agency/syn-{slug}-customs-region-{k}"])
                    label = f"Regional Customs Directorate {k} ({name})"
                    region_iris.append(unit)
                self.org(out, unit, (CKG.Agency, CKG.CustomsAdministration,
                                     CKG.RegionalCustomsUnit), label, code, parent)
                units.append(unit)
            self.agencies_of[code] = units

    def org(self, out: TripleWriter, s: str, classes: Sequence[Any], label: str, code: str,
            parent: str | None, alias: str | None = None) -> None:
        for cls in classes:
            out.add(s, A, iri(cls))
        out.add(s, IDENT, lit(s[1:-1].rsplit("/", 1)[-1]))
        out.add(s, LABEL, lit(label))
        if alias:
            out.add(s, ALT, lit(alias))
        out.add(s, iri(CKG.country), self.country(code))
        if parent:
            out.add(s, iri(ORG.subOrganizationOf), parent)
        out.add(s, DERIVED, self.source())

    def write_unions(self, out: TripleWriter) -> None:
        """EAEU-like unions: members with dated memberships (some ended)."""
        for k in range(self.counts.unions):
            u = iri(ID[f"union/syn-union-{k}"])
            out.add(u, A, iri(CKG.EconomicUnion))
            out.add(u, IDENT, lit(f"syn-union-{k}"))
            out.add(u, LABEL, lit(f"Customs Union {k}"))
            out.add(u, ALT, lit(f"CU{k}"))
            out.add(u, DERIVED, self.source())
            for code in self.pick_countries(self.rng.randint(3, 15)):
                self.membership(out, code, u, k)
            self.unions.append(u)
        self.unions += [iri(ID[f"union/{name}"]) for name in REFERENCE_UNIONS]

    def membership(self, out: TripleWriter, code: str, union: str, k: int) -> None:
        m_iri = ID[f"membership/{code.lower()}-syn-union-{k}"]
        m, member = iri(m_iri), self.country(code)
        out.add(m, A, iri(ORG.Membership))
        out.add(m, iri(ORG.member), member)
        out.add(m, iri(ORG.organization), union)
        out.add(member, iri(ORG.memberOf), union)
        since, day = self.date(1992, 2018)
        out.add(m, iri(SCHEMA.startDate), date_lit(since))
        during = iri(f"{m_iri}/during")
        out.add(m, iri(ORG.memberDuring), during)
        out.add(during, A, iri(TIME.Interval))
        ends = [(since, TIME.hasBeginning, "start")]
        if self.rng.random() < 0.1:
            until = self.later(day, 365)[0]
            out.add(m, iri(SCHEMA.endDate), date_lit(until))
            ends.append((until, TIME.hasEnd, "end"))
        for value, prop, suffix in ends:
            instant = iri(f"{m_iri}/{suffix}")
            out.add(during, iri(prop), instant)
            out.add(instant, A, iri(TIME.Instant))
            in_xsd = {4: TIME.inXSDgYear, 7: TIME.inXSDgYearMonth, 10: TIME.inXSDDate}
            out.add(instant, iri(in_xsd[len(value)]), date_lit(value))
        out.add(m, DERIVED, self.source())

    def write_agreements(self, out: TripleWriter) -> None:
        kinds, kind_weights = list(AGREEMENT_KINDS), list(AGREEMENT_KINDS.values())
        for i in range(self.counts.agreements):
            s = iri(ID[f"agreement/syn-{i}"])
            kind = self.rng.choices(kinds, kind_weights)[0]
            out.add(s, A, iri(AGREEMENT_CLASSES[kind]))
            if AGREEMENT_CLASSES[kind] != CKG.Agreement:
                out.add(s, A, iri(CKG.Agreement))
            out.add(s, iri(CKG.kind), iri(ID[f"kind/agreement/{kind}"]))
            out.add(s, IDENT, lit(f"syn-{i}"))
            size = 2 if self.rng.random() < 0.7 else self.rng.randint(3, 6)
            codes = self.pick_countries(size)
            parties = [self.country(c) for c in codes]
            if self.rng.random() < 0.1:  # a union as one party ("Vietnam – EAEU FTA")
                parties[-1] = self.rng.choice(self.unions)
                codes = codes[:-1]
            self.party_countries.update(codes)
            title = (f"{kind.replace('-', ' ').capitalize()} agreement "
                     f"{' – '.join(self.names[c] for c in codes)} no. {i}")
            out.add(s, iri(DCTERMS.title), lit(title))
            out.add(s, LABEL, lit(title))
            for party in parties:
                out.add(s, iri(CKG.party), party)
            implementers = {self.agency_of(c) for c in codes[:self.rng.randint(1, 3)]}
            for agency in sorted(implementers):
                out.add(s, iri(CKG.implementedBy), agency)
            signed, day = self.date(1990, 2024)
            out.add(s, iri(CKG.signingDate), date_lit(signed))
            if self.rng.random() < 0.6:
                in_force, day = self.later(day)
                out.add(s, iri(CKG.entryIntoForceDate), date_lit(in_force))
                if self.rng.random() < 0.15:
                    out.add(s, iri(CKG.validFrom), date_lit(in_force))
                    until = self.later(day, 3 * 365)[0]
                    out.add(s, iri(CKG.validUntil), date_lit(until))
            out.add(s, iri(CKG.status), iri(ID[f"status/{self.rng.choice(STATUSES)}"]))
            if self.rng.random() < 0.05:
                out.add(s, iri(CKG.dateText), lit(f"signed in {signed[:4]}"))
            if self.rng.random() < 0.3:
                out.add(s, iri(SCHEMA.location), self.rng.choice(self.places))
            for topic in self.rng.sample(self.topics, self.rng.randint(0, 2)):
                out.add(s, iri(SCHEMA.about), topic)
            if self.rng.random() < 0.05:
                out.add(s, iri(RDFS.comment), lit("dates as reported by the source"))
            out.add(s, DERIVED, self.source())
            self.agreements.append(s)

    def write_events(self, out: TripleWriter) -> None:
        kinds, kind_weights = list(EVENT_KINDS), list(EVENT_KINDS.values())
        for i in range(self.counts.events):
            s = iri(ID[f"event/syn-{i}"])
            kind = self.rng.choices(kinds, kind_weights)[0]
            out.add(s, A, iri(EVENT_CLASSES[kind]))
            if EVENT_CLASSES[kind] != CKG.Event:
                out.add(s, A, iri(CKG.Event))
            out.add(s, iri(CKG.kind), iri(ID[f"kind/event/{kind}"]))
            out.add(s, IDENT, lit(f"syn-{i}"))
            codes = self.pick_countries(2 if self.rng.random() < 0.75 else
                                        self.rng.randint(3, 5))
            participants: list[str] = []
            for code in codes:
                roll = self.rng.random()
                chosen = (self.country(code) if roll < 0.15 else self.agency_of(code))
                if chosen not in participants:
                    participants.append(chosen)
                if roll > 0.85:  # a second agency of the same country
                    extra = self.agency_of(code)
                    if extra not in participants:
                        participants.append(extra)
            for participant in participants:
                out.add(s, iri(CKG.participant), participant)
            start, day = self.date(2000, 2024)
            label = (f"{kind.replace('-', ' ').capitalize()}: "
                     f"{' – '.join(self.names[c] for c in codes)} ({start})")
            out.add(s, LABEL, lit(label))
            out.add(s, iri(SCHEMA.startDate), date_lit(start))
            if len(start) == 10 and self.rng.random() < 0.25:
                end = day + dt.timedelta(days=self.rng.randint(1, 4))
                out.add(s, iri(SCHEMA.endDate), date_lit(end.isoformat()))
            if self.rng.random() < 0.5:
                out.add(s, iri(SCHEMA.organizer), participants[0])
            cameo = CAMEO_DEFAULTS[kind] if self.rng.random() < 0.8 else self.rng.choice(
                CAMEO_EXTRA)
            out.add(s, iri(CKG.cameoCode), lit(cameo))
            if self.rng.random() < 0.4:
                out.add(s, iri(SCHEMA.location), self.rng.choice(self.places))
            for topic in self.rng.sample(self.topics, self.rng.randint(0, 2)):
                out.add(s, iri(SCHEMA.about), topic)
            if self.agreements and self.rng.random() < 0.05:
                out.add(s, iri(CKG.outcome), self.rng.choice(self.agreements))
            if self.rng.random() < 0.03:
                out.add(s, iri(CKG.planned), lit("true", XSD.boolean))
            if self.rng.random() < 0.02:
                out.add(s, A, iri(CKG.EventSummary))
                out.add(s, iri(CKG.eventCount), lit(str(self.rng.randint(2, 9)), XSD.integer))
            out.add(s, DERIVED, self.source())


def generate(path: Path, counts: Counts, seed: int) -> Synthetic:
    """Write the synthetic graph to ``path`` (N-Triples)."""
    generator = Generator(counts, seed)
    with path.open("w", encoding="utf-8") as handle:
        writer = TripleWriter(handle)
        generator.write(writer)
    agencies = [a[1:-1] for units in generator.agencies_of.values() for a in units]
    return Synthetic(path, writer.count, agencies,
                     sorted(f"{ID}country/{c}" for c in generator.party_countries))


# -- measuring ----------------------------------------------------------------------------------
def measure_load(data: Path, store_dir: Path) -> dict[str, Any]:
    """Load ``data`` with ``load_paths`` into a fresh on-disk store (reference data included)."""
    marks: dict[str, float] = {}

    def progress(done: int, total: int, name: str) -> None:
        if name.endswith(data.name):
            marks["file"] = time.perf_counter()

    store = OxigraphStore(store_dir, writable=True)
    start = time.perf_counter()
    results = load_paths(store, [data], progress=progress)
    store.close()
    end = time.perf_counter()
    loaded = next(r for r in results if r.path.endswith(data.name))
    return {"load_s": end - start, "before_file_s": marks.get("file", start) - start,
            "file_s": end - marks.get("file", start), "loaded_triples": loaded.triples}


def measure_raw(data: Path, store_dir: Path, graph: NamedNode | None = None) -> float:
    """Seconds for pyoxigraph's own ``bulk_load`` of ``data`` into a fresh on-disk store."""
    store = Store(str(store_dir))
    start = time.perf_counter()
    store.bulk_load(path=str(data), format=RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    seconds = time.perf_counter() - start
    del store
    return seconds


def summary(prefix: str, millis: list[float], sizes: list[int]) -> dict[str, Any]:
    """Median, p95 and max of query times, and how many answers the queries gave."""
    return {f"{prefix}_ms_median": round(statistics.median(millis), 1),
            f"{prefix}_ms_p95": round(percentile(millis, 0.95), 1),
            f"{prefix}_ms_max": round(max(millis), 1),
            f"{prefix}_answers_median": statistics.median(sizes),
            f"{prefix}_answers_max": max(sizes),
            f"{prefix}_nonempty": sum(1 for s in sizes if s)}


def measure_queries(store: OxigraphStore, synthetic: Synthetic,
                    rng: random.Random) -> tuple[dict[str, Any], tuple[str, str]]:
    """Time ``links_between`` over random country pairs and ``timeline`` of random agencies."""
    pairs: list[tuple[str, str]] = []
    while len(pairs) < LINK_PAIRS + 1:
        a, b = rng.sample(synthetic.party_countries, 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    agencies = rng.sample(synthetic.agencies, TIMELINE_AGENCIES + 1)
    figures: dict[str, Any] = {}
    # The first call of each warms the caches; it is reported apart and not counted.
    first, _ = timed(lambda: links_between(store, NamedNode(pairs[0][0]),
                                           NamedNode(pairs[0][1])))
    figures["links_ms_first"] = round(first * 1000, 1)
    millis, sizes = [], []
    for a, b in pairs[1:]:
        seconds, answers = timed(lambda a=a, b=b: links_between(store, NamedNode(a),
                                                                NamedNode(b)))
        millis.append(seconds * 1000)
        sizes.append(len(answers))
    figures.update(summary("links", millis, sizes))
    busiest = max(zip(sizes, pairs[1:], strict=True), key=lambda x: x[0])[1]
    first, _ = timed(lambda: timeline(store, [NamedNode(agencies[0])]))
    figures["timeline_ms_first"] = round(first * 1000, 1)
    millis, sizes = [], []
    for agency in agencies[1:]:
        seconds, answers = timed(lambda agency=agency: timeline(store, [NamedNode(agency)]))
        millis.append(seconds * 1000)
        sizes.append(len(answers))
    figures.update(summary("timeline", millis, sizes))
    figures.update(measure_links_pages(store, pairs[1:]))
    return figures, busiest


def links_query(store: OxigraphStore, a: str, b: str) -> str:
    """The match of ``links_between`` in its plain form (one pattern, both scopes as VALUES
    blocks; no prefixes): the query an rdflib user would write."""
    scope_a, scope_b = scope(store, NamedNode(a)), scope(store, NamedNode(b))
    return ("SELECT DISTINCT ?item ?pa ?pb WHERE {"
            + values_clause("pa", map(NamedNode, scope_a))
            + values_clause("pb", map(NamedNode, scope_b))
            + f"?item {ROLES} ?pa . ?item {ROLES} ?pb . FILTER(?pa != ?pb) }}")


# -- rdflib comparison --------------------------------------------------------------------------
def rdflib_child(data: str, query_file: str) -> None:
    """In a subprocess: parse ``data`` with rdflib, then run the query; JSON lines to stdout."""
    from rdflib import Graph

    query = Path(query_file).read_text(encoding="utf-8")
    graph = Graph()
    seconds, _ = timed(lambda: graph.parse(data, format="nt"))
    print(json.dumps({"parse_s": seconds, "triples": len(graph),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
          flush=True)
    seconds, rows = timed(lambda: list(graph.query(query)))
    print(json.dumps({"query_s": seconds, "rows": len(rows)}), flush=True)


def compare_rdflib(data: Path, query: str, workdir: Path, parse_timeout: float,
                   oxigraph_ms: float) -> dict[str, Any]:
    """rdflib's in-memory store on the same file: parse speed and one links query (timed out
    after ``RDFLIB_QUERY_TIMEOUT_S``), in a subprocess so its memory is not counted here."""
    query_file = workdir / "links-query.rq"
    query_file.write_text(query, encoding="utf-8")
    child = subprocess.Popen([sys.executable, __file__, "--rdflib-child", str(data),
                              str(query_file)], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert child.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in child.stdout], daemon=True)
    reader.start()
    result: dict[str, Any] = {"rdflib_parse_s": None, "rdflib_parse_triples_per_s": None,
                              "rdflib_peak_rss_mb": None, "rdflib_links_query_ms": "timeout",
                              "oxigraph_same_query_ms": oxigraph_ms}
    try:
        parsed = json.loads(lines.get(timeout=parse_timeout))
        result.update(rdflib_parse_s=round(parsed["parse_s"], 2),
                      rdflib_parse_triples_per_s=round(parsed["triples"] / parsed["parse_s"]),
                      rdflib_peak_rss_mb=round(parsed["rss_mb"]))
        log(f"rdflib parsed in {parsed['parse_s']:.1f} s; running the links query "
            f"(at most {RDFLIB_QUERY_TIMEOUT_S:.0f} s)")
        answered = json.loads(lines.get(timeout=RDFLIB_QUERY_TIMEOUT_S))
        result["rdflib_links_query_ms"] = round(answered["query_s"] * 1000, 1)
        result["rdflib_links_query_rows"] = answered["rows"]
    except queue.Empty:
        log("rdflib timed out")
        if result["rdflib_parse_s"] is None:
            result["rdflib_links_query_ms"] = None
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    return result


def measure_loads(data: Path, workdir: Path, store_dir: Path, triples: int,
                  repeat: int) -> dict[str, Any]:
    """Raw ``bulk_load`` (default graph, then a named graph) and ``load_paths``, ``repeat``
    times each in turn, fresh stores every time; medians. The last ``load_paths`` store stays."""
    named = NamedNode("https://w3id.org/customs-kg/graph/bench")
    raw, raw_named, loads = [], [], []
    for run_number in range(1, repeat + 1):
        log(f"load run {run_number}/{repeat}: raw bulk_load into the default graph")
        raw.append(measure_raw(data, workdir / "raw-store"))
        shutil.rmtree(workdir / "raw-store")
        log(f"raw bulk_load: {raw[-1]:.2f} s; again into a named graph")
        raw_named.append(measure_raw(data, workdir / "raw-named-store", named))
        shutil.rmtree(workdir / "raw-named-store")
        log(f"raw bulk_load into a named graph: {raw_named[-1]:.2f} s; now load_paths")
        shutil.rmtree(store_dir, ignore_errors=True)
        loads.append(measure_load(data, store_dir))
        log(f"load_paths: {loads[-1]['load_s']:.2f} s "
            f"({loads[-1]['before_file_s']:.2f} s before the file)")
    if loads[-1]["loaded_triples"] != triples:
        log(f"warning: the loader counted {loads[-1]['loaded_triples']:,} triples")
    load_s = statistics.median(x["load_s"] for x in loads)
    raw_s = statistics.median(raw)
    return {
        "load_runs": repeat,
        "load_s": round(load_s, 2),
        "load_triples_per_s": round(triples / load_s),
        "load_reference_and_setup_s": round(statistics.median(x["before_file_s"]
                                                              for x in loads), 2),
        "load_file_s": round(statistics.median(x["file_s"] for x in loads), 2),
        "raw_bulk_load_s": round(raw_s, 2),
        "raw_bulk_load_triples_per_s": round(triples / raw_s),
        "raw_bulk_load_named_graph_s": round(statistics.median(raw_named), 2),
        "load_vs_raw": round(load_s / raw_s, 2),
        "load_vs_raw_named_graph": round(load_s / statistics.median(raw_named), 2),
    }


# -- --full: the commands at scale ------------------------------------------------------------
PARTNER_COUNTRIES = 20
GNU_TIME = "/usr/bin/time"
HUB = "RU"
YEAR = ("2019", "2019-12-31")
PAGE = 50
DENSE_PAIR = ("RU", "CN")


@dataclass(frozen=True)
class Run:
    """A command run by ``cli``: wall-clock seconds, peak RSS (MB) and CPU seconds (user and
    system), as GNU time reports them."""

    seconds: float
    rss_mb: int
    cpu_s: float


def cli(store_dir: Path, *args: str, quiet: bool = True) -> Run:
    """Run ``customs-kg --store STORE ARGS`` in a child process, in the project's folder (the
    store's path made absolute first: a relative one would name another folder there, and the
    command fail at once with 'no store'). A failure raises; exit 1 is an answer only for
    ``validate`` when it reports violations, not an error (``Error: …`` on standard error)."""
    # GNU time reports the command's own peak: a child forked from this process would carry
    # this process's resident memory as its starting peak
    command = [GNU_TIME, "-f", "%M %U %S", sys.executable, "-m", "cli", "--store",
               str(Path(store_dir).resolve()), *args]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL if quiet else None,
                          stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    violations = (done.returncode == 1 and args[0] == "validate"
                  and not any(line.startswith("Error:") for line in lines))
    if done.returncode != 0 and not violations:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-500:]}")
    rss, user, system = lines[-1].split()
    return Run(seconds, round(int(rss) / 1024), float(user) + float(system))


def measure_year(store: OxigraphStore) -> dict[str, Any]:
    """The hub's timeline for one year: the first page (as the CLI shows it) and all answers."""
    hub = NamedNode(f"{ID}country/{HUB}")
    # warm; on a store without the kept order of items (graph.queries.order_cache) this
    # first call builds it
    first, _ = timed(lambda: timeline(store, [hub], *YEAR, paging=Paging(PAGE)))
    pages, everything = [], []
    for _ in range(3):
        seconds, page = timed(lambda: timeline(store, [hub], *YEAR, paging=Paging(PAGE)))
        pages.append(seconds * 1000)
    for _ in range(2):
        seconds, answers = timed(lambda: timeline(store, [hub], *YEAR))
        everything.append(seconds * 1000)
    return {"timeline_year_first_ms": round(first * 1000, 1),
            "timeline_year_page_ms": round(statistics.median(pages), 1),
            "timeline_year_all_ms": round(statistics.median(everything), 1),
            "timeline_year_answers": len(answers), "timeline_year_hub": HUB}


def measure_dense_pair(store: OxigraphStore) -> dict[str, Any]:
    """The densest pair (the hub and its busiest partner, ``DENSE_PAIR``): the first page of
    50 answers as the CLI asks it, warm (median of 3), and how many answers there are."""
    a, b = (NamedNode(f"{ID}country/{code}") for code in DENSE_PAIR)
    links_between(store, a, b, paging=Paging(PAGE))  # warm
    millis = []
    for _ in range(3):
        seconds, page = timed(lambda: links_between(store, a, b, paging=Paging(PAGE)))
        millis.append(seconds * 1000)
    return {"links_dense_page_ms": round(statistics.median(millis), 1),
            "links_dense_answers": page.total, "links_dense_pair": "-".join(DENSE_PAIR)}


def measure_links_pages(store: OxigraphStore, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``links_between`` as the CLI asks it with a page of 50, over the same pairs."""
    millis = []
    for a, b in pairs:
        seconds, _ = timed(lambda a=a, b=b: links_between(store, NamedNode(a), NamedNode(b),
                                                          paging=Paging(PAGE)))
        millis.append(seconds * 1000)
    return {"links_page_ms_median": round(statistics.median(millis), 1),
            "links_page_ms_p95": round(percentile(millis, 0.95), 1)}


FULL_STEPS = ("gexf", "validate", "export", "default-load")
"""The slow steps of ``--full`` that ``--skip`` can leave out."""


def measure_full(store_dir: Path, workdir: Path, countries: list[str],
                 rng: random.Random, skip: Sequence[str] = (),
                 data: Path | None = None) -> dict[str, Any]:
    """The commands end to end (child processes, as an analyst runs them, under GNU time for
    their peak memory), on the big store:
    partners of random countries (warm), agency-level GEXF, validate, then one small load and
    the partners question right after it."""
    figures: dict[str, Any] = {}
    codes = [c.rsplit("/", 1)[-1] for c in rng.sample(countries,
                                                      min(PARTNER_COUNTRIES, len(countries)))]
    log(f"partners: warming, then {len(codes)} countries")
    figures["partners_first_s"] = round(cli(store_dir, "partners", codes[0]).seconds, 2)
    millis = [cli(store_dir, "partners", code).seconds * 1000 for code in codes]
    figures.update(partners_ms_median=round(statistics.median(millis)),
                   partners_ms_p95=round(percentile(millis, 0.95)))
    gexf = workdir.resolve() / "agency.gexf"
    if "gexf" not in skip:
        figures.update(_measure_gexf(store_dir, gexf))
    if "validate" not in skip:
        log("validate")
        done = cli(store_dir, "validate")
        figures.update(validate_s=round(done.seconds, 1), validate_peak_rss_mb=done.rss_mb)
    if "export" not in skip:
        log("export --format nquads and ntriples")
        for fmt in ("nquads", "ntriples"):
            out = workdir / f"export.{fmt}"
            done = cli(store_dir, "export", "--format", fmt, "-o", str(out.resolve()))
            out.unlink(missing_ok=True)
            figures.update({f"export_{fmt}_s": round(done.seconds, 1),
                            f"export_{fmt}_peak_rss_mb": done.rss_mb})
    small = workdir / SMALL_SOURCE.name
    shutil.copy2(SMALL_SOURCE, small)
    log(f"load {small.name} into the big store, partners {HUB}, remove it, the same again")
    # The first records load into a bulk-loaded store builds the name index (the bulk load
    # leaves it to the first load that needs it); the second shows a load's own work.
    for when in ("_first", ""):
        figures[f"small_load{when}_s"] = round(
            cli(store_dir, "load", str(small.resolve())).seconds, 2)
        figures[f"partners_after_small_load{when}_s"] = round(
            cli(store_dir, "partners", HUB).seconds, 2)
        if when:
            figures["small_remove_s"] = round(
                cli(store_dir, "remove", str(small.resolve())).seconds, 2)
    figures.update(_measure_prepared(store_dir, small))
    if "default-load" not in skip and data is not None and data.is_file():
        figures.update(_measure_default_load(data, workdir, small))
    return figures


def _measure_default_load(data: Path, workdir: Path, small: Path) -> dict[str, Any]:
    """``customs-kg load FILE`` into a new store as an analyst runs it, which prepares after a
    load of 1M+ triples; then the first ``partners`` and the first small records load."""
    log("customs-kg load of the whole file into a new store (prepares), then partners, a load")
    fresh = workdir / "store-default-load"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        done = cli(fresh, "load", str(data.resolve()))
        figures: dict[str, Any] = {"load_default_s": round(done.seconds, 1),
                                   "load_default_cpu_s": round(done.cpu_s, 1),
                                   "load_default_peak_rss_mb": done.rss_mb}
        figures["partners_first_after_load_s"] = round(cli(fresh, "partners", HUB).seconds, 2)
        figures["small_load_first_after_load_s"] = round(
            cli(fresh, "load", str(small.resolve())).seconds, 2)
        return figures
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _measure_prepared(store_dir: Path, small: Path) -> dict[str, Any]:
    """``customs-kg prepare`` as after a bulk load (nothing kept beside the store: the cache
    folder removed), then the first questions and the first small load."""
    log("prepare (the cache folder removed, as after a bulk load), then partners and a load")
    shutil.rmtree(Path(store_dir) / CACHE_DIR, ignore_errors=True)
    done = cli(store_dir, "prepare")
    figures: dict[str, Any] = {"prepare_s": round(done.seconds, 1),
                               "prepare_peak_rss_mb": done.rss_mb,
                               "prepare_cpu_s": round(done.cpu_s, 1)}
    figures["partners_after_prepare_s"] = round(cli(store_dir, "partners", HUB).seconds, 2)
    figures["small_load_after_prepare_s"] = round(
        cli(store_dir, "load", str(small.resolve())).seconds, 2)
    figures["partners_after_prepare_and_small_load_s"] = round(
        cli(store_dir, "partners", HUB).seconds, 2)
    cli(store_dir, "remove", str(small.resolve()))
    return figures


def _measure_gexf(store_dir: Path, gexf: Path) -> dict[str, Any]:
    """``network --level agency -f gexf``, first then warm: time, CPU, memory, file size."""
    figures: dict[str, Any] = {}
    log("network --level agency -f gexf: first, then warm")
    for key in ("gexf_agency_first", "gexf_agency"):
        gexf.unlink(missing_ok=True)
        done = cli(store_dir, "network", "--level", "agency", "-f", "gexf", "-o", str(gexf))
        if not gexf.is_file() or gexf.stat().st_size == 0:
            raise RuntimeError(f"network -f gexf wrote no {gexf}")
        figures.update({f"{key}_s": round(done.seconds, 2), f"{key}_cpu_s": round(done.cpu_s, 1),
                        f"{key}_peak_rss_mb": done.rss_mb})
    figures.update(gexf_agency_mb=round(gexf.stat().st_size / 1e6, 1),
                   gexf_agency_load_average=round(os.getloadavg()[0], 2))
    gexf.unlink(missing_ok=True)
    return figures


# -- main ---------------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def reused(store_dir: Path) -> Synthetic:
    """What queries pick from, read back from a benchmark store kept by ``--keep``: the
    countries that are parties (sorted, as ``generate`` gives them: the same pairs) and the
    synthetic agencies (sorted: other agencies than a fresh run's)."""
    store = OxigraphStore(store_dir)
    try:
        triples = next((s.triples for s in loaded_sources(store)
                        if s.path.endswith("synthetic.nt")), 0)
        countries = sorted(row["c"].value for row in store.select(
            f'SELECT DISTINCT ?c WHERE {{ ?a ckg:party ?c '
            f'FILTER(STRSTARTS(STR(?c), "{ID}country/")) }}'))
        agencies = sorted(row["a"].value for row in store.select(
            f'SELECT ?a WHERE {{ ?a a ckg:Agency FILTER(STRSTARTS(STR(?a), "{ID}agency/syn-")) }}'))
    finally:
        store.close()
    return Synthetic(store_dir.parent / "synthetic.nt", triples, agencies, countries)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Generate, load, query (or query a kept store: ``--reuse``); the figures."""
    if args.reuse:
        store_dir = args.reuse / "store"
        synthetic = reused(store_dir)
        figures: dict[str, Any] = {"triples": synthetic.triples, "reused": str(args.reuse),
                                   "seed": args.seed}
        data = synthetic.path
    else:
        counts = Counts.for_scale(args.scale, args.agreements, args.events)
        data = workdir / "synthetic.nt"
        log(f"generating {counts} into {data}")
        seconds, synthetic = timed(lambda: generate(data, counts, args.seed))
        log(f"{synthetic.triples:,} triples, {data.stat().st_size / 1e6:.0f} MB in "
            f"{seconds:.1f} s")
        if len(synthetic.party_countries) < 2:
            sys.exit("too few agreements: no two countries are parties")
        figures = {"triples": synthetic.triples, "scale": args.scale, "seed": args.seed,
                   "counts": vars(counts), "generate_s": round(seconds, 2)}
        store_dir = workdir / "store"
        figures.update(measure_loads(data, workdir, store_dir, synthetic.triples, args.repeat))

    log("queries: links_between and timeline (store reopened read-only, as the CLI does)")
    store = OxigraphStore(store_dir)
    try:
        query_figures, busiest = measure_queries(store, synthetic, random.Random(args.seed + 1))
        figures.update(query_figures)
        if args.full or args.dense:
            log(f"timeline of {HUB} for one year; links of {'-'.join(DENSE_PAIR)}, a page")
            figures.update(measure_year(store))
            figures.update(measure_dense_pair(store))
        figures["peak_rss_mb"] = peak_rss_mb()
        if args.compare_rdflib:
            query = links_query(store, *busiest)
            seconds, rows = timed(lambda: store.select(query))
            oxigraph_ms = round(seconds * 1000, 1)
            log(f"rdflib comparison on {busiest[0]} / {busiest[1]} "
                f"(Oxigraph: {len(rows)} rows)")
            figures["rdflib"] = compare_rdflib(data, SPARQL_PREFIXES + query, workdir,
                                               args.rdflib_parse_timeout, oxigraph_ms)
    finally:
        store.close()
    if args.full:
        figures.update(measure_full(store_dir, workdir, synthetic.party_countries,
                                    random.Random(args.seed + 2), args.skip, data))
    if args.neo4j:
        from neo4j_sync import measure_neo4j  # beside this script; imports the neo4j driver

        figures.update(measure_neo4j(store_dir, workdir))
    return figures


def _steps(text: str) -> tuple[str, ...]:
    steps = tuple(step.strip() for step in text.split(",") if step.strip())
    unknown = [step for step in steps if step not in FULL_STEPS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown step {unknown[0]!r}; steps: "
                                         + ", ".join(FULL_STEPS))
    return steps


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size factor; 1 gives about 1M triples (default 1)")
    parser.add_argument("--agreements", type=int, help="number of agreements (overrides scale)")
    parser.add_argument("--events", type=int, help="number of events (overrides scale)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and leave the generated file and stores there")
    parser.add_argument("--out", type=Path, metavar="FILE", help="also write the JSON here")
    parser.add_argument("--repeat", type=int, default=1,
                        help="load the file this many times each way; medians (default 1)")
    parser.add_argument("--compare-rdflib", action="store_true",
                        help="also parse the file with rdflib and run one links query on it")
    parser.add_argument("--rdflib-parse-timeout", type=float, default=900.0,
                        help="seconds allowed for rdflib's parse (default 900)")
    parser.add_argument("--neo4j", action="store_true",
                        help="also time the Neo4j mirror: a full sync, the same rows by bare "
                             "UNWIND CREATE, an incremental sync (server: $NEO4J_URI, else an "
                             "ArcadeDB test server started here)")
    parser.add_argument("--full", action="store_true",
                        help="also time the commands end to end: partners, agency GEXF, "
                             "validate, export, a small load into the big store, and the "
                             "hub's timeline for one year")
    parser.add_argument("--skip", type=_steps, default=(), metavar="STEP,...",
                        help="with --full, leave out these slow steps: "
                             + ", ".join(FULL_STEPS))
    parser.add_argument("--dense", action="store_true",
                        help="also time the hub's timeline for one year and the densest "
                             "pair's first page of links (--full does too)")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="measure the store a --keep DIR run left (DIR/store) instead of "
                             "generating and loading; --full then loads a small file into it")
    parser.add_argument("--rdflib-child", nargs=2, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.rdflib_child:
        rdflib_child(*args.rdflib_child)
        return 0
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            sys.exit(f"--keep {args.keep}: the folder is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        workdir = args.keep
    else:
        workdir = Path(tempfile.mkdtemp(prefix="customs-kg-bench-"))
    try:
        figures = {"date": dt.date.today().isoformat(), "cpus": os.cpu_count(),
                   **run(args, workdir)}
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report(figures, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
