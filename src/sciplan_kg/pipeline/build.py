"""The pipeline: plan files → records → asserted RDF → inferences → validation → build folder.

Plans are independent, so each goes through the whole chain on its own (``plan.py``),
on every core (``jobs``), and what it produced is kept under a key: the plan's bytes and a
fingerprint of the code, ontology, shapes and registries. A rebuild takes every plan whose
key has not changed from the previous build folder as it is, so adding or replacing one
plan in a large corpus redoes that plan's work and the corpus-wide steps only; those start
from what the previous build kept for them (``state.py``: the ledger, the registries'
outputs, the similarity state and each plan's similarity file), and give the same bytes as
a full build (``tests/pipeline/test_incremental.py``). The summary files are spliced: a
reused plan's pieces are cut from the previous files where the ledger says they lie, only the
new plans' are rendered (``summaries.py``, ``ledger.py``), and a reused plan's summary is
read only when a step asks for more than the ledger holds.

The build folder's layout is ``folder.py``'s.

The folder is written whole to a temporary sibling and swapped in by renames, so an
interrupted build leaves the previous folder as it was; it replaces only a folder the tool
owns (``outputs.py``), and one build at a time writes a given folder (a lock beside it).

Each plan file is read once: its key, its hash, the copy the build keeps and the extraction
all come from those bytes, so a file rewritten while it is built is never kept stale.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from sciplan_kg.corpus.description import Counts, describe
from sciplan_kg.corpus.similarity import LINK_TRIPLES
from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline import outputs as folders
from sciplan_kg.pipeline.folder import DATASET, ORIGINALS_DIR, PLAN_DIRS, SIMILARITY_DIR, SUMMARIES_DIR
from sciplan_kg.pipeline.ledger import LEDGER, Entry, Ledger, entry_line, ledger_bytes, read_ledger
from sciplan_kg.pipeline.links import similarity_step
from sciplan_kg.pipeline.parent_links import parents_step
from sciplan_kg.pipeline.plan import (
    PlanOutput,
    ReusedFiles,
    Workbench,
    build_plan,
    fingerprint,
    plan_key,
    registry_outputs,
    reusable,
)
from sciplan_kg.pipeline.state import REGISTRY_STATE, STATE_DIR, RegistryState, reuse_registry
from sciplan_kg.pipeline.summaries import (
    Part,
    assemble,
    merged_report,
    plan_part,
    registry_part,
    write_files,
    write_summaries,
)
from sciplan_kg.pipeline.summaries import warnings_text as warnings_text  # the CLI's, from here
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.serialize import turtle_bytes
from sciplan_kg.read.formats import SUFFIXES
from sciplan_kg.read.text import READ_AHEAD, read_plan_bytes, will_read
from sciplan_kg.validation.report import Report, format_report
from sciplan_kg.workers import ChildRun, die_with_parent

Progress = Callable[[int], None]


@dataclass
class BuildResult:
    out: Path
    plans: list[PlanOutput] = field(default_factory=list)
    asserted: int = 0
    inferred: int = 0
    reused: int = 0
    conforms: bool = False
    summary: str = ""  # the opening lines of validation.txt: status, counts, informational results
    # seconds: per-plan stages summed over the plans built (across workers), and each step of
    # the build and the whole build in wall-clock time ("… (wall)") and this process's CPU
    # time ("… (cpu)")
    timings: dict[str, float] = field(default_factory=dict)
    _report: Report | None = field(default=None, repr=False)
    # the identity (inode, size, modification time) of the validation.json this build wrote
    _report_file: tuple[int, int, int] | None = field(default=None, repr=False)

    @property
    def report(self) -> Report:
        """The whole validation report (read from the folder's ``validation.json`` when first
        asked for: a rebuild does not make 70,000 result objects nobody reads). Once a later
        build has written the folder, asking is an ``InputError``, not that build's report."""
        if self._report is None:
            path = self.out / VALIDATION_JSON
            try:
                with path.open("rb") as fh:
                    if self._report_file is not None and _identity(os.fstat(fh.fileno())) != self._report_file:
                        raise InputError(
                            path,
                            "构建目录已被之后的构建改变 / the build folder was changed by a later build since this one",
                        )
                    data = fh.read()
                self._report = Report.from_dict(json.loads(data))
            except (OSError, ValueError) as exc:
                raise InputError(path, f"无法读取验证报告 / cannot read the validation report: {exc}") from exc
        return self._report


VALIDATION_JSON = "validation.json"


def _identity(st: os.stat_result) -> tuple[int, int, int]:
    return st.st_ino, st.st_size, st.st_mtime_ns


def _is_plan_file(path: Path) -> bool:
    """A plan file in a folder: a suffix of the formats read (in any case: ``B.TXT``,
    ``x.Html``) or none at all, not hidden. What it holds decides how it is read
    (``read.formats``), not its suffix."""
    return (path.suffix.lower() in SUFFIXES or not path.suffix) and not path.name.startswith(".") and path.is_file()


def passed_over(inputs: Iterable[Path] | None) -> list[Path]:
    """What the folders given hold that the build does not read: files of other suffixes
    (.md, .xlsx, .zip) and sub-folders (not searched), hidden ones left out; sorted."""
    out: list[Path] = []
    for path in inputs or []:
        if path.is_dir():
            out.extend(
                p for p in sorted(path.iterdir()) if not p.name.startswith(".") and (p.is_dir() or not _is_plan_file(p))
            )
    return out


def plan_files(inputs: Iterable[Path] | None) -> list[Path]:
    """The plan files to build: each file given, and the plan files of each folder given, in the
    order of their names (as a folder's files are): the same files given in any order (``build
    $(ls -r plans/*.txt)``) give the same build, byte for byte."""
    given = list(inputs) if inputs else [PLANS_DIR]
    files: list[Path] = []
    for path in given:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _is_plan_file(p))
            if not found:
                raise InputError(
                    path,
                    "文件夹中没有方案文件（.txt、.html、.docx、.doc、.wps、.pdf）/ no plan files in this folder "
                    "(.txt, .html, .docx, .doc, .wps, .pdf)",
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(path, "找不到文件或文件夹 / no such file or folder")
    # the manifest, coverage, warnings and the ledger list the plans in this order: the order of
    # the arguments changed them (and an incremental rebuild given the same files reordered);
    # the name first, as a folder sorts, then the path for two folders' files of one name
    files.sort(key=lambda p: (p.name, str(p)))
    seen: dict[str, Path] = {}
    for p in files:
        # a plan's outputs are named by its stem: two stems equal but for case would share files
        # on a case-insensitive disk, and a copy of the build moved there would lose one
        other = seen.setdefault(p.stem.casefold(), p)
        if other is not p:
            raise InputError(
                p,
                f"与 {other} 同名（不计大小写和扩展名）/ has the same name as {other} (ignoring case and "
                "extension): rename one",
            )
    return files


def _check_one_file_per_plan(plans: list[PlanOutput]) -> None:
    """Two files that are the same plan (same place and period) would be merged into one plan
    node and one graph: refuse, naming both."""
    seen: dict[str, str] = {}
    for p in plans:
        if p.plan in seen:
            raise InputError(
                p.file,
                f"与 {seen[p.plan]} 是同一方案（同一地区、同一时期）/ the same plan as {seen[p.plan]} "
                f"(same place and period): {p.plan}",
            )
        seen[p.plan] = p.file


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_BENCH: Workbench | None = None
LINK_BATCH = 1000  # reused plans whose files one forked child links (``_plans``)


def _init_worker() -> None:
    """A worker inherits the parent's workbench (forked); its long-lived objects are frozen
    out of the garbage collector, which otherwise rescans them while a plan's graphs are
    built (10% of a plan's time)."""
    global _BENCH
    die_with_parent()
    if _BENCH is None:
        _BENCH = Workbench.load()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _work(job: tuple[Path, bytes, Path, str]) -> PlanOutput:
    path, data, tmp, key = job
    assert _BENCH is not None
    return build_plan(path, data, tmp, key, _BENCH)


def build(
    inputs: Iterable[Path] | None,
    out: Path,
    jobs: int | None = None,
    progress: Progress | None = None,
    incremental: bool = True,
) -> BuildResult:
    """Run the whole pipeline and write the build folder ``out`` atomically.

    ``jobs`` worker processes build the plans (default: one per core); ``progress`` is
    called with the number of plans finished (built or reused) each time one finishes;
    ``incremental`` reuses the plans of the previous ``out`` whose key has not changed.
    ``out`` must be new, empty or a build folder (``folders.check_output``)."""
    started = (time.perf_counter(), time.process_time())
    given = list(inputs) if inputs else None
    files = plan_files(given)
    folders.check_output(out, folders.BUILD, given or [PLANS_DIR])
    with folders.lock(out):
        folders.remove_stale_temporaries(out)
        return _build_locked(files, out, jobs, progress, incremental, started)


class _Bench:
    """The Workbench, loaded the first time it is needed: a rebuild that builds no plan and
    reuses the registries' outputs never loads it (1.7 s)."""

    def __init__(self) -> None:
        self._bench: Workbench | None = None

    def __call__(self) -> Workbench:
        if self._bench is None:
            self._bench = Workbench.load()
        return self._bench


def _build_locked(
    files: list[Path],
    out: Path,
    jobs: int | None,
    progress: Progress | None,
    incremental: bool,
    started: tuple[float, float],
) -> BuildResult:
    bench = _Bench()
    code = fingerprint()
    previous = out if incremental and folders.read_marker(out) is not None else None
    cores = jobs or default_jobs()
    result = BuildResult(out=out)
    tmp = folders.new_temporary(out)
    try:
        for sub in (*PLAN_DIRS, SIMILARITY_DIR, STATE_DIR):
            (tmp / sub).mkdir(parents=True)
        # without a ledger (a folder built before it, or changed since), each plan's summary is read
        ledger = read_ledger(previous, code)
        kept: dict[str, Entry] = {}  # the plans reused from the ledger, by file name
        where = _Where(tmp)  # the folder a reused plan's summary is read from when asked for
        result.plans = _plans(files, code, bench, previous, ledger, kept, where, tmp, cores, progress, result)
        _check_one_file_per_plan(result.plans)
        for p in result.plans:
            for stage, seconds in p.timings.items():
                result.timings[stage] = result.timings.get(stage, 0.0) + seconds
        lap = _lap(result, "plans", started)
        registry = reuse_registry(previous, tmp, code) or registry_outputs(tmp, bench(), code)
        (tmp / REGISTRY_STATE).write_bytes(registry.to_bytes())
        result.asserted = registry.triples + sum(p.triples for p in result.plans)
        result.inferred = registry.inferred + sum(p.inferred for p in result.plans)
        _summaries(result, registry, ledger, kept, tmp, code)
        lap = _lap(result, "registry, summaries", lap)
        same = {str(e.light["plan"]) for e in kept.values()}  # their tasks are in the similarity state
        links = similarity_step(result.plans, previous, tmp, cores, code, same)  # how many
        lap = _lap(result, "similarity", lap)
        parents = parents_step(result.plans, previous, tmp, code, cores)
        lap = _lap(result, "parents", lap)
        counts = _total(
            [
                registry.counts,
                *(p.description_counts() for p in result.plans),
                Counts({str(SK.TaskSimilarity): links}, links, {}),
                Counts({str(SK.ParentTaskMatch): parents.matches}, parents.matches, {}),
            ]
        )
        sources = sorted(iris.source(p.sha256) for p in result.plans)
        triples = result.asserted + result.inferred + LINK_TRIPLES * links + parents.triples
        description = describe(counts, triples, sources, links)
        (tmp / DATASET).write_bytes(turtle_bytes(description))
        lap = _lap(result, "description", lap)
        folders.swap_in(tmp, out, folders.BUILD)
        where.path = out
        if result._report is None:  # read when asked for: only from the file this build wrote
            result._report_file = _identity((out / VALIDATION_JSON).stat())
        _lap(result, "swap", lap)
        _lap(result, "build", started)
    except BaseException:
        folders.discard(tmp)
        raise
    return result


def _summaries(
    result: BuildResult, registry: RegistryState, ledger: Ledger | None, kept: dict[str, Entry], tmp: Path, code: str
) -> None:
    """The summary files and the ledger: each plan's pieces cut from the previous files (a
    plan reused from the ledger) or rendered, and put together (``summaries.assemble``); the
    whole merge of every result when parts' results interleave (no ledger then)."""
    parts = [registry_part(registry.report)]
    for p in result.plans:
        entry = kept.get(p.file)  # reused from the ledger
        if ledger is not None and entry is not None:
            e = entry.part
            parts.append(Part(ledger.pieces(entry), e.conforms, e.severity, e.first, e.last, e.info))
        else:
            parts.append(plan_part(p))
    assembled = assemble(parts, result.asserted, result.inferred)
    if assembled is not None:
        write_files(tmp, assembled.files)
        lines = [
            kept[p.file].line if p.file in kept else entry_line(p, part)
            for p, part in zip(result.plans, parts[1:], strict=True)
        ]
        (tmp / LEDGER).write_bytes(ledger_bytes(code, lines, assembled.at, assembled.files))
        result.conforms, result.summary = assembled.conforms, assembled.head
        return
    merged = [(registry.report.conforms, [r.__dict__ for r in registry.report.results])]
    merged += [(p.conforms, p.results) for p in result.plans]
    report, report_text = merged_report(merged)
    write_summaries(tmp, result.plans, report, report_text, result.asserted, result.inferred)
    result.conforms, result.summary, result._report = report.conforms, format_report(report).split("\n\n", 1)[0], report


def _listing(folder: Path) -> set[str] | None:
    """The names in ``folder``; None when it cannot be listed (then each name is tried)."""
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()
    except OSError:
        return None


class _Where:
    """The folder a build's plans are in: the temporary one, then the build folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def summary(self, stem: str, key: str) -> Callable[[], dict[str, Any]]:
        """A loader of a plan's summary file, wherever the folder is when it is called; the
        summary must be the one of the plan built under ``key`` (a later build may have put
        another plan's under that name)."""

        def load() -> dict[str, Any]:
            path = self.path / SUMMARIES_DIR / f"{stem}.json"
            try:
                data: dict[str, Any] = json.loads(path.read_bytes())
            except (OSError, ValueError) as exc:
                raise InputError(path, f"无法读取方案摘要 / cannot read the plan's summary: {exc}") from exc
            if not isinstance(data, dict) or data.get("key") != key:
                raise InputError(
                    path,
                    "构建目录已被之后的构建改变 / the build folder was changed by a later build since this one",
                )
            return data

        return load


def _total(parts: list[Counts]) -> Counts:
    """``parts[0] + parts[1] + …`` (``Counts.__add__``) in one pass: thousands of additions each
    making new Counters cost 0.1 s per 1,000 plans. As there, a count that sums to zero is left
    out (all counts are positive or zero, so dropping them at the end drops the same ones)."""
    if len(parts) < 2:
        return parts[0]
    classes: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    for part in parts:
        classes.update(part.classes)
        labelled.update(part.labelled)
    return Counts(
        {k: v for k, v in sorted(classes.items()) if v > 0},
        sum(part.entities for part in parts),
        {k: v for k, v in sorted(labelled.items()) if v > 0},
    )


def _lap(result: BuildResult, step: str, since: tuple[float, float]) -> tuple[float, float]:
    """Record the wall and CPU seconds of ``step`` since ``since`` (both clocks); the machine
    may be shared, so the CPU time says what the step costs where the wall time cannot."""
    now = (time.perf_counter(), time.process_time())
    result.timings[f"{step} (wall)"] = now[0] - since[0]
    result.timings[f"{step} (cpu)"] = now[1] - since[1]
    return now


def _plans(
    files: list[Path],
    code: str,
    bench: Callable[[], Workbench],
    previous: Path | None,
    ledger: Ledger | None,
    kept_entries: dict[str, Entry],
    where: _Where,
    tmp: Path,
    cores: int,
    progress: Progress | None,
    result: BuildResult,
) -> list[PlanOutput]:
    """Each plan read once, then reused from ``previous`` (same key; its summary light from the
    ``ledger``, the rest read from the folder ``where`` when asked for, and the ledger's entry
    put into ``kept_entries``; without a ledger, its summary read whole) or built: in this
    process, or on ``cores`` forked workers with at most two plans' bytes queued per worker. The
    workers start only when a second plan must be built: one plan added or replaced is built
    here (starting workers costs more). A reused plan's files are hard-linked by a forked child
    (``workers.ChildRun``, ``LINK_BATCH`` plans each) while plans are built: at 3,000 plans,
    27,000 links cost 0.36 s, as much as building the one plan added. A plan whose files
    turn out not to be all there is built afterwards, in this process."""
    outputs: list[PlanOutput | None] = [None] * len(files)
    done = 0
    pool: ProcessPoolExecutor | None = None
    pending: dict[Future[PlanOutput], int] = {}
    held: tuple[int, Path, bytes, str] | None = None  # a plan to build, until a second shows

    def collect(block_until: int) -> None:
        nonlocal done
        while len(pending) > block_until:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                outputs[pending.pop(fut)] = fut.result()
                done += 1
            if progress:
                progress(done)

    global _BENCH
    if progress:
        progress(0)
    originals = _listing(previous / ORIGINALS_DIR) if previous is not None else None
    to_link: list[tuple[int, ReusedFiles]] = []  # reused plans whose files are not linked yet
    linking: list[tuple[ChildRun, list[tuple[int, ReusedFiles]]]] = []

    def link_now() -> None:
        if to_link:
            batch = to_link[:]
            linking.append((ChildRun(ReusedFiles.link, [files for _, files in batch]), batch))
            to_link.clear()

    try:
        for f in files[:READ_AHEAD]:
            will_read(f)
        for i, f in enumerate(files):
            if i + READ_AHEAD < len(files):  # the disk reads ahead while this plan is looked at
                will_read(files[i + READ_AHEAD])
            data = read_plan_bytes(f)
            key = plan_key(f.name, data, code)
            entry = ledger.entries.get(f.name) if ledger is not None else None
            known = PlanOutput.lazy(entry.light, where.summary(f.stem, key)) if entry is not None else None
            kept = reusable(previous, f, key, known) if previous is not None else None
            if kept is not None and previous is not None:
                if entry is not None:
                    kept_entries[f.name] = entry
                outputs[i] = kept
                result.reused += 1
                to_link.append((i, ReusedFiles(previous, tmp, f, originals)))
                if len(to_link) == LINK_BATCH:
                    link_now()
                done += 1
                if progress:
                    progress(done)
                continue
            if cores == 1 or len(files) == 1:
                outputs[i] = build_plan(f, data, tmp, key, bench())
                done += 1
                if progress:
                    progress(done)
                continue
            if held is None and pool is None:  # the first plan to build waits for a second
                held = (i, f, data, key)
                continue
            if pool is None:
                _BENCH = bench()
                pool = ProcessPoolExecutor(
                    min(cores, len(files) - i + 1), mp_context=get_context("fork"), initializer=_init_worker
                )
            for j, g, gdata, gkey in [held, (i, f, data, key)] if held is not None else [(i, f, data, key)]:
                collect(2 * cores - 1)
                pending[pool.submit(_work, (g, gdata, tmp, gkey))] = j
            held = None
        link_now()
        if held is not None:  # one plan to build (a plan added or replaced): no workers to start
            j, g, gdata, gkey = held
            outputs[j] = build_plan(g, gdata, tmp, gkey, bench())
            done += 1
            if progress:
                progress(done)
        collect(0)
        while linking:
            child, batch = linking.pop(0)
            for k in child.wait():  # files gone from the previous folder: built after all
                i, reused = batch[k]
                reused.unlink()
                f = files[i]
                kept_entries.pop(f.name, None)
                result.reused -= 1
                data = read_plan_bytes(f)
                outputs[i] = build_plan(f, data, tmp, plan_key(f.name, data, code), bench())
    except BaseException:
        for fut in pending:
            fut.cancel()
        for child, _ in linking:
            child.stop()
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _BENCH = None  # only the forked workers needed it
    return [o for o in outputs if o is not None]


def terminal_progress(total: int) -> tuple[Progress | None, Callable[[], None]]:
    """A progress bar on standard error (plans done, rate, time left) when it is a terminal;
    nothing in logs and CI."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="plan", desc="build", file=sys.stderr, dynamic_ncols=True)

    def update(done: int) -> None:
        bar.update(done - bar.n)

    return update, bar.close
