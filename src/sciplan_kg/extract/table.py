"""A task table (重点任务分工): one row per task, with the measure, task, lead and support cells.

Web pages turned into text write such a table one cell per line, each cell prefixed by a tab,
rows separated by a blank line; a cell left empty continues the cell above (the measure, the
category). The header row names the columns (类别 / 任务内容 / 具体内容 / 牵头部门 / 责任部门).

A task-division table (任务分工方案) may have one column of tasks and no measure column (序号 / 工作任务 /
牵头单位 / 责任单位): its measures are then the rows that only title a group (一、青少年科学素质提升行动,
a row of one cell or one filled cell), of the kind their title names.

Other layouts offices paste (:func:`find_table`, :func:`_rows`, :func:`_header`, :func:`_columns`):

* a row spanning the table that names a group of measures (一、五大提升行动 / 二、五项重点工程) or a
  measure, pasted as a line of its own without tabs, after the header or between rows: a row of one
  cell, giving the kind of the rows below it, not the table's end;
* a two-row header, 责任单位 spanning 牵头单位 / 配合单位 below it (a page's colspan, or the two rows as
  text): one header, each column named by its lower cell where it has one;
* one column of bodies, 责任单位, with the plan's rule 排在第一位的为牵头单位 under the title, in a note, or
  in the header cell (责任单位（排在第一位的为牵头单位）, the note no column name): the bodies support,
  and :func:`.responsibility.first_listed_leads` makes each cell's first body its lead; 责任单位 beside
  配合单位 and no 牵头 column names the leads.

A table whose header names a task table's columns (a task and who does it) that this reader cannot read
is warned ``unread-table`` on its header's line: the plan's leads are in it, and the tasks are read from
the body without them.

**The body beside the table.** A plan with a table often states its measures in the body too, as
paragraphs of sentences (巫山: 1．实施青少年科学素质提升行动。利用科普资源助推"双减"工作…。将弘扬科学精神
贯穿于育人全链条。坚持立德树人，实施科学家精神进校园行动…), and the table's rows restate most, not all,
of those sentences. :func:`link_body` reads the body's measures as :mod:`.structure` reads any body (a
measure written as one paragraph gives a task per sentence) and pairs each with the table's measure of
the same kind and title (else the same kind and number). Then:

* a body task stating what a row states is a **restatement** of that row: its span goes to the row's
  ``Task.restated`` (see :func:`similarity` and :data:`LINK_THRESHOLD` for how "states the same" is
  measured);
* a body task no row states is a **body-only task**, appended to the measure after the table's tasks
  (``origin`` "text"); the table names no lead for it;
* unless it is a **heading** of the details after it (:func:`is_heading`): the national outline and the
  plans copying it open each group of sentences with a short one that names the line of work
  (实施教师科学素质提升工程。将科学精神纳入…。成立…), which the table never lists as a task;
* or the measure's **framing**, its one sentence in the body with no figure (（一）青少年科学素质提升行动。
  激发青少年好奇心和想象力。) while the table lists its tasks (:func:`_framing`);
* a body measure the table does not list is kept as the body gives it, its tasks and its statement of
  who leads (:func:`_add_body_measure`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.records import Assignment, Measure, MeasureKind, PlanRecord, Span, Task
from sciplan_kg.extract.structure import (
    UNNAMED_KIND,
    group_kind,
    heading_level,
    measure_kind,
    read_measures,
    strip_prefix,
    task_title,
    theme_kind,
)
from sciplan_kg.read.text import PlanText, title_key


@dataclass
class _Cell:
    start: int
    end: int
    line: int

    def text(self, pt: PlanText) -> str:
        return pt.folded[self.start : self.end].strip()


def _inline(pt: PlanText, index: int) -> list[_Cell] | None:
    """The cells of line ``index`` when it is a table row written on one line (cells between
    tabs, │ or |; a bar opening or closing the line is no cell), else None."""
    if not P.is_inline_row(pt.lines[index].text):
        return None
    return _split(pt, index)


def _split(pt: PlanText, index: int) -> list[_Cell]:
    """The cells of line ``index`` split at tabs, │ or | (see :func:`_inline`)."""
    line = pt.lines[index]
    end = pt.folded.find("\n", line.begin)
    end = len(pt.folded) if end < 0 else end
    raw = pt.folded[line.begin : end].rstrip("\r")
    cells: list[_Cell] = []
    at = line.begin
    for piece in re.split(r"[\t│|]", raw):
        s, e = at, at + len(piece)
        while s < e and pt.folded[s] == " ":
            s += 1
        while e > s and pt.folded[e - 1] in " \r":
            e -= 1
        cells.append(_Cell(s, e, line.no))
        at += len(piece) + 1
    if raw.lstrip(" ")[:1] in ("│", "|"):
        cells = cells[1:]  # │1│…│: the bar opening the line
    if raw.rstrip(" ")[-1:] in ("│", "|"):
        cells = cells[:-1]
    return cells


def _section_row(pt: PlanText, index: int) -> _Cell | None:
    """Line ``index`` as a row spanning the table, pasted as a line of its own without tabs (一、五大提升
    行动 / 二、五项重点工程 over the rows of each kind, or 一、青少年科学素质提升行动 over a measure's
    rows): one cell, when the line is short, holds no sentence and names a group of measures or a
    measure. None otherwise (the first line after the table: 注：…, 三、保障措施 is checked by the caller
    for a row after it)."""
    line = pt.lines[index]
    text = line.text
    if line.blank or len(text) > 40 or "。" in text.rstrip("。") or "\t" in pt.folded[line.begin : line.end]:
        return None
    if _inline(pt, index) is not None:
        return None
    core = _unnumbered(text)
    if group_kind(core) is None and measure_kind(core) is None:
        return None
    return _Cell(line.start, line.end, line.no)


def _unnumbered(text: str) -> str:
    """``text`` without the heading number opening it (一、 (一) 1．)."""
    hl = heading_level(text)
    return text[hl[1] :].strip() if hl else text.strip()


def _row_after(pt: PlanText, index: int, is_row: Callable[[int], bool]) -> int | None:
    """Index of the table row (``is_row``) following line ``index`` past blank lines, rules and section
    rows (一、五大提升行动 then （一）青少年科学素质提升行动, each on a line of its own), or None."""
    for j in range(index + 1, len(pt.lines)):
        line = pt.lines[j]
        if line.blank or P.TABLE_RULE.match(line.text):
            continue
        if is_row(j):
            return j
        if _section_row(pt, j) is None:
            return None
    return None


def _tabbed(pt: PlanText, index: int) -> bool:
    """Is line ``index`` a cell of a table written one cell a line (a tab opening it)?"""
    return pt.folded[pt.lines[index].begin : pt.lines[index].begin + 1] == "\t"


def _inline_rows(pt: PlanText, begin: int) -> list[list[_Cell]]:
    """Rows written one a line from line index ``begin`` on (rules and blank lines between them
    passed over, a section row without tabs kept as a row of one cell when a row follows it), to the
    first line that is neither."""
    rows: list[list[_Cell]] = []
    row_at = -1  # the row a run of section rows leads to, once found (each run looked through once)
    for i in range(begin, len(pt.lines)):
        line = pt.lines[i]
        if line.blank or P.TABLE_RULE.match(line.text):
            continue
        cells = _inline(pt, i)
        if cells is None and rows and "\t" in pt.folded[line.begin : line.end]:
            # a row whose text fills one cell, the others empty (⇥⇥⇥牵头单位⇥配合单位⇥ under 责任单位)
            cells = _split(pt, i)
        if cells is None:
            section = _section_row(pt, i) if rows else None
            if section is not None and i > row_at:
                row_at = _row_after(pt, i, lambda j: _inline(pt, j) is not None) or -1
            if section is None or i > row_at:
                break
            cells = [section]
        rows.append(cells)
    return rows


def _rows(pt: PlanText, begin: int) -> list[list[_Cell]]:
    """Rows of tab-prefixed cells from line index ``begin`` on (or of cells one row a line,
    ``_inline_rows``, when the header is written so); a section row pasted without a tab between
    them is a row of one cell."""
    if _inline(pt, begin) is not None:
        return _inline_rows(pt, begin)
    rows: list[list[_Cell]] = []
    current: list[_Cell] = []
    row_at = -1  # as in ``_inline_rows``
    for i in range(begin, len(pt.lines)):
        line = pt.lines[i]
        if _tabbed(pt, i):
            current.append(_Cell(line.start, line.end, line.no))
        elif line.blank:
            if current:
                rows.append(current)
                current = []
        else:
            if current:
                rows.append(current)
                current = []
            section = _section_row(pt, i) if rows else None
            if section is not None and i > row_at:
                row_at = _row_after(pt, i, lambda j: _tabbed(pt, j)) or -1
            if section is not None and i < row_at:
                rows.append([section])
                continue
            if rows:
                break
    if current:
        rows.append(current)
    return rows


# a header cell's note in brackets (责任单位（排在第一位的为牵头单位）): read apart from the column's name
_NOTE = re.compile(r"\([^()]*\)")
# the column of the bodies that lead: 牵头单位 / 牵头部门 / 主责单位 / 主办单位
_LEAD_COLUMN = re.compile(r"牵头|主责|主办")
# the columns of the others: 责任单位 / 配合单位 / 参与单位 / 协办单位 / 协助单位
_SUPPORT_COLUMN = re.compile(r"责任|配合|参与|协办|协助")
# a column naming the work: 重点任务 / 具体措施 / 工作内容 / 项目 / 工作事项
_WORK_COLUMN = re.compile(r"任务|措施|内容|项目|事项")
_HEADER_CELL_MAX = 30  # characters: a header cell names a column, a row's cell states something


def _columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, from the header's names; None when no column names the work or none
    names who does it.

    A note in brackets is no part of a column's name: 责任单位（排在第一位的为牵头单位） is the 责任单位
    column (its first body leads by the plan's rule, :func:`.responsibility.first_listed_leads`), not a
    column of leads. A 责任单位 column is the leads' when no column names them and one names the others
    (责任单位 / 配合单位); beside 牵头单位, or alone, it is the others' (alone: every body in it is named
    responsible, and the plan's rule, where it states one, says which leads)."""
    cols: dict[str, int] = {}
    duty: list[int] = []
    for i, written in enumerate(header):
        name = _NOTE.sub("", written)
        if _LEAD_COLUMN.search(name):
            cols["lead"] = i
        elif _SUPPORT_COLUMN.search(name):
            duty.append(i)
            cols["support"] = i
        elif "类别" in name or "类型" in name:
            cols["category"] = i
        elif "具体" in name or "工作任务" in name or "主要任务" in name or "任务举措" in name:
            cols["task"] = i
        elif "任务" in name or "项目" in name or "内容" in name:
            cols.setdefault("measure", i)
    if "lead" not in cols and len(duty) == 2 and "责任" in _NOTE.sub("", header[duty[0]]):
        # 责任单位 / 配合单位: the first names the bodies responsible, the second those helping them
        cols["lead"], cols["support"] = duty
    if not ({"lead", "support"} & cols.keys()) or not ({"task", "measure"} & cols.keys()):
        return None
    return cols


def _looks_like_header(names: list[str]) -> bool:
    """Does a row name the columns of a task table: short cells, one naming the work (任务, 措施 …) and one
    naming who does it (牵头, 责任 …)? Such a table the reader cannot read is warned (``unread-table``)."""
    filled = [_NOTE.sub("", n) for n in names if n]
    if len(filled) < 2 or any(len(n) > _HEADER_CELL_MAX for n in filled):
        return False
    return any(_WORK_COLUMN.search(n) for n in filled) and any(
        _LEAD_COLUMN.search(n) or _SUPPORT_COLUMN.search(n) for n in filled
    )


def _subheader(names: list[str]) -> bool:
    """Is a row the lower row of a two-row header (责任单位 spanning 牵头单位 / 配合单位 below it): short
    names only, one naming who does the work, no number (a task row opens with its 序号)?"""
    filled = [n for n in names if n]
    if not filled or any(len(n) > 12 or "。" in n or n.isdigit() for n in filled):
        return False
    return any(_ROLE_COLUMN.fullmatch(n) for n in filled)


# a column of bodies named by its role alone, as the lower row of a two-row header names it
_ROLE_COLUMN = re.compile(r"(?:牵头|主责|主办|责任|配合|参与|协办|协助)(?:单位|部门)?")


def _header(pt: PlanText, rows: list[list[_Cell]]) -> tuple[list[str], int]:
    """The header's column names and how many rows it takes. In a two-row header the lower row's name of
    a column, where it has one, is the column's (牵头单位 and 配合单位 under 责任单位; a column the upper
    row spans down keeps the upper name: 序号, 重点任务)."""
    upper = [c.text(pt) for c in rows[0]]
    if len(rows) < 2:
        return upper, 1
    lower = [c.text(pt) for c in rows[1]]
    if not _subheader(lower):
        return upper, 1
    width = max(len(upper), len(lower))
    upper += [""] * (width - len(upper))
    lower += [""] * (width - len(lower))
    return [low or up for up, low in zip(upper, lower, strict=True)], 2


def _measures_in_category(pt: PlanText, rows: list[list[_Cell]], cols: dict[str, int]) -> None:
    """序号 / 类别 / 重点任务 / 牵头单位 / 责任单位 with the measures named in 类别 (青少年科学素质提升
    行动) and the tasks under 重点任务 (or 工作任务): the category column is the measures', the other
    the tasks'. Only when most of its filled cells name a measure (a 类别 of 提升行动 / 重点工程 is
    a category, as in 石柱's table)."""
    if "category" not in cols or {"task", "measure"} <= cols.keys():
        return
    at = cols["category"]
    named = [row[at].text(pt) for row in rows[1:] if at < len(row) and row[at].text(pt)]
    if not named or sum(measure_kind(t.rstrip("。.")) is not None for t in named) * 2 < len(named):
        return
    if "task" not in cols:
        cols["task"] = cols.pop("measure")
    cols["measure"] = cols.pop("category")


def _row_at(pt: PlanText, index: int, *, after_inline: bool = False) -> tuple[list[_Cell], int] | None:
    """The cells of the row starting at line ``index`` and the index of the line after it, or None when
    no row starts there (a row written on one line, or the first of a row's cells written one a line).
    ``after_inline``: the line before is a row written on one line, so that a line holding a tab is one
    too, however few cells it fills (⇥⇥⇥牵头⇥配合⇥ under it)."""
    cells = _inline(pt, index)
    if cells is None and after_inline and "\t" in pt.folded[pt.lines[index].begin : pt.lines[index].end]:
        cells = _split(pt, index)
    if cells is not None:
        return cells, index + 1
    if not _tabbed(pt, index) or (index > 0 and _tabbed(pt, index - 1)):
        return None
    j = index
    while j < len(pt.lines) and _tabbed(pt, j):
        j += 1
    return [_Cell(line.start, line.end, line.no) for line in pt.lines[index:j]], j


def find_table(pt: PlanText, start: int) -> int | None:
    """Index of the first line of a task table's header row, or None: the first row from line ``start``
    on that holds 牵头 or names the columns of a task table (:func:`_looks_like_header`: 重点任务 /
    责任单位 …). The lower row of a two-row header (牵头单位 / 配合单位 under 责任单位) starts the
    table at the upper row."""
    previous: tuple[int, int] | None = None  # (first line, line after) of the row before
    i = start
    while i < len(pt.lines):
        found = _row_at(
            pt, i, after_inline=previous is not None and previous[1] == i and _inline(pt, i - 1) is not None
        )
        if found is None:
            if not pt.lines[i].blank:
                previous = None
            i += 1
            continue
        cells, after = found
        names = [c.text(pt) for c in cells]
        if _looks_like_header(names):
            return i
        if any("牵头" in n for n in names):
            if previous is not None and _subheader(names):
                return previous[0]
            return i
        previous = (i, after)
        i = after
    return None


def read_table(pt: PlanText, rec: PlanRecord, begin: int) -> bool:
    """Measures and tasks from the table whose header row starts at line ``begin``; False when there
    is none this reader can read (warned ``unread-table`` when its header names a task table's
    columns: the plan's leads are in it)."""
    rows = _rows(pt, begin)
    if not rows:
        return False
    header, taken = _header(pt, rows)
    if _read(pt, rec, header, rows[0], rows[taken:]):
        return True
    if _looks_like_header(header):
        rec.warn(
            "unread-table",
            rows[0][0].line,
            f"任务分工表（表头：{'/'.join(n for n in header if n)[:60]}）的格式未能识别，"
            "表中的任务及其牵头、配合单位均未读取，任务按正文记录",
            f"the task table (header: {'/'.join(n for n in header if n)[:60]}) is in a form not recognised: "
            "its tasks and their leads and supports are not read; the tasks are taken from the body",
        )
    return False


def _read(pt: PlanText, rec: PlanRecord, header: list[str], first: list[_Cell], body: list[list[_Cell]]) -> bool:
    """The table's measures and tasks into ``rec`` from its header's names and its rows below the
    header (``first`` is the header's first row); False when it is no task table this reader knows."""
    cols = _columns(header)
    if cols is None:
        return False
    rows = [first, *body]
    _measures_in_category(pt, rows, cols)
    grouped = not {"task", "measure"} <= cols.keys()  # one column of tasks: measures are group rows
    if grouped:
        cols["task"] = cols.pop("measure", cols.get("task", 0))
        if not any(_group_row(pt, row) for row in body):
            return False  # no group rows: not a task table this reader knows
    width = len(header)
    measure: Measure | None = None
    counters = {"action": 0, "project": 0}
    category = ""
    section: MeasureKind | None = None  # the kind a section row spanning the table names (一、五大提升行动)
    section_cell: _Cell | None = None  # that row, while no measure row follows it
    for row in body:
        group = _group_row(pt, row)
        if group is not None:
            spans = group_kind(_unnumbered(group.text(pt)))
            if spans is not None:
                section, category = spans, ""  # 二、五项重点工程: the kind of the rows below it
                if grouped:
                    measure, section_cell = None, group
                continue
            if grouped or len(row) == 1 or row.index(group) not in (cols.get("measure"), cols.get("task")):
                # a row titling the measure of the rows below it (一、青少年科学素质提升行动), across the
                # table or pasted as a line of its own
                named = _measure(pt, rec, group, "", counters, unnamed_ok=grouped, default=section)
                measure = named if named is not None else measure
                section_cell = None
                continue
        if grouped and measure is None and section_cell is not None:
            # tasks right under 一、五大提升行动, no measure row between: the section is their measure
            measure = _measure(pt, rec, section_cell, "", counters, unnamed_ok=True, default=section)
            section_cell = None
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
            named = _measure(pt, rec, m_cell, category, counters, unnamed_ok=False, default=section)
            if named is None:
                continue  # the rows below it stay with the measure above
            measure = named
        t_cell = cell.get("task")
        if measure is None or t_cell is None or not t_cell.text(pt):
            continue
        text = pt.quote(t_cell.start, t_cell.end).strip()
        assignments: list[Assignment] = []
        for role in ("lead", "support"):
            c = cell.get(role)
            if c and c.text(pt):
                mentions = A.split_names(pt, c.start, c.end)
                marked, rest = A.by_marker(pt, mentions)  # 区科协（牵头） in a 责任单位 cell leads
                if role == "support" and marked:
                    assignments.append(Assignment("lead", Span(c.start, c.end, c.line), marked))
                    mentions = rest
                if mentions:
                    assignments.append(Assignment(role, Span(c.start, c.end, c.line), mentions))  # type: ignore[arg-type]
        measure.tasks.append(
            Task(
                no=len(measure.tasks) + 1,
                title=task_title(text),
                text=text,
                span=Span(t_cell.start, t_cell.end, t_cell.line),
                assignments=assignments,
                origin="table",
            )
        )
    return bool(rec.measures)


def _group_row(pt: PlanText, row: list[_Cell]) -> _Cell | None:
    """The cell of a row that only titles a group of tasks (one filled cell: a numbered heading, a
    measure's name or a group of measures' (五大提升行动), no sentence), or None."""
    filled = [c for c in row if c.text(pt)]
    if len(filled) != 1:
        return None
    text = filled[0].text(pt)
    if "。" in text.rstrip("。") or len(text) > 60:
        return None
    core = text.rstrip("。.")
    return filled[0] if heading_level(text) or measure_kind(core) or group_kind(core) else None


def _measure(
    pt: PlanText,
    rec: PlanRecord,
    m_cell: _Cell,
    category: str,
    counters: dict[str, int],
    *,
    unnamed_ok: bool,
    default: MeasureKind | None = None,
) -> Measure | None:
    """A measure from the cell naming it (numbering and 实施 cut), appended to ``rec``; None when its
    kind cannot be told (a warning names the cell). ``default`` is the kind the section row above it
    names (一、五大提升行动), for a cell naming neither 提升行动 nor 工程."""
    text = m_cell.text(pt)
    hl = heading_level(text)
    title_start = m_cell.start
    if hl:
        title_start += hl[1]
    title = pt.folded[title_start : m_cell.end].strip().rstrip("。.")
    cut = strip_prefix(title)  # 实施 / 开展 …
    title_start += cut
    title = title[cut:]
    kind = measure_kind(title) or measure_kind(category) or default
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


# -- the body beside the table ------------------------------------------------------------------

# A body sentence restates a row when ``similarity`` reaches this: half the bigrams of the shorter side
# found in the other. Chosen on 巫山 (the one bundled plan with a body and a table), where restatements
# score 0.67 and up and the sentences no row states 0.44 and below, headings set aside (a heading scores
# up to 0.88 against the row of its detail; see :data:`NEW_SHARE`):
#   搭建家庭科学教育知识传播平台，加强对家庭科学教育的指导，提高家长科学教育意识和能力。 in the row
#   搭建家庭科学教育知识传播平台，加强对家庭科学教育的指导。加强学龄前儿童…: 0.67 (the row drops a clause)
#   组建科技志愿服务队，完善科技志愿服务管理制度。 in 完善科技志愿服务管理制度。深入实施…: 0.73
#   推动图书馆、文化馆、博物馆等公共设施开展科普活动。 (stated only in the body), best row: 0.44
LINK_THRESHOLD = 0.5
# A restatement must add to what the sentences already linked to the row cover: at least this share of
# the bigrams it has in common with the row must be ones no earlier link covers. A heading shares words
# with the row of its detail (完善现代科技馆体系。 with the row 完善以实体科技馆为依托…的现代科技馆体系。,
# 0.88) but adds nothing the detail does not already state (0 new); the least a real restatement adds
# on 巫山 is 组建科技志愿服务队，完善… to a row whose second sentence another links: 6 of 11.
NEW_SHARE = 1 / 3
# a sentence ends at 。 ; ! ? (the text is folded: ；！？ are ; ! ?)
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]*")
_WORD = re.compile(r"\w")
# a heading's verb names a direction of work, not an act: 实施 (a named programme), 加强, 完善, 健全,
# 提升, 促进, 推动, 弘扬, 树立, 贯彻, 落实, 发挥 (…作用), 探索 … after an adverb, a 将 or an 在…中 phrase
_DIRECTION = re.compile(
    r"^(?:在[^,;:。]{1,15}?中|将)?(?:深入|全面|大力|积极|认真|不断|切实|进一步|着力|持续)*"
    r"(?:实施|加强|完善|健全|建全|提升|提高|促进|推动|弘扬|树立|贯彻|落实|发挥|探索|深化|强化|优化|统筹)"
)
_HEADING_MAX = 24  # characters before the closing 。: a heading is a short line's worth
# a figure in a sentence (500人, 3个, 一百场): a commitment, never a measure's framing
_FIGURE = re.compile(r"\d|[一二两三四五六七八九十百千万]+(?:个|人|场|次|所|家|名|项|座|处|期|批)")


def bigrams(text: str) -> set[str]:
    """The character bigrams of ``text``'s words (punctuation and spaces dropped): the unit of
    :func:`similarity`, so that 活动 and 活动。 and the folded and unfolded forms compare equal."""
    chars = "".join(_WORD.findall(text))
    if len(chars) < 2:
        return {chars} if chars else set()
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _contained(a: set[str], b: set[str]) -> float:
    """The share of ``a`` found in ``b`` (0 when ``a`` is empty)."""
    return len(a & b) / len(a) if a else 0.0


def similarity(sentence: str, row: str) -> float:
    """How far a body sentence and a table row state the same thing: the bigram containment of the
    sentence in the row, or of one of the row's sentences in the body sentence, whichever is higher.

    Containment, not overlap, because either side may say more: a row may join two body sentences
    (实施科学家精神进校园行动，将科学精神融入…。开展院士专家科普校园行活动。 holds 开展院士专家科普校园行活动。:
    1.0), or keep one clause of a longer one (利用科普资源助推"双减"工作。 in 利用科普资源助推"双减"工作，统筹
    提供…，培育…。: 1.0); a row may also cut a body sentence and join it to others (建立全方位…数据资源库。
    组建专家委员会。建立多元主体协同发声机制。, whose last sentence the body continues: 建立多元主体协同发声机制，
    将应急科普与舆论引导…结合，…: 1.0)."""
    return _score(bigrams(sentence), _row_grams(row))


def _row_grams(row: str) -> tuple[set[str], list[set[str]]]:
    """A row's bigrams, whole and for each of its sentences (what :func:`similarity` compares)."""
    return bigrams(row), [bigrams(part) for part in _SENTENCE.findall(row)]


def _score(sentence: set[str], row: tuple[set[str], list[set[str]]]) -> float:
    whole, parts = row
    score = _contained(sentence, whole)
    for part in parts:
        score = max(score, _contained(part, sentence))
    return score


def is_heading(text: str) -> bool:
    """A body sentence no row states is the heading of the details after it, not a task, when it is one
    short clause naming a direction of work: at most :data:`_HEADING_MAX` characters, no comma, semicolon
    or colon inside, no list of examples (…、…等), and opening with a verb of direction (:data:`_DIRECTION`)
    — 将弘扬科学精神贯穿于育人全链条。 实施教师科学素质提升工程。 加强统筹规划和宏观指导。 在公务员考核录用中
    落实科学素质要求。 A short sentence whose verb is an act (加快县科技馆建设。 培育打造科学家精神教育基地。
    引导有创新潜质的学生个性化发展。) is a task of its own."""
    core = text.strip().rstrip("。;!?.")
    if len(core) > _HEADING_MAX or any(c in core for c in ",;:"):
        return False
    if "、" in core and "等" in core:
        return False
    return bool(_DIRECTION.match(core))


def link_body(pt: PlanText, rec: PlanRecord, start: int, end: int) -> None:
    """Read the body's measures in lines [start, end) and join them to the table's measures in ``rec``:
    restatements go to the rows' ``restated``, body-only tasks are appended (see the module's docstring).

    Links are chosen greedily, surest first (by :func:`similarity`, then longer sentences first); a
    sentence is linked to a row when it reaches :data:`LINK_THRESHOLD` and adds to what the row's earlier
    links cover (:data:`NEW_SHARE`), each row at most once per sentence. A sentence may restate several
    rows and a row may be restated by several sentences.

    A sentence that reaches the threshold with a row but adds nothing to it is a heading summing up
    details the row states (培育科普品牌活动。 before 深入开展全国科普日等综合性科普品牌活动，…。精心打造
    科普文化进万家等科普常规活动。, both in one row): it links to nothing and is no task of its own; so is
    a sentence :func:`is_heading` calls one."""
    body = replace(rec, measures=[], warnings=[])  # a scratch record: the body's own reading
    read_measures(pt, body, start, end)
    # a body read as a work plan (its groups taken for measures) is paired by title only
    by_number = not any(w.code == "measures-by-group" for w in body.warnings)
    for bm in body.measures:
        tm = _counterpart(rec, bm, by_number)
        if tm is None:
            _add_body_measure(rec, bm)
            continue
        linked, summaries = _links(bm.tasks, tm.tasks)
        for si, ti in sorted(linked, key=lambda p: (p[1], bm.tasks[p[0]].span.start)):
            tm.tasks[ti].restated.append(bm.tasks[si].span)
        stated = {si for si, _ in linked} | summaries
        if not stated and _framing(pt, bm, tm):
            continue
        for si, t in enumerate(bm.tasks):
            if si in stated or is_heading(t.text):
                continue
            tm.tasks.append(replace(t, no=len(tm.tasks) + 1, origin="text", restated=[]))


def _framing(pt: PlanText, bm: Measure, tm: Measure) -> bool:
    """Is the body's statement of a measure only its framing, no task: one sentence after the heading,
    on its line or on one unnumbered line below it (（一）青少年科学素质提升行动。激发青少年好奇心和想象力。),
    no row stating it, no figure and no statement of who does it in it, while the table lists the
    measure's tasks? A plan that puts its tasks in the table writes each measure in the body as its aim;
    with no table, :mod:`.structure` keeps that one sentence as the measure's one task. A sentence with
    a figure (培育高素质农民500人。) or a number of its own (1．开展…) commits to something: kept."""
    if len(bm.tasks) != 1 or not any(t.origin == "table" for t in tm.tasks):
        return False
    only = bm.tasks[0]
    if only.assignments or _FIGURE.search(only.text):
        return False
    return only.span.line == bm.span.line or heading_level(pt.lines[only.span.line - 1].text) is None


def _add_body_measure(rec: PlanRecord, bm: Measure) -> None:
    """A measure the body states and the table does not list (农民科学素质提升行动 in the body, the table
    covering the youth action only): kept as the body gives it, its tasks and its own statement
    (（县农业农村局牵头）), after the table's measures of its kind numbered below it (numbered on from
    the table's where the table has one of its number under another title)."""
    taken = {m.no for m in rec.measures if m.kind == bm.kind}
    no = bm.no if bm.no not in taken else max(taken) + 1
    measure = replace(bm, no=no)
    at = len(rec.measures)
    same = [i for i, m in enumerate(rec.measures) if m.kind == bm.kind]
    if same:
        at = max((i + 1 for i in same if rec.measures[i].no < no), default=same[0])
    elif bm.kind == "action":
        at = next((i for i, m in enumerate(rec.measures) if m.kind != "action"), at)
    rec.measures.insert(at, measure)


def _counterpart(rec: PlanRecord, bm: Measure, by_number: bool) -> Measure | None:
    """The table's measure a body measure states: same kind and title, else (``by_number``) same kind
    and number (科普信息化工程 in the body, 科普信息化提升工程 in the table, both the second project)."""
    same_kind = [m for m in rec.measures if m.kind == bm.kind]
    key = title_key(bm.title)
    titled = next((m for m in same_kind if title_key(m.title) == key), None)
    if titled is not None or not by_number:
        return titled
    return next((m for m in same_kind if m.no == bm.no), None)


def _links(sentences: list[Task], rows: list[Task]) -> tuple[list[tuple[int, int]], set[int]]:
    """(sentence, row) index pairs, and the sentences that reach the threshold with a row but are
    linked to none (headings summing up their details): see :func:`link_body`."""
    # each text's bigrams made once, not once per pair (``similarity`` of every pair)
    grams = [bigrams(s.text) for s in sentences]
    row_parts = [_row_grams(r.text) for r in rows]
    row_grams = [whole for whole, _ in row_parts]
    candidates = []
    for si in range(len(sentences)):
        for ri in range(len(rows)):
            score = _score(grams[si], row_parts[ri])
            if score >= LINK_THRESHOLD:
                candidates.append((-score, -len(grams[si]), si, ri))
    covered: list[set[str]] = [set() for _ in rows]
    out: list[tuple[int, int]] = []
    for _, _, si, ri in sorted(candidates):
        shared = grams[si] & row_grams[ri]
        if not shared or len(shared - covered[ri]) < NEW_SHARE * len(shared):
            continue
        covered[ri] |= shared
        out.append((si, ri))
    linked = {si for si, _ in out}
    return out, {si for _, _, si, _ in candidates if si not in linked}
