"""Fixtures of the publish tests: the report of the five bundled plans, written once per session
and shared by test_report.py, test_browser.py and test_report_scale.py (it takes a while)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.publish.report import write_report


@pytest.fixture(scope="session")
def built_report(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(five.out, out)
    return out
