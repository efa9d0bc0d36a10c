"""The public API: one function per thing a person does with sciplan-kg. The CLI (``cli.py``)
parses arguments and calls exactly one of these per command; ``sciplan_kg`` re-exports them.

Each imports its stage when called, so ``sciplan-kg query`` does not load the build pipeline
(pySHACL, SciPy).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sciplan_kg.paths import DEFAULT_BUILD_DIR

if TYPE_CHECKING:
    from sciplan_kg.evaluate import Evaluation
    from sciplan_kg.extract.records import PlanRecord
    from sciplan_kg.pipeline.build import BuildResult, Progress
    from sciplan_kg.publish.load import Upload
    from sciplan_kg.publish.report import ReportResult
    from sciplan_kg.query.catalogue import CatalogueQuery
    from sciplan_kg.query.run import QueryResult
    from sciplan_kg.validation.report import Report


def build(
    inputs: Iterable[Path] | None = None,
    out: Path = DEFAULT_BUILD_DIR,
    jobs: int | None = None,
    progress: Progress | None = None,
    incremental: bool = True,
) -> BuildResult:
    """Build the graph of the plan files (or folders) ``inputs`` (default: the bundled plans)
    into the build folder ``out``; see ``pipeline.build.build``."""
    from sciplan_kg.pipeline.build import build as run

    return run(inputs, out, jobs=jobs, progress=progress, incremental=incremental)


def run_query(name_or_file: str, data: Any = None, params: dict[str, str] | None = None, **options: Any) -> QueryResult:
    """Run a catalogue query or a ``.rq`` file; see ``query.run_query``."""
    from sciplan_kg.query import run_query as run

    return run(name_or_file, data, params, **options)


def queries() -> dict[str, CatalogueQuery]:
    """The query catalogue, by name."""
    from sciplan_kg.query.catalogue import catalogue

    return catalogue()


def export(data: Path, fmt: str, out: Path | None = None, inferred: bool = False) -> int:
    """Export a build folder (or RDF file) as ``fmt`` to ``out`` or standard output; bytes written."""
    from sciplan_kg.publish.export import export as run

    return run(data, fmt, out, inferred)


def report(data: Path, out: Path) -> ReportResult:
    """Write the HTML report of the build folder ``data`` into ``out``."""
    from sciplan_kg.publish.report import write_report

    return write_report(data, out)


def load(endpoint: str, data: Path, store_endpoint: str | None = None, timeout: float | None = None) -> list[Upload]:
    """Upload the build folder ``data`` to the SPARQL server behind ``endpoint``, one named graph
    per plan, and verify the server's triple counts."""
    from sciplan_kg.netguard import check_url
    from sciplan_kg.pipeline.dataset import load_dataset
    from sciplan_kg.publish.load import DEFAULT_TIMEOUT
    from sciplan_kg.publish.load import load as upload

    check_url(endpoint, "--endpoint")  # before the data is read
    if store_endpoint is not None:
        check_url(store_endpoint, "--store-endpoint")
    return upload(endpoint, load_dataset(data), store_endpoint, timeout or DEFAULT_TIMEOUT)


def serve(data: Path, port: int = 7878, location: Path | None = None) -> int:
    """Serve the build folder ``data`` with Oxigraph on 127.0.0.1 until interrupted; the exit code."""
    from sciplan_kg.publish.serve import serve as run

    return run(data, port, location)


def coverage(data: Path) -> QueryResult:
    """Per-plan extraction coverage of the build folder ``data``."""
    from sciplan_kg.pipeline.coverage import COLUMNS
    from sciplan_kg.pipeline.folder import BuildFolder
    from sciplan_kg.query.run import QueryResult

    return QueryResult(list(COLUMNS), BuildFolder.open(data).read_json("coverage.json"))


def evaluate(gold: str | Path, data: str | Path = DEFAULT_BUILD_DIR) -> Evaluation:
    """Precision, recall and F1 of the build folder ``data``'s extraction against the gold
    standard ``gold`` (a gold TOML file or a folder of them), per field; see ``evaluate``."""
    from sciplan_kg.evaluate import evaluate as run

    return run(Path(gold), Path(data))


def extract_file(path: Path) -> PlanRecord:
    """Extract one plan file into resolved records (no RDF)."""
    from sciplan_kg.extract import extract_plan
    from sciplan_kg.resolve.records import resolve
    from sciplan_kg.resolve.registry import load_registry

    return resolve(extract_plan(Path(path)), load_registry())


def validate(path: Path, engine: str = "compiled") -> Report:
    """Validate a build folder, or an RDF file (its OWL 2 RL inferences are computed first).

    A build folder is validated plan by plan, each plan's graph with the registries and the
    ontology, as the build does (memory stays that of one plan). ``engine``: "compiled" (the
    shapes compiled to checks) or "pyshacl" (the reference)."""
    from sciplan_kg.pipeline.dataset import DATASET_GRAPH, ONTOLOGY_GRAPH, REGISTRY_GRAPH, SIMILARITY_GRAPH, graph_files
    from sciplan_kg.pipeline.folder import load_graphs
    from sciplan_kg.rdf.parse import load_ontology, parse_files
    from sciplan_kg.reason.reasoner import infer
    from sciplan_kg.validation.report import CompiledShapes, load_shapes, merge_reports, validate_graph

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
