"""A build folder against a folder of gold files: the plans are found through the build's
manifest, scores summed (micro) and averaged over plans (macro), errors name the gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciplan_kg.api import evaluate
from sciplan_kg.errors import InputError
from sciplan_kg.evaluation import FIELDS
from sciplan_kg.evaluation.compare import PART_FIELDS
from sciplan_kg.evaluation.output import format_json, format_text
from sciplan_kg.pipeline.build import BuildResult
from tests.evaluate.plans import SHIMEN_GOLD, write

TAOYUAN_GOLD = SHIMEN_GOLD.replace("石门", "桃源").replace("石政发", "桃政发").replace("shimen", "taoyuan")


def test_a_complete_gold_scores_one_everywhere(small_build: BuildResult, gold_dir: Path) -> None:
    write(gold_dir, "shimen.toml", SHIMEN_GOLD)
    ev = evaluate(str(gold_dir), str(small_build.out))
    assert [p.stem for p in ev.plans] == ["shimen"] and ev.unlabelled == ["taoyuan"]
    assert ev.disagreements == []
    for row in ev.rows:
        if row.field == "published":  # "" in the gold, no such field in the records: not counted
            assert row.micro.items == 0 and row.macro_f1 is None
        elif row.field in PART_FIELDS:  # a gold without [[section]] tables does not judge the plan's parts
            assert row.micro.items == 0 and row.macro_f1 is None and row.plans == 0
        else:
            assert row.micro.f1 == 1.0 and row.macro_f1 == 1.0, row.field
    counts = {name: ev.row(name).micro.tp for name in ("measures", "tasks", "leads", "supports", "targets")}
    # leads: 2 + 1 (its own, before the comma) + 1 + 2; supports: 县农业农村局 leads 培育高素质农民, so 2 not 3
    assert counts == {"measures": 3, "tasks": 4, "leads": 6, "supports": 6, "targets": 3}
    assert ev.row("directives").micro.tp == 2 and ev.row("header").micro.tp == 10


def test_micro_sums_the_plans_and_macro_averages_them(small_build: BuildResult, gold_dir: Path) -> None:
    write(gold_dir, "shimen.toml", SHIMEN_GOLD)
    # the 桃源 labeller names a second lead for 加强学校科学教育 (the measure's, which the task's own lead replaces)
    wrong = TAOYUAN_GOLD.replace('lead = ["县人力资源和社会保障局"]', 'lead = ["县人力资源和社会保障局", "县教育局"]')
    write(gold_dir, "taoyuan.toml", wrong)
    ev = evaluate(gold_dir, small_build.out)
    leads = ev.row("leads")
    assert (leads.micro.tp, leads.micro.fp, leads.micro.fn) == (12, 0, 1)
    assert leads.micro.f1 == pytest.approx(24 / 25)
    assert leads.macro_f1 == pytest.approx((1 + 12 / 13) / 2) and leads.plans == 2
    [d] = ev.disagreements
    assert (d.stem, d.line, d.field, d.kind, d.what) == ("taoyuan", 15, "leads", "missing", "县教育局 [education]")
    assert [r.field for r in ev.below(0.98)] == ["leads"] and ev.below(0.95) == []


def test_a_gold_for_a_plan_missing_from_the_build_is_an_error(small_build: BuildResult, gold_dir: Path) -> None:
    write(gold_dir, "shimen.toml", SHIMEN_GOLD)
    missing = write(gold_dir, "anhua.toml", "# 安化\n" + SHIMEN_GOLD.replace("shimen.txt", "anhua.txt"))
    with pytest.raises(InputError) as caught:
        evaluate(gold_dir, small_build.out)
    assert caught.value.path == missing and caught.value.line == 3 and "anhua.txt" in str(caught.value)


def test_two_golds_of_one_plan_are_an_error(small_build: BuildResult, gold_dir: Path) -> None:
    write(gold_dir, "a.toml", SHIMEN_GOLD)
    second = write(gold_dir, "b.toml", SHIMEN_GOLD)
    with pytest.raises(InputError) as caught:
        evaluate(gold_dir, small_build.out)
    assert caught.value.path == second and "a.toml" in str(caught.value)


def test_one_gold_file_and_an_empty_folder(small_build: BuildResult, gold_dir: Path) -> None:
    with pytest.raises(InputError, match="no gold files"):
        evaluate(gold_dir, small_build.out)
    one = write(gold_dir, "anything.toml", TAOYUAN_GOLD)
    assert [p.stem for p in evaluate(one, small_build.out).plans] == ["taoyuan"]
    with pytest.raises(InputError, match="no such build folder"):
        evaluate(one, gold_dir / "nowhere")


def test_the_output_is_sorted_and_the_same_run_to_run(small_build: BuildResult, gold_dir: Path) -> None:
    # two wrong golds: disagreements from both plans, interleaved by neither file order nor field
    write(gold_dir, "shimen.toml", SHIMEN_GOLD.replace('support = ["县融媒体中心"]', "support = []"))
    write(gold_dir, "taoyuan.toml", TAOYUAN_GOLD.replace('"县妇联"', '"县科协"').replace("2022-07-08", "2022-07-09"))
    first, second = evaluate(gold_dir, small_build.out), evaluate(gold_dir, small_build.out)
    assert format_text(first, 0.9) == format_text(second, 0.9)
    assert format_json(first) == format_json(second)
    keys = [d.sort_key() for d in first.disagreements]
    assert keys == sorted(keys) and len(keys) == 4
    lines = format_text(first).splitlines()
    listed = lines[lines.index("4 处不一致 disagreements:") + 1 :]
    assert listed == [
        'shimen:22  supports  extra  县融媒体中心 [media-centre]  (task "推动科普内容创作。建设科普融媒体平台，开")',
        "taoyuan:6  issued  wrong  gold 2022-07-09 ≠ build 2022-07-08",
        'taoyuan:18  supports  extra  县妇联 [womens-federation]  (task "培育高素质农民。到2025年，培育高素质")',
        'taoyuan:18  supports  missing  县科协 [kexie]  (task "培育高素质农民。到2025年，培育高素质")',
    ]
    data = json.loads(format_json(first, 0.99))
    assert [f["field"] for f in data["fields"]] == [*FIELDS[:10], "header", *FIELDS[10:]]
    assert data["below"] == ["issued", "header", "supports"] and data["min"] == 0.99
    assert data["disagreements"][0] == {
        "stem": "shimen",
        "line": 22,
        "field": "supports",
        "kind": "extra",
        "what": "县融媒体中心 [media-centre]",
        "task": "推动科普内容创作。建设科普融媒体平台，开",
        "of": "task",
    }
    assert data["plans"][1]["fields"]["issued"] == {"tp": 0, "fp": 1, "fn": 1, "f1": 0.0}
