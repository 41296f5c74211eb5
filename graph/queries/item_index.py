"""Which agreements and events name which entities, and which date values they hold, kept
beside an on-disk store (``STORE/cache/item-index-*.marshal``): a hub's links and timeline
find their items by looking the hub's agencies up here instead of joining hundreds of
thousands of rows in SPARQL (RU and CN at 10M triples: 208k and 120k items).

Per loaded file's graph, each posting list (item numbers, an ``array('i')`` as bytes) under
its key: ``roles`` the entity an item names as party, implementer or participant, ``hosts``
its organizer, ``starts`` and ``ends`` the values (lexical form, datatype) of its start and end
dates (``graph.queries.period.STARTS``, ``ENDS``); and the organisations ``under`` each
organisation or country (``org:subOrganizationOf``, ``ckg:country``) and the ``bodies`` of
each union (executive or collective), so that a hub's thousands of agencies are found here
too. Items and organisations are numbered once for all graphs. The index answers exactly what
the SPARQL patterns it stands for answer (any subject with an IRI, in any graph):
tests/test_item_index.py. It is ``graph.store.cache.maintained``: after a load or a removal
only the graphs added are read and the graphs removed dropped. Building it reads the whole
store once (about 2.5 minutes at 10M triples on 2 busy cores); it is built for the first hub
question (``graph.queries.relations.INDEXED_FROM``), never for smaller ones.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from pyoxigraph import Literal, NamedNode

from graph.queries import values_clause
from graph.queries.period import ENDS, STARTS, listed_values
from graph.store import GraphStore
from graph.store.cache import cache_folder, loaded_state, maintained

NAME = "item-index"
VERSION = 3
ROLES = "ckg:party|ckg:implementedBy|ckg:participant"
UNDER = "org:subOrganizationOf|ckg:country"
BODIES = "ckg:executiveBodyOf|ckg:collectiveBodyOf"
KINDS = {"roles": ROLES, "hosts": "schema:organizer", "starts": STARTS, "ends": ENDS,
         "under": UNDER, "bodies": BODIES}
"""What each kind of posting list is kept for: its property path."""
_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GRAPHS_AT_ONCE = 200

ROWS_QUERY = "SELECT ?g ?item ?o WHERE { #GRAPHS GRAPH ?g { ?item #PATH ?o } }"
# #GRAPHS: a VALUES block of the graphs to read (first, so each graph is looked up), or none.

Key = Any  # a node's IRI (roles, hosts) or a date's (lexical form, datatype)


def _key(kind: str, term: Any) -> Key | None:
    """What a row's object is kept under: an IRI for roles and the other links between
    entities (others never match one); for dates a literal's lexical form and datatype (or
    language, "@en"), or an IRI's text (STR() of a blank node fails: none)."""
    if kind not in ("starts", "ends"):
        return term.value if isinstance(term, NamedNode) else None
    if isinstance(term, Literal):
        return (term.value, f"@{term.language}" if term.language else term.datatype.value)
    return (term.value, "") if isinstance(term, NamedNode) else None  # STR(): the IRI's text


class ItemIndex:
    """The items numbered (``iri``, ``number``), and each graph's posting lists by kind."""

    def __init__(self, iris_text: str, offsets: bytes, extra: list[str],
                 graphs: dict[str, dict[str, dict[Key, bytes]]]) -> None:
        self._text, self._offsets = iris_text, array("q")
        self._offsets.frombytes(offsets)
        self._base = len(self._offsets) - 1
        self.extra = list(extra)  # items numbered since the base was written
        self.graphs = graphs
        self._numbers: dict[str, int] | None = None
        self._parents: dict[str, set[str]] | None = None

    @classmethod
    def empty(cls) -> ItemIndex:
        return cls("", array("q", [0]).tobytes(), [], {})

    def __len__(self) -> int:
        return self._base + len(self.extra)

    def iri(self, number: int) -> str:
        if number >= self._base:
            return self.extra[number - self._base]
        return self._text[self._offsets[number]:self._offsets[number + 1]]

    def number(self, iri: str) -> int:
        """The item's number, a new one for an item not seen before."""
        if self._numbers is None:
            self._numbers = {self.iri(n): n for n in range(len(self))}
        found = self._numbers.get(iri)
        if found is None:
            found = self._numbers[iri] = len(self)
            self.extra.append(iri)
        return found

    # -- reading ----------------------------------------------------------------------------
    def postings(self, kind: str, keys: Iterable[Key]) -> dict[Key, array]:
        """Each of ``keys`` that some graph holds, with its items (in every graph)."""
        wanted = set(keys)
        found: dict[Key, array] = {}
        for lists in self.graphs.values():
            held = lists.get(kind, {})
            common = (wanted & held.keys()) if len(held) > len(wanted) else \
                [k for k in held if k in wanted]
            for key in common:
                numbers = found.setdefault(key, array("i"))
                numbers.frombytes(held[key])
        return found

    def items_of(self, kinds: tuple[str, ...], keys: Iterable[Key]) -> set[int]:
        """The items that hold one of ``keys`` under one of ``kinds``."""
        keys = list(keys)
        found: set[int] = set()
        for kind in kinds:
            for numbers in self.postings(kind, keys).values():
                found.update(numbers)
        return found

    def dated_in(self, low: str | None, high: str | None) -> set[int]:
        """The items ``graph.queries.period.candidates_pattern(low, high)`` finds: a start
        date among the period's listed values (or, for a long or open period, whose text is
        at most its end and, with a "~", at least its start), or an end date at least its
        start."""
        listed = listed_values(low, high) if low and high else None
        if listed is not None:
            values = {(v.value, v.datatype.value) for v in listed}

            def start(key: Key) -> bool:
                return key in values
        else:
            def start(key: Key) -> bool:
                return (high is None or key[0] <= high) and (low is None or key[0] + "~" >= low)
        found = self._matching("starts", start)
        if low is not None:
            found |= self._matching("ends", lambda key: key[0] + "~" >= low)
        return found

    def below(self, entity: str, kinds: tuple[str, ...] = ("under",)) -> set[str]:
        """What stands under ``entity`` by one or more links of ``kinds``, as the SPARQL path
        ``?node (…)+ ?entity`` finds it (the entity itself only through a cycle)."""
        found: set[str] = set()
        frontier = [entity]
        while frontier:
            reached = {self.iri(n) for n in self.items_of(kinds, frontier)}
            frontier = list(reached - found)
            found |= reached
        return found

    def parents(self, node: str) -> set[str]:
        """What ``node`` stands directly under (``org:subOrganizationOf``, ``ckg:country``)."""
        if self._parents is None:
            self._parents = {}
            for lists in self.graphs.values():
                for parent, numbers in lists.get("under", {}).items():
                    for number in array("i", numbers):
                        self._parents.setdefault(self.iri(number), set()).add(parent)
        return self._parents.get(node, set())

    def _matching(self, kind: str, test: Callable[[Key], bool]) -> set[int]:
        found: set[int] = set()
        for lists in self.graphs.values():
            for key, numbers in lists.get(kind, {}).items():
                if test(key):
                    found.update(array("i", numbers))
        return found

    # -- keeping ----------------------------------------------------------------------------
    def read_graphs(self, store: GraphStore, graphs: list[str] | None) -> dict[str, dict]:
        """The posting lists of ``graphs`` (all graphs: None), read from the store; the items
        they name are numbered."""
        read: dict[str, dict[str, dict[Key, array]]] = {}
        batches = [None] if graphs is None else [graphs[i:i + _GRAPHS_AT_ONCE]
                                                 for i in range(0, len(graphs),
                                                                _GRAPHS_AT_ONCE)]
        for batch in batches:
            block = "" if batch is None else values_clause("g", map(NamedNode, batch))
            for kind, path in KINDS.items():
                query = ROWS_QUERY.replace("#GRAPHS", block).replace("#PATH", path)
                for g, item, o in store.select_rows(query):
                    if not isinstance(item, NamedNode) or not isinstance(g, NamedNode):
                        continue
                    key = _key(kind, o)
                    if key is None:
                        continue
                    lists = read.setdefault(g.value, {}).setdefault(kind, {})
                    lists.setdefault(key, array("i")).append(self.number(item.value))
        return {g: {kind: {key: numbers.tobytes() for key, numbers in lists.items()}
                    for kind, lists in kinds.items()} for g, kinds in read.items()}

    def replay(self, change: tuple) -> None:
        extra, added, removed = change
        self.extra = list(extra)
        self._numbers, self._parents = None, None
        for g in removed:
            self.graphs.pop(g, None)
        self.graphs.update(added)

    def dump(self) -> tuple:
        iris = [self.iri(n) for n in range(len(self))]
        offsets = array("q", [0])
        offsets.extend(accumulate(len(iri) for iri in iris))
        return "".join(iris), offsets.tobytes(), self.graphs

    @classmethod
    def load(cls, data: tuple) -> ItemIndex:
        text, offsets, graphs = data
        return cls(text, offsets, [], graphs)


def build_item_index(store: GraphStore) -> ItemIndex:
    """The index of every graph, read from the store."""
    index = ItemIndex.empty()
    index.graphs = index.read_graphs(store, None)
    return index


def patch_item_index(store: GraphStore, index: ItemIndex, added: list[tuple[str, str, str]],
                     removed: list[tuple[str, str, str]]) -> tuple:
    """Up to date after files were ``added`` and ``removed`` (graph, hash, load time): the
    graphs removed dropped, the graphs added read. The change made, for the log."""
    graphs = index.read_graphs(store, sorted(g for g, _, _ in added))
    change = (list(index.extra), graphs, sorted(g for g, _, _ in removed))
    index.replay(change)
    return change


_KEPT: dict[str, tuple[Any, ItemIndex]] = {}
"""The index last read (by the store's location), with what was loaded then (each file's
graph, hash and load time): a process asking many questions reads the file once."""


def kept_index(store: GraphStore) -> ItemIndex | None:
    """The index this process has read already, when it is up to date (reads no file)."""
    if cache_folder(store) is None or getattr(store, "_hidden", None):
        return None
    known = _KEPT.get(store.location)
    return known[1] if known is not None and known[0] == loaded_state(store) else None


def item_index(store: GraphStore) -> ItemIndex | None:
    """The index, up to date (patched, or built anew, as needed); None for a store that is not
    on disk, or that hides graphs a crashed write left (``graph.store.journal``)."""
    if cache_folder(store) is None or getattr(store, "_hidden", None):
        return None
    state = loaded_state(store)
    known = _KEPT.get(store.location)
    if known is not None and known[0] == state:
        return known[1]
    index = maintained(store, NAME, VERSION, lambda: build_item_index(store),
                       lambda data, added, removed: patch_item_index(store, data, added,
                                                                     removed),
                       ItemIndex.replay, ItemIndex.dump, ItemIndex.load)
    _KEPT.clear()
    _KEPT[store.location] = (state, index)
    return index
