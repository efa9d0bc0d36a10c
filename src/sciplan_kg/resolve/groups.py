"""Population groups a plan names: 留守儿童, 农村妇女, 新就业形态劳动者, 农民工 and the five groups of
the national 提升行动, found in each task's text, each safeguard commitment's text and each
target's quote, against the group scheme ``data/registry/groups.toml``.

The longest written form wins (农村妇女 is rural-women, not women as well; 农民工 is
migrant-workers, not farmers), and a form followed by the name of a body (县妇女联合会,
退役军人事务局, 老干部事务中心) names the body, not the group. Each mention keeps the words as
written and its span: offsets into the plan file, as every record's span after
``extract.to_file`` — the text's start plus the offset inside it (a task or commitment text is
the file's text from its span's start).

Public: :func:`group_key` (the key of one written form), :func:`find_groups` (the mentions in a
text), :func:`resolve_groups` (fills ``Task.groups``, ``Commitment.groups`` and
``Target.groups`` of a plan), :func:`load_groups`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import GroupMention, PlanRecord, Span, Target
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import fold
from sciplan_kg.resolve.registry import _read

GROUPS_FILE = REGISTRY_DIR / "groups.toml"
# a group's name followed by one of these is a body's name: 县妇女联合会, 县残疾人联合会
_BODY_AFTER = re.compile(r"联合会|联谊会|事务|协会|工作委员会|委员会|工作领导小组|局")


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


def find_groups(text: str, span: Span | None = None, scheme: GroupScheme | None = None) -> list[GroupMention]:
    """The group mentions in ``text``, in text order, longest form first where two overlap. With
    ``span`` (where ``text`` starts in the file), each mention's span is an offset into the file;
    without it, into ``text``."""
    scheme = scheme or load_groups()
    folded = fold(text)
    base, line = (span.start, span.line) if span else (0, 1)
    out: list[GroupMention] = []
    for m in scheme.pattern.finditer(folded):
        if _BODY_AFTER.match(folded, m.end()):
            continue
        start = base + m.start()
        out.append(
            GroupMention(
                written=text[m.start() : m.end()],
                span=Span(start, start + len(m.group(0)), line + text.count("\n", 0, m.start())),
                group=scheme.by_alias[m.group(0)],
            )
        )
    return out


def _keys(mentions: list[GroupMention]) -> list[str]:
    return list(dict.fromkeys(m.group for m in mentions if m.group))


def _target_groups(t: Target, scheme: GroupScheme) -> None:
    t.groups = _keys(find_groups(t.quote, None, scheme))


def resolve_groups(rec: PlanRecord, scheme: GroupScheme | None = None) -> None:
    """Fill ``Task.groups`` and ``Commitment.groups`` (mentions with spans) and ``Target.groups``
    (keys) of every task, safeguard commitment and target of ``rec``."""
    scheme = scheme or load_groups()
    for _, task in rec.tasks():
        task.groups = find_groups(task.text, task.span, scheme)
        for t in task.targets:
            _target_groups(t, scheme)
    for commitment in rec.commitments:
        commitment.groups = find_groups(commitment.text, commitment.span, scheme)
        for t in commitment.targets:
            _target_groups(t, scheme)
    for goal in rec.goals:
        for t in goal.targets:
            _target_groups(t, scheme)
    for t in (rec.literacy_target, rec.baseline):
        if t is not None:
            _target_groups(t, scheme)
