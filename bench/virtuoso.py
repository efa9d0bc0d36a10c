"""Time the whole catalogue on Virtuoso, as ``sciplan-kg query --endpoint`` meets it.

    python bench/virtuoso.py BUILD [--home DIR] [--limit SECONDS] [--keep-running] [--json]

Loads BUILD into a Virtuoso of its own with scripts/virtuoso-serve.sh (what ``make
virtuoso-serve`` runs: the bulk loader, the build's named graphs; its folder is ``--home``,
default bench/.work/virtuoso-<BUILD's name>, so a build it may not write beside stays as it is),
then evaluates every catalogue query through the same RemoteBackend the CLI uses: over the whole
corpus, and the queries with a ``plan`` parameter for one plan (the first by IRI with a parent
plan in the corpus, as bench/queries.py asks the embedded store). Each query runs once (``first``: Virtuoso's caches as
the queries before left them) and three times more: ``median`` of those three (the machine is
shared); a query whose second run takes over 20 s is not run twice more (its second run is the
figure: at 3,000 plans the four runs of every query would take an hour). The listing of the
server's sciplan-kg graphs, which ``--endpoint`` does once per process, is timed apart
(``graphs_seconds``) and not counted in the queries' times.

Figures: ``load_seconds`` (bulk load and checkpoint, as virtuoso-serve measures it),
``start_wall`` (the whole ``start``: links, server start, load), the server's CPU seconds for
the load (``load_cpu``), its resident memory after the load and at the end (``rss_loaded``,
``rss_end``, bytes; ``peak`` its high-water mark), the database's size on disk (``disk_bytes``).
Virtuoso is stopped at the end unless ``--keep-running``. ``make bench`` calls this for every
size when ``virtuoso-t`` is installed (bench/run.py); run it alone to measure one build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "virtuoso-serve.sh"
SLOW = 20.0  # seconds: a query slower than this on its second run is not run twice more


def installed() -> bool:
    """Whether Virtuoso (virtuoso-t and its isql) is on this machine."""
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_pid(home: Path) -> int:
    for line in (home / "db" / "virtuoso.lck").read_text().splitlines():
        if line.startswith("VIRT_PID="):
            return int(line.split("=", 1)[1])
    raise SystemExit(f"{home}/db/virtuoso.lck: no VIRT_PID")


def _memory(pid: int) -> tuple[int, int]:
    """(resident bytes now, resident high-water mark) of the server process (Linux /proc)."""
    now = peak = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            now = int(line.split()[1]) * 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) * 1024
    return now, peak


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def time_catalogue(endpoint: str, limit: float, plan: str | None) -> dict[str, list[float | int | None]]:
    """{query: [first s, rows, median of three s]} for every catalogue query (with ``plan``:
    those with a plan parameter, for that plan); [None, None, None] where one run passed ``limit``
    or the server refused it."""
    from sciplan_kg.errors import SciplanError
    from sciplan_kg.query.backends import RemoteBackend
    from sciplan_kg.query.catalogue import catalogue

    backend = RemoteBackend(endpoint, timeout=limit)
    backend.graphs()
    out: dict[str, list[float | int | None]] = {}
    for name, q in catalogue().items():
        if plan and not any(p.name == "plan" for p in q.params):
            continue
        params = {"plan": plan} if plan else {}
        runs: list[float] = []
        try:
            for _ in range(4):
                start = time.perf_counter()
                rows = len(backend.run(q, params).rows)
                runs.append(time.perf_counter() - start)
                if len(runs) == 2 and runs[-1] > SLOW:  # a slow query: its second run stands for the three
                    break
        except SciplanError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            out[name] = [None, None, None]
            continue
        out[name] = [runs[0], rows, statistics.median(runs[1:])]
        print(f"{name}{' (one plan)' if plan else ''}: {rows} rows, {out[name][2]:.2f} s", file=sys.stderr, flush=True)
    return out


def measure(build: Path, home: Path, limit: float, keep_running: bool = False) -> dict[str, object]:
    """Load ``build`` into a Virtuoso in ``home``, time the catalogue on it; the figures."""
    env = dict(
        os.environ,
        VIRTUOSO_HOME=str(home),
        VIRTUOSO_HTTP_PORT=str(_free_port()),
        VIRTUOSO_SQL_PORT=str(_free_port()),
        BIN=str(Path(sys.executable).parent),
    )
    if (home / "db").is_dir():  # a fresh load each time: the figure is the load's
        subprocess.run([str(SERVE), "stop", str(build)], env=env, capture_output=True, check=False)
        shutil.rmtree(home / "db")
    start = time.perf_counter()
    # the server may be up when the start fails (the load failed after it): stopped whatever
    # happens below, as after the measurement, unless asked to keep it running on success
    done = subprocess.run([str(SERVE), "start", str(build)], env=env, capture_output=True, text=True, check=False)
    start_wall = time.perf_counter() - start
    measured = False
    try:
        if done.returncode != 0:
            raise RuntimeError(f"virtuoso-serve failed: {done.stderr[-400:]}")
        endpoint = f"http://127.0.0.1:{env['VIRTUOSO_HTTP_PORT']}/sparql"
        pid = _server_pid(home)
        loaded = json.loads((home / "db" / "loaded.json").read_text(encoding="utf-8"))
        out: dict[str, object] = {
            "endpoint": endpoint,
            "start_wall": start_wall,
            "load_seconds": loaded["load_seconds"],
            "load_cpu": _cpu(pid),
            "files": loaded["files"],
            "disk_bytes": _disk(home / "db"),
            "load_average": os.getloadavg(),
        }
        out["rss_loaded"], _ = _memory(pid)
        from sciplan_kg.query.backends import RemoteBackend
        from sciplan_kg.query.remote import select

        t = time.perf_counter()
        graphs = RemoteBackend(endpoint, timeout=limit).graphs()
        out["graphs_seconds"] = time.perf_counter() - t
        out["graphs"] = len(graphs)
        from queries import PLAN_ASKED  # bench/queries.py, beside this script: the same plan

        for query in PLAN_ASKED:
            _, rows = select(endpoint, query, "first plan", limit, graphs)
            if rows:
                break
        plan = rows[0]["p"]["value"]
        out["plan"] = plan
        out["queries"] = time_catalogue(endpoint, limit, None)
        out["queries_plan"] = time_catalogue(endpoint, limit, plan)
        out["rss_end"], out["peak"] = _memory(pid)
        out["cpu_end"] = _cpu(pid)
        measured = True
    finally:
        if not (keep_running and measured):
            subprocess.run([str(SERVE), "stop", str(build)], env=env, capture_output=True, check=False)
    return out


def _cell(value: float | int | None, spec: str) -> str:
    width = int(spec.split(".")[0].rstrip("f"))
    return format(value, spec) if value is not None else "-".rjust(width)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("build", type=Path)
    ap.add_argument("--home", type=Path, help="Virtuoso's folder (default bench/.work/virtuoso-<build name>)")
    ap.add_argument("--limit", type=float, default=120.0, help="seconds one query may take (default 120)")
    ap.add_argument("--keep-running", action="store_true", help="leave the server running (it prints how to stop it)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    if not installed():
        raise SystemExit("virtuoso-t is not installed (make virtuoso-serve installs it)")
    home = args.home or ROOT / "bench" / ".work" / f"virtuoso-{args.build.resolve().name}"
    try:
        figures = measure(args.build.resolve(), home.resolve(), args.limit, args.keep_running)
    except Exception as exc:  # make bench records what failed and goes on with the other sizes
        if args.json:
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"[:500]}, ensure_ascii=False))
            return
        raise
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(
        f"load {figures['load_seconds']} s (server CPU {figures['load_cpu']:.0f} s), "
        f"memory {figures['rss_loaded'] / 2**20:,.0f} MB loaded, peak {figures['peak'] / 2**20:,.0f} MB, "  # type: ignore[operator]
        f"disk {figures['disk_bytes'] / 2**20:,.0f} MB, graph listing {figures['graphs_seconds']:.2f} s"  # type: ignore[operator]
    )
    plan_rows: dict[str, list[float | int | None]] = figures["queries_plan"]  # type: ignore[assignment]
    print(f"{'query':24} {'first s':>8} {'rows':>8} {'median s':>9} {'1 plan s':>9}")
    for name, (first, rows, median) in figures["queries"].items():  # type: ignore[attr-defined]
        one = plan_rows.get(name, [None, None, None])[2]
        cells = [_cell(first, "8.2f"), _cell(rows, "8"), _cell(median, "9.2f"), _cell(one, "9.2f")]
        print(f"{name:24} " + " ".join(cells))


if __name__ == "__main__":
    main()
