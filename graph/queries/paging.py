"""Pages of answers: items put in answer order from their dates and titles alone, and only the
page shown described in full (with its sources, evidence and certainty)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode

from graph.queries.items import ORDER_PREDICATES, Item, Source, describe_items, meets_certainty
from graph.queries.order_cache import (
    Ordered,
    keep_order_facts,
    order_facts,
    order_of,
    ordered_from_item,
)
from graph.store import GraphStore

CACHED_FROM = 1000
"""From this many items on, their order is read from the kept records of every item
(``graph.queries.order_cache``; reading them costs ~0.3 s at 10M triples) rather than from
their statements in the store."""
KEEP_FROM = 200
"""Records added to the kept order by one call from which on they are written (fewer are
described again next time)."""
BATCH = 200
"""Items described at a time while filling a page whose answers a certainty filter may drop."""


class Page(list):
    """A page of answers (a list of dicts); ``total``: how many answers there are in all
    (None when a certainty filter stopped the count at the page's end)."""

    total: int | None = None


@dataclass(frozen=True)
class Paging:
    """Which answers to give: ``limit`` at most (None: all) after the first ``offset``, and of
    those only what passes the certainty filters (``graph.queries.items.meets_certainty``)."""

    limit: int | None = None
    offset: int = 0
    min_confidence: float | None = None
    curated_only: bool = False

    @property
    def filters(self) -> bool:
        return self.min_confidence is not None or self.curated_only

    def describes_all(self, found: int) -> bool:
        """Whether describing all ``found`` items at once is the cheaper way to the page: no
        filter, and no limit or few items (ordering first reads their dates and titles)."""
        return not self.filters and (self.limit is None
                                     or found <= max(2 * (self.offset + self.limit), 100))

    def keeps(self, answer: dict[str, Any]) -> bool:
        return meets_certainty(answer, self.min_confidence, self.curated_only)


def answer_key(item: Item | Ordered) -> tuple:
    """Answers in time order (undated last), then by label and IRI."""
    return (item.date is None, item.date or "", item.label, item.iri)


def in_answer_order(store: GraphStore, iris: Iterable[str], sources: dict[str, Source],
                    keep: Callable[[Ordered], bool] | None = None,
                    predicates: Iterable[str] = ORDER_PREDICATES) -> list[str]:
    """The items that are answers (a rejected claim's alone is not; ``keep`` may drop more),
    in answer order, from what the order (and ``keep``) depends on only: for many items, the
    kept records of every item (``order_cache``), else their statements of ``predicates``
    (by default those of the date, the title and the kind)."""
    wanted = list(dict.fromkeys(iris))
    facts = order_facts(store, sources) if len(wanted) >= CACHED_FROM else None
    if facts is not None:
        ordered, added = order_of(store, wanted, sources, facts)
        if added >= KEEP_FROM:
            keep_order_facts(store, facts)
    else:
        light = describe_items(store, map(NamedNode, wanted), sources, predicates)
        ordered = [ordered_from_item(item) for item in light.values()]
    kept = [item for item in ordered if keep is None or keep(item)]
    return [item.iri for item in sorted(kept, key=answer_key)]


def page_of(ordered: list[str], paging: Paging,
            describe: Callable[[list[str]], list[dict[str, Any]]]) -> Page:
    """The answers of ``ordered`` on the page ``paging`` asks for: ``describe`` turns IRIs into
    answers in their order, and is called on the page only (in batches when a certainty
    filter may drop answers, until the page is full)."""
    end = None if paging.limit is None else paging.offset + paging.limit
    page = Page()
    if not paging.filters:
        page.extend(describe(ordered[paging.offset:end]))
        page.total = len(ordered)
        return page
    passed: list[dict[str, Any]] = []
    size = BATCH if end is None else max(BATCH, end)
    for start in range(0, len(ordered), size):
        passed += [a for a in describe(ordered[start:start + size]) if paging.keeps(a)]
        if end is not None and len(passed) >= end and start + size < len(ordered):
            page.extend(passed[paging.offset:end])
            return page  # total unknown: more may pass further on
    page.extend(passed[paging.offset:end])
    page.total = len(passed)
    return page
