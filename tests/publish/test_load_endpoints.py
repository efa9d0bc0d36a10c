"""Finding a server's query and Graph Store endpoints from the address a user gives
(``query/endpoints.py``): by the URL's form without a request; by asking servers laid out as
Oxigraph (real, started here), Fuseki and Virtuoso (imitated by small servers on 127.0.0.1,
answering as those do); a server with no SPARQL endpoint, one that is down and one that never
answers are messages naming the URL."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
from rdflib import Graph, Literal, URIRef

from sciplan_kg.cli import main
from sciplan_kg.publish.load import load
from sciplan_kg.query import endpoints
from sciplan_kg.query.endpoints import Endpoints, by_form, discover
from sciplan_kg.query.remote import RemoteError, query_endpoint
from tests.publish.test_remote import free_port, start_oxigraph

ROOT = "http://127.0.0.1:7878"


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    endpoints.forget()
    yield
    endpoints.forget()


@pytest.mark.parametrize(
    ("url", "query", "store"),
    [
        (f"{ROOT}/query", f"{ROOT}/query", f"{ROOT}/store"),
        (f"{ROOT}/query/", f"{ROOT}/query", f"{ROOT}/store"),
        (
            "http://localhost:8890/sparql?timeout=0",
            "http://localhost:8890/sparql?timeout=0",
            "http://localhost:8890/sparql-graph-crud",
        ),
        (f"{ROOT}/store", f"{ROOT}/query", f"{ROOT}/store"),
        (f"{ROOT}/update", f"{ROOT}/query", f"{ROOT}/store"),
        ("http://h/oxigraph/store", "http://h/oxigraph/query", "http://h/oxigraph/store"),
        ("http://localhost:8890/sparql", "http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
        (
            "http://localhost:8890/sparql-graph-crud",
            "http://localhost:8890/sparql",
            "http://localhost:8890/sparql-graph-crud",
        ),
        ("http://localhost:3030/ds/query", "http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
        ("http://localhost:3030/ds/sparql", "http://localhost:3030/ds/sparql", "http://localhost:3030/ds/data"),
        ("http://localhost:3030/ds/data", "http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
        ("http://localhost:3030/ds/update", "http://localhost:3030/ds/query", "http://localhost:3030/ds/data"),
    ],
)
def test_the_form_of_a_url_tells_its_endpoints(url: str, query: str, store: str) -> None:
    found = by_form(url)
    assert found is not None and (found.query, found.store) == (query, store)
    assert discover(url) == found  # nothing is sent (no server listens on these)


@pytest.mark.parametrize("url", [ROOT, ROOT + "/", "http://localhost:3030/ds", "http://h/repositories/x"])
def test_a_root_or_a_dataset_has_no_form(url: str) -> None:
    assert by_form(url) is None


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/query", "127.0.0.1:7878", "file:///etc/passwd"])
def test_only_http_urls(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "plans", "--endpoint", url]) == 2
    assert "only http:// and https://" in capsys.readouterr().err


# --- servers imitated: what Fuseki and Virtuoso answer where ------------------------------------

ASK_TRUE = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
NOT_FOUND = (404, "text/plain", b"Not Found")
HTML = (200, "text/html", b"<html><body>welcome</body></html>")


class _Imitation(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    server_header = ""
    requests: list[str]

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        type(self).requests.append(path)
        status, ctype, body = self.routes.get(path, NOT_FOUND)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def version_string(self) -> str:
        return self.server_header or super().version_string()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def imitate() -> Iterator:  # type: ignore[type-arg]
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(routes: dict[str, tuple[int, str, bytes]], server_header: str = "") -> tuple[str, type[_Imitation]]:
        handler = type("H", (_Imitation,), {"routes": routes, "server_header": server_header, "requests": []})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", handler

    yield start
    for server in servers:
        server.shutdown()


def _datasets(*names: str) -> tuple[int, str, bytes]:
    doc = {
        "datasets": [
            {
                "ds.name": f"/{name}",
                "ds.state": True,
                "ds.services": [
                    {"srv.type": "query", "srv.description": "SPARQL Query", "srv.endpoints": ["", "query", "sparql"]},
                    {"srv.type": "update", "srv.description": "SPARQL Update", "srv.endpoints": ["", "update"]},
                    {"srv.type": "gsp-rw", "srv.description": "Graph Store Protocol", "srv.endpoints": ["", "data"]},
                ],
            }
            for name in names
        ]
    }
    return (200, "application/json", json.dumps(doc).encode())


FUSEKI = "Apache Jena Fuseki (5.1.0)"


def test_fuseki_root_with_one_dataset(imitate) -> None:  # type: ignore[no-untyped-def]
    url, handler = imitate({"/": HTML, "/$/datasets": _datasets("plans"), "/plans/query": ASK_TRUE}, FUSEKI)
    found = discover(url)
    assert found == Endpoints(f"{url}/plans/query", f"{url}/plans/data", f"{url}/plans/update", "fuseki")
    assert handler.requests == ["/query", "/sparql", "/", "/$/datasets"]
    assert query_endpoint(url + "/") == f"{url}/plans/query"


def test_fuseki_root_with_several_datasets_names_them(imitate, capsys) -> None:  # type: ignore[no-untyped-def]
    url, _ = imitate({"/$/datasets": _datasets("a", "b")}, FUSEKI)
    with pytest.raises(RemoteError, match="several datasets") as caught:
        discover(url)
    assert f"{url}/a/query" in str(caught.value) and f"{url}/b/query" in str(caught.value)
    assert main(["query", "plans", "--endpoint", url]) == 2
    err = capsys.readouterr().err
    assert "several datasets" in err and "Traceback" not in err


def test_fuseki_dataset_url(imitate) -> None:  # type: ignore[no-untyped-def]
    url, handler = imitate({"/ds/query": ASK_TRUE}, FUSEKI)
    assert discover(f"{url}/ds") == Endpoints(f"{url}/ds/query", f"{url}/ds/data", f"{url}/ds/update", "fuseki")
    assert handler.requests == ["/ds/query"], "one request: the first candidate answered"


def test_a_dataset_without_a_server_header_is_read_by_its_form(imitate) -> None:  # type: ignore[no-untyped-def]
    url, _ = imitate({"/kg/sparql": ASK_TRUE})
    assert discover(f"{url}/kg") == Endpoints(f"{url}/kg/sparql", f"{url}/kg/data", f"{url}/kg/update", "fuseki")


def test_virtuoso_root(imitate) -> None:  # type: ignore[no-untyped-def]
    url, _ = imitate({"/": HTML, "/sparql": ASK_TRUE}, "Virtuoso/07.20.3235 (Linux) x86_64-pc-linux-gnu")
    found = discover(url)
    assert (found.query, found.store, found.server) == (f"{url}/sparql", f"{url}/sparql-graph-crud", "virtuoso")


def test_a_url_that_answers_queries_itself_is_kept(imitate) -> None:  # type: ignore[no-untyped-def]
    url, _ = imitate({"/repositories/kg": ASK_TRUE})
    found = discover(f"{url}/repositories/kg")
    assert found.query == f"{url}/repositories/kg"


def test_no_sparql_endpoint_is_a_message(imitate, capsys) -> None:  # type: ignore[no-untyped-def]
    url, _ = imitate({"/": HTML, "/query": HTML, "/sparql": (200, "application/json", b'{"hello": 1}')})
    with pytest.raises(RemoteError, match="no SPARQL query endpoint found") as caught:
        discover(url)
    assert f"{url}/query" in str(caught.value) and f"{url}/sparql" in str(caught.value)
    endpoints.forget()
    code = main(["query", "plans", "--endpoint", url, "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 2 and "no SPARQL query endpoint found" in err and url in err and "Traceback" not in err, err
    with pytest.raises(RemoteError, match="no SPARQL query endpoint found"):
        load(url, {URIRef("urn:g"): Graph()}, timeout=5)


def test_a_root_that_is_down_is_reported_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(RemoteError, match="cannot reach the server"):
        discover(url)
    assert time.monotonic() - start < 2, "one refused connection is enough: not a retry per candidate"
    assert main(["query", "plans", "--endpoint", url]) == 2
    assert "cannot reach the server" in capsys.readouterr().err


def test_a_silent_root_is_given_up_within_the_timeout() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        start = time.monotonic()
        with pytest.raises(RemoteError, match="timed out"):
            discover(url, 1)
        assert time.monotonic() - start < 2.5
    finally:
        sock.close()


# --- a real Oxigraph server ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[str]:
    proc, endpoint = start_oxigraph()
    try:
        yield endpoint.rsplit("/", 1)[0]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("suffix", ["", "/", "/query", "/store"])
def test_oxigraph_from_any_of_its_addresses(oxigraph: str, suffix: str) -> None:
    found = discover(oxigraph + suffix)
    assert (found.query, found.store, found.update) == (f"{oxigraph}/query", f"{oxigraph}/store", f"{oxigraph}/update")
    if suffix in ("", "/"):
        assert found.server == "oxigraph", "the Server header tells the layout"


def test_load_and_query_at_oxigraphs_root(oxigraph: str, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    graph = URIRef("https://w3id.org/sciplan-kg/id/graph/plan/probe")
    g = Graph()
    g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("一")))
    g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("二")))
    uploads = load(oxigraph, {graph: g}, timeout=10)
    assert [u.triples for u in uploads] == [2]
    rq = tmp_path / "count.rq"
    rq.write_text(
        "#+ summary_zh: 计数\n#+ summary_en: count\n#+ description: test\n#+ columns: n\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }\n",
        encoding="utf-8",
    )
    assert main(["query", str(rq), "--endpoint", oxigraph, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "2"]
