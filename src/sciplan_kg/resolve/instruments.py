"""Policy instruments: every task and safeguard commitment coded with the instruments it uses.

The scheme and its rules are one file people can read and change,
``data/registry/instruments.toml`` (its header documents the rule syntax): three groups after
Rothwell and Zegveld (supply, environment, demand) and fourteen instruments under them, each
with word cues and ``unless`` wordings. A text uses an instrument when one of its cues occurs
and that occurrence overlaps no ``unless`` match of the same instrument; a text's codes come in
scheme order. Word cues only: no model, no service.

Public: :func:`code_text` (the codes of one text), :func:`explain` (the words that made each
code, for a reader checking a code), :func:`code_record` (fills ``Task.instruments`` and
``Commitment.instruments`` of a plan), :func:`load_scheme`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import fold
from sciplan_kg.resolve.registry import _read

SCHEME_FILE = REGISTRY_DIR / "instruments.toml"
GAP_MARK = "…"
_SENTENCE_END = "。;；!！?？\n"


@dataclass(frozen=True)
class InstrumentGroup:
    """A top concept of the scheme: supply, environment or demand."""

    key: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str


# a cue with none of these characters, compiled without these flags, is a plain word: it
# matches exactly where the word occurs
_SYNTAX = re.compile(r"[\\.^$*+?{}\[\]|()]")
_NOT_LITERAL = re.IGNORECASE | re.VERBOSE


@dataclass(frozen=True)
class Instrument:
    """One instrument and its rule: the cues that show it, the wordings where a cue does not."""

    key: str
    group: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str
    cues: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    # the cues split for ``shows``: plain words (a substring test, no regex call) and patterns
    words: tuple[str, ...] = field(init=False, repr=False, compare=False)
    patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain = [c for c in self.cues if not _SYNTAX.search(c.pattern) and not c.flags & _NOT_LITERAL]
        object.__setattr__(self, "words", tuple(c.pattern for c in plain))
        object.__setattr__(self, "patterns", tuple(c for c in self.cues if c not in plain))

    def shows(self, folded: str) -> bool:
        """Whether any cue occurs in ``folded`` at all, vetoed or not: most texts show no cue of
        most instruments, and this tells them apart without a regex call per cue."""
        for w in self.words:
            if w in folded:
                return True
        for p in self.patterns:
            if p.search(folded):
                return True
        return False

    def matches(self, folded: str, first: bool = False) -> list[str]:
        """The cue occurrences in ``folded`` that count (no ``unless`` match overlaps them); with
        ``first``, only the first that counts (enough to code a text). The ``unless`` wordings
        are looked for only once a cue is found: most texts show no cue of most instruments."""
        if not self.shows(folded):
            return []
        vetoes: list[tuple[int, int]] | None = None
        found: list[str] = []
        for cue in self.cues:
            for m in cue.finditer(folded):
                if m.end() == m.start():
                    continue
                if vetoes is None:
                    vetoes = [(v.start(), v.end()) for p in self.unless for v in p.finditer(folded)]
                if any(m.start() < end and start < m.end() for start, end in vetoes):
                    continue
                found.append(m.group(0))
                if first:
                    return found
        return found


@dataclass(frozen=True)
class InstrumentScheme:
    zh: str
    en: str
    definition_zh: str
    definition_en: str
    gap: int
    groups: tuple[InstrumentGroup, ...]
    instruments: tuple[Instrument, ...]

    def group_of(self, key: str) -> str:
        return next(i.group for i in self.instruments if i.key == key)

    def code(self, text: str) -> list[str]:
        folded = fold(text)
        return [i.key for i in self.instruments if i.matches(folded, first=True)]

    def explain(self, text: str) -> list[tuple[str, list[str]]]:
        folded = fold(text)
        return [(i.key, found) for i in self.instruments if (found := i.matches(folded))]


def code_text(text: str) -> list[str]:
    """The instrument keys whose rules match ``text``, in scheme order."""
    return load_scheme().code(text)


def explain(text: str) -> list[tuple[str, list[str]]]:
    """Each instrument ``text`` is coded with, and the words (cue matches) that made the code."""
    return load_scheme().explain(text)


def task_text(title: str, text: str) -> str:
    """What a task's code is read from: its text, with its title in front when the text does not
    already open with it."""
    return text if title in text else f"{title}。{text}"


def code_record(rec: PlanRecord, scheme: InstrumentScheme | None = None) -> PlanRecord:
    """Code every task and every safeguard commitment of ``rec`` (in place)."""
    scheme = scheme or load_scheme()
    for _, task in rec.tasks():
        task.instruments = scheme.code(task_text(task.title, task.text))
    for commitment in rec.commitments:
        commitment.instruments = scheme.code(commitment.text)
    return rec


# ------------------------------------------------------------------------------ loading


@cache
def load_scheme(path: Path = SCHEME_FILE) -> InstrumentScheme:
    """Read and check the scheme file; every fault is an ``InputError`` naming the file, the
    instrument and, where it can be told, the line."""
    data = _read(path)
    raw = path.read_text(encoding="utf-8")
    gap = data.get("gap", 25)
    if not isinstance(gap, int) or gap < 1:
        raise InputError(path, f"gap 须为正整数 / gap must be a positive integer: {gap!r}", _line_of(raw, "gap"))
    scheme = _table(path, raw, data.get("scheme"), "scheme", ("zh", "en", "definition_zh", "definition_en"))
    groups = tuple(
        InstrumentGroup(**_table(path, raw, g, "group", ("key", "zh", "en", "definition_zh", "definition_en")))
        for g in _tables(path, data, "group")
    )
    group_keys = [g.key for g in groups]
    instruments: list[Instrument] = []
    fields = ("key", "group", "zh", "en", "definition_zh", "definition_en")
    for item in _tables(path, data, "instrument"):
        info = _table(path, raw, item, "instrument", fields)
        key = info["key"]
        line = _line_of(raw, f'key = "{key}"')
        if info["group"] not in group_keys:
            raise InputError(
                path,
                f"工具「{key}」的组「{info['group']}」不在 {group_keys} 中 / "
                f"instrument '{key}': group '{info['group']}' is none of {group_keys}",
                line,
            )
        if key in (i.key for i in instruments):
            raise InputError(path, f"工具「{key}」重复 / instrument '{key}' appears twice", line)
        cues = _patterns(path, raw, key, "cues", item.get("cues"), gap)
        if not cues:
            raise InputError(path, f"工具「{key}」没有线索词 / instrument '{key}' has no cues", line)
        unless = _patterns(path, raw, key, "unless", item.get("unless", []), gap)
        instruments.append(Instrument(**info, cues=cues, unless=unless))
    if not instruments:
        raise InputError(path, "没有任何工具 / no [[instrument]] tables")
    return InstrumentScheme(**scheme, gap=gap, groups=groups, instruments=tuple(instruments))


def _tables(path: Path, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items = data.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError(path, f"[[{name}]] 须为表数组 / [[{name}]] must be an array of tables")
    return items


def _table(path: Path, raw: str, item: Any, name: str, fields: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(item, dict):
        raise InputError(path, f"缺少 [{name}] 表 / missing the [{name}] table")
    out: dict[str, str] = {}
    for f in fields:
        value = item.get(f)
        if not isinstance(value, str) or not value.strip():
            key = item.get("key")
            where = f"「{key}」" if key else ""
            line = _line_of(raw, f'key = "{key}"') if key else None
            raise InputError(
                path, f"[{name}]{where} 缺少文本字段 {f} / [{name}] {key or ''}: missing text field '{f}'", line
            )
        out[f] = value
    return out


def _patterns(path: Path, raw: str, key: str, field: str, value: Any, gap: int) -> tuple[re.Pattern[str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(
            path,
            f"工具「{key}」的 {field} 须为字符串列表 / instrument '{key}': {field} must be a list of strings",
            _line_of(raw, f'key = "{key}"'),
        )
    out: list[re.Pattern[str]] = []
    for source in value:
        try:
            out.append(compile_cue(source, gap))
        except re.error as exc:
            raise InputError(
                path,
                f"工具「{key}」的 {field} 模式「{source}」不是有效的正则表达式（{exc.msg}）/ "
                f"instrument '{key}': {field} pattern '{source}' is not a valid regular expression ({exc.msg})",
                _line_of(raw, f"'{source}'", after=f'key = "{key}"') or _line_of(raw, f'key = "{key}"'),
            ) from exc
        if out[-1].match(""):
            raise InputError(
                path,
                f"工具「{key}」的 {field} 模式「{source}」可匹配空文本 / "
                f"instrument '{key}': {field} pattern '{source}' matches the empty text",
                _line_of(raw, f"'{source}'", after=f'key = "{key}"'),
            )
    return tuple(out)


def compile_cue(source: str, gap: int = 25) -> re.Pattern[str]:
    """A cue as a regular expression: ``…`` is up to ``gap`` characters of the same sentence.
    Patterns are matched against folded text (``read.text.fold``): write ``,;:()`` and ASCII
    digits; the pattern itself is not folded (that would turn the ``-`` of ``[0-9]`` into a dash)."""
    filler = f"[^{re.escape(_SENTENCE_END)}]{{0,{gap}}}?"
    return re.compile(filler.join(source.split(GAP_MARK)))


def _line_of(raw: str, needle: str, after: str | None = None) -> int | None:
    """The 1-based line of the first ``needle`` (after the first ``after``, when given)."""
    start = 0
    if after is not None:
        start = raw.find(after)
        if start < 0:
            return None
    at = raw.find(needle, start)
    return raw.count("\n", 0, at) + 1 if at >= 0 else None
