"""A query store that will not open (RocksDB's "Corruption", a file of it gone or overwritten)
is the tool's own cache: the next query loads it anew from the build folder, instead of an
internal error that a rebuild did not cure (the audit of 2026-12-07). A database that is not the
tool's is never touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.store.sync import store_path


def _damage(store: Path, how: str) -> None:
    if how == "current":
        (store / "CURRENT").write_text("garbage\n", encoding="utf-8")
    elif how == "sst-gone":
        for f in store.glob("*.sst"):
            f.unlink()
    else:
        for f in store.glob("*.sst"):
            f.write_bytes(b"junk")


@pytest.mark.parametrize("how", ["current", "sst-gone", "sst-junk"])
def test_a_damaged_store_is_loaded_anew(how: str, five: BuildResult, tmp_path: Path, capsys) -> None:
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    assert main(["query", "tasks", "--data", str(data), "--format", "csv"]) == 0
    want = capsys.readouterr().out
    _damage(store_path(data), how)
    assert main(["query", "tasks", "--data", str(data), "--format", "csv", "--evaluate", "--no-tables"]) == 0
    out, err = capsys.readouterr()
    assert out == want and "internal error" not in err
