"""The whole network laid out by numpy (graph/network/layout.py) pairs what the item-by-item
code pairs: at the agency level, each organisation on its country's side, the government
left out where its agencies are, a summary only with its centre."""

from __future__ import annotations

import random

import pytest

from graph.network import Period, load_facts
from graph.network.facts import ItemFacts
from graph.network.layout import _agency_pairs
from graph.network.partners import ANY_CERTAINTY
from graph.network.whole import evidence_order, incidences


@pytest.fixture(scope="module")
def facts(curated_store):
    return load_facts(curated_store)


def test_the_agency_pairs_by_arrays_are_the_pairs_item_by_item(facts):
    rng = random.Random(3)
    orgs = sorted(facts.orgs)
    agencies = [org for org in orgs if facts.orgs[org].kind == "agency"]
    found = evidence_order(facts, Period(), None, ANY_CERTAINTY)
    for k in range(3000):  # governments with their agencies, unions, bodies, summaries
        chosen = rng.sample(orgs, rng.randint(1, 4)) + rng.sample(agencies, rng.randint(0, 3))
        chosen += [facts.top(org) for org in chosen if rng.random() < 0.3]
        found.append(ItemFacts(f"https://w3id.org/customs-kg/id/event/random-{k}",
                               roles=dict.fromkeys(chosen, "participant"),
                               hosts=rng.sample(chosen, 1) if rng.random() < 0.2 else [],
                               count=rng.choice([None, None, None, 4])))
    orgs_, first, second, at = _agency_pairs(facts, found)
    got = list(zip(map(orgs_.__getitem__, first.tolist()),
                   map(orgs_.__getitem__, second.tolist()), at.tolist(), strict=True))
    expected = list(zip(*incidences(facts, "agency", found), strict=True))
    assert len(expected) > 10_000
    assert sorted(got) == sorted(expected)
    assert at.tolist() == sorted(at.tolist())  # item by item
    assert orgs_ == sorted(orgs_)
