"""The pipeline: plan files → records → asserted RDF → inferences → validation → build folder.

A build folder holds::

    records/<file>.json   extraction records, resolved (for review and golden tests)
    asserted.ttl          asserted triples: registries and every plan
    inferred.ttl          OWL 2 RL inferences, nothing else
    similarity.ttl        similar tasks across plans (character n-grams, see similarity.py)
    validation.txt        the SHACL report for people (zh and en)
    validation.json       the same results as data
    warnings.txt          what extraction could not find, file:line, zh and en
    coverage.json         per plan: tasks, leads, targets, unresolved names, spans verified
    manifest.json         inputs (name, sha256) and counts

The folder is written whole to a temporary sibling and swapped in by renames, so an
interrupted build leaves the previous folder as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from sciplan_kg.coverage import Coverage, coverage
from sciplan_kg.errors import InputError
from sciplan_kg.exporter import current_umask
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.extract.text import read_plan_text
from sciplan_kg.model.rdf import plan_graph, registry_graph
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.reason import infer
from sciplan_kg.registry import Registry, load_registry
from sciplan_kg.resolve import resolve
from sciplan_kg.serialize import turtle_bytes
from sciplan_kg.similarity import similarity_graph
from sciplan_kg.store import load_ontology
from sciplan_kg.validation import Report, format_report, validate_graph


@dataclass
class PlanResult:
    path: Path
    record: PlanRecord
    triples: int
    coverage: Coverage


@dataclass
class BuildResult:
    out: Path
    plans: list[PlanResult] = field(default_factory=list)
    asserted: int = 0
    inferred: int = 0
    report: Report | None = None

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
    names = [p.name for p in files]
    for name in names:
        if names.count(name) > 1:
            raise InputError(name, "两个输入文件同名 / two input files share this name")
    return files


def extract_all(files: list[Path], reg: Registry) -> list[tuple[PlanResult, Graph]]:
    out = []
    for path in files:
        pt = read_plan_text(path)
        rec = resolve(extract_text(pt), reg)
        if rec.title is None and not rec.measures:
            raise InputError(
                path,
                "不像是科学素质实施方案：没有标题，也没有提升行动或重点工程 / "
                "does not look like a scientific-literacy plan: no title and no actions or projects",
            )
        g = plan_graph(rec, reg, pt.raw)
        out.append((PlanResult(path, rec, len(g), coverage(rec, g, pt.raw)), g))
    return out


def build(inputs: Iterable[Path] | None, out: Path) -> BuildResult:
    """Run the whole pipeline and write the build folder ``out`` atomically."""
    reg = load_registry()
    files = plan_files(inputs)
    ontology = load_ontology()
    asserted = registry_graph(reg)
    result = BuildResult(out=out)
    for plan_result, g in extract_all(files, reg):
        result.plans.append(plan_result)
        asserted += g
    inferred = infer(asserted, ontology)
    result.asserted, result.inferred = len(asserted), len(inferred)
    result.report = validate_graph(asserted + inferred + ontology)
    similar = similarity_graph(asserted)
    _write(result, asserted, inferred, similar)
    return result


def warnings_text(plans: list[PlanResult]) -> str:
    lines = []
    for p in plans:
        for w in p.record.warnings:
            where = f"{p.path.name}:{w.line}" if w.line else p.path.name
            lines.append(f"{where}: [{w.code}] {w.zh} / {w.en}")
    return "\n".join(lines) + ("\n" if lines else "")


def _write(result: BuildResult, asserted: Graph, inferred: Graph, similar: Graph) -> None:
    out = result.out
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        # left by a build that was killed (SIGKILL leaves no chance to clean up); one build
        # writes a given folder at a time
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes 0700; give the folder the usual mode
    try:
        (tmp / "records").mkdir()
        for p in result.plans:
            data = json.dumps(p.record.to_dict(), ensure_ascii=False, indent=1, sort_keys=True)
            (tmp / "records" / f"{p.path.stem}.json").write_text(data + "\n", encoding="utf-8")
        (tmp / "asserted.ttl").write_bytes(turtle_bytes(asserted))
        (tmp / "inferred.ttl").write_bytes(turtle_bytes(inferred))
        (tmp / "similarity.ttl").write_bytes(turtle_bytes(similar))
        assert result.report is not None
        (tmp / "validation.txt").write_text(format_report(result.report), encoding="utf-8")
        (tmp / "validation.json").write_text(result.report.to_json() + "\n", encoding="utf-8")
        (tmp / "warnings.txt").write_text(warnings_text(result.plans), encoding="utf-8")
        rows = [p.coverage.row() for p in result.plans]
        (tmp / "coverage.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        manifest = {
            "plans": [
                {
                    "file": p.path.name,
                    "sha256": p.record.sha256,
                    "title": p.record.title,
                    "measures": len(p.record.measures),
                    "tasks": len(p.record.tasks()),
                    "agencies": len(p.record.agencies),
                    "triples": p.triples,
                    "warnings": len(p.record.warnings),
                }
                for p in result.plans
            ],
            "asserted_triples": result.asserted,
            "inferred_triples": result.inferred,
            "conforms": result.report.conforms,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished folder ``tmp`` where ``out`` is, keeping ``out`` until the last moment."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "输出位置已有同名文件 / the output path is a file, not a folder")
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.tmp-old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
