"""Reading speed per input format (issue 16): each fixture format of the same plan, a 40-page
PDF and a 1 MB saved page, next to the plain-text path. Seconds per file (best of ``--repeat``
runs in this process, after one warm-up), and characters read.

    .venv/bin/python bench/formats.py [--repeat 5]
    .venv/bin/python bench/formats.py --corpus 3000   # the same generated corpus as text and as pages

With ``--corpus N``: N generated plans (bench/generate.py), each also written as a saved web
page (a government-site page around the plan: navigation, a metadata table, the body as
paragraphs, a task table as a ``<table>``, a footer), then ``sciplan-kg build`` of each
corpus in a fresh process, side by side: wall seconds, peak memory of the process tree, and
whether the two builds hold the same plans and tasks.

Prints Markdown tables for BENCHMARKS.md. Not a test: nothing here fails on a slow machine.
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


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_县人民政府</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2022-06-01 09:30">
</head><body>
<div class="top-nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 政策文件</div>
<table class="gkxx-table"><tr><th>索引号：</th><td>11500000000000000K/2022-00{n}</td>
<th>发布机构：</th><td>县人民政府办公室</td></tr></table>
<div class="article"><h1>{title}</h1>
<div class="TRS_Editor">
{body}
</div></div>
<div class="share">分享到： 微信 微博</div><div class="tools">【打印本页】【关闭窗口】</div>
<div class="footer">主办单位：县人民政府办公室 网站标识码：5002370000 渝ICP备00000000号</div>
<script>var pubtime = 1654047000000;</script>
</body></html>
"""


def as_page(text: str, n: int) -> str:
    """A plan's text as a saved government page: a ``<p>`` per line, its task table (blocks of
    tab-prefixed cells) as a ``<table>``."""
    import html

    lines = text.splitlines()
    title = next((line.strip() for line in lines if line.strip()), "方案")
    body: list[str] = []
    row: list[str] = []
    rows: list[list[str]] = []
    for line in [*lines, ""]:
        if line.startswith("\t"):
            row.append(line[1:])
            continue
        if row:
            rows.append(row)
            row = []
        if not line.strip():
            continue
        if rows:
            cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
            body.append(f"<table border=1>{cells}</table>")
            rows = []
        body.append(f"<p>{html.escape(line.strip())}</p>")
    if rows:
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        body.append(f"<table border=1>{cells}</table>")
    return PAGE.format(title=html.escape(title), n=n, body="\n".join(body))


def corpus(n: int, work: Path) -> None:
    """Build N generated plans as text and as pages, each in a fresh process; print both."""
    import json
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from run import timed  # the build benchmark's timer: wall seconds, peak memory of the tree

    texts, pages = work / f"plans-{n}", work / f"pages-{n}"
    if len(list(texts.glob("*.txt"))) != n:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), str(texts)], check=True)
    pages.mkdir(exist_ok=True)
    for i, f in enumerate(sorted(texts.glob("*.txt"))):
        page = pages / f"{f.stem}.html"
        if not page.is_file():
            page.write_text(as_page(f.read_text(encoding="utf-8"), i), encoding="utf-8")
    build = (
        "import sys; from pathlib import Path; from sciplan_kg import build; "
        "build([Path(sys.argv[1])], Path(sys.argv[2]), incremental=False)"
    )
    results = {}
    for name, folder in (("text", texts), ("html", pages)):
        out = work / f"build-{name}-{n}"
        seconds, peak, _ = timed([sys.executable, "-c", build, str(folder), str(out)])
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["plans"]
        results[name] = (seconds, peak, {(p["plan"], p["tasks"], p["triples"]) for p in manifest})
    same = {(p, t) for p, t, _ in results["text"][2]} == {(p, t) for p, t, _ in results["html"][2]}
    print(f"\n{n} generated plans, each built from its text and from a saved page of it (fresh process):\n")
    print("| input | build s | peak MB | plans | same plans and task counts as the text |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name in ("text", "html"):
        seconds, peak, plans = results[name]
        print(f"| {name} | {seconds:.1f} | {peak / 2**20:,.0f} | {len(plans):,} | {'yes' if same else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=int, help="build this many generated plans as text and as pages")
    args = parser.parse_args()
    work = ROOT / "bench" / ".work"
    work.mkdir(parents=True, exist_ok=True)
    if args.corpus:
        corpus(args.corpus, work)
        return
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
