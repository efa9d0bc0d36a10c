"""``workers.ChildRun``: work done by a forked child while the parent goes on, its failures
reported back, and a child that dies or is stopped leaving the caller to redo the work."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sciplan_kg.workers import ChildRun, share_work

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


# ------------------------------------------------------------ share_work


def _parent_only(pid: int) -> None:
    if os.getpid() != pid:
        raise AssertionError("a child ran what only the parent runs")


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_shared_work_is_done_once_by_whoever_is_free(tmp_path: Path, jobs: int) -> None:
    parent = os.getpid()

    def write(i: int) -> None:
        (tmp_path / f"{i}.{os.getpid()}").write_text(str(i))

    def first() -> str:
        _parent_only(parent)
        time.sleep(0.3)  # the children take items meanwhile
        return "charts"

    assert share_work(write, list(range(40)), jobs, first) == "charts"
    done = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(n.split(".")[0]) for n in done) == list(range(40))  # each once
    writers = {int(n.split(".")[1]) for n in done}
    assert (parent not in writers or len(writers) > 1) if jobs > 1 else writers == {parent}


@pytest.mark.parametrize("how", ["killed", "raised"])
def test_an_item_a_child_did_not_finish_is_done_here(tmp_path: Path, how: str) -> None:
    parent = os.getpid()

    def write(i: int) -> None:
        if i == 3 and os.getpid() != parent:  # the child ends at its fourth item
            if how == "killed":
                os._exit(7)
            raise ValueError("not here")
        (tmp_path / f"{i}.{'here' if os.getpid() == parent else 'child'}").write_text("x")

    def first() -> None:
        time.sleep(0.5)  # the child takes the first items meanwhile

    share_work(write, list(range(10)), 2, first)
    done = {p.name for p in tmp_path.iterdir()}
    assert {n.split(".")[0] for n in done} == {str(i) for i in range(10)}
    assert "3.here" in done and "0.child" in done


def test_an_item_that_fails_everywhere_raises_here(tmp_path: Path) -> None:
    def write(i: int) -> None:
        if i == 2:
            raise ValueError("item 2 is broken")

    with pytest.raises(ValueError, match="item 2"):
        share_work(write, list(range(5)), 2, lambda: time.sleep(0.3))


def test_an_error_here_stops_the_children(tmp_path: Path) -> None:
    def slow(i: int) -> None:
        time.sleep(60)

    def first() -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        share_work(slow, [1, 2], 2, first)
    assert time.monotonic() - started < 10  # the child was killed, not waited for
