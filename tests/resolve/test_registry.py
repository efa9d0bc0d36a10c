"""Agency and directive resolution against the curated registries."""

from __future__ import annotations

import pytest

from sciplan_kg.resolve.registry import level_char, load_registry, title_key


def test_written_variants_resolve_to_one_agency() -> None:
    reg = load_registry()
    same = ["县人社局", "县人力社保局", "县人力资源社会保障局", "人社局"]
    assert {reg.match_agency(name, "县").key for name in same} == {"hrss"}  # type: ignore[union-attr]
    assert reg.match_agency("县市场监管理局", "县").key == "market-regulation"  # type: ignore[union-attr]


def test_bare_short_forms_resolve_in_the_plans_jurisdiction() -> None:
    reg = load_registry()
    assert reg.match_agency("科协", "县").key == "kexie"  # type: ignore[union-attr]
    assert reg.match_agency("团委", "区").key == "youth-league"  # type: ignore[union-attr]
    assert reg.match_agency("区科协", "县") is None  # a district's body is not a county's


def test_a_bracketed_body_is_the_one_doing_the_work() -> None:
    reg = load_registry()
    assert reg.match_agency("县委组织部（老干部局）", "县").key == "veteran-cadres"  # type: ignore[union-attr]
    office = reg.match_agency("县政府办公室（县大数据应用发展管理中心）", "县")
    assert office is not None and office.key == "big-data"


def test_a_bracket_that_is_no_body_falls_back_to_the_name_before_it() -> None:
    reg = load_registry()
    assert reg.match_agency("县委组织部（含下属单位）", "县").key == "organisation"  # type: ignore[union-attr]
    assert reg.match_agency("党校（行政学院）", "县") is not None


@pytest.mark.parametrize(
    ("written", "level", "place", "key"),
    [
        # a province's departments (厅) are the bodies its counties call 局 (the second audit:
        # 13 of a province plan's bodies were unregistered)
        ("省教育厅", "省", "甘肃省", "education"),
        ("省科学技术厅", "省", "甘肃省", "science-technology"),
        ("省人力资源社会保障厅", "省", "甘肃省", "hrss"),
        ("省文化和旅游厅", "省", "甘肃省", "culture-tourism"),
        ("省地震局", "省", "甘肃省", "earthquake"),
        # the plan's own place written out
        ("三都水族自治县农业农村局", "县", "三都水族自治县", "agriculture"),
        ("三都水族自治县科学技术协会", "县", "三都水族自治县", "kexie"),
        ("共青团三都水族自治县委员会", "县", "三都水族自治县", "youth-league"),
        ("中共三都水族自治县委宣传部", "县", "三都水族自治县", "propaganda"),
        # short forms met
        ("县发展改革局", "县", None, "development-reform"),
        ("县民宗局", "县", None, "ethnic-religious"),
        ("旗文体旅游广电局", "旗", None, "culture-tourism"),
        ("县人民政府办公室", "县", None, "government-office"),
    ],
)
def test_more_written_forms_resolve(written: str, level: str, place: str | None, key: str) -> None:
    tpl = load_registry().match_agency(written, level, place)
    assert tpl is not None and tpl.key == key


def test_another_places_full_name_is_not_the_plans_body() -> None:
    """荔波县教育局 named in 三都's plan is another county's bureau: not 三都's own."""
    assert load_registry().match_agency("荔波县教育局", "县", "三都水族自治县") is None
    assert load_registry().match_agency("市教育厅", "市", "某市") is None  # 厅 is a province's


def test_collective_entries_are_marked() -> None:
    reg = load_registry()
    tpl = reg.match_agency("各乡镇（街道）", "县")
    assert tpl is not None and tpl.collective


def test_directives_match_by_number_or_title() -> None:
    reg = load_registry()
    assert reg.match_directive("国发〔2021〕9号", None).key == "guofa-2021-9"  # type: ignore[union-attr]
    assert reg.match_directive("国发[2021]9号", None).key == "guofa-2021-9"  # type: ignore[union-attr]
    by_title = reg.match_directive(None, "全民科学素质行动规划纲要（2021—2035年）")
    assert by_title is not None and by_title.key == "guofa-2021-9"
    assert title_key("宁夏回族自治区全民科学素质行动规划纲要实施方案（2021年—2025年）") == title_key(
        "宁夏回族自治区全民科学素质行动规划纲要实施方案(2021—2025)"
    )


def test_every_directive_chain_reaches_the_national_outline() -> None:
    reg = load_registry()
    for d in reg.directives.values():
        if not d.is_literacy_plan:
            continue
        seen, current = set(), d
        while current.parents:
            assert current.key not in seen
            seen.add(current.key)
            current = reg.directives[current.parents[0]]
        assert current.key in ("guofa-2021-9", "guofa-2006-7")  # the national outline of its round
        assert current.kind == "literacy-outline" and current.level == "national"


def test_level_character() -> None:
    assert level_char("恩施州", "prefecture") == "州"
    assert level_char("梁平区", "district") == "区"
    assert level_char(None, "county") == "县"


def test_the_earlier_rounds_parents_are_registered() -> None:
    """Plans of 2016–2020 implement 国发〔2006〕7号 and 国办发〔2016〕10号; named by number (in any
    bracket) or by title, each resolves, and the chain runs up to the 2006 outline."""
    reg = load_registry()
    outline = reg.match_directive("国发[2006]7号", None)
    plan = reg.match_directive(None, "国务院办公厅关于印发全民科学素质行动计划纲要实施方案(2016-2020年)的通知")
    assert outline is not None and plan is not None
    assert plan.parents == (outline.key,) and outline.parents == ()


@pytest.mark.parametrize(
    "written",
    ["各市（州）、县（市、区）人民政府", "各县（市、区）人民政府", "各市（州）", "各县区", "各旗县（市、区）"],
)
def test_the_lower_governments_are_one_collective(written: str) -> None:
    """A province's or city's plan hands work to every government below it (the second audit:
    各市（州）、县（市、区）人民政府 was an unregistered agency of one county)."""
    tpl = load_registry().match_agency(written, "省", "甘肃省")
    assert tpl is not None and tpl.key == "lower-governments" and tpl.collective
