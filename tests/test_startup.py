"""Start-up: ``customs-kg --help`` and the quick questions import only what they use.

Timings belong in benchmarks; these tests guard the cause of slow start-up instead: which
modules a fresh interpreter has imported after running a command.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("networkx", "rdflib", "pyshacl", "neo4j", "loaders", "yaml", "jsonschema", "pycountry")
"""Libraries that cost tens to hundreds of milliseconds to import; only the commands that use
them may import them."""

PROBE = """
import json, sys
from click.testing import CliRunner
from cli import cli
result = CliRunner().invoke(cli, sys.argv[1:])
print(json.dumps({"exit": result.exit_code, "modules": sorted(sys.modules)}))
"""


def modules_after(*args: str) -> set[str]:
    """The top-level modules imported by a fresh interpreter that ran ``customs-kg ARGS``."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["exit"] == 0, done.stderr
    return {name.split(".")[0] for name in report["modules"]}


@pytest.mark.parametrize("args", [["--help"], ["links", "--help"], ["neo4j", "--help"],
                                  ["network", "--help"], ["--version"]])
def test_help_imports_no_heavy_library(args):
    imported = modules_after(*args)
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))
    assert "rapidfuzz" not in imported and "pyoxigraph" not in imported


def test_stats_reads_the_store_without_the_loaders_or_networkx(curated_store_dir):
    imported = modules_after("--store", str(curated_store_dir), "stats")
    assert "pyoxigraph" in imported
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_levels_of_the_cli_are_the_network_levels():
    from graph.commandline import LEVELS
    from graph.network import LEVELS as NETWORK_LEVELS

    assert LEVELS == NETWORK_LEVELS


def test_the_store_variable_is_the_stores():
    from graph.commandline import STORE_ENV
    from graph.store import STORE_ENV as STORES_VARIABLE

    assert STORE_ENV == STORES_VARIABLE
