"""Task tables in the layouts other offices paste them in (second extraction audit, B1, B5, D4): a
section row spanning the table (一、五大提升行动) written as a line without tabs, a two-row header (责任单位
over 牵头单位 / 配合单位), one 责任单位 column with the rule 排在第一位的为牵头单位, a table the reader cannot
read (warned, never silent), a body measure the table does not list (kept), and a measure's one framing
sentence in the body beside the table (no task). The plan is a short county plan whose body states each
measure in a sentence and whose annex table lists the tasks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.read.text import plan_text

HEAD = """示例县人民政府办公室关于印发示例县全民科学素质行动规划纲要实施方案（2021—2025年）的通知
示政办发〔2022〕8号
各乡镇人民政府，县直各单位：
现将《示例县全民科学素质行动规划纲要实施方案（2021—2025年）》印发给你们，请认真贯彻落实。
示例县人民政府办公室
2022年3月15日
示例县全民科学素质行动规划纲要实施方案（2021—2025年）
根据《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号），制定本方案。
一、主要目标
到2025年，全县公民具备科学素质的比例超过13%。
二、重点任务
"""
BODY = """（一）青少年科学素质提升行动。激发青少年好奇心和想象力。
（二）农民科学素质提升行动。提升农民科技文化素质。
（三）科普信息化提升工程。推动科普与信息技术深度融合。
"""
TAIL = """三、保障措施
县财政将科普经费纳入预算。
附件
示例县全民科学素质行动重点任务分工表
"""
HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
YOUTH = [
    [
        "1",
        "青少年科学素质提升行动",
        "开展科学家精神进校园活动，每年不少于10场。",
        "县教育局",
        "县科协、团县委",
        "2025年底",
    ],
    ["2", "", "推进馆校合作，建设科学教育基地3个。", "县科协", "县教育局", "2023年底"],
]
FARMERS = [["3", "农民科学素质提升行动", "培育高素质农民500人。", "县农业农村局", "县人社局", "持续推进"]]
PROJECT = [["4", "科普信息化提升工程", "注册科普信息员1000名。", "县科协", "县融媒体中心", "2025年底"]]
# what the table says: (kind, measure, task, [(role, body)])
EXPECTED = [
    (
        "action",
        "青少年科学素质提升行动",
        "开展科学家精神进校园活动，每年不少于10场。",
        [("lead", "县教育局"), ("support", "县科协"), ("support", "团县委")],
    ),
    (
        "action",
        "青少年科学素质提升行动",
        "推进馆校合作，建设科学教育基地3个。",
        [("lead", "县科协"), ("support", "县教育局")],
    ),
    ("action", "农民科学素质提升行动", "培育高素质农民500人。", [("lead", "县农业农村局"), ("support", "县人社局")]),
    ("project", "科普信息化提升工程", "注册科普信息员1000名。", [("lead", "县科协"), ("support", "县融媒体中心")]),
]


def _inline(rows: list[list[str]]) -> str:
    """A row a line, cells between tabs (a table copied out of Word)."""
    return "".join("\t".join(r) + "\n" for r in rows)


def _cells(rows: list[list[str]]) -> str:
    """A cell a line after a tab, rows apart by a blank line (a page's table as the reader writes it)."""
    return "".join("".join(f"\t{c}\n" for c in r) + "\n" for r in rows)


def _extract(table: str, body: str = BODY, name: str = "plan.txt") -> PlanRecord:
    return extract_text(plan_text(HEAD + body + TAIL + table, name))


def _rows(rec: PlanRecord) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    return [
        (m.kind, m.title, t.text, [(a.role, x.written) for a in t.assignments for x in a.mentions])
        for m, t in rec.tasks()
    ]


def _codes(rec: PlanRecord) -> set[str]:
    return {w.code for w in rec.warnings}


# -- B1 (a): a section row spanning the table, pasted as a line without tabs --------------------------


@pytest.mark.parametrize("form", [_inline, _cells])
@pytest.mark.parametrize(
    "sections",
    [
        ("一、五大提升行动", "二、五项重点工程"),  # 苍溪: after the header and in the middle
        ("一、提升行动", "二、重点工程"),
        ("（一）五大提升行动", "（二）五大重点工程"),
        ("五大提升行动", "五大重点工程"),  # no number
    ],
)
def test_a_section_row_without_tabs_is_passed_over(form, sections: tuple[str, str]) -> None:
    """The line 一、五大提升行动 after the header ended the table at its header (the table was dropped and
    every task lost its lead without a word); 二、五项重点工程 in the middle dropped the rows after it."""
    first, second = sections
    table = form([HEADER]) + first + "\n" + form(YOUTH + FARMERS) + second + "\n" + form(PROJECT)
    rec = _extract(table)
    assert _rows(rec) == EXPECTED
    assert not {"short-row", "unread-table", "no-lead"} & _codes(rec)


def test_the_section_row_names_the_kind_of_the_measures_below_it() -> None:
    """A measure cell naming neither 提升行动 nor 工程 (科普信息化) takes the kind of the section row above
    it: a project under 二、五项重点工程."""
    project = [[PROJECT[0][0], "科普信息化", *PROJECT[0][2:]]]
    table = (
        _inline([HEADER]) + "一、五大提升行动\n" + _inline(YOUTH + FARMERS) + "二、五项重点工程\n" + _inline(project)
    )
    rec = _extract(table, body=BODY.replace("（三）科普信息化提升工程。推动科普与信息技术深度融合。\n", ""))
    assert [(m.kind, m.no, m.title) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升行动"),
        ("action", 2, "农民科学素质提升行动"),
        ("project", 1, "科普信息化"),
    ]
    assert "unknown-measure" not in _codes(rec)


def test_a_heading_after_the_table_is_no_section_row() -> None:
    """A heading line after the last row with no row after it (the plan goes on) ends the table."""
    table = _inline([HEADER, *YOUTH, *FARMERS, *PROJECT]) + "四、其他事项\n本方案自印发之日起施行。\n"
    rec = _extract(table)
    assert _rows(rec) == EXPECTED


def test_a_measure_row_pasted_without_tabs_titles_the_rows_below() -> None:
    """A table of one task column (序号 / 工作任务 / 牵头单位 / 责任单位) with its measures as rows spanning
    it, pasted as lines of their own, under section rows of the kind: each measure row is a measure,
    the section rows are none."""
    rows = [
        "序号\t工作任务\t牵头单位\t责任单位",
        "一、五大提升行动",
        "（一）青少年科学素质提升行动",
        "1\t开展科学家精神进校园活动，每年不少于10场。\t县教育局\t县科协、团县委",
        "（二）农民科学素质提升行动",
        "2\t培育高素质农民500人。\t县农业农村局\t县人社局",
        "二、五项重点工程",
        "（一）科普信息化提升工程",
        "3\t注册科普信息员1000名。\t县科协\t县融媒体中心",
    ]
    rec = _extract("\n".join(rows) + "\n")
    assert [(m.kind, m.no, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升行动", 1),
        ("action", 2, "农民科学素质提升行动", 1),
        ("project", 1, "科普信息化提升工程", 1),
    ]
    one_each = [EXPECTED[i] for i in (0, 2, 3)]  # the rows, one task under each measure
    assert [(t.origin, t.text) for _, t in rec.tasks()] == [("table", task) for _, _, task, _ in one_each]
    assert [roles for *_, roles in _rows(rec)] == [roles for *_, roles in one_each]
    assert not {"unnamed-measure", "unread-table"} & _codes(rec)


# -- B1 (b): a two-row header ------------------------------------------------------------------------

UPPER = ["序号", "重点任务", "具体措施", "责任单位", "", "完成时限"]
LOWER = ["", "", "", "牵头单位", "配合单位", ""]


@pytest.mark.parametrize("form", [_inline, _cells])
def test_a_two_row_header_is_one_header(form) -> None:
    """责任单位 over 牵头单位 / 配合单位: the header was taken to be the row holding 牵头, which has no
    task column, and the table was dropped."""
    rec = _extract(form([UPPER, LOWER, *YOUTH, *FARMERS, *PROJECT]))
    assert _rows(rec) == EXPECTED
    assert not {"short-row", "unread-table", "no-lead"} & _codes(rec)


def test_a_two_row_header_in_a_page(tmp_path: Path) -> None:
    """The same header in a saved page: 责任单位 colspan=2 over 牵头单位 / 配合单位, the other header cells
    rowspan=2, the measure cell rowspan=2 (邢台)."""
    head = "".join(f"<p>{line}</p>\n" for line in (HEAD + BODY + TAIL).splitlines())
    cells = []
    for row in YOUTH + FARMERS + PROJECT:
        if not row[1]:
            cells.append("<tr>" + "".join(f"<td>{c}</td>" for i, c in enumerate(row) if i != 1) + "</tr>")
        elif row is YOUTH[0]:
            cells.append(
                "<tr>"
                + "".join(f'<td rowspan="2">{c}</td>' if i == 1 else f"<td>{c}</td>" for i, c in enumerate(row))
                + "</tr>"
            )
        else:
            cells.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    table = (
        '<table border="1"><tr><td rowspan="2">序号</td><td rowspan="2">重点任务</td><td rowspan="2">具体措施</td>'
        '<td colspan="2">责任单位</td><td rowspan="2">完成时限</td></tr>'
        "<tr><td>牵头单位</td><td>配合单位</td></tr>" + "".join(cells) + "</table>"
    )
    page = tmp_path / "plan.html"
    page.write_text(f'<html><head><meta charset="utf-8"></head><body>{head}{table}</body></html>', encoding="utf-8")
    rec = extract_file(page)
    assert _rows(rec) == EXPECTED
    assert not {"unread-table", "no-lead"} & _codes(rec)


def test_a_two_row_header_found_by_its_lower_row() -> None:
    """The upper row names no body's role (单位 spanning 牵头 / 配合): the lower row, holding 牵头, is
    found first and the table starts at the row above it."""
    upper = ["序号", "重点任务", "具体措施", "单位", "", "完成时限"]
    lower = ["", "", "", "牵头", "配合", ""]
    rec = _extract(_inline([upper, lower, *YOUTH, *FARMERS, *PROJECT]))
    assert _rows(rec) == EXPECTED


# -- B1 (c): one 责任单位 column and the rule 排在第一位的为牵头单位 -------------------------------------


def _one_column(header_cell: str = "责任单位") -> list[list[str]]:
    header = ["序号", "重点任务", "具体措施", header_cell, "完成时限"]
    return [header] + [[*r[:3], f"{r[3]}、{r[4]}", r[5]] for r in YOUTH + FARMERS + PROJECT]


@pytest.mark.parametrize(
    ("rule_above", "header_cell", "note_below"),
    [
        ("（责任单位排在第一位的为牵头单位）\n", "责任单位", ""),  # 吴江: under the table's title
        ("", "责任单位（排在第一位的为牵头单位）", ""),  # in the header cell
        ("", "责任单位", "注：责任单位中排在第一位的为牵头单位。\n"),  # a note under the table
        ("", "责任单位（排名第一的为牵头单位）", ""),
    ],
)
def test_one_column_of_bodies_and_the_rule_first_listed_leads(
    rule_above: str, header_cell: str, note_below: str
) -> None:
    """序号 / 重点任务 / 具体措施 / 责任单位 / 完成时限 has no 牵头 column: the table was dropped. With the
    rule, the first body of each cell leads and the others support; the rule written in the header cell
    made the cell a column of leads, every body in it a lead."""
    rec = _extract(rule_above + _inline(_one_column(header_cell)) + note_below)
    assert _rows(rec) == EXPECTED
    assert not {"unread-table", "no-lead"} & _codes(rec)


def test_one_column_of_bodies_without_the_rule_names_them_all_responsible() -> None:
    """Without a rule the table is read all the same, every body supporting, and each task is warned
    with no lead (the plan does not say who leads)."""
    rec = _extract(_inline(_one_column()))
    assert [(kind, task) for kind, _, task, _ in _rows(rec)] == [(k, t) for k, _, t, _ in EXPECTED]
    assert all(role == "support" for *_, roles in _rows(rec) for role, _ in roles)
    assert "unread-table" not in _codes(rec)
    assert sum(w.code == "no-lead" for w in rec.warnings) == 4


def test_the_responsible_column_leads_beside_a_column_of_helpers() -> None:
    """责任单位 / 配合单位 with no 牵头 column: the 责任单位 are the ones responsible, the 配合单位 help."""
    header = ["序号", "重点任务", "具体措施", "责任单位", "配合单位", "完成时限"]
    rec = _extract(_inline([header, *YOUTH, *FARMERS, *PROJECT]))
    assert _rows(rec) == EXPECTED


def test_a_lead_column_named_otherwise() -> None:
    """主责单位 / 协办单位: the same table."""
    header = ["序号", "重点任务", "具体措施", "主责单位", "协办单位", "完成时限"]
    rec = _extract(_inline([header, *YOUTH, *FARMERS, *PROJECT]))
    assert _rows(rec) == EXPECTED


# -- B1: a task table that cannot be read is warned ----------------------------------------------------


def test_a_task_table_that_cannot_be_read_is_warned() -> None:
    """A header naming a task table's columns (工作任务, 牵头单位) over rows this reader cannot place (one
    column of tasks and no row naming their measure): the body's tasks are kept, and the plan says the
    table was not read, where it was only one no-lead per task."""
    rows = [["序号", "工作任务", "牵头单位", "责任单位"]] + [[r[0], r[2], r[3], r[4]] for r in YOUTH + FARMERS]
    rec = _extract(_inline(rows))
    unread = [w for w in rec.warnings if w.code == "unread-table"]
    assert len(unread) == 1
    assert unread[0].line == (HEAD + BODY + TAIL).count("\n") + 1
    assert "工作任务/牵头单位/责任单位" in unread[0].zh and "not read" in unread[0].en
    assert all(t.origin == "text" for _, t in rec.tasks())


def test_a_table_of_something_else_is_not_warned() -> None:
    """A table after the plan naming no task and no body's role (a schedule) is no task table: no warning."""
    rows = [["阶段", "时间", "工作"], ["启动阶段", "2022年", "制定方案"], ["实施阶段", "2023年", "组织实施"]]
    rec = _extract(_inline(rows))
    assert "unread-table" not in _codes(rec)


# -- B5: a body measure the table does not list ----------------------------------------------------------


def test_a_body_measure_the_table_does_not_list_is_kept() -> None:
    """The table lists the youth action only; the body states the farmers' action with its own task and
    its own lead: the measure was dropped with its task. It is kept as the body gives it."""
    body = (
        "（一）青少年科学素质提升行动。激发青少年好奇心和想象力。\n"
        "（二）农民科学素质提升行动。提升农民科技文化素质。\n"
        "1.培育高素质农民。到2025年培育高素质农民500人。（县农业农村局牵头）\n"
        "（一）科普信息化提升工程。推动科普与信息技术深度融合。\n"
    )
    rec = _extract(_inline([HEADER, *YOUTH, *PROJECT]), body=body)
    assert [(m.kind, m.no, m.title) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升行动"),
        ("action", 2, "农民科学素质提升行动"),
        ("project", 1, "科普信息化提升工程"),
    ]
    farmers = rec.measures[1]
    assert [(t.origin, t.title) for t in farmers.tasks] == [("text", "培育高素质农民")]
    assert [(a.role, [x.written for x in a.mentions]) for a in farmers.tasks[0].assignments] == [
        ("lead", ["县农业农村局"])
    ]


def test_a_body_measure_numbered_as_a_table_measure_is_numbered_on() -> None:
    """A body measure whose number a table measure of another title holds (a work plan's groups are paired
    by title only) is numbered after the table's measures of its kind."""
    from sciplan_kg.extract.records import Measure, Span
    from sciplan_kg.extract.table import _add_body_measure

    rec = _extract(_inline([HEADER, *YOUTH, *FARMERS, *PROJECT]))
    extra = Measure("action", 1, "老年人科学素质提升行动", Span(0, 1, 1))
    _add_body_measure(rec, extra)
    assert [(m.kind, m.no) for m in rec.measures] == [("action", 1), ("action", 2), ("action", 3), ("project", 1)]
    assert rec.measures[2].title == "老年人科学素质提升行动"


# -- D4: a measure's one framing sentence in the body -------------------------------------------------------


@pytest.mark.parametrize(
    "youth",
    [
        "（一）青少年科学素质提升行动。激发青少年好奇心和想象力。\n",
        "（一）青少年科学素质提升行动\n激发青少年好奇心和想象力。\n",
    ],
)
def test_a_measures_framing_sentence_beside_the_table_is_no_task(youth: str) -> None:
    """The body writes each measure as its aim, the table lists its tasks: the aim was a task of its own
    with no lead (one spurious task per measure)."""
    body = BODY.replace("（一）青少年科学素质提升行动。激发青少年好奇心和想象力。\n", youth)
    rec = _extract(_inline([HEADER, *YOUTH, *FARMERS, *PROJECT]), body=body)
    assert _rows(rec) == EXPECTED
    assert all(t.origin == "table" for _, t in rec.tasks())
    assert "no-lead" not in _codes(rec)


@pytest.mark.parametrize(
    "sentence",
    [
        "开展青少年科技创新大赛3场。",  # a figure: a commitment
        "开展青少年科技创新大赛。开展科技夏令营活动。",  # two sentences: the body states tasks
        "1．开展青少年科技创新大赛。",  # numbered: a task
    ],
)
def test_a_body_task_beside_the_table_stays_a_task(sentence: str) -> None:
    youth = f"（一）青少年科学素质提升行动\n{sentence}\n"
    body = BODY.replace("（一）青少年科学素质提升行动。激发青少年好奇心和想象力。\n", youth)
    rec = _extract(_inline([HEADER, *YOUTH, *FARMERS, *PROJECT]), body=body)
    youth_tasks = rec.measures[0].tasks
    assert [t.origin for t in youth_tasks][:2] == ["table", "table"]
    assert any(t.origin == "text" and "科技创新大赛" in t.text for t in youth_tasks)


def test_tasks_right_under_a_section_row_keep_it_as_their_measure() -> None:
    """A table of one task column whose only group rows are the section rows (一、五大提升行动 over its
    tasks, no row per measure): the tasks stay, under the section as their measure, never dropped."""
    rows = [
        "序号\t工作任务\t牵头单位\t责任单位",
        "一、五大提升行动",
        "1\t开展科学家精神进校园活动，每年不少于10场。\t县教育局\t县科协、团县委",
        "2\t培育高素质农民500人。\t县农业农村局\t县人社局",
    ]
    rec = _extract("\n".join(rows) + "\n")
    first = rec.measures[0]
    assert (first.kind, first.title, [t.origin for t in first.tasks]) == ("action", "五大提升行动", ["table", "table"])


def test_a_run_of_section_rows_is_looked_through_once() -> None:
    """Lines that look like section rows after the header, with no row after them, are looked through
    once (each looking ahead to the end was quadratic)."""

    def cost(n: int) -> float:
        text = HEAD + BODY + TAIL + _inline([HEADER, *YOUTH]) + "一、五大提升行动\n" * n
        started = time.perf_counter()
        extract_text(plan_text(text, "run.txt"))
        return time.perf_counter() - started

    # the least of a few runs, and a floor under the small one: a busy machine slows a run, never speeds one
    small, large = min(cost(2_000) for _ in range(3)), min(cost(16_000) for _ in range(2))
    assert large < 24 * max(small, 0.05), f"8x the input took {large / max(small, 1e-9):.0f}x the time"


# -- where the body ends: a table after the safeguards with no 附件 line before it ----------------------

NO_ANNEX = TAIL.replace("附件\n", "")


@pytest.mark.parametrize("form", [_inline, _cells])
@pytest.mark.parametrize("header", ["two rows", "one column"])
def test_a_table_with_no_annex_line_before_it_ends_the_body(form, header: str) -> None:
    """With no 附件 line, the body ended only at a header row holding 牵头: a two-row header (责任单位
    over 牵头/配合) or a lone 责任单位 column was read as the safeguards' text, silently."""
    if header == "two rows":
        rows = [UPPER, LOWER, *YOUTH, *FARMERS, *PROJECT]
        rule = ""
    else:
        rows = _one_column()
        rule = "（责任单位排在第一位的为牵头单位）\n"
    rec = extract_text(plan_text(HEAD + BODY + NO_ANNEX + rule + form(rows), "plan.txt"))
    assert _rows(rec) == EXPECTED
    assert not {"unread-table", "no-lead"} & _codes(rec)
