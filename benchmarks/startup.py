"""Start-up time of the command line: ``customs-kg --help`` and ``customs-kg stats`` on a store
holding the curated dataset, whole commands in fresh processes (median and max of N runs).

    python benchmarks/startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, log, report, timed


def command_seconds(args: list[str], runs: int) -> dict[str, float]:
    exe = shutil.which("customs-kg", path=str(Path(sys.executable).parent)) or "customs-kg"
    times = [timed(lambda: subprocess.run([exe, *args], check=True, capture_output=True))[0]
             for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = str(Path(folder) / "store")
        log("loading the curated dataset")
        exe = shutil.which("customs-kg", path=str(Path(sys.executable).parent)) or "customs-kg"
        subprocess.run([exe, "--store", store, "load", str(ROOT / "data")], check=True,
                       capture_output=True)
        figures = {"runs": options.runs,
                   "python_startup": command_seconds_python(options.runs),
                   "help": command_seconds(["--help"], options.runs),
                   "stats": command_seconds(["--store", store, "stats"], options.runs)}
    report(figures)


def command_seconds_python(runs: int) -> dict[str, float]:
    """The floor: a bare interpreter starting and stopping."""
    times = [timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))[0]
             for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


if __name__ == "__main__":
    main()
