"""Reading a PDF with a text layer (pypdfium2, Apache-2.0/BSD): the plan's text in the plain-text
shape (:mod:`sciplan_kg.read.reading`).

Each page's characters are taken with their positions (PDFium's text page: the character, its
loose box, whether PDFium generated it) and grouped into lines; then:

* running headers and footers go: lines in the top or bottom margin band whose text repeats at
  the same height on several pages, and page-number lines there (``— 3 —``, ``- 3 -``,
  ``第3页``, ``3/20``, a bare number);
* lines broken by the page width are joined back into paragraphs: a line that reaches the right
  margin continues into the next line unless that line is indented (a new paragraph) or starts
  a heading or list item (``一、`` ``（一）`` ``1.`` ``（1）`` ``——``); a line ending short of the
  margin ends its paragraph when it ends a sentence or stops more than a few characters short (a
  body line set ragged-right, left-aligned, stops short by a character or two); one ending in a
  closing quote or bracket after no sentence end goes on where the document indents its
  paragraphs and the next line is not indented; a paragraph continues across a page break;
* spaces: PDFium's own spaces are dropped (justified Chinese lines get one between every few
  characters); a space is written only where the gap between two characters is clearly wider
  than the line's usual gap (a real space in the source text);
* tables drawn with ruled cells (the path objects' vertical and horizontal segments give the
  column and row edges) are read cell by cell and written one row per block, each cell on a line
  of its own after a tab; a cell's wrapped lines are joined; a header row the table repeats on
  every page is kept once; a row split by a page break (no rule drawn at the break, as a
  browser prints it) is joined back into one row.

A PDF without any text (a scan) is refused, saying that OCR is not available; an encrypted or
damaged PDF is refused. Every failure is an :class:`~sciplan_kg.errors.InputError`.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sciplan_kg.errors import InputError
from sciplan_kg.read.reading import Reading

SCANNED = (
    "扫描件，没有文字层，无法读取（未安装文字识别 OCR）/ a scanned PDF with no text layer: "
    "its pages are images and OCR is not available; give the plan's text, DOCX or web page instead"
)

# a line that starts a heading or a list item never continues the line before it
_STARTS_ITEM = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇]+[章节条部分编]"
    r"|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|[0-9０-９]{1,2}[.．、](?![0-9０-９])"
    r"|[（(][0-9０-９]{1,2}[）)]"
    r"|[①-⑳]"
    r"|——|－－|--"
    r"|附件)"
)
_DASHES = "—–\\-－―‐─━~～"
_PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASHES}\s]*[0-9０-９]{{1,4}}[{_DASHES}\s]*"
    r"|第\s*[0-9０-９]{1,4}\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]{1,4}\s*页)?"
    r"|共\s*[0-9０-９]{1,4}\s*页\s*[,，/]?\s*第\s*[0-9０-９]{1,4}\s*页"
    r"|[0-9０-９]{1,4}\s*/\s*[0-9０-９]{1,4}"
    r"|(?:Page|page|PAGE)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?)$"
)
_BAND = 0.11  # the top and bottom margin bands, as a share of the page height
_RAGGED = 4.0  # ems short of the right margin a ragged-right line may stop and still go on
_ENDS_PARAGRAPH = tuple('。！？；：!?;:…）)】」”"')  # a line ending so ends its paragraph when short
_ENDS_SENTENCE = tuple("。！？；：!?;:…")
_CLOSES = tuple('）)】」”"’》〕］]')  # a closing quote or bracket ends a sentence only after one of those


@dataclass
class _Char:
    ch: str
    x0: float
    x1: float
    bottom: float
    top: float
    base: float  # baseline (the character's origin)
    size: float


@dataclass
class _Line:
    chars: list[_Char]
    page: int
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def finish(self) -> _Line:
        self.chars.sort(key=lambda c: c.x0)
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)
        self.top = max(c.top for c in self.chars)
        self.bottom = min(c.bottom for c in self.chars)
        self.size = statistics.median(c.size for c in self.chars)
        self.text = _line_text(self.chars)
        return self


@dataclass
class _Table:
    rows: list[list[str]]
    page: int
    top: float
    cols: list[float] = field(default_factory=list)  # column edges, left to right
    # per row and column: whether a rule is drawn along the row's top (bottom) edge; a row split
    # by a page break has none at the break (see _join_split_rows)
    ruled_top: list[list[bool]] = field(default_factory=list)
    ruled_bottom: list[list[bool]] = field(default_factory=list)
    after_header: bool = False  # its first row was a repeated header row, dropped


@dataclass
class _Page:
    items: list[_Line | _Table] = field(default_factory=list)
    height: float = 842.0


def _line_text(chars: list[_Char]) -> str:
    """The characters of one line, a space only where the gap is clearly wider than usual."""
    if not chars:
        return ""
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(chars)]
    usual = statistics.median(gaps) if gaps else 0.0
    out = [chars[0].ch]
    for gap, c in zip(gaps, chars[1:], strict=False):
        # a space in a CJK font is narrow: Noto CJK's is 0.19 em (“爱科学 爱万年” lost it at 0.2)
        if gap > max(usual, 0.0) + 0.15 * c.size and out[-1] != " " and c.ch != " ":
            out.append(" ")
        out.append(c.ch)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _open(data: bytes, path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = pdfium_c.FPDF_GetLastError()
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(path, "PDF 已加密，需要密码 / an encrypted PDF: it needs a password") from exc
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(path, "PDF 的加密方式不受支持 / a PDF encrypted in an unsupported way") from exc
        raise InputError(path, f"PDF 已损坏，无法打开 / a damaged PDF that cannot be opened: {exc}") from exc
    except Exception as exc:  # any failure of the parser is a bad file
        raise InputError(path, f"PDF 已损坏，无法打开 / a damaged PDF that cannot be opened: {exc}") from exc


def _page_chars(page: pdfium.PdfPage) -> list[list[_Char]]:
    """The page's characters in PDFium's order, split where PDFium ends a line."""
    tp = page.get_textpage()
    try:
        raw = tp.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        runs: list[list[_Char]] = [[]]
        for i in range(n):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            generated = pdfium_c.FPDFText_IsGenerated(raw, i) == 1
            if code in (10, 13):
                if runs[-1]:
                    runs.append([])
                continue
            if generated or code in (0, 0xFFFE, 0xFFFF) or (0xD800 <= code < 0xE000):
                continue
            ch = chr(code)
            if ch.isspace():
                continue  # spaces come back from the gaps (see _line_text)
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
            size = pdfium_c.FPDFText_GetFontSize(raw, i) or (rect.top - rect.bottom)
            # some glyphs' loose box is their tight ink box (门 and 自 of a font Chromium embeds):
            # it starts right of where the character does, and the gap before it read as a space
            # (各部门 自查); the character starts at its origin
            x0 = ox.value if 0 < rect.left - ox.value <= 0.5 * size else rect.left
            runs[-1].append(_Char(ch, x0, rect.right, rect.bottom, rect.top, oy.value, size))
        return [r for r in runs if r]
    finally:
        tp.close()


def _segments(page: pdfium.PdfPage) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Ruled lines drawn on the page: vertical (x, bottom, top) and horizontal (y, left, right)."""
    vertical: list[tuple[float, float, float]] = []
    horizontal: list[tuple[float, float, float]] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=8):
        try:
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        w, h = right - left, top - bottom
        if w < 2.5 and h > 4:
            vertical.append(((left + right) / 2, bottom, top))
        elif h < 2.5 and w > 4:
            horizontal.append(((bottom + top) / 2, left, right))
    return vertical, horizontal


def _cluster(values: list[float], tol: float = 2.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _anchor(c: _Char) -> tuple[float, float]:
    """Where a character sits, for placing it in a cell: its left part (punctuation may hang
    past the cell's right border) at half its height."""
    return c.x0 + min(2.0, (c.x1 - c.x0) / 4), (c.bottom + c.top) / 2


@dataclass
class _Grid:
    cols: list[float]  # column edges, left to right
    rows: list[float]  # row edges, top to bottom
    left: float
    right: float
    bottom: float
    top: float
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # (y, left, right)

    def holds(self, c: _Char) -> bool:
        x, y = _anchor(c)
        return self.left < x < self.right and self.bottom < y < self.top

    def ruled(self, y: float) -> list[bool]:
        """Whether a rule is drawn at height ``y`` across each column (at its middle)."""
        mids = [(a + b) / 2 for a, b in itertools.pairwise(self.cols)]
        return [any(abs(h[0] - y) <= 2.5 and h[1] < m < h[2] for h in self.horizontal) for m in mids]


def _grid(page: pdfium.PdfPage) -> _Grid | None:
    """The ruled table on a page, if there is one (at least two columns and one row)."""
    vertical, horizontal = _segments(page)
    if len(vertical) < 3:
        return None
    cols = _cluster([v[0] for v in vertical])
    if len(cols) < 3:
        return None
    bottom = min(v[1] for v in vertical)
    top = max(v[2] for v in vertical)
    left, right = cols[0], cols[-1]
    inside = [h[0] for h in horizontal if bottom - 2 <= h[0] <= top + 2 and h[2] > left + 2 and h[1] < right - 2]
    rows = sorted(set(_cluster([*inside, bottom, top])), reverse=True)
    if len(rows) < 2:
        return None
    ruled = [h for h in horizontal if bottom - 3 <= h[0] <= top + 3]
    return _Grid(cols, rows, left, right, bottom, top, ruled)


def _table(grid: _Grid, chars: list[_Char], page: int) -> _Table:
    """The cells of a ruled table, each cell's wrapped lines joined."""
    ncols, nrows = len(grid.cols) - 1, len(grid.rows) - 1
    cells: dict[tuple[int, int], list[_Char]] = {}
    ascending = [-y for y in grid.rows]
    for c in chars:
        x, y = _anchor(c)
        col = min(max(bisect_right(grid.cols, x) - 1, 0), ncols - 1)
        row = min(max(bisect_right(ascending, -y) - 1, 0), nrows - 1)
        cells.setdefault((row, col), []).append(c)
    table = _Table([], page, grid.top, grid.cols)
    for r in range(nrows):
        row = [_cell_text(cells.get((r, k), [])) for k in range(ncols)]
        if any(row):
            table.rows.append(row)
            table.ruled_top.append(grid.ruled(grid.rows[r]))
            table.ruled_bottom.append(grid.ruled(grid.rows[r + 1]))
    return table


def _cell_text(chars: list[_Char]) -> str:
    lines = _group_lines([chars], -1) if chars else []
    return _join_wrapped([ln.text for ln in lines])


def _join_wrapped(parts: list[str]) -> str:
    """Lines wrapped by the width joined back: Chinese typesetting breaks anywhere, inside words
    and numbers too (``（2021—202`` / ``5年）``), so nothing goes between them."""
    return "".join(parts)


def _group_lines(runs: list[list[_Char]], page: int) -> list[_Line]:
    """Lines from PDFium's runs, split again where the baseline moves (two cells side by side
    or a run that crosses lines), in reading order (top to bottom)."""
    lines: list[_Line] = []
    for run in runs:
        for c in run:
            placed = False
            for ln in reversed(lines[-3:]):
                ref = ln.chars[-1]
                if abs(ref.base - c.base) <= 0.35 * max(ref.size, c.size):
                    ln.chars.append(c)
                    placed = True
                    break
            if not placed:
                lines.append(_Line([c], page))
    done = [ln.finish() for ln in lines]
    done.sort(key=lambda ln: (-round(ln.top - 0.3 * ln.size), ln.x0))
    # merge lines of one row that PDFium gave as separate runs (same baseline)
    merged: list[_Line] = []
    for ln in done:
        if merged and abs(merged[-1].chars[0].base - ln.chars[0].base) <= 0.35 * ln.size:
            merged[-1] = _Line(merged[-1].chars + ln.chars, page).finish()
        else:
            merged.append(ln)
    return merged


def _read_pages(doc: pdfium.PdfDocument) -> list[_Page]:
    pages: list[_Page] = []
    for index in range(len(doc)):
        page = doc[index]
        try:
            runs = _page_chars(page)
            grid = _grid(page)
            height = page.get_height()
        finally:
            page.close()
        table_chars: list[_Char] = []
        if grid is not None:
            kept = []
            for run in runs:
                body = [c for c in run if not grid.holds(c)]
                table_chars.extend(c for c in run if grid.holds(c))
                if body:
                    kept.append(body)
            runs = kept
        items: list[_Line | _Table] = list(_group_lines(runs, index))
        if grid is not None and table_chars:
            table = _table(grid, table_chars, index)
            at = next((i for i, it in enumerate(items) if isinstance(it, _Line) and it.top < table.top), len(items))
            items.insert(at, table)
        pages.append(_Page(items, height))
    return pages


def _strip_margins(pages: list[_Page]) -> None:
    """Drop running headers/footers and page numbers: lines in the margin bands that repeat at
    the same height across pages, or that read as a page number."""

    def in_band(ln: _Line, height: float) -> bool:
        return ln.bottom > height * (1 - _BAND) or ln.top < height * _BAND

    def key(ln: _Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", ln.text), round(ln.top / 4)

    seen: Counter[tuple[str, int]] = Counter()
    for p in pages:
        seen.update({key(it) for it in p.items if isinstance(it, _Line) and in_band(it, p.height)})
    repeat = max(2, round(0.3 * len(pages)))
    for p in pages:
        p.items = [
            it
            for it in p.items
            if not (
                isinstance(it, _Line)
                and in_band(it, p.height)
                and (_PAGE_NUMBER.match(it.text) or (seen[key(it)] >= repeat and len(pages) > 1))
            )
        ]


def _margins(lines: list[_Line]) -> tuple[float, float, float]:
    """The body's left and right margins and its usual font size (the commonest values)."""
    size = Counter(round(ln.size) for ln in lines).most_common(1)[0][0]
    body = [ln for ln in lines if abs(ln.size - size) <= 1.5] or lines
    left = Counter(round(ln.x0) for ln in body).most_common(1)[0][0]
    # full lines end at the commonest right edge (a hanging comma may reach past it)
    right = Counter(round(ln.x1) for ln in body).most_common(1)[0][0]
    return float(left), float(right), float(size)


def _indents_paragraphs(lines: list[_Line], left: float, size: float) -> bool:
    """Whether the body's paragraphs begin indented (by one to three characters, as Chinese
    documents indent them two): then the next line's indentation tells a new paragraph."""
    body = [ln for ln in lines if abs(ln.size - size) <= 1.0]
    first = [ln for ln in body if left + 0.6 * size < ln.x0 < left + 3.5 * size]
    return len(first) >= max(3, 0.05 * len(body))


def _ends_paragraph(text: str, indents: bool) -> bool:
    """Whether a body line that stops short of the right margin ends its paragraph by its last
    character: a sentence's end does; a closing quote or bracket after none (深入开展“中国梦·劳动美”
    stops short where “九龙工匠” does not fit) does only where paragraphs are not indented, for
    where they are, the next line's indentation tells (九龙坡's task was cut there, and its
    other tasks moved)."""
    text = text.rstrip()
    if not text.endswith(_ENDS_PARAGRAPH):
        return False
    if indents and text.endswith(_CLOSES):
        return text.rstrip("".join(_CLOSES)).endswith(_ENDS_SENTENCE)
    return True


def _paragraphs(pages: list[_Page]) -> list[str]:
    lines = [it for p in pages for it in p.items if isinstance(it, _Line)]
    if not lines:
        return []
    left, right, size = _margins(lines)
    indents = _indents_paragraphs(lines, left, size)
    out: list[str] = []
    current = ""
    open_ = False  # the last line reached the right margin: the next may continue it
    last_size = 0.0
    for p in pages:
        for it in p.items:
            if isinstance(it, _Table):
                if current:
                    out.append(current)
                current, open_ = "", False
                out.extend(_table_lines(it))
                continue
            tol = 0.6 * max(it.size, 1.0)
            indented = it.x0 > left + tol
            continues = (
                open_
                and current
                and not indented
                and abs(it.size - last_size) <= 1.0
                and not _STARTS_ITEM.match(it.text)
            )
            if continues:
                current += it.text
            else:
                if current:
                    out.append(current)
                current = it.text
            # a line may go on in the next: it reaches the right margin, or, set ragged-right (left
            # aligned: a browser's or WPS's print to PDF), it stops within a few characters of it
            # and not at a sentence's end (分别举办 broken as 分 | 别举办 split the paragraph there)
            # (body text only: a title set larger is centred, and its lines are its own)
            reaches = it.x1 >= right - tol or (
                abs(it.size - size) <= 1.0 and it.x1 >= right - _RAGGED * size and not _ends_paragraph(it.text, indents)
            )
            open_ = reaches and it.x0 < right - 4 * size
            last_size = it.size
    if current:
        out.append(current)
    return out


def _table_lines(table: _Table) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        out.append("")
        out.extend("\t" + cell for cell in row)
    out.append("")
    return out


def _drop_repeated_headers(pages: list[_Page]) -> None:
    """A table's header row, repeated at the top of the table on later pages, is kept once."""
    header: list[str] | None = None
    for p in pages:
        for it in p.items:
            if isinstance(it, _Table) and it.rows:
                if header is None:
                    header = it.rows[0]
                elif it.rows[0] == header:
                    del it.rows[0], it.ruled_top[0], it.ruled_bottom[0]
                    it.after_header = True


def _same_columns(a: _Table, b: _Table) -> bool:
    return len(a.cols) == len(b.cols) and all(abs(x - y) <= 2.5 for x, y in zip(a.cols, b.cols, strict=True))


def _join_split_rows(pages: list[_Page]) -> None:
    """A table row broken by a page break is one row: the part at the top of the next page's
    table (same column edges, nothing but running headers and page numbers between) is joined
    cell by cell to the last row of the page before. A browser's print (and a table set with
    box-decoration slicing) draws no rule at the break: the last row's bottom edge is open, and
    so is the next part's top edge unless a repeated header row sits above it. A row closed by
    its rule ends at the page, even when its first cells are empty (巫山's 类别 and 任务内容
    columns, merged over rows, are empty in every row after the first): 开展健康大讲堂……利用电视、报
    | 刊、网络等…… and 县卫生健 | 康委 were read as two rows, two tasks and two agencies."""
    last: _Table | None = None  # the table holding the last row read, while only tables follow
    for p in pages:
        for it in p.items:
            if not isinstance(it, _Table):
                last = None
                continue
            if last is not None and it.rows and last.rows and it.page > last.page and _same_columns(last, it):
                text = [k for k, cell in enumerate(it.rows[0]) if cell]
                open_bottom = not any(last.ruled_bottom[-1][k] for k in text)
                open_top = it.after_header or not any(it.ruled_top[0][k] for k in text)
                if open_bottom and open_top:
                    last.rows[-1] = [_join_wrapped([a, b]) for a, b in zip(last.rows[-1], it.rows[0], strict=True)]
                    last.ruled_bottom[-1] = it.ruled_bottom[0]
                    del it.rows[0], it.ruled_top[0], it.ruled_bottom[0]
            if it.rows:
                last = it


def read_pdf(data: bytes, path: Path) -> Reading:
    """Read a PDF's text layer into the plain-text shape. Raises :class:`InputError`."""
    doc = _open(data, path)
    try:
        try:
            pages = _read_pages(doc)
            title = (doc.get_metadata_dict().get("Title") or "").strip()
        except InputError:
            raise
        except Exception as exc:  # a page PDFium cannot read is a damaged file
            raise InputError(path, f"PDF 已损坏，无法读取 / a damaged PDF that cannot be read: {exc}") from exc
    finally:
        doc.close()
    if not any(p.items for p in pages):
        raise InputError(path, SCANNED)
    _strip_margins(pages)
    _drop_repeated_headers(pages)
    _join_split_rows(pages)
    text = "\n".join(_paragraphs(pages))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    metadata = {"标题": title} if title else {}
    return Reading(text=text, format="pdf", metadata=metadata)
