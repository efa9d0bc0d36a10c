"""Who is responsible: lead (牵头) and support (责任/配合) statements and their name lists.

The genre writes responsibility in three grammars, anywhere a measure or a task may carry it:

* **labelled**: ``牵头部门：A、B`` / ``责任单位：…`` / ``配合部门：…`` (also 牵头单位, 主责单位, 配合单位,
  参与单位, 协办单位, 协助单位, 参加单位, 牵头部门（单位）; before a colon the verb alone, ``牵头：A；配合：B``;
  in brackets of their own, ``【牵头单位】A　【配合单位】B``), on a line of its own, several in one bracket
  (``（牵头部门：区教委；责任部门：…）``), in （）〔〕【】 at the end of a task or a measure's paragraph,
  or as a sentence closing the paragraph (``……活动。牵头单位：县科协。``);
* **sentence**: ``A、B牵头，C、D配合`` (or 参与, 参加, 协助, 协同, 协办, 落实, 指导, 按职责分工负责),
  ``由A牵头，B参加``, ``A为牵头单位，B为责任单位``, ``工作分工：A、B牵头，其他成员单位参与。``, ``（A、B负责）`` — plain
  负责 names who is responsible without a split, read as lead;
* **duty list**: ``〔A、B按职责分工负责〕`` (all share the work: supports; the lead is the measure's), and
  ``〔A、B，C、D按职责分工负责〕`` where the group set off by the first comma leads the task (万年);
  a bare list of bodies in brackets at a task's end (``（各成员单位）``) names who is responsible: lead.

A lead may be marked inside a list (``责任单位：A（牵头）、B``: A leads, B supports), and a plan may
state once that the first body of each 责任单位 list leads (``责任单位列第一位的为牵头单位``:
:func:`first_listed_leads`). A dash opening the line (``——A牵头，B配合``) and a short-name note
(``A（以下简称A'）``) are no part of a name.

Each statement becomes an :class:`Assignment` whose mentions keep the order of the list (the first
named is the first lead) and whose ``open`` flag says the list ended in 等 (…等部门). A sentence or
bracket is read as responsibility only when every name in it looks like a body (ends in 局, 委, 办,
中心, 单位, … or is a collective such as 各乡镇): ``（2021—2025年）`` or ``（含街道）`` are text, never an
agency, and a role word (牵头, 负责, 配合) never ends up inside a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sciplan_kg.extract.records import AgencyMention, Assignment, Role, Span
from sciplan_kg.read.text import KEYS_KEPT, PlanText

# -- vocabulary -------------------------------------------------------------------------------

# 牵头部门, 牵头单位, 牵头部门（单位）; 责任单位, 配合部门（单位）…
_LEAD_WORD = r"(?:牵头|主责|主办)(?:部门|单位)(?:\((?:部门|单位)\))?"
_SUPPORT_WORD = r"(?:责任|配合|协同|参与|协办|协助|参加|支持|相关)(?:部门|单位)(?:\((?:部门|单位)\))?"
# … and, before a colon, the verb alone: 牵头：县教体局；配合：县科协、团县委
LEAD_LABEL = rf"{_LEAD_WORD}|牵头"
SUPPORT_LABEL = rf"{_SUPPORT_WORD}|配合|参与|协助|协同|协办|参加"
# a label: with its colon (牵头部门:  责任单位 :  配合:) or in brackets of its own ([牵头单位] from
# 【牵头单位】区农业农村委　【配合单位】区科协); the label is group 1 or 2 (``label_of``)
LABEL = re.compile(rf"(?:\[\s*({_LEAD_WORD}|{_SUPPORT_WORD})\s*\]|({LEAD_LABEL}|{SUPPORT_LABEL})\s*:)\s*")


def label_of(m: re.Match[str]) -> str:
    """The label a ``LABEL`` match holds."""
    return m.group(1) or m.group(2)


# a line (or bracket) introducing a sentence-form statement: 工作分工:A、B牵头,…
_DIVISION_CUE = re.compile(r"^(?:工作分工|责任分工|职责分工|任务分工|分工|责任主体|责任单位及分工)\s*:\s*")
# verbs closing a group of names, longest first; the role each gives
_VERBS: tuple[tuple[str, str], ...] = (
    ("牵头负责", "lead"),
    ("牵头抓总", "lead"),
    ("牵头落实", "lead"),
    ("牵头实施", "lead"),
    ("牵头组织", "lead"),
    ("牵头", "lead"),
    ("按照职责分工负责", "duty"),
    ("按职责分工抓好落实", "duty"),
    ("按职责分工负责", "duty"),
    ("按职责分工落实", "duty"),
    ("按职责分工", "duty"),
    ("按职责负责", "duty"),
    ("分工负责", "duty"),
    ("各负其责", "duty"),
    ("共同负责", "responsible"),
    ("具体负责", "responsible"),
    ("负责", "responsible"),
    ("配合", "support"),
    ("参与", "support"),
    ("参加", "support"),
    ("协助", "support"),
    ("协同", "support"),
    ("协办", "support"),
    ("抓好落实", "support"),
    ("组织落实", "support"),
    ("具体落实", "support"),
    ("落实", "support"),  # （…牵头，…配合，各乡镇（街道）落实）: who carries it out
    ("指导", "support"),  # 由各乡镇（街道）负责，县科协指导
)
_VERB = re.compile(
    r"(?P<verb>" + "|".join(re.escape(v) for v, _ in _VERBS) + r")(?P<carry>实施|落实|推进|完成|执行|组织实施)?$"
)
_ROLE_OF_VERB = dict(_VERBS)
# A clause that only says when (2023年底前完成, 长期坚持, 持续推进, 2022—2025年, 每年, 完成时限：2024年底)
# is no name and no role: a bracket such as （县农业农村局负责，2025年底前完成） is read without it.
_WHEN = (
    r"(?:\d{4}年?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:[—~至到]+\d{4}年?(?:\d{1,2}月)?)?|\d{1,2}月(?:\d{1,2}日)?|"
    r"“?十四五”?|今年|明年|年底|年内|每年|每季度|"
    r"每半年|每月|长期|持续|常态化|逐年)"
)
_TIME_CLAUSE = re.compile(
    rf"^(?:完成时限|完成时间|时限)?\s*:?\s*(?:{_WHEN}(?:底|末|年底|年末|上半年|下半年|期间|内|起)?(?:前|以前|之前)?)+"
    r"(?:全面|基本)?(?:完成|落实|实施|推进|坚持|开展|组织实施|启动)*$"
)
# A jurisdiction's kind, with the kinds it stands for in brackets: 县（市、区）, 市（州）, 乡（镇）. The
# brackets' 、 lists kinds of one name, never names
_KIND = r"(?:[省市州县区旗盟乡镇]|街道|乡镇)"
KIND_ALTERNATIVES = re.compile(rf"\({_KIND}(?:、{_KIND})*\)")
JURISDICTION_KIND = rf"[省市州县区旗盟乡镇](?:{KIND_ALTERNATIVES.pattern})?"
# … and kinds listed under one 各 sharing the body named after them: 各市（州）、县（市、区）人民政府 is the
# governments of every city and county, one collective, not 各市（州） and 县（市、区）人民政府
_SHARED_BODY = r"(?:人民政府|政府|党委|科协|妇联|团委|总工会|[\u4e00-\u9fff]{1,8}(?:局|委员会))"
JURISDICTIONS = re.compile(rf"各{JURISDICTION_KIND}(?:、{JURISDICTION_KIND})+(?={_SHARED_BODY})")
# A为牵头单位 / A为责任单位
_AS_LABEL = re.compile(rf"^(?P<names>.+?)为(?P<label>{LEAD_LABEL}|{SUPPORT_LABEL})$")
_SEPARATORS = "、,/"  # between names of one list; ';' and '。' end a list
_TRAILING = re.compile(r"(?:等(?:[\u4e00-\u9fff]{0,4}(?:部门|单位))?|等)$")
_TRAILING_DUTY = re.compile(r"按职责分工(?:负责)?$")
_AGENCY_END = re.compile(
    r"(?:局|委|办|部|会|院|站|所|中心|政府|街道|乡镇|镇|乡|单位|部门|协|联|社|馆|厅|室|处|队|司|行|署|台|"
    r"公司|集团|学校|学院|大学|医院|园区|管委会|团委|团|组|中队|支队|大队|分局|党校|基地|机构|平台|"
    r"科协|妇联|工会|残联|侨联|文联|总工会|人大|政协|法院|检察院|共青团|团县委|团区委|团市委)$"
)
_COLLECTIVE = re.compile(r"^(?:各|其他|其余|有关|相关|全体|所有)")
# a bare list in brackets, with no verb to say it is a statement, must name bodies beyond doubt:
# a jurisdiction or collective in front, or a body's word at the end
_CLEAR_START = re.compile(r"^(?:县|区|市|省|州|旗|盟|镇|乡|团|共青团|中共|各|其他|有关|相关)")
_CLEAR_END = re.compile(
    r"(?:局|委|办|中心|政府|单位|部门|科协|妇联|工会|残联|侨联|文联|管委会|公司|集团|医院|学校|党校)$"
)
_NOT_A_NAME = re.compile(r"\d|年|月|日|[。!?:]|以上|以下|左右|%")
ROLE_WORDS = ("牵头", "负责", "配合", "协助", "按职责", "分工")  # never part of a name
# a note naming what the text calls a body from then on, after its name
_SHORT_NAME_NOTE = re.compile(r"\s*\((?:以下简称|以下称|下称|简称)[^()]{1,20}\)$")
# a lead marked inside a list of names: 责任单位：区科协（牵头）、区委宣传部 (重庆's districts write it so)
_LEAD_MARK = re.compile(r"\s*[(\[]\s*(?:牵头|牵头单位|牵头部门|主责|主责单位)\s*[)\]]")


def role_of(label: str) -> Role:
    return "lead" if label.startswith(("牵头", "主责", "主办")) else "support"


@lru_cache(maxsize=KEYS_KEPT)
def plausible_name(name: str) -> bool:
    """A piece of a list that can be a name at all: 2–40 characters, no digits or dates, no
    sentence punctuation, no role word (a name never contains 牵头 or 负责)."""
    name = re.sub(r"\s+", "", name)
    if not 2 <= len(name) <= 40 or _NOT_A_NAME.search(name):
        return False
    return not any(word in name for word in ROLE_WORDS)


@lru_cache(maxsize=KEYS_KEPT)
def looks_like_agency(name: str) -> bool:
    """A written name that is recognisably a body: ends in a body's word (局, 委, 中心, 单位, …)
    or a bracket after one (县委组织部（老干部局）), or is a collective (各乡镇, 其他成员单位). Used to
    tell a bracket of bodies from a bracket of text."""
    if not plausible_name(name):
        return False
    name = re.sub(r"\s+", "", name)
    bare = re.sub(r"\([^()]*\)$", "", name)
    if not bare:
        return False
    return bool(_AGENCY_END.search(bare) or (_COLLECTIVE.match(bare) and len(bare) <= 20))


# -- names ------------------------------------------------------------------------------------


def split_names(pt: PlanText, start: int, end: int) -> list[AgencyMention]:
    """The names of an agency list (see :func:`split_list`)."""
    return split_list(pt, start, end)[0]


def split_list(pt: PlanText, start: int, end: int) -> tuple[list[AgencyMention], bool]:
    """Split an agency list at 、 , / outside brackets; trim a trailing 等(部门) (the list is then
    open) or 按职责分工负责; keep each name's span. Returns the mentions and whether the list was open.
    Kinds of jurisdiction under one 各 sharing the body after them (各市（州）、县（市、区）人民政府) are
    one name."""
    text = pt.folded
    out: list[AgencyMention] = []
    open_list = False
    depth = 0
    piece_start = start
    hold = start  # no split before this offset (inside 各市（州）、县（市、区）…)
    for i in range(start, end + 1):
        ch = text[i] if i < end else ","
        if i == piece_start:
            lead_in = i
            while lead_in < end and text[lead_in] in " \t—":
                lead_in += 1
            shared = JURISDICTIONS.match(text, lead_in, end)
            if shared:
                hold = shared.end()
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if (ch in _SEPARATORS and depth == 0 and i >= hold) or i == end:
            s, e = piece_start, i
            while s < e and text[s] in " \t—":  # a dash opening the line (——县民政局牵头) is no part of a name
                s += 1
            while e > s and text[e - 1] in " \t。.;":
                e -= 1
            duty = _TRAILING_DUTY.search(text, s, e)
            if duty and duty.start() > s:
                e = duty.start()
            trimmed = _TRAILING.search(text, s, e)
            if trimmed and trimmed.start() > s:
                e = trimmed.start()
                open_list = True
            mark = _LEAD_MARK.search(text, s, e)
            if mark and mark.start() > s and mark.end() == e:
                e = mark.start()  # the name without its marker; ``by_marker`` reads it
            note = _SHORT_NAME_NOTE.search(text, s, e)
            if note and note.start() > s:
                e = note.start()  # 州科学技术协会（以下简称州科协）: the name, not the note
            for ps, pe in _conjoined(text, s, e):
                out.append(AgencyMention(written=pt.quote(ps, pe), span=Span(ps, pe, pt.line_of(ps))))
            piece_start = i + 1
    return out, open_list


_AND = re.compile(r"以及|和|及|与")


def _conjoined(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A piece of a list that joins bodies with 和 / 及 / 与 (县科协和县教体局) is split there when every
    part is recognisably a body; a name holding the word (县民族与宗教事务局) stays whole."""
    if e <= s:
        return []
    cuts = [m for m in _AND.finditer(text, s, e) if m.start() > s and m.end() < e]
    if not cuts:
        return [(s, e)]
    parts: list[tuple[int, int]] = []
    at = s
    for m in cuts:
        parts.append((at, m.start()))
        at = m.end()
    parts.append((at, e))
    if all(_clear_body(text[a:b]) for a, b in parts):
        return parts
    return [(s, e)]


def _assignments(pt: PlanText, role: Role, start: int, end: int, names: tuple[int, int]) -> list[Assignment]:
    """The statement [start, end) naming ``names``: one assignment of ``role``, or two where names
    in it are marked as leads (区科协（牵头）): those lead, the others keep ``role``."""
    mentions, open_list = split_list(pt, *names)
    span = Span(start, end, pt.line_of(start))
    marked, rest = by_marker(pt, mentions)
    if not marked or role == "lead":
        return [Assignment(role=role, span=span, mentions=mentions, open=open_list)]
    return [Assignment("lead", span, marked), *([Assignment(role, span, rest, open_list)] if rest else [])]


def by_marker(pt: PlanText, mentions: list[AgencyMention]) -> tuple[list[AgencyMention], list[AgencyMention]]:
    """The mentions a lead marker follows (区科协（牵头）), and the others, each in list order."""
    marked = [m for m in mentions if _LEAD_MARK.match(pt.folded, m.span.end)]
    return marked, [m for m in mentions if m not in marked]


# -- labelled ---------------------------------------------------------------------------------


def _list_end(text: str, start: int, end: int) -> int:
    """Where a labelled list ends: at ';' or '。', the next label, or an unbalanced closing bracket."""
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if depth == 0 and i > start and LABEL.match(text, i):
            return i  # the next label ([配合单位] too, before its bracket counts as one)
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return i
            depth -= 1
        elif ch in ";。" and depth == 0:
            return i
        i += 1
    return end


def labelled(pt: PlanText, start: int, end: int) -> list[Assignment]:
    """Every statement in [start, end) of the folded text: 'label: list' pairs, or, where no label
    is written, the sentence grammar (A、B牵头，C配合)."""
    text = pt.folded
    out: list[Assignment] = []
    for m in LABEL.finditer(text, start, end):
        if m.start() > start and text[m.start() - 1] not in " \t([;,。:、":
            continue  # 牵头 inside a name or a sentence (县科协牵头:), not a label
        list_end = _list_end(text, m.end(), end)
        role = role_of(label_of(m))
        mentions = split_names(pt, m.end(), list_end)
        read = None
        if not all(plausible_name(x.written) and not _is_time(x.written) for x in mentions):
            # a list that holds a sentence: 责任单位：县教育局、团县委、县科协，县教育局为牵头单位 /
            # 责任单位：县科协牵头，县教育局配合 / 责任单位：县卫生健康局，2023年底前完成（长期坚持）. The sentence
            # grammar reads it; names it gives no role keep the label's. The statement is the label's.
            read = sentence(pt, m.end(), list_end, bare_is_lead=False, bare_role=role)
            for a in read or []:
                a.span = Span(m.start(), list_end, pt.line_of(m.start()))
        out.extend(read or _assignments(pt, role, m.start(), list_end, (m.end(), list_end)))
    if out:
        return out
    return sentence(pt, start, end, bare_is_lead=False) or []


# -- sentences --------------------------------------------------------------------------------


@dataclass
class _Segment:
    start: int
    end: int
    names: tuple[int, int]
    kind: str  # lead, support, duty, responsible, carry (负责落实: who carries it out), bare


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pieces of [start, end) between depth-0 ',' ';' '。' (a sentence's clauses)."""
    out: list[tuple[int, int]] = []
    depth = 0
    piece = start
    for i in range(start, end + 1):
        ch = text[i] if i < end else ";"
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in ",;。" and depth == 0:
            s, e = piece, i
            while s < e and text[s] in " \t":
                s += 1
            while e > s and text[e - 1] in " \t":
                e -= 1
            if e > s:
                out.append((s, e))
            piece = i + 1
    return out


def _names_ok(pt: PlanText, start: int, end: int, *, verb: bool) -> bool:
    """Whether [start, end) is a list of bodies. Before a role verb (牵头, 配合, 按职责分工负责) the
    verb is evidence enough when at least half the names are recognisably bodies (县高新区,
    县现代农业产业园 end in words text uses too); a bare list must be bodies throughout."""
    mentions = split_names(pt, start, end)
    if not mentions or not all(plausible_name(m.written) for m in mentions):
        return False
    if not verb:
        return all(_clear_body(m.written) for m in mentions)
    bodies = sum(looks_like_agency(m.written) for m in mentions)
    return bodies * 2 >= len(mentions)


def _clear_body(name: str) -> bool:
    bare = re.sub(r"\([^()]*\)$", "", re.sub(r"\s+", "", name))
    return looks_like_agency(name) and bool(_CLEAR_START.match(bare) or _CLEAR_END.search(bare))


def _segment(pt: PlanText, s: int, e: int, *, labelled: bool = False) -> _Segment | None:
    """One clause read as a group of names and the role its verb gives; names without a verb are
    ``bare`` (a labelled list's are held to the verb's standard: the label says they are bodies)."""
    text = pt.folded
    if text.startswith("由", s):
        s += 1
    cue = _DIVISION_CUE.match(text[s:e])
    if cue:
        s += cue.end()
    clause = text[s:e]
    as_label = _AS_LABEL.match(clause)
    if as_label:
        names = (s, s + as_label.end("names"))
        if _names_ok(pt, *names, verb=True):
            return _Segment(s, e, names, role_of(as_label.group("label")))
        return None
    verb = _VERB.search(clause)
    if verb:
        names = (s, s + verb.start())
        if names[1] > names[0] and _names_ok(pt, *names, verb=True):
            kind = _ROLE_OF_VERB[verb.group("verb")]
            if kind == "responsible" and verb.group("carry"):
                kind = "carry"  # 各乡镇人民政府负责落实 / 负责组织实施
            return _Segment(s, e, names, kind)
        return None
    if _names_ok(pt, s, e, verb=labelled):
        return _Segment(s, e, (s, e), "bare")
    return None


def _is_time(text: str) -> bool:
    """A clause saying only when: 2023年底前完成, 长期坚持, 2022—2025年, 每年."""
    return bool(_TIME_CLAUSE.match(re.sub(r"\s+", "", text)))


def sentence(
    pt: PlanText, start: int, end: int, *, bare_is_lead: bool, bare_role: Role | None = None
) -> list[Assignment] | None:
    """[start, end) read as a responsibility sentence, or None when any clause of it is not one.

    Roles: 牵头 → lead; 配合/参与/参加/协助/协同/协办 → support; plain 负责 → lead; 按职责分工负责 →
    support. A clause of names with no verb (set off by a comma: ``A牵头，B、C，各乡镇按职责分工负责``)
    supports where another clause names the lead; where none does, it leads before a duty clause
    (万年's 〔A、B，C按职责分工负责〕), in a bracket at a task's end (``bare_is_lead``: （各成员单位）)
    or after a division cue (工作分工：…). In a labelled list it keeps the label's role
    (``bare_role``: 责任单位：A、B，A为牵头单位 — A leads, B supports). ``负责落实``/``负责组织实施``
    beside an explicit 牵头 names who carries the work out: support (without one it leads, as 负责).
    A clause saying only when (2023年底前完成, 长期坚持) is passed over; a body named as lead is not
    also among the same statement's supports."""
    text = pt.folded
    if end - start > ANNOTATION_REACH:
        return None  # a statement is a clause or two, never a page
    cue = _DIVISION_CUE.match(text[start:end])
    labelled_cue = bool(cue)
    segments: list[_Segment] = []
    for s, e in _segments(text, start, end):
        if _is_time(text[s:e]):
            continue
        seg = _segment(pt, s, e, labelled=bare_role is not None)
        if seg is None:
            return None
        segments.append(seg)
    if not segments:
        return None
    kinds = [seg.kind for seg in segments]
    if all(k == "bare" for k in kinds) and not (bare_is_lead or labelled_cue or bare_role):
        return None
    has_duty = "duty" in kinds
    named_lead = "lead" in kinds  # 牵头 / 为牵头单位
    has_lead = named_lead or "responsible" in kinds or "carry" in kinds
    out: list[Assignment] = []
    for seg in segments:
        role: Role
        if seg.kind == "bare":
            if bare_role is not None:
                role = bare_role
            elif has_lead:
                role = "support"
            else:
                role = "lead" if has_duty or bare_is_lead or labelled_cue else "support"
        elif seg.kind in ("lead", "responsible") or (seg.kind == "carry" and not named_lead):
            role = "lead"
        else:
            role = "support"
        out.extend(_assignments(pt, role, seg.start, seg.end, seg.names))
    return _leads_not_supports(out)


def _leads_not_supports(assignments: list[Assignment]) -> list[Assignment]:
    """A statement that names its lead again (县教育局、团县委、县科协，县教育局为牵头单位): the lead
    is not also one of its supports."""
    leads = {m.written for a in assignments if a.role == "lead" for m in a.mentions}
    out: list[Assignment] = []
    for a in assignments:
        if a.role != "lead":
            kept = [m for m in a.mentions if m.written not in leads]
            if not kept:
                continue
            a = Assignment(a.role, a.span, kept, a.open)
        out.append(a)
    return out


# -- inside a paragraph -----------------------------------------------------------------------

ANNOTATION_REACH = 600  # an annotation bracket closes within this many characters, or is cut there


def _at_clause_end(text: str, at: int, end: int) -> bool:
    """Only closing punctuation, space or another bracket between ``at`` and the end of the clause."""
    i = at
    while i < end and text[i] in " \t。.;,":
        if text[i] in "。.;":
            return True
        i += 1
    return i >= end or text[i] in "(["


def _bracket_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The outermost bracket pairs in [start, end) that close within ANNOTATION_REACH, in order:
    one pass with a stack, so a line of unclosed brackets costs linear time."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack:
            open_at = stack.pop()
            if not stack and i - open_at <= ANNOTATION_REACH:
                pairs.append((open_at, i))
        if len(stack) > 64:  # brackets that never close: forget the oldest
            del stack[:32]
    # a labelled statement whose bracket the text never closes (a typo) runs to the paragraph's end
    if stack and LABEL.match(text, stack[0] + 1) and end - stack[0] <= ANNOTATION_REACH:
        pairs.append((stack[0], end))
    return pairs


def _text_end(text: str, start: int, end: int) -> int:
    """Where the paragraph's own words end: the offset after its last character outside brackets
    that is not closing punctuation or space (brackets after it are all that follows)."""
    depth = 0
    for i in range(end - 1, start - 1, -1):
        ch = text[i]
        if ch in ")]":
            depth += 1
        elif ch in "([":
            depth = max(0, depth - 1)
        elif depth == 0 and ch not in " \t。.;,":
            return i + 1
    return start


def inline(pt: PlanText, start: int, end: int) -> tuple[list[Assignment], int]:
    """Responsibility statements inside a paragraph [start, end): labelled brackets anywhere, other
    brackets at the end of a sentence, and a closing sentence of the paragraph that is a statement
    (……活动。县科协牵头，县教体局配合。), or its only sentence (the rest of a heading's line:
    （一）青少年科学素质提升行动。由市教育局牵头，市科协配合。). Returns them and where the paragraph's
    own text ends: before the statements closing it. A bracket followed by more of the paragraph's
    words is no end (1.开展职业技能培训（旗人社局牵头）。面向企业职工开展培训，每年培训1000人次以上。:
    the bracket is read, the text goes on to the targets after it)."""
    text = pt.folded
    found: list[Assignment] = []
    cut = end
    words_end = _text_end(text, start, end)
    for open_at, close in _bracket_pairs(text, start, end):
        inner_start, inner_end = open_at + 1, close
        read: list[Assignment] | None = None
        if LABEL.match(text, inner_start) or (
            LABEL.search(text, inner_start, inner_end) and _DIVISION_CUE.match(text[inner_start:inner_end]) is None
        ):
            read = labelled(pt, inner_start, inner_end)
        elif _at_clause_end(text, close + 1, end):
            # a bare list of bodies is a statement only where the paragraph ends (（各成员单位）); inside
            # the text it is an example or an apposition (依托科普教育基地（县科技馆）。开展…)
            read = sentence(pt, inner_start, inner_end, bare_is_lead=open_at >= words_end)
        if read:
            found.extend(read)
            if open_at >= words_end:
                cut = min(cut, open_at)  # only closing brackets and punctuation follow it
    # a closing sentence that is a statement, not bracketed; the paragraph's only sentence when no
    # bracket was read (before a bracket read at its end stand the paragraph's own words, or a list
    # the bracket belongs to: 责任单位：…、区委党校（区行政学院）)
    last = _last_sentence(text, start, cut, whole=not found)
    if last is not None and _ROLE_HINT.search(text, last[0], last[1]):
        s, e = last
        read = labelled(pt, s, e) if LABEL.match(text, s) else sentence(pt, s, e, bare_is_lead=False)
        if read:
            found.extend(read)
            cut = min(cut, s)
    found.sort(key=lambda a: a.span.start)
    return found, cut


def _last_sentence(text: str, start: int, end: int, *, whole: bool) -> tuple[int, int] | None:
    """The paragraph's last sentence: [after the previous 。, end); when it is one sentence, the
    whole paragraph if ``whole`` (由市教育局、市科协牵头，市委宣传部配合。 after a measure's title on its
    line), else None."""
    e = end
    while e > start and text[e - 1] in " \t。;":
        e -= 1
    at = text.rfind("。", start, e)
    if at <= start and not whole:
        return None
    s = max(start, at + 1)
    while s < e and text[s] in " \t":
        s += 1
    return (s, e) if e > s else None


# a word every statement holds, a verb of :data:`_VERBS` or a label: a line or sentence without one is
# no statement (asked before the grammar: most lines and most paragraphs' last sentences are a task's)
_ROLE_HINT = re.compile(r"牵头|主责|主办|负责|配合|协同|参与|参加|协助|协办|落实|指导|分工|各负其责|单位|部门")


def is_annotation_line(text: str) -> bool:
    """A line that is a responsibility statement and nothing else (folded, stripped text):
    牵头部门:…  (牵头部门:…;责任部门:…)  [牵头单位:…]  县教体局、县科协牵头,各有关单位按职责分工负责。
    工作分工:A、B牵头,其他成员单位参与。"""
    if not _ROLE_HINT.search(text):
        return False  # most lines: no word any statement needs (a quick test before the grammar)
    body = text
    if body[:1] in "([" and body.rstrip("。")[-1:] in ")]":
        body = body[1:].rstrip("。")[:-1]
    if LABEL.match(body) or LABEL.match(text):
        return True
    return _statement_text(body)


def _statement_text(text: str) -> bool:
    """Whether a whole line's text parses as a sentence-form statement (no offsets needed)."""
    pt = _LinePlan(text)
    return bool(sentence(pt, 0, len(text), bare_is_lead=False))  # type: ignore[arg-type]


class _LinePlan:
    """Just enough of a PlanText over one line's folded text for :func:`sentence`."""

    def __init__(self, text: str) -> None:
        self.folded = text
        self.text = text

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end]

    def line_of(self, offset: int) -> int:
        return 1


# -- a plan's own rule ---------------------------------------------------------------------------

# 各项任务中，责任单位列第一位的为牵头单位，其他为配合单位 / 排在第一位的为牵头单位 / 排名第一的单位牵头
FIRST_LISTED_LEADS = re.compile(
    r"(?:列|排|排名|名列)(?:在)?(?:第一|首)(?:位|个)?的?(?:单位|部门)?(?:为|是|作为)?(?:牵头单位|牵头部门|牵头)"
)


def first_listed_leads(pt: PlanText, holders: list[list[Assignment]]) -> None:
    """Where the plan states that the first body a 责任单位 list names leads (重庆's districts:
    各项任务中，责任单位列第一位的为牵头单位，其他为配合单位), each holder's assignments (a measure's,
    a task's) that state no lead get the first body of their first 责任单位 list (or unlabelled
    list) as its lead, the others staying its support."""
    if not FIRST_LISTED_LEADS.search(pt.folded):
        return
    for assignments in holders:
        if any(a.role == "lead" for a in assignments):
            continue
        for i, a in enumerate(assignments):
            label = LABEL.match(pt.folded, a.span.start)
            if label is not None and not label_of(label).startswith("责任"):
                continue  # 配合单位: the rule names the 责任单位 list's first
            if a.role == "support" and a.mentions:
                first, *rest = a.mentions
                lead = Assignment("lead", a.span, [first])
                assignments[i : i + 1] = [lead, *([Assignment("support", a.span, rest, a.open)] if rest else [])]
                break
