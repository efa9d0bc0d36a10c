"""Safeguard commitments: how the plan will be run, paid for, checked and made known.

The unit is one sentence (ending 。 ; ! ? outside brackets, or at the end of its line) of a
safeguards section (组织实施, 保障措施, 工作保障, 组织实施和保障条件, 工作要求 … :mod:`.sections`),
its timetable apart (those sentences are :mod:`.phases`). Headings are no commitment: a numbered
line's title (the text before its first 。: (一)加强组织领导。 — the rest of the line is sentences),
a short line with no stop, or a paragraph's short first sentence when more follows (保障经费投入。建立
健全…). Each commitment keeps the innermost heading it stands under.

**Bodies named.** A name opens where a clause opens (after a stop, a comma, 、, a space, or a word
that takes a body: 由, 把, 将, 对, 会同, 成立, 发挥, 指导, 鼓励 …) with a jurisdiction or a collective
(县, 区, 市, 乡镇, 各, 有关, 相关, 其他, 中共, 共青团) or is a leading group or office (…领导小组,
…办公室, …纲要办); it is the longest stretch that :func:`.responsibility.looks_like_agency` takes (or
that ends in 财政 before a verb: 区财政把科普经费…) and holds no word of a sentence (的, 将, 要, 纳入,
负责 …). Names joined by 、 和 及 go on the list (各镇政府、街道办事处); the list is split by
:func:`.responsibility.split_list`.

**Chair.** 以县长为组长, 组长由…担任, 由…任组长, 召集人由…担任, …担任召集人, 由…牵头的联席会议: who
chairs, as written.

Kinds are left empty here; ``resolve.safeguards`` fills them from data/registry/safeguards.toml.
"""

from __future__ import annotations

import re

from sciplan_kg.extract import responsibility as A
from sciplan_kg.extract.goals import marker_end, sentences
from sciplan_kg.extract.phases import read_phases
from sciplan_kg.extract.records import AgencyMention, Commitment, Phase, PlanRecord, Span
from sciplan_kg.extract.sections import Part, own_pieces
from sciplan_kg.extract.structure import heading_level
from sciplan_kg.extract.targets import task_targets
from sciplan_kg.read.text import PlanText

_OPENER = re.compile(r"(?:中共|共青团)?[县区市省州旗盟镇乡]|各|有关|相关|其他|其余|团[县区市]")
_GROUP_END = re.compile(r"(?:领导小组|办公室|纲要办|委员会|成员单位|责任单位)$")
_FINANCE = re.compile(r"^[县区市省州旗盟](?:级)?财政$")
_FINANCE_NOT_NEXT = re.compile(r"预算|资金|投入|支出|收入|经费|资|预|科|局|部门")
# a word of a sentence, never of a body's name
_STOP = re.compile(
    r"[,;。:!?、]|的|将|把|(?<!纲)要|在|对|是|为|并|向|按|从|会同|纳入|列入|加强|推进|发挥|开展|落实|统筹|经费|预算|考核|评估|"
    r"实施(?!工作办公室)|领导(?!小组)|工作(?!办公室|领导小组)|根据|通过|积极|认真|充分|全面|"
    r"承担|设在|开展|安排|建立|成立|召开|推动|制定|完善|确保|每|定期|设立|提供|做好|抓好|加大|强化|组成|担任|兼任|"
    r"组长|成员(?!单位)"
)
_CONNECTORS = (
    "由", "把", "将", "对", "向", "同", "与", "和", "及", "会同", "成立", "发挥", "指导", "鼓励", "支持",
    "督促", "要求", "推动", "争取", "组织", "协调", "的", "是", "为", "在", "承担",
)  # fmt: skip
_BOUNDARY = "。;:!?,、 \t()[]《》“”\"'"
_COLLECTIVE = re.compile(r"^(?:各|其他|其余|有关|相关|全体|所有)+")
# a verb that takes a body opens no name itself (指导各成员单位 names 各成员单位)
_VERB_FIRST = re.compile(r"由|把|将|对|向|会同|成立|发挥|指导|鼓励|支持|督促|要求|推动|争取|组织|协调")
_LIST_JOIN = re.compile(r"、|和|及|以及")
_MAX_NAME = 30
_CHAIR = (
    re.compile(r"以(?P<c>[^,;。]{2,24}?)为组长"),
    re.compile(r"组长由(?P<c>[^,;。]{2,24}?)(?:担任|兼任|任)"),
    re.compile(r"由(?P<c>[^,;。]{2,24}?)(?:担任|兼任|任)(?:组长|召集人|主任)"),
    re.compile(r"召集人(?:由|为)(?P<c>[^,;。]{2,24}?)(?:担任|兼任)?(?=[,;。]|$)"),
    re.compile(r"(?P<c>[^,;。由]{2,24}?)(?:担任|兼任|任)(?:组长|召集人)"),
    re.compile(r"由(?P<c>[^,;。]{2,24}?)(?:牵头|召集|主持)的[^,;。]{0,24}?(?:联席会议|领导小组|协调机制)"),
)
# every county, city or township, its kinds in brackets: 各县（市、区）, 各市（州）, 各乡（镇） — a body of
# its own (各县（市、区）、市直各部门要…)
_KINDS_COLLECTIVE = re.compile(rf"^各[省市州县区旗盟乡镇]{A.KIND_ALTERNATIVES.pattern}$")
_ENUM_HEAD = re.compile(r"[一二三四五六七八九十]是\s*[,:]?\s*")
_SHORT_HEADING = 12  # a paragraph's first sentence at most this long, with no comma, is its heading


def read_safeguards(pt: PlanText, rec: PlanRecord, parts: list[Part]) -> None:
    """Fill ``rec.phases`` (the schedule sections, and a timetable inside a safeguards section) and
    ``rec.commitments`` (the other sentences of the safeguards sections)."""
    for part in parts:
        if part.section.kind == "schedule":
            rec.phases.extend(read_phases(pt, part.rest, part.section.span.end))
    for part in parts:
        if part.section.kind != "safeguards":
            continue
        pieces = own_pieces(pt, part, parts)
        inside: list[Phase] = []
        for s, e in pieces:
            inside.extend(read_phases(pt, s, e))
        rec.phases.extend(inside)
        taken = [(p.span.start, p.span.end) for p in inside]
        _commitments(pt, rec, part, pieces, taken)
    rec.phases.sort(key=lambda p: p.span.start)
    rec.commitments.sort(key=lambda c: c.span.start)


def _commitments(
    pt: PlanText, rec: PlanRecord, part: Part, pieces: list[tuple[int, int]], taken: list[tuple[int, int]]
) -> None:
    text = pt.folded
    by_level: dict[int, str] = {}
    for s, e in pieces:
        if s != part.rest:  # (the section heading's own line: its title heads what follows)
            hl = heading_level(text[s:e])
            if hl:
                title_start = marker_end(pt, s, e)
                stop = text.find("。", title_start, e)
                title_end = e if stop < 0 else stop
                by_level = {lv: t for lv, t in by_level.items() if lv < hl[0]}
                by_level[hl[0]] = pt.quote(title_start, title_end).strip()
                s = e if stop < 0 else stop + 1
            elif e - s <= 15 and text[e - 1] not in "。;!?" and "," not in text[s:e]:
                by_level = {lv: t for lv, t in by_level.items() if lv < 9}
                by_level[9] = pt.quote(marker_end(pt, s, e), e).strip()  # an unnumbered heading
                continue
            else:
                s = marker_end(pt, s, e)
        found = sentences(text, s, e)
        for k, (a, b) in enumerate(found):
            if any(x < b and a < y for x, y in taken):
                continue
            title = _sentence_heading(pt, a, b) if k + 1 < len(found) else None
            if title is not None and (k == 0 or _ENUM_HEAD.match(text, a)):
                by_level[9] = title
                continue
            rec.commitments.append(
                Commitment(
                    kinds=[],
                    text=pt.quote(a, b).strip(),
                    span=Span(a, b, pt.line_of(a)),
                    heading=by_level[max(by_level)] if by_level else part.section.title,
                    mentions=bodies(pt, a, b),
                    chair=chair(pt, a, b),
                    targets=task_targets(pt, a, b),
                )
            )


def _sentence_heading(pt: PlanText, start: int, end: int) -> str | None:
    """A sentence that only heads what follows it (保障经费投入。 一是强化经费保障。): short, no comma,
    no body named; its title without the 一是 and the stop. None for a sentence that says something."""
    text = pt.folded
    enum = _ENUM_HEAD.match(text, start, end)
    a = enum.end() if enum else start
    b = end
    while b > a and text[b - 1] in "。;!?":
        b -= 1
    if not 2 <= b - a <= _SHORT_HEADING or "," in text[a:b] or bodies(pt, a, b):
        return None
    return pt.quote(a, b).strip()


def chair(pt: PlanText, start: int, end: int) -> str | None:
    """Who chairs the leading group or joint conference the sentence sets up, as written."""
    for pattern in _CHAIR:
        m = pattern.search(pt.folded, start, end)
        if m:
            return pt.quote(m.start("c"), m.end("c")).strip()
    return None


def _inside_kinds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The insides of brackets listing a jurisdiction's kinds (县（市、区）): no name opens or ends
    there (区）人民政府 is no body)."""
    return [(m.start() + 1, m.end()) for m in A.KIND_ALTERNATIVES.finditer(text, start, end)]


def _starts(text: str, start: int, end: int) -> list[int]:
    """Where a body's name may open in [start, end)."""
    out = []
    inside = _inside_kinds(text, start, end)
    for p in range(start, end):
        if any(a <= p < b for a, b in inside):
            continue
        if p == start or text[p - 1] in _BOUNDARY or any(text.endswith(c, start, p) for c in _CONNECTORS):
            out.append(p)
    return out


def _is_body(name: str) -> bool:
    """A body's name: recognisably one (:func:`.responsibility.looks_like_agency`), still so without
    its collective words (有关具体问题, 相关规定 are not: 具体问题, 规定 name no body), or a
    jurisdiction's finance (区财政)."""
    if _FINANCE.match(name) or _KINDS_COLLECTIVE.match(name):
        return True
    if not A.looks_like_agency(name):
        return False
    bare = _COLLECTIVE.sub("", name)
    return bare == name or A.looks_like_agency(bare) or bare in ("单位", "部门")


def _name_end(text: str, p: int, end: int, *, listed: bool) -> int | None:
    """The end of the longest body name opening at ``p`` (None when none does)."""
    if _VERB_FIRST.match(text, p):
        return None
    opener = _OPENER.match(text, p)
    # kinds under one 各 sharing the body after them are one name (各市（州）、县（市、区）人民政府), and
    # the 、 in 县（市、区） lists kinds: neither stops the name
    shared = A.JURISDICTIONS.match(text, p, end)
    first = shared.end() if shared else p + 2
    inside = _inside_kinds(text, p, min(len(text), p + _MAX_NAME + 8))
    stop = next(
        (
            m
            for m in _STOP.finditer(text, shared.end() if shared else p, min(len(text), p + _MAX_NAME + 8))
            if not any(a <= m.start() < b for a, b in inside)
        ),
        None,
    )
    limit = min(end, p + _MAX_NAME, stop.start() if stop else end)
    best = None
    for q in range(first, limit + 1):
        if any(a < q < b for a, b in inside):
            continue
        name = text[p:q]
        if not (opener or listed or _GROUP_END.search(name)):
            continue
        if _is_body(name) and (not _FINANCE.match(name) or not _FINANCE_NOT_NEXT.match(text, q)):
            if q < end and text[q] == "(":
                close = text.find(")", q, min(end, q + 12))
                if close > 0 and A.looks_like_agency(text[p : close + 1]):
                    q = close + 1
            best = q
    return best


def bodies(pt: PlanText, start: int, end: int) -> list[AgencyMention]:
    """The government bodies a sentence names, in order (see the module's description)."""
    text = pt.folded
    out: list[AgencyMention] = []
    after = start
    for p in _starts(text, start, end):
        if p < after:
            continue
        q = _name_end(text, p, end, listed=False)
        if q is None:
            continue
        last = q
        while True:
            join = _LIST_JOIN.match(text, last, end)
            if not join:
                break
            nxt = _name_end(text, join.end(), end, listed=True)
            if nxt is None:
                break
            last = nxt
        while last < end and text[last] == "等":
            last += 1
        # judged on the folded text, as found: 各乡（镇） is written with full-width brackets
        out.extend(m for m in A.split_list(pt, p, last)[0] if _is_body(text[m.span.start : m.span.end]))
        after = last
    return out
