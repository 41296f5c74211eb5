"""Shared fixtures: the development corpus, the curated data, stores on disk and in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from curated import DATA
from needs import require_corpus

from graph.store import OxigraphStore
from loaders.load import load_paths


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The development corpus beside the checkout (``../shared/corpus``)."""
    return require_corpus()


@pytest.fixture
def memory_store():
    store = OxigraphStore(None)
    yield store
    store.close()


@pytest.fixture(scope="session")
def curated_store():
    """An in-memory store holding the curated dataset (read-only use, please)."""
    store = OxigraphStore(None)
    load_paths(store, [DATA])
    return store


@pytest.fixture(scope="session")
def curated_store_dir(tmp_path_factory) -> Path:
    """An on-disk store holding the curated dataset, loaded through the CLI's code path."""
    path = tmp_path_factory.mktemp("store") / "kg"
    store = OxigraphStore(path, writable=True)
    try:
        load_paths(store, [DATA])
    finally:
        store.close()
    return path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
