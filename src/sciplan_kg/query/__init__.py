"""The SPARQL query interface: catalogue, running, output formats."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from sciplan_kg.paths import DEFAULT_BUILD_DIR
from sciplan_kg.query.catalogue import CatalogueQuery, catalogue, find_query
from sciplan_kg.query.run import QueryResult, run_local
from sciplan_kg.store import load_graphs, union

__all__ = ["CatalogueQuery", "QueryResult", "catalogue", "find_query", "run_query"]


def run_query(
    name_or_file: str,
    data: Path | Graph | None = None,
    params: dict[str, str] | None = None,
) -> QueryResult:
    """Run a catalogue query (by name) or a .rq file on a build folder, an RDF file or a graph.

    >>> rows = run_query("plans").rows          # doctest: +SKIP
    >>> run_query("tasks", params={"plan": iri}).dataframe()   # with pandas installed  # doctest: +SKIP
    """
    q = find_query(name_or_file)
    if isinstance(data, Graph):
        graph = data
    else:
        graph = union(load_graphs(data or DEFAULT_BUILD_DIR))
    return run_local(q, graph, params)
