"""Who is responsible, written on a measure's heading line or right after a task's title (the audit
of other offices' plans, findings B3, B6, B7): a bracket closing the heading
(（一）青少年科学素质提升行动（牵头单位：旗教育局；配合单位：旗妇联）), the one sentence after the
heading (（一）青少年科学素质提升行动。由市教育局牵头，市委宣传部配合。), a bracket after a task's
title followed by the task's sentences (1.开展职业技能培训（旗人社局牵头）。面向企业职工…).

Each case is a short county plan (the template of test_responsibility_forms) in which only the
heading line, the group heading above it or the first task changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract.records import Assignment, Measure, PlanRecord

HEAD = """示例县人民政府办公室
关于印发示例县全民科学素质行动规划纲要实施方案（2021—2025年）的通知
示例府办发〔2022〕3号
示例县人民政府办公室
2022年5月5日
示例县全民科学素质行动规划纲要实施方案（2021—2025年）
根据《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号），制定本方案。
到2025年，全县公民具备科学素质的比例超过12%。
{group}
{heading}
{intro}
1.{task1}
2.提升科学教育水平。培训200名以上科技辅导员。
（二）农民科学素质提升行动
1.培育高素质农民。开展农民教育培训。
牵头部门：县农业农村局
"""
TASK1 = "弘扬科学精神。开展科学家精神进校园活动。"
PLAIN = "一、重点任务"  # a heading over the measures that names no group of measures
GROUP = "一、五大提升行动"  # a group heading: its sub-headings are measures whatever their titles


def _plan(
    tmp_path: Path, heading: str, *, group: str = PLAIN, intro: str = "", task1: str = TASK1
) -> tuple[PlanRecord, str]:
    text = HEAD.format(group=group, heading=heading, intro=intro, task1=task1)
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return extract_file(path), text


def _roles(assignments: list[Assignment]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in assignments:
        out.setdefault(a.role, []).extend(m.written for m in a.mentions)
    return out


def _youth(rec: PlanRecord, text: str) -> Measure:
    """The first measure, checked to be the youth action with its two tasks, its title quoting the plan."""
    assert [m.title for m in rec.measures] == ["青少年科学素质提升行动", "农民科学素质提升行动"]
    youth = rec.measures[0]
    assert text[youth.span.start : youth.span.end] == youth.title
    assert [t.title for t in youth.tasks] == ["弘扬科学精神", "提升科学教育水平"]
    return youth


# -- B3: the statement in brackets (or labels) on the heading line ---------------------------------

HEADING_STATEMENTS = [
    (
        "（一）青少年科学素质提升行动（牵头单位：县教育局、县科协；配合单位：县委宣传部、团县委、县妇联）",
        {"lead": ["县教育局", "县科协"], "support": ["县委宣传部", "团县委", "县妇联"]},
    ),
    (
        "（一）青少年科学素质提升行动（县教育局牵头，县科协、团县委配合）",
        {"lead": ["县教育局"], "support": ["县科协", "团县委"]},
    ),
    ("（一）青少年科学素质提升行动 （县教育局、县科协负责）", {"lead": ["县教育局", "县科协"]}),
    ("（一）青少年科学素质提升行动〔牵头部门：县教育局〕", {"lead": ["县教育局"]}),
    (
        "（一）青少年科学素质提升行动【牵头单位：县教育局；责任单位：县科协】",
        {"lead": ["县教育局"], "support": ["县科协"]},
    ),
    ("（一）青少年科学素质提升行动（牵头单位：县教育局）。激发青少年好奇心和想象力。", {"lead": ["县教育局"]}),
    (
        "（一）青少年科学素质提升行动　【牵头单位】县教育局　【配合单位】县科协",
        {"lead": ["县教育局"], "support": ["县科协"]},
    ),
    (
        "（一）青少年科学素质提升行动　牵头单位：县教育局；配合单位：县科协",
        {"lead": ["县教育局"], "support": ["县科协"]},
    ),
]


@pytest.mark.parametrize(("heading", "expected"), HEADING_STATEMENTS)
@pytest.mark.parametrize("group", [PLAIN, GROUP], ids=["plain", "group"])
def test_a_statement_closing_the_heading_line_is_the_measures(
    tmp_path: Path, heading: str, expected: dict[str, list[str]], group: str
) -> None:
    """The title ends before the statement, the measure is recognised by its name (without a group
    heading it was dropped with its tasks), and the statement is the measure's lead and support."""
    rec, text = _plan(tmp_path, heading, group=group)
    youth = _youth(rec, text)
    assert _roles(youth.assignments) == expected
    assert all(not t.assignments for t in youth.tasks)
    assert "no-lead" not in {w.code for w in rec.warnings}


@pytest.mark.parametrize("note", ["（2021—2025年）", "（含学龄前儿童）"])
@pytest.mark.parametrize("group", [PLAIN, GROUP], ids=["plain", "group"])
def test_a_note_closing_the_heading_does_not_hide_the_measure(tmp_path: Path, note: str, group: str) -> None:
    """A bracket that states nobody (a period, a scope) ends no measure's name: without a group
    heading the measure and its tasks are kept (they were dropped), and in both forms the measure
    is named by its name, without the note."""
    rec, text = _plan(tmp_path, f"（一）青少年科学素质提升行动{note}", group=group)
    assert _youth(rec, text).assignments == []


def test_a_heading_stating_its_leads_is_no_introduction_to_paragraph_tasks(tmp_path: Path) -> None:
    """A measure written in paragraphs: when the heading's line holds only the statement, the first
    paragraph below is the introduction and the others are the tasks (as under a bare heading)."""
    body = (
        "（一）青少年科学素质提升行动（县教育局牵头，县科协配合）\n"
        "激发青少年好奇心和想象力。\n"
        "弘扬科学精神。开展活动。\n"
    )
    text = HEAD.replace("{heading}\n{intro}\n1.{task1}\n2.提升科学教育水平。培训200名以上科技辅导员。\n", body)
    path = tmp_path / "plan.txt"
    path.write_text(text.format(group=PLAIN), encoding="utf-8")
    rec = extract_file(path)
    youth = rec.measures[0]
    assert youth.title == "青少年科学素质提升行动"
    assert _roles(youth.assignments) == {"lead": ["县教育局"], "support": ["县科协"]}
    assert [t.title for t in youth.tasks] == ["弘扬科学精神"]


def test_a_work_plan_group_heading_with_its_statement_is_still_a_group(tmp_path: Path) -> None:
    """工作要点 naming no measure: 二、加强青少年科学教育（牵头单位：县教育局） over numbered items is
    a group of items (its own line holds nothing but the statement), and the statement is its lead."""
    text = (
        "示例县科协2023年科普工作要点\n"
        "一、总体目标\n全年开展科普活动100场。\n"
        "二、加强青少年科学教育（牵头单位：县教育局；配合单位：县科协）\n"
        "1.开展科技节活动。每年举办一次。\n2.开展科学家精神进校园活动。\n"
        "三、推进科普信息化建设\n1.建设科普网站。\n2.开设科普专栏。\n"
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    rec = extract_file(path)
    assert [(m.title, len(m.tasks)) for m in rec.measures] == [("加强青少年科学教育", 2), ("推进科普信息化建设", 2)]
    assert _roles(rec.measures[0].assignments) == {"lead": ["县教育局"], "support": ["县科协"]}


# -- B7: the statement as the one sentence after the heading on its line ---------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        (
            "（一）青少年科学素质提升行动。由县教育局、县科协牵头，县委宣传部、团县委、县妇联配合。",
            {"lead": ["县教育局", "县科协"], "support": ["县委宣传部", "团县委", "县妇联"]},
        ),
        (
            "（一）青少年科学素质提升行动。县教育局牵头，县科协、团县委配合。",
            {"lead": ["县教育局"], "support": ["县科协", "团县委"]},
        ),
        (
            "（一）实施青少年科学素质提升行动。牵头单位：县教育局；配合单位：县科协。",
            {"lead": ["县教育局"], "support": ["县科协"]},
        ),
        (
            "（一）青少年科学素质提升行动。县教育局为牵头单位，县科协为配合单位。",
            {"lead": ["县教育局"], "support": ["县科协"]},
        ),
    ],
)
def test_the_one_sentence_after_the_heading_states_the_measures_leads(
    tmp_path: Path, heading: str, expected: dict[str, list[str]]
) -> None:
    rec, text = _plan(tmp_path, heading)
    youth = _youth(rec, text)
    assert _roles(youth.assignments) == expected
    assert "no-lead" not in {w.code for w in rec.warnings}


def test_a_one_sentence_introduction_is_no_statement(tmp_path: Path) -> None:
    """The sentence after the heading that introduces the measure names nobody."""
    rec, text = _plan(tmp_path, "（一）青少年科学素质提升行动。激发青少年好奇心和想象力。")
    assert _youth(rec, text).assignments == []


# -- B6: a statement in brackets right after a task's title, the task going on -------------------


@pytest.mark.parametrize(
    ("task1", "expected"),
    [
        ("弘扬科学精神（县教育局牵头）。开展科学家精神进校园活动，每年组织宣讲10场以上。", {"lead": ["县教育局"]}),
        (
            "弘扬科学精神（县教育局牵头，县科协、团县委配合）。开展科学家精神进校园活动，每年组织宣讲10场以上。",
            {"lead": ["县教育局"], "support": ["县科协", "团县委"]},
        ),
        (
            "弘扬科学精神（牵头单位：县教育局）。开展科学家精神进校园活动，每年组织宣讲10场以上。",
            {"lead": ["县教育局"]},
        ),
        (
            "弘扬科学精神【牵头单位：县教育局；配合单位：县科协】。开展科学家精神进校园活动，每年组织宣讲10场以上。",
            {"lead": ["县教育局"], "support": ["县科协"]},
        ),
    ],
)
def test_a_statement_after_a_task_title_keeps_the_tasks_text(
    tmp_path: Path, task1: str, expected: dict[str, list[str]]
) -> None:
    """The bracket is read as the task's; the text goes on to its end (it quotes the plan, bracket
    included) and the target after the bracket is found; the title is the name without the bracket."""
    rec, text = _plan(tmp_path, "（一）青少年科学素质提升行动", task1=task1)
    task = _youth(rec, text).tasks[0]
    assert _roles(task.assignments) == expected
    assert task.text == task1
    assert text[task.span.start : task.span.end] == task.text
    assert [(t.value, t.unit) for t in task.targets] == [(10.0, "场")]
    # read, though kept in the text: no warning that it was not
    assert "unread-responsibility" not in {w.code for w in rec.warnings}


def test_a_statement_after_a_task_title_keeps_the_tasks_next_lines(tmp_path: Path) -> None:
    """The task goes on on the next line: its text runs to the end of its last line."""
    task1 = "弘扬科学精神（县教育局牵头）。开展科学家精神进校园活动，\n每年组织宣讲10场以上。"
    rec, text = _plan(tmp_path, "（一）青少年科学素质提升行动", task1=task1)
    task = _youth(rec, text).tasks[0]
    assert task.text == task1.replace("\n", "")
    assert _roles(task.assignments) == {"lead": ["县教育局"]}
    assert [(t.value, t.unit) for t in task.targets] == [(10.0, "场")]


def test_a_statement_closing_the_task_is_still_cut_from_its_text(tmp_path: Path) -> None:
    """Nothing but punctuation after the bracket: it is the task's end, not its text."""
    rec, text = _plan(
        tmp_path, "（一）青少年科学素质提升行动", task1="弘扬科学精神。开展科学家精神进校园活动（县教育局牵头）。"
    )
    task = _youth(rec, text).tasks[0]
    assert task.text == "弘扬科学精神。开展科学家精神进校园活动"
    assert _roles(task.assignments) == {"lead": ["县教育局"]}


def test_a_name_in_brackets_inside_a_labelled_list_is_no_statement(tmp_path: Path) -> None:
    """责任单位：…、县委党校（县行政学院）: the bracket closing the line is part of the last name."""
    rec, text = _plan(
        tmp_path, "（一）青少年科学素质提升行动", intro="牵头单位：县教育局\n责任单位：县科协、县委党校（县行政学院）"
    )
    youth = _youth(rec, text)
    assert _roles(youth.assignments) == {"lead": ["县教育局"], "support": ["县科协", "县委党校（县行政学院）"]}
