"""No network unless asked: the URLs a user may name, the timeouts a user may give, and a
process-level guard that refuses every connection but those to the endpoints the user named.

The first line of defence is in the code that could reach the network: the embedded stores
refuse ``SERVICE`` (``query/run.py``), rdflib never loads ``FROM`` graphs, RDF input never
names a remote JSON-LD ``@context`` (``rdf/parse.py``). The guard is the second: inside
``with guard(urls):`` a Python audit hook (``sys.addaudithook``) refuses ``socket.connect``,
``socket.getaddrinfo`` and ``urllib.Request`` to any host and port but those of ``urls``, so a
path nobody thought of (a parser following an IRI, a library update) fails with a message
instead of sending a request. Outside the ``with`` the hook does nothing. It sees only what
Python does: Oxigraph's own HTTP client (Rust) is not covered, hence the refusal of
``SERVICE`` before Oxigraph sees the query.
"""

from __future__ import annotations

import argparse
import math
import re
import socket
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sciplan_kg.errors import SciplanError, UsageError

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_TIMEOUT = 1_000_000.0  # seconds (11.6 days): beyond it the system's timers overflow (1e300 did)


class NetworkRefused(SciplanError):
    """A connection to a host the user did not name, refused by the guard."""


def check_url(url: str, option: str = "--endpoint") -> str:
    """``url`` when it is an http:// or https:// URL with a host (and a port from 1 to 65535, no
    user name or password in it); else a UsageError, which never shows a password."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UsageError(
            f"{option}: 只接受带主机名的 http:// 或 https:// 网址 / only http:// and https:// URLs "
            f"with a host (and a port from 1 to 65535) are accepted, not {masked(url)!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"{option}: 网址中不能含用户名或密码 / a user name or password in the URL is not supported "
            f"(it would be shown in messages and logs): {masked(url)!r}"
        )
    return url


def masked(url: str) -> str:
    """``url`` with any password in it replaced by ***."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@", r"\1:***@", url)


def timeout_seconds(text: str) -> float:
    """An argparse type: a positive finite number of seconds (not nan, inf, 0 or negative)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0 or value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"应为不超过 {MAX_TIMEOUT:,.0f} 的正数秒 / must be a positive number of seconds up to "
            f"{MAX_TIMEOUT:,.0f} (11 days), not {text!r}"
        )
    return value


def _address(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme, 0)


def _endpoint_addresses(url: str) -> set[tuple[str, int]]:
    """The endpoint's host and port, and the proxy's when urllib sends the request through
    one (``http_proxy`` / ``https_proxy``, unless ``no_proxy`` names the host)."""
    import urllib.request

    found = {_address(url)}
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    proxy = urllib.request.getproxies().get(scheme)
    host = found.copy().pop()[0]
    if proxy and not urllib.request.proxy_bypass(host):
        if "://" not in proxy:
            proxy = "http://" + proxy
        found.add(_address(proxy))
    return found


class _Guard:
    """The allowed (host, port) pairs while a ``guard`` is entered; None: inert."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.allowed: list[set[tuple[str, int]]] = []  # a stack: nested guards allow their union
        self.resolved: dict[tuple[str, int], bool] = {}
        self.installed = False
        self.local = threading.local()

    def active(self) -> set[tuple[str, int]] | None:
        stack = self.allowed
        if not stack:
            return None
        return set().union(*stack)

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.allowed or event not in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            return
        if getattr(self.local, "busy", False):
            return  # our own name lookups below
        allowed = self.active()
        if allowed is None:
            return
        if event == "urllib.Request":
            url = str(args[0])
            scheme = urllib.parse.urlsplit(url).scheme.lower()
            if scheme not in SCHEMES or _address(url) not in allowed:
                raise NetworkRefused(
                    f"{url}: 拒绝访问未指定的网址 / refused: not an endpoint given on the command line"
                )
        elif event == "socket.getaddrinfo":
            host, port = args[0], args[1]
            if isinstance(host, bytes):
                host = host.decode("ascii", "replace")
            if host is None:
                return
            if not self._allowed(str(host).lower(), port, allowed):
                raise NetworkRefused(f"{host}:{port}: 拒绝连接 / refused: not an endpoint given on the command line")
        else:  # socket.connect
            sock, address = args[0], args[1]
            if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
                return  # a Unix socket: local
            host, port = str(address[0]).lower(), address[1]
            if not self._allowed(host, port, allowed):
                raise NetworkRefused(f"{host}:{port}: 拒绝连接 / refused: not an endpoint given on the command line")

    def _allowed(self, host: str, port: Any, allowed: set[tuple[str, int]]) -> bool:
        try:
            port = int(port) if port is not None else None
        except (TypeError, ValueError):
            return False
        for a_host, a_port in allowed:
            if port is not None and port != a_port:
                continue
            if host == a_host or host in self._addresses(a_host, a_port):
                return True
        return False

    def _addresses(self, host: str, port: int) -> set[str]:
        """The addresses a named host resolves to (the connection is made to them)."""
        self.local.busy = True
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return set()
        finally:
            self.local.busy = False
        return {str(info[4][0]).lower() for info in infos}


_GUARD = _Guard()


@contextmanager
def guard(urls: Iterable[str | None]) -> Iterator[None]:
    """Refuse every network connection of this process but those to the host and port of
    ``urls`` (the endpoints the user named; None entries are skipped) until the ``with`` ends.
    With no URL at all, no connection is allowed."""
    allowed: set[tuple[str, int]] = set()
    for url in urls:
        if url:
            allowed |= _endpoint_addresses(url)
    with _GUARD.lock:
        if not _GUARD.installed:
            sys.addaudithook(_GUARD.hook)
            _GUARD.installed = True
        _GUARD.allowed.append(allowed)
    try:
        yield
    finally:
        with _GUARD.lock:
            _GUARD.allowed.remove(allowed)


def remote_contexts(doc: Any) -> list[str]:
    """The contexts a JSON-LD document names by IRI instead of holding inline (``"@context":
    "http://…"``, an IRI in a list of contexts, ``@import``), anywhere in it: in node objects,
    in ``@graph``, in the scoped contexts of term definitions. Parsing would fetch each of them
    (a relative one from the file's folder)."""
    found: list[str] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if isinstance(ctx, str):
                            found.append(ctx)
                        elif ctx is not None and not isinstance(ctx, dict):
                            found.append(repr(ctx))
                elif key == "@import":
                    found.append(value if isinstance(value, str) else repr(value))
                stack.append(value)
    return found
