"""Benchmark every stage at several corpus sizes and write BENCHMARKS.md.

    python bench/run.py [--scales 5,100,1000,3000] [--naive-max 100] [--out results.json] [--keep]
    python bench/run.py --queries-only [--scales 1000,3000]   # time the queries again (and on Virtuoso)
    python bench/run.py --queries-only --virtuoso-only --scales 3000   # only on Virtuoso
    python bench/run.py --scales 5,100 --work /tmp/x --out /tmp/x/results.json   # a trial run
    python bench/run.py --scales 3000 --keep --repeat 3   # the pipeline three times: the median run

``--work DIR`` holds the corpora, builds and stores (default bench/.work); a corpus a trial run
lacks is read from bench/.work when there (never written), else generated into DIR. Before the
first size overwrites ``--out``, the results it holds are copied to ``results-<their date>.json``
beside it (once): BENCHMARKS.md shows each figure before → now against the newest such copy
older than this run (``--before FILE`` to name another).

(``make bench``; never part of the tests.) For each size: the five real plans (5) or that
many generated ones (bench/generate.py), then, each in a fresh process so that its time and
peak memory are its own:

- build: ``sciplan-kg build`` (extract → RDF → reason → validate → write, every core), with
  the per-stage CPU seconds the build reports, wall time and peak memory of the process tree;
- export: ``sciplan-kg export --format turtle --inferred``;
- load: syncing the embedded Oxigraph store from the build folder and making its DuckDB tables
  (``query.kept.sync_store``: what a first query needs, counted in end to end); then, in a
  process of its own, keeping the answers of the catalogue queries at their defaults
  (``query.kept.keep_answers``: otherwise each query's first evaluation keeps its own; not
  counted in end to end; rows before 2026-12-05 counted the tables and the answers here);
- floor: ``oxigraph load`` of the exported Turtle into an empty store (the Rust CLI);
- every catalogue query on the embedded store, each in a fresh process, twice (bench/queries.py);
  and each saved as a user's own ``.rq`` (``--user``: translated to SQL where covered, beside Oxigraph);
- the same on Virtuoso when ``virtuoso-t`` is installed (bench/virtuoso.py: bulk load, server
  memory, disk, every catalogue query whole corpus and for one plan, median of three); the row
  says ``"virtuoso": null`` (BENCHMARKS.md: "not run") otherwise, or with ``--no-virtuoso``;
- naive: the first version's pipeline (one rdflib graph, owlrl's full closure, one pyshacl
  run, rdflib's Turtle serializer) up to ``--naive-max`` plans; beyond, estimated from its
  per-triple cost at the largest size run, and marked so;
- extraction accuracy of generated plans against their truth files (bench/accuracy.py);
- last, after changing one plan (the incremental path): the rebuild of the build folder, then
  the sync of its store and tables (``replace_one_wall``; with ``--repeat N``, N plans changed
  one at a time, the median in the row: since 2026-12-06, session Q); then after adding one
  plan, and after adding 100 more (``add_one_wall``, ``add_100_wall``: rebuild + sync, seconds
  until a query can be answered; docs/incremental.md). Since 2026-12-06 (session P) the sync
  also brings the DuckDB tables in step, as the first listing after the add did before, so
  these count it too.

The package's bytecode is written first (``compile_package``), as an installed package has it.

``--repeat N`` runs build, export, load, kept answers and floor N times from nothing, changes N
plans and adds N new ones one at a time: the row holds the run whose end to end (or replace, or
add) is the median, whole (its figures add up), and ``passes`` / ``replace_one_passes`` /
``add_one_passes`` every run, whose range BENCHMARKS.md shows beside it. Two runs of the same
code on this 2-core machine have differed by a tenth, and by a fifth an hour apart.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import end_to_end  # bench/report.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK = ROOT / "bench" / ".work"
WORK = DEFAULT_WORK  # --work DIR
PY = sys.executable
QUERY_LIMIT = 60.0  # seconds one run of a catalogue query may take in the benchmark before it is stopped


def _tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc: each thread's children)."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss(pids: list[int]) -> int:
    """The sum of the resident sets of ``pids``, in bytes: a counter the kernel keeps (``statm``),
    read in microseconds; it counts a page shared by forked workers once per process."""
    total = 0
    for p in pids:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(pids: list[int]) -> int:
    """The sum of the proportional set sizes of ``pids``, in bytes: each page shared by forked
    workers counted once in all. The kernel walks every mapping of the process to answer
    (``smaps_rollup``): 20 ms of CPU for a process that maps a 1 GB store, during which the
    process cannot map memory."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError):
            continue
    return total


class PeakWatch:
    """The peak of a process tree's proportional set size, sampled without slowing the tree:
    the resident sets (cheap) every ``TICK`` s, the proportional sets (costly: ``_pss``) only
    when the resident sets reach a new high, at most once a ``MIN_GAP`` s (or when they grew by
    a tenth since), and at least once an ``EVERY`` s. A tree's proportional set is never above
    its resident set, and reaches its peak where the resident set is high: read at every
    0.25 s, the proportional sets cost 5–8 % of a core in every step (the floor's too), and
    held up the process they read."""

    TICK, MIN_GAP, EVERY = 0.25, 1.0, 5.0

    def __init__(self, pss: Callable[[list[int]], int] = _pss, rss: Callable[[list[int]], int] = _rss) -> None:
        self.pss, self.rss = pss, rss
        self.peak = 0  # the highest proportional set read
        self.high = 0  # the highest resident set at which the proportional set was read
        self.last = -math.inf  # when it was last read

    def sample(self, pids: list[int], now: float) -> None:
        rss = self.rss(pids)
        since = now - self.last
        if (rss > self.high and (since >= self.MIN_GAP or rss > 1.1 * self.high)) or since >= self.EVERY:
            self.peak = max(self.peak, self.pss(pids))
            self.high, self.last = max(self.high, rss), now


def timed(cmd: list[str], **kw: object) -> tuple[float, int, str]:
    """(wall seconds, peak proportional set size of the process tree in bytes, standard output)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]
    peak = PeakWatch()
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak.sample(_tree(proc.pid), time.perf_counter())
            time.sleep(peak.TICK)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    done.set()
    watcher.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return time.perf_counter() - start, peak.peak, out


def _complete(folder: Path, n: int) -> bool:
    return (folder / "truth").is_dir() and len(list(folder.glob("*.txt"))) == n


def corpus(n: int) -> Path:
    """The plans of size ``n``: the five bundled ones, or ``n`` generated ones (read only here:
    the incremental steps change a copy), from bench/.work when a run elsewhere finds them there."""
    if n == 5:
        return ROOT / "data" / "plans"
    shared = DEFAULT_WORK / f"plans-{n}"
    if WORK != DEFAULT_WORK and _complete(shared, n):
        return shared
    folder = WORK / f"plans-{n}"
    if not _complete(folder, n):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([PY, str(ROOT / "bench" / "generate.py"), str(n), str(folder)], check=True)
    return folder


BUILD = """
import json, sys
from pathlib import Path
from sciplan_kg.pipeline.build import build
r = build([Path(sys.argv[1])], Path(sys.argv[2]), incremental=sys.argv[3] == "1")
print(json.dumps({"timings": r.timings, "asserted": r.asserted, "inferred": r.inferred,
                  "reused": r.reused, "plans": len(r.plans), "conforms": r.conforms}))
"""
SYNC = """
import sys
from pathlib import Path
from sciplan_kg.query.kept import sync_store
print(sync_store(Path(sys.argv[1]), views=sys.argv[2] == "1"))
"""
KEEP = """
import json, sys
from pathlib import Path
from sciplan_kg.query.kept import keep_answers
print(json.dumps(keep_answers(Path(sys.argv[1]))))
"""


def time_queries(row: dict[str, object], build_dir: Path) -> None:
    """Every catalogue query on the corpus, and those with a plan parameter for one plan."""
    script = str(ROOT / "bench" / "queries.py")
    _, peak, out = timed([PY, script, str(build_dir), "--json", "--limit", str(QUERY_LIMIT)])
    row["queries"] = json.loads(out)
    row["queries_peak"] = peak
    _, _, out = timed([PY, script, str(build_dir), "--json", "--plan", "--limit", str(QUERY_LIMIT)])
    row["queries_plan"] = json.loads(out)
    # each saved as a user's own .rq: translated to SQL where the tables hold what it asks
    _, _, out = timed([PY, script, str(build_dir), "--json", "--user", "--limit", str(QUERY_LIMIT)])
    row["queries_user"] = json.loads(out)
    # one plan at the command line, as a researcher at the terminal waits for it
    _, _, out = timed([PY, script, str(build_dir), "--json", "--cli", "--limit", str(QUERY_LIMIT)])
    row["queries_cli"] = json.loads(out)


def time_virtuoso(row: dict[str, object], build_dir: Path, n: int) -> None:
    """Every catalogue query on Virtuoso (bench/virtuoso.py), or ``None`` when it is not installed."""
    sys.path.insert(0, str(ROOT / "bench"))
    from virtuoso import installed  # bench/virtuoso.py

    if not installed():
        row["virtuoso"] = None
        return
    script = str(ROOT / "bench" / "virtuoso.py")
    home = WORK / f"virtuoso-{n}"
    _, _, out = timed([PY, script, str(build_dir), "--home", str(home), "--json", "--limit", str(QUERY_LIMIT)])
    row["virtuoso"] = json.loads(out)
    shutil.rmtree(home, ignore_errors=True)  # bench's own folder (a database as large as the store)


# the figures of one pass of the pipeline (``pipeline_pass``) that ``--repeat`` keeps for each pass
PASS_KEYS = ("build_wall", "build_peak", "export_wall", "load_wall", "load_peak", "keep_wall", "floor_wall")


def median_pass(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """The pass whose end to end is the median (of an even number, the lower middle): one
    pass's figures, which add up, rather than each column's median."""
    return sorted(passes, key=end_to_end)[(len(passes) - 1) // 2]


def run_scale(n: int, naive_max: int, virtuoso: bool = True, repeat: int = 1) -> dict[str, object]:
    plans = corpus(n)
    build_dir = WORK / f"build-{n}"
    row: dict[str, object] = {"plans": n}
    # the pipeline from nothing ``repeat`` times (the machine's spread: two runs of the same
    # code have differed by a tenth); the row holds the median pass, ``passes`` each one
    passes = [pipeline_pass(n, plans, build_dir) for _ in range(repeat)]
    row.update(median_pass(passes))
    if repeat > 1:
        row["passes"] = [{k: p[k] for k in PASS_KEYS} for p in passes]
    export = WORK / f"export-{n}.ttl"
    time_queries(row, build_dir)
    if virtuoso:
        time_virtuoso(row, build_dir, n)
    else:
        row["virtuoso"] = None
    if n <= naive_max:
        wall, peak, out = timed([PY, str(ROOT / "bench" / "naive.py"), str(plans), str(WORK / f"naive-{n}.ttl")])
        row.update(naive_wall=wall, naive_peak=peak, naive_stages=json.loads(out))
    if n != 5:
        _, _, out = timed([PY, str(ROOT / "bench" / "accuracy.py"), str(plans), str(build_dir), "--json"])
        row["accuracy"] = json.loads(out)
    export.unlink(missing_ok=True)
    incremental(row, n, plans, build_dir, repeat)
    return row


def pipeline_pass(n: int, plans: Path, build_dir: Path) -> dict[str, object]:
    """Build, export, load, keep the answers, and the floor, from nothing: the pass's figures."""
    shutil.rmtree(build_dir, ignore_errors=True)
    shutil.rmtree(build_dir.with_name(build_dir.name + ".oxigraph"), ignore_errors=True)
    row: dict[str, object] = {}
    wall, peak, out = timed([PY, "-c", BUILD, str(plans), str(build_dir), "0"])
    info = json.loads(out)
    row.update(build_wall=wall, build_peak=peak, **{k: info[k] for k in ("asserted", "inferred", "conforms")})
    row["stages"] = info["timings"]
    export = WORK / f"export-{n}.ttl"
    export_cmd = [PY, "-m", "sciplan_kg.cli", "export", "--data", str(build_dir), "--format", "turtle"]
    wall, peak, _ = timed([*export_cmd, "--inferred", "-o", str(export)])
    row.update(export_wall=wall, export_peak=peak, export_bytes=export.stat().st_size)
    wall, peak, _ = timed([PY, "-c", SYNC, str(build_dir), "1"])  # the store and its tables
    row.update(load_wall=wall, load_peak=peak)
    wall, peak, out = timed([PY, "-c", KEEP, str(build_dir)])
    row.update(keep_wall=wall, keep_peak=peak, views_made=len(json.loads(out)))
    floor = WORK / f"floor-{n}"
    shutil.rmtree(floor, ignore_errors=True)
    oxigraph = shutil.which("oxigraph") or str(Path(PY).with_name("oxigraph"))
    wall, peak, _ = timed([oxigraph, "load", "--location", str(floor), "--file", str(export)])
    row.update(floor_wall=wall, floor_peak=peak)
    shutil.rmtree(floor, ignore_errors=True)
    return row


def incremental(row: dict[str, object], n: int, plans: Path, build_dir: Path, repeat: int) -> None:
    """The incremental path, last (it changes the build): ``repeat`` plans of a copy of the
    corpus changed one at a time, each rebuilt and synced (the median's figures in the row,
    each in ``replace_one_passes``); then ``repeat`` new plans added one at a time (likewise,
    ``add_one_passes``), then 100 more at once. Each change starts on a settled disk
    (``settled``): what the bench itself wrote just before (the corpus copied, 3,100 plans
    generated) or Virtuoso left behind is not written back during the step timed."""
    changed = WORK / f"changed-{n}"
    shutil.rmtree(changed, ignore_errors=True)
    shutil.copytree(plans, changed, ignore=shutil.ignore_patterns("truth", "*.md"))
    firsts = sorted(changed.glob("*.txt"))[:repeat]
    replaced = [_replace(build_dir, f) for f in firsts]
    row.update(sorted(replaced, key=lambda a: float(a["replace_one_wall"]))[(repeat - 1) // 2])
    if repeat > 1:
        row["replace_one_passes"] = [a["replace_one_wall"] for a in replaced]
    # a corpus that grows: the next generated plan added, then the hundred after it (the
    # generator writes plan i the same for any count, so these are new places and periods)
    more = WORK / f"more-{n}"
    shutil.rmtree(more, ignore_errors=True)
    subprocess.run([PY, str(ROOT / "bench" / "generate.py"), str(n + repeat + 100), str(more)], check=True)
    extra = sorted(more.glob("*.txt"))[n:]
    added = [_add(changed, build_dir, extra[k : k + 1], "add_one") for k in range(repeat)]
    row.update(sorted(added, key=lambda a: float(a["add_one_wall"]))[(repeat - 1) // 2])
    if repeat > 1:
        row["add_one_passes"] = [a["add_one_wall"] for a in added]
    row.update(_add(changed, build_dir, extra[repeat:], "add_100"))
    shutil.rmtree(more, ignore_errors=True)
    shutil.rmtree(changed, ignore_errors=True)


def _replace(build_dir: Path, plan: Path) -> dict[str, Any]:
    """Change the plan ``plan`` (a line appended, as an office republishing it would), rebuild
    and sync: the figures (``replace_one_wall``: seconds until a query can be answered)."""
    plan.write_text(plan.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    settled()
    row: dict[str, Any] = {}
    wall, _, out = timed([PY, "-c", BUILD, str(plan.parent), str(build_dir), "1"])
    row.update(rebuild_one_wall=wall, rebuild_one_reused=json.loads(out)["reused"])
    wall, peak, out = timed([PY, "-c", SYNC, str(build_dir), "1"])
    row.update(resync_one_wall=wall, resync_one_peak=peak, resync_one=out.strip())
    row["replace_one_wall"] = row["rebuild_one_wall"] + wall
    return row


def settled() -> None:
    """Write back every file written so far (``sync``), so that a step timed next does not
    wait on the disk for the bench's own writes: a database's commit waits for its log to
    reach the disk, and on ext4 that can mean waiting for everything written before it."""
    if hasattr(os, "sync"):
        os.sync()


def _add(changed: Path, build_dir: Path, batch: list[Path], label: str) -> dict[str, Any]:
    """Add the plans ``batch`` to the corpus ``changed``, rebuild and sync: the figures."""
    for f in batch:
        shutil.copy(f, changed / f"added-{f.name}")
    settled()
    row: dict[str, Any] = {}
    wall, _, out = timed([PY, "-c", BUILD, str(changed), str(build_dir), "1"])
    row[f"{label}_rebuild_wall"] = wall
    row[f"{label}_reused"] = json.loads(out)["reused"]
    wall, _, out = timed([PY, "-c", SYNC, str(build_dir), "1"])
    row.update({f"{label}_sync_wall": wall, f"{label}_sync": out.strip()})
    row[f"{label}_wall"] = row[f"{label}_rebuild_wall"] + wall  # seconds until a query can be answered
    return row


def _versions() -> str:
    import importlib.metadata as md

    names = ["rdflib", "owlrl", "pyshacl", "pyoxigraph", "oxigraph"]
    return ", ".join(f"{n} {md.version(n)}" for n in names)


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cores = len(os.sched_getaffinity(0))
    return f"{cpu}, {cores} cores, {mem:.0f} GiB, Python {platform.python_version()}, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="5,100,1000,3000")
    parser.add_argument("--naive-max", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--keep", action="store_true", help="keep the rows of other sizes already in --out")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora, builds, stores (default bench/.work)")
    parser.add_argument("--no-virtuoso", action="store_true", help="do not time the queries on Virtuoso")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the pipeline (build, export, load, floor) and the add of one plan this many times "
        "per size; the row holds the median pass, each one beside it",
    )
    parser.add_argument("--before", type=Path, help="earlier results to show beside (default: the newest dated copy)")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time the queries again on the builds an earlier run left in bench/.work (after a query change)",
    )
    parser.add_argument(
        "--virtuoso-only",
        action="store_true",
        help="with --queries-only: time the queries on Virtuoso only (the embedded figures stay)",
    )
    args = parser.parse_args()
    global WORK
    WORK = args.work.resolve()
    WORK.mkdir(parents=True, exist_ok=True)
    scales = [int(x) for x in args.scales.split(",")]
    if args.queries_only:
        results = json.loads(args.out.read_text(encoding="utf-8"))
        for row in results["rows"]:
            if row["plans"] in scales and (WORK / f"build-{row['plans']}").is_dir():
                print(f"queries at {row['plans']} …", file=sys.stderr, flush=True)
                if not args.virtuoso_only:
                    time_queries(row, WORK / f"build-{row['plans']}")
                if not args.no_virtuoso:
                    time_virtuoso(row, WORK / f"build-{row['plans']}", row["plans"])
                _save(results, args.out)
        _report(args.out, args.before)
        return
    keep_dated(args.out)
    compile_package()
    results = {"machine": _machine(), "versions": _versions(), "date": time.strftime("%Y-%m-%d"), "rows": []}
    if args.keep and args.out.is_file():  # rows of other sizes from an earlier run stay
        earlier = json.loads(args.out.read_text(encoding="utf-8"))
        results["rows"] = [r for r in earlier["rows"] if r["plans"] not in scales]
    for n in scales:
        print(f"scale {n} …", file=sys.stderr, flush=True)
        row = run_scale(n, args.naive_max, virtuoso=not args.no_virtuoso, repeat=max(1, args.repeat))
        rows = [r for r in results["rows"] if r["plans"] != n] + [row]  # type: ignore[union-attr]
        results["rows"] = sorted(rows, key=lambda r: r["plans"])
        _save(results, args.out)
    _report(args.out, args.before)


def compile_package() -> None:
    """Write the package's bytecode first, as installing a package does: a source checkout
    installed as editable has none until it is imported with bytecode writing on, and where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine) every process would compile the
    package's modules again (0.1 s in each short process: an added plan's build and sync)."""
    out = subprocess.run(
        [PY, "-c", "import pathlib, sciplan_kg; print(pathlib.Path(sciplan_kg.__file__).parent)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    subprocess.run([PY, "-m", "compileall", "-q", out], check=True, stdout=subprocess.DEVNULL)


def keep_dated(out: Path) -> Path | None:
    """Copy the results ``out`` holds to ``results-<their date>.json`` beside it, once (an
    existing copy is left as it is): the figures BENCHMARKS.md shows beside the new ones."""
    if not out.is_file():
        return None
    date = json.loads(out.read_text(encoding="utf-8")).get("date", "undated")
    dated = out.with_name(f"{out.stem}-{date}.json")
    if not dated.exists():
        tmp = dated.with_suffix(".tmp")
        shutil.copyfile(out, tmp)
        tmp.replace(dated)
    return dated


def before_of(out: Path) -> Path | None:
    """The newest dated copy beside ``out`` older than its results (None when there is none)."""
    date = json.loads(out.read_text(encoding="utf-8")).get("date", "") if out.is_file() else ""
    older = sorted(p for p in out.parent.glob(f"{out.stem}-*.json") if p.stem[len(out.stem) + 1 :] < date)
    return older[-1] if older else None


def _save(results: dict[str, object], out: Path) -> None:
    """The results so far (after each size: a long run stopped keeps what it measured)."""
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _report(results: Path, before: Path | None = None) -> None:
    """BENCHMARKS.md from ``results`` (a trial run's --out elsewhere writes BENCHMARKS.md beside it)."""
    target = (
        ROOT / "BENCHMARKS.md" if results.resolve().parent == (ROOT / "bench") else results.with_name("BENCHMARKS.md")
    )
    before = before or before_of(results)
    extra = ["--before", str(before)] if before else []
    subprocess.run([PY, str(ROOT / "bench" / "report.py"), str(results), str(target), *extra], check=True)


if __name__ == "__main__":
    main()
