"""Indicators: every target of a plan resolved to one shared key (data/registry/indicators.toml);
an unregistered one warns; the literacy target and baseline take theirs from the quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.resolve.indicators import indicator_key, load_indicators, plan_targets

FIXTURES = Path(__file__).parents[1] / "fixtures" / "targets"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("公民具备科学素质的比例", "literacy-rate"),
        ("公民具备科学素质比例", "literacy-rate"),
        ("科技辅导员", "science-counsellors"),
        ("高素质农民", "high-quality-farmers"),
        ("新型职业农民", "high-quality-farmers"),  # one indicator, two names
        ("“科普中国”APP科普信息员注册人数", "popsci-informants"),  # quotation marks dropped
        ("县科技馆观众接待量", "science-museum-visitors"),  # the jurisdiction's character dropped
        ("科普基地", "popsci-education-bases"),
        ("全国科普教育基地", "popsci-education-bases"),  # a tier written with it
        ("区、市级科普基地", "popsci-education-bases"),
        ("科普教育基地", "popsci-education-bases"),
        ("社区", "communities"),
        ("科学实验展演", None),
        ("", None),
    ],
)
def test_indicator_key(written: str, key: str | None) -> None:
    assert indicator_key(written) == key


def test_registry_forms_are_unique_and_kinds_known() -> None:
    reg = load_indicators()
    assert "literacy-rate" in reg.indicators
    assert {i.kind for i in reg.indicators.values()} <= {"people", "events", "places", "share", "money", "items"}


def test_a_form_in_two_entries_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "indicators.toml"
    path.write_text(
        '[[indicator]]\nkey = "a"\nzh = "社区"\nen = "A"\nkind = "share"\naliases = []\n'
        '[[indicator]]\nkey = "b"\nzh = "村"\nen = "B"\nkind = "share"\naliases = ["社区"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="两个指标"):
        load_indicators(path)


def test_fixture_plan_every_target_resolved() -> None:
    rec = extract_file(FIXTURES / "linjiang_targets.txt")
    lit = rec.literacy_target
    assert lit is not None and (lit.indicator, lit.indicator_key, lit.scope) == (
        "公民具备科学素质的比例",
        "literacy-rate",
        "全县",
    )
    keyed = [(t.indicator, t.indicator_key) for _, task in rec.tasks() for t in task.targets]
    assert keyed == [
        ("科技辅导员", "science-counsellors"),
        ("科技辅导员", "science-counsellors"),
        ("留守儿童科普活动", None),
        ("新型职业农民", "high-quality-farmers"),
        ("科普示范村", "popsci-demonstration-villages"),
        ("行政村", "administrative-villages"),
        ("社区", "communities"),
        ("科普示范社区占比", "popsci-community-share"),
        ("科普教育基地", "popsci-education-bases"),
        ("科普讲解大赛", "popsci-commentary-contests"),
        ("科学实验展演", None),
        ("县科技馆年接待观众", "science-museum-visitors"),
    ]
    unregistered = [w for w in rec.warnings if w.code == "unregistered-indicator"]
    assert [(w.line, "留守儿童科普活动" in w.zh, "留守儿童科普活动" in w.en) for w in unregistered][:1] == [
        (14, True, True)
    ]
    assert len(unregistered) == 2  # once per written form


@pytest.mark.parametrize("path", sorted(PLANS_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
def test_bundled_plans_every_target_has_a_registered_indicator(path: Path) -> None:
    rec = extract_file(path)
    targets = plan_targets(rec)
    assert targets
    assert [t.quote for t in targets if t.indicator is None or t.indicator_key is None] == []
    assert not [w for w in rec.warnings if w.code in ("unregistered-indicator", "no-indicator")]


def test_same_indicator_in_two_plans_is_one_key() -> None:
    keys = [{t.indicator_key for t in plan_targets(extract_file(p))} for p in sorted(PLANS_DIR.glob("*.txt"))]
    assert all("literacy-rate" in k for k in keys)
