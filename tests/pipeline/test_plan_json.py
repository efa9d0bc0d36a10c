"""``plan.json_text`` writes what ``json.dumps(asdict(...), ensure_ascii=False, indent=1,
sort_keys=True)`` writes (the build's record and summary files), byte for byte."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pytest

from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.plan import json_text
from sciplan_kg.read.text import read_plan_text


def _reference(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)


@dataclass
class _Inner:
    b: tuple[int, ...] = (1, 2)
    a: str = '引号"\\\n\t\u2028'


@dataclass
class _Outer:
    z: list[_Inner] = field(default_factory=lambda: [_Inner(), _Inner((), "")])
    y: dict[str, object] = field(default_factory=lambda: {"b": None, "a": [True, False, 0.1, -3, 1e300, []], "c": {}})
    x: float = 2.5


@pytest.mark.parametrize(
    "obj",
    [
        {},
        [],
        "",
        None,
        {"a": {"b": [1, [2, {}], {"c": "d"}]}, "A": (1.0, -0.0, 12345678901234567890)},
        [float("nan"), float("inf")],  # json's own spelling (NaN, Infinity), by json itself
        {1: "a key that is not a string"},
    ],
)
def test_plain_values(obj: object) -> None:
    assert json_text(obj) == _reference(obj)


def test_dataclasses_as_asdict() -> None:
    assert json_text(_Outer()) == _reference(asdict(_Outer()))


def test_a_plan_record() -> None:
    for path in sorted(PLANS_DIR.glob("*.txt"))[:2]:
        rec = extract_text(read_plan_text(path))
        assert json_text(rec) == _reference(rec.to_dict())
