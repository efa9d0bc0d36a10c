"""The policy-instrument scorer on a hand-made sample, and the rules on the hand-coded sample of
the five plans (tests/gold/instruments.tsv, coded from docs/instruments.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.evaluation.instruments import read_sample, score
from sciplan_kg.extract.records import Measure, PlanRecord, Span, Task
from sciplan_kg.pipeline.build import BuildResult

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instruments"
SAMPLE = FIXTURES / "sample.tsv"
GOLD = Path(__file__).parents[1] / "gold" / "instruments.tsv"
# per-instrument F1 a little below the measured (others: 0.70); organisation is the weakest rule
FLOORS = {"organisation": 0.58, "goals-planning": 0.70, "publicity": 0.74, "talent": 0.85, "funding": 0.95}


def test_the_scorer_counts_per_instrument_group_micro_and_macro() -> None:
    result = score(SAMPLE, FIXTURES / "build")
    rows = {r["key"]: r for r in result.rows()}
    assert result.units == 5 and result.exact == 3
    assert (rows["funding"]["tp"], rows["funding"]["fp"], rows["funding"]["fn"]) == (1, 0, 0)
    assert (rows["public-services"]["tp"], rows["public-services"]["fp"], rows["public-services"]["fn"]) == (0, 1, 1)
    assert rows["public-services"]["f1"] == 0.0
    assert (rows["supply"]["tp"], rows["supply"]["fp"], rows["supply"]["fn"]) == (2, 1, 0)
    assert (rows["micro"]["precision"], rows["micro"]["recall"]) == (0.833, 0.833)
    assert rows["macro"]["f1"] == 0.833  # five instruments at 1.0, one at 0.0; untouched ones left out
    assert [u.line for u in result.unmatched] == [18]
    assert [(d.line, d.missed, d.extra) for d in result.disagreements] == [
        (12, ("public-services",), ()),
        (20, (), ("public-services",)),
    ]


def test_records_given_directly_score_as_a_build_folder_does() -> None:
    span = Span(0, 1, 10)
    tasks = [
        Task(1, "加强科普经费保障", "加强科普经费保障。将科普经费列入财政预算，建立多元化投入机制。", span),
        Task(2, "建设县科技馆", "建设县科技馆。新建县科技馆，配备展品。", Span(0, 1, 12)),
    ]
    rec = PlanRecord("county.txt", "0", 1, *([None] * 9), period=None, level=None)
    rec.measures.append(Measure("project", 1, "科普基础设施工程", span, tasks=tasks))
    direct = score(SAMPLE, {"county": rec})
    assert direct.units == 2 and len(direct.unmatched) == 4
    assert direct.rows()[0] == score(SAMPLE, FIXTURES / "build").rows()[0]  # funding: the same unit, the same count


def test_a_faulty_sample_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.tsv"
    bad.write_text("stem\tline\tstarts\tinstruments\ncounty\t10\t加强\tfunding;money\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown instrument keys") as info:
        read_sample(bad)
    assert info.value.line == 2
    bad.write_text("stem\tline\tinstruments\n", encoding="utf-8")
    with pytest.raises(InputError, match="header"):
        read_sample(bad)
    bad.write_text("stem\tline\tstarts\tinstruments\ncounty\tten\t加强\tfunding\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a number"):
        read_sample(bad)


@pytest.mark.skipif(not GOLD.exists(), reason="the hand-coded sample is not there yet")
def test_the_rules_reach_the_reported_figures_on_the_hand_coded_sample(built_plans_folder: Path) -> None:
    result = score(GOLD, built_plans_folder)
    assert not result.unmatched, result.unmatched
    assert result.units >= 150
    micro = result.micro
    # measured (rules as revised after the frozen run, README): micro P 0.796 R 0.893, macro F1 0.842
    assert micro.precision >= 0.77 and micro.recall >= 0.87 and micro.f1 >= 0.82
    assert (result.macro_f1 or 0) >= 0.82
    for key, c in result.instruments.items():
        assert c.f1 >= FLOORS.get(key, 0.70), (key, c.f1)


@pytest.fixture(scope="module")
def built_plans_folder(five: BuildResult) -> Path:
    """The five bundled plans' build: the session's (``build(None)`` builds the bundled plans; a
    build is the same bytes with any number of jobs), not a second build of the same plans."""
    return five.out
