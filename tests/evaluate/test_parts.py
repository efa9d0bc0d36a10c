"""The parts of a plan beyond its measures (issue 18): the gold's new tables read and checked, and
each new field compared with hand-written records, in the wording of an office none of the five
plans comes from (a county whose 保障措施 sets up a leading group chaired by the county head)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.evaluation import parts
from sciplan_kg.evaluation.compare import PART_FIELDS, Disagreement, PlanComparison, PlanScore
from sciplan_kg.resolve.registry import level_char, load_registry, name_key
from tests.evaluate.plans import HEADERLESS_GOLD, gold, measure, mention, record, span, target, task

ORIGINAL_RESOLVER = parts.resolver  # before the fixture below replaces it

# 慈利县-like wording (the line numbers are the gold's, as if in the plan file)
# 12 二、基本原则   13 坚持党的领导。…  14 坚持需求导向。…
# 16 三、主要目标   17 到2025年，全县公民具备科学素质的比例达到13%，高于全市平均水平。科普设施更加完善。
# 30 五、保障措施   31 （一）加强组织领导。县人民政府成立全民科学素质工作领导小组，由县长任组长。各乡镇每年开展2次督查。
# 40 六、实施步骤   41 （一）启动阶段（2021年）。  42 （二）推进阶段（2022—2024年）。
PARTS_GOLD = (
    HEADERLESS_GOLD.replace(
        'level = "county"',
        'level = "county"\nliteracy_target = '
        '{ value = 13.0, comparator = "eq", year = 2025, indicator = "公民具备科学素质的比例", scope = "全县" }',
    )
    + """
[[measure]]
kind = "action"
no = 1
title = "青少年科学素质提升行动"
line = 20

[[task]]
measure = "action 1"
no = 1
line = 21
starts = "关爱留守儿童"
lead = []
support = []
targets = [
  { value = 1, unit = "名", quote = "配备1名", indicator = "科技辅导员", scope = "每所学校", frequency = "" },
]
groups = ["留守儿童", "农村妇女"]

[[section]]
kind = "principles"
level = 1
line = 12
title = "基本原则"

[[section]]
kind = "goals"
level = 1
line = 16
title = "主要目标"

[[section]]
kind = "safeguards"
level = 1
line = 30
title = "保障措施"

[[principle]]
line = 13
title = "坚持党的领导"

[[principle]]
line = 14
title = "坚持需求导向"

[[goal]]
kind = "literacy"
line = 17
starts = "到2025年，全县公民具备"

[[goal]]
kind = "qualitative"
line = 17
starts = "科普设施更加完善"

[[commitment]]
line = 31
starts = "县人民政府成立全民科学素质"
kinds = ["leadership"]
agencies = ["县人民政府"]
chair = "县长"
targets = []

[[commitment]]
line = 31
starts = "各乡镇每年开展2次督查"
kinds = ["assessment", "coordination"]
agencies = ["各乡镇"]
chair = ""
targets = [ { value = 2, unit = "次", quote = "每年开展2次", indicator = "督查", frequency = "每年" } ]

[[phase]]
name = "启动阶段"
start = 2021
end = 2021
line = 41

[[phase]]
name = "推进阶段"
start = 2022
end = 2024
line = 42
"""
)

LEFT_BEHIND = "关爱留守儿童。每所学校至少配备1名科技辅导员，开展农村妇女培训。"


def detailed(value: float, unit: str, line: int, **details: Any) -> dict[str, Any]:
    out = target(value, unit, line=line)
    out.update({"indicator": None, "indicator_key": None, "scope": None, "frequency": None}, **details)
    return out


def agency(written: str, line: int = 31) -> dict[str, Any]:
    """A mention as the build resolves it (the registry grows: no key is written into the tests)."""
    found = load_registry().match_agency(written, level_char("石门县", "county"))
    return mention(written, found.key if found else name_key(written), line)


def group(written: str, key: str | None, line: int = 21) -> dict[str, Any]:
    return {"written": written, "group": key, "span": span(line)}


def parts_record(**changes: Any) -> dict[str, Any]:
    """The records a perfect extractor writes for PARTS_GOLD; ``changes`` replace whole lists."""
    youth = task(
        1,
        LEFT_BEHIND,
        targets=(detailed(1, "名", 21, indicator="科技辅导员", scope="每所学校"),),
        line=21,
    )
    youth["groups"] = [group("留守儿童", "left-behind-children"), group("农村妇女", "rural-women")]
    rec = record(measure("action", 1, "青少年科学素质提升行动", tasks=(youth,), line=20))
    rec["literacy_target"] = detailed(13.0, "%", 17, indicator="公民具备科学素质的比例", scope="全县", year=2025)

    def section(kind: str, title: str, line: int) -> dict[str, Any]:
        return {"kind": kind, "title": title, "level": 1, "span": span(line), "heading": span(line)}

    rec["sections"] = [section("principles", "基本原则", 12), section("goals", "主要目标", 16)]
    rec["sections"].append(section("safeguards", "保障措施", 30))
    rec["principles"] = [
        {"title": "坚持党的领导", "text": "坚持党的领导。", "span": span(13)},
        {"title": "坚持需求导向", "text": "坚持需求导向。", "span": span(14)},
    ]
    rec["goals"] = [
        {
            "kind": "literacy",
            "text": "到2025年，全县公民具备科学素质的比例达到13%，高于全市平均水平。",
            "span": span(17),
        },
        {"kind": "qualitative", "text": "科普设施更加完善。", "span": span(17)},
    ]
    rec["commitments"] = [
        {
            "kinds": ["leadership"],
            "text": "县人民政府成立全民科学素质工作领导小组，由县长任组长。",
            "span": span(31),
            "heading": "加强组织领导",
            "mentions": [agency("县人民政府")],
            "chair": "县长",
            "targets": [],
        },
        {
            "kinds": ["assessment", "coordination"],
            "text": "各乡镇每年开展2次督查。",
            "span": span(31),
            "mentions": [agency("各乡镇")],
            "chair": None,
            "targets": [detailed(2, "次", 31, indicator="督查", frequency="每年")],
        },
    ]
    rec["phases"] = [
        {"name": "启动阶段", "start": 2021, "end": 2021, "text": "（一）启动阶段（2021年）。", "span": span(41)},
        {"name": "推进阶段", "start": 2022, "end": 2024, "text": "（二）推进阶段（2022—2024年）。", "span": span(42)},
    ]
    rec.update(changes)
    return rec


@pytest.fixture(autouse=True)
def no_registries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The indicator and group registries as a checkout without them: names compare as text,
    unless a test installs a resolver."""
    monkeypatch.setattr(parts, "resolver", lambda module, function: None)


def compare(tmp_path: Path, rec: dict[str, Any], gold_text: str = PARTS_GOLD) -> PlanScore:
    return PlanComparison(gold(tmp_path, gold_text), rec, load_registry()).run()


def counts(score: PlanScore, field: str) -> tuple[int, int, int]:
    c = score.counts[field]
    return (c.tp, c.fp, c.fn)


def only(score: PlanScore, field: str) -> list[Disagreement]:
    return [d for d in score.disagreements if d.field == field]


# -- reading ------------------------------------------------------------------------------------


def test_the_new_tables_are_read(tmp_path: Path) -> None:
    plan = gold(tmp_path, PARTS_GOLD)
    assert plan.parts
    assert [(s.kind, s.level, s.line) for s in plan.sections] == [
        ("principles", 1, 12),
        ("goals", 1, 16),
        ("safeguards", 1, 30),
    ]
    assert [p.title for p in plan.principles] == ["坚持党的领导", "坚持需求导向"]
    assert [(g.kind, g.line) for g in plan.goals] == [("literacy", 17), ("qualitative", 17)]
    first, second = plan.commitments
    assert (first.kinds, first.agencies, first.chair, first.targets) == (("leadership",), ("县人民政府",), "县长", ())
    [t] = second.targets
    assert (t.value, t.unit, t.indicator, t.scope, t.frequency) == (2.0, "次", "督查", None, "每年")
    assert [(p.name, p.start, p.end, p.line) for p in plan.phases] == [
        ("启动阶段", 2021, 2021, 41),
        ("推进阶段", 2022, 2024, 42),
    ]
    [youth] = plan.tasks
    assert youth.groups == ("留守儿童", "农村妇女")
    assert (youth.targets[0].indicator, youth.targets[0].scope, youth.targets[0].frequency) == (
        "科技辅导员",
        "每所学校",
        None,
    )
    detail = plan.header["literacy_detail"]
    assert (detail.indicator, detail.scope) == ("公民具备科学素质的比例", "全县")


def test_a_gold_without_sections_labels_no_parts(tmp_path: Path) -> None:
    plan = gold(tmp_path, HEADERLESS_GOLD)
    assert not plan.parts and plan.sections == plan.commitments == plan.phases == ()
    # and its plan's parts are not judged, whatever the build found
    score = compare(tmp_path, parts_record(), HEADERLESS_GOLD)
    assert all(score.counts[f].items == 0 for f in PART_FIELDS)


# (table, the key's line as written, replacement): an error in each new table, named by table and index
ERRORS = [
    ("section", 2, 'kind = "goals"\nlevel = 1\nline = 16', 'kind = "aims"\nlevel = 1\nline = 16', "kind"),
    ("section", 3, 'kind = "safeguards"\nlevel = 1', 'kind = "safeguards"\nlevel = 4', "level must be 1, 2 or 3"),
    ("principle", 2, "line = 14\n", "line = 0\n", "line must be 1 or more"),
    ("goal", 2, 'starts = "科普设施更加完善"', 'starts = "  "', "starts is empty"),
    ("goal", 1, 'kind = "literacy"', 'kind = "share"', "kind must be one of them"),
    ("commitment", 1, 'kinds = ["leadership"]', 'kinds = ["leadership", "money"]', "'money' in kinds"),
    ("commitment", 1, 'kinds = ["leadership"]', "kinds = []", "kinds is empty"),
    ("commitment", 2, 'agencies = ["各乡镇"]', 'agencies = ["各乡镇", ""]', "agencies must be a list of names"),
    ("commitment", 2, 'frequency = "每年"', "frequency = 1", "targets.frequency must be a string"),
    ("commitment", 1, 'chair = "县长"', "chair = 1", "chair must be a string"),
    ("phase", 2, "end = 2024", "end = 2020", "end 2020 is before start 2022"),
    ("phase", 1, 'name = "启动阶段"', "name = 2021", "name must be a string"),
    ("task", 1, 'groups = ["留守儿童", "农村妇女"]', 'groups = ["留守儿童", 3]', "groups must be a list of names"),
    ("task", 1, 'scope = "每所学校"', "scope = []", "targets.scope must be a string"),
]


@pytest.mark.parametrize(("table", "index", "old", "new", "message"), ERRORS)
def test_an_error_in_a_new_table_names_the_file_and_the_table(
    tmp_path: Path, table: str, index: int, old: str, new: str, message: str
) -> None:
    assert PARTS_GOLD.count(old) == 1
    text = PARTS_GOLD.replace(old, new)
    with pytest.raises(InputError) as caught:
        gold(tmp_path, text, "cili.toml")
    err = caught.value
    assert err.path == tmp_path / "cili.toml"
    assert f"[[{table}]] #{index}: " in str(err) and message in str(err)
    # the line is inside the n-th table of that name
    lines = text.splitlines()
    starts = [no for no, line in enumerate(lines, 1) if line.strip() == f"[[{table}]]"]
    assert err.line is not None and starts[index - 1] <= err.line
    assert index == len(starts) or err.line < starts[index]


def test_a_literacy_target_detail_that_is_not_text_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"literacy_target\.indicator must be a string"):
        gold(tmp_path, PARTS_GOLD.replace('indicator = "公民具备科学素质的比例"', "indicator = 1"))


# -- comparing ----------------------------------------------------------------------------------


def test_a_perfect_build_agrees_on_every_part(tmp_path: Path) -> None:
    score = compare(tmp_path, parts_record())
    assert score.disagreements == []
    assert {f: score.counts[f].tp for f in PART_FIELDS} == {
        "sections": 3,
        "principles": 2,
        "goals": 2,
        "commitments": 2,
        "commitment_kinds": 3,
        "commitment_agencies": 2,
        "chairs": 1,
        "commitment_targets": 1,
        "phases": 2,
        "indicators": 3,  # the literacy target's, the task target's, the commitment target's
        "scopes": 2,
        "frequencies": 1,
        "groups": 2,
    }


def test_sections_by_kind_level_and_line(tmp_path: Path) -> None:
    rec = parts_record()
    rec["sections"][1]["kind"] = "guidance"  # a goals section taken for guidance
    rec["sections"].append({"kind": "schedule", "title": "实施步骤", "level": 1, "span": span(40)})
    score = compare(tmp_path, rec)
    assert counts(score, "sections") == (2, 2, 1)
    assert sorted((d.kind, d.line, d.what) for d in only(score, "sections")) == [
        ("extra", 16, "guidance 1 主要目标"),
        ("extra", 40, "schedule 1 实施步骤"),
        ("missing", 16, "goals 1 主要目标"),
    ]


def test_goals_are_a_multiset_of_kind_and_line(tmp_path: Path) -> None:
    rec = parts_record()
    # the build splits the literacy sentence at its comma: one literacy goal and one relative goal
    rec["goals"].insert(1, {"kind": "relative", "text": "高于全市平均水平。", "span": span(17)})
    rec["principles"] = rec["principles"][:1]
    score = compare(tmp_path, rec)
    assert counts(score, "goals") == (2, 1, 0)
    [d] = only(score, "goals")
    assert (d.kind, d.line, d.what) == ("extra", 17, "relative 高于全市平均水平。")
    assert counts(score, "principles") == (1, 0, 1)
    assert [(d.kind, d.what) for d in only(score, "principles")] == [("missing", "坚持需求导向")]


def test_a_commitment_matches_on_its_line_even_with_its_heading_kept(tmp_path: Path) -> None:
    rec = parts_record()
    rec["commitments"][0]["text"] = "加强组织领导。" + rec["commitments"][0]["text"]
    score = compare(tmp_path, rec)
    assert counts(score, "commitments") == (2, 0, 0) and score.disagreements == []


def test_a_missed_commitment_takes_its_kinds_agencies_and_targets_with_it(tmp_path: Path) -> None:
    rec = parts_record()
    rec["commitments"] = rec["commitments"][:1]
    score = compare(tmp_path, rec)
    assert counts(score, "commitments") == (1, 0, 1)
    assert counts(score, "commitment_kinds") == (1, 0, 2)
    assert counts(score, "commitment_agencies") == (1, 0, 1)
    assert counts(score, "commitment_targets") == (0, 0, 1)
    assert counts(score, "indicators")[2] == 1 and counts(score, "frequencies") == (0, 0, 1)
    missed = [d for d in score.disagreements if d.field == "commitment_kinds"]
    assert {(d.what, d.of, d.task) for d in missed} == {
        ("assessment", "commitment", "各乡镇每年开展2次督查"),
        ("coordination", "commitment", "各乡镇每年开展2次督查"),
    }
    assert missed[0].text().endswith('(commitment "各乡镇每年开展2次督查")')


def test_commitment_kinds_agencies_and_chair(tmp_path: Path) -> None:
    rec = parts_record()
    first, second = rec["commitments"]
    first["kinds"] = ["leadership", "coordination"]
    first["chair"] = "县长任组长"
    first["mentions"].append(agency("县科学技术协会"))  # a body the gold does not name
    second["mentions"] = [agency("各乡镇")]
    score = compare(tmp_path, rec)
    assert counts(score, "commitment_kinds") == (3, 1, 0)
    assert counts(score, "commitment_agencies") == (2, 1, 0)
    assert [(d.kind, d.what) for d in only(score, "commitment_agencies")] == [("extra", "县科学技术协会 [kexie]")]
    second["mentions"] = []
    assert [(d.kind, d.what) for d in only(compare(tmp_path, rec), "commitment_agencies")] == [
        ("extra", "县科学技术协会 [kexie]"),
        ("missing", "各乡镇 [townships]"),
    ]
    [chair] = only(score, "chairs")
    assert (chair.kind, chair.what) == ("wrong", "gold 县长 ≠ build 县长任组长")
    assert counts(score, "chairs") == (0, 1, 1)


def test_phases_by_name_and_years(tmp_path: Path) -> None:
    rec = parts_record()
    rec["phases"][1]["end"] = 2025
    score = compare(tmp_path, rec)
    assert counts(score, "phases") == (1, 1, 1)
    assert sorted((d.kind, d.line, d.what) for d in only(score, "phases")) == [
        ("extra", 42, "推进阶段 2022—2025"),
        ("missing", 42, "推进阶段 2022—2024"),
    ]


def test_indicators_as_text_one_holding_the_other(tmp_path: Path) -> None:
    rec = parts_record()
    youth = rec["measures"][0]["tasks"][0]
    youth["targets"][0]["indicator"] = "专职科技辅导员"  # holds the gold's 科技辅导员: agrees
    rec["commitments"][1]["targets"][0]["indicator"] = "检查"  # neither holds the other
    rec["literacy_target"]["indicator"] = None
    score = compare(tmp_path, rec)
    assert counts(score, "indicators") == (1, 1, 2)
    assert sorted((d.kind, d.what, d.of) for d in only(score, "indicators")) == [
        ("missing", "公民具备科学素质的比例", "header"),
        ("wrong", "gold 督查 ≠ build 检查", "commitment"),
    ]


def test_indicators_by_registry_key_when_both_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {"科技辅导员": "science-counsellors", "辅导员": "science-counsellors", "专职科技辅导员": "teachers"}
    monkeypatch.setattr(parts, "resolver", lambda module, function: keys.get if function == "indicator_key" else None)
    rec = parts_record()
    task_target = rec["measures"][0]["tasks"][0]["targets"][0]
    task_target["indicator"] = "辅导员"  # other words, one key: agrees although the text differs
    assert compare(tmp_path, rec).disagreements == []
    task_target.update(indicator="专职科技辅导员")  # holds the gold's text, but resolves elsewhere
    [d] = compare(tmp_path, rec).disagreements
    assert (d.field, d.kind) == ("indicators", "wrong")
    task_target.update(indicator="专职科技辅导员", indicator_key="science-counsellors")  # the build's own key wins
    assert compare(tmp_path, rec).disagreements == []


def test_scopes_and_frequencies_are_compared_as_text(tmp_path: Path) -> None:
    rec = parts_record()
    rec["measures"][0]["tasks"][0]["targets"][0].update(scope="学校", frequency="每学期")
    rec["literacy_target"]["scope"] = "全 县"  # whitespace does not count
    score = compare(tmp_path, rec)
    assert counts(score, "scopes") == (1, 1, 1)
    assert sorted((d.field, d.kind, d.what) for d in score.disagreements) == [
        ("frequencies", "extra", "每学期"),
        ("scopes", "wrong", "gold 每所学校 ≠ build 学校"),
    ]


def test_targets_pair_by_value_and_unit_before_their_details(tmp_path: Path) -> None:
    rec = parts_record()
    youth = rec["measures"][0]["tasks"][0]
    youth["targets"] = [detailed(3, "名", 21, indicator="科技辅导员", scope="每所学校")]  # 3 名, not 1 名
    score = compare(tmp_path, rec)
    assert (score.counts["targets"].fp, score.counts["targets"].fn) == (1, 1)
    # the gold target's details are missing and the build target's extra: no pair to agree on
    assert counts(score, "indicators") == (2, 1, 1) and counts(score, "scopes") == (1, 1, 1)


def test_groups_by_scheme_key_or_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = parts_record()
    youth = rec["measures"][0]["tasks"][0]
    youth["groups"] = [group("留守儿童", None), group("妇女", None)]  # not resolved: compared as text
    score = compare(tmp_path, rec)
    assert counts(score, "groups") == (1, 1, 1)
    assert sorted((d.kind, d.what) for d in only(score, "groups")) == [("extra", "妇女"), ("missing", "农村妇女")]
    keys = {"留守儿童": "left-behind-children", "农村妇女": "rural-women", "农村留守妇女": "rural-women"}
    monkeypatch.setattr(parts, "resolver", lambda module, function: keys.get if function == "group_key" else None)
    youth["groups"] = [group("留守儿童", None), group("农村留守妇女", None)]  # resolved on both sides: one group
    assert compare(tmp_path, rec).disagreements == []
    youth["groups"] = [group("留守儿童", "children")]  # the build's own key wins over the name
    score = compare(tmp_path, rec)
    assert sorted((d.kind, d.what) for d in only(score, "groups")) == [
        ("extra", "留守儿童 [children]"),
        ("missing", "农村妇女 [rural-women]"),
        ("missing", "留守儿童 [left-behind-children]"),
    ]


def test_the_resolvers_are_found_when_their_stage_exists() -> None:
    assert ORIGINAL_RESOLVER("sciplan_kg.resolve.no_such_stage", "indicator_key") is None
    found = ORIGINAL_RESOLVER("sciplan_kg.resolve.registry", "name_key")
    assert found is not None and found("县 科协") == "县科协"
