"""A task table (重点任务分工): one row per task, with the measure, task, lead and support cells.

Web pages turned into text write such a table one cell per line, each cell prefixed by a tab,
rows separated by a blank line; a cell left empty continues the cell above (the measure, the
category). The header row names the columns (类别 / 任务内容 / 具体内容 / 牵头部门 / 责任部门).

A task-division table (任务分工方案) may have one column of tasks and no measure column (序号 / 工作任务 /
牵头单位 / 责任单位): its measures are then the rows that only title a group (一、青少年科学素质提升行动,
a row of one cell or one filled cell), of the kind their title names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.records import Assignment, Measure, PlanRecord, Span, Task
from sciplan_kg.extract.structure import UNNAMED_KIND, heading_level, measure_kind, strip_prefix, task_title, theme_kind
from sciplan_kg.read.text import PlanText


@dataclass
class _Cell:
    start: int
    end: int
    line: int

    def text(self, pt: PlanText) -> str:
        return pt.folded[self.start : self.end].strip()


def _rows(pt: PlanText, begin: int) -> list[list[_Cell]]:
    """Rows of tab-prefixed cells from line index ``begin`` on."""
    rows: list[list[_Cell]] = []
    current: list[_Cell] = []
    for line in pt.lines[begin:]:
        if pt.folded[line.begin : line.begin + 1] == "\t":
            current.append(_Cell(line.start, line.end, line.no))
        elif line.blank:
            if current:
                rows.append(current)
                current = []
        else:
            if current:
                rows.append(current)
                current = []
            if rows:
                break
    if current:
        rows.append(current)
    return rows


def _columns(header: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, name in enumerate(header):
        if "牵头" in name:
            cols["lead"] = i
        elif any(w in name for w in ("责任", "配合", "参与")):
            cols["support"] = i
        elif "类别" in name or "类型" in name:
            cols["category"] = i
        elif "具体" in name or "工作任务" in name or "主要任务" in name or "任务举措" in name:
            cols["task"] = i
        elif "任务" in name or "项目" in name or "内容" in name:
            cols.setdefault("measure", i)
    if "lead" not in cols or not ({"task", "measure"} & cols.keys()):
        return None
    return cols


def find_table(pt: PlanText, start: int) -> int | None:
    """Index of the first line of a task table's header row, or None."""
    for i in range(start, len(pt.lines)):
        line = pt.lines[i]
        if "牵头" in line.text and pt.folded[line.begin : line.begin + 1] == "\t":
            j = i
            while j > start and pt.folded[pt.lines[j - 1].begin : pt.lines[j - 1].begin + 1] == "\t":
                j -= 1
            return j
    return None


def read_table(pt: PlanText, rec: PlanRecord, begin: int) -> bool:
    """Measures and tasks from the table whose header row starts at line ``begin``."""
    rows = _rows(pt, begin)
    if not rows:
        return False
    cols = _columns([c.text(pt) for c in rows[0]])
    if cols is None:
        return False
    grouped = not {"task", "measure"} <= cols.keys()  # one column of tasks: measures are group rows
    if grouped:
        cols["task"] = cols.pop("measure", cols.get("task", 0))
        if not any(_group_row(pt, row) for row in rows[1:]):
            return False  # no group rows: not a task table this reader knows
    width = len(rows[0])
    measure: Measure | None = None
    counters = {"action": 0, "project": 0}
    category = ""
    for row in rows[1:]:
        if grouped:
            group = _group_row(pt, row)
            if group is not None:
                measure = _measure(pt, rec, group, "", counters, unnamed_ok=True)
                continue
        if len(row) < width:
            rec.warn(
                "short-row",
                row[0].line,
                f"表格行只有{len(row)}列（应为{width}列）",
                f"a table row has {len(row)} cells where the header has {width}",
            )
        cell = {name: row[i] for name, i in cols.items() if i < len(row)}
        if "category" in cell and cell["category"].text(pt):
            category = cell["category"].text(pt)
        m_cell = cell.get("measure")
        if m_cell and m_cell.text(pt):
            named = _measure(pt, rec, m_cell, category, counters, unnamed_ok=False)
            if named is None:
                continue  # the rows below it stay with the measure above
            measure = named
        t_cell = cell.get("task")
        if measure is None or t_cell is None or not t_cell.text(pt):
            continue
        body = pt.quote(t_cell.start, t_cell.end).strip()
        assignments: list[Assignment] = []
        for role in ("lead", "support"):
            c = cell.get(role)
            if c and c.text(pt):
                mentions = A.split_names(pt, c.start, c.end)
                assignments.append(Assignment(role, Span(c.start, c.end, c.line), mentions))  # type: ignore[arg-type]
        measure.tasks.append(
            Task(
                no=len(measure.tasks) + 1,
                title=task_title(body),
                text=body,
                span=Span(t_cell.start, t_cell.end, t_cell.line),
                assignments=assignments,
            )
        )
    return bool(rec.measures)


def _group_row(pt: PlanText, row: list[_Cell]) -> _Cell | None:
    """The cell of a row that only titles a group of tasks (one filled cell: a numbered heading or
    a measure's name, no sentence), or None."""
    filled = [c for c in row if c.text(pt)]
    if len(filled) != 1:
        return None
    text = filled[0].text(pt)
    if "。" in text.rstrip("。") or len(text) > 60:
        return None
    return filled[0] if heading_level(text) or measure_kind(text.rstrip("。.")) else None


def _measure(
    pt: PlanText, rec: PlanRecord, m_cell: _Cell, category: str, counters: dict[str, int], *, unnamed_ok: bool
) -> Measure | None:
    """A measure from the cell naming it (numbering and 实施 cut), appended to ``rec``; None when its
    kind cannot be told (a warning names the cell)."""
    text = m_cell.text(pt)
    hl = heading_level(text)
    title_start = m_cell.start
    if hl:
        title_start += hl[1]
    title = pt.folded[title_start : m_cell.end].strip().rstrip("。.")
    cut = strip_prefix(title)  # 实施 / 开展 …
    title_start += cut
    title = title[cut:]
    kind = measure_kind(title) or measure_kind(category)
    if kind is None and unnamed_ok:
        kind = theme_kind(title)
        if kind is None:
            kind = UNNAMED_KIND
            rec.warn(
                "unnamed-measure",
                m_cell.line,
                f"「{title}」未写明是提升行动还是重点工程，暂记为重点工程",
                f"'{title}' names neither a 提升行动 nor a 工程; recorded as a project",
            )
    if kind is None:
        rec.warn(
            "unknown-measure",
            m_cell.line,
            f"无法判断「{title}」是提升行动还是重点工程",
            f"cannot tell whether '{title}' is an action or a project",
        )
        return None
    counters[kind] += 1
    end = title_start + len(title)
    measure = Measure(kind, counters[kind], pt.quote(title_start, end), Span(title_start, end, m_cell.line))
    rec.measures.append(measure)
    return measure
