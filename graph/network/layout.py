"""The whole partner network laid out by numpy (``project_whole``'s ``lay_out`` and
``complete``): at the agency level of a 10M-triple store, 700,000 items give 1.6M pairs of
organisation and item, which are made, sorted, grouped by the items they rest on and
numbered in networkx's order as arrays, and the nodes' attributes aggregated over them; only
what must be Python (the items, the organisations' names) is.
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from graph.network.facts import BASIS_RANK, Facts, ItemFacts
from graph.network.partners import Certainty, PartnerWeights, Period, pairs
from graph.network.whole import (
    Summaries,
    WholeNetwork,
    _graph_attributes,
    evidence_order,
    incidences,
    node_attributes,
)

if TYPE_CHECKING:
    import numpy as np


def lay_out(facts: Facts, level: str, period: Period, weights: PartnerWeights,
            certainty: Certainty) -> WholeNetwork:
    """``project_whole``'s nodes and edges, in order, the edges in their groups: all the GEXF
    writer needs of the edges. ``complete`` then adds the rest."""
    import numpy as np

    found = evidence_order(facts, period, None, certainty)
    orgs, first_rank, second_rank, item_at = _numbered_pairs(facts, level, found)
    summaries = Summaries(facts, weights)
    size, count = len(orgs), len(item_at)
    # Each pair as a number, in the order of its sorted IRIs; its items in ``found``'s order.
    key = first_rank * size + second_rank
    del first_rank, second_rank
    order = np.argsort(key, kind="stable")
    key, item_at = key[order], item_at[order]
    del order
    begin = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    first_rank, second_rank = key[begin] // size, key[begin] % size
    many = np.diff(np.append(begin, count))
    del key
    # The pairs resting on the same items in one group, but a pair of a special end whose
    # items may list ``body`` or ``through`` in a group of its own.
    special = {org for org in orgs if any(summaries.kind(org))}
    plain_item = np.fromiter(map(summaries.unionish.isdisjoint, (i.roles for i in found)),
                             bool, len(found))
    special_rank = np.fromiter((k for k, org in enumerate(orgs) if org in special), np.int64)
    own_pair = (np.isin(first_rank, special_rank) | np.isin(second_rank, special_rank)) & \
        ~np.logical_and.reduceat(plain_item[item_at], begin) if len(begin) else \
        np.zeros(0, dtype=bool)
    groups_added = np.empty(len(begin), dtype=np.int64)
    # Pairs of one item: a group per item (numbered first).
    one = (many == 1) & ~own_pair
    single_items, first_pair, inverse = np.unique(item_at[begin[one]], return_index=True,
                                                  return_inverse=True)
    groups_added[one] = inverse.ravel()
    at_one = np.flatnonzero(one)[first_pair]
    shared: list[tuple[str, str, list[ItemFacts]]] = [
        (orgs[a], orgs[b], [found[i]]) for a, b, i in zip(
            first_rank[at_one].tolist(), second_rank[at_one].tolist(), single_items.tolist(),
            strict=True)]
    del single_items, first_pair, inverse, at_one
    # Pairs of more items, and those of their own: by Python.
    group_of: dict[tuple[int, ...], int] = {}
    own: set[int] = set()
    items_of = item_at.tolist()
    rest = np.flatnonzero(~one)
    for k, start, length, alone in zip(rest.tolist(), begin[rest].tolist(),
                                       many[rest].tolist(), own_pair[rest].tolist(),
                                       strict=True):
        chosen = tuple(items_of[start:start + length])
        group = None if alone else group_of.get(chosen)
        if group is None:
            group = len(shared)
            if alone:
                own.add(group)
            else:
                group_of[chosen] = group
            shared.append((orgs[first_rank[k]], orgs[second_rank[k]],
                           [found[i] for i in chosen]))
        groups_added[k] = group
    del group_of, items_of, rest
    # networkx numbers the nodes as the pairs (in order) first name them, keeps each node's
    # neighbours in the order its edges were added, and lists an edge at the end it
    # numbered first, edges of one end in the order they were added.
    named = np.empty(2 * len(begin), dtype=np.int64)
    named[0::2], named[1::2] = first_rank, second_rank
    seen, first_seen = np.unique(named, return_index=True)
    by_place = seen[np.argsort(first_seen)]
    place = np.empty(size, dtype=np.int64)
    place[by_place] = np.arange(len(by_place))
    nodes = [orgs[k] for k in by_place.tolist()]
    first, second = place[first_rank], place[second_rank]
    low, high = np.minimum(first, second), np.maximum(first, second)
    listed = np.argsort(low, kind="stable")
    ends = list(zip(low[listed].tolist(), high[listed].tolist(), strict=True))
    whole = WholeNetwork(_graph_attributes(level, period, weights, certainty), nodes, ends,
                         groups_added[listed].tolist(), shared, summaries, special, own)
    whole.incidence = (first, second, groups_added)
    return whole


def _numbered_pairs(facts: Facts, level: str, found: list[ItemFacts]
                    ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of ``incidences``: the organisations they name (sorted), and for each pair
    and item its first and second organisation (by place in that list) and the item's place
    in ``found``, in the order of the items."""
    import numpy as np

    if level == "agency":
        return _agency_pairs(facts, found)
    firsts, seconds, at = incidences(facts, level, found)
    orgs = sorted(set(firsts).union(seconds))
    number = dict(zip(orgs, range(len(orgs)), strict=True))
    return (orgs, np.fromiter(map(number.__getitem__, firsts), np.int64, len(at)),
            np.fromiter(map(number.__getitem__, seconds), np.int64, len(at)),
            np.asarray(at, dtype=np.int64))


def _agency_pairs(facts: Facts, found: list[ItemFacts]
                  ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """``_numbered_pairs`` at the agency level, by arrays: each organisation of an item on its
    country's side (``Facts.top``), the government left out of a side where its agencies
    are, every two of different sides a pair. A summary's pairs (only those with its centre)
    are ``pairs``'s."""
    import numpy as np

    summary = [k for k, item in enumerate(found) if item.count is not None]
    listed = [k for k, item in enumerate(found) if item.count is None]
    roles = [found[k].roles for k in listed]
    flat = list(chain.from_iterable(roles))
    told = [(a, b, k) for k in summary for a, b in pairs(facts, found[k], "agency")]
    orgs = sorted(set(flat).union(map(itemgetter(0), told), map(itemgetter(1), told)))
    number = dict(zip(orgs, range(len(orgs)), strict=True))
    tops, top = facts._tops, facts.top
    sides = [tops.get(org) or top(org) for org in orgs]
    side_number = {side: k for k, side in enumerate(dict.fromkeys(sides))}
    side_of = np.fromiter(map(side_number.__getitem__, sides), np.int64, len(orgs))
    government = np.fromiter((number.get(side, -1) for side in sides), np.int64, len(orgs)) \
        == np.arange(len(orgs))
    org = np.fromiter(map(number.__getitem__, flat), np.int64, len(flat))
    item = np.repeat(np.asarray(listed, dtype=np.int64),
                     np.fromiter(map(len, roles), np.int64, len(roles)))
    del flat, roles
    side = side_of[org]
    # The government of a side with more than itself in an item is left out.
    _, where, together = np.unique(item * len(side_number) + side, return_inverse=True,
                                   return_counts=True)
    kept = ~(government[org] & (together[where.ravel()] > 1))
    org, item, side = org[kept], item[kept], side[kept]
    # Every two organisations of an item, of different sides: items of n organisations at a
    # time (the pairs of n places at once).
    begin = np.flatnonzero(np.concatenate(([True], item[1:] != item[:-1]))) if len(item) \
        else np.zeros(0, dtype=np.int64)
    length = np.diff(np.append(begin, len(item)))
    ones, twos = [], []
    for n in np.unique(length[length > 1]).tolist():
        i, j = np.triu_indices(n, 1)
        starts = begin[length == n][:, None]
        ones.append((starts + i).ravel())
        twos.append((starts + j).ravel())
    one = np.concatenate(ones) if ones else np.zeros(0, dtype=np.int64)
    two = np.concatenate(twos) if twos else np.zeros(0, dtype=np.int64)
    apart = side[one] != side[two]
    one, two = one[apart], two[apart]
    a, b = org[one], org[two]
    first = np.concatenate((np.minimum(a, b), np.fromiter(
        (number[x] for x, _, _ in told), np.int64, len(told))))
    second = np.concatenate((np.maximum(a, b), np.fromiter(
        (number[y] for _, y, _ in told), np.int64, len(told))))
    at = np.concatenate((item[one], np.fromiter((k for _, _, k in told), np.int64, len(told))))
    order = np.argsort(at, kind="stable")  # item by item
    return orgs, first[order], second[order], at[order]


def complete(whole: WholeNetwork) -> WholeNetwork:
    """``whole`` from ``lay_out`` with its nodes' attributes (degree and weighted degree as
    networkx counts them), its edges' weights, and its nodes' first days."""
    import numpy as np

    first, second, added = whole.incidence
    light = list(map(whole.summaries.light, map(itemgetter(2), whole.shared)))
    weight_of, first_of, last_of, basis_of, day_of = (
        list(map(itemgetter(k), light)) for k in range(5))
    del light
    # Each node's edges' values, in the order networkx adds them to the node: each edge to
    # its first end, then its second, edge after edge (a sum of floats depends on it).
    node_at = np.empty(2 * len(added), dtype=np.int64)
    node_at[0::2], node_at[1::2] = first, second
    group_at = np.repeat(added, 2)
    count = len(whole.nodes)
    degree = np.bincount(node_at, minlength=count).tolist()
    whole_weights = all(type(w) is int for w in weight_of)
    weighed = np.zeros(count, dtype=np.int64 if whole_weights else np.float64)
    np.add.at(weighed, node_at, np.asarray(weight_of, dtype=weighed.dtype)[group_at])
    years = _least(first_of, node_at, group_at, count, np.minimum)
    lasts = _least(last_of, node_at, group_at, count, np.maximum)
    bases = {rank: basis for basis, rank in BASIS_RANK.items()}
    rank = _least([BASIS_RANK[b] for b in basis_of], node_at, group_at, count, np.minimum)
    days = _least(day_of, node_at, group_at, count, np.minimum)
    facts = whole.summaries.facts
    found = []
    for node, degree_, weight, year, last, basis in zip(
            whole.nodes, degree, weighed.tolist(), years, lasts, rank, strict=True):
        data = node_attributes(facts, node, year, last, bases[basis])
        data["degree"], data["weighted_degree"] = degree_, weight
        found.append(data)
    whole.node_data, whole.starts, whole.incidence = found, days, None
    whole.weights = list(map(weight_of.__getitem__, whole.groups))
    return whole


def _least(values: list[Any], node_at: Any, group_at: Any, count: int, pick: Any) -> list[Any]:
    """Each node's least (``np.minimum``) or greatest (``np.maximum``) of its edges' groups'
    ``values`` (None where none is given): the values are ranked, and the ranks compared."""
    import numpy as np

    given = sorted({v for v in values if v is not None})
    if not given:
        return [None] * count
    number = {v: k for k, v in enumerate(given)}
    none = len(given) if pick is np.minimum else -1
    ranks = np.fromiter((none if v is None else number[v] for v in values), np.int64,
                        len(values))
    found = np.full(count, none, dtype=np.int64)
    pick.at(found, node_at, ranks[group_at])
    return [None if k == none else given[k] for k in found.tolist()]
