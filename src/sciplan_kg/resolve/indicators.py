"""Indicators: what each numeric target counts or measures, resolved to one shared key.

``extract.targets`` reads the indicator as written (科技辅导员, 科普信息员覆盖率, 社区); this step
looks it up in the indicator registry ``data/registry/indicators.toml`` (key, zh, en, kind,
aliases), so the same indicator in two plans is one key. A target extraction gave no indicator
(the literacy target and baseline the header reads) takes the longest registered form its quote
holds (全县公民具备科学素质的比例超过12% → 公民具备科学素质的比例), and a scope its quote names.
An indicator no entry covers keeps ``indicator_key`` None and gives a warning
``unregistered-indicator``, so the registry can grow from what plans say.

Public: :func:`indicator_key` (the key of one written form; the gold standard compares its
labels with it), :func:`resolve_indicators` (fills ``Target.indicator_key`` for every target of
a plan), :func:`load_indicators`, :func:`plan_targets` (every target of a plan, in order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import PlanRecord, Target
from sciplan_kg.extract.targets import TIER, scope_in
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import fold
from sciplan_kg.resolve.registry import _read

INDICATORS_FILE = REGISTRY_DIR / "indicators.toml"
KINDS = ("people", "events", "places", "share", "money", "items")
_JURISDICTION = "县区市州旗盟省镇乡"  # 县科技馆观众接待量 → 科技馆观众接待量


@dataclass(frozen=True)
class Indicator:
    key: str
    zh: str
    en: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorRegistry:
    indicators: dict[str, Indicator]
    by_form: dict[str, str]  # normalised written form → key
    longest_first: tuple[str, ...]  # folded forms as they may stand in a quote, longest first


def normalise(written: str) -> str:
    """A written indicator as it is compared: punctuation folded, whitespace and quotation marks
    dropped (“科普中国”APP → 科普中国APP)."""
    return re.sub(r"[\s“”\"‘’'「」『』《》]", "", fold(written))


@cache
def load_indicators(path: Path = INDICATORS_FILE) -> IndicatorRegistry:
    """The registry in ``path``; a form two entries share or an unknown kind is an error naming
    the file."""
    data = _read(path)
    indicators: dict[str, Indicator] = {}
    by_form: dict[str, str] = {}
    for d in data.get("indicator", []):
        ind = Indicator(d["key"], d["zh"], d["en"], d["kind"], tuple(d.get("aliases", [])))
        if ind.kind not in KINDS:
            raise InputError(
                path, f"指标「{ind.key}」的类别「{ind.kind}」未定义 / unknown kind '{ind.kind}' of '{ind.key}'"
            )
        indicators[ind.key] = ind
        for form in (ind.zh, *ind.aliases):
            if by_form.setdefault(normalise(form), ind.key) != ind.key:
                raise InputError(path, f"写法「{form}」属于两个指标 / the form '{form}' belongs to two indicators")
    forms = {fold(f) for i in indicators.values() for f in (i.zh, *i.aliases)}
    return IndicatorRegistry(indicators, by_form, tuple(sorted(forms, key=lambda f: (-len(f), f))))


def indicator_key(written: str, registry: IndicatorRegistry | None = None) -> str | None:
    """The key of the indicator a written form names (科技辅导员 → science-counsellors;
    “科普中国”APP科普信息员注册人数 → popsci-informants); None when no entry covers it. The form is
    compared as written, then without a leading jurisdiction character (县科技馆观众接待量) or tier
    (全国科普教育基地, 区、市级科普基地)."""
    registry = registry or load_indicators()
    form = normalise(written)
    key = registry.by_form.get(form)
    if key is None and len(form) > 2 and form[0] in _JURISDICTION:
        key = registry.by_form.get(form[1:])
    tier = TIER.match(form)
    if key is None and tier and tier.end() < len(form):
        key = registry.by_form.get(form[tier.end() :])  # a tier written with it: 全国科普教育基地
    return key


def plan_targets(rec: PlanRecord) -> list[Target]:
    """Every target of a plan, in order: literacy target, baseline, goals', tasks',
    safeguard commitments'."""
    out = [t for t in (rec.literacy_target, rec.baseline) if t is not None]
    for goal in rec.goals:
        out.extend(goal.targets)
    for _, task in rec.tasks():
        out.extend(task.targets)
    for commitment in rec.commitments:
        out.extend(commitment.targets)
    return out


def _in_quote(quote: str, registry: IndicatorRegistry) -> str | None:
    folded = fold(quote)
    for form in registry.longest_first:
        at = folded.find(form)
        if at >= 0:
            return quote[at : at + len(form)]
    return None


def resolve_indicators(rec: PlanRecord, registry: IndicatorRegistry | None = None) -> None:
    """Fill ``indicator_key`` of every target of ``rec`` (and ``indicator`` and ``scope`` where
    extraction left them empty); warn once per written form no entry covers."""
    registry = registry or load_indicators()
    warned: set[str] = set()
    for t in plan_targets(rec):
        if t.indicator is None:
            t.indicator = _in_quote(t.quote, registry)
            if t.scope is None and t.indicator is not None:
                t.scope = scope_in(t.quote[: t.quote.find(t.indicator)])
        if t.indicator is None:
            rec.warn(
                "no-indicator",
                t.span.line,
                f"目标未写明所计之物：「{t.quote}」",
                f"the target does not say what it counts: '{t.quote}'",
            )
            continue
        t.indicator_key = indicator_key(t.indicator, registry)
        if t.indicator_key is None and t.indicator not in warned:
            warned.add(t.indicator)
            rec.warn(
                "unregistered-indicator",
                t.span.line,
                f"指标登记表中没有「{t.indicator}」（{t.quote}）",
                f"'{t.indicator}' is in no indicator registry entry ({t.quote})",
            )
