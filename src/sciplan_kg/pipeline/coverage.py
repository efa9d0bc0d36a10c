"""Per-plan coverage: what extraction found and what it could not, and a check of every span:
that the characters it points to hold the facts it is cited for (``span_failures``).

Computed in the build (the plan text is at hand there) and written to ``coverage.json``;
``sciplan-kg coverage`` prints it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from sciplan_kg.extract.header import dates_in
from sciplan_kg.extract.patterns import cn_number
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.extract.targets import cn_value
from sciplan_kg.rdf.namespaces import ELI, OA, SK
from sciplan_kg.rdf.triples import Triples
from sciplan_kg.read.text import INVISIBLE, fold

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


# what extraction leaves out of a fact it reads from the text: whitespace (a line break joined,
# indentation, 　) and the invisible characters it removes (科\u200b协 is 科协)
_LEFT_OUT = re.compile("[\\s" + "".join(sorted(INVISIBLE)) + "]+")
_TITLE_MARKS = re.compile("[《》〈〉]")  # a title's 书名号 are not part of the title (…实施方案》（2021—2025年）)
_ARABIC = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?")
_CHINESE = re.compile("[〇零一二两三四五六七八九十百千万亿点]+")


@dataclass(frozen=True)
class SpanFailure:
    """A quoting span that does not hold what it is cited for: ``what`` failed (``quote``: the
    quote is not the text at the offsets, or they are out of the text; else the fact, such as
    ``sk:text`` or ``sk:writtenAs``), ``value`` the fact, ``chars`` the characters there."""

    span: str
    what: str
    value: str
    chars: str


def _bare(text: str) -> str:
    return _LEFT_OUT.sub("", fold(text))


def _numbers(chars: str) -> set[Decimal]:
    """Every number written in ``chars`` (folded): 3000, 1.2万 (12000), 两, 十, 三万, 一点五 (Chinese
    numerals, read as the extraction reads them: ``targets.cn_value``)."""
    out: set[Decimal] = set()
    for m in _ARABIC.finditer(chars):
        n = m.group(0)
        scale = {"万": 10_000, "亿": 100_000_000}.get(n[-1], 1)
        value = Decimal(n.rstrip("万亿"))
        out.update((value, value * scale))
    for m in _CHINESE.finditer(chars):
        run = m.group(0).replace("两", "二")
        for whole in (cn_value(run), cn_number(run.replace("点", ""))):
            if whole is not None:
                out.add(Decimal(str(whole)).normalize())
        out.update(Decimal(v) for c in run if (v := cn_number(c)) is not None)
    return out


def _holds(chars: str, bare: str, value: Node, what: str, t: Triples) -> bool:
    """Whether ``chars`` (a span's characters; ``bare``: without what extraction leaves out) hold
    the fact ``value``, with what extraction leaves out of a fact left out of both."""
    if isinstance(value, Literal) and value.datatype == XSD.date:
        return str(value) in dates_in(fold(_LEFT_OUT.sub("", chars)))
    if what == "sk:value":
        return Decimal(str(value)) in _numbers(bare)
    if what == "eli:title":
        return _TITLE_MARKS.sub("", _bare(str(value))) in _TITLE_MARKS.sub("", bare)
    if isinstance(value, URIRef):  # a stated fact's body: its Chinese name
        names = [o for o in t.objects(value, RDFS.label) if isinstance(o, Literal) and o.language == "zh"]
        return any(_bare(str(n)) in bare for n in names)
    return _bare(str(value)) in bare


# the facts read from a span's characters, by the item stated there: (predicate, its name)
_FACTS = (
    (SK.text, "sk:text"),
    (SK.writtenAs, "sk:writtenAs"),
    (SK.quote, "sk:quote"),
    (SK.value, "sk:value"),
    (ELI.title, "eli:title"),
)
# … and the items whose label is read there too (a task's heading, a measure's or section's title,
# a principle's or phase's name)
_LABELLED = (SK.Task, SK.Action, SK.Project, SK.Section, SK.Principle, SK.Phase)


def _facts(t: Triples, item: Node) -> list[tuple[str, Node]]:
    out = [(name, o) for p, name in _FACTS for o in t.objects(item, p)]
    types = set(t.objects(item, RDF.type))
    if any(c in types for c in _LABELLED):
        out += [("rdfs:label", o) for o in t.objects(item, RDFS.label) if isinstance(o, Literal) and o.language == "zh"]
    if SK.StatedFact in types and not any(t.objects(item, SK.writtenAs)):
        out += [("rdf:object", o) for o in t.objects(item, RDF.object)]  # a cited document: its written form
    return out


def span_failures(g: Graph | Triples, text: str) -> tuple[int, list[SpanFailure]]:
    """(quoting spans, the failures among them). A span holds when its quote is the text at its
    offsets and every fact of the item derived from it is in those characters: a task's or
    item's text and heading, a written name, a target's quote and number, a plan's title, a
    header fact's value (a date in any of the genre's forms). A body sentence restating a task
    (``sk:restatedAt``) says it in other words: its quote is checked, not the task's text. A
    section's extent (``sk:extent``: where it runs, a position without a quote) is no quoting
    span and not counted.

    Read from the plan's index (``rdf.triples``): through rdflib's lookups this took a tenth
    of a plan's build."""
    t = g if isinstance(g, Triples) else Triples(g)
    has_selector, exact = OA.hasSelector, OA.exact
    extents = t.pos.get(SK.extent, {})
    total = 0
    failures: list[SpanFailure] = []
    selector = OA.TextPositionSelector
    for position in [s for by_o in t.pos.values() for s in by_o.get(selector, ())]:  # any predicate
        span = t.subject(has_selector, position)
        if span is None or span in extents:
            continue
        total += 1
        start, end = t.value(position, OA.start), t.value(position, OA.end)
        quotes = [q for s in t.objects(span, has_selector) if (q := t.value(s, exact)) is not None]
        ok = start is not None and end is not None and 0 <= int(start) <= int(end) <= len(text)
        chars = text[int(start) : int(end)] if ok and start is not None and end is not None else ""
        if not ok or not quotes or str(quotes[0]) != chars:
            failures.append(SpanFailure(str(span), "quote", str(quotes[0]) if quotes else "", chars))
            continue
        bare = _bare(chars)
        for item in t.subjects(PROV.wasDerivedFrom, span):
            for what, value in _facts(t, item):
                if not _holds(chars, bare, value, what, t):
                    failures.append(SpanFailure(str(span), what, str(value), chars))
                    break
            else:
                continue
            break
    return total, failures


def verify_spans(g: Graph | Triples, text: str) -> tuple[int, int]:
    """(quoting spans, spans verified: those holding what they are cited for, ``span_failures``)."""
    total, failures = span_failures(g, text)
    return total, total - len(failures)


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
