"""A plan's text rewritten in the other forms the genre prints the same plan in.

Each rewrite is a function ``str -> str`` over a whole plan text: it writes one thing the way
another office, word processor or publishing site writes it and leaves everything else as it
is, so the rewritten plan says exactly what the original says. The metamorphic suite
(``test_metamorphic.py``) extracts both and expects the same records.

A rewrite applies only where its form is valid: task numbering is rewritten on the lines that
number tasks (not on measure headings numbered the same way, nor on the numbered paragraphs of
the safeguards); a number is glued to the date only in a plan that prints a number line. Where
nothing is valid to rewrite, the text comes back unchanged (the suite skips that cell).

The rewrites read the genre themselves (a few patterns below) and never call the extractor they
test. Where a docstring names offices, they are the bundled plans (``data/plans/``) or public
pages seen printing that form; where no office was seen, the docstring says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

Rewrite = Callable[[str], str]

# --- the genre, as the rewrites read it -------------------------------------------------------

_CN = "〇零一二三四五六七八九十百千"
_L1 = re.compile(rf"^[{_CN}]+\s*[、.．]")  # 一、
_L2 = re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")  # （一）
_L3 = re.compile(r"^(\d+)\s*(?:[.．](?!\d)|、)")  # 1.  1．  1、
_LEVELS = (_L1, _L2, _L3)
_TITLE_END = re.compile(r"[。.！!]")
_MEASURE = re.compile(r"(?:提升行动|素质行动|工程)$")
_GROUP = re.compile(rf"^(?:实施|聚焦)?[{_CN}0-9]*[大项个]?(?:提升行动|重点工程|行动|工程)$")  # 五大提升行动
_BODY_END = re.compile(r"^(?:附\s*件\s*[:：\d]|抄\s*送\s*[:：])")
_BULLET = "——"  # the bundled plans' task bullet: two EM DASHes

_LEAD = r"牵头(?:部门|单位)"
_SUPPORT = r"(?:责任|配合|协同|参与|协办)(?:部门|单位)"
_LABEL = re.compile(rf"({_LEAD}|{_SUPPORT})\s*[:：]\s*")
_OPEN, _CLOSE = "（(〔【[", "）)〕】]"
# a whole line that is an annotation: 牵头部门：…  （牵头部门：…；责任部门：…）  〔牵头单位：…〕
_ANNOTATION_LINE = re.compile(rf"^[{re.escape(_OPEN)}]?\s*(?:{_LEAD}|{_SUPPORT})\s*[:：]")
# an annotation bracket closing a paragraph: …的习惯。〔牵头部门：县教体局、县科协〕
_INLINE = re.compile(
    rf"[{re.escape(_OPEN)}]\s*(?=(?:{_LEAD}|{_SUPPORT})\s*[:：])"
    r"((?:[^（）()〔〕【】\[\]]|[（(][^（）()]{0,40}[）)])+)"
    rf"[{re.escape(_CLOSE)}]\s*$"
)

_DOC_NO = re.compile(r"[\u4e00-\u9fff]{1,14}?\s*[〔\[（(【]\s*(?:19|20)\d{2}\s*[〕\]）)】]\s*\d{1,4}\s*号")
_DOC_NO_BRACKETS = re.compile(r"〔\s*((?:19|20)\d{2})\s*〕\s*(\d{1,4})\s*号")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_META_LINE = re.compile(r"^- (?:\[\s*(.+?)\s*\]|(.*))$")  # a portal's block: "- [ 发文字号 ]" then "- value"
_HEAD_LINES = 40  # the header never runs longer than this many non-blank lines


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _join(lines: list[str | None]) -> str:
    return "\n".join(line for line in lines if line is not None)


def _heading(stripped: str) -> tuple[int, int] | None:
    """(level, length of the number) of a numbered heading: 一、 > （一） > 1."""
    for level, pattern in enumerate(_LEVELS):
        m = pattern.match(stripped)
        if m:
            return level, m.end()
    return None


def _is_measure(stripped: str, number_length: int) -> bool:
    """A heading whose title ends in 提升行动 or 工程 and is not a group (五大提升行动)."""
    rest = stripped[number_length:].strip()
    end = _TITLE_END.search(rest)
    title = rest[: end.start()] if end else rest
    core = re.split(r"[，,]", title)[-1].strip()
    return bool(_MEASURE.search(core)) and not _GROUP.match(core) and len(core) <= 40


def _body_end(stripped: list[str]) -> int:
    for i, s in enumerate(stripped):
        if _BODY_END.match(s):
            return i
    return len(stripped)


@dataclass
class _Annotation:
    line: int
    inline_at: int | None  # where the bracket starts in the line (an inline annotation), else None
    pairs: list[tuple[str, str]]  # (label, names as written)


@dataclass
class _Block:
    """A measure: its heading line, the line after its last, and what it holds."""

    head: int
    level: int
    end: int
    tasks: list[int] = field(default_factory=list)  # the lines that start a task (bullet or number)
    annotations: list[_Annotation] = field(default_factory=list)


def _pairs(body: str) -> list[tuple[str, str]]:
    """'牵头部门：A、B；责任部门：C' → [('牵头部门', 'A、B'), ('责任部门', 'C')]."""
    found = list(_LABEL.finditer(body))
    out = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(body)
        out.append((m.group(1), body[m.end() : end].strip().rstrip("；;。.，, ")))
    return out


def _annotation_line(stripped: str) -> list[tuple[str, str]] | None:
    if not _ANNOTATION_LINE.match(stripped):
        return None
    body = stripped
    if body[0] in _OPEN and body[-1] in _CLOSE:
        body = body[1:-1]
    return _pairs(body)


def _blocks(lines: list[str]) -> list[_Block]:
    """The measures of the body, each with its task lines and its responsibility annotations."""
    stripped = [line.strip() for line in lines]
    end = _body_end(stripped)
    headings = [(i, h) for i in range(end) if (h := _heading(stripped[i]))]
    measures = [(i, h[0]) for i, h in headings if _is_measure(stripped[i], h[1])]
    if not measures:
        return []
    level = min(lvl for _, lvl in measures)
    heads = [i for i, lvl in measures if lvl == level]
    blocks = []
    for k, head in enumerate(heads):
        stop = next((i for i, h in headings if i > head and h[0] <= level), end)
        if k + 1 < len(heads):
            stop = min(stop, heads[k + 1])
        block = _Block(head, level, stop)
        inner = [(i, h[0]) for i, h in headings if head < i < stop and h[0] > level]
        task_level = min((lvl for _, lvl in inner), default=None)
        bullets = [i for i in range(head + 1, stop) if stripped[i].startswith(_BULLET)]
        block.tasks = bullets or [i for i, lvl in inner if lvl == task_level]
        for i in range(head, stop):
            pairs = _annotation_line(stripped[i]) if i > head else None
            if pairs:
                block.annotations.append(_Annotation(i, None, pairs))
                continue
            m = _INLINE.search(lines[i])
            if m and i not in block.tasks:
                block.annotations.append(_Annotation(i, m.start(), _pairs(m.group(1))))
        blocks.append(block)
    return blocks


def _intro_line(lines: list[str], block: _Block) -> int:
    """The last line of the paragraph that introduces a measure (before its first task); the
    heading itself when the heading carries the introduction (（一）…提升行动。围绕…)."""
    stripped = [line.strip() for line in lines]
    annotated = {a.line for a in block.annotations if a.inline_at is None}
    if block.tasks:
        before = [i for i in range(block.head + 1, block.tasks[0]) if stripped[i] and i not in annotated]
        return before[-1] if before else block.head
    # tasks are paragraphs: the first paragraph after a bare heading introduces the measure
    h = _heading(stripped[block.head])
    rest = stripped[block.head][h[1] :] if h else ""
    end = _TITLE_END.search(rest)
    if end and rest[end.end() :].strip():
        return block.head
    after = [i for i in range(block.head + 1, block.end) if stripped[i] and i not in annotated]
    return after[0] if after else block.head


def _roles(block: _Block) -> tuple[list[str], list[str]]:
    leads = [names for a in block.annotations for label, names in a.pairs if label.startswith("牵头") and names]
    supports = [names for a in block.annotations for label, names in a.pairs if not label.startswith("牵头") and names]
    return leads, supports


def _bare_heading(line: str) -> bool:
    """A measure's heading line holding its title alone (（一）青少年科学素质提升行动), no sentence after it."""
    stripped = line.strip()
    h = _heading(stripped)
    return h is not None and not _TITLE_END.search(stripped[h[1] :])


def _move_annotations(
    text: str, render: Callable[[list[str], list[str]], str], at_intro: bool, at_heading: bool = False
) -> str:
    """Each measure's annotations removed and written once as ``render(leads, supports)``:
    at the end of the measure's introduction (``at_intro``), at the end of its heading line
    (``at_heading``: only a heading holding its title alone, the other measures left as they
    are), else as a line of its own where the first annotation line was (after the paragraph an
    inline annotation closed)."""
    lines: list[str | None] = list(_lines(text))
    originals = _lines(text)
    for block in _blocks(originals):
        if not block.annotations:
            continue
        leads, supports = _roles(block)
        if not leads and not supports:
            continue
        if at_heading and (not _bare_heading(originals[block.head]) or block.annotations[0].line == block.head):
            continue
        new = render(leads, supports)
        for a in block.annotations:
            if a.inline_at is None:
                lines[a.line] = None
            else:
                lines[a.line] = originals[a.line][: a.inline_at].rstrip()
        if at_heading:
            lines[block.head] = originals[block.head].rstrip() + new
            continue
        if at_intro:
            intro = _intro_line(originals, block)
            current = lines[intro] if lines[intro] is not None else originals[intro]
            lines[intro] = current.rstrip() + new
            continue
        first = block.annotations[0]
        if first.inline_at is None:
            lines[first.line] = new
        else:
            lines[first.line] = f"{lines[first.line]}\n{new}"
    return _join(lines)


# --- 1, 2: full-width and ASCII punctuation ---------------------------------------------------

_TO_ASCII = str.maketrans("（）：，；〔〕", "():,;[]")
_TO_FULL = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "[": "〔", "]": "〕"}


def fullwidth_to_ascii(text: str) -> str:
    """（）：，；〔〕 → ():,;[] everywhere: 九龙坡区人民政府办公室 (bundled plan 004) prints
    ``(一)实施青少年科学素质提升行动。`` and ``牵头单位:区教委、区科协``; 南昌市人民政府's page
    (nc.gov.cn) prints its title ``(2021-2025年)``."""
    return text.translate(_TO_ASCII)


def ascii_to_fullwidth(text: str) -> str:
    """():,;[] → （）：，；〔〕, as 巫山, 梁平, 平罗 and 万年 (bundled plans 000–003) print them:
    ``（一）实施青少年科学素质提升行动。``, ``牵头部门：县教体局、科协``. A portal's metadata
    lines (``- [ 发文字号 ]``) are the page's, not the document's: kept; so are a comma or colon
    between two digits (3,000; 09:30)."""
    out = []
    for line in _lines(text):
        if _META_LINE.match(line):
            out.append(line)
            continue
        chars = list(line)
        for i, ch in enumerate(chars):
            if ch not in _TO_FULL:
                continue
            between_digits = 0 < i < len(chars) - 1 and chars[i - 1].isdigit() and chars[i + 1].isdigit()
            if ch in ",:" and between_digits:
                continue
            chars[i] = _TO_FULL[ch]
        out.append("".join(chars))
    return "\n".join(out)


# --- 3: task bullets --------------------------------------------------------------------------


def _bullets(mark: str) -> Rewrite:
    def rewrite(text: str) -> str:
        out = []
        for line in _lines(text):
            body = line.lstrip()
            if body.startswith(_BULLET):
                line = line[: len(line) - len(body)] + mark + body[len(_BULLET) :]
            out.append(line)
        return "\n".join(out)

    return rewrite


def bullet_u2015(text: str) -> str:
    """Task bullets ``——`` → ``―`` (one HORIZONTAL BAR, U+2015). GBK pages turn the full-width dash
    into U+2015: 梁平区 and 九龙坡区 (bundled plans 001, 004) print their periods ``2021―2025``; a
    plan retyped from such a page keeps one bar where the bullet had two dashes (no bundled plan)."""
    return _bullets("―")(text)


def bullet_u2015_double(text: str) -> str:
    """Task bullets ``——`` → ``――`` (two U+2015): the two-dash bullet of the bundled plans as a GBK
    page renders it (the same bar 梁平区's and 九龙坡区's pages print in their periods)."""
    return _bullets("――")(text)


def bullet_emdash(text: str) -> str:
    """Task bullets ``——`` → ``—`` (one EM DASH): the bullet typed once, as plans edited by hand
    write it (no bundled plan; the brief's form)."""
    return _bullets("—")(text)


def bullet_box(text: str) -> str:
    """Task bullets ``——`` → ``─`` (BOX DRAWINGS LIGHT HORIZONTAL, U+2500): the dash as some
    word processors' symbol tables give it; 梁平区 (bundled plan 001) prints ``2022─2025年`` with it."""
    return _bullets("─")(text)


def bullet_dot(text: str) -> str:
    """Task bullets ``——`` → ``•`` (U+2022): the list item of a web page turned into text, as
    portals print their lists (宣城市's page prints ``• 设为首页``); no bundled plan bullets tasks so."""
    return _bullets("•")(text)


def bullet_black_circle(text: str) -> str:
    """Task bullets ``——`` → ``●`` (U+25CF): the bullet of Word's default list style (no bundled
    plan; the brief's form)."""
    return _bullets("●")(text)


# --- 4: task numbering ------------------------------------------------------------------------


def _circled(n: int) -> str | None:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return None


def _full_stop_digit(n: int) -> str | None:
    return chr(0x2488 + n - 1) if 1 <= n <= 20 else None


def _task_numbers(number: Callable[[int], str | None]) -> Rewrite:
    """Rewrite the number of each numbered task line (1. 1． 1、 one level below its measure
    heading); measure headings and numbered paragraphs outside the measures keep theirs. A plan
    whose numbers the form cannot write (① stops at 50) is left as it is."""

    def rewrite(text: str) -> str:
        lines = _lines(text)
        changes: dict[int, str] = {}
        for block in _blocks(lines):
            for i in block.tasks:
                body = lines[i].lstrip()
                m = _L3.match(body)
                if not m:
                    continue  # bullets or （一） tasks: not this form
                new = number(int(m.group(1)))
                if new is None:
                    return text
                changes[i] = lines[i][: len(lines[i]) - len(body)] + new + body[m.end() :]
        return "\n".join(changes.get(i, line) for i, line in enumerate(lines))

    return rewrite


def tasknum_paren_fullwidth(text: str) -> str:
    """Task numbers ``1.`` → ``（1）``: the fourth level of GB/T 9704 (一、 > （一） > 1. > （1））, used
    by plans whose tasks sit a level deeper (no bundled plan)."""
    return _task_numbers(lambda n: f"（{n}）")(text)


def tasknum_paren_ascii(text: str) -> str:
    """Task numbers ``1.`` → ``(1)``: the same level typed with ASCII parentheses, as plans
    with ASCII punctuation print it (九龙坡区, bundled plan 004, prints ``(一)``)."""
    return _task_numbers(lambda n: f"({n})")(text)


def tasknum_circled(text: str) -> str:
    """Task numbers ``1.`` → ``①``: circled numbers, a level Word's numbering offers (no bundled
    plan; the brief's form)."""
    return _task_numbers(_circled)(text)


def tasknum_dunhao(text: str) -> str:
    """Task numbers ``1.`` → ``1、``: the enumeration comma, as 柳堡镇's科学素质 work plan numbers
    its actions (``1、未成年人科学素质行动``) (a bundled plan already so numbered is left as it is)."""
    return _task_numbers(lambda n: f"{n}、")(text)


def tasknum_fullwidth_stop(text: str) -> str:
    """Task numbers ``1.`` → ``1．`` (FULLWIDTH FULL STOP): 巫山县 (bundled plan 000) numbers its
    measures ``1．实施青少年科学素质提升行动``."""
    return _task_numbers(lambda n: f"{n}．")(text)


def tasknum_digit_full_stop(text: str) -> str:
    """Task numbers ``1.`` → ``⒈`` (DIGIT ONE FULL STOP, one character): a city plan reprinted on
    fabao365.com numbers its projects ``⒊实施大众传媒科技传播能力建设工程``."""
    return _task_numbers(_full_stop_digit)(text)


# --- 5: who leads and who supports -------------------------------------------------------------


def _series(lists: list[str]) -> str:
    """Name lists as one series joined by 、: in a sentence a comma would end the series
    (平罗's ``各乡镇，县民政局`` is written ``各乡镇、县民政局`` there)."""
    return "、".join(re.sub(r"[，,]", "、", names) for names in lists)


def resp_sentence(text: str) -> str:
    """Each measure's 牵头部门：A、B / 配合部门：C、D lines (or one bracket holding both, or a bracket
    closing the introduction) → the sentence ``A、B牵头，C、D配合。`` on a line of its own, where
    the annotation was (the brief's form; no bundled plan writes it so)."""

    def render(leads: list[str], supports: list[str]) -> str:
        parts = []
        if leads:
            parts.append(_series(leads) + "牵头")
        if supports:
            parts.append(_series(supports) + "配合")
        return "，".join(parts) + "。"

    return _move_annotations(text, render, at_intro=False)


def _labelled_bracket(opening: str, closing: str) -> Callable[[list[str], list[str]], str]:
    """A measure's annotations as one bracket of labels: 【牵头单位：A、B；配合单位：C、D】."""

    def render(leads: list[str], supports: list[str]) -> str:
        parts = []
        if leads:
            parts.append("牵头单位：" + "、".join(leads))
        if supports:
            parts.append("配合单位：" + "、".join(supports))
        return opening + "；".join(parts) + closing

    return render


def resp_bracket_at_intro(text: str) -> str:
    """Each measure's annotations → ``【牵头单位：A、B；配合单位：C、D】`` closing the paragraph that
    introduces the measure; 万年县 (bundled plan 003) closes it with ``〔牵头部门：县教体局、县科协〕``."""

    return _move_annotations(text, _labelled_bracket("【", "】"), at_intro=True)


def resp_lead_and_duty(text: str) -> str:
    """Each measure's annotations → ``〔A、B牵头，C、D按职责分工负责〕`` closing its introduction: the
    bracket 万年县 (bundled plan 003) puts after each task (``〔县教体局、县科协按职责分工负责〕``), with
    the lead named in it."""

    def render(leads: list[str], supports: list[str]) -> str:
        parts = []
        if leads:
            parts.append(_series(leads) + "牵头")
        if supports:
            parts.append(_series(supports) + "按职责分工负责")
        return "〔" + "，".join(parts) + "〕"

    return _move_annotations(text, render, at_intro=True)


def resp_bracket_on_heading(text: str) -> str:
    """Each measure's annotations → ``（牵头单位：A、B；配合单位：C、D）`` closing its heading line
    (（一）青少年科学素质提升行动（牵头单位：旗教育局、旗科协；配合单位：…）), as a banner of 兴安盟 prints
    it (the second audit of 2026-12-07); where the heading holds its title alone."""

    return _move_annotations(text, _labelled_bracket("（", "）"), at_intro=False, at_heading=True)


def resp_sentence_on_heading(text: str) -> str:
    """Each measure's annotations → the one sentence after its title on the heading line
    (（一）青少年科学素质提升行动。由A、B牵头，C、D配合。), as 怀化-like city plans state every measure's
    leads (the second audit of 2026-12-07); where the heading holds its title alone."""

    def render(leads: list[str], supports: list[str]) -> str:
        parts = []
        if leads:
            parts.append("由" + _series(leads) + "牵头")
        if supports:
            parts.append(_series(supports) + "配合")
        return "。" + "，".join(parts) + "。"

    return _move_annotations(text, render, at_intro=False, at_heading=True)


_LABEL_WORD = re.compile(r"(牵头|责任|配合|协同|参与|协办)(部门|单位)(?=\s*[:：])")
_HEADER_CELL = re.compile(r"^(\t\s*)(牵头|责任|配合|协同|参与|协办)(部门|单位)(\s*)$")


def _relabel(rename: Callable[[str, str], str]) -> Rewrite:
    """Rename every label: before a colon (annotations) and as a task table's header cell."""

    def rewrite(text: str) -> str:
        out = []
        for line in _lines(text):
            cell = _HEADER_CELL.match(line)
            if cell:
                line = cell.group(1) + rename(cell.group(2), cell.group(3)) + cell.group(4)
            else:
                line = _LABEL_WORD.sub(lambda m: rename(m.group(1), m.group(2)), line)
            out.append(line)
        return "\n".join(out)

    return rewrite


def resp_label_swap(text: str) -> str:
    """Labels 部门 ↔ 单位: 牵头部门 ↔ 牵头单位, 责任部门 ↔ 责任单位, 配合部门 ↔ 配合单位. 梁平区 and 平罗县
    (bundled plans 001, 002) write 牵头部门; 九龙坡区 (004) writes 牵头单位 / 责任单位."""
    return _relabel(lambda role, kind: role + ("单位" if kind == "部门" else "部门"))(text)


def _support_as(label: str) -> Rewrite:
    return _relabel(lambda role, kind: role + kind if role == "牵头" else label)


def resp_support_peihe(text: str) -> str:
    """Support label → 配合单位 (平罗县, bundled plan 002, writes 配合部门; 九龙坡区 writes 责任单位)."""
    return _support_as("配合单位")(text)


def resp_support_canyu(text: str) -> str:
    """Support label → 参与单位 (the brief's form; no office seen printing it here)."""
    return _support_as("参与单位")(text)


def resp_support_zeren(text: str) -> str:
    """Support label → 责任部门, as 梁平区 (bundled plan 001) writes it; a city plan reprinted on
    fabao365.com writes ``牵头部门:市委宣传部 责任单位:市广电局、…``."""
    return _support_as("责任部门")(text)


def resp_names_comma(text: str) -> str:
    """Names in an annotation separated by ``，`` instead of ``、``: 平罗县 (bundled plan 002) writes
    ``配合部门：各乡镇，县民政局、财政局``, 万年县 (003) ``〔县教体局、县人力资源社会保障局，县委宣传部…〕``."""
    lines = _lines(text)
    for block in _blocks(lines):
        for a in block.annotations:
            line = lines[a.line]
            start = a.inline_at if a.inline_at is not None else 0
            lines[a.line] = line[:start] + line[start:].replace("、", "，")
    return "\n".join(lines)


# --- 6: the header ----------------------------------------------------------------------------


@dataclass
class _Header:
    number_line: int | None  # a line that is nothing but the document number
    number: str | None  # the number, from that line or the portal's block
    date_line: int | None  # the signature's date
    issuer: str | None  # the line above the date
    own_title: int | None  # the first line of the plan's own title
    title: str | None  # the plan's own title, its lines joined
    meta_end: int  # the line after a portal block at the top (0 without one)


def _header(lines: list[str]) -> _Header:
    stripped = [line.strip() for line in lines]
    meta_end = 0
    number = None
    while meta_end < len(lines) and _META_LINE.match(lines[meta_end]):
        label = _META_LINE.match(lines[meta_end])
        if label and label.group(1) == "发文字号" and meta_end + 1 < len(lines):
            value = _META_LINE.match(lines[meta_end + 1])
            if value and value.group(2) and _DOC_NO.fullmatch(value.group(2).strip()):
                number = value.group(2).strip()
        meta_end += 1
    head = [i for i in range(meta_end, len(lines)) if stripped[i]][:_HEAD_LINES]
    number_line = next((i for i in head if _DOC_NO.fullmatch(stripped[i])), None)
    if number_line is not None:
        number = stripped[number_line]
    date_line = next((i for i in head if _DATE.fullmatch(stripped[i])), None)
    issuer = None
    if date_line is not None:
        above = [i for i in head if i < date_line]
        issuer = stripped[above[-1]] if above else None
    own_title = title = None
    for k, i in enumerate(head):
        s = stripped[i]
        after_date = date_line is None or i > date_line
        if after_date and "全民科学素质" in s and "关于印发" not in s and "《" not in s and len(s) < 60:
            own_title = i
            title = s
            for j in head[k + 1 : k + 3]:
                if stripped[j].startswith(("（", "(", "实施方案")) and len(stripped[j]) < 30:
                    title += stripped[j]
                else:
                    break
            break
    return _Header(number_line, number, date_line, issuer, own_title, title, meta_end)


def _iso(date: str) -> str:
    m = _DATE.fullmatch(date.strip())
    assert m
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


# the labels a portal prints, in its order: (index, topic, issuer, number, written on, published on)
_PORTAL_LABELS = ("索引号", "主题分类", "发布机构", "发文字号", "成文日期", "发布日期")
# a law database's labels, ``label: value`` with an ASCII colon (广州's plan on law.esnai.com)
_DATABASE_LABELS = ("索引号", "法规类型", "发文部门", "发文文号", "发文时间", "实施时间")


def _metadata(h: _Header, lines: list[str], labels: tuple[str, ...], colon: str, per_line: int) -> list[str]:
    assert h.date_line is not None
    issued = _iso(lines[h.date_line])
    values = (f"000000000/{issued[:4]}-00001", "科技", h.issuer or "", h.number or "", issued, issued)
    fields = [f"{label}{colon}{value}" for label, value in zip(labels, values, strict=True)]
    return ["\u3000\u3000".join(fields[i : i + per_line]) for i in range(0, len(fields), per_line)]


def _with_metadata(
    text: str,
    labels: tuple[str, ...] = _PORTAL_LABELS,
    colon: str = "：",
    per_line: int = 1,
    number_moved: bool = False,
    notice_replaced: bool = False,
) -> str:
    """The plan under a metadata block (a portal block already at its top replaced): the notice
    kept whole, or without its number line (``number_moved``), or gone (``notice_replaced``: the
    block, then the plan's own title and the body)."""
    lines = _lines(text)
    h = _header(lines)
    if h.date_line is None or (number_moved and h.number_line is None):
        return text
    if notice_replaced and h.own_title is None:
        return text
    block = _metadata(h, lines, labels, colon, per_line)
    body: list[str | None] = list(lines[h.meta_end :])
    if number_moved and h.number_line is not None:
        body[h.number_line - h.meta_end] = None
    if notice_replaced and h.own_title is not None:
        body = list(lines[h.own_title :])
    return _join([*block, "", *body])


def meta_block(text: str) -> str:
    """A government site's metadata block, one ``label：value`` a line (索引号 / 发布机构 / 发文字号 /
    成文日期 / 发布日期), before the notice (which keeps its own number and signature); a plan
    already under a portal block (九龙坡区, 004: ``- [ 发文字号 ]`` / ``- value``) gets this block
    instead. A plan without a number (梁平区, 001) gets the empty ``发文字号：`` portals print
    (宣城市's page prints ``文号:`` with nothing after it)."""
    return _with_metadata(text)


def meta_block_paired(text: str) -> str:
    """The metadata block two fields a line, as 赤壁市's page prints it (``索引号 : 11346509/2012-1563602
    文 号 : 赤政办发〔2012〕3号``) and 宣城市's (``发布机构: … 主题分类: …``)."""
    return _with_metadata(text, per_line=2)


def meta_block_database(text: str) -> str:
    """A law database's block, ``发文文号: …`` / ``发文部门: …`` / ``发文时间: …`` with ASCII colons, as
    law.esnai.com prints 广州市人民政府办公厅's plan (``发文文号: 穗府办[2016]29号``)."""
    return _with_metadata(text, labels=_DATABASE_LABELS, colon=": ")


def meta_block_number_moved(text: str) -> str:
    """The metadata block, and the document number line gone from the body: the number is only
    in the portal's block, as 九龙坡区's page (bundled plan 004) prints it."""
    return _with_metadata(text, number_moved=True)


def meta_block_for_notice(text: str) -> str:
    """The notice replaced by the metadata block: the block, then the plan's own title and the
    body. Number, issuer and date are the block's only (发文字号, 发布机构, 成文日期), as pages that
    publish the plan alone under their block print it."""
    return _with_metadata(text, notice_replaced=True)


def docno_glued_date(text: str) -> str:
    """The document number with the signature's date glued to it on its line
    (``巫山府办发〔2022〕76号2022年10月13日``), as a page whose header cells are joined without a
    separator gives it (the brief's form; no page seen here). The signature keeps its date."""
    lines = _lines(text)
    h = _header(lines)
    if h.number_line is None or h.date_line is None:
        return text
    lines[h.number_line] = lines[h.number_line].rstrip() + lines[h.date_line].strip()
    return "\n".join(lines)


_CN_DIGIT = "〇一二三四五六七八九"


def _cn_day(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三, 20 → 二十, 23 → 二十三, 31 → 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGIT[tens] + "十")
    return head + (_CN_DIGIT[ones] if ones else "")


def _cn_date(zero: str) -> Rewrite:
    def rewrite(text: str) -> str:
        lines = _lines(text)
        h = _header(lines)
        if h.date_line is None:
            return text
        line = lines[h.date_line]
        m = _DATE.search(line)
        assert m
        year = "".join(_CN_DIGIT[int(d)] for d in m.group(1)).replace("〇", zero)
        date = f"{year}年{_cn_day(int(m.group(2)))}月{_cn_day(int(m.group(3)))}日"
        lines[h.date_line] = line[: m.start()] + date + line[m.end() :]
        return "\n".join(lines)

    return rewrite


def date_cn_ling(text: str) -> str:
    """The signature's date in Chinese numerals with 〇 (U+3007): ``二〇二二年十月十三日``, as signed
    documents print it; 南昌市人民政府 writes ``二〇三五年`` in its plan."""
    return _cn_date("〇")(text)


def date_cn_circle(text: str) -> str:
    """The same with ○ (WHITE CIRCLE, U+25CB) for zero: ``二○二二年十月十三日``; 巫山县, 梁平区 and
    九龙坡区 (bundled plans 000, 001, 004) write ``二○三五年`` with it."""
    return _cn_date("○")(text)


def date_cn_zero(text: str) -> str:
    """The same with 零 for zero: ``二零二二年十月十三日`` (typed by hand; no office seen here)."""
    return _cn_date("零")(text)


def _numbers(render: Callable[[str, str], str]) -> Rewrite:
    """Every document number in the text (the plan's own and the ones it cites) written anew."""

    def rewrite(text: str) -> str:
        return _DOC_NO_BRACKETS.sub(lambda m: render(m.group(1), m.group(2)), text)

    return rewrite


def docno_lenticular(text: str) -> str:
    """Document numbers with 【】: ``巫山府办发【2022】76号``, as 财政部 and others' notice is cited
    on dhu.edu.cn (``财科教【2017】6号``)."""
    return _numbers(lambda year, no: f"【{year}】{no}号")(text)


def docno_square(text: str) -> str:
    """Document numbers with ASCII []: ``穗府办[2016]29号`` (广州市人民政府办公厅 on law.esnai.com),
    ``鄂政发[2006]46号`` (cited by 赤壁市)."""
    return _numbers(lambda year, no: f"[{year}]{no}号")(text)


def docno_paren_fullwidth(text: str) -> str:
    """Document numbers with （）: ``巫山府办发（2022）76号``, as numbers are retyped without the
    hexagonal brackets (no office seen here)."""
    return _numbers(lambda year, no: f"（{year}）{no}号")(text)


def docno_paren_ascii(text: str) -> str:
    """Document numbers with ASCII (): ``巫山府办发(2022)76号`` (no office seen here)."""
    return _numbers(lambda year, no: f"({year}){no}号")(text)


def docno_spaced(text: str) -> str:
    """Document numbers with spaces inside, ``大政发 〔 2022〕 19号`` style: the text of the State
    Council's PDF of 国发〔2021〕9号 reads ``国发 〔 2021〕9 号``."""
    return _numbers(lambda year, no: f" 〔 {year}〕 {no}号")(text)


def title_lines_joined(text: str) -> str:
    """The notice title and the plan's own title each on one line: 平罗县 (bundled plan 002) prints
    ``关于印发《平罗县…实施方案（2021-2025年）》的通知`` on one line where 巫山县 (000) splits it over
    two, and 九龙坡区 (004) prints its own title on one line where 梁平区 (001) splits it."""
    lines: list[str | None] = list(_lines(text))
    h = _header([line or "" for line in lines])
    stripped = [(line or "").strip() for line in lines]
    head = [i for i, s in enumerate(stripped) if s][:_HEAD_LINES]
    for k, i in enumerate(head):
        if "关于印发" in stripped[i] and "的通知" not in stripped[i]:
            for j in head[k + 1 : k + 4]:
                lines[i] = (lines[i] or "").rstrip() + stripped[j]
                lines[j] = None
                if "的通知" in stripped[j]:
                    break
            break
    if h.own_title is not None and h.title and h.title != stripped[h.own_title]:
        following = [j for j in head if j > h.own_title][:2]
        joined = stripped[h.own_title]
        for j in following:
            if joined == h.title:
                break
            joined += stripped[j]
            lines[j] = None
        lines[h.own_title] = h.title
    return _join(lines)


# --- 7: the plan inside a news item, or without its notice ---------------------------------------


def news_item(text: str) -> str:
    """The whole plan (notice included) under a news item: a headline, ``发布时间：…  来源：…``, and a
    sentence ending ``全文如下：``, as sites reprint plans: a reprint of 宁夏's plan opens
    ``日前，宁夏回族自治区政府办公厅印发了《…》`` before the plan; 宣城市's page prints
    ``发布时间:2020-10-21 16:21 来源:宣城市卫生健康委员会``."""
    lines = _lines(text)
    h = _header(lines)
    if h.date_line is None or h.title is None or h.issuer is None:
        return text
    place = h.title.split("全民科学素质")[0]
    head = [
        f"{place}印发全民科学素质行动规划纲要实施方案",
        f"发布时间：{_iso(lines[h.date_line])} 09:30　　来源：{h.issuer}",
        f"　　近日，{h.issuer}印发《{h.title}》，全文如下：",
        "",
    ]
    return "\n".join(head) + text


def body_only(text: str) -> str:
    """The plan without its notice (and any portal block): its own title, then the body, as
    sites print the plan alone (南昌市人民政府's and 儋州市人民政府办公室's pages print the plan's own
    title again below the notice; a copy of the plan alone starts there). The number, issuer and
    date were the notice's: they are absent."""
    lines = _lines(text)
    h = _header(lines)
    if h.own_title is None or h.own_title == 0:
        return text
    return "\n".join(lines[h.own_title :])


# --- 8: invisible and width noise ----------------------------------------------------------------


def _is_cell(line: str) -> bool:
    """A task table's cell: a tab first (an empty cell is a tab alone, not a blank line)."""
    return line.startswith("\t")


def _is_blank(line: str) -> bool:
    return not line.strip() and "\t" not in line


def indent_ideographic(text: str) -> str:
    """Every paragraph indented with two U+3000 (IDEOGRAPHIC SPACE), as Word documents saved as
    text are; 巫山县 (000) pads its signature with U+3000. Table cells (a tab first) and a portal's
    metadata lines are not paragraphs: kept."""
    return "\n".join(
        line if not line.strip() or _is_cell(line) or _META_LINE.match(line) else "\u3000\u3000" + line
        for line in _lines(text)
    )


def trailing_spaces(text: str) -> str:
    """Spaces at the end of every line, as 万年县 (003) leaves them (``万年县人民政府      ``)."""
    return "\n".join(line + "   " for line in _lines(text))


def crlf(text: str) -> str:
    """CRLF line ends: the file as a Windows editor saves it."""
    return text.replace("\n", "\r\n")


def blank_lines_doubled(text: str) -> str:
    """Every blank line doubled, as 巫山县 and 万年县 (000, 003) leave runs of blank lines (an empty
    table cell, a tab alone, is not a blank line)."""
    out = []
    for line in _lines(text):
        out.append(line)
        if _is_blank(line):
            out.append(line)
    return "\n".join(out)


def blank_line_after_each(text: str) -> str:
    """A blank line after every paragraph, as pages print each ``<p>`` (南昌市人民政府's and
    赤壁市's pages); table cells (a tab first) stay together, their rows still one blank apart."""
    lines = _lines(text)
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and not _is_cell(line) and nxt.strip() and not _is_cell(nxt):
            out.append("")
    return "\n".join(out)


# --- the literacy target ------------------------------------------------------------------------

# the target sentence as the bundled plans print it: 到2025年，全县公民具备科学素质的比例超过12%
_LITERACY = re.compile(
    r"(到(?:19|20)\d{2}年[,，][^。,，]{0,6}?)公民具备科学素质(?:的)?比例(超过|达到)(\d+(?:\.\d+)?)[%％](以上)?"
)
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_percent(value: str) -> str:
    """12 → 百分之十二, 19.5 → 百分之十九点五 (0–99 and their decimals)."""
    whole, _, fraction = value.partition(".")
    n = int(whole)
    tens, ones = divmod(n, 10)
    ten = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    cn = ten + (_CN_DIGITS[ones] if ones else "" if n else "零")
    return "百分之" + cn + ("点" + "".join(_CN_DIGITS[int(d)] for d in fraction) if fraction else "")


def literacy_cn_percent(text: str) -> str:
    """The literacy target's share in words: 超过12% → 超过百分之十二, as 信阳市's and other city plans
    write it (the audit of 2026-12-07 found it missed: tests/extract/test_header_forms.py)."""
    return _LITERACY.sub(lambda m: f"{m[1]}公民具备科学素质的比例{m[2]}{_cn_percent(m[3])}{m[4] or ''}", text)


def literacy_reworded(text: str) -> str:
    """The literacy target's subject and verb as other offices word them: 具备科学素质的公民比例,
    力争超过 / 达 (公民具备科学素质的比例超过12% → 具备科学素质的公民比例力争超过12%; 达到 → 达)."""

    def word(m: re.Match[str]) -> str:
        verb = "力争超过" if m[2] == "超过" else "达"
        return f"{m[1]}具备科学素质的公民比例{verb}{m[3]}%{m[4] or ''}"

    return _LITERACY.sub(word, text)


REWRITES: dict[str, Rewrite] = {
    f.__name__: f
    for f in (
        fullwidth_to_ascii,
        ascii_to_fullwidth,
        bullet_u2015,
        bullet_u2015_double,
        bullet_emdash,
        bullet_box,
        bullet_dot,
        bullet_black_circle,
        tasknum_paren_fullwidth,
        tasknum_paren_ascii,
        tasknum_circled,
        tasknum_dunhao,
        tasknum_fullwidth_stop,
        tasknum_digit_full_stop,
        resp_sentence,
        resp_bracket_at_intro,
        resp_label_swap,
        resp_support_peihe,
        resp_support_canyu,
        resp_support_zeren,
        resp_names_comma,
        resp_lead_and_duty,
        resp_bracket_on_heading,
        resp_sentence_on_heading,
        meta_block,
        meta_block_paired,
        meta_block_database,
        meta_block_number_moved,
        meta_block_for_notice,
        docno_glued_date,
        date_cn_ling,
        date_cn_circle,
        date_cn_zero,
        docno_lenticular,
        docno_square,
        docno_paren_fullwidth,
        docno_paren_ascii,
        docno_spaced,
        title_lines_joined,
        news_item,
        body_only,
        indent_ideographic,
        trailing_spaces,
        crlf,
        blank_lines_doubled,
        blank_line_after_each,
        literacy_cn_percent,
        literacy_reworded,
    )
}
"""Every rewrite by name, in the order of the brief (1 punctuation … 8 noise)."""
