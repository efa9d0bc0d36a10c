"""The shortcut every query takes to learn that the store is in step with its build folder
(``store.sync._glance``, ``glance.json``): taken when nothing changed, never when anything a
full look would see did, and never trusted beyond the state it was recorded with."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import sciplan_kg.store.sync as store_sync
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import build
from sciplan_kg.store.sync import GLANCE, STATE, _glance, store_path, sync


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two plans built once; each test works on a copy (``folder``)."""
    root = tmp_path_factory.mktemp("glance")
    plans = root / "plans"
    plans.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:2]:
        shutil.copy(f, plans / f.name)
    build([plans], root / "build")
    return root / "build"


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    out = tmp_path / "build"
    shutil.copytree(built, out)
    return out


class _Looked:
    """Counts the full looks (``graph_files``) a sync takes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.times = 0
        real = store_sync.graph_files

        def counted(build_dir: Path) -> object:
            self.times += 1
            return real(build_dir)

        monkeypatch.setattr(store_sync, "graph_files", counted)


def _asserted(folder: Path) -> Path:
    return sorted((folder / "graph" / "asserted").glob("*.ttl"))[0]


def test_an_unchanged_folder_is_known_at_a_glance(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = sync(folder)
    assert first.full and (store_path(folder) / GLANCE).is_file()
    looked = _Looked(monkeypatch)
    again = sync(folder)
    assert (again.loaded, again.removed, again.kept) == (0, 0, first.loaded)
    assert looked.times == 0, "nothing changed: no graph's files are named or digested"


def test_a_file_changed_in_place_is_seen(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same inode, written into (an editor that does not rename, ``>>``): its size and time
    change, and the store takes in what it now says."""
    sync(folder)
    f = _asserted(folder)
    inode = f.stat().st_ino
    with f.open("a", encoding="utf-8") as fh:
        fh.write("\n<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    assert f.stat().st_ino == inode
    looked = _Looked(monkeypatch)
    assert sync(folder).loaded >= 1 and looked.times == 1
    triple = ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.NamedNode("urn:x:c"))
    assert triple in ox.Store.read_only(str(store_path(folder)))


def test_a_file_with_only_its_time_changed_is_looked_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sync(folder)
    f = _asserted(folder)
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    looked = _Looked(monkeypatch)
    # the store cannot know whether the bytes it loaded from that inode changed: loaded whole
    assert sync(folder).full and looked.times == 1
    looked.times = 0
    assert sync(folder).loaded == 0 and looked.times == 0, "in step again: the glance is recorded anew"


@pytest.mark.parametrize("what", ["a file added", "a file removed", "the manifest"])
def test_what_names_the_graphs_changing_is_seen(folder: Path, what: str) -> None:
    sync(folder)
    before = _glance(folder)
    if what == "a file added":
        (folder / "graph" / "parents" / "stray.ttl").write_text("", encoding="utf-8")
    elif what == "a file removed":
        _asserted(folder).unlink()
    else:
        manifest = folder / "manifest.json"
        manifest.write_text(manifest.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert _glance(folder) != before


def test_a_glance_recorded_with_another_state_is_not_trusted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync cut short leaves the state without the graphs it was changing: the glance of the
    folder is the same, the store is not in step, and the full look must run."""
    sync(folder)
    state_file = store_path(folder) / STATE
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state.pop(sorted(state)[0])
    state_file.write_text(json.dumps(state), encoding="utf-8")
    looked = _Looked(monkeypatch)
    assert sync(folder).loaded >= 1 and looked.times == 1


@pytest.mark.parametrize("damage", ["not JSON", "no state", "graphs not a number"])
def test_a_damaged_glance_record_is_only_a_missed_shortcut(
    folder: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    sync(folder)
    record = store_path(folder) / GLANCE
    seen = json.loads(record.read_text(encoding="utf-8"))
    if damage == "not JSON":
        record.write_text("{", encoding="utf-8")
    elif damage == "no state":
        del seen["state"]
        record.write_text(json.dumps(seen), encoding="utf-8")
    else:
        seen["graphs"] = "many"
        record.write_text(json.dumps(seen), encoding="utf-8")
    looked = _Looked(monkeypatch)
    assert sync(folder).loaded == 0 and looked.times == 1
    assert json.loads(record.read_text(encoding="utf-8"))["state"] == store_sync.state_digest(store_path(folder))
    looked.times = 0
    sync(folder)
    assert looked.times == 0, "the record is written anew"


def test_a_graph_file_that_is_a_link_is_never_glanced_at(folder: Path, tmp_path: Path) -> None:
    """A symbolic link's target may change while the link does not: no shortcut then."""
    f = _asserted(folder)
    elsewhere = tmp_path / "elsewhere.ttl"
    shutil.move(f, elsewhere)
    f.symlink_to(elsewhere)
    assert _glance(folder) is None
    sync(folder)
    assert not (store_path(folder) / GLANCE).exists()
    with elsewhere.open("a", encoding="utf-8") as fh:
        fh.write("\n<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    assert sync(folder).loaded >= 1


def test_a_folder_link_pointed_at_another_build_is_seen(built: Path, tmp_path: Path) -> None:
    """``current`` → one build, then → a copy of it whose files are other inodes: the same names,
    sizes and times are not enough for the shortcut (the folders' real paths differ)."""
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(built, one)
    shutil.copytree(built, two)  # copytree keeps the times: only the folder tells them apart
    current = tmp_path / "current"
    current.symlink_to(one)
    sync(current)
    before = _glance(current)
    current.unlink()
    current.symlink_to(two)
    assert _glance(current) != before


def test_a_store_that_cannot_be_written_to_answers_without_the_record(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record is a shortcut: where it cannot be written the full look answers, as before."""
    sync(folder)
    (store_path(folder) / GLANCE).unlink()

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "read-only")

    monkeypatch.setattr(store_sync, "write_atomic", refuse)
    assert sync(folder).loaded == 0
    assert not (store_path(folder) / GLANCE).exists()
