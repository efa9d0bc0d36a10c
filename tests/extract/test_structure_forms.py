"""The body's structure in every form the genre uses (issue 17, item 3): bullets of every symbol,
numbering 1. 1、 （1） ① ⑴ ⒈, measures at 一、 （一） or 1. with the tasks one level below, 一是…二是…,
measures written as one paragraph, annual work plans and task-division plans (headings or a table)
that name no 提升行动 or 工程, headings with their introduction on the same line and 实施 / 开展 / 聚焦
prefixes. Each fixture under tests/fixtures/structure/ is a short but complete plan written the way an
office writes it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import Measure, PlanRecord
from sciplan_kg.extract.structure import heading_level, measure_name
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import plan_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "structure"
ALL = sorted(FIXTURES.glob("*.txt"))


def _extract(name: str) -> PlanRecord:
    return extract_file(FIXTURES / name)


def _titles(measure: Measure) -> list[str]:
    return [t.title for t in measure.tasks]


def _roles(holder: object) -> list[tuple[str, list[str]]]:
    return [(a.role, [m.written for m in a.mentions]) for a in holder.assignments]  # type: ignore[attr-defined]


def _codes(rec: PlanRecord) -> set[str]:
    return {w.code for w in rec.warnings}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_measure_and_task_quotes_the_file(path: Path) -> None:
    """Spans are offsets into the file: the measure's title and each task's text are the text there."""
    rec = extract_file(path)
    text = path.read_text(encoding="utf-8")
    assert rec.measures, path.name
    for measure in rec.measures:
        assert text[measure.span.start : measure.span.end] == measure.title
        assert measure.tasks, measure.title
        for task in measure.tasks:
            quoted = text[task.span.start : task.span.end]
            assert "".join(quoted.split()) == "".join(task.text.split())
            assert text.count("\n", 0, task.span.start) + 1 == task.span.line
            assert task.title and task.text.startswith(task.title)


# -- bullets ------------------------------------------------------------------------------------


def test_every_bullet_symbol_starts_a_task() -> None:
    """● ◆ ■ ▲ □ · • — ― ─ each mark the tasks of one measure (― and ─ fold to —)."""
    rec = _extract("bullet_symbols.txt")
    assert [(m.kind, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", "青少年科学素质提升行动", 3),  # ●
        ("action", "农民科学素质提升行动", 2),  # ◆
        ("action", "产业工人科学素质提升行动", 3),  # ■
        ("action", "老年人科学素质提升行动", 3),  # ▲
        ("action", "领导干部和公务员科学素质提升行动", 2),  # □
        ("project", "科技资源科普化工程", 2),  # ·
        ("project", "科普信息化提升工程", 2),  # •
        ("project", "科普基础设施工程", 2),  # — (one dash)
        ("project", "基层科普能力提升工程", 3),  # ―
        ("project", "科学素质交流合作工程", 2),  # ─
    ]
    assert _titles(rec.measures[3]) == ["实施智慧助老行动", "加强老年人健康科普服务", "实施银龄科普行动"]
    assert _titles(rec.measures[8])[0] == "建立应急科普宣教协同机制"
    # the symbol is not part of the task's text
    assert all(t.text[0] not in "●◆■▲□·•—―─ " for m in rec.measures for t in m.tasks)
    # the lead lines after the tasks lead the measure
    assert _roles(rec.measures[0]) == [
        ("lead", ["县教育局", "县科协"]),
        ("support", ["县委宣传部", "县科技局", "团县委", "县妇联"]),
    ]


def test_a_bullet_symbol_inside_a_line_page_numbers_and_rules_are_not_bullets() -> None:
    rec = _extract("bullet_symbols.txt")
    workers = rec.measures[2]
    # “中国梦·劳动美” keeps its · ; the page number — 3 — after the last task is no text of it
    assert "中国梦·劳动美" in workers.tasks[0].text
    assert workers.tasks[-1].text == "发挥企业家提升产业工人科学素质的示范引领作用。"
    # a rule of dashes is neither a task nor part of one
    assert rec.measures[7].tasks[-1].text == "完善现代科技馆体系。推进县科技馆提档升级。"


def test_a_dash_in_a_paragraph_does_not_make_it_a_bullet() -> None:
    text = (FIXTURES / "paragraph_tasks.txt").read_text(encoding="utf-8")
    text = text.replace("实施高素质农民培育计划。", "实施高素质农民培育计划——“头雁”项目。")
    rec = extract_text(plan_text(text, "dash.txt"))
    farmers = rec.measures[1]
    assert _titles(farmers) == ["树立相信科学、和谐理性的思想观念", "实施高素质农民培育计划——“头雁”项目"]


# -- numbering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、总体要求", (0, 2)),
        ("十二、其他", (0, 3)),
        ("(一)青少年", (1, 3)),
        ("1.加强", (2, 2)),
        ("12、加强", (2, 3)),
        ("⒈加强", (2, 1)),
        ("(1)加强", (3, 3)),
        ("(12) 加强", (3, 4)),
        ("1)加强", (3, 2)),
        ("⑴加强", (3, 1)),
        ("①加强", (4, 1)),
        ("⑳加强", (4, 1)),
        ("行动一:青少年科学素质提升行动", (1, 4)),  # 恩施: the measure's kind before its number
        ("工程二、科普信息化提升工程", (1, 4)),
        ("专项三 科普基础设施工程", (1, 4)),
        ("第一项 青少年科学素质提升行动", (1, 4)),
        ("行动起来,全民参与", None),
        ("第一次会议", None),
        ("2023、2024年组织开展", None),
        ("2022年,完成", None),
        ("(2022)年度", None),
        ("二〇二三、二〇二四年", None),
        ("1.5万人次", None),
        ("(2021—2025年)", None),
        ("加强科学教育", None),
    ],
)
def test_heading_numbers_and_years(line: str, expected: tuple[int, int] | None) -> None:
    assert heading_level(line) == expected


def test_measures_at_arabic_numbers_tasks_at_parenthesised_numbers_and_circled_numbers() -> None:
    """Measures 1. under （一）五大提升行动 / （二）五项重点工程; tasks （1） (1) ① ⑴ one level below; a line
    opening with a year (2023、2024年…, 2022年，…) continues the task above."""
    rec = _extract("numbered_arabic_paren.txt")
    assert [(m.kind, m.no, m.title) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升行动"),
        ("action", 2, "农民科学素质提升行动"),
        ("action", 3, "产业工人科学素质提升行动"),
        ("project", 1, "科普信息化提升工程"),
        ("project", 2, "基层科普能力提升工程"),
    ]
    youth, farmers, workers, info, grassroots = rec.measures
    assert _titles(youth) == ["加强学校科学教育", "开展青少年科技创新活动", "推进馆校合作"]
    assert youth.tasks[1].text.endswith("2023、2024年重点组织中小学生参加省级科技竞赛。")
    assert farmers.tasks[1].text.endswith("2022年，完成第一批科技特派员选派。")
    assert _titles(workers) == ["开展职业技能培训", "开展劳动和技能竞赛"]  # half-width (1)
    assert _titles(info) == ["建设沅江科普云平台", "推动科普中国资源落地", "加强科普短视频创作"]  # ①
    assert len(grassroots.tasks) == 3  # ⑴
    assert _roles(info) == [("lead", ["市委宣传部", "市科协"])]
    assert "task-numbering" not in _codes(rec)


def test_measures_at_the_outermost_level_with_tasks_one_level_below() -> None:
    """Measures 一、实施…提升行动 with tasks （一） (or ⒈): the measure level is where the measure names
    are, the task level the next one found under each."""
    rec = _extract("measures_at_top_level.txt")
    assert [(m.kind, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", "青少年科学素质提升行动", 3),
        ("action", "农民科学素质提升行动", 2),
        ("action", "老年人科学素质提升行动", 3),
        ("project", "科普基础设施工程", 2),
    ]
    youth = rec.measures[0]
    assert youth.tasks[2].title == "实施科技创新后备人才培育计划"  # a 计划 task is no measure
    assert _roles(youth) == [("lead", ["县教育局"]), ("support", ["县科技局", "县科协"])]
    assert _titles(rec.measures[2])[0] == "实施智慧助老行动"  # ⒈


def test_a_skipped_task_number_is_warned_with_its_line() -> None:
    rec = _extract("heading_variants.txt")
    warnings = [(w.code, w.line) for w in rec.warnings if w.code == "task-numbering"]
    assert warnings == [("task-numbering", 23)]  # 4. after 2.
    elderly = rec.measures[2]
    assert len(elderly.tasks) == 3  # the rest of the measure is still read


# -- 一是 / 二是 and paragraphs --------------------------------------------------------------------


def test_enumeration_inside_one_paragraph() -> None:
    """（一）…行动。以…为重点，重点抓好以下工作：一是…；二是…；三是…。（牵头单位：…）: each 一是 / 二是
    starts a task; the text before 一是 introduces the measure; the closing bracket, its only one,
    leads the measure."""
    rec = _extract("enumerated_and_paragraphs.txt")
    youth = rec.measures[0]
    assert _titles(youth) == [
        "将科学精神贯穿于育人全链条，实施科学家精神进校园行动",
        "提升基础教育阶段科学教育水平，每所中小学配备专职科学教师1名以上",
        "建立校内外科学教育资源有效衔接机制，推动中小学与科技馆共建科学教育基地",
    ]
    assert not any(t.text.startswith(("一是", "二是", "三是")) for t in youth.tasks)
    assert _roles(youth) == [("lead", ["县教育体育局", "县科协"])]
    assert all(not t.assignments for t in youth.tasks)
    assert [t.targets[0].value for t in youth.tasks if t.targets] == [1]


def test_enumeration_lines() -> None:
    """一是… / 二是… / 三是… each on a line of its own, after an introduction on the heading's line."""
    farmers = _extract("enumerated_and_paragraphs.txt").measures[1]
    assert _titles(farmers) == [
        "树立相信科学、和谐理性的思想观念，开展“科普下乡”活动",
        "实施高素质农民培育计划，到2025年培育高素质农民1000人",
        "实施乡村振兴科技支撑行动，每年组织科技特派员服务100人次",
    ]
    assert farmers.tasks[1].targets and farmers.tasks[1].targets[0].value == 1000
    assert _roles(farmers) == [("lead", ["县农业农村局"])]


def test_measure_written_as_one_paragraph_gives_a_task_per_sentence() -> None:
    """The heading's line holds the whole measure: its first sentence frames it (以…为重点) and is
    the introduction; every other sentence is a task; the closing bracket leads the measure."""
    rec = _extract("enumerated_and_paragraphs.txt")
    workers = rec.measures[2]
    assert _titles(workers) == [
        "开展理想信念和职业精神宣传教育",
        "实施职业技能提升行动，每年开展职业技能培训3000人次",
        "发挥企业家提升产业工人科学素质的示范引领作用",
    ]
    assert _roles(workers) == [("lead", ["县人力资源社会保障局", "县总工会"])]
    assert "measure-without-tasks" not in _codes(rec)


def test_responsibility_after_each_sentence_goes_with_that_task() -> None:
    """…数字鸿沟。〔县民政局、县科协按职责分工负责〕加强…: a bracket after a sentence's end is that
    sentence's; the first sentence, committing to work, is a task."""
    elderly = _extract("enumerated_and_paragraphs.txt").measures[3]
    assert _titles(elderly) == [
        "实施智慧助老行动，帮助老年人跨越数字鸿沟",
        "加强老年人健康科普服务",
        "实施银龄科普行动，发挥老科协作用",
    ]
    assert [_roles(t) for t in elderly.tasks] == [
        [("support", ["县民政局", "县科协"])],
        [("support", ["县卫生健康局", "县科协"])],
        [("support", ["县科协", "县委老干部局"])],
    ]
    assert elderly.assignments == []
    assert all("〔" not in t.text for t in elderly.tasks)


def test_a_bare_heading_and_one_paragraph_of_commitments() -> None:
    officials = _extract("enumerated_and_paragraphs.txt").measures[4]
    assert _titles(officials) == [
        "深入贯彻落实新发展理念",
        "加强科学素质教育培训，县委党校主体班次开设科学素质课程",
        "在公务员考核录用中落实科学素质要求",
    ]
    assert _roles(officials) == [("lead", ["县委组织部"])]


def test_paragraph_tasks_keep_their_first_sentence_as_title() -> None:
    """九龙坡's form: bare heading, an introduction paragraph, then one paragraph per task whose first
    sentence is its title. A measure of the same plan written as one paragraph is read like its
    siblings: its first sentence introduces it, the others are tasks, its closing 牵头单位：…；责任单位：…
    sentence leads it."""
    rec = _extract("paragraph_tasks.txt")
    youth, farmers, elderly = rec.measures
    assert _titles(youth) == ["将弘扬科学精神贯穿于育人全链条", "提升基础教育阶段科学教育水平"]
    assert youth.tasks[0].text.startswith("将弘扬科学精神贯穿于育人全链条。坚持立德树人")
    assert _titles(farmers) == ["树立相信科学、和谐理性的思想观念", "实施高素质农民培育计划"]
    assert _titles(elderly) == [
        "实施智慧助老科普行动，开展老年人运用智能技术培训",
        "加强老年人健康科普服务，推动老年人健康科普进社区、进乡村",
        "实施银龄科普专项行动，组建老专家科普报告团",
    ]
    assert _roles(elderly) == [("lead", ["县卫生健康局", "县科协"]), ("support", ["县民政局", "县委老干部局"])]
    assert all("牵头" not in t.text for t in elderly.tasks)
    assert "measure-without-tasks" not in _codes(rec)


def test_a_measure_with_only_an_introduction_is_one_task_with_a_warning() -> None:
    text = (FIXTURES / "paragraph_tasks.txt").read_text(encoding="utf-8")
    start = text.index("丰富老年人科普服务")
    end = text.index("牵头单位：县卫生健康局")
    text = text[:start] + "以提升信息素养和健康素养为重点，丰富老年人科普服务的供给内容。" + text[end:]
    rec = extract_text(plan_text(text, "intro_only.txt"))
    elderly = rec.measures[2]
    assert [t.title for t in elderly.tasks] == ["以提升信息素养和健康素养为重点，丰富老年人科普服务的供给内容"]
    assert [(w.code, w.line) for w in rec.warnings if w.code == "measure-without-tasks"] == [
        ("measure-without-tasks", 23)
    ]


def test_jiulongpo_one_paragraph_measure_reads_like_its_siblings() -> None:
    """九龙坡 writes every measure as an introduction and task paragraphs; its 科学素质开放合作工程 is
    one paragraph: the first sentence introduces it, the five others are its tasks."""
    rec = extract_file(PLANS_DIR / "004_8005c2f2abebcfde.txt")
    assert [len(m.tasks) for m in rec.measures] == [6, 3, 3, 3, 3, 4, 3, 3, 4, 5]
    opening = rec.measures[-1]
    assert opening.tasks[0].title == "积极承办、参与市级重大科普活动和国内国际科技人文交流活动"
    assert opening.tasks[-1].title.startswith("加强与四川省成都市新都区")
    assert "measure-without-tasks" not in _codes(rec)
    # the paragraph tasks of the other measures keep their first sentence as title
    assert rec.measures[0].tasks[0].title == "将弘扬科学精神贯穿于育人全链条"


# -- headings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("实施青少年科学素质提升行动", ("action", "青少年科学素质提升行动")),
        ("开展青少年科学素质提升计划", ("action", "青少年科学素质提升计划")),
        ("深入实施老年人科学素养提升行动", ("action", "老年人科学素养提升行动")),
        ("聚焦农民科学素质提升行动:以提升科技文化素质为重点", ("action", "农民科学素质提升行动")),
        ("实施青少年科学素质提升行动,以激发好奇心为重点", ("action", "青少年科学素质提升行动")),
        ("聚焦重点人群,实施老年人科学素质提升行动", ("action", "老年人科学素质提升行动")),
        ("科普信息化提升工程", ("project", "科普信息化提升工程")),
        ("实施科普人才建设工程", ("project", "科普人才建设工程")),
        ("五大提升行动", None),
        ("聚焦重点人群,实施五项提升行动", None),
        ("重点人群科学素质提升行动", None),
        ("科普重点工程", None),
        ("主要行动", None),
        ("实施智慧助老行动", None),
        ("实施科技创新后备人才培育计划", None),
        ("实施监测评估行动", None),
    ],
)
def test_measure_names(title: str, expected: tuple[str, str] | None) -> None:
    named = measure_name(title)
    assert (named and (named[0], title[named[1] : named[2]])) == expected


def test_heading_variants() -> None:
    """开展…提升计划，intro after a comma; 聚焦…行动：intro after a colon; 深入实施…素养提升行动; a group
    heading (二、全民科学素质提升行动) holding measure headings is a group, not a measure; under 三、重点
    工程 a sub-heading with a bare title (（二）科普人才队伍建设) is a project."""
    rec = _extract("heading_variants.txt")
    assert [(m.kind, m.no, m.title) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升计划"),
        ("action", 2, "农民科学素质提升行动"),
        ("action", 3, "老年人科学素养提升行动"),
        ("project", 1, "科普信息化提升工程"),
        ("project", 2, "科普人才队伍建设"),
    ]
    youth = rec.measures[0]
    assert _titles(youth) == ["将科学精神贯穿于育人全链条", "提升基础教育阶段科学教育水平"]
    # （二）实施监测评估行动 under 保障措施 is no measure
    assert all("监测" not in m.title for m in rec.measures)


# -- work plans and task-division plans ----------------------------------------------------------


def test_annual_work_plan_groups_are_measures() -> None:
    """工作要点: 二、加强青少年科学教育 / 1.… (牵头单位：…): each group holding items is a measure, its
    kind told by the outline's groups of people and projects' themes; 一、总体目标 and 六、工作要求 are
    passed over; a group naming neither kind is a project, with a warning naming its line."""
    rec = _extract("work_plan.txt")
    assert [(m.kind, m.no, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", 1, "加强青少年科学教育", 3),
        ("action", 2, "提升农民科技文化素质", 2),
        ("project", 1, "推进科普信息化建设", 2),
        ("project", 2, "加强组织协调", 2),
    ]
    youth = rec.measures[0]
    assert _roles(youth.tasks[0]) == [("lead", ["县教育局", "县科协"])]
    assert youth.tasks[0].targets and youth.tasks[0].targets[0].value == 20
    # items numbered across groups (4. follows 3.) are not a numbering gap
    assert "task-numbering" not in _codes(rec)
    assert [(w.code, w.line) for w in rec.warnings if w.code == "unnamed-measure"] == [("unnamed-measure", 21)]
    assert "measures-by-group" in _codes(rec)
    assert "no-measures" not in _codes(rec)


def test_task_division_plan_subgroups_are_measures() -> None:
    """任务分工方案: 一、 > （一）title > 1.item: the headings directly above the items are the measures;
    （一）青少年 under 二、提升重点人群科学素质 is an action by the group of people it names."""
    rec = _extract("task_division.txt")
    assert [(m.kind, m.title, len(m.tasks)) for m in rec.measures] == [
        ("project", "深入宣传科学家精神", 2),
        ("project", "推进科学普及与科技创新协同发展", 2),
        ("action", "青少年", 2),
        ("action", "老年人", 1),
        ("action", "领导干部和公务员", 1),
    ]
    assert rec.measures[2].tasks[0].title == "实施科技创新后备人才培育计划"
    assert "task-numbering" not in _codes(rec)


def test_task_division_table_without_measure_column() -> None:
    """序号 / 工作任务 / 牵头单位 / 责任单位, a row of one cell titling each group of tasks."""
    rec = _extract("task_division_table.txt")
    assert [(m.kind, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", "青少年科学素质提升行动", 2),
        ("action", "农民科学素质提升行动", 1),
        ("project", "科普信息化提升工程", 2),
        ("project", "加强组织协调", 1),
    ]
    first = rec.measures[0].tasks[0]
    assert first.title == "实施科学家精神进校园行动，每年组织科学家进校园活动10场以上"
    assert _roles(first) == [("lead", ["县教育局"]), ("support", ["县科协", "县科技局"])]
    assert _roles(rec.measures[2].tasks[1]) == [("lead", ["县融媒体中心"])]
    assert "short-row" not in _codes(rec)
    assert [(w.code, w.line) for w in rec.warnings if w.code == "unnamed-measure"] == [("unnamed-measure", 49)]


def test_a_table_without_group_rows_is_left_to_the_body() -> None:
    """A timetable with a 牵头单位 column (序号 / 工作内容 / 牵头单位 / 完成时限) and no group rows is no
    task table: the measures are read from the body before it, and no row is warned about."""
    text = (FIXTURES / "measures_at_top_level.txt").read_text(encoding="utf-8")
    rows = [["序号", "工作内容", "牵头单位", "完成时限"], ["1", "制定年度工作计划。", "县科协"]]  # a short row
    table = "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)
    text = text.replace("五、保障措施\n", "五、进度安排\n" + table + "六、保障措施\n")
    rec = extract_text(plan_text(text, "timetable.txt"))
    assert [len(m.tasks) for m in rec.measures] == [3, 2, 3, 2]
    assert not {"short-row", "unnamed-measure"} & _codes(rec)


def test_text_with_headings_but_no_items_still_warns_no_measures() -> None:
    text = "关于召开会议的通知\n一、会议时间\n2023年3月1日。\n二、参会人员\n各单位负责人。\n"
    rec = extract_text(plan_text(text, "notice.txt"))
    assert rec.measures == []
    assert "no-measures" in _codes(rec)


# -- cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "unit"),
    [
        ("（一）实施青少年科学素质提升行动。", "开展活动。"),
        ("（一）实施青少年科学素质提升行动。", "一是"),
        ("（一）实施青少年科学素质提升行动。", "。〔县科协"),
        ("（一）实施青少年科学素质提升行动", "\n一是开展活动。"),
        ("（一）实施青少年科学素质提升行动", "\n（1）开展活动。"),
        ("一、加强青少年科学教育", "\n（一）专题\n1.开展活动。"),
        ("三、提升行动", "\n（一）青少年科学素质"),
    ],
)
def test_new_forms_take_linear_time(head: str, unit: str) -> None:
    def cost(n: int) -> float:
        text = head + unit * (n // len(unit))
        started = time.perf_counter()
        extract_text(plan_text(text, "cost.txt"))
        return time.perf_counter() - started

    # the least of a few runs: a busy machine slows a run, never speeds one up
    small, large = min(cost(4_000) for _ in range(3)), min(cost(32_000) for _ in range(2))  # up to 6,400 tasks
    assert large < 10.0
    assert large < 24 * max(small, 0.01), f"8x the input took {large / max(small, 1e-9):.0f}x the time"


def test_measure_headings_with_their_kind_before_the_number() -> None:
    """恩施 (as the audit of 2026-12-07 wrote it): 行动一：… / 工程一：… under 三、五大提升行动 and
    四、五项重点工程, tasks at （1） and ①, the measure's statement lines after its tasks; a body's
    short name (以下简称州科协) is no part of its name."""
    rec = _extract("action_n_headings.txt")
    assert [(m.kind, m.no, m.title, len(m.tasks)) for m in rec.measures] == [
        ("action", 1, "青少年科学素质提升行动", 3),
        ("action", 2, "产业工人科学素质提升行动", 2),
        ("project", 1, "科技资源科普化工程", 3),
    ]
    youth, workers, resources = rec.measures
    assert _roles(youth) == [
        ("lead", ["州教育局", "州科学技术协会"]),
        ("support", ["州委宣传部", "州科技局", "团州委", "州妇联", "各县市人民政府"]),
    ]
    assert [_roles(t) for t in workers.tasks] == [
        [("lead", ["州总工会"]), ("support", ["州人社局", "州经信局"])],
        [("lead", ["州人社局"]), ("support", ["州总工会", "州科协"])],
    ]
    assert _titles(resources)[0] == "建立完善科技资源科普化机制"
    assert rec.literacy_target and (rec.literacy_target.value, rec.literacy_target.comparator) == (11.0, "ge")
    assert not _codes(rec) & {"measures-by-group", "measure-without-tasks", "no-lead", "role-word-in-name"}
