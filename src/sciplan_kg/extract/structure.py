"""The body's structure: measures (提升行动 / 重点工程) and the tasks under each.

The genre numbers its headings 一、 > （一） > 1. and marks tasks with —— bullets, deeper
numbers, or as bare paragraphs. A measure heading is a numbered heading whose title ends in
提升行动 or 工程; the outermost level at which such headings occur is the measure level (in
巫山 the measures are 1. under （一）五大提升行动; in 平罗 they are （一） with tasks 1. below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.records import Measure, MeasureKind, PlanRecord, Span, Task
from sciplan_kg.read.text import PlanText

_LEVELS = (P.SECTION_L1, P.SECTION_L2, P.SECTION_L3)
_TITLE_END = re.compile(r"[。.!!]")
_FIRST_SENTENCE = re.compile(r"^(.+?[。!?;])")


@dataclass
class _Heading:
    index: int  # in pt.lines
    level: int  # 0, 1, 2
    title: str
    title_start: int
    title_end: int
    rest_start: int  # where the text after the title starts (same line)


def task_title(text: str) -> str:
    """A task's heading: its first sentence, without the closing punctuation."""
    first = _FIRST_SENTENCE.match(text)
    return first.group(1)[:-1] if first else text


def heading_level(text: str) -> tuple[int, int] | None:
    """(level, length of the numbering) of a numbered heading, or None."""
    for level, pattern in enumerate(_LEVELS):
        m = pattern.match(text)
        if m:
            return level, m.end()
    return None


def _heading(pt: PlanText, index: int) -> _Heading | None:
    line = pt.lines[index]
    hl = heading_level(line.text)
    if hl is None:
        return None
    level, length = hl
    start = line.start + length
    while start < line.end and pt.folded[start] == " ":
        start += 1
    end_m = _TITLE_END.search(pt.folded, start, line.end)
    title_end = end_m.start() if end_m else line.end
    rest = end_m.end() if end_m else line.end
    title = pt.folded[start:title_end].strip()
    return _Heading(index, level, title, start, title_end, rest)


def measure_kind(title: str) -> MeasureKind | None:
    core = title.split(",")[-1].strip()
    if P.GROUP_HEADING.match(core) or len(core) > 40:
        return None
    if P.ACTION_SUFFIX.search(core):
        return "action"
    if P.PROJECT_SUFFIX.search(core):
        return "project"
    return None


def _strip_shi(title: str) -> tuple[str, int]:
    """'实施青少年科学素质提升行动' → '青少年科学素质提升行动', and how many characters were cut."""
    return (title[2:], 2) if title.startswith("实施") and len(title) > 6 else (title, 0)


def body_end(pt: PlanText, start: int) -> int:
    """Index of the first line after the body: an attachment, the 抄送 line, or the end."""
    for i in range(start, len(pt.lines)):
        text = pt.lines[i].text
        if P.ATTACHMENT.match(text) or P.END_MATTER.match(text):
            return i
    return len(pt.lines)


def read_measures(pt: PlanText, rec: PlanRecord, start: int, end: int) -> None:
    """Find the measures in lines [start, end) and the tasks under each."""
    headings = [h for i in range(start, end) if (h := _heading(pt, i))]
    candidates = [h for h in headings if measure_kind(h.title)]
    if not candidates:
        rec.warn(
            "no-measures",
            None,
            "未找到提升行动或重点工程的标题",
            "no heading of a 提升行动 or 重点工程 was found",
        )
        return
    level = min(h.level for h in candidates)
    measures = [h for h in candidates if h.level == level]
    counters: dict[str, int] = {"action": 0, "project": 0}
    for k, head in enumerate(measures):
        stop = end
        for h in headings:
            if h.index > head.index and h.level <= level:
                stop = h.index
                break
        if k + 1 < len(measures):
            stop = min(stop, measures[k + 1].index)
        kind = measure_kind(head.title)
        assert kind
        counters[kind] += 1
        _, cut = _strip_shi(head.title)
        line = pt.lines[head.index]
        title_start = head.title_start + cut
        measure = Measure(
            kind=kind,
            no=counters[kind],
            title=pt.quote(title_start, head.title_end).strip(),
            span=Span(title_start, head.title_end, line.no),
        )
        _read_block(pt, rec, measure, head, stop, level)
        rec.measures.append(measure)


def _read_block(pt: PlanText, rec: PlanRecord, measure: Measure, head: _Heading, stop: int, level: int) -> None:
    """Tasks and annotations from the heading's own line to line ``stop`` (exclusive)."""
    heading_line = pt.lines[head.index]
    # (start, end) pieces of text in the block, with whether each starts a task
    pieces: list[tuple[int, int, int, bool]] = []  # (line index, start, end, starts_task)
    if head.rest_start < heading_line.end:
        pieces.append((head.index, head.rest_start, heading_line.end, False))
    body = [i for i in range(head.index + 1, stop) if not pt.lines[i].blank]
    bullets = [i for i in body if P.BULLET.match(pt.lines[i].text)]
    deeper = [i for i in body if (hl := heading_level(pt.lines[i].text)) and hl[0] > level]
    style = "bullet" if bullets else "numbered" if deeper else "paragraph"
    for i in body:
        line = pt.lines[i]
        if A.is_annotation_line(line.text):
            measure.assignments.extend(A.labelled(pt, line.start, line.end))
            continue
        if style == "bullet":
            starts = bool(P.BULLET.match(line.text))
        elif style == "numbered":
            starts = i in deeper
        else:
            starts = True
        pieces.append((i, line.start, line.end, starts))

    if style == "paragraph":
        # the first paragraph after a bare heading introduces the measure
        if not (head.rest_start < heading_line.end) and pieces:
            pieces[0] = (*pieces[0][:3], False)
        if not any(p[3] for p in pieces) and pieces:
            # a measure written as one paragraph: that paragraph is its one task
            pieces[-1] = (*pieces[-1][:3], True)
            rec.warn(
                "measure-without-tasks",
                heading_line.no,
                f"「{measure.title}」没有分列任务，整段作为一项任务",
                f"'{measure.title}' lists no separate tasks; its paragraph is taken as one task",
            )

    task_pieces: list[list[tuple[int, int, int]]] = []
    for index, s, e, starts in pieces:
        if starts:
            task_pieces.append([(index, s, e)])
        elif task_pieces:
            task_pieces[-1].append((index, s, e))
        else:
            # preamble: annotations inside it belong to the measure
            found, _ = A.inline(pt, s, e)
            measure.assignments.extend(found)
    for n, parts in enumerate(task_pieces, start=1):
        measure.tasks.append(_task(pt, n, parts))
    if not measure.tasks:
        rec.warn(
            "measure-without-tasks",
            heading_line.no,
            f"「{measure.title}」下未找到任务",
            f"no task was found under '{measure.title}'",
        )


def _task(pt: PlanText, no: int, parts: list[tuple[int, int, int]]) -> Task:
    """A task from its lines: strip the bullet or number, cut off trailing annotations."""
    first_index, s, _ = parts[0]
    text = pt.folded
    line_text = pt.lines[first_index].text
    bullet = P.BULLET.match(line_text)
    if bullet:
        s += bullet.end()
    else:
        hl = heading_level(line_text)
        if hl:
            s += hl[1]
    while s < len(text) and text[s] == " ":
        s += 1
    assignments = []
    text_end = parts[-1][2]
    for _, ps, pe in parts:
        found, cut = A.inline(pt, ps, pe)
        assignments.extend(found)
        if found:
            text_end = min(text_end, cut) if cut > s else text_end
    body = "".join(pt.quote(max(ps, s), min(pe, text_end)) for _, ps, pe in parts if min(pe, text_end) > max(ps, s))
    body = body.strip()
    return Task(
        no=no,
        title=task_title(body),
        text=body,
        span=Span(s, text_end, pt.lines[first_index].no),
        assignments=assignments,
    )
