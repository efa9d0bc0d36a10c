"""Shared fixtures. Golden files are rewritten with SCIPLAN_UPDATE_GOLDEN=1 (then review the
diff by hand before committing it).

``make test`` runs the suite on every core with pytest-xdist (``-n auto --dist loadgroup``): a
worker takes a whole test module at a time (its module fixtures are set up once, not once per
worker), and the tests that share an expensive session fixture named in ``GROUPED`` (the five
plans' HTML report, 27 CPU seconds) all go to one worker, which then writes it once."""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest
from rdflib import Graph

from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord
from sciplan_kg.paths import PLANS_DIR, ROOT
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.rdf.parse import union
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

try:  # pytest-xdist is in the dev extra; without it the suite runs in one process
    from xdist.scheduler import LoadGroupScheduling
except ImportError:  # pragma: no cover
    LoadGroupScheduling = None

TESTS = Path(__file__).parent
# session fixtures too costly to set up on every worker → the xdist group of the tests using them
GROUPED = {"built_report": "report", "parent_corpus": "report"}
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
def parents_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The constructed parents corpus of ``tests/corpus/test_parents.py`` (two built parents,
    four children, a plan whose parent is not built), built once for the session and its store
    synced: where a child's rows depend on its parent's graph and the parent listings have rows."""
    import shutil

    from sciplan_kg.query.kept import sync_store
    from tests.corpus.test_parents import make

    folder = tmp_path_factory.mktemp("parents") / "plans"
    make.write(folder)
    shutil.copy(next(PLANS_DIR.glob("002_*.txt")), folder)
    out = build([folder], folder.parent / "build", jobs=1).out
    sync_store(out)
    return out


@pytest.fixture(scope="session")
def five_graph(five: BuildResult) -> Graph:
    """Asserted + inferred + ontology of the five plans, as the query interface sees it."""
    return union(load_graphs(five.out))


def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` loaded as the module ``name`` (registered in ``sys.modules``, as its
    dataclasses need): the benchmark's scripts are not a package."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


class FakeSparql(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint for tests (``serving``): the graph listing ``RemoteBackend`` sends
    first is answered with one sciplan-kg graph, any other query with what ``answer`` returns
    for it and its Accept header: (HTTP status, body, Content-Type). ``software`` is the Server
    header it sends."""

    graph: ClassVar[str] = "https://w3id.org/sciplan-kg/id/graph/plan/x"
    software: ClassVar[str] = "FakeSparql/1.0"

    def answer(self, query: str, accept: str) -> tuple[int, bytes, str]:
        raise NotImplementedError

    def do_POST(self) -> None:
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        query = form["query"][0]
        if "GROUP BY ?g" in query:
            listing = {
                "head": {"vars": ["g", "n"]},
                "results": {"bindings": [{"g": {"type": "uri", "value": self.graph}}]},
            }
            status, payload, ctype = 200, json.dumps(listing).encode(), "application/sparql-results+json"
        else:
            status, payload, ctype = self.answer(query, self.headers.get("Accept", ""))
        self.server_version, self.sys_version = self.software, ""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler], path: str = "/sparql") -> Iterator[str]:
    """``handler`` served on 127.0.0.1 in a thread; yields its URL (``path`` on it)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


def path_of(plan: PlanOutput) -> Path:
    """The file a built plan came from (the five bundled plans)."""
    return PLANS_DIR / plan.file


def record_of(plan: PlanOutput) -> PlanRecord:
    """A built plan's records, extracted again here, for the tests' own expectations."""
    registry = load_registry()
    return resolve(extract_text(read_plan_text(path_of(plan))), registry)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use a fixture of ``GROUPED`` (directly or through another fixture) are marked
    with its xdist group: run before xdist's own hook, which names each group in the test's id."""
    for item in items:
        groups = sorted({GROUPED[name] for name in getattr(item, "fixturenames", ()) if name in GROUPED})
        if groups:
            item.add_marker(pytest.mark.xdist_group(groups[0]))


if LoadGroupScheduling is not None:

    class ModuleOrGroupScheduling(LoadGroupScheduling):
        """``--dist loadgroup`` with a module as the unit of the tests in no group: xdist's own
        loadgroup sends each such test alone, so a module's module-scoped fixtures (a build, a
        server) would be set up on every worker that gets one of its tests."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.rfind("@") > nodeid.rfind("]"):
                return nodeid.split("@")[-1]
            return nodeid.split("::", 1)[0]

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> LoadGroupScheduling | None:
        """The scheduler of ``--dist loadgroup``: whole modules, and whole groups."""
        if config.getvalue("dist") != "loadgroup":
            return None
        return ModuleOrGroupScheduling(config, log)
