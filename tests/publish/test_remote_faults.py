"""Faults of remote servers and of bad values (issue 15): bounded waits with the retries inside
one deadline, malformed answers reported as messages, a load verified by the server's triple
counts, parameters validated by type, kept answers that are well-formed JSON but wrong."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import sciplan_kg.query.remote as remote
from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.publish.load import load
from sciplan_kg.query import backend, catalogue, kept, run_query
from sciplan_kg.query.kept import keep_answers
from sciplan_kg.query.remote import RemoteError
from sciplan_kg.store.sync import state_digest, store_path

PLAN_GRAPH = "https://w3id.org/sciplan-kg/id/graph/plan/x"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _in_thread(seconds: float, action) -> object:  # type: ignore[no-untyped-def]
    """``action()``'s result, failing the test when it has not returned after ``seconds``."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(_catch(action)), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still waiting after {seconds} s"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _catch(action):  # type: ignore[no-untyped-def]
    try:
        return action()
    except BaseException as exc:  # handed to the test's thread
        return exc


# --- a server that never answers --------------------------------------------------------


@pytest.fixture
def silent() -> Iterator[str]:
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        sock.close()


def _tiny() -> dict[URIRef, Graph]:
    g = Graph()
    g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("值")))
    g.add((URIRef("urn:s"), URIRef("urn:p"), Literal(2)))
    return {URIRef(PLAN_GRAPH): g}


def test_a_silent_server_is_given_up_within_the_timeout(silent: str, capsys: pytest.CaptureFixture[str]) -> None:
    # query: the request listing the graphs obeys --timeout too
    start = time.monotonic()
    code, _, err = _in_thread(
        8, lambda: _run(capsys, "query", "plans", "--endpoint", f"{silent}/query", "--timeout", "1")
    )  # type: ignore[misc]
    assert code == 2 and "timed out" in err and silent in err
    assert time.monotonic() - start < 3
    # load: one deadline per request, the retries inside it (not timeout × retries)
    start = time.monotonic()
    with pytest.raises(RemoteError, match="timed out"):
        _in_thread(8, lambda: load(f"{silent}/query", _tiny(), timeout=1))
    assert time.monotonic() - start < 2.5
    code, _, err = _in_thread(
        8, lambda: _run(capsys, "load", "--data", "x", "--endpoint", f"{silent}/q", "--timeout", "1")
    )  # type: ignore[misc]
    assert code == 2 and "unrecognized" not in err


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Answers 200 with no length, then one byte a second, for ever."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        try:
            for _ in range(60):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_sending_a_byte_a_second_is_given_up_within_the_timeout(capsys: pytest.CaptureFixture[str]) -> None:
    """The read waits for what has come, not for 64 KiB: the deadline is looked at every byte
    (it took 101 s for ``--timeout 4``, then said 4 s)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/query"
        start = time.monotonic()
        code, _, err = _in_thread(20, lambda: _run(capsys, "query", "plans", "--endpoint", url, "--timeout", "2"))  # type: ignore[misc]
        assert code == 2 and "timed out" in err, err
        assert time.monotonic() - start < 5
    finally:
        server.shutdown()


class _Failing(http.server.BaseHTTPRequestHandler):
    puts = 0

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).puts += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_retries_and_backoff_stay_inside_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "BACKOFF", 0.4)  # 0.4 + 0.8 + 1.6 s of backoff for 3 retries
    handler = type("H", (_Failing,), {"puts": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        start = time.monotonic()
        with pytest.raises(RemoteError, match="503"):
            _in_thread(
                10,
                lambda: load(
                    "http://127.0.0.1:9/query", _tiny(), f"http://127.0.0.1:{server.server_port}/store", timeout=1
                ),
            )
        assert time.monotonic() - start < 1.6
        assert handler.puts >= 2, "retried"
    finally:
        server.shutdown()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "never", "1e300", "1000001"])
def test_timeout_must_be_a_positive_finite_number(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ("query", "plans", "--data", "nowhere"),
        ("load", "--data", "nowhere", "--endpoint", "http://127.0.0.1:9/q"),
    ):
        code, out, err = _run(capsys, *argv, f"--timeout={value}")
        assert code == 2 and out == "", argv
        assert "--timeout" in err and "positive" in err, err


# --- a server that answers wrongly -------------------------------------------------------


class _Sparql(http.server.BaseHTTPRequestHandler):
    """A fake SPARQL server. Queries: the graph listing is answered correctly unless
    ``graph_listing`` is set; every other query gets ``answer`` (status, content type, body).
    PUT stores the number of N-Triples lines per graph (``keep`` false: stores nothing); a
    count query gets ``counts`` or the stored numbers."""

    answer: tuple[int, str, bytes] = (200, "application/sparql-results+json", b"{}")
    graph_listing: tuple[int, str, bytes] | None = None
    put_status = 204
    keep = True
    stored: dict[str, int]
    counts: tuple[int, str, bytes] | None = None

    def _reply(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        import urllib.parse

        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        query = urllib.parse.parse_qs(body).get("query", [body])[0]
        cls = type(self)
        if "GROUP BY ?g" in query and "VALUES" not in query:  # the graph listing (RemoteBackend.graphs)
            listing = {"head": {"vars": ["g"]}, "results": {"bindings": [{"g": {"type": "uri", "value": PLAN_GRAPH}}]}}
            self._reply(*(cls.graph_listing or (200, "application/sparql-results+json", json.dumps(listing).encode())))
        elif "COUNT" in query and "GROUP BY" in query:
            rows = [
                {
                    "g": {"type": "uri", "value": g},
                    "n": {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                }
                for g, n in cls.stored.items()
            ]
            doc = {"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}
            self._reply(*(cls.counts or (200, "application/sparql-results+json", json.dumps(doc).encode())))
        else:
            self._reply(*cls.answer)

    do_GET = do_POST

    def do_PUT(self) -> None:
        import urllib.parse

        data = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        cls = type(self)
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        if cls.keep and 200 <= cls.put_status < 300:
            cls.stored[graph] = sum(1 for line in data.splitlines() if line.strip())
        self._reply(cls.put_status, "text/plain", b"" if cls.put_status == 204 else b"<html>ok?</html>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sparql(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Sparql]]]:
    monkeypatch.setattr(remote, "BACKOFF", 0.01)
    handler = type("Handler", (_Sparql,), {"stored": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()


JSON_TYPE = "application/sparql-results+json"
MALFORMED = {
    "empty object": (200, JSON_TYPE, b"{}"),
    "not JSON": (200, JSON_TYPE, b"<html>hello</html>"),
    "binding without type": (
        200,
        JSON_TYPE,
        b'{"head":{"vars":["plan"]},"results":{"bindings":[{"plan":{"value":"x"}}]}}',
    ),
    "results without bindings": (200, JSON_TYPE, b'{"head":{"vars":["plan"]},"results":{}}'),
    "vars not a list": (200, JSON_TYPE, b'{"head":{"vars":"plan"},"results":{"bindings":[]}}'),
    "binding not an object": (200, JSON_TYPE, b'{"head":{"vars":["plan"]},"results":{"bindings":[["x"]]}}'),
    "a JSON list": (200, JSON_TYPE, b"[1, 2]"),
    "wrong content type": (200, "text/html", b"<html><body>a login page</body></html>"),
    "XML results": (200, "application/sparql-results+xml", b"<sparql/>"),
}


@pytest.mark.parametrize("where", ["answer", "graph listing"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_answer_is_a_message(
    case: str, where: str, sparql: tuple[str, type[_Sparql]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, handler = sparql
    if where == "answer":
        handler.answer = MALFORMED[case]
    else:
        handler.graph_listing = MALFORMED[case]
    code, out, err = _run(capsys, "query", "plans", "--endpoint", f"{url}/query", "--timeout", "5")
    assert code == 2 and out == ""
    assert err.startswith("错误 error: ") and f"{url}/query" in err, err


def test_a_load_is_verified_by_the_servers_triple_counts(
    sparql: tuple[str, type[_Sparql]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, handler = sparql
    graphs = _tiny()
    second = URIRef("https://w3id.org/sciplan-kg/id/graph/plan/y")
    graphs[second] = Graph()
    graphs[second].add((URIRef("urn:t"), URIRef("urn:p"), Literal("z")))
    uploads = load(f"{url}/query", graphs, f"{url}/store", timeout=5)
    assert [u.triples for u in uploads] == [2, 1]
    # a server that answers 2xx to the PUT but keeps nothing
    handler.stored = {}
    handler.keep = False
    with pytest.raises(RemoteError) as caught:
        load(f"{url}/query", graphs, f"{url}/store", timeout=5)
    assert PLAN_GRAPH in str(caught.value) and str(second) in str(caught.value)
    # counts that differ for one graph only: that graph is named
    handler.keep = True
    load(f"{url}/query", graphs, f"{url}/store", timeout=5)
    handler.stored[PLAN_GRAPH] = 1
    handler.keep = False
    with pytest.raises(RemoteError, match="plan/x") as caught:
        load(f"{url}/query", graphs, f"{url}/store", timeout=5)
    assert "plan/y" not in str(caught.value)
    # garbage in place of the counts
    handler.keep = True
    handler.counts = (200, "text/html", b"<html>ok</html>")
    with pytest.raises(RemoteError):
        load(f"{url}/query", graphs, f"{url}/store", timeout=5)
    # a PUT answered with something other than 2xx names the graph
    handler.counts = None
    handler.put_status = 302
    with pytest.raises(RemoteError, match="plan/x"):
        load(f"{url}/query", graphs, f"{url}/store", timeout=5)


# --- parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e999", "1E3", "sNaN", "0x10", " 1"])
def test_a_numeric_parameter_must_be_a_finite_number(
    value: str, five: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    if value.startswith("-"):  # would be an option to argparse: through the API
        with pytest.raises(QueryError, match="invalid value"):
            run_query("similar-tasks", five.out, {"minScore": value}, store="rdflib")
        return
    code, out, err = _run(
        capsys, "query", "similar-tasks", "--data", str(five.out), "-p", "minScore", value, "--store", "rdflib"
    )
    assert code == 2 and out == "" and "invalid value" in err and "minScore" in err, err
    for bad in ("1.5", "1_000", "٣", "1e3"):
        code, _, err = _run(capsys, "query", "co-responsibility", "--data", str(five.out), "-p", "minTasks", bad)
        assert code == 2 and "invalid value" in err, (bad, err)


def test_plain_numeric_parameters_still_work(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("0.9", "+.9", "1", "-0.5"):
        assert _run(capsys, "query", "similar-tasks", "--data", str(five.out), "-p", "minScore", value)[0] == 0
    assert _run(capsys, "query", "co-responsibility", "--data", str(five.out), "-p", "minTasks", "+2")[0] == 0


# --- kept answers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synced(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kept") / "build"
    shutil.copytree(five.out, out)
    keep_answers(out)  # synced, every answer that says keep kept
    return out


def _wrong_answers(good: dict) -> dict[str, object]:
    n = good["rows"]
    return {
        "a list": [good],
        "no index": {k: v for k, v in good.items() if k != "index"},
        "columns renamed": {**good, "columns": [c + "X" for c in good["columns"]]},
        "columns not strings": {**good, "columns": list(range(len(good["columns"])))},
        "rows a string": {**good, "rows": "many"},
        "more rows than the index": {**good, "rows": n + 5},
        "negative row count": {**good, "rows": -1},
        "index out of range": {**good, "index": [[999_999] * n for _ in good["index"]]},
        "negative codes": {**good, "index": [[-1] * n for _ in good["index"]]},
        "short index row": {**good, "index": [ix[:-1] for ix in good["index"]]},
        "values objects": {**good, "values": [[{"a": 1}] * len(v) for v in good["values"]]},
        "one column missing": {**good, "values": good["values"][:-1], "index": good["index"][:-1]},
        "float codes": {**good, "index": [[0.0] * n for _ in good["index"]]},
    }


@pytest.mark.parametrize("case", sorted(_wrong_answers({"columns": [], "rows": 0, "values": [], "index": []})))
def test_a_wrong_kept_answer_is_evaluated_instead(case: str, synced: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = store_path(synced)
    q = catalogue()["tasks"]
    view = kept.answer_file(store_dir, state_digest(store_dir), q)
    evaluated = backend(synced, views=False).run(q, {})
    good = json.loads(kept.encode(evaluated))
    view.write_text(json.dumps(_wrong_answers(good)[case]), encoding="utf-8")
    assert kept.read(store_dir, state_digest(store_dir), q, {}) is None
    code, out, err = _run(capsys, "query", "tasks", "--data", str(synced), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == json.loads(_evaluated_json(synced, capsys))
    assert kept.read(store_dir, state_digest(store_dir), q, {}) is not None, "kept again"
    # selecting rows from a wrong answer (-p plan IRI) is evaluated too
    plan = evaluated.rows[0]["plan"]
    view.write_text(json.dumps(_wrong_answers(good)[case]), encoding="utf-8")
    code, out, err = _run(capsys, "query", "tasks", "--data", str(synced), "-p", "plan", str(plan), "--format", "json")
    assert code == 0, err
    assert json.loads(out) and all(row["plan"] == str(plan) for row in json.loads(out))
    code, want, err = _run(
        capsys, "query", "tasks", "--data", str(synced), "-p", "plan", str(plan), "--format", "json", "--evaluate"
    )
    assert code == 0, err
    assert json.loads(out) == json.loads(want), "the plan's rows, as evaluating the query gives them"


def _evaluated_json(synced: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = _run(capsys, "query", "tasks", "--data", str(synced), "--format", "json", "--evaluate")
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    "index",
    ['{"plans": [1, 2]}', '{"plans": {"state": {"x": 1}}}', "[" * 100_000 + "]" * 100_000, '"a string"', "{" * 50],
)
def test_a_damaged_index_serves_nothing_and_is_rewritten(index: str, synced: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store_dir = store_path(synced)
    (store_dir / kept.VIEWS / kept.INDEX).write_text(index, encoding="utf-8")
    q = catalogue()["tasks"]
    assert kept.read(store_dir, state_digest(store_dir), q, {}) is None
    code, out, err = _run(capsys, "query", "tasks", "--data", str(synced), "--format", "csv")
    assert code == 0 and out, err
    assert kept.read(store_dir, state_digest(store_dir), q, {}) is not None


@pytest.mark.parametrize(
    "url",
    ["http://[::1", "http://127.0.0.1:99999/q", "http://127.0.0.1:abc/q", "http://user:s3cret@127.0.0.1:9/q"],
)
def test_a_malformed_endpoint_is_a_usage_error_that_never_shows_a_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ("query", "plans", "--endpoint", url, "--data", "nowhere"),
        ("load", "--data", "nowhere", "--endpoint", url),
        ("load", "--data", "nowhere", "--endpoint", "http://127.0.0.1:9/q", "--store-endpoint", url),
    ):
        code, out, err = _run(capsys, *argv)
        assert code == 2 and out == "", argv
        assert "错误 error: --" in err and "internal error" not in err and "s3cret" not in err, err
