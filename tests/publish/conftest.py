"""Fixtures of the publish tests: the report of the five bundled plans, written once per session
and shared by test_report.py, test_browser.py and test_report_scale.py (it takes a while); and
the report of the parent test corpus (tests/fixtures/parents/make.py: two parent plans, four
children that copy, adapt, drop and add tasks), for the parent comparison pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.publish.report import write_report
from tests.fixtures.parents.make import write as write_parent_corpus


@pytest.fixture(scope="session")
def built_report(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    write_report(five.out, out)
    return out


@dataclass
class ParentCorpus:
    build: BuildResult
    report: Path
    made: dict[str, list[tuple[str, str, str]]]  # child key → (fate, child paragraph, parent paragraph)


@pytest.fixture(scope="session")
def parent_corpus(tmp_path_factory: pytest.TempPathFactory) -> ParentCorpus:
    folder = tmp_path_factory.mktemp("parents")
    made = write_parent_corpus(folder / "plans")
    built = build(sorted((folder / "plans").glob("*.txt")), folder / "build", jobs=1)
    write_report(built.out, folder / "report")
    return ParentCorpus(built, folder / "report", made)
