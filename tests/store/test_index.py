"""The embedded Oxigraph store beside a build folder: loaded whole, then kept in step graph by
graph; after any sequence of rebuilds it holds exactly what a fresh load of the folder holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import build
from sciplan_kg.pipeline.dataset import graph_files
from sciplan_kg.query import run_query
from sciplan_kg.store.sync import STATE, store_path, sync
from tests.conftest import FIXTURE_PLANS

ENSHI = FIXTURE_PLANS / "enshi_ascii_numbered.txt"


def _quads(store_dir: Path) -> set[str]:
    """The store's quads; those with blank nodes (the ontology's lists, named anew by every
    load) by count."""
    store = ox.Store.read_only(str(store_dir))
    quads = {str(q) for q in store}
    blank = {q for q in quads if "_:" in q}
    return (quads - blank) | {f"{len(blank)} quads with blank nodes"}


def _fresh(build_dir: Path, tmp: Path) -> set[str]:
    """What a store loaded from scratch from the folder holds."""
    other = tmp / "fresh.oxigraph"
    shutil.rmtree(other, ignore_errors=True)
    sync(build_dir, other)
    return _quads(other)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    shutil.copy(ENSHI, folder / ENSHI.name)
    # a second plan of the same place (the next period): its agencies are the same nodes
    text = ENSHI.read_text(encoding="utf-8").replace("2021-2025", "2026-2030")
    (folder / "enshi_revised.txt").write_text(text, encoding="utf-8")
    return folder


def test_first_sync_loads_the_whole_folder_into_the_default_graph(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([plans], out)
    result = sync(out)
    # + registry, ontology, similarity, parents, dataset
    assert result.full and result.loaded == len(graph_files(out)) == 5 + 5
    quads = list(ox.Store.read_only(str(store_path(out))))
    assert len(quads) > 10_000
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)
    assert sync(out).loaded == 0, "nothing changed, nothing loaded"


def test_replacing_adding_and_removing_plans_keeps_the_store_equal_to_a_fresh_load(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    # replace one plan: only it, the similarity and parent links, and the registries and the
    # dataset description (rewritten by every build; the registries' blocks are the same) are touched
    first = sorted(plans.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("科普", "科学普及", 3), encoding="utf-8")
    build([plans], out)
    result = sync(out, full_fraction=1.0)
    assert not result.full and result.loaded >= 1 and result.loaded + result.kept == 10
    assert _quads(store_path(out)) == _fresh(out, tmp_path)
    # remove the revised plan of the same place: the agencies the other one states stay
    (plans / "enshi_revised.txt").unlink()
    build([plans], out)
    result = sync(out, full_fraction=1.0)
    assert not result.full and result.removed == 1
    after = _quads(store_path(out))
    assert after == _fresh(out, tmp_path)
    kept = {str(q.subject) for q in ox.parse(path=str(out / "graph" / "asserted" / f"{ENSHI.stem}.ttl"))}
    agencies = {s for s in kept if "/agency/" in s}
    assert agencies and all(any(q.startswith(a + " ") for q in after) for a in agencies)
    # add it back
    (plans / "enshi_again.txt").write_text(
        ENSHI.read_text(encoding="utf-8").replace("2021-2025", "2031-2035"), encoding="utf-8"
    )
    build([plans], out)
    assert not sync(out, full_fraction=1.0).full
    assert _quads(store_path(out)) == _fresh(out, tmp_path)


def test_an_interrupted_sync_is_finished_by_the_next(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    first = sorted(plans.glob("*.txt"))[1]
    first.write_text(first.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    build([plans], out)
    import sciplan_kg.store.sync as index

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(index, "_keep_links", crash)  # after the store was changed, before the state
    with pytest.raises(KeyboardInterrupt):
        sync(out, full_fraction=1.0)
    monkeypatch.undo()
    assert sync(out, full_fraction=1.0).loaded >= 1
    assert _quads(store_path(out)) == _fresh(out, tmp_path)


def test_queries_see_the_rebuilt_corpus(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([plans], out)
    before = len(run_query("plans", out).rows)
    (plans / "enshi_revised.txt").unlink()
    build([plans], out)
    assert len(run_query("plans", out).rows) == before - 1
    assert (store_path(out) / STATE).is_file()
