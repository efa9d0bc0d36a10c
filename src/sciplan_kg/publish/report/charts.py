"""The report's charts (matplotlib, networkx), as PNG and SVG, with Chinese labels.

Chinese needs a CJK font: the first installed of ``CJK_FONTS`` is used (Debian's
``fonts-noto-cjk``, installed by ``make install``); without one the report stops with an error
rather than drawing boxes. Output is deterministic: no dates in the files, fixed SVG ids,
fixed layout seeds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib import font_manager
from matplotlib.figure import Figure

from sciplan_kg.errors import SciplanError

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
)
MAX_PLANS_PER_CHART = 40  # beyond, the charts show the plans with the most tasks


class FontMissing(SciplanError):
    """No CJK font is installed."""


def cjk_font() -> str:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            return name
    raise FontMissing(
        "没有可显示中文的字体：请安装 fonts-noto-cjk（make install）/ no CJK font is installed: "
        "install fonts-noto-cjk (make install) so that Chinese labels render"
    )


def _setup() -> None:
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [cjk_font(), "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.hashsalt": "sciplan-kg",
            "svg.fonttype": "path",
            "figure.dpi": 100,
        }
    )


@dataclass
class Chart:
    name: str
    title_zh: str
    title_en: str
    png: str
    svg: str


def _save(fig: Figure, folder: Path, name: str, title_zh: str, title_en: str) -> Chart:
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(folder / f"{name}.svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    return Chart(name, title_zh, title_en, f"{folder.name}/{name}.png", f"{folder.name}/{name}.svg")


def lead_load(rows: list[dict[str, object]], places: dict[str, str], folder: Path) -> Chart:
    """Share of each plan's tasks led by each agency type (stacked bars, one per plan)."""
    _setup()
    share: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        share[str(r["plan"])][str(r["agencyType"])] = float(r["sharePercent"] or 0)  # type: ignore[arg-type]
    plans = sorted(share, key=lambda p: places.get(p, p))[:MAX_PLANS_PER_CHART]
    totals: dict[str, float] = defaultdict(float)
    for p in plans:
        for t, v in share[p].items():
            totals[t] += v
    types = sorted(totals, key=lambda t: (-totals[t], t))
    shown, rest = types[:9], types[9:]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(plans) + 2))
    left = [0.0] * len(plans)
    colours = plt.get_cmap("tab10")
    for i, t in enumerate([*shown, "其他 other"] if rest else shown):
        values = [sum(share[p].get(x, 0.0) for x in rest) if t == "其他 other" else share[p].get(t, 0.0) for p in plans]
        ax.barh([places.get(p, p) for p in plans], values, left=left, label=t, color=colours(i % 10))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("牵头任务占本方案任务的比例（%，一项任务可有多个牵头部门）/ share of the plan's tasks led (%)")
    ax.set_title("各类部门的牵头负担 / Lead load per agency type")
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    return _save(fig, folder, "lead-load-by-type", "各类部门的牵头负担", "Lead load per agency type")


def literacy_targets(rows: list[dict[str, object]], places: dict[str, str], folder: Path) -> Chart:
    """Each plan's 2025 literacy target against its parents' and the national one."""
    _setup()
    rows = sorted(rows, key=lambda r: places.get(str(r["plan"]), str(r["plan"])))[:MAX_PLANS_PER_CHART]
    names = [places.get(str(r["plan"]), str(r["plan"])) for r in rows]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 2))
    y = list(range(len(rows)))
    national = next((float(r["nationalTarget"]) for r in rows if r.get("nationalTarget") is not None), None)  # type: ignore[arg-type]
    if national is not None:
        ax.axvline(national, color="#c0392b", linestyle="--", label=f"全国 national ({national:g}%)")
    parents = [(i, float(r["parentTarget"])) for i, r in zip(y, rows, strict=True) if r.get("parentTarget") is not None]  # type: ignore[arg-type]
    if parents:
        ax.scatter([v for _, v in parents], [i for i, _ in parents], marker="s", color="#7f8c8d", label="上级 parent")
    targets = [(i, float(r["target"])) for i, r in zip(y, rows, strict=True) if r.get("target") is not None]  # type: ignore[arg-type]
    ax.scatter([v for _, v in targets], [i for i, _ in targets], marker="o", s=60, color="#2471a3", label="本方案 plan")
    for i, v in targets:
        ax.annotate(f"{v:g}%", (v, i), textcoords="offset points", xytext=(6, -3), fontsize=8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel("2025年具备科学素质的公民比例目标（%）/ 2025 target share of scientifically literate citizens (%)")
    ax.set_title("科学素质目标：本方案、上级与全国 / Literacy target: plan, parents, national")
    ax.legend(loc="lower right", fontsize=8)
    return _save(fig, folder, "literacy-targets", "科学素质目标对比", "Literacy targets against parents and national")


def network(edges: list[tuple[str, str, int]], folder: Path, name: str, title: str) -> Chart:
    """Agencies named together on tasks: nodes are agencies, edge width the tasks they share."""
    _setup()
    g = nx.Graph()
    for a, b, w in sorted(edges):
        g.add_edge(a, b, weight=w)
    fig, ax = plt.subplots(figsize=(11, 9))
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=7, weight="weight", k=1.6 / max(g.number_of_nodes(), 1) ** 0.5)
        degree = dict(g.degree(weight="weight"))
        top = max(degree.values()) or 1
        weights = [g[a][b]["weight"] for a, b in g.edges()]
        wmax = max(weights) or 1
        nx.draw_networkx_edges(g, pos, ax=ax, width=[0.4 + 4 * w / wmax for w in weights], alpha=0.35)
        nx.draw_networkx_nodes(
            g, pos, ax=ax, node_size=[120 + 900 * degree[n] / top for n in g.nodes()], node_color="#5dade2"
        )
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=8, font_family=plt.rcParams["font.sans-serif"][0])
    ax.set_title(title)
    ax.axis("off")
    return _save(fig, folder, name, "协同网络", "Co-responsibility network")
