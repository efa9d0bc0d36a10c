"""The kinds of each safeguard commitment, from the rule file ``data/registry/safeguards.toml``.

The file lists the kinds in order of priority, each with its labels, definitions and cue patterns
(its header comment describes the syntax). A commitment gets every kind one of whose cues its text
matches (folded: full-width punctuation read as ASCII), in the file's order, the first being its
main kind; when its text matches none, the heading it stands under is tried; when that matches
none either, its kind is ``other``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sciplan_kg.errors import InputError
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import fold

SAFEGUARDS_FILE = REGISTRY_DIR / "safeguards.toml"
OTHER = "other"
_FIELDS = ("key", "zh", "en", "zh_definition", "en_definition", "cues")


@dataclass(frozen=True)
class SafeguardKind:
    key: str
    zh: str
    en: str
    zh_definition: str
    en_definition: str
    cues: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        return any(cue.search(text) for cue in self.cues)


@cache
def load_kinds(path: Path = SAFEGUARDS_FILE) -> tuple[SafeguardKind, ...]:
    """The kinds of the rule file, in its order. Raises :class:`InputError` naming the file (and
    the kind) when it cannot be read, a field is missing, a key repeats or a cue is no pattern."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InputError(
            path, f"无法读取保障类型规则 / cannot read the safeguard kinds: {exc.strerror or exc}"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(
            path, f"规则文件格式错误 / malformed rule file: {exc}", int(m.group(1)) if m else None
        ) from exc
    kinds: list[SafeguardKind] = []
    for n, table in enumerate(data.get("kind", []), start=1):
        missing = [f for f in _FIELDS if f not in table]
        if missing:
            raise InputError(
                path, f"第{n}个类型缺少字段 {', '.join(missing)} / kind {n} lacks the field(s) {', '.join(missing)}"
            )
        key = str(table["key"])
        if any(k.key == key for k in kinds):
            raise InputError(path, f"类型键「{key}」重复 / the kind key '{key}' is given twice")
        cues: list[re.Pattern[str]] = []
        for cue in table["cues"]:
            try:
                cues.append(re.compile(fold(str(cue))))
            except re.error as exc:
                raise InputError(
                    path,
                    f"类型「{key}」的线索「{cue}」不是有效的模式 / kind '{key}': the cue '{cue}' is no pattern: {exc}",
                ) from exc
        kinds.append(
            SafeguardKind(
                key, str(table["zh"]), str(table["en"]), table["zh_definition"], table["en_definition"], tuple(cues)
            )
        )
    if not any(k.key == OTHER for k in kinds):
        raise InputError(path, f"缺少「{OTHER}」类型 / the kind '{OTHER}' is missing")
    return tuple(kinds)


def kinds_of(text: str, heading: str | None, kinds: tuple[SafeguardKind, ...]) -> list[str]:
    """The kinds of a commitment with this text under this heading, the main one first."""
    for said in (text, heading or ""):
        folded = fold(said)
        found = [k.key for k in kinds if k.key != OTHER and k.matches(folded)]
        if found:
            return found
    return [OTHER]


def classify_commitments(rec: PlanRecord, path: Path = SAFEGUARDS_FILE) -> None:
    """Fill ``kinds`` of every commitment of ``rec``."""
    kinds = load_kinds(path)
    for commitment in rec.commitments:
        commitment.kinds = kinds_of(commitment.text, commitment.heading, kinds)
