"""The report written by worker processes (``publish/report/answers.py``, ``workers.share_work``):
the same bytes as the report written in one process, and a worker that dies is an error naming
its query with nothing half-written. Each case runs the report in a fresh process, where the
processes are forked as the command line forks them (never in a process that ran DuckDB, as
this one has); the five plans are made to count as many (``PROCESSES_FROM``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.publish.report import answers
from tests.conftest import tree_bytes

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")

SNIPPET = """
import os, sys
from sciplan_kg.cli import main
from sciplan_kg.publish.report import answers
answers.PROCESSES_FROM = 1
{patch}
sys.exit(main(["report", "--data", sys.argv[1], "--out", sys.argv[2], "--jobs", "2"]))
"""


def _report(build: Path, out: Path, patch: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SNIPPET.format(patch=patch), str(build), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )


MARKED = """
import sciplan_kg.publish.report as r
r.PLAN_CHUNKS = 3  # parts for both processes
marks = os.environ["MARKS"]
real_schedule, real_share = answers._schedule, r.share_work
def schedule(*args):
    open(os.path.join(marks, "scheduled"), "w").close()
    if os.environ.get("NO_FORK"):  # the scheduler can fork no process: it writes the answers itself
        def no_fork():
            raise BlockingIOError(11, "Resource temporarily unavailable")
        os.fork = no_fork
    return real_schedule(*args)
def share(fn, items, jobs, first):
    open(os.path.join(marks, "shared"), "w").close()
    return real_share(fn, items, jobs, first)
answers._schedule, r.share_work = schedule, share
"""


@pytest.mark.parametrize("no_fork", ["", "1"])
def test_processes_write_the_same_report(
    five: BuildResult, built_report: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_fork: str
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("MARKS", str(marks))
    monkeypatch.setenv("NO_FORK", no_fork)
    done = _report(five.out, tmp_path / "report", MARKED)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in marks.iterdir()) == ["scheduled", "shared"]  # both forked
    assert tree_bytes(tmp_path / "report") == tree_bytes(built_report)  # no outcome files left either
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marks", "report"]


KILLED = """
real = answers.write_answer
def dying(build, folder, name, keep):
    if name == "lead-load":
        os._exit(9)
    return real(build, folder, name, keep)
answers.write_answer = dying
"""
RAISING = """
from sciplan_kg.errors import InputError
def failing(build, folder, name, keep):
    raise InputError(folder / (name + ".csv"), "disk full")
answers.write_answer = failing
"""


FAILURES = {"killed": (KILLED, ["lead-load", "exit status 9"]), "raising": (RAISING, ["disk full", ".csv"])}


@pytest.mark.parametrize("how", sorted(FAILURES))
def test_a_worker_that_fails_is_an_error_naming_it(five: BuildResult, tmp_path: Path, how: str) -> None:
    patch, said = FAILURES[how]
    done = _report(five.out, tmp_path / "report", patch)
    assert done.returncode == 2, done.stderr
    assert all(s in done.stderr for s in said) and "Traceback" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == [], "nothing half-written, no temporary left"


def test_no_forking_where_duckdb_ran(five: BuildResult, tmp_path: Path) -> None:
    import duckdb  # noqa: F401  (this process has it, as a notebook that queried first would)

    with answers.AnswerFiles(five.out, tmp_path / "csv", set(), jobs=2, plans=10_000) as written:
        assert not written.forking and written.pid == 0
    assert list(tmp_path.iterdir()) == [tmp_path / "csv"]


def test_kept_rows_are_handed_over_once(five: BuildResult, tmp_path: Path) -> None:
    """The report reads a kept answer's rows once; the object forgets them (their memory), and
    a second request is a programmer's error rather than an empty answer."""
    with answers.AnswerFiles(five.out, tmp_path / "csv", {"plans"}, jobs=1, plans=5) as written:
        assert len(written.rows("plans")) == len(five.plans)
        with pytest.raises(KeyError, match="handed over"):
            written.rows("plans")
        assert [f.name for f in written.files()] == sorted(written.names)
