"""Per-plan coverage: what extraction found and what it could not, and a check of every span.

Computed in the build (the plan text is at hand there) and written to ``coverage.json``;
``sciplan-kg coverage`` prints it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rdflib import Graph

from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.rdf.namespaces import OA, SK
from sciplan_kg.rdf.triples import Triples

COLUMNS = (
    "file",
    "place",
    "measures",
    "tasks",
    "tasksStatedLead",
    "tasksWithLead",
    "tasksWithTargets",
    "targets",
    "agencies",
    "unresolvedNames",
    "spans",
    "spansVerified",
    "warnings",
)


@dataclass
class Coverage:
    file: str
    place: str
    measures: int
    tasks: int
    tasksStatedLead: int
    tasksWithLead: int
    tasksWithTargets: int
    targets: int
    agencies: int
    unresolvedNames: int
    spans: int
    spansVerified: int
    warnings: int

    def row(self) -> dict[str, str | int]:
        return asdict(self)


def verify_spans(g: Graph | Triples, text: str) -> tuple[int, int]:
    """(spans, spans whose quote is exactly the text at their offsets). A section's extent
    (``sk:extent``: where it runs, a position without a quote) is no quoting span and not counted.

    Read from the plan's index (``rdf.triples``): through rdflib's lookups this took a tenth
    of a plan's build."""
    t = g if isinstance(g, Triples) else Triples(g)
    has_selector, exact = OA.hasSelector, OA.exact
    extents = t.pos.get(SK.extent, {})
    total = verified = 0
    selector = OA.TextPositionSelector
    for position in [s for by_o in t.pos.values() for s in by_o.get(selector, ())]:  # any predicate
        span = t.subject(has_selector, position)
        if span in extents:
            continue
        total += 1
        start, end = t.value(position, OA.start), t.value(position, OA.end)
        quotes = [q for s in t.objects(span, has_selector) if (q := t.value(s, exact)) is not None]
        if start is not None and end is not None and quotes and str(quotes[0]) == text[int(start) : int(end)]:
            verified += 1
    return total, verified


def coverage(rec: PlanRecord, g: Graph | Triples, text: str) -> Coverage:
    tasks = rec.tasks()
    spans, verified = verify_spans(g, text)

    def has_lead(assignments: list) -> bool:
        return any(a.role == "lead" and a.mentions for a in assignments)

    return Coverage(
        file=rec.source,
        place=rec.place or "",
        measures=len(rec.measures),
        tasks=len(tasks),
        tasksStatedLead=sum(1 for _, t in tasks if has_lead(t.assignments)),
        tasksWithLead=sum(1 for m, t in tasks if has_lead(t.assignments) or has_lead(m.assignments)),
        tasksWithTargets=sum(1 for _, t in tasks if t.targets),
        targets=sum(len(t.targets) for _, t in tasks) + (1 if rec.literacy_target else 0) + (1 if rec.baseline else 0),
        agencies=len(rec.agencies),
        unresolvedNames=sum(1 for a in rec.agencies if not a.registered),
        spans=spans,
        spansVerified=verified,
        warnings=len(rec.warnings),
    )
