"""Candidate libraries for each input format, compared on the fixtures (issue 16, item 7):
speed per file, and how much of the plan's text each gets back, in order.

    .venv/bin/pip install -e '.[compare]'    # the candidates (not dependencies of the tool)
    .venv/bin/python bench/readers.py

Fidelity is the share of the plan's ``.txt`` characters (white space removed) that the
candidate's text gives back in the same order (``difflib``'s matching blocks), and the share
of the candidate's characters that are not in the plan (chrome, headers, page numbers: noise).
The tool's readers are measured the same way. A candidate's text is its library's plain text
extraction with default settings; what the tool needs beyond text (the task table's cells,
numbering, page metadata) is not scored here, only said in BENCHMARKS.md.
"""

from __future__ import annotations

import difflib
import io
import re
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "fixtures" / "formats"
PLANS = ROOT / "data" / "plans"
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def fidelity(got: str, want: str) -> tuple[float, float]:
    """(share of the plan's characters given back in order, share of noise in what was given)."""
    a, b = _squash(want), _squash(got)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / max(len(a), 1), (len(b) - same) / max(len(b), 1)


def ours(path: Path) -> str:
    from sciplan_kg.read.formats import read_document

    return read_document(path.read_bytes(), path).text


def html_lxml_text(path: Path) -> str:
    from lxml import html

    return html.fromstring(path.read_bytes()).text_content()


def html_selectolax(path: Path) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(path.read_bytes())
    return tree.body.text(separator="\n") if tree.body else ""


def html_trafilatura(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_bytes(), include_tables=True) or ""


def pdf_pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def pdf_pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_pypdfium2_raw(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


def docx_python_docx(path: Path) -> str:
    import docx

    d = docx.Document(io.BytesIO(path.read_bytes()))
    return "\n".join(p.text for p in d.paragraphs)


def docx_docx2python(path: Path) -> str:
    from docx2python import docx2python

    with docx2python(str(path)) as result:
        return str(result.text)


CANDIDATES: dict[str, list[tuple[str, Callable[[Path], str]]]] = {
    "html": [
        ("sciplan-kg (lxml + containers)", ours),
        ("lxml text_content()", html_lxml_text),
        ("selectolax (lexbor) body text", html_selectolax),
        ("trafilatura extract", html_trafilatura),
    ],
    "pdf": [
        ("sciplan-kg (pypdfium2 + layout)", ours),
        ("pypdfium2 raw text", pdf_pypdfium2_raw),
        ("pdfminer.six extract_text", pdf_pdfminer),
        ("pdfplumber extract_text", pdf_pdfplumber),
    ],
    "docx": [
        ("sciplan-kg (XML + numbering)", ours),
        ("python-docx paragraphs", docx_python_docx),
        ("docx2python text", docx_docx2python),
    ],
}


def fixtures(fmt: str) -> list[tuple[Path, Path]]:
    """(fixture, the plan's .txt) of a format."""
    found = sorted((FORMATS / fmt).rglob(f"*.{fmt}"))
    return [(f, PLANS / f"{f.stem}.txt") for f in found if (PLANS / f"{f.stem}.txt").is_file()]


def main() -> None:
    print("| format | reader | files | text given back | noise | seconds per file |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for fmt, candidates in CANDIDATES.items():
        files = fixtures(fmt)
        for name, read in candidates:
            kept = noise = seconds = 0.0
            for path, txt in files:
                start = time.perf_counter()
                text = read(path)
                seconds += time.perf_counter() - start
                k, n = fidelity(text, txt.read_text(encoding="utf-8"))
                kept, noise = kept + k, noise + n
            n_files = len(files)
            print(
                f"| {fmt} | {name} | {n_files} | {kept / n_files:.1%} | {noise / n_files:.1%} "
                f"| {seconds / n_files:.3f} |"
            )


if __name__ == "__main__":
    main()
