"""The plan's parts by what they do, whatever their headings call them.

**Sections.** Every heading of the body's outermost numbering (一、 in most plans) is a section of
level 1; a heading one level down ((一)) is a section of level 2 when its title names a kind and its
siblings do not all share their parent's kind (二、指导思想和工作目标 > (一)指导思想 (二)工作目标;
五、组织实施 > (四)进度安排; 三、重点任务 > (一)五大提升行动). A title names its kinds by cue words
(:data:`_CUES`): 背景 / 意义 → background, 指导思想 / 总体要求 → guidance, 原则 → principles,
目标 → goals, 重点任务 / 主要任务 → tasks, a heading naming the 提升行动 or the 工程 together (or one
of them, at level 1) → actions / projects, 组织实施 / 保障… / 工作要求 → safeguards, 进度安排 /
实施步骤 / 时间安排 → schedule. A title naming two kinds (指导思想和工作目标) takes the first one its
own subsections have (or the first named). A section whose title names none is the schedule when it
holds a timetable (有序推进实施: :func:`.phases.phase_items`); after the tasks, a top-level heading
naming 组织领导, 经费, 督查, 考核 or 评估 is a safeguard; one holding a measure (a work plan's group of
items: 一、弘扬科学精神) is "tasks"; anything else is "other". A section's span runs from its
heading's line to its last line of text. (Principles and goals: :mod:`.goals`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.phases import phase_items
from sciplan_kg.extract.records import PlanRecord, Section, SectionKind, Span
from sciplan_kg.extract.structure import Heading, group_kind, headings, measure_kind
from sciplan_kg.read.text import PlanText

# cue words naming a section's kind, in the order tried at one place of the title (longest first)
_CUES: tuple[tuple[SectionKind, str], ...] = (
    ("guidance", r"指导思想|总体要求|总体思路|指导方针|总体部署"),
    ("principles", r"基本原则|工作原则|主要原则|原则"),
    ("goals", r"(?:工作|主要|发展|总体|预期|具体)?目标"),
    ("background", r"背景|重要意义|意义|发展现状|现状|面临形势|形势|发展基础|工作基础|基本情况"),
    ("schedule", r"进度安排|时间安排|时间进度|实施步骤|步骤安排|实施进度|阶段安排|进度|步骤|时间表"),
    (
        "safeguards",
        r"组织实施|保障措施|保障条件|工作保障|组织保障|机制保障|条件保障|政策保障|经费保障|实施保障|"
        r"工作要求|有关要求|实施要求|保障",
    ),
    ("tasks", r"重点任务|主要任务|工作任务|任务|主要措施|重点工作"),
)
_KIND_CUE = re.compile("|".join(f"(?P<{kind}>{cue})" for kind, cue in _CUES))
# after the tasks, a top-level heading naming one of these is a safeguard (五、加强组织领导 六、加大经费投入)
_LATE_SAFEGUARD = re.compile(r"组织领导|领导小组|经费|督(?:查|导|促)|考核|评估|宣传|队伍建设|工作机制")
# a sub-heading naming the safeguards as a kind (组织保障, 保障条件), not one of their commitments
# (加强组织领导, 强化经费保障 head the commitments)
_STRICT_SAFEGUARD = re.compile(r"组织实施|保障措施|保障条件|工作保障|组织保障|机制保障|条件保障|工作要求|有关要求")
_TASK_KINDS = {"tasks", "actions", "projects"}
# a line closing the plan, not its text: the signature, the date, (此件公开发布)
_CLOSING = re.compile(r"^(?:\(此件[^)]*\)|[(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)]?)$")


@dataclass
class Part:
    """A section as found: its record, and its lines for the readers of its content."""

    section: Section
    first: int  # index in pt.lines of the heading's line
    stop: int  # index of the first line after it
    rest: int  # offset where the heading line's text after the title starts
    parent: Part | None = None


def kinds_named(title: str) -> list[SectionKind]:
    """The kinds a heading's title names, in the order written (指导思想和工作目标 → guidance, goals)."""
    out: list[SectionKind] = []
    for m in _KIND_CUE.finditer(title):
        kind = next(k for k, v in m.groupdict().items() if v is not None)
        if kind not in out:
            out.append(kind)  # type: ignore[arg-type]
    return out


def _measure_kind(title: str, top: bool) -> SectionKind | None:
    group = group_kind(title)
    if group:
        return "actions" if group == "action" else "projects"
    if top:
        one = measure_kind(title)
        if one:
            return "actions" if one == "action" else "projects"
    return None


def closing_line(text: str) -> bool:
    """A line that closes the plan rather than says something: the signature, the date."""
    return bool(_CLOSING.match(text) or P.ISSUER.match(text))


def read_sections(pt: PlanText, rec: PlanRecord, start: int, end: int) -> list[Part]:
    """Find the sections of the body (lines [start, end)), add them to ``rec.sections`` in the order
    written and return them with their lines."""
    found = headings(pt, start, end)
    if not found:
        return []
    top = min(h.level for h, _ in found)
    measures_at = [m.span.start for m in rec.measures]
    parts: list[Part] = []
    seen_tasks = False
    for k, (head, stop) in enumerate(found):
        if head.level != top:
            continue
        named = _measure_kind(head.title, True)
        kinds: list[SectionKind] = [named] if named else kinds_named(head.title)
        below = _kinds_below(pt, [(h, s) for h, s in found[k + 1 :] if h.index < stop and h.level == top + 1])
        kind: SectionKind
        if kinds:
            kind = next((x for x in kinds if any(b[0] == x for b in below)), kinds[0])
        elif below and len({b[0] for b in below}) == 1 and below[0][0] != "schedule":
            kind = below[0][0]
        elif _holds_timetable(pt, head, stop):
            kind = "schedule"
        elif seen_tasks and _LATE_SAFEGUARD.search(head.title):
            kind = "safeguards"
        elif any(pt.lines[head.index].start <= at < _last_end(pt, head.index, stop) for at in measures_at):
            kind = "tasks"  # a work plan's group of items (一、弘扬科学精神): its measures stand in it
        else:
            kind = "other"
        seen_tasks = seen_tasks or kind in _TASK_KINDS
        part = _part(pt, kind, head, stop, 1)
        parts.append(part)
        if len(kinds) > 1 or kind in ("tasks", "other") or any(b[0] != kind for b in below):
            for kind_below, h, s in below:
                parts.append(_part(pt, kind_below, h, s, 2, part))
    rec.sections.extend(p.section for p in parts)
    return parts


def _kinds_below(pt: PlanText, children: list[tuple[Heading, int]]) -> list[tuple[SectionKind, Heading, int]]:
    """The sub-headings that name a kind (a measure's own heading names none), with their kind."""
    out: list[tuple[SectionKind, Heading, int]] = []
    for h, s in children:
        if measure_kind(h.title):
            continue
        kind = _measure_kind(h.title, False)
        if kind is None:
            named = [x for x in kinds_named(h.title) if x != "safeguards" or _STRICT_SAFEGUARD.search(h.title)]
            kind = named[0] if named else None
        if kind is None and _holds_timetable(pt, h, s):
            kind = "schedule"
        if kind is not None:
            out.append((kind, h, s))
    return out


def _holds_timetable(pt: PlanText, head: Heading, stop: int) -> bool:
    return len(phase_items(pt, head.rest_start, _last_end(pt, head.index, stop))) >= 2


def _last_end(pt: PlanText, first: int, stop: int) -> int:
    """The end offset of the last line of text in [first, stop)."""
    for i in range(stop - 1, first - 1, -1):
        line = pt.lines[i]
        if line.text and not closing_line(line.text):
            return line.end
    return pt.lines[first].end


def _part(pt: PlanText, kind: SectionKind, head: Heading, stop: int, level: int, parent: Part | None = None) -> Part:
    line = pt.lines[head.index]
    section = Section(
        kind=kind,
        title=pt.quote(head.title_start, head.title_end).strip(),
        level=level,
        span=Span(line.start, _last_end(pt, head.index, stop), line.no),
        heading=Span(head.title_start, head.title_end, line.no),
    )
    return Part(section, head.index, stop, head.rest_start, parent)


def own_pieces(pt: PlanText, part: Part, parts: list[Part]) -> list[tuple[int, int]]:
    """The stretches of text a part holds itself ((start, end) per line, the heading line's text after
    its title included), without those of its sub-sections."""
    inner = [(p.first, p.stop) for p in parts if p.parent is part]
    out: list[tuple[int, int]] = []
    line = pt.lines[part.first]
    if part.rest < line.end:
        out.append((part.rest, line.end))
    i = part.first + 1
    while i < part.stop:
        skip = next((s for f, s in inner if f == i), None)
        if skip is not None:
            i = skip
            continue
        ln = pt.lines[i]
        if ln.text and not closing_line(ln.text):
            out.append((ln.start, ln.end))
        i += 1
    return out
