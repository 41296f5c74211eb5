"""Inter-process locking of an on-disk store: one writer, or any number of readers."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from graph.errors import StoreLocked

WRITER_LOCK = "writer.lock"
ACCESS_LOCK = "access.lock"


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _holder(root: Path) -> str:
    try:
        pid = (root / WRITER_LOCK).read_text().strip()
    except OSError:
        pid = ""
    return pid or "unknown"


class StoreLock:
    """Hold a store: ``exclusive`` for a writer (its pid is recorded), shared for a reader.

    A writer that finds another writer, or a reader that finds a writer, raises
    ``StoreLocked`` naming the holder's pid.
    """

    def __init__(self, root: Path, *, exclusive: bool) -> None:
        self.root = root
        self._fds: list[int] = []
        if exclusive:
            writer = _open(root / WRITER_LOCK)
            if not self._try(writer, fcntl.LOCK_EX):
                holder = _holder(root)
                os.close(writer)
                raise StoreLocked(f"store {root} is locked by pid {holder}")
            self._fds.append(writer)
            access = _open(root / ACCESS_LOCK)
            if not self._try(access, fcntl.LOCK_EX):
                os.close(access)
                self.release()
                raise StoreLocked(f"store {root} is being read by another process; try again")
            self._fds.append(access)
            os.ftruncate(writer, 0)
            os.pwrite(writer, str(os.getpid()).encode(), 0)
        else:
            access = _open(root / ACCESS_LOCK)
            if not self._try(access, fcntl.LOCK_SH):
                os.close(access)
                raise StoreLocked(f"store {root} is locked by pid {_holder(root)}")
            self._fds.append(access)

    @staticmethod
    def _try(fd: int, mode: int) -> bool:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        for fd in reversed(self._fds):
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        self._fds.clear()
