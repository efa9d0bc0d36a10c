"""Fixtures of the query tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query.backends import OxigraphBackend
from sciplan_kg.query.kept import sync_store as sync
from sciplan_kg.store.sync import store_path


@pytest.fixture(scope="module")
def engines(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphBackend, object]:
    """Oxigraph and the DuckDB-backed backend (``FramesBackend``) on a synced copy of the five
    plans' build, for comparing the two (test_translate*.py; test_frames.py has its own)."""
    import pyoxigraph as ox

    from sciplan_kg.query.frames import FramesBackend

    out = tmp_path_factory.mktemp("engines") / "build"
    shutil.copytree(five.out, out)
    sync(out, views=False)
    folder = store_path(out)
    store = ox.Store.read_only(str(folder))
    return OxigraphBackend(store), FramesBackend(store, folder)


@pytest.fixture(scope="module")
def parent_engines(parents_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphBackend, object]:
    """``engines`` on a copy of the constructed parents corpus (its store synced): where the
    parent listings have rows, which the five plans do not give."""
    import pyoxigraph as ox

    from sciplan_kg.query.frames import FramesBackend

    out = tmp_path_factory.mktemp("parent-engines") / "build"
    shutil.copytree(parents_store, out)
    shutil.copytree(store_path(parents_store), store_path(out))
    folder = store_path(out)
    store = ox.Store.read_only(str(folder))
    return OxigraphBackend(store), FramesBackend(store, folder)
