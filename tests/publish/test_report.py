"""The HTML report of a build: an index that lists every plan and links the explorer, the agency
pages, the ontology documentation and every catalogue query's CSV; a page per plan with every
task linked to its words; the marked text with line numbers, every task and every responsibility
statement marked and linked both ways; agency pages whose rows are the tasks the ``tasks`` query
names the agency on; charts whose lead shares sum to 100 % per plan; links and images resolve
offline; the same build gives the same bytes; charts need a CJK font and say so when there is
none. The report is built once per session (``built_report``, conftest.py)."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import openpyxl
import pytest

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import BuildFolder
from sciplan_kg.publish.report import _anchor, figures, write_report
from sciplan_kg.publish.report import charts as charts_module
from sciplan_kg.publish.report.data import read_corpus
from sciplan_kg.publish.report.source import Span, render
from sciplan_kg.query import catalogue, run_query
from sciplan_kg.read.text import read_plan_text
from tests.conftest import tree_bytes


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def report(built_report: Path) -> Path:
    return built_report


def test_index_links_plans_explorer_agencies_ontology_and_every_query(report: Path, five: BuildResult) -> None:
    index = parse(report / "index.html")
    text = (report / "index.html").read_text(encoding="utf-8")
    for plan in five.plans:
        assert plan.title and plan.title in text
        assert f"plans/{plan.stem}.html" in index.links and f"sources/{plan.stem}.html" in index.links
    for page in ("explorer.html", "agencies/index.html", "ontology/zh/index.html", "ontology/en/index.html"):
        assert page in index.links and (report / page).is_file()
    for name in catalogue():
        assert f"csv/{name}.csv" in index.links and f"csv/{name}.xlsx" in index.links, name
    rows = list(csv.DictReader(io.StringIO((report / "csv" / "tasks.csv").read_text(encoding="utf-8"))))
    assert len(rows) == sum(p.task_count for p in five.plans)
    assert rows[0]["plan"].startswith("https://"), "full IRIs in CSV"
    sheet = openpyxl.load_workbook(report / "csv" / "tasks.xlsx").active
    assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2"


def test_every_chart_says_what_one_unit_is(report: Path) -> None:
    index = parse(report / "index.html")
    figures_ = [a["id"] for tag, a in index.tags if tag == "figure" and a.get("id")]
    assert {"chart-lead-load-by-type", "chart-co-responsibility-types", "chart-co-responsibility"} <= set(figures_)
    assert len(figures_) >= 7, "a chart per research question where a picture beats a table"
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", (report / "index.html").read_text(encoding="utf-8"), re.S)
    assert len(captions) == len(figures_)
    for caption in captions:
        assert re.search(r"一(个单位|格|个点|根条)＝", caption) and "one " in caption, caption
    for name in figures_:
        stem = name.removeprefix("chart-")
        assert (report / "charts" / f"{stem}.png").is_file() and (report / "charts" / f"{stem}.svg").is_file()


def test_lead_shares_count_each_task_once(five: BuildResult) -> None:
    """Each plan's bar sums to its number of tasks (100 %): co-leads split, no-lead tasks shown;
    the catalogue's per-type counts, where a co-led task counts for every type, add to more."""
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    shares = {s.plan: s for s in figures.lead_shares(corpus)}
    old: Counter[str] = Counter()
    for r in run_query("lead-load-by-type", five.out).rows:
        old[str(r["place"])] += int(r["tasksLed"])
    over = 0
    for p in corpus.plans:
        s = shares[p.place]
        assert s.tasks == len(p.tasks)
        assert sum(s.shares.values()) == pytest.approx(len(p.tasks))
        assert {stated for _, stated in s.shares} <= {True, False}
        co_led = [t for t in p.tasks if len({corpus.agencies[r.agency].type_name for r in t.agencies("lead")}) > 1]
        over += bool(co_led) and old[p.place] > len(p.tasks)
    assert over, "the bundled plans have co-led tasks that the old chart counted in full"
    inherited = sum(v for s in shares.values() for (_, stated), v in s.shares.items() if not stated)
    assert inherited > 0, "inherited leads are drawn apart"


def test_each_plan_page_shows_every_task_linked_to_its_words(report: Path, five: BuildResult) -> None:
    for plan in five.plans:
        page = parse(report / "plans" / f"{plan.stem}.html")
        tasks = [i for i in page.ids if i.startswith("task-")]
        assert len(tasks) == plan.task_count
        source = parse(report / "sources" / f"{plan.stem}.html")
        marked = {link.split("#", 1)[1] for link in page.links if link.startswith(f"../sources/{plan.stem}.html#")}
        task_marks = {i for i in marked if "-task-" in i and not i.startswith("m-")}
        assert len(task_marks) == plan.task_count and marked <= source.ids
        # and back: each task's badge in the text opens its row
        back = {link.split("#", 1)[1] for link in source.links if link.startswith(f"../plans/{plan.stem}.html#")}
        assert back == set(tasks)


def test_source_page_numbers_lines_and_marks_every_statement(report: Path, five: BuildResult) -> None:
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    for p in corpus.plans:
        html = (report / "sources" / f"{p.stem}.html").read_text(encoding="utf-8")
        text = read_plan_text(five.out / "sources" / f"{p.stem}.txt").raw
        numbers = re.findall(r'<a class="ln" id="L(\d+)" href="#L\d+">(\d+)</a>', html)
        assert len(numbers) == text.count("\n") + 1 and all(a == b for a, b in numbers)
        page = parse(report / "sources" / f"{p.stem}.html")
        with_span = [m for m in p.mentions if m.start is not None]
        assert with_span, p.stem
        for m in with_span:
            ident = "m-" + m.iri.split("/plan/", 1)[1].split("/", 1)[1].replace("/", "-")
            assert ident in page.ids, ident
        agencies = {link for link in page.links if link.startswith("../agencies/")}
        assert agencies and all((report / "sources" / link).resolve().is_file() for link in agencies)
        # adjacent tasks are told apart: the first pieces alternate tints
        firsts = re.findall(r'<mark class="task (t[01]) first"', html.split('<pre class="source">', 1)[1])
        assert len(firsts) == len([t for t in p.tasks if t.start is not None])
        assert all(a != b for a, b in itertools.pairwise(firsts))


def test_marked_words_are_the_tasks_words(report: Path, five: BuildResult) -> None:
    plan = five.plans[0]
    html = (report / "sources" / f"{plan.stem}.html").read_text(encoding="utf-8")
    pieces = re.findall(r'<mark class="task t[01] first" id="([^"]+)">(.*?)</mark>', html, flags=re.S)
    tasks = {_anchor(task): text for task, _, text in plan.tasks}
    assert pieces and {a for a, _ in pieces} == set(tasks)
    for anchor, quote in pieces:
        plain = re.sub(r"<[^>]+>", "", quote)
        assert plain, anchor
        assert tasks[anchor][:4] in plain or plain[:4] in tasks[anchor], anchor


def test_render_nests_overlapping_marks_and_keeps_every_character() -> None:
    """A responsibility mark that crosses a line end and a task's end; two adjacent tasks."""
    text = "一、任务甲。（牵头：县科协\n县教委）任务乙。\n"
    marks = [
        Span(2, 7, "task", "a", "1", "#ta", "task t0"),
        Span(7, 17, "task", "b", "2", "#tb", "task t1"),
        Span(10, 16, "mention", "m-x", href="x.html", css="resp lead"),
    ]
    out = render(text, marks)
    plain = re.sub(r'<a class="(ln|tno)"[^>]*>[^<]*</a>', "", out)
    assert re.sub(r"<[^>]+>", "", plain) == text.rstrip("\n") + "\n"
    assert out.count('id="m-x"') == 1 and out.count('class="resp lead"') == 2, "split at the line end, one id"
    assert out.count('id="a"') == 1 and out.count('id="b"') == 1
    assert '<a class="ln" id="L3" href="#L3">3</a>' in out
    parser = _Page()
    parser.feed(out)  # well nested: the parser sees every mark closed
    assert parser.ids == {"a", "b", "m-x", "L1", "L2", "L3"}


def test_agency_page_lists_the_tasks_the_tasks_query_names_it_on(
    report: Path, five: BuildResult, five_graph: object
) -> None:
    names = {
        str(r[0])
        for r in five_graph.query(  # type: ignore[attr-defined]
            'SELECT ?n WHERE { ?a skos:prefLabel ?n . FILTER(STRENDS(STR(?a), "/kexie") && lang(?n) = "zh") }',
            initNs={"skos": "http://www.w3.org/2004/02/skos/core#"},
        )
    }
    assert len(names) >= 2, "科协 at more than one level across the plans"
    rows = run_query("tasks", five.out).rows
    led = [r for r in rows if names & set(str(r["leadAgencies"]).split("; "))]
    supported = [r for r in rows if names & set(str(r["supportAgencies"]).split("; "))]
    html = (report / "agencies" / "kexie.html").read_text(encoding="utf-8")
    body = html.split("<h2>任务", 1)[1]
    assert body.count('<tr class="lead') == len(led)
    assert body.count('<tr class="support') == len(supported)
    for name in names:
        assert name in html
    page = parse(report / "agencies" / "kexie.html")
    assert any(link.startswith("../sources/") and "#m-" in link for link in page.links), "rows cite the words"
    assert (report / "agencies" / "type-science-association.html").is_file()


def test_every_link_and_image_resolves_offline(report: Path) -> None:
    pages = sorted(report.rglob("*.html"))
    assert len(pages) > 20
    ids: dict[Path, set[str]] = {}
    for page in pages:
        parsed = parse(page)
        for tag, attrs in parsed.tags:
            if tag == "script":
                local = attrs.get("src") in ("explorer.js", "data/index.js")
                assert local or attrs.get("type") == "application/ld+json", (page, attrs)
            if tag in ("img", "script", "link", "iframe") and attrs.get("rel") != "icon":
                ref = attrs.get("src") or attrs.get("href") or ""
                assert not ref.startswith(("http:", "https:", "//")), (page, tag, ref)
        if "ontology" in page.parts:
            continue  # pyLODE's pages link the vocabularies they use (links, not requests)
        for link in parsed.links:
            if link.startswith(("http://", "https://")):
                assert page == report / "index.html", (page, link)  # the licence link
                continue
            target, fragment = urldefrag(link)
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), (page, link)
            if fragment and resolved.suffix == ".html" and "explorer" not in resolved.name:
                if resolved not in ids:
                    ids[resolved] = parse(resolved).ids
                assert fragment in ids[resolved], (page, link)


def test_the_same_build_gives_the_same_report(report: Path, five: BuildResult, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_report(five.out, again)
    assert tree_bytes(again) == tree_bytes(report)


def test_cli_report_and_missing_font(five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts_module, "CJK_FONTS", ("No Such Font",))
    assert main(["report", "--data", str(five.out), "--out", str(tmp_path / "r2")]) == 2
    assert not (tmp_path / "r2").exists(), "nothing half-written"
    assert main(["report", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "r3")]) == 2
