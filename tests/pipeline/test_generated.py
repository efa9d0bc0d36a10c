"""Generated plans (bench/generate.py) build, and extraction scores well against their truth."""

from __future__ import annotations

import json
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
    # plans 0, 5 and 10 are provinces' own; the county plans of two of those provinces (1, 2;
    # 6, 11 … belong to provinces whose plans are not among the twelve) name them as parent
    assert scores["parents"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "expected": 2}
    tasks = scores["parent_tasks"]
    assert tasks["copied"]["expected"] > 10 and tasks["adapted"]["expected"] > 3, tasks
    assert tasks["copied"]["accuracy"] >= 0.9 and tasks["adapted"]["accuracy"] >= 0.7, tasks


def test_generation_is_deterministic(tmp_path: Path) -> None:
    generate = bench_module("generate")
    a, b = generate.generate(3, tmp_path / "a"), generate.generate(3, tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    # a plan's text does not depend on how many are generated (a corpus grows by more of them)
    more = generate.generate(12, tmp_path / "more")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in more[:3]]


def test_county_plans_cite_and_take_tasks_from_their_province(tmp_path: Path) -> None:
    generate = bench_module("generate")
    paths = generate.generate(25, tmp_path / "plans")
    truths = [json.loads((p.parent / "truth" / f"{p.stem}.json").read_text(encoding="utf-8")) for p in paths]
    provinces = {i for i in range(25) if generate.province_of(i) is not None}
    assert provinces == {0, 5, 10, 15, 20}
    for i, truth in enumerate(truths):
        text = paths[i].read_text(encoding="utf-8").translate(str.maketrans(",:;()", "，：；（）"))
        if i in provinces:
            assert truth["parent"] is None and truth["title"].startswith(generate.PROVINCES[i // 5])
            assert not any(t["origin"] for m in truth["measures"] for t in m["tasks"])
            continue
        parent = truths[(i % 20) * 5] if (i % 20) * 5 < 25 else None
        assert truth["parent"].startswith(generate.PROVINCES[i % 20])
        assert f"《{truth['parent']}》" in text  # cited by title in the basis sentence
        if parent is None:
            continue
        assert truth["parent"] == parent["title"]
        level = truth["place"][-1]  # 县, 区 or 市: the province's 全省 becomes 全县 …
        theirs = {t["text"].replace("全省", f"全{level}") for m in parent["measures"] for t in m["tasks"]}
        origins = [t for m in truth["measures"] for t in m["tasks"] if t["origin"]]
        assert origins, i
        for t in origins:
            if t["origin"] == "copied":
                assert t["text"] in theirs, t
            else:  # adapted: the parent task's title and first clause, the rest its own
                assert t["text"] not in theirs, t
                assert any(x.startswith(t["text"].split("，")[0]) for x in theirs), t
