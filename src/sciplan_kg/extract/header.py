"""The plan's header: document number, issuer, dates, title, place, period, kind; the documents it
names as its basis; its literacy target.

The header is what the genre puts before the body, in any of the forms offices and portals print:

* a metadata block from the publishing site: ``- [ 发文字号 ]`` / ``- value`` lists, ``发文字号：…``
  lines, or a table flattened to text (``索引号 … 发文字号 … 成文日期 … 发布日期 …``, one label and
  its value after the other, or each cell on a line of its own);
* a news item wrapping the plan: a headline, ``发布时间：2022-05-05 来源：XX县政府办``, and a line
  ``…全文如下：`` / ``…现将全文公布如下：`` after which the plan itself begins;
* the document number on a line of its own (``XX府办发〔2022〕3号``), or glued to the date
  (``鹰府发〔2022〕9号2022年04月12日``), or in front of the notice title on one line;
* the notice title (``[issuer]关于印发《X》的通知``, over one to five lines): X is the plan's title;
* the signature: the issuer (or the joint issuers, one per line or side by side), then the date
  on the next line or run together with it (``XX县人民政府办公室2022年5月5日``);
* the plan's own title (one to three lines, maybe spaced out: ``巫 山 县 全 民 科 学 素 质…``).

A plan may print only some of these (a body-only plan starts with its own title); whatever is
missing is left empty, and ``extract._check`` warns about it. Nothing here raises on a header it
cannot read: the rest of the extraction goes on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.records import DirectiveRef, PlanRecord, Span, Target
from sciplan_kg.read.text import Line, PlanText, fold, title_key

HEADER_LINES = 40  # the header never runs longer than this many non-blank lines
NUMBER_LINES = 15  # the document number is printed among the document's first lines
OWN_TITLE_LINES = 10  # the plan's own title follows the notice (or opens the text) within these lines
BASIS_LINES = 12  # the basis is named in the paragraphs before the first section heading

# -- metadata blocks -----------------------------------------------------------------------------
# label as printed → the field it gives (None: a label that only delimits the others' values)
_META_LABELS: dict[str, str | None] = {
    "发文字号": "发文字号",
    "发文文号": "发文字号",
    "文件字号": "发文字号",
    "文件编号": "发文字号",
    "文号": "发文字号",
    "成文日期": "成文日期",
    "成文时间": "成文日期",
    "印发日期": "成文日期",
    "发文日期": "成文日期",
    "发布日期": "发布日期",
    "发布时间": "发布日期",
    "公开日期": "发布日期",
    "公开时间": "发布日期",
    "发布机构": "发布机构",
    "发文机关": "发布机构",
    "发文单位": "发布机构",
    "发布单位": "发布机构",
    "制发机关": "发布机构",
    "标题": "标题",
    "文件标题": "标题",
    "文件名称": "标题",
}
_META_LABELS.update(
    dict.fromkeys(
        (
            "索引号",
            "主题分类",
            "体裁分类",
            "组配分类",
            "公文种类",
            "文种",
            "主题词",
            "关键词",
            "有效性",
            "时效性",
            "生效日期",
            "失效日期",
            "废止日期",
            "公开方式",
            "公开范围",
            "信息来源",
            "来源",
            "浏览次数",
            "访问次数",
            "点击数",
            "阅读次数",
            "所属机构",
            "作者",
            "责任编辑",
            "字号",
        )
    )
)
# a label may be spaced out (索 引 号, 文　　号); the longest label is tried first
_LABEL_ALTS = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_META_LABELS, key=len, reverse=True))
_META_LABEL = re.compile(rf"(?:^|(?<=[\s|\[\];,]))\[?\s*(?P<label>{_LABEL_ALTS})\s*(?P<sep>\]\s*:?|:|(?=\s)|$)")
_LIST_MARK = re.compile(r"^(?:—\s+|\|\s*)")
_VALUE_TRIM = " \t|"
# a news item's intro ends with the line after which the plan is printed in full
_FULL_TEXT_FOLLOWS = re.compile(r"(?:全文|原文|全部内容)(?:公布|发布|刊登|转载|印发)?如下\s*:?\s*$")

# -- the document number, the signature, the titles ----------------------------------------------
_NUMBER_AT_START = re.compile(r"^[(\[]?\s*(?P<number>" + P.DOC_NUMBER_LOOSE.pattern + r")(?:\s*[)\]])?")
_NUMBER_TAIL = re.compile(P.DOC_NUMBER_TAIL)  # a number's year and serial, without its issuer
_DATE_STAMP = re.compile(rf"^(?:{P.DATE.pattern}|{P.DATE_ISO.pattern})(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$")
_SIGNED_DATE = re.compile(rf"^(?P<who>.+?)\s*(?P<date>{P.DATE.pattern}|{P.DATE_CN.pattern})$")
_SENTENCE = re.compile(r"[,;:。!?!?]")
_TITLE_WORDS = re.compile(r"方案|纲要|要点|意见|计划|规划")
_CONTINUATION_WORDS = re.compile(r"方案|纲要|要点|意见|计划|规划|行动|科学素质|实施|分工")
_NESTED = re.compile(r"[《〈<][^《》〈〉<>]*[》〉>]")
_PERIOD_OPENS = ("(", "[", "〈", "<")
_PERIOD_CLOSES = (")", "]", "〉", ">")

# -- place and level -----------------------------------------------------------------------------
# a plan's place: the administrative name its title (or else its issuer) begins with, after any
# enclosing areas: 重庆市梁平区 → 梁平区, 内蒙古自治区鄂尔多斯市达拉特旗 → 达拉特旗
_PLACE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,14}?(?:省|自治区|市|自治州|州|盟|地区))*"
    r"(?P<name>[\u4e00-\u9fff]{1,14}?(?:自治县|自治旗|县|区|市|旗|自治区|省|自治州|州|盟|地区))$"
)
# where the place name ends in a title or an issuer's name
_PLACE_END = re.compile(
    r"(?<=[省市州县区旗盟])委|全民|科学素质|科普|人民政府|政府|科学技术协会|科协|委员会|贯彻|落实|关于|实施|印发"
    r"|(?:19|20)\d{2}|[《〈<(\[]"
)
_LEVEL_BY_SUFFIX = (
    ("自治县", "county"),
    ("自治旗", "county"),
    ("自治区", "province"),
    ("自治州", "prefecture"),
    ("地区", "prefecture"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "district"),
    ("州", "prefecture"),
    ("盟", "prefecture"),
    ("省", "province"),
    ("市", "city"),
)
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})  # 直辖市: provincial level
NATIONAL_PLACE = "中国"  # the State Council's plans: the registry's name for the country
_NATIONAL_NUMBER = re.compile(r"^(?:国发|国办发|国办函|国函)")

# -- the basis -----------------------------------------------------------------------------------
_BASIS_CUE = re.compile(r"根据|按照|贯彻|落实|依据")
_BOOK_TITLE = re.compile(r"《((?:[^《》]|《[^《》]{0,200}》){1,300})》")
_NUMBER_AFTER_TITLE = re.compile(r"\s*[(\[]\s*(" + P.DOC_NUMBER_LOOSE.pattern + r")\s*[)\]]")
# words a sentence puts before a document number it cites: 根据国发〔2021〕9号 → 国发〔2021〕9号
_BEFORE_NUMBER = re.compile(r"^.*(?:根据|按照|依据|贯彻|落实|执行|参照|以及|和|及|与|的|、)")
_GAIN = re.compile(r"\s*,?\s*比\s*((?:19|20)\d{2})\s*年(?:底)?提高了?\s*(\d+(?:\.\d+)?)\s*个百分点")
# a baseline in brackets after the target: 达到12%（2020年为8.1%） / (2020年底全县为8.1%) / (2020年:8.1%)
_BRACKET_BASELINE = re.compile(
    r"\s*\(\s*(?:其中\s*)?(?P<year>(?:19|20)\d{2})\s*年(?:底|末)?[\u4e00-\u9fff]{0,8}?(?:为|是|达到|达|:)?\s*"
    r"(?P<value>\d+(?:\.\d+)?)\s*%\s*\)"
)
_COMPARATORS = {
    "超过": "gt",
    "高于": "gt",
    "不低于": "ge",
    "不少于": "ge",
    "达到或超过": "ge",
    "达到或高于": "ge",
    "突破": "gt",
    "超": "gt",
}  # any other word (达到, 达, 提高到, 提升至 …) or none: equal


@dataclass
class _Meta:
    """One labelled value of a metadata block: the field it gives, the value as printed, where."""

    field: str
    value: str
    start: int
    end: int
    line: Line


@dataclass
class _Found:
    """A header value found somewhere, kept until the better source is known."""

    value: str
    start: int
    end: int


def _span(pt: PlanText, start: int, end: int) -> Span:
    return Span(start, end, pt.line_of(start))


def _content(lines: tuple[Line, ...]) -> list[Line]:
    return [line for line in lines if not line.blank]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- metadata ------------------------------------------------------------------------------------
def _labels(line: Line) -> list[re.Match[str]]:
    """The metadata labels a line holds, if it is a metadata line: it begins with a label (after a
    list mark, or after the date a news item prints before its 来源), and each label is followed
    by a colon or closing bracket, or the line holds two labels or more (a flattened table)."""
    text = line.text
    found = list(_META_LABEL.finditer(text))
    if not found:
        return []
    lead = _LIST_MARK.sub("", text[: found[0].start()]).strip()
    if lead and not _DATE_STAMP.match(lead):
        return []
    marked = any(m.group("sep").strip() for m in found)
    alone = len(found) == 1 and found[0].end() == len(text) and not lead
    if marked or len(found) > 1 or alone:
        return found
    return []


def _metadata(pt: PlanText, lines: list[Line]) -> tuple[dict[str, _Meta], set[int]]:
    """A publishing site's metadata block, in any of its printed forms: the first value of each
    field, and the numbers of the lines the block takes."""
    out: dict[str, _Meta] = {}
    used: set[int] = set()
    labelled = [_labels(line) for line in lines]
    for i, (line, found) in enumerate(zip(lines, labelled, strict=True)):
        if not found:
            continue
        used.add(line.no)
        text = line.text
        lead = _LIST_MARK.sub("", text[: found[0].start()]).strip()
        if lead:  # 2022-05-05 10:20 来源:XX县政府办 — the date a news item was published
            at = text.find(lead)
            _keep(out, "发布日期", lead, line.start + at, line)
        for k, m in enumerate(found):
            field = _META_LABELS.get(_squeeze(m.group("label")))
            stop = found[k + 1].start() if k + 1 < len(found) else len(text)
            raw = text[m.end() : stop]
            value = _LIST_MARK.sub("", raw.strip(_VALUE_TRIM)).strip(_VALUE_TRIM)
            start = line.start + m.end() + raw.find(value) if value else line.start + stop
            if not value and k + 1 == len(found) and i + 1 < len(lines) and not labelled[i + 1]:
                nxt = lines[i + 1]
                if nxt.no - line.no <= 2 and _value_below(line, nxt, field):
                    value = _LIST_MARK.sub("", nxt.text).strip(_VALUE_TRIM)
                    start = nxt.start + nxt.text.find(value)
                    used.add(nxt.no)
            if field and value:
                _keep(out, field, value, start, line)
    return out, used


def _value_below(label: Line, nxt: Line, field: str | None) -> bool:
    """Whether ``nxt`` holds the value of the label alone on the line above: a list's next item
    ('- [ 发文字号 ]' / '- value'), or a table cell that reads as that field's value (a number,
    a date, an issuer, a title) — never the document's first line after the block."""
    if label.text.startswith("—") and nxt.text.startswith("—"):
        return True
    text = _LIST_MARK.sub("", nxt.text)
    if field == "发文字号":
        return bool(P.DOC_NUMBER_LOOSE.fullmatch(text))
    if field in ("成文日期", "发布日期"):
        return bool(_DATE_STAMP.match(text) or P.DATE_CN.fullmatch(text))
    if field == "发布机构":
        return bool(P.ISSUER.match(text))
    return False


def _keep(out: dict[str, _Meta], field: str, value: str, start: int, line: Line) -> None:
    if field not in out:
        out[field] = _Meta(field, value, start, start + len(value), line)


def _news_start(lines: list[Line]) -> int:
    """Index (in ``lines``) of the first line of the plan when a news item wraps it, else 0."""
    for i, line in enumerate(lines[:HEADER_LINES]):
        if _FULL_TEXT_FOLLOWS.search(line.text):
            return i + 1
    return 0


# -- dates ---------------------------------------------------------------------------------------
def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if not (y and m and d):
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _date_of(m: re.Match[str], offset: int = 0) -> str | None:
    """The ISO date of a DATE / DATE_CN / DATE_ISO match (groups ``offset`` + 1..3)."""
    y, mo, d = m.group(offset + 1), m.group(offset + 2), m.group(offset + 3)
    if y.isdigit():
        return _iso(int(y), int(mo), int(d))
    return _iso(P.cn_number(y), P.cn_number(mo), P.cn_number(d))


def _date_in(text: str) -> tuple[str, int, int] | None:
    """The first date written in ``text`` in any of the genre's forms: (ISO date, start, end)."""
    best: tuple[str, int, int] | None = None
    for pattern in (P.DATE, P.DATE_CN, P.DATE_ISO):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[1]):
            iso = _date_of(m)
            if iso:
                best = (iso, m.start(), m.end())
    return best


def dates_in(text: str) -> set[str]:
    """Every date written in ``text`` (folded) in any of the genre's forms, as ISO dates."""
    return {iso for pattern in (P.DATE, P.DATE_CN, P.DATE_ISO) for m in pattern.finditer(text) if (iso := _date_of(m))}


def _whole_line_date(text: str) -> str | None:
    for pattern in (P.DATE, P.DATE_CN):
        m = pattern.fullmatch(text)
        if m:
            return _date_of(m)
    return None


# -- issuers -------------------------------------------------------------------------------------
def _issuers_in(line: Line, start: int, end: int, text: str) -> list[_Found]:
    """The issuing bodies ``text`` (a piece of ``line`` from offset ``start``) names: one body, or
    several side by side (中共XX县委办公室 XX县人民政府办公室). Empty if it is not only that."""
    text = text.strip()
    if not text:
        return []
    if P.ISSUER.match(text):
        at = start + line.text[start - line.start : end - line.start].find(text)
        return [_Found(text, at, at + len(text))]
    out: list[_Found] = []
    for m in re.finditer(r"\S+", text):
        if not P.ISSUER.match(m.group(0)):
            return []
        at = start + line.text[start - line.start : end - line.start].find(text) + m.start()
        out.append(_Found(m.group(0), at, at + len(m.group(0))))
    return out if len(out) > 1 else []


def _issuer_lines_above(doc: list[Line], i: int) -> list[_Found]:
    """The issuers printed on the lines just above ``doc[i]`` (one per line, or side by side)."""
    found: list[_Found] = []
    j = i - 1
    while j >= 0 and i - j <= 3:
        names = _issuers_in(doc[j], doc[j].start, doc[j].end, doc[j].text)
        if not names:
            break
        found = names + found
        j -= 1
    return found


def _set_issuers(pt: PlanText, rec: PlanRecord, found: list[_Found]) -> None:
    first = found[0]
    rec.issuer = pt.quote(first.start, first.end)
    rec.issuer_span = _span(pt, first.start, first.end)
    rec.issuers = [pt.quote(f.start, f.end) for f in found] if len(found) > 1 else []


# -- the header ----------------------------------------------------------------------------------
def read_header(pt: PlanText, rec: PlanRecord) -> int:
    """Fill the header fields of ``rec``; return the index (in ``pt.lines``) where the body starts."""
    lines = _content(pt.lines)
    begin = _news_start(lines)
    meta, meta_lines = _metadata(pt, lines[: begin + HEADER_LINES])
    doc = [line for line in lines[begin : begin + HEADER_LINES] if line.no not in meta_lines]
    body_heading = next((i for i, line in enumerate(doc) if _is_heading(line.text)), len(doc))
    after_wrapper = lines[begin - 1].no if begin else 0

    glued = _read_number(pt, doc, rec, meta)
    notice_end, notice_issuers = _read_notice_title(pt, doc, rec)
    signature_at = _read_signature(pt, doc[:body_heading], rec)
    if rec.issued is None:
        _read_dates_elsewhere(pt, rec, meta, glued, lines)
    if rec.issuer is None and notice_issuers:
        _set_issuers(pt, rec, notice_issuers)
    if rec.issuer is None and "发布机构" in meta:
        m = meta["发布机构"]
        _set_issuers(pt, rec, [_Found(m.value, m.start, m.end)])
    _read_published(pt, rec, meta)

    own = _own_title(pt, doc, max(after_wrapper, notice_end, signature_at))
    if rec.title is None:
        own_anywhere = own or _own_title(pt, doc, after_wrapper)
        if own_anywhere:
            start, end, _ = own_anywhere
            rec.title = _squeeze(pt.quote(start, end))
            rec.title_span = _span(pt, start, end)
        elif "标题" in meta:
            _title_from_meta(pt, rec, meta["标题"])
    _read_place(rec)
    if rec.title and rec.title_span:
        # the plan's period, not that of a title it cites (…贯彻落实〈…纲要(2021—2035年)〉实施方案)
        period = P.PERIOD.search(_NESTED.sub(_mask_cited, _title_text(pt, rec.title_span)))
        if period:
            rec.period = (int(period.group(1)), int(period.group(2)))
        rec.doc_type = doc_type(rec.title)

    # the body starts after the plan's own title, or after the signature (or the news intro)
    start_line = max(after_wrapper, signature_at, own[2] if own else 0)
    for index, line in enumerate(pt.lines):
        if line.no > start_line:
            return index
    return len(pt.lines)


def _read_number(pt: PlanText, doc: list[Line], rec: PlanRecord, meta: dict[str, _Meta]) -> _Found | None:
    """The document number as printed: the body's (a line of its own, or the start of a line that
    goes on with the notice title, a date or a 签发人), else the metadata block's. Returns a date
    glued to the number (``鹰府发〔2022〕9号2022年04月12日``), if any."""
    for line in doc[:NUMBER_LINES]:
        text = _LIST_MARK.sub("", line.text)
        m = _NUMBER_AT_START.match(text)
        if not m:
            continue
        rest = text[m.end() :]
        glued = _date_in(rest)
        glued_here = glued is not None and glued[1] == 0 and not rest[glued[2] :].strip()
        if rest.strip() and not (rest[0].isspace() or rest.startswith("关于") or glued_here):
            continue
        offset = line.start + (len(line.text) - len(text))
        start, end = offset + m.start("number"), offset + m.end("number")
        rec.doc_number = pt.quote(start, end)
        rec.doc_number_span = _span(pt, start, end)
        if glued is not None and glued_here:
            at = offset + m.end()
            return _Found(glued[0], at + glued[1], at + glued[2])
        return None
    if "发文字号" in meta:
        m_ = meta["发文字号"]
        found = P.DOC_NUMBER_LOOSE.search(pt.folded, m_.start, m_.end)
        if found:
            rec.doc_number = pt.quote(found.start(), found.end())
            rec.doc_number_span = _span(pt, found.start(), found.end())
    return None


def _read_notice_title(pt: PlanText, doc: list[Line], rec: PlanRecord) -> tuple[int, list[_Found]]:
    """[issuer]关于印发《X》的通知, over one to five lines: X is the plan's title. The line holds
    nothing before 关于印发 but a document number or the issuer(s); a 关于印发 cited in a sentence
    (根据《国务院关于印发…的通知》) is not a notice title. Returns the number of the notice title's
    last line and the issuers it names (on its line or the lines above it)."""
    for i, line in enumerate(doc):
        at = line.text.find("关于印发")
        if at < 0:
            continue
        prefix = line.text[:at]
        number = _NUMBER_AT_START.match(prefix)
        if number:
            prefix = prefix[number.end() :]
        prefix_start = line.start + at - len(prefix)
        issuers = _issuers_in(line, prefix_start, line.start + at, prefix)
        if prefix.strip() and not issuers:
            continue
        pieces: list[tuple[int, int]] = [(line.start + at + len("关于印发"), line.end)]
        j = i
        while "的通知" not in pt.folded[pieces[-1][0] : pieces[-1][1]] and j + 1 < len(doc) and j - i < 4:
            j += 1
            pieces.append((doc[j].start, doc[j].end))
        last_start, last_end = pieces[-1]
        end_at = pt.folded.find("的通知", last_start, last_end)
        if end_at < 0:
            return 0, []
        pieces[-1] = (last_start, end_at)
        text = "".join(pt.quote(s, e) for s, e in pieces)
        start, end = pieces[0][0], pieces[-1][1]
        # strip the 《》 that wrap the title (they may close before the period, and a title
        # cited inside it may be in 〈〉, <> or, carelessly, 《》 too: the wrapper closes last)
        if text.startswith("《"):
            text = text[1:]
            start += 1
            close = text.rfind("》")
            if close >= 0:
                text = text[:close] + text[close + 1 :]
        if pt.text[end - 1 : end] == "》":
            end -= 1
        rec.title = _squeeze(text)
        rec.title_span = _span(pt, start, end)
        return doc[j].no, issuers or _issuer_lines_above(doc, i)
    return 0, []


def _read_signature(pt: PlanText, doc: list[Line], rec: PlanRecord) -> int:
    """The signature: a date on a line of its own with the issuer(s) on the line(s) above it, or
    the issuer and the date run together on one line. Returns the date's line number (0: none)."""
    for i, line in enumerate(doc):
        parsed = _whole_line_date(line.text)
        if parsed is not None:
            rec.issued = parsed
            rec.issued_span = _span(pt, line.start, line.end)
            above = _issuer_lines_above(doc, i)
            if above:
                _set_issuers(pt, rec, above)
            return line.no
        m = _SIGNED_DATE.match(line.text)
        if m:
            who = _issuers_in(line, line.start, line.start + m.end("who"), m.group("who"))
            parsed = _date_in(m.group("date"))
            if who and parsed:
                rec.issued = parsed[0]
                rec.issued_span = _span(pt, line.start + m.start("date"), line.end)
                _set_issuers(pt, rec, who)
                return line.no
    return 0


def _read_dates_elsewhere(
    pt: PlanText, rec: PlanRecord, meta: dict[str, _Meta], glued: _Found | None, lines: list[Line]
) -> None:
    """No signature in the header: the metadata block's 成文日期, else a date glued to the
    number, else a signature at the end of the text (a body-only plan signs after its body)."""
    if "成文日期" in meta:
        m = meta["成文日期"]
        parsed = _date_in(m.value)
        if parsed:
            rec.issued = parsed[0]
            rec.issued_span = _span(pt, m.start + parsed[1], m.start + parsed[2])
            return
    if glued is not None:
        rec.issued = glued.value
        rec.issued_span = _span(pt, glued.start, glued.end)
        return
    end = next((i for i, line in enumerate(lines) if P.ATTACHMENT.match(line.text)), len(lines))
    tail = lines[max(0, end - 8) : end]
    for i in range(len(tail) - 1, -1, -1):
        parsed = _whole_line_date(tail[i].text)
        above = _issuer_lines_above(tail, i) if parsed else []
        if parsed and above:
            rec.issued = parsed
            rec.issued_span = _span(pt, tail[i].start, tail[i].end)
            if rec.issuer is None:
                _set_issuers(pt, rec, above)
            return


def _read_published(pt: PlanText, rec: PlanRecord, meta: dict[str, _Meta]) -> None:
    """The 发布日期 (publication date), kept apart from the 成文日期: from a metadata block's
    发布日期 / 发布时间 or a news item's 发布时间, else from the publishing page's metadata."""
    if "发布日期" in meta:
        m = meta["发布日期"]
        parsed = _date_in(m.value)
        if parsed:
            rec.published = parsed[0]
            rec.published_span = _span(pt, m.start + parsed[1], m.start + parsed[2])
            return
    page = fold(dict(pt.metadata).get("发布日期", ""))
    parsed = _date_in(page) if page else None
    if parsed:
        rec.published = parsed[0]  # the page's, not the text's: no span


def _is_own_title(text: str) -> bool:
    """The first line of a plan's own title: it names 科学素质, is short, is no sentence, no
    numbered heading, no citation (《) and no notice (印发)."""
    squeezed = _squeeze(text)
    return (
        "科学素质" in squeezed
        and len(squeezed) < 60
        and "印发" not in squeezed
        and "《" not in squeezed
        and not _SENTENCE.search(squeezed)
        and not any(p.match(squeezed) for p in (P.SECTION_L1, P.SECTION_L2, P.SECTION_L3))
    )


def _is_heading(text: str) -> bool:
    """A body's first-level heading (一、工作目标): the header is over."""
    return bool(P.SECTION_L1.match(text)) and len(text) < 30


def _continues_title(title: str, text: str) -> bool:
    """Whether ``text``, the next line, goes on with the title so far: the period on its own line,
    or the rest of the name (实施方案, 行动规划纲要实施方案), never a sentence, heading or date."""
    squeezed = _squeeze(text)
    if title.endswith(_PERIOD_CLOSES) or len(squeezed) > 40 or _SENTENCE.search(squeezed) or "《" in squeezed:
        return False
    if any(p.match(squeezed) for p in (P.SECTION_L1, P.SECTION_L2, P.SECTION_L3)) or "公开" in squeezed:
        return False
    if _whole_line_date(squeezed) or P.ISSUER.match(squeezed):
        return False
    if squeezed.startswith(_PERIOD_OPENS):
        return bool(P.PERIOD.match(squeezed))
    return bool(_CONTINUATION_WORDS.search(squeezed))


def _own_title(pt: PlanText, doc: list[Line], after: int) -> tuple[int, int, int] | None:
    """The plan's own title after line ``after``: (start, end, number of its last line)."""
    candidates = [line for line in doc if line.no > after][:OWN_TITLE_LINES]
    for i, line in enumerate(candidates):
        if not _is_own_title(line.text):
            continue
        title, last = _squeeze(line.text), line
        for nxt in candidates[i + 1 : i + 3]:
            if not _continues_title(title, nxt.text):
                break
            title, last = title + _squeeze(nxt.text), nxt
        if _TITLE_WORDS.search(title):
            return line.start, last.end, last.no
    return None


def _title_from_meta(pt: PlanText, rec: PlanRecord, m: _Meta) -> None:
    """The metadata block's 标题: the notice title (the plan's title is inside it) or the plan's."""
    start, end = m.start, m.end
    folded = pt.folded[start:end]
    at, close = folded.find("关于印发"), folded.rfind("的通知")
    if at >= 0 and close > at:
        start, end = start + at + len("关于印发"), start + close
        if pt.text[start : start + 1] == "《":
            start += 1
        if pt.text[end - 1 : end] == "》":
            end -= 1
    rec.title = _squeeze(pt.quote(start, end)).replace("》", "", 1) if start < end else None
    rec.title_span = _span(pt, start, end) if rec.title else None


def _title_text(pt: PlanText, span: Span) -> str:
    return pt.folded[span.start : span.end]


def _mask_cited(m: re.Match[str]) -> str:
    """A title cited inside the plan's title, blanked out; a period in 〈〉 or <> is kept."""
    return m.group(0) if P.PERIOD.fullmatch(m.group(0)) else " " * len(m.group(0))


def doc_type(title: str) -> str:
    """The kind of plan a title names: task-division (…任务分工方案), work-points (…工作要点),
    outline (…规划纲要 / 计划纲要 itself, as the State Council issues it), implementation-plan
    (…实施方案, 实施意见, 行动方案, 实施计划), or other."""
    t = re.sub(r"[(\[〈<][^()\[\]〈〉<>]*[)\]〉>]$", "", _squeeze(fold(title)))
    if "任务分工" in t or "分工方案" in t:
        return "task-division"
    if "工作要点" in t or t.endswith("要点"):
        return "work-points"
    if t.endswith("纲要"):
        return "outline"
    if re.search(r"方案|意见|计划|办法|规划", t):
        return "implementation-plan"
    return "other"


def place_of(name: str) -> tuple[str, str] | None:
    """(place, level) of the administrative name ``name`` begins with: a title (巫山县全民科学素质…)
    or an issuer (中共XX县委办公室, XX县人民政府办公室). None if it begins with no place."""
    cut = _PLACE_END.search(name)
    prefix = name[: cut.start()] if cut else name
    if prefix.startswith("中共"):
        prefix = prefix[2:]
    if not prefix or len(prefix) > 30:
        return None
    m = _PLACE.match(prefix)
    if not m:
        return None
    place = m.group("name")
    if prefix in _MUNICIPALITIES:
        return prefix, "province"
    for suffix, level in _LEVEL_BY_SUFFIX:
        if place.endswith(suffix):
            return place, level
    return None


def _read_place(rec: PlanRecord) -> None:
    """The plan's place and level: from its title, else its issuer; the State Council's plans
    (issued by 国务院 or numbered 国发/国办发) are national."""
    found = place_of(rec.title) if rec.title else None
    if found is None and rec.issuer:
        found = place_of(_squeeze(rec.issuer))
    if found is None and (
        (rec.issuer or "").startswith("国务院") or _NATIONAL_NUMBER.match(_squeeze(rec.doc_number or ""))
    ):
        found = (NATIONAL_PLACE, "national")
    if found:
        rec.place, rec.level = found


# -- the basis -----------------------------------------------------------------------------------
def _basis_paragraphs(pt: PlanText, body_from: int) -> list[tuple[int, int, bool]]:
    """The body's first paragraphs: (start, end, whether a section heading comes before it). A
    paragraph ends with a line ending in 。 or : (a wrapped paragraph's lines are read together);
    a heading is a paragraph of its own."""
    out: list[tuple[int, int, bool]] = []
    start: int | None = None
    end = 0
    heading = False
    for line in [line for line in pt.lines[body_from:] if not line.blank][:BASIS_LINES]:
        if any(p.match(line.text) for p in (P.SECTION_L1, P.SECTION_L2)) and len(line.text) < 30:
            if start is not None:
                out.append((start, end, heading))
                start = None
            heading = True
            continue
        if start is None:
            start = line.start
        end = line.end
        if line.text.endswith(("。", ":", ".")):
            out.append((start, end, heading))
            start = None
    if start is not None:
        out.append((start, end, heading))
    return out


def read_basis(pt: PlanText, rec: PlanRecord, body_from: int) -> None:
    """The documents the plan names as its basis in its first paragraphs (根据 / 按照 / 贯彻 /
    落实 / 依据《…》(国发〔2021〕9号)): each by title, with the number printed after it in any
    bracket, or by number alone (根据国发〔2021〕9号文件精神). Every paragraph before the first
    section heading is read; when none of them names any, the first one after it that does."""
    seen: set[tuple[str, str]] = set()
    for p_start, p_end, after_heading in _basis_paragraphs(pt, body_from):
        if after_heading and rec.directives:
            return
        if not _BASIS_CUE.search(pt.folded, p_start, p_end):
            continue
        for ref in _cited(pt, rec, p_start, p_end):
            key = (title_key(ref.title or ""), _squeeze(fold(ref.number or "")))
            if key not in seen:
                seen.add(key)
                rec.directives.append(ref)
        if after_heading and rec.directives:
            return


def _cited(pt: PlanText, rec: PlanRecord, p_start: int, p_end: int) -> list[DirectiveRef]:
    """The documents one paragraph cites, in the order written: 《title》 with the number after
    it in any bracket, and numbers that stand alone (the issuer's abbreviation without the words
    the sentence puts before it)."""
    raw = pt.text
    own = title_key(rec.title) if rec.title else None
    covered: list[tuple[int, int]] = []
    refs: list[tuple[int, DirectiveRef]] = []
    for m in _BOOK_TITLE.finditer(pt.folded, p_start, p_end):
        title = _squeeze(raw[m.start(1) : m.end(1)])
        covered.append((m.start(), m.end()))
        if own is not None and title_key(title) == own:
            continue
        number = None
        end = m.end()
        num = _NUMBER_AFTER_TITLE.match(pt.folded[m.end() : min(m.end() + 40, p_end)])
        if num:
            number = _squeeze(raw[m.end() + num.start(1) : m.end() + num.end(1)])
            end = m.end() + num.end()
            covered.append((m.end(), end))
        refs.append((m.start(), DirectiveRef(title=title, number=number, span=_span(pt, m.start(), end))))
    starts = [s for s, _ in covered]  # in order, not overlapping
    for n in _NUMBER_TAIL.finditer(pt.folded, p_start, p_end):
        at = bisect_right(starts, n.start()) - 1
        if at >= 0 and n.start() < covered[at][1]:
            continue  # inside a title or the number printed after it
        run = re.search(r"[\u4e00-\u9fff]{1,14}$", pt.folded[max(p_start, n.start() - 14) : n.start()])
        issuer = _BEFORE_NUMBER.sub("", run.group(0)) if run else ""
        if not issuer:
            continue
        start = n.start() - len(issuer)
        number = _squeeze(raw[start : n.end()])
        refs.append((start, DirectiveRef(title=None, number=number, span=_span(pt, start, n.end()))))
    # a document is a basis when the nearest cue before it is one (根据…, 按照…); one named after
    # 结合 / 参照 / 衔接 is taken into account, not implemented (万年: 根据《…》…，结合《万年县“十四五”规划…》)
    return [ref for at, ref in sorted(refs, key=lambda r: r[0]) if not _after_other_cue(pt.folded, p_start, at)]


_CUE = re.compile(r"(根据|按照|贯彻|落实|依据)|(结合|参照|参考|对照|衔接|借鉴)")


def _after_other_cue(text: str, start: int, at: int) -> bool:
    cues = list(_CUE.finditer(text, max(start, at - 200), at))
    return bool(cues) and cues[-1].group(2) is not None


# -- the literacy target -------------------------------------------------------------------------
def read_literacy_target(pt: PlanText, rec: PlanRecord, body_from: int) -> None:
    """The share of citizens with scientific literacy the plan promises for its final year
    (a share stated for an earlier year, such as a 2020 baseline, is not the target). A
    baseline given with it (由2020年的8%提高到12%) is the plan's baseline unless a sentence of its
    own states one."""
    found: list[tuple[int, re.Match[str], int]] = []
    for line in pt.lines[body_from:]:
        for m in P.LITERACY_TARGET.finditer(line.text):
            year = _literacy_year(m)
            if year is not None:
                found.append((year, m, line.start))
    if not found:
        return
    final = rec.period[1] if rec.period else max(year for year, _, _ in found)
    chosen = [f for f in found if f[0] == final] or [max(found, key=lambda f: f[0])]
    year, m, offset = chosen[0]
    start, end = offset + m.start(), offset + m.end()
    comparator = _COMPARATORS.get(m.group("word") or "", "eq")
    if m.group("tail") == "以上" and comparator == "eq":
        comparator = "ge"
    rec.literacy_target = Target(
        value=_literacy_value(m),
        unit="%",
        comparator=comparator,  # type: ignore[arg-type]
        year=year,
        quote=pt.quote(start, end),
        span=_span(pt, start, end),
    )
    # a share stated for a year before the plan's period is its baseline (the latest one)
    first = rec.period[0] if rec.period else year
    earlier = [f for f in found if f[0] < first]
    if earlier:
        b_year, b, b_offset = max(earlier, key=lambda f: f[0])
        b_start, b_end = b_offset + b.start(), b_offset + b.end()
        gain = _GAIN.match(pt.folded, b_end)
        rec.baseline = _baseline(pt, _literacy_value(b), b_year, b_start, gain.end() if gain else b_end)
        if gain:
            rec.baseline.gain, rec.baseline.gain_since = float(gain.group(2)), int(gain.group(1))
    elif (bracket := _BRACKET_BASELINE.match(pt.folded, end)) and int(bracket.group("year")) < first:
        # 达到12%（2020年为8.1%）: the baseline in brackets after the target
        b_end = pt.folded.index("%", bracket.end("value")) + 1
        rec.baseline = _baseline(
            pt, float(bracket.group("value")), int(bracket.group("year")), bracket.start("year"), b_end
        )
    elif m.group("base") is not None:  # 由2020年的8%提高到12%: the baseline stated with the target
        b_end = pt.folded.index("%", offset + m.end("base")) + 1
        rec.baseline = _baseline(
            pt, float(m.group("base")), int(m.group("base_year")), offset + m.start("base_from"), b_end
        )


def _baseline(pt: PlanText, value: float, year: int, start: int, end: int) -> Target:
    """The share of citizens with scientific literacy a plan states for an earlier year, quoted."""
    return Target(
        value=value, unit="%", comparator="eq", year=year, quote=pt.quote(start, end), span=_span(pt, start, end)
    )


def _literacy_year(m: re.Match[str]) -> int | None:
    """The year a literacy share is stated for: 2025年, or the last of a five-year plan (十四五末)."""
    for group in ("year_to", "year_after", "year"):  # the year nearest the share first
        if m.group(group):
            return int(m.group(group))
    return P.FIVE_YEAR_PLANS.get(m.group("fyp") or "")


def _literacy_value(m: re.Match[str]) -> float:
    """The share in per cent: 12.5% or 百分之十二点五."""
    if m.group("value") is not None:
        return float(m.group("value"))
    whole, _, fraction = m.group("cn").partition("点")
    digits = "".join(str(P.cn_number(c)) for c in fraction)
    return float(f"{P.cn_number(whole)}.{digits or 0}")
