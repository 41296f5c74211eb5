"""Writing an answer to a file or to standard output, as bytes. A file is written whole or
not at all: beside its place under a temporary name, then renamed over it, so that an export
interrupted or failed halfway (Ctrl-C, a full disk) leaves no truncated file that looks done,
and an older file of that name as it was."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from graph.errors import OutputError

Writer = Callable[[IO[bytes]], None]


def write_output(content: str | bytes | Writer, output: Path | None) -> None:
    """Text, bytes or what a writer function writes, to ``output`` or standard output; a file
    that cannot be written raises ``OutputError`` naming it."""
    write: Writer = content if callable(content) else (lambda file: file.write(
        content.encode() if isinstance(content, str) else content))
    if output is None:
        sys.stdout.flush()
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        mode = replaced_mode(output)
        if mode is None:  # a device, a pipe, a link: written to as it is
            with output.open("wb") as file:
                write(file)
        else:
            _write_whole(write, output, mode)
    except OSError as err:
        raise OutputError(f"{output}: cannot write: {err.strerror}") from err


def replaced_mode(path: Path) -> int | None:
    """The permissions a file written whole at ``path`` takes: the file's own if it is a
    regular one, else those a new file gets; None for a path that is not to be replaced (a
    symbolic link, a device such as ``/dev/null``, a named pipe)."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    if stat.S_ISREG(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    return None


def _write_whole(write: Writer, output: Path, mode: int) -> None:
    """``write`` into a temporary file beside ``output``, renamed over it once written."""
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part",
                                         dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.chmod(temporary, mode)
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
