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


# -- decoding (the audit of 2026-12-07) ---------------------------------------------------------
PLAN = "某县全民科学素质行动规划纲要实施方案\n根据《全民科学素质行动规划纲要》，制定本方案。\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_its_bom_is_read(codec: str) -> None:
    """Notepad's "Unicode" is UTF-16 with a BOM: it was refused as "a binary file"."""
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    assert text.decode(bom + PLAN.encode(codec), Path("plan.txt")) == PLAN.removeprefix("\ufeff")


def test_a_byte_that_decodes_as_nothing_is_named_with_its_line() -> None:
    """A file cut mid-character or holding a stray byte: the line and byte, not the file alone."""
    from sciplan_kg.errors import InputError

    data = "第一行\n第二行".encode() + b"\xff\xfe" + "结束\n".encode()
    with pytest.raises(InputError) as caught:
        text.decode(data, Path("plan.txt"))
    assert caught.value.line == 2 and "byte 19" in str(caught.value) and "plan.txt:2" in str(caught.value)
