"""The plan's header: document number, issuer, date, title, place, period; the documents it
names as its basis; its literacy target.

The header is read from what the genre puts before the body: an optional metadata block
(索引号 / 发文字号 / 成文日期), the document number on a line of its own, the notice title
(关于印发…的通知), the signature (issuer, then the date), and the plan's own title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.records import DirectiveRef, PlanRecord, Span, Target
from sciplan_kg.read.text import Line, PlanText, title_key

HEADER_LINES = 40  # the header never runs longer than this many non-blank lines

_META_LABEL = re.compile(r"^—?\s*\[\s*([^\]]+?)\s*\]\s*$")
_LIST_MARK = re.compile(r"^—\s+")
_PLACE = re.compile(
    r"^(?:(?P<parent>[\u4e00-\u9fff]{2,12}?(?:省|自治区|市|州|盟|地区))(?=[\u4e00-\u9fff]{2,}(?:县|区|市|旗)$))?"
    r"(?P<name>[\u4e00-\u9fff]{2,12}?(?:自治县|县|区|市|旗|省|自治区|州))$"
)
_LEVEL_BY_SUFFIX = (
    ("自治县", "county"),
    ("自治区", "province"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "district"),
    ("州", "prefecture"),
    ("省", "province"),
    ("市", "city"),
)
_BASIS_CUE = re.compile(r"根据|按照|贯彻|落实|依据")
_BOOK_TITLE = re.compile(r"《((?:[^《》]|《[^《》]{0,200}》){1,300})》")
_GAIN = re.compile(r"\s*,?\s*比\s*((?:19|20)\d{2})\s*年(?:底)?提高了?\s*(\d+(?:\.\d+)?)\s*个百分点")
_COMPARATORS = {
    "超过": "gt",
    "高于": "gt",
    "不低于": "ge",
    "不少于": "ge",
    "达到": "eq",
    "力争达到": "eq",
    "提高到": "eq",
    "提升到": "eq",
    "提升至": "eq",
}


@dataclass
class _Meta:
    label: str
    value: str
    line: Line


def _span(pt: PlanText, start: int, end: int) -> Span:
    return Span(start, end, pt.line_of(start))


def _content(lines: tuple[Line, ...]) -> list[Line]:
    return [line for line in lines if not line.blank]


def _metadata(lines: list[Line]) -> list[_Meta]:
    """A government site's metadata block: '- [ 发文字号 ]' followed by '- value'."""
    out: list[_Meta] = []
    for i, line in enumerate(lines[:-1]):
        m = _META_LABEL.match(line.text)
        if not m:
            continue
        nxt = lines[i + 1]
        if _META_LABEL.match(nxt.text):
            continue
        out.append(_Meta(m.group(1).replace(" ", ""), _LIST_MARK.sub("", nxt.text), nxt))
    return out


def _value_span(line: Line, value: str) -> tuple[int, int]:
    at = line.text.find(value)
    start = line.start + max(at, 0)
    return start, start + len(value)


def read_header(pt: PlanText, rec: PlanRecord) -> int:
    """Fill the header fields of ``rec``; return the index (in ``pt.lines``) where the body starts."""
    lines = _content(pt.lines)
    head = lines[:HEADER_LINES]
    meta = {m.label: m for m in _metadata(head)}

    # document number: the metadata block, else a line that is nothing but a number
    if "发文字号" in meta and P.DOC_NUMBER_LOOSE.search(meta["发文字号"].value):
        m = meta["发文字号"]
        found = P.DOC_NUMBER_LOOSE.search(m.value)
        assert found
        start, end = _value_span(m.line, found.group(0))
        rec.doc_number = pt.quote(start, end)
        rec.doc_number_span = _span(pt, start, end)
    else:
        for line in head[:12]:
            found = P.DOC_NUMBER_LOOSE.fullmatch(_LIST_MARK.sub("", line.text))
            if found:
                start = line.end - len(found.group(0))
                rec.doc_number = pt.quote(start, line.end)
                rec.doc_number_span = _span(pt, start, line.end)
                break

    _read_notice_title(pt, head, rec)
    body_from = _read_signature(pt, head, rec, meta)
    if rec.title is None:
        _read_own_title(pt, head, rec)
    if rec.title:
        _read_place(rec)
        period = P.PERIOD.search(pt.folded[rec.title_span.start : rec.title_span.end]) if rec.title_span else None
        if period:
            rec.period = (int(period.group(1)), int(period.group(2)))

    # the body starts after the plan's own title or after the signature
    own_title_at = _own_title_line(pt, head, body_from)
    start_line = max(body_from, own_title_at)
    for index, line in enumerate(pt.lines):
        if line.no > start_line:
            return index
    return len(pt.lines)


def _read_notice_title(pt: PlanText, head: list[Line], rec: PlanRecord) -> None:
    """关于印发《X》的通知, possibly split over several lines: X is the plan's title."""
    for i, line in enumerate(head):
        at = line.text.find("关于印发")
        if at < 0:
            continue
        pieces: list[tuple[int, int]] = [(line.start + at + len("关于印发"), line.end)]
        j = i
        while "的通知" not in pt.folded[pieces[-1][0] : pieces[-1][1]] and j + 1 < len(head) and j - i < 4:
            j += 1
            pieces.append((head[j].start, head[j].end))
        last_start, last_end = pieces[-1]
        end_at = pt.folded.find("的通知", last_start, last_end)
        if end_at < 0:
            return
        pieces[-1] = (last_start, end_at)
        text = "".join(pt.quote(s, e) for s, e in pieces)
        start, end = pieces[0][0], pieces[-1][1]
        # strip the 《》 that wrap the title (they may close before the period)
        if text.startswith("《"):
            text = text[1:]
            start += 1
        text = text.replace("》", "", 1) if "》" in text else text
        if pt.text[end - 1 : end] == "》":
            end -= 1
        rec.title = re.sub(r"\s+", "", text)
        rec.title_span = _span(pt, start, end)
        if rec.issuer is None and at > 0:
            issuer = line.text[:at]
            if P.ISSUER.match(issuer):
                rec.issuer = pt.quote(line.start, line.start + at)
                rec.issuer_span = _span(pt, line.start, line.start + at)
        return


def _read_signature(pt: PlanText, head: list[Line], rec: PlanRecord, meta: dict[str, _Meta]) -> int:
    """The date on a line of its own, and the issuer on the line before it. Returns its line number."""
    for i, line in enumerate(head):
        parsed = _whole_line_date(line.text)
        if parsed is None:
            continue
        rec.issued = parsed
        rec.issued_span = _span(pt, line.start, line.end)
        if i > 0 and P.ISSUER.match(head[i - 1].text):
            prev = head[i - 1]
            rec.issuer = pt.quote(prev.start, prev.end)
            rec.issuer_span = _span(pt, prev.start, prev.end)
        return line.no
    if "成文日期" in meta:
        m = meta["成文日期"]
        iso = P.DATE_ISO.search(m.value)
        if iso:
            rec.issued = f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}"
            start, end = _value_span(m.line, m.value)
            rec.issued_span = _span(pt, start, end)
    if rec.issuer is None and "发布机构" in meta:
        m = meta["发布机构"]
        start, end = _value_span(m.line, m.value)
        rec.issuer = pt.quote(start, end)
        rec.issuer_span = _span(pt, start, end)
    return 0


def _whole_line_date(text: str) -> str | None:
    m = P.DATE.fullmatch(text)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = P.DATE_CN.fullmatch(text)
    if m:
        y, mo, d = (P.cn_number(g) for g in m.groups())
        if y and mo and d:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _is_own_title(text: str) -> bool:
    return "全民科学素质" in text and "关于印发" not in text and "《" not in text and len(text) < 60


def _own_title_line(pt: PlanText, head: list[Line], after: int) -> int:
    """Line number of the last line of the plan's own title block (after the signature)."""
    last = 0
    for i, line in enumerate(head):
        if line.no <= after or not _is_own_title(line.text):
            continue
        last = line.no
        for nxt in head[i + 1 : i + 3]:
            if nxt.text.startswith(("(", "实施方案")) and len(nxt.text) < 30:
                last = nxt.no
            else:
                break
        break
    return last


def _read_own_title(pt: PlanText, head: list[Line], rec: PlanRecord) -> None:
    """No notice title: take the plan's own title block (one line, maybe two)."""
    for i, line in enumerate(head):
        if not _is_own_title(line.text):
            continue
        start, end = line.start, line.end
        for nxt in head[i + 1 : i + 3]:
            if nxt.text.startswith(("(", "实施方案")) and len(nxt.text) < 30:
                end = nxt.end
            else:
                break
        rec.title = re.sub(r"\s+", "", pt.quote(start, end))
        rec.title_span = _span(pt, start, end)
        return


def _read_place(rec: PlanRecord) -> None:
    assert rec.title
    at = rec.title.find("全民科学素质")
    if at <= 0:
        return
    m = _PLACE.match(rec.title[:at])
    if not m:
        return
    rec.place = m.group("name")
    for suffix, level in _LEVEL_BY_SUFFIX:
        if rec.place.endswith(suffix):
            rec.level = level
            break


def read_basis(pt: PlanText, rec: PlanRecord, body_from: int) -> None:
    """The documents named as the plan's basis, in the first body paragraph that cites any."""
    for line in pt.lines[body_from : body_from + 12]:
        if "《" not in line.text or not _BASIS_CUE.search(line.text):
            continue
        raw = pt.text
        for m in _BOOK_TITLE.finditer(pt.folded, line.start, line.end):
            title = re.sub(r"\s+", "", raw[m.start(1) : m.end(1)])
            if rec.title and title_key(title) == title_key(rec.title):
                continue
            after = pt.folded[m.end() : min(m.end() + 30, line.end)]
            number = None
            end = m.end()
            num = re.match(r"\s*\(\s*(" + P.DOC_NUMBER_LOOSE.pattern + r")\s*\)", after)
            if num:
                number = re.sub(r"\s+", "", raw[m.end() + num.start(1) : m.end() + num.end(1)])
                end = m.end() + num.end()
            rec.directives.append(DirectiveRef(title=title, number=number, span=_span(pt, m.start(), end)))
        if rec.directives:
            return


def read_literacy_target(pt: PlanText, rec: PlanRecord, body_from: int) -> None:
    """The share of citizens with scientific literacy the plan promises for its final year
    (a share stated for an earlier year, such as a 2020 baseline, is not the target)."""
    found: list[tuple[int, re.Match[str], int]] = []
    for line in pt.lines[body_from:]:
        for m in P.LITERACY_TARGET.finditer(line.text):
            found.append((int(m.group(1)), m, line.start))
    if not found:
        return
    final = rec.period[1] if rec.period else max(year for year, _, _ in found)
    chosen = [f for f in found if f[0] == final] or [max(found, key=lambda f: f[0])]
    year, m, offset = chosen[0]
    start, end = offset + m.start(), offset + m.end()
    word, value, tail = m.group(2) or "", m.group(3), m.group(4) or ""
    comparator = _COMPARATORS.get(word, "eq")
    if tail == "以上" and comparator == "eq":
        comparator = "ge"
    rec.literacy_target = Target(
        value=float(value),
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
        if gain:
            b_end = gain.end()
        rec.baseline = Target(
            value=float(b.group(3)),
            unit="%",
            comparator="eq",
            year=b_year,
            quote=pt.quote(b_start, b_end),
            span=_span(pt, b_start, b_end),
            gain=float(gain.group(2)) if gain else None,
            gain_since=int(gain.group(1)) if gain else None,
        )
