"""The five bundled plans against their hand-labelled gold (``tests/gold/``, docs/annotation.md):
every field's micro F1 at least 0.98.

Not met yet in the fields ``SHORT`` names (the reason of the xfail; ``sciplan-kg evaluate
tests/gold/ --min 0.98`` lists every disagreement). ``strict``: once every field meets the bar
the xfail fails, and the marker goes. Until then the second test holds every other field to
the bar.
"""

from __future__ import annotations

import pytest

from sciplan_kg.evaluate import Evaluation, evaluate
from sciplan_kg.evaluate.output import format_text
from sciplan_kg.paths import ROOT
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import stem_of

GOLD = ROOT / "tests" / "gold"
BAR = 0.98
# field → why it is under the bar today
SHORT = {
    "directives": "万年 003:28's 结合《万年县“十四五”规划和2035年远景目标纲要》 is read as a basis; "
    "the gold counts only the documents named with 根据 (docs/annotation.md, open case 2: an extractor error)",
}


@pytest.fixture(scope="module")
def five_evaluated(five: BuildResult) -> Evaluation:
    if not sorted(GOLD.glob("*.toml")):
        pytest.fail(f"no gold files in {GOLD}")
    return evaluate(GOLD, five.out)


def test_every_bundled_plan_has_a_gold_file(five: BuildResult, five_evaluated: Evaluation) -> None:
    assert [p.stem for p in five_evaluated.plans] == sorted(stem_of(p.file) for p in five.plans)
    assert five_evaluated.unlabelled == []


@pytest.mark.xfail(strict=True, reason="; ".join(f"{k}: {v}" for k, v in SHORT.items()))
def test_five_plans_meet_the_bar(five_evaluated: Evaluation) -> None:
    assert five_evaluated.below(BAR) == [], format_text(five_evaluated, BAR)


def test_five_plans_meet_the_bar_in_every_other_field(five_evaluated: Evaluation) -> None:
    below = [r.field for r in five_evaluated.below(BAR)]
    assert [f for f in below if f not in SHORT] == [], format_text(five_evaluated, BAR)
    for row in five_evaluated.rows:
        if row.field not in SHORT:
            assert row.micro.items > 0 and row.micro.f1 >= BAR, row.field
