"""Querying: the SPARQL catalogue (``queries/``, one query per file), parameters bound as
terms, backends (the embedded Oxigraph store, rdflib in memory, a remote endpoint over the
SPARQL protocol), the answers the embedded store keeps (``kept``), output formats.

In: a query name or file, parameters (by IRI or by name, ``names``), a build folder (its
store) or an endpoint. Out: ``run.QueryResult`` (rows, an ASK's boolean or a CONSTRUCT's
graph), written by ``output`` as a table, CSV, TSV, JSON, xlsx or RDF. Imports ``store``,
``pipeline`` and before; never ``publish``.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from rdflib import Graph

from sciplan_kg.errors import UsageError
from sciplan_kg.paths import DEFAULT_BUILD_DIR
from sciplan_kg.query.backends import Backend, OxigraphBackend, RdflibBackend, RemoteBackend
from sciplan_kg.query.catalogue import CatalogueQuery, catalogue, find_query
from sciplan_kg.query.names import resolve_params
from sciplan_kg.query.run import QueryResult

__all__ = ["CatalogueQuery", "QueryResult", "backend", "catalogue", "find_query", "run_query"]
STORES = ("rdflib", "oxigraph")


def backend(
    data: Path | Graph | None = None,
    endpoint: str | None = None,
    store: str = "oxigraph",
    views: bool = True,
    tables: bool = True,
    memory: str | None = None,
) -> Backend:
    """The backend a query runs on: a remote endpoint, or a build folder / RDF file / graph in
    an embedded Oxigraph store (default; a build folder's store is kept on disk beside it, see
    ``store/sync.py``) or loaded into rdflib. A build folder's store serves the answers it keeps of
    the catalogue queries at their default parameters (``query/kept.py``) unless ``views`` is
    false, and answers the whole-corpus listings and a user's ``.rq`` it can translate on its
    DuckDB tables (``query/frames.py``) unless ``tables`` is false: then Oxigraph evaluates
    every query (to compare the two engines, or when DuckDB misbehaves). ``memory`` limits
    DuckDB's memory there ("300MB"; by default it may take 80 % of the machine's, and keeps the
    tables' pages it read while the connection is open)."""
    if endpoint:
        return RemoteBackend(endpoint)
    if store not in STORES:
        raise UsageError(f"未知存储 / unknown store '{store}'; use one of {', '.join(STORES)}")
    from sciplan_kg.pipeline.folder import load_graphs
    from sciplan_kg.rdf.parse import union

    if isinstance(data, Graph):
        graph = data
        if store == "rdflib":
            return RdflibBackend(graph)
        return OxigraphBackend.from_graphs({"urn:sciplan-kg:data": graph})  # type: ignore[dict-item]
    path = data or DEFAULT_BUILD_DIR
    if store == "rdflib":
        return RdflibBackend(build=path) if path.is_dir() else RdflibBackend(union(load_graphs(path)))
    if path.is_dir():
        from sciplan_kg.query.kept import open_store_in_state
        from sciplan_kg.store.sync import store_path

        store_dir = store_path(path)
        kept = store_dir if views else None
        from sciplan_kg.query import frames  # the whole-corpus listings on DuckDB (docs/engines.md)

        opened, state = open_store_in_state(path)
        if tables and frames.installed():  # imported when a query asks for it (``serves``)
            return frames.FramesBackend(opened, store_dir, kept=kept, scope=store_dir, opened=state, memory=memory)
        return OxigraphBackend(opened, kept=kept, scope=store_dir, opened=state)
    from sciplan_kg.pipeline.dataset import load_dataset

    return OxigraphBackend.from_graphs(load_dataset(path))


def run_query(
    name_or_file: str,
    data: Path | Graph | None = None,
    params: dict[str, str] | None = None,
    *,
    endpoint: str | None = None,
    store: str = "oxigraph",
    timeout: float | None = None,
    views: bool = True,
    tables: bool = True,
) -> QueryResult:
    """Run a catalogue query (by name) or a .rq file.

    ``data`` is a build folder, an RDF file or an rdflib graph (default: build/); ``endpoint``
    a SPARQL endpoint to run it on instead; ``store`` the embedded engine ("oxigraph", the
    default, or "rdflib"); ``views`` false evaluates a catalogue query even where the build's
    store keeps its answer (``query/kept.py``); ``tables`` false evaluates every query on Oxigraph,
    none on the store's DuckDB tables (``query/frames.py``). A plan, agency, area or agency type parameter
    may be given by IRI, prefixed name, slug or name (``query/names.py``). Returns a SELECT's
    rows (``.dataframe()`` gives a pandas DataFrame when pandas is installed), an ASK's
    ``.boolean``, a CONSTRUCT's or DESCRIBE's ``.graph``::

        rows = run_query("plans").rows
        df = run_query("tasks", params={"plan": "巫山县"}).dataframe()
    """
    q = find_query(name_or_file)
    # closed now, not when collected: rdflib's parser (pyparsing) keeps the frames of the last
    # parse alive, and with them a DuckDB connection a later writer in this process (a sync
    # after a build, in a notebook) could not open the database beside
    with closing(backend(data, endpoint, store, views, tables)) as where:
        return where.run(q, resolve_params(q, params or {}, where, timeout), timeout)
