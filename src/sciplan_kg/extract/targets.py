"""Numeric commitments in task texts: 培育高素质农民3000人以上, 培训产业工人1.2万人次,
科技类设施对外开放率达到90%以上, 每学期举办科普讲座不少于2次.

Each becomes a :class:`Target`: the value as a number (1.2万 = 12000), the unit, the comparator
(超过/高于 >, 不少于/不低于/至少/…以上 ≥, 达到 or nothing =), the deadline found in the same
sentence (到2025年; "十四五"期间 = 2021–2025) or a recurring frequency (每学期, 每年), and the
quoted phrase: the clause from the last separator before the number to the end of the match.
"""

from __future__ import annotations

import re

from sciplan_kg.extract.patterns import cn_number
from sciplan_kg.extract.records import Span, Target
from sciplan_kg.read.text import PlanText

UNITS = (
    "人次", "场次", "个百分点", "人", "名", "个", "家", "所", "场", "次", "项", "支", "期", "部", "篇",
    "件", "处", "座", "户", "批", "门", "套", "节", "册", "份", "万册", "%",
)  # fmt: skip
_UNIT = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
QUANTITY = re.compile(
    r"(?P<pre>超过|高于|不少于|不低于|至少|达到|力争达到|力争|累计|新增)?\s*"
    r"(?<![\d.第])(?P<num>\d+(?:\.\d+)?)\s*(?P<mult>万|千|百)?\s*(?P<unit>" + _UNIT + r")(?P<post>以上|左右)?"
)
# a count in Chinese numerals (至少配备一名, 各一期, 不少于两次) is a target only after a word that
# makes it one: a floor, 各 (each), a frequency; 打造一批 or 两室一员 count nothing
_CN_UNITS = "名|人次|人|次|期|场|个|所|家|项|支|座|处|户|门|套|节|部|篇|件"
CN_QUANTITY = re.compile(
    r"(?P<cue>至少|不少于|不低于|超过|达到|各|每(?:学期|学年|年度|年|季度|季|月|周)(?:至少)?)"
    r"(?P<verb>[\u4e00-\u9fff]{0,3}?)"
    r"(?P<num>[一二两三四五六七八九十百千]+)(?P<unit>" + _CN_UNITS + r")(?P<post>以上|左右)?"
)
_NOT_A_TARGET_AFTER = re.compile(r"^(?:届|月|日|号|年|级|批次|G\b)")
_CLAUSE_START = re.compile(r"[,;。:、!?]")
_SENTENCE_END = "。;!?"
_DEADLINE = re.compile(r"(?:到|至|在)\s*((?:19|20)\d{2})\s*年(?:底|末|前)?|((?:19|20)\d{2})\s*年(?:底|末)?前")
_FIVE_YEAR = re.compile(r"[“\"]?十四五[”\"]?\s*(?:期间|时期|末)")
_FREQUENCY = re.compile(r"每(?:学期|学年|年度|年|季度|季|月|周)")
MAX_PER_TASK = 100  # more than this in one task is not a plan's wording; stop and warn
_MULTIPLIERS = {"万": 10000, "千": 1000, "百": 100}
_GT = ("超过", "高于")
_GE = ("不少于", "不低于", "至少")


def comparator(lead_in: str, post: str) -> str:
    """> for 超过/高于, ≥ for 不少于/不低于/至少 or a trailing 以上, = otherwise (达到, or a bare number).
    ``lead_in`` is the clause up to the number, so 至少安排1次 counts as ≥."""
    if any(w in lead_in for w in _GT):
        return "gt"
    if any(w in lead_in for w in _GE) or post == "以上":
        return "ge"
    return "eq"


_REACH = 300  # a sentence is looked for at most this far either way, so a line without
# punctuation costs linear time, not quadratic


def _sentence(text: str, start: int, lo: int, hi: int) -> tuple[int, int]:
    s = start
    floor = max(lo, start - _REACH)
    while s > floor and text[s - 1] not in _SENTENCE_END:
        s -= 1
    e = start
    ceiling = min(hi, start + _REACH)
    while e < ceiling and text[e] not in _SENTENCE_END:
        e += 1
    return s, e


def _quantities(text: str, start: int, end: int) -> list[tuple[re.Match[str], float]]:
    """Every count in [start, end), in Arabic or Chinese numerals, in text order, with its value."""
    found: list[tuple[re.Match[str], float]] = []
    for m in QUANTITY.finditer(text, start, end):
        if not _NOT_A_TARGET_AFTER.match(text, m.end()):
            found.append((m, float(m.group("num")) * _MULTIPLIERS.get(m.group("mult") or "", 1)))
        if len(found) > MAX_PER_TASK:
            break
    for m in CN_QUANTITY.finditer(text, start, end):
        value = cn_number(m.group("num").replace("两", "二"))
        if value:
            found.append((m, float(value)))
        if len(found) > 2 * MAX_PER_TASK:
            break
    found.sort(key=lambda f: f[0].start("num"))
    return found


def task_targets(pt: PlanText, start: int, end: int) -> list[Target]:
    """The numeric targets in the text between offsets ``start`` and ``end``."""
    text = pt.folded
    out: list[Target] = []
    for m, value in _quantities(text, start, end):
        if len(out) == MAX_PER_TASK:
            break
        s_start, s_end = _sentence(text, m.start("num"), start, end)
        clause = m.start()
        while clause > max(s_start, m.start() - 60) and not _CLAUSE_START.match(text, clause - 1):
            clause -= 1
        sentence = text[s_start:s_end]
        year: int | None = None
        period: tuple[int, int] | None = None
        deadline = _DEADLINE.search(sentence)
        if deadline:
            year = int(deadline.group(1) or deadline.group(2))
        elif _FIVE_YEAR.search(sentence):
            year, period = 2025, (2021, 2025)
        freq = _FREQUENCY.search(text, clause, m.end())
        if freq is None:
            freq = _FREQUENCY.search(sentence)
        quote_start = clause
        while quote_start < m.end() and text[quote_start] in " \t":
            quote_start += 1
        out.append(
            Target(
                value=round(value, 6),
                unit=m.group("unit"),
                comparator=comparator(text[clause : m.start("num")], m.group("post") or ""),  # type: ignore[arg-type]
                year=year,
                quote=pt.quote(quote_start, m.end()),
                span=Span(quote_start, m.end(), pt.line_of(quote_start)),
                period=period,
                frequency=freq.group(0) if freq else None,
            )
        )
    return out
