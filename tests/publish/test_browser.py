"""The report in a real browser (Debian's chromium, headless): pages load, the explorer's facets
filter (an agency, a measure, a role, text: row counts against the ``tasks`` query), links open
pages, nothing is requested from the network (chromium's net log: no request the page made),
pages render (screenshots that are not blank; SCIPLAN_UPDATE_SCREENSHOTS=1 writes them to
docs/screenshots/). Chromium is kept off the network: every host name resolves to nothing.

Without chromium these tests are skipped, unless SCIPLAN_REQUIRE_BROWSER=1 (``make test`` sets
it: ``make install`` installs chromium)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urldefrag

import matplotlib.image as mpimg
import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import run_query
from sciplan_kg.resolve.safeguards import load_kinds
from tests.publish.conftest import ParentCorpus

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
if CHROMIUM is None:
    if os.environ.get("SCIPLAN_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium is required (SCIPLAN_REQUIRE_BROWSER=1): run make install")
    pytest.skip("chromium is not installed", allow_module_level=True)

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def chromium(url: str, profile: Path, *args: str) -> str:
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=20000",
        f"--user-data-dir={profile}",
        *args,
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=True)
    return done.stdout


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "a" and name == "href" and value and not value.startswith(("http://", "https://")):
                self.links.append(value)


@pytest.fixture(scope="module")
def report(built_report: Path) -> Path:
    return built_report


def explorer(report: Path, profile: Path, **state: str) -> tuple[int, int, str]:
    """(tasks counted, rows shown, DOM) of the explorer opened at a filtered address."""
    fragment = "&".join(f"{k}={quote(v)}" for k, v in sorted(state.items()))
    dom = chromium((report / "explorer.html").as_uri() + "#" + fragment, profile, "--dump-dom")
    assert 'data-state="ready"' in dom, dom[-2000:]
    count = int(re.search(r'<strong id="count">(\d+)</strong>', dom)[1])  # type: ignore[index]
    return count, dom.count('<tr class="task"'), dom


def test_index_shows_every_plan(report: Path, five: BuildResult, tmp_path: Path) -> None:
    dom = chromium((report / "index.html").as_uri(), tmp_path / "profile", "--dump-dom")
    assert "<table" in dom
    for plan in five.plans:
        assert plan.title and plan.title in dom
        assert f'href="plans/{plan.stem}.html"' in dom


def test_explorer_facets_filter_as_the_tasks_query_does(report: Path, five: BuildResult, tmp_path: Path) -> None:
    rows = run_query("tasks", five.out).rows
    profile = tmp_path / "profile"
    count, shown, _ = explorer(report, profile)
    assert count == len(rows) and shown == min(100, len(rows))
    kexie = {"县科协", "区科协"}
    named = [r for r in rows if kexie & set(f"{r['leadAgencies']}; {r['supportAgencies']}".split("; "))]
    assert explorer(report, profile, agency="kexie")[0] == len(named) > 0
    led = [r for r in rows if kexie & set(str(r["leadAgencies"]).split("; "))]
    assert explorer(report, profile, agency="kexie", role="lead")[0] == len(led) < len(named)
    inherited = [r for r in led if not r["leadStated"]]
    assert explorer(report, profile, agency="kexie", role="lead-inherited")[0] == len(inherited)
    measure = "青少年科学素质提升行动"
    youth = [r for r in rows if r["measure"] == measure]
    count, shown, _dom = explorer(report, profile, measure=measure)
    assert count == shown == len(youth) > 0
    both = [r for r in youth if r in led]
    assert explorer(report, profile, measure=measure, agency="kexie", role="lead")[0] == len(both)
    plan = five.plans[1]
    in_plan = [r for r in rows if r["plan"] == plan.plan]
    assert explorer(report, profile, plan=plan.stem)[0] == len(in_plan) == plan.task_count


def test_explorer_text_search_and_numeric_targets(report: Path, five: BuildResult, tmp_path: Path) -> None:
    rows = run_query("tasks", five.out).rows
    word = "科普"
    hits = [r for r in rows if word in f"{r['text']} {r['measure']} {r['leadAgencies']} {r['supportAgencies']}"]
    count, _, _dom = explorer(report, tmp_path / "profile", q=word)
    assert 0 < count == len(hits) < len(rows)
    # the targets of tasks (the query's task column also names the goal or safeguard stating one)
    with_target = {str(t["task"]) for t in run_query("targets", five.out).rows if t["task"] and t["kind"] == "task"}
    assert explorer(report, tmp_path / "profile", numeric="yes")[0] == len(with_target) > 0
    assert explorer(report, tmp_path / "profile", numeric="no")[0] == len(rows) - len(with_target)


def test_nothing_is_requested_from_the_network(report: Path, five: BuildResult, tmp_path: Path) -> None:
    """Chromium's net log lists every request; the browser's own (updates, accounts) have no
    origin, a page's come from its file:// origin ("null"): none may."""
    pages = [
        "index.html",
        "explorer.html#q=%E7%A7%91%E6%99%AE",
        f"plans/{five.plans[0].stem}.html",
        f"sources/{five.plans[0].stem}.html",
        "agencies/kexie.html",
        "ontology/zh/index.html",
    ]
    for page in pages:
        log = tmp_path / f"net-{len(list(tmp_path.glob('net-*')))}.json"
        chromium((report / page).as_uri(), tmp_path / "profile", "--dump-dom", f"--log-net-log={log}")
        events = json.loads(log.read_text(encoding="utf-8"))["events"]
        urls: dict[int, str] = {}
        for e in events:
            if "url" in e.get("params", {}):
                urls.setdefault(e["source"]["id"], e["params"]["url"])
        made = [urls.get(e["source"]["id"], "?") for e in events if e.get("params", {}).get("initiator") == "null"]
        assert not made, (page, made)


def test_links_open_pages(report: Path, tmp_path: Path) -> None:
    """Every link of every page resolves; one page of each kind opens in the browser."""
    seen: set[Path] = set()
    todo = {report / "index.html"}
    while todo:
        page = todo.pop()
        seen.add(page)
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            path = urldefrag(link)[0]
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), (page, link)
            if target.suffix == ".html" and target not in seen and "ontology" not in target.parts:
                todo.add(target)
    kinds = {p.parent.name for p in seen}
    assert {"plans", "sources", "agencies", report.name} <= kinds
    for kind in sorted(kinds):
        page = sorted(p for p in seen if p.parent.name == kind)[0]
        dom = chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
        assert "ERR_FILE_NOT_FOUND" not in dom and "<h1>" in dom, page


SHOTS = {
    "index.png": "index.html",
    "explorer.png": "explorer.html#agency=kexie&role=lead",
    "plan-page.png": "plans/{stem}.html",
    "source-page.png": "sources/{stem}.html",
    "agency-page.png": "agencies/kexie.html",
    "lead-load-by-type.png": "charts/lead-load-by-type.png",
    "co-responsibility.png": "charts/co-responsibility-types.png",
    "literacy-targets.png": "charts/literacy-targets.png",
    "target-attainment.png": "charts/target-attainment.png",
    "instrument-mix.png": "charts/instrument-mix.png",
    "ontology-en.png": "ontology/en/index.html",
    "ontology-diagram-zh.png": "ontology/zh/diagram.png",
}


def test_pages_render(report: Path, five: BuildResult, tmp_path: Path) -> None:
    update = os.environ.get("SCIPLAN_UPDATE_SCREENSHOTS") == "1"
    folder = SCREENSHOTS if update else tmp_path
    for name, page in SHOTS.items():
        if not update and name not in ("index.png", "explorer.png", "source-page.png"):
            continue
        shot = folder / name
        if page.endswith(".png"):  # a chart: the file itself
            shutil.copyfile(report / page.format(stem=five.plans[3].stem), shot)
            continue
        url = (report / page.format(stem=five.plans[3].stem)).as_uri() if "#" not in page else None
        if url is None:
            path, fragment = page.split("#", 1)
            url = (report / path).as_uri() + "#" + fragment
        chromium(url, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1400")
        pixels = mpimg.imread(shot)
        assert pixels.shape[0] >= 1000 and pixels.std() > 0.05, f"a blank page: {page}"


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _rows(dom: str, css: str) -> list[str]:
    m = re.search(rf'<table class="{css}">(.*?)</table>', dom, re.S)
    assert m, css
    return re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1).split("<tbody>", 1)[1].split("</tbody>", 1)[0], re.S)


def _line(dom: str, n: int) -> str:
    """The text of line ``n`` of a source page's DOM."""
    part = dom.split(f'id="L{n}"', 1)[1].split(f'id="L{n + 1}"', 1)[0]
    return _plain(part.split(">", 1)[1].rsplit("<a ", 1)[0])


def test_plan_page_safeguards_and_phases_open_the_source_at_their_line(
    report: Path, five: BuildResult, tmp_path: Path
) -> None:
    """Each plan page, as the browser shows it, lists the ``safeguards`` and ``phases`` queries'
    rows; each row's source link opens the plan's text at the line where its words start."""
    safeguards = run_query("safeguards", five.out).rows
    phases = run_query("phases", five.out).rows
    assert safeguards and phases
    profile = tmp_path / "profile"
    for plan in five.plans:
        dom = chromium((report / "plans" / f"{plan.stem}.html").as_uri(), profile, "--dump-dom")
        mine = [r for r in safeguards if r["plan"] == plan.plan]
        steps = [r for r in phases if r["plan"] == plan.plan]
        rows = (_rows(dom, "safeguards") if mine else []) + (_rows(dom, "phases") if steps else [])
        assert len(rows) == len(mine) + len(steps), plan.stem
        links = [re.search(r'href="([^"]+#L\d+)"', row)[1] for row in rows]  # type: ignore[index]
        first = links[0]
        source = chromium(
            (report / "plans" / first.split("#")[0]).resolve().as_uri() + "#" + first.split("#")[1],
            profile,
            "--dump-dom",
        )
        for r, link in zip([*mine, *steps], links, strict=True):
            assert link.startswith(f"../sources/{plan.stem}.html#L"), link
            line = _line(source, int(link.rsplit("#L", 1)[1]))
            assert str(r["text"])[:6] in line or str(r.get("phase") or "")[:4] in line, (plan.stem, link, line)


def test_index_safeguard_table_in_the_browser_is_the_querys_count_per_kind(
    report: Path, five: BuildResult, tmp_path: Path
) -> None:
    rows = run_query("safeguards", five.out).rows
    per_plan: dict[str, Counter[str]] = {}
    for r in rows:
        per_plan.setdefault(str(r["plan"]), Counter()).update(str(r["kinds"]).split("; "))
    order = [k for k in load_kinds() if any(c[k.key] for c in per_plan.values())]
    dom = chromium((report / "index.html").as_uri(), tmp_path / "profile", "--dump-dom")
    head = re.search(r'<table class="safeguard-table">\s*<thead>(.*?)</thead>', dom, re.S)[1]  # type: ignore[index]
    assert re.findall(r'<th title="([^"]+)">', head) == [k.en for k in order]
    by_stem = {p.stem: p.plan for p in five.plans}
    body = _rows(dom, "safeguard-table")
    assert len(body) == len(five.plans)
    for row in body:
        stem = re.search(r'href="plans/([^"]+)\.html#safeguards"', row)[1]  # type: ignore[index]
        cells = [_plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][1:]
        counts = per_plan.get(by_stem[stem], Counter())
        assert cells == [
            *(str(counts[k.key] or "—") for k in order),
            str(sum(r["plan"] == by_stem[stem] for r in rows)),
        ]


def test_charts_of_outcomes_and_instruments_and_the_instrument_tags_render(
    report: Path, five: BuildResult, tmp_path: Path
) -> None:
    dom = chromium((report / "index.html").as_uri(), tmp_path / "profile", "--dump-dom")
    for name in ("target-attainment", "instrument-mix"):
        assert f'<figure id="chart-{name}">' in dom and f'src="charts/{name}.png"' in dom
        pixels = mpimg.imread(report / "charts" / f"{name}.png")
        assert pixels.shape[0] > 300 and pixels.std() > 0.05, name
    rows = run_query("instrument-mix", five.out).rows
    plan = five.plans[2]
    dom = chromium((report / "plans" / f"{plan.stem}.html").as_uri(), tmp_path / "profile", "--dump-dom")
    tags = "".join(re.findall(r'<div class="instruments">(.*?)</div>', dom, re.S)).count('class="tag instrument ')
    assert tags == sum(int(r["tasks"]) for r in rows if r["plan"] == plan.plan and r["level"] == "instrument") > 0


def test_parent_page_in_the_browser(parent_corpus: ParentCorpus, tmp_path: Path) -> None:
    """The constructed parent corpus's report: from a child's plan page to its comparison page,
    every task beside its parent's with removed and added characters marked; the page renders."""
    report, out = parent_corpus.report, parent_corpus.build.out
    matches = run_query("parent-task-match", out).rows
    child = next(p for p in parent_corpus.build.plans if p.stem == "child_chengkou")
    profile = tmp_path / "profile"
    plan_dom = chromium((report / "plans" / f"{child.stem}.html").as_uri(), profile, "--dump-dom")
    link, fragment = urldefrag(re.search(r'href="(\.\./parents/[^"]+)"', plan_dom)[1])  # type: ignore[index]
    page = (report / "plans" / link).resolve()
    assert page == report / "parents" / f"{child.stem}.html"
    dom = chromium(page.as_uri() + "#" + fragment, profile, "--dump-dom")
    assert f'id="{fragment}"' in dom
    mine = [r for r in matches if r["plan"] == child.plan]
    pairs = re.findall(r'<tr class="pair (\w+)"', dom)
    assert len(pairs) == len(mine) == child.task_count
    assert Counter(pairs) == Counter(str(r["matchClass"]) for r in mine)
    assert {"copied", "adapted", "new"} <= set(pairs)
    assert "<del>" in dom and "<ins>" in dom
    shot = tmp_path / "parent-page.png"
    chromium(page.as_uri(), profile, f"--screenshot={shot}", "--window-size=1280,1400")
    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 1000 and pixels.std() > 0.05
