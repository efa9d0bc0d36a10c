"""Time the catalogue queries on a built corpus's embedded store, as a user meets them.

    python bench/queries.py BUILD [NAME ...] [--limit SECONDS] [--plan | --user | --cli] [--json]

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
(the first by IRI with a parent plan in the corpus, ``first_plan``), as a researcher reads one
plan. `make bench` calls this for every size; run it alone to profile a change.

``--user``: each catalogue query saved as a user's own ``.rq`` (the same text and a comment), as
a researcher who copies one and edits it: no kept answer, and not the catalogue's text, so
``sciplan-kg query`` translates it to SQL on the DuckDB tables when ``query/translate.py``
covers it (``engine``: duckdb) and evaluates it on Oxigraph otherwise. Timed: the median of three
such evaluations, and one evaluation on Oxigraph alone beside it (``oxigraph s``); ``same``: the
two answers hold the same rows.

``--cli``: what a researcher at the terminal waits for one plan's rows, start-up included: each
query with a ``plan`` parameter run as ``sciplan-kg query NAME -p plan IRI --evaluate --format
csv`` (its output read and thrown away) three times, each a new process; the median of the three
wall-clock times. Python's start, the imports, the check that the store is in step with the
build folder, the plan's scope and the CSV all count; the store is in step before (a first
command synced it).
"""

from __future__ import annotations

import argparse
import csv
import io
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


def user_one(build: Path, name: str, limit: float) -> dict[str, float | int | str | bool | None]:
    """A catalogue query saved as a user's own, evaluated as ``sciplan-kg query FILE.rq`` does
    (three times: the median) and on Oxigraph alone (once); only the engine when the translation
    does not cover it (Oxigraph evaluates it as the catalogue's own: the tables above)."""
    from dataclasses import replace

    from rdflib.plugins.sparql import prepareQuery

    from sciplan_kg.query import translate
    from sciplan_kg.query.backends import OxigraphBackend, with_values
    from sciplan_kg.query.catalogue import catalogue
    from sciplan_kg.query.frames import FramesBackend
    from sciplan_kg.query.kept import open_store
    from sciplan_kg.query.run import bindings
    from sciplan_kg.store.sync import store_path

    store = open_store(build)
    q = catalogue()[name]
    q = replace(q, name=f"my-{name}", text=q.text + "\n# my copy\n")
    try:
        translate.translate(prepareQuery(with_values(q.text, bindings(q, {}), q.name)).algebra)
        engine = "duckdb"
    except translate.Unsupported:
        return {"engine": "oxigraph"}  # evaluated as the catalogue's own (the other tables)
    times = []
    for _ in range(3):
        backend = FramesBackend(store, store_path(build), scope=store_path(build))
        start = time.perf_counter()
        rows = backend.run(q, {}).rows
        times.append(time.perf_counter() - start)
    out: dict[str, float | int | str | bool | None] = {"engine": engine, "median": statistics.median(times)}
    out["rows"] = len(rows)
    start = time.perf_counter()
    expected = OxigraphBackend(store).run(q, {}, timeout=limit).rows
    out["oxigraph"] = time.perf_counter() - start
    out["same"] = sorted(map(repr, rows)) == sorted(map(repr, expected))
    return out


_SK = "https://w3id.org/sciplan-kg/ontology#"
# the plan asked for one plan's rows, the first of these that finds one: the first by IRI of the
# plans whose parent plan is in the corpus (so the parent queries have rows to give, as for most
# plans of a real corpus: the counties'), or the first plan by IRI when no plan has one (the five
# bundled plans, the corpora generated before session U); bench/virtuoso.py asks the same
PLAN_ASKED = (
    f"SELECT ?p WHERE {{ ?p <{_SK}parentPlan> ?parent ; a <{_SK}ImplementationPlan> }} ORDER BY ?p LIMIT 1",
    f"SELECT ?p WHERE {{ ?p a <{_SK}ImplementationPlan> }} ORDER BY ?p LIMIT 1",
)


def first_plan(build: Path) -> str:
    """The plan ``--plan`` asks for (``PLAN_ASKED``)."""
    from sciplan_kg.query.kept import open_store

    store = open_store(build)
    for query in PLAN_ASKED:
        found = list(store.query(query))
        if found:
            return str(found[0]["p"].value)
    raise SystemExit(f"{build}: no plan in the store")


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


def command_line(build: Path, names: list[str], limit: float) -> dict[str, list[float | int | None]]:
    """{query: [median s, rows]} of ``sciplan-kg query NAME -p plan IRI`` run three times (``--cli``);
    [None, None] where a run failed or was stopped."""
    from sciplan_kg.query.catalogue import catalogue

    plan = first_plan(build)
    cli = str(Path(sys.executable).with_name("sciplan-kg"))
    out: dict[str, list[float | int | None]] = {}
    for name, q in catalogue().items():
        if (names and name not in names) or not any(p.name == "plan" for p in q.params):
            continue
        cmd = [cli, "query", name, "-p", "plan", plan, "--data", str(build), "--evaluate", "--format", "csv"]
        times: list[float] = []
        rows: int | None = None
        for _ in range(3):
            start = time.perf_counter()
            try:
                done = subprocess.run(cmd, capture_output=True, timeout=limit, check=True)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                break
            times.append(time.perf_counter() - start)
            rows = max(0, len(list(csv.reader(io.StringIO(done.stdout.decode("utf-8"))))) - 1)  # the header
        out[name] = [statistics.median(times), rows] if len(times) == 3 else [None, None]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("names", nargs="*")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds one run may take (default 60)")
    ap.add_argument("--json", action="store_true", help="print the timings as JSON")
    ap.add_argument("--plan", action="store_true", help="the queries with a plan parameter, for one plan")
    ap.add_argument("--user", action="store_true", help="each query saved as a user's own .rq (see above)")
    ap.add_argument("--cli", action="store_true", help="one plan at the command line, start-up included (see above)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--plan-iri", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one and args.user:
        print(json.dumps(user_one(args.build, args.names[0], args.limit)))
        return
    if args.user:
        if not args.json:
            print(f"{'query':28} {'engine':>8} {'median s':>9} {'rows':>8} {'oxigraph s':>10} {'same':>5}")
        results: dict[str, dict[str, object]] = {}
        for name in args.names or list(_names()):
            cmd = [sys.executable, __file__, str(args.build), name, "--one", "--user", "--limit", str(args.limit)]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=5 * args.limit)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                results[name] = {"engine": "failed"}
                continue
            r = results[name] = json.loads(done.stdout)
            if not args.json and r["engine"] == "duckdb":
                print(
                    f"{name:28} {r['engine']:>8} {r['median']:9.2f} {r['rows']:8} {r['oxigraph']:10.2f}"
                    f" {r['same']!s:>5}",
                    flush=True,
                )
            elif not args.json:
                print(f"{name:28} {r['engine']:>8}", flush=True)
        if args.json:
            print(json.dumps(results))
        return
    if args.cli:
        cells = command_line(args.build, args.names, args.limit)
        if args.json:
            print(json.dumps(cells))
            return
        print(f"{'query':24} {'median s':>8} {'rows':>8}")
        for name, (median, rows) in cells.items():
            shown = "-" if median is None else f"{median:.2f}"
            print(f"{name:24} {shown:>8} {'-' if rows is None else rows:>8}")
        return
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


def _names() -> list[str]:
    from sciplan_kg.query.catalogue import catalogue

    return list(catalogue())


if __name__ == "__main__":
    main()
