"""The pipeline: plan files → records → asserted RDF → inferences → validation → build folder.

Plans are independent, so each goes through the whole chain on its own (``plan_build.py``),
on every core (``jobs``), and what it produced is kept under a key: the plan's bytes and a
fingerprint of the code, ontology, shapes and registries. A rebuild takes every plan whose
key has not changed from the previous build folder as it is, so adding or replacing one
plan in a large corpus redoes that plan's work and the corpus-wide steps only.

A build folder holds::

    graph/registry.ttl             the registries (areas, directives, measures, agency types)
    graph/registry.inferred.ttl    their inferences
    graph/<file>.ttl               one plan's asserted triples (its named graph, with …)
    graph/<file>.inferred.ttl      … the inferences it adds to the registries'
    graph/similarity.ttl           similar tasks across plans (character n-grams, see similarity.py)
    records/<file>.json            extraction records, resolved (for review and golden tests)
    plans/<file>.json              what the corpus steps need of a plan, with its key
    validation.txt                 the SHACL report for people (zh and en)
    validation.json                the same results as data
    warnings.txt                   what extraction could not find, file:line, zh and en
    coverage.json                  per plan: tasks, leads, targets, unresolved names, spans verified
    manifest.json                  inputs (name, sha256, graph) and counts

The folder is written whole to a temporary sibling and swapped in by renames, so an
interrupted build leaves the previous folder as it was.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rdflib import URIRef

from sciplan_kg.coverage import COLUMNS
from sciplan_kg.description import Counts, describe
from sciplan_kg.errors import InputError
from sciplan_kg.exporter import current_umask
from sciplan_kg.folders import swap_in
from sciplan_kg.model import iris
from sciplan_kg.model.namespaces import SK
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.plan_build import (
    GRAPH_DIR,
    SOURCE_TEXT_DIR,
    PlanOutput,
    Workbench,
    build_plan,
    fingerprint,
    plan_key,
    registry_outputs,
    reuse,
)
from sciplan_kg.serialize import turtle_bytes
from sciplan_kg.similarity import LINK_TRIPLES, similar_tasks, similarity_turtle
from sciplan_kg.validation import Report, format_report, merge_reports
from sciplan_kg.workers import die_with_parent

Progress = Callable[[int], None]


@dataclass
class BuildResult:
    out: Path
    plans: list[PlanOutput] = field(default_factory=list)
    asserted: int = 0
    inferred: int = 0
    reused: int = 0
    report: Report | None = None
    # seconds: per-plan stages summed over the plans built (CPU time across workers), and the
    # corpus steps and the whole build in wall-clock time
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return bool(self.report and self.report.conforms)


def plan_files(inputs: Iterable[Path] | None) -> list[Path]:
    """The plan files to build: each file given, and the *.txt files of each folder given."""
    given = list(inputs) if inputs else [PLANS_DIR]
    files: list[Path] = []
    for path in given:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.txt") if p.is_file())
            if not found:
                raise InputError(path, "文件夹中没有 .txt 方案文件 / no .txt plan files in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(path, "找不到文件或文件夹 / no such file or folder")
    seen: set[str] = set()
    for p in files:
        if p.stem in seen:
            raise InputError(p.name, "两个输入文件同名 / two input files share this name")
        seen.add(p.stem)
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


def _work(job: tuple[Path, Path, str]) -> PlanOutput:
    path, tmp, key = job
    assert _BENCH is not None
    return build_plan(path, tmp, key, _BENCH)


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
    ``incremental`` reuses the plans of the previous ``out`` whose key has not changed."""
    started = time.perf_counter()
    files = plan_files(inputs)
    bench = Workbench.load()
    code = fingerprint()
    keys = [plan_key(f, code) for f in files]
    result = BuildResult(out=out)
    tmp = _new_folder(out)
    try:
        (tmp / GRAPH_DIR).mkdir()
        (tmp / "records").mkdir()
        (tmp / "plans").mkdir()
        (tmp / SOURCE_TEXT_DIR).mkdir()
        outputs: list[PlanOutput | None] = [None] * len(files)
        todo = []
        for i, (f, key) in enumerate(zip(files, keys, strict=True)):
            kept = reuse(out, tmp, f, key) if incremental and out.is_dir() else None
            if kept is not None:
                outputs[i] = kept
                result.reused += 1
            else:
                todo.append(i)
        done = result.reused
        if progress:
            progress(done)
        cores = jobs or default_jobs()
        jobs = max(1, min(cores, len(todo)))
        if jobs == 1:
            for i in todo:
                outputs[i] = build_plan(files[i], tmp, keys[i], bench)
                done += 1
                if progress:
                    progress(done)
        else:
            global _BENCH
            _BENCH = bench
            with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_init_worker) as pool:
                futures = {pool.submit(_work, (files[i], tmp, keys[i])): i for i in todo}
                pending = set(futures)
                try:
                    while pending:
                        finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
                        for fut in finished:
                            outputs[futures[fut]] = fut.result()
                            done += 1
                        if progress:
                            progress(done)
                except BaseException:
                    for fut in pending:
                        fut.cancel()
                    raise
                finally:
                    _BENCH = None  # only the forked workers needed it
        result.plans = [o for o in outputs if o is not None]
        _check_one_file_per_plan(result.plans)
        for p in result.plans:
            for stage, seconds in p.timings.items():
                result.timings[stage] = result.timings.get(stage, 0.0) + seconds
        result.timings["plans (wall)"] = time.perf_counter() - started
        registry = registry_outputs(tmp, bench)
        result.asserted = registry.triples + sum(p.triples for p in result.plans)
        result.inferred = registry.inferred + sum(p.inferred for p in result.plans)
        result.report = merge_reports([registry.report, *(p.report() for p in result.plans)])
        tasks = [t for p in result.plans for t in p.tasks]
        lap = time.perf_counter()
        links = similar_tasks({URIRef(t): (URIRef(p), text) for t, p, text in tasks}, jobs=cores)
        with (tmp / GRAPH_DIR / "similarity.ttl").open("wb") as fh:
            fh.writelines(similarity_turtle(links))
        result.timings["similarity (wall)"] = time.perf_counter() - lap
        counts = registry.counts
        for p in result.plans:
            counts = counts + p.description_counts()
        counts = counts + Counts({str(SK.TaskSimilarity): len(links)}, len(links), {})
        sources = sorted(iris.source(p.sha256) for p in result.plans)
        triples = result.asserted + result.inferred + LINK_TRIPLES * len(links)
        description = describe(counts, triples, sources, len(links))
        (tmp / GRAPH_DIR / "dataset.ttl").write_bytes(turtle_bytes(description))
        _write_summaries(result, tmp)
        swap_in(tmp, out)
        result.timings["build (wall)"] = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


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


def warnings_text(plans: list[PlanOutput]) -> str:
    lines = [line for p in plans for line in p.warnings]
    return "\n".join(lines) + ("\n" if lines else "")


def _new_folder(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        # left by a build that was killed (SIGKILL leaves no chance to clean up); one build
        # writes a given folder at a time
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes 0700; give the folder the usual mode
    return tmp


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_summaries(result: BuildResult, tmp: Path) -> None:
    assert result.report is not None
    (tmp / "validation.txt").write_text(format_report(result.report), encoding="utf-8")
    (tmp / "validation.json").write_text(result.report.to_json() + "\n", encoding="utf-8")
    (tmp / "warnings.txt").write_text(warnings_text(result.plans), encoding="utf-8")
    # in the columns' order: a reused plan's row comes back from JSON with its keys sorted
    _dump(tmp / "coverage.json", [{c: p.coverage[c] for c in COLUMNS} for p in result.plans])
    manifest = {
        "plans": [p.manifest_entry() for p in result.plans],
        "asserted_triples": result.asserted,
        "inferred_triples": result.inferred,
        "conforms": result.report.conforms,
    }
    _dump(tmp / "manifest.json", manifest)
