"""The HTML report of a build: an index that lists every plan, one page per plan with every
task, each task linked to its sentence in the plan's text; links and images resolve; the same
build gives the same bytes; charts need a CJK font and say so when there is none."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.publish.report import _anchor, write_report
from sciplan_kg.publish.report import charts as charts_module
from tests.conftest import tree_bytes


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
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
def report(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(five.out, out)
    return out


def test_index_lists_every_plan_and_links_its_page(report: Path, five: BuildResult) -> None:
    index = parse(report / "index.html")
    text = (report / "index.html").read_text(encoding="utf-8")
    for plan in five.plans:
        assert plan.title and plan.title in text
        assert f"plans/{plan.stem}.html" in index.links
    for chart in ("lead-load-by-type", "literacy-targets", "co-responsibility"):
        assert f"charts/{chart}.png" in index.links and (report / "charts" / f"{chart}.svg").is_file()


def test_each_plan_page_shows_every_task_linked_to_its_sentence(report: Path, five: BuildResult) -> None:
    for plan in five.plans:
        page = parse(report / "plans" / f"{plan.stem}.html")
        tasks = [i for i in page.ids if i.startswith("task-")]
        assert len(tasks) == plan.task_count
        source = parse(report / "sources" / f"{plan.stem}.html")
        marked = {link.split("#", 1)[1] for link in page.links if link.startswith(f"../sources/{plan.stem}.html#")}
        assert len(marked) == plan.task_count and marked <= source.ids


def test_marked_sentences_are_the_tasks_quotes(report: Path, five: BuildResult) -> None:
    plan = five.plans[0]
    html = (report / "sources" / f"{plan.stem}.html").read_text(encoding="utf-8")
    quotes = dict(re.findall(r'<mark id="([^"]+)">(.*?)</mark>', html, flags=re.S))
    tasks = {_anchor(task): text for task, _, text in plan.tasks}
    assert quotes and set(quotes) == set(tasks)
    for anchor, quote in quotes.items():
        plain = re.sub(r"<[^>]+>", "", quote)
        assert tasks[anchor][:8] in plain.replace("\n", ""), anchor


def test_every_link_and_image_resolves_offline(report: Path) -> None:
    pages = sorted(report.rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        parsed = parse(page)
        assert "script" not in parsed.tags, f"{page} runs a script"
        for link in parsed.links:
            assert not link.startswith(("http://", "https://", "//")) or page.parent == report, (page, link)
            if link.startswith(("http://", "https://")):
                continue  # the licence link on the index, not needed to read the page
            target, fragment = urldefrag(link)
            resolved = (page.parent / target).resolve() if target else page
            assert resolved.is_file(), (page, link)
            if fragment:
                assert fragment in parse(resolved).ids, (page, link)


def test_the_same_build_gives_the_same_report(report: Path, five: BuildResult, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_report(five.out, again)
    assert tree_bytes(again) == tree_bytes(report)


def test_cli_report_and_missing_font(five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["report", "--data", str(five.out), "--out", str(tmp_path / "r")]) == 0
    monkeypatch.setattr(charts_module, "CJK_FONTS", ("No Such Font",))
    assert main(["report", "--data", str(five.out), "--out", str(tmp_path / "r2")]) == 2
    assert not (tmp_path / "r2").exists(), "nothing half-written"
    assert main(["report", "--data", str(tmp_path / "nope"), "--out", str(tmp_path / "r3")]) == 2
