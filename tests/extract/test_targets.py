"""Numeric targets: value (万 multiplied out), unit, comparator, deadline or frequency, quote; what
each counts (indicator), where (scope), the tier of a designation and a baseline stated with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract.targets import task_targets
from sciplan_kg.read.text import plan_text
from tests.conftest import FIXTURE_PLANS


def _targets(text: str) -> list[tuple]:
    pt = plan_text(text, "t.txt")
    return [
        (t.value, t.unit, t.comparator, t.year, t.period, t.frequency, t.quote) for t in task_targets(pt, 0, len(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到2025年，培育高素质农民3000人以上。", (3000, "人", "ge", 2025, None, None, "培育高素质农民3000人以上")),
        (
            "“十四五”期间培训产业工人1.2万人次。",
            (12000, "人次", "eq", 2025, (2021, 2025), None, "“十四五”期间培训产业工人1.2万人次"),
        ),
        ("科技类设施对外开放率达到90%以上。", (90, "%", "ge", None, None, None, "科技类设施对外开放率达到90%以上")),
        ("每学期举办科普讲座不少于2次。", (2, "次", "ge", None, None, "每学期", "每学期举办科普讲座不少于2次")),
        ("建设市级科技专家大院1个以上，", (1, "个", "ge", None, None, None, "建设市级科技专家大院1个以上")),
        ("科普场馆年接待量超过10万人次。", (100000, "人次", "gt", None, None, None, "科普场馆年接待量超过10万人次")),
        ("到2025年,全州科普基地达到20家。", (20, "家", "eq", 2025, None, None, "全州科普基地达到20家")),
    ],
)
def test_target_phrases(text: str, expected: tuple) -> None:
    assert _targets(text) == [expected]


@pytest.mark.parametrize("text", ["第15次常务会议", "实施5G网络建设", "培养计划2.0版", "2022年6月30日"])
def test_not_targets(text: str) -> None:
    assert _targets(text) == []


def test_fixture_plan_targets_and_baseline() -> None:
    rec = extract_file(FIXTURE_PLANS / "enshi_ascii_numbered.txt")
    found = [(t.value, t.unit, t.comparator) for _, task in rec.tasks() for t in task.targets]
    assert found == [(100, "人次", "ge"), (2, "次", "ge"), (3000, "人", "ge")]
    assert rec.baseline is None


def test_baseline_and_gain(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    source = (FIXTURE_PLANS / "enshi_ascii_numbered.txt").read_text(encoding="utf-8")
    path.write_text(
        source.replace(
            "一、工作目标\n", "一、工作目标\n2020年全州公民具备科学素质的比例达到9.5%,比2015年提高了3.1个百分点。\n"
        ),
        encoding="utf-8",
    )
    rec = extract_file(path)
    assert rec.literacy_target is not None and rec.literacy_target.year == 2025
    b = rec.baseline
    assert b is not None and (b.value, b.year, b.gain, b.gain_since) == (9.5, 2020, 3.1, 2015)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每所学校至少配备一名科技辅导员。", [(1, "名", "ge")]),
        # 各: one target for each of the things it distributes over
        ("分别举办创新方法大赛和一线工程师认证培训班各一期。", [(1, "期", "eq"), (1, "期", "eq")]),
        ("每年至少开展两次科普活动。", [(2, "次", "ge")]),
        ("各乡镇每年举办不少于十场讲座。", [(10, "场", "ge")]),
        ("每学期举办科普讲座不少于2次，每年至少开展一次科技周活动。", [(2, "次", "ge"), (1, "次", "ge")]),
        # a count with no floor, 各 or frequency before it is no commitment of a number
        ("打造一批科普教育基地，建设“两室一员”，推广一站式服务。", []),
    ],
)
def test_counts_in_chinese_numerals(text: str, expected: list[tuple[int, str, str]]) -> None:
    pt = plan_text(text, "t.txt")
    assert [(t.value, t.unit, t.comparator) for t in task_targets(pt, 0, len(text))] == expected


def _described(text: str) -> list[tuple]:
    pt = plan_text(text, "t.txt")
    return [(t.value, t.quote, t.indicator, t.scope, t.tier) for t in task_targets(pt, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun before the number, without its verb and deadline
        ("到2025年，培育高素质农民3000人以上。", [(3000, "培育高素质农民3000人以上", "高素质农民", None, None)]),
        ("“十四五”期间培训产业工人1.2万人次。", [(12000, "“十四五”期间培训产业工人1.2万人次", "产业工人", None, None)]),
        ("全县新注册科技志愿者300人。", [(300, "全县新注册科技志愿者300人", "科技志愿者", "全县", None)]),
        # a measured share: the noun before 达到
        ("科普信息员覆盖率达到100%。", [(100, "科普信息员覆盖率达到100%", "科普信息员覆盖率", None, None)]),
        (
            "到2025年，各行政村的科技示范户、科普信息员覆盖率达到100%。",
            [(100, "科普信息员覆盖率达到100%", "科普信息员覆盖率", "各行政村", None)],
        ),
        # the noun after the number: the quote runs to its end
        ("培训200名以上科技辅导员。", [(200, "培训200名以上科技辅导员", "科技辅导员", None, None)]),
        (
            "每所学校至少配备一名专（兼）职科技教师。",
            [(1, "每所学校至少配备一名专（兼）职科技教师", "科技教师", "每所学校", None)],
        ),
        ("每学期举办科普讲座不少于2次。", [(2, "每学期举办科普讲座不少于2次", "科普讲座", None, None)]),
        ("各乡镇每年举办不少于十场讲座。", [(10, "各乡镇每年举办不少于十场讲座", "讲座", "各乡镇", None)]),
        # what the share is of: 60% of the communities; two targets, two quotes, one scope
        (
            "力争全县60%以上的社区和50%的行政村具有科普活动室。",
            [(60, "力争全县60%以上的社区", "社区", "全县", None), (50, "50%的行政村", "行政村", "全县", None)],
        ),
        # tiers are kept apart from the indicator; a 、 between tiers separates nothing
        (
            "建设市级科技专家大院1个以上、县级科普示范基地3个以上。",
            [
                (1, "建设市级科技专家大院1个以上", "科技专家大院", None, "市级"),
                (3, "县级科普示范基地3个以上", "科普示范基地", None, "县级"),
            ],
        ),
        ("新培育区、市级科普基地5家。", [(5, "新培育区、市级科普基地5家", "科普基地", None, "区、市级")]),
        ("创建全国科普教育基地1个。", [(1, "创建全国科普教育基地1个", "科普教育基地", None, "全国")]),
        # 各 distributes one number over two things: a target each
        (
            "分别举办科普讲解大赛和科学实验展演各一场。",
            [
                (1, "分别举办科普讲解大赛和科学实验展演各一场", "科普讲解大赛", None, None),
                (1, "分别举办科普讲解大赛和科学实验展演各一场", "科学实验展演", None, None),
            ],
        ),
        # Chinese numerals after a verb that builds places, from two up
        ("“十四五”期间建设十个科普示范村。", [(10, "“十四五”期间建设十个科普示范村", "科普示范村", None, None)]),
        # a rate: what it is for, per what
        (
            "县财政按人均不低于1元的标准安排科普经费。",
            [(1, "县财政按人均不低于1元的标准安排科普经费", "科普经费", "人均", None)],
        ),
        ("每年安排科普专项经费50万元。", [(500000, "每年安排科普专项经费50万元", "科普专项经费", None, None)]),
    ],
)
def test_what_a_target_counts(text: str, expected: list[tuple]) -> None:
    assert _described(text) == expected


@pytest.mark.parametrize(
    "text", ["开展三项工作，抓好五个方面。", "建设一个平台。", "推动“五个一”建设。", "深入开展两个方面的工作。"]
)
def test_chinese_counts_that_are_no_targets(text: str) -> None:
    assert _targets(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 由X提高到Y: X is the baseline, no target of its own
        ("到2025年，全市科普示范社区占比由2020年的35%提高到60%。", [(60, "科普示范社区占比", 35, 2020, 2025)]),
        ("科普场馆年接待量从2020年的5万人次增加到8万人次。", [(80000, "科普场馆年接待量", 50000, 2020, None)]),
        # 比2020年增长Z%: a base year, no base value (人均 is the scope)
        ("人均科普经费比2020年增长20%以上。", [(20, "科普经费", None, 2020, None)]),
    ],
)
def test_baseline_in_the_sentence(text: str, expected: list[tuple]) -> None:
    pt = plan_text(text, "t.txt")
    found = [(t.value, t.indicator, t.base_value, t.base_year, t.year) for t in task_targets(pt, 0, len(text))]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject a frequency counts per is the scope; a share never recurs
        (
            "学校每学期至少安排1次研学实践活动，每学期举办科普讲座不少于2次，学生参与率达到85%以上。",
            [("学校", "每学期"), ("学校", "每学期"), (None, None)],
        ),
        ("社区每年开展科普活动，参与居民不少于500人次。", [("社区", "每年")]),
    ],
)
def test_scope_and_frequency_of_the_sentence(text: str, expected: list[tuple]) -> None:
    pt = plan_text(text, "t.txt")
    assert [(t.scope, t.frequency) for t in task_targets(pt, 0, len(text))] == expected


def test_frequency_from_before_the_number_only() -> None:
    text = "人均科普经费不低于1元，每年安排科普专项经费50万元。"
    pt = plan_text(text, "t.txt")
    assert [t.frequency for t in task_targets(pt, 0, len(text))] == [None, "每年"]


def test_spans_quote_the_text() -> None:
    text = "一、目标\n力争全县60%以上的社区和50%的行政村具有科普活动室，培训200名以上科技辅导员。"
    pt = plan_text(text, "t.txt")
    for t in task_targets(pt, 0, len(text)):
        assert text[t.span.start : t.span.end] == t.quote
        assert t.span.line == 2
