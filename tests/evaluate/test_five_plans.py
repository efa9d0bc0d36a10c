"""The five bundled plans against their hand-labelled gold (``tests/gold/``, docs/annotation.md):
every field's micro F1 at least 0.98 (``sciplan-kg evaluate tests/gold/ --min 0.98`` lists every
disagreement), every field with items to count.
"""

from __future__ import annotations

import pytest

from sciplan_kg.evaluation import Evaluation, evaluate
from sciplan_kg.evaluation.output import format_text
from sciplan_kg.paths import ROOT
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import stem_of

GOLD = ROOT / "tests" / "gold"
BAR = 0.98


@pytest.fixture(scope="module")
def five_evaluated(five: BuildResult) -> Evaluation:
    if not sorted(GOLD.glob("*.toml")):
        pytest.fail(f"no gold files in {GOLD}")
    return evaluate(GOLD, five.out)


def test_every_bundled_plan_has_a_gold_file(five: BuildResult, five_evaluated: Evaluation) -> None:
    assert [p.stem for p in five_evaluated.plans] == sorted(stem_of(p.file) for p in five.plans)
    assert five_evaluated.unlabelled == []


def test_five_plans_meet_the_bar(five_evaluated: Evaluation) -> None:
    assert five_evaluated.below(BAR) == [], format_text(five_evaluated, BAR)
    for row in five_evaluated.rows:
        assert row.micro.items > 0 and row.micro.f1 >= BAR, row.field
