"""Who is responsible: lead (牵头) and support (责任/配合) annotations and their name lists.

The genre writes them as a line of their own (牵头部门：县教体局、科协), a bracket holding both
roles (（牵头部门：区教委；责任部门：…）), a bracket at the end of a paragraph
(〔牵头部门：县科协〕), a per-task bracket (〔县教体局、县科协按职责分工负责〕), or as table cells.
"""

from __future__ import annotations

import re

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.records import AgencyMention, Assignment, Role, Span
from sciplan_kg.read.text import PlanText

_SEPARATORS = "、,;/"
_TRAILING = re.compile(r"(?:等(?:部门|单位|有关部门|相关部门)?|按职责分工(?:负责)?)$")


def role_of(label: str) -> Role:
    return "lead" if label.startswith("牵头") else "support"


def split_names(pt: PlanText, start: int, end: int) -> list[AgencyMention]:
    """Split an agency list at 、，；/ outside brackets; trim 等; keep each name's span."""
    text = pt.folded
    out: list[AgencyMention] = []
    depth = 0
    piece_start = start
    for i in range(start, end + 1):
        ch = text[i] if i < end else ","
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if (ch in _SEPARATORS and depth == 0) or i == end:
            s, e = piece_start, i
            while s < e and text[s] in " \t":
                s += 1
            while e > s and text[e - 1] in " \t。.":
                e -= 1
            trimmed = _TRAILING.search(text, s, e)
            if trimmed and trimmed.start() > s:
                e = trimmed.start()
            if e > s:
                out.append(AgencyMention(written=pt.quote(s, e), span=Span(s, e, pt.line_of(s))))
            piece_start = i + 1
    return out


def _list_end(text: str, start: int, end: int) -> int:
    """Where a labelled list ends: at ';', the next label, or an unbalanced closing bracket."""
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return i
            depth -= 1
        elif ch == ";" and depth == 0:
            return i
        elif depth == 0 and P.LABEL.match(text, i):
            return i
        i += 1
    return end


def labelled(pt: PlanText, start: int, end: int) -> list[Assignment]:
    """Every 'label: list' inside [start, end) of the folded text."""
    out: list[Assignment] = []
    for m in P.LABEL.finditer(pt.folded, start, end):
        list_end = _list_end(pt.folded, m.end(), end)
        mentions = split_names(pt, m.end(), list_end)
        out.append(
            Assignment(
                role=role_of(m.group(1)),
                span=Span(m.start(), list_end, pt.line_of(m.start())),
                mentions=mentions,
            )
        )
    return out


def inline(pt: PlanText, start: int, end: int) -> tuple[list[Assignment], int]:
    """Bracketed annotations inside a paragraph. Returns them and where the paragraph's own
    text ends (before the first annotation bracket)."""
    text = pt.folded
    found: list[Assignment] = []
    cut = end
    covered = start
    for m in P.INLINE_LABELLED.finditer(text, start, end):
        if m.start() < covered:
            continue  # inside the annotation just read
        close = _closing(text, m.start(), end)
        found.extend(labelled(pt, m.start() + 1, close))
        cut = min(cut, m.start())
        covered = close
    for m in P.INLINE_DUTY.finditer(text, start, end):
        mentions = split_names(pt, m.start(1), m.end(1))
        found.append(Assignment("support", Span(m.start(), m.end(), pt.line_of(m.start())), mentions))
        cut = min(cut, m.start())
    found.sort(key=lambda a: a.span.start)
    return found, cut


ANNOTATION_REACH = 600  # an annotation bracket closes within this many characters, or is cut there


def _closing(text: str, open_at: int, end: int) -> int:
    """The bracket closing the one at ``open_at``; looked for within ANNOTATION_REACH only, so a
    line of unclosed brackets costs linear time."""
    depth = 0
    end = min(end, open_at + ANNOTATION_REACH)
    for i in range(open_at, end):
        if text[i] in "([":
            depth += 1
        elif text[i] in ")]":
            depth -= 1
            if depth == 0:
                return i
    return end


def is_annotation_line(text: str) -> bool:
    return bool(P.ANNOTATION_LINE.match(text))
