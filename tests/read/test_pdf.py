"""The PDF reader (issue 16, item 4): every fixture PDF gives the records of its plan's .txt,
compared field by field; no page number or running header in the text; 巫山's task table in
the plain-text shape; scanned, encrypted and damaged PDFs refused with an InputError."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.read.pdf import _Char, _Line, _Page, _paragraphs, _read_pages, _Table, read_pdf
from sciplan_kg.read.reading import Reading
from tests.read.records import assert_same, records

ROOT = Path(__file__).resolve().parents[2]
PDFS = ROOT / "tests" / "fixtures" / "formats" / "pdf"
PLANS = ROOT / "data" / "plans"
STEMS = sorted(p.stem for p in PDFS.glob("*.pdf") if p.stem != "scanned")


@cache
def _read(stem: str) -> Reading:
    path = PDFS / f"{stem}.pdf"
    return read_pdf(path.read_bytes(), path)


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_gives_the_records_of_its_txt(stem: str) -> None:
    reading = _read(stem)
    assert reading.format == "pdf" and not reading.ocr
    name = f"{stem}.txt"
    txt = (PLANS / name).read_text(encoding="utf-8")
    got = records(reading.text, name)
    want = records(txt, name)
    assert want["measures"], "the .txt itself gives measures"
    if stem.startswith("004_"):
        # 九龙坡: the .txt begins with a saved page's metadata list (15 lines); the PDF is the
        # document, which prints the document number above the title instead. Everything must
        # match, the document number coming from that printed line.
        assert txt.splitlines()[3] == "- 九龙坡府办发〔2022〕24号"
        assert reading.text.splitlines()[0] == "九龙坡府办发〔2022〕24号"
        assert "11500107009293065M" not in reading.text
        # the list's 发布日期 is the web page's, not the document's
        assert got.pop("published") is None and want.pop("published") == "2022-02-14"
    assert_same(got, want)


def _body_lines(text: str) -> list[str]:
    """Non-blank lines, stripped; a table cell keeps its tab."""
    return [ln if ln.startswith("\t") else ln.strip(" \u3000") for ln in text.splitlines() if ln.strip(" \u3000")]


@pytest.mark.parametrize("stem", STEMS)
def test_paragraphs_are_the_txt_lines(stem: str) -> None:
    """Every paragraph joined back as the .txt has it (lines broken inside numbers too); the
    only differences are the long centred titles, which the .txt itself writes sometimes on one
    line and sometimes on two (the PDF wraps them at the same width either way), and 九龙坡's
    page metadata list."""
    txt = _body_lines((PLANS / f"{stem}.txt").read_text(encoding="utf-8"))
    got = _body_lines(_read(stem).text)
    if stem.startswith("004_"):
        txt = txt[15:]
        got = got[1:]
    joined_txt = {ln for ln in txt}
    title_like = [ln for ln in got if ln not in joined_txt]
    for ln in title_like:  # a wrapped title line: part of one .txt line
        assert any(ln in t for t in txt[:25]), ln
        assert len(ln) <= 40, ln
    assert len(title_like) <= 4
    assert "（2021—2025年）" in _read(stem).text or "2025年" in _read(stem).text


@pytest.mark.parametrize("stem", STEMS)
def test_no_page_numbers_or_running_headers(stem: str) -> None:
    text = _read(stem).text
    lines = [ln.strip() for ln in text.splitlines()]
    page_number = re.compile(r"^[—\-–－\s]*\d{1,3}[—\-–－\s]*$")
    assert not [ln for ln in lines if page_number.match(ln)]
    assert not re.search(r"[—-] \d{1,2} [—-]", text)
    # the running header repeats a body line on every page from page 2: it is left only where
    # the body has it (as often as the .txt has it)
    txt = (PLANS / f"{stem}.txt").read_text(encoding="utf-8")
    txt_lines = [ln.strip(" \u3000") for ln in txt.splitlines()]
    for header in {"巫山府办发〔2022〕76号", "重庆市梁平区人民政府办公室", "平罗县人民政府办公室", "万府发〔2022〕6号"}:
        assert lines.count(header) <= max(txt_lines.count(header), 0), header


def test_the_task_table_is_read_in_the_plain_text_shape() -> None:
    stem = "000_0c79adcaae20951d"
    text = _read(stem).text
    txt = (PLANS / f"{stem}.txt").read_text(encoding="utf-8")
    assert text.count("\t类别\n\t任务内容\n\t具体内容\n\t牵头部门\n\t责任部门\n") == 1  # header once

    def rows(t: str) -> list[list[str]]:  # blank-line-separated blocks of tab-prefixed cells
        t = t[t.index("\t类别") : t.index("抄送")]
        lines = [ln if ln.startswith("\t") else ln.strip() for ln in t.splitlines()]
        blocks = re.split(r"\n(?:\n)+", "\n".join(lines).strip("\n"))
        return [block.split("\n") for block in blocks]

    got, want = rows(text), rows(txt)
    assert len(want) == 81 and all(len(r) == 5 for r in want)
    assert_same(got, want)


def test_a_scanned_pdf_is_refused_saying_there_is_no_text_layer() -> None:
    path = PDFS / "scanned.pdf"
    with pytest.raises(InputError, match="扫描件") as err:
        read_pdf(path.read_bytes(), path)
    assert "OCR" in err.value.message and err.value.path == path


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        b"%PDF-1.4\n" + b"\x00garbage" * 100,
        b"",
    ],
    ids=["no-pages", "garbage", "empty"],
)
def test_a_damaged_pdf_is_refused(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.pdf"
    with pytest.raises(InputError):
        read_pdf(data, path)


def test_a_truncated_pdf_is_refused_or_read(tmp_path: Path) -> None:
    """Cut in half: PDFium may still repair it; either way it is an InputError or a Reading."""
    data = (PDFS / "001_dea383087ddef27d.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    try:
        reading = read_pdf(data[: len(data) // 2], path)
    except InputError:
        return
    assert isinstance(reading, Reading)


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    data = _encrypted()
    if data is None:
        pytest.skip("no way to write an encrypted PDF here (pypdfium2 does not encrypt)")
    with pytest.raises(InputError, match="加密"):
        read_pdf(data, tmp_path / "secret.pdf")


def _encrypted() -> bytes | None:
    """A small PDF protected with a user password (RC4 40-bit, standard security handler),
    written by hand: PDFium must ask for the password."""
    import hashlib

    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    user, owner = b"secret", b"owner"
    u_pad = (user + pad)[:32]
    o_key = hashlib.md5((owner + pad)[:32]).digest()[:5]
    o_val = _rc4(o_key, u_pad)
    perms = -4
    file_id = b"0123456789abcdef"
    key = hashlib.md5(u_pad + o_val + perms.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    u_val = _rc4(key, pad)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_val.hex().encode()
        + b"> /U <"
        + u_val.hex().encode()
        + b"> /P -4 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        file_id.hex().encode(),
        file_id.hex().encode(),
        xref,
    )
    data = bytes(out)
    try:
        pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return data
    return None  # opened without a password: the hand-made encryption is not what PDFium wants


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


@pytest.mark.parametrize(
    "line", ["— 3 —", "—3—", "- 3 -", "-3-", "第3页", "第 3 页 共 20 页", "3/20", "3", "１２", "Page 3"]
)
def test_page_number_lines_are_recognised(line: str) -> None:
    from sciplan_kg.read.pdf import _PAGE_NUMBER

    assert _PAGE_NUMBER.match(line)


@pytest.mark.parametrize("line", ["2022年10月13日", "（2021—2025年）", "一、指导思想", "3．实施", "县科协"])
def test_body_lines_are_not_page_numbers(line: str) -> None:
    from sciplan_kg.read.pdf import _PAGE_NUMBER

    assert not _PAGE_NUMBER.match(line)


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("一、指导思想", True),
        ("（一）五大提升行动", True),
        ("1．实施", True),
        ("2、加强", True),
        ("（1）科普", True),
        ("——建立", True),
        ("5年）》已经", False),
        ("1〕60号）要求", False),
        ("21—2025年）的通知", False),
    ],
)
def test_headings_and_list_items_start_a_paragraph(line: str, item: bool) -> None:
    from sciplan_kg.read.pdf import _STARTS_ITEM

    assert bool(_STARTS_ITEM.match(line)) is item


RAGGED = ROOT / "tests" / "fixtures" / "formats" / "pdf-ragged"


@pytest.mark.parametrize("stem", sorted(p.stem for p in RAGGED.glob("*.pdf")))
def test_a_ragged_right_pdf_gives_the_records_of_its_txt(stem: str) -> None:
    """Set left-aligned (a browser's print to PDF), a paragraph's lines stop short of the right
    margin: each such line ended its paragraph (分别举办 read as 分 | 别举办, a directive's number
    lost, a task lost in each of two measures). A line short of the margin goes on in the next
    unless it ends a sentence."""
    path = RAGGED / f"{stem}.pdf"
    reading = read_pdf(path.read_bytes(), path)
    name = f"{stem}.txt"
    assert_same(records(reading.text, name), records((PLANS / name).read_text(encoding="utf-8"), name))


SPLIT = ROOT / "tests" / "fixtures" / "formats" / "pdf-split"


def _nonblank(text: str) -> list[str]:
    return [ln if ln.startswith("\t") else ln.strip(" \u3000") for ln in text.splitlines() if ln.strip(" \u3000")]


@pytest.mark.parametrize("name", ["split_rows.pdf", "split_rows_thead.pdf"])
def test_a_table_row_split_by_a_page_break_is_one_row(name: str) -> None:
    """Printed by a browser, a table row taller than what is left of the page goes on at the top
    of the next, with no rule at the break: it was read as two rows (县卫生健 | 康委, two agencies;
    开展健康大讲堂……报 | 刊、网络…… two tasks). A row closed by its rule before the break stays
    a row of its own although its first cells are empty (巫山's merged 类别 and 任务内容
    columns), with the header row repeated on every page or not."""
    path = SPLIT / name
    data = path.read_bytes()
    doc = pdfium.PdfDocument(data)
    try:
        tables = [it for p in _read_pages(doc) for it in p.items if isinstance(it, _Table)]
    finally:
        doc.close()
    # the fixture holds both cases: rows cut by a page break, and rows ended at one
    cut = [t for t in tables[:-1] if not any(t.ruled_bottom[-1])]
    closed = [t for t in tables[:-1] if all(t.ruled_bottom[-1])]
    assert len(cut) >= 2 and closed
    reading = read_pdf(data, path)
    txt = (SPLIT / "split_rows.txt").read_text(encoding="utf-8")
    assert _nonblank(reading.text) == _nonblank(txt)
    assert_same(records(reading.text, "split_rows.txt"), records(txt, "split_rows.txt"))


def test_a_short_line_ending_in_a_closing_quote_goes_on_where_paragraphs_are_indented() -> None:
    """深入开展“中国梦·劳动美” stops short of the margin, where “九龙工匠” does not fit: the
    next line is not indented, so the paragraph goes on (it was cut there: a task cut short and
    the tasks after it moved)."""
    path = SPLIT / "split_rows.pdf"
    lines = _nonblank(read_pdf(path.read_bytes(), path).text)
    assert any(ln.startswith("开展理想信念和职业精神宣传教育") and ln.endswith("文化氛围。") for ln in lines)
    assert not any(ln.endswith("劳动美”") for ln in lines)


def _line(text: str, x0: float, x1: float, top: float, size: float = 14.0) -> _Line:
    chars = [
        _Char(c, x0 + i * size, x0 + (i + 1) * size, top - size, top, top - size, size) for i, c in enumerate(text)
    ]
    ln = _Line(chars, 0).finish()
    ln.x0, ln.x1 = x0, x1  # the line's own extent (short lines stop before their last box)
    return ln


def _body(indent: float, short: str, short_x1: float) -> list[_Line | _Table]:
    """Paragraphs of full lines (72 to 500), each first line ``indent`` in; the second
    paragraph's first line is ``short``, ending at ``short_x1``, and then a line at the margin."""
    lines: list[_Line | _Table] = []
    top = 800.0
    for first in ("一" * 28, short, "二" * 28):
        lines.append(_line(first, 72 + indent, short_x1 if first == short else 500, top))
        top -= 20
        for _ in range(2):
            lines.append(_line("三" * 30, 72, 500, top))
            top -= 20
        lines.append(_line("四四四四四。", 72, 160, top))
        top -= 20
    return lines


@pytest.mark.parametrize(
    ("short", "indent", "goes_on"),
    [
        ("开展宣传教育。深入开展“中国梦·劳动美”", 28.0, True),  # indented paragraphs: the next line tells
        ("实施专项行动（智慧助老）", 28.0, True),
        ("开展宣传教育。深入开展“中国梦·劳动美”", 0.0, False),  # not indented: the quote ends it
        ("提出“建设科普强区。”", 28.0, False),  # a sentence ends inside the quote
        ("开展宣传教育。", 28.0, False),
    ],
)
def test_the_next_lines_indentation_tells_whether_a_short_line_ends_its_paragraph(
    short: str, indent: float, goes_on: bool
) -> None:
    out = _paragraphs([_Page(_body(indent, short, 480.0))])
    assert (short in out) is not goes_on
    assert any(p.startswith(short) and p != short for p in out) is goes_on


def test_a_real_space_is_kept_and_a_glyphs_ink_box_makes_none() -> None:
    """A space between Chinese words is narrower than a fifth of an em in Noto CJK (“爱科学 爱万年”
    lost it); PDFium gives some glyphs' ink box as their loose box, starting right of where the
    character does (各部门 自查 got a space)."""
    path = SPLIT / "split_rows.pdf"
    text = read_pdf(path.read_bytes(), path).text
    assert "“爱科学 爱万年”" in text
    assert "在各部门自查基础上" in text
