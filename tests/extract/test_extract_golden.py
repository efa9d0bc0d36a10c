"""Extraction of each plan against golden records reviewed by hand (tests/golden/records/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciplan_kg import extract_file
from sciplan_kg.paths import PLANS_DIR
from tests.conftest import FIXTURE_PLANS, GOLDEN, golden_json

PLANS = sorted(PLANS_DIR.glob("*.txt")) + sorted(FIXTURE_PLANS.glob("*.txt"))


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_records_match_golden(path: Path) -> None:
    actual = json.loads(json.dumps(extract_file(path).to_dict(), ensure_ascii=False))
    expected = golden_json(GOLDEN / "records" / f"{path.stem}.json", actual)
    assert actual == expected


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_span_quotes_the_file(path: Path) -> None:
    """Offsets are character offsets into the decoded file; each quote is the text there."""
    rec = extract_file(path)
    text = path.read_text(encoding="utf-8")
    for measure in rec.measures:
        assert text[measure.span.start : measure.span.end] == measure.title
        for task in measure.tasks:
            quoted = text[task.span.start : task.span.end]
            assert "".join(quoted.split()) == "".join(task.text.split())
            assert text.count("\n", 0, task.span.start) + 1 == task.span.line
        for holder in [measure, *measure.tasks]:
            for a in holder.assignments:
                for m in a.mentions:
                    assert text[m.span.start : m.span.end] == m.written
    if rec.literacy_target:
        t = rec.literacy_target
        assert text[t.span.start : t.span.end] == t.quote
