"""The HTML report of a build: an index that lists every plan and links the explorer, the agency
pages, the ontology documentation and every catalogue query's CSV; a page per plan with every
task linked to its words; the marked text with line numbers, every task and every responsibility
statement marked and linked both ways; agency pages whose rows are the tasks the ``tasks`` query
names the agency on; charts whose lead shares sum to 100 % per plan; links and images resolve
offline; the same build gives the same bytes; charts need a CJK font and say so when there is
none. The report is built once per session (``built_report``, conftest.py)."""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import openpyxl
import pytest

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import BuildFolder
from sciplan_kg.publish.report import _anchor, figures, safeguard_kinds, write_report
from sciplan_kg.publish.report import charts as charts_module
from sciplan_kg.publish.report.data import read_corpus
from sciplan_kg.publish.report.parents import diff_html
from sciplan_kg.publish.report.source import Span, render
from sciplan_kg.query import catalogue, run_query
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.instruments import load_scheme
from sciplan_kg.resolve.safeguards import load_kinds
from tests.conftest import tree_bytes
from tests.publish.conftest import ParentCorpus


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


def test_each_plan_page_shows_its_agencies_named_together_as_a_table(report: Path, five: BuildResult) -> None:
    """A table the page draws (names and counts as text), not a chart per plan (0.3 s each with
    matplotlib: a quarter of an hour at 3,000 plans): its cells are the matrix's counts, the
    diagonal each agency's own, and no per-plan image is written."""
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    shown = 0
    for plan in corpus.plans:
        text = (report / "plans" / f"{plan.stem}.html").read_text(encoding="utf-8")
        table = re.search(r'<table class="matrix">(.*?)</table>', text, re.S)
        if not plan.tasks:
            assert table is None
            continue
        m, names = figures.agency_matrix(corpus, [plan], figures.PLAN_AGENCIES, by_key=False)
        assert table is not None and names
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table.group(1), re.S)
        assert [html.unescape(name) for name, _ in rows] == names
        for (_, cells), expected in zip(rows, m, strict=True):
            got = [int(c) if c else 0 for c in re.findall(r"<td[^>]*>(\d*)</td>", cells)]
            assert got == [int(v) for v in expected]
        assert any(v for row in m for v in row), "some agency is named"
        shown += 1
    assert shown
    assert not list((report / "charts").glob("agencies-*.png"))


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


# ------------------------------------------------------------ the rest of each plan (issue 18)


def _table_rows(html_text: str, css: str) -> list[str]:
    """The body rows of the first table of class ``css``."""
    m = re.search(rf'<table class="{css}">(.*?)</table>', html_text, re.S)
    assert m, css
    body = m.group(1).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_plan_page_shows_goals_principles_safeguards_and_phases(report: Path, five: BuildResult) -> None:
    """Each plan page lists every commitment of the ``safeguards`` query and every phase of the
    ``phases`` query, each with its kinds named as the registry names them and a link to its
    line in the marked text; and the plan's principles and goals."""
    kinds = {k.key: k for k in load_kinds()}
    safeguards = run_query("safeguards", five.out).rows
    phases = run_query("phases", five.out).rows
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    assert safeguards and phases, "the five plans state safeguards and (three of them) a timetable"
    for p in corpus.plans:
        text = (report / "plans" / f"{p.stem}.html").read_text(encoding="utf-8")
        source = parse(report / "sources" / f"{p.stem}.html")
        mine = [r for r in safeguards if r["plan"] == p.iri]
        if mine:
            rows = _table_rows(text, "safeguards")
            assert len(rows) == len(mine), p.stem
            for row, r in zip(rows, mine, strict=True):
                assert str(r["text"]) in _plain(row)
                for key in str(r["kinds"]).split("; "):
                    assert f">{kinds[key].zh}</span>" in row and f'title="{kinds[key].en}"' in row, (p.stem, key)
                assert f'href="../sources/{p.stem}.html#L{r["line"]}"' in row and f"L{r['line']}" in source.ids
        else:
            assert "方案未写明保障措施" in text
        mine = [r for r in phases if r["plan"] == p.iri]
        if mine:
            rows = _table_rows(text, "phases")
            assert len(rows) == len(mine), p.stem
            for row, r in zip(rows, mine, strict=True):
                cells = [_plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                assert cells[0] == str(r["phase"]) and cells[3] == str(r["text"])
                assert cells[1] == str(r["start"] or "—") and cells[2] == str(r["end"] or "—")
                assert f"#L{r['line']}" in row and f"L{r['line']}" in source.ids
        else:
            assert "方案未写明进度安排" in text
        outline = corpus.outline.get(p.iri, [])
        principles = [r for r in outline if r["kind"] == "principle"]
        if principles:
            listed = re.search(r'<ol class="principles">(.*?)</ol>', text, re.S)
            assert listed and listed.group(1).count("<li>") == len(principles)
        goals = [r for r in outline if r["kind"] != "principle"]
        if goals:
            assert len(_table_rows(text, "goals")) == len(goals)


def test_index_safeguard_table_counts_are_the_safeguards_query_rows_per_kind(report: Path, five: BuildResult) -> None:
    """The corpus table: a column per kind any plan uses, in the registry's order, named as the
    registry names it; a cell the plan's commitments of that kind (a commitment of several kinds
    counts under each); the total the plan's commitments; the foot the plans that state the kind."""
    rows = run_query("safeguards", five.out).rows
    per_plan: dict[str, Counter[str]] = {}
    for r in rows:
        per_plan.setdefault(str(r["plan"]), Counter()).update(str(r["kinds"]).split("; "))
    used = {k for c in per_plan.values() for k in c}
    order = [k for k in load_kinds() if k.key in used]
    text = (report / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="safeguard-table">(.*?)</table>', text, re.S)
    assert table
    head = re.findall(r'<th title="([^"]+)">([^<]+)<br>', table.group(1))
    assert head == [(k.en, k.zh) for k in order]
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    stems = {p.stem: p.iri for p in corpus.plans}
    body = _table_rows(text, "safeguard-table")
    assert len(body) == len(corpus.plans)
    for row in body:
        stem = re.search(r'href="plans/([^"]+)\.html#safeguards"', row)[1]  # type: ignore[index]
        cells = [_plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)][1:]
        counts = per_plan.get(stems[stem], Counter())
        assert cells[:-1] == [str(counts[k.key] or "—") for k in order], stem
        assert cells[-1] == str(sum(1 for r in rows if r["plan"] == stems[stem]))
    foot = re.search(r"<tfoot>(.*?)</tfoot>", table.group(1), re.S)[1]  # type: ignore[index]
    plans_with = [int(_plain(c)) for c in re.findall(r'<td class="num">(\d+)</td>', foot)]
    assert plans_with == [sum(1 for c in per_plan.values() if c[k.key]) for k in order]


def test_safeguard_kinds_are_the_registrys() -> None:
    assert list(safeguard_kinds().items()) == [(k.key, (k.zh, k.en)) for k in load_kinds()]


# ------------------------------------------------------------ outcomes and instruments (issue 19)


def _svg_texts(path: Path) -> list[str]:
    """The strings a chart draws (matplotlib writes each as a comment before its paths)."""
    return [html.unescape(t) for t in re.findall(r"<!-- (.*?) -->", path.read_text(encoding="utf-8"))]


def test_target_attainment_chart_shows_each_target_beside_the_measured_value(report: Path, five: BuildResult) -> None:
    rows = run_query("target-attainment", five.out).rows
    assert len(rows) == len(five.plans)
    text = (report / "index.html").read_text(encoding="utf-8")
    caption = re.search(r'<figure id="chart-target-attainment">.*?<figcaption>(.*?)</figcaption>', text, re.S)
    assert caption, "the chart is on the index with the others"
    for words in ("2024", "定义", "definition", "一行＝一个方案", "one dot = one rate", 'href="#q-target-attainment"'):
        assert words in caption.group(1), words
    drawn = _svg_texts(report / "charts" / "target-attainment.svg")
    for r in rows:
        assert r["place"] in drawn
        assert f"{float(r['latest']):g}% · {r['measuredArea']} {r['latestYear']}" in drawn, r["place"]
        assert any(t.endswith(f"{float(r['target']):g}%（{r['targetYear']}）") for t in drawn), r["place"]
        if r["baseline"] is not None:
            assert f"{float(r['baseline']):g}%（{r['baselineYear']}）" in drawn


def test_target_attainment_caption_counts_the_comparisons_across_the_definition_change(tmp_path: Path) -> None:
    """Another office's rows: one crossing the 2024 change, one not, one with no measured value."""
    rows = [
        {"plan": "p:a", "place": "甲县", "target": 15, "comparator": "≥", "targetYear": 2025, "baseline": 9.8,
         "baselineYear": 2020, "measuredArea": "某省", "latestYear": 2024, "latest": 16.1, "crossesDefinition": True},
        {"plan": "p:b", "place": "乙市", "target": 18, "comparator": ">", "targetYear": 2025, "baseline": None,
         "baselineYear": None, "measuredArea": "某区", "latestYear": 2023, "latest": 13.0, "crossesDefinition": False},
        {"plan": "p:c", "place": "丙区", "target": 12.5, "comparator": "=", "targetYear": 2025, "baseline": None,
         "baselineYear": None, "measuredArea": None, "latestYear": None, "latest": None, "crossesDefinition": None},
    ]  # fmt: skip
    chart = charts_module.target_attainment(rows, {"p:a": "甲县", "p:b": "乙市"}, tmp_path)
    assert "此处 1 个方案" in chart.unit and "here: 1 of the plans" in chart.unit
    drawn = _svg_texts(tmp_path / "target-attainment.svg")
    assert {"甲县", "乙市", "丙区", "16.1% · 某省 2024", "9.8%（2020）", "≥15%（2025）", "12.5%（2025）"} <= set(drawn)


def test_instrument_mix_chart_is_the_querys_shares(report: Path, five: BuildResult) -> None:
    """One cell = the share of the plan's tasks using the instrument (or any of its group); a
    task may use several instruments, so a plan's instruments add up to more than 100 %."""
    rows = run_query("instrument-mix", five.out).rows
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    m, columns = figures.instrument_matrix(rows, corpus.plans)
    scheme = load_scheme()
    assert len(columns) == len(scheme.groups) + len(scheme.instruments)
    keys = [k for k, _, _ in figures.instrument_columns()]
    over = 0
    for i, p in enumerate(corpus.plans):
        mine = {str(r["instrument"]): float(r["sharePercent"]) for r in rows if r["plan"] == p.iri}
        assert m[i] == [mine.get(k, 0.0) for k in keys], p.stem
        for g in scheme.groups:
            members = [mine.get(x.key, 0.0) for x in scheme.instruments if x.group == g.key]
            assert mine.get(g.key, 0.0) >= max(members, default=0.0)
        over += sum(mine.get(x.key, 0.0) for x in scheme.instruments) > 100
    assert over, "tasks use several instruments"
    text = (report / "index.html").read_text(encoding="utf-8")
    caption = re.search(r'<figure id="chart-instrument-mix">.*?<figcaption>(.*?)</figcaption>', text, re.S)
    assert caption
    for words in ("一个单位＝一项任务", "one unit = one task", "several instruments", 'href="#q-instrument-mix"'):
        assert words in caption.group(1), words


def test_each_task_shows_its_instruments_as_tags(report: Path, five: BuildResult) -> None:
    """The tags on a plan page are the graph's sk:usesInstrument of its tasks (as many as the
    ``instrument-mix`` query counts), named as the scheme names them."""
    rows = run_query("instrument-mix", five.out).rows
    names = {i.zh: i for i in load_scheme().instruments}
    corpus = read_corpus(five.out, BuildFolder.open(five.out).manifest)
    for p in corpus.plans:
        text = (report / "plans" / f"{p.stem}.html").read_text(encoding="utf-8")
        tags = re.findall(r'<span class="tag instrument (\w+)" title="[^"]+">([^<]+)</span>',
                          "".join(re.findall(r'<div class="instruments">(.*?)</div>', text, re.S)))  # fmt: skip
        expected = sum(int(r["tasks"]) for r in rows if r["plan"] == p.iri and r["level"] == "instrument")
        assert len(tags) == expected > 0, p.stem
        assert all(names[zh].group == group for group, zh in tags)
        for t in p.tasks:
            row = re.search(rf'<tr id="task-{t.anchor}">(.*?)</tr>', text, re.S)[1]  # type: ignore[index]
            assert [names[zh].key for _, zh in re.findall(r'class="tag instrument (\w+)"[^>]*>([^<]+)<', row)] == (
                t.instruments
            )


# ------------------------------------------------------------ a child beside its parent (issue 19)


def test_diff_marks_what_the_child_removes_and_adds() -> None:
    parent, child = "加强科普基地建设<2个>。", "强化科普基地建设<3个>，覆盖全县。"
    a, b = diff_html(parent, child)
    assert a == "<del>加</del>强科普基地建设&lt;<del>2</del>个&gt;。"  # the full stop is kept: the child's last
    assert b == "强<ins>化</ins>科普基地建设&lt;<ins>3</ins>个&gt;<ins>，覆盖全县</ins>。"
    assert diff_html("同一段。", "同一段。") == ("同一段。", "同一段。")
    assert diff_html("", "新增任务。") == ("", "<ins>新增任务。</ins>")


def _pairs(page: str) -> list[dict[str, str]]:
    out = []
    for cls, row in re.findall(r'<tr class="pair (\w+)" id="[^"]+">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        out.append({"class": cls, "score": _plain(cells[2]), "task": cells[0], "parent": cells[4], "child": cells[5]})
    return out


def test_parent_page_sets_each_child_task_beside_its_parent_task(parent_corpus: ParentCorpus) -> None:
    """On the test corpus (two parents, four children made from them): a page per child; every
    task of the child once, beside its parent task as ``parent-task-match`` gives it; the texts
    are the two tasks' with the differences marked; the shares are ``parent-diffusion``'s; the
    classes are the ones the corpus was made with."""
    out, report = parent_corpus.build.out, parent_corpus.report
    matches = run_query("parent-task-match", out).rows
    diffusion = [r for r in run_query("parent-diffusion", out).rows if r["scope"] == "measure"]
    corpus = read_corpus(out, BuildFolder.open(out).manifest)
    children = [p for p in corpus.plans if p.stem.startswith("child_")]
    assert len(children) == 4 and sorted((report / "parents").iterdir()) == sorted(
        report / "parents" / f"{p.stem}.html" for p in children
    )
    for p in children:
        page = (report / "parents" / f"{p.stem}.html").read_text(encoding="utf-8")
        mine = [r for r in matches if r["plan"] == p.iri]
        pairs = _pairs(page)
        assert len(pairs) == len(mine) == len(p.tasks)
        by_task = {str(r["task"]): r for r in mine}
        for pair, t in zip(pairs, p.tasks, strict=True):
            r = by_task[t.iri]
            assert f'href="../plans/{p.stem}.html#task-{t.anchor}"' in pair["task"]
            assert pair["class"] == r["matchClass"] and float(pair["score"]) == pytest.approx(
                float(r["score"]), abs=5e-4
            )
            assert _plain(pair["parent"]) == str(r["parentText"] or "") and _plain(pair["child"]) == str(r["text"])
            # what is left of each side once the marks are taken out is the same text
            assert _plain(re.sub(r"<del>.*?</del>", "", pair["parent"])) == _plain(
                re.sub(r"<ins>.*?</ins>", "", pair["child"])
            )
            if str(r["text"]) == str(r["parentText"]):
                assert "<del>" not in pair["parent"] and "<ins>" not in pair["child"]
        # the classes as constructed: copies and excerpts copied, localised and reworded adapted, new new
        key = p.stem.removeprefix("child_")
        for fate, written, _ in parent_corpus.made[key]:
            found = [x for x in pairs if _plain(x["child"]).startswith(written[:30])]
            assert [x["class"] for x in found] == [{"copy": "copied", "excerpt": "copied"}.get(
                fate, "adapted" if fate in ("localise", "reword") else fate)], (key, fate, written[:30])  # fmt: skip
        shares = _table_rows(page, "diffusion")
        mine_d = [r for r in diffusion if r["plan"] == p.iri]
        assert len(shares) == len(mine_d)
        got = {_plain(re.findall(r"<td[^>]*>(.*?)</td>", s, re.S)[0]): s for s in shares}
        for r in mine_d:
            cells = [_plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", got[str(r["title"])], re.S)]
            assert cells[1:5] == [str(r[k]) for k in ("tasks", "copied", "adapted", "new")]
            assert [float(c) for c in cells[5:]] == [
                float(r[k]) for k in ("copiedPercent", "adaptedPercent", "newPercent")
            ]
        total = re.search(r'<tr class="total">(.*?)</tr>', page, re.S)[1]  # type: ignore[index]
        assert [_plain(c) for c in re.findall(r'<td class="num">(.*?)</td>', total)][:4] == [
            str(sum(int(r[k]) for r in mine_d)) for k in ("tasks", "copied", "adapted", "new")
        ]
        # linked from the child's page, the parent's page and the index
        plan_page = (report / "plans" / f"{p.stem}.html").read_text(encoding="utf-8")
        assert f'href="../parents/{p.stem}.html#parent-1"' in plan_page
        parent = corpus.plan_of(str(mine[0]["parent"]))
        assert f'href="../parents/{p.stem}.html"' in (report / "plans" / f"{parent.stem}.html").read_text("utf-8")
        assert f'href="plans/{parent.stem}.html"' in page.replace("../", "")
        assert f'href="parents/{p.stem}.html"' in (report / "index.html").read_text(encoding="utf-8")


def test_parent_pages_links_resolve(parent_corpus: ParentCorpus) -> None:
    for page in sorted((parent_corpus.report / "parents").glob("*.html")):
        parsed = parse(page)
        for link in parsed.links:
            target, fragment = urldefrag(link)
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), (page, link)
            if fragment and resolved.suffix == ".html":
                assert fragment in parse(resolved).ids, (page, link)


def test_no_parent_in_the_corpus_no_parent_pages(report: Path) -> None:
    """None of the five bundled plans has its parent in the corpus."""
    assert not (report / "parents").exists()
    assert "对比上级 vs parent" not in (report / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------ the report's own queries on the tables


def test_responsibilities_are_answered_on_the_tables_as_on_oxigraph(five: BuildResult) -> None:
    """The report's ``responsibilities`` asks only what the DuckDB tables hold, so it is
    translated (26 s on Oxigraph at 3,000 plans, 4 s there), with Oxigraph's rows."""
    from contextlib import closing

    from sciplan_kg.publish.report.data import QUERIES
    from sciplan_kg.query import backend, find_query
    from sciplan_kg.query.translate import translate_text

    q = find_query(str(QUERIES / "responsibilities.rq"))
    translate_text(q.text)  # raises Unsupported when it cannot be
    with closing(backend(five.out)) as tables, closing(backend(five.out, tables=False)) as oxigraph:
        on_tables, on_oxigraph = tables.run(q, {}, None).rows, oxigraph.run(q, {}, None).rows
    assert on_tables == on_oxigraph and len(on_tables) > 100


def test_an_agency_without_a_name_is_shown_as_written(five: BuildResult, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the graph names an agency not (``agencies`` has no row for it), the report shows
    what the statement wrote (``sk:writtenAs``, asked only then)."""
    from sciplan_kg.publish.report import data

    real = data._run
    monkeypatch.setattr(data, "_run", lambda b, name: [] if name == "agencies" else real(b, name))
    corpus = data.read_corpus(five.out, BuildFolder.open(five.out).manifest)
    written = {m.iri: m.written for p in corpus.plans for m in p.mentions}
    expected = {str(r["responsibility"]): str(r["writtenAs"]) for r in real_rows(five, "written")}
    assert written and all(written[iri] == expected[iri] for iri in written)
    assert any("科协" in w for w in written.values())
    monkeypatch.undo()
    named = data.read_corpus(five.out, BuildFolder.open(five.out).manifest)  # with every agency named
    assert all(m.written == "" for p in named.plans for m in p.mentions)


def real_rows(five: BuildResult, name: str) -> list[dict[str, object]]:
    from contextlib import closing

    from sciplan_kg.publish.report.data import QUERIES
    from sciplan_kg.query import backend, find_query

    with closing(backend(five.out)) as b:
        return b.run(find_query(str(QUERIES / f"{name}.rq")), {}, None).rows


def test_a_build_swapped_in_while_the_report_reads_is_named_so(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild while the report reads the folder looked like a damaged build (cannot read:
    no such file): it is said to be a rebuild, and to run the report again."""
    from sciplan_kg.errors import InputError
    from sciplan_kg.publish import report as report_module

    data = tmp_path / "build"
    shutil.copytree(five.out, data)

    def rebuilt_meanwhile(build: Path, *args: object) -> None:
        marker = build / ".sciplan-kg"
        marker.write_bytes(marker.read_bytes() + b"\\n")  # as a swapped-in folder's new marker
        raise InputError(build / "sources" / "000.txt", "无法读取 / cannot read: No such file or directory")

    monkeypatch.setattr(report_module, "_write", rebuilt_meanwhile)
    with pytest.raises(InputError, match="rebuilt while the report read it"):
        report_module.write_report(data, tmp_path / "report")
