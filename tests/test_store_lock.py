"""Two processes never write one store at once: the second gets a clear error. Readers and
writers wait for each other a bounded time ($CUSTOMS_KG_LOCK_WAIT), saying so on stderr."""

import os
import subprocess
import sys
import time

import pytest

from graph.errors import StoreError, StoreLocked
from graph.store import OxigraphStore

TRY_WRITE = """
import sys
from graph.errors import StoreLocked
from graph.store import OxigraphStore
try:
    OxigraphStore(sys.argv[1], writable=sys.argv[2] == "w").close()
except StoreLocked as err:
    print(err)
    sys.exit(3)
print("opened")
"""


def other_process(path, mode, wait="0.3"):
    env = {**os.environ, "CUSTOMS_KG_LOCK_WAIT": wait}
    return subprocess.run([sys.executable, "-c", TRY_WRITE, str(path), mode],
                          capture_output=True, text=True, timeout=60, env=env)


def test_second_writer_is_refused_with_the_holders_pid(tmp_path):
    store = OxigraphStore(tmp_path / "kg", writable=True)
    try:
        result = other_process(tmp_path / "kg", "w")
        assert result.returncode == 3, result.stderr
        assert result.stdout.strip() == f"store {tmp_path / 'kg'} is locked by pid {os.getpid()}"
        reader = other_process(tmp_path / "kg", "r")
        assert reader.returncode == 3
        assert f"locked by pid {os.getpid()}" in reader.stdout
        assert reader.stderr == (f"store {tmp_path / 'kg'} is being written by pid "
                                 f"{os.getpid()}; waiting up to 0.3 s…\n")
    finally:
        store.close()
    assert other_process(tmp_path / "kg", "w").stdout.strip() == "opened"


def test_readers_share_the_store(tmp_path):
    OxigraphStore(tmp_path / "kg", writable=True).close()
    first = OxigraphStore(tmp_path / "kg")
    try:
        assert other_process(tmp_path / "kg", "r").stdout.strip() == "opened"
        os.environ["CUSTOMS_KG_LOCK_WAIT"] = "0.2"
        try:
            with pytest.raises(StoreLocked, match="being read"):
                OxigraphStore(tmp_path / "kg", writable=True)
        finally:
            del os.environ["CUSTOMS_KG_LOCK_WAIT"]
    finally:
        first.close()


def test_reading_a_missing_store_says_how_to_make_one(tmp_path):
    with pytest.raises(StoreError, match="no store at .*customs-kg load"):
        OxigraphStore(tmp_path / "nothing")


def test_a_reader_waits_for_the_writer_to_finish(tmp_path):
    """A reader that opens while a writer works waits for it, then reads."""
    writer = OxigraphStore(tmp_path / "kg", writable=True)
    reader = subprocess.Popen([sys.executable, "-c", TRY_WRITE, str(tmp_path / "kg"), "r"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "CUSTOMS_KG_LOCK_WAIT": "30"})
    try:
        time.sleep(1.5)
        assert reader.poll() is None
    finally:
        writer.close()
    out, err = reader.communicate(timeout=30)
    assert out.strip() == "opened"
    assert err.count("\n") == 1 and "waiting up to 30 s" in err
