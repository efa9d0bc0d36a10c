"""Numeric targets: value (万 multiplied out), unit, comparator, deadline or frequency, quote."""

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
        ("分别举办创新方法大赛和一线工程师认证培训班各一期。", [(1, "期", "eq")]),
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
