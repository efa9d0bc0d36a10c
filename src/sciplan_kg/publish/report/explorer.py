"""The task explorer's data: ``data/index.js`` (the plans and every facet's values, with the
plans each value occurs in) and one ``data/plans/<stem>.js`` per plan (its tasks). Files are
JavaScript, not JSON, so that a page opened from disk (file://, where fetch() is refused) can
load them with a script tag; ``explorer.js`` loads a plan's file only when the facets chosen
can match a task in it, so opening the explorer over 3,000 plans reads the index alone.

A plan file: ``SK.plan(i, {"agencies": [[name, key, type], …], "measures": [[kind, no,
title], …], "tasks": [[anchor, measure, no, text, leads, supports, groups, targets, line], …]})``
where leads and supports are lists of ``[agency, stated]`` (indices into the plan's agencies,
1 when named for the task itself, 0 when inherited from its measure) and groups indices into
the index's groups.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sciplan_kg.publish.report.data import Corpus, Plan

POSTINGS_SHARE = 0.5  # a value in more than this share of plans is listed as in every plan (-1)


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _target(t: dict[str, Any]) -> str:
    parts = [str(t.get("comparator") or ""), str(t.get("value") or ""), str(t.get("unit") or "")]
    text = " ".join(p for p in parts if p)
    return f"{text}（{t['year']}）" if t.get("year") else text


def write_explorer_data(corpus: Corpus, folder: Path) -> None:
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    groups = sorted({g for p in corpus.plans for t in p.tasks for g in t.groups})
    group_index = {g: i for i, g in enumerate(groups)}
    postings: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    types: dict[str, str] = {}
    plans = []
    for i, p in enumerate(corpus.plans):
        plans.append(
            {
                "stem": p.stem,
                "title": str(p.facts.get("title") or p.file),
                "place": p.place,
                "level": p.level,
                "tasks": len(p.tasks),
            }
        )
        (folder / "plans" / f"{p.stem}.js").write_text(
            f"SK.plan({i},{_js(_plan_data(corpus, p, group_index))});\n", encoding="utf-8"
        )
        for t in p.tasks:
            seen: dict[str, set[str]] = defaultdict(set)
            for r in t.roles:
                a = corpus.agencies.get(r.agency)
                if a is None:
                    continue
                seen["agency"].add(a.key)
                if a.type_key:
                    seen["type"].add(a.type_key)
                    types[a.type_key] = a.type_name
            m = next(m for m in p.measures if m.iri == t.measure)
            seen["measure"].add(m.title)
            seen["group"].update(t.groups)
            for facet, values in seen.items():
                for v in values:
                    postings[facet][v].add(i)
                    counts[facet][v] += 1
    n = len(corpus.plans)

    def values(facet: str, label: dict[str, str] | None = None) -> list[list[Any]]:
        out = []
        for v, c in sorted(counts[facet].items(), key=lambda kv: (-kv[1], kv[0])):
            plans_with = sorted(postings[facet][v])
            listed: Any = -1 if len(plans_with) > POSTINGS_SHARE * n else plans_with
            out.append([v, (label or {}).get(v, v), c, listed])
        return out

    index = {
        "plans": plans,
        "levels": sorted({p.level for p in corpus.plans if p.level}),
        "groups": groups,
        "facets": {
            "agency": values("agency", corpus.names),
            "type": values("type", types),
            "measure": values("measure"),
            "group": values("group"),
        },
    }
    (folder / "index.js").write_text(f"SK.index({_js(index)});\n", encoding="utf-8")


def _plan_data(corpus: Corpus, p: Plan, group_index: dict[str, int]) -> dict[str, Any]:
    agencies: dict[str, int] = {}
    table: list[list[str]] = []
    for t in p.tasks:
        for r in t.roles:
            if r.agency not in agencies:
                agencies[r.agency] = len(table)
                a = corpus.agencies.get(r.agency)
                table.append([a.name, a.key, a.type_key] if a else [r.agency, r.agency, ""])
    measures = {m.iri: i for i, m in enumerate(p.measures)}
    tasks = [
        [
            t.anchor,
            measures[t.measure],
            t.no,
            t.text,
            [[agencies[r.agency], int(r.stated)] for r in t.agencies("lead")],
            [[agencies[r.agency], int(r.stated)] for r in t.agencies("support")],
            [group_index[g] for g in t.groups],
            [_target(x) for x in t.targets],
            t.line or 0,
        ]
        for t in p.tasks
    ]
    return {
        "agencies": table,
        "measures": [[m.kind, m.no, m.title] for m in p.measures],
        "tasks": tasks,
    }
