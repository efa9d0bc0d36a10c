"""No network unless asked (issue 15): the embedded stores never execute SERVICE nor fetch
FROM graphs, parsing RDF input never fetches a remote JSON-LD @context, --endpoint takes
http(s) URLs only, and the process-level guard refuses every host but the given endpoints.

Each "no request" test points the IRI at a listener on 127.0.0.1 that the test starts and
that counts every connection it accepts: the count must stay 0."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset

from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import run_query


class Listener:
    """A TCP listener on 127.0.0.1 that records (and closes) every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lis = Listener()
    try:
        yield lis
    finally:
        lis.close()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


SERVICE_QUERIES = {
    "plain": "SELECT * WHERE {\n  SERVICE <URL/sparql> { ?s ?p ?o }\n}\n",
    "silent, in lower case, after a pattern": (
        "PREFIX sk: <https://w3id.org/sciplan-kg/ontology#>\n"
        "SELECT ?plan ?x WHERE {\n"
        "  ?plan a sk:Plan .\n"
        "  service silent <URL/sparql> { ?plan ?p ?x }\n"
        "}\n"
    ),
    "inside FILTER EXISTS": (
        "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER EXISTS { SERVICE <URL/q> { ?s ?p ?o } }\n} LIMIT 3\n"
    ),
    "inside a sub-query": ("SELECT ?s WHERE {\n  { SELECT ?s WHERE {\n    SERVICE <URL/q> { ?s ?p ?o } } }\n}\n"),
}
SERVICE_LINE = {"plain": (2, 3), "silent, in lower case, after a pattern": (4, 3)}


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("form", sorted(SERVICE_QUERIES))
def test_service_is_refused_by_both_embedded_stores(
    store: str, form: str, five: BuildResult, tmp_path: Path, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "shared.rq"
    rq.write_text("# a query someone shared\n" + SERVICE_QUERIES[form].replace("URL", listener.url), encoding="utf-8")
    code, out, err = _run(capsys, "query", str(rq), "--data", str(five.out), "--store", store, "--timeout", "5")
    assert listener.connections == 0, "the SERVICE clause reached the network"
    assert code == 2 and out == ""
    assert err.startswith("错误 error: ") and "shared.rq" in err and "SERVICE" in err and "--endpoint" in err
    if form in SERVICE_LINE:
        line, column = SERVICE_LINE[form]
        assert f"line {line + 1}, column {column}" in err, err  # +1: the comment line above


def test_the_word_service_in_a_comment_or_string_is_not_refused(
    five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "words.rq"
    rq.write_text(
        "# SERVICE <http://example.org/sparql> is not used here\n"
        "PREFIX service: <urn:service:>\n"
        'SELECT ?service ("SERVICE { }" AS ?text) WHERE { BIND(service:x AS ?service) }\n',
        encoding="utf-8",
    )
    for store in ("oxigraph", "rdflib"):
        code, out, err = _run(capsys, "query", str(rq), "--data", str(five.out), "--store", store, "--format", "csv")
        assert code == 0, err
        assert "urn:service:x" in out


def test_a_service_query_is_sent_to_an_endpoint_unrefused(tmp_path: Path) -> None:
    """On a server the user named, SERVICE is the server's business: the query is sent."""
    from sciplan_kg.query.backends import RemoteBackend
    from sciplan_kg.query.catalogue import parse_query_file

    rq = tmp_path / "fed.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://example.org/q> { ?s ?p ?o } }\n", encoding="utf-8")
    sent: list[str] = []

    class Recording(RemoteBackend):
        def _select(self, text: str, *args: object) -> tuple[list[str], list[dict]]:  # type: ignore[override]
            sent.append(text)
            return ["s"], []

    result = Recording("http://127.0.0.1:9/query", graphs=["https://w3id.org/sciplan-kg/id/graph/plan/x"]).run(
        parse_query_file(rq), {}
    )
    assert result.rows == [] and sent and "SERVICE" in sent[-1]


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_from_graphs_are_never_fetched(
    store: str, five: BuildResult, tmp_path: Path, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    rq = tmp_path / "from.rq"
    rq.write_text(
        f"SELECT * FROM <{listener.url}/a.ttl> FROM NAMED <{listener.url}/b.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1\n",
        encoding="utf-8",
    )
    _run(capsys, "query", str(rq), "--data", str(five.out), "--store", store, "--timeout", "5")
    if store == "rdflib":  # on a Dataset (the Python API takes any graph) rdflib loads FROM graphs
        try:
            run_query(str(rq), Dataset(), store="rdflib")
        except QueryError:
            pass
    assert listener.connections == 0, "a FROM graph was fetched"


def _jsonld_documents(url: str) -> dict[str, object]:
    node = {"@id": "urn:a", "name": "x"}
    return {
        "string": {"@context": f"{url}/ctx.jsonld", **node},
        "list": {"@context": [{"ex": "urn:ex:"}, f"{url}/ctx.jsonld"], **node},
        "nested node": {"@context": {"ex": "urn:ex:"}, "@graph": [{"@context": f"{url}/c", **node}]},
        "scoped": {"@context": {"knows": {"@id": "urn:knows", "@context": f"{url}/scoped"}}, **node},
        "import": {"@context": {"@import": f"{url}/imported", "name": "urn:name"}, **node},
        "relative": {"@context": "ctx.jsonld", **node},
    }


@pytest.mark.parametrize("shape", sorted(_jsonld_documents("u")))
def test_a_remote_jsonld_context_is_not_fetched(
    shape: str, tmp_path: Path, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "data.jsonld"
    doc.write_text(json.dumps(_jsonld_documents(listener.url)[shape]), encoding="utf-8")
    (tmp_path / "ctx.jsonld").write_text('{"@context": {"name": "urn:name"}}', encoding="utf-8")
    runs = [("validate", str(doc)), ("query", "plans", "--data", str(doc), "--store", "rdflib")]
    if shape == "string":
        runs += [
            ("query", "plans", "--data", str(doc)),
            ("load", "--data", str(doc), "--endpoint", f"{listener.url}/query", "--timeout", "5"),
        ]
    for argv in runs:
        code, _, err = _run(capsys, *argv)
        assert listener.connections == 0, f"{argv[0]}: the remote @context was fetched"
        assert code == 2, (argv, err)
        assert "data.jsonld" in err and "@context" in err and "inline" in err, err


def test_an_rdfxml_external_entity_is_not_fetched(tmp_path: Path, listener: Listener) -> None:
    from sciplan_kg.rdf.parse import parse_file

    doc = tmp_path / "x.rdf"
    doc.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ext SYSTEM "{listener.url}/e"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
        '<rdf:Description rdf:about="urn:a"><ex:p>&ext;</ex:p></rdf:Description></rdf:RDF>',
        encoding="utf-8",
    )
    parse_file(doc)
    assert listener.connections == 0


def test_an_inline_jsonld_context_is_read(tmp_path: Path) -> None:
    from sciplan_kg.rdf.parse import parse_file

    doc = tmp_path / "ok.jsonld"
    ctx = {"name": "urn:name", "knows": {"@id": "urn:knows", "@context": {"nick": "urn:nick"}}}
    doc.write_text(json.dumps({"@context": [None, ctx], "@id": "urn:a", "name": "x"}), encoding="utf-8")
    assert len(parse_file(doc)) == 1


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/q", "localhost", "127.0.0.1:7878/query", "http://", "https:///q"]
)
def test_endpoints_take_http_and_https_urls_only(
    url: str, five: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ("query", "plans", "--endpoint", url),
        ("load", "--data", str(five.out), "--endpoint", url),
        ("load", "--data", str(five.out), "--endpoint", "http://127.0.0.1:9/query", "--store-endpoint", url),
    ):
        code, out, err = _run(capsys, *argv)
        assert code == 2 and out == "", argv
        assert "http://" in err and "https://" in err and url in err, err


def test_the_process_guard_allows_only_the_given_endpoints(listener: Listener, five: BuildResult) -> None:
    from sciplan_kg.netguard import NetworkRefused, guard

    other = Listener()
    try:
        with guard([f"{other.url}/query"]):
            with pytest.raises((NetworkRefused, urllib.error.URLError)):
                urllib.request.urlopen(listener.url + "/x", timeout=2)
            with pytest.raises(NetworkRefused):
                socket.create_connection(("127.0.0.1", listener.port), timeout=2)
            with pytest.raises((NetworkRefused, urllib.error.URLError)):
                urllib.request.urlopen("file:///etc/hostname", timeout=2)
            # the endpoint itself is reachable
            socket.create_connection(("127.0.0.1", other.port), timeout=2).close()
        assert listener.connections == 0
        with guard([]):  # local work is not the network: a query runs (and forks) as usual
            assert main(["query", "plans", "--data", str(five.out), "--timeout", "30", "--format", "csv"]) == 0
        # outside the guard nothing is refused
        socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    finally:
        other.close()
    for _ in range(20):
        if listener.connections:
            break
        threading.Event().wait(0.05)
    assert listener.connections == 1
