"""The explorer at scale: a corpus of many plans made by repeating the five bundled plans' data
files (``grow``). Opened with no filter it reads the index and only the plan files its first page
shows; a filter reads only the plans the index says can match; the counts are the five plans'
counts times the repetitions. ``python -m tests.publish.test_report_scale REPORT N`` writes such a
corpus and prints the explorer's load times (the figures in README's report section)."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest

try:
    from tests.publish.test_browser import chromium, explorer
except pytest.skip.Exception:  # no chromium
    pytest.skip("chromium is not installed", allow_module_level=True)


def _load(path: Path, call: str) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[len(call) + 1 : text.rindex(")")])


def grow(report: Path, out: Path, plans: int) -> int:
    """An explorer over ``plans`` plans (the report's repeated); the number of tasks."""
    out.mkdir(parents=True)
    for name in ("explorer.html", "explorer.js", "style.css"):
        shutil.copyfile(report / name, out / name)
    (out / "data" / "plans").mkdir(parents=True)
    index = _load(report / "data" / "index.js", "SK.index")
    assert isinstance(index, dict)
    base = index["plans"]
    files = {i: (report / "data" / "plans" / f"{p['stem']}.js").read_text(encoding="utf-8") for i, p in enumerate(base)}
    grown, tasks = [], 0
    for n in range(plans):
        i = n % len(base)
        p = dict(base[i], stem=f"{base[i]['stem']}-{n}", place=f"{base[i]['place']}{n}")
        grown.append(p)
        tasks += p["tasks"]
        body = files[i].split(",", 1)[1]
        (out / "data" / "plans" / f"{p['stem']}.js").write_text(f"SK.plan({n},{body}", encoding="utf-8")
    for values in index["facets"].values():
        for v in values:
            if v[3] != -1:
                v[3] = [n for n in range(plans) if n % len(base) in set(v[3])]
            v[2] *= plans // len(base)
    index["plans"] = grown
    (out / "data" / "index.js").write_text(f"SK.index({json.dumps(index, ensure_ascii=False)});\n", encoding="utf-8")
    return tasks


@pytest.fixture(scope="module")
def big(built_report: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("scale") / "explorer"
    return out, grow(built_report, out, 300)


def test_explorer_reads_only_what_it_shows(big: tuple[Path, int], tmp_path: Path) -> None:
    out, tasks = big
    profile = tmp_path / "profile"
    count, shown, dom = explorer(out, profile)
    assert count == tasks and shown == 100
    assert int(dom.split('data-loaded="', 1)[1].split('"', 1)[0]) <= 3, "no filter: the first page's plans only"
    index = _load(out / "data" / "index.js", "SK.index")
    assert isinstance(index, dict)
    one = index["plans"][5]
    count, _, dom = explorer(out, profile, plan=one["stem"])
    assert count == one["tasks"] and int(dom.split('data-loaded="', 1)[1].split('"', 1)[0]) == 1


def test_a_facet_reads_every_plan_it_may_match(big: tuple[Path, int], built_report: Path, tmp_path: Path) -> None:
    out, _ = big
    five, _, _ = explorer(built_report, tmp_path / "p1", agency="kexie", role="lead")
    many, _, dom = explorer(out, tmp_path / "p2", agency="kexie", role="lead")
    assert many == five * 60
    assert int(dom.split('data-loaded="', 1)[1].split('"', 1)[0]) == 300


if __name__ == "__main__":  # pragma: no cover - a measurement, by hand
    source, size = Path(sys.argv[1]), int(sys.argv[2])
    target = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(f"/tmp/explorer-{size}")
    shutil.rmtree(target, ignore_errors=True)
    n = grow(source, target, size)
    print(f"{size} plans, {n} tasks → {target}")
    for state in ({}, {"agency": "kexie", "role": "lead"}, {"q": "科普"}):
        started = time.perf_counter()
        frag = "&".join(f"{k}={v}" for k, v in state.items())
        dom = chromium(target.joinpath("explorer.html").as_uri() + "#" + frag, target / "profile", "--dump-dom")
        wall = time.perf_counter() - started
        ms = dom.split('data-ms="', 1)[1].split('"', 1)[0] if 'data-ms="' in dom else "?"
        count = dom.split('<strong id="count">', 1)[1].split("<", 1)[0]
        print(f"{state or 'no filter'}: {count} tasks, page ready at {ms} ms (browser), {wall:.1f} s with start-up")
