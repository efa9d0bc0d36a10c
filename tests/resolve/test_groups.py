"""Population groups named in tasks, commitments and targets (data/registry/groups.toml), by the
lead's rule: people a task reaches, directly or through a venue, event or programme named for
them; no group inside a body's name, a document's title or an enlisted role; the plans' other
groups and the synonyms in the registry; each group once per task, at its first mention. The
longest written form wins and spans quote the file. The phrases are our own, written the way
other offices write."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import Span
from sciplan_kg.paths import PLANS_DIR, REGISTRY_DIR
from sciplan_kg.resolve.groups import find_groups, group_key, load_groups

FIXTURES = Path(__file__).parents[1] / "fixtures" / "targets"


def test_the_five_national_groups_keep_their_keys() -> None:
    national = tomllib.loads((REGISTRY_DIR / "measures.toml").read_text(encoding="utf-8"))["groups"]
    scheme = load_groups()
    for key, labels in national.items():
        assert scheme.groups[key].zh == labels["zh"]


def test_broader_groups() -> None:
    groups = load_groups().groups
    assert groups["left-behind-children"].broader == "children"
    assert groups["rural-women"].broader == "women"
    assert groups["new-farmers"].broader == "farmers"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("留守儿童", "left-behind-children"),
        ("农村妇女", "rural-women"),
        ("妇女", "women"),
        ("快递员", "new-employment-workers"),
        ("外卖送餐员", "new-employment-workers"),
        ("进城务工人员", "migrant-workers"),
        ("农民工", "migrant-workers"),
        ("领导干部和公务员", "officials"),
        ("科技辅导员", "teachers"),
        ("高素质农民", "new-farmers"),
        ("科普", None),
        # rule 4: the synonyms
        ("青年", "youth"),
        ("职工", "workers"),
        ("工人", "workers"),
        ("干部", "officials"),
        ("公职人员", "officials"),
        ("网约工", "new-employment-workers"),
        ("网约车司机", "new-employment-workers"),
        ("互联网营销师", "new-employment-workers"),
        ("农户", "farmers"),
        ("学龄前儿童", "children"),
        # rule 3: the groups the plans name besides the national five
        ("家长", "parents"),
        ("村两委干部", "village-cadres"),
        ("党员", "party-members"),
        ("搬迁群众", "relocated-residents"),
        ("老干部", "retired"),
    ],
)
def test_group_key(written: str, key: str | None) -> None:
    assert group_key(written) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("实施农村妇女素质提升计划", [("农村妇女", "rural-women")]),  # not women as well
        (
            "增加进城务工人员和返乡农民工教育培训机会",
            [("进城务工人员", "migrant-workers"), ("返乡农民工", "migrant-workers")],
        ),
        (
            "面向快递员、外卖送餐员、网约车司机开展安全科普",
            [
                ("快递员", "new-employment-workers"),
                ("外卖送餐员", "new-employment-workers"),
                ("网约车司机", "new-employment-workers"),
            ],
        ),
        # a group's name inside a body's name is the body
        ("县妇女联合会、县残疾人联合会、县退役军人事务局负责", []),
        ("关爱留守儿童和残疾人", [("留守儿童", "left-behind-children"), ("残疾人", "disabled")]),
    ],
)
def test_find_groups(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(g.written, g.group) for g in find_groups(text)] == expected


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(g.written, g.group) for g in find_groups(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # rule 1: the people themselves, or a venue, event or programme named for them
        ("为社区老年人开设智能手机课堂", [("老年人", "elderly")]),
        ("新建老年大学分校两所", [("老年", "elderly")]),
        ("举办老年健康宣传周", [("老年", "elderly")]),
        ("开展巾帼建功活动", [("巾帼", "women")]),
        ("举办全市青少年科技创新大赛", [("青少年", "youth")]),
        ("依托少年科学院开展科学实验活动", [("少年", "youth")]),
        ("在儿童公园设置科普长廊", [("儿童", "children")]),
        ("在工人文化宫举办科普讲座", [("工人", "workers")]),
        ("开展“最美职工”评选", [("职工", "workers")]),  # a campaign's name in quotes is no title
        ("利用青少年活动中心、社区老年人日间照料中心开展科普", [("青少年", "youth"), ("老年人", "elderly")]),
        (
            "提高网约工、互联网营销师等新业态从业者的安全意识",
            [
                ("网约工", "new-employment-workers"),
                ("互联网营销师", "new-employment-workers"),
                ("新业态从业者", "new-employment-workers"),
            ],
        ),
    ],
)
def test_rule_1_people_reached_venues_events(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("由区老年人体育协会承办", []),
        ("成立老年科技工作者协会", []),
        ("支持农民专业合作社开展技术推广", []),
        ("成立青少年科技辅导员协会", []),
        ("市老干部局、区退役军人服务中心配合", []),
        ("市妇女儿童工作委员会办公室负责", []),
        # a venue, or words no body's name holds before the suffix: the group counts
        ("引导农民加入合作社", [("农民", "farmers")]),
        ("构建青少年科技教育新格局", [("青少年", "youth")]),
        ("打开农村妇女科普工作新局面", [("农村妇女", "rural-women")]),
        ("设立职工书屋、青少年宫", [("职工", "workers"), ("青少年", "youth")]),
        ("帮助老年人学会使用智能手机", [("老年人", "elderly")]),
    ],
)
def test_rule_2_no_group_in_a_body_name(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("认真学习《公务员培训规定》", []),
        ("贯彻落实〈未成年人保护法〉", []),
        ("宣传《关于加强新时代老年人工作的意见》，为老年人办实事", [("老年人", "elderly")]),
        ("落实《干部教育培训工作条例》，把科学素质纳入干部教育培训", [("干部", "officials")]),
    ],
)
def test_rule_2_no_group_in_a_document_title(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("建立老年人才信息库", []),
        ("激励老年科技人才发挥余热", []),
        ("组建青年科技工作者讲师团", []),
        ("发展壮大农民科普宣传员队伍", []),
        ("招募大学生志愿者", []),
        ("动员中小学教师和科技志愿者担任科普信息员", []),
        ("引领带动教师、医务人员参与科普工作", []),
        ("壮大老年志愿者队伍", []),
        ("鼓励老年人参与科普知识传播", []),
        ("充分发挥老年人在社区科普中的积极作用", []),
        # trained or served, or mobilised to use a service: the group counts
        ("开展中小学教师科学素质培训", [("中小学教师", "teachers")]),
        ("培养青少年科技创新后备人才", [("青少年", "youth")]),
        ("鼓励青少年参与科普活动", [("青少年", "youth")]),
        ("引导企业为职工提供科普服务", [("职工", "workers")]),
        ("支持县科协开展培训，加大对留守儿童的科普服务力度", [("留守儿童", "left-behind-children")]),
        ("充分发挥青少年活动中心在科学教育中的作用", [("青少年", "youth")]),
        ("发动党员、社区居民注册科普APP", [("党员", "party-members"), ("社区居民", "community-residents")]),
    ],
)
def test_rule_2_no_group_for_people_enlisted(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


def test_spans_are_file_offsets() -> None:
    text = "前言\n关爱农村留守儿童。"
    found = find_groups(text[3:], Span(3, len(text), 2))
    assert [(g.written, text[g.span.start : g.span.end], g.span.line) for g in found] == [
        ("农村留守儿童", "农村留守儿童", 2)
    ]


def test_an_alias_in_two_groups_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "groups.toml"
    path.write_text(
        '[[group]]\nkey = "a"\nzh = "妇女"\nen = "A"\naliases = []\n'
        '[[group]]\nkey = "b"\nzh = "女性"\nen = "B"\naliases = ["妇女"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="两个人群"):
        load_groups(path)


def test_fixture_plan_tasks_and_targets() -> None:
    path = FIXTURES / "linjiang_targets.txt"
    rec = extract_file(path)
    raw = path.read_text(encoding="utf-8")
    tasks = {task.title: task for _, task in rec.tasks()}
    # rule 5: each group once per task, its first mention as printed; 妇女联合会 is a body
    assert [(g.written, g.group) for g in tasks["关爱留守儿童"].groups] == [
        ("留守儿童", "left-behind-children"),
        ("农村妇女", "rural-women"),
    ]
    assert {g.group for g in tasks["服务新就业形态劳动者"].groups} == {"new-employment-workers"}
    for _, task in rec.tasks():
        for g in task.groups:
            assert raw[g.span.start : g.span.end] == g.written
    assert tasks["关爱留守儿童"].targets[0].groups == ["left-behind-children"]
    assert tasks["培育新型职业农民"].targets[0].groups == ["new-farmers"]


@pytest.mark.parametrize("path", sorted(PLANS_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_bundled_plans_spans_quote_the_file(path: Path) -> None:
    rec = extract_file(path)
    raw = path.read_text(encoding="utf-8")
    mentions = [g for _, t in rec.tasks() for g in t.groups] + [g for c in rec.commitments for g in c.groups]
    assert mentions
    assert [g.written for g in mentions if raw[g.span.start : g.span.end] != g.written] == []
