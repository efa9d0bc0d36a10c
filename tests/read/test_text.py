"""``read.text.will_read``: the reads a rebuild asks of the disk ahead of reading the plans."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sciplan_kg.read import text


def test_a_file_is_asked_for_whole_and_its_descriptor_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no posix_fadvise here")
    f = tmp_path / "plan.txt"
    f.write_bytes("方案".encode() * 1000)
    asked: list[tuple[int, int, int, int]] = []

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        asked.append((os.fstat(fd).st_ino, offset, length, advice))

    opened: list[int] = []
    real_open = os.open

    def recording_open(path: str | Path, flags: int) -> int:
        opened.append(real_open(path, flags))
        return opened[-1]

    monkeypatch.setattr(os, "posix_fadvise", advise)
    monkeypatch.setattr(os, "open", recording_open)
    text.will_read(f)
    assert asked == [(f.stat().st_ino, 0, 0, os.POSIX_FADV_WILLNEED)]
    with pytest.raises(OSError):  # closed
        os.fstat(opened[0])


def test_nothing_raised_for_a_missing_file_or_a_refused_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text.will_read(tmp_path / "gone.txt")  # the read that follows reports it
    f = tmp_path / "plan.txt"
    f.write_text("方案", encoding="utf-8")

    def refuse(fd: int, offset: int, length: int, advice: int) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "posix_fadvise", refuse, raising=False)
    text.will_read(f)
    monkeypatch.delattr(os, "posix_fadvise")
    monkeypatch.setattr(os, "open", lambda *a: pytest.fail("nothing to open without posix_fadvise"))
    text.will_read(f)
