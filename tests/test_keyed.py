"""The partner facts' items and the name index's shards kept in SQLite files beside the
caches (graph/store/keyed.py): the files' mappings behave as a dict, a defaultdict and a
list, a command reads only the rows and shards it asks for, and facts read from the file,
patched and written anew are the facts read from the whole store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from curated import DATA, ESTABLISHED, MN, SEED_003
from pyoxigraph import NamedNode

from graph import network as nw
from graph.names import cached_index, index_from_store
from graph.names import shards as sharding
from graph.names.shards import Shards
from graph.network import stored
from graph.network.partners import partners
from graph.store import OxigraphStore
from graph.store import cache as cache_module
from graph.store import keyed as keyed_module
from graph.store.cache import CACHE_DIR, MadeOnDemand
from graph.store.keyed import BlobList, KeyedFile, ListsOnDemand, RowsOnDemand, remove_others
from loaders.load import load_paths, remove_source

NOTE = """\
source: {id: keyed-note, title: A note of one more meeting}
events:
  - {id: keyed-note-meeting, title: Talks of the Vietnamese and Mongolian customs,
     kind: meeting, date: 2021-03-04,
     participants: [Customs General Administration of Mongolia, General Department of
     Vietnam Customs]}
"""


@pytest.fixture
def keyed(tmp_path) -> KeyedFile:
    path = tmp_path / "file.sqlite"
    rows = [(f"item/{n}", (f"item/{n}", n, [f"org/{n % 3}"])) for n in (5, 3, 9, 1, 7)]
    lists = [("org/0", ["item/3", "item/9"]), ("org/1", ["item/1", "item/7"])]
    KeyedFile.write(path, {"items": rows, "lists": lists})
    return KeyedFile.open(path)


def test_rows_on_demand_made_on_demand_behave_as_a_dict_in_the_order_written(keyed):
    plain = MadeOnDemand({k: v for k, v in keyed.rows("items")}, list)
    made = MadeOnDemand(RowsOnDemand(keyed, "items"), list)
    for mapping in (plain, made):
        assert len(mapping) == 5 and "item/9" in mapping and "item/2" not in mapping
        assert mapping["item/3"] == ["item/3", 3, ["org/0"]]
        assert mapping.get("item/2") is None and mapping.get("item/1")[1] == 1
        assert mapping.pop("item/5")[1] == 5 and mapping.pop("item/5", None) is None
        mapping["item/4"] = ["item/4", 4, []]
        with pytest.raises(KeyError):
            mapping["item/2"]  # noqa: B018
    assert dict(made.items()) == dict(plain.items())
    assert list(made) == list(plain)
    assert len(made) == len(plain) == 5


def test_rows_are_read_by_key_and_taken_once(keyed):
    raw = RowsOnDemand(keyed, "items")
    made = MadeOnDemand(raw, list)
    made.prefetch(["item/3", "item/9"])
    made.prefetch(["item/7", "item/2", "item/5"])
    assert list(dict.keys(made)) == ["item/3", "item/9", "item/7", "item/5"]
    assert made["item/9"][1] == 9 and raw.gone == {"item/3", "item/9", "item/7", "item/5"}
    assert len(raw) == 1 and list(raw) == ["item/1"]
    assert [key for key, _ in raw.drain()] == ["item/1"]
    assert len(raw) == 0 and "item/1" not in raw and raw.pop("item/1", None) is None


def test_what_was_read_is_known_so_that_only_changes_are_written(keyed):
    made = MadeOnDemand(RowsOnDemand(keyed, "items"), list)
    made.prefetch(["item/3"])
    made.get("item/9")
    made["item/5"]  # noqa: B018
    assert made.made_from == {key: keyed.get("items", key)
                              for key in ("item/3", "item/9", "item/5")}
    lists = ListsOnDemand(keyed, "lists")
    lists.prefetch(["org/0", "org/1"])
    lists["org/1"].append("item/5")
    lists["org/7"]  # noqa: B018  (an empty list the file has not)
    assert lists.changed() == {"org/1": ["item/1", "item/7", "item/5"]}


def test_lists_on_demand_behave_as_a_defaultdict(keyed):
    lists = ListsOnDemand(keyed, "lists")
    assert lists.get("org/0") == ["item/3", "item/9"] and lists.get("org/9") is None
    assert "org/1" in lists and "org/2" not in lists
    lists["org/1"].remove("item/1")
    lists["org/2"].append("item/5")  # none kept: a new list
    lists.prefetch(["org/0", "org/8"])
    assert lists.everything() == {"org/0": ["item/3", "item/9"], "org/1": ["item/7"],
                                  "org/2": ["item/5"]}
    assert sorted(lists) == ["org/0", "org/1", "org/2"]
    assert keyed.get("lists", "org/1") == ["item/1", "item/7"]  # the file as written


def test_shards_read_from_the_file_a_shard_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(sharding, "KEYS_PER_SHARD", 2)
    plain = {f"k{n}": n for n in range(40)}
    blobs, sizes = Shards.of(plain).dump()
    KeyedFile.write(tmp_path / "s.sqlite", {"blobs": [(f"3:{n}", b) for n, b in enumerate(blobs)]})
    file = KeyedFile.open(tmp_path / "s.sqlite")
    asked = []
    get = file.get
    monkeypatch.setattr(file, "get", lambda table, key: asked.append(key) or get(table, key))
    kept = Shards.load((BlobList(file, "blobs", "3", len(sizes)), sizes))
    assert kept["k5"] == 5 and len(asked) == 1 and len(kept) == 40
    kept["k5"] = 500
    again = Shards.load(kept.dump())
    assert dict(again.items()) == {**plain, "k5": 500}


@pytest.fixture(autouse=True)
def no_grace(monkeypatch):
    """Old copies of a cache's file removed at once (not only those older than a minute)."""
    monkeypatch.setattr(keyed_module, "RECENT_S", -1.0)


def test_a_copy_written_by_another_process_a_moment_ago_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(keyed_module, "RECENT_S", 60.0)
    for name in ("items-old.sqlite", "items-theirs.sqlite", "items-mine.sqlite"):
        (tmp_path / name).write_bytes(b"")
    os.utime(tmp_path / "items-old.sqlite", (0, 0))
    remove_others(tmp_path, "items-*.sqlite", "items-mine.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items-mine.sqlite",
                                                         "items-theirs.sqlite"]


@pytest.fixture
def store_dir(tmp_path) -> Path:
    path = tmp_path / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [DATA / ESTABLISHED])
    finally:
        store.close()
    return path


def same_facts(store: OxigraphStore) -> None:
    kept, read = nw.load_facts(store), nw.read_facts(store)
    for mine, theirs in zip(kept.dump(), read.dump(), strict=True):
        assert sorted(mine, key=repr) == sorted(theirs, key=repr)
    assert {k: sorted(v) for k, v in kept.items_by_org().items() if v} == \
        {k: sorted(v) for k, v in read.items_by_org().items() if v}
    assert {k: sorted(v) for k, v in kept.sub_items().items() if v} == \
        {k: sorted(v) for k, v in read.sub_items().items() if v}


def test_a_question_of_one_organisation_reads_only_its_items(store_dir):
    store = OxigraphStore(store_dir, writable=True)
    try:
        load_paths(store, [DATA / "agreements"])
        nw.load_facts(store)  # built and written
        stored._HANDED.clear()
        facts = nw.load_facts(store)
        assert isinstance(facts.items.raw, RowsOnDemand)
        answers = partners(store, NamedNode(MN), facts=facts)
        assert answers
        assert 0 < dict.__len__(facts.items) < len(facts.items)
        assert not facts.items.raw.drained
    finally:
        store.close()


def test_facts_from_the_file_patched_and_written_anew_are_those_of_the_store(
        store_dir, tmp_path, monkeypatch):
    note = tmp_path / "note.yaml"
    note.write_text(NOTE)
    folder = store_dir / CACHE_DIR
    store = OxigraphStore(store_dir, writable=True)
    try:
        same_facts(store)
        monkeypatch.setattr(cache_module, "MAX_CHANGES", 0)  # every change: a new base
        copies = []
        write_changes = KeyedFile.write_changes
        monkeypatch.setattr(KeyedFile, "write_changes", staticmethod(
            lambda *args: copies.append(args[1]) or write_changes(*args)))
        for step in (lambda: load_paths(store, [note, DATA / SEED_003]),
                     lambda: remove_source(store, str(note)),
                     lambda: load_paths(store, [note])):
            step()
            first = sorted(folder.glob(f"{stored.ITEMS_FILE}-*.sqlite"))
            same_facts(store)  # patched, then written from facts read from the file
            files = sorted(folder.glob(f"{stored.ITEMS_FILE}-*.sqlite"))
            assert len(files) == 1 and files != first
            assert copies and copies[-1] == files[0]  # a copy of the file, changed
            same_facts(store)  # read from the new file
    finally:
        store.close()


def test_a_missing_or_damaged_items_file_is_rebuilt(store_dir):
    folder = store_dir / CACHE_DIR
    store = OxigraphStore(store_dir, writable=True)
    try:
        nw.load_facts(store)
        for damage in (lambda path: path.unlink(), lambda path: path.write_bytes(b"\x00 x")):
            stored._HANDED.clear()
            (path,) = folder.glob(f"{stored.ITEMS_FILE}-*.sqlite")
            damage(path)
            same_facts(store)
    finally:
        store.close()


def test_an_index_read_from_its_shards_file_and_written_anew_is_a_changed_copy(
        store_dir, tmp_path, monkeypatch):
    note = tmp_path / "note.yaml"
    note.write_text(NOTE)
    copies = []
    write_changes = KeyedFile.write_changes
    monkeypatch.setattr(KeyedFile, "write_changes", staticmethod(
        lambda *args: copies.append(args[1]) or write_changes(*args)))
    store = OxigraphStore(store_dir, writable=True)
    try:
        cached_index(store)  # built and written whole
        assert not copies
        for step in (lambda: load_paths(store, [note]), lambda: remove_source(store, str(note)),
                     lambda: load_paths(store, [note, DATA / SEED_003])):
            step()
            cached_index(store)  # patched: the change logged
        patched = cached_index(store)  # replays them, then writes the base anew
        assert copies and copies[-1].name.startswith("shards-of-entity-index-")
        assert sorted((store_dir / CACHE_DIR).glob("shards-of-entity-index-*")) == [copies[-1]]
        built = index_from_store(store)
        assert patched.dump() == built.dump()
        assert cached_index(store).dump() == built.dump()  # read from the copy
    finally:
        store.close()
