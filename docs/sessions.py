"""The `$ customs-kg …` sessions of README.md and docs/*.md, run for real by cog.

Every session in the Markdown is the output of a cog block (hidden in HTML comments) that calls
this module::

    <!-- [[[cog w = Workspace() ]]] -->
    <!-- [[[end]]] -->
    <!-- [[[cog w.session("customs-kg load data/", "customs-kg links Vietnam Russia") ]]] -->
    ```console
    $ customs-kg load data/
    …what it printed…
    ```
    <!-- [[[end]]] -->

A :class:`Workspace` is a new temporary folder holding a copy of ``data/`` and of the example
files in ``docs/examples/``, with no store yet; the sessions of one Markdown file share it, in
order, as one analyst's terminal would. Each command runs in bash there (pipes, ``&&``,
``cat`` and ``export`` are real), with the ``customs-kg`` of this virtual environment, and what
it printed (standard output and error, in order) goes under its ``$`` line. A command's exit
status is checked: a session stops the generation when a command fails that was not given as
:func:`fails`, or when anything prints a traceback.

Regenerate every session: ``cog -r -I docs README.md docs/*.md``. ``tests/test_docs.py`` runs
the same with ``--check`` and fails when a document differs from what the commands print now.

What varies from run to run:

- load times: loads run with ``SOURCE_DATE_EPOCH`` set (:data:`SOURCE_DATE_EPOCH`), which
  ``customs-kg load`` records as the load time instead of the clock's;
- durations, the time of a Neo4j sync, the port of the Bolt test server and the workspace's
  own path: a session whose new output differs from the one in the document only there
  (:data:`VARIES`) keeps the document's, which a real run printed too. Anything else that
  differs is written anew, and fails the check.
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The checkout."""
EXAMPLES = ROOT / "docs" / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
"""The development corpus, beside the checkout (not part of it)."""

SOURCE_DATE_EPOCH = "1795593600"
"""2026-11-25T08:00:00Z: the load time the sessions' loads record."""

DOCS_PASSWORD = "customs-kg-docs"
"""The root password of the Bolt test server the Neo4j sessions start (a throwaway server)."""

VARIES = [
    re.compile(r"\(\d+\.\d+ s\)"),  # a sync's duration: "(0.3 s)"
    re.compile(r"extraction \d+\.\d+ s"),  # the extractor's evaluation: "(extraction 0.27 s)"
    re.compile(r"last sync: \S+"),  # when the Neo4j mirror was synced
    re.compile(r"bolt://127\.0\.0\.1:\d+"),  # the test server's port, picked free each run
    re.compile(r"/\S*/customs-kg-docs-[^/\s]+"),  # the workspace's own folder
]
"""What a session's output may differ in from the document's and still be the same."""


@dataclass(frozen=True)
class Fails:
    """A command that is meant to exit with a non-zero status (an error the docs show)."""

    command: str
    status: int = 1


def fails(command: str, status: int = 1) -> Fails:
    """``command``, which the session expects to exit with ``status``."""
    return Fails(command, status)


class SessionError(RuntimeError):
    """A command of a session did not do what the session expects."""


class Workspace:
    """A temporary folder where the sessions of one document run, one after another.

    Args:
        corpus: put the development corpus where a checkout has it (``../shared/corpus``);
            without it at hand, sessions keep what the document shows (see :meth:`session`).
        links: paths of the checkout (``tests/data/articles``) to make visible at the same
            place in the workspace.
        neo4j: start an ArcadeDB Bolt test server (``tests/bolt_test_server.py``) for the
            ``customs-kg neo4j`` sessions; :attr:`neo4j_env` is the line that points at it.
    """

    def __init__(self, *, corpus: bool = False, links: tuple[str, ...] = (),
                 neo4j: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="customs-kg-docs-"))
        self.dir = self.root / "main"
        self.dir.mkdir()
        self._state = self.root / "shell-state"
        shutil.copytree(ROOT / "data", self.dir / "data")
        for example in sorted(EXAMPLES.iterdir()):
            shutil.copy(example, self.dir / example.name)
        for link in links:
            target = self.dir / link
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(ROOT / link, target_is_directory=(ROOT / link).is_dir())
        self.has_corpus = CORPUS.joinpath("articles").is_dir() and CORPUS.joinpath(
            "gold").is_dir()
        if corpus and self.has_corpus:
            (self.root / "shared").mkdir()
            (self.root / "shared" / "corpus").symlink_to(CORPUS, target_is_directory=True)
        self.env = _session_env()
        self._state.write_text("", encoding="utf-8")
        self._server = None
        atexit.register(self.close)
        if neo4j:
            self._start_bolt_server()

    # -- sessions -----------------------------------------------------------------------------

    def session(self, *commands: str | Fails, corpus: bool = False) -> None:
        """Run ``commands`` and write them, each with what it printed, as a console block.

        When the new text differs from the document's (cog's previous output) only in what
        :data:`VARIES`, the document's is kept. With ``corpus=True`` and no development corpus
        beside the checkout, nothing runs and the document's text is kept, with a message.
        """
        import cog  # the module cog provides to the code it runs

        previous = cog.previous
        if corpus and not self.has_corpus:
            cog.msg(f"{cog.inFile}: kept a session that needs {CORPUS} (absent)")
            cog.out(previous)
            return
        lines = ["```console"]
        for command in commands:
            expected = command.status if isinstance(command, Fails) else 0
            text = command.command if isinstance(command, Fails) else command
            lines.append(f"$ {text}")
            lines += self.run(text, expected)
        lines.append("```")
        fresh = "\n".join(lines) + "\n"
        cog.out(previous if _same(previous, fresh) else fresh)

    def run(self, command: str, expected: int = 0) -> list[str]:
        """Run one command line in bash in the workspace; the lines it printed."""
        script = (f"source {shlex.quote(str(self._state))}\n{command}\nstatus=$?\n"
                  f"export -p > {shlex.quote(str(self._state))}\nexit $status\n")
        done = subprocess.run(["bash", "-c", script], cwd=self.dir, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=600)
        output = done.stdout
        if "Traceback (most recent call last)" in output or done.returncode != expected:
            raise SessionError(f"$ {command}\nexited with {done.returncode} "
                               f"(expected {expected}) in {self.dir}:\n{output}")
        return output.splitlines()

    # -- Neo4j ----------------------------------------------------------------------------------

    def _start_bolt_server(self) -> None:
        sys.path.insert(0, str(ROOT / "tests"))
        from bolt_test_server import BoltTestServer

        self._server = BoltTestServer(database="kg", password=DOCS_PASSWORD,
                                      root_dir=self.root / "arcadedb").start()

    @property
    def neo4j_env(self) -> str:
        """``export NEO4J_URI=… …``: the settings of the workspace's Bolt server."""
        if self._server is None:
            raise SessionError("this workspace has no Bolt server: Workspace(neo4j=True)")
        s = self._server
        return (f"export NEO4J_URI={s.uri} NEO4J_USERNAME={s.user} "
                f"NEO4J_PASSWORD={s.password} NEO4J_DATABASE={s.database}")

    # -- the end --------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the Bolt server, if any, and remove the workspace."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _session_env() -> dict[str, str]:
    """The environment of a session: this virtual environment's commands first, load times
    from SOURCE_DATE_EPOCH, no store or Neo4j settings inherited, output not buffered (so
    standard output and error interleave as in a terminal)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CUSTOMS_KG_", "NEO4J_"))}
    bin_dir = str(Path(sys.executable).parent)
    env.update(PATH=bin_dir + os.pathsep + env.get("PATH", ""), SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
               PYTHONUNBUFFERED="1", LC_ALL="C.UTF-8", TZ="UTC")
    return env


def _masked(text: str) -> str:
    for pattern in VARIES:
        text = pattern.sub("…", text)
    return text


def _same(previous: str, fresh: str) -> bool:
    return previous == fresh or (bool(previous) and _masked(previous) == _masked(fresh))
