"""Writing an answer to a file or to standard output, as bytes."""

from __future__ import annotations

import sys
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
        with output.open("wb") as file:
            write(file)
    except OSError as err:
        raise OutputError(f"{output}: cannot write: {err.strerror}") from err
