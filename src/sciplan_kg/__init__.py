"""sciplan-kg: a knowledge graph of China's scientific-literacy implementation plans.

The public API, one function per step of the pipeline::

    from sciplan_kg import build, extract_file, validate, run_query, export

    result = build()                      # the bundled plans → build/
    rows = run_query("tasks").rows        # a catalogue query on build/
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sciplan_kg.exporter import export
    from sciplan_kg.extract.records import PlanRecord
    from sciplan_kg.pipeline import BuildResult, build
    from sciplan_kg.query import QueryResult, run_query
    from sciplan_kg.validation import Report

# imported when first used: a query need not load the build pipeline (pySHACL, SciPy), which
# was half a second of every `sciplan-kg query`
_LAZY = {
    "export": "sciplan_kg.exporter",
    "PlanRecord": "sciplan_kg.extract.records",
    "BuildResult": "sciplan_kg.pipeline",
    "build": "sciplan_kg.pipeline",
    "QueryResult": "sciplan_kg.query",
    "run_query": "sciplan_kg.query",
    "Report": "sciplan_kg.validation",
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
    "export",
    "extract_file",
    "run_query",
    "validate",
]
__version__ = "0.1.0"


def extract_file(path: Path) -> PlanRecord:
    """Extract one plan file into resolved records (no RDF)."""
    from sciplan_kg.extract import extract_plan
    from sciplan_kg.registry import load_registry
    from sciplan_kg.resolve import resolve

    return resolve(extract_plan(Path(path)), load_registry())


def validate(path: Path, engine: str = "compiled") -> Report:
    """Validate a build folder, or an RDF file (its OWL 2 RL inferences are computed first).

    A build folder is validated plan by plan, each plan's graph with the registries and the
    ontology, as the build does (memory stays that of one plan). ``engine``: "compiled" (the
    shapes compiled to checks) or "pyshacl" (the reference)."""
    from sciplan_kg.dataset import DATASET_GRAPH, ONTOLOGY_GRAPH, REGISTRY_GRAPH, SIMILARITY_GRAPH, graph_files
    from sciplan_kg.reason import infer
    from sciplan_kg.store import load_graphs, load_ontology, parse_files
    from sciplan_kg.validation import CompiledShapes, load_shapes, merge_reports, validate_graph

    path = Path(path)
    ontology = load_ontology()
    if not path.is_dir():
        graphs = load_graphs(path)
        inferred = graphs.get("inferred")
        if inferred is None:
            inferred = infer(graphs["asserted"], ontology)
        return validate_graph([graphs["asserted"], inferred, ontology], engine=engine)
    files = graph_files(path)
    shapes = load_shapes()
    checks = CompiledShapes(shapes) if engine == "compiled" else shapes
    context = parse_files(files[REGISTRY_GRAPH], into=ontology)
    reports = [validate_graph(context, checks, engine)]
    for name, plan_files in files.items():
        if name not in (REGISTRY_GRAPH, ONTOLOGY_GRAPH, SIMILARITY_GRAPH, DATASET_GRAPH):
            reports.append(validate_graph([parse_files(plan_files), context], checks, engine))
    return merge_reports(reports)
