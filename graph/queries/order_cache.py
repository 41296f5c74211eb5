"""What the order of answers depends on, kept for the agreements and events put in order so
far, beside an on-disk store (``STORE/cache/item-order-*.marshal``): putting thousands of
answers in order again (a hub's timeline, a dense pair's links) reads a file instead of every
answer's dates.

Each item's record is what ``describe_items`` with ``ORDER_PREDICATES`` tells of it (its kind,
title, date, the values of its start and end dates) and the graphs whose statements made it.
Records are added as answers are put in order (``order_of``; ``keep_order_facts`` writes them).
The cache is ``graph.store.cache.maintained``: after a load, a replacing load or a removal the
first reader patches it by dropping the records the change can touch (described again when
next needed): of the items the added or removed files state, of those whose claims a loaded
review now rejects or no longer rejects, and of those whose sources' documents or reliability
changed. Every record kept equals the item described anew (tests/test_order_cache.py).
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from pyoxigraph import NamedNode

from graph.queries import values_clause
from graph.queries.items import ORDER_PREDICATES, Item, Source, describe_items, source_index
from graph.queries.review import rejected_claims
from graph.store import GraphStore
from graph.store.cache import (
    CHANGES_SUFFIX,
    cache_folder,
    loaded_state,
    maintained,
    named_file,
    write_cache_file,
)

NAME = "item-order"
VERSION = 3
START_FIELDS = ("start", "signed", "in_force", "valid_from")
END_FIELDS = ("end", "valid_to")
BATCH = 5000
"""Items described at a time."""
MAX_PATCHED = 100_000
"""A change touching more items than this rebuilds the cache instead."""
_FIELD, _VALUE, _NONE = "\x1f", "\x1e", "\x00"

STATED_QUERY = """
SELECT DISTINCT ?item WHERE { #VALUES GRAPH ?g { ?item ?p ?o } FILTER(?p IN (#PREDICATES)) }
"""
DERIVED_QUERY = "SELECT DISTINCT ?item WHERE { #VALUES ?item prov:wasDerivedFrom ?doc }"
EVERY_ITEM_QUERY = """
SELECT DISTINCT ?item WHERE { { ?item a ckg:Event } UNION { ?item a ckg:Agreement } }
"""
# The callers put a VALUES block first in place of #VALUES (after the pattern, Oxigraph would
# read the whole pattern first).


@dataclass
class Ordered:
    """An answer's place among answers: its kind, title and date, and the values its sources
    give its start and end dates (any precision), for the period test."""

    iri: str
    type: str
    label: str
    date: str | None
    starts: list[str] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)


def ordered_from_item(item: Item) -> Ordered:
    """What ``item`` (described with at least ``ORDER_PREDICATES``) tells of its order."""
    return Ordered(item.iri, item.type, item.label, item.date,
                   [c.value for name in START_FIELDS for c in item.claims.get(name, [])],
                   [c.value for name in END_FIELDS for c in item.claims.get(name, [])])


def _record(item: Item, graphs: dict[str, int]) -> str:
    """One item as one string: kind, title, date, start values, end values, graph numbers."""
    o = ordered_from_item(item)
    numbers = sorted({graphs.setdefault(s.graph, len(graphs)) for s in item.sources})
    return _FIELD.join(("a" if o.type == "agreement" else "e", o.label,
                        _NONE if o.date is None else o.date, _VALUE.join(o.starts),
                        _VALUE.join(o.ends), ",".join(map(str, numbers))))


def _ordered(iri: str, record: str) -> Ordered:
    kind, label, date, starts, ends, _ = record.split(_FIELD)
    return Ordered(iri, "agreement" if kind == "a" else "event", label,
                   None if date == _NONE else date, starts.split(_VALUE) if starts else [],
                   ends.split(_VALUE) if ends else [])


def _graph_numbers(record: str) -> list[int]:
    numbers = record.rsplit(_FIELD, 1)[1]
    return [int(n) for n in numbers.split(",")] if numbers else []


def _snapshot(sources: dict[str, Source]) -> dict[str, Any]:
    """What of the sources an item's order depends on: each graph's document and reliability,
    and each document's reliability as ``describe_items`` looks it up."""
    graphs = {g: [s.document, s.reliability] for g, s in sources.items()}
    documents = {s.document: s.reliability for s in sources.values() if s.document}
    return {"graphs": graphs, "documents": documents}


class OrderFacts:
    """The records of every item, as read from the file: the sorted IRIs in one text (split
    when first looked in), the records in another with their offsets (so loading is a copy,
    and only the records looked up are cut out); then the records patched since
    (``changed``, None for an item gone); the graphs the records number; and the rejected
    claims and sources they were made with."""

    def __init__(self, iris_text: str, records_text: str, offsets: bytes, graphs: list[str],
                 rejected: list[list[str]], snapshot: dict[str, Any]) -> None:
        self._iris_text, self._iris = iris_text, None
        self._records, self._offsets = records_text, array("q")
        self._offsets.frombytes(offsets)
        self.graphs, self.rejected, self.snapshot = graphs, rejected, snapshot
        self.changed: dict[str, str | None] = {}

    @classmethod
    def from_records(cls, records: dict[str, str], graphs: list[str],
                     rejected: list[list[str]], snapshot: dict[str, Any]) -> OrderFacts:
        iris = sorted(records)
        texts = [records[iri] for iri in iris]
        offsets = array("q", [0])
        offsets.extend(accumulate(len(text) for text in texts))
        return cls("\n".join(iris), "".join(texts), offsets.tobytes(), graphs, rejected,
                   snapshot)

    @property
    def iris(self) -> list[str]:
        if self._iris is None:
            self._iris = self._iris_text.split("\n") if self._iris_text else []
        return self._iris

    def _base(self, at: int) -> str:
        return self._records[self._offsets[at]:self._offsets[at + 1]]

    def record(self, iri: str) -> str | None:
        if iri in self.changed:
            return self.changed[iri]
        iris = self.iris
        at = bisect_left(iris, iri)
        return self._base(at) if at < len(iris) and iris[at] == iri else None

    def get(self, iri: str) -> Ordered | None:
        """The item's order, or None when the cache does not hold it."""
        record = self.record(iri)
        return None if record is None else _ordered(iri, record)

    def get_many(self, iris: Iterable[str]) -> tuple[list[Ordered], list[str]]:
        """The order of each of ``iris`` the cache holds, and those it does not hold (as
        ``get`` one at a time, in one loop: a dense pair's 30k items)."""
        found: list[Ordered] = []
        missing: list[str] = []
        changed, every, records, offsets = self.changed, self.iris, self._records, self._offsets
        size = len(every)
        for iri in iris:
            if iri in changed:
                record = changed[iri]
            else:
                at = bisect_left(every, iri)
                record = (records[offsets[at]:offsets[at + 1]]
                          if at < size and every[at] == iri else None)
            if record is None:
                missing.append(iri)
                continue
            kind, label, date, starts, ends, _ = record.split(_FIELD)
            found.append(Ordered(iri, "agreement" if kind == "a" else "event", label,
                                 None if date == _NONE else date,
                                 starts.split(_VALUE) if starts else [],
                                 ends.split(_VALUE) if ends else []))
        return found, missing

    def stated_in(self, numbers: set[int]) -> set[str]:
        """The items whose records name one of the graphs ``numbers`` (found in the records'
        text by their last field, then checked; more than ``MAX_PATCHED`` stops early)."""
        found = {iri for iri, record in self.changed.items()
                 if record is not None and numbers & set(_graph_numbers(record))}
        if not numbers:
            return found
        either = "|".join(map(str, sorted(numbers)))
        # a record's last field (graph numbers) is followed by the next record's kind
        pattern = re.compile(f"{_FIELD}(?:[0-9]+,)*(?:{either})(?:,[0-9]+)*(?=[ae]|\\Z)")
        for match in pattern.finditer(self._records):
            at = bisect_right(self._offsets, match.start()) - 1
            if numbers & set(_graph_numbers(self._base(at))):
                found.add(self.iris[at])
                if len(found) > MAX_PATCHED:
                    break
        return found

    def every(self) -> dict[str, str]:
        merged = {iri: self._base(at) for at, iri in enumerate(self.iris)}
        for iri, record in self.changed.items():
            if record is None:
                merged.pop(iri, None)
            else:
                merged[iri] = record
        return merged

    def dump(self) -> tuple:
        whole = OrderFacts.from_records(self.every(), self.graphs, self.rejected,
                                        self.snapshot)
        return (whole._iris_text, whole._records, whole._offsets.tobytes(), self.graphs,
                self.rejected, self.snapshot)

    @classmethod
    def load(cls, data: tuple) -> OrderFacts:
        iris_text, records_text, offsets, graphs, rejected, snapshot = data
        return cls(iris_text, records_text, offsets, list(graphs),
                   [list(r) for r in rejected], dict(snapshot))

    def replay(self, change: tuple) -> None:
        records, graphs, rejected, snapshot = change
        self.changed.update(records)
        self.graphs, self.rejected, self.snapshot = list(graphs), list(rejected), snapshot


def describe_records(store: GraphStore, iris: list[str], sources: dict[str, Source],
                     graphs: dict[str, int]) -> dict[str, str]:
    """The records of the items ``iris`` that a loaded file states, read from the store
    (``graphs`` numbers the graphs; new ones are added to it)."""
    found: dict[str, str] = {}
    for start in range(0, len(iris), BATCH):
        batch = iris[start:start + BATCH]
        items = describe_items(store, map(NamedNode, batch), sources, ORDER_PREDICATES)
        for iri, item in items.items():
            if item.sources:  # an item no loaded file states is described each time
                found[iri] = _record(item, graphs)
    return found


def build_order_facts(store: GraphStore, sources: dict[str, Source]) -> OrderFacts:
    """No records yet (they are added as answers are put in order, ``order_of``), and the
    rejected claims and sources as they are now."""
    return OrderFacts.from_records({}, [], sorted([list(r) for r in rejected_claims(store)]),
                                   _snapshot(sources))


def _items_of(store: GraphStore, query: str, variable: str, terms: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(terms), 500):
        batch = map(NamedNode, terms[start:start + 500])
        found |= {row[0].value for row in
                  store.select_rows(query.replace("#VALUES", values_clause(variable, batch)))}
    return found


def patch_order_facts(store: GraphStore, facts: OrderFacts, sources: dict[str, Source],
                      added: list[tuple[str, str, str]],
                      removed: list[tuple[str, str, str]]) -> tuple | None:
    """Bring ``facts`` up to date after files were ``added`` and ``removed`` (graph, hash,
    load time): the records of the items the change can touch are dropped (described again
    when next needed). The change made, for the log (None: too large, start again)."""
    rejected = sorted([list(r) for r in rejected_claims(store)])
    snapshot = _snapshot(sources)
    predicates = ", ".join(str(NamedNode(p)) for p in ORDER_PREDICATES)
    touched = _items_of(store, STATED_QUERY.replace("#PREDICATES", predicates), "g",
                        [g for g, _, _ in added])
    # the items stated in graphs removed, or in graphs whose document or reliability changed
    old_graphs, new_graphs = facts.snapshot["graphs"], snapshot["graphs"]
    gone = {g for g, _, _ in removed} | {g for g, known in old_graphs.items()
                                         if g in new_graphs and list(new_graphs[g]) != list(known)}
    touched |= facts.stated_in({n for n, g in enumerate(facts.graphs) if g in gone})
    old_rejected = {tuple(r) for r in facts.rejected}
    touched |= {item for item, _ in old_rejected ^ {tuple(r) for r in rejected}}
    old_docs, new_docs = facts.snapshot["documents"], snapshot["documents"]
    documents = sorted(d for d in set(old_docs) | set(new_docs)
                       if old_docs.get(d) != new_docs.get(d))
    touched |= _items_of(store, DERIVED_QUERY, "doc", documents)
    if len(touched) > MAX_PATCHED:
        return None
    dropped = {iri: None for iri in sorted(touched) if facts.record(iri) is not None}
    change = (dropped, list(facts.graphs), rejected, snapshot)
    facts.replay(change)
    return change


def order_facts(store: GraphStore, sources: dict[str, Source]) -> OrderFacts | None:
    """The records kept, up to date (patched, or started anew, as needed); None for a store
    that is not on disk (nothing is kept for it)."""
    if cache_folder(store) is None:
        return None
    return maintained(
        store, NAME, VERSION, lambda: build_order_facts(store, sources),
        lambda facts, added, removed: patch_order_facts(store, facts, sources, added, removed),
        OrderFacts.replay, OrderFacts.dump, OrderFacts.load)


def keep_order_facts(store: GraphStore, facts: OrderFacts) -> None:
    """Write ``facts`` (with the records added since read) as the base file of the store as
    loaded now, the only one, and drop the log of changes (the base holds them)."""
    folder = cache_folder(store)
    if folder is None:
        return
    state = loaded_state(store)
    path = named_file(folder, NAME, VERSION, state)
    if not write_cache_file(path, ((NAME, VERSION, sys.version_info[:2]), state,
                                   facts.dump())):
        return
    try:
        for old in folder.glob(f"{NAME}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
        (folder / f"{NAME}{CHANGES_SUFFIX}").unlink(missing_ok=True)
    except OSError:
        pass


def order_of(store: GraphStore, iris: Iterable[str], sources: dict[str, Source],
             facts: OrderFacts | None) -> tuple[list[Ordered], int]:
    """The order of the items ``iris`` (those that are answers): from ``facts`` for the items
    it holds, described from the store for the others (and for all without ``facts``); the
    records described are added to ``facts``. Also how many were added."""
    found: list[Ordered] = []
    missing = list(dict.fromkeys(iris))
    if facts is not None:
        found, missing = facts.get_many(missing)
    if not missing:
        return found, 0
    if facts is None:
        items = describe_items(store, map(NamedNode, missing), sources, ORDER_PREDICATES)
        return found + [ordered_from_item(item) for item in items.values()], 0
    graphs = {g: n for n, g in enumerate(facts.graphs)}
    records = describe_records(store, missing, sources, graphs)
    facts.graphs = list(graphs)
    facts.changed.update(records)
    found += [_ordered(iri, record) for iri, record in records.items()]
    # items no loaded file states (not kept) are still answers as describe_items tells them
    unkept = [iri for iri in missing if iri not in records]
    if unkept:
        items = describe_items(store, map(NamedNode, unkept), sources, ORDER_PREDICATES)
        found += [ordered_from_item(item) for item in items.values()]
    return found, len(records)


def keep_every_order(store: GraphStore) -> bool:
    """Describe and keep the order of every agreement and event not kept yet, so that no first
    page of a hub's links or timeline describes thousands of items (``customs-kg prepare``:
    about a minute of work at 10M triples, 700,000 items). Whether any record was added."""
    sources = source_index(store)
    facts = order_facts(store, sources)
    if facts is None:
        return False
    every = [row[0].value for row in store.select_rows(EVERY_ITEM_QUERY)]
    _, added = order_of(store, every, sources, facts)
    if added:
        keep_order_facts(store, facts)
    return added > 0
