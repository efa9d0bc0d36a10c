# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Which agencies carry the load across the five plans?
#
# A research question answered end to end with sciplan-kg's Python API: build the graph of the
# bundled plans, ask it who leads each task, count, tabulate, draw.
#
# Every county plan (全民科学素质行动规划纲要实施方案) gives each task one or more lead
# agencies (牵头单位). A plan either names them for each task (巫山's task table) or once for a
# whole measure (提升行动, 重点工程), and then every task of the measure is led by them. So the
# question has three parts:
#
# 1. the *effective* lead of each task: its own lead where the plan states one, else its measure's;
# 2. a fair count: a task is one unit of its plan's work; when it has *n* co-leads, each carries
#    1/*n* of it, so a plan's shares add up to 100 %;
# 3. a comparison across plans by agency *type* (科协, 教育, 科技, …), since 县科协 in 巫山 and
#    区科协 in 九龙坡 are different bodies of the same kind.
#
# Run it as a script (`python examples/research_question.py`, from any folder: it builds into
# `build/` there), or open it in Jupyter as a notebook (jupytext reads this percent format:
# `jupytext --to notebook examples/research_question.py`, or open the `.py` directly with the
# jupytext extension). It writes `lead-shares.csv` and `lead-shares.png` into the current folder.

# %%
from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

from sciplan_kg import build, run_query

# the query file beside this example (in Jupyter there is no __file__: the notebook's folder)
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()


def pad(text: object, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    text = str(text)
    room = width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return " " * room + text if right else text + " " * room


# %% [markdown]
# ## 1. Build the graph
#
# `build()` with no arguments builds the five bundled plans into `build/` in the current folder,
# as `sciplan-kg build` does; run again, it reuses every plan that has not changed.

# %%
result = build()
print(f"{len(result.plans)} plans, {result.asserted} asserted triples, conforms to the shapes: {result.conforms}")

# %% [markdown]
# ## 2. Who leads each task
#
# `examples/task-leads.rq` gives one row per task and effective lead agency, with the agency's
# type and whether the lead is stated for the task or inherited from its measure (a task the plan
# gives no lead at all is one row without an agency: it is counted as "(no lead)", so that no
# task drops out of the count). Any `.rq` file runs like a catalogue query: `run_query(path)`.

# %%
leads = run_query(HERE / "task-leads.rq")
print(len(leads.rows), "rows:", ", ".join(leads.columns))
for row in leads.rows[:3]:
    print({k: row[k] for k in ("place", "agencyName", "agencyType", "stated")})

# %% [markdown]
# ## 3. Count: one task, one unit, split among its co-leads

# %%
NO_LEAD = "(no lead)"
leads_of: dict[str, list[dict]] = defaultdict(list)  # task IRI → its lead rows
for row in leads.rows:
    leads_of[str(row["task"])].append(row)

tasks_of: dict[str, int] = defaultdict(int)  # place → tasks
load: dict[tuple[str, str], float] = defaultdict(float)  # (place, agency type) → tasks led
agency_load: dict[tuple[str, str, str], float] = defaultdict(float)  # (place, type, agency) → tasks led
stated: dict[str, float] = defaultdict(float)  # place → tasks whose lead is stated for the task
for rows in leads_of.values():
    place = str(rows[0]["place"])
    tasks_of[place] += 1
    stated[place] += 1.0 if rows[0]["stated"] else 0.0
    for row in rows:
        if row["agency"] is None:  # a task the plan gives no lead (the build warns: no-lead)
            kind = agency = NO_LEAD
        else:
            kind, agency = str(row["agencyType"] or "(no type)"), str(row["agencyName"] or row["agency"])
        load[place, kind] += 1 / len(rows)
        agency_load[place, kind, agency] += 1 / len(rows)

places = sorted(tasks_of)
share = {(p, t): 100 * n / tasks_of[p] for (p, t), n in load.items()}
types = sorted({t for _, t in load}, key=lambda t: -sum(share.get((p, t), 0.0) for p in places))

# %% [markdown]
# The table: for each agency type, its share (%) of each plan's tasks, heaviest on average
# first. Each column adds up to 100.

# %%
print(pad("agency type", 20) + "".join(pad(p, 10, True) for p in places) + pad("mean", 10, True))
for kind in types:
    values = [share.get((p, kind), 0.0) for p in places]
    print(pad(kind, 20) + "".join(f"{v:>10.1f}" for v in values) + f"{sum(values) / len(values):>10.1f}")
print(pad("tasks", 20) + "".join(f"{tasks_of[p]:>10}" for p in places))
print(pad("stated lead %", 20) + "".join(f"{100 * stated[p] / tasks_of[p]:>10.1f}" for p in places))

# %% [markdown]
# The heaviest single agency in each plan, and how much of the plan it leads:

# %%
for place in places:
    (kind, agency), tasks = max(
        (((k, a), n) for (p, k, a), n in agency_load.items() if p == place), key=lambda item: item[1]
    )
    print(
        f"{place}: {agency} ({kind}) leads {tasks:.1f} of {tasks_of[place]} tasks "
        f"({100 * tasks / tasks_of[place]:.0f} %)"
    )

# %% [markdown]
# The same numbers per agency, for a spreadsheet:

# %%
with open("lead-shares.csv", "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f)
    writer.writerow(["place", "agencyType", "agency", "tasksLed", "planTasks", "sharePercent"])
    for (place, kind, agency), tasks in sorted(agency_load.items()):
        writer.writerow(
            [place, kind, agency, round(tasks, 3), tasks_of[place], round(100 * tasks / tasks_of[place], 1)]
        )
print("wrote lead-shares.csv")

# %% [markdown]
# ## 4. Draw
#
# One bar per plan, split by agency type; the five largest types have colours of their own, the
# rest are grey. One unit is one task of the plan, shared equally among its co-leads, so every bar
# ends at 100 %. Chinese labels need a CJK font (`fonts-noto-cjk`, which `make install` installs).

# %%
import matplotlib  # noqa: E402

if "__file__" in globals():  # as a script: draw into the file only
    matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
shown, rest = types[:5], types[5:]
fig, ax = plt.subplots(figsize=(8, 3.6))
left = [0.0] * len(places)
for kind, colour in zip([*shown, "其他 other"], [*plt.cm.tab10.colors[: len(shown)], "0.75"], strict=True):
    kinds = [kind] if kind in shown else rest
    widths = [sum(share.get((p, k), 0.0) for k in kinds) for p in places]
    ax.barh(places, widths, left=left, color=colour, label=kind)
    left = [a + b for a, b in zip(left, widths, strict=True)]
ax.set_xlim(0, 100)
ax.set_xlabel("share of the plan's tasks led (%) — one task = 1 unit, split equally among its co-leads")
ax.set_title("Who leads the tasks of each plan, by agency type")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=6, frameon=False, fontsize=8)
fig.tight_layout()
fig.savefig("lead-shares.png", dpi=120)
print("wrote lead-shares.png")
