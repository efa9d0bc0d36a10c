"""The plan's principles and goals, read from its sections (:mod:`.sections`).

**Principles.** Each item of a principles section: a numbered or bulleted line (or one opening with
一是) and the lines under it; without markers, each paragraph; a single paragraph holding several
sentences that open with 坚持 is cut before each of them. A line ending in a colon introduces the
items and is none. The title is the item's heading, or its first sentence (its first clause when
that sentence runs on: 坚持党的领导，把党的领导贯穿…全过程。 → 坚持党的领导).

**Goals.** Each sentence of a goals section is a statement (a heading there is one too, unless it
names a section kind: (一)总体目标; a bulleted or numbered goal's short first sentence followed by
more is the heading of the goals after it: ——公民科学素质均衡发展。各乡镇…), cut at its commas
around a clause holding the literacy target or a comparison with another area, so that
到2025年，全区公民具备科学素质的比例超过16%，高于全市平均水平，
农村和城市科学素质发展不均衡明显改善。 gives three: literacy, relative, qualitative.
A clause that is neither joins the clause after it when that one is (到2025年， + …超过16%),
else the clauses around it.
Kinds, first that holds: vision (a deadline after the plan's period, or 远景, 本世纪中叶), literacy (the
clause holds the target the header reader found: the goal carries that same Target), relative
(高于…平均水平, 位居…前列, 先进水平, 缩小…差距), quantitative (:func:`.targets.task_targets` finds a
number), qualitative. A goal's year is its own deadline, else the first one the section states.
"""

from __future__ import annotations

import re

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.records import Goal, GoalKind, PlanRecord, Principle, Span, Target
from sciplan_kg.extract.sections import Part, kinds_named, own_pieces
from sciplan_kg.extract.structure import heading_level
from sciplan_kg.extract.targets import task_targets
from sciplan_kg.read.text import PlanText

_SENTENCE_END = "。;!?"
_RELATIVE = re.compile(
    r"(?:高于|超过|不低于|达到|接近|赶上|优于)[^,;。]{0,16}?(?:平均水平|平均值|水平)|前列|先进水平|领先水平|领先地位|"
    r"(?:排名?|位居|位列|位于|进入)[^,;。]{0,10}?(?:第|前)[一二三四五六七八九十\d]|缩小[^,;。]{0,20}?差距|走在[^,;。]{0,10}?前"
)
_DEADLINE = re.compile(r"(?:到|至|在)\s*((?:19|20)\d{2})\s*年|((?:19|20)\d{2})\s*年(?:底|末)?前")
_VISION_WORDS = re.compile(r"远景|展望|本世纪中叶|长远")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ENUM = re.compile(r"^[一二三四五六七八九十]是\s*[,:]?")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of [start, end): each ends after a 。 ; ! ? outside brackets (a bracket standing
    right after the stop belongs to it), or at ``end``; spaces around them dropped."""
    out: list[tuple[int, int]] = []
    depth = 0
    piece = start
    i = start
    while i < end:
        ch = text[i]
        if ch in "([《“":
            depth += 1
        elif ch in ")]》”":
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END and depth == 0:
            j = i + 1
            while j < end and text[j] in _SENTENCE_END:
                j += 1
            out.append((piece, j))
            piece = i = j
            continue
        i += 1
    if piece < end:
        out.append((piece, end))
    return [t for s, e in out if (t := _trim(text, s, e))[1] > t[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t,;":
        end -= 1
    return start, end


def marker_end(pt: PlanText, start: int, end: int) -> int:
    """Where a line's text starts after its number, bullet or 一是 (``start`` when it has none)."""
    text = pt.folded[start:end]
    hl = heading_level(text)
    if hl:
        at = hl[1]
    elif b := P.BULLET.match(text):
        at = b.end()
    elif e := _ENUM.match(text):
        at = e.end()
    else:
        return start
    while at < len(text) and text[at] in " \t":
        at += 1
    return start + at


# -- principles ---------------------------------------------------------------------------------


def _principle_pieces(pt: PlanText, parts: list[Part]) -> list[list[tuple[int, int]]]:
    """The text of each principles section (without the heading line's own text, an introduction);
    or else, in a section whose title names principles among other kinds (指导思想和基本原则), its
    paragraphs after the first (the guidance) from the first that opens with 坚持 or a number."""
    out: list[list[tuple[int, int]]] = []
    for part in parts:
        if part.section.kind == "principles":
            pieces = own_pieces(pt, part, parts)
            out.append(pieces[1:] if pieces and pieces[0][0] == part.rest else pieces)
    if out:
        return out
    for part in parts:
        if "principles" in kinds_named(part.section.title):
            pieces = [(s, e) for s, e in own_pieces(pt, part, parts) if s != part.rest][1:]
            for k, (s, e) in enumerate(pieces):
                if pt.folded.startswith("坚持", marker_end(pt, s, e)):
                    out.append(pieces[k:])
                    break
    return out


def read_principles(pt: PlanText, rec: PlanRecord, parts: list[Part]) -> None:
    text = pt.folded
    for pieces in _principle_pieces(pt, parts):
        marked = [(s, e, marker_end(pt, s, e)) for s, e in pieces]
        items: list[list[tuple[int, int]]] = []
        if any(m > s for s, _, m in marked):
            for s, e, m in marked:
                if m > s:
                    items.append([(m, e)])
                elif items:
                    items[-1].append((s, e))
        else:
            paragraphs = [(s, e) for s, e in pieces if not text[s:e].rstrip().endswith(":")]
            if len(paragraphs) == 1:
                s, e = paragraphs[0]
                cuts = [a for a, _ in sentences(text, s, e) if text.startswith("坚持", a)]
                if len(cuts) >= 2:
                    cuts[0] = s if not text[s : cuts[0]].strip() else cuts[0]
                    items = [[(a, cuts[k + 1] if k + 1 < len(cuts) else e)] for k, a in enumerate(cuts)]
            if not items:
                items = [[p] for p in paragraphs]
        for item in items:
            s, e = item[0][0], _trim(text, *item[-1])[1]
            if e <= s:
                continue
            first = sentences(text, s, e)[0]
            title_end = first[1]
            while title_end > first[0] and text[title_end - 1] in _SENTENCE_END:
                title_end -= 1
            comma = text.find(",", s, title_end)
            if comma > 0 and text.startswith("坚持", s) and (title_end - s > 30 or first[1] >= e):
                title_end = comma
            rec.principles.append(
                Principle(
                    title=pt.quote(s, title_end).strip(),
                    text=pt.quote(s, e).strip(),
                    span=Span(s, e, pt.line_of(s)),
                )
            )


# -- goals --------------------------------------------------------------------------------------


def _goal_pieces(pt: PlanText, rec: PlanRecord, parts: list[Part]) -> list[tuple[int, int]]:
    """The text of the goals: the goals sections, or else, in a section whose title names goals
    among other kinds (指导思想和目标), from the paragraph of the literacy target or of a deadline."""
    goals = [p for p in parts if p.section.kind == "goals"]
    if goals:
        return [piece for p in goals for piece in own_pieces(pt, p, parts)]
    for p in parts:
        if "goals" in kinds_named(p.section.title):
            pieces = own_pieces(pt, p, parts)
            target = rec.literacy_target
            for k, (s, e) in enumerate(pieces):
                if (target and s <= target.span.start < e) or _DEADLINE.match(pt.folded, s, e):
                    return pieces[k:]
    return []


def read_goals(pt: PlanText, rec: PlanRecord, parts: list[Part]) -> None:
    text = pt.folded
    final = rec.period[1] if rec.period else 2029
    default_year: int | None = None
    for s, e in _goal_pieces(pt, rec, parts):
        hl = heading_level(text[s:e])
        if hl:
            title_end = _title_end(text, s + hl[1], e)
            if kinds_named(text[s + hl[1] : title_end]):
                s = title_end
        marked = marker_end(pt, s, e)
        found = sentences(text, marked, e)
        if marked > s and len(found) > 1 and _is_heading(text, *found[0]):
            found = found[1:]  # ——公民科学素质均衡发展。各乡镇…: the bullet's heading names the goals after it
        for a, b in found:
            deadline = _DEADLINE.search(text, a, b)
            year = int(deadline.group(1) or deadline.group(2)) if deadline else None
            if default_year is None and year is not None and year <= final:
                default_year = year
            later = [int(y) for y in _YEAR.findall(text, a, b) if int(y) > final]
            if later or _VISION_WORDS.search(text, a, b):
                when = year if year and year > final else (later[0] if later else year)
                rec.goals.append(_goal(pt, "vision", a, b, when, task_targets(pt, a, b)))
                continue
            for kind, c, d in _statements(pt, rec.literacy_target, a, b):
                targets: list[Target]
                if kind == "literacy" and rec.literacy_target is not None:
                    targets = [rec.literacy_target]
                    when = rec.literacy_target.year
                else:
                    targets = task_targets(pt, c, d)
                    if kind is None:
                        kind = "quantitative" if targets else "qualitative"
                    when = year or default_year
                rec.goals.append(_goal(pt, kind, c, d, when, targets))


_HEADING_MAX = 20  # characters: a bullet's first sentence this short, with more after it, is its heading


def _is_heading(text: str, start: int, end: int) -> bool:
    """A short first sentence of a numbered or bulleted goal, with no comma or number: the heading
    of the goals that follow (——科学教育、传播与普及长足发展。), not a goal of its own."""
    words = text[start:end].rstrip("。.;；")
    return len(words) <= _HEADING_MAX and not any(c in words for c in ",，:：") and not any(c.isdigit() for c in words)


def _title_end(text: str, start: int, end: int) -> int:
    stop = text.find("。", start, end)
    return end if stop < 0 else stop + 1


def _statements(pt: PlanText, target: Target | None, start: int, end: int) -> list[tuple[GoalKind | None, int, int]]:
    """A sentence's statements: (kind or None for "by its numbers", start, end)."""
    text = pt.folded
    clauses: list[tuple[int, int]] = []
    depth = 0
    piece = start
    for i in range(start, end + 1):
        ch = text[i] if i < end else ","
        if ch in "([《“":
            depth += 1
        elif ch in ")]》”":
            depth = max(0, depth - 1)
        elif (ch == "," and depth == 0) or i == end:
            clauses.append((piece, i))
            piece = i + 1
    marks: list[GoalKind | None] = []
    for s, e in clauses:
        if target is not None and s <= target.span.start < e + 1 and target.span.end <= end:
            marks.append("literacy")
        elif target is not None and target.span.start < s < target.span.end:
            marks.append("literacy")  # a clause inside the target's quote (到2025年, …)
        elif _RELATIVE.search(text, s, e):
            marks.append("relative")
        else:
            marks.append(None)
    if not any(marks):
        return [(None, *_trim(text, start, end))]
    out: list[tuple[GoalKind | None, int, int]] = []
    pending = start  # the first clause not yet in a statement
    for (s, e), mark in zip(clauses, marks, strict=True):
        if mark is None:
            continue
        if out and out[-1][0] == mark and pending == s:
            out[-1] = (mark, out[-1][1], e)  # two clauses of the target's quote
        else:
            out.append((mark, pending, e))
        pending = e + 1
    if pending < end:
        out.append((None, pending, end))
    return [(k, *t) for k, a, b in out if (t := _trim(text, a, b))[1] > t[0]]


def _goal(pt: PlanText, kind: GoalKind, start: int, end: int, year: int | None, targets: list[Target]) -> Goal:
    return Goal(
        kind=kind,
        text=pt.quote(start, end).strip(),
        span=Span(start, end, pt.line_of(start)),
        year=year,
        targets=targets,
    )
