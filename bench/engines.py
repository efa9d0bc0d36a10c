"""Measure a second embedded engine (maplib, DuckDB) against Oxigraph for the catalogue queries
evaluated over a whole corpus (issue 22: every catalogue query under 5 s at 3,000 plans).

Why a script of its own: the engines are measured each in a fresh process (peak memory is the
process's), the rows Oxigraph gives are written once to a folder and every other engine is
compared with them, row for row, after the same conversion to plain values (``finish``).

    bench/engines.py oxigraph STORE OUT          # rows and medians of 3 of every catalogue query
    bench/engines.py maplib BUILD OUT REF        # load the build's Turtle, run every query
    bench/engines.py tables STORE OUT            # make the DuckDB tables afresh from the store's files
    bench/engines.py update STORE OUT            # bring them in step after a change (one plan added)
    bench/engines.py duckdb STORE OUT REF        # the five listings on DuckDB (FramesBackend)

OUT gets one JSON file per query (rows, columns, times) and ``summary.json`` (load time, peak
RSS, CPU seconds); REF is an Oxigraph OUT to compare with. Read docs/engines.md for the results.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPEAT = int(os.environ.get("REPEAT", "3"))


def peak_mib() -> float:
    """This process's peak resident memory in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def timed(function: Callable[[], Any], repeat: int = REPEAT) -> tuple[Any, float, float, list[float]]:
    """The last result of ``repeat`` calls, the median wall and CPU seconds, and the walls."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return result, statistics.median(walls), statistics.median(cpus), walls


def write(out: Path, name: str, data: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".{name}.json.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(out / f"{name}.json")


def oxigraph(store_dir: Path, out: Path, only: list[str]) -> None:
    """Every catalogue query evaluated on the build's Oxigraph store (no kept answers)."""
    import pyoxigraph as ox

    from sciplan_kg.query.backends import OxigraphBackend
    from sciplan_kg.query.catalogue import catalogue

    w, c = time.perf_counter(), time.process_time()
    backend = OxigraphBackend(ox.Store.read_only(str(store_dir)))
    opened = (time.perf_counter() - w, time.process_time() - c)
    summary: dict[str, Any] = {"engine": "oxigraph", "open_s": opened, "queries": {}}
    for name, q in catalogue().items():
        if only and name not in only:
            continue
        la = load_average()
        try:
            result, wall, cpu, walls = timed(lambda q=q: backend.run(q, {}))
            write(out, name, {"columns": result.columns, "rows": result.rows})
            summary["queries"][name] = {"rows": len(result.rows), "wall": wall, "cpu": cpu, "walls": walls, "load": la}
        except (Exception, BaseException) as exc:  # measured, not fatal (maplib panics are BaseException)
            summary["queries"][name] = {"error": str(exc)[:500], "load": la}
        print(name, summary["queries"][name], flush=True)
    summary["peak_mib"] = peak_mib()
    write(out, "summary", summary)


def compare(ref: Path, name: str, columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Equal rows (as a multiset) and equal order against Oxigraph's rows of ``name``."""
    path = ref / f"{name}.json"
    if not path.is_file():
        return {"equal": None}
    want = json.loads(path.read_text(encoding="utf-8"))
    got = json.loads(json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False, default=str))

    def key(row: dict[str, Any]) -> str:
        return json.dumps([row.get(c) for c in want["columns"]], ensure_ascii=False, sort_keys=True)

    a = sorted(map(key, want["rows"]))
    b = sorted(map(key, got["rows"]))
    diff: dict[str, Any] = {
        "equal": a == b and got["columns"] == want["columns"],
        "ordered": [key(r) for r in want["rows"]] == [key(r) for r in got["rows"]],
        "columns": got["columns"] == want["columns"],
        "ref_rows": len(a),
    }
    if a != b:
        sa, sb = set(a), set(b)
        diff["only_ref"] = sorted(sa - sb)[:3]
        diff["only_engine"] = sorted(sb - sa)[:3]
        diff["n_only_ref"] = len(sa - sb)
        diff["n_only_engine"] = len(sb - sa)
    return diff


def to_ntriples(build: Path, out: Path) -> None:
    """Every graph file of ``build`` (the ontology included) as one N-Triples file: maplib reads
    one large file in parallel, while reading 6,000 small Turtle files one by one costs more per
    file the larger the model grows (81 CPU s and not done at 100 plans)."""
    import pyoxigraph as ox

    from sciplan_kg.pipeline.dataset import graph_files

    w, c, n = time.perf_counter(), time.process_time(), 0
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as fh:
        for files in graph_files(build).values():
            for f in files:
                for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
                    fh.write(f"{t.subject} {t.predicate} {t.object} .\n".encode())
                    n += 1
    tmp.replace(out)
    print(
        json.dumps(
            {"triples": n, "wall": time.perf_counter() - w, "cpu": time.process_time() - c, "load": load_average()}
        )
    )


def maplib_rows(sm: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """maplib's solution mappings (a Polars frame with native cells, the RDF type of each
    column) as the plain values every backend returns (``run.python_value``): IRIs and
    strings as text, a language-tagged string as its text, numbers as int or float rounded."""
    import datetime
    from decimal import Decimal

    frame = sm.mappings
    columns = list(frame.columns)

    def plain(v: Any) -> Any:
        if isinstance(v, dict):  # a language-tagged string {value, lang} or a multi-typed cell
            for x in v.values():
                if x is not None:
                    return plain(x)
            return None
        if isinstance(v, bool) or v is None or isinstance(v, int | str):
            return v
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() else round(float(v), 6)
        if isinstance(v, float):
            v = round(v, 6)
            return int(v) if v.is_integer() else v
        if isinstance(v, datetime.date):
            return v.isoformat()
        return str(v)

    rows = [{c: plain(v) for c, v in zip(columns, r, strict=True)} for r in frame.iter_rows()]
    return columns, rows


def run_maplib(build_nt: Path, out: Path, ref: Path, only: list[str]) -> None:
    """Load the N-Triples file ``build_nt`` (``to_ntriples``) into a maplib model, then every
    catalogue query at its default parameters (a VALUES block, as Oxigraph gets them)."""
    from maplib import Model

    from sciplan_kg.query.backends import with_values
    from sciplan_kg.query.catalogue import catalogue
    from sciplan_kg.query.run import bindings, finish

    la = load_average()
    w, c = time.perf_counter(), time.process_time()
    model = Model()
    model.read(str(build_nt), format="ntriples")
    summary: dict[str, Any] = {
        "engine": "maplib",
        "load_s": time.perf_counter() - w,
        "load_cpu": time.process_time() - c,
        "load_peak_mib": peak_mib(),
        "load_load": la,
        "queries": {},
    }
    print(summary, flush=True)
    for name, q in catalogue().items():
        if only and name not in only:
            continue
        la = load_average()
        text = with_values(q.text, bindings(q, {}), name)
        try:
            sm, wall, cpu, walls = timed(lambda text=text: model.query(text, solution_mappings=True))
            columns, rows = maplib_rows(sm)
            result = finish(q, columns, rows)
            write(out, name, {"columns": result.columns, "rows": result.rows})
            entry = {"rows": len(result.rows), "wall": wall, "cpu": cpu, "walls": walls, "load": la}
            entry.update(compare(ref, name, result.columns, result.rows))
        except (Exception, BaseException) as exc:  # measured, not fatal (maplib panics are BaseException)
            entry = {"error": f"{type(exc).__name__}: {str(exc)[:400]}", "load": la}
        summary["queries"][name] = entry
        print(name, {k: v for k, v in entry.items() if k not in ("only_ref", "only_engine")}, flush=True)
    summary["peak_mib"] = peak_mib()
    write(out, "summary", summary)


def run_tables(store_dir: Path, out: Path) -> None:
    """Make the DuckDB tables of the store afresh from its files (``query/tables.py``):
    CPU, wall, peak memory of this process, the database's size and row count."""
    from sciplan_kg.query import tables

    la = load_average()
    w, c = time.perf_counter(), time.process_time()
    target = tables.fresh(store_dir)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the parsing processes, when parallel
    summary = {
        "engine": "duckdb-tables",
        "wall": time.perf_counter() - w,
        "cpu": time.process_time() - c,
        "children_cpu": children.ru_utime + children.ru_stime,
        "peak_mib": peak_mib(),
        "children_peak_mib": children.ru_maxrss / 1024,
        "load": la,
        "bytes": target.stat().st_size,
        "files": len(tables.loaded(store_dir)),
    }
    db = tables.connect(target, read_only=True)
    summary["rows"] = sum(db.execute(f"SELECT count(*) FROM r_{t}").fetchall()[0][0] for t in tables.TABLES)
    db.close()
    print(summary, flush=True)
    write(out, "tables", summary)


def run_update(store_dir: Path, out: Path) -> None:
    """Bring the store's DuckDB tables in step after a change (one plan added): the update
    alone, CPU and wall, and what it did."""
    from sciplan_kg.query import tables

    la = load_average()
    w, c = time.perf_counter(), time.process_time()
    done = tables.update(store_dir)
    summary = {"wall": time.perf_counter() - w, "cpu": time.process_time() - c, "load": la, "done": done}
    print(summary, flush=True)
    write(out, "update", summary)


def run_duckdb(store_dir: Path, out: Path, ref: Path, only: list[str]) -> None:
    """The five listings at their default parameters as the query command runs them
    (``FramesBackend``, no kept answers), on the tables in step with the store."""
    import pyoxigraph as ox

    from sciplan_kg.query.catalogue import catalogue
    from sciplan_kg.query.frames import SQL, FramesBackend

    backend = FramesBackend(ox.Store.read_only(str(store_dir)), store_dir)
    la = load_average()
    w, c = time.perf_counter(), time.process_time()
    backend.connection()
    summary: dict[str, Any] = {
        "engine": "duckdb",
        "open_s": time.perf_counter() - w,
        "open_cpu": time.process_time() - c,
        "open_load": la,
        "queries": {},
    }
    cat = catalogue()
    for name in SQL:
        if only and name not in only:
            continue
        q = cat[name]
        la = load_average()
        try:
            result, wall, cpu, walls = timed(lambda q=q: backend.run(q, {}))
            write(out, name, {"columns": result.columns, "rows": result.rows})
            entry = {"rows": len(result.rows), "wall": wall, "cpu": cpu, "walls": walls, "load": la}
            entry.update(compare(ref, name, result.columns, result.rows))
        except Exception as exc:  # measured, not fatal
            entry = {"error": f"{type(exc).__name__}: {str(exc)[:400]}", "load": la}
        summary["queries"][name] = entry
        print(name, {k: v for k, v in entry.items() if k not in ("only_ref", "only_engine")}, flush=True)
    summary["peak_mib"] = peak_mib()
    write(out, "summary", summary)


if __name__ == "__main__":
    engine, args = sys.argv[1], sys.argv[2:]
    only = os.environ.get("ONLY", "").split(",") if os.environ.get("ONLY") else []
    if engine == "oxigraph":
        oxigraph(Path(args[0]), Path(args[1]), only)
    elif engine == "compare":  # an engine's OUT against Oxigraph's, after both ran
        for f in sorted(Path(args[0]).glob("*.json")):
            if f.stem != "summary":
                got = json.loads(f.read_text(encoding="utf-8"))
                found = compare(Path(args[1]), f.stem, got["columns"], got["rows"])
                print(f.stem, json.dumps(found, ensure_ascii=False)[:600])
    elif engine == "ntriples":
        to_ntriples(Path(args[0]), Path(args[1]))
    elif engine == "maplib":
        run_maplib(Path(args[0]), Path(args[1]), Path(args[2]), only)
    elif engine == "duckdb":
        run_duckdb(Path(args[0]), Path(args[1]), Path(args[2]), only)
    elif engine == "tables":
        run_tables(Path(args[0]), Path(args[1]))
    elif engine == "update":
        run_update(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown engine {engine}")
