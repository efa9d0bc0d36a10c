"""Finding a SPARQL server's endpoints from the address a user gives: its root (what
``sciplan-kg serve`` prints, ``http://127.0.0.1:7878``), its query endpoint or its Graph Store
endpoint.

Servers lay their endpoints out in a few ways:

* Oxigraph: ``/query``, ``/update``, ``/store`` at the root (also ``/sparql`` for queries);
* Apache Jena Fuseki: per dataset, ``/<ds>/sparql`` or ``/<ds>/query``, ``/<ds>/update``, ``/<ds>/data``;
  its admin API lists the datasets at ``/$/datasets``;
* Virtuoso: ``/sparql`` (queries and updates) and ``/sparql-graph-crud`` (Graph Store Protocol).

When the URL's last segment names an endpoint (``/query``, ``/sparql``, ``/store``, ``/data``,
``/update``, ``/sparql-graph-crud``) the layout follows from it and nothing is sent. Otherwise
(a root, a Fuseki dataset, a path behind a proxy) the server is asked by cheap requests, in
this order: ``ASK {}`` at ``<url>/query``, ``<url>/sparql`` and ``<url>`` itself (the first that
answers SPARQL JSON results is the query endpoint, and its ``Server`` header tells Oxigraph,
Fuseki and Virtuoso apart for the store endpoint), then Fuseki's dataset list. A server that
cannot be reached is reported at once (not tried at every path); every request of the search
counts against one deadline. The answer is kept for the process, per URL.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from sciplan_kg.netguard import check_url
from sciplan_kg.query.remote import _OPENER, DEFAULT_TIMEOUT, RESULTS_JSON, RemoteError, remote_error, request

ASK = "ASK {}"
_QUERY_SEGMENTS = ("query", "sparql")
_VIRTUOSO_STORE = ("sparql-graph-crud", "sparql-graph-crud-auth")


@dataclass(frozen=True)
class Endpoints:
    """A server's endpoints: ``query`` (SPARQL protocol), ``store`` (Graph Store Protocol),
    ``update`` (SPARQL Update, None when unknown) and ``server``, the layout they follow
    (``oxigraph``, ``fuseki``, ``virtuoso``; ``""`` unknown), read from the server's ``Server``
    header or, when no request was sent, from the URL's form."""

    query: str
    store: str
    update: str | None
    server: str = ""


_FOUND: dict[str, Endpoints] = {}


def forget() -> None:
    """Forget the endpoints found so far (a server restarted with another layout)."""
    _FOUND.clear()


def _url(parts: urllib.parse.SplitResult, path: str) -> str:
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _layout(parts: urllib.parse.SplitResult, prefix: str, server: str, query: str) -> Endpoints:
    """The endpoints of a server of kind ``server`` whose endpoints live under ``prefix``
    (``""`` for the root, ``/ds`` for a Fuseki dataset), ``query`` its query endpoint."""
    if server == "oxigraph":
        return Endpoints(query, _url(parts, prefix + "/store"), _url(parts, prefix + "/update"), server)
    if server == "virtuoso":
        return Endpoints(query, _url(parts, prefix + "/sparql-graph-crud"), _url(parts, prefix + "/sparql"), server)
    return Endpoints(query, _url(parts, prefix + "/data"), _url(parts, prefix + "/update"), server)  # Fuseki


def by_form(url: str) -> Endpoints | None:
    """The endpoints when the last segment of ``url``'s path names one (no request sent):
    ``/query``, ``/update``, ``/store`` at the root are Oxigraph's, ``/sparql`` at the root and
    ``/sparql-graph-crud`` Virtuoso's, ``/<ds>/query|sparql|update|data`` a Fuseki dataset's;
    None for any other form."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if path != parts.path:  # …/query/ is …/query: servers answer at the one without the slash
        url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    prefix, _, last = path.rpartition("/")
    if last in ("query", "update", "store") and (prefix == "" or last == "store"):
        query = url if last == "query" else _url(parts, prefix + "/query")
        return _layout(parts, prefix, "oxigraph", query)
    if last == "sparql" and prefix == "":
        return _layout(parts, "", "virtuoso", url)
    if last in _VIRTUOSO_STORE and prefix == "":
        return Endpoints(_url(parts, "/sparql"), url, _url(parts, "/sparql"))
    if prefix and last in (*_QUERY_SEGMENTS, "update", "data"):
        query = url if last in _QUERY_SEGMENTS else _url(parts, prefix + "/query")
        return _layout(parts, prefix, "fuseki", query)
    return None


def _server_kind(header: str) -> str:
    header = header.lower()
    for kind in ("oxigraph", "fuseki", "virtuoso"):
        if kind in header:
            return kind
    return ""


def _ask(url: str, deadline: float, seconds: float) -> str | None:
    """The kind of server (possibly ``""``) when ``url`` answers ``ASK {}`` with SPARQL JSON
    results; None when it answers something else (an HTML page, 404); a RemoteError when the
    server cannot be reached or does not answer in time."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise remote_error(url, "寻找 SPARQL 端点 / looking for the SPARQL endpoint", TimeoutError(), seconds)
    probe = urllib.request.Request(
        f"{url}?{urllib.parse.urlencode({'query': ASK})}", headers={"Accept": RESULTS_JSON}, method="GET"
    )
    try:
        with _OPENER.open(probe, timeout=left) as response:
            body = response.read(1 << 16)
            server = response.headers.get("Server", "")
    except urllib.error.HTTPError:
        return None  # an HTTP answer: the server is there, this endpoint is not
    except (OSError, ValueError) as exc:  # no answer: the server is down, or too slow
        raise remote_error(url, "寻找 SPARQL 端点 / looking for the SPARQL endpoint", exc, seconds) from exc
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("boolean"), bool):
        return None
    return _server_kind(server)


def _fuseki_datasets(parts: urllib.parse.SplitResult, deadline: float) -> list[Endpoints]:
    """The datasets Fuseki's admin API lists at ``/$/datasets`` (none when it does not answer)."""
    url = _url(parts, "/$/datasets")
    try:
        answer = request(url, "寻找 SPARQL 端点 / looking for the SPARQL endpoint",
                         seconds=max(deadline - time.monotonic(), 0.001),
                         headers={"Accept": "application/json"})  # fmt: skip
        doc = json.loads(answer.body)
    except (RemoteError, ValueError):
        return []
    found = []
    for ds in doc.get("datasets", []) if isinstance(doc, dict) else []:
        name = ds.get("ds.name") if isinstance(ds, dict) else None
        if not isinstance(name, str):
            continue
        services: dict[str, list[str]] = {}
        for srv in ds.get("ds.services", []):
            if isinstance(srv, dict) and isinstance(srv.get("srv.endpoints"), list):
                services.setdefault(str(srv.get("srv.type")), []).extend(str(e) for e in srv["srv.endpoints"])
        name = "/" + name.strip("/")

        def at(kind: str, fallback: str, name: str = name, services: dict[str, list[str]] = services) -> str:
            ends = services.get(kind) or [fallback]
            end = next((e for e in ends if e), ends[0])
            return _url(parts, f"{name}/{end}" if end else name)

        found.append(Endpoints(at("query", "sparql"), at("gsp-rw", "data"), at("update", "update"), "fuseki"))
    return found


def discover(url: str, seconds: float | None = None, option: str = "--endpoint") -> Endpoints:
    """The endpoints of the server at ``url`` (its root, a query or a store endpoint): from the
    URL's form when it names an endpoint, else asked of the server (module docstring), all
    within ``seconds``. A RemoteError naming ``url`` when no query endpoint is found."""
    check_url(url, option)
    if url in _FOUND:
        return _FOUND[url]
    found = by_form(url)
    if found is None:
        seconds = seconds or DEFAULT_TIMEOUT
        found = _search(url, time.monotonic() + seconds, seconds)
    _FOUND[url] = found
    return found


def _search(url: str, deadline: float, seconds: float) -> Endpoints:
    parts = urllib.parse.urlsplit(url)
    prefix = parts.path.rstrip("/")
    tried = []
    for segment in ("query", "sparql", ""):
        candidate = _url(parts, f"{prefix}/{segment}" if segment else prefix or "/")
        tried.append(candidate)
        kind = _ask(candidate, deadline, seconds)
        if kind is None:
            continue
        if segment and kind:
            return _layout(parts, prefix, kind, candidate)
        guess = by_form(candidate)  # the layout its form suggests, when the Server header does not say
        return guess if guess is not None else Endpoints(candidate, candidate, None, kind)
    if not prefix:
        datasets = _fuseki_datasets(parts, deadline)
        if len(datasets) == 1:
            return datasets[0]
        if datasets:
            names = ", ".join(d.query for d in datasets)
            raise RemoteError(
                f"{url}: 服务器上有多个数据集，请指明一个 / the server holds several datasets: give one of "
                f"their query endpoints ({names})"
            )
        tried.append(_url(parts, "/$/datasets"))
    raise RemoteError(
        f"{url}: 找不到 SPARQL 查询端点 / no SPARQL query endpoint found here (tried {', '.join(tried)}): "
        "give the query endpoint's URL (…/query, …/sparql)"
    )
