"""The benchmark's repeated runs (bench/run.py ``--repeat``): the row holds the median run
whole, and BENCHMARKS.md shows the range beside it."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from sciplan_kg.paths import ROOT


@pytest.fixture(scope="module")
def bench(request: pytest.FixtureRequest) -> tuple[ModuleType, ModuleType]:
    sys.path.insert(0, str(ROOT / "bench"))  # as when run as a script: run.py imports report.py

    def leave() -> None:  # the generic names leave with the path: no other test imports them
        sys.path.remove(str(ROOT / "bench"))
        for name in ("report", "run"):
            sys.modules.pop(name, None)

    request.addfinalizer(leave)
    modules = []
    for name in ("report", "run"):
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        modules.append(module)
    return modules[0], modules[1]


def _pass(build: float, load: float, floor: float) -> dict[str, float]:
    return {"build_wall": build, "build_peak": 1e9, "export_wall": 2.0, "load_wall": load, "load_peak": 1e9,
            "keep_wall": 9.0, "floor_wall": floor}  # fmt: skip


def test_the_row_is_the_median_run_whole(bench: tuple[ModuleType, ModuleType]) -> None:
    _, run = bench
    passes = [_pass(100.0, 98.0, 50.0), _pass(88.0, 90.0, 56.0), _pass(95.0, 90.0, 60.0)]
    # end to end 200, 180, 187: the median is the third run, its floor with it (not the
    # median floor, 56, which belongs to another run)
    assert run.median_pass(passes) is passes[2]
    assert run.median_pass(passes[:2]) is passes[1], "of two, the lower"
    assert run.median_pass(passes[:1]) is passes[0]


def test_benchmarks_show_the_range_of_the_runs(bench: tuple[ModuleType, ModuleType]) -> None:
    report, run = bench
    passes = [_pass(100.0, 98.0, 50.0), _pass(88.0, 90.0, 56.0), _pass(95.0, 90.0, 60.0)]
    row = {"plans": 3000, "asserted": 10, "inferred": 5, "rebuild_one_wall": 20.0, "resync_one_wall": 3.0,
           **run.median_pass(passes), "passes": passes}  # fmt: skip
    for k, rebuild, sync in (("add_one", 3.5, 1.25), ("add_100", 15.0, 4.0)):
        row.update({f"{k}_rebuild_wall": rebuild, f"{k}_sync_wall": sync, f"{k}_wall": rebuild + sync})
    row["add_one_passes"] = [4.75, 4.5, 5.25]
    row["replace_one_passes"] = [23.0, 24.5, 22.0]
    cells = report._end_to_end_cells(row, None)
    assert "187.0 (3 runs: 180.0–200.0)" in cells
    assert "60.0 (3 runs: 50.0–60.0)" in cells, "the floor of the median run, and the floors' range"
    assert "3.1× (3 runs: 3.1–4.0×)" in cells, "each run's end to end over its own floor"
    assert "3.50 + 1.25 (3 runs: 4.50–5.25)" in cells
    assert "20.0 + 3.00 (3 runs: 22.0–24.5)" in cells, "the replace's median and range"
    one = report._end_to_end_cells(
        {**row, "passes": passes[:1], "add_one_passes": [4.75], "replace_one_passes": [23.0]}, None
    )
    assert "187.0" in one and not any("runs:" in c for c in one), "one run: no range"


class _Tree:
    """A process tree whose resident and proportional sets are given, counting the reads."""

    def __init__(self) -> None:
        self.rss = self.pss = 0
        self.pss_reads = 0

    def read_rss(self, pids: list[int]) -> int:
        return self.rss

    def read_pss(self, pids: list[int]) -> int:
        self.pss_reads += 1
        return self.pss


def test_the_peak_is_read_where_the_resident_set_is_high(bench: tuple[ModuleType, ModuleType]) -> None:
    _, run = bench
    tree = _Tree()
    watch = run.PeakWatch(pss=tree.read_pss, rss=tree.read_rss)
    t = 0.0
    for rss, pss in [(100, 80), (100, 80), (90, 70), (95, 75), (120, 100), (121, 101), (300, 250), (200, 190)]:
        tree.rss, tree.pss = rss, pss
        watch.sample([1], t)
        t += watch.TICK
    # read at 100 (the first), 120 (a new high, a second after), 300 (a new high by more than a
    # tenth, within the second); not at 121 (within the second, a small rise), 90, 95, 200
    assert tree.pss_reads == 3
    assert watch.peak == 250
    for _ in range(int(watch.EVERY / watch.TICK) + 1):  # a plateau below the high: read now and then
        tree.rss, tree.pss = 200, 260
        watch.sample([1], t)
        t += watch.TICK
    assert tree.pss_reads == 4 and watch.peak == 260


def test_timed_sees_the_memory_of_a_child(bench: tuple[ModuleType, ModuleType]) -> None:
    _, run = bench
    grow = "import time; b = bytearray(300 << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5); print('done')"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grow!r}], check=True)"
    _, peak, out = run.timed([sys.executable, "-c", child])
    assert out.strip() == "done"
    assert 300 << 20 < peak < 600 << 20, "the grandchild's 300 MB, counted once"


def test_the_command_line_table_shows_each_size_measured_and_skips_the_others(
    bench: tuple[ModuleType, ModuleType],
) -> None:
    report, _ = bench
    rows = [
        {"plans": 100},  # measured before the column was added
        {"plans": 3000, "queries_cli": {"tasks": [0.4567, 1234], "lead-load": [None, None]}},
    ]
    lines = report._command_line_table(rows)
    assert "| query | 3,000 plans |" in lines
    assert "| lead-load | - |" in lines
    assert any(line.startswith("| tasks | 0.46") and "(1,234)" in line for line in lines)
    assert report._command_line_table([{"plans": 5}]) == []
