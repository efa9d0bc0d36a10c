"""Extraction: plan text → extraction records. One pipeline for the whole genre:

1. ``read.text`` has read the file, removed its invisible characters and folded its
   punctuation; the records' spans are mapped back to offsets into the file at the end
   (:func:`to_file`);
2. :mod:`.header` reads number, issuer, date, title, place, basis and literacy target;
3. :mod:`.structure` finds the measures and their tasks in the body, or :mod:`.table` reads
   them from a task table when the plan has one, and then joins the body's own statement of them to
   it (a body sentence restating a row is recorded on the row; one no row states is a task of its own);
4. :mod:`.responsibility` reads who leads and who supports, wherever it is written;
5. :mod:`.sections` finds the plan's parts by what they do (guidance, principles, goals, tasks,
   safeguards, schedule); :mod:`.goals` reads the principles and goals, :mod:`.safeguards` the
   safeguard commitments and the bodies they name, :mod:`.phases` the timetable;
6. ``resolve`` (the next stage) maps written names to registry agencies and directives.

In: ``read.text.PlanText``. Out: ``records.PlanRecord`` (names as written, spans).
Imports ``read`` only; never ``resolve`` or any stage after it.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.goals import read_goals, read_principles
from sciplan_kg.extract.header import read_basis, read_header, read_literacy_target
from sciplan_kg.extract.records import PlanRecord, Span
from sciplan_kg.extract.responsibility import ROLE_WORDS, first_listed_leads, is_annotation_line
from sciplan_kg.extract.safeguards import read_safeguards
from sciplan_kg.extract.sections import read_sections
from sciplan_kg.extract.structure import body_end, read_measures
from sciplan_kg.extract.table import find_table, link_body, read_table
from sciplan_kg.extract.targets import MAX_PER_TASK, task_targets
from sciplan_kg.read.text import PlanText, read_plan_text

__all__ = ["PlanRecord", "extract_plan", "extract_text"]


def extract_plan(path: Path) -> PlanRecord:
    """Extract the records of one plan file (not yet resolved against the registries)."""
    return extract_text(read_plan_text(path))


def extract_text(pt: PlanText) -> PlanRecord:
    rec = PlanRecord(
        source=pt.path.name,
        sha256=pt.sha256,
        length=len(pt.raw),
        title=None,
        title_span=None,
        place=None,
        doc_number=None,
        doc_number_span=None,
        issuer=None,
        issuer_span=None,
        issued=None,
        issued_span=None,
        period=None,
        level=None,
    )
    body_from = read_header(pt, rec)
    read_basis(pt, rec, body_from)
    read_literacy_target(pt, rec, body_from)
    end = body_end(pt, body_from)
    table_at = find_table(pt, end)
    if table_at is not None and read_table(pt, rec, table_at):
        link_body(pt, rec, body_from, min(end, table_at))
    else:
        read_measures(pt, rec, body_from, end)
    first_listed_leads(pt, [m.assignments for m in rec.measures] + [t.assignments for _, t in rec.tasks()])
    for _, task in rec.tasks():
        task.targets = task_targets(pt, task.span.start, task.span.end)
        if len(task.targets) == MAX_PER_TASK:
            rec.warn(
                "too-many-targets",
                task.span.line,
                f"任务中的数字过多，只取前{MAX_PER_TASK}个作为目标",
                f"the task holds too many numbers; only the first {MAX_PER_TASK} are taken as targets",
            )
    parts = read_sections(pt, rec, body_from, end if table_at is None else min(end, table_at))
    read_principles(pt, rec, parts)
    read_goals(pt, rec, parts)
    read_safeguards(pt, rec, parts)
    _check(pt, rec)
    to_file(pt, rec)
    return rec


def to_file(pt: PlanText, rec: PlanRecord) -> None:
    """Map every span of ``rec`` from offsets into the text read (invisible characters
    removed) to offsets into the file, once. Nothing to do for a file without them."""
    if not pt.cuts:
        return
    seen: set[int] = set()

    def moved(span: Span) -> Span:
        start, end = pt.file_span(span.start, span.end)
        return replace(span, start=start, end=end)

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for x in item:
                walk(x)
            return
        if not is_dataclass(item) or isinstance(item, Span) or id(item) in seen:
            return
        seen.add(id(item))
        for f in fields(item):
            value = getattr(item, f.name)
            if isinstance(value, Span):
                setattr(item, f.name, moved(value))
            elif isinstance(value, list) and value and all(isinstance(x, Span) for x in value):
                setattr(item, f.name, [moved(x) for x in value])  # Task.restated
            else:
                walk(value)

    walk(rec)


# what is left of a responsibility statement the reader did not take out of a task's text: a label
# and its colon, a duty formula, a bracket naming a lead, or a bracket where a body is responsible
# (（县科协会同2个乡镇负责）: the 负责 form, once silent; a kind's bracket may sit inside: 各乡镇（街道）负责)
_BRACKETED = r"(?:[^（）()〔〕【】\[\]]|[（(][^（）()〔〕【】\[\]]{1,12}[）)])"
_UNREAD_STATEMENT = re.compile(
    r"(?:牵头|责任|配合|参与|协办)(?:部门|单位)\s*[:：]|按职责分工(?:负责|落实)|[（(〔【\[][^（）()〔〕【】\[\]]{0,80}?牵头[^（）()〔〕【】\[\]]{0,80}?[）)〕】\]]"
    rf"|[（(〔【\[]{_BRACKETED}{{0,80}}?(?:局|委|办|协|联|会|部|府|中心|单位|部门|街道|乡镇)"
    r"(?:[（(][^（）()〔〕【】\[\]]{1,12}[）)])?(?:共同|具体)?负责"
    rf"{_BRACKETED}{{0,80}}?[）)〕】\]]"
)


# the imprint (版记) closing a notice: 甘肃省人民政府办公厅　　2021年12月6日印发
_PRINTED = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十〇○零]{1,3})\s*日\s*印发$")


def _check(pt: PlanText, rec: PlanRecord) -> None:
    """Say what could not be found, with line numbers where that helps."""
    missing = [
        ("title", rec.title, "未找到方案标题", "no plan title was found"),
        ("date", rec.issued, "未找到成文日期", "no issue date was found"),
        ("issuer", rec.issuer, "未找到发文机关", "no issuing body was found"),
        ("basis", rec.directives, "未找到所依据的上级文件", "no parent directive was named"),
        ("literacy-target", rec.literacy_target, "未找到科学素质比例目标", "no literacy target was found"),
    ]
    for code, value, zh, en in missing:
        if not value:
            rec.warn(f"no-{code}", None, zh, en)
    page_number = dict(pt.metadata).get("发文字号", "").strip()
    if rec.doc_number is None and page_number:
        # the body prints none, the publishing page does: the number is the page's (no span: the
        # graph says where it came from with sk:pageDocumentNumber on the source file)
        rec.doc_number = page_number
    if rec.doc_number is None:
        rec.warn("no-doc-number", None, "未印发文字号", "no document number is printed")
    tasks = rec.tasks()
    if rec.measures and not tasks:
        rec.warn("no-tasks", None, "未找到任何任务", "no task was found")
    tabled = {id(m) for m in rec.measures if any(t.origin == "table" for t in m.tasks)}
    for measure, task in tasks:
        if not any(a.role == "lead" for a in measure.assignments + task.assignments):
            if task.origin == "text" and id(measure) in tabled:
                rec.warn(
                    "no-lead",
                    task.span.line,
                    f"任务只见于正文，任务分工表未列出，无牵头部门：{task.title[:30]}",
                    f"the task is stated only in the body, not in the task table, which names the leads: "
                    f"no lead agency for {task.title[:30]}",
                )
                continue
            rec.warn(
                "no-lead",
                task.span.line,
                f"任务未写明牵头部门：{task.title[:30]}",
                f"no lead agency is written for the task: {task.title[:30]}",
            )
    for holder in [m for m in rec.measures] + [t for _, t in tasks]:
        for a in holder.assignments:
            for mention in a.mentions:
                if any(word in mention.written for word in ROLE_WORDS):
                    rec.warn(
                        "role-word-in-name",
                        mention.span.line,
                        f"机构名称中含有职责用语，未能分开：「{mention.written}」",
                        f"an agency name holds a role word the reader could not split off: '{mention.written}'",
                    )
    for _, task in tasks:
        # a statement read but kept in the text (1.开展职业技能培训（旗人社局牵头）。面向…: the bracket is
        # mid-paragraph, so the text goes on past it) names what its assignments name: not unread
        read = [m.written for a in task.assignments for m in a.mentions]
        unread = next(
            (u for u in _UNREAD_STATEMENT.finditer(task.text) if not any(w in u.group(0) for w in read)), None
        )
        if unread:
            rec.warn(
                "unread-responsibility",
                task.span.line,
                f"任务中似有职责分工陈述，但其写法未能识别：「{unread.group(0)[:40]}」",
                f"the task seems to hold a responsibility statement in a form not recognised: '{unread.group(0)[:40]}'",
            )
    tail = pt.text.rstrip()
    last = next((line for line in reversed(pt.lines) if not line.blank), None)
    table_or_statement = last is not None and (
        pt.folded[last.begin : last.begin + 1] == "\t"  # a table's cell, one a line
        or P.is_inline_row(last.text)  # a table's row, one a line
        or is_annotation_line(last.text)  # 牵头单位：… closing the plan
        or _PRINTED.search(last.text.rstrip()) is not None  # the 版记's 2021年12月6日印发
    )
    if tail and tail[-1] not in '。.!！?？)）」”"号日》]】〕' and not tail[-1].isdigit() and not table_or_statement:
        rec.warn(
            "truncated",
            pt.line_of(len(tail) - 1),
            "文本似乎在句中截断",
            "the text seems cut off mid-sentence",
        )
