"""The gold standard: hand-labelled TOML files, one per plan (``tests/gold/<stem>.toml``).

A gold file looks like this (the labellers' rules are in ``docs/annotation.md``)::

    source = "003_120be5be3c056120.txt"

    [header]
    doc_number = "万府发〔2022〕6号"          # "" when the plan prints none
    issuer = "万年县人民政府"
    issued = "2022-11-16"                     # 成文日期, ISO
    published = ""                            # 发布日期 when stated apart from the 成文日期
    title = "万年县全民科学素质行动规划纲要实施方案（2021—2025年）"
    place = "万年县"
    level = "county"
    period = [2021, 2025]
    literacy_target = { value = 14.0, comparator = "eq", year = 2025 }
    directives = ["国发〔2021〕9号", "…"]       # by number; by title when the plan gives none

    [[measure]]
    kind = "action"                           # action | project
    no = 1
    title = "青少年科学素质提升行动"
    line = 35
    lead = ["县教体局", "县科协"]
    support = []

    [[task]]
    measure = "action 1"
    no = 1
    line = 36
    starts = "将科学精神贯穿于育人全链条"
    lead = ["县教体局", "县科协"]             # effective: the task's own, else the measure's
    support = ["团县委"]
    open_list = false
    targets = [ { value = 200, unit = "名", quote = "培训200名以上科技辅导员" } ]

A file labelled for the whole plan (issue 18) adds tables for the parts beyond the measures, and
``indicator`` / ``scope`` / ``frequency`` on targets (the literacy target too) and ``groups`` on
tasks::

    [[section]]                               # every section by what it does
    kind = "safeguards"                       # SECTION_KINDS
    level = 1                                 # 1 for 一、, 2 for （一）
    line = 59
    title = "工作保障"

    [[principle]]                             # each principle of 基本原则
    line = 29
    title = "坚持党的全面领导"

    [[goal]]                                  # each sentence of the goals section
    kind = "qualitative"                      # GOAL_KINDS
    line = 34
    starts = "科普供给侧改革成效显著"

    [[commitment]]                            # each sentence of a safeguards section
    line = 63
    starts = "县委、县政府分管领导每年至少听"
    kinds = ["leadership"]                    # COMMITMENT_KINDS, the first the main one
    agencies = ["县委", "县政府"]
    chair = ""
    targets = [ { value = 2, unit = "次", quote = "每年至少听取2次", frequency = "每年" } ]

    [[phase]]                                 # each phase of a timetable
    name = "启动实施"
    start = 2021
    end = 2021
    line = 123

A file with at least one ``[[section]]`` is labelled for the whole plan (``GoldPlan.parts``): a
table it leaves out then means the plan has none (巫山 has no principles). A file without
``[[section]]`` labels the header, measures and tasks only, and the new fields are not judged.

``""`` (and an empty ``period`` or ``literacy_target``) means the plan states no such thing. Every
way a file is not this is an ``InputError`` naming the file and, where it can be told, the line:
the line of the key, or of the table it sits in (``[[task]] #3: …`` names the table and its
index among the tables of that name).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sciplan_kg.errors import InputError

LEVELS = ("county", "district", "city", "prefecture", "province", "national")
COMPARATORS = ("gt", "ge", "eq")
KINDS = ("action", "project")
# schemes of issue 18 (records.SectionKind, records.GoalKind, data/registry/safeguards.toml)
SECTION_KINDS = (
    "background", "guidance", "principles", "goals", "tasks", "actions", "projects", "safeguards", "schedule", "other"
)  # fmt: skip
GOAL_KINDS = ("literacy", "quantitative", "qualitative", "relative", "vision")
COMMITMENT_KINDS = (
    "leadership", "coordination", "planning", "funding", "assessment", "monitoring", "incentives", "regulation",
    "talent", "publicity", "research", "other",
)  # fmt: skip
TABLES = ("measure", "task", "section", "principle", "goal", "commitment", "phase")
HEADER_STRINGS = ("doc_number", "issuer", "issued", "published", "title", "place", "level")
_MEASURE_REF = re.compile(r"^(action|project) ([1-9]\d*)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class GoldTarget:
    value: float
    unit: str
    quote: str
    indicator: str | None = None  # the thing counted, as printed (科技辅导员)
    scope: str | None = None  # where or per what it holds (每所学校, 全县)
    frequency: str | None = None  # 每年, 每学期


@dataclass(frozen=True)
class GoldMeasure:
    kind: str
    no: int
    title: str
    line: int | None
    lead: tuple[str, ...]
    support: tuple[str, ...]

    @property
    def ref(self) -> str:
        """How a task names it: ``action 1``, ``project 3``."""
        return f"{self.kind} {self.no}"


@dataclass(frozen=True)
class GoldTask:
    measure: str  # "<kind> <no>"
    no: int
    line: int | None
    starts: str
    lead: tuple[str, ...]  # effective leads
    support: tuple[str, ...]  # effective supports (leads removed when compared)
    open_list: bool
    targets: tuple[GoldTarget, ...]
    groups: tuple[str, ...] = ()  # population groups the task names, as printed


@dataclass(frozen=True)
class GoldSection:
    kind: str
    level: int
    line: int
    title: str


@dataclass(frozen=True)
class GoldPrinciple:
    line: int
    title: str


@dataclass(frozen=True)
class GoldGoal:
    kind: str
    line: int
    starts: str


@dataclass(frozen=True)
class GoldCommitment:
    line: int
    starts: str
    kinds: tuple[str, ...]  # the first is the main kind
    agencies: tuple[str, ...]  # as printed
    chair: str  # "" when none
    targets: tuple[GoldTarget, ...]


@dataclass(frozen=True)
class GoldPhase:
    name: str
    start: int | None
    end: int | None
    line: int | None


@dataclass(frozen=True)
class GoldPlan:
    path: Path  # the gold file
    source: str  # the plan file's name, as in the build's manifest
    header: dict[str, Any]  # HEADER_STRINGS as str ("" = absent), period, literacy_target, directives
    measures: tuple[GoldMeasure, ...] = ()
    tasks: tuple[GoldTask, ...] = field(default=())
    parts: bool = False  # labelled for the whole plan (has [[section]] tables): the issue-18 fields are judged
    sections: tuple[GoldSection, ...] = ()
    principles: tuple[GoldPrinciple, ...] = ()
    goals: tuple[GoldGoal, ...] = ()
    commitments: tuple[GoldCommitment, ...] = ()
    phases: tuple[GoldPhase, ...] = ()

    @property
    def stem(self) -> str:
        return Path(self.source).stem


def gold_files(gold: Path) -> list[Path]:
    """The gold files: ``gold`` itself, or every ``*.toml`` in the folder ``gold`` (sorted)."""
    if gold.is_dir():
        files = sorted(p for p in gold.glob("*.toml") if p.is_file())
        if not files:
            raise InputError(gold, "文件夹中没有金标准文件（*.toml）/ no gold files (*.toml) in the folder")
        return files
    if not gold.exists():
        raise InputError(gold, "找不到文件或文件夹 / no such file or folder")
    return [gold]


def read_gold(gold: Path) -> list[GoldPlan]:
    """Every gold plan under ``gold`` (a file or a folder of them); one plan per gold file."""
    plans: list[GoldPlan] = []
    seen: dict[str, Path] = {}
    for path in gold_files(gold):
        plan = read_gold_file(path)
        if plan.stem in seen:
            raise InputError(
                path,
                f"与 {seen[plan.stem]} 标注的是同一方案 / labels the same plan as {seen[plan.stem]} ({plan.source})",
                _Lines(path.read_text(encoding="utf-8")).key(None, 0, "source"),
            )
        seen[plan.stem] = path
        plans.append(plan)
    return plans


def read_gold_file(path: Path) -> GoldPlan:
    """One gold file, checked against the format above."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"无法读取 / cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, "不是 UTF-8 文本 / not UTF-8 text", raw[: exc.start].count(b"\n") + 1) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(path, f"TOML 格式错误 / malformed TOML: {exc}", int(m.group(1)) if m else None) from exc
    return _Reader(path, text).plan(data)


class _Lines:
    """Where a key sits in the file, for messages: the line of ``key =`` inside the n-th table
    ``[[kind]]`` (or ``[kind]``; ``None`` for the top of the file)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.tables: list[tuple[int, str]] = []  # (line, name) of every table header
        for no, line in enumerate(self.lines, 1):
            m = re.match(r"^\s*\[\[?\s*([A-Za-z_.-]+)\s*\]\]?\s*(?:#.*)?$", line)
            if m:
                self.tables.append((no, m.group(1)))

    def table(self, kind: str | None, index: int) -> tuple[int, int]:
        """(first line, last line) of the n-th table ``kind``."""
        if kind is None:
            return 1, (self.tables[0][0] - 1 if self.tables else len(self.lines))
        starts = [i for i, (_, name) in enumerate(self.tables) if name == kind]
        if index >= len(starts):
            return 1, len(self.lines)
        at = starts[index]
        end = self.tables[at + 1][0] - 1 if at + 1 < len(self.tables) else len(self.lines)
        return self.tables[at][0], end

    def key(self, kind: str | None, index: int, key: str | None) -> int | None:
        first, last = self.table(kind, index)
        if key is not None:
            pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
            for no in range(first, last + 1):
                if pattern.match(self.lines[no - 1]):
                    return no
        return first if kind is not None else None


class _Reader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)

    def fail(self, kind: str | None, index: int, key: str | None, message: str) -> InputError:
        where = f"[[{kind}]] #{index + 1}: " if kind in TABLES else ""
        return InputError(self.path, where + message, self.lines.key(kind, index, key))

    # -- values -----------------------------------------------------------------------------
    def string(self, table: dict[str, Any], key: str, kind: str | None, index: int, required: bool = True) -> str:
        if key not in table:
            if required:
                raise self.fail(kind, index, None, f"缺少 {key} / missing {key}")
            return ""
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(kind, index, key, f"{key} 应为字符串 / {key} must be a string")
        return value.strip()

    def integer(
        self, table: dict[str, Any], key: str, kind: str | None, index: int, required: bool = True
    ) -> int | None:
        if key not in table:
            if required:
                raise self.fail(kind, index, None, f"缺少 {key} / missing {key}")
            return None
        value = table[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(kind, index, key, f"{key} 应为非负整数 / {key} must be a whole number ≥ 0")
        return value

    def names(self, table: dict[str, Any], key: str, kind: str, index: int) -> tuple[str, ...] | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(kind, index, key, f"{key} 应为非空字符串列表 / {key} must be a list of names")
        return tuple(re.sub(r"\s+", "", v) for v in value)

    def number(self, table: dict[str, Any], key: str, kind: str, index: int, where: str) -> float:
        value = table.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            raise self.fail(kind, index, where, f"{where}.{key} 应为数值 / {where}.{key} must be a number")
        return float(value)

    # -- tables -----------------------------------------------------------------------------
    def plan(self, data: dict[str, Any]) -> GoldPlan:
        source = self.string(data, "source", None, 0)
        if not source:
            raise self.fail(None, 0, "source", "source 为空 / source is empty")
        header = data.get("header")
        if not isinstance(header, dict):
            raise self.fail(None, 0, None, "缺少 [header] 表 / missing the [header] table")
        tables: dict[str, list[dict[str, Any]]] = {}
        for key in TABLES:
            value = data.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise self.fail(None, 0, key, f"{key} 应写作 [[{key}]] 表 / {key} must be [[{key}]] tables")
            tables[key] = value
        measures, tasks = tables["measure"], tables["task"]
        gold_measures = tuple(self.measure(m, i) for i, m in enumerate(measures))
        refs = [m.ref for m in gold_measures]
        for i, ref in enumerate(refs):
            if ref in refs[:i]:
                raise self.fail("measure", i, "no", f"重复的措施 / the measure {ref} is labelled twice")
        inherited = {m.ref: m for m in gold_measures}
        return GoldPlan(
            path=self.path,
            source=source,
            header=self.header(header),
            measures=gold_measures,
            tasks=tuple(self.task(t, i, inherited) for i, t in enumerate(tasks)),
            parts=bool(tables["section"]),
            sections=tuple(self.section(x, i) for i, x in enumerate(tables["section"])),
            principles=tuple(self.principle(x, i) for i, x in enumerate(tables["principle"])),
            goals=tuple(self.goal(x, i) for i, x in enumerate(tables["goal"])),
            commitments=tuple(self.commitment(x, i) for i, x in enumerate(tables["commitment"])),
            phases=tuple(self.phase(x, i) for i, x in enumerate(tables["phase"])),
        )

    def header(self, table: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {key: self.string(table, key, "header", 0, required=False) for key in HEADER_STRINGS}
        if out["issued"] and not _ISO_DATE.match(out["issued"]):
            raise self.fail("header", 0, "issued", "issued 应为 YYYY-MM-DD / issued must be YYYY-MM-DD")
        if out["published"] and not _ISO_DATE.match(out["published"]):
            raise self.fail("header", 0, "published", "published 应为 YYYY-MM-DD / published must be YYYY-MM-DD")
        if out["level"] and out["level"] not in LEVELS:
            raise self.fail("header", 0, "level", f"level 应为 {' | '.join(LEVELS)} / level must be one of them")
        period = table.get("period", "")
        if period in ("", []):
            out["period"] = None
        elif (
            isinstance(period, list)
            and len(period) == 2
            and all(isinstance(y, int) and not isinstance(y, bool) for y in period)
        ):
            out["period"] = (period[0], period[1])
        else:
            raise self.fail(
                "header", 0, "period", "period 应为 [起始年, 结束年] / period must be [first year, last year]"
            )
        target = table.get("literacy_target", "")
        if target in ("", {}):
            out["literacy_target"] = None
            out["literacy_detail"] = None
        elif isinstance(target, dict):
            value = self.number(target, "value", "header", 0, "literacy_target")
            comparator = target.get("comparator")
            if comparator not in COMPARATORS:
                raise self.fail(
                    "header", 0, "literacy_target", "comparator 应为 gt | ge | eq / comparator must be gt, ge or eq"
                )
            year = self.integer(target, "year", "header", 0, required=False)
            out["literacy_target"] = (value, comparator, year)
            out["literacy_detail"] = GoldTarget(value, "%", "", *self.described(target, "header", 0, "literacy_target"))
        else:
            raise self.fail("header", 0, "literacy_target", "literacy_target 应为表 / literacy_target must be a table")
        directives = table.get("directives", [])
        if not isinstance(directives, list) or not all(isinstance(d, str) for d in directives):
            raise self.fail(
                "header", 0, "directives", "directives 应为字符串列表 / directives must be a list of strings"
            )
        out["directives"] = tuple(d.strip() for d in directives if d.strip())
        return out

    def measure(self, table: dict[str, Any], index: int) -> GoldMeasure:
        kind = self.string(table, "kind", "measure", index)
        if kind not in KINDS:
            raise self.fail("measure", index, "kind", "kind 应为 action | project / kind must be action or project")
        no = self.integer(table, "no", "measure", index)
        assert no is not None
        return GoldMeasure(
            kind=kind,
            no=no,
            title=self.string(table, "title", "measure", index),
            line=self.integer(table, "line", "measure", index, required=False),
            lead=self.names(table, "lead", "measure", index) or (),
            support=self.names(table, "support", "measure", index) or (),
        )

    def task(self, table: dict[str, Any], index: int, measures: dict[str, GoldMeasure]) -> GoldTask:
        ref = self.string(table, "measure", "task", index)
        if not _MEASURE_REF.match(ref):
            raise self.fail(
                "task", index, "measure", f'measure 应写作 "action 1" / measure must read like "action 1", not {ref!r}'
            )
        if ref not in measures:
            raise self.fail("task", index, "measure", f"没有标注措施 {ref} / no [[measure]] is labelled {ref}")
        no = self.integer(table, "no", "task", index)
        assert no is not None
        starts = self.string(table, "starts", "task", index)
        if not re.sub(r"\s+", "", starts):
            raise self.fail("task", index, "starts", "starts 为空 / starts is empty")
        lead = self.names(table, "lead", "task", index)
        support = self.names(table, "support", "task", index)
        open_list = table.get("open_list", False)
        if not isinstance(open_list, bool):
            raise self.fail(
                "task", index, "open_list", "open_list 应为 true 或 false / open_list must be true or false"
            )
        gold_targets = self.targets(table, "task", index)
        groups = self.names(table, "groups", "task", index) or ()
        measure = measures[ref]
        return GoldTask(
            measure=ref,
            no=no,
            line=self.integer(table, "line", "task", index, required=False),
            starts=starts,
            lead=measure.lead if lead is None else lead,  # a task that leaves the key out inherits
            support=measure.support if support is None else support,
            open_list=open_list,
            targets=gold_targets,
            groups=groups,
        )

    # -- issue 18: targets that say what they count; the parts of the plan beyond its measures ---
    def described(self, table: dict[str, Any], kind: str, index: int, where: str) -> tuple[str | None, ...]:
        """A target's ``indicator``, ``scope`` and ``frequency`` (``None`` when left out or "")."""
        out: list[str | None] = []
        for key in ("indicator", "scope", "frequency"):
            value = table.get(key, "")
            if not isinstance(value, str):
                raise self.fail(kind, index, where, f"{where}.{key} 应为字符串 / {where}.{key} must be a string")
            out.append(re.sub(r"\s+", "", value) or None)
        return tuple(out)

    def targets(self, table: dict[str, Any], kind: str, index: int) -> tuple[GoldTarget, ...]:
        targets = table.get("targets", [])
        if not isinstance(targets, list) or not all(isinstance(t, dict) for t in targets):
            raise self.fail(kind, index, "targets", "targets 应为表的列表 / targets must be a list of tables")
        out = []
        for t in targets:
            unit = t.get("unit")
            if not isinstance(unit, str) or not unit.strip():
                raise self.fail(kind, index, "targets", "targets.unit 应为非空字符串 / targets.unit must be a string")
            value = self.number(t, "value", kind, index, "targets")
            out.append(
                GoldTarget(value, unit.strip(), str(t.get("quote", "")), *self.described(t, kind, index, "targets"))
            )
        return tuple(out)

    def line(self, table: dict[str, Any], kind: str, index: int) -> int:
        line = self.integer(table, "line", kind, index)
        assert line is not None
        if line < 1:
            raise self.fail(kind, index, "line", "line 应从 1 起 / line must be 1 or more")
        return line

    def one_of(self, table: dict[str, Any], key: str, kind: str, index: int, allowed: tuple[str, ...]) -> str:
        value = self.string(table, key, kind, index)
        if value not in allowed:
            raise self.fail(
                kind, index, key, f"{key} 应为 {' | '.join(allowed)} 之一 / {key} must be one of them, not {value!r}"
            )
        return value

    def prefix(self, table: dict[str, Any], key: str, kind: str, index: int) -> str:
        value = re.sub(r"\s+", "", self.string(table, key, kind, index))
        if not value:
            raise self.fail(kind, index, key, f"{key} 为空 / {key} is empty")
        return value

    def section(self, table: dict[str, Any], index: int) -> GoldSection:
        kind = self.one_of(table, "kind", "section", index, SECTION_KINDS)
        level = self.integer(table, "level", "section", index)
        if level not in (1, 2, 3):
            raise self.fail("section", index, "level", "level 应为 1、2 或 3 / level must be 1, 2 or 3")
        return GoldSection(
            kind, level, self.line(table, "section", index), self.prefix(table, "title", "section", index)
        )

    def principle(self, table: dict[str, Any], index: int) -> GoldPrinciple:
        return GoldPrinciple(self.line(table, "principle", index), self.prefix(table, "title", "principle", index))

    def goal(self, table: dict[str, Any], index: int) -> GoldGoal:
        kind = self.one_of(table, "kind", "goal", index, GOAL_KINDS)
        return GoldGoal(kind, self.line(table, "goal", index), self.prefix(table, "starts", "goal", index))

    def commitment(self, table: dict[str, Any], index: int) -> GoldCommitment:
        line = self.line(table, "commitment", index)
        starts = self.prefix(table, "starts", "commitment", index)
        kinds = self.names(table, "kinds", "commitment", index) or ()
        if not kinds:
            raise self.fail("commitment", index, "kinds", "kinds 为空 / kinds is empty: a commitment has a kind")
        for k in kinds:
            if k not in COMMITMENT_KINDS:
                raise self.fail(
                    "commitment",
                    index,
                    "kinds",
                    f"kinds 中的 {k!r} 不是保障类别 / {k!r} in kinds is not one of {', '.join(COMMITMENT_KINDS)}",
                )
        return GoldCommitment(
            line=line,
            starts=starts,
            kinds=kinds,
            agencies=self.names(table, "agencies", "commitment", index) or (),
            chair=re.sub(r"\s+", "", self.string(table, "chair", "commitment", index, required=False)),
            targets=self.targets(table, "commitment", index),
        )

    def phase(self, table: dict[str, Any], index: int) -> GoldPhase:
        name = self.prefix(table, "name", "phase", index)
        start = self.integer(table, "start", "phase", index, required=False)
        end = self.integer(table, "end", "phase", index, required=False)
        if start is not None and end is not None and end < start:
            raise self.fail("phase", index, "end", f"end {end} 早于 start {start} / end {end} is before start {start}")
        return GoldPhase(name, start, end, self.integer(table, "line", "phase", index, required=False))
