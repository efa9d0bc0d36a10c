"""The report's figures, computed from the corpus (``data.Corpus``) and the research catalogue:

- who leads (``lead-load-by-type``): each plan's tasks split by the type of their lead agencies,
  1/n per co-lead, stated apart from inherited, no lead shown — bars sum to 100 %;
- agency types named together (``co-responsibility-types``): a type × type matrix, a cell the
  number of tasks that name agencies of both types (as lead or support), the diagonal the tasks
  that name the type at all;
- the top agencies named together (``co-responsibility``): the same for the agencies named on
  the most tasks across plans (one agency across plans: ``data.Agency.key``);
- a plan's own matrix of its agencies, on its page;
- one figure per research question where a picture beats a table: literacy targets, issue lag,
  measure mapping (plan × national measure), target groups (plan × group), numeric targets
  (plan × measure kind), literacy targets against measured values (``target-attainment``), the
  policy-instrument mix (plan × instrument group and instrument, ``instrument-mix``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

from sciplan_kg.publish.report import charts
from sciplan_kg.publish.report.data import Corpus, Plan, Task
from sciplan_kg.resolve.instruments import load_scheme

TOP_AGENCIES = 20
PLAN_AGENCIES = 16


def lead_shares(corpus: Corpus) -> list[charts.LeadShare]:
    out = []
    for p in corpus.plans:
        shares: dict[tuple[str, bool], float] = defaultdict(float)
        for t in p.tasks:
            leads = t.agencies("lead")
            if not leads:
                shares[(charts.NO_LEAD, True)] += 1.0
            for r in leads:
                a = corpus.agencies.get(r.agency)
                shares[((a.type_name if a and a.type_name else "未分类 untyped"), r.stated)] += 1.0 / len(leads)
        out.append(charts.LeadShare(p.place, len(p.tasks), dict(shares)))
    return sorted(out, key=lambda s: s.plan)


def _named(task: Task) -> list[str]:
    return list(dict.fromkeys(r.agency for r in task.roles))


def type_matrix(corpus: Corpus, top: int = TOP_AGENCIES) -> tuple[list[list[float]], list[str]]:
    """Tasks naming agencies of both types, for the ``top`` types named on the most tasks."""
    pairs: Counter[tuple[str, str]] = Counter()
    alone: Counter[str] = Counter()
    for p in corpus.plans:
        for t in p.tasks:
            types = sorted({corpus.agencies[a].type_name for a in _named(t) if a in corpus.agencies} - {""})
            alone.update(types)
            pairs.update(combinations(types, 2))
    names = sorted(alone, key=lambda x: (-alone[x], x))[:top]
    index = {n: i for i, n in enumerate(names)}
    m = [[0.0] * len(names) for _ in names]
    for n, c in alone.items():
        if n in index:
            m[index[n]][index[n]] = c
    for (a, b), c in pairs.items():
        if a in index and b in index:
            m[index[a]][index[b]] = m[index[b]][index[a]] = c
    return m, names


def agency_matrix(corpus: Corpus, plans: list[Plan], top: int, by_key: bool) -> tuple[list[list[float]], list[str]]:
    """Tasks naming both agencies, for the ``top`` agencies named on the most tasks."""

    def key(a: str) -> str:
        return corpus.agencies[a].key if by_key else a

    named: Counter[str] = Counter()
    tasks = [t for p in plans for t in p.tasks]
    for t in tasks:
        named.update({key(a) for a in _named(t) if a in corpus.agencies})
    chosen = sorted(named, key=lambda k: (-named[k], k))[:top]
    index = {k: i for i, k in enumerate(chosen)}
    m = [[0.0] * len(chosen) for _ in chosen]
    for t in tasks:
        keys = sorted({key(a) for a in _named(t) if a in corpus.agencies} & set(chosen))
        for k in keys:
            m[index[k]][index[k]] += 1
        for a, b in combinations(keys, 2):
            m[index[a]][index[b]] += 1
            m[index[b]][index[a]] += 1
    if by_key:
        labels = [corpus.names.get(k, k) for k in chosen]
    else:
        labels = [corpus.agencies[k].name for k in chosen]
    return m, labels


PAIR_UNIT = (
    "一格＝同时写明两者（牵头或配合）的任务数；对角线＝写明该项的任务数 / one cell = tasks naming both "
    "(as lead or support); the diagonal = tasks naming it at all"
)


# the catalogue answers the corpus charts draw (``research`` holds their rows)
DRAWN = (
    "literacy-ambition",
    "issue-lag",
    "measure-mapping",
    "group-tasks",
    "target-coverage",
    "target-attainment",
    "instrument-mix",
)


def corpus_figures(corpus: Corpus, research: dict[str, list[dict[str, Any]]], folder: Path) -> list[charts.Chart]:
    places = {p.iri: p.place for p in corpus.plans}
    shown = sorted(corpus.plans, key=lambda p: -len(p.tasks))[: charts.MAX_PLANS_PER_CHART]
    figures = [charts.lead_share(lead_shares(corpus), folder)]
    m, names = type_matrix(corpus)
    figures.append(
        charts.heatmap(
            m,
            names,
            names,
            folder,
            "co-responsibility-types",
            (
                f"前{TOP_AGENCIES}类部门协同矩阵（各方案合计）",
                f"Top {TOP_AGENCIES} agency types named together, all plans",
            ),
            PAIR_UNIT,
            "任务数 tasks",
            "co-responsibility",
        )
    )
    m, names = agency_matrix(corpus, corpus.plans, TOP_AGENCIES, by_key=True)
    figures.append(
        charts.heatmap(
            m,
            names,
            names,
            folder,
            "co-responsibility",
            (f"前{TOP_AGENCIES}个部门协同矩阵（跨方案）", f"Top {TOP_AGENCIES} agencies named together, across plans"),
            PAIR_UNIT + "；跨方案同一登记部门合并（县科协、区科协＝科协）/ one registry agency across plans",
            "任务数 tasks",
            "co-responsibility",
        )
    )
    figures.append(charts.literacy_targets(research["literacy-ambition"], places, folder))
    figures.append(charts.issue_lag(research["issue-lag"], folder))
    figures.append(_mapping(research["measure-mapping"], shown, folder))
    figures.append(_groups(research["group-tasks"], shown, folder))
    figures.append(_coverage(research["target-coverage"], shown, folder))
    figures.append(charts.target_attainment(research["target-attainment"], places, folder))
    figures.append(_instrument_mix(research["instrument-mix"], shown, folder))
    return figures


def _plan_rows(plans: list[Plan]) -> tuple[list[str], dict[str, int]]:
    return [p.place for p in plans], {p.iri: i for i, p in enumerate(plans)}


MAPPING = {"same": 1, "renamed": 2, "replaced-by-parent": 3, "added": 4, "dropped": 0}


def _mapping(rows: list[dict[str, Any]], plans: list[Plan], folder: Path) -> charts.Chart:
    labels, index = _plan_rows(plans)
    measures = sorted({str(r["nationalMeasure"]) for r in rows if r.get("nationalMeasure")})
    col = {m: j for j, m in enumerate(measures)}
    m = [[0.0] * len(measures) for _ in labels]
    for r in rows:
        if str(r["plan"]) in index and r.get("nationalMeasure"):
            m[index[str(r["plan"])]][col[str(r["nationalMeasure"])]] = MAPPING.get(str(r["mapping"]), 5)
    unit = (
        "一格＝一个方案对一项全国举措的处理：1 保留原名 same，2 改名 renamed，3 由上级举措替代 replaced by the "
        "parent's，空白 未见 dropped / one cell = how one plan maps one national measure"
    )
    return charts.heatmap(
        m,
        labels,
        measures,
        folder,
        "measure-mapping",
        ("全国举措的保留、改名与删减", "National measures kept, renamed, dropped"),
        unit,
        "1 same · 2 renamed · 3 parent's",
        "measure-mapping",
        cmap="viridis_r",
    )


def _groups(rows: list[dict[str, Any]], plans: list[Plan], folder: Path) -> charts.Chart:
    labels, index = _plan_rows(plans)
    groups = sorted({str(r["group"]) for r in rows})
    col = {g: j for j, g in enumerate(groups)}
    m = [[0.0] * len(groups) for _ in labels]
    for r in rows:
        if str(r["plan"]) in index:
            m[index[str(r["plan"])]][col[str(r["group"])]] += int(r["tasks"] or 0)
    unit = "一格＝一个方案面向该人群的任务数 / one cell = the plan's tasks for that target group"
    return charts.heatmap(
        m,
        labels,
        groups,
        folder,
        "group-tasks",
        ("各人群的任务数", "Tasks per target group"),
        unit,
        "任务数 tasks",
        "group-tasks",
        cmap="Greens",
    )


def _coverage(rows: list[dict[str, Any]], plans: list[Plan], folder: Path) -> charts.Chart:
    labels, index = _plan_rows(plans)
    kinds = ["action", "project"]
    m = [[0.0, 0.0] for _ in labels]
    for r in rows:
        if str(r["plan"]) in index and r["measureKind"] in kinds:
            m[index[str(r["plan"])]][kinds.index(str(r["measureKind"]))] = float(r["sharePercent"] or 0)
    unit = (
        "一格＝该方案此类举措下带数量目标的任务占比（%）/ one cell = share (%) of the plan's tasks of that kind "
        "with a numeric target"
    )
    return charts.heatmap(
        m,
        labels,
        ["提升行动 actions", "重点工程 projects"],
        folder,
        "target-coverage",
        ("带数量目标的任务占比", "Tasks with a numeric target"),
        unit,
        "%",
        "target-coverage",
        cmap="Oranges",
        fmt="{:.0f}%",
    )


def instrument_columns() -> list[tuple[str, str, str]]:
    """(key, zh, en) of the policy-instrument scheme (data/registry/instruments.toml): each group
    (supply, environment, demand) followed by its instruments, in the scheme's order."""
    scheme = load_scheme()
    out = []
    for g in scheme.groups:
        out.append((g.key, g.zh, g.en))
        out.extend((i.key, i.zh, i.en) for i in scheme.instruments if i.group == g.key)
    return out


def instrument_matrix(rows: list[dict[str, Any]], plans: list[Plan]) -> tuple[list[list[float]], list[str]]:
    """Plans × (group, instruments …) of the scheme: the share (%) of the plan's tasks using each,
    from the ``instrument-mix`` rows; the column labels, groups in 【】."""
    _, index = _plan_rows(plans)
    groups = {g.key for g in load_scheme().groups}
    columns = instrument_columns()
    col = {k: j for j, (k, _, _) in enumerate(columns)}
    m = [[0.0] * len(columns) for _ in plans]
    for r in rows:
        if str(r["plan"]) in index and str(r["instrument"]) in col:
            m[index[str(r["plan"])]][col[str(r["instrument"])]] = float(r["sharePercent"] or 0)
    return m, [f"【{zh}】 {en}" if k in groups else f"{zh} {en}" for k, zh, en in columns]


def _instrument_mix(rows: list[dict[str, Any]], plans: list[Plan], folder: Path) -> charts.Chart:
    labels, _ = _plan_rows(plans)
    m, names = instrument_matrix(rows, plans)
    unit = (
        "一格＝使用该工具（或该组任一工具，【】列）的任务占本方案任务的比例（%）；一个单位＝一项任务；一项任务可使用"
        "多种工具，故一行相加可超过 100% / one cell = share (%) of the plan's tasks that use the instrument (or any "
        "instrument of the group, the 【】 columns); one unit = one task; a task may use several instruments, so a row "
        "adds up to more than 100 %. Coded by the rules of data/registry/instruments.toml"
    )
    return charts.heatmap(
        m,
        labels,
        names,
        folder,
        "instrument-mix",
        ("政策工具构成（供给型、环境型、需求型）", "Policy-instrument mix (supply, environment, demand)"),
        unit,
        "任务占比 % of tasks",
        "instrument-mix",
        cmap="Purples",
        fmt="{:.0f}",
    )


@dataclass
class Matrix:
    """A plan's agencies named together, for an HTML table: ``cells[i][j]`` the number of tasks
    naming both, with its background and text colours (blank and uncoloured for zero)."""

    names: list[str]
    cells: list[list[tuple[int, str, str]]]
    unit: str = PAIR_UNIT


def plan_matrix(corpus: Corpus, plan: Plan) -> Matrix | None:
    """The plan's own agencies named together, as a shaded table (``Matrix``): one per plan, so
    a table the page draws, not an image (a chart drawn by matplotlib took 0.3 s a plan: a
    quarter of an hour of a 3,000-plan report), and its names and numbers are text to read,
    search and copy. None when no agency is named."""
    m, names = agency_matrix(corpus, [plan], PLAN_AGENCIES, by_key=False)
    if not names:
        return None
    top = max((max(row) for row in m), default=0) or 1
    cells = [[_cell(int(v), top) for v in row] for row in m]
    return Matrix(names, cells)


def _cell(value: int, top: float) -> tuple[int, str, str]:
    """A count, its background (matplotlib's Blues, as the corpus charts) and its text colour."""
    if not value:
        return 0, "", ""
    return value, _blues()[round(255 * value / top)], "#ffffff" if value > 0.6 * top else "#1c2833"


@lru_cache(maxsize=1)
def _blues() -> list[str]:
    """matplotlib's Blues in 256 steps, as hex colours (asked of the colour map once)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    blues = colormaps["Blues"]
    return [to_hex(blues(i / 255)) for i in range(256)]
