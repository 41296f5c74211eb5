"""Inter-process locking of an on-disk store: one writer, or any number of readers.

A reader that finds a writer at work, or a writer that finds readers, waits for them a bounded
time (``$CUSTOMS_KG_LOCK_WAIT`` seconds, default 120), saying so once on standard error, then
gives up with ``StoreLocked``. A second writer is refused at once. On a store that cannot be
written (a read-only filesystem, a folder without write permission) readers open the lock file
read-only, or go without it when it does not exist: nobody can write such a store.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from pathlib import Path

from graph.errors import StoreLocked

WRITER_LOCK = "writer.lock"
ACCESS_LOCK = "access.lock"
WAIT_ENV = "CUSTOMS_KG_LOCK_WAIT"
DEFAULT_WAIT = 120.0
READ_ONLY_ERRORS = (errno.EROFS, errno.EACCES, errno.EPERM)


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)


def _open_for_reading(path: Path) -> int | None:
    """The lock file for a reader; read-only where it cannot be written, None where it does
    not exist and cannot be made (a store nobody can write)."""
    try:
        return _open(path)
    except OSError as err:
        if err.errno not in READ_ONLY_ERRORS:
            raise
    try:
        return os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None


def _holder(root: Path) -> str:
    try:
        pid = (root / WRITER_LOCK).read_text().strip()
    except OSError:
        pid = ""
    return pid or "unknown"


def lock_wait() -> float:
    """How long to wait for another process's hold on a store, in seconds."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


class StoreLock:
    """Hold a store: ``exclusive`` for a writer (its pid is recorded), shared for a reader.

    A writer that finds another writer raises ``StoreLocked`` naming the holder's pid; a reader
    that finds a writer, or a writer that finds readers, waits up to ``lock_wait()`` seconds
    first. ``read_only`` is True when the lock file could only be opened for reading.
    """

    def __init__(self, root: Path, *, exclusive: bool) -> None:
        self.root = root
        self._fds: list[int] = []
        self.read_only = False
        if exclusive:
            writer = _open(root / WRITER_LOCK)
            if not self._try(writer, fcntl.LOCK_EX):
                holder = _holder(root)
                os.close(writer)
                raise StoreLocked(f"store {root} is locked by pid {holder}")
            self._fds.append(writer)
            access = _open(root / ACCESS_LOCK)
            if not self._wait(access, fcntl.LOCK_EX, "being read by another process"):
                os.close(access)
                self.release()
                raise StoreLocked(f"store {root} is being read by another process; try again")
            self._fds.append(access)
            os.ftruncate(writer, 0)
            os.pwrite(writer, str(os.getpid()).encode(), 0)
        else:
            access = _open_for_reading(root / ACCESS_LOCK)
            if access is None:
                self.read_only = True
                return
            try:
                os.fstat(access)
                self.read_only = not os.access(root, os.W_OK) or _is_read_only(access)
            except OSError:
                pass
            if not self._wait(access, fcntl.LOCK_SH, "being written"):
                os.close(access)
                raise StoreLocked(f"store {root} is locked by pid {_holder(root)}")
            self._fds.append(access)

    def _wait(self, fd: int, mode: int, what: str) -> bool:
        if self._try(fd, mode):
            return True
        limit = lock_wait()
        if limit <= 0:
            return False
        holder = f" by pid {_holder(self.root)}" if what == "being written" else ""
        sys.stderr.write(f"store {self.root} is {what}{holder}; waiting up to {limit:g} s…\n")
        sys.stderr.flush()
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if self._try(fd, mode):
                return True
        return False

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


def _is_read_only(fd: int) -> bool:
    return (fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE) == os.O_RDONLY
