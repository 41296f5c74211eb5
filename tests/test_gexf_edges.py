"""The edges of a big network's GEXF (graph/network/gexf_edges.py): their texts made straight
from the items they rest on, and the later edges made by a forked process (started as the
edges are written, or as soon as they are known), give the very bytes the edges' attributes
give when one process writes them all; and so does a forked process that fails."""

from __future__ import annotations

import io
import os
import random

import pytest
from click.testing import CliRunner

from cli import cli
from graph.network import Certainty, Period, load_facts, parse_weights
from graph.network import gexf_edges as edges_module
from graph.network.export import add_whole_centrality
from graph.network.facts import Facts, ItemFacts
from graph.network.gexf import write_gexf
from graph.network.gexf_edges import KEPT_SHARE_EARLY, LaterEdges
from graph.network.gexf_text import GEXF_EDGE_ATTRIBUTES, ItemsText, _Attvalues, edge_text
from graph.network.layout import complete, lay_out
from graph.network.partners import ANY_CERTAINTY, DEFAULT_WEIGHTS
from graph.network.whole import Summaries

WEIGHTS = {"default": DEFAULT_WEIGHTS,
           "uneven": parse_weights("agreement=2.5,binding=4.25,event=0.1"),
           "uncapped": parse_weights("summary_cap=none")}
LABELS = ["Memorandum on customs cooperation", 'The "green corridor" protocol',
          "Türkiye – Việt Nam talks", "Back\\slash and tab\there", "Bell \x07 and > sign",
          "Apostrophe's plan", "Trade & transit", "Less < more", ""]


def random_items(count: int, seed: int = 0) -> list[ItemFacts]:
    """Items of every kind of value an edge's text shows."""
    rng = random.Random(seed)
    found = []
    for k in range(count):
        agreement = rng.random() < 0.4
        basis = rng.choice(["curated", "reference", "extracted", "extracted"])
        start = rng.choice([None, "2015-03-01", "2019-01-01", "2021-06-30"])
        found.append(ItemFacts(
            f"https://w3id.org/customs-kg/id/item/{k}", "agreement" if agreement else "event",
            rng.choice(["free-trade", "mutual-assistance", "memorandum", "meeting", "forum"]),
            rng.choice(LABELS), count=None if agreement or rng.random() < 0.7 else
            rng.randint(1, 12), inner=rng.randint(0, 3),
            date=rng.choice([None, "2019-05-01", "2019", "2021-11", "unknown"]),
            start=start, end=None if start is None else rng.choice([start, "2022-12-31"]),
            basis=basis, confidence=rng.choice([None, 0.8, 1.0, 0.123456789])
            if basis == "extracted" else None,
            headline_only=basis == "extracted" and rng.random() < 0.3))
    return found


@pytest.mark.parametrize("weights", list(WEIGHTS))
def test_the_text_made_from_the_items_is_the_text_of_their_attributes(weights):
    chosen = WEIGHTS[weights]
    summaries = Summaries(Facts(), chosen)
    attvalues = _Attvalues(GEXF_EDGE_ATTRIBUTES, {})
    made = ItemsText(chosen)
    items = random_items(400)
    rng = random.Random(1)
    sets = [[item] for item in items] + [rng.sample(items, rng.randint(2, 6))
                                         for _ in range(400)]
    for found in sets:  # apostrophes, ampersands and less-than signs among the labels
        found.sort(key=lambda i: (i.date is None, i.date or "", i.label, i.iri))
        data = summaries._one(found[0]) if len(found) == 1 else summaries._made(found)
        assert made(found) == edge_text(data, attvalues)


@pytest.fixture(scope="module")
def facts(curated_store):
    return load_facts(curated_store)


def written(facts, level: str, path, ahead: bool = False, **given) -> bytes:
    given = {"period": Period(), "weights": DEFAULT_WEIGHTS, "certainty": ANY_CERTAINTY,
             **given}
    whole = lay_out(facts, level, **given)
    if ahead:
        whole.later = LaterEdges.start(whole, KEPT_SHARE_EARLY)
        assert whole.later is not None
    write_gexf(add_whole_centrality(complete(whole)), path)
    return path.getvalue() if isinstance(path, io.BytesIO) else path.read_bytes()


@pytest.mark.parametrize("level", ["country", "agency"])
@pytest.mark.parametrize("ahead", [False, True], ids=["as written", "ahead"])
@pytest.mark.parametrize("case", ["whole", "period", "uneven weights"])
def test_edges_made_in_two_processes_are_the_edges_made_in_one(facts, level, ahead, case,
                                                              tmp_path, monkeypatch):
    given = {"whole": {}, "period": {"period": Period("2015", "2020")},
             "uneven weights": {"weights": WEIGHTS["uneven"]}}[case]
    one = written(facts, level, tmp_path / "one.gexf", **given)
    assert one.count(b"<edge ") > 7
    monkeypatch.setattr(edges_module, "PARALLEL_EDGES", 1)
    monkeypatch.setattr(edges_module, "GEXF_CHUNK", 7)
    assert written(facts, level, tmp_path / "two.gexf", ahead, **given) == one
    assert written(facts, level, io.BytesIO(), ahead, **given) == one  # not a file: copied


def test_the_later_edges_are_made_here_when_the_forked_process_fails(facts, tmp_path,
                                                                     monkeypatch):
    one = written(facts, "agency", tmp_path / "one.gexf")
    forking = os.getpid()
    whole_edges = edges_module.whole_edges

    def failing(whole, ends, start=0, stop=None):
        if os.getpid() != forking:
            raise MemoryError("the forked process fails")
        return whole_edges(whole, ends, start, stop)

    monkeypatch.setattr(edges_module, "PARALLEL_EDGES", 1)
    monkeypatch.setattr(edges_module, "whole_edges", failing)
    for ahead in (False, True):
        assert written(facts, "agency", tmp_path / "two.gexf", ahead) == one


@pytest.mark.parametrize("refused", ["fork", "TemporaryFile"])
def test_the_edges_are_all_made_here_when_no_process_or_file_is_had(facts, refused, tmp_path,
                                                                     monkeypatch):
    one = written(facts, "agency", tmp_path / "one.gexf")

    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(edges_module, "PARALLEL_EDGES", 1)
    monkeypatch.setattr(edges_module.os if refused == "fork" else edges_module.tempfile,
                        refused, refuse)
    whole = lay_out(facts, "agency", Period(), DEFAULT_WEIGHTS, ANY_CERTAINTY)
    assert LaterEdges.start(whole, KEPT_SHARE_EARLY) is None
    assert written(facts, "agency", tmp_path / "two.gexf") == one


def test_the_split_keeps_the_share_of_the_work_asked_for(facts):
    whole = complete(lay_out(facts, "agency", Period(), DEFAULT_WEIGHTS, ANY_CERTAINTY))
    count = len(whole.groups)
    assert 0 < edges_module.even_split(whole, 0.3) < edges_module.even_split(whole, 0.7) < count
    assert edges_module.even_split(whole, 1.0) >= count - 1
    assert edges_module.even_split(whole, 0.0) == 0


def test_the_cli_writes_the_same_gexf_in_two_processes(curated_store_dir, tmp_path,
                                                       monkeypatch):
    runner = CliRunner()
    levels = {level: ["--store", str(curated_store_dir), "network", "--level", level,
                      "--min-confidence", "0.5"] for level in ("country", "agency")}
    one = {level: runner.invoke(cli, [*args, "-f", "gexf"]) for level, args in levels.items()}
    assert all(found.exit_code == 0 for found in one.values())
    monkeypatch.setattr(edges_module, "PARALLEL_EDGES", 1)
    monkeypatch.setattr(edges_module, "GEXF_CHUNK", 5)
    for level, args in levels.items():
        to_file = runner.invoke(cli, [*args, "-o", str(tmp_path / f"{level}.gexf")])
        assert to_file.exit_code == 0, to_file.output
        assert (tmp_path / f"{level}.gexf").read_bytes() == one[level].stdout_bytes
        to_stdout = runner.invoke(cli, [*args, "-f", "gexf"])
        assert to_stdout.exit_code == 0, to_stdout.output
        assert to_stdout.stdout_bytes == one[level].stdout_bytes


def test_the_quick_text_of_every_group_is_the_text_of_its_attributes(facts):
    """Of the curated network's groups (certainty filters only choose the items)."""
    whole = complete(lay_out(facts, "agency", Period(), DEFAULT_WEIGHTS,
                             Certainty(curated_only=True)))
    made = ItemsText(DEFAULT_WEIGHTS)
    attvalues = _Attvalues(GEXF_EDGE_ATTRIBUTES, {})
    for group, (_, _, items) in enumerate(whole.shared):
        text = None if group in whole.own else made(items)
        if text is not None:
            assert text == edge_text(whole.group_data(group), attvalues)
