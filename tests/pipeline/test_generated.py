"""Generated plans (bench/generate.py) build, and extraction scores well against their truth."""

from __future__ import annotations

from pathlib import Path

from sciplan_kg.pipeline.build import build
from tests.conftest import bench_module


def test_generated_plans_are_extracted_as_written(tmp_path: Path) -> None:
    generate, accuracy = bench_module("generate"), bench_module("accuracy")
    plans = tmp_path / "plans"
    generate.generate(12, plans, seed=7)
    assert {p.name for p in plans.glob("*.txt")} == {f"plan-{i:05d}.txt" for i in range(1, 13)}
    result = build([plans], tmp_path / "out", jobs=2)
    assert len(result.plans) == 12
    scores = accuracy.score(plans, result.out)
    assert scores["tasks"]["expected"] > 100
    for key in ("measures", "tasks", "leads", "targets"):
        assert scores[key]["f1"] >= 0.95, (key, scores[key])
    for key in ("title", "literacy_target"):
        assert scores[key]["accuracy"] >= 0.95, (key, scores[key])


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generate = bench_module("generate")
    a, b = generate.generate(3, tmp_path / "a"), generate.generate(3, tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
