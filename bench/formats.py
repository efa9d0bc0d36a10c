"""Reading speed per input format (issue 16): each fixture format of the same plan, a 40-page
PDF and a 1 MB saved page, next to the plain-text path. Seconds per file (best of ``--repeat``
runs in this process, after one warm-up), and characters read.

    .venv/bin/python bench/formats.py [--repeat 5]

Prints a Markdown table for BENCHMARKS.md. Not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from sciplan_kg.read.text import read_plan_text

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
PLAN = "000_0c79adcaae20951d"  # 巫山: the longest plan, with the task table


def forty_page_pdf(out: Path) -> Path:
    """Two of the fixture PDFs (20+ pages each) joined into one file of 40 pages or more."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for stem in (PLAN, "003_120be5be3c056120"):
        src = pdfium.PdfDocument(str(FORMATS / "pdf" / f"{stem}.pdf"))
        doc.import_pages(src)
    doc.save(str(out))
    return out


def megabyte_page(out: Path) -> Path:
    """A template-A page whose body repeats until the file is over 1 MB."""
    page = (FORMATS / "html" / "a_trs" / f"{PLAN}.html").read_text(encoding="utf-8")
    start = page.index('<div class="TRS_Editor"')
    end = page.index("</div>", page.rindex("</table>")) if "</table>" in page else len(page) // 2
    body = page[start:end]
    copies = max(1, (1 << 20) // len(body.encode("utf-8")) + 1)
    out.write_text(page[:start] + body * copies + page[end:], encoding="utf-8")
    return out


def timed(path: Path, repeat: int) -> tuple[float, int]:
    data = path.read_bytes()
    read_plan_text(path, data)  # warm-up: imports, caches
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        pt = read_plan_text(path, data)
        best = min(best, time.perf_counter() - start)
    return best, len(pt.raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = ROOT / "bench" / ".work"
    work.mkdir(parents=True, exist_ok=True)
    files = [
        ("text", ROOT / "data" / "plans" / f"{PLAN}.txt"),
        ("html (template A)", FORMATS / "html" / "a_trs" / f"{PLAN}.html"),
        ("html (template B)", FORMATS / "html" / "b_zoom" / f"{PLAN}.html"),
        ("html (template C, GBK)", FORMATS / "html" / "c_gbk" / f"{PLAN}.html"),
        ("docx", FORMATS / "docx" / f"{PLAN}.docx"),
        ("pdf", FORMATS / "pdf" / f"{PLAN}.pdf"),
        ("pdf, 40+ pages", forty_page_pdf(work / "forty-pages.pdf")),
        ("html, 1 MB", megabyte_page(work / "megabyte.html")),
    ]
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}; best of {args.repeat}.\n")
    print("| file | bytes | characters read | seconds | vs text |")
    print("| --- | ---: | ---: | ---: | ---: |")
    base = None
    for name, path in files:
        seconds, chars = timed(path, args.repeat)
        base = base or seconds
        print(f"| {name} | {path.stat().st_size:,} | {chars:,} | {seconds:.4f} | {seconds / base:.0f}× |")


if __name__ == "__main__":
    main()
