"""A plan's measures mapped to the national outline's ten by their titles (registry
``measures.toml``): the same title, a title keeping a measure's stem (renamed), or a local
addition — whatever the plan calls them (行动 or 工程) and however it words the group."""

from __future__ import annotations

import pytest

from sciplan_kg.extract import extract_text
from sciplan_kg.read.text import plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

HEAD = (
    "某县全民科学素质行动规划纲要实施方案（2021—2025年）\n"
    "根据《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕9号），制定本方案。\n"
    "一、工作目标\n到2025年，全县公民具备科学素质的比例超过12%。\n二、重点任务\n"
)


@pytest.mark.parametrize(
    ("title", "kind", "national", "mapping"),
    [
        ("青少年科学素质提升行动", "action", "youth", "same"),
        ("青少年科学素质提升工程", "action", "youth", "renamed"),  # a plan calling all ten 工程
        ("乡村振兴农民科学素质提升工程", "action", "farmers", "renamed"),
        ("农牧民科学素质提升行动", "action", "farmers", "renamed"),  # 内蒙古's banners
        ("老年群体科学素质提升行动", "action", "elderly", "renamed"),
        ("职工科学素质提升行动", "action", "workers", "renamed"),
        ("科普信息化提升工程", "project", "informatisation", "same"),
        ("科学素质国际交流合作工程", "project", "international-cooperation", "same"),
        # the second audit (2026-12-07): renamed measures of 怀化-like plans
        ("农村居民科学素质提升行动", "action", "farmers", "renamed"),
        ("党员干部科学素质提升行动", "action", "officials", "renamed"),
        ("机关干部科学素质提升行动", "action", "officials", "renamed"),
        ("科普资源开发与共享工程", "project", "resources", "renamed"),
        ("科普阵地建设工程", "project", "infrastructure", "renamed"),
        ("科普场馆建设工程", "project", "infrastructure", "renamed"),
        ("科普人才队伍建设工程", "project", None, "local-addition"),
        ("少数民族群众科学素质提升行动", "action", None, "local-addition"),
        ("妇女科学素质提升行动", "action", None, "local-addition"),
    ],
)
def test_a_measure_maps_by_its_title(title: str, kind: str, national: str | None, mapping: str) -> None:
    text = HEAD + f"（一）{title}\n1.开展科普活动。\n2.组织科普培训。\n"
    rec = resolve(extract_text(plan_text(text, "plan.txt")), load_registry())
    [measure] = rec.measures
    assert (measure.kind, measure.national, measure.mapping) == (kind, national, mapping)
