"""The DuckDB engine for the whole-corpus listings (``query/frames.py``) must give Oxigraph's
rows, in Oxigraph's order, for every query it serves, at the default parameters and others;
and must leave every other query, a user's text and a plan's rows to Oxigraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import catalogue
from sciplan_kg.query.backends import OxigraphBackend
from sciplan_kg.query.kept import sync_store as sync
from sciplan_kg.store.sync import store_path

pytest.importorskip("duckdb")

from sciplan_kg.query.frames import SERVED, FramesBackend

CATALOGUE = catalogue()
# parameters beside the defaults: a threshold that keeps fewer rows
OTHER = {"co-responsibility": {"minTasks": "2"}, "similar-tasks": {"minScore": "0.8"}}


@pytest.fixture(scope="module")
def engines(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphBackend, FramesBackend]:
    import pyoxigraph as ox

    sync(five.out)
    folder = store_path(five.out)
    oxigraph = OxigraphBackend(ox.Store.read_only(str(folder)))
    cache = tmp_path_factory.mktemp("frames")
    return oxigraph, FramesBackend(oxigraph, oxigraph.store, folder, cache)


def test_serves_the_five_listings() -> None:
    assert SERVED == {"tasks", "sources", "co-responsibility", "similar-tasks", "instrument-mix-by-measure"}
    assert SERVED <= set(CATALOGUE)


@pytest.mark.parametrize("name", sorted(SERVED))
def test_rows_equal_oxigraphs(name: str, engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    oxigraph, frames = engines
    for params in ({}, OTHER.get(name, {})):
        q = CATALOGUE[name]
        assert frames.serves(q, params)
        expected = oxigraph.run(q, params)
        got = frames.run(q, params)
        assert got.columns == expected.columns
        assert got.rows, f"{name}: the fixture should give rows"
        assert got.rows == expected.rows, f"{name} {params}: rows or their order differ"


def test_the_copy_is_kept_per_store_content(engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    _, frames = engines
    frames.run(CATALOGUE["sources"], {})
    assert frames.cache is not None
    kept = list(frames.cache.glob("*.duckdb"))
    assert len(kept) == 1
    again = FramesBackend(frames.fallback, frames.store, frames.store_dir, frames.cache)
    assert again.run(CATALOGUE["sources"], {}).rows == frames.run(CATALOGUE["sources"], {}).rows
    assert list(frames.cache.glob("*.duckdb")) == kept
    assert not [p for p in frames.cache.iterdir() if p.name.startswith(".")], "no temporary left behind"


def test_other_queries_plans_and_user_text_go_to_oxigraph(engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    _, frames = engines
    assert not frames.serves(CATALOGUE["plans"], {})
    plan = str(frames.fallback.run(CATALOGUE["plans"], {}).rows[0]["plan"])
    assert not frames.serves(CATALOGUE["tasks"], {"plan": plan})
    assert (
        frames.run(CATALOGUE["tasks"], {"plan": plan}).rows
        == frames.fallback.run(CATALOGUE["tasks"], {"plan": plan}).rows
    )
    edited = CATALOGUE["tasks"]
    from dataclasses import replace

    user = replace(edited, path=Path("mine.rq"), text=edited.text.replace("ORDER BY", "# mine\nORDER BY"))
    assert not frames.serves(user, {})


def test_a_kept_answer_is_served_before_duckdb(five: BuildResult, tmp_path: Path) -> None:
    """Behind the query command the store's kept answers (``query/kept.py``) come first: no copy
    is made for a query whose default answer is kept."""
    from sciplan_kg.query import backend

    kept = backend(five.out)
    assert isinstance(kept, OxigraphBackend) and kept.kept is not None
    frames = FramesBackend(kept, kept.store, kept.kept, tmp_path / "frames")
    q = CATALOGUE["sources"]
    assert frames.run(q, {}).rows == OxigraphBackend(kept.store).run(q, {}).rows
    assert not (tmp_path / "frames").exists(), "served from the kept answer"
