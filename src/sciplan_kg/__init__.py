"""sciplan-kg: a knowledge graph of China's scientific-literacy implementation plans.

The public API (``api.py``), one function per thing a person does::

    from sciplan_kg import build, extract_file, validate, run_query, export

    result = build()                      # the bundled plans → build/ (in the current folder)
    rows = run_query("tasks").rows        # a catalogue query on build/

Every path may be a ``str`` or a ``Path``, read against the current folder; the defaults are
the CLI's (``build/``, ``report/``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sciplan_kg.api import (
        build,
        coverage,
        evaluate,
        export,
        extract_file,
        load,
        queries,
        report,
        run_query,
        serve,
        validate,
    )
    from sciplan_kg.extract.records import PlanRecord
    from sciplan_kg.pipeline.build import BuildResult
    from sciplan_kg.query.run import QueryResult
    from sciplan_kg.validation.report import Report

# imported when first used: a query need not load the build pipeline (pySHACL, SciPy), which
# was half a second of every `sciplan-kg query`
_API = (
    "build",
    "check_answer_target",
    "coverage",
    "evaluate",
    "export",
    "extract_file",
    "load",
    "queries",
    "report",
    "run_query",
    "serve",
    "validate",
)
_LAZY = {
    **dict.fromkeys(_API, "sciplan_kg.api"),
    "PlanRecord": "sciplan_kg.extract.records",
    "BuildResult": "sciplan_kg.pipeline.build",
    "QueryResult": "sciplan_kg.query.run",
    "Report": "sciplan_kg.validation.report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sciplan_kg' has no attribute {name!r}")


__all__ = [
    "BuildResult",
    "PlanRecord",
    "QueryResult",
    "Report",
    "build",
    "check_answer_target",
    "coverage",
    "evaluate",
    "export",
    "extract_file",
    "load",
    "queries",
    "report",
    "run_query",
    "serve",
    "validate",
]
__version__ = "0.1.0"
