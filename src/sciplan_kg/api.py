"""The public API: one function per thing a person does with sciplan-kg. The CLI (``cli.py``)
parses arguments and calls exactly one of these per command; ``sciplan_kg`` re-exports them.

Every path a function takes may be a ``str`` or a ``pathlib.Path`` (``~`` is expanded), and is
read against the current folder, as the CLI reads its arguments: ``build()`` writes ``build/``
in the current folder, ``run_query("tasks")`` reads it, ``report()`` writes ``report/`` beside
it. The defaults are the CLI's.

Each imports its stage when called, so ``sciplan-kg query`` does not load the build pipeline
(pySHACL, SciPy).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

    from sciplan_kg.evaluation import Evaluation
    from sciplan_kg.extract.records import PlanRecord
    from sciplan_kg.pipeline.build import BuildResult, Progress
    from sciplan_kg.publish.load import Upload
    from sciplan_kg.publish.report import ReportResult
    from sciplan_kg.query.catalogue import CatalogueQuery
    from sciplan_kg.query.run import QueryResult
    from sciplan_kg.validation.report import Report

PathLike = Union[str, "os.PathLike[str]"]
"""A path as a person writes it: ``"kg"``, ``"~/plans"``, ``Path("build")``."""

DEFAULT_BUILD = Path("build")
"""The build folder every command reads and ``build`` writes when none is given: ``build/`` in
the current folder (relative, so it is resolved when used, against the folder you are in)."""

DEFAULT_REPORT = Path("report")
"""The folder ``report`` writes when none is given: ``report/`` in the current folder."""


def as_path(path: PathLike) -> Path:
    """``path`` as a ``Path``, ``~`` expanded; a relative path stays relative (to the current folder)."""
    return Path(os.path.expanduser(os.fspath(path)))


def build(
    inputs: PathLike | Iterable[PathLike] | None = None,
    out: PathLike = DEFAULT_BUILD,
    jobs: int | None = None,
    progress: Progress | None = None,
    incremental: bool = True,
) -> BuildResult:
    """Build the graph of the plan files or folders ``inputs`` (one path or several; default:
    the bundled plans) into the build folder ``out`` (default ``build/``), ``jobs`` worker
    processes (default one per core), reusing the unchanged plans of ``out`` unless
    ``incremental`` is false; see ``pipeline.build.build``::

        build()                                  # the bundled plans → build/
        build("~/plans", out="kg")               # a folder of plans → kg/
    """
    from sciplan_kg.pipeline.build import build as run

    if inputs is None:
        paths = None
    elif isinstance(inputs, (str, os.PathLike)):
        paths = [as_path(inputs)]
    else:
        paths = [as_path(p) for p in inputs] or None
    return run(paths, as_path(out), jobs=jobs, progress=progress, incremental=incremental)


def run_query(
    name_or_file: PathLike,
    data: PathLike | Graph | None = None,
    params: dict[str, Any] | None = None,
    **options: Any,
) -> QueryResult:
    """Run a catalogue query (by name) or a ``.rq`` file on the build folder or RDF file ``data``
    (default ``build/``), an rdflib ``Graph``, or a SPARQL server (``endpoint="URL"``).

    ``params`` binds the query's parameters (values may be numbers: ``{"minTasks": 5}``);
    ``options`` are ``query.run_query``'s: ``endpoint``, ``store`` ("oxigraph" or "rdflib"),
    ``timeout`` (seconds), ``views`` (false: evaluate even where the store keeps the answer),
    ``tables`` (false: evaluate on Oxigraph only, never on the store's DuckDB tables)::

        run_query("tasks").rows
        run_query("co-responsibility", "kg", {"minTasks": 5}).dataframe()   # needs pandas
    """
    from rdflib import Graph

    from sciplan_kg.query import run_query as run

    if isinstance(data, Graph):
        source: Path | Graph | None = data
    elif data is not None:
        source = as_path(data)
    else:
        source = None if options.get("endpoint") else DEFAULT_BUILD
    values = {str(k): v if isinstance(v, str) else str(v) for k, v in (params or {}).items()}
    return run(os.fspath(name_or_file), source, values, **options)


def check_answer_target(out: PathLike, data: PathLike | None = None, query_file: PathLike | None = None) -> None:
    """May a query's answer be written to the file ``out``? Not onto the query file it answers,
    a file the build folder ``data`` wrote, or anything in the query store beside it (the tool's
    own, which a query would then find damaged): an ``InputError`` naming ``out``, before the
    query runs. Any other file is replaced, atomically, as ``>`` would."""
    from sciplan_kg.errors import InputError, SciplanError
    from sciplan_kg.pipeline.folder import BuildFolder
    from sciplan_kg.publish.export import check_export_target
    from sciplan_kg.store.sync import store_path

    target = as_path(out).resolve()
    if query_file is not None and target == as_path(query_file).resolve():
        raise InputError(out, "输出文件就是查询文件本身 / the output is the query file itself: choose another name")
    if data is None or not as_path(data).is_dir():
        return
    build = as_path(data)
    store = store_path(build).resolve()
    if target == store or store in target.parents:
        raise InputError(
            out, "这在 sciplan-kg 的查询库之内 / this is inside the query store sciplan-kg keeps: choose another name"
        )
    try:
        folder = BuildFolder.open(build)
    except SciplanError:
        return  # not a build folder: the query says so itself
    check_export_target(build, as_path(out), folder)  # a folder, or one of the build folder's own files


def queries() -> dict[str, CatalogueQuery]:
    """The query catalogue, by name."""
    from sciplan_kg.query.catalogue import catalogue

    return catalogue()


def export(
    data: PathLike = DEFAULT_BUILD,
    fmt: str = "turtle",
    out: PathLike | None = None,
    inferred: bool = False,
    links: bool = True,
) -> int:
    """Export a build folder (or RDF file) ``data`` (default ``build/``) as ``fmt`` ("turtle",
    "trig", "nt", "jsonld") to the file ``out`` or standard output; the bytes written. The plans'
    and registries' asserted triples, the inferences if ``inferred``, the link graphs (similar
    tasks, parent plans) and the dataset's description unless ``links`` is False."""
    from sciplan_kg.publish.export import export as run

    return run(as_path(data), fmt, None if out is None else as_path(out), inferred, links)


def report(data: PathLike = DEFAULT_BUILD, out: PathLike = DEFAULT_REPORT, jobs: int | None = None) -> ReportResult:
    """Write the HTML report of the build folder ``data`` (default ``build/``) into ``out``
    (default ``report/``). The catalogue's answers are written as CSV and XLSX by ``jobs``
    worker processes (default 2) while this process reads the corpus, and the pages shared
    with ``jobs - 1`` more; ``jobs=1`` writes everything here, in less memory."""
    from sciplan_kg.publish.report import write_report

    return write_report(as_path(data), as_path(out), jobs=jobs)


def load(
    endpoint: str,
    data: PathLike = DEFAULT_BUILD,
    store_endpoint: str | None = None,
    timeout: float | None = None,
) -> list[Upload]:
    """Upload the build folder ``data`` (default ``build/``) to the SPARQL server behind
    ``endpoint``, one named graph per plan, and verify the server's triple counts."""
    from sciplan_kg.netguard import check_url
    from sciplan_kg.pipeline.dataset import graph_files, load_dataset
    from sciplan_kg.publish.load import DEFAULT_TIMEOUT
    from sciplan_kg.publish.load import load as upload

    check_url(endpoint, "--endpoint")  # before the data is read
    if store_endpoint is not None:
        check_url(store_endpoint, "--store-endpoint")
    path = as_path(data)
    # a build folder's graphs as their files, each read when its turn comes (publish/load.py)
    graphs: dict[URIRef, Graph | list[Path]] = dict(graph_files(path) if path.is_dir() else load_dataset(path))
    return upload(endpoint, graphs, store_endpoint, timeout or DEFAULT_TIMEOUT)


def serve(
    data: PathLike = DEFAULT_BUILD, port: int = 7878, location: PathLike | None = None, writable: bool = False
) -> int:
    """Serve the build folder ``data`` (default ``build/``) with Oxigraph on 127.0.0.1 until
    interrupted, its database in ``location`` (default: beside the build folder), read-only
    unless ``writable`` (so that ``load`` can write to it); the exit code."""
    from sciplan_kg.publish.serve import serve as run

    options = {"writable": True} if writable else {}
    return run(as_path(data), port, None if location is None else as_path(location), **options)


def coverage(data: PathLike = DEFAULT_BUILD) -> QueryResult:
    """Per-plan extraction coverage of the build folder ``data`` (default ``build/``)."""
    from sciplan_kg.errors import InputError
    from sciplan_kg.pipeline.coverage import COLUMNS
    from sciplan_kg.pipeline.folder import BuildFolder
    from sciplan_kg.query.run import QueryResult

    folder = BuildFolder.open(as_path(data))
    rows = folder.read_json("coverage.json")
    if not isinstance(rows, list) or not all(isinstance(r, dict) and set(COLUMNS) <= set(r) for r in rows):
        raise InputError(folder.path / "coverage.json", "不是覆盖率表，请重新构建 / not a coverage table: rebuild")
    return QueryResult(list(COLUMNS), rows)


def evaluate(gold: PathLike, data: PathLike = DEFAULT_BUILD) -> Evaluation:
    """Precision, recall and F1 of the build folder ``data``'s extraction (default ``build/``)
    against the gold standard ``gold`` (a gold TOML file or a folder of them), per field; see
    ``evaluate``."""
    from sciplan_kg.evaluation import evaluate as run

    return run(as_path(gold), as_path(data))


def extract_file(path: PathLike) -> PlanRecord:
    """Extract one plan file into resolved records (no RDF)."""
    from sciplan_kg.extract import extract_text
    from sciplan_kg.read.text import read_plan_text
    from sciplan_kg.resolve.records import resolve
    from sciplan_kg.resolve.registry import load_registry

    pt = read_plan_text(as_path(path))
    return resolve(extract_text(pt), load_registry(), pt.raw)


def validate(path: PathLike = DEFAULT_BUILD, engine: str = "compiled", jobs: int | None = None) -> Report:
    """Validate a build folder (default ``build/``), or an RDF file (its OWL 2 RL inferences are
    computed first).

    A build folder is validated plan by plan, each plan's graph with the registries and the
    ontology, as the build does (memory stays that of one plan), on ``jobs`` processes (default:
    one per core; ``pipeline.check``). ``engine``: "compiled" (the shapes compiled to checks)
    or "pyshacl" (the reference)."""
    from sciplan_kg.pipeline.folder import load_graphs
    from sciplan_kg.rdf.parse import load_ontology
    from sciplan_kg.reason.reasoner import infer
    from sciplan_kg.validation.report import validate_graph

    path = as_path(path)
    if not path.is_dir():
        ontology = load_ontology()
        graphs = load_graphs(path)
        inferred = graphs.get("inferred")
        if inferred is None:
            inferred = infer(graphs["asserted"], ontology)
        return validate_graph([graphs["asserted"], inferred, ontology], engine=engine)
    from sciplan_kg.pipeline.build import default_jobs
    from sciplan_kg.pipeline.check import validate_folder

    return validate_folder(path, engine, jobs or default_jobs())
