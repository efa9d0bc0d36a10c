"""A build of two small county plans (石门 and 桃源, the same office's wording), once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult, build
from tests.evaluate.plans import SHIMEN, write

TAOYUAN = SHIMEN.replace("石门", "桃源").replace("石政发", "桃政发")


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    plans = tmp_path_factory.mktemp("plans")
    write(plans, "shimen.txt", SHIMEN)
    write(plans, "taoyuan.txt", TAOYUAN)
    return build([plans], tmp_path_factory.mktemp("small") / "build", jobs=1)


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    return folder
