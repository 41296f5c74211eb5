"""Bring everything kept beside an on-disk store up to date ahead of the first question.

The commands keep derived structures beside the store (``graph.store.cache``): the name
indexes, the index of items by organisation and date, the kept order of items, the partner
facts, the shortest-path graph and the countries' ``partners`` answers. After a small load they
are patched in well under a second; after a large one (a bulk RDF file, a first load) they are
built from the whole store, which at 10M triples takes minutes, and the first command to need
one pays for it (the order of items is filled as pages of answers need it).
``prepare_store`` pays for all of them at once, in parallel processes, each opening the store
as a reader: ``customs-kg prepare`` at a time of the operator's choosing, and ``customs-kg load``
or ``remove`` after a change of 1M triples or more (``graph.commandline.PREPARE_FROM``), or when
told ``--prepare``.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from graph.builds import watching
from graph.errors import CustomsKGError, UsageProblem
from graph.store import GraphStore, OxigraphStore, store_location


def _names(store: GraphStore) -> None:
    from graph.names import cached_index
    from graph.names.translations import country_translations
    from graph.store.cache import cache_folder

    cached_index(store)
    cached_index(store, organisations_only=True)
    country_translations(cache_folder(store))


def _items(store: GraphStore) -> None:
    from graph.queries.item_index import item_index

    item_index(store)


def _order(store: GraphStore) -> list[str]:
    from graph.queries.order_cache import keep_every_order

    return ["item-order"] if keep_every_order(store) else []


def _partners(store: GraphStore) -> None:
    from graph.network.facts import collector_paused
    from graph.network.partners import Period
    from graph.network.paths import stored_path_graph
    from graph.network.stored import load_facts

    facts = load_facts(store)
    with collector_paused():
        stored_path_graph(store, facts, Period(None, None))


def _answers(store: GraphStore, part: int = 0, parts: int = 1) -> list[str]:
    """The partners of every country (or of every ``parts``-th from the ``part``-th), as
    ``customs-kg partners`` shows them by default, worked out and kept (``graph.network.pairs``):
    a hub's take seconds at 10M triples, after a load that rebuilt the partner facts. One
    reading of the facts serves them all, so each item is read from the kept facts once.
    Returns ``["partner-answers"]`` if any was worked out."""
    from graph import presentation
    from graph.network.partners import kept_answers
    from graph.network.stored import load_facts

    facts = load_facts(store)
    countries = sorted(iri for iri, org in facts.orgs.items() if org.kind == "country")
    worked_out = False
    for country in countries[part::parts]:
        worked_out |= kept_answers(store, facts, country, "country",
                                   presentation.PARTNER_ITEMS_SHOWN)[1]
    return ["partner-answers"] if worked_out else []


JOBS: dict[str, Callable[..., list[str] | None]] = {
    "partners": _partners,  # the longest first: it sets how long preparing takes
    "names": _names,
    "items": _items,
    "order": _order,
    "answers": _answers,  # after "partners", whose facts it reads, in every process
}
"""What ``prepare_store`` brings up to date, in parts that run in processes of their own."""


@dataclass
class Prepared:
    """One part of ``JOBS`` prepared: how long it took, and what it built from the whole store
    or patched (names of ``graph.builds.KEPT``; neither: it was up to date)."""

    job: str
    seconds: float
    built: list[str] = field(default_factory=list)
    patched: list[str] = field(default_factory=list)


def kept_beside(location: str | None) -> bool:
    """Whether the store at ``location`` keeps indexes beside it: a store on disk does; one
    in memory or behind a SPARQL endpoint does not."""
    location = store_location(location)
    return location != ":memory:" and not location.startswith(("http://", "https://"))


def prepare_store(location: str | None = None, processes: int | None = None) -> list[Prepared]:
    """Build or patch everything kept beside the on-disk store at ``location`` (see the
    module's docstring), ``JOBS`` in up to ``processes`` processes at once (default: one per
    CPU, at most one per job; 1: in this process, one after the other). Raises
    ``UsageProblem`` for a store that is not on disk (nothing is kept beside it)."""
    location = store_location(location)
    if not kept_beside(location):
        raise UsageProblem(f"nothing to prepare at {location}: customs-kg keeps indexes only "
                           "beside a store on disk")
    OxigraphStore(location).close()  # a missing store is named; a crashed write settled
    processes = processes or min(len(JOBS), os.cpu_count() or 1)
    if processes > 1:
        try:
            pool = ProcessPoolExecutor(max_workers=min(processes, len(JOBS)),
                                       mp_context=multiprocessing.get_context("spawn"))
        except (OSError, NotImplementedError):
            pool = None  # no processes to be had here: one after the other
        if pool is not None:
            with pool:
                try:
                    return _in_parallel(pool, location, processes)
                except BrokenProcessPool as err:
                    raise CustomsKGError(
                        f"cannot prepare {location}: a process preparing it ended "
                        "abruptly (out of memory?)") from err
    return [prepare_job(location, job) for job in JOBS]


def _in_parallel(pool: ProcessPoolExecutor, location: str, processes: int) -> list[Prepared]:
    """``JOBS`` in ``pool``: the answers, in one part per process, once the facts are built."""
    first = [pool.submit(prepare_job, location, job) for job in JOBS if job != "answers"]
    facts = first[0].result()  # "partners": the answers read its facts
    parts = min(processes, len(JOBS))
    answers = [pool.submit(prepare_job, location, "answers", part, parts)
               for part in range(parts)]
    done = [facts, *(future.result() for future in first[1:])]
    found = [future.result() for future in answers]
    done.append(Prepared("answers", max(d.seconds for d in found),
                         sorted({n for d in found for n in d.built}),
                         sorted({n for d in found for n in d.patched})))
    return done


def prepare_job(location: str, job: str, *part: int) -> Prepared:
    """Run the job ``job`` of ``JOBS`` (its ``part``, if given: the part's number and how
    many parts) on the store at ``location``, opened as a reader."""
    done = Prepared(job, 0.0)

    def note(store: GraphStore, name: str, what: str) -> None:
        if what == "build" and name in done.patched:
            done.patched.remove(name)  # a patch that could not be made: built after all
        if name not in done.built and name not in done.patched:
            (done.built if what == "build" else done.patched).append(name)

    start = time.perf_counter()
    store = OxigraphStore(location)
    try:
        with watching(note):
            for name in JOBS[job](store, *part) or []:  # what the job says it worked out
                if name not in done.built and name not in done.patched:
                    done.built.append(name)
    finally:
        store.close()
    done.seconds = time.perf_counter() - start
    return done
