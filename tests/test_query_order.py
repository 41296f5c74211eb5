"""The order of answers on a page is the order of all answers described at once: dated
timelines put their candidates in order without reading the items' kinds (the ordering path a
big store takes), and the order keeps its rules (partial dates before the days they contain,
undated last, ties by label then IRI)."""

from __future__ import annotations

import pytest
from curated import RU, SEEDS, VN
from pyoxigraph import NamedNode

from graph.queries.paging import Paging
from graph.queries.relations import links_between, timeline
from graph.store import OxigraphStore
from loaders.load import load_paths

PERIODS = [("2019", "2019-12-31"), ("2010-05", "2019-09-09"), ("2001", "2030"),
           ("2019-09-09", None), (None, "2019-09"), (None, None)]


def _in_order(answers: list[dict]) -> bool:
    """Time order (a partial date before the days it contains), undated last, then label
    and IRI."""
    keys = [(a["date"] is None, a["date"] or "", a["label"], a["iri"]) for a in answers]
    return keys == sorted(keys)


@pytest.mark.parametrize(("since", "until"), PERIODS)
@pytest.mark.parametrize("entities", [[], [RU], [VN]])
def test_page_order_is_the_order_of_all_answers(curated_store, monkeypatch, entities, since,
                                                until):
    nodes = [NamedNode(e) for e in entities]
    whole = timeline(curated_store, nodes, since, until)
    monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)
    ordered_first = timeline(curated_store, nodes, since, until, paging=Paging(1000))
    assert ordered_first == whole and ordered_first.total == len(whole)
    assert _in_order(whole)


EXTRA = """
source: {id: order-test, title: Items to test the order of answers, reliability: medium}
countries: [VN, RU]
agencies:
  - {name: Federal Customs Service of Russia, country: RU, kind: customs}
events:
  - {id: order-undated-b, title: B undated talks, kind: talks, participants: [RU, VN]}
  - {id: order-undated-a, title: A undated talks, kind: talks, participants: [RU, VN]}
  - {id: order-tie-2, title: Same talks, kind: talks, date: "2019-09", participants: [RU, VN]}
  - {id: order-tie-1, title: Same talks, kind: talks, date: "2019-09", participants: [RU, VN]}
  - {id: order-day, title: A day of talks, kind: talks, date: "2019-09-01",
     participants: [RU, VN]}
"""


@pytest.fixture(scope="module")
def order_store(tmp_path_factory):
    """The curated dataset and a file of undated items, partial dates and ties."""
    extra = tmp_path_factory.mktemp("order") / "order-test.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    store = OxigraphStore(None)
    load_paths(store, [*SEEDS, extra])
    return store


@pytest.mark.parametrize(("since", "until"), PERIODS)
def test_ties_partial_dates_and_undated_items(order_store, monkeypatch, since, until):
    whole = timeline(order_store, [NamedNode(RU)], since, until)
    links = links_between(order_store, NamedNode(VN), NamedNode(RU))
    monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)
    assert timeline(order_store, [NamedNode(RU)], since, until, paging=Paging(1000)) == whole
    assert links_between(order_store, NamedNode(VN), NamedNode(RU), paging=Paging(1000)) == links
    assert _in_order(whole) and _in_order(links)
    iris = [a["iri"].rsplit("/", 1)[-1] for a in whole]
    if since is None and until is None:  # undated last, by label
        assert iris[-2:] == ["order-undated-a", "order-undated-b"]
    if "order-tie-1" in iris:  # a tie by IRI; the month before its day
        assert iris.index("order-tie-1") + 1 == iris.index("order-tie-2")
        if "order-day" in iris:
            assert iris.index("order-tie-2") < iris.index("order-day")


def test_links_page_order_is_the_order_of_all_links(curated_store, monkeypatch):
    whole = links_between(curated_store, NamedNode(VN), NamedNode(RU))
    monkeypatch.setattr(Paging, "describes_all", lambda self, found: False)
    assert links_between(curated_store, NamedNode(VN), NamedNode(RU), paging=Paging(1000)) == whole
    assert _in_order(whole)
