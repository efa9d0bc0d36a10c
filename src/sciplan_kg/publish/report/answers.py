"""Every catalogue query's answer at its default parameters, written into the report's ``csv/``
as CSV and XLSX (IRIs in full), and the rows of the few answers the report draws or compares.

At 3,000 plans the catalogue's 29 answers hold 1.2 M rows, five of them 100,000–300,000 rows
each. Written one after another in the report's own process they took 175 s of its 280 (the
XLSX alone 120 s) and held every answer's rows at once (1.7 GB of the report's 4 GB). So here:

- each answer is evaluated and written by a process of its own, ``jobs`` at a time, while the
  report's process reads the corpus and writes the pages; the memory of a 300,000-row answer
  goes back to the system with its process;
- only the answers whose rows the report uses (``keep``: the charts' and the parent pages')
  come back to it, pickled; the rest are files only;
- the processes are forked by a scheduler, itself forked before the report's process opens the
  store: a process that has run DuckDB's threads is not forked (``query/kept.py``), and the
  report's runs them to read the corpus; so where DuckDB was already imported (a notebook that
  ran queries first) the answers are written here, one after another;
- each process leaves its outcome pickled in a folder of this object's own, the scheduler
  names each process as it ends on a pipe, and a process that ended without an outcome (the
  out-of-memory killer) is an error naming the query;
- the largest answers go first (by the size of the answer the store keeps, ``query/kept.py``),
  after the ones the report waits for, so that no process is left alone with a long one at the
  end.

A build of fewer than ``PROCESSES_FROM`` plans is answered in the report's own process, one
query after another, when asked: forking costs more than it saves. Both ways give
the same files, byte for byte (``tests/publish/test_report_processes.py``).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciplan_kg.errors import QueryError, SciplanError
from sciplan_kg.pipeline.outputs import write_atomic
from sciplan_kg.query import catalogue
from sciplan_kg.workers import die_with_parent

Row = dict[str, Any]
PROCESSES_FROM = 100  # plans from which the answers are written by worker processes
Outcome = tuple["QueryFiles", list[Row] | None]


@dataclass
class QueryFiles:
    """A catalogue query's line on the index: its summary, its rows (or why it has none) and
    the files of its answer."""

    name: str
    summary_zh: str
    summary_en: str
    rows: int | str
    files: list[tuple[str, str]]


def write_answer(build: Path, folder: Path, name: str, keep: bool) -> Outcome:
    """Evaluate the catalogue query ``name`` on the build folder ``build``, write its answer
    into ``folder`` as ``<name>.csv`` and ``<name>.xlsx``; returns its index line and, when
    ``keep``, its rows. A query that fails is a line saying why, with no files."""
    from sciplan_kg.query.output import delimited_pieces, write_xlsx

    q = catalogue()[name]
    try:
        result = _backend(build).run(q, {}, None)
    except QueryError as exc:
        return QueryFiles(name, q.summary_zh, q.summary_en, f"—（{exc}）", []), ([] if keep else None)
    # written piece by piece into the report's temporary folder (swapped in whole when done)
    write_atomic(folder / f"{name}.csv", (piece.encode("utf-8") for piece in delimited_pieces(result, ",")))
    write_xlsx(result, folder / f"{name}.xlsx", name)  # the same bytes for the same rows
    files = [("CSV", f"csv/{name}.csv"), ("XLSX", f"csv/{name}.xlsx")]
    return QueryFiles(name, q.summary_zh, q.summary_en, len(result.rows), files), (result.rows if keep else None)


_OPEN: dict[Path, Any] = {}  # the backend of each build folder this process answers on


def _backend(build: Path) -> Any:
    from sciplan_kg.query import backend

    if build not in _OPEN:
        _OPEN[build] = backend(build)
    return _OPEN[build]


def _close() -> None:
    """Close the backends ``_backend`` opened (the DuckDB connection: ``query.run_query`` says why)."""
    while _OPEN:
        _, b = _OPEN.popitem()
        with contextlib.suppress(Exception):
            b.close()


def _outcome(build: Path, folder: Path, name: str, keep: bool) -> tuple[str, Any]:
    """``write_answer``'s result as ("ok", outcome), or ("error", the exception it raised)."""
    try:
        return "ok", write_answer(build, folder, name, keep)
    except Exception as exc:  # the report's process raises it when it asks for this answer
        return "error", exc


def _schedule(names: list[str], build: Path, folder: Path, outcomes: Path, keep: set[str], jobs: int, out: int) -> None:
    """The scheduler, in a child forked before the report's process opened the store: a
    process of its own for each answer, ``jobs`` at a time, each forked from here (this
    process never runs DuckDB, so forking it is safe); each writes its outcome, pickled, into
    ``outcomes``, and the scheduler writes ``name<TAB>exit status`` on ``out`` as each ends."""
    waiting, running, here = list(names), {}, False
    while waiting or running:
        while waiting and (here or len(running) < jobs):
            name = waiting.pop(0)
            try:
                pid = -1 if here else os.fork()
            except OSError:  # no process to be had (a limit, memory): wait for one, or do it here
                if running:
                    waiting.insert(0, name)
                    break
                here = True  # and the rest: once DuckDB ran in this process, it forks no more
                pid = -1
            if pid == -1:
                _write_outcome(build, folder, outcomes, name, keep)
                os.write(out, f"{name}\t0\n".encode())
                continue
            if pid == 0:  # the answer's process: its outcome, and out without cleanup
                code = 1
                try:
                    die_with_parent()
                    _write_outcome(build, folder, outcomes, name, keep)
                    code = 0
                finally:
                    os._exit(code)
            running[pid] = name
        if not running:
            continue
        pid, status = os.wait()
        if pid in running:
            line = f"{running.pop(pid)}\t{os.waitstatus_to_exitcode(status)}\n".encode()
            os.write(out, line)  # a line is far below the pipe's buffer: written whole


def _write_outcome(build: Path, folder: Path, outcomes: Path, name: str, keep: set[str]) -> None:
    """``_outcome`` of ``name``, pickled into ``outcomes/<name>.pickle``."""
    outcome = _outcome(build, folder, name, name in keep)
    _close()
    try:
        body = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an exception that does not pickle: its text
        body = pickle.dumps(("error", SciplanError(f"{name}: {type(exc).__name__}: {exc}")))
    write_atomic(outcomes / f"{name}.pickle", body)


class AnswerFiles:
    """The catalogue's answers being written into ``folder`` (see the module's text). Use as a
    context manager: leaving it on an error stops the workers; leaving it removes the outcome
    files it made."""

    def __init__(self, build: Path, folder: Path, keep: set[str], jobs: int, plans: int) -> None:
        self.build, self.folder, self.keep = build, folder, keep
        folder.mkdir(parents=True, exist_ok=True)
        self.names = _order(build, sorted(catalogue()), keep)
        self.done: dict[str, tuple[str, Any]] = {}
        self.ended: dict[str, int] = {}  # the answers' processes that ended, with their status
        self.pending = b""  # what was read of the scheduler's next line
        self.pid, self.read_end, self.outcomes, self.jobs = 0, -1, Path(), jobs
        # fork only where it is safe: POSIX, and no DuckDB in this process yet (its threads);
        # then the report's pages are written by forked processes too, once the store is closed
        self.forking = jobs > 1 and plans >= PROCESSES_FROM and hasattr(os, "fork") and "duckdb" not in sys.modules
        if self.forking:
            self.outcomes = Path(tempfile.mkdtemp(prefix=".answers-", dir=folder.parent))
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the scheduler
                code = 1
                try:
                    os.close(read_end)
                    die_with_parent()
                    gc.disable()  # a collection would touch (and so copy) the parent's pages
                    _schedule(self.names, build, folder, self.outcomes, keep, jobs, write_end)
                    code = 0
                finally:
                    os._exit(code)
            os.close(write_end)
            self.pid, self.read_end = pid, read_end

    def __enter__(self) -> AnswerFiles:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        failed = kind is not None
        try:
            if self.pid and not failed:
                try:
                    self.files()
                except BaseException:
                    failed = True
                    raise
        finally:
            if self.pid:
                if failed:  # the report failed: stop writing answers
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)  # its children follow (die_with_parent)
                os.waitpid(self.pid, 0)
                self.pid = 0
            if self.read_end >= 0:
                os.close(self.read_end)
                self.read_end = -1
            if self.outcomes != Path():
                shutil.rmtree(self.outcomes, ignore_errors=True)  # this object's own folder
            _close()

    def _wait_for(self, name: str) -> None:
        """Read the scheduler's lines until ``name``'s process has ended (or the scheduler has)."""
        while name not in self.ended and self.read_end >= 0:
            chunk = os.read(self.read_end, 1 << 12)
            if not chunk:  # the scheduler ended: no more lines
                os.close(self.read_end)
                self.read_end = -1
                break
            *lines, self.pending = (self.pending + chunk).split(b"\n")
            for line in lines:
                done, status = line.decode().split("\t")
                self.ended[done] = int(status)

    def _get(self, name: str) -> Outcome:
        if name not in self.done:
            if not self.pid:
                self.done[name] = _outcome(self.build, self.folder, name, name in self.keep)
                _close()  # no DuckDB connection left open beside the corpus's (another configuration)
            else:
                self._wait_for(name)
                try:
                    self.done[name] = pickle.loads((self.outcomes / f"{name}.pickle").read_bytes())
                except OSError:
                    self.done[name] = ("died", self.ended.get(name))
        status, value = self.done[name]
        if status == "error":
            raise value
        if status == "died":
            raise SciplanError(
                f"报告：写查询 {name} 答案的进程意外结束（退出状态 {value}，内存不足？）/ report: the process "
                f"writing the answer of {name} ended without one (exit status {value}; out of memory?); "
                "try --jobs 1"
            )
        return value  # type: ignore[no-any-return]

    def rows(self, name: str) -> list[Row]:
        """The rows of ``name``'s answer (one of ``keep``; [] when the query failed), handed
        over once: this object forgets them (``parent-task-match`` holds both texts of 100,000
        task pairs at 3,000 plans, which the report's pages no longer need once read)."""
        if name not in self.keep:
            raise KeyError(f"{name} is not one of the answers kept as rows")
        files, rows = self._get(name)
        if rows is _TAKEN:
            raise KeyError(f"the rows of {name} were handed over already")
        self.done[name] = ("ok", (files, _TAKEN))
        return rows or []

    def files(self) -> list[QueryFiles]:
        """Every query's index line, by name, once every answer is written."""
        return [self._get(name)[0] for name in sorted(self.names)]


_TAKEN: Any = object()  # in place of rows ``AnswerFiles.rows`` handed over


def _order(build: Path, names: list[str], keep: set[str]) -> list[str]:
    """The answers the report waits for first, then the rest, largest first (by the size of
    the answer the store keeps of it: 0 for none)."""
    from sciplan_kg.query.kept import answer_size
    from sciplan_kg.store.sync import store_path

    sizes = {name: answer_size(store_path(build), name) for name in names}
    return sorted(names, key=lambda n: (n not in keep, -sizes[n], n))
