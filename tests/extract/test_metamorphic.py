"""Metamorphic tests: each bundled plan rewritten in each form the genre prints it in
(``rewrite.py``) gives the same records as the plan as published.

For each plan × rewrite, the original and the rewritten text are extracted through the public
API (``extract_file`` on a file, resolved against the registries) and a projection that must not
change is compared field by field: the header, the measures, the tasks and, per task, who leads,
who supports, its targets (with their indicators) and the groups it names; then the plan's sections,
principles, goals, safeguard commitments (kinds, text, bodies named, numbers) and phases.
Offsets and line numbers differ by construction and are not
compared; text is compared without whitespace and folded (``read.text.fold``), so a rewrite of
punctuation width or indentation is no difference, while a word lost or gained is.

A form the extractor does not read yet is listed in :data:`XFAIL` (strict): the suite passes
today and turns red (XPASS) the moment the form is read; then its entry is removed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import fold
from tests.extract import rewrite as R
from tests.extract.rewrite import REWRITES

# (rewrite, plan) → the form the extractor does not read yet, and the first field that differs.
# Plans are named by their number in data/plans (000 巫山, 001 梁平, 002 平罗, 003 万年, 004 九龙坡).
# Remove an entry when its cell XPASSes (the form is read now).
# Every form is read now (the one-dash bullets ― — ─ and the task numbers （1） (1) ① ⒈ were listed here
# until issue 17's structure work); a form found later that the extractor does not read goes here first.
XFAIL: dict[tuple[str, str], str] = {}

# What a rewrite takes away on purpose: the plan without its notice has no number, issuer or
# date (the notice carried them); everything else (title, place, body) must stay.
EXPECTED_ABSENT: dict[str, tuple[str, ...]] = {
    "body_only": ("doc_number", "issuer", "issued"),
}
# rewrites of a sentence's words: the goal stating it reads as rewritten, all else as it was
REWORDED_GOALS = ("literacy_cn_percent", "literacy_reworded")

PLANS = sorted(PLANS_DIR.glob("*.txt"))


def plan_id(path: Path) -> str:
    return path.stem.split("_")[0]


# --- the projection --------------------------------------------------------------------------


def _text(value: str | None) -> str | None:
    """Whitespace removed, punctuation and digits folded to one width."""
    return None if value is None else re.sub(r"\s+", "", fold(value))


def _title(value: str | None) -> str | None:
    """A title as text, one dash between the years however many are printed (the notice's
    ``2021——2025年`` and the plan's own ``2021―2025年`` are the same title)."""
    text = _text(value)
    return None if text is None else re.sub(r"—+", "—", text)


def _doc_number(value: str | None) -> str | None:
    """巫山府办发 〔 2022〕 76号, 巫山府办发[2022]76号, 巫山府办发【2022】76号 → 巫山府办发〔2022〕76号."""
    text = _text(value)
    if text is None:
        return None
    m = re.fullmatch(r"(.+?)[\[(]((?:19|20)\d{2})[\])](\d+)号", text)
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号" if m else text


def _keys(holders: list[Any], role: str) -> list[str | None]:
    return [m.agency for h in holders for a in h.assignments if a.role == role for m in a.mentions]


def projection(rec: PlanRecord) -> dict[str, Any]:
    """What a rewrite must not change, in the order a difference is reported."""
    target = rec.literacy_target
    return {
        "header": {
            "doc_number": _doc_number(rec.doc_number),
            "issuer": _text(rec.issuer),
            "issued": rec.issued,
            "title": _title(rec.title),
            "place": rec.place,
            "level": rec.level,
            "period": rec.period,
            "literacy_target": (target.value, target.year) if target else None,
            "directives": [(_doc_number(d.number), d.directive) for d in rec.directives],
        },
        "measures": [{"kind": m.kind, "no": m.no, "title": _text(m.title)} for m in rec.measures],
        "tasks": [
            {
                "measure": f"{m.kind} {m.no}",
                "no": t.no,
                "title": _text(t.title),
                "text": _text(t.text),
                # a measure's annotation holds for each of its tasks, wherever it is written
                "lead": _keys([m, t], "lead"),
                "support": _keys([m, t], "support"),
                "targets": [(x.value, x.unit, x.indicator_key) for x in t.targets],
                "groups": [g.group for g in t.groups],
            }
            for m, t in rec.tasks()
        ],
        # the rest of the plan (issue 18): a rewrite of punctuation, bullets, numbers or layout
        # leaves its sections, goals, safeguard commitments and timetable as they were
        "sections": [(s.kind, s.level, _text(s.title)) for s in rec.sections],
        "principles": [_text(p.title) for p in rec.principles],
        "goals": [(g.kind, _text(g.text)) for g in rec.goals],
        "commitments": [
            (
                c.kinds,
                _text(c.text),
                sorted({m.agency or "" for m in c.mentions}),
                [(t.value, t.unit) for t in c.targets],
            )
            for c in rec.commitments
        ],
        "phases": [(p.name, p.start, p.end) for p in rec.phases],
    }


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 90 else text[:87] + "…"


def _show_pair(a: Any, b: Any) -> tuple[str, str]:
    """Two long strings shown from a little before where they first differ."""
    if isinstance(a, str) and isinstance(b, str) and (len(a) > 60 or len(b) > 60):
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        start = max(0, at - 15)
        return _show(("…" if start else "") + a[start:]), _show(("…" if start else "") + b[start:])
    return _show(a), _show(b)


def first_difference(want: Any, got: Any, path: str = "") -> str | None:
    """The first field where ``got`` differs from ``want``: its path and both values (a list of
    records is compared record by record, a list of names or numbers as one value)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            found = first_difference(want[key], got.get(key), f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list) and any(isinstance(w, dict) for w in want):
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            found = first_difference(w, g, f"{path}[{i}]")
            if found:
                return found
        if len(want) != len(got):
            extra = got[len(want)] if len(got) > len(want) else want[len(got)]
            return f"{path}: {len(want)} in the original, {len(got)} rewritten (first unmatched: {_show(extra)})"
        return None
    if want != got:
        a, b = _show_pair(want, got)
        return f"{path}: original {a}, rewritten {b}"
    return None


# --- extraction ------------------------------------------------------------------------------


@cache
def _original(path: Path) -> dict[str, Any]:
    return projection(extract_file(path))


def expected(name: str, path: Path) -> dict[str, Any]:
    """The original's projection, less what the rewrite takes away on purpose."""
    want = _original(path)
    absent = EXPECTED_ABSENT.get(name, ())
    if name in REWORDED_GOALS:
        want = {**want, "goals": [(kind, REWRITES[name](text)) for kind, text in want["goals"]]}
    return {**want, "header": {k: (None if k in absent else v) for k, v in want["header"].items()}}


def extract_string(text: str, tmp_path: Path, name: str) -> PlanRecord:
    """A rewritten text written byte for byte (CRLF kept) and extracted as a user's file is."""
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8", newline="")
    return extract_file(path)


def _params() -> list[Any]:
    out = []
    for name in REWRITES:
        for path in PLANS:
            reason = XFAIL.get((name, plan_id(path)))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(name, path, id=f"{name}-{plan_id(path)}", marks=marks))
    return out


@pytest.mark.parametrize(("name", "path"), _params())
def test_rewritten_plan_gives_the_same_records(name: str, path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rewritten = REWRITES[name](text)
    if rewritten == text:
        pytest.skip(f"{name} does not apply to plan {plan_id(path)} (nothing in it is written that way)")
    got = projection(extract_string(rewritten, tmp_path, f"{path.stem}.{name}"))
    difference = first_difference(expected(name, path), got)
    assert difference is None, f"plan {plan_id(path)}, rewrite {name}: {difference}"


# --- the suite's own checks ------------------------------------------------------------------


def test_the_bundled_plans_are_there() -> None:
    assert [plan_id(p) for p in PLANS] == ["000", "001", "002", "003", "004"]


def test_xfail_entries_name_a_rewrite_that_applies() -> None:
    """An entry for a rewrite or plan that does not exist, or a cell that is skipped, is stale."""
    plans = {plan_id(p): p for p in PLANS}
    for name, plan in XFAIL:
        assert name in REWRITES, f"XFAIL names no rewrite {name!r}"
        assert plan in plans, f"XFAIL names no plan {plan!r}"
        text = plans[plan].read_text(encoding="utf-8")
        assert REWRITES[name](text) != text, f"XFAIL ({name}, {plan}): the rewrite does not apply to the plan"


@pytest.mark.parametrize("name", list(REWRITES))
def test_every_rewrite_applies_to_some_plan(name: str) -> None:
    texts = [p.read_text(encoding="utf-8") for p in PLANS]
    assert any(REWRITES[name](t) != t for t in texts), f"{name} changes no bundled plan"


def test_a_changed_record_is_reported_with_its_field(tmp_path: Path) -> None:
    """The comparison finds a difference a rewrite must not make: a lead agency changed."""
    path = next(p for p in PLANS if plan_id(p) == "002")
    text = path.read_text(encoding="utf-8")
    changed = text.replace("牵头部门：县教体局、科协", "牵头部门：县文旅局、科协", 1)
    assert changed != text
    difference = first_difference(expected("none", path), projection(extract_string(changed, tmp_path, "changed")))
    assert difference is not None
    assert difference.startswith("tasks[0].lead: original ['education', 'kexie'], rewritten ["), difference


def test_a_lost_task_is_reported(tmp_path: Path) -> None:
    path = next(p for p in PLANS if plan_id(p) == "001")
    lines = path.read_text(encoding="utf-8").split("\n")
    kept = [line for line in lines if not line.startswith("——提升基础教育阶段科学教育水平")]
    assert len(kept) == len(lines) - 1
    difference = first_difference(expected("none", path), projection(extract_string("\n".join(kept), tmp_path, "x")))
    assert difference is not None and difference.startswith("tasks[1].title: original"), difference


# --- the rewrites write the form their docstring shows -------------------------------------------


def _seed(plan: str) -> str:
    return next(p for p in PLANS if plan_id(p) == plan).read_text(encoding="utf-8")


def _changed_lines(before: str, after: str) -> list[int]:
    a, b = before.split("\n"), after.split("\n")
    assert len(a) == len(b)
    return [i + 1 for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


@pytest.mark.parametrize(
    ("name", "plan", "line"),
    [
        ("tasknum_paren_fullwidth", "002", "（1）弘扬科学精神和科学家精神。"),
        ("tasknum_paren_ascii", "002", "(4)加强中小学教师科学素质提升工程。"),
        ("tasknum_circled", "002", "②精准推进各阶段科学教育。"),
        ("tasknum_dunhao", "002", "3、推进校内外科学教育资源有效衔接。"),
        ("tasknum_digit_full_stop", "002", "⒈弘扬科学精神和科学家精神。"),
        ("bullet_u2015", "001", "―将弘扬科学精神贯穿于育人全链条。"),
        ("bullet_dot", "003", "•将科学精神贯穿于育人全链条。"),
        ("resp_sentence", "002", "县教体局、科协牵头，县科技局、自然资源局、市生态环境局平罗分局、团委、妇联等配合。"),
        ("resp_sentence", "003", "县教体局、县科协牵头。"),
        ("resp_sentence", "001", "区科协牵头，区发展改革委、区科技局、区经济信息委配合。"),
        ("resp_bracket_at_intro", "004", "【牵头单位：区科协、区科技局；配合单位：区委组织部、"),
        ("resp_bracket_at_intro", "003", "的习惯。【牵头单位：县教体局、县科协】"),
        ("resp_label_swap", "004", "牵头部门:区教委、区科协"),
        ("resp_support_canyu", "002", "参与单位：县科技局、"),
        ("resp_support_canyu", "000", "\t参与单位"),
        ("meta_block", "001", "发文字号："),
        ("meta_block", "004", "发文字号：九龙坡府办发〔2022〕24号"),
        ("meta_block_paired", "000", "发布机构：巫山县人民政府办公室　　发文字号：巫山府办发〔2022〕76号"),
        ("docno_glued_date", "000", "巫山府办发〔2022〕76号2022年10月13日"),
        ("date_cn_ling", "000", "二〇二二年十月十三日"),
        ("date_cn_circle", "001", "二○二二年八月二十三日"),
        ("date_cn_zero", "002", "二零二二年五月五日"),
        ("docno_lenticular", "003", "万府发【2022】6号"),
        ("docno_spaced", "002", "平政办发 〔 2022〕 45号"),
        ("news_item", "003", "　　近日，万年县人民政府印发《万年县全民科学素质行动规划纲要实施方案（2021—2025年）》"),
        ("news_item", "000", "发布时间：2022-10-13 09:30　　来源：巫山县人民政府办公室"),
        ("body_only", "004", "重庆市九龙坡区全民科学素质行动规划纲要实施方案(2021―2025年)"),
    ],
)
def test_rewrite_writes_its_form(name: str, plan: str, line: str) -> None:
    rewritten = REWRITES[name](_seed(plan))
    assert any(line in row for row in rewritten.split("\n")), f"{name} on {plan}: no line holds {line!r}"


def test_task_numbers_are_rewritten_on_task_lines_only() -> None:
    """平罗 numbers its 35 tasks 1. 2. …; 巫山 numbers its measures 1．, 梁平 its safeguards 1．:
    those are not tasks and keep their numbers."""
    text = _seed("002")
    rec = extract_file(next(p for p in PLANS if plan_id(p) == "002"))
    task_lines = sorted(t.span.line for _, t in rec.tasks())
    assert _changed_lines(text, R.tasknum_circled(text)) == task_lines
    for plan in ("000", "001", "003", "004"):
        assert R.tasknum_circled(_seed(plan)) == _seed(plan), plan


def test_bullets_are_rewritten_at_line_starts_only() -> None:
    text = _seed("001")
    rewritten = R.bullet_black_circle(text)
    starts = sum(line.lstrip().startswith("——") for line in text.split("\n"))
    assert starts > 20
    assert sum(line.lstrip().startswith("●") for line in rewritten.split("\n")) == starts
    assert rewritten.count("——") == text.count("——") - starts


def test_responsibility_lines_leave_no_label_behind() -> None:
    for plan in ("001", "002", "003", "004"):
        for name in ("resp_sentence", "resp_bracket_at_intro"):
            rewritten = REWRITES[name](_seed(plan))
            assert not re.search(r"^\s*[（(〔]?(牵头|责任|配合)(部门|单位)[:：]", rewritten, re.M), (plan, name)
            assert "〔牵头部门" not in rewritten, (plan, name)


def test_body_only_starts_with_the_plans_own_title() -> None:
    for plan, first in (
        ("000", "巫山县全民科学素质行动规划纲要实施方案"),
        ("001", "重庆市梁平区全民科学素质行动规划纲要"),
    ):
        assert R.body_only(_seed(plan)).split("\n")[0] == first


def test_noise_rewrites() -> None:
    text = _seed("004")
    assert R.crlf(text).count("\r\n") == text.count("\n")
    assert all(line.endswith("   ") for line in R.trailing_spaces(text).split("\n"))
    indented = R.indent_ideographic(text).split("\n")
    assert indented[16].startswith("\u3000\u3000") and indented[0] == "- [ 索引号 ]"
    assert R.blank_lines_doubled(text) == text  # 九龙坡 has no blank line to double
    doubled = R.blank_lines_doubled(_seed("000"))
    assert doubled.count("\n\n\n") > _seed("000").count("\n\n\n")
