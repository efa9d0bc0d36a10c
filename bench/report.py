"""bench/results.json → BENCHMARKS.md (the tables; the prose around them is kept in
bench/BENCHMARKS.head.md and bench/BENCHMARKS.tail.md and copied above and below them).

    python bench/report.py RESULTS OUT [--before EARLIER_RESULTS]

With ``--before`` (bench/run.py passes the newest dated copy, bench/results-<date>.json), each
figure of the end-to-end and evaluated-query tables reads "before → now" for the sizes both runs
measured, so a change is judged against the run it replaces. Works from the results alone.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _s(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _mb(x: float) -> str:
    return f"{x / 2**20:,.0f}"


def _pair(before: str | None, now: str) -> str:
    """ "before → now" when the earlier run has the figure (and it is not the same text)."""
    if before is None or before in ("-", now):
        return now
    return f"{before} → {now}"


def _merge(before: list[str] | None, now: list[str]) -> list[str]:
    return [_pair(b, n) for b, n in zip(before, now, strict=True)] if before else now


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--before", type=Path, help="an earlier run's results, shown before → now")
    args = ap.parse_args()
    data = json.loads(args.results.read_text(encoding="utf-8"))
    out = args.out
    rows = data["rows"]
    earlier = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    before = {r["plans"]: r for r in earlier["rows"]} if earlier else {}
    lines = [(ROOT / "bench" / "BENCHMARKS.head.md").read_text(encoding="utf-8").rstrip(), ""]
    lines += [f"Machine: {data['machine']}. Versions: {data['versions']}. Run {data['date']} by `make bench`.", ""]
    if earlier:
        lines += [
            f"Figures read **before → now**: the run of {earlier['date']} ({args.before.name}, "
            f"{earlier['machine']}) → this run, for the sizes both measured.",
            "",
        ]
    lines += ["## End to end", ""]
    lines += [
        "| plans | triples (asserted + inferred) | build s | build peak MB | export s "
        "| load into store (and, from 2026-12-05, its tables) s | kept answers s (in parentheses: after, not counted) "
        "| load + answers peak MB | `oxigraph load` floor s | end to end s "
        "| naive s | naive ÷ ours | ours ÷ floor | 1 plan changed: rebuild s + store and answers s "
        "| add one plan: rebuild s + store s | add 100 plans: rebuild s + store s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    largest_naive = max((r for r in rows if "naive_wall" in r), key=lambda r: r["plans"], default=None)
    for r in rows:
        now = _end_to_end_cells(r, largest_naive)
        was = _end_to_end_cells(before[r["plans"]], largest_naive) if r["plans"] in before else None
        lines.append(f"| {r['plans']:,} | " + " | ".join(_merge(was, now)) + " |")
    lines += [
        "",
        "## Build stages (CPU seconds summed over the plans, across the worker processes; corpus steps wall)",
        "",
    ]
    stages = sorted({k for r in rows for k in r["stages"]})
    lines += ["| plans | " + " | ".join(stages) + " |", "|---:|" + "---:|" * len(stages)]
    for r in rows:
        lines.append(f"| {r['plans']:,} | " + " | ".join(_s(r["stages"].get(k, 0.0)) for k in stages) + " |")
    naive_rows = [r for r in rows if "naive_stages" in r]
    if naive_rows:
        lines += ["", "## The naive pipeline, same plans (seconds)", ""]
        keys = [k for k in naive_rows[0]["naive_stages"] if k != "triples"]
        lines += ["| plans | " + " | ".join(keys) + " | total | peak MB |", "|---:|" + "---:|" * (len(keys) + 2)]
        for r in naive_rows:
            lines.append(
                f"| {r['plans']:,} | "
                + " | ".join(_s(r["naive_stages"][k]) for k in keys)
                + f" | {_s(r['naive_wall'])} | {_mb(r['naive_peak'])} |"
            )
    lines += ["", "## Catalogue queries on the embedded Oxigraph store", ""]
    lines += [
        "Seconds for the first run in a fresh process (what `sciplan-kg query` meets) / the same query",
        "again in that process (a notebook, the report), (rows returned), and · the query evaluated",
        "(`--evaluate`: what every run cost before the store kept answers). bench/queries.py.",
        "",
    ]
    names = sorted({q for r in rows for q in r["queries"]})
    lines += ["| query | " + " | ".join(f"{r['plans']:,} plans" for r in rows) + " |", "|---|" + "---:|" * len(rows)]
    for q in names:
        cells = [_query_cell(r["queries"].get(q)) for r in rows]
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    per_plan = [r for r in rows if r.get("queries_plan")]
    if per_plan:
        lines += ["", "The queries with a `plan` parameter, asked for one plan (`-p plan IRI`, the first by IRI):", ""]
        lines += [
            "| query | " + " | ".join(f"{r['plans']:,} plans" for r in per_plan) + " |",
            "|---|" + "---:|" * len(per_plan),
        ]
        for q in sorted({q for r in per_plan for q in r["queries_plan"]}):
            lines.append(f"| {q} | " + " | ".join(_query_cell(r["queries_plan"].get(q)) for r in per_plan) + " |")
    lines += _evaluated_table(rows, before)
    lines += _user_table(rows)
    lines += _command_line_table(rows)
    lines += _virtuoso_tables(rows)
    acc = [r for r in rows if "accuracy" in r]
    if acc:
        lines += ["", "## Extraction accuracy on generated plans (bench/accuracy.py)", ""]
        lines += [
            "| plans | measures F1 | tasks F1 | lead agencies P / R | targets F1 "
            "| title | doc. number | literacy target | parent links P / R (expected) "
            "| parent tasks classed as made: copied / adapted |"
        ]
        lines += ["|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in acc:
            a = r["accuracy"]
            lines.append(
                f"| {r['plans']:,} | {a['measures']['f1']:.3f} | {a['tasks']['f1']:.3f} "
                f"| {a['leads']['precision']:.3f} / {a['leads']['recall']:.3f} | {a['targets']['f1']:.3f} "
                f"| {a['title']['accuracy']:.3f} | {a['doc_number']['accuracy']:.3f} "
                f"| {a['literacy_target']['accuracy']:.3f} | {_parents_cell(a)} | {_parent_tasks_cell(a)} |"
            )
    tail = ROOT / "bench" / "BENCHMARKS.tail.md"
    if tail.is_file():
        lines.append(tail.read_text(encoding="utf-8").rstrip())
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def end_to_end(r: dict) -> float:  # type: ignore[type-arg]
    """Seconds until a first query can be answered: build, export, load. Rows before
    2026-12-05 made the tables and kept every answer in a step after the load (``views_wall``,
    counted); since then the load makes the tables and the answers are kept afterwards
    (``keep_wall``, not counted)."""
    return float(r["build_wall"] + r["export_wall"] + r["load_wall"] + r.get("views_wall", 0.0))


def _spread(values: list[float], ratio: bool = False) -> str:
    """`` (3 runs: 180.1–206.0)`` after a median taken of several runs (seconds, or a ratio
    ``3.1–4.0×``); nothing for one."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = f"{low:.1f}–{high:.1f}×" if ratio else f"{_s(low)}–{_s(high)}"
    return f" ({len(values)} runs: {span})"


def _end_to_end_cells(r: dict, largest_naive: dict | None) -> list[str]:  # type: ignore[type-arg]
    """The end-to-end table's cells of one size, after the plans column ("-" where not measured).
    A row of several runs (``run.py --repeat``) shows the median run's figures and the range."""
    total = end_to_end(r)
    passes = r.get("passes", [])
    triples = r["asserted"] + r["inferred"]
    if "naive_wall" in r:
        naive, mark = r["naive_wall"], ""
    elif largest_naive:
        per = largest_naive["naive_wall"] / (largest_naive["asserted"] + largest_naive["inferred"])
        naive, mark = per * triples, " (est.)"
    else:
        naive, mark = float("nan"), ""
    views = _s(r["views_wall"]) if "views_wall" in r else f"({_s(r['keep_wall'])})" if "keep_wall" in r else "-"
    resync = _s(r["resync_one_wall"]) if "resync_one_wall" in r else "-"
    replace = f"{_s(r['rebuild_one_wall'])} + {resync}" + _spread(r.get("replace_one_passes", []))
    grow = [
        f"{_s(r[k + '_rebuild_wall'])} + {_s(r[k + '_sync_wall'])}" if k + "_wall" in r else "-"
        for k in ("add_one", "add_100")
    ]
    return [
        f"{r['asserted']:,} + {r['inferred']:,}",
        _s(r["build_wall"]),
        _mb(r["build_peak"]),
        _s(r["export_wall"]),
        _s(r["load_wall"]),
        views,
        _mb(max(r["load_peak"], r.get("views_peak", 0), r.get("keep_peak", 0))),
        _s(r["floor_wall"]) + _spread([p["floor_wall"] for p in passes]),
        _s(total) + _spread([end_to_end(p) for p in passes]),
        f"{_s(naive)}{mark}",
        f"{naive / total:.1f}×{mark}",
        f"{total / r['floor_wall']:.1f}×" + _spread([end_to_end(p) / p["floor_wall"] for p in passes], ratio=True),
        replace,
        grow[0] + _spread(r.get("add_one_passes", [])),
        grow[1],
    ]


def _evaluated(cell: list[float | int | None] | None) -> str:
    """The seconds a query takes evaluated: the median of three (bench/queries.py since
    2026-12-03), or the one evaluation older results hold; "-" when not run or stopped."""
    if cell is None or len(cell) < 4:
        return "-"
    value = cell[4] if len(cell) > 4 and cell[4] is not None else cell[3]
    return "-" if value is None else _s(float(value))


def _evaluated_table(rows: list[dict[str, object]], before: dict[int, dict[str, object]] | None = None) -> list[str]:
    """Every catalogue query evaluated (``--evaluate``: what a query other than the kept one
    costs), whole corpus and one plan side by side, against issue 22's goals."""
    sizes = [r for r in rows if r.get("queries")]
    if not sizes:
        return []
    lines = [
        "",
        "## Catalogue queries evaluated: whole corpus / one plan",
        "",
        "Seconds to evaluate each catalogue query (`--evaluate`, median of three runs in one fresh process;",
        "older results: one run): over the whole corpus / for one plan (`-p plan IRI`, the first by IRI;",
        '"-" where the query has no `plan` parameter). Goal at 3,000 plans: under 5 s / under 0.5 s.',
        *(["Each figure: the earlier run → this run."] if before else []),
        "",
        *_query_columns(sizes),
    ]
    names = sorted({q for r in sizes for q in r["queries"]})  # type: ignore[attr-defined]
    for q in names:
        cells = []
        for r in sizes:
            was = (before or {}).get(r["plans"])  # type: ignore[call-overload]
            corpus = _evaluated(r["queries"].get(q))  # type: ignore[attr-defined]
            plan = _evaluated((r.get("queries_plan") or {}).get(q))  # type: ignore[attr-defined]
            if was:
                corpus = _pair(_evaluated((was.get("queries") or {}).get(q)), corpus)
                plan = _pair(_evaluated((was.get("queries_plan") or {}).get(q)), plan)
            cells.append(f"{corpus} / {plan}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def _user_table(rows: list[dict[str, object]]) -> list[str]:
    """Each catalogue query saved as a user's own ``.rq`` (``bench/queries.py --user``): the
    translation to SQL where it covers the query, beside Oxigraph alone."""
    sizes = [r for r in rows if r.get("queries_user")]
    if not sizes:
        return []
    lines = [
        "",
        "## Your own queries: each catalogue query saved as a user's `.rq`",
        "",
        "Seconds evaluated as `sciplan-kg query my.rq` evaluates it — translated to SQL on the DuckDB",
        "tables (`query/translate.py`), median of three — → on Oxigraph alone, once; ✓ the same rows.",
        "The queries the translation does not cover are evaluated on Oxigraph as the catalogue's own",
        "(the table above). Goal at 3,000 plans: as fast as the catalogue's listings, under 5 s.",
        "",
        *_query_columns(sizes),
    ]
    names = sorted({q for r in sizes for q, v in r["queries_user"].items() if v.get("engine") == "duckdb"})  # type: ignore[attr-defined]
    for q in names:
        cells = []
        for r in sizes:
            v = r["queries_user"].get(q) or {}  # type: ignore[attr-defined]
            if v.get("engine") != "duckdb":
                cells.append("-")
                continue
            same = " ✓" if v.get("same") else " ✗"
            cells.append(f"{_s(float(v['median']))} → {_s(float(v['oxigraph']))}{same}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def _query_columns(sizes: list[dict[str, object]]) -> list[str]:
    """The head of a table with a row per query and a column per corpus size."""
    return ["| query | " + " | ".join(f"{r['plans']:,} plans" for r in sizes) + " |", "|---|" + "---:|" * len(sizes)]


def _command_line_table(rows: list[dict[str, object]]) -> list[str]:
    """One plan's rows at the command line, start-up included (``bench/queries.py --cli``); the
    sizes measured before the column was added are left out."""
    sizes = [r for r in rows if r.get("queries_cli")]
    if not sizes:
        return []
    lines = [
        "",
        "## One plan at the command line, start-up included",
        "",
        "Seconds a researcher at the terminal waits for `sciplan-kg query NAME -p plan IRI --evaluate",
        "--format csv` (the plan the table above asks for), each run a new process, median of three:",
        "Python's start, the imports, the check that the store is in step with the build folder, the",
        "plan's scope and the CSV, all counted (rows in parentheses). Goal at 3,000 plans: under 0.5 s.",
        "",
        *_query_columns(sizes),
    ]
    names = sorted({q for r in sizes for q in r["queries_cli"]})  # type: ignore[attr-defined]
    for q in names:
        cells = []
        for r in sizes:
            median, count = r["queries_cli"].get(q) or [None, None]  # type: ignore[attr-defined]
            cells.append("-" if median is None else f"{_s(float(median))} ({count:,})")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def _virtuoso_tables(rows: list[dict[str, object]]) -> list[str]:
    """The server beside the embedded store (bench/virtuoso.py): the load, the server's memory
    and disk, and every catalogue query evaluated on both, whole corpus / one plan; "not run"
    for a size measured without Virtuoso installed."""
    sizes = [r for r in rows if r.get("queries")]
    if not sizes:
        return []
    lines = [
        "",
        "## The next size: Virtuoso beside the embedded store",
        "",
        "Virtuoso 7 (Debian's virtuoso-opensource) loaded by `make virtuoso-serve` (its bulk loader, the",
        "build in one named graph; docs/scaling.md). Load: bulk load and checkpoint, seconds (the server's",
        "CPU seconds, its start included); memory: the server's resident MB after the load / its peak after",
        "every query; disk: its database. Graph listing: what `--endpoint` asks once per process, not in",
        "the query times.",
        "",
        "| plans | load s (server CPU s) | memory MB loaded / peak | disk MB | graph listing s |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        v = r.get("virtuoso")
        if not isinstance(v, dict) or "error" in v:
            why = f"failed: {v['error'][:80]}" if isinstance(v, dict) else "not run"
            lines.append(f"| {r['plans']:,} | {why} | - | - | - |")
            continue
        lines.append(
            f"| {r['plans']:,} | {_s(float(v['load_seconds']))} ({v['load_cpu']:.0f}) "
            f"| {_mb(v['rss_loaded'])} / {_mb(v['peak'])} | {_mb(v['disk_bytes'])} | {_s(v['graphs_seconds'])} |"
        )
    lines += [
        "",
        "Every catalogue query evaluated, seconds, whole corpus / one plan: embedded (median of three,",
        "bench/queries.py) · Virtuoso (median of three after a first run, bench/virtuoso.py).",
        "",
        *_query_columns(sizes),
    ]
    for q in sorted({q for r in sizes for q in r["queries"]}):  # type: ignore[attr-defined]
        cells = []
        for r in sizes:
            here = f"{_evaluated(r['queries'].get(q))} / {_evaluated((r.get('queries_plan') or {}).get(q))}"  # type: ignore[attr-defined]
            v = r.get("virtuoso")
            if isinstance(v, dict) and "error" in v:
                there = "failed"
            elif isinstance(v, dict):
                there = f"{_served(v['queries'].get(q))} / {_served(v['queries_plan'].get(q))}"
            else:
                there = "not run"
            cells.append(f"{here} · {there}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


def _served(cell: list[float | int | None] | None) -> str:
    """Virtuoso's median of three from [first, rows, median]; "-" when not asked or stopped."""
    if cell is None or cell[2] is None:
        return "-"
    return _s(float(cell[2]))


def _parents_cell(a: dict[str, Any]) -> str:
    """Parent links found against the truth (runs before the generator wrote parents: —)."""
    p = a.get("parents")
    if not p:
        return "—"
    return f"{p['precision']:.3f} / {p['recall']:.3f} ({p['expected']:,})"


def _parent_tasks_cell(a: dict[str, Any]) -> str:
    t = a.get("parent_tasks")
    if not t:
        return "—"
    return " / ".join(f"{t[k]['accuracy']:.3f} ({t[k]['expected']:,})" for k in ("copied", "adapted"))


def _query_cell(cell: list[float | int | None] | None) -> str:
    """ "first / again (rows) · evaluated" from bench/queries.py; older results held [seconds, rows]
    or [first, again, rows]."""
    if cell is None:
        return "-"
    if len(cell) == 2:
        seconds, rows = cell
        return f"> {seconds:.0f} (stopped)" if rows is None else f"{_s(float(seconds))} ({int(rows):,})"
    first, again, rows = cell[:3]
    if first is None or again is None or rows is None:
        return "stopped"
    evaluated = f" · {_s(float(cell[3]))}" if len(cell) > 3 and cell[3] is not None else ""
    return f"{_s(float(first))} / {_s(float(again))} ({int(rows):,}){evaluated}"


if __name__ == "__main__":
    main()
