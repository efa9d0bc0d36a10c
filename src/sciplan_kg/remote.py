"""A SPARQL server: uploading the graph with the Graph Store Protocol, and telling people
plainly what went wrong when the server does.

``load`` replaces each named graph whole with one HTTP PUT (one plan per graph), so a failed
upload leaves that plan's previous version on the server. Safe requests (PUT of a whole graph,
queries) are retried with exponential backoff on connection errors and HTTP 5xx.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from rdflib import Graph, URIRef

from sciplan_kg.errors import SciplanError

T = TypeVar("T")
RETRIES = 3
BACKOFF = 0.5  # seconds, doubled after each try


class RemoteError(SciplanError):
    """A SPARQL server that cannot be reached or that refuses a request."""


def remote_error(endpoint: str, what: str, exc: BaseException) -> RemoteError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = getattr(exc, "reason", None)
    if isinstance(exc, urllib.error.HTTPError):
        body = exc.read().decode("utf-8", "replace")[:300] if exc.fp else ""
        return RemoteError(f"{endpoint}: {what}: HTTP {exc.code} {exc.reason} {body}".strip())
    if isinstance(exc, (ConnectionError, TimeoutError)) or isinstance(reason, (ConnectionError, OSError)):
        return RemoteError(f"{endpoint}: 无法连接服务器 / cannot reach the server ({what}): {reason or text}")
    if "timed out" in text.lower() or "timeout" in type(exc).__name__.lower():
        return RemoteError(f"{endpoint}: 请求超时 / the request timed out ({what})")
    return RemoteError(f"{endpoint}: {what}: {text}")


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500
    return isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError, OSError))


def with_retries(action: Callable[[], T], endpoint: str, what: str, retries: int = RETRIES) -> T:
    delay = BACKOFF
    for attempt in range(retries + 1):
        try:
            return action()
        except Exception as exc:
            if attempt == retries or not _transient(exc):
                raise remote_error(endpoint, what, exc) from exc
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def store_endpoint(query_endpoint: str) -> str:
    """The Graph Store Protocol endpoint of a server, guessed from its query endpoint:
    Oxigraph's /query → /store, Virtuoso's /sparql → /sparql-graph-crud, Fuseki's
    /{ds}/query or /{ds}/sparql → /{ds}/data."""
    parts = urllib.parse.urlsplit(query_endpoint)
    path = parts.path.rstrip("/")
    if path.endswith("/query") and not path.count("/") > 1:
        path = path[: -len("/query")] + "/store"
    elif path == "/sparql":
        path = "/sparql-graph-crud"
    elif path.endswith(("/query", "/sparql")):
        path = path.rsplit("/", 1)[0] + "/data"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class Upload:
    graph: str
    triples: int
    bytes: int


def put_graph(store: str, name: URIRef, g: Graph, timeout: float = 60) -> Upload:
    """Replace the named graph ``name`` whole with ``g`` (HTTP PUT, N-Triples)."""
    from sciplan_kg.serialize import nt_bytes

    body = nt_bytes(g)
    url = f"{store}?{urllib.parse.urlencode({'graph': str(name)})}"

    def send() -> None:
        request = urllib.request.Request(
            url, data=body, method="PUT", headers={"Content-Type": "application/n-triples; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()

    with_retries(send, store, f"PUT {name}")
    return Upload(str(name), len(g), len(body))


def load(endpoint: str, graphs: dict[URIRef, Graph], store: str | None = None, timeout: float = 60) -> list[Upload]:
    """Upload every named graph to the server behind ``endpoint``, each replaced whole."""
    target = store or store_endpoint(endpoint)
    return [put_graph(target, name, graphs[name], timeout) for name in sorted(graphs)]
