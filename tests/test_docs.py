"""The documents' `$ customs-kg …` sessions are what the commands print now.

Each session in README.md and docs/*.md is written by cog from a real run (``docs/sessions.py``);
these tests run cog in check mode over each document and fail when one differs. Regenerate with
``cog -r -I docs README.md docs/*.md`` and read the diff before committing it.

The documents are checked at the same time, each by its own ``cog --check`` process (started
when the first of these tests runs): the Neo4j page waits seconds for its Bolt server while the
README's commands run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from curated import ROOT
from needs import require_corpus

REGENERATE = "cog -r -I docs README.md docs/*.md"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
WITH_SESSIONS = [d for d in DOCUMENTS if "[[[cog" in d.read_text(encoding="utf-8")]


def _name(document: Path) -> str:
    return str(document.relative_to(ROOT))


def test_every_session_in_the_docs_is_generated():
    """No hand-written `$ customs-kg` line outside a cog block."""
    loose = []
    for document in DOCUMENTS:
        inside = False
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            if "[[[cog" in line:
                inside = True
            elif "[[[end]]]" in line:
                inside = False
            elif line.lstrip().startswith("$ customs-kg") and not inside:
                loose.append(f"{_name(document)}:{number}: {line}")
    assert not loose, "sessions not written by cog:\n" + "\n".join(loose)


@pytest.fixture(scope="module")
def cog_checks() -> dict[Path, subprocess.Popen[str]]:
    """One running ``cog --check`` per document with sessions."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    started = {
        document: subprocess.Popen(
            [sys.executable, "-m", "cogapp", "--check", "--diff", "-I", "docs",
             "--check-fail-msg", f"run '{REGENERATE}'", _name(document)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for document in WITH_SESSIONS
    }
    yield started
    for process in started.values():  # those no test waited for (a -x stop, a deselection)
        if process.poll() is None:
            process.kill()
        if process.stdout is not None and not process.stdout.closed:
            process.stdout.close()
        process.wait()


@pytest.mark.parametrize("document", WITH_SESSIONS, ids=_name)
def test_sessions_are_what_the_commands_print(document: Path, cog_checks):
    output, _ = cog_checks[document].communicate(timeout=900)
    assert cog_checks[document].returncode == 0, (
        f"{_name(document)} differs from what its commands print now: run '{REGENERATE}' "
        f"and read the diff.\n{output}")
    if "corpus=True" in document.read_text(encoding="utf-8"):
        # Without the corpus its sessions were kept as they are, not checked.
        require_corpus()
