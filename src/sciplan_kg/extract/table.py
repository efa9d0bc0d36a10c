"""A task table (重点任务分工): one row per task, with the measure, task, lead and support cells.

Web pages turned into text write such a table one cell per line, each cell prefixed by a tab,
rows separated by a blank line; a cell left empty continues the cell above (the measure, the
category). The header row names the columns (类别 / 任务内容 / 具体内容 / 牵头部门 / 责任部门).

A task-division table (任务分工方案) may have one column of tasks and no measure column (序号 / 工作任务 /
牵头单位 / 责任单位): its measures are then the rows that only title a group (一、青少年科学素质提升行动,
a row of one cell or one filled cell), of the kind their title names.

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
  (实施教师科学素质提升工程。将科学精神纳入…。成立…), which the table never lists as a task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.records import Assignment, Measure, PlanRecord, Span, Task
from sciplan_kg.extract.structure import (
    UNNAMED_KIND,
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
    line = pt.lines[index]
    if not P.is_inline_row(line.text):
        return None
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


def _inline_rows(pt: PlanText, begin: int) -> list[list[_Cell]]:
    """Rows written one a line from line index ``begin`` on (rules and blank lines between them
    passed over), to the first line that is neither."""
    rows: list[list[_Cell]] = []
    for i in range(begin, len(pt.lines)):
        line = pt.lines[i]
        if line.blank or P.TABLE_RULE.match(line.text):
            continue
        cells = _inline(pt, i)
        if cells is None:
            break
        rows.append(cells)
    return rows


def _rows(pt: PlanText, begin: int) -> list[list[_Cell]]:
    """Rows of tab-prefixed cells from line index ``begin`` on (or of cells one row a line,
    ``_inline_rows``, when the header is written so)."""
    if _inline(pt, begin) is not None:
        return _inline_rows(pt, begin)
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


def find_table(pt: PlanText, start: int) -> int | None:
    """Index of the first line of a task table's header row, or None."""
    for i in range(start, len(pt.lines)):
        line = pt.lines[i]
        if "牵头" in line.text and _inline(pt, i) is not None:
            return i
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
    _measures_in_category(pt, rows, cols)
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
                marked, rest = A.by_marker(pt, mentions)  # 区科协（牵头） in a 责任单位 cell leads
                if role == "support" and marked:
                    assignments.append(Assignment("lead", Span(c.start, c.end, c.line), marked))
                    mentions = rest
                if mentions:
                    assignments.append(Assignment(role, Span(c.start, c.end, c.line), mentions))  # type: ignore[arg-type]
        measure.tasks.append(
            Task(
                no=len(measure.tasks) + 1,
                title=task_title(body),
                text=body,
                span=Span(t_cell.start, t_cell.end, t_cell.line),
                assignments=assignments,
                origin="table",
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
            continue
        linked, summaries = _links(bm.tasks, tm.tasks)
        for si, ti in sorted(linked, key=lambda p: (p[1], bm.tasks[p[0]].span.start)):
            tm.tasks[ti].restated.append(bm.tasks[si].span)
        stated = {si for si, _ in linked} | summaries
        for si, t in enumerate(bm.tasks):
            if si in stated or is_heading(t.text):
                continue
            tm.tasks.append(replace(t, no=len(tm.tasks) + 1, origin="text", restated=[]))


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
