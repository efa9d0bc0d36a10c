"""The body's structure: measures (提升行动 / 重点工程) and the tasks under each.

**Headings.** The genre numbers its headings 一、 > （一） > 1.（1、 1． ⒈） > （1）（1) ⑴） > ①, numbers of
any size; a line opening with a year (2023、 二〇二三、 2022年) is text, not a heading. A heading's title
runs to its first 。 (or to a comma or colon right after a measure's name); what follows on the same line
is the measure's introduction (（一）科技资源科普化工程。建立完善……).

**Measures.** A measure heading names one: its title ends in 提升行动, 素质…行动/计划 (青少年科学素质提升
计划) or 工程, after an optional 实施 / 开展 / 聚焦 / 深入实施 … (cut from the recorded title). A heading
naming the measures together (三、提升行动  （二）五项重点工程  二、聚焦重点人群，实施五项提升行动) is a
group: its sub-headings are measures of its kind even when their own titles are bare (（五）科普人才队伍
建设). The measure level is chosen by structure, not by depth: the outermost level holding a measure
heading that is not itself a group of measure headings (one holding two or more of them), so measures
may be 一、, （一） or 1. (巫山 puts them at 1. under （一）五大提升行动; 平罗 at （一） with tasks 1. below).

**Tasks.** Inside a measure, the first line that opens with a marker sets the task form, and every line
opening with that marker starts a task; other lines continue the task above:

* a bullet —— — • ● ◆ ■ ▲ □ · … at the start of a line (—— and — are one form);
* a number one level or more below the measure's (measures 一、 with tasks （一）, measures （一） with
  tasks 1., measures 1. with tasks （1）); numbered lines that only title a sub-group (a bare title with
  numbered items under it: （一）深入学习贯彻…  1.…  2.…) are passed over and their items are the tasks;
* a line opening with 一是 / 二是 / 三是 ….

Without markers the measure is written in paragraphs: every paragraph after the introduction (the
heading's own line, or else the first paragraph) is a task, whose first sentence is its title (九龙坡).
Where that leaves a single paragraph of tasks, the paragraph is read further:

* a paragraph enumerating 一是…，二是…，三是… gives one task per item; its text before 一是 is the
  introduction;
* a measure written as one paragraph (the heading's line, or its one paragraph) gives one task per
  sentence (ending 。 ; ! ?). Its first sentence is the introduction when it frames the measure
  (以…为重点 / 为主线, 围绕, 聚焦, 面向, 立足, 着眼, 按照, 到2025年, 力争 …) or when most of the plan's
  other measures are written in paragraphs, an introduction and then a paragraph per task (the measure
  is read like its siblings: 九龙坡's 科学素质开放合作工程); every other sentence is a task.
  A sentence that only states who is responsible (（牵头单位：…）, 县科协牵头，县教体局配合。) goes with
  the task before it; a statement closing the paragraph that is its only one is the measure's.

**Annual work plans and task-division plans** (工作要点, 任务分工方案) may name no measure at all: their
items are grouped under headings. Then the headings directly above the items are the measures: a
heading with a bare title holding numbered or bulleted lines or 一是… (二、加强青少年科学教育  1.…  2.…),
and not only other such headings (一、弘扬科学精神 > （一）深入宣传科学家精神 > 1.…: the （一） are the
measures); preamble and closing headings (指导思想, 工作目标, 工作要求, 保障措施, 进度安排 …) and all
under them are passed over. Kind "action" when the title names a 提升行动 or one of the outline's five
groups of people, "project" when it names a 工程 or one of the outline's projects' themes, else
"project" with a warning (records have no third kind). A task table whose only task column has no
measure column beside it is read by :mod:`.table` with its group rows as measures.

A block that cannot be read warns with its line and form (``measure-without-tasks``,
``task-numbering``: a number skipped or repeated, ``unnamed-measure``; ``measures-by-group`` says the
plan was read as a work plan); the rest of the plan is still read. Lines that are no text (a page
number — 3 —, a rule of dashes) are passed over.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.records import Assignment, Measure, MeasureKind, PlanRecord, Span, Task
from sciplan_kg.read.text import PlanText

_LEVELS = (P.SECTION_L1, P.SECTION_L2, P.SECTION_L3, P.SECTION_L4, P.SECTION_L5)
_TITLE_END = re.compile(r"[。.!!]")
_FIRST_SENTENCE = re.compile(r"^(.+?[。!?;])")
# 实施 / 开展 / 聚焦 / 深入实施 … before a measure's name (cut from the recorded title; matched at its start)
_PREFIX = re.compile(r"(?:深入|大力|全面|扎实|着力|持续|组织)?(?:实施|开展|聚焦|推进)(?=[\u4e00-\u9fff“\"]{4})")
# a line opening an enumeration: 一是…  二是…
_ENUM_LINE = re.compile(rf"^(?P<n>[{P.CN_DIGITS}]{{1,3}})是\s*[,:]?\s*")
# an enumeration item inside a paragraph: (start of text or after 。;:, or a space) 一是 / 二是 …
_ENUM_ITEM = re.compile(rf"(?:^|(?<=[。;:,!?\s]))(?P<n>[{P.CN_DIGITS}]{{1,3}})是")
_ENUM_GAP = re.compile(r"\s*[,:]?\s*")
# a sentence that frames a measure rather than commits to a task (matched at the sentence's start)
_FRAMING = re.compile(
    r"(?:以[^。;]{1,40}?为(?:重点|主线|核心|抓手|目标|导向|引领|载体|依托|契机|牵引|根本|切入点)|"
    r"(?:紧紧)?围绕|聚焦|面向|立足|着眼|紧扣|按照|根据|依据|为(?:了)?(?:进一步|全面|切实|深入|加快)|"
    r"(?:到|至)(?:19|20)\d{2}年|力争|目标)"
)
# headings before or after the work in a plan that names no measure: passed over
_PREAMBLE = re.compile(
    r"(?:指导思想|总体要求|总体思路|基本原则|工作原则|(?:工作|主要|发展|总体|预期)目标|背景|意义|"
    r"工作要求|有关要求|保障措施|保障条件|组织保障|进度安排|时间安排|实施步骤|实施范围|适用范围)"
)
# the outline's five groups of people (its 提升行动) and its five projects' themes (its 工程)
_GROUPS_OF_PEOPLE = re.compile(r"青少年|学生|未成年人|农民|农村|乡村|产业工人|职工|老年人|老龄|领导干部|公务员")
_PROJECT_THEMES = re.compile(
    r"科技资源|信息化|数字化|基础设施|科技馆|科普基地|基层科普|应急科普|交流合作|开放合作|科普人才|人才队伍"
)
# MeasureKind has only "action" and "project": a group that names neither is recorded as this one
UNNAMED_KIND: MeasureKind = "project"
# a line that is no text: a page number (— 3 —, -3-, 第3页) or a rule of dashes, left by a printed page
_NOISE = re.compile(r"^(?:—*\s*\d{1,4}\s*—*|[—_=*~\s]{3,}|第\s*\d+\s*页(?:\s*[,/]?\s*共\s*\d+\s*页)?)$")
_SENTENCE_END = "。;!?"
# a table header cell naming the tasks (任务, 工作任务, 具体内容, 项目, 措施)
_TASK_COLUMN = re.compile(r"任务|内容|项目|措施")
# a header cell naming who does the work: 牵头单位, or the 责任单位 over 牵头/配合 of a two-row header, or
# the one column of bodies of a table whose first-listed body leads (吴江: 序号⇥类别⇥重点任务⇥责任单位)
_WHO_COLUMN = re.compile(r"牵头|主责|主办|责任(?:单位|部门)")
_REACH = 600  # a bracket after a sentence closes within this many characters, or is not joined to it


@dataclass
class _Heading:
    index: int  # in pt.lines
    level: int  # 0 (一、) … 4 (①)
    title: str
    title_start: int
    title_end: int
    rest_start: int  # where the text after the title starts (same line)


@dataclass
class _Piece:
    """A stretch of the block's text: a line, the rest of the heading's line, or part of a paragraph."""

    start: int
    end: int
    role: str  # "task" (starts one), "more" (continues the task above), "intro", "skip", "statement"
    body: int = -1  # where a task's own text starts (after its bullet or number)
    number: int | None = None  # the task's printed number


@dataclass
class _Chosen:
    """A measure heading: its place in the heading list, kind, and the name's offsets."""

    pos: int
    head: _Heading
    kind: MeasureKind
    title_start: int
    title_end: int


@dataclass
class _Draft:
    """A task being assembled: its pieces of text, where its own text starts, its printed number,
    and responsibility stated in sentences of their own after it."""

    parts: list[tuple[int, int]]
    body: int
    number: int | None = None
    extra: list[Assignment] = field(default_factory=list)


@dataclass
class _Block:
    head: _Heading
    kind: MeasureKind
    title_start: int
    title_end: int
    pieces: list[_Piece] = field(default_factory=list)
    annotations: list[int] = field(default_factory=list)  # line indices of annotation lines
    single: _Piece | None = None  # the one paragraph to read further (sentences, 一是…)
    paragraphs: bool = False  # written in paragraphs: an introduction, then one paragraph per task


def task_title(text: str) -> str:
    """A task's heading: its first sentence, without the closing punctuation."""
    first = _FIRST_SENTENCE.match(text)
    return first.group(1)[:-1] if first else text


def _is_year(m: re.Match[str]) -> bool:
    """2023、 (2022) 二〇二三、: a year opening a line, not a heading's number."""
    n = _printed(m)
    if not n:
        return False
    if n.isdigit():
        return len(n) == 4 and 1900 <= int(n) <= 2099
    value = P.cn_number(n) if len(n) == 4 and not any(c in "十百千" for c in n) else None
    return value is not None and 1900 <= value <= 2099


def _printed(m: re.Match[str]) -> str | None:
    """The number a numbering match prints (its ``n``, or ``n2`` for 行动一：, 第一项)."""
    groups = m.groupdict()
    return groups.get("n") or groups.get("n2")


def heading_level(text: str) -> tuple[int, int] | None:
    """(level, length of the numbering) of a numbered heading, or None."""
    for level, pattern in enumerate(_LEVELS):
        m = pattern.match(text)
        if m:
            return None if _is_year(m) else (level, m.end())
    return None


def _number(text: str) -> int | None:
    """The printed number of a numbered line (3 for 3. (三) ③ ⒊ ⑶), or None."""
    for pattern in _LEVELS:
        m = pattern.match(text)
        if m:
            groups = m.groupdict()
            n = _printed(m)
            if n:
                return int(n) if n.isdigit() else P.cn_number(n)
            c = groups.get("c")
            if c:
                return _circled(c)
    return None


def _circled(c: str) -> int | None:
    o = ord(c)
    for first, base in ((0x2460, 1), (0x2474, 1), (0x2488, 1), (0x3251, 21), (0x32B1, 36), (0x2776, 1)):
        last = first + (19 if first in (0x2460, 0x2474, 0x2488) else 14 if first in (0x3251, 0x32B1) else 9)
        if first <= o <= last:
            return base + o - first
    if 0x2780 <= o <= 0x2793:
        return 1 + (o - 0x2780) % 10
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
    stated = _closing_statement(pt, start, title_end)
    if stated is not None:
        # （一）青少年科学素质提升行动（牵头单位：旗教育局；配合单位：旗妇联）: the title ends before
        # the bracket, which the heading's rest starts with (read as the measure's statement)
        title_end = rest = stated
        while title_end > start and pt.folded[title_end - 1] == " ":
            title_end -= 1
    title = pt.folded[start:title_end].strip()
    return _Heading(index, level, title, start, title_end, rest)


def _closing_statement(pt: PlanText, start: int, end: int) -> int | None:
    """Where a responsibility statement closing the title [start, end) begins, else None: a bracket
    (青少年科学素质提升行动（旗农牧局牵头，旗科协配合）) or labels after a space or in brackets of their
    own (青少年科学素质提升行动　【牵头单位】县教育局　【配合单位】县科协). A heading's title ends
    before it."""
    text = pt.folded
    close = end
    while close > start and text[close - 1] == " ":
        close -= 1
    if close <= start:
        return None
    at: int | None = None
    if text[close - 1] in ")]":
        depth = 0
        for i in range(close - 1, max(start, close - _REACH) - 1, -1):
            if text[i] in ")]":
                depth += 1
            elif text[i] in "([":
                depth -= 1
                if depth == 0:
                    at = i
                    break
    else:
        label = next(
            (
                m
                for m in A.LABEL.finditer(text, start + 1, close)
                if text[m.start()] == "[" or text[m.start() - 1] == " "
            ),
            None,
        )
        at = label.start() if label else None
    if at is None or at <= start:
        return None  # no statement, or the whole title is in brackets
    return at if _only_statement(pt, at, close) else None


def _suffix_kind(name: str) -> MeasureKind | None:
    if P.GROUP_HEADING.match(name) or len(name) > 40:
        return None
    if P.ACTION_SUFFIX.search(name):
        return "action"
    if P.PROJECT_SUFFIX.search(name):
        return "project"
    return None


def _pieces_of_title(title: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    s = 0
    for i, ch in enumerate(title + ","):
        if ch in ",:":
            a, b = s, i
            while a < b and title[a] == " ":
                a += 1
            while b > a and title[b - 1] == " ":
                b -= 1
            out.append((a, b))
            s = i + 1
    return out


def measure_name(title: str) -> tuple[MeasureKind, int, int] | None:
    """The measure a heading's title names, as (kind, start, end) of the name inside the title
    (实施 / 开展 / 聚焦 … cut), or None. The name is the title's last comma piece (聚焦重点人群，实施…
    提升行动), or its first when an introduction follows it (实施青少年科学素质提升行动，以…为重点)."""
    pieces = _pieces_of_title(title)
    last = pieces[-1]
    if P.GROUP_HEADING.match(title[last[0] : last[1]]):
        return None
    for s, e in (last, pieces[0]) if len(pieces) > 1 else (last,):
        cut = _PREFIX.match(title, s, e)
        if cut:
            s = cut.end()
        for end in (e, _before_note(title, s, e)):
            kind = _suffix_kind(title[s:end]) if end > s else None
            if kind:
                return kind, s, end
    return None


def _before_note(title: str, start: int, end: int) -> int:
    """Where a bracket closing title[start:end] opens (青少年科学素质提升行动（2021—2025年）: the name
    ends before the note), or ``start`` when the piece ends in no bracket."""
    if end <= start or title[end - 1] not in ")]":
        return start
    depth = 0
    for i in range(end - 1, start - 1, -1):
        if title[i] in ")]":
            depth += 1
        elif title[i] in "([":
            depth -= 1
            if depth == 0:
                return len(title[start:i].rstrip()) + start
    return start


def measure_kind(title: str) -> MeasureKind | None:
    named = measure_name(title)
    return named[0] if named else None


def group_kind(title: str) -> MeasureKind | None:
    """The kind of the measures a group heading names together (三、提升行动 → action), or None."""
    core = title[_pieces_of_title(title)[-1][0] :].strip()
    if not P.GROUP_HEADING.match(core):
        return None
    return "project" if core.endswith("工程") else "action"


def strip_prefix(title: str) -> int:
    """How many characters of 实施 / 开展 / 聚焦 … open a measure's title (0 when none)."""
    cut = _PREFIX.match(title)
    return cut.end() if cut else 0


def body_end(pt: PlanText, start: int) -> int:
    """Index of the first line after the body: an attachment, a task table (a task-division plan's
    table is its body: :mod:`.table` reads it), the 抄送 line, or the end."""
    for i in range(start, len(pt.lines)):
        text = pt.lines[i].text
        if P.ATTACHMENT.match(text) or P.END_MATTER.match(text):
            return i
        if _WHO_COLUMN.search(text) and P.is_inline_row(pt.lines[i].text) and _TASK_COLUMN.search(text):
            return i  # a task table's header row written on one line (序号⇥类别⇥重点任务⇥牵头单位⇥责任单位)
        if _WHO_COLUMN.search(text) and pt.folded[pt.lines[i].begin : pt.lines[i].begin + 1] == "\t":
            first = i
            while first > start and pt.folded[pt.lines[first - 1].begin : pt.lines[first - 1].begin + 1] == "\t":
                first -= 1
            if any(_TASK_COLUMN.search(pt.lines[j].text) for j in range(first, i)):
                return first
    return len(pt.lines)


Heading = _Heading  # a numbered heading, for the readers of the plan's other parts


def headings(pt: PlanText, start: int, end: int) -> list[tuple[_Heading, int]]:
    """Every numbered heading in lines [start, end), with the line index where its block ends (the
    next heading at its level or above, or ``end``): for the readers of the plan's other parts
    (:mod:`.sections`)."""
    found = [h for i in range(start, end) if (h := _heading(pt, i))]
    return list(zip(found, _block_ends(found, end), strict=True))


# -- measures -----------------------------------------------------------------------------------


def _block_ends(headings: list[_Heading], end: int) -> list[int]:
    """For each heading, the line index where its block ends: the next heading at its level or above."""
    out = [end] * len(headings)
    stack: list[int] = []
    for k, h in enumerate(headings):
        while stack and headings[stack[-1]].level >= h.level:
            out[stack.pop()] = h.index
        stack.append(k)
    return out


def read_measures(pt: PlanText, rec: PlanRecord, start: int, end: int) -> None:
    """Find the measures in lines [start, end) and the tasks under each."""
    headings = [h for i in range(start, end) if (h := _heading(pt, i))]
    ends = _block_ends(headings, end)
    chosen = _named_measures(pt, headings, ends)
    if not chosen:
        chosen = _work_groups(pt, rec, headings, ends)
        if not chosen:
            rec.warn(
                "no-measures",
                None,
                "未找到提升行动或重点工程的标题",
                "no heading of a 提升行动 or 重点工程 was found",
            )
            return
    blocks: list[_Block] = []
    for k, c in enumerate(chosen):
        stop = ends[c.pos]
        if k + 1 < len(chosen):
            stop = min(stop, chosen[k + 1].head.index)
        blocks.append(_block(pt, c, stop, c.head.level))
    # a measure written as one paragraph is read like its siblings: are they written in paragraphs,
    # an introduction and then the tasks?
    read = [b for b in blocks if b.single is None and any(p.role == "task" for p in b.pieces)]
    siblings_intro = 2 * sum(b.paragraphs for b in read) > len(read) > 0
    counters: dict[str, int] = {"action": 0, "project": 0}
    for b in blocks:
        counters[b.kind] += 1
        line = pt.lines[b.head.index]
        measure = Measure(
            kind=b.kind,
            no=counters[b.kind],
            title=pt.quote(b.title_start, b.title_end).strip(),
            span=Span(b.title_start, b.title_end, line.no),
        )
        _fill(pt, rec, measure, b, siblings_intro)
        rec.measures.append(measure)


def _named_measures(pt: PlanText, headings: list[_Heading], ends: list[int]) -> list[_Chosen]:
    """Measure headings at the measure level, with their kind and the name's offsets."""
    found: dict[int, tuple[MeasureKind, int, int]] = {}  # heading position → (kind, start, end)
    for k, h in enumerate(headings):
        named = measure_name(h.title)
        if named:
            kind, s, e = named
            found[k] = (kind, h.title_start + s, h.title_start + e)
    for k, h in enumerate(headings):
        group = group_kind(h.title)
        if group is None:
            continue
        # the sub-headings one level down inside a group heading are its measures
        inside: list[int] = []
        for j in range(k + 1, len(headings)):
            if headings[j].index >= ends[k]:
                break
            inside.append(j)
        if not inside:
            continue
        below = min(headings[j].level for j in inside)
        for j in inside:
            sub = headings[j]
            if sub.level == below and j not in found and sub.title and group_kind(sub.title) is None:
                found[j] = (group, sub.title_start + strip_prefix(sub.title), sub.title_end)
    if not found:
        return []
    positions = sorted(found)
    indices = [headings[k].index for k in positions]

    def holds_measures(k: int) -> bool:
        first = bisect_left(indices, headings[k].index + 1)
        last = bisect_left(indices, ends[k])
        return last - first >= 2

    levels = sorted({headings[k].level for k in positions})
    level = next(
        (lv for lv in levels if any(headings[k].level == lv and not holds_measures(k) for k in positions)),
        levels[-1],
    )
    out: list[_Chosen] = []
    for k in positions:
        h = headings[k]
        if h.level != level:
            continue
        kind, s, e = found[k]
        if e < h.title_start + len(h.title):
            # 实施青少年科学素质提升行动，以…为重点: the introduction starts after the name's comma
            sep = e
            while sep < h.title_end and pt.folded[sep] not in ",:":
                sep += 1
            h = replace(h, title_end=e, rest_start=sep + 1)
        out.append(_Chosen(k, h, kind, s, e))
    return out


def _work_groups(pt: PlanText, rec: PlanRecord, headings: list[_Heading], ends: list[int]) -> list[_Chosen]:
    """A plan naming no measure (工作要点, 任务分工方案): the headings directly above its items."""
    passed_until = -1  # headings inside a preamble heading's block are passed over too
    holders: list[int] = []
    for k, h in enumerate(headings):
        if h.index < passed_until:
            continue
        if not h.title or _PREAMBLE.search(h.title):
            passed_until = ends[k]
            continue
        if _is_bare_title(pt, h.index) and _holds_items(pt, h, ends[k]):
            holders.append(k)
    indices = [headings[k].index for k in holders]
    out: list[_Chosen] = []
    for k in holders:
        h = headings[k]
        if bisect_left(indices, ends[k]) - bisect_left(indices, h.index + 1) > 0:
            continue  # it holds groups of items, not items: its sub-headings are the measures
        named = measure_name(h.title)
        kind = named[0] if named else theme_kind(h.title)
        if kind is None:
            kind = UNNAMED_KIND
            rec.warn(
                "unnamed-measure",
                pt.lines[h.index].no,
                f"「{h.title}」未写明是提升行动还是重点工程，暂记为重点工程",
                f"'{h.title}' names neither a 提升行动 nor a 工程; recorded as a project",
            )
        start, end = (h.title_start + named[1], h.title_start + named[2]) if named else (h.title_start, h.title_end)
        out.append(_Chosen(k, h, kind, start, end))
    if out:
        rec.warn(
            "measures-by-group",
            None,
            "未找到提升行动或重点工程的标题，按分组标题读取任务",
            "no heading names a 提升行动 or 工程: each heading directly above numbered or bulleted items is a measure",
        )
    return out


def theme_kind(title: str) -> MeasureKind | None:
    """Kind of a group heading in a plan naming no measure: by its name's suffix, else by the
    outline's groups of people (actions) or projects' themes."""
    named = measure_kind(title)
    if named:
        return named
    if title.endswith(("行动", "计划")) or _GROUPS_OF_PEOPLE.search(title):
        return "action"
    if title.endswith("工程") or _PROJECT_THEMES.search(title):
        return "project"
    return None


def _holds_items(pt: PlanText, h: _Heading, stop: int) -> bool:
    for i in range(h.index + 1, stop):
        text = pt.lines[i].text
        if not text:
            continue
        if (
            P.BULLET.match(text)
            or _ENUM_LINE.match(text)
            or _enumeration(pt.folded, pt.lines[i].start, pt.lines[i].end)
        ):
            return True
        hl = heading_level(text)
        if hl and hl[0] > h.level:
            return True
    line = pt.lines[h.index]
    return bool(_enumeration(pt.folded, h.rest_start, line.end))


# -- a measure's block --------------------------------------------------------------------------


def _marker(pt: PlanText, index: int, level: int) -> tuple[tuple[str, int | str], int] | None:
    """The marker a line opens with, as ((form, detail), length): a bullet, a number below
    ``level``, or 一是; None for a line of text."""
    text = pt.lines[index].text
    b = P.BULLET.match(text)
    if b:
        symbol = b.group("b")
        return ("bullet", "—" if symbol.startswith("—") else symbol), b.end()
    hl = heading_level(text)
    if hl and hl[0] > level:
        return ("number", hl[0]), hl[1]
    e = _ENUM_LINE.match(text)
    if e:
        return ("enum", 0), e.end()
    return None


def _is_bare_title(pt: PlanText, index: int) -> bool:
    """A numbered line holding a title and nothing after it but who is responsible
    (（一）深入宣传科学家精神  二、加强青少年科学教育（牵头单位：县教育局））."""
    h = _heading(pt, index)
    return h is not None and bool(h.title) and _only_statement(pt, h.rest_start, pt.lines[index].end)


def _only_statement(pt: PlanText, start: int, end: int) -> bool:
    """[start, end) holds nothing, or responsibility statements and nothing else: the rest of a
    heading's line that is no introduction (（牵头单位：…）, 由A牵头，B配合。)."""
    if not pt.folded[start:end].strip(" \t。;,"):
        return True
    if end - start > 2 * A.ANNOTATION_REACH:
        return False  # a statement is a clause or two: a paragraph this long introduces the measure
    found, cut = A.inline(pt, start, end)
    return bool(found) and not pt.folded[start:cut].strip(" \t。;,")


def _block(pt: PlanText, chosen: _Chosen, stop: int, level: int) -> _Block:
    """Sort the lines from the heading to line ``stop`` (exclusive) into introduction and tasks."""
    head = chosen.head
    block = _Block(head, chosen.kind, chosen.title_start, chosen.title_end)
    line = pt.lines[head.index]
    rest = _Piece(head.rest_start, line.end, "intro") if head.rest_start < line.end else None
    if rest and _only_statement(pt, rest.start, rest.end):
        # the heading's line states who is responsible and introduces nothing (（一）…行动（A牵头，
        # B配合）  （一）…行动。由A牵头，B配合。): read for the measure, the introduction is below it
        rest.role = "statement"
    content: list[int] = []
    for i in range(head.index + 1, stop):
        if pt.lines[i].blank or _NOISE.match(pt.lines[i].text):
            continue
        if A.is_annotation_line(pt.lines[i].text):
            block.annotations.append(i)
        else:
            content.append(i)
    markers = {i: m for i in content if (m := _marker(pt, i, level))}
    skip: set[int] = set()
    form = _task_form(pt, content, markers, skip)
    pieces: list[_Piece] = [rest] if rest else []
    if form is not None:
        seen_task = False
        for i in content:
            ln = pt.lines[i]
            m = markers.get(i)
            if i in skip:
                pieces.append(_Piece(ln.start, ln.end, "skip"))
            elif m and m[0] == form:
                seen_task = True
                pieces.append(_Piece(ln.start, ln.end, "task", ln.start + m[1], _line_number(pt, i, m)))
            else:
                pieces.append(_Piece(ln.start, ln.end, "more" if seen_task else "intro"))
        block.pieces = pieces
        return block
    # paragraphs: the introduction is the heading's own line, or else the first paragraph
    introduced = rest is not None and rest.role == "intro"
    for n, i in enumerate(content):
        ln = pt.lines[i]
        role = "intro" if (n == 0 and not introduced) else "task"
        pieces.append(_Piece(ln.start, ln.end, role, ln.start))
    block.pieces = pieces
    tasks = [p for p in pieces if p.role == "task"]
    block.paragraphs = bool(tasks)
    text_pieces = [p for p in pieces if p.role != "statement"]
    if len(tasks) == 1 and _enumeration(pt.folded, tasks[0].start, tasks[0].end):
        block.single = tasks[0]
    elif not tasks and text_pieces:
        block.single = text_pieces[-1]
    return block


def _line_number(pt: PlanText, index: int, marker: tuple[tuple[str, int | str], int]) -> int | None:
    if marker[0][0] == "number":
        return _number(pt.lines[index].text)
    if marker[0][0] == "enum":
        m = _ENUM_LINE.match(pt.lines[index].text)
        return P.cn_number(m.group("n")) if m else None
    return None


def _task_form(
    pt: PlanText, content: list[int], markers: dict[int, tuple[tuple[str, int | str], int]], skip: set[int]
) -> tuple[str, int | str] | None:
    """The marker that starts tasks: the first one met, passing over numbered lines that only title
    a sub-group of items (those go to ``skip``)."""
    candidates = [i for i in content if i in markers and i not in skip]
    while candidates:
        form = markers[candidates[0]][0]
        lines = [i for i in candidates if markers[i][0] == form]
        if form[0] != "number" or not all(_is_bare_title(pt, i) for i in lines):
            return form
        # each must have numbered items below it, before the next one (bullets under a bare title
        # are that task's details, not tasks)
        titles = set(lines)
        has_items = False
        for j in candidates[1:]:
            if j in titles:
                if not has_items:
                    return form
                has_items = False
            elif markers[j][0][0] == "number" and int(markers[j][0][1]) > int(form[1]):
                has_items = True
        if not has_items:
            return form
        skip.update(lines)
        candidates = [i for i in candidates if i not in skip]
    return None


def _enumeration(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Items of an enumeration 一是…二是…三是… inside [start, end): (marker start, text start, number),
    in order; [] unless it opens with 一是 and goes on with 二是."""
    items: list[tuple[int, int, int]] = []
    expected = 1
    for m in _ENUM_ITEM.finditer(text, start, end):
        n = P.cn_number(m.group("n"))
        if n != expected:
            continue
        gap = _ENUM_GAP.match(text, m.end(), end)
        items.append((m.start(), gap.end() if gap else m.end(), n))
        expected += 1
    return items if len(items) >= 2 else []


def _place_statement_lines(pt: PlanText, rec: PlanRecord, measure: Measure, b: _Block, drafts: list[_Draft]) -> None:
    """Responsibility statements on lines of their own belong to the measure when they stand together
    before or after its tasks (平罗: 牵头部门/配合部门 after the last task; 梁平: the bracket under the
    heading). When they stand between tasks, each follows the task it is about (1.…  牵头单位：…
    2.…  牵头单位：…): each goes to the task before it, and any before the first task to the measure."""
    starts = [d.parts[0][0] for d in drafts]
    lines = [(pt.lines[i].start, pt.lines[i]) for i in b.annotations]
    between = any(starts and starts[0] < at < starts[-1] for at, _ in lines)
    for at, ln in lines:
        found = _statement(pt, ln.start, ln.end)  # （A牵头，B配合） in brackets of its own too
        if not found:
            rec.warn(
                "unread-responsibility",
                ln.no,
                f"此行似为职责分工陈述，但其写法未能识别：「{ln.text[:40]}」",
                f"the line seems to be a responsibility statement in a form not recognised: '{ln.text[:40]}'",
            )
        before = [d for d in drafts if d.parts[0][0] < at]
        if between and before:
            before[-1].extra.extend(found)
        else:
            measure.assignments.extend(found)


def _fill(pt: PlanText, rec: PlanRecord, measure: Measure, b: _Block, siblings_intro: bool) -> None:
    """The measure's assignments and tasks from its block."""
    heading_line = pt.lines[b.head.index]
    drafts: list[_Draft] = []
    for p in b.pieces:
        if p is b.single:
            drafts.extend(_read_single(pt, measure, p, siblings_intro))
        elif p.role == "task":
            drafts.append(_Draft([(p.start, p.end)], p.body, p.number))
        elif p.role == "more" and drafts:
            drafts[-1].parts.append((p.start, p.end))
        else:
            # preamble: annotations inside it belong to the measure
            found, _ = A.inline(pt, p.start, p.end)
            measure.assignments.extend(found)
    if not drafts and b.single is not None:
        # nothing but an introduction: that paragraph is the measure's one task
        drafts.append(_Draft([(b.single.start, b.single.end)], b.single.start))
        rec.warn(
            "measure-without-tasks",
            heading_line.no,
            f"「{measure.title}」没有分列任务，整段作为一项任务",
            f"'{measure.title}' lists no separate tasks; its paragraph is taken as one task",
        )
    _place_statement_lines(pt, rec, measure, b, drafts)
    for n, d in enumerate(drafts, start=1):
        task = _task(pt, n, d.parts, d.body)
        task.assignments.extend(d.extra)
        measure.tasks.append(task)
    _check_numbers(pt, rec, measure, drafts)
    if not measure.tasks:
        rec.warn(
            "measure-without-tasks",
            heading_line.no,
            f"「{measure.title}」下未找到任务",
            f"no task was found under '{measure.title}'",
        )


def _check_numbers(pt: PlanText, rec: PlanRecord, measure: Measure, drafts: list[_Draft]) -> None:
    """Numbered tasks go 1, 2, 3 … (on from the measure before where a work plan numbers across its
    groups; starting again at 1 under a new sub-group). A number skipped or repeated says a task may
    have been missed or merged: warn once per measure, at the first place."""
    previous: int | None = None
    for d in drafts:
        n = d.number
        if n is not None and previous is not None and n != previous + 1 and n != 1:
            rec.warn(
                "task-numbering",
                pt.line_of(d.parts[0][0]),
                f"「{measure.title}」的任务编号不连续（{previous}之后是{n}），可能漏读或合并了任务",
                f"task numbers under '{measure.title}' jump from {previous} to {n}: a task may be missing",
            )
            return
        previous = n


def _read_single(pt: PlanText, measure: Measure, piece: _Piece, siblings_intro: bool) -> list[_Draft]:
    """One paragraph holding a measure's tasks: its 一是…二是… items, or else its sentences."""
    text = pt.folded
    items = _enumeration(text, piece.start, piece.end)
    spans: list[tuple[int, int, int, int | None]]  # (start, end, body start, number)
    if items:
        intro_end = items[0][0]
        spans = []
        for k, (s, body, n) in enumerate(items):
            e = items[k + 1][0] if k + 1 < len(items) else piece.end
            spans.append((s, e, body, n))
    else:
        sentences = _sentences(text, piece.start, piece.end)
        intro_end = piece.start
        if sentences and (siblings_intro or _FRAMING.match(text, sentences[0][0])):
            intro_end = sentences[0][1]
            sentences = sentences[1:]
        spans = [(s, e, s, None) for s, e in sentences]
    if intro_end > piece.start:
        found, _ = A.inline(pt, piece.start, intro_end)
        measure.assignments.extend(found)
    drafts: list[_Draft] = []
    statements = 0  # statements in the paragraph (sentences of one statement in a row count once)
    stating = False
    for s, e, body, n in spans:
        e = _trim_separator(text, s, e)
        if e <= s:
            continue
        if A.is_annotation_line(text[s:e].strip()):
            # a sentence that only states who is responsible goes with the task before it
            statements += not stating
            stating = True
            stated = _statement(pt, s, e)
            if drafts:
                drafts[-1].extra.extend(stated)
            else:
                measure.assignments.extend(stated)
            continue
        stating = False
        found, _ = A.inline(pt, s, e)
        statements += bool(found)
        drafts.append(_Draft([(s, e)], body, n))
    if drafts and statements == 1:
        # the paragraph's only statement, closing it: the measure's
        last = drafts[-1]
        if last.extra:
            measure.assignments.extend(last.extra)
            last.extra = []
        else:
            s, e = last.parts[-1]
            found, cut = A.inline(pt, s, e)
            if found and last.body < cut < e:  # a statement closing the sentence, not inside it
                measure.assignments.extend(found)
                last.parts[-1] = (s, cut)
    return drafts


def _statement(pt: PlanText, start: int, end: int) -> list[Assignment]:
    """The assignments of a sentence that is a responsibility statement and nothing else."""
    found, cut = A.inline(pt, start, end)
    if found and not pt.folded[start:cut].strip(" \t。;,"):
        return found
    s, e = start, end
    while e > s and pt.folded[e - 1] in " \t。;,":
        e -= 1
    if e > s + 1 and pt.folded[s] in "([" and pt.folded[e - 1] in ")]":
        s, e = s + 1, e - 1
    return A.labelled(pt, s, e)


def _trim_separator(text: str, start: int, end: int) -> int:
    """An item's end without the ; or , separating it from the next (a closing 。 stays)."""
    while end > start and text[end - 1] in " \t;,":
        end -= 1
    return end


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of [start, end): each ends at a 。 ; ! ? outside brackets, and takes a bracket
    standing right after its end (……活动。〔县科协负责〕)."""
    out: list[tuple[int, int]] = []
    depth = 0
    piece = start
    i = start
    while i < end:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END and depth == 0:
            j = i + 1
            while j < end and text[j] in _SENTENCE_END + " ":
                j += 1
            if j < end and text[j] in "([":
                close = _closing(text, j, end)
                if close is not None:
                    j = close + 1
                    while j < end and text[j] in _SENTENCE_END + " ":
                        j += 1
            out.append((piece, j))
            piece = i = j
            continue
        i += 1
    if piece < end and text[piece:end].strip():
        out.append((piece, end))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in out]


def _closing(text: str, open_at: int, end: int) -> int | None:
    depth = 0
    for i in range(open_at, min(end, open_at + _REACH)):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return i
    return None


def _task(pt: PlanText, no: int, parts: list[tuple[int, int]], body: int) -> Task:
    """A task from its pieces of text, its own text starting at ``body`` (after its bullet or
    number); trailing annotations are cut off and become its assignments."""
    text = pt.folded
    s = body
    while s < len(text) and text[s] == " ":
        s += 1
    assignments = []
    text_end = parts[-1][1]
    for ps, pe in parts:
        found, cut = A.inline(pt, ps, pe)
        assignments.extend(found)
        if found and s < cut < pe:
            # statements closing this part end the text (a bracket inside it does not: 1.开展职业技能
            # 培训（旗人社局牵头）。面向企业职工… goes on, on this line and the next)
            text_end = min(text_end, cut)
    quoted = "".join(pt.quote(max(ps, s), min(pe, text_end)) for ps, pe in parts if min(pe, text_end) > max(ps, s))
    quoted = quoted.strip()
    return Task(
        no=no,
        title=_title_without_statement(pt, task_title(quoted), s, assignments),
        text=quoted,
        span=Span(s, text_end, pt.line_of(s)),
        assignments=assignments,
    )


def _title_without_statement(pt: PlanText, title: str, start: int, assignments: list[Assignment]) -> str:
    """A task's title without the statement bracket closing it when the text goes on after it
    (1.开展职业技能培训（旗人社局牵头）。面向企业职工… → 开展职业技能培训): the bracket stays in
    the task's text, which quotes the plan, but names no part of the task. ``start`` is the
    offset of the title's first character."""
    end = start + len(title)
    if not title or pt.text[start:end] != title or pt.folded[end - 1] not in ")]":
        return title
    depth = 0
    for i in range(end - 1, start, -1):
        if pt.folded[i] in ")]":
            depth += 1
        elif pt.folded[i] in "([":
            depth -= 1
            if depth == 0:
                if any(i < a.span.start < end for a in assignments):
                    return title[: i - start].rstrip()
                return title
    return title
