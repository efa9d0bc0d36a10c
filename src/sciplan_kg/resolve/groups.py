"""Population groups a plan names: 留守儿童, 农村妇女, 新就业形态劳动者, 农民工 and the five groups of
the national 提升行动, found in each task's text, each safeguard commitment's text and each
target's quote, against the group scheme ``data/registry/groups.toml``.

The rule (the lead's decision on issue 18 item 5): a group counts when the text names people of
that group as those the task reaches or serves — directly (留守儿童, 农村妇女) or through a venue,
event or programme named for them (青少年活动中心, 青少年科技创新大赛, 老年大学, 少年科学院).
The longest written form wins (农村妇女 is rural-women, not women as well; 农民工 is
migrant-workers, not farmers). A written form is no mention

* inside the name of a body: followed, directly or after a few words of the name, by a body's
  suffix (县妇女联合会, 农民专业合作社, 青少年科技辅导员协会, 老干部局, 退役军人服务中心 — but
  青少年活动中心 and 老年人日间照料中心 are venues and count);
* inside a document's title 《…》 (《公务员培训规定》);
* naming people enlisted to do the work: followed by 人才 (老年人才), or, after at most one word
  such as 科技 or 科普, by a role that delivers (青年科技工作者, 农民科普宣传员, 青年志愿者);
* in a clause that mobilises people to deliver (动员 / 发动 / 鼓励 … 担任 / 科普工作 /
  志愿服务 …: 动员中小学教师担任科普辅导员), or gives them a role (发挥老年人在社区科普中的作用).

A task or commitment names each group once (rule 5): its first mention, as printed. Each mention
keeps the words as written and its span: offsets into the plan file, as every record's span after
``extract.to_file``. A task's or commitment's text is not always the file's characters from its
span's start: extraction joins a paragraph broken by a hard line break (加大对\n农村留守妇女 →
加大对农村留守妇女, with CRLF two characters go), leaves out indentation and removes invisible
characters (科\u200b协). So a mention's offsets inside the text are mapped back through the file's
text (:func:`file_offsets`): the span quotes exactly the written characters, and its line is the
file's line where they start.

Public: :func:`group_key` (the key of one written form), :func:`find_groups` (the mentions in a
text, every one), :func:`file_offsets` (where each character of a text read from the file
stands in it), :func:`resolve_groups` (fills ``Task.groups``, ``Commitment.groups`` and
``Target.groups`` of a plan, each group once), :func:`load_groups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import GroupMention, PlanRecord, Span, Target
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import INVISIBLE, fold
from sciplan_kg.resolve.registry import _read

GROUPS_FILE = REGISTRY_DIR / "groups.toml"
# the suffix of a body's name: 县妇女联合会, 农民专业合作社, 老干部局, 退役军人服务中心 (a
# 活动中心 or 日间照料中心 is a venue for the group, which counts)
_BODY = (
    r"(?:联合会|联谊会|协会|研究会|促进会|基金会|合作社|合作联社|委员会|工委|领导小组|办公室|事务中心|服务中心"
    r"|(?<![格布结大全开当])局(?![面势限部]))"
)
# words of a body's name between the group and the suffix: 青少年「科技辅导员」协会, 农民「专业」合作社
_BODY_AFTER = re.compile(r"([\u4e00-\u9fff]{0,6}?)" + _BODY)
# words no body's name holds between the group and its suffix: 引导农民「加入」合作社 names farmers
_NOT_NAME = re.compile(
    r"[的和与及或等在到向对为把被让使将从]|加入|参与|参加|成立|组建|建立|依托|通过|推动|引导|鼓励|支持|开展|组织|"
    r"发挥|提升|提高|培育|帮助|创办|兴办|领办|走进|进入|联系|服务"
)
# people enlisted to do the work: 老年人才, 青年科技工作者, 农民科普宣传员, 青年志愿者
_ROLE_AFTER = re.compile(
    r"(?:科技|科普|科学|技术|文化|健康|应急)?(?:人才|工作者|专家|辅导员|宣传员|讲解员|信息员|志愿者|讲师)"
)
# a document's title: 《公务员培训规定》
_TITLE = re.compile(r"《[^《》\n]*》|〈[^〈〉\n]*〉")
# a clause (to its comma) that mobilises people to deliver: 动员…教师…担任科普辅导员, 引领带动…教师…参与科普工作
_CLAUSE = re.compile(r"[^。；;！!？?,，\n]+")
_MOBILISE = re.compile(r"动员|发动|引领带动|招募|吸纳|鼓励|支持|引导")
_DELIVER = re.compile(r"担任|科普(?:工作|宣传|志愿|讲解|传播)|知识传播|志愿服务|充实[^,，。；;]{0,8}队伍")
# a group given a role: 发挥老年人在社区科普中的作用, 发挥老年人对年轻人的传帮带作用 (but
# 发挥青少年活动中心的作用 names a venue)
_ROLE_CLAUSE = re.compile(r"发挥(?:[^,，。；;]{0,6}?)$")
_ROLE_OF = re.compile(r"[在对][^。；;]*作用")


@dataclass(frozen=True)
class Group:
    """One concept of the population-group scheme."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    broader: str | None = None


@dataclass(frozen=True)
class GroupScheme:
    groups: dict[str, Group]
    pattern: re.Pattern[str]  # every alias, folded, longest first
    by_alias: dict[str, str]  # folded alias → key


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@cache
def load_groups(path: Path = GROUPS_FILE) -> GroupScheme:
    """The group scheme in ``path``; an alias two groups share, or a broader group that is not
    in the scheme, is an error naming the file."""
    data = _read(path)
    groups: dict[str, Group] = {}
    by_alias: dict[str, str] = {}
    for g in data.get("group", []):
        group = Group(g["key"], g["zh"], g["en"], tuple(g.get("aliases", [])), g.get("broader"))
        groups[group.key] = group
        for alias in (group.zh, *group.aliases):
            k = _key(alias)
            if by_alias.setdefault(k, group.key) != group.key:
                raise InputError(path, f"别名「{alias}」属于两个人群 / the alias '{alias}' belongs to two groups")
    for group in groups.values():
        if group.broader is not None and group.broader not in groups:
            raise InputError(
                path,
                f"人群「{group.key}」的上位人群「{group.broader}」不在登记表中 / "
                f"the broader group '{group.broader}' of '{group.key}' is not in the registry",
            )
    forms = sorted(by_alias, key=lambda a: (-len(a), a))
    pattern = re.compile("|".join(re.escape(a) for a in forms))
    return GroupScheme(groups, pattern, by_alias)


def group_key(written: str, scheme: GroupScheme | None = None) -> str | None:
    """The key of the group a written form names (农村妇女 → rural-women); None when none does."""
    scheme = scheme or load_groups()
    return scheme.by_alias.get(_key(written))


def find_groups(
    text: str, span: Span | None = None, scheme: GroupScheme | None = None, source: str | None = None
) -> list[GroupMention]:
    """The group mentions in ``text``, in text order, longest form first where two overlap, but
    none inside a body's name or a document's title, nor one naming people enlisted to do the
    work (see the module's rule). With ``span`` (where ``text`` is stated in the file) and
    ``source`` (the decoded file), each mention's span is the file's characters that write it
    and the line they start on; with ``span`` alone, ``text`` is taken to be the file's text
    from the span's start; without either, offsets are into ``text``."""
    scheme = scheme or load_groups()
    folded = fold(text)
    titles = [m.span() for m in _TITLE.finditer(folded)]
    base, line = (span.start, span.line) if span else (0, 1)
    where = file_offsets(text, source, span.start) if span is not None and source is not None else None
    out: list[GroupMention] = []
    for m in scheme.pattern.finditer(folded):
        if _not_reached(folded, m.start(), m.end(), titles):
            continue
        if where is not None and source is not None:
            start, end = where[m.start()], where[m.end() - 1] + 1
            at = Span(start, end, line + _breaks(source, base, start))
        else:
            start = base + m.start()
            at = Span(start, start + len(m.group(0)), line + text.count("\n", 0, m.start()))
        out.append(GroupMention(written=text[m.start() : m.end()], span=at, group=scheme.by_alias[m.group(0)]))
    return out


def file_offsets(text: str, source: str, start: int) -> list[int] | None:
    """The offset in ``source`` (the decoded file) of each character of ``text``, a text read
    from ``source`` at ``start``: the file's characters in order, with the whitespace and
    invisible characters extraction leaves out skipped (a joined line break 对\n农村 or \r\n,
    indentation, 科\u200b协). None when ``text`` is not read so (then nothing is mapped)."""
    out: list[int] = []
    j, n = start, len(source)
    for ch in text:
        while j < n and source[j] != ch and (source[j].isspace() or source[j] in INVISIBLE):
            j += 1
        if j >= n or source[j] != ch:
            return None
        out.append(j)
        j += 1
    return out


def _breaks(source: str, start: int, end: int) -> int:
    """The line breaks in ``source[start:end]``, counted as lines are (``read.text.split_lines``:
    str.splitlines, so \r\n is one break)."""
    return len(("x" + source[start:end] + "x").splitlines()) - 1


def _not_reached(folded: str, start: int, end: int, titles: list[tuple[int, int]]) -> bool:
    """Whether the form at ``folded[start:end]`` names no group the text reaches: part of a
    body's name, of a document's title, of an enlisted role, or mobilised to deliver."""
    body = _BODY_AFTER.match(folded, end)
    if body and not _NOT_NAME.search(body.group(1)):
        return True
    if any(a < start and end < b for a, b in titles):
        return True
    if _ROLE_AFTER.match(folded, end) or (folded[end - 1] == "人" and folded.startswith("才", end)):
        return True
    return _mobilised(folded, start, end)


def _mobilised(folded: str, start: int, end: int) -> bool:
    """Whether the clause around ``folded[start:end]`` mobilises people to deliver: a
    mobilising verb before the form and a delivering one after it (动员…教师…担任科普辅导员),
    or 发挥 before it and 在 / 对 … 作用 right after it (发挥老年人在社区科普中的作用)."""
    for clause in _CLAUSE.finditer(folded):
        if clause.start() <= start < clause.end():
            before, after = folded[clause.start() : start], folded[end : clause.end()]
            if _ROLE_CLAUSE.search(before) and _ROLE_OF.match(after):
                return True
            return bool(_MOBILISE.search(before) and _DELIVER.search(after))
    return False


def _keys(mentions: list[GroupMention]) -> list[str]:
    return list(dict.fromkeys(m.group for m in mentions if m.group))


def _target_groups(t: Target, scheme: GroupScheme) -> None:
    t.groups = _keys(find_groups(t.quote, None, scheme))


def _first_each(mentions: list[GroupMention]) -> list[GroupMention]:
    """Each group once, at its first mention (rule 5); a mention with no key is kept."""
    seen: set[str] = set()
    out: list[GroupMention] = []
    for m in mentions:
        if m.group is not None:
            if m.group in seen:
                continue
            seen.add(m.group)
        out.append(m)
    return out


def resolve_groups(rec: PlanRecord, scheme: GroupScheme | None = None, source: str | None = None) -> None:
    """Fill ``Task.groups`` and ``Commitment.groups`` (each group once, its first mention, with
    its span) and ``Target.groups`` (keys) of every task, safeguard commitment and target of
    ``rec``. ``source`` is the decoded plan file the records' spans index: with it a mention's
    span quotes exactly its characters where the text was joined across a line break or had
    invisible characters removed (without it, only where the text is the file's)."""
    scheme = scheme or load_groups()
    for _, task in rec.tasks():
        task.groups = _first_each(find_groups(task.text, task.span, scheme, source))
        for t in task.targets:
            _target_groups(t, scheme)
    for commitment in rec.commitments:
        commitment.groups = _first_each(find_groups(commitment.text, commitment.span, scheme, source))
        for t in commitment.targets:
            _target_groups(t, scheme)
    for goal in rec.goals:
        for t in goal.targets:
            _target_groups(t, scheme)
    for t in (rec.literacy_target, rec.baseline):
        if t is not None:
            _target_groups(t, scheme)
