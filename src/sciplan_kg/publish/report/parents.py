"""A child plan beside its parent (issue 19, item 1): ``parents/<stem>.html`` for every plan whose
parent plan is in the corpus (``corpus.parents``, graph/parents.ttl).

Each task of the child stands beside the parent's closest task (catalogue query
``parent-task-match``) with its class (copied, adapted, new) and score, the two texts side by side
with the differences marked character by character: ``difflib.SequenceMatcher`` (no junk
heuristic, so the marks are the exact edit script) cuts the pair into equal, removed and added
runs; what the parent says and the child does not is ``<del>`` in the parent's column, what the
child adds is ``<ins>`` in the child's. Above, the shares of copied, adapted and new tasks per
measure and for the whole plan (catalogue query ``parent-diffusion``, its per-measure rows; the
plan's line is their sum).

A task of the child is new when its closest parent task shares less than half its wording; the
page still shows that closest task, with its low score, so a reader can judge.
"""

from __future__ import annotations

import difflib
import functools
import html
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sciplan_kg.publish.report.data import Corpus, Plan, Task, anchor

Row = dict[str, Any]
COMPARED = ("parent-task-match", "parent-diffusion")  # the answers ``sections`` reads, in its order
CLASSES = {"copied": ("照抄", "copied"), "adapted": ("改写", "adapted"), "new": ("新增", "new")}


def diff_html(parent: str, child: str) -> tuple[str, str]:
    """The parent's and the child's text as HTML (escaped), the parent's with what the child
    leaves out in ``<del>``, the child's with what it adds in ``<ins>``."""
    a, b = [], []
    matcher = difflib.SequenceMatcher(None, parent, child, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = html.escape(parent[i1:i2]), html.escape(child[j1:j2])
        if op == "equal":
            a.append(old)
            b.append(new)
            continue
        if old:
            a.append(f"<del>{old}</del>")
        if new:
            b.append(f"<ins>{new}</ins>")
    return "".join(a), "".join(b)


@dataclass
class Pair:
    """A child task and the parent's closest task."""

    task: Task
    label: str  # 提升行动1·2
    parent_task: str  # IRI, "" when the parent has no tasks
    parent_label: str
    parent_anchor: str
    score: float
    cls: str  # copied | adapted | new
    parent_text: str

    @property
    def cls_zh(self) -> str:
        return CLASSES.get(self.cls, (self.cls, self.cls))[0]

    @functools.cached_property
    def _diff(self) -> tuple[str, str]:
        # made when the page is written (the report's workers write the pages side by side)
        return diff_html(self.parent_text, self.task.text)

    @property
    def parent_html(self) -> str:
        return self._diff[0]

    @property
    def child_html(self) -> str:
        return self._diff[1]


@dataclass
class Share:
    """Copied, adapted and new tasks of one measure (or of the whole plan)."""

    title: str
    anchor: str  # the measure's anchor on the child's plan page ("" for the plan's line)
    tasks: int
    copied: int
    adapted: int
    new: int

    def percent(self, n: int) -> str:
        return f"{100 * n / self.tasks:.1f}" if self.tasks else "—"


@dataclass
class ParentSection:
    parent: str  # IRI
    place: str
    stem: str  # the parent's page, "" when it is no plan of the corpus
    shares: list[Share]
    total: Share
    pairs: list[Pair] = field(default_factory=list)


def _labels(corpus: Corpus) -> dict[str, tuple[Plan, str]]:
    out = {}
    for p in corpus.plans:
        for m in p.measures:
            for t in m.tasks:
                out[t.iri] = (p, f"{m.kind_zh}{m.no}·{t.no}")
    return out


def sections(corpus: Corpus, matches: list[Row], diffusion: list[Row]) -> dict[str, list[ParentSection]]:
    """The comparison of each child plan with each of its parents in the corpus, by child IRI."""
    labels = _labels(corpus)
    tasks = {t.iri: t for p in corpus.plans for t in p.tasks}
    stems = {p.iri: p.stem for p in corpus.plans}
    places = {p.iri: p.place for p in corpus.plans}
    shares: dict[tuple[str, str], list[Share]] = defaultdict(list)
    for r in diffusion:
        if r.get("scope") != "measure" or not r.get("measure"):
            continue
        shares[(str(r["plan"]), str(r["parent"]))].append(
            Share(
                str(r.get("title") or ""),
                anchor(str(r["measure"])),
                int(r["tasks"] or 0),
                int(r["copied"] or 0),
                int(r["adapted"] or 0),
                int(r["new"] or 0),
            )
        )
    out: dict[str, dict[str, ParentSection]] = defaultdict(dict)
    for r in matches:
        child, parent, iri = str(r["plan"]), str(r["parent"]), str(r["task"])
        task = tasks.get(iri)
        if task is None:
            continue
        by_parent = out[child]
        if parent not in by_parent:
            rows = sorted(shares.get((child, parent), []), key=lambda s: _measure_order(corpus, child, s.anchor))
            total = Share(
                "全部任务 all tasks",
                "",
                sum(s.tasks for s in rows),
                sum(s.copied for s in rows),
                sum(s.adapted for s in rows),
                sum(s.new for s in rows),
            )
            place = places.get(parent) or str(r.get("parentPlace") or "") or parent.rsplit("/", 1)[-1]
            by_parent[parent] = ParentSection(parent, place, stems.get(parent, ""), rows, total)
        parent_task = str(r.get("parentTask") or "")
        parent_text = str(r.get("parentText") or "")
        known = tasks.get(parent_task)
        if known is not None and known.text == parent_text:
            parent_text = known.text  # one string for the parent's task, not one per child's pair
        by_parent[parent].pairs.append(
            Pair(
                task=task,
                label=labels.get(iri, (None, ""))[1],
                parent_task=parent_task,
                parent_label=labels.get(parent_task, (None, ""))[1],
                parent_anchor=anchor(parent_task) if parent_task else "",
                score=float(str(r["score"])),
                cls=str(r["matchClass"]),
                parent_text=parent_text,
            )
        )
    result: dict[str, list[ParentSection]] = {}
    for child, by_parent in sorted(out.items()):
        order = {t.iri: i for i, t in enumerate(corpus.plan_of(child).tasks)}
        for s in by_parent.values():
            s.pairs.sort(key=lambda x: order.get(x.task.iri, len(order)))
        result[child] = sorted(by_parent.values(), key=lambda s: (s.place, s.parent))
    return result


def _measure_order(corpus: Corpus, plan: str, measure_anchor: str) -> tuple[int, str]:
    measures = [m.anchor for m in corpus.plan_of(plan).measures]
    return (measures.index(measure_anchor) if measure_anchor in measures else len(measures), measure_anchor)


def children(found: dict[str, list[ParentSection]]) -> dict[str, list[str]]:
    """The child plans of each parent plan, by the parent's IRI."""
    out: dict[str, list[str]] = defaultdict(list)
    for child, secs in found.items():
        for s in secs:
            out[s.parent].append(child)
    return {k: sorted(v) for k, v in out.items()}
