"""The plan's parts by what they do (issue 18, item 1): sections of every kind at level 1 and 2,
wherever they stand and whatever they are called; the principles of 基本原则 / 工作原则; the goals
classified literacy / quantitative / qualitative / relative / vision. The five bundled plans in
their own wordings, and fixtures under tests/fixtures/sections/ written the way other offices write
(发展现状, 总体要求, 工作原则, 主要目标, 主要任务, 保障措施, 实施步骤; 重要意义, 指导思想和基本原则 without
sub-headings, 发展目标, 工作要求, 时间安排; 背景和重要意义, 目标, 重点工作, one safeguard per heading,
有序推进)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import plan_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sections"
PLANS = {p.stem.split("_")[0]: p for p in sorted(PLANS_DIR.glob("*.txt"))}
ALL = sorted(PLANS.values()) + sorted(FIXTURES.glob("*.txt"))


def _plan(n: str) -> PlanRecord:
    return extract_file(PLANS[n])


def _fixture(name: str) -> PlanRecord:
    return extract_file(FIXTURES / name)


def _sections(rec: PlanRecord) -> list[tuple[int, str, str]]:
    return [(s.level, s.kind, s.title) for s in rec.sections]


# -- sections -----------------------------------------------------------------------------------

FIVE_PLANS = {
    "000": [
        (1, "guidance", "指导思想"),
        (1, "goals", "工作目标"),
        (1, "tasks", "重点任务"),
        (2, "actions", "五大提升行动"),
        (2, "projects", "五项重点工程"),
        (1, "safeguards", "工作保障"),
    ],
    "001": [
        (1, "background", "背景和意义"),
        (1, "guidance", "指导思想和工作目标"),
        (2, "guidance", "指导思想"),
        (2, "goals", "工作目标"),
        (1, "actions", "提升行动"),
        (1, "projects", "重点工程"),
        (1, "safeguards", "组织实施"),
        (2, "safeguards", "组织保障"),
        (2, "safeguards", "机制保障"),
        (2, "safeguards", "条件保障"),
        (2, "schedule", "进度安排"),
    ],
    "002": [
        (1, "guidance", "指导思想、原则和工作目标"),
        (2, "guidance", "指导思想"),
        (2, "principles", "基本原则"),
        (2, "goals", "工作目标"),
        (1, "actions", "提升行动"),
        (1, "projects", "重点工程"),
        (1, "safeguards", "组织实施和保障条件"),
    ],
    "003": [
        (1, "guidance", "指导思想和工作目标"),
        (2, "guidance", "指导思想"),
        (2, "goals", "工作目标"),
        (1, "actions", "聚焦重点人群，实施五项提升行动"),
        (1, "projects", "突出供给侧改革，实施五项重点工程"),
        (1, "safeguards", "强化保障措施，确保全面组织实施"),
        (2, "schedule", "时间进度安排"),
    ],
    "004": [
        (1, "background", "背景和意义"),
        (1, "guidance", "指导思想和工作目标"),
        (2, "guidance", "指导思想"),
        (2, "goals", "工作目标"),
        (1, "actions", "提升行动"),
        (1, "projects", "重点工程"),
        (1, "safeguards", "组织实施"),
        (2, "schedule", "有序推进实施"),
    ],
}


@pytest.mark.parametrize("n", sorted(FIVE_PLANS))
def test_the_sections_of_the_five_plans(n: str) -> None:
    assert _sections(_plan(n)) == FIVE_PLANS[n]


FIXTURE_SECTIONS = {
    "county_general.txt": [
        (1, "background", "发展现状"),
        (1, "guidance", "总体要求"),
        (2, "guidance", "指导思想"),
        (2, "principles", "工作原则"),
        (2, "goals", "主要目标"),
        (1, "tasks", "主要任务"),
        (1, "safeguards", "保障措施"),
        (1, "schedule", "实施步骤"),
    ],
    "district_requirements.txt": [
        (1, "background", "重要意义"),
        (1, "guidance", "指导思想和基本原则"),
        (1, "goals", "发展目标"),
        (1, "tasks", "重点任务"),
        (1, "safeguards", "工作要求"),
        (1, "schedule", "时间安排"),
    ],
    "county_late_safeguards.txt": [
        (1, "background", "背景和重要意义"),
        (1, "goals", "目标"),
        (1, "tasks", "重点工作"),
        (1, "safeguards", "加强组织领导"),  # after the tasks, a heading naming one safeguard is one
        (1, "safeguards", "加大经费投入"),
        (1, "schedule", "有序推进"),  # named by no cue: it holds a timetable
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_SECTIONS))
def test_sections_in_other_wordings(name: str) -> None:
    assert _sections(_fixture(name)) == FIXTURE_SECTIONS[name]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_a_section_spans_its_heading_to_its_last_line(path: Path) -> None:
    rec = extract_file(path)
    text = path.read_text(encoding="utf-8")
    assert rec.sections
    for s in rec.sections:
        assert text[s.heading.start : s.heading.end] == s.title
        assert s.span.start <= s.heading.start < s.heading.end <= s.span.end
        assert text.count("\n", 0, s.span.start) + 1 == s.span.line == s.heading.line
        assert text[s.span.end - 1] not in " \n"
    top = [s for s in rec.sections if s.level == 1]
    assert all(a.span.end <= b.span.start for a, b in itertools.pairwise(top))


def test_measures_at_the_top_level_are_sections_of_their_kind() -> None:
    rec = extract_text(
        plan_text(
            "某县全民科学素质行动实施方案\n一、工作目标\n到2025年，全县公民具备科学素质的比例超过12%。\n"
            "二、青少年科学素质提升行动\n1.开展科技节。\n三、科普基础设施工程\n1.建设科技馆。\n"
            "四、工作要求\n各乡镇要高度重视。\n"
        )
    )
    assert [(s.kind, s.title) for s in rec.sections] == [
        ("goals", "工作目标"),
        ("actions", "青少年科学素质提升行动"),
        ("projects", "科普基础设施工程"),
        ("safeguards", "工作要求"),
    ]


def test_a_heading_no_cue_names_is_other() -> None:
    rec = extract_text(plan_text("某县方案\n一、工作目标\n全面提升。\n二、适用范围\n本方案适用于全县。\n"))
    assert [(s.kind, s.title) for s in rec.sections] == [("goals", "工作目标"), ("other", "适用范围")]


# -- principles ---------------------------------------------------------------------------------


def test_the_principles_of_002() -> None:
    rec = _plan("002")
    assert [p.title for p in rec.principles] == [
        "坚持党的领导，加强协同推进",
        "突出科学精神引领，营造创新创造氛围",
        "深化供给侧改革，服务高质量发展",
        "体现民族特色，扩大开放合作",
    ]
    text = PLANS["002"].read_text(encoding="utf-8")
    for p in rec.principles:
        assert p.text.startswith(p.title) and text[p.span.start : p.span.end] == p.text
    assert [p.span.line for p in rec.principles] == [29, 31, 33, 35]


def test_numbered_principles() -> None:
    rec = _fixture("county_general.txt")
    assert [p.title for p in rec.principles] == ["坚持党的领导", "坚持需求导向", "坚持改革创新"]
    assert rec.principles[1].text == "坚持需求导向。聚焦重点人群的科普需求，提升科普服务的针对性。"


def test_principles_in_one_paragraph_of_a_combined_section() -> None:
    """指导思想和基本原则 without sub-headings: the guidance paragraph, then one paragraph of 坚持… sentences."""
    rec = _fixture("district_requirements.txt")
    assert [p.title for p in rec.principles] == ["坚持党的领导", "坚持需求导向", "坚持共建共享"]
    assert rec.principles[2].text == "坚持共建共享，动员社会各方参与。"


def test_plans_without_principles_have_none() -> None:
    for n in ("000", "001", "003", "004"):
        assert _plan(n).principles == []


# -- goals --------------------------------------------------------------------------------------


def _goals(rec: PlanRecord) -> list[tuple[str, str]]:
    return [(g.kind, g.text) for g in rec.goals]


def test_the_literacy_goal_carries_the_header_readers_target() -> None:
    for n in PLANS:
        rec = extract_text_of(n)
        literacy = [g for g in rec.goals if g.kind == "literacy"]
        assert len(literacy) == 1, n
        assert literacy[0].targets == [rec.literacy_target]
        assert literacy[0].targets[0] is rec.literacy_target
        assert literacy[0].year == 2025


def extract_text_of(n: str) -> PlanRecord:
    from sciplan_kg.read.text import read_plan_text

    return extract_text(read_plan_text(PLANS[n]))


def test_a_sentence_is_cut_around_the_literacy_target_and_a_comparison() -> None:
    """梁平: 到2025年，全区公民具备科学素质的比例超过16%，高于全市平均水平，农村和城市…明显改善。"""
    goals = _goals(_plan("001"))
    assert goals[:3] == [
        ("literacy", "到2025年，全区公民具备科学素质的比例超过16%"),
        ("relative", "高于全市平均水平"),
        ("qualitative", "农村和城市科学素质发展不均衡明显改善。"),
    ]
    assert [k for k, _ in goals] == ["literacy", "relative", "qualitative", "qualitative"]


def test_keeping_the_citys_lead_is_relative() -> None:
    goals = _goals(_plan("004"))
    assert goals[1] == ("relative", "继续保持全市各区、县(自治县)先进水平。")
    assert [k for k, _ in goals] == ["literacy", "relative", "qualitative"]


# 002's three ——bullets open with a heading sentence (——公民科学素质均衡发展。) that is no goal (§ 13)
@pytest.mark.parametrize(("n", "count"), [("000", 4), ("002", 7), ("003", 5)])
def test_qualitative_goals_of_the_five_plans(n: str, count: int) -> None:
    goals = _plan(n).goals
    assert len(goals) == count
    assert [g.kind for g in goals] == ["literacy"] + ["qualitative"] * (count - 1)
    assert all(g.year == 2025 for g in goals)


def test_goals_in_other_wordings() -> None:
    assert _goals(_fixture("county_general.txt")) == [
        ("literacy", "到2025年，全县公民具备科学素质的比例达到13%"),
        ("relative", "位居全市前列。"),
        ("quantitative", "建成县级科普教育基地10个以上。"),
        ("qualitative", "科普工作体系更加完善。"),
        ("vision", "到2035年，全县公民具备科学素质的比例达到25%。"),
    ]
    rec = _fixture("district_requirements.txt")
    assert [g.kind for g in rec.goals] == ["literacy", "relative", "quantitative", "qualitative", "vision"]
    quantitative = rec.goals[2]
    assert [(t.value, t.unit) for t in quantitative.targets] == [(1, "个"), (200, "名")]
    assert rec.goals[4].year == 2035 and rec.goals[4].text.startswith("展望2035年")
    late = _fixture("county_late_safeguards.txt")
    assert _goals(late)[1] == ("relative", "缩小与全省平均水平的差距。")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_principles_and_goals_quote_the_file(path: Path) -> None:
    rec = extract_file(path)
    text = path.read_text(encoding="utf-8")
    assert rec.goals
    for item in [*rec.principles, *rec.goals]:
        assert text[item.span.start : item.span.end] == item.text
        assert text.count("\n", 0, item.span.start) + 1 == item.span.line


def test_a_bullets_heading_sentence_heads_the_goals_after_it() -> None:
    texts = [g.text for g in _plan("002").goals]
    assert not any(t.startswith(("——", "公民科学素质均衡发展", "科学文化引领力不断提升")) for t in texts)
    assert any(t.startswith("各乡镇、社区及各类人群科学素质发展不均衡明显改善") for t in texts)
