"""Talking to a SPARQL server: requests with one deadline, SPARQL JSON results checked, and
telling people plainly what went wrong when the server does (uploading is
``publish/load.py``'s, on top of this).

Safe requests (PUT of a whole graph, queries) are retried with exponential backoff on connection
errors and HTTP 502, 503, 504 (not 500 or 501: a query the server failed on fails again).
Every request has one deadline (``timeout`` seconds) that its retries and their backoff count
against: a server that never answers is given up after ``timeout``, not ``timeout`` × tries.
Only http:// and https:// URLs are requested (``netguard.check_url``); an answer that is not
what the protocol says (not SPARQL JSON results, a binding without its type) is a RemoteError
naming the URL, never a traceback.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sciplan_kg.errors import SciplanError
from sciplan_kg.netguard import check_url

if TYPE_CHECKING:
    from sciplan_kg.query.run import Value

RETRIES = 3
BACKOFF = 0.5  # seconds, doubled after each try
DEFAULT_TIMEOUT = 60.0  # seconds for each request, its retries included
RESULTS_JSON = "application/sparql-results+json"
_JSON_TYPES = (RESULTS_JSON, "application/json")
_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")


class RemoteError(SciplanError):
    """A SPARQL server that cannot be reached, refuses a request or answers nonsense."""


def remote_error(endpoint: str, what: str, exc: BaseException, seconds: float | None = None) -> RemoteError:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    reason = getattr(exc, "reason", None)
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read().decode("utf-8", "replace")[:300] if exc.fp else ""
        except Exception:  # the connection is gone: the status says enough
            body = ""
        return RemoteError(f"{endpoint}: {what}: HTTP {exc.code} {exc.reason} {body}".strip())
    if isinstance(exc, TimeoutError) or isinstance(reason, TimeoutError) or "timed out" in text.lower():
        after = f"（{seconds:g} 秒）" if seconds else ""
        within = f" after {seconds:g} s" if seconds else ""
        return RemoteError(f"{endpoint}: 请求超时{after} / the request timed out{within} ({what})")
    if isinstance(exc, ConnectionError) or isinstance(reason, (ConnectionError, OSError)):
        return RemoteError(f"{endpoint}: 无法连接服务器 / cannot reach the server ({what}): {reason or text}")
    return RemoteError(f"{endpoint}: {what}: {text}")


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.HTTPError):
        # 500 and 501 are the server's answer to this request (Virtuoso and Oxigraph answer a
        # query they fail on with 500): asked again, it fails again. 502, 503, 504…: a gateway,
        # an overload, a restart, which may pass.
        return exc.code >= 502
    return isinstance(exc, (urllib.error.URLError, ConnectionError, TimeoutError, OSError))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http(s) URLs only (urllib would follow one to ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl} refused", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_Redirects)


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    server: str = ""  # its Server header: what software answered


def _set_timeout(response: Any, seconds: float) -> None:
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        try:
            sock.settimeout(max(seconds, 0.001))
        except OSError:
            pass


def _once(request: urllib.request.Request, deadline: float) -> Answer:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    with _OPENER.open(request, timeout=left) as response:
        chunks = []
        while True:  # read against the deadline: a server sending a byte a second is given up too
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out")
            _set_timeout(response, left)
            chunk = response.read1(1 << 16)  # what has come (read() waits for 64 KiB or the end)
            if not chunk:
                break
            chunks.append(chunk)
        headers = response.headers
        return Answer(response.status, headers.get("Content-Type", ""), b"".join(chunks), headers.get("Server", ""))


def request(
    url: str,
    what: str,
    *,
    seconds: float | None = None,
    data: bytes | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    endpoint: str | None = None,
) -> Answer:
    """One HTTP request, retried on connection errors and 5xx with exponential backoff, the
    tries and the waits between them within one deadline of ``seconds``; a 2xx answer or a
    RemoteError naming ``endpoint`` (default: ``url``) and ``what``."""
    seconds = seconds or DEFAULT_TIMEOUT
    endpoint = endpoint or url
    check_url(url, "URL")
    deadline = time.monotonic() + seconds
    delay = BACKOFF
    attempt = 0
    while True:
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            answer = _once(req, deadline)
        except SciplanError:
            raise  # the network guard's refusal
        except Exception as exc:
            if attempt >= RETRIES or not _transient(exc) or delay >= deadline - time.monotonic():
                raise remote_error(endpoint, what, exc, seconds) from exc  # no time for another try
            time.sleep(delay)
            delay *= 2
            attempt += 1
            continue
        if not 200 <= answer.status < 300:
            raise RemoteError(
                f"{endpoint}: {what}: HTTP {answer.status} {answer.body[:300].decode('utf-8', 'replace')}"
            )
        return answer


def query_endpoint(url: str, seconds: float | None = None) -> str:
    """The SPARQL query endpoint of the server a user named by ``url``: ``url`` itself when its
    form names one (``…/query``, ``…/sparql``), the query endpoint beside it for a Graph Store
    URL (``…/store``, ``…/data``), or found by asking the server when ``url`` is its root
    (``http://127.0.0.1:7878``, what ``sciplan-kg serve`` prints) or a Fuseki dataset
    (``query/endpoints.py``); checked to be an http(s) URL first."""
    from sciplan_kg.query.endpoints import discover  # it sends its requests through this module

    return discover(url, seconds).query


def malformed(endpoint: str, what: str, why: str) -> RemoteError:
    return RemoteError(
        f"{endpoint}: {what}: 服务器的回答不是 SPARQL JSON 结果 / "
        f"the server's answer is not SPARQL JSON results ({why})"
    )


def select(
    endpoint: str,
    query: str,
    what: str,
    seconds: float | None = None,
    default_graphs: Iterable[str] = (),
) -> tuple[list[str], list[dict[str, dict[str, str]]]]:
    """Run a SELECT query on ``endpoint`` (SPARQL protocol, URL-encoded POST) and return its
    variables and bindings, checked to be SPARQL JSON results: every binding a term with a
    ``type`` and a ``value``."""
    names, rows, _ = select_from(endpoint, query, what, seconds, default_graphs)
    return names, rows


def select_from(
    endpoint: str,
    query: str,
    what: str,
    seconds: float | None = None,
    default_graphs: Iterable[str] = (),
) -> tuple[list[str], list[dict[str, dict[str, str]]], str]:
    """``select``, and the software that answered (the Server header: ``Virtuoso/07.20.3229
    (Linux) …``, or "")."""
    answer = _post_query(endpoint, query, what, seconds, default_graphs, RESULTS_JSON)
    doc = _json_results(answer, endpoint, what)
    head = doc.get("head") if isinstance(doc, dict) else None
    results = doc.get("results") if isinstance(doc, dict) else None
    names = head.get("vars") if isinstance(head, dict) else None
    rows = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(names, list) or not all(isinstance(v, str) for v in names):
        raise malformed(endpoint, what, "no head.vars list")
    if not isinstance(rows, list):
        raise malformed(endpoint, what, "no results.bindings list")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise malformed(endpoint, what, f"binding {i + 1} is not an object")
        for name, term in row.items():
            if (
                not isinstance(term, dict)
                or term.get("type") not in _TERM_TYPES
                or not isinstance(term.get("value"), str)
                or not all(isinstance(term.get(k, ""), str) for k in ("xml:lang", "datatype"))
            ):
                raise malformed(endpoint, what, f"binding {i + 1}: ?{name} is not a term with a type and a value")
    return names, rows, answer.server


def select_virtuoso_csv(
    endpoint: str,
    query: str,
    what: str,
    seconds: float | None = None,
    default_graphs: Iterable[str] = (),
) -> tuple[list[str], list[list[Value]]]:
    """Run a SELECT query on a Virtuoso ``endpoint`` for its CSV results, 2.4× faster to write
    than its JSON on large answers, read back as the values the JSON gives
    (``csvresults.read``; only for a query ``csvresults.csv_safe`` passes)."""
    from sciplan_kg.query.csvresults import read

    answer = _post_query(endpoint, query, what, seconds, default_graphs, "text/csv")
    ctype = answer.content_type.split(";")[0].strip().lower()
    if ctype != "text/csv":
        raise RemoteError(
            f"{endpoint}: {what}: 服务器的回答不是 CSV / the server's answer is not CSV "
            f"(Content-Type {ctype or 'missing'})"
        )
    try:
        return read(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RemoteError(
            f"{endpoint}: {what}: 服务器的 CSV 无法读取 / the server's CSV cannot be read: {exc}"
        ) from exc


def _json_results(answer: Answer, endpoint: str, what: str) -> object:
    """The parsed body of a SPARQL JSON results answer, or a message saying why it is not one."""
    ctype = answer.content_type.split(";")[0].strip().lower()
    if ctype not in _JSON_TYPES:
        raise malformed(endpoint, what, f"Content-Type {ctype or 'missing'}")
    try:
        return json.loads(answer.body)
    except (ValueError, RecursionError) as exc:
        raise malformed(endpoint, what, f"JSON: {exc}") from exc


def _post_query(
    endpoint: str, query: str, what: str, seconds: float | None, default_graphs: Iterable[str], accept: str
) -> Answer:
    endpoint = query_endpoint(endpoint, seconds)
    form = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
    return request(
        endpoint,
        what,
        seconds=seconds,
        data=urllib.parse.urlencode(form).encode("utf-8"),
        method="POST",
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )


def ask(endpoint: str, query: str, what: str, seconds: float | None = None, default_graphs: Iterable[str] = ()) -> bool:
    """Run an ASK query on ``endpoint``; its answer, checked to be SPARQL JSON results with a
    ``boolean``."""
    answer = _post_query(endpoint, query, what, seconds, default_graphs, RESULTS_JSON)
    doc = _json_results(answer, endpoint, what)
    value = doc.get("boolean") if isinstance(doc, dict) else None
    if not isinstance(value, bool):
        raise malformed(endpoint, what, "no boolean")
    return value


# what a CONSTRUCT or DESCRIBE answer may come as, best first, and rdflib's name of each
RDF_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "text/plain": "nt",  # N-Triples as servers before RDF 1.1 labelled it
}
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7"


def graph_query(
    endpoint: str, query: str, what: str, seconds: float | None = None, default_graphs: Iterable[str] = ()
) -> tuple[bytes, str]:
    """Run a CONSTRUCT or DESCRIBE query on ``endpoint``; the answer's bytes and the rdflib
    format to parse them with (by its Content-Type: N-Triples, Turtle, RDF/XML, JSON-LD…)."""
    answer = _post_query(endpoint, query, what, seconds, default_graphs, _RDF_ACCEPT)
    ctype = answer.content_type.split(";")[0].strip().lower()
    if ctype not in RDF_TYPES:
        raise RemoteError(
            f"{endpoint}: {what}: 服务器的回答不是 RDF / the server's answer is not RDF "
            f"(Content-Type {ctype or 'missing'})"
        )
    return answer.body, RDF_TYPES[ctype]
