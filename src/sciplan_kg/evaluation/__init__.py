"""Evaluation: the build's extraction against a hand-labelled gold standard (``tests/gold/``):
precision, recall and F1 per field, and every disagreement with the line it is about.

In: gold TOML files (``gold``) and a build folder (its ``records/<stem>.json``, opened with
``pipeline.folder.BuildFolder``). Out: an ``Evaluation``. Imports ``pipeline``, ``resolve``,
``extract`` and ``read`` only (to open the build and to compare names as the build resolves
them); never ``publish``, its sibling, nor ``api`` or ``cli``.

Fields and how they are matched (``compare``): header fields, one item per plan each
(doc_number by ``number_key``, issuer and place by ``name_key``, issued, published — absent on
the build's side while the records have no such field —, title by ``title_key``, level,
period, literacy_target as (value, comparator, year)), directives (a set: number, or title
when there is none), measures (kind, no, title), tasks (same measure, text starting with the
gold ``starts``), leads and supports ((task, agency) over effective assignments, names
resolved as the build resolves them) and targets ((task, value, unit), a multiset).

Micro scores sum the counts over plans; macro scores are the mean of per-plan F1 over the
plans where the field has any gold or build item. ``header`` is the micro row over every
header field.

The parts of the plan beyond its measures (issue 18: sections, principles, goals, safeguard
commitments, phases, what targets count, the groups tasks name; ``compare.PART_FIELDS``, compared in
``parts``) are judged only for gold files labelled for them (``GoldPlan.parts``): their rows come
after the task rows, so the older rows keep their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sciplan_kg.errors import InputError
from sciplan_kg.evaluation.compare import FIELDS, ROWS, Counts, Disagreement, PlanComparison, PlanScore
from sciplan_kg.evaluation.gold import GoldPlan, read_gold

__all__ = ["FIELDS", "ROWS", "Evaluation", "FieldScore", "evaluate"]


@dataclass(frozen=True)
class FieldScore:
    """A row of the table: micro counts and scores, and the macro F1 over ``plans`` plans."""

    field: str
    micro: Counts
    macro_f1: float | None  # None when no plan has an item of the field
    plans: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "gold": self.micro.tp + self.micro.fn,
            "build": self.micro.tp + self.micro.fp,
            "tp": self.micro.tp,
            "fp": self.micro.fp,
            "fn": self.micro.fn,
            "precision": _round(self.micro.precision) if self.micro.items else None,
            "recall": _round(self.micro.recall) if self.micro.items else None,
            "f1": _round(self.micro.f1) if self.micro.items else None,
            "macro_f1": _round(self.macro_f1) if self.macro_f1 is not None else None,
            "plans": self.plans,
        }


@dataclass
class Evaluation:
    gold: Path
    build: Path
    plans: list[PlanScore]
    rows: list[FieldScore]
    disagreements: list[Disagreement]
    unlabelled: list[str] = field(default_factory=list)  # build plans no gold file labels
    notes: list[str] = field(default_factory=list)

    def row(self, name: str) -> FieldScore:
        return next(r for r in self.rows if r.field == name)

    def below(self, bar: float) -> list[FieldScore]:
        """The rows whose micro F1 is under ``bar`` (rows without any item are not judged)."""
        return [r for r in self.rows if r.micro.items and r.micro.f1 < bar]

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": str(self.gold),
            "build": str(self.build),
            "fields": [r.to_dict() for r in self.rows],
            "plans": [
                {
                    "stem": p.stem,
                    "gold": p.gold,
                    "parts": p.parts,
                    "fields": {name: _counts(p.row(name)) for name in ROWS},
                }
                for p in self.plans
            ],
            "disagreements": [d.to_dict() for d in self.disagreements],
            "unlabelled": self.unlabelled,
            "notes": self.notes,
        }


def evaluate(gold: Path, build: Path) -> Evaluation:
    """Score the build folder ``build`` against the gold file or folder of gold files ``gold``.

    A gold file whose plan is not in the build is an ``InputError`` naming the gold file."""
    from sciplan_kg.pipeline.folder import BuildFolder, plan_files_of, stem_of
    from sciplan_kg.resolve.registry import load_registry

    gold, build = Path(gold), Path(build)
    golds = read_gold(gold)
    folder = BuildFolder.open(build)
    built = sorted(stem_of(str(entry["file"])) for entry in folder.manifest["plans"])
    for plan in golds:
        if plan.stem not in built:
            raise InputError(
                plan.path,
                f"构建目录 {build} 中没有这个方案（{plan.source}）/ the build folder {build} holds no plan "
                f"{plan.source}",
                _source_line(plan),
            )
    registry = load_registry()
    scores: list[PlanScore] = []
    published = False
    for plan in sorted(golds, key=lambda p: p.stem):
        _, _, records, source, _ = plan_files_of(plan.stem)
        record = folder.read_json(records)
        if not isinstance(record, dict):
            raise InputError(folder.path / records, "不是抽取记录 / not an extraction record")
        published = published or "published" in record
        try:
            scores.append(PlanComparison(plan, record, registry, _read_text(folder.path / source)).run())
        except (AttributeError, KeyError, TypeError, ValueError) as exc:  # a field of another shape
            raise InputError(
                folder.path / records,
                f"不是抽取记录（字段格式不对），请重新构建 / not an extraction record (a field of another "
                f"shape: {type(exc).__name__}: {str(exc)[:80]}): rebuild",
            ) from exc
    labelled = {p.stem for p in golds}
    notes = []
    if not published:
        notes.append(
            "published: 抽取记录中没有发布日期字段，金标准中的发布日期都计为遗漏 / the records have no "
            "published field yet: every gold published date counts as missing"
        )
    return Evaluation(
        gold=gold,
        build=build,
        plans=scores,
        rows=[_row(name, scores) for name in ROWS],
        disagreements=sorted((d for s in scores for d in s.disagreements), key=Disagreement.sort_key),
        unlabelled=[stem for stem in built if stem not in labelled],
        notes=notes,
    )


def _row(name: str, scores: list[PlanScore]) -> FieldScore:
    micro = Counts()
    per_plan = []
    for score in scores:
        counts = score.row(name)
        micro.add(counts)
        if counts.items:
            per_plan.append(counts.f1)
    return FieldScore(name, micro, sum(per_plan) / len(per_plan) if per_plan else None, len(per_plan))


def _counts(c: Counts) -> dict[str, Any]:
    return {"tp": c.tp, "fp": c.fp, "fn": c.fn, "f1": _round(c.f1) if c.items else None}


def _round(x: float) -> float:
    return round(x, 4)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None  # lines of header values the build missed are left out; nothing else needs it


def _source_line(plan: GoldPlan) -> int | None:
    try:
        lines = plan.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    return next((no for no, line in enumerate(lines, 1) if line.lstrip().startswith("source")), None)
