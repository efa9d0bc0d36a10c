"""The outcome registry (data/registry/outcomes.toml) and the area hierarchy it is compared along
(data/registry/areas.toml): every value sourced, every area on one chain up to the nation, the
nearest measured area found by walking up."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.resolve.registry import Outcome, Registry, load_registry

# how far up each level stands; a parent is always higher than its child
RANK = {"county": 0, "district": 0, "city": 0, "cluster": 1, "prefecture": 1, "province": 2, "region": 3, "national": 4}


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


def test_every_value_has_a_source_a_definition_and_a_known_area(reg: Registry) -> None:
    assert len(reg.outcomes) == 35
    for o in reg.outcomes:
        assert o.source.publisher and o.source.publisher_en and o.source.read_at, o
        assert o.area in reg.areas, o
        assert o.group in reg.population_groups, o
        assert reg.definitions[o.definition].covers(o.year), o
        assert 0 < o.value < 100, o
        assert o.edition is None or 9 <= o.edition <= 14, o
    keys = [(o.area, o.year, o.group) for o in reg.outcomes]
    assert len(keys) == len(set(keys)), "one value per area, year and group"


def test_the_definition_changes_with_the_2024_survey(reg: Registry) -> None:
    national = {o.year: o for o in reg.outcomes if o.area == "中国" and o.group == "all"}
    assert {y: o.value for y, o in national.items()} == {2015: 6.2, 2020: 10.56, 2022: 12.93, 2023: 14.14, 2024: 15.37}
    assert {y: o.edition for y, o in national.items()} == {2015: 9, 2020: 11, 2022: 12, 2023: 13, 2024: 14}
    assert {o.definition for y, o in national.items() if y < 2024} == {"pre-2024-criteria"}
    assert national[2024].definition == "graded-2024"
    assert not reg.definitions["graded-2024"].covers(2023)
    assert not reg.definitions["pre-2024-criteria"].covers(2024)


def test_sources_keep_the_publisher_and_say_where_read(reg: Registry) -> None:
    sources = {o.source.key: o.source for o in reg.outcomes}
    assert sources["chongqing-daily-2021-03"].publisher == "重庆日报"
    assert sources["kepu-yanjiu-2024-2"].doi == "10.19293/j.cnki.1673-8357.2024.02.001"
    assert sources["cast-2021-01-26"].read_at == "china.com.cn"
    assert sources["xinhua-2015"].publisher == "新华社"  # reprinted by 海口晚报: the release's publisher stays


def test_every_area_is_on_one_chain_up_to_the_nation(reg: Registry) -> None:
    for zh in reg.areas:
        chain = reg.area_chain(zh)
        assert chain[0].zh == zh and chain[-1].zh == "中国", [a.zh for a in chain]
        ranks = [RANK[a.level] for a in chain]
        assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), [(a.zh, a.level) for a in chain]


@pytest.mark.parametrize(
    ("place", "chain"),
    [
        ("巫山县", ["巫山县", "渝东北三峡库区城镇群", "重庆市", "西部地区", "中国"]),
        ("梁平区", ["梁平区", "渝东北三峡库区城镇群", "重庆市", "西部地区", "中国"]),
        ("九龙坡区", ["九龙坡区", "主城都市区", "重庆市", "西部地区", "中国"]),
        ("平罗县", ["平罗县", "石嘴山市", "宁夏回族自治区", "西部地区", "中国"]),
        ("万年县", ["万年县", "上饶市", "江西省", "中部地区", "中国"]),
    ],
)
def test_the_five_places_chains(reg: Registry, place: str, chain: list[str]) -> None:
    assert [a.zh for a in reg.area_chain(place)] == chain


def test_regions_follow_the_nbs_division(reg: Registry) -> None:
    region = {zh: reg.area_chain(zh)[1].zh for zh, a in reg.areas.items() if a.level == "province"}
    assert {p for p, r in region.items() if r == "东部地区"} == {
        "上海市", "北京市", "天津市", "江苏省", "浙江省", "广东省", "福建省", "山东省", "辽宁省"
    }  # fmt: skip
    assert {p for p, r in region.items() if r == "中部地区"} == {"湖北省", "安徽省", "河南省", "江西省"}
    assert {p for p, r in region.items() if r == "西部地区"} == {"重庆市", "宁夏回族自治区", "四川省", "陕西省"}


@pytest.mark.parametrize(
    ("place", "area", "year", "value"),
    [
        ("巫山县", "渝东北三峡库区城镇群", 2020, 8.2),
        ("梁平区", "渝东北三峡库区城镇群", 2020, 8.2),
        ("九龙坡区", "主城都市区", 2020, 11.6),
        ("平罗县", "西部地区", 2023, 11.51),  # 石嘴山 and 宁夏 have none
        ("万年县", "中部地区", 2023, 13.12),  # 上饶 and 江西 have none
        ("重庆市", "重庆市", 2020, 10.2),  # its own, the latest of 2015, 2018, 2020
        ("中国", "中国", 2024, 15.37),
    ],
)
def test_the_walk_picks_the_nearest_measured_area_and_its_latest_value(
    reg: Registry, place: str, area: str, year: int, value: float
) -> None:
    found = reg.nearest_outcome(place)
    assert found is not None
    assert (found.area, found.year, found.value) == (area, year, value)


def test_a_nearer_value_wins_over_a_later_one_further_up(reg: Registry) -> None:
    src = reg.outcomes[0].source
    county = Outcome("平罗县", 2019, "all", "pre-2024-criteria", 9.9, src)
    prefecture = Outcome("石嘴山市", 2021, "all", "pre-2024-criteria", 9.0, src)
    with_prefecture = dataclasses.replace(reg, outcomes=[*reg.outcomes, prefecture])
    assert with_prefecture.nearest_outcome("平罗县") == prefecture
    with_both = dataclasses.replace(reg, outcomes=[*reg.outcomes, prefecture, county])
    assert with_both.nearest_outcome("平罗县") == county
    assert reg.nearest_outcome("平罗县", group="urban") is not None  # only the nation reports urban values
    assert reg.nearest_outcome("安平县") is None  # not in the registry: no chain


def test_urban_and_rural_values_are_national(reg: Registry) -> None:
    by_group = {(o.group, o.year): o.value for o in reg.outcomes if o.group != "all"}
    assert by_group == {
        ("urban", 2020): 13.75, ("rural", 2020): 6.45, ("urban", 2022): 15.94, ("rural", 2022): 7.96,
        ("urban", 2023): 17.25, ("rural", 2023): 9.16,
    }  # fmt: skip
    assert {o.area for o in reg.outcomes if o.group != "all"} == {"中国"}


def _registry_copy(tmp_path: Path, outcomes: str) -> Path:
    for f in REGISTRY_DIR.glob("*.toml"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "outcomes.toml").write_text(outcomes, encoding="utf-8")
    return tmp_path


_BASE = """
[definition.old]
zh = "旧"
en = "old"
until = 2023
description_zh = "旧标准"
description_en = "old criteria"

[group]
all = { zh = "全体公民", en = "all citizens" }

[source.s]
publisher = "某报"
publisher_en = "A paper"
read_at = "example.org"
"""


@pytest.mark.parametrize(
    ("outcome", "says"),
    [
        ('area = "中国"\nyear = 2020\ngroup = "all"\ndefinition = "old"\nvalue = 1.0\nsource = "nope"', "source"),
        ('area = "火星"\nyear = 2020\ngroup = "all"\ndefinition = "old"\nvalue = 1.0\nsource = "s"', "area"),
        ('area = "中国"\nyear = 2024\ngroup = "all"\ndefinition = "old"\nvalue = 1.0\nsource = "s"', "definition"),
        ('area = "中国"\nyear = 2020\ngroup = "men"\ndefinition = "old"\nvalue = 1.0\nsource = "s"', "group"),
    ],
)
def test_a_value_that_cannot_be_traced_is_an_error(tmp_path: Path, outcome: str, says: str) -> None:
    folder = _registry_copy(tmp_path, _BASE + "\n[[outcome]]\n" + outcome + "\n")
    with pytest.raises(InputError) as err:
        load_registry(folder)
    assert "outcomes.toml" in str(err.value) and says in str(err.value)


def test_a_second_value_for_one_area_year_and_group_is_an_error(tmp_path: Path) -> None:
    one = '[[outcome]]\narea = "中国"\nyear = 2020\ngroup = "all"\ndefinition = "old"\nvalue = 1.0\nsource = "s"\n'
    folder = _registry_copy(tmp_path, _BASE + "\n" + one + "\n" + one)
    with pytest.raises(InputError, match="second value"):
        load_registry(folder)


def test_a_registry_without_outcomes_still_loads(tmp_path: Path) -> None:
    for f in REGISTRY_DIR.glob("*.toml"):
        if f.name != "outcomes.toml":
            shutil.copy(f, tmp_path / f.name)
    reg = load_registry(tmp_path)
    assert reg.outcomes == [] and reg.nearest_outcome("巫山县") is None


def test_a_value_without_its_fields_is_an_error(tmp_path: Path) -> None:
    folder = _registry_copy(
        tmp_path, _BASE + '\n[[outcome]]\narea = "中国"\nyear = 2020\ngroup = "all"\nsource = "s"\n'
    )
    with pytest.raises(InputError, match="missing definition, value"):
        load_registry(folder)
