"""The report in a real browser (Debian's chromium, headless): every page loads, the index
shows every plan, every link a page makes opens a page, and the pages render (screenshots that
are not blank). Chromium is kept off the network: every host name resolves to nothing.

Without chromium these tests are skipped, unless SCIPLAN_REQUIRE_BROWSER=1 (``make test`` sets
it: ``make install`` installs chromium)."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import matplotlib.image as mpimg
import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.publish.report import write_report

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
if CHROMIUM is None:
    if os.environ.get("SCIPLAN_REQUIRE_BROWSER") == "1":
        raise RuntimeError("chromium is required (SCIPLAN_REQUIRE_BROWSER=1): run make install")
    pytest.skip("chromium is not installed", allow_module_level=True)


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
        f"--user-data-dir={profile}",
        *args,
        url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
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
def report(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report"
    write_report(five.out, out)
    return out


def test_index_shows_every_plan(report: Path, five: BuildResult, tmp_path: Path) -> None:
    dom = chromium((report / "index.html").as_uri(), tmp_path / "profile", "--dump-dom")
    assert "<table" in dom
    for plan in five.plans:
        assert plan.title and plan.title in dom
        assert f'href="plans/{plan.stem}.html"' in dom


def test_every_link_opens_a_page(report: Path, tmp_path: Path) -> None:
    pages = {report / "index.html"}
    seen: set[Path] = set()
    while pages:
        page = pages.pop()
        seen.add(page)
        dom = chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
        assert "ERR_FILE_NOT_FOUND" not in dom and "<h1>" in dom, page
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            path = urldefrag(link)[0]
            target = (page.parent / path).resolve() if path else page
            if target.suffix == ".html" and target not in seen:
                pages.add(target)
            assert target.is_file(), (page, link)
    assert len(seen) == 1 + 2 * len(list((report / "plans").glob("*.html")))


def test_pages_render(report: Path, five: BuildResult, tmp_path: Path) -> None:
    for page in (report / "index.html", report / "plans" / f"{five.plans[2].stem}.html"):
        shot = tmp_path / f"{page.stem}.png"
        chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600")
        pixels = mpimg.imread(shot)
        assert pixels.shape[0] >= 1000 and pixels.std() > 0.05, "a blank page"
