"""Population groups named in tasks, commitments and targets (data/registry/groups.toml): the
longest written form wins, a body's name is no group, spans quote the file."""

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
    assert [g.group for g in tasks["关爱留守儿童"].groups] == [
        "left-behind-children",
        "left-behind-children",
        "rural-women",
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
