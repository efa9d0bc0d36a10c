"""Scoring one plan's resolved records (``records/<stem>.json`` of a build folder) against its
gold file: true positives, false positives and false negatives per field, and every
disagreement with the line it is about.

What an item is, per field:

* header fields, one item per plan each (gold ``""`` = absent): ``doc_number`` (compared by
  ``resolve.registry.number_key``), ``issuer`` and ``place`` (``name_key``: folded, no
  whitespace), ``issued``, ``published`` (the records have no ``published`` yet: it is absent on
  the build's side, so every gold date is missing), ``title`` (``read.text.title_key``), ``level``,
  ``period``, ``literacy_target`` (value, comparator, year). Gold absent and build present is a
  false positive; both present and different one false positive and one false negative (one
  "wrong" line); both absent is not counted. ``directives`` is a set per plan: the number of each
  document (``number_key``), or its title (``title_key``) when it has none.
* ``measures``: (kind, no, title_key(title)).
* ``tasks``: a gold task matches the build task of the same measure ("<kind> <no>") whose text,
  folded and with all whitespace removed, starts with the gold ``starts`` (likewise); each build
  task matches at most one gold task, first come in the gold file's order.
* ``leads`` / ``supports``: (task, agency) over effective assignments: a task's own lead
  mentions when it has any, else its measure's; supports likewise, then supports minus leads.
  A build mention's agency is its resolved ``agency``; a gold name is resolved as the build
  resolves (``Registry.match_agency`` in the record's jurisdiction, else ``name_key``), so spelling
  variants of one agency agree and a fake name (县科协牵头) does not. The task is the matched pair;
  the items of an unmatched task are all false negatives (gold) or false positives (build).
* ``targets``: (task, value, unit), a multiset; 3万人次 and 30000 人次 are one item.
* the parts of the plan beyond its measures (issue 18: ``PART_FIELDS``, judged only for a gold
  file labelled for them, ``GoldPlan.parts``) are compared in ``evaluation.parts``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from sciplan_kg.evaluation.gold import GoldPlan, GoldTask
from sciplan_kg.extract.patterns import DOC_NUMBER_LOOSE
from sciplan_kg.read.text import fold, title_key
from sciplan_kg.resolve.registry import Registry, level_char, name_key, number_key

HEADER_FIELDS = (
    "doc_number",
    "issuer",
    "issued",
    "published",
    "title",
    "place",
    "level",
    "period",
    "literacy_target",
    "directives",
)
ITEM_FIELDS = ("measures", "tasks", "leads", "supports", "targets")
# issue 18 (evaluation.parts): the plan's sections, principles, goals, safeguard commitments and
# phases; what targets count, where and how often; the population groups tasks name
PART_FIELDS = (
    "sections",
    "principles",
    "goals",
    "commitments",
    "commitment_kinds",
    "commitment_agencies",
    "chairs",
    "commitment_targets",
    "phases",
    "indicators",
    "scopes",
    "frequencies",
    "groups",
)
FIELDS = HEADER_FIELDS + ITEM_FIELDS + PART_FIELDS
HEADER = "header"  # the row over every header field
ROWS = (*HEADER_FIELDS, HEADER, *ITEM_FIELDS, *PART_FIELDS)
TASK_CHARS = 20  # how much of a task's text a disagreement shows

Kind = Literal["missing", "extra", "wrong"]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def items(self) -> int:
        return self.tp + self.fp + self.fn

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was claimed."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Disagreement:
    """One item the gold and the build do not agree on."""

    stem: str
    line: int | None  # 1-based line in the plan file; None when neither side says where
    field: str
    kind: Kind
    what: str
    task: str | None = None  # the first characters of the task (or the item ``of`` names) it belongs to
    of: str = "task"  # what ``task`` is the start of: task, commitment, goal, target

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.stem, self.line or 0, FIELDS.index(self.field), self.kind, self.what, self.task or "")

    def text(self) -> str:
        line = "-" if self.line is None else str(self.line)
        task = f'  ({self.of} "{self.task}")' if self.task is not None else ""
        return f"{self.stem}:{line}  {self.field}  {self.kind}  {self.what}{task}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stem": self.stem,
            "line": self.line,
            "field": self.field,
            "kind": self.kind,
            "what": self.what,
            "task": self.task,
            "of": self.of if self.task is not None else None,
        }


@dataclass
class PlanScore:
    """One plan's counts per field (``FIELDS``) and its disagreements."""

    stem: str
    gold: str  # the gold file
    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    disagreements: list[Disagreement] = field(default_factory=list)
    parts: bool = False  # the gold labels the plan's parts (issue 18): PART_FIELDS are judged

    def row(self, name: str) -> Counts:
        """A field's counts, or the sum over the header fields for ``header``."""
        if name != HEADER:
            return self.counts[name]
        total = Counts()
        for f in HEADER_FIELDS:
            total.add(self.counts[f])
        return total


# -- normal forms -------------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """Folded, all whitespace removed: how task texts and ``starts`` are compared."""
    return re.sub(r"\s+", "", fold(text))


def directive_key(text: str) -> tuple[str, str]:
    """A gold directive: by number when it reads as a document number (国发〔2021〕9号), else by title."""
    if DOC_NUMBER_LOOSE.fullmatch(squeeze(text)):
        return ("number", number_key(text))
    return ("title", title_key(text))


def target_key(value: float, unit: str) -> tuple[float, str]:
    """(value, unit) with a 万 unit written out: (2, 万册) and (20000, 册) are one target."""
    if len(unit) > 1 and unit.startswith("万"):
        value, unit = value * 10000, unit[1:]
    return (round(float(value), 6), unit)


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _line(span: Any) -> int | None:
    return span.get("line") if isinstance(span, dict) else None


def line_in(text: str | None, value: str) -> int | None:
    """The line where ``value`` is first printed in the plan's text (folded, whitespace ignored
    within lines), for a gold value the build did not find."""
    if not text or not value:
        return None
    needle = squeeze(value)
    for no, line in enumerate(text.splitlines(), 1):
        if needle and needle in squeeze(line):
            return no
    return None


# -- one plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One side's item: what is shown for it, and the line it is about."""

    shown: str
    line: int | None


class PlanComparison:
    """Compare one gold plan with the resolved record of the same plan."""

    def __init__(self, gold: GoldPlan, record: dict[str, Any], registry: Registry, text: str | None = None) -> None:
        self.gold = gold
        self.rec = record
        self.reg = registry
        self.text = text
        self.level_char = level_char(record.get("place"), record.get("level"))
        self.score = PlanScore(gold.stem, str(gold.path), parts=gold.parts)

    def run(self) -> PlanScore:
        self.header()
        self.directives()
        self.measures()
        pairs, gold_only, build_only = self.tasks()
        self.assignments(pairs, gold_only, build_only)
        self.targets(pairs, gold_only, build_only)
        if self.gold.parts:
            from sciplan_kg.evaluation.parts import PartsComparison  # parts builds on this module

            PartsComparison(self, pairs, gold_only, build_only).run()
        return self.score

    # -- bookkeeping ----------------------------------------------------------------------------
    def note(
        self, name: str, kind: Kind, what: str, line: int | None, task: str | None = None, of: str = "task"
    ) -> None:
        counts = self.score.counts[name]
        if kind == "missing":
            counts.fn += 1
        elif kind == "extra":
            counts.fp += 1
        else:
            counts.fn += 1
            counts.fp += 1
        self.score.disagreements.append(Disagreement(self.gold.stem, line, name, kind, what, task, of))

    def sets(
        self,
        name: str,
        gold: dict[Any, _Item],
        build: dict[Any, _Item],
        task: str | None = None,
        of: str = "task",
    ) -> None:
        """Score two sets of items keyed alike."""
        self.score.counts[name].tp += len(gold.keys() & build.keys())
        for key in sorted(gold.keys() - build.keys(), key=repr):
            self.note(name, "missing", gold[key].shown, gold[key].line, task, of)
        for key in sorted(build.keys() - gold.keys(), key=repr):
            self.note(name, "extra", build[key].shown, build[key].line, task, of)

    # -- header ---------------------------------------------------------------------------------
    def header(self) -> None:
        g, r = self.gold.header, self.rec
        target = r.get("literacy_target") if isinstance(r.get("literacy_target"), dict) else None
        period = r.get("period")
        fields: list[tuple[str, Any, Any, str, str, int | None]] = []  # name, gold key, build key, shown…

        def text_field(name: str, key: Any, span: str | None) -> None:
            gv, bv = g[name] or "", str(r.get(name) or "").strip()
            fields.append((name, key(gv) if gv else None, key(bv) if bv else None, gv, bv, _line(r.get(span or ""))))

        text_field("doc_number", number_key, "doc_number_span")
        text_field("issuer", name_key, "issuer_span")
        text_field("issued", str, "issued_span")
        text_field("published", str, "published_span")  # not in the records yet: absent on the build's side
        text_field("title", title_key, "title_span")
        text_field("place", name_key, None)
        text_field("level", str, None)
        gp = g["period"]
        bp = tuple(period) if isinstance(period, list | tuple) and len(period) == 2 else None
        fields.append(("period", gp, bp, _period_text(gp), _period_text(bp), None))
        gt = g["literacy_target"]
        bt = (float(target["value"]), target.get("comparator"), target.get("year")) if target else None
        fields.append(
            (
                "literacy_target",
                _target_tuple(gt),
                _target_tuple(bt),
                _literacy_text(gt),
                _literacy_text(bt),
                _line(target.get("span")) if target else None,
            )
        )
        for name, gk, bk, gs, bs, line in fields:
            if gk is None and bk is None:
                continue
            if gk == bk:
                self.score.counts[name].tp += 1
            elif bk is None:
                self.note(name, "missing", gs, line_in(self.text, gs) if isinstance(gs, str) else None)
            elif gk is None:
                self.note(name, "extra", bs, line)
            else:
                self.note(name, "wrong", f"gold {gs} ≠ build {bs}", line)

    def directives(self) -> None:
        gold: dict[Any, _Item] = {}
        for d in self.gold.header["directives"]:
            gold.setdefault(directive_key(d), _Item(d, line_in(self.text, d)))
        build: dict[Any, _Item] = {}
        for ref in self.rec.get("directives") or []:
            number, title = (ref.get("number") or "").strip(), (ref.get("title") or "").strip()
            if number:
                build.setdefault(("number", number_key(number)), _Item(number, _line(ref.get("span"))))
            elif title:
                build.setdefault(("title", title_key(title)), _Item(title, _line(ref.get("span"))))
        self.sets("directives", gold, build)

    # -- body -----------------------------------------------------------------------------------
    def measures(self) -> None:
        gold = {
            (m.kind, m.no, title_key(m.title)): _Item(f"{m.kind} {m.no} {m.title}", m.line) for m in self.gold.measures
        }
        build: dict[Any, _Item] = {}
        for m in self.rec.get("measures") or []:
            key = (m.get("kind"), m.get("no"), title_key(m.get("title") or ""))
            build.setdefault(key, _Item(f"{m.get('kind')} {m.get('no')} {m.get('title')}", _line(m.get("span"))))
        self.sets("measures", gold, build)

    def tasks(self) -> tuple[list[tuple[GoldTask, Any, Any]], list[GoldTask], list[tuple[Any, Any]]]:
        """Match gold tasks to build tasks: (pairs (gold, build measure, build task), gold
        tasks unmatched, build (measure, task)s unmatched)."""
        by_measure: dict[str, list[tuple[Any, Any]]] = {}
        for m in self.rec.get("measures") or []:
            for t in m.get("tasks") or []:
                by_measure.setdefault(f"{m.get('kind')} {m.get('no')}", []).append((m, t))
        used: set[int] = set()
        pairs: list[tuple[GoldTask, Any, Any]] = []
        gold_only: list[GoldTask] = []
        for g in self.gold.tasks:
            start = squeeze(g.starts)
            for m, t in by_measure.get(g.measure, []):
                if id(t) not in used and squeeze(t.get("text") or t.get("title") or "").startswith(start):
                    used.add(id(t))
                    pairs.append((g, m, t))
                    self.score.counts["tasks"].tp += 1
                    break
            else:
                gold_only.append(g)
                self.note("tasks", "missing", f"{g.measure} task {g.no}", g.line, _gold_task(g))
        build_only = [(m, t) for ts in by_measure.values() for m, t in ts if id(t) not in used]
        for m, t in build_only:
            what = f"{m.get('kind')} {m.get('no')} task {t.get('no')}"
            self.note("tasks", "extra", what, _line(t.get("span")), _build_task(t))
        return pairs, gold_only, build_only

    def resolve(self, name: str) -> str:
        tpl = self.reg.match_agency(name, self.level_char)
        return tpl.key if tpl is not None else name_key(name)

    def gold_agencies(self, task: GoldTask) -> dict[str, dict[Any, _Item]]:
        lead: dict[Any, _Item] = {}
        for name in task.lead:
            lead.setdefault(self.resolve(name), _Item(name, task.line))
        support: dict[Any, _Item] = {}
        for name in task.support:
            key = self.resolve(name)
            if key not in lead:
                support.setdefault(key, _Item(name, task.line))
        return {"leads": _shown_with_keys(lead), "supports": _shown_with_keys(support)}

    def build_agencies(self, measure: Any, task: Any) -> dict[str, dict[Any, _Item]]:
        def effective(role: str) -> dict[Any, _Item]:
            out: dict[Any, _Item] = {}
            for holder in (task, measure):
                mentions = [
                    mention
                    for a in holder.get("assignments") or []
                    if a.get("role") == role
                    for mention in a.get("mentions") or []
                ]
                if mentions:
                    for mention in mentions:
                        written = mention.get("written") or ""
                        key = mention.get("agency") or name_key(written)
                        out.setdefault(key, _Item(written, _line(mention.get("span"))))
                    break
            return out

        lead = effective("lead")
        support = {k: v for k, v in effective("support").items() if k not in lead}
        return {"leads": _shown_with_keys(lead), "supports": _shown_with_keys(support)}

    def assignments(
        self, pairs: list[tuple[GoldTask, Any, Any]], gold_only: list[GoldTask], build_only: list[tuple[Any, Any]]
    ) -> None:
        for g, m, t in pairs:
            gold, build = self.gold_agencies(g), self.build_agencies(m, t)
            for name in ("leads", "supports"):
                self.sets(name, gold[name], build[name], _build_task(t))
        for g in gold_only:
            for name, items in self.gold_agencies(g).items():
                self.sets(name, items, {}, _gold_task(g))
        for m, t in build_only:
            for name, items in self.build_agencies(m, t).items():
                self.sets(name, {}, items, _build_task(t))

    def targets(
        self, pairs: list[tuple[GoldTask, Any, Any]], gold_only: list[GoldTask], build_only: list[tuple[Any, Any]]
    ) -> None:
        def gold_items(g: GoldTask) -> list[tuple[tuple[float, str], _Item]]:
            return [
                (target_key(x.value, x.unit), _Item(_target_text(x.value, x.unit, x.quote), g.line)) for x in g.targets
            ]

        def build_items(t: Any) -> list[tuple[tuple[float, str], _Item]]:
            out = []
            for x in t.get("targets") or []:
                key = target_key(float(x.get("value", 0)), str(x.get("unit", "")))
                out.append(
                    (
                        key,
                        _Item(
                            _target_text(x.get("value", 0), x.get("unit", ""), x.get("quote", "")), _line(x.get("span"))
                        ),
                    )
                )
            return out

        counts = self.score.counts["targets"]
        for g, _, t in pairs:
            gold, build = gold_items(g), build_items(t)
            left = Counter(k for k, _ in build)
            for key, item in gold:
                if left[key] > 0:
                    left[key] -= 1
                    counts.tp += 1
                else:
                    self.note("targets", "missing", item.shown, item.line, _build_task(t))
            wanted = Counter(k for k, _ in gold)
            for key, item in build:
                if wanted[key] > 0:
                    wanted[key] -= 1
                else:
                    self.note("targets", "extra", item.shown, item.line, _build_task(t))
        for g in gold_only:
            for _, item in gold_items(g):
                self.note("targets", "missing", item.shown, item.line, _gold_task(g))
        for _, t in build_only:
            for _, item in build_items(t):
                self.note("targets", "extra", item.shown, item.line, _build_task(t))


def _shown_with_keys(items: dict[Any, _Item]) -> dict[Any, _Item]:
    """An agency shown as written, with the agency it resolves to when that says more."""
    return {k: _Item(v.shown if name_key(v.shown) == k else f"{v.shown} [{k}]", v.line) for k, v in items.items()}


def _gold_task(task: GoldTask) -> str:
    return re.sub(r"\s+", "", task.starts)[:TASK_CHARS]


def _build_task(task: Any) -> str:
    """The task's first characters as printed (whitespace dropped)."""
    return re.sub(r"\s+", "", task.get("text") or task.get("title") or "")[:TASK_CHARS]


def _period_text(period: tuple[int, int] | None) -> str:
    return f"{period[0]}—{period[1]}" if period else ""


def _target_tuple(target: tuple[float, Any, Any] | None) -> tuple[float, Any, Any] | None:
    return (round(target[0], 6), target[1], target[2]) if target else None


def _literacy_text(target: tuple[float, Any, Any] | None) -> str:
    if not target:
        return ""
    value, comparator, year = target
    return f"{comparator} {number_text(value)}% ({year})"


def _target_text(value: Any, unit: Any, quote: Any) -> str:
    number, unit_text = target_key(float(value), str(unit))
    return f"{number_text(number)} {unit_text}" + (f" 「{quote}」" if quote else "")
