"""Time the catalogue queries on a built corpus's embedded store, as a user meets them.

    python bench/queries.py BUILD [NAME ...] [--limit SECONDS] [--plan] [--json]

Each query runs in a fresh process (``--one``), which opens the store and runs it twice through
the same API the CLI uses: ``first`` is what a ``sciplan-kg query`` sees (Oxigraph's block
cache empty; the operating system's file cache warm), ``again`` what a notebook or the report
sees on a second query. A catalogue query at its default parameters is served from the answer
the store keeps (``query/kept.py``); ``evaluated`` is the same query evaluated once more in
that process, as ``--evaluate`` does (syntax check, evaluation, conversion to Python rows), then
twice more: ``evaluated_median`` is the median of the three (the machine is shared and noisy).
The backend is the one ``sciplan-kg query`` uses on a build folder: ``FramesBackend`` (the five
whole-corpus listings on DuckDB, ``query/frames.py``; everything else on Oxigraph) when DuckDB
is installed, else ``OxigraphBackend``; ``bench/engines.py`` times Oxigraph alone.
Python start-up and opening the store are not counted. A query still running at the limit is stopped and
shown as ``-``. ``--plan``: the queries that take a ``plan`` parameter, asked for one plan
(the first by IRI), as a researcher reads one plan. `make bench` calls this for every size;
run it alone to profile a change.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def one(build: Path, name: str, params: dict[str, str]) -> dict[str, float | int]:
    """Run one catalogue query twice in this process as ``sciplan-kg query`` does, then once
    evaluated: seconds for each run, and the rows."""
    from sciplan_kg.query.backends import OxigraphBackend
    from sciplan_kg.query.catalogue import catalogue
    from sciplan_kg.query.frames import FramesBackend, available
    from sciplan_kg.query.kept import open_store
    from sciplan_kg.store.sync import store_path

    store = open_store(build)
    where = store_path(build)

    def make(kept: Path | None) -> OxigraphBackend:
        if available():
            return FramesBackend(store, where, kept=kept, scope=where)
        return OxigraphBackend(store, kept=kept, scope=where)

    q = catalogue()[name]
    out: dict[str, float | int] = {}
    evaluated: list[float] = []
    # as `sciplan-kg query` makes it (query.backend): a query of scope plan asked for one plan
    # is evaluated on that plan's graphs; each evaluated run in a new backend, so it loads them
    for run, backend in (
        ("first", make(where)),
        ("again", make(where)),
        ("evaluated", make(None)),
        ("evaluated", make(None)),
        ("evaluated", make(None)),
    ):
        start = time.perf_counter()
        rows = len(backend.run(q, params).rows)
        seconds = time.perf_counter() - start
        if run == "evaluated":
            evaluated.append(seconds)
        out.setdefault(run, seconds)  # the first evaluation, as before
    out["rows"] = rows
    out["evaluated_median"] = statistics.median(evaluated)
    return out


def first_plan(build: Path) -> str:
    """The IRI of the build's first plan (in IRI order): the plan ``--plan`` asks for."""
    from sciplan_kg.query.kept import open_store

    store = open_store(build)
    query = "SELECT ?p WHERE { ?p a <https://w3id.org/sciplan-kg/ontology#ImplementationPlan> } ORDER BY ?p LIMIT 1"
    return next(iter(store.query(query)))["p"].value


def profile(build: Path, names: list[str], limit: float, per_plan: bool = False) -> dict[str, list[float | int | None]]:
    """{query: [first s, again s, rows, evaluated s, median of three evaluations s]}, each query in
    its own process; None where stopped.
    ``per_plan``: only the queries with a ``plan`` parameter, asked for one plan."""
    from sciplan_kg.query.catalogue import catalogue

    plan = first_plan(build) if per_plan else None
    out: dict[str, list[float | int | None]] = {}
    for name, q in catalogue().items():
        if (names and name not in names) or (plan and not any(p.name == "plan" for p in q.params)):
            continue
        cmd = [sys.executable, __file__, str(build), name, "--one"] + (["--plan-iri", plan] if plan else [])
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * limit, check=True)
        except subprocess.TimeoutExpired:
            out[name] = [None, None, None, None, None]
            continue
        r = json.loads(done.stdout)
        out[name] = [r["first"], r["again"], r["rows"], r["evaluated"], r["evaluated_median"]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("names", nargs="*")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds one run may take (default 60)")
    ap.add_argument("--json", action="store_true", help="print the timings as JSON")
    ap.add_argument("--plan", action="store_true", help="the queries with a plan parameter, for one plan")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--plan-iri", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.build, args.names[0], {"plan": args.plan_iri} if args.plan_iri else {})))
        return
    timings = profile(args.build, args.names, args.limit, per_plan=args.plan)
    if args.json:
        print(json.dumps(timings))
        return
    print(f"{'query':24} {'first s':>8} {'again s':>8} {'rows':>8} {'eval. s':>8} {'median s':>8}")
    for name, (first, again, rows, evaluated, median) in timings.items():
        if first is None:
            print(f"{name:24} {'>' + format(args.limit, 'g'):>8} {'-':>8} {'-':>8} {'-':>8} {'-':>8}", flush=True)
        else:
            print(f"{name:24} {first:8.2f} {again:8.2f} {rows:8} {evaluated:8.2f} {median:8.2f}", flush=True)


if __name__ == "__main__":
    main()
