"""``workers.ChildRun``: work done by a forked child while the parent goes on, its failures
reported back, and a child that dies or is stopped leaving the caller to redo the work."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sciplan_kg.workers import ChildRun

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")


def _touch(path: Path) -> bool:
    """Create ``path``; false where its folder is not there."""
    try:
        path.write_bytes(b"x")
    except FileNotFoundError:
        return False
    return True


@pytest.mark.parametrize("inline_below", [1, 10_000])
def test_the_work_is_done_and_its_failures_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inline_below: int
) -> None:
    monkeypatch.setattr(ChildRun, "INLINE_BELOW", inline_below)
    items = [tmp_path / f"f{i}" if i % 7 else tmp_path / "gone" / f"f{i}" for i in range(100)]
    run = ChildRun(_touch, items)
    assert (run.pid != 0) == (inline_below == 1)  # forked, or done at once
    assert run.wait() == list(range(0, 100, 7))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"f{i}" for i in range(100) if i % 7)
    assert run.wait() == list(range(0, 100, 7))  # asked again: the same answer


def test_many_failures_cross_the_pipe_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More failed indices than a pipe holds (64 KiB) while the parent is not reading yet."""
    monkeypatch.setattr(ChildRun, "INLINE_BELOW", 1)
    run = ChildRun(lambda i: False, list(range(50_000)))
    time.sleep(0.2)
    assert run.wait() == list(range(50_000))


def test_a_child_that_dies_fails_every_item(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ChildRun, "INLINE_BELOW", 1)

    def explode(i: int) -> bool:
        if i == 5:
            raise RuntimeError("boom")
        return True

    assert ChildRun(explode, list(range(10))).wait() == list(range(10))
    assert ChildRun(lambda i: os._exit(3), list(range(10))).wait() == list(range(10))  # type: ignore[func-returns-value]


def test_stop_ends_a_child_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ChildRun, "INLINE_BELOW", 1)
    run = ChildRun(lambda i: time.sleep(60) or True, [1, 2])  # type: ignore[func-returns-value]
    pid, started = run.pid, time.monotonic()
    assert pid
    run.stop()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):  # ended and reaped: no zombie left
        os.waitpid(pid, os.WNOHANG)
    run.stop()  # again: nothing to do


def test_no_process_to_be_had_does_the_work_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ChildRun, "INLINE_BELOW", 1)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    items = [tmp_path / "a", tmp_path / "gone" / "b"]
    run = ChildRun(_touch, items)
    assert run.pid == 0
    assert (tmp_path / "a").exists()
    assert run.wait() == [1]
