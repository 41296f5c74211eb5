"""The name index's mappings kept in shards (graph/names/shards.py) behave as a dict and a set,
read only the shards asked for, and write back the others as they were read."""

from __future__ import annotations

import marshal

from graph.names import shards as sharding
from graph.names.shards import ShardedSet, Shards


def test_shards_behave_as_a_dict_in_key_order(monkeypatch):
    monkeypatch.setattr(sharding, "KEYS_PER_SHARD", 3)
    plain = {f"name {n}": [f"iri/{n}", f"iri/{n + 1}"] for n in range(50)}
    kept = Shards.load(marshal.loads(marshal.dumps(Shards.of(plain).dump())))
    assert len(kept) == 50 and kept["name 7"] == ["iri/7", "iri/8"]
    assert "name 49" in kept and "name 50" not in kept and kept.get("nobody") is None
    kept["name 50"] = ["iri/50"]
    kept.setdefault("name 7", []).append("iri/99")
    del kept["name 0"]
    assert kept.pop("name 1") == ["iri/1", "iri/2"]
    plain.update({"name 50": ["iri/50"]})
    plain["name 7"] = ["iri/7", "iri/8", "iri/99"]
    del plain["name 0"], plain["name 1"]
    assert len(kept) == len(plain)
    assert list(kept) == sorted(plain)
    assert dict(kept.items()) == plain
    again = Shards.load(marshal.loads(marshal.dumps(kept.dump())))
    assert dict(again.items()) == plain


def test_only_the_shards_asked_for_are_read_and_the_others_written_as_read(monkeypatch):
    monkeypatch.setattr(sharding, "KEYS_PER_SHARD", 2)
    blobs, sizes = Shards.of({f"k{n}": n for n in range(40)}).dump()
    kept = Shards.load((blobs, sizes))
    assert kept["k5"] == 5
    assert len(kept._open) == 1  # one shard read
    kept["k5"] = 500
    written, _ = kept.dump()
    opened = next(iter(kept._open))
    assert [w for i, w in enumerate(written) if i != opened] == \
        [b for i, b in enumerate(blobs) if i != opened]
    assert marshal.loads(written[opened])["k5"] == 500


def test_a_sharded_set_is_a_set():
    members = ShardedSet.of(["event/a", "event/b", "event/c"])
    members.add("event/d")
    members.discard("event/a")
    members -= {"event/b", "event/x"}
    members.update(["event/e"])
    assert "event/c" in members and "event/a" not in members
    assert members == {"event/c", "event/d", "event/e"}
    assert list(members) == ["event/c", "event/d", "event/e"] and len(members) == 3
