"""The plan's timetable: its phases (启动实施 2021年; 深入实施 2022—2025年; 总结评估 2025年).

A phase opens where an item of text opens (a line after its number or bullet, a sentence, the
text after a colon, an enumeration's 一是 / 二是) with a short name and its years, in any of the
genre's forms:

* the name, then the years in brackets: 启动实施(2021年), 动员部署阶段(2021年6月前), 第一阶段(2021年);
* the name, a stop or colon, then the years and a comma: 启动实施。2021年, / 启动实施:2022—2025年,;
* the years, then the name of a 阶段: 2021年为启动阶段;
* 第一阶段 followed by its years: 第一阶段:2021年至2022年,.

Years are Arabic or Chinese (二〇二一年), single (2025年) or a range (2021年到2022年, 2022—2025年,
2021年6月—12月); a single year is the phase's start and end. The phase runs to the next phase or
the end of the region read. A region holding fewer than two phases holds no timetable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sciplan_kg.extract import patterns as P
from sciplan_kg.extract.records import Phase, Span
from sciplan_kg.extract.structure import heading_level
from sciplan_kg.read.text import PlanText

_ZERO = "〇零○Ο0OoОо"
_YEAR = rf"(?:(?:19|20)\d{{2}}|二[{_ZERO}][{_ZERO}一二三四五六七八九]{{2}})"
_CN_DAY = r"[\d一二三四五六七八九十]{1,3}"
_DAY = rf"(?:\s*{_CN_DAY}\s*月份?(?:\s*{_CN_DAY}\s*日)?)?(?:底|初|末|中旬|上旬|下旬)?"
_HALF = r"(?:上半年|下半年|年底|年初|年末|底|末)?"
_YEARS = (
    rf"(?P<y1>{_YEAR})\s*年?{_HALF}{_DAY}"
    rf"(?:\s*(?:—+|~|至|到)\s*(?:(?P<y2>{_YEAR})\s*年?{_HALF})?{_DAY})?"
    r"(?:前|以前|之前|起|开始|以后)?"
)
_NAME = r"(?P<name>[\u4e00-\u9fff“”\"‘’]{2,14}?)"
_HEADS = (
    re.compile(rf"{_NAME}\s*\(\s*{_YEARS}\s*\)\s*[:,。]?"),  # 启动实施(2021年),
    re.compile(rf"(?P<name>第[一二三四五六七八九十]阶段)\s*[:,]?\s*为?\s*{_YEARS}\s*[,:。]?"),  # 第一阶段:2021年,
    re.compile(rf"{_NAME}\s*[。.:,]\s*{_YEARS}\s*[,:。]"),  # 启动实施。2021年,
    re.compile(rf"{_YEARS}\s*[,:]?\s*[为是]?\s*(?P<name>[\u4e00-\u9fff]{{2,10}}?阶段)\s*[:,。]?"),  # 2021年为启动阶段
)
# a name that is no phase's: a deadline or a clause of a sentence
_NOT_A_NAME = re.compile(r"^(?:到|至|在|从|于|自|截至|每|各|全[县区市省州国]|和|并|及)|年|月")
_ITEM_AFTER = "。;:!?"
_ENUM = re.compile(r"[一二三四五六七八九十]是")


@dataclass(frozen=True)
class Head:
    open: int  # where its item opens (before an enumeration's 一是)
    start: int  # where the phase's text starts (its name, or its years in the year-first form)
    head_end: int  # where its name and years end
    name: str
    first: int | None
    last: int | None


def _year(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return P.cn_number(text)


def _item_starts(pt: PlanText, start: int, end: int) -> list[int]:
    """Where an item of text may open in [start, end): lines (after a number, bullet or 一是),
    sentences, the text after a colon, an enumeration's items."""
    text = pt.folded
    out: set[int] = {start}
    first = pt.line_of(start) - 1
    for line in pt.lines[first:]:
        if line.start >= end:
            break
        if line.start >= start and line.text:
            at = line.start
            hl = heading_level(line.text)
            bullet = P.BULLET.match(line.text)
            if hl:
                at += hl[1]
            elif bullet:
                at += bullet.end()
            out.add(at)
    for i in range(start, end):
        if text[i] in _ITEM_AFTER:
            out.add(i + 1)
    for m in _ENUM.finditer(text, start, end):
        if m.start() == start or text[m.start() - 1] in _ITEM_AFTER + ", \n":
            out.add(m.end())
    starts = []
    for at in sorted(out):
        while at < end and text[at] in " \t\r\n":
            at += 1
        if at < end:
            starts.append(at)
    return sorted(set(starts))


def phase_items(pt: PlanText, start: int, end: int) -> list[Head]:
    """The phases opening in [start, end), in order (see the module's description)."""
    text = pt.folded
    out: list[Head] = []
    for at in _item_starts(pt, start, end):
        if out and at < out[-1].head_end:
            continue
        opens = at
        enum = _ENUM.match(text, at, end)
        if enum:
            at = enum.end()  # 一是动员部署阶段(…): the phase is named after its 一是
        for pattern in _HEADS:
            m = pattern.match(text, at, end)
            if not m:
                continue
            if _NOT_A_NAME.search(m.group("name")):
                continue
            first = _year(m.group("y1"))
            last = _year(m.group("y2")) or first
            out.append(Head(opens, at, m.end(), pt.quote(m.start("name"), m.end("name")).strip('“”"‘’'), first, last))
            break
    return out


def read_phases(pt: PlanText, start: int, end: int) -> list[Phase]:
    """The phases of the timetable in [start, end): none unless it holds two or more."""
    heads = phase_items(pt, start, end)
    if len(heads) < 2:
        return []
    text = pt.folded
    out: list[Phase] = []
    for k, head in enumerate(heads):
        stop = heads[k + 1].open if k + 1 < len(heads) else end
        # the next phase's number or bullet, or the separator before it, is not this one's text
        line_start = pt.lines[pt.line_of(stop) - 1].start if k + 1 < len(heads) else stop
        if head.start < line_start < stop:
            stop = line_start
        while stop > head.start and text[stop - 1] in " \t\r\n,;":
            stop -= 1
        out.append(
            Phase(
                name=head.name,
                start=head.first,
                end=head.last,
                text=pt.quote(head.start, stop).strip(),
                span=Span(head.start, stop, pt.line_of(head.start)),
            )
        )
    return out
