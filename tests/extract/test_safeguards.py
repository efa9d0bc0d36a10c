"""Safeguard commitments and the timetable (issue 18, items 2–3): every sentence of the safeguards
sections of the five plans (their headings apart, their timetables apart) with the bodies it names,
who chairs a leading group and its numbers; every phase with its name and years, in every form
the genre writes a timetable (numbered lines, one paragraph, 第一阶段（…）：, 一是…阶段（…）, a 实施步骤
section, 二〇二一年, 2021年为启动阶段). Fixtures: tests/fixtures/sections/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.phases import read_phases
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.extract.responsibility import ROLE_WORDS, looks_like_agency
from sciplan_kg.extract.safeguards import bodies, chair
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import plan_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sections"
PLANS = {p.stem.split("_")[0]: p for p in sorted(PLANS_DIR.glob("*.txt"))}
ALL = sorted(PLANS.values()) + sorted(FIXTURES.glob("*.txt"))


def _plan(n: str) -> PlanRecord:
    return extract_file(PLANS[n])


def _fixture(name: str) -> PlanRecord:
    return extract_file(FIXTURES / name)


# -- commitments of the five plans ----------------------------------------------------------------

# (line, heading) of every commitment the safeguards sections state, in order
FIVE_PLANS = {
    "000": [(63, "加强组织领导")] * 4
    + [(67, "健全工作机制")] * 3
    + [(71, "强化经费保障")] * 4
    + [(75, "严格督查考核")] * 2,
    "001": [(114, "完善协同联动机制")] * 3
    + [(115, "健全工作体系")] * 2
    + [(117, "完善奖励激励机制")] * 3
    + [(118, "完善监测评估机制")] * 2
    + [(120, "保障经费投入")] * 4,
    "002": [(188, "加强组织领导")] * 3 + [(190, "完善保障条件")] + [(192, "加大经费投入")] * 3,
    "003": [(92, "加强组织领导")] * 3 + [(93, "加强组织领导")] + [(94, "保障经费投入")] * 3,
    "004": [(109, "加强组织领导")] * 4
    + [(110, "加强法治宣传")] * 2
    + [(111, "落实支持政策")] * 3
    + [(112, "选树先进典型")] * 2
    + [(113, "保障经费投入")] * 4,
}


@pytest.mark.parametrize("n", sorted(FIVE_PLANS))
def test_every_safeguard_sentence_of_the_five_plans(n: str) -> None:
    rec = _plan(n)
    assert [(c.span.line, c.heading) for c in rec.commitments] == FIVE_PLANS[n]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_commitments_quote_the_file_and_are_no_headings(path: Path) -> None:
    rec = extract_file(path)
    text = path.read_text(encoding="utf-8")
    for c in rec.commitments:
        assert text[c.span.start : c.span.end] == c.text
        assert c.text != c.heading and not c.text.startswith(c.heading or "\0")
        assert c.kinds, c.text  # filled by resolve
        for m in c.mentions:
            assert text[m.span.start : m.span.end] == m.written
            assert c.span.start <= m.span.start < m.span.end <= c.span.end


def test_a_numbered_heading_line_heads_its_sentences() -> None:
    """(一)加强组织领导。县人民政府负责领导…: the title is the heading, the rest of the line sentences."""
    first = _plan("002").commitments[0]
    assert first.heading == "加强组织领导"
    assert first.text.startswith("县人民政府负责领导全县的《科学素质纲要》实施工作")


def test_a_short_first_sentence_heads_its_paragraph() -> None:
    """梁平's (三)条件保障。 then 保障经费投入。建立健全…: 保障经费投入 is the paragraph's heading."""
    texts = [c.text for c in _plan("001").commitments]
    assert "保障经费投入。" not in texts
    assert texts[10] == "建立健全多元化科普投入机制，充分保障科普工作经费。"


def test_the_timetable_is_no_commitment() -> None:
    for n in ("001", "003", "004"):
        rec = _plan(n)
        assert not any("启动实施" in c.text or "总结评估" in c.text[:6] for c in rec.commitments)


# -- bodies named -------------------------------------------------------------------------------

MENTIONS = [
    ("000", 0, ["全民科学素质工作领导小组"]),
    ("000", 1, ["县委", "县政府"]),
    ("000", 3, ["县科协", "相关部门"]),
    ("000", 11, ["县委", "县政府", "成员单位"]),
    ("001", 4, ["区科协", "相关部门"]),
    ("001", 11, ["市级有关部门"]),
    ("002", 2, ["县科协", "县全民科学素质规划纲要实施工作办公室", "各乡镇", "各部门"]),
    ("002", 3, ["县全民科学素质规划纲要实施工作办公室", "各成员单位"]),
    ("003", 3, ["各乡（镇）人民政府"]),
    ("004", 0, ["区全民科学素质工作领导小组"]),
    ("004", 3, ["各镇政府", "街道办事处"]),
    ("004", 12, ["区财政"]),
    ("004", 13, ["各镇政府", "区级有关部门", "有关单位"]),
]


@pytest.mark.parametrize(("n", "k", "names"), MENTIONS)
def test_the_bodies_a_commitment_names(n: str, k: int, names: list[str]) -> None:
    assert [m.written for m in _plan(n).commitments[k].mentions] == names


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_junk_body(path: Path) -> None:
    """Every name is recognisably a body, holds no role word and no word of a sentence."""
    rec = extract_file(path)
    for c in rec.commitments:
        for m in c.mentions:
            assert looks_like_agency(m.written) or m.written.endswith("财政"), m.written
            assert not any(w in m.written for w in ROLE_WORDS), m.written
            assert not re.search(r"的|(?<!纲)要|将|把|组长|具体|规定", m.written), m.written


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("有关方面共同推进全区科学素质建设。", []),
        ("及时研究解决科学素质建设中的有关具体问题。", []),
        ("县科协和县教育局共同负责。", ["县科协", "县教育局"]),
        ("领导小组办公室设在县科协。", ["领导小组办公室", "县科协"]),
        ("将科普经费纳入县级财政预算。", []),
        ("县财政每年安排科普经费。", ["县财政"]),
        ("县医疗保障局、县住房和城乡建设局按职责落实。", ["县医疗保障局", "县住房和城乡建设局"]),
        ("指导各成员单位落实相关规定。", ["各成员单位"]),
        ("市科协会同有关部门完善科普工作机制。", ["市科协", "有关部门"]),  # 会同: two bodies, not one
        ("县科协会同县政府督查室开展督查。", ["县科协", "县政府督查室"]),
    ],
)
def test_bodies_in_a_sentence(sentence: str, names: list[str]) -> None:
    pt = plan_text(sentence)
    assert [m.written for m in bodies(pt, 0, len(sentence))] == names


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("成立以县长为组长、分管副县长为副组长的县全民科学素质工作领导小组。", "县长"),
        ("县全民科学素质工作领导小组组长由县长担任，成员由各单位负责同志组成。", "县长"),
        ("建立联席会议制度，召集人由分管副区长担任。", "分管副区长"),
        ("由分管副县长任组长。", "分管副县长"),
        ("建立由县政府分管领导牵头的科普工作联席会议制度。", "县政府分管领导"),
        ("成立全民科学素质工作领导小组。", None),
    ],
)
def test_who_chairs(sentence: str, who: str | None) -> None:
    assert chair(plan_text(sentence), 0, len(sentence)) == who


def test_commitments_in_other_wordings() -> None:
    rec = _fixture("county_general.txt")
    assert len(rec.commitments) == 12
    lead = rec.commitments[0]
    assert lead.chair == "县长"
    assert [m.written for m in lead.mentions] == ["县全民科学素质工作领导小组", "领导小组办公室", "县科协"]
    assert [(t.value, t.comparator) for t in rec.commitments[1].targets] == [(1.0, "ge")]  # 每年至少召开1次
    money = rec.commitments[2]
    assert money.text.startswith("县财政按照人均科普经费不低于1元")
    assert [(t.value, t.unit, t.comparator) for t in money.targets] == [(1.0, "元", "ge")]
    assert {c.heading for c in rec.commitments} >= {"加强组织领导", "加大经费投入", "深化调查研究"}
    district = _fixture("district_requirements.txt")
    assert [c.heading for c in district.commitments] == ["加强组织领导", "强化经费保障", "加强督导检查"]
    assert district.commitments[0].chair == "分管副区长"
    late = _fixture("county_late_safeguards.txt")
    assert [c.heading for c in late.commitments] == ["加强组织领导", "加强组织领导", "加大经费投入"]
    assert late.commitments[0].chair == "县长"
    assert [(t.value, t.unit) for t in late.commitments[2].targets] == [(500000.0, "元")]


# -- phases -------------------------------------------------------------------------------------

THREE_PHASES = [("启动实施", 2021, 2021), ("深入实施", 2022, 2025), ("总结评估", 2025, 2025)]


@pytest.mark.parametrize(
    ("n", "phases", "lines"),
    [
        ("001", THREE_PHASES, [123, 124, 125]),
        ("003", [("启动实施", 2021, 2022), ("深入实施", 2022, 2025), ("总结评估", 2025, 2025)], [96, 97, 98]),
        ("004", THREE_PHASES, [114, 114, 114]),
    ],
)
def test_the_phases_of_the_five_plans(n: str, phases: list[tuple[str, int, int]], lines: list[int]) -> None:
    rec = _plan(n)
    assert [(p.name, p.start, p.end) for p in rec.phases] == phases
    assert [p.span.line for p in rec.phases] == lines
    text = PLANS[n].read_text(encoding="utf-8")
    for p in rec.phases:
        assert text[p.span.start : p.span.end] == p.text and p.text.startswith(p.name)


def test_inline_phases_end_where_the_next_begins() -> None:
    """九龙坡: 启动实施(2021年),做好…工作。深入实施(2022─2025年),…: one paragraph, three phases."""
    phases = _plan("004").phases
    assert phases[0].text == "启动实施(2021年),做好“十四五”全民科学素质行动实施动员和宣传工作。"
    assert phases[1].text.startswith("深入实施(2022─2025年),按照职责分工")


def test_plans_without_a_timetable_have_no_phases() -> None:
    assert _plan("000").phases == [] and _plan("002").phases == []


def _phases(text: str) -> list[tuple[str, int | None, int | None]]:
    pt = plan_text(text)
    return [(p.name, p.start, p.end) for p in read_phases(pt, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "phases"),
    [
        (
            "1.启动实施。2021年，做好动员。\n2.深入实施。2022—2025年，全面推进。\n3.总结评估。2025年，开展评估。",
            [("启动实施", 2021, 2021), ("深入实施", 2022, 2025), ("总结评估", 2025, 2025)],
        ),
        (
            "第一阶段（2021年）：启动实施。制定方案。\n第二阶段（2022—2024年）：全面实施。\n第三阶段（2025年）：总结评估。",
            [("第一阶段", 2021, 2021), ("第二阶段", 2022, 2024), ("第三阶段", 2025, 2025)],
        ),
        (
            "一是动员部署阶段（2021年6月前），制定方案。二是组织实施阶段（2021年7月至2024年12月），抓好落实。"
            "三是总结评估阶段（2025年），全面总结。",
            [("动员部署阶段", 2021, 2021), ("组织实施阶段", 2021, 2024), ("总结评估阶段", 2025, 2025)],
        ),
        (
            "（一）宣传发动阶段（二〇二一年）。召开动员会。\n（二）组织实施阶段（二〇二二年至二〇二四年）。全面实施。\n"
            "（三）总结验收阶段（二〇二五年）。总结验收。",
            [("宣传发动阶段", 2021, 2021), ("组织实施阶段", 2022, 2024), ("总结验收阶段", 2025, 2025)],
        ),
        (
            "2021年为启动阶段，制定方案。2022年至2024年为推进阶段，全面实施。2025年为总结阶段，开展评估。",
            [("启动阶段", 2021, 2021), ("推进阶段", 2022, 2024), ("总结阶段", 2025, 2025)],
        ),
        (
            "第一阶段：2021年至2022年，动员部署。第二阶段：2023年至2025年，全面推进。",
            [("第一阶段", 2021, 2022), ("第二阶段", 2023, 2025)],
        ),
        ("启动实施（2021年），做好动员。", []),  # one phase is no timetable
        ("保障经费投入。2022年起，逐年增加科普经费。", []),
    ],
)
def test_phase_forms(text: str, phases: list[tuple[str, int, int]]) -> None:
    assert _phases(text) == phases


def test_phases_in_other_wordings() -> None:
    assert [(p.name, p.start, p.end) for p in _fixture("county_general.txt").phases] == [
        ("动员部署阶段", 2021, 2021),
        ("全面实施阶段", 2022, 2024),
        ("总结评估阶段", 2025, 2025),
    ]
    district = _fixture("district_requirements.txt").phases
    assert [(p.name, p.start, p.end) for p in district] == [
        ("第一阶段", 2021, 2021),
        ("第二阶段", 2022, 2024),
        ("第三阶段", 2025, 2025),
    ]
    assert district[1].text == "第二阶段（二〇二二年至二〇二四年）：全面推进。各成员单位按分工抓好落实。"
    late = _fixture("county_late_safeguards.txt").phases
    assert late[0].text == "动员部署阶段（2021年6月前），制定实施方案并召开动员会。"


def test_a_timetable_inside_a_safeguards_paragraph_is_phases_not_commitments() -> None:
    rec = extract_text(
        plan_text(
            "某县方案\n一、工作目标\n到2025年，全县公民具备科学素质的比例超过12%。\n二、保障措施\n"
            "（一）加强领导。县政府负责领导实施工作。\n"
            "（二）有序推进。启动实施（2021年），制定方案。深入实施（2022—2024年），全面推进。总结评估（2025年），开展评估。\n"
        )
    )
    assert [c.text for c in rec.commitments] == ["县政府负责领导实施工作。"]
    assert [p.name for p in rec.phases] == ["启动实施", "深入实施", "总结评估"]
    assert [s.kind for s in rec.sections] == ["goals", "safeguards", "schedule"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # the kinds of jurisdiction in brackets are one name's: no 区）人民政府, nothing lost (second audit)
        ("各市（州）、县（市、区）人民政府要将科学素质建设纳入规划。", ["各市（州）、县（市、区）人民政府"]),
        ("各县（市、区）人民政府要将科普经费列入预算。", ["各县（市、区）人民政府"]),
        ("县（市、区）人民政府要抓好落实。", ["县（市、区）人民政府"]),
        ("各市（州）、县（市、区）科协要加强协作。", ["各市（州）、县（市、区）科协"]),
        ("各县、区人民政府要加强领导。", ["各县、区人民政府"]),
        ("由各县（市、区）人民政府和市科协共同推进。", ["各县（市、区）人民政府", "市科协"]),
        ("各县（市、区）、市直各部门要加强协作。", ["各县（市、区）", "市直各部门"]),
        # two bodies, as 各乡镇、街道 is (a township's and a street office's)
        ("各乡（镇）、街道要落实科普阵地建设。", ["各乡（镇）", "街道"]),
        ("各乡镇、街道要落实科普阵地建设。", ["各乡镇", "街道"]),
    ],
)
def test_bodies_named_with_kinds_in_brackets(sentence: str, names: list[str]) -> None:
    pt = plan_text(sentence)
    assert [m.written for m in bodies(pt, 0, len(sentence))] == names
