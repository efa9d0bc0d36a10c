"""sciplan-kg: a knowledge graph of China's scientific-literacy implementation plans.

The public API, one function per step of the pipeline::

    from sciplan_kg import build, extract_file, validate, run_query, export

    result = build()                      # the bundled plans → build/
    rows = run_query("tasks").rows        # a catalogue query on build/
"""

from __future__ import annotations

from pathlib import Path

from sciplan_kg.exporter import export
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.pipeline import BuildResult, build
from sciplan_kg.query import QueryResult, run_query
from sciplan_kg.validation import Report

__all__ = [
    "BuildResult",
    "PlanRecord",
    "QueryResult",
    "Report",
    "build",
    "export",
    "extract",
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


def validate(path: Path) -> Report:
    """Validate a build folder, or an RDF file (its OWL 2 RL inferences are computed first)."""
    from sciplan_kg.reason import infer
    from sciplan_kg.store import load_graphs, load_ontology
    from sciplan_kg.validation import validate_graph

    graphs = load_graphs(Path(path))
    ontology = load_ontology()
    inferred = graphs.get("inferred")
    if inferred is None:
        inferred = infer(graphs["asserted"], ontology)
    return validate_graph(graphs["asserted"] + inferred + ontology)
