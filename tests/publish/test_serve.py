"""``sciplan-kg serve`` as a process, against a real Oxigraph server on 127.0.0.1: the server
ends with ``serve`` on every signal (SIGINT, SIGTERM, SIGHUP, and SIGKILL of ``serve`` itself,
with PDEATHSIG and with the watchdog used where there is no prctl); ``--writable`` takes a
``load`` at the root address it prints, the default refuses it with a message; a busy port is a
message naming the port, also when it is taken while the store loads."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.dataset import load_dataset
from sciplan_kg.publish import serve as serve_module
from sciplan_kg.publish.load import load
from sciplan_kg.query import run_query
from tests.conftest import FIXTURE_PLANS

# serve run with prctl unavailable, as on a system without it: the watchdog ends the server
NO_PRCTL = (
    "import sys, sciplan_kg.publish.serve as s; s._PRCTL = None; "
    "from sciplan_kg.cli import main; sys.exit(main(sys.argv[1:]))"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A one-plan build: a server over it starts in about a second."""
    return build([FIXTURE_PLANS / "anping_bullets_truncated.txt"], tmp_path_factory.mktemp("tiny") / "build", jobs=1)


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    banner: str

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def start_serve(data: Path, location: Path, *extra: str, runner: tuple[str, ...] = ("-m", "sciplan_kg.cli")) -> Served:
    """``sciplan-kg serve`` in its own session, once it has printed its banner."""
    port = free_port()
    argv = ["serve", "--data", str(data), "--location", str(location), "--port", str(port), *extra]
    proc = subprocess.Popen(
        [sys.executable, *runner, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    assert proc.stdout is not None
    out = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 60
        while b"\n" not in out or out.count(b"\n") < 2:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                _, err = proc.communicate()
                raise AssertionError(f"serve did not start: {out!r} {err.decode()}")
            if sel.select(0.2):
                out += os.read(proc.stdout.fileno(), 4096)
    return Served(proc, port, out.decode())


@pytest.fixture
def served(tiny: BuildResult, tmp_path: Path) -> Iterator[Served]:
    s = start_serve(tiny.out, tmp_path / "store")
    try:
        yield s
    finally:
        _stop(s)


@pytest.fixture
def writable(tiny: BuildResult, tmp_path: Path) -> Iterator[Served]:
    s = start_serve(tiny.out, tmp_path / "store", "--writable")
    try:
        yield s
    finally:
        _stop(s)


def _stop(s: Served, servers: list[int] | None = None) -> None:
    servers = (servers or []) + [p for p in _children(s.proc.pid) if _comm(p) == "oxigraph"]
    if s.proc.poll() is None:
        s.proc.terminate()
    s.proc.communicate(timeout=15)
    for pid in servers:  # never leave a server behind, whatever the test did
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


CASES = {
    "SIGINT": (signal.SIGINT, 0, None),
    "SIGTERM": (signal.SIGTERM, 0, None),
    "SIGHUP": (signal.SIGHUP, 0, None),
    "SIGKILL (PDEATHSIG)": (signal.SIGKILL, -signal.SIGKILL, None),
    "SIGKILL (watchdog)": (signal.SIGKILL, -signal.SIGKILL, ("-c", NO_PRCTL)),
    "SIGTERM (watchdog)": (signal.SIGTERM, 0, ("-c", NO_PRCTL)),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("case", list(CASES))
def test_the_server_ends_with_serve_on_every_signal(case: str, tiny: BuildResult, tmp_path: Path) -> None:
    sig, code, runner = CASES[case]
    s = start_serve(tiny.out, tmp_path / "store", **({"runner": runner} if runner else {}))
    servers = [p for p in _children(s.proc.pid) if _comm(p) == "oxigraph"]
    assert len(servers) == 1, "serve runs one oxigraph process"
    assert _listening(s.port)
    try:
        os.kill(s.proc.pid, sig)
        assert s.proc.wait(timeout=15) == code
        deadline = time.monotonic() + 5
        while _alive(servers[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(servers[0]), f"oxigraph (pid {servers[0]}) outlived serve after {case}"
        # its threads close the socket as they exit, a moment after the leader is a zombie
        while _listening(s.port) and time.monotonic() < deadline + 5:
            time.sleep(0.05)
        assert not _listening(s.port)
        err = s.proc.stderr.read().decode() if s.proc.stderr else ""
        assert "Traceback" not in err, err
        leftover = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _alive(int(p.name))]
        mine = [p for p in leftover if str(tmp_path) in (p / "cmdline").read_bytes().decode("utf-8", "replace")]
        assert not mine, "no process holds the store any more"
    finally:
        _stop(s, servers)


def test_the_banner_gives_the_root_address(served: Served) -> None:
    assert f"{served.root}/ " in served.banner and f"{served.root}/query" in served.banner
    assert "read-only" in served.banner and "--writable" in served.banner


def test_a_read_only_server_refuses_load_with_a_message(
    served: Served, tiny: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["load", "--data", str(tiny.out), "--endpoint", served.root, "--timeout", "10"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "read-only" in err and "--writable" in err and f"{served.root}/store" in err and "Traceback" not in err
    assert "PUT / is not supported" not in err


def _rows(result) -> list[str]:  # type: ignore[no-untyped-def]
    import json

    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in result.rows)


def test_a_writable_server_takes_a_load_at_its_root_address(
    writable: Served, tiny: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "writable" in writable.banner and f"load --endpoint {writable.root}" in writable.banner
    # the address the server prints, as it prints it
    assert main(["load", "--data", str(tiny.out), "--endpoint", writable.root, "--timeout", "20"]) == 0
    assert "verified" in capsys.readouterr().out
    for url in (writable.root, writable.root + "/", writable.root + "/query", writable.root + "/store"):
        assert _rows(run_query("plans", endpoint=url)) == _rows(run_query("plans", tiny.out, store="rdflib")), url
    # a plan replaced through the root address: the server now holds the new version only
    named = load_dataset(tiny.out)
    plan = next(g for g in named if "/graph/plan/" in str(g))
    replacement = Graph()
    replacement.add((URIRef(str(plan) + "#marker"), URIRef("urn:p"), Literal("新版本")))
    uploads = load(writable.root + "/", {plan: replacement}, timeout=20)
    assert [u.triples for u in uploads] == [1]
    assert main(["query", "plans", "--endpoint", writable.root, "--format", "json"]) == 0
    assert str(plan).rsplit("/", 1)[1] not in capsys.readouterr().out, "the plan's triples were replaced"


def test_a_busy_port_is_a_message_naming_it(tiny: BuildResult, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["serve", "--data", str(tiny.out), "--location", str(tmp_path / "s"), "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 2 and f"port {port} is already in use" in err and "Traceback" not in err, err
    assert "http://" not in out, "no banner for a server that never started"


def test_a_port_taken_while_the_store_loads_is_the_same_message(
    tiny: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve_module, "check_port", lambda host, port: None)  # as if taken after the checks
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["serve", "--data", str(tiny.out), "--location", str(tmp_path / "s"), "--port", str(port)])
    out, err = capsys.readouterr()
    assert code == 2 and f"127.0.0.1:{port}" in err and "already in use" in err and "Traceback" not in err, err
    assert "http://" not in out
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, "serve's signal handlers are gone"


def test_an_invalid_port_is_a_message(tiny: BuildResult, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["serve", "--data", str(tiny.out), "--location", str(tmp_path / "s"), "--port", "70000"])
    err = capsys.readouterr().err
    assert code == 2 and "70000" in err and "Traceback" not in err
