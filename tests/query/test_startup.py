"""What a query command loads before it answers: one plan's rows are asked of Oxigraph, so
neither DuckDB (0.06 s to import) nor rdflib's SPARQL parser (0.14 s) is imported for them;
a whole-corpus listing imports DuckDB and is answered from its tables; a query whose text
could hold ``SERVICE`` is still parsed by rdflib and refused. Each case in a new process, as
at the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult

_RUN = """
import json, sys
from pathlib import Path
from sciplan_kg.api import run_query
from sciplan_kg.errors import QueryError
name, data, params = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
try:
    rows = len(run_query(name, data, params).rows)
except QueryError as exc:
    rows = str(exc)
print(json.dumps({"rows": rows, "duckdb": "duckdb" in sys.modules,
                  "sparql": "rdflib.plugins.sparql" in sys.modules}))
"""


def _run(name: str, build: Path, params: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, name, str(build), json.dumps(params)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def synced(five: BuildResult) -> Path:
    from sciplan_kg.query.kept import sync_store

    sync_store(five.out)
    return five.out


def test_one_plans_rows_import_neither_duckdb_nor_the_sparql_parser(synced: Path, five: BuildResult) -> None:
    got = _run("tasks", synced, {"plan": five.plans[0].plan})
    assert isinstance(got["rows"], int) and got["rows"] > 0
    assert got["duckdb"] is False and got["sparql"] is False


def test_a_whole_corpus_listing_is_answered_from_duckdb(synced: Path) -> None:
    got = _run("tasks", synced, {})
    assert isinstance(got["rows"], int) and got["rows"] > 0
    assert got["duckdb"] is True


def test_a_query_that_may_hold_service_is_parsed_and_refused(synced: Path, tmp_path: Path) -> None:
    rq = tmp_path / "remote.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n", encoding="utf-8")
    got = _run(str(rq), synced, {})
    assert got["sparql"] is True
    assert isinstance(got["rows"], str) and "SERVICE" in got["rows"]
