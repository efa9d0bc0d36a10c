"""The remote path against a real Oxigraph server started here on 127.0.0.1: load, query with
the same rows as locally (with and without a union default graph), replace one plan, and a
server that is down."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.dataset import REGISTRY_GRAPH, load_dataset
from sciplan_kg.publish.load import load, store_endpoint
from sciplan_kg.publish.serve import oxigraph_binary
from sciplan_kg.query import catalogue, run_query
from sciplan_kg.query.backends import split_order
from sciplan_kg.query.remote import RemoteError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(*extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=1).read()
            return proc, endpoint
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph did not start")


@pytest.fixture(scope="module", params=["plain", "union-default-graph"])
def server(request: pytest.FixtureRequest, five: BuildResult) -> Iterator[str]:
    extra = ("--union-default-graph",) if request.param == "union-default-graph" else ()
    proc, endpoint = start_oxigraph(*extra)
    try:
        assert main(["load", "--data", str(five.out), "--endpoint", endpoint]) == 0
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _rows(result) -> list[str]:
    import json

    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in result.rows)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_remote_rows_equal_local_rows(name: str, server: str, five: BuildResult, five_graph: Graph) -> None:
    assert _rows(run_query(name, endpoint=server)) == _rows(run_query(name, five_graph))


ORDERED = sorted(n for n, q in catalogue().items() if split_order(q.text)[1])


def order(name: str, result) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """The rows of catalogue query ``name`` as their final ORDER BY's keys: rows equal in every
    key may come in either order, so orders are compared by these."""
    keys = [var for var, _ in split_order(catalogue()[name].text)[1]]
    return [tuple(row[k] for k in keys) for row in result.rows]


@pytest.mark.parametrize("name", ORDERED)
def test_remote_rows_come_in_the_embedded_order(name: str, server: str, five: BuildResult) -> None:
    """A server's SPARQL order is the embedded store's (``backends.order_key``)."""
    assert order(name, run_query(name, endpoint=server)) == order(name, run_query(name, five.out))


def test_parameters_are_bound_remotely_as_terms(server: str, five_graph: Graph) -> None:
    plan = run_query("plans", five_graph).rows[0]["plan"]
    remote = run_query("tasks", params={"plan": plan}, endpoint=server).rows
    assert remote and {r["plan"] for r in remote} == {plan}


def test_string_values_with_sparql_syntax_stay_data(server: str, five_graph: Graph, tmp_path: Path) -> None:
    rq = tmp_path / "needle.rq"
    rq.write_text(
        "#+ summary_zh: 含某字符串的任务数\n#+ summary_en: tasks containing a string\n#+ description: test\n"
        "#+ param: needle | string | (none) | text to look for\n#+ columns: n\n"
        "PREFIX sk: <https://w3id.org/sciplan-kg/ontology#>\n"
        "SELECT (COUNT(?t) AS ?n) WHERE { ?t sk:text ?text . FILTER(CONTAINS(STR(?text), ?needle)) }\n",
        encoding="utf-8",
    )
    evil = '科普" ) } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("'
    for kwargs in ({"endpoint": server}, {"data": five_graph}):
        assert run_query(str(rq), params={"needle": evil}, **kwargs).rows == [{"n": 0}]
        assert run_query(str(rq), params={"needle": "科普"}, **kwargs).rows[0]["n"] > 0
    assert run_query("plans", endpoint=server).rows, "the server still holds the graph"


def test_replacing_a_plan_replaces_its_graph_only(five: BuildResult) -> None:
    proc, endpoint = start_oxigraph()
    try:
        named = load_dataset(five.out)
        load(endpoint, named)
        plan_graphs = sorted(g for g in named if "/graph/plan/" in str(g))
        target, other = plan_graphs[0], plan_graphs[1]
        replacement = Graph()
        replacement.add((URIRef(str(target) + "#marker"), URIRef("urn:p"), Literal("新版本")))
        load(endpoint, {target: replacement})

        def count(graph: URIRef) -> int:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            url = endpoint + "?" + urllib.parse.urlencode({"query": q})
            req = urllib.request.Request(url, headers={"Accept": "text/csv"})
            return int(urllib.request.urlopen(req, timeout=10).read().decode().split()[-1])

        assert count(target) == 1
        assert count(other) == len(named[other])
        assert count(REGISTRY_GRAPH) == len(named[REGISTRY_GRAPH])
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_down_is_a_clear_error(capsys: pytest.CaptureFixture[str], five: BuildResult) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises((RemoteError, QueryError)):
        run_query("plans", endpoint=endpoint)
    assert main(["query", "plans", "--endpoint", endpoint]) == 2
    assert main(["load", "--data", str(five.out), "--endpoint", endpoint]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the server" in err and "Traceback" not in err


def test_store_endpoint_guess() -> None:
    assert store_endpoint("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert store_endpoint("http://localhost:8890/sparql") == "http://localhost:8890/sparql-graph-crud"
    assert store_endpoint("http://localhost:3030/ds/query") == "http://localhost:3030/ds/data"


def test_serve_prepares_a_store(five: BuildResult, tmp_path: Path) -> None:
    from sciplan_kg.publish.serve import prepare_store

    location = prepare_store(five.out, tmp_path / "ox")
    assert any(location.iterdir())


# ---- another server (Virtuoso through `make virtuoso-test`), only when SCIPLAN_SPARQL_ENDPOINT is set

EXTERNAL = os.environ.get("SCIPLAN_SPARQL_ENDPOINT")


@pytest.fixture(scope="module")
def external(five: BuildResult) -> str:
    if not EXTERNAL:
        pytest.skip("SCIPLAN_SPARQL_ENDPOINT is not set (make virtuoso-test sets it)")
    host = urllib.parse.urlsplit(EXTERNAL).hostname
    assert host in ("127.0.0.1", "localhost", "::1"), "tests only reach servers on this machine"
    assert main(["load", "--data", str(five.out), "--endpoint", EXTERNAL]) == 0
    return EXTERNAL


# Rows an external server answers differently, each a strict xfail (the comparison runs; a gap
# that closes fails until it is taken off). None at present: Virtuoso 7.2.5 lost directive-chain's
# rows of a title-only parent until the chain moved into a sub-query of its own (2026-12-06).
KNOWN_EXTERNAL_GAPS: dict[str, str] = {}


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_external_rows_equal_local_rows(
    name: str, external: str, five_graph: Graph, request: pytest.FixtureRequest
) -> None:
    if name in KNOWN_EXTERNAL_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_EXTERNAL_GAPS[name], strict=True))
    assert _rows(run_query(name, endpoint=external)) == _rows(run_query(name, five_graph))


def test_a_build_folder_is_uploaded_from_its_files_one_graph_at_a_time(
    five: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never the whole folder parsed into rdflib first (``load_dataset``: gigabytes at 3,000
    plans); the load verifies each graph's count on the server."""
    from sciplan_kg import api
    from sciplan_kg.pipeline import dataset

    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} parsed whole")

    monkeypatch.setattr(dataset, "load_dataset", refuse)
    proc, endpoint = start_oxigraph()
    try:
        uploads = api.load(endpoint, five.out)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    files = dataset.graph_files(five.out)
    assert [u.graph for u in uploads] == sorted(str(g) for g in files)


def test_what_is_sent_of_a_graphs_files_is_those_files_as_written(five: BuildResult, tmp_path: Path) -> None:
    """Each triple once, literals as written ("0.1090", which Oxigraph's store would write
    "0.109"), a file's blank nodes its own: the N-Triples read back equal the files read by rdflib."""
    from rdflib.compare import isomorphic

    from sciplan_kg.pipeline.dataset import ONTOLOGY_GRAPH, graph_files
    from sciplan_kg.publish.load import n_triples
    from sciplan_kg.rdf.parse import parse_files

    files = graph_files(five.out)
    for name in [*sorted(files)[:3], ONTOLOGY_GRAPH]:
        body, count = n_triples(files[name])
        expected = parse_files(files[name])
        assert count == len(expected)
        assert isomorphic(Graph().parse(data=body, format="nt"), expected), name
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text(
        '_:x <urn:p> "0.1090"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n<urn:s> <urn:p> <urn:o> .\n',
        encoding="utf-8",
    )
    b.write_text("_:x <urn:p> <urn:o> .\n<urn:s> <urn:p> <urn:o> .\n", encoding="utf-8")
    body, count = n_triples([a, b])
    assert count == 3, "the triple both files state once; the two _:x two nodes"
    assert b'"0.1090"' in body
