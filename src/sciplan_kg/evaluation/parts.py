"""The parts of a plan beyond its measures and tasks (issue 18), scored against a gold file
labelled for them (``GoldPlan.parts``): sections, principles, goals, safeguard commitments and
phases; the indicator, scope and frequency of every target; the population groups tasks name.

What an item is, per field (``compare.PART_FIELDS``):

* ``sections``: (kind, level, line of the heading), a set.
* ``principles``: the line, a multiset (two principles on one line are two items).
* ``goals``: (kind, line), a multiset: 巫山's four goal sentences on one line are one literacy and
  three qualitative items; a sentence the build splits in two is an extra item.
* ``commitments``: a gold commitment matches the unused build commitment on its line whose text
  starts with ``starts`` (folded, no whitespace); else one on its line whose text holds it (the
  build kept a heading); else one on any line that starts with it. Each pair is one item.
* ``commitment_kinds`` and ``commitment_agencies``: (commitment, kind) and (commitment, agency)
  over matched pairs, as ``leads`` are over tasks (agencies resolved the same way); the items of
  an unmatched commitment are all missing (gold) or extra (build).
* ``chairs``: one item per commitment that names a chair on either side (``name_key``).
* ``commitment_targets``: (commitment, value, unit), a multiset, as task targets.
* ``phases``: (name, start, end), a set; the line is shown.
* ``indicators``, ``scopes``, ``frequencies``: one item per target that states one, on either
  side: the literacy target, task targets and commitment targets, a gold target paired with the
  build target of the same (value, unit) in the same task or commitment. Indicators compare by
  the indicator registry's key when both sides resolve (``resolve.indicators.indicator_key``),
  else as text, folded without whitespace, one holding the other (``科普示范基地`` and
  ``县级科普示范基地`` agree); scopes and frequencies as text, equal.
* ``groups``: (task, group), a set per matched task: the group scheme's key when the name
  resolves (``resolve.groups.group_key``), else the folded text.

The two resolvers belong to stages that may not exist yet in a checkout: they are looked up when
first needed, and when absent every name compares as text.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sciplan_kg.evaluation.compare import (
    PlanComparison,
    _build_task,
    _gold_task,
    _Item,
    _line,
    _shown_with_keys,
    _target_text,
    squeeze,
    target_key,
)
from sciplan_kg.evaluation.gold import GoldCommitment, GoldTarget, GoldTask
from sciplan_kg.resolve.registry import name_key

SHOWN = 20  # how much of a commitment's or goal's text a disagreement shows
DETAILS = (("indicators", "indicator"), ("scopes", "scope"), ("frequencies", "frequency"))

Resolver = Callable[[str], str | None]


@cache
def resolver(module: str, function: str) -> Resolver | None:
    """``module.function`` if that stage exists in this checkout, else ``None``."""
    try:
        found = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        return None
    return found if callable(found) else None


def indicator_key(written: str) -> str | None:
    fn = resolver("sciplan_kg.resolve.indicators", "indicator_key")
    return (fn(written) or None) if fn and written else None


def group_key(written: str) -> str | None:
    fn = resolver("sciplan_kg.resolve.groups", "group_key")
    return (fn(written) or None) if fn and written else None


def same_indicator(gold: str, build: str, build_key: str | None) -> bool:
    """Two indicators agree by registry key when both resolve, else by text, one holding the other."""
    gk, bk = indicator_key(gold), build_key or indicator_key(build)
    if gk and bk:
        return gk == bk
    g, b = squeeze(gold), squeeze(build)
    return bool(g and b) and (g in b or b in g)


def same_detail(attr: str, gold: str, build: str, build_key: str | None) -> bool:
    if attr == "indicator":
        return same_indicator(gold, build, build_key)
    return squeeze(gold) == squeeze(build)


def _text(x: Any) -> str:
    return re.sub(r"\s+", "", str(x or ""))


def _short(text: str) -> str:
    return _text(text)[:SHOWN]


class PartsComparison:
    """Score the issue-18 fields of one plan; counts and disagreements go to ``plan.score``."""

    def __init__(
        self,
        plan: PlanComparison,
        pairs: list[tuple[GoldTask, Any, Any]],
        gold_only: list[GoldTask],
        build_only: list[tuple[Any, Any]],
    ) -> None:
        self.plan = plan
        self.gold = plan.gold
        self.rec = plan.rec
        self.pairs, self.gold_only, self.build_only = pairs, gold_only, build_only

    def run(self) -> None:
        self.sections()
        self.principles()
        self.goals()
        self.commitments()
        self.phases()
        self.literacy()
        self.task_targets()
        self.groups()

    # -- helpers -----------------------------------------------------------------------------------
    def built(self, name: str) -> list[dict[str, Any]]:
        return [x for x in self.rec.get(name) or [] if isinstance(x, dict)]

    def multiset(
        self,
        name: str,
        gold: Iterable[tuple[Any, _Item]],
        build: Iterable[tuple[Any, _Item]],
        task: str | None = None,
        of: str = "task",
    ) -> None:
        """Score two multisets of items keyed alike: the unpaired ones, in order, are listed."""
        gold, build = list(gold), list(build)
        left = Counter(k for k, _ in build)
        for key, item in gold:
            if left[key] > 0:
                left[key] -= 1
                self.plan.score.counts[name].tp += 1
            else:
                self.plan.note(name, "missing", item.shown, item.line, task, of)
        wanted = Counter(k for k, _ in gold)
        for key, item in build:
            if wanted[key] > 0:
                wanted[key] -= 1
            else:
                self.plan.note(name, "extra", item.shown, item.line, task, of)

    # -- the plan's parts ----------------------------------------------------------------------------
    def sections(self) -> None:
        gold = {(s.kind, s.level, s.line): _Item(f"{s.kind} {s.level} {s.title}", s.line) for s in self.gold.sections}
        build: dict[Any, _Item] = {}
        for s in self.built("sections"):
            line = _line(s.get("heading")) or _line(s.get("span"))
            key = (s.get("kind"), s.get("level"), line)
            build.setdefault(key, _Item(f"{s.get('kind')} {s.get('level')} {_text(s.get('title'))}", line))
        self.plan.sets("sections", gold, build)

    def principles(self) -> None:
        self.multiset(
            "principles",
            ((p.line, _Item(p.title, p.line)) for p in self.gold.principles),
            (
                (_line(p.get("span")), _Item(_text(p.get("title")), _line(p.get("span"))))
                for p in self.built("principles")
            ),
        )

    def goals(self) -> None:
        def build_item(g: dict[str, Any]) -> tuple[Any, _Item]:
            line = _line(g.get("span"))
            return (g.get("kind"), line), _Item(f"{g.get('kind')} {_short(g.get('text') or '')}", line)

        self.multiset(
            "goals",
            (((g.kind, g.line), _Item(f"{g.kind} {g.starts}", g.line)) for g in self.gold.goals),
            (build_item(g) for g in self.built("goals")),
        )

    def phases(self) -> None:
        def shown(name: str, start: Any, end: Any) -> str:
            return f"{name} {start if start is not None else '?'}—{end if end is not None else '?'}"

        gold = {
            (squeeze(p.name), p.start, p.end): _Item(shown(p.name, p.start, p.end), p.line) for p in self.gold.phases
        }
        build: dict[Any, _Item] = {}
        for p in self.built("phases"):
            name = str(p.get("name") or "")
            key = (squeeze(name), p.get("start"), p.get("end"))
            build.setdefault(key, _Item(shown(_text(name), p.get("start"), p.get("end")), _line(p.get("span"))))
        self.plan.sets("phases", gold, build)

    # -- safeguard commitments ---------------------------------------------------------------------
    def match_commitments(
        self,
    ) -> tuple[list[tuple[GoldCommitment, dict[str, Any]]], list[GoldCommitment], list[dict[str, Any]]]:
        build = self.built("commitments")
        texts = [squeeze(c.get("text") or "") for c in build]
        lines = [_line(c.get("span")) for c in build]
        used: set[int] = set()
        pairs: list[tuple[GoldCommitment, dict[str, Any]]] = []
        gold_only: list[GoldCommitment] = []
        tests: tuple[Callable[[int, GoldCommitment, str], bool], ...] = (
            lambda i, g, s: lines[i] == g.line and texts[i].startswith(s),
            lambda i, g, s: lines[i] == g.line and s in texts[i],
            lambda i, g, s: texts[i].startswith(s),
        )
        for g in self.gold.commitments:
            start = squeeze(g.starts)
            found = next(
                (i for test in tests for i in range(len(build)) if i not in used and test(i, g, start)),
                None,
            )
            if found is None:
                gold_only.append(g)
            else:
                used.add(found)
                pairs.append((g, build[found]))
        return pairs, gold_only, [c for i, c in enumerate(build) if i not in used]

    def commitments(self) -> None:
        pairs, gold_only, build_only = self.match_commitments()
        self.plan.score.counts["commitments"].tp += len(pairs)
        for g in gold_only:
            self.plan.note("commitments", "missing", g.starts, g.line, None)
        for b in build_only:
            self.plan.note("commitments", "extra", _short(b.get("text") or ""), _line(b.get("span")), None)
        for g, b in pairs:
            self.commitment(g, b, _short(b.get("text") or ""))
        for g in gold_only:
            self.commitment(g, None, g.starts)
        for b in build_only:
            self.commitment(None, b, _short(b.get("text") or ""))

    def commitment(self, g: GoldCommitment | None, b: dict[str, Any] | None, shown: str) -> None:
        """The kinds, agencies, chair and targets of one commitment, paired or on one side only."""
        line = g.line if g is not None else _line((b or {}).get("span"))
        of = "commitment"
        gold_kinds = {k: _Item(k, line) for k in (g.kinds if g else ())}
        build_kinds = {str(k): _Item(str(k), line) for k in ((b or {}).get("kinds") or [])}
        self.plan.sets("commitment_kinds", gold_kinds, build_kinds, shown, of)

        gold_agencies: dict[Any, _Item] = {}
        for name in g.agencies if g else ():
            gold_agencies.setdefault(self.plan.resolve(name), _Item(name, line))
        build_agencies: dict[Any, _Item] = {}
        for m in (b or {}).get("mentions") or []:
            written = m.get("written") or ""
            build_agencies.setdefault(
                m.get("agency") or name_key(written), _Item(written, _line(m.get("span")) or line)
            )
        self.plan.sets(
            "commitment_agencies", _shown_with_keys(gold_agencies), _shown_with_keys(build_agencies), shown, of
        )

        gold_chair, build_chair = (g.chair if g else ""), _text((b or {}).get("chair"))
        if gold_chair and build_chair:
            if name_key(gold_chair) == name_key(build_chair):
                self.plan.score.counts["chairs"].tp += 1
            else:
                self.plan.note("chairs", "wrong", f"gold {gold_chair} ≠ build {build_chair}", line, shown, of)
        elif gold_chair:
            self.plan.note("chairs", "missing", gold_chair, line, shown, of)
        elif build_chair:
            self.plan.note("chairs", "extra", build_chair, line, shown, of)

        self.targets("commitment_targets", g.targets if g else (), (b or {}).get("targets") or [], line, shown, of)

    # -- targets: what they count, where, how often --------------------------------------------------
    def targets(
        self,
        name: str | None,
        gold: Iterable[GoldTarget],
        build: Iterable[dict[str, Any]],
        line: int | None,
        shown: str | None,
        of: str,
    ) -> None:
        """Pair gold and build targets by (value, unit), in order; score them as ``name`` (unless
        ``None``: task targets are scored by ``compare``) and their indicator, scope, frequency."""
        gold, build = list(gold), [x for x in build if isinstance(x, dict)]
        left = list(range(len(build)))
        keys = [target_key(float(x.get("value", 0)), str(x.get("unit", ""))) for x in build]
        paired: list[tuple[GoldTarget | None, dict[str, Any] | None]] = []
        for g in gold:
            at = next((i for i in left if keys[i] == target_key(g.value, g.unit)), None)
            if at is None:
                paired.append((g, None))
                if name:
                    self.plan.note(name, "missing", _target_text(g.value, g.unit, g.quote), line, shown, of)
            else:
                left.remove(at)
                paired.append((g, build[at]))
                if name:
                    self.plan.score.counts[name].tp += 1
        for i in left:
            paired.append((None, build[i]))
            if name:
                x = build[i]
                what = _target_text(x.get("value", 0), x.get("unit", ""), x.get("quote", ""))
                self.plan.note(name, "extra", what, _line(x.get("span")) or line, shown, of)
        for g, b in paired:
            self.details(g, b, line, shown, of)

    def details(
        self, g: GoldTarget | None, b: dict[str, Any] | None, line: int | None, shown: str | None, of: str
    ) -> None:
        at = _line((b or {}).get("span")) or line
        for field, attr in DETAILS:
            gv = (getattr(g, attr) or "") if g is not None else ""
            bv = _text((b or {}).get(attr))
            if gv and bv:
                if same_detail(attr, gv, bv, (b or {}).get("indicator_key") if attr == "indicator" else None):
                    self.plan.score.counts[field].tp += 1
                else:
                    self.plan.note(field, "wrong", f"gold {gv} ≠ build {bv}", at, shown, of)
            elif gv:
                self.plan.note(field, "missing", gv, at, shown, of)
            elif bv:
                self.plan.note(field, "extra", bv, at, shown, of)

    def literacy(self) -> None:
        gold = self.gold.header.get("literacy_detail")
        build = self.rec.get("literacy_target")
        build = build if isinstance(build, dict) else None
        if gold is not None or build is not None:
            self.details(gold, build, _line((build or {}).get("span")), "literacy_target", "header")

    def task_targets(self) -> None:
        for g, _, t in self.pairs:
            self.targets(None, g.targets, t.get("targets") or [], g.line, _build_task(t), "task")
        for g in self.gold_only:
            self.targets(None, g.targets, [], g.line, _gold_task(g), "task")
        for _, t in self.build_only:
            self.targets(None, [], t.get("targets") or [], _line(t.get("span")), _build_task(t), "task")

    # -- groups named in tasks ---------------------------------------------------------------------
    def groups(self) -> None:
        for g, _, t in self.pairs:
            self.task_groups(_gold_groups(g), _build_groups(t), _build_task(t))
        for g in self.gold_only:
            self.task_groups(_gold_groups(g), [], _gold_task(g))
        for _, t in self.build_only:
            self.task_groups([], _build_groups(t), _build_task(t))

    def task_groups(self, gold: list[_Group], build: list[_Group], task: str) -> None:
        """One task's groups: a gold group agrees with a build group of the same scheme key when
        both resolve, else of the same text."""
        left = list(build)
        for g in gold:
            found = next((b for b in left if g.same(b)), None)
            if found is None:
                self.plan.note("groups", "missing", g.shown, g.line, task)
            else:
                left.remove(found)
                self.plan.score.counts["groups"].tp += 1
        for b in left:
            self.plan.note("groups", "extra", b.shown, b.line, task)


class _Group:
    """A group as written, its scheme key when it resolves, and the line it is about."""

    def __init__(self, written: str, key: str | None, line: int | None) -> None:
        self.written, self.key, self.line = written, key, line
        self.text = squeeze(written)

    @property
    def shown(self) -> str:
        return f"{self.written} [{self.key}]" if self.key else self.written

    def same(self, other: _Group) -> bool:
        if self.key and other.key:
            return self.key == other.key
        return self.text == other.text


def _distinct(groups: Iterable[_Group]) -> list[_Group]:
    """Each group once (by key, else by text), at its first mention."""
    out: list[_Group] = []
    for g in groups:
        if not any(g.same(o) for o in out):
            out.append(g)
    return out


def _gold_groups(task: GoldTask) -> list[_Group]:
    return _distinct(_Group(w, group_key(w), task.line) for w in task.groups)


def _build_groups(task: dict[str, Any]) -> list[_Group]:
    out = []
    for m in task.get("groups") or []:
        if isinstance(m, dict):
            written = _text(m.get("written"))
            out.append(_Group(written, m.get("group") or group_key(written), _line(m.get("span"))))
        else:
            out.append(_Group(_text(m), group_key(_text(m)), _line(task.get("span"))))
    return _distinct(out)
