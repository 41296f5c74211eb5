"""What the benchmark scripts share: progress messages, timing, quantiles and the JSON report."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SMALL_SOURCE = ROOT / "data" / "seed-003-vietnam-russia-talks.yaml"
"""A small records file loaded into a big store to time what follows a load."""


def log(message: str) -> None:
    """A progress message on stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds taken by ``action()``, and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def report(figures: dict[str, Any], out: Path | None = None) -> None:
    """Print the figures as one JSON object, and write them to ``out`` too if given."""
    text = json.dumps(figures, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
