"""Numeric targets: value (万 multiplied out), unit, comparator, deadline or frequency, quote; what
each counts (indicator), where (scope), the tier of a designation and a baseline stated with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract.targets import cn_value, task_targets
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


# -- counts in Chinese numerals: as general as Arabic figures ------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the number after the object, not right after the verb; 其中 is no part of the indicator
        (
            "全市建成科技馆五座，其中新建县级科技馆二座。",
            [(5, "座", "eq", "科技馆", "全市", None), (2, "座", "eq", "科技馆", None, "县级")],
        ),
        # 万, 点 and 元
        ("注册科技志愿者达到三万名。", [(30000, "名", "eq", "科技志愿者", None, None)]),
        ("人均科普经费达到一点五元以上。", [(1.5, "元", "ge", "科普经费", "人均", None)]),
        ("科普教育基地达到一百个以上。", [(100, "个", "ge", "科普教育基地", None, None)]),
        ("每万人口拥有科普人员达到二十五人。", [(25, "人", "eq", "每万人口拥有科普人员", None, None)]),
        # compounds of 万, 千, 百, 十, with 两 and 零
        ("全市培育高素质农民八千人。", [(8000, "人", "eq", "高素质农民", "全市", None)]),
        ("建成科普示范社区两千五百个。", [(2500, "个", "eq", "科普示范社区", None, None)]),
        ("发放科普资料一万二千份。", [(12000, "份", "eq", "科普资料", None, None)]),
        ("培训产业工人一点二万人次。", [(12000, "人次", "eq", "产业工人", None, None)]),
        ("新建科普画廊一百零五处。", [(105, "处", "eq", "科普画廊", None, None)]),
        # a frequency with the object between it and the number; the comparators of the Arabic path
        ("每年选派科技特派员五百名以上，服务乡村产业发展。", [(500, "名", "ge", "科技特派员", None, None)]),
        ("参与学生不少于一万人次。", [(10000, "人次", "ge", "参与学生", None, None)]),
        ("科普场馆年接待量超过十万人次。", [(100000, "人次", "gt", "科普场馆年接待量", None, None)]),
        ("专家不低于五十人。", [(50, "人", "ge", "专家", None, None)]),
        ("全县科普志愿者总数达三万人左右。", [(30000, "人", "eq", "科普志愿者总数", "全县", None)]),
        # a share in words
        ("科学素质类课程占比不低于百分之十。", [(10, "%", "ge", "科学素质类课程占比", None, None)]),
        # one each where each place does it
        ("每个乡镇（街道）建成一个科普活动站。", [(1, "个", "eq", "科普活动站", "每个乡镇（街道）", None)]),
        # a goal list with no verb: each count ends its noun phrase
        (
            "全市科技馆五座，科普教育基地二十个。",
            [(5, "座", "eq", "科技馆", "全市", None), (20, "个", "eq", "科普教育基地", None, None)],
        ),
    ],
)
def test_counts_in_chinese_numerals_read_like_figures(text: str, expected: list[tuple]) -> None:
    pt = plan_text(text, "t.txt")
    found = [(t.value, t.unit, t.comparator, t.indicator, t.scope, t.tier) for t in task_targets(pt, 0, len(text))]
    assert found == expected


@pytest.mark.parametrize(
    ("chinese", "arabic"),
    [
        (
            "到2025年，全市建成科技馆五座，其中新建县级科技馆二座。",
            "到2025年，全市建成科技馆5座，其中新建县级科技馆2座。",
        ),
        ("注册科技志愿者达到三万名。", "注册科技志愿者达到3万名。"),
        ("人均科普经费达到一点五元以上。", "人均科普经费达到1.5元以上。"),
        ("每年开展各类职业技能培训五万人次以上。", "每年开展各类职业技能培训5万人次以上。"),
        ("每年推出原创科普作品三百件。", "每年推出原创科普作品300件。"),
        ("全县科技馆由三座增加到五座。", "全县科技馆由3座增加到5座。"),
        ("每年安排科普专项经费五十万元。", "每年安排科普专项经费50万元。"),
        ("比2020年提高五个百分点。", "比2020年提高5个百分点。"),
    ],
)
def test_chinese_and_arabic_figures_give_one_target(chinese: str, arabic: str) -> None:
    def read(text: str) -> list[tuple]:
        pt = plan_text(text, "t.txt")
        return [
            (
                t.value,
                t.unit,
                t.comparator,
                t.year,
                t.frequency,
                t.indicator,
                t.scope,
                t.tier,
                t.base_value,
                t.base_year,
            )
            for t in task_targets(pt, 0, len(text))
        ]

    assert read(chinese) == read(arabic) != []


@pytest.mark.parametrize(
    "text",
    [
        "第五名",  # ordinals
        "年度考核排名前三名。",
        "一是加强组织领导，二是完善工作机制。",
        "打造一批科普教育基地，开展一系列科普活动。",
        "实施五大提升行动。",
        "“十四五”期间实施五项重点工程。",
        "二、五项重点工程",
        "建设一流科技馆，建成市县乡三级网络。",
        "重点实施以下三项：",  # a list announced
        "科技馆建设是其中一项。",
        "全国科普日活动是重要活动之一。",
        "科普工作是经济社会发展的一项重要任务。",
        # 百, 千, 万 with no digit: names and rates, not counts
        "精心打造科普文化进万家等活动。",
        "组织千名专家进万村，举办百场科普讲座。",
        "每万人口拥有科普人员数量稳步提高。",
        # digits read one by one: a year, "a few"
        "二〇二五年。",
        "三五个单位联合开展。",
        # an article, a slogan, a part
        "建设一个平台，打造一支高素质队伍。",
        "建设一个，带动一片。",
        "覆盖每一个社区。",
        "至少一部分经费用于基层，给予一次性补助。",
        "分两期实施，推动“五个一”建设，坚决做到“两个维护”。",
        "行政村具有“两室一员”（一个科普活动室、一个科普图书室、一名科普信息员）。",
    ],
)
def test_chinese_numerals_that_count_nothing(text: str) -> None:
    assert _targets(text) == []


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("五", 5),
        ("二十五", 25),
        ("两千五百", 2500),
        ("一万二千", 12000),
        ("三万", 30000),
        ("一百零五", 105),
        ("一千〇五", 1005),
        ("一点五", 1.5),
        ("零点五", 0.5),
        ("一点二万", 12000),
        ("一亿二千万", 120_000_000),
        ("百", None),
        ("万", None),
        ("二〇二五", None),
        ("三五", None),
    ],
)
def test_cn_value(written: str, value: float | None) -> None:
    assert cn_value(written) == value


def test_goal_paragraph_in_chinese_numerals(tmp_path: Path) -> None:
    """Every count of a 主要目标 paragraph in Chinese numerals is a target of a quantitative goal."""
    source = (FIXTURE_PLANS / "enshi_ascii_numbered.txt").read_text(encoding="utf-8")
    goals = "全州建成科技馆五座，其中新建县级科技馆二座；注册科技志愿者达到三万名；人均科普经费达到一点五元以上。\n"
    path = tmp_path / "p.txt"
    path.write_text(source.replace("一、工作目标\n", "一、工作目标\n" + goals), encoding="utf-8")
    rec = extract_file(path)
    found = [(t.value, t.unit, t.comparator) for g in rec.goals if g.kind == "quantitative" for t in g.targets]
    assert found == [(5, "座", "eq"), (2, "座", "eq"), (30000, "名", "eq"), (1.5, "元", "ge")]
