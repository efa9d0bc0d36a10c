"""Shared fixtures. Golden files are rewritten with SCIPLAN_UPDATE_GOLDEN=1 (then review the
diff by hand before committing it)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Graph

from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline import BuildResult, build
from sciplan_kg.store import load_graphs, union

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"
FIXTURE_PLANS = TESTS / "fixtures" / "plans"
UPDATE = os.environ.get("SCIPLAN_UPDATE_GOLDEN") == "1"


def golden_json(path: Path, actual: object) -> object:
    """The golden value at ``path``; written from ``actual`` when updating or missing."""
    if not UPDATE and not path.exists():
        pytest.fail(f"golden file {path} is missing: run with SCIPLAN_UPDATE_GOLDEN=1 and review it")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_plans() -> list[Path]:
    return sorted(PLANS_DIR.glob("*.txt"))


@pytest.fixture(scope="session")
def five(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The five bundled plans, built once for the session."""
    return build(None, tmp_path_factory.mktemp("five") / "build")


@pytest.fixture(scope="session")
def five_graph(five: BuildResult) -> Graph:
    """Asserted + inferred + ontology of the five plans, as the query interface sees it."""
    return union(load_graphs(five.out))
