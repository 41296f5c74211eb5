"""What some tests need from beside the checkout, and what they do when it is absent.

The development corpus (``../shared/corpus``) and a headless Chromium are not part of a fresh
clone. Tests that need them skip with a one-line reason on a developer's machine and fail in CI
(``CI=true``), where ``.ci/run`` provides both.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from curated import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """A test that needs something beside the checkout (the development corpus, a browser):
    skipped with ``reason`` on a developer's machine, failed in CI (``CI=true``), where
    ``.ci/run`` provides everything."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)")
    pytest.skip(reason)


def require_corpus() -> Path:
    """``../shared/corpus``, or skip (fail in CI) saying it is absent."""
    if not (CORPUS / "articles").is_dir() or not (CORPUS / "gold").is_dir():
        unavailable(f"needs the development corpus at {CORPUS} (absent)")
    return CORPUS


def corpus_files(folder: str, pattern: str = "*.yaml") -> list:
    """Parameters for a test run once per file of ``../shared/corpus/<folder>``, each with the
    file's stem as its id.

    Without the corpus the list holds one parameter, ``corpus-absent`` (``None``), instead of
    none at all, which pytest would report as a silent "got empty parameter set": the test takes
    the ``corpus`` fixture, so it says in one line why it did not run (and fails in CI)."""
    files = sorted((CORPUS / folder).glob(pattern))
    if not files:
        return [pytest.param(None, id="corpus-absent")]
    return [pytest.param(path, id=path.stem) for path in files]


def require_chromium() -> str:
    """The headless browser for the page tests, or skip (fail in CI) saying it is absent."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    unavailable("needs headless Chromium (apt-get install chromium; .ci/run installs it)")
    raise AssertionError("unreachable")
