"""The embedded Oxigraph store beside a build folder: loaded whole, then kept in step graph by
graph; after any sequence of rebuilds it holds exactly what a fresh load of the folder holds."""

from __future__ import annotations

import json
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


def test_the_same_ontology_installed_elsewhere_loads_nothing_a_changed_one_loads_whole(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ontology graph's file is the installed package's: a reinstall (another path, another
    time) with the same bytes must not cost a full load; other bytes must."""
    import os

    from sciplan_kg import paths

    out = tmp_path / "build"
    build([plans], out)
    assert sync(out).full
    elsewhere = tmp_path / "site-packages" / "sciplan.ttl"
    elsewhere.parent.mkdir()
    shutil.copyfile(paths.ONTOLOGY_FILE, elsewhere)
    os.utime(elsewhere, ns=(1, 1))
    monkeypatch.setattr(paths, "ONTOLOGY_FILE", elsewhere)
    assert graph_files(out)[next(g for g in graph_files(out) if str(g).endswith("/ontology"))] == [elsewhere]
    again = sync(out)
    assert again.loaded == 0 and not again.full, "the same ontology: nothing to load"
    elsewhere.write_text(
        elsewhere.read_text(encoding="utf-8") + "\n<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8"
    )
    changed = sync(out)
    assert changed.full, "another ontology: the store is loaded whole"
    store = ox.Store.read_only(str(store_path(out)))
    assert ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:c")) in store


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


@pytest.mark.parametrize("where", ["open", "write"])
def test_a_sync_stopped_while_removing_a_plan_is_finished_by_the_next(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Stopped before the store is touched (``open``: reading the index) or after the DELETE
    (``write``: writing the index): the next sync still knows the plan is gone and removes it;
    the plan added back later is loaded again (its links were not left to look loaded)."""
    from sciplan_kg.store import index

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    victim = sorted(plans.glob("*.txt"))[2]
    kept = tmp_path / victim.name
    shutil.move(victim, kept)
    build([plans], out)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(index.Index, where, crash)
    with pytest.raises(KeyboardInterrupt):
        sync(out, full_fraction=1.0)
    monkeypatch.undo()
    assert sync(out, full_fraction=1.0).removed == 1
    assert _quads(store_path(out)) == _fresh(out, tmp_path)
    shutil.move(kept, victim)
    build([plans], out)
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


def test_many_plans_added_at_once_on_the_incremental_path_equal_a_fresh_load(plans: Path, tmp_path: Path) -> None:
    """Three plans of five added at once (what adding 100 to 3,000 does, at a small scale), with
    the bulk loader for what came; then removed at once."""
    few = tmp_path / "few"
    few.mkdir()
    for f in sorted(plans.glob("*.txt"))[:2]:
        shutil.copy(f, few / f.name)
    small, large, store_dir = tmp_path / "small", tmp_path / "large", tmp_path / "one.oxigraph"
    build([few], small)
    build([plans], large)
    sync(small, store_dir)
    from sciplan_kg.store import update

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(update, "BULK_FROM", 0)
        result = sync(large, store_dir, full_fraction=1.0)
    assert not result.full and result.loaded >= 3
    assert _quads(store_dir) == _fresh(large, tmp_path)
    assert not sync(small, store_dir, full_fraction=10.0).full  # every graph moved folders, 3 gone
    assert _quads(store_dir) == _fresh(small, tmp_path)


DAMAGES = [
    "missing",
    "manifest corrupt",
    "stale",
    "other version",
    "bucket missing",
    "bucket truncated",
    "graph shard edited",
    "earlier single file",
]


def _damage(folder: Path, earlier: Path, damage: str) -> None:
    """Damage the sharded subjects index ``folder`` (``earlier``: a copy of it before the last
    sync) as ``damage`` says."""
    from sciplan_kg.store import index

    manifest = folder / index.MANIFEST
    buckets = sorted((folder / "b").iterdir())
    if damage == "missing":
        shutil.rmtree(folder)
    elif damage == "manifest corrupt":
        manifest.write_bytes(b'{"version": 2, "graphs": {"x": ')
    elif damage == "stale":  # the whole index as it was before the last sync: one graph's entry is old
        shutil.rmtree(folder)
        shutil.copytree(earlier, folder)
    elif damage == "other version":
        manifest.write_bytes(manifest.read_bytes().replace(b'"version":2', b'"version":1'))
    elif damage == "bucket missing":
        for f in buckets:
            f.unlink()
    elif damage == "bucket truncated":
        for f in buckets:
            f.write_bytes(f.read_bytes()[:-20])
    elif damage == "graph shard edited":  # valid JSON that says no file states a shared subject
        for f in (folder / "g").iterdir():
            doc = json.loads(f.read_bytes())
            for record in doc["files"].values():
                record["shared"] = []
            f.write_bytes(json.dumps(doc).encode())
        for f in buckets:
            f.write_bytes(b"{}")
    else:  # an earlier version's single file beside a missing sharded index
        shutil.rmtree(folder)
        (folder.parent / index.OLD_INDEX).write_bytes(b'{"version": 1, "graphs": {}}')


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_missing_damaged_or_stale_subjects_index_is_rebuilt_and_the_store_stays_right(
    plans: Path, tmp_path: Path, damage: str
) -> None:
    """Removing the revised plan of a place needs the index (its agencies are the other plan's
    too); whatever became of the index, the store ends equal to a fresh load, and the index is
    whole again."""
    from sciplan_kg.store import index

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    folder = store_path(out) / index.FOLDER
    earlier = tmp_path / "earlier"
    shutil.copytree(folder, earlier)
    first = sorted(plans.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    build([plans], out)
    sync(out, full_fraction=1.0)
    _damage(folder, earlier, damage)
    (plans / "enshi_revised.txt").unlink()
    build([plans], out)
    assert not sync(out, full_fraction=1.0).full
    assert _quads(store_path(out)) == _fresh(out, tmp_path)
    idx = index.Index.open(store_path(out))
    assert set(idx.graphs) == {str(n) for n in graph_files(out)}
    for name in idx.graphs:
        assert idx.entry(name) is not None  # every shard named is there and whole
    assert not (store_path(out) / index.OLD_INDEX).exists()
    named = {g["entry"] for g in idx.graphs.values()} | set(idx.buckets.values())
    on_disk = {f.stem for kind in ("g", "b") for f in (folder / kind).iterdir()}
    assert on_disk == named, "the shards no longer named are removed"


def test_an_index_saying_the_wrong_digest_is_not_trusted(plans: Path, tmp_path: Path) -> None:
    """A manifest whose digests are not the graphs' files' (its shards whole): every graph is
    described anew; an index saying the remaining plan of the place states no agency cannot
    make the sync drop the agencies."""
    from sciplan_kg.store import index

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    manifest = store_path(out) / index.FOLDER / index.MANIFEST
    doc = json.loads(manifest.read_bytes())
    for g in doc["graphs"].values():
        g["digest"] = "0" * 64
    manifest.write_bytes(json.dumps(doc).encode())
    for f in (store_path(out) / index.FOLDER / "b").iterdir():  # renamed as its new bytes: still "whole"
        f.unlink()
    doc["buckets"] = {}
    manifest.write_bytes(json.dumps(doc).encode())
    (plans / "enshi_revised.txt").unlink()
    build([plans], out)
    assert not sync(out, full_fraction=1.0).full
    assert _quads(store_path(out)) == _fresh(out, tmp_path)


def test_a_sync_reads_and_writes_only_the_shards_its_change_touches(plans: Path, tmp_path: Path) -> None:
    """Replacing one plan rewrites its graph's shard and the changed graphs', a few buckets and
    the manifest; the other graphs' shards are the same files."""
    from sciplan_kg.store import index

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    folder = store_path(out) / index.FOLDER
    before = {f.name: f.stat().st_ino for f in (folder / "g").iterdir()}
    first = sorted(plans.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("科普", "科学普及", 3), encoding="utf-8")
    build([plans], out)
    result = sync(out, full_fraction=1.0)
    after = {f.name: f.stat().st_ino for f in (folder / "g").iterdir()}
    same = {n for n in before if after.get(n) == before[n]}
    assert len(after) - len(same) <= result.loaded and len(same) >= result.kept


def test_loaded_files_are_the_graphs_files_as_loaded(plans: Path, tmp_path: Path) -> None:
    from sciplan_kg.store.sync import loaded_files

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    for name, files in graph_files(out).items():
        links = loaded_files(store_path(out), str(name))
        assert len(links) == len(files) and all(p.suffix == ".ttl" for p in links)
        assert sorted(p.read_bytes() for p in links) == sorted(f.read_bytes() for f in files)
    assert loaded_files(store_path(out), "https://example.org/no-such-graph") == []


def test_a_full_load_in_runs_equals_one_in_a_single_stream(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sciplan_kg.store.sync as index

    out = tmp_path / "build"
    build([plans], out)
    sync(out)
    monkeypatch.setattr(index, "LOAD_BATCH", 1)  # one file per bulk load
    runs = tmp_path / "runs.oxigraph"
    sync(out, runs)
    assert _quads(runs) == _quads(store_path(out))


@pytest.mark.parametrize("batch", [None, 1], ids=["runs", "one file per load"])
def test_a_damaged_graph_file_in_a_full_load_is_named_and_nothing_is_kept(
    plans: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int | None
) -> None:
    """The bulk loads run side by side in threads: a file Oxigraph cannot parse is still named
    (file and line), the loads still running are waited for, and no store is left behind."""
    import sciplan_kg.store.sync as index
    from sciplan_kg.errors import InputError

    if batch is not None:
        monkeypatch.setattr(index, "LOAD_BATCH", batch)
    out = tmp_path / "build"
    build([plans], out)
    damaged = sorted((out / "graph" / "asserted").glob("*.ttl"))[2]
    damaged.write_bytes(damaged.read_bytes() + b"\n<https://example.org/s> <https://example.org/p> .\n")
    with pytest.raises(InputError) as caught:
        sync(out)
    assert caught.value.path == damaged and "Turtle" in caught.value.message
    assert not store_path(out).exists()  # the new store was made in a temporary folder, now gone
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]
