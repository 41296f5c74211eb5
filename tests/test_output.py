"""An answer written to a file is written whole or not at all (graph/output.py): an export
that fails or is interrupted halfway leaves no truncated file and an older file as it was;
devices and links are written through, never replaced."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from graph.errors import OutputError
from graph.output import replaced_mode, write_output


def halfway(error: BaseException):
    def write(file) -> None:
        file.write(b"<gexf>half of it")
        raise error
    return write


@pytest.mark.parametrize("error", [KeyboardInterrupt(), OSError(28, "No space left on device")],
                         ids=["interrupted", "disk full"])
def test_a_write_stopped_halfway_leaves_the_old_file_as_it_was(tmp_path, error):
    target = tmp_path / "network.gexf"
    target.write_bytes(b"the old network")
    expected = OutputError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as raised:
        write_output(halfway(error), target)
    if expected is OutputError:
        assert str(raised.value) == f"{target}: cannot write: No space left on device"
    assert target.read_bytes() == b"the old network"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network.gexf"]  # nothing beside


def test_a_write_stopped_halfway_leaves_no_new_file(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        write_output(halfway(KeyboardInterrupt()), tmp_path / "new.gexf")
    assert list(tmp_path.iterdir()) == []


def test_a_file_written_again_keeps_its_permissions(tmp_path):
    target = tmp_path / "answers.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_output("new", target)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_takes_the_permissions_the_umask_leaves(tmp_path):
    umask = os.umask(0o027)
    try:
        write_output(b"x", tmp_path / "new.ttl")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o640


def test_devices_pipes_and_links_are_written_through(tmp_path):
    assert replaced_mode(Path(os.devnull)) is None
    write_output("nothing", Path(os.devnull))
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    os.mkfifo(tmp_path / "pipe")
    assert replaced_mode(tmp_path / "pipe") is None
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output("new", link)
    assert link.is_symlink() and real.read_text() == "new"


def test_a_missing_folder_is_one_error_naming_the_file(tmp_path):
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(OutputError, match="out.json: cannot write: No such file or directory"):
        write_output("x", target)
