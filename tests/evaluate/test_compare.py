"""One plan's records against its gold, field by field: small record/gold pairs written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.evaluation.compare import Disagreement, PlanComparison, PlanScore
from sciplan_kg.resolve.registry import load_registry
from tests.evaluate.plans import HEADERLESS_GOLD, gold, measure, mention, record, stated, target, task

YOUTH = "激发青少年好奇心和想象力。每年举办青少年科技创新大赛，培训科技辅导员200名以上。"
FARMERS = "培育高素质农民。到2025年，培育高素质农民3000人以上。"


def compare(tmp_path: Path, gold_text: str, rec: dict) -> PlanScore:
    return PlanComparison(gold(tmp_path, gold_text), rec, load_registry()).run()


def only(score: PlanScore, field: str) -> list[Disagreement]:
    return [d for d in score.disagreements if d.field == field]


def youth_gold(task_lines: str, measure_lead: str = '["县教育局", "县科协"]') -> str:
    return f"""{HEADERLESS_GOLD}
[[measure]]
kind = "action"
no = 1
title = "青少年科学素质提升行动"
line = 12
lead = {measure_lead}

[[task]]
measure = "action 1"
no = 1
line = 14
starts = "激发青少年好奇心和想象力"
{task_lines}
"""


def youth_record(*task_assignments: dict, measure_assignments: tuple[dict, ...] | None = None) -> dict:
    if measure_assignments is None:
        measure_assignments = (
            stated("lead", mention("县教育局", "education", 13), mention("县科协", "kexie", 13), line=13),
        )
    return record(
        measure(
            "action",
            1,
            "青少年科学素质提升行动",
            *measure_assignments,
            tasks=(task(1, YOUTH, *task_assignments, line=14),),
            line=12,
        )
    )


def test_a_missing_lead_lowers_recall_and_is_listed(tmp_path: Path) -> None:
    rec = youth_record(measure_assignments=(stated("lead", mention("县教育局", "education", 13), line=13),))
    score = compare(tmp_path, youth_gold("support = []"), rec)
    leads = score.counts["leads"]
    assert (leads.tp, leads.fp, leads.fn) == (1, 0, 1)
    assert leads.precision == 1.0 and leads.recall == 0.5
    [d] = only(score, "leads")
    assert (d.kind, d.line, d.what) == ("missing", 14, "县科协 [kexie]")
    assert d.text() == 'plan:14  leads  missing  县科协 [kexie]  (task "激发青少年好奇心和想象力。每年举办青少年")'


def test_an_extra_fake_agency_lowers_precision(tmp_path: Path) -> None:
    # the task states its own lead; a careless reading keeps 牵头 in the name
    own = stated("lead", mention("县科协", "kexie", 14), mention("县科协牵头", "县科协牵头", 14), line=14)
    score = compare(tmp_path, youth_gold('lead = ["县科协"]\nsupport = []'), youth_record(own))
    leads = score.counts["leads"]
    assert (leads.tp, leads.fp, leads.fn) == (1, 1, 0)
    assert leads.precision == 0.5 and leads.recall == 1.0
    [d] = only(score, "leads")
    assert (d.kind, d.what, d.line) == ("extra", "县科协牵头", 14)


def test_a_fake_name_in_the_gold_does_not_pass_for_the_agency(tmp_path: Path) -> None:
    own = stated("lead", mention("县科协", "kexie", 14), line=14)
    score = compare(tmp_path, youth_gold('lead = ["县科协牵头"]\nsupport = []'), youth_record(own))
    assert sorted((d.kind, d.what) for d in only(score, "leads")) == [
        ("extra", "县科协 [kexie]"),
        ("missing", "县科协牵头"),
    ]


def test_spelling_variants_of_one_agency_match(tmp_path: Path) -> None:
    own = [
        stated("lead", mention("县人社局", "hrss", 14), line=14),
        stated("support", mention("县科学技术协会", "kexie", 14), mention("团县委", "youth-league", 14), line=14),
    ]
    # the gold writes the long form, the short form without 县, and the league as 共青团县委
    gold_text = youth_gold('lead = ["县人力资源和社会保障局"]\nsupport = ["科协", "共青团县委"]')
    score = compare(tmp_path, gold_text, youth_record(*own))
    assert (score.counts["leads"].tp, score.counts["supports"].tp) == (1, 2)
    assert score.disagreements == []


def test_an_inherited_lead_counts(tmp_path: Path) -> None:
    rec = youth_record()  # the task states no lead: its measure's leads are its own
    for lines in ('lead = ["县教育局", "县科协"]\nsupport = []', "support = []"):  # written out, or left to inherit
        score = compare(tmp_path, youth_gold(lines), rec)
        assert (score.counts["leads"].tp, score.counts["leads"].fp, score.counts["leads"].fn) == (2, 0, 0)
    score = compare(tmp_path, youth_gold("lead = []\nsupport = []"), rec)  # a gold that forgot them
    assert [(d.kind, d.line) for d in only(score, "leads")] == [("extra", 13), ("extra", 13)]


def test_a_task_with_its_own_lead_does_not_take_its_measures(tmp_path: Path) -> None:
    own = stated("lead", mention("县人社局", "hrss", 14), line=14)
    score = compare(tmp_path, youth_gold('lead = ["县人社局"]\nsupport = []'), youth_record(own))
    assert (score.counts["leads"].tp, score.counts["leads"].fp, score.counts["leads"].fn) == (1, 0, 0)


def test_supports_are_counted_without_the_leads(tmp_path: Path) -> None:
    # 〔县农业农村局、县人社局、县妇联按职责分工负责〕 under a measure 县农业农村局 leads
    support = stated(
        "support",
        mention("县农业农村局", "agriculture", 18),
        mention("县人社局", "hrss", 18),
        mention("县妇联", "womens-federation", 18),
        line=18,
    )
    rec = record(
        measure(
            "action",
            2,
            "农民科学素质提升行动",
            stated("lead", mention("县农业农村局", "agriculture", 17), line=17),
            tasks=(task(1, FARMERS, support, line=18),),
        )
    )
    base = f"""{HEADERLESS_GOLD}
[[measure]]
kind = "action"
no = 2
title = "农民科学素质提升行动"
lead = ["县农业农村局"]

[[task]]
measure = "action 2"
no = 1
starts = "培育高素质农民"
"""
    for supports in ('["县人社局", "县妇联"]', '["县农业农村局", "县人社局", "县妇联"]'):
        score = compare(tmp_path, base + f"support = {supports}\n", rec)
        s = score.counts["supports"]
        assert (s.tp, s.fp, s.fn) == (2, 0, 0), supports
        assert (score.counts["leads"].tp, score.counts["leads"].fp) == (1, 0)


def test_a_header_mismatch_counts_one_fp_and_one_fn(tmp_path: Path) -> None:
    gold_text = """source = "plan.txt"
[header]
doc_number = "石政发〔2022〕15号"
issuer = ""
issued = "2022-07-08"
published = ""
place = "石门县"
level = "county"
"""
    rec = record(
        doc_number="石政发〔2022〕16号", doc_number_span={"line": 2}, issuer="石门县人民政府", issuer_span={"line": 5}
    )
    score = compare(tmp_path, gold_text, rec)
    number = score.counts["doc_number"]
    assert (number.tp, number.fp, number.fn) == (0, 1, 1)
    assert [(d.kind, d.line, d.what) for d in only(score, "doc_number")] == [
        ("wrong", 2, "gold 石政发〔2022〕15号 ≠ build 石政发〔2022〕16号")
    ]
    assert (score.counts["issuer"].fp, score.counts["issuer"].fn) == (1, 0)  # gold "" = absent: an extra
    assert (score.counts["issued"].fp, score.counts["issued"].fn) == (0, 1)
    assert score.counts["published"].items == 0  # absent on both sides: not counted
    header = score.row("header")  # doc_number, issuer, issued, place, level
    assert (header.tp, header.fp, header.fn) == (2, 2, 2)


def test_header_values_are_compared_in_their_normal_forms(tmp_path: Path) -> None:
    gold_text = """source = "plan.txt"
[header]
doc_number = "石政发[2022]15号"
title = "石门县全民科学素质行动规划纲要实施方案（2021—2025年）"
period = [2021, 2025]
literacy_target = { value = 12, comparator = "gt", year = 2025 }
directives = ["国发〔2021〕9号", "湖南省全民科学素质行动规划纲要实施方案(2021-2025年)"]
"""
    rec = record(
        doc_number="石政发〔2022〕15号",
        title="《石门县全民科学素质行动规划纲要实施方案(2021-2025年)》",
        period=[2021, 2025],
        literacy_target=target(12.0, "%") | {"comparator": "gt", "year": 2025},
        directives=[
            {"number": "国发〔2021〕9号", "title": "国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知"},
            {"number": None, "title": "湖南省全民科学素质行动规划纲要实施方案（2021—2025年）"},
        ],
    )
    score = compare(tmp_path, gold_text, rec)
    assert score.disagreements == [d for d in score.disagreements if d.field in ("place", "level")]
    for field in ("doc_number", "title", "period", "literacy_target"):
        assert score.counts[field].tp == 1, field
    assert score.counts["directives"].tp == 2
    wrong = record(literacy_target=target(12.0, "%") | {"comparator": "ge", "year": 2025})
    score = compare(tmp_path, gold_text, wrong)
    assert [d.kind for d in only(score, "literacy_target")] == ["wrong"]


def test_tasks_match_by_their_start_once_each(tmp_path: Path) -> None:
    lead = stated("lead", mention("县教育局", "education", 13), line=13)
    rec = record(
        measure(
            "action",
            1,
            "青少年科学素质提升行动",
            lead,
            tasks=(
                task(1, "激发 青少年好奇心\n和想象力。举办科技节。", line=14),  # spaces and breaks inside
                task(2, "激发青少年好奇心和想象力。另办科技周。", line=15),
                task(3, "加强学校科学教育。配齐科学教师。", line=16),
            ),
        )
    )
    tasks = "\n".join(
        f'[[task]]\nmeasure = "action {m}"\nno = {n}\nline = {n + 13}\nstarts = "{s}"\n'
        for m, n, s in (
            (1, 1, "激发青少年好奇心"),
            (1, 2, "激发青少年好奇心"),
            (1, 3, "激发青少年好奇心"),
            (2, 1, "加强学校科学教育"),
        )
    )
    gold_text = f"""{HEADERLESS_GOLD}
[[measure]]
kind = "action"
no = 1
title = "青少年科学素质提升行动"
lead = ["县教育局"]

[[measure]]
kind = "action"
no = 2
title = "农民科学素质提升行动"
lead = ["县农业农村局"]

{tasks}"""
    score = compare(tmp_path, gold_text, rec)
    t = score.counts["tasks"]
    assert (t.tp, t.fp, t.fn) == (2, 1, 2)
    assert sorted((d.kind, d.what) for d in only(score, "tasks")) == [
        ("extra", "action 1 task 3"),  # its start is labelled under another measure
        ("missing", "action 1 task 3"),  # both build tasks that start so are taken
        ("missing", "action 2 task 1"),
    ]
    # the items of unmatched tasks: the gold's are missing, the build's extra
    assert sorted((d.kind, d.what, d.task) for d in only(score, "leads")) == [
        ("extra", "县教育局 [education]", "加强学校科学教育。配齐科学教师。"),
        ("missing", "县农业农村局 [agriculture]", "加强学校科学教育"),
        ("missing", "县教育局 [education]", "激发青少年好奇心"),
    ]
    assert score.counts["leads"].tp == 2  # the two matched tasks


def test_targets_are_a_multiset_of_value_and_unit(tmp_path: Path) -> None:
    rec = youth_record(stated("lead", mention("县教育局", "education", 14), line=14))
    rec["measures"][0]["tasks"][0]["targets"] = [
        target(12000, "人次", "开展科普作品征集活动1.2万人次", 14),
        target(2, "场", "举办讲座2场", 14),
        target(2, "万册", "配送图书2万册", 14),
        target(5, "个", "建设5个科普基地", 14),
    ]
    targets = (
        'targets = [ { value = 12000, unit = "人次", quote = "开展科普作品征集活动1.2万人次" },'
        ' { value = 2, unit = "场", quote = "举办讲座2场" }, { value = 2, unit = "场", quote = "举办展览2场" },'
        ' { value = 20000, unit = "册", quote = "配送图书2万册" } ]'
    )
    score = compare(tmp_path, youth_gold(f'lead = ["县教育局"]\nsupport = []\n{targets}'), rec)
    t = score.counts["targets"]
    assert (t.tp, t.fp, t.fn) == (3, 1, 1)
    assert sorted((d.kind, d.what) for d in only(score, "targets")) == [
        ("extra", "5 个 「建设5个科普基地」"),
        ("missing", "2 场 「举办展览2场」"),
    ]


def test_gold_errors_name_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        gold(tmp_path, 'source = "plan.txt"\n[header]\nplace = "石门县\n')
    assert caught.value.line == 3 and "malformed TOML" in str(caught.value) and "plan.toml:3" in str(caught.value)
    with pytest.raises(InputError) as caught:
        gold(tmp_path, youth_gold("support = []").replace('measure = "action 1"', 'measure = "action 9"'))
    assert caught.value.line == 14 and "[[task]] #1" in str(caught.value) and "action 9" in str(caught.value)
    with pytest.raises(InputError) as caught:
        gold(tmp_path, HEADERLESS_GOLD.replace('level = "county"', 'level = "township"'))
    assert caught.value.line == 4 and "level" in str(caught.value)
    with pytest.raises(InputError) as caught:
        gold(tmp_path, youth_gold('support = []\ntargets = [ { value = "200", unit = "名" } ]'))
    assert caught.value.line == 19 and "targets.value" in str(caught.value)
    with pytest.raises(InputError) as caught:
        gold(tmp_path, "[header]\n")
    assert "missing source" in str(caught.value)
