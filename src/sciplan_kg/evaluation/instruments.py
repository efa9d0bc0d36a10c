"""The policy-instrument rules against a hand-coded sample: precision, recall and F1 per
instrument and per group (supply, environment, demand), micro and macro.

The sample is a TSV file as the coding manual (``docs/instruments.md`` §5) lays it out: a header
``stem	line	starts	instruments``, then one unit a line — the plan file's stem, the 1-based
line where the unit starts, its first characters as printed, and its instrument keys joined by
``;`` (``-`` for none). Lines opening with ``#`` and blank lines are skipped.

A unit is found among the tasks of the plan's records (a build folder's ``records/<stem>.json``,
or records given directly) by its line and by its text starting with ``starts`` (both folded as
the extractor folds, spaces ignored). Its codes are the rules' codes of the task's text *as the
rules stand now* (``resolve.instruments``), so the figures measure the rules, not a stale build.
A sample unit with no such task is listed in ``unmatched`` and left out of the counts.

Per instrument: a true positive is a unit both code with it, a false positive one only the rules
code with it, a false negative one only the sample codes with it. Micro sums the counts over the
fourteen instruments; macro is the mean F1 over the instruments with any item on either side.
A group is used by a unit when any of its instruments is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sciplan_kg.errors import InputError
from sciplan_kg.evaluation.compare import Counts
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.read.text import fold
from sciplan_kg.resolve.instruments import InstrumentScheme, load_scheme, task_text

HEADER = ("stem", "line", "starts", "instruments")
_HEADER_TEXT = " ⇥ ".join(HEADER)


@dataclass(frozen=True)
class SampleUnit:
    stem: str
    line: int
    starts: str
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class UnitDisagreement:
    stem: str
    line: int
    starts: str
    missed: tuple[str, ...]  # in the sample, not coded by the rules
    extra: tuple[str, ...]  # coded by the rules, not in the sample

    def to_dict(self) -> dict[str, Any]:
        return {
            "stem": self.stem,
            "line": self.line,
            "starts": self.starts,
            "missed": list(self.missed),
            "extra": list(self.extra),
        }


@dataclass
class InstrumentScores:
    """Counts per instrument and per group (scheme order), and what did not match."""

    instruments: dict[str, Counts]
    groups: dict[str, Counts]
    units: int
    exact: int  # units whose codes equal the sample's exactly
    unmatched: list[SampleUnit] = field(default_factory=list)
    disagreements: list[UnitDisagreement] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in self.instruments.values():
            total.add(c)
        return total

    @property
    def macro_f1(self) -> float | None:
        scored = [c.f1 for c in self.instruments.values() if c.items]
        return sum(scored) / len(scored) if scored else None

    def rows(self) -> list[dict[str, Any]]:
        """One row per instrument, per group, then micro and macro: the table to report."""
        out = [_row(key, c) for key, c in self.instruments.items()]
        out += [_row(key, c) for key, c in self.groups.items()]
        out.append(_row("micro", self.micro))
        macro = self.macro_f1
        out.append({"key": "macro", "f1": round(macro, 3) if macro is not None else None})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "exact": self.exact,
            "rows": self.rows(),
            "unmatched": [u.__dict__ | {"instruments": list(u.instruments)} for u in self.unmatched],
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


def _row(key: str, c: Counts) -> dict[str, Any]:
    return {
        "key": key,
        "sample": c.tp + c.fn,
        "rules": c.tp + c.fp,
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        # nothing in the sample and nothing coded (procurement in the five plans): not measured
        "precision": round(c.precision, 3) if c.items else None,
        "recall": round(c.recall, 3) if c.items else None,
        "f1": round(c.f1, 3) if c.items else None,
    }


def read_sample(path: Path, scheme: InstrumentScheme | None = None) -> list[SampleUnit]:
    """The hand-coded units of a TSV sample; an ``InputError`` names the file and line of any
    fault (a missing column, a line that is no number, an unknown instrument key)."""
    scheme = scheme or load_scheme()
    keys = {i.key for i in scheme.instruments}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"无法读取样本 / cannot read the sample: {exc.strerror or exc}") from exc
    units: list[SampleUnit] = []
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(c.strip() for c in cells) != HEADER:
                raise InputError(path, f"表头须为 {_HEADER_TEXT} / the header must be {_HEADER_TEXT}", lineno)
            header_seen = True
            continue
        if len(cells) != len(HEADER):
            raise InputError(path, f"须有{len(HEADER)}列 / expected {len(HEADER)} columns, got {len(cells)}", lineno)
        stem, line, starts, codes = (c.strip() for c in cells)
        if not line.isdigit():
            raise InputError(path, f"行号「{line}」不是数字 / line '{line}' is not a number", lineno)
        found = () if codes in ("", "-") else tuple(k.strip() for k in codes.split(";") if k.strip())
        unknown = [k for k in found if k not in keys]
        if unknown:
            raise InputError(path, f"未知的工具 {unknown} / unknown instrument keys {unknown}", lineno)
        units.append(SampleUnit(stem, int(line), starts, found))
    if not header_seen:
        raise InputError(path, "样本为空 / the sample is empty")
    return units


def score(
    sample: Path, build_or_records: Path | Mapping[str, PlanRecord], scheme: InstrumentScheme | None = None
) -> InstrumentScores:
    """Score the rules on the units of ``sample``: the tasks come from a build folder (its
    ``records/<stem>.json``) or from records given by stem."""
    scheme = scheme or load_scheme()
    units = read_sample(sample, scheme)
    tasks = _tasks(build_or_records, sorted({u.stem for u in units}))
    order = [i.key for i in scheme.instruments]
    group_of = {i.key: i.group for i in scheme.instruments}
    counts = {key: Counts() for key in order}
    groups = {g.key: Counts() for g in scheme.groups}
    result = InstrumentScores(counts, groups, units=0, exact=0)
    for unit in units:
        text = _find(tasks.get(unit.stem, []), unit)
        if text is None:
            result.unmatched.append(unit)
            continue
        result.units += 1
        gold, coded = set(unit.instruments), set(scheme.code(text))
        for key in order:
            _count(counts[key], key in gold, key in coded)
        for g in groups:
            _count(groups[g], any(group_of[k] == g for k in gold), any(group_of[k] == g for k in coded))
        if gold == coded:
            result.exact += 1
        else:
            result.disagreements.append(
                UnitDisagreement(
                    unit.stem,
                    unit.line,
                    unit.starts,
                    tuple(k for k in order if k in gold - coded),
                    tuple(k for k in order if k in coded - gold),
                )
            )
    return result


def _count(c: Counts, gold: bool, coded: bool) -> None:
    if gold and coded:
        c.tp += 1
    elif coded:
        c.fp += 1
    elif gold:
        c.fn += 1


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


def _find(tasks: list[tuple[int, str]], unit: SampleUnit) -> str | None:
    prefix = _key(unit.starts)
    for line, text in tasks:
        if line == unit.line and _key(text).startswith(prefix):
            return text
    return None


def _tasks(source: Path | Mapping[str, PlanRecord], stems: list[str]) -> dict[str, list[tuple[int, str]]]:
    """(line, text read for coding) of every task, per plan stem."""
    out: dict[str, list[tuple[int, str]]] = {}
    if isinstance(source, Mapping):
        for stem in stems:
            rec = source.get(stem)
            if rec is not None:
                out[stem] = [(t.span.line, task_text(t.title, t.text)) for _, t in rec.tasks()]
        return out
    for stem in stems:
        path = Path(source) / "records" / f"{stem}.json"
        if not path.exists():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(path, f"无法读取记录 / cannot read the records: {exc}") from exc
        out[stem] = [
            (t["span"]["line"], task_text(t["title"], t["text"])) for m in data["measures"] for t in m["tasks"]
        ]
    return out
