"""The report's charts (matplotlib), as PNG and SVG, with Chinese labels.

Every chart says what one unit is, in its axis label and in ``Chart.unit`` (the caption):
a bar segment is a share of one plan's tasks, a matrix cell a number of tasks, a dot one plan.
Lead load counts each task once per plan: a task with n lead agencies gives 1/n to each lead's
agency type (co-leads split), stated leads drawn solid, inherited ones (named for the task's
measure, not the task) hatched, tasks naming no lead grey; each plan's bar sums to 100 %.

Chinese needs a CJK font: the first installed of ``CJK_FONTS`` is used (Debian's
``fonts-noto-cjk``, installed by ``make install``); without one the report stops with an error
rather than drawing boxes. Output is deterministic: no dates in the files, fixed SVG ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch

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
NO_LEAD = "未写明牵头 no lead named"
OTHER = "其他 other"


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
            "hatch.linewidth": 0.6,
        }
    )


@dataclass
class Chart:
    name: str
    title_zh: str
    title_en: str
    png: str
    svg: str
    unit: str = ""  # what one unit of the chart is, zh / en
    question: str = ""  # the catalogue query it answers, when one


def _save(
    fig: Figure, folder: Path, name: str, title_zh: str, title_en: str, unit: str = "", q: str = "", svg: bool = True
) -> Chart:
    """Write the figure as PNG (and SVG unless ``svg`` is false: then ``Chart.svg`` is the PNG)."""
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", metadata={"Software": None}, bbox_inches="tight")
    if svg:
        fig.savefig(folder / f"{name}.svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    vector = f"{folder.name}/{name}.svg" if svg else f"{folder.name}/{name}.png"
    return Chart(name, title_zh, title_en, f"{folder.name}/{name}.png", vector, unit, q)


@dataclass
class LeadShare:
    """One plan's tasks split by the agency type leading them: (type, stated) → tasks (fractions)."""

    plan: str
    tasks: int
    shares: dict[tuple[str, bool], float]


def lead_share(rows: Sequence[LeadShare], folder: Path, name: str = "lead-load-by-type") -> Chart:
    """Stacked bars, one per plan, each summing to 100 % of the plan's tasks."""
    _setup()
    rows = list(rows)[:MAX_PLANS_PER_CHART]
    totals: dict[str, float] = {}
    for r in rows:
        for (t, _), v in r.shares.items():
            if t != NO_LEAD:
                totals[t] = totals.get(t, 0.0) + v / max(r.tasks, 1)
    types = sorted(totals, key=lambda t: (-totals[t], t))
    shown, rest = types[:9], set(types[9:])
    order = [*shown, *([OTHER] if rest else []), NO_LEAD]
    colours = plt.get_cmap("tab10")
    colour = {t: colours(i % 10) for i, t in enumerate(shown)} | {OTHER: "#95a5a6", NO_LEAD: "#e5e7e9"}
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(rows) + 2.4))
    labels = [f"{r.plan}（{r.tasks}项 tasks）" for r in rows]
    left = [0.0] * len(rows)
    for t in order:
        for stated in (True, False):
            values = []
            for r in rows:
                v = sum(x for (k, s), x in r.shares.items() if s == stated and (k == t or (t == OTHER and k in rest)))
                values.append(100.0 * v / max(r.tasks, 1))
            if not any(values):
                continue
            ax.barh(
                labels,
                values,
                left=left,
                color=colour[t],
                hatch=None if stated or t == NO_LEAD else "///",
                edgecolor="white" if stated else "#34495e",
                linewidth=0.4,
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
    handles = [Patch(facecolor=colour[t], label=t) for t in order]
    handles += [
        Patch(facecolor="white", edgecolor="#34495e", label="实心：任务本身写明 solid: stated for the task"),
        Patch(facecolor="white", edgecolor="#34495e", hatch="///", label="斜线：继承自举措 hatched: inherited"),
    ]
    ax.set_xlim(0, 100)
    ax.set_xlabel(
        "占本方案任务的比例（%）。一个单位＝本方案的一项任务；有 n 个牵头部门的任务给每个部门的类型各计 1/n\n"
        "share of the plan's tasks (%). One unit = one task of the plan; a task with n lead agencies gives 1/n "
        "to each one's type"
    )
    ax.set_title("谁牵头：按部门类型分的任务份额 / Who leads: share of tasks by lead agency type")
    ax.invert_yaxis()
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    unit = (
        "一个单位＝一项任务，每个方案合计 100%；共同牵头按 1/n 分摊；实心为写明、斜线为继承 / one unit = one task, "
        "each plan sums to 100 %; co-leads split 1/n; solid stated, hatched inherited from the measure"
    )
    return _save(fig, folder, name, "谁牵头（任务份额）", "Who leads (share of tasks)", unit, "lead-load-by-type")


def heatmap(
    matrix: list[list[float]],
    rows: list[str],
    columns: list[str],
    folder: Path,
    name: str,
    title: tuple[str, str],
    unit: str,
    colour_label: str,
    question: str = "",
    cmap: str = "Blues",
    fmt: str = "{:g}",
    svg: bool = True,
) -> Chart:
    """A matrix with each cell's value written in it (blank for zero)."""
    _setup()
    fig, ax = plt.subplots(figsize=(max(6, 0.42 * len(columns) + 3.5), max(3.2, 0.38 * len(rows) + 2.2)))
    if rows and columns:
        image = ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=0)
        top = max((max(r) for r in matrix), default=0) or 1
        for i, row in enumerate(matrix):
            for j, v in enumerate(row):
                if v:
                    ax.text(
                        j,
                        i,
                        fmt.format(v),
                        ha="center",
                        va="center",
                        fontsize=7,
                        fontfamily="DejaVu Sans",
                        color="white" if v > 0.6 * top else "#1c2833",
                    )
        ax.set_xticks(range(len(columns)), columns, rotation=60, ha="right", fontsize=8)
        ax.set_yticks(range(len(rows)), rows, fontsize=8)
        fig.colorbar(image, ax=ax, shrink=0.7, label=colour_label)
    ax.set_title(f"{title[0]} / {title[1]}", fontsize=10)
    return _save(fig, folder, name, title[0], title[1], unit, question, svg)


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
    ax.set_xlabel(
        "2025年具备科学素质的公民比例目标（%）；一个点＝一个方案的目标 / "
        "2025 target share of scientifically literate citizens (%); one dot = one plan's target"
    )
    ax.set_title("科学素质目标：本方案、上级与全国 / Literacy target: plan, parents, national")
    ax.legend(loc="lower right", fontsize=8)
    unit = "一个点＝一个方案的目标（%）/ one dot = one plan's target (%)"
    return _save(
        fig,
        folder,
        "literacy-targets",
        "科学素质目标对比",
        "Literacy targets against parents and national",
        unit,
        "literacy-ambition",
    )


def issue_lag(rows: list[dict[str, object]], folder: Path) -> Chart:
    """Days from the national outline (and from the parent plan) to each plan's issue."""
    _setup()
    rows = [r for r in rows if r.get("daysAfterNational") is not None][:MAX_PLANS_PER_CHART]
    rows.sort(key=lambda r: int(r["daysAfterNational"]))  # type: ignore[call-overload]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 2))
    y = list(range(len(rows)))
    ax.barh(y, [int(r["daysAfterNational"]) for r in rows], color="#5dade2", label="距全国纲要 after national")  # type: ignore[call-overload]
    parents = [
        (i, int(r["daysAfterParent"])) for i, r in zip(y, rows, strict=True) if r.get("daysAfterParent") is not None
    ]  # type: ignore[call-overload]
    if parents:
        ax.scatter(
            [v for _, v in parents], [i for i, _ in parents], color="#1b4f72", zorder=3, label="距上级方案 after parent"
        )
    for i, r in zip(y, rows, strict=True):
        ax.annotate(
            f"{r['daysAfterNational']}",
            (int(r["daysAfterNational"]), i),
            xytext=(4, -3),  # type: ignore[call-overload]
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_yticks(y, [str(r["place"] or r["plan"]) for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("天数；一根条＝一个方案，从全国纲要（2021-06-03）到本方案成文 / days; one bar = one plan")
    ax.set_title("印发时滞 / Issue lag after the national outline")
    ax.legend(loc="lower right", fontsize=8)
    unit = (
        "一根条＝一个方案从全国纲要印发到本方案成文的天数 / one bar = one plan, days from the national outline "
        "to its issue"
    )
    return _save(fig, folder, "issue-lag", "印发时滞", "Issue lag", unit, "issue-lag")


def _num(v: object) -> float | None:
    return None if v is None or v == "" else float(str(v))


def target_attainment(rows: list[dict[str, object]], places: dict[str, str], folder: Path) -> Chart:
    """Each plan's literacy target (and the baseline it states) beside the latest value measured
    for its area or the nearest area containing it (catalogue query ``target-attainment``): one
    row per plan, the measured area and year written beside its dot; a comparison that crosses the
    change of definition (the 2024 survey's graded scoring) is drawn hollow."""
    _setup()
    rows = sorted(rows, key=lambda r: (places.get(str(r["plan"]), str(r.get("place") or r["plan"])), str(r["plan"])))
    rows = rows[:MAX_PLANS_PER_CHART]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(rows) + 2.4))
    y = list(range(len(rows)))
    crossing = 0
    for i, r in zip(y, rows, strict=True):
        target, baseline, latest = _num(r.get("target")), _num(r.get("baseline")), _num(r.get("latest"))
        values = [v for v in (target, baseline, latest) if v is not None]
        if len(values) > 1:
            ax.plot([min(values), max(values)], [i, i], color="#d5d8dc", linewidth=2, zorder=1)
        if baseline is not None:
            ax.scatter([baseline], [i], marker="s", s=45, color="#7f8c8d", zorder=2)
            ax.annotate(
                f"{baseline:g}%（{r.get('baselineYear')}）",
                (baseline, i),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color="#566573",
            )
        if latest is not None:
            crosses = str(r.get("crossesDefinition")).lower() in ("true", "1")
            crossing += crosses
            ax.scatter(
                [latest],
                [i],
                marker="D",
                s=50,
                zorder=3,
                edgecolors="#c0392b",
                linewidths=1.4,
                color="white" if crosses else "#c0392b",
            )
            ax.annotate(
                f"{latest:g}% · {r.get('measuredArea') or '?'} {r.get('latestYear') or ''}",
                (latest, i),
                xytext=(0, -12),
                textcoords="offset points",
                ha="center",
                fontsize=7,
                color="#922b21",
            )
        if target is not None:
            ax.scatter([target], [i], marker="o", s=60, color="#2471a3", zorder=4)
            shown_comparator = "" if r.get("comparator") in (None, "=") else str(r["comparator"])
            ax.annotate(
                f"{shown_comparator}{target:g}%（{r.get('targetYear') or ''}）",
                (target, i),
                xytext=(7, 3),
                textcoords="offset points",
                fontsize=8,
                color="#1b4f72",
            )
    ax.set_yticks(y, [places.get(str(r["plan"]), str(r.get("place") or r["plan"])) for r in rows])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.set_xlabel(
        "具备科学素质的公民比例（%）；一行＝一个方案，一个点＝一个比例 / "
        "share of scientifically literate citizens (%); one row = one plan, one dot = one rate"
    )
    ax.set_title("科学素质目标与实测值 / Literacy targets against measured values")
    ax.legend(
        handles=[
            plt.Line2D([], [], marker="o", ls="", color="#2471a3", label="本方案目标 plan's target"),
            plt.Line2D([], [], marker="s", ls="", color="#7f8c8d", label="方案写明的基线 baseline the plan states"),
            plt.Line2D(
                [], [], marker="D", ls="", color="#c0392b", label="最近地区的最新实测 latest measured, nearest area"
            ),
            plt.Line2D(
                [],
                [],
                marker="D",
                ls="",
                color="white",
                markeredgecolor="#c0392b",
                label="空心：跨越2024年定义变化 hollow: across the 2024 change",
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
    )
    unit = (
        "一行＝一个方案；一个点＝一个比例（%）：目标（圆）、方案写明的基线（方块）、方案地区或包含它的最近有测值地区的"
        "最新调查值（菱形，旁注该地区与调查年份）。2024年起公民科学素质调查改为分级评分，定义有变：目标与测值跨越这一变化的比较"
        f"画成空心菱形（此处 {crossing} 个方案），不宜直接相减；测值地区多大于方案地区，差距只作背景 / "
        "one row = one plan; one dot = one rate (%): the target (circle), the baseline the plan states "
        "(square), the latest survey value of the plan's area or the nearest area containing it (diamond, "
        "named with its survey year). The 2024 survey changed its scoring (a new definition): comparisons "
        f"across that change are hollow (here: {crossing} of the plans) and should not be subtracted as they stand; "
        "the measured area is mostly larger than the plan's, so read the gap as context, not as the plan's "
        "own attainment"
    )
    return _save(
        fig,
        folder,
        "target-attainment",
        "科学素质目标与实测值",
        "Literacy targets against measured values",
        unit,
        "target-attainment",
    )
