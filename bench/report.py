"""bench/results.json → BENCHMARKS.md (the tables; the prose around them is kept in
bench/BENCHMARKS.head.md and bench/BENCHMARKS.tail.md and copied above and below them)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _s(x: float) -> str:
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def _mb(x: float) -> str:
    return f"{x / 2**20:,.0f}"


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    rows = data["rows"]
    lines = [(ROOT / "bench" / "BENCHMARKS.head.md").read_text(encoding="utf-8").rstrip(), ""]
    lines += [f"Machine: {data['machine']}. Versions: {data['versions']}. Run {data['date']} by `make bench`.", ""]
    lines += ["## End to end", ""]
    lines += [
        "| plans | triples (asserted + inferred) | build s | build peak MB | export s "
        "| load into store s | kept answers s | load + answers peak MB | `oxigraph load` floor s | end to end s "
        "| naive s | naive ÷ ours | ours ÷ floor | 1 plan changed: rebuild s + store and answers s "
        "| add one plan: rebuild s + store s | add 100 plans: rebuild s + store s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    largest_naive = max((r for r in rows if "naive_wall" in r), key=lambda r: r["plans"], default=None)
    for r in rows:
        total = r["build_wall"] + r["export_wall"] + r["load_wall"] + r.get("views_wall", 0.0)
        triples = r["asserted"] + r["inferred"]
        if "naive_wall" in r:
            naive, mark = r["naive_wall"], ""
        elif largest_naive:
            per = largest_naive["naive_wall"] / (largest_naive["asserted"] + largest_naive["inferred"])
            naive, mark = per * triples, " (est.)"
        else:
            naive, mark = float("nan"), ""
        views = _s(r["views_wall"]) if "views_wall" in r else "-"
        resync = _s(r["resync_one_wall"]) if "resync_one_wall" in r else "-"
        grow = [
            f"{_s(r[k + '_rebuild_wall'])} + {_s(r[k + '_sync_wall'])}" if k + "_wall" in r else "-"
            for k in ("add_one", "add_100")
        ]
        lines.append(
            f"| {r['plans']:,} | {r['asserted']:,} + {r['inferred']:,} "
            f"| {_s(r['build_wall'])} | {_mb(r['build_peak'])} | {_s(r['export_wall'])} "
            f"| {_s(r['load_wall'])} | {views} | {_mb(max(r['load_peak'], r.get('views_peak', 0)))} "
            f"| {_s(r['floor_wall'])} | {_s(total)} | {_s(naive)}{mark} | {naive / total:.1f}×{mark} "
            f"| {total / r['floor_wall']:.1f}× | {_s(r['rebuild_one_wall'])} + {resync} | {grow[0]} | {grow[1]} |"
        )
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
    lines += _evaluated_table(rows)
    acc = [r for r in rows if "accuracy" in r]
    if acc:
        lines += ["", "## Extraction accuracy on generated plans (bench/accuracy.py)", ""]
        lines += [
            "| plans | measures F1 | tasks F1 | lead agencies P / R | targets F1 "
            "| title | doc. number | literacy target |"
        ]
        lines += ["|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in acc:
            a = r["accuracy"]
            lines.append(
                f"| {r['plans']:,} | {a['measures']['f1']:.3f} | {a['tasks']['f1']:.3f} "
                f"| {a['leads']['precision']:.3f} / {a['leads']['recall']:.3f} | {a['targets']['f1']:.3f} "
                f"| {a['title']['accuracy']:.3f} | {a['doc_number']['accuracy']:.3f} "
                f"| {a['literacy_target']['accuracy']:.3f} |"
            )
    tail = ROOT / "bench" / "BENCHMARKS.tail.md"
    if tail.is_file():
        lines.append(tail.read_text(encoding="utf-8").rstrip())
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _evaluated(cell: list[float | int | None] | None) -> str:
    """The seconds a query takes evaluated: the median of three (bench/queries.py since
    2026-12-03), or the one evaluation older results hold; "-" when not run or stopped."""
    if cell is None or len(cell) < 4:
        return "-"
    value = cell[4] if len(cell) > 4 and cell[4] is not None else cell[3]
    return "-" if value is None else _s(float(value))


def _evaluated_table(rows: list[dict[str, object]]) -> list[str]:
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
        "",
        "| query | " + " | ".join(f"{r['plans']:,} plans" for r in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    names = sorted({q for r in sizes for q in r["queries"]})  # type: ignore[attr-defined]
    for q in names:
        cells = []
        for r in sizes:
            corpus = _evaluated(r["queries"].get(q))  # type: ignore[attr-defined]
            plan = _evaluated((r.get("queries_plan") or {}).get(q))  # type: ignore[attr-defined]
            cells.append(f"{corpus} / {plan}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return lines


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
