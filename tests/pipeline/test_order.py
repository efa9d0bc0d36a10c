"""The order of the plans a build lists (manifest, coverage, warnings, ledger) is the order of
their names, as a folder's files are sorted: the same files given in any order, from one folder
or several, give the same build byte for byte, and an incremental rebuild given them reordered
changes nothing (an audit found ``sciplan-kg build $(ls -r plans/*.txt)`` listed them reversed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import build, plan_files
from tests.conftest import tree_bytes


@pytest.fixture(autouse=True)
def _code_as_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code fingerprint as of this process's start: another edit to the working tree during
    the test (other people work in it) must not change the keys between the builds compared."""
    import sciplan_kg.pipeline.build as build_module

    code = build_module.fingerprint()
    monkeypatch.setattr(build_module, "fingerprint", lambda: code)


@pytest.fixture
def two_folders(tmp_path: Path) -> tuple[Path, Path]:
    """The five bundled plans split over two folders (the second holds the names between)."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for i, f in enumerate(sorted(PLANS_DIR.glob("*.txt"))):
        shutil.copy(f, (first if i % 2 == 0 else second) / f.name)
    return first, second


def test_plan_files_are_in_the_order_of_their_names(two_folders: tuple[Path, Path]) -> None:
    first, second = two_folders
    names = sorted(p.name for p in PLANS_DIR.glob("*.txt"))
    files = sorted([*first.iterdir(), *second.iterdir()], key=lambda p: p.name)
    assert [p.name for p in plan_files([second, first])] == names
    assert [p.name for p in plan_files(reversed(files))] == names
    assert plan_files([files[2], second, files[0]]) == files[:4]  # 002 and 000 of a, 001 and 003 of b
    assert plan_files([first]) == sorted(first.iterdir())  # a folder's own order is unchanged


def test_the_same_files_in_any_order_give_the_same_build(two_folders: tuple[Path, Path], tmp_path: Path) -> None:
    first, second = two_folders
    files = sorted([*first.iterdir(), *second.iterdir()], key=lambda p: p.name)
    folder = tmp_path / "folder" / "build"
    build([PLANS_DIR], folder, jobs=1)
    want = tree_bytes(folder)
    manifest = want["manifest.json"].decode("utf-8")
    assert [manifest.index(p.name) for p in files] == sorted(manifest.index(p.name) for p in files)

    reversed_out = tmp_path / "reversed" / "build"
    build(list(reversed(files)), reversed_out, jobs=1)
    assert tree_bytes(reversed_out) == want
    mixed = tmp_path / "mixed" / "build"
    build([second, first], mixed, jobs=2)
    assert tree_bytes(mixed) == want

    # an incremental rebuild given the same files in another order reuses every plan and
    # writes the same bytes
    again = build([files[2], files[0], second, files[4]], reversed_out, jobs=1)
    assert again.reused == len(files)
    assert tree_bytes(reversed_out) == want
