"""Reading a saved web page: the plan's text in the plain-text shape and the page's metadata.

In: the page's bytes. Out: :class:`~sciplan_kg.read.reading.Reading` (format ``"html"``).
Parsed with lxml (BSD; libxml2's forgiving HTML parser: malformed markup still parses).

1. **Decoding.** A byte order mark, else the charset the page declares (``<meta charset>``,
   ``<meta http-equiv="Content-Type" content="…; charset=…">``, ``<?xml encoding?>``), else
   UTF-8 if the bytes are valid UTF-8, else GB18030. Declarations of gb2312 / gbk / cp936 are
   decoded as GB18030 (a superset: pages that declare gb2312 are often GBK). A declaration that
   does not decode falls back to the sniffing.
2. **The body.** The first element of :data:`CONTAINERS` (common CMS article containers, most
   specific first) that holds text; else the general method: each run of text credits its
   paragraph's container (and half its parent), the highest score times (1 − link density)
   wins. Inside the body: scripts, styles, form controls, navigation, share/print/related blocks, label
   tables (page metadata) and chrome lines (打印本页, 关闭窗口, …) are dropped.
3. **The text.** Blocks (``<p>``, ``<div>``, headings, list items) and ``<br>`` end lines; inline
   elements are joined; whitespace runs become one space, except a line break between two
   Chinese characters, which is removed (editors wrap their source there); lines are stripped
   of spaces, ``&nbsp;`` and full-width spaces. A data table becomes one block per row (a
   blank line, then each cell as ``\\t`` + its text on a line of its own), ``rowspan`` and
   ``colspan`` expanded into empty cells (an empty cell continues the one above, as the
   plain-text shape says); a layout table (nested tables, or a single cell) is read as blocks.
4. **Metadata** (:data:`~sciplan_kg.read.reading.METADATA_LABELS`): label/value text anywhere
   outside the body (label tables, ``[ 索引号 ] … |`` lines, labels with spaces inside,
   several labels on one line), then ``<meta>`` tags (ArticleTitle, PubDate, ContentSource),
   epoch milliseconds (``data-time`` attributes, ``pubDate`` script variables, Asia/Shanghai),
   the page ``<title>``. Values as printed (a time after a date is dropped).
5. **Refused** (:class:`~sciplan_kg.errors.InputError`): a not-found/deleted page, a page whose
   body only points to an attachment (the message names the link), a page without a body.

Imports only ``errors`` and ``read`` (and lxml).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from lxml import etree

from sciplan_kg.errors import InputError
from sciplan_kg.read.reading import Reading

# Article containers of common CMSs, most specific first (XPath predicates). TRS (TRS_Editor,
# TRS_UEDITOR), UCAP (#UCAP-CONTENT), the zoom/font-size containers most county portals use,
# gov.cn's .pages_content, then generic names; the first that holds text is the body.
CONTAINERS: tuple[tuple[str, str], ...] = (
    ("class", "TRS_Editor"),
    ("class", "TRS_UEDITOR"),
    ("id", "UCAP-CONTENT"),
    ("id", "zoom"),
    ("id", "Zoom"),
    ("id", "fontzoom"),
    ("id", "zoomcon"),
    ("class", "pages_content"),
    ("class", "article-content"),
    ("class", "article_content"),
    ("id", "article-content"),
    ("class", "zoom"),
    ("class", "wzxq"),
    ("class", "view"),
    ("id", "content"),
    ("class", "content"),
)

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "select",
    "button",
    "input",
    "textarea",
    "nav",
    "head",
    "title",
    "meta",
    "link",
)
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main aside header footer "
    "blockquote pre center address figure figcaption hr caption tbody thead tfoot body html".split()
)
# class/id words of chrome inside a container
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:share|bdshare|bdsharebuttonbox|print|related|xgwz|xgxx|footer|crumbs?|breadcrumbs?|"
    r"position|tools|nav|menu|pager|fontsize)(?:$|[\s_-])",
    re.I,
)
_CHROME_LINE = re.compile(
    r"^[\s【】\[\]|｜/]*(?:(?:打印本页|打印此页|打印|关闭窗口|关闭本页|返回顶部|收藏|分享到[:：]?.*|"
    r"字号[:：]?\s*[大中小\s]*|【?字体[:：].*|网站标识码.*|.*ICP备.*)[\s【】\[\]|｜/]*)+$"
)
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# a line break in the page's source beside Chinese text is no space in it: between two Chinese
# characters (as browsers render it), and between one and a digit, %, a quote or a bracket
# (平政办发〔\n2022〕45号 is 〔2022〕; 达到85%\n以上 is 85%以上: a space there changed the record);
# only beside a Latin letter does it stay a space
_NL_CJK = re.compile(
    rf"(?<=[{_CJK}])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[^A-Za-z \t\r\n\f])"
    rf"|(?<=[^A-Za-z \t\r\n\f])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[{_CJK}])"
)
# a line break in the source inside a number or a range of years, or between quotes or brackets
# (a CMS editor wraps its source at a width: 培训20\n0名, （2022─202\n5年）, (2021―\n2025年),
# 能手”\n“巾帼) is no space either when it stands in Chinese text: the character before or after
# the digits, quotes or brackets beside the break is Chinese (a space made 200 the value 0, and
# 2025 two numbers); among Latin words or beside a clock time (Windows 10\n11, said.”\n“Yes,
# 2022-10-13\n09:27) it stays a space
_INNER = r"0-9０-９.．,%“”‘’()"
_RANGE = r"—–―‐─~～\-"
_NL_INNER = re.compile(rf"([{_INNER}]+[{_RANGE}]?)[ \t\r\n\f]*\n[ \t\r\n\f]*(?=([{_RANGE}]?[{_INNER}]+))")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_WS = re.compile(r"[ \t\r\n\f]+")
_STRIP = " \t\r\n\f\u3000\u00a0"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# label → synonyms, most authoritative first (spaces inside labels are allowed when matching)
_LABELS: dict[str, tuple[str, ...]] = {
    "索引号": ("索引号",),
    "发文字号": ("发文字号", "文号", "发文文号"),
    "发布机构": ("发布机构", "发文机关", "发文单位", "来源", "信息来源"),
    "主题分类": ("主题分类",),
    "成文日期": ("成文日期", "成文时间"),
    "发布日期": ("发布日期", "公开日期", "发布时间"),
    "有效性": ("有效性", "时效性"),
    "标题": ("标题",),
}
# labels that only end a value (read elsewhere or not at all)
_OTHER_LABELS = ("体裁分类", "点击数", "浏览次数", "访问次数", "阅读次数", "字号", "字体", "分享到", "主题词", "关键词")
_DATE_LABELS = ("成文日期", "发布日期")
_SEP = "\x1f"  # between table cells in the metadata text


def _label_re(word: str) -> str:
    return r"[\s\u3000\u00a0]*".join(re.escape(c) for c in word)


_ALL_WORDS = sorted({w for ws in _LABELS.values() for w in ws} | set(_OTHER_LABELS), key=len, reverse=True)
_ANY_LABEL = "|".join(_label_re(w) for w in _ALL_WORDS)
# a label: "[ 索引号 ]" or "索 引 号：", then (optionally one cell boundary) its value
_LABEL_VALUE = re.compile(
    rf"(?:[\[【]\s*(?P<b>{_ANY_LABEL})\s*[\]】]|(?P<c>{_ANY_LABEL})[\s\u3000\u00a0]*[:：])"
    rf"[\s\u3000\u00a0]*{_SEP}?(?P<v>.*?)(?=[\[【]\s*(?:{_ANY_LABEL})\s*[\]】]|(?:{_ANY_LABEL})[\s\u3000\u00a0]*[:：]"
    rf"|{_SEP}|[|｜【]|[\s\u3000\u00a0]{{2,}}|$)"
)
_DATE_TIME = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_EPOCH_VAR = re.compile(r"pub(?:lish)?_?(?:date|time)\w*[\"']?\s*[:=]\s*[\"']?(\d{12,13})\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENC = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_GB = {"gb2312", "gbk", "gb_2312", "gb_2312-80", "x-gbk", "cp936", "ms936", "csgb2312", "euc-cn", "gb18030", "x-euc-cn"}
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
_SHANGHAI = timezone(timedelta(hours=8))

_NOT_FOUND = re.compile(
    r"页面不存在|页面未找到|找不到(?:该|您要访问的)?页面|该信息已删除|信息已删除|已被删除|"
    r"文章不存在|信息不存在|404\s*not\s*found|not\s*found|\b404\b",
    re.I,
)
_ATTACHMENT_EXT = re.compile(r"\.(?:docx?|pdf|wps|ofd|xlsx?|zip|rar)(?:$|[?#])", re.I)


# ---------------------------------------------------------------------------- decoding


def _codec(name: bytes | str) -> str | None:
    label = (name.decode("ascii", "replace") if isinstance(name, bytes) else name).strip().lower()
    if label in _GB:
        return "gb18030"
    import codecs

    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used: BOM, declared charset, UTF-8 if valid, GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, "replace"), enc
    head = data[:8192]
    declared = _XML_ENC.search(head) or _CHARSET.search(head)
    if declared:
        enc = _codec(declared.group(1))
        if enc and enc not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):  # a page saved as bytes says so wrongly
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace"), "gb18030"


# ---------------------------------------------------------------------------- text


def _joined(m: re.Match[str]) -> str:
    """The digits, quotes or brackets before a source line break, the break dropped when they
    stand in Chinese text (see ``_NL_INNER``); else the break too (a space, later)."""
    s, start, after = m.string, m.start(), m.end() + len(m.group(2))
    chinese = (start > 0 and _CJK_CHAR.match(s[start - 1])) or (after < len(s) and _CJK_CHAR.match(s[after]))
    return m.group(1) if chinese else m.group(0)


def _flush_text(parts: list[str]) -> str:
    s = "".join(parts)
    s = _NL_CJK.sub("", s)
    s = _NL_INNER.sub(_joined, s)
    s = _WS.sub(" ", s)
    return s.strip(_STRIP)


class _Writer:
    """Collects lines; inline text is buffered until a block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def end_line(self) -> None:
        line = _flush_text(self.buf)
        self.buf = []
        if line and not _CHROME_LINE.match(line):
            self.lines.append(line)

    def raw(self, line: str) -> None:
        self.end_line()
        self.lines.append(line)


def _is_layout_table(table: etree._Element) -> bool:
    if table.xpath(".//table"):
        return True
    cells = table.xpath(".//td|.//th")
    return len(cells) <= 1


def _rows_of(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            rows.append(child)
        elif tag in ("tbody", "thead", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag.lower() == "tr")
    return rows


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _cell_text(cell: etree._Element) -> str:
    w = _Writer()
    _walk_children(cell, w)
    w.end_line()
    return "".join(w.lines)


def _write_table(table: etree._Element, w: _Writer) -> None:
    w.end_line()
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan above
    for tr in _rows_of(table):
        cells: list[str] = []
        col = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while pending.get(col, 0) > 0:
                cells.append("")
                pending[col] -= 1
                col += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            for k in range(colspan):
                cells.append(_cell_text(cell) if k == 0 else "")
                if rowspan > 1:
                    pending[col] = rowspan - 1
                col += 1
        while any(n > 0 for c, n in pending.items() if c >= col):
            if pending.get(col, 0) > 0:
                cells.append("")
                pending[col] -= 1
            else:
                cells.append("")
            col += 1
        if not any(cells):
            continue
        w.raw("")
        for c in cells:
            w.lines.append("\t" + c)
    w.raw("")


def _walk_children(el: etree._Element, w: _Writer) -> None:
    w.text(el.text)
    for child in el:
        _walk(child, w)
        w.text(child.tail)


def _walk(el: etree._Element, w: _Writer) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if not tag:  # comment, processing instruction
        return
    if tag == "br":
        w.end_line()
        return
    if tag == "table":
        if _is_layout_table(el):
            for cell in el.xpath(".//td|.//th"):
                if cell.xpath("ancestor::table[1]")[0] is el:
                    w.end_line()
                    _walk_children(cell, w)
                    w.end_line()
        else:
            _write_table(el, w)
        return
    block = tag in _BLOCK or tag in ("tr", "td", "th")
    if block:
        w.end_line()
    _walk_children(el, w)
    if block:
        w.end_line()


def _render(el: etree._Element) -> list[str]:
    w = _Writer()
    _walk(el, w)
    w.end_line()
    lines = w.lines
    # blank lines only where tables need them: no leading, trailing or doubled blanks
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


# ---------------------------------------------------------------------------- body


def _han(s: str) -> int:
    return len(_HAN.findall(s))


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _containers(root: etree._Element) -> etree._Element | None:
    # one pass over the page for all containers, then the first of the ordered list
    wanted = {(a, v) for a, v in CONTAINERS}
    matches: dict[tuple[str, str], list[etree._Element]] = {}
    for el in root.xpath("//*[@id or @class]"):
        keys = [("class", c) for c in (el.get("class") or "").split()] + [("id", el.get("id"))]
        for key in keys:
            if key in wanted:
                matches.setdefault(key, []).append(el)
    for key in CONTAINERS:
        for el in matches.get(key, ()):
            if _text(el).strip(_STRIP):
                return el
    return None


# elements a run of text climbs out of to reach its container (paragraphs and inline markup)
_PARAGRAPH_LIKE = frozenset("p li h1 h2 h3 h4 h5 h6 font span strong b a em i u br sub sup small big".split())
_MIN_RUN = re.compile(r"\S{5}")


def _general(root: etree._Element) -> etree._Element | None:
    """The element that holds the most Chinese text in paragraphs, with the fewest links:
    each run of text (5+ Chinese characters) credits its container (the nearest ancestor that
    is not a paragraph or inline markup) and half of it to the container's parent; the best
    score times (1 - link density) wins."""
    scores: dict[etree._Element, float] = {}
    containers: dict[etree._Element, etree._Element | None] = {}
    for s in root.xpath("//text()"):
        if len(s) < 5 or not _MIN_RUN.search(s):
            continue
        n = _han(s)
        if n < 5:
            continue
        owner = s.getparent()
        if owner is not None and s.is_tail:
            owner = owner.getparent()
        if owner is None:
            continue
        if owner not in containers:
            block = owner
            while block is not None and isinstance(block.tag, str) and block.tag.lower() in _PARAGRAPH_LIKE:
                block = block.getparent()
            containers[owner] = block
        container = containers[owner]
        if container is None:
            continue
        scores[container] = scores.get(container, 0.0) + n
        parent = container.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + n / 2
    best, best_score = None, 0.0
    for el, score in scores.items():
        total = len(_text(el)) or 1
        links = len("".join(el.xpath(".//a//text()")))
        score *= 1 - links / total
        if score > best_score:
            best, best_score = el, score
    return best


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _clean(root: etree._Element) -> None:
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop(el)
    for el in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS if t not in ("head", "title", "meta", "link"))):
        if el.tag == "embed" and (len(el) or (el.text or "").strip()):
            # <embed src=…> is void, but libxml2's parser nests what follows it inside it: that
            # is the page's text (6 of 10 measures were dropped with it), kept where it stands
            el.tag = "span"
            el.attrib.clear()
            continue
        _drop(el)


def _drop_chrome(body: etree._Element) -> None:
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if attrs.strip() and _CHROME_ATTR.search(attrs):
            _drop(el)
            continue
        if el.tag.lower() in ("table", "ul", "dl", "div"):
            t = _text(el)
            if len(t) < 600 and len(_metadata_labels(t)) >= 3:
                _drop(el)


def _metadata_labels(text: str) -> set[str]:
    found = set()
    for m in _LABEL_VALUE.finditer(text):
        word = re.sub(r"[\s\u3000\u00a0]", "", m.group("b") or m.group("c") or "")
        for key, words in _LABELS.items():
            if word in words and key != "标题":
                found.add(key)
    return found


# ---------------------------------------------------------------------------- metadata


def _flat_lines(el: etree._Element, skip: etree._Element | None) -> list[str]:
    """The page as lines for label matching: blocks and rows end lines, cells are separated."""
    lines: list[str] = []
    buf: list[str] = []

    def end() -> None:
        s = _WS.sub(" ", "".join(buf)).strip(_STRIP)
        buf.clear()
        if s.strip(_SEP + _STRIP):
            lines.append(s)

    def walk(e: etree._Element) -> None:
        if e is skip or not isinstance(e.tag, str):
            return
        tag = e.tag.lower()
        if tag == "br":
            end()
            return
        block = tag in _BLOCK or tag in ("tr", "table")
        cell = tag in ("td", "th")
        if block:
            end()
        if cell:
            buf.append(_SEP)
        buf.append(e.text or "")
        for c in e:
            walk(c)
            buf.append(c.tail or "")
        if cell:
            buf.append(_SEP)
        if block:
            end()

    walk(el)
    end()
    return lines


def _clean_value(key: str, value: str) -> str:
    value = value.replace(_SEP, " ")
    value = _WS.sub(" ", value).strip(_STRIP + "|｜")
    if key in _DATE_LABELS:
        m = _DATE_TIME.match(value)
        if m:
            value = m.group(1)
    return value


def _epoch_date(ms: str) -> str:
    return datetime.fromtimestamp(int(ms) / 1000, _SHANGHAI).strftime("%Y-%m-%d")


def _title_of(root: etree._Element) -> str:
    titles = root.xpath("//title")
    if not titles:
        return ""
    t = _WS.sub(" ", _text(titles[0])).strip(_STRIP)
    # drop the site name after the last separator ("…_某某政府", "…--某某网", "…-某某人民政府", "… | 站点")
    m = re.match(r"^(.*?)(?:_|--|\s[-|–—]\s|\s?\|\s?|-(?=[^-（）()]*(?:政府|网站|门户|网|平台)$)).*$", t)
    return (m.group(1) if m else t).strip(_STRIP)


def _metadata(root: etree._Element, lines: list[str], raw: str) -> dict[str, str]:
    found: dict[str, dict[str, str]] = {k: {} for k in _LABELS}
    for line in lines:
        for m in _LABEL_VALUE.finditer(line):
            word = re.sub(r"[\s\u3000\u00a0]", "", m.group("b") or m.group("c") or "")
            for key, words in _LABELS.items():
                if word in words and (word not in found[key] or not found[key][word]):
                    found[key][word] = _clean_value(key, m.group("v") or "")
    meta: dict[str, str] = {}
    for key, words in _LABELS.items():
        values = [found[key][w] for w in words if w in found[key]]
        if values:
            meta[key] = next((v for v in values if v), "")
    named = {
        (m.get("name") or "").strip().lower(): (m.get("content") or "").strip()
        for m in root.xpath("//meta[@name and @content]")
    }
    if not meta.get("标题"):
        title = named.get("articletitle") or _title_of(root)
        if title:
            meta["标题"] = title
    if not meta.get("发布机构") and named.get("contentsource"):
        meta["发布机构"] = named["contentsource"]
    if not meta.get("发布日期"):
        date = ""
        for el in root.xpath("//*[@*[starts-with(name(), 'data-')]]"):
            for name, value in el.attrib.items():
                if (
                    name.startswith("data-")
                    and re.search(r"time|date", name, re.I)
                    and re.fullmatch(r"\d{12,13}", value.strip())
                ):
                    date = _epoch_date(value.strip())
                    break
            if date:
                break
        if not date:
            pub = named.get("pubdate") or named.get("publishdate") or named.get("firstpublishedtime")
            if pub:
                date = _clean_value("发布日期", pub)
        if not date:
            m = _EPOCH_VAR.search(raw)
            if m:
                date = _epoch_date(m.group(1))
        if date:
            meta["发布日期"] = date
    return meta


# ---------------------------------------------------------------------------- reading


def _refuse_not_found(root: etree._Element, body_text: str, path: Path) -> None:
    title = _title_of(root) if root.xpath("//title") else ""
    hit = _NOT_FOUND.search(title) or (_han(body_text) < 300 and _NOT_FOUND.search(body_text))
    if hit:
        raise InputError(
            path,
            f"不是规划：页面不存在或信息已删除（“{hit.group(0)}”）/ not a plan: "
            f"a page-not-found or deleted-item page ({hit.group(0)!r})",
        )


def _refuse_attachment(body: etree._Element, lines: list[str], path: Path) -> None:
    links = [a for a in body.xpath(".//a[@href]") if _ATTACHMENT_EXT.search(a.get("href", "").strip())]
    if not links:
        return
    text = "".join(lines)
    link_text = "".join(_text(a) for a in links)
    if _han(text) - _han(link_text) > 200:
        return
    a = links[0]
    href = a.get("href", "").strip()
    name = _WS.sub(" ", _text(a)).strip(_STRIP)
    shown = f"{name} <{href}>" if name else href
    raise InputError(
        path,
        f"不是规划：正文只指向附件（详见附件），请下载附件后读取：{shown} / not a plan: the page's body "
        f"only points to an attachment; fetch it and read that file: {shown}",
    )


def _parse(data: bytes, path: Path) -> tuple[etree._Element, etree._Element | None, dict[str, str]]:
    """The cleaned page, its body (or None) and its metadata."""
    if not data.strip():
        raise InputError(path, "文件为空 / the file is empty")
    source, _encoding = decode_html(data)
    source = _XML_DECL.sub("", source, count=1).replace("\x00", "")
    try:
        # plain lxml elements (lxml.html's element classes cost a lookup per element)
        root = etree.fromstring(source, _PARSER) if source.strip() else None
    except (etree.ParserError, ValueError, TypeError) as exc:
        raise InputError(path, f"无法解析网页 / cannot parse the page: {exc}") from exc
    if root is None:
        raise InputError(path, "网页为空 / the page is empty")
    scripts = " ".join(s.text or "" for s in root.xpath("//script"))
    _clean(root)
    body = _containers(root)
    if body is None:
        body = _general(root)
    metadata = _metadata(root, _flat_lines(root, body), scripts)
    return root, body, metadata


def read_metadata(data: bytes, path: Path = Path("page.html")) -> dict[str, str]:
    """Only the page's metadata (also of a page that is refused as not a plan)."""
    return _parse(data, path)[2]


def read_html(data: bytes, path: Path) -> Reading:
    """A saved web page → the plan's text (plain-text shape) and the page's metadata."""
    root, body, metadata = _parse(data, path)
    if body is None:
        _refuse_not_found(root, _text(root), path)
        raise InputError(path, "网页中找不到正文 / no article body found in the page")
    _drop_chrome(body)
    lines = _render(body)
    _refuse_not_found(root, "\n".join(lines), path)
    _refuse_attachment(body, lines, path)
    if _han("".join(lines)) == 0:
        raise InputError(path, "网页正文为空 / the page's article body is empty")
    return Reading(text="\n".join(lines) + "\n", format="html", metadata=metadata)
