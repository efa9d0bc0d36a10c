"""The genre's variations: one pipeline for full-width and ASCII punctuation, 牵头部门 and
牵头单位, leads before or after the tasks, bullets or numbers, metadata blocks, cut-off texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import fold, plan_text, read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry
from tests.conftest import FIXTURE_PLANS

SEEDS = sorted(PLANS_DIR.glob("*.txt"))
_TO_FULLWIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"})


def _projection(rec: PlanRecord) -> dict:
    """What extraction found, with punctuation folded: equal across punctuation styles."""
    return {
        "title": fold(rec.title or ""),
        "doc": fold(rec.doc_number or ""),
        "issued": rec.issued,
        "place": rec.place,
        "directives": [(d.directive, fold(d.number or "")) for d in rec.directives],
        "target": rec.literacy_target and (rec.literacy_target.value, rec.literacy_target.comparator),
        "measures": [
            (
                m.kind,
                m.no,
                fold(m.title),
                m.national,
                [(a.role, [x.agency for x in a.mentions]) for a in m.assignments],
                [
                    (t.no, fold(t.text), [(a.role, [x.agency for x in a.mentions]) for a in t.assignments])
                    for t in m.tasks
                ],
            )
            for m in rec.measures
        ],
        "agencies": [a.key for a in rec.agencies],
    }


def _extract_string(text: str, name: str) -> PlanRecord:
    pt = plan_text(text, name)
    return resolve(extract_text(pt), load_registry())


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_ascii_and_fullwidth_punctuation_extract_the_same(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    as_ascii = fold(original)  # （）：，；〔〕 → ()：,;[] and every dash → —
    as_fullwidth = as_ascii.translate(_TO_FULLWIDTH)
    base = _projection(extract_file(path))
    assert _projection(_extract_string(as_ascii, path.name)) == base
    assert _projection(_extract_string(as_fullwidth, path.name)) == base


def test_fold_keeps_every_offset() -> None:
    text = "（牵头单位：县科协）〔2022〕１２号―—-－─"
    assert len(fold(text)) == len(text)
    assert fold(text) == "(牵头单位:县科协)[2022]12号—————"


def test_metadata_block_ascii_lead_after_title_numbered_tasks() -> None:
    rec = extract_file(FIXTURE_PLANS / "enshi_ascii_numbered.txt")
    assert rec.doc_number == "恩施州政办发[2022]12号"
    assert rec.issued == "2022-06-30"
    assert rec.level == "prefecture"
    youth = rec.measures[0]
    # (牵头单位:州教育局) right after the title leads the measure; tasks are numbered 1. 2.
    assert [a.role for a in youth.assignments] == ["lead"]
    assert [m.agency for m in youth.assignments[0].mentions] == ["education"]
    assert [t.no for t in youth.tasks] == [1, 2]
    # a parent named by title only and in no registry is still a parent, by its title
    assert [d.directive for d in rec.directives] == ["guofa-2021-9", None]
    assert "湖北省" in (rec.directives[1].title or "")


def test_bullets_inline_brackets_duplicates_and_cut_off_text() -> None:
    rec = extract_file(FIXTURE_PLANS / "anping_bullets_truncated.txt")
    assert rec.doc_number is None
    assert rec.issued == "2022-03-01"  # 二〇二二年三月一日
    elderly, _workers = rec.measures
    smart, health = elderly.tasks
    assert [(a.role, [m.agency for m in a.mentions]) for a in smart.assignments] == [
        ("support", ["veteran-cadres", "kexie"])
    ]
    assert [(a.role, [m.agency for m in a.mentions]) for a in health.assignments] == [("lead", ["health"])]
    assert "牵头" not in health.text
    codes = {(w.code, w.line) for w in rec.warnings}
    assert ("truncated", 17) in codes
    assert ("no-lead", 17) in codes
    assert ("no-doc-number", None) in codes
    township = next(a for a in rec.agencies if a.type == "township")
    assert township.registered and township.key == "安平镇"


def test_text_without_structure_warns_instead_of_failing(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
    rec = extract_file(path)
    assert rec.measures == []
    codes = {w.code for w in rec.warnings}
    assert {"no-measures", "no-date", "no-literacy-target", "no-basis"} <= codes


def test_gb18030_and_bom_are_decoded(tmp_path: Path) -> None:
    source = (FIXTURE_PLANS / "enshi_ascii_numbered.txt").read_text(encoding="utf-8")
    gb = tmp_path / "gb.txt"
    gb.write_bytes(source.encode("gb18030"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    assert _projection(extract_file(gb)) == _projection(extract_file(FIXTURE_PLANS / "enshi_ascii_numbered.txt"))
    assert read_plan_text(bom).raw == source


@pytest.mark.parametrize(
    ("imprint", "cut"),
    [
        ("甘肃省人民政府办公厅　　　　　　　　　　2021年12月6日印发", False),
        ("苏州市吴江区人民政府办公室　　　2022年5月23日 印发", False),
        ("县人民政府办公室　　二〇二二年三月八日印发", False),
        ("县人民政府办公室　　2022年3月8日印发的文件和", True),  # a sentence cut after 印发
    ],
)
def test_a_notice_closed_by_its_imprint_is_not_cut_off(imprint: str, cut: bool) -> None:
    """A notice printed with its 版记 ends in …日印发, no full stop: whole, not "truncated"."""
    text = SEEDS[0].read_text(encoding="utf-8").rstrip() + "\n抄送：县委各部门，县人大常委会办公室。\n" + imprint + "\n"
    rec = extract_text(plan_text(text, "notice.txt"))
    assert ("truncated" in {w.code for w in rec.warnings}) is cut
