"""A plan's text as a page: every line numbered (id ``L12``, a link to itself), every task's
words marked (id = the task's anchor, a badge before it linking to the task on the plan page,
tasks alternately tinted and ruled apart so two adjacent tasks never read as one), every
measure title marked, and every responsibility statement (the agency names a 牵头/配合 line,
bracket or sentence gives) marked as a link to the agency's page (id ``m-<statement>``, which
the plan and agency pages link to).

Spans come from the graph (character offsets into the source text, which the build keeps in
``sources/``). The page is cut at every span boundary and line end, so marks nest properly
whatever their overlap: a task's mark is split into pieces, the first carrying its id.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

from sciplan_kg.publish.report.data import Corpus, Plan

ROLE_ZH = {"lead": "牵头", "support": "配合"}


@dataclass
class Span:
    start: int
    end: int
    kind: str  # task | measure | mention
    ident: str
    label: str = ""
    href: str = ""
    css: str = ""
    title: str = ""


def mention_id(iri: str) -> str:
    """The id of a responsibility statement's mark: m-action-1-task-2-lead-kexie."""
    tail = iri.split("/plan/", 1)[-1].split("/", 1)[-1]
    return "m-" + tail.replace("/", "-")


def spans(corpus: Corpus, plan: Plan) -> list[Span]:
    out: list[Span] = []
    tasks = []
    for m in plan.measures:
        if m.start is not None and m.end is not None:
            out.append(Span(int(m.start), int(m.end), "measure", m.anchor, css="measure"))
        tasks.extend((int(t.start), m, t) for t in m.tasks if t.start is not None and t.end is not None)
    # tints alternate in the text's order (an annex table may list a measure's tasks apart)
    for parity, (start, m, t) in enumerate(sorted(tasks, key=lambda x: x[0])):
        out.append(
            Span(
                start,
                int(t.end),  # type: ignore[arg-type]
                "task",
                t.anchor,
                label=f"{m.kind_zh}{m.no}·{t.no}",
                href=f"../plans/{plan.stem}.html#task-{t.anchor}",
                css=f"task t{parity % 2}",
                title=f"{m.kind_zh} {m.no} 任务 {t.no} / {m.kind_en} {m.no} task {t.no}",
            )
        )
    for s in plan.mentions:
        if s.start is None or s.end is None:
            continue
        a = corpus.agencies.get(s.agency)
        out.append(
            Span(
                int(s.start),
                int(s.end),
                "mention",
                mention_id(s.iri),
                href=f"../agencies/{a.key}.html" if a else "",
                css=f"resp {s.role}",
                title=f"{ROLE_ZH[s.role]} {s.role}: {a.name if a else s.written}",
            )
        )
    return out


def render(text: str, marks: list[Span]) -> str:
    """The text as lines with numbers, the marks laid over it."""
    by_kind: dict[str, list[Span]] = {"measure": [], "task": [], "mention": []}
    for s in sorted(marks, key=lambda s: (s.start, -s.end)):
        kept = by_kind[s.kind]
        if kept and s.start < kept[-1].end:
            continue  # overlapping spans of one kind: the first keeps its mark
        if s.end > s.start:
            kept.append(s)
    cuts = {0, len(text)}
    for kept in by_kind.values():
        for s in kept:
            cuts.update((min(s.start, len(text)), min(s.end, len(text))))
    cuts.update(i + 1 for i, ch in enumerate(text) if ch == "\n")
    points = sorted(cuts)
    cursor = {k: 0 for k in by_kind}
    opened: set[str] = set()

    def active(kind: str, at: int) -> Span | None:
        kept = by_kind[kind]
        while cursor[kind] < len(kept) and kept[cursor[kind]].end <= at:
            cursor[kind] += 1
        if cursor[kind] < len(kept) and kept[cursor[kind]].start <= at:
            return kept[cursor[kind]]
        return None

    line = 1
    out = [_number(line)]
    for a, b in itertools.pairwise(points):
        piece = text[a:b]
        newline = piece.endswith("\n")
        body = html.escape(piece.rstrip("\n"))
        if body:
            mention, task, measure = active("mention", a), active("task", a), active("measure", a)
            if mention is not None:
                first = mention.ident not in opened
                opened.add(mention.ident)
                ident = f' id="{mention.ident}"' if first else ""
                tag = "a" if mention.href else "span"
                href = f' href="{mention.href}"' if mention.href else ""
                body = f'<{tag} class="{mention.css}"{ident}{href} title="{html.escape(mention.title)}">{body}</{tag}>'
            if measure is not None:
                first = measure.ident not in opened
                opened.add(measure.ident)
                ident = f' id="{measure.ident}"' if first else ""
                body = f'<span class="measure"{ident}>{body}</span>'
            if task is not None:
                first = task.ident not in opened
                opened.add(task.ident)
                if first:
                    badge = f'<a class="tno" href="{task.href}" title="{html.escape(task.title)}">{task.label}</a>'
                    body = f'{badge}<mark class="{task.css} first" id="{task.ident}">{body}</mark>'
                else:
                    body = f'<mark class="{task.css}">{body}</mark>'
            out.append(body)
        if newline:
            line += 1
            out.append("\n" + _number(line))
    return "".join(out)


def _number(line: int) -> str:
    return f'<a class="ln" id="L{line}" href="#L{line}">{line}</a>'
