"""``partners`` for the table builds only the evidence the table shows (the latest items of
each partner), and the table reads exactly as when every item is built."""

from __future__ import annotations

import csv
import io
import json

import pytest
from curated import ROOT

from graph import presentation as show
from graph.names import resolve_names
from graph.network.partners import partners
from graph.store import open_store
from loaders.load import load_paths


@pytest.fixture(scope="module")
def dataset_store(tmp_path_factory):
    store = open_store(str(tmp_path_factory.mktemp("dataset") / "store"), writable=True)
    load_paths(store, [*sorted((ROOT / "data").glob("*.yaml")), ROOT / "data" / "agreements"])
    yield store
    store.close()


@pytest.mark.parametrize("shown", [1, 2, show.PARTNER_ITEMS_SHOWN])
@pytest.mark.parametrize("name,level", [("Russia", "country"), ("Vietnam", "country"),
                                        ("China", "agency"), ("United States", "country"),
                                        ("Japan", "agency")])
def test_the_table_is_the_same_with_only_the_shown_items_built(dataset_store, name, level,
                                                               shown):
    (match,) = resolve_names(dataset_store, [name])
    every = partners(dataset_store, match.entity.iri, level)
    some = partners(dataset_store, match.entity.iri, level, shown=shown)
    assert any(a["agreements"] + a["events"] > shown for a in every) or shown > 2
    assert show.partners_text(some, "table", shown) == show.partners_text(every, "table", shown)
    for full, cut in zip(every, some, strict=True):
        assert {k: v for k, v in full.items() if k != "evidence"} == \
               {k: v for k, v in cut.items() if k != "evidence"}
        listed = cut["evidence"]["agreements"] + cut["evidence"]["events"]
        assert len(listed) == min(full["agreements"] + full["events"], shown)


def test_json_lists_every_item(dataset_store):
    (match,) = resolve_names(dataset_store, ["United States"])
    for answer in partners(dataset_store, match.entity.iri):
        listed = answer["evidence"]["agreements"] + answer["evidence"]["events"]
        assert len(listed) == answer["agreements"] + answer["events"]


def test_evidence_lists_the_latest_n_in_every_format(curated_store_dir, runner):
    from cli import cli

    def ask(*args: str) -> str:
        result = runner.invoke(cli, ["--store", str(curated_store_dir), "partners", "Russia",
                                     *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    every = json.loads(ask("-f", "json"))
    assert any(a["agreements"] + a["events"] > 1 for a in every)
    some = json.loads(ask("-f", "json", "--evidence", "1"))
    assert json.loads(ask("-f", "json", "--evidence", "1")) == some  # kept, the same
    for full, cut in zip(every, some, strict=True):
        assert {k: v for k, v in full.items() if k != "evidence"} == \
               {k: v for k, v in cut.items() if k != "evidence"}
        listed = cut["evidence"]["agreements"] + cut["evidence"]["events"]
        assert len(listed) == min(full["agreements"] + full["events"], 1)
    assert ask("--evidence", "1") == show.partners_text(every, "table", 1)
    assert ask() == show.partners_text(every, "table")
    rows = list(csv.DictReader(io.StringIO(ask("-f", "csv", "--evidence", "0"))))
    assert len(rows) == len(every) and all(row["evidence"] == "" for row in rows)
    none = json.loads(ask("-f", "json", "--evidence", "0"))
    assert all(a["evidence"] == {"agreements": [], "events": []} for a in none)
