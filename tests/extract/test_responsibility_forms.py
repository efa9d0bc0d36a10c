"""Every form of responsibility statement the genre uses, one fixture each, written the way other
offices write them (a county plan's action with two tasks; only the statement changes).

Each case states the lead and support lists a reader of the plan takes from it: names as written,
in the order written, per task (its own statement) and per measure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract.records import Assignment, PlanRecord
from sciplan_kg.extract.responsibility import ROLE_WORDS
from sciplan_kg.paths import PLANS_DIR
from tests.conftest import FIXTURE_PLANS

HEAD = """示例县人民政府办公室
关于印发示例县全民科学素质行动规划纲要实施方案（2021—2025年）的通知
示例府办发〔2022〕3号
示例县人民政府办公室
2022年5月5日
示例县全民科学素质行动规划纲要实施方案（2021—2025年）
根据《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号），制定本方案。
到2025年，全县公民具备科学素质的比例超过12%。
一、重点任务
（一）青少年科学素质提升行动
{intro}
1.弘扬科学精神。开展科学家精神进校园活动。{end1}
2.提升科学教育水平。培训200名以上科技辅导员。{end2}
{after}
（二）农民科学素质提升行动
1.培育高素质农民。开展农民教育培训。
牵头部门：县农业农村局
"""


def _plan(tmp_path: Path, *, intro: str = "", end1: str = "", end2: str = "", after: str = "") -> PlanRecord:
    path = tmp_path / "plan.txt"
    path.write_text(HEAD.format(intro=intro, end1=end1, end2=end2, after=after), encoding="utf-8")
    return extract_file(path)


def _roles(assignments: list[Assignment]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in assignments:
        out.setdefault(a.role, []).extend(m.written for m in a.mentions)
    return out


def _action(rec: PlanRecord) -> tuple[dict[str, list[str]], list[dict[str, list[str]]]]:
    measure = rec.measures[0]
    assert measure.title == "青少年科学素质提升行动"
    assert [t.title for t in measure.tasks] == ["弘扬科学精神", "提升科学教育水平"]
    return _roles(measure.assignments), [_roles(t.assignments) for t in measure.tasks]


LABELS = [
    ("牵头单位", "lead"),
    ("牵头部门", "lead"),
    ("主责单位", "lead"),
    ("责任单位", "support"),
    ("责任部门", "support"),
    ("配合单位", "support"),
    ("配合部门", "support"),
    ("参与单位", "support"),
    ("协办单位", "support"),
    ("协助单位", "support"),
]


@pytest.mark.parametrize(("label", "role"), LABELS)
def test_a_labelled_line_after_the_tasks_is_the_measures(tmp_path: Path, label: str, role: str) -> None:
    measure, tasks = _action(_plan(tmp_path, after=f"{label}：县教体局、县科协"))
    assert measure == {role: ["县教体局", "县科协"]}
    assert tasks == [{}, {}]


@pytest.mark.parametrize("brackets", ["（）", "〔〕", "【】", "()", "[]"])
def test_labelled_brackets_at_a_tasks_end(tmp_path: Path, brackets: str) -> None:
    o, c = brackets
    rec = _plan(tmp_path, end1=f"{o}牵头单位：县科协；配合单位：县教体局、团县委{c}", end2=f"{o}牵头部门：县教体局{c}")
    _measure, tasks = _action(rec)
    assert tasks == [{"lead": ["县科协"], "support": ["县教体局", "团县委"]}, {"lead": ["县教体局"]}]
    assert rec.measures[0].tasks[0].text.endswith("开展科学家精神进校园活动。")  # the statement is cut off


def test_labelled_brackets_closing_the_measures_intro(tmp_path: Path) -> None:
    measure, _tasks = _action(
        _plan(tmp_path, intro="激发青少年好奇心和想象力。【牵头单位：县教体局、县科协；责任单位：县委宣传部、团县委】")
    )
    assert measure == {"lead": ["县教体局", "县科协"], "support": ["县委宣传部", "团县委"]}


def test_a_labelled_closing_sentence_without_brackets(tmp_path: Path) -> None:
    _measure, tasks = _action(_plan(tmp_path, end1="牵头单位：县科协；配合单位：县教体局。"))
    assert tasks[0] == {"lead": ["县科协"], "support": ["县教体局"]}


@pytest.mark.parametrize("verb", ["配合", "参与", "参加", "协助", "协同"])
def test_the_sentence_form_on_its_own_line(tmp_path: Path, verb: str) -> None:
    measure, _tasks = _action(_plan(tmp_path, after=f"县教体局、县科协牵头，县委宣传部、团县委{verb}。"))
    assert measure == {"lead": ["县教体局", "县科协"], "support": ["县委宣传部", "团县委"]}


def test_the_common_sentence_gives_no_fake_agency(tmp_path: Path) -> None:
    """县教体局、县科协牵头，各有关单位按职责分工负责: the leads are leads and 县科协牵头 is no agency."""
    rec = _plan(tmp_path, after="县教体局、县科协牵头，各有关单位按职责分工负责。")
    measure, _ = _action(rec)
    assert measure == {"lead": ["县教体局", "县科协"], "support": ["各有关单位"]}
    assert not [w for w in rec.warnings if w.code in ("role-word-in-name", "unregistered-agency")]


def test_the_sentence_form_closing_a_task(tmp_path: Path) -> None:
    _measure, tasks = _action(_plan(tmp_path, end1="县科协牵头，县教体局配合。"))
    assert tasks[0] == {"lead": ["县科协"], "support": ["县教体局"]}
    assert "牵头" not in _plan(tmp_path, end1="县科协牵头，县教体局配合。").measures[0].tasks[0].text


def test_work_division_line(tmp_path: Path) -> None:
    measure, _ = _action(_plan(tmp_path, after="工作分工：县教体局、县科协牵头，其他成员单位参与。"))
    assert measure == {"lead": ["县教体局", "县科协"], "support": ["其他成员单位"]}


def test_by_whom_in_brackets(tmp_path: Path) -> None:
    _, tasks = _action(_plan(tmp_path, end1="（由县教体局、县科协牵头，县委宣传部、团县委参加）"))
    assert tasks[0] == {"lead": ["县教体局", "县科协"], "support": ["县委宣传部", "团县委"]}


def test_as_label_sentence(tmp_path: Path) -> None:
    _, tasks = _action(_plan(tmp_path, end1="（县科协为牵头单位，县教体局为配合单位）"))
    assert tasks[0] == {"lead": ["县科协"], "support": ["县教体局"]}


@pytest.mark.parametrize(
    "statement", ["（县教体局、县科协负责）", "〔县教体局、县科协具体负责〕", "（县教体局、县科协）"]
)
def test_responsible_without_a_split_is_lead(tmp_path: Path, statement: str) -> None:
    _, tasks = _action(_plan(tmp_path, end2=statement))
    assert tasks[1] == {"lead": ["县教体局", "县科协"]}


def test_a_collective_in_brackets(tmp_path: Path) -> None:
    _, tasks = _action(_plan(tmp_path, end2="（各成员单位）"))
    assert tasks[1] == {"lead": ["各成员单位"]}


def test_duty_list_without_a_comma_is_support(tmp_path: Path) -> None:
    rec = _plan(tmp_path, intro="〔牵头部门：县教体局、县科协〕", end1="〔县委宣传部、团县委按职责分工负责〕")
    measure, tasks = _action(rec)
    assert measure == {"lead": ["县教体局", "县科协"]}
    assert tasks[0] == {"support": ["县委宣传部", "团县委"]}


def test_duty_list_with_a_comma_the_first_group_leads(tmp_path: Path) -> None:
    """万年: 〔县委宣传部、县总工会，县工信局、…按职责分工负责〕 — the group before the comma leads."""
    _, tasks = _action(_plan(tmp_path, end1="〔县委宣传部、县总工会，县工信局、团县委、县高新区按职责分工负责〕"))
    assert tasks[0] == {"lead": ["县委宣传部", "县总工会"], "support": ["县工信局", "团县委", "县高新区"]}


def test_a_lead_is_never_also_a_support(tmp_path: Path) -> None:
    """The measure's leads listed again in a task's duty list are its leads, not its supports."""
    rec = _plan(tmp_path, intro="〔牵头部门：县教体局、县科协〕", end1="〔教体局、团县委、县科协按职责分工负责〕")
    _, tasks = _action(rec)
    assert tasks[0] == {"support": ["团县委"]}
    rec = _plan(tmp_path, end1="（牵头单位：县科协；配合单位：县科协、县教体局）")
    assert _action(rec)[1][0] == {"lead": ["县科协"], "support": ["县教体局"]}


def test_order_is_kept_and_deng_opens_the_list(tmp_path: Path) -> None:
    rec = _plan(tmp_path, after="牵头部门：县科协、县教体局\n配合部门：县委宣传部、县财政局等部门")
    lead, support = rec.measures[0].assignments
    assert [m.written for m in lead.mentions] == ["县科协", "县教体局"] and not lead.open
    assert [m.written for m in support.mentions] == ["县委宣传部", "县财政局"] and support.open


def test_a_bracketed_body_resolves_to_the_body_doing_the_work(tmp_path: Path) -> None:
    rec = _plan(tmp_path, after="牵头部门：县委组织部（老干部局）、县政府办公室（县大数据应用发展管理中心）")
    mentions = rec.measures[0].assignments[0].mentions
    assert [m.written for m in mentions] == ["县委组织部（老干部局）", "县政府办公室（县大数据应用发展管理中心）"]
    assert [m.agency for m in mentions] == ["veteran-cadres", "big-data"]


@pytest.mark.parametrize(
    "text", ["（2021—2025年）", "（含街道）", "（试行）", "（以下简称“科普大篷车”）", "（见附件）"]
)
def test_brackets_of_text_are_not_agencies(tmp_path: Path, text: str) -> None:
    _, tasks = _action(_plan(tmp_path, end2=text))
    assert tasks[1] == {}


def test_no_name_holds_a_role_word_in_any_plan() -> None:
    """A name containing 牵头, 负责 or 配合 is a statement the reader failed to split: a defect."""
    plans = sorted(PLANS_DIR.glob("*.txt")) + sorted(FIXTURE_PLANS.glob("*.txt"))
    plans += sorted((Path(__file__).parents[1] / "fixtures").rglob("*.txt"))
    assert len(plans) >= 7
    for path in plans:
        rec = extract_file(path)
        for holder in [*rec.measures, *(t for _, t in rec.tasks())]:
            for a in holder.assignments:
                for m in a.mentions:
                    assert not any(w in m.written for w in ROLE_WORDS), f"{path.name}:{m.span.line}: {m.written}"
        assert not [w for w in rec.warnings if w.code == "role-word-in-name"], path.name


def test_a_statement_in_an_unknown_form_is_a_warning_with_its_line(tmp_path: Path) -> None:
    """The reader does not guess: a statement it cannot split is left in the task's text and named
    in a warning with the task's line; everything else of the plan is still read."""
    rec = _plan(tmp_path, end1="〔县科协会同2个乡镇按职责分工负责〕")
    _, tasks = _action(rec)
    assert tasks[0] == {}
    unread = [w for w in rec.warnings if w.code == "unread-responsibility"]
    assert [w.line for w in unread] == [12] and "按职责分工负责" in unread[0].zh
    assert len(rec.measures) == 2 and rec.measures[1].assignments


def test_statement_lines_between_tasks_belong_to_the_task_before(tmp_path: Path) -> None:
    """1.…  牵头单位：…  2.…  牵头单位：…: each line of its own follows the task it is about."""
    rec = _plan(
        tmp_path,
        end1="\n牵头单位：县科协\n配合单位：县教体局",
        end2="\n县教体局牵头，团县委、县妇联配合。",
    )
    measure, tasks = _action(rec)
    assert measure == {}
    assert tasks == [
        {"lead": ["县科协"], "support": ["县教体局"]},
        {"lead": ["县教体局"], "support": ["团县委", "县妇联"]},
    ]


def test_statement_lines_before_the_tasks_stay_the_measures(tmp_path: Path) -> None:
    rec = _plan(
        tmp_path, intro="牵头部门：县教体局\n配合部门：县科协", end1="\n牵头单位：县科协", end2="\n牵头单位：团县委"
    )
    measure, tasks = _action(rec)
    assert measure == {"lead": ["县教体局"], "support": ["县科协"]}
    assert tasks == [{"lead": ["县科协"]}, {"lead": ["团县委"]}]


def test_a_body_named_in_brackets_inside_the_text_is_no_statement(tmp_path: Path) -> None:
    """依托科普教育基地（县科技馆）。开展…: an apposition, not who is responsible."""
    _, tasks = _action(_plan(tmp_path, end1="依托科普教育基地（县科技馆）。开展科普讲座。"))
    assert tasks[0] == {}


@pytest.mark.parametrize("joined", ["县科协和县教体局", "县科协及县教体局", "县科协与县教体局"])
def test_bodies_joined_by_and_are_two_names(tmp_path: Path, joined: str) -> None:
    _, tasks = _action(_plan(tmp_path, end1=f"（由{joined}牵头，团县委配合）"))
    assert tasks[0] == {"lead": ["县科协", "县教体局"], "support": ["团县委"]}


def test_a_name_holding_and_stays_whole(tmp_path: Path) -> None:
    _, tasks = _action(_plan(tmp_path, end1="（牵头单位：县民族与宗教事务局、县文化和旅游发展委员会）"))
    assert tasks[0] == {"lead": ["县民族与宗教事务局", "县文化和旅游发展委员会"]}


# -- forms found missed by the audit of 2026-12-07 (eight plans in other offices' forms) --------
@pytest.mark.parametrize(
    ("statement", "want"),
    [
        # a lead marked inside the list (重庆's districts): the marker is no part of the name
        (
            "（责任单位：县科协（牵头）、县委宣传部、县文化旅游委）",
            {"lead": ["县科协"], "support": ["县委宣传部", "县文化旅游委"]},
        ),
        ("（责任单位：县大数据发展局、县科协〔牵头〕）", {"lead": ["县科协"], "support": ["县大数据发展局"]}),
        ("（县教体局（牵头）、县科协按职责分工负责）", {"lead": ["县教体局"], "support": ["县科协"]}),
        # who carries it out (落实) and who guides (指导) support the lead
        (
            "（县科协、县教体局牵头，县科技局等部门配合，各乡镇（街道）落实）",
            {"lead": ["县科协", "县教体局"], "support": ["县科技局", "各乡镇（街道）"]},
        ),
        ("由各乡镇（街道）负责，县科协指导。", {"lead": ["各乡镇（街道）"], "support": ["县科协"]}),
    ],
)
def test_forms_other_offices_write_at_a_tasks_end(tmp_path: Path, statement: str, want: dict[str, list[str]]) -> None:
    rec = _plan(tmp_path, end1=statement)
    _, tasks = _action(rec)
    assert tasks[0] == want
    assert not [w for w in rec.warnings if w.code in ("role-word-in-name", "unread-responsibility")]


@pytest.mark.parametrize(
    "line",
    [
        "牵头：县科协；配合：县教体局、团县委",  # the verbs alone as labels
        "牵头部门（单位）：县科协；配合部门（单位）：县教体局、团县委",
        "【牵头单位】县科协　【配合单位】县教体局、团县委",  # labels in brackets of their own
        "（县科协牵头，县教体局、团县委配合）",  # a bracket on a line of its own
        "——县科协牵头，县教体局、团县委配合",  # a dash opening the line
    ],
)
def test_statement_lines_other_offices_write(tmp_path: Path, line: str) -> None:
    """Each after its task (the task's), and before the tasks (the measure's)."""
    rec = _plan(tmp_path, end1=f"\n{line}", end2=f"\n{line.replace('县科协', '县科技局')}")
    measure, tasks = _action(rec)
    assert measure == {}
    assert tasks == [
        {"lead": ["县科协"], "support": ["县教体局", "团县委"]},
        {"lead": ["县科技局"], "support": ["县教体局", "团县委"]},
    ]
    measure, tasks = _action(_plan(tmp_path, intro=line))
    assert measure == {"lead": ["县科协"], "support": ["县教体局", "团县委"]} and tasks == [{}, {}]


def test_a_plans_rule_that_the_first_listed_leads(tmp_path: Path) -> None:
    """重庆's districts state once 各项任务中，责任单位列第一位的为牵头单位，其他为配合单位, then list 责任单位
    alone: the first named leads each task. Without the rule they all support; a 配合单位 list is
    never read so, nor a holder that states its lead."""
    rule = "各项任务中，责任单位列第一位的为牵头单位，其他为配合单位，下同。\n"
    text = dict(end1="\n责任单位：县教体局、县科协、团县委", end2="\n配合单位：县科协、团县委")
    _, tasks = _action(_plan(tmp_path, intro=rule, **text))
    assert tasks == [{"lead": ["县教体局"], "support": ["县科协", "团县委"]}, {"support": ["县科协", "团县委"]}]
    _, tasks = _action(_plan(tmp_path, **text))
    assert tasks == [{"support": ["县教体局", "县科协", "团县委"]}, {"support": ["县科协", "团县委"]}]
    _, tasks = _action(_plan(tmp_path, intro=rule, end1="\n牵头单位：团县委\n责任单位：县教体局、县科协"))
    assert tasks[0] == {"lead": ["团县委"], "support": ["县教体局", "县科协"]}


# -- forms found misread by the second audit (province and county plans in other offices' forms) --
@pytest.mark.parametrize(
    ("statement", "want"),
    [
        # a group set off by a comma beside an explicit 牵头 supports (the first-comma rule is for a
        # statement naming no lead: 〔A、B，C按职责分工负责〕)
        (
            "（县委宣传部、县教体局牵头，县科技局、团县委，各乡镇人民政府按职责分工负责）",
            {"lead": ["县委宣传部", "县教体局"], "support": ["县科技局", "团县委", "各乡镇人民政府"]},
        ),
        ("（县教体局牵头，县科协，各乡镇配合）", {"lead": ["县教体局"], "support": ["县科协", "各乡镇"]}),
        (
            "（由县教体局牵头，县科协、团县委，各乡镇参与）",
            {"lead": ["县教体局"], "support": ["县科协", "团县委", "各乡镇"]},
        ),
        # the kinds of jurisdiction under one 各 sharing 人民政府: one collective
        (
            "（县教体局牵头，县科协，各市（州）、县（市、区）人民政府按职责分工负责）",
            {"lead": ["县教体局"], "support": ["县科协", "各市（州）、县（市、区）人民政府"]},
        ),
        (
            "（县教体局牵头，各县、区人民政府按职责分工负责）",
            {"lead": ["县教体局"], "support": ["各县、区人民政府"]},
        ),
        # who carries the work out beside an explicit lead supports it (D1)
        (
            "（县教体局牵头，县科协配合，各乡镇人民政府负责落实）",
            {"lead": ["县教体局"], "support": ["县科协", "各乡镇人民政府"]},
        ),
        (
            "（县教体局牵头，县科协、团县委配合，各乡镇（街道）负责组织实施）",
            {"lead": ["县教体局"], "support": ["县科协", "团县委", "各乡镇（街道）"]},
        ),
        ("（县教体局为牵头单位，各乡镇负责实施）", {"lead": ["县教体局"], "support": ["各乡镇"]}),
        # a labelled list holding a sentence is read with the sentence grammar (B8)
        (
            "（责任单位：县教体局、团县委、县科协，县教体局为牵头单位）",
            {"support": ["团县委", "县科协"], "lead": ["县教体局"]},
        ),
        (
            "（责任单位：县民政局、县卫生健康局、县科协，县民政局、县卫生健康局为牵头单位）",
            {"support": ["县科协"], "lead": ["县民政局", "县卫生健康局"]},
        ),
        (
            "（责任单位：县科协、县委宣传部，各乡镇（街道），县科协为牵头单位）",
            {"support": ["县委宣传部", "各乡镇（街道）"], "lead": ["县科协"]},
        ),
        ("（责任单位：县科协牵头，县教体局、县民宗局配合）", {"lead": ["县科协"], "support": ["县教体局", "县民宗局"]}),
        ("责任单位：县科协牵头，县教体局、县民宗局配合。", {"lead": ["县科协"], "support": ["县教体局", "县民宗局"]}),
        ("（配合单位：县教体局、团县委，县教体局为牵头单位）", {"support": ["团县委"], "lead": ["县教体局"]}),
        # a clause saying when is no name and does not spoil the statement (B9)
        ("（责任单位：县卫生健康局，2023年底前完成）", {"support": ["县卫生健康局"]}),
        ("（责任单位：县卫生健康局、县科协，长期坚持）", {"support": ["县卫生健康局", "县科协"]}),
        ("（县农业农村局负责，2025年底前完成）", {"lead": ["县农业农村局"]}),
        ("（县教体局牵头，县科协配合，2025年前完成）", {"lead": ["县教体局"], "support": ["县科协"]}),
        ("（县教体局牵头，县科协配合，持续推进）", {"lead": ["县教体局"], "support": ["县科协"]}),
        ("（县教体局牵头，县科协配合，2022—2025年）", {"lead": ["县教体局"], "support": ["县科协"]}),
        ("（县教体局牵头，县科协配合，每年12月底前完成）", {"lead": ["县教体局"], "support": ["县科协"]}),
        ("（牵头单位：县教体局；配合单位：县科协，每年）", {"lead": ["县教体局"], "support": ["县科协"]}),
    ],
)
def test_forms_the_second_audit_found_misread(tmp_path: Path, statement: str, want: dict[str, list[str]]) -> None:
    rec = _plan(tmp_path, end1=statement)
    _, tasks = _action(rec)
    assert tasks[0] == want
    assert rec.measures[0].tasks[0].text.endswith("开展科学家精神进校园活动。")  # the statement is cut off
    assert not [w for w in rec.warnings if w.code in ("role-word-in-name", "unread-responsibility")]
    names = [m.written for t in rec.measures[0].tasks for a in t.assignments for m in a.mentions]
    assert not [n for n in names if re.search(r"\d|完成|坚持|推进", n)]


def test_a_duty_group_still_leads_without_a_lead(tmp_path: Path) -> None:
    """Without an explicit lead the old readings stand: 负责落实 alone leads, and the group before
    the comma of a duty list leads (万年)."""
    _, tasks = _action(
        _plan(tmp_path, end1="（各乡镇人民政府负责落实）", end2="〔县科协、团县委，县妇联按职责分工负责〕")
    )
    assert tasks == [{"lead": ["各乡镇人民政府"]}, {"lead": ["县科协", "团县委"], "support": ["县妇联"]}]


@pytest.mark.parametrize("text", ["（2023年底前完成）", "（长期坚持）", "（每年）", "（2022—2025年）"])
def test_a_bracket_saying_only_when_is_text(tmp_path: Path, text: str) -> None:
    rec = _plan(tmp_path, end2=text)
    _, tasks = _action(rec)
    assert tasks[1] == {} and rec.measures[0].tasks[1].text.endswith(text)


def test_an_unread_bracket_of_the_responsible_form_is_a_warning(tmp_path: Path) -> None:
    """（…负责…） the reader cannot split stays in the text and is named, as the 牵头 form is."""
    rec = _plan(tmp_path, end1="（县科协会同2个乡镇负责，2023年底前完成）")
    _, tasks = _action(rec)
    assert tasks[0] == {}
    unread = [w for w in rec.warnings if w.code == "unread-responsibility"]
    assert [w.line for w in unread] == [12] and "负责" in unread[0].zh
