"""What the reader tests compare: a text's extraction records without where they point (offsets,
line numbers, checksums, the text's length and name), field by field."""

from __future__ import annotations

from functools import cache
from typing import Any

from sciplan_kg.extract import extract_text
from sciplan_kg.read.text import plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import Registry, load_registry

# where a record points into its text, not what it says
LOCATION_KEYS = {"span", "start", "end", "line", "lines", "sha256", "file", "length", "source"}


def drop_locations(value: object) -> object:
    if isinstance(value, dict):
        return {
            k: drop_locations(v)
            for k, v in value.items()
            if k not in LOCATION_KEYS and not k.endswith(("_span", "_line", "_start", "_end"))
        }
    if isinstance(value, list):
        return [drop_locations(v) for v in value]
    return value


@cache
def registry() -> Registry:
    return load_registry()


def records(text: str, name: str) -> Any:
    """The resolved records of ``text``, without locations."""
    return drop_locations(resolve(extract_text(plan_text(text, name)), registry()).to_dict())


def assert_same(got: object, want: object, where: str = "") -> None:
    """Field by field, so a failure names the field that differs."""
    assert type(got) is type(want), f"{where}: {got!r} != {want!r}"
    if isinstance(want, dict):
        assert isinstance(got, dict)
        assert got.keys() == want.keys(), f"{where}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            assert_same(got[k], want[k], f"{where}/{k}")
    elif isinstance(want, list):
        assert isinstance(got, list)
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            assert_same(g, w, f"{where}[{i}]")
        assert len(got) == len(want), f"{where}: {len(got)} items != {len(want)}"
    else:
        assert got == want, f"{where}: {got!r} != {want!r}"
