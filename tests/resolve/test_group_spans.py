"""A population group's span quotes exactly the characters that write it, and its line is the
file's, also where the task's text is not the file's characters from the task's start: a task
broken by a hard line break (joined by extraction), the same with CRLF line ends (two
characters go per break), indentation, invisible characters removed (科\u200b协). The plan is the
group fixture of ``test_groups.py`` (临江), changed the way such files come."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import GroupMention, PlanRecord, Span
from sciplan_kg.read.text import plan_text, remove_invisible
from sciplan_kg.resolve.groups import file_offsets, find_groups
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

FIXTURE = Path(__file__).parents[1] / "fixtures" / "targets" / "linjiang_targets.txt"
TASK = "2．关爱留守儿童。每年开展留守儿童科普活动不少于十场，县妇女联合会组织农村妇女参加科普培训。"


def _plan(text: str) -> tuple[PlanRecord, str]:
    pt = plan_text(text, "linjiang.txt")
    return resolve(extract_text(pt), load_registry(), pt.raw), pt.raw


def _mentions(rec: PlanRecord) -> list[GroupMention]:
    return [g for _, t in rec.tasks() for g in t.groups] + [g for c in rec.commitments for g in c.groups]


def _line(raw: str, offset: int) -> int:
    return len(("x" + raw[:offset] + "x").splitlines())


def _changed(how: str) -> str:
    text = FIXTURE.read_text(encoding="utf-8")
    assert TASK in text
    if how == "break":  # a hard line break inside the task, before the second group it names
        return text.replace(TASK, TASK.replace("组织农村妇女", "组织\n农村妇女"))
    if how == "break-indented":  # … and the next line indented, as a word processor's wrap leaves it
        return text.replace(TASK, TASK.replace("每年开展", "每年\n　　开展").replace("组织农村", "组织\n农村"))
    if how == "crlf":
        return text.replace(TASK, TASK.replace("每年开展", "每年\n开展").replace("组织农村", "组织\n农村")).replace(
            "\n", "\r\n"
        )
    if how == "zero-width":  # 留\u200b守 儿童 and a word joiner before a group
        return text.replace(
            TASK, TASK.replace("每年开展留守儿童", "每年开\u200b展留\u200b守儿童").replace("组织", "组织\u2060")
        )
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["break", "break-indented", "crlf", "zero-width"])
def test_group_spans_quote_the_written_characters(how: str) -> None:
    rec, raw = _plan(_changed(how))
    task = next(t for _, t in rec.tasks() if t.title == "关爱留守儿童")
    assert [(g.written, g.group) for g in task.groups] == [
        ("留守儿童", "left-behind-children"),
        ("农村妇女", "rural-women"),
    ]
    mentions = _mentions(rec)
    assert len(mentions) >= 4
    for g in mentions:
        quoted = raw[g.span.start : g.span.end]
        assert remove_invisible(quoted)[0] == g.written, (g, quoted)  # the written characters, no more, no less
        assert quoted[0] == g.written[0] and quoted[-1] == g.written[-1]
        assert g.span.line == _line(raw, g.span.start), g


def test_the_unchanged_plan_keeps_its_spans() -> None:
    """A plan whose task texts are the file's characters gives the spans it always gave."""
    text = FIXTURE.read_text(encoding="utf-8")
    rec, raw = _plan(text)
    plain = resolve(extract_text(plan_text(text, "linjiang.txt")), load_registry())  # without the file
    assert [g.span for g in _mentions(rec)] == [g.span for g in _mentions(plain)]
    assert all(raw[g.span.start : g.span.end] == g.written for g in _mentions(rec))


def test_find_groups_maps_through_the_file() -> None:
    source = "前言\r\n关爱农村\r\n  留守儿童，服务老\u200b年人。"
    text = "关爱农村留守儿童，服务老年人。"  # what extraction reads there
    found = find_groups(text, Span(4, len(source), 2), source=source)
    assert [(g.written, source[g.span.start : g.span.end], g.span.line) for g in found] == [
        ("农村留守儿童", "农村\r\n  留守儿童", 2),
        ("老年人", "老\u200b年人", 3),
    ]


def test_file_offsets() -> None:
    assert file_offsets("ab", "x a\n b", 1) == [2, 5]
    assert file_offsets("ab", "a-b", 0) is None  # not a text read from there: nothing is mapped
