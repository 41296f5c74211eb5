"""Benchmark the partner networks on a store made by ``benchmarks/run.py --keep DIR``.

Times reading the facts from the store (no cache) and from the cache beside it, ``partners``
for random countries and agencies and for the busiest country at both levels (library calls,
the cache loaded each time, as one command does; for the table's view also the answers kept
beside the store, ``graph.network.pairs``, first worked out, then read), the ``customs-kg
partners`` command end to end (with no cache beside the store, then with the caches up to
date), one small file loaded and removed (the caches patched) with ``partners`` after each,
and ``customs-kg network --format gexf``, and prints one JSON object.

    python benchmarks/run.py --keep /tmp/bench        # generate and load the 1M-triple graph
    python benchmarks/network.py /tmp/bench/store
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import SMALL_SOURCE, percentile, report, timed
from pyoxigraph import NamedNode

from graph.network import load_facts, partners, read_facts
from graph.presentation import PARTNER_ITEMS_SHOWN
from graph.store import OxigraphStore


def command(args: list[str], store: Path) -> float:
    """Seconds one ``customs-kg`` command takes, end to end."""
    start = time.perf_counter()
    program = Path(sys.executable).with_name("customs-kg")
    subprocess.run([str(program), "--store", str(store), *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def millis(values: list[float]) -> dict[str, float]:
    """Median, p95 and max of ``values`` (seconds), in milliseconds."""
    return {"median": round(statistics.median(values) * 1000),
            "p95": round(percentile(values, 0.95) * 1000), "max": round(max(values) * 1000)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path, help="the store benchmarks/run.py --keep left")
    parser.add_argument("--entities", type=int, default=20,
                        help="random countries and as many agencies per level (default 20)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(),
                               "load_average": round(os.getloadavg()[0], 2)}
    shutil.rmtree(args.store / "cache", ignore_errors=True)
    store = OxigraphStore(args.store)
    try:
        seconds, facts = timed(lambda: read_facts(store))
        figures["read_facts_s"] = round(seconds, 2)
        figures["items"], figures["organisations"] = len(facts.items), len(facts.orgs)
        load_facts(store)  # writes the cache
        figures["cache_mb"] = round(sum(p.stat().st_size for p in
                                        (args.store / "cache").iterdir()) / 1e6, 1)
        figures["cache_load_s"] = round(min(timed(lambda: load_facts(store))[0]
                                            for _ in range(3)), 3)
        rng = random.Random(args.seed)
        countries = sorted(o for o, f in facts.orgs.items()
                           if f.kind == "country" and facts.items_of([o]))
        agencies = sorted(o for o, f in facts.orgs.items() if f.kind == "agency")
        sample = rng.sample(countries, args.entities) + rng.sample(agencies, args.entities)
        sizes = {c: len(facts.items_of([c, *facts.descendants(c)])) for c in countries}
        busiest = max(countries, key=sizes.__getitem__)
        figures["busiest"] = busiest.rsplit("/", 1)[-1]
        figures["busiest_items"] = sizes[busiest]
        names = {e: e.rsplit("/", 1)[-1] if "/country/" in e else facts.orgs[e].label
                 for e in sample}
        facts = None  # as a command would, load the cache for each question
        for level in ("country", "agency"):
            runs = [timed(lambda e=e, lv=level: partners(store, NamedNode(e), lv))[0]
                    for e in sample]
            figures[f"partners_{level}_ms"] = millis(runs)
            # The table's view (its shown items): worked out and kept, then read kept
            # (graph.network.pairs).
            for name in ("first", "kept"):
                runs = [timed(lambda e=e, lv=level: partners(store, NamedNode(e), lv,
                                                             shown=PARTNER_ITEMS_SHOWN))[0]
                        for e in sample]
                figures[f"partners_{level}_table_{name}_ms"] = millis(runs)
            seconds, answers = timed(lambda lv=level: partners(store, NamedNode(busiest), lv))
            figures[f"partners_{level}_busiest_ms"] = round(seconds * 1000)
            figures[f"partners_{level}_busiest_answers"] = len(answers)
    finally:
        store.close()
    # The commands end to end (Python start-up, name lookup, facts, answer): first after a
    # load (no cache beside the store), then as usual (the caches up to date).
    shutil.rmtree(args.store / "cache", ignore_errors=True)
    figures["cli_partners_busiest_cold_s"] = round(
        command(["partners", figures["busiest"]], args.store), 2)
    figures["cli_partners_busiest_s"] = round(statistics.median(
        command(["partners", figures["busiest"]], args.store) for _ in range(5)), 2)
    figures["cli_partners_busiest_agency_s"] = round(statistics.median(
        command(["partners", figures["busiest"], "--level", "agency"], args.store)
        for _ in range(5)), 2)
    runs = [command(["partners", names[e]], args.store) for e in sample[:5] + sample[-5:]]
    figures["cli_partners_ms"] = millis(runs)
    # An analyst's next step: one small file loaded into the big store, then removed. The
    # caches are patched: only that file's subjects are read again. The first load may build
    # the whole name index (no load before it needed one); the second is the usual case.
    with tempfile.TemporaryDirectory(prefix="customs-kg-bench-") as folder:
        small = Path(folder) / "bench-small-source.yaml"
        small.write_text(SMALL_SOURCE.read_text(), encoding="utf-8")
        figures["cli_load_small_first_s"] = round(command(["load", str(small)], args.store), 2)
        figures["cli_remove_small_first_s"] = round(command(["remove", str(small)], args.store),
                                                    2)
        figures["cli_load_small_s"] = round(command(["load", str(small)], args.store), 2)
        figures["cli_partners_busiest_after_small_load_s"] = round(
            command(["partners", figures["busiest"]], args.store), 2)
        figures["cli_remove_small_s"] = round(command(["remove", str(small)], args.store), 2)
        figures["cli_partners_busiest_after_removal_s"] = round(
            command(["partners", figures["busiest"]], args.store), 2)
    out = args.store.parent / "network-bench.gexf"
    for level in ("country", "agency"):
        shutil.rmtree(args.store / "cache", ignore_errors=True)
        figures[f"cli_network_gexf_{level}_cold_s"] = round(
            command(["network", "--level", level, "-o", str(out)], args.store), 2)
        figures[f"cli_network_gexf_{level}_s"] = round(
            command(["network", "--level", level, "-o", str(out)], args.store), 2)
        figures[f"gexf_{level}_mb"] = round(out.stat().st_size / 1e6, 1)
    out.unlink()
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    report(figures, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
