"""``sciplan-kg load``: the graph uploaded to a SPARQL server with the Graph Store Protocol.

``load`` replaces each named graph whole with one HTTP PUT (one plan per graph), so a failed
upload leaves that plan's previous version on the server, and then asks the server how many
triples each graph holds: the load is done only when every count is the number sent. Every
request has one deadline, its retries included (``query/remote.py``).

The server is named by its root address (``http://127.0.0.1:7878``, what ``sciplan-kg serve``
prints), its query endpoint or its Graph Store endpoint: the other endpoints are found from it
(``query/endpoints.py``), or the store endpoint is given apart (``--store-endpoint``). A server
that refuses writes (HTTP 401, 403, 405: ``sciplan-kg serve`` without ``--writable``, a server
needing a login) is a message saying so, naming the URL.

A build folder's graphs are given as their Turtle files, read one graph at a time when its
turn comes (Oxigraph parses them and writes the N-Triples sent, each triple once), so
the upload of 3,000 plans holds one plan in memory; before, every graph was parsed into rdflib
first (12 M triples at 3,000 plans: gigabytes, and most of an hour of parsing).
"""

from __future__ import annotations

import hashlib
import io
import urllib.error
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from sciplan_kg.netguard import check_url
from sciplan_kg.query.endpoints import by_form, discover
from sciplan_kg.query.remote import DEFAULT_TIMEOUT, RemoteError, malformed, request, select


def store_endpoint(query_endpoint: str) -> str:
    """The Graph Store Protocol endpoint of a server, from the form of its query endpoint
    (no request sent): Oxigraph's /query → /store, Virtuoso's /sparql → /sparql-graph-crud,
    Fuseki's /{ds}/query or /{ds}/sparql → /{ds}/data; a URL of another form is returned as it is."""
    found = by_form(query_endpoint)
    return found.store if found else query_endpoint


REFUSED = (401, 403, 405)  # HTTP statuses of a server that does not take writes here


@dataclass
class Upload:
    graph: str
    triples: int
    bytes: int


# a graph to upload: an rdflib graph, or the Turtle files it is made of (a build folder's)
Content = Graph | list[Path]


def n_triples(content: Content) -> tuple[bytes, int]:
    """The N-Triples of a graph and its number of triples (each once, as the server counts)."""
    if isinstance(content, Graph):
        from sciplan_kg.rdf.serialize import nt_bytes

        return nt_bytes(content), len(content)
    import pyoxigraph as ox

    from sciplan_kg.rdf.parse import read_turtle

    # each file parsed and written as N-Triples by Oxigraph, as written (its store would write
    # "0.1090" as "0.109"), one file's blank nodes not another's; each triple once (one line
    # per triple: equal triples are equal lines, known by a 128-bit digest), in the files'
    # order. What is held is the body and the digests, not a Python object per term: the
    # similarity graph is 3,000 files, 2.1 M triples (624 MB at most, where a dict of
    # Oxigraph's triples took 1.7 GB)
    seen: set[bytes] = set()
    out = io.BytesIO()
    for f in content:
        body = ox.serialize((q.triple for q in read_turtle(f)), format=ox.RdfFormat.N_TRIPLES) or b""
        for line in body.splitlines():
            key = hashlib.blake2b(line, digest_size=16).digest()
            if line and key not in seen:
                seen.add(key)
                out.write(line)
                out.write(b"\n")
    return out.getvalue(), len(seen)


def put_graph(store: str, name: URIRef, g: Content, timeout: float = DEFAULT_TIMEOUT) -> Upload:
    """Replace the named graph ``name`` whole with ``g`` (HTTP PUT, N-Triples); only a 2xx
    answer is success."""
    body, triples = n_triples(g)
    url = f"{store}?{urllib.parse.urlencode({'graph': str(name)})}"
    headers = {"Content-Type": "application/n-triples; charset=utf-8"}
    try:
        request(url, f"PUT {name}", seconds=timeout, data=body, method="PUT", headers=headers, endpoint=store)
    except RemoteError as exc:
        if isinstance(exc.__cause__, urllib.error.HTTPError) and exc.__cause__.code in REFUSED:
            raise RemoteError(
                f"{store}: PUT {name}: HTTP {exc.__cause__.code}: 服务器拒绝写入（只读，或需要登录）；"
                "sciplan-kg serve 请加 --writable 启动 / the server refuses writes (read-only, or it needs a "
                "login): start sciplan-kg serve with --writable"
            ) from exc
        raise
    return Upload(str(name), triples, len(body))


def graph_counts(endpoint: str, names: list[str], timeout: float = DEFAULT_TIMEOUT) -> dict[str, int]:
    """The number of triples the server holds in each of the named graphs ``names`` (one
    query; a graph the server does not hold counts 0)."""
    values = " ".join(f"<{n}>" for n in names)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    what = "核对三元组数 / verifying the triple counts"
    _, rows = select(endpoint, query, what, timeout)
    counts = dict.fromkeys(names, 0)
    for row in rows:
        g, n = row.get("g", {}).get("value"), row.get("n", {}).get("value")
        try:
            counts[str(g)] = int(str(n))
        except ValueError as exc:
            raise malformed(endpoint, what, f"count {n!r} of {g}") from exc
    return counts


def verify(endpoint: str, uploads: list[Upload], timeout: float = DEFAULT_TIMEOUT) -> None:
    """A RemoteError listing every uploaded graph whose triple count on the server is not
    the number sent."""
    counts = graph_counts(endpoint, [u.graph for u in uploads], timeout)
    wrong = [
        f"{u.graph} (sent {u.triples}, server holds {counts.get(u.graph, 0)})"
        for u in uploads
        if counts.get(u.graph, 0) != u.triples
    ]
    if wrong:
        raise RemoteError(
            f"{endpoint}: 上传后核对失败，服务器上的三元组数不符 / the load did not verify: the server's triple "
            f"counts differ for {len(wrong)} graph(s): " + "; ".join(wrong)
        )


def load(
    endpoint: str, graphs: Mapping[URIRef, Content], store: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[Upload]:
    """Upload every named graph to the server at ``endpoint`` (its root, query or store URL),
    each replaced whole, then verify the triple counts; ``store`` names the Graph Store endpoint
    when it cannot be found; ``timeout`` bounds each request, its retries included."""
    check_url(endpoint, "--endpoint")
    if store is not None:
        check_url(store, "--store-endpoint")
    found = discover(endpoint, timeout)
    target = store or found.store
    uploads = [put_graph(target, name, graphs[name], timeout) for name in sorted(graphs)]
    if uploads:
        verify(found.query, uploads, timeout)
    return uploads
