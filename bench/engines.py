"""Measure a second embedded engine (maplib, DuckDB) against Oxigraph for the catalogue queries
evaluated over a whole corpus (issue 22: every catalogue query under 5 s at 3,000 plans).

Why a script of its own: the engines are measured each in a fresh process (peak memory is the
process's), the rows Oxigraph gives are written once to a folder and every other engine is
compared with them, row for row, after the same conversion to plain values (``finish``).

    bench/engines.py oxigraph STORE OUT          # rows and medians of 3 of every catalogue query
    bench/engines.py maplib BUILD OUT REF        # load the build's Turtle, run every query
    bench/engines.py duckdb BUILD OUT REF        # load into DuckDB tables, the five listings in SQL

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
        except Exception as exc:  # measured, not fatal: the next query still runs
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
        except Exception as exc:  # measured, not fatal: the next query still runs
            entry = {"error": f"{type(exc).__name__}: {str(exc)[:400]}", "load": la}
        summary["queries"][name] = entry
        print(name, {k: v for k, v in entry.items() if k not in ("only_ref", "only_engine")}, flush=True)
    summary["peak_mib"] = peak_mib()
    write(out, "summary", summary)


SK = "https://w3id.org/sciplan-kg/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"

# the narrow tables the five listings read: one per property (subject, object, language tag),
# one per class (its members); nothing else of the graph is copied
PROPERTIES = {
    "inmeasure": SK + "inMeasure", "ordinal": SK + "ordinal", "text": SK + "text", "inplan": SK + "inPlan",
    "label": RDFS + "label", "area": SK + "area", "foritem": SK + "forItem", "role": SK + "role",
    "agency": SK + "agency", "inhlead": SK + "inheritedLeadAgency", "inhsupp": SK + "inheritedSupportAgency",
    "preflabel": SKOS + "prefLabel", "derived": PROV + "wasDerivedFrom", "hassource": OA + "hasSource",
    "line": SK + "line", "selector": OA + "hasSelector", "start": OA + "start", "end_": OA + "end",
    "exact": OA + "exact", "filename": SK + "fileName", "sha256": SK + "sha256", "resp": SK + "responsibleAgency",
    "score": SK + "score", "fromtask": SK + "fromTask", "totask": SK + "toTask", "rank_": SK + "rank",
    "uses": SK + "usesInstrument", "broader": SKOS + "broader", "notation": SKOS + "notation",
}  # fmt: skip
CLASSES = {
    "t_task": SK + "Task", "t_action": SK + "Action", "t_plan": SK + "ImplementationPlan",
    "t_measure": SK + "Measure", "t_instr": SK + "PolicyInstrument",
}  # fmt: skip

_NAMES = "names AS (SELECT s AS a, o AS name FROM preflabel WHERE lang = 'zh')"
_PLACE = (
    "place AS (SELECT tp.s AS plan, lb.o AS place FROM t_plan tp JOIN area ar ON ar.s = tp.s"
    " JOIN label lb ON lb.s = ar.o WHERE lb.lang = 'zh')"
)

# the five whole-corpus listings, written by hand in SQL to give the SPARQL text's rows
# (queries/*.rq): the same joins, the same multiset semantics, parameters as $name
SQL = {
    "tasks": f"""
WITH {_NAMES}, {_PLACE},
ms AS (
  SELECT ip.s AS m, ip.o AS plan, CAST(od.o AS BIGINT) AS measureNo, lb.o AS measure,
         CASE WHEN ip.s IN (SELECT s FROM t_action) THEN 'action' ELSE 'project' END AS measureKind
  FROM inplan ip JOIN ordinal od ON od.s = ip.s JOIN label lb ON lb.s = ip.s),
ag AS (
  SELECT fi.o AS task, CASE WHEN ro.o = '{SK}LeadRole' THEN 'stated lead' ELSE 'stated support' END AS kind, a.o AS a
  FROM foritem fi JOIN role ro ON ro.s = fi.s JOIN agency a ON a.s = fi.s
  UNION ALL SELECT s, 'inherited lead', o FROM inhlead
  UNION ALL SELECT s, 'inherited support', o FROM inhsupp),
agg AS (
  SELECT task, SUM(CASE WHEN kind = 'stated lead' THEN 1 ELSE 0 END) AS slc,
         SUM(CASE WHEN kind = 'stated support' THEN 1 ELSE 0 END) AS ssc,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'stated lead') AS sl,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'stated support') AS ss,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'inherited lead') AS il,
         string_agg(DISTINCT name, '; ' ORDER BY name) FILTER (WHERE kind = 'inherited support') AS isu
  FROM ag JOIN names USING (a) GROUP BY task)
SELECT ms.plan, place.place, ms.measureKind, ms.measureNo, ms.measure, CAST(od.o AS BIGINT) AS taskNo, t.s AS task,
       tx.o AS text, COALESCE(CASE WHEN agg.slc > 0 THEN agg.sl ELSE agg.il END, '') AS leadAgencies,
       COALESCE(agg.slc > 0, false) AS leadStated,
       COALESCE(CASE WHEN agg.ssc > 0 THEN agg.ss ELSE agg.isu END, '') AS supportAgencies
FROM t_task t JOIN inmeasure im ON im.s = t.s JOIN ordinal od ON od.s = t.s JOIN text tx ON tx.s = t.s
JOIN ms ON ms.m = im.o LEFT JOIN place ON place.plan = ms.plan LEFT JOIN agg ON agg.task = t.s
ORDER BY ms.plan, ms.measureKind, ms.measureNo, taskNo""",
    "sources": """
SELECT t.s AS task, fn.o AS source, sh.o AS sha256, CAST(ln.o AS BIGINT) AS line, CAST(st.o AS BIGINT) AS start,
       CAST(en.o AS BIGINT) AS "end", ex.o AS quote
FROM t_task t JOIN derived d ON d.s = t.s JOIN hassource hs ON hs.s = d.o JOIN line ln ON ln.s = d.o
JOIN selector p ON p.s = d.o JOIN start st ON st.s = p.o JOIN end_ en ON en.s = p.o
JOIN selector q ON q.s = d.o JOIN exact ex ON ex.s = q.o
JOIN filename fn ON fn.s = hs.o JOIN sha256 sh ON sh.s = hs.o
ORDER BY source, start""",
    "co-responsibility": f"""
WITH {_NAMES},
pairs AS (
  SELECT ip.o AS plan, a.o AS source, b.o AS target, COUNT(DISTINCT a.s) AS weight
  FROM resp a JOIN resp b ON b.s = a.s AND a.o < b.o
  JOIN inmeasure im ON im.s = a.s JOIN inplan ip ON ip.s = im.o
  GROUP BY ip.o, a.o, b.o)
SELECT plan, source, sn.name AS sourceName, target, tn.name AS targetName, weight
FROM pairs JOIN names sn ON sn.a = source JOIN names tn ON tn.a = target
WHERE weight >= $minTasks
ORDER BY plan, weight DESC, sourceName, targetName""",
    "similar-tasks": """
WITH info AS (
  SELECT im.s AS task, ip.o AS plan, lb.o AS title
  FROM inmeasure im JOIN inplan ip ON ip.s = im.o JOIN t_task t ON t.s = im.s JOIN label lb ON lb.s = im.s),
links AS (
  SELECT sc.o AS score, f.o AS task, o.o AS otherTask, CAST(r.o AS BIGINT) AS rank
  FROM score sc JOIN fromtask f ON f.s = sc.s JOIN totask o ON o.s = sc.s JOIN rank_ r ON r.s = sc.s
  WHERE CAST(sc.o AS DOUBLE) >= $minScore)
SELECT a.plan, l.task, a.title AS taskTitle, b.plan AS otherPlan, l.otherTask, b.title AS otherTitle,
       CAST(l.score AS DOUBLE) AS score, l.rank
FROM links l JOIN info a ON a.task = l.task JOIN info b ON b.task = l.otherTask
ORDER BY CAST(l.score AS DOUBLE) DESC, l.task, l.rank""",
    "instrument-mix-by-measure": f"""
WITH {_NAMES}, {_PLACE},
mt AS (SELECT im.o AS measure, COUNT(DISTINCT im.s) AS measureTasks
       FROM inmeasure im JOIN t_task t ON t.s = im.s GROUP BY im.o),
title AS (SELECT m.s AS measure, lb.o AS title FROM t_measure m JOIN label lb ON lb.s = m.s
          WHERE lb.lang = 'zh' OR lb.lang = ''),
tc AS (SELECT s AS task, o AS c FROM uses UNION ALL SELECT u.s, b.o FROM uses u JOIN broader b ON b.s = u.o),
par AS (SELECT b.s AS c, bn.o AS parent FROM broader b JOIN notation bn ON bn.s = b.o),
instr AS (
  SELECT pi.s AS c, n.o AS instrument, nm.name AS label, COALESCE(par.parent, n.o) AS grp,
         CASE WHEN par.parent IS NULL THEN 'group' ELSE 'instrument' END AS level
  FROM t_instr pi JOIN notation n ON n.s = pi.s JOIN names nm ON nm.a = pi.s LEFT JOIN par ON par.c = pi.s)
SELECT ip.o AS plan, place.place, im.o AS measure, title.title, instr.grp AS "group", instr.level, instr.instrument,
       instr.label, COUNT(DISTINCT im.s) AS tasks, mt.measureTasks,
       round(1000.0 * COUNT(DISTINCT im.s) / mt.measureTasks) / 10.0 AS sharePercent
FROM mt JOIN inmeasure im ON im.o = mt.measure JOIN inplan ip ON ip.s = im.o JOIN title ON title.measure = im.o
JOIN tc ON tc.task = im.s JOIN instr ON instr.c = tc.c LEFT JOIN place ON place.plan = ip.o
GROUP BY ip.o, place.place, im.o, title.title, instr.grp, instr.level, instr.instrument, instr.label, mt.measureTasks
ORDER BY plan, measure, "group", level, instrument""",
}


def load_duckdb(store_dir: Path, db: Any, work: Path) -> dict[str, int]:
    """Copy the properties and classes the listings read from the Oxigraph store ``store_dir``
    into DuckDB tables. Each goes through a SPARQL CSV results file that Oxigraph writes in
    Rust (``serialize``) and DuckDB reads in parallel: no Python object per triple (a
    ``csv.writer`` row per triple cost 10 CPU s for 0.5 million rows at 200 plans)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    work.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for table, iri in [*PROPERTIES.items(), *CLASSES.items()]:
        path = work / f"{table}.csv"
        if table.startswith("t_"):
            text, cols = f"SELECT ?s WHERE {{ ?s a <{iri}> }}", "{'s': 'VARCHAR'}"
        else:
            text = f"SELECT ?s ?o (LANG(?o) AS ?lang) WHERE {{ ?s <{iri}> ?o }}"
            cols = "{'s': 'VARCHAR', 'o': 'VARCHAR', 'lang': 'VARCHAR'}"
        store.query(text).serialize(output=str(path), format=ox.QueryResultsFormat.CSV)
        db.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, columns = {cols},"
            " quote = '\"', escape = '\"', allow_quoted_nulls = false)"
        )
        if not table.startswith("t_"):
            db.execute(f"UPDATE {table} SET lang = '' WHERE lang IS NULL")
        counts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        path.unlink()
    return counts


def duckdb_rows(db: Any, sql: str, params: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    import datetime
    from decimal import Decimal

    cursor = db.execute(sql, params) if params else db.execute(sql)
    columns = [d[0] for d in cursor.description]

    def plain(v: Any) -> Any:
        if isinstance(v, bool) or v is None or isinstance(v, int):
            return v
        if isinstance(v, str):
            return v
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() else round(float(v), 6)
        if isinstance(v, float):
            v = round(v, 6)
            return int(v) if v.is_integer() else v
        if isinstance(v, datetime.date):
            return v.isoformat()
        return str(v)

    rows = [dict(zip(columns, map(plain, r), strict=True)) for r in cursor.fetchall()]
    return columns, rows


def run_duckdb(store_dir: Path, out: Path, ref: Path, only: list[str]) -> None:
    """Load the narrow tables from the store, then the five listings at their default parameters."""
    from decimal import Decimal

    import duckdb

    from sciplan_kg.query.catalogue import catalogue
    from sciplan_kg.query.run import finish

    la = load_average()
    w, c = time.perf_counter(), time.process_time()
    db = duckdb.connect(str(out.with_suffix(".duckdb")) if os.environ.get("DUCK_FILE") else ":memory:")
    threads = os.environ.get("DUCK_THREADS")
    if threads:
        db.execute(f"SET threads = {int(threads)}")
    counts = load_duckdb(store_dir, db, out / "csv")
    summary: dict[str, Any] = {
        "engine": "duckdb",
        "load_s": time.perf_counter() - w,
        "load_cpu": time.process_time() - c,
        "load_peak_mib": peak_mib(),
        "load_load": la,
        "rows_loaded": sum(counts.values()),
        "queries": {},
    }
    print(summary, flush=True)
    cat = catalogue()
    for name, sql in SQL.items():
        if only and name not in only:
            continue
        q = cat[name]
        params = {p.name: Decimal(p.default) if p.type == "decimal" else int(p.default) for p in q.params if p.default}
        params = {k: v for k, v in params.items() if f"${k}" in sql}
        la = load_average()
        try:
            (columns, rows), wall, cpu, walls = timed(lambda sql=sql, params=params: duckdb_rows(db, sql, params))
            result = finish(q, columns, rows)
            write(out, name, {"columns": result.columns, "rows": result.rows})
            entry = {"rows": len(result.rows), "wall": wall, "cpu": cpu, "walls": walls, "load": la}
            entry.update(compare(ref, name, result.columns, result.rows))
        except Exception as exc:  # measured, not fatal: the next query still runs
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
    else:
        raise SystemExit(f"unknown engine {engine}")
