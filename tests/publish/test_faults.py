"""Server faults: HTTP 5xx retried with backoff then reported; connection refused; a real
Oxigraph server killed in the middle of an upload keeps every plan graph whole (the old
version or the new one, never half)."""

from __future__ import annotations

import http.server
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import sciplan_kg.publish.load as publish_load
import sciplan_kg.query.remote as remote
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.dataset import load_dataset
from sciplan_kg.publish.load import load
from sciplan_kg.publish.serve import oxigraph_binary
from sciplan_kg.query.remote import RemoteError
from tests.publish.test_remote import free_port


class _Flaky(http.server.BaseHTTPRequestHandler):
    failures_left = 0
    status = 503
    puts = 0

    def do_PUT(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        cls = type(self)
        cls.puts += 1
        if cls.failures_left > 0:
            cls.failures_left -= 1
            self.send_response(cls.status)
        else:
            self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, type[_Flaky]]]:
    monkeypatch.setattr(remote, "BACKOFF", 0.01)
    handler = type("Handler", (_Flaky,), {"failures_left": 0, "puts": 0})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/store", handler
    finally:
        server.shutdown()


def _tiny() -> dict[URIRef, Graph]:
    g = Graph()
    g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("值")))
    return {URIRef("https://w3id.org/sciplan-kg/id/graph/plan/x"): g}


def test_5xx_is_retried_then_succeeds(flaky: tuple[str, type[_Flaky]], monkeypatch: pytest.MonkeyPatch) -> None:
    store, handler = flaky
    handler.failures_left = 2
    monkeypatch.setattr(publish_load, "verify", lambda *a, **k: None)  # this server keeps nothing to count
    uploads = load("http://127.0.0.1:1/query", _tiny(), store=store)
    assert len(uploads) == 1 and handler.puts == 3


def test_persistent_5xx_is_a_clear_error(flaky: tuple[str, type[_Flaky]]) -> None:
    store, handler = flaky
    handler.failures_left = 100
    with pytest.raises(RemoteError, match="HTTP 503"):
        load("http://127.0.0.1:1/query", _tiny(), store=store)
    assert handler.puts == remote.RETRIES + 1


def test_4xx_is_not_retried(flaky: tuple[str, type[_Flaky]]) -> None:
    store, handler = flaky
    handler.failures_left = 100
    handler.status = 400
    with pytest.raises(RemoteError, match="HTTP 400"):
        load("http://127.0.0.1:1/query", _tiny(), store=store)
    assert handler.puts == 1


def _start(location: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("oxigraph did not start")


def _count(endpoint: str, graph: URIRef) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    req = urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": q}), headers={"Accept": "text/csv"})
    return int(urllib.request.urlopen(req, timeout=30).read().decode().split()[-1])


def test_server_killed_mid_upload_keeps_every_plan_whole(five: BuildResult, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(remote, "RETRIES", 0)
    location, port = tmp_path / "db", free_port()
    endpoint = f"http://127.0.0.1:{port}/query"
    v1 = {name: g for name, g in load_dataset(five.out).items() if "/graph/plan/" in str(name)}
    proc = _start(location, port)
    load(endpoint, v1)
    # version 2: every plan graph grows by 60,000 triples, so the upload takes a while
    v2: dict[URIRef, Graph] = {}
    for name, g in v1.items():
        bigger = Graph()
        bigger += g
        for i in range(60_000):
            bigger.add((URIRef(f"{name}#v2-{i}"), URIRef("urn:version"), Literal(i)))
        v2[name] = bigger
    failure: list[BaseException] = []

    def upload() -> None:
        try:
            load(endpoint, v2)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(0.8)
    proc.kill()
    proc.wait()
    thread.join(timeout=120)
    assert failure and isinstance(failure[0], RemoteError), "the interrupted load reports an error"
    proc = _start(location, port)
    try:
        versions = []
        for name in sorted(v1):
            n = _count(endpoint, name)
            assert n in (len(v1[name]), len(v2[name])), f"{name} holds {n} triples: half a plan"
            versions.append("v2" if n == len(v2[name]) else "v1")
        assert "v1" in versions, "the kill happened before the upload finished"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
