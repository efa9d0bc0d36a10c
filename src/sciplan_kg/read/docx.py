"""Reading a Word file (.docx): the body's paragraphs and tables in document order, in the
plain-text shape (:mod:`sciplan_kg.read.reading`), with Word's automatic numbering rendered.

In: the file's bytes. Out: :class:`~sciplan_kg.read.reading.Reading` (format ``"docx"``).

What is read, and how:

* **The main document part only** (``word/document.xml``, found through the package's
  relationships): headers, footers, footnotes, endnotes and comments live in other parts and are
  never read. Inside the body, text boxes (``w:txbxContent``, both in DrawingML and in the VML
  ``mc:Fallback`` copy) are left out, and so are deleted text (``w:del``, ``w:delText``,
  ``w:moveFrom``) and field codes (``w:instrText``, the code part of a complex field); inserted
  text (``w:ins``, ``w:moveTo``) and field results (what Word shows) are kept.
* **Numbering.** Word does not store the number of a numbered paragraph in its text: it
  computes it from ``word/numbering.xml``. The reader does the same: the paragraph's ``w:numPr``,
  else its style's (following ``w:basedOn``), else the default paragraph style's; ``w:num`` →
  ``w:abstractNum`` (also through ``w:numStyleLink``); the level's ``w:start``, ``w:numFmt``,
  ``w:lvlText`` (``%1``…``%9``), ``w:lvlRestart``, ``w:isLgl`` and ``w:suff`` (tab, space or
  nothing); ``w:lvlOverride`` (``w:startOverride`` restarts the list where that ``w:num`` is
  first used, a ``w:lvl`` inside replaces the level). Counters are kept per abstract numbering
  definition, as Word keeps them.
* **Tables** as the plain-text shape's rows: a blank line, then one line per grid cell,
  ``"\\t" + text``. A vertically merged continuation cell (``w:vMerge`` without
  ``w:val="restart"``) is empty (python-docx's ``row.cells`` would repeat the merged text); a
  cell spanning several grid columns (``w:gridSpan``) gives its text once and empty cells for the
  columns it covers; ``w:gridBefore``/``w:gridAfter`` give empty cells. The paragraphs of one
  cell (and nested tables) are joined into one line.

Chosen: ``zipfile`` + ``lxml`` on the XML (python-docx renders neither numbering nor merges;
its object model would be walked past for both). Nothing here touches the network or the disk,
but :func:`convert_with_libreoffice`, which runs LibreOffice on a .doc/.wps when it is installed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from sciplan_kg.errors import InputError
from sciplan_kg.read.reading import Reading
from sciplan_kg.read.text import MAX_BYTES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W + "}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
_NUMBERING_REL = "/numbering"
_STYLES_REL = "/styles"

# no entity expansion, no network, no huge trees: a .docx is untrusted input
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
# a part of the package (document.xml: a plan's is 50–160 kB) is read only up to the limit on a
# file's bytes (20 MB, SCIPLAN_MAX_BYTES): a zip bomb stops there, not in memory (a 627 kB file
# whose document.xml unpacks to 190 MB took 80 s and 4.7 GB under the 200 MB limit of before)
MAX_PART_BYTES = MAX_BYTES
CONVERT_TIMEOUT = int(os.environ.get("SCIPLAN_SOFFICE_TIMEOUT", "120"))


def _q(tag: str) -> str:
    return _W + tag


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    if el is None:
        return None
    return el.get(_W + attr)


def _int(value: str | None, default: int | None = None) -> int | None:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


def _on(el: etree._Element | None) -> bool:
    """An OOXML on/off property (``<w:b/>``, ``w:val="true|1|on"``)."""
    if el is None:
        return False
    return _val(el) not in ("0", "false", "off")


# ---------------------------------------------------------------------------------------------
# number formats (ST_NumberFormat)

_ZH = "〇一二三四五六七八九"
_ZH_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_ZH_LEGAL_TW = "零壹貳參肆伍陸柒捌玖"
_GAN = "甲乙丙丁戊己庚辛壬癸"
_ZHI = "子丑寅卯辰巳午未申酉戌亥"


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    """Word's letters: a…z, then aa…zz, aaa… (the letter repeated)."""
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _tens(n: int, digits: str, ten: str, one_before_ten: bool) -> str:
    """1–99 with a ten character: 十, 十一, 二十, 二十一 (``one_before_ten``: 一十一)."""
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out = (digits[tens] if tens > 1 or one_before_ten else "") + ten
    if ones:
        out += digits[ones]
    return out


def _grouped(n: int, digits: str, units: str, zero: str, lead_one: bool) -> str:
    """1–9999 with place characters (units = 十百千): 一百〇一, 一千〇一十 ... ``lead_one``:
    write 一 before 十 also at the start (一十)."""
    out = ""
    pending_zero = False
    started = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = (n // power) % 10
        if d == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            out += zero
            pending_zero = False
        if power == 10 and d == 1 and not started and not lead_one:
            out += unit
        else:
            out += digits[d] + unit
        started = True
    return out


def format_number(n: int, fmt: str) -> str:
    """The number ``n`` written in Word's number format ``fmt`` (``w:numFmt``)."""
    if fmt in ("none", ""):
        return ""
    if fmt == "decimal" or n <= 0:
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(c)) for c in str(n))
    if fmt == "decimalHalfWidth":
        return str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        if n <= 20:
            return chr(0x2460 + n - 1)
        return str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if n <= 20 else f"{n}."
    if fmt == "ideographEnclosedCircle":
        return chr(0x3220 + n - 1) if n <= 10 else str(n)
    if fmt == "chineseCounting":
        # Word: 一…九, 十, 十一…十九, 二十…九十九, then digit by digit (一〇〇)
        if n < 100:
            return _tens(n, _ZH, "十", one_before_ten=False)
        if n < 10000:
            return "".join(_ZH[int(c)] for c in str(n))
        return str(n)
    if fmt in ("chineseCountingThousand", "taiwaneseCounting"):
        if n < 10000:
            return _grouped(n, _ZH, "十百千", "〇" if fmt == "chineseCountingThousand" else "零", lead_one=False)
        return str(n)
    if fmt in ("japaneseCounting", "koreanCounting"):
        # Japanese omits 一 before 十, 百 and 千 and writes no zero
        if n >= 100000:
            return str(n)
        out = ""
        if n >= 10000:
            out = _ZH[n // 10000] + "万"
            n %= 10000
        for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = (n // power) % 10
            if d:
                out += ("" if d == 1 and unit else _ZH[d]) + unit
        return out
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_ZH[int(c)] for c in str(n))
    if fmt == "ideographTraditional":
        return _GAN[n - 1] if n <= 10 else str(n)
    if fmt == "ideographZodiac":
        return _ZHI[n - 1] if n <= 12 else str(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        digits = _ZH_LEGAL if fmt == "chineseLegalSimplified" else _ZH_LEGAL_TW
        units = "拾佰仟"
        if n < 10000:
            return _grouped(n, digits, units, digits[0], lead_one=True)
        return str(n)
    return str(n)  # unknown formats: Word falls back to decimal


# ---------------------------------------------------------------------------------------------
# numbering definitions


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None: "%<level+1>."
    suff: str = "tab"
    restart: int | None = None  # lvlRestart: None → after any higher level; 0 → never
    legal: bool = False  # isLgl: every %n decimal
    style: str | None = None  # pStyle linking a paragraph style to this level


def _level(el: etree._Element, base: Level | None = None) -> Level:
    lv = base or Level()
    start = _int(_val(el.find(_q("start"))))
    fmt = _val(el.find(_q("numFmt")))
    text_el = el.find(_q("lvlText"))
    suff = _val(el.find(_q("suff")))
    restart = _int(_val(el.find(_q("lvlRestart"))))
    style = _val(el.find(_q("pStyle")))
    return Level(
        start=start if start is not None else lv.start,
        fmt=fmt if fmt is not None else lv.fmt,
        text=(_val(text_el) or "") if text_el is not None else lv.text,
        suff=suff if suff is not None else lv.suff,
        restart=restart if el.find(_q("lvlRestart")) is not None else lv.restart,
        legal=_on(el.find(_q("isLgl"))) or lv.legal,
        style=style if style is not None else lv.style,
    )


@dataclass
class Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # startOverride per level
    levels: dict[int, etree._Element] = field(default_factory=dict)  # lvl inside lvlOverride


@dataclass
class Numbering:
    abstracts: dict[str, dict[int, Level]] = field(default_factory=dict)
    style_links: dict[str, str] = field(default_factory=dict)  # abstractNum id → numStyleLink
    nums: dict[str, Num] = field(default_factory=dict)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # per abstractNum
    started: set[str] = field(default_factory=set)  # nums already used (their overrides applied)


def _read_numbering(root: etree._Element | None) -> Numbering:
    numbering = Numbering()
    if root is None:
        return numbering
    for an in root.iter(_q("abstractNum")):
        aid = _val(an, "abstractNumId")
        if aid is None:
            continue
        levels: dict[int, Level] = {}
        for lvl in an.findall(_q("lvl")):
            ilvl = _int(_val(lvl, "ilvl"), 0) or 0
            levels[ilvl] = _level(lvl)
        numbering.abstracts[aid] = levels
        link = _val(an.find(_q("numStyleLink")))
        if link:
            numbering.style_links[aid] = link
    for num in root.iter(_q("num")):
        nid = _val(num, "numId")
        aid = _val(num.find(_q("abstractNumId")))
        if nid is None or aid is None:
            continue
        entry = Num(aid)
        for ov in num.findall(_q("lvlOverride")):
            ilvl = _int(_val(ov, "ilvl"), 0) or 0
            start = _int(_val(ov.find(_q("startOverride"))))
            if start is not None:
                entry.starts[ilvl] = start
            lvl = ov.find(_q("lvl"))
            if lvl is not None:
                entry.levels[ilvl] = lvl  # resolved against the abstract's level when used
        numbering.nums[nid] = entry
    return numbering


# ---------------------------------------------------------------------------------------------
# styles


@dataclass(frozen=True)
class Style:
    based_on: str | None
    num_id: str | None
    ilvl: int | None


def _read_styles(root: etree._Element | None) -> tuple[dict[str, Style], str | None]:
    styles: dict[str, Style] = {}
    default: str | None = None
    if root is None:
        return styles, default
    for st in root.iter(_q("style")):
        sid = _val(st, "styleId")
        if sid is None:
            continue
        if st.get(_W + "default") in ("1", "true", "on") and _val(st, "type") == "paragraph":
            default = sid
        num_pr = st.find(f"{_q('pPr')}/{_q('numPr')}")
        num_id = _val(num_pr.find(_q("numId"))) if num_pr is not None else None
        ilvl = _int(_val(num_pr.find(_q("ilvl")))) if num_pr is not None else None
        styles[sid] = Style(_val(st.find(_q("basedOn"))), num_id, ilvl)
    return styles, default


# ---------------------------------------------------------------------------------------------
# the reader


class _Doc:
    def __init__(self, numbering: Numbering, styles: dict[str, Style], default_style: str | None) -> None:
        self.numbering = numbering
        self.styles = styles
        self.default_style = default_style
        # paragraph style → level of an abstractNum linked to it by pStyle (ilvl when the
        # style's numPr names none)
        self.style_levels: dict[tuple[str, str], int] = {}
        for aid, levels in numbering.abstracts.items():
            for ilvl, lv in levels.items():
                if lv.style:
                    self.style_levels[(aid, lv.style)] = ilvl

    # -- numbering -----------------------------------------------------------------------

    def _style_num(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """numId and ilvl from a style and its basedOn chain; the style that gave the numId."""
        num_id: str | None = None
        ilvl: int | None = None
        origin: str | None = None
        seen: set[str] = set()
        sid = style_id
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            st = self.styles[sid]
            if num_id is None and st.num_id is not None:
                num_id, origin = st.num_id, sid
            if ilvl is None and st.ilvl is not None:
                ilvl = st.ilvl
            sid = st.based_on
        return num_id, ilvl, origin

    def _abstract(self, num: Num) -> str:
        aid = num.abstract
        seen: set[str] = set()
        while aid in self.numbering.style_links and aid not in seen:
            seen.add(aid)
            link_num, _, _ = self._style_num(self.numbering.style_links[aid])
            target = self.numbering.nums.get(link_num or "")
            if target is None:
                break
            aid = target.abstract
        return aid

    def _levels(self, num: Num, aid: str) -> dict[int, Level]:
        levels = dict(self.numbering.abstracts.get(aid, {}))
        for ilvl, lvl in num.levels.items():
            levels[ilvl] = _level(lvl, levels.get(ilvl))
        return levels

    def number(self, p: etree._Element) -> str:
        """The number Word shows before paragraph ``p`` ("一、", "（二）", "3." + suffix), or ""."""
        ppr = p.find(_q("pPr"))
        style_id = _val(ppr.find(_q("pStyle"))) if ppr is not None else None
        num_pr = ppr.find(_q("numPr")) if ppr is not None else None
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num_id = _val(num_pr.find(_q("numId")))
            ilvl = _int(_val(num_pr.find(_q("ilvl"))))
        s_num, s_ilvl, s_origin = self._style_num(style_id or self.default_style)
        if num_id is None:
            num_id = s_num
        if ilvl is None:
            ilvl = s_ilvl
        if num_id is None or num_id == "0":  # numId 0: numbering removed
            return ""
        num = self.numbering.nums.get(num_id)
        if num is None:
            return ""
        aid = self._abstract(num)
        levels = self._levels(num, aid)
        if ilvl is None:
            linked = self.style_levels.get((aid, s_origin or style_id or ""))
            ilvl = linked if linked is not None else 0
        ilvl = max(0, min(8, ilvl))
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.numbering.counters.setdefault(aid, [None] * 9)
        if num_id not in self.numbering.started:
            self.numbering.started.add(num_id)
            for lv_no, start in num.starts.items():
                if 0 <= lv_no < 9:
                    counters[lv_no] = start - 1
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        if level.fmt == "bullet":
            text = level.text or ""
            label = "•" if not text or any("\ue000" <= c <= "\uf8ff" for c in text) else text
        else:
            pattern = level.text if level.text is not None else f"%{ilvl + 1}."

            def fill(m: re.Match[str]) -> str:
                k = int(m.group(1)) - 1
                lv = levels.get(k, Level())
                value = counters[k] if k < 9 and counters[k] is not None else lv.start
                fmt = "decimal" if level.legal and lv.fmt != "none" else lv.fmt
                return format_number(int(value or 0), fmt)

            label = re.sub(r"%([1-9])", fill, pattern)
        if not label:
            return ""
        return label + {"tab": "\t", "space": " "}.get(level.suff, "")

    # -- text ----------------------------------------------------------------------------

    def paragraph(self, p: etree._Element) -> str:
        """Paragraph ``p`` as Word shows it: its number, then its runs (newlines for breaks)."""
        parts: list[str] = [self.number(p)]
        fields: list[bool] = []  # per open complex field: True once past its separator
        self._runs(p, parts, fields)
        return "".join(parts)

    def _runs(self, el: etree._Element, parts: list[str], fields: list[bool]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            local = tag[len(_W) :] if tag.startswith(_W) else None
            if tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self._runs(choice, parts, fields)
                continue
            if local is None:
                # foreign markup (DrawingML, VML, math): text boxes are left out; anything else
                # that holds WordprocessingML runs is read through
                if tag.endswith("}txbx") or tag.endswith("}textbox"):
                    continue
                self._runs(child, parts, fields)
                continue
            if local in ("del", "moveFrom", "pPr", "rPr", "instrText", "delText", "txbxContent", "commentReference"):
                continue
            if local in ("footnoteReference", "endnoteReference", "delInstrText", "sectPr"):
                continue
            if local == "r":
                self._run(child, parts, fields)
                continue
            if local == "p":  # a paragraph inside something (shouldn't be, unless a text box)
                continue
            self._runs(child, parts, fields)  # hyperlink, ins, moveTo, smartTag, sdt, fldSimple, …

    def _run(self, r: etree._Element, parts: list[str], fields: list[bool]) -> None:
        for child in r:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _q("fldChar"):
                kind = _val(child, "fldCharType")
                if kind == "begin":
                    fields.append(False)
                elif kind == "separate" and fields:
                    fields[-1] = True
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if fields and not fields[-1]:
                continue  # inside a field's code
            if tag == _q("t"):
                parts.append(child.text or "")
            elif tag == _q("tab") or tag == _q("ptab"):
                parts.append("\t")
            elif tag in (_q("br"), _q("cr")):
                parts.append("\n")
            elif tag == _q("noBreakHyphen"):
                parts.append("\u2011")
            elif tag == _q("sym"):
                char = _val(child, "char")
                if char:
                    try:
                        code = int(char, 16)
                    except ValueError:
                        continue
                    if 0xF000 <= code <= 0xF0FF:
                        code -= 0xF000
                    if code >= 0x20:
                        parts.append(chr(code))
            elif tag == f"{{{MC}}}AlternateContent":
                choice = child.find(f"{{{MC}}}Choice")
                if choice is not None:
                    self._run(choice, parts, fields)
            # drawings, pictures, objects (text boxes among them): left out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")]


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _join(pieces: list[str]) -> str:
    """Pieces of a cell joined into one line: nothing between Chinese, a space otherwise."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(piece[0])):
            out += " "
        out += piece
    return out


def _block_children(el: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables under a block container, through content controls, custom XML,
    block-level insertions and alternate content (deleted blocks left out)."""
    for child in el:
        tag = child.tag
        if tag in (_q("p"), _q("tbl")):
            yield child
        elif tag == _q("sdt"):
            content = child.find(_q("sdtContent"))
            if content is not None:
                yield from _block_children(content)
        elif tag in (_q("customXml"), _q("ins"), _q("moveTo"), _q("smartTag")):
            yield from _block_children(child)
        elif tag == f"{{{MC}}}AlternateContent":
            choice = child.find(f"{{{MC}}}Choice")
            if choice is not None:
                yield from _block_children(choice)


def _is_deleted_paragraph(p: etree._Element) -> bool:
    """A paragraph whose whole content was deleted with tracked changes (Word shows nothing)."""
    mark = p.find(f"{_q('pPr')}/{_q('rPr')}/{_q('del')}")
    if mark is None:
        return False
    return not any(t.text for t in p.iter(_q("t")))


def _cell_text(doc: _Doc, tc: etree._Element) -> str:
    pieces: list[str] = []
    for block in _block_children(tc):
        if block.tag == _q("p"):
            pieces.extend(_lines(doc.paragraph(block)))
        else:
            for row in _rows(doc, block):
                pieces.extend(row)
    return _join(pieces)


def _rows(doc: _Doc, tbl: etree._Element) -> Iterator[list[str]]:
    for tr in _table_rows(tbl):
        trpr = tr.find(_q("trPr"))
        before = _int(_val(trpr.find(_q("gridBefore"))), 0) if trpr is not None else 0
        after = _int(_val(trpr.find(_q("gridAfter"))), 0) if trpr is not None else 0
        cells: list[str] = [""] * (before or 0)
        for tc in _row_cells(tr):
            tcpr = tc.find(_q("tcPr"))
            span = 1
            merged = False
            if tcpr is not None:
                span = max(1, _int(_val(tcpr.find(_q("gridSpan"))), 1) or 1)
                vmerge = tcpr.find(_q("vMerge"))
                merged = vmerge is not None and _val(vmerge) != "restart"
                if tcpr.find(_q("hMerge")) is not None and _val(tcpr.find(_q("hMerge"))) != "restart":
                    merged = True
            cells.append("" if merged else _cell_text(doc, tc))
            cells.extend([""] * (span - 1))
        cells.extend([""] * (after or 0))
        yield cells


def _table_rows(tbl: etree._Element) -> Iterator[etree._Element]:
    for child in tbl:
        if child.tag == _q("tr"):
            yield child
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent")) if child.tag == _q("sdt") else child
            if content is not None:
                yield from _table_rows(content)


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == _q("tc"):
            yield child
        elif child.tag in (_q("sdt"), _q("customXml")):
            content = child.find(_q("sdtContent")) if child.tag == _q("sdt") else child
            if content is not None:
                yield from _row_cells(content)


def _body_lines(doc: _Doc, body: etree._Element) -> list[str]:
    out: list[str] = []
    for block in _block_children(body):
        if block.tag == _q("p"):
            if _is_deleted_paragraph(block):
                continue
            out.extend(line for line in _lines(doc.paragraph(block)) if line)
        else:
            for row in _rows(doc, block):
                out.append("")
                out.extend("\t" + cell.replace("\t", " ").strip() for cell in row)
            out.append("")
    return out


# ---------------------------------------------------------------------------------------------
# the package


def _parse(zf: zipfile.ZipFile, name: str, path: Path) -> etree._Element | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    too_large = InputError(
        path,
        f"Word 文件的 {name} 过大（上限 {MAX_PART_BYTES} 字节）/ {name} in the Word file is too large (the limit "
        f"is {MAX_PART_BYTES} bytes unpacked; set SCIPLAN_MAX_BYTES to change it)",
    )
    if info.file_size > MAX_PART_BYTES:
        raise too_large
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES:
            raise too_large
        return etree.fromstring(data, _PARSER)
    except InputError:
        raise
    except (
        etree.XMLSyntaxError,
        zlib.error,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise InputError(path, f"Word 文件已损坏（{name}）/ the Word file is damaged ({name}: {exc})") from exc
    except (NotImplementedError, RuntimeError) as exc:  # unsupported compression, encrypted entry
        raise InputError(path, f"Word 文件无法读取（{name}）/ cannot read {name} in the Word file: {exc}") from exc


def _targets(zf: zipfile.ZipFile, rels_name: str, base: str, path: Path) -> dict[str, str]:
    """Relationship type → target part name (the first of each type)."""
    root = _parse(zf, rels_name, path)
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        kind, target = rel.get("Type") or "", rel.get("Target") or ""
        if not target or rel.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            name = _normalise(PurePosixPath(base) / target)
        out.setdefault(kind, name)
    return out


def _normalise(p: PurePosixPath) -> str:
    parts: list[str] = []
    for part in p.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def read_docx(data: bytes, path: Path) -> Reading:
    """The text of a Word file in the plain-text shape (numbering rendered, tables as rows).
    Raises :class:`InputError` naming the file when it is not a readable Word file (and nothing
    else: whatever a damaged package makes go wrong is reported as damage)."""
    try:
        return _read_docx(data, path)
    except InputError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, RecursionError, zlib.error, OSError, EOFError) as exc:
        raise InputError(path, f"Word 文件已损坏 / the Word file is damaged ({type(exc).__name__}: {exc})") from exc


def _read_docx(data: bytes, path: Path) -> Reading:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(
            path,
            "Word（.docx）文件已损坏（zip 包不完整或不是 zip 包）/ a damaged Word (.docx) file: its zip package is cut "
            "short or is none",
        ) from exc
    with zf:
        main = "word/document.xml"
        rels = _targets(zf, "_rels/.rels", "", path)
        for kind in _OFFICE_DOC:
            if kind in rels and rels[kind] in zf.namelist():
                main = rels[kind]
                break
        root = _parse(zf, main, path)
        if root is None:
            raise InputError(
                path,
                "Word 文件中没有正文（缺少 word/document.xml）/ "
                "no document body in the Word file (word/document.xml is missing)",
            )
        folder = str(PurePosixPath(main).parent)
        name = PurePosixPath(main).name
        part_rels = _targets(zf, f"{folder}/_rels/{name}.rels" if folder != "." else f"_rels/{name}.rels", folder, path)
        numbering_part = next(
            (t for k, t in part_rels.items() if k.endswith(_NUMBERING_REL)), f"{folder}/numbering.xml"
        )
        styles_part = next((t for k, t in part_rels.items() if k.endswith(_STYLES_REL)), f"{folder}/styles.xml")
        numbering = _read_numbering(_parse(zf, numbering_part, path))
        styles, default_style = _read_styles(_parse(zf, styles_part, path))
    body = root.find(_q("body"))
    if body is None:
        raise InputError(path, "Word 文件中没有正文（w:body）/ no document body (w:body) in the Word file")
    doc = _Doc(numbering, styles, default_style)
    lines = _body_lines(doc, body)
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    text = "\n".join(lines) + "\n" if lines else ""
    if not text.strip():
        raise InputError(path, "Word 文件中没有文字 / the Word file holds no text")
    return Reading(text=text, format="docx")


# ---------------------------------------------------------------------------------------------
# .doc / .wps through LibreOffice


def soffice() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(path: Path, data: bytes) -> bytes | None:
    """A .doc or .wps converted to .docx by LibreOffice (headless, in a temporary folder of its
    own, with its own profile), or None when LibreOffice is not installed. Raises
    :class:`InputError` when LibreOffice fails or takes too long."""
    program = soffice()
    if program is None:
        return None
    suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps", ".docx", ".rtf", ".wpt", ".dot") else ".doc"
    with tempfile.TemporaryDirectory(prefix="sciplan-soffice-") as tmp:
        work = Path(tmp)
        src = work / f"input{suffix}"
        src.write_bytes(data)
        out_dir = work / "out"
        out_dir.mkdir()
        home = work / "home"
        home.mkdir()
        env = dict(os.environ, HOME=str(home), TMPDIR=str(work))
        cmd = [
            program,
            f"-env:UserInstallation={home.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(out_dir),
            str(src),
        ]
        try:
            proc = subprocess.run(cmd, env=env, cwd=work, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise InputError(
                path,
                f"LibreOffice 转换超时（{CONVERT_TIMEOUT} 秒）/ "
                f"LibreOffice took too long to convert it ({CONVERT_TIMEOUT} s)",
            ) from exc
        except OSError as exc:
            raise InputError(path, f"无法运行 LibreOffice / cannot run LibreOffice: {exc}") from exc
        result = out_dir / "input.docx"
        if not result.is_file():
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise InputError(
                path,
                f"LibreOffice 无法转换此文件 / "
                f"LibreOffice could not convert this file (exit {proc.returncode}: {detail})",
            )
        return result.read_bytes()


__all__ = ["Reading", "convert_with_libreoffice", "format_number", "read_docx"]
