"""``sciplan-kg serve``: Oxigraph's SPARQL server (PyPI package ``oxigraph``) on 127.0.0.1
with the graph loaded, one named graph per plan and the default graph their union, so a
researcher gets an endpoint at /query and Oxigraph's query page at /.

Read-only by default (``oxigraph serve-read-only``: a PUT or an update is refused with HTTP
403); ``writable`` (``--writable``) serves the store read-write, with the Graph Store endpoint
/store and SPARQL Update at /update, so ``sciplan-kg load --endpoint http://127.0.0.1:7878``
can replace plans in it. Writes last as long as the server: the next ``serve`` loads the store
again from the build folder.

The server process lives exactly as long as ``serve``: SIGINT (Ctrl-C), SIGTERM and SIGHUP (the
terminal closed) stop it and ``serve`` returns 0 once it has ended; if ``serve`` itself is
killed (SIGKILL), the kernel ends the server too (Linux ``prctl(PR_SET_PDEATHSIG)``; elsewhere
a watchdog process that ends the server when ``serve`` is gone). A port in use is a message
naming it, before the store is loaded, and again if it is taken while loading.

The server's database is a folder the tool owns (``pipeline/outputs.py``): by default beside the build
folder (``build/`` → ``build.serve/``); ``--location`` names another, which must be new, empty
or an earlier server database, never the build folder or anything inside it.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sciplan_kg.errors import EXIT_OK, SciplanError
from sciplan_kg.pipeline import outputs as folders


def oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise SciplanError("找不到 oxigraph 命令 / the oxigraph command is missing (pip install oxigraph)")
    return found


def default_location(data: Path) -> Path:
    return data.with_name(data.name + ".serve")


def prepare_store(data: Path, location: Path) -> Path:
    """Write the build's named graphs as N-Quads and bulk-load them into an Oxigraph store,
    replacing ``location`` only if it is a store this command wrote."""
    from sciplan_kg.pipeline.dataset import load_dataset
    from sciplan_kg.rdf.serialize import nquads_bytes

    folders.check_output(location, folders.SERVE_STORE, [data])
    named = load_dataset(data)
    with folders.lock(location):
        folders.remove_stale_temporaries(location)
        tmp = folders.new_temporary(location)
        try:
            with tempfile.TemporaryDirectory() as scratch:
                dump = Path(scratch) / "sciplan-kg.nq"
                dump.write_bytes(nquads_bytes(named))
                done = subprocess.run(
                    [oxigraph_binary(), "load", "--location", str(tmp), "--file", str(dump)],
                    check=False,
                    capture_output=True,
                    env={**os.environ, "RUST_BACKTRACE": "0"},
                )
            if done.returncode != 0:
                why = done.stderr.decode("utf-8", "replace").strip().splitlines()
                raise SciplanError(f"{location}: oxigraph load 失败 / oxigraph load failed: {why[-1] if why else ''}")
            folders.swap_in(tmp, location, folders.SERVE_STORE, whole=True)
        except BaseException:
            folders.discard(tmp)
            raise
    return location


STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))
START_SECONDS = 60.0  # the server has this long to start listening
LISTENING = b"Listening for requests at"  # what Oxigraph writes to its standard error once it listens
_PR_SET_PDEATHSIG = 1


def check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before the store is loaded."""
    if not 0 < port < 65536:
        raise SciplanError(f"端口无效 / invalid port {port} (1–65535)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: a closed port is free
        try:
            probe.bind((host, port))
            probe.listen(1)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise busy(host, port) from exc
            raise SciplanError(f"{host}:{port}: 无法使用这个端口 / cannot listen here: {exc.strerror}") from exc


def busy(host: str, port: int) -> SciplanError:
    return SciplanError(
        f"{host}:{port}: 端口 {port} 已被占用，请用 --port 另选 / port {port} is already in use: "
        "choose another with --port"
    )


def _libc_prctl() -> Callable[..., int] | None:
    """Linux's prctl(2), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()


def _die_with(parent: int, prctl: Callable[..., int]) -> Callable[[], None]:
    """A ``preexec_fn`` (run in the child between fork and exec): the kernel sends the child
    SIGKILL when the process that started it ends, however it ends; if that process ended
    already (between the fork and here), the child ends at once."""

    def arm() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return arm


WATCHDOG = """
import os, signal, sys, time
parent, child = int(sys.argv[1]), int(sys.argv[2])
while True:
    time.sleep(0.2)
    try:
        os.kill(child, 0)
    except OSError:
        sys.exit(0)
    if os.getppid() != parent:
        try:
            os.kill(child, signal.SIGKILL)
        finally:
            sys.exit(0)
"""


def _watchdog(child: int) -> subprocess.Popen[bytes]:
    """A process that kills ``child`` when this process is gone (where there is no prctl): it
    is this process's child, so its parent changes when this process ends."""
    return subprocess.Popen(
        [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(child)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C for serve is not its business
    )


_WATCHDOGS: dict[int, subprocess.Popen[bytes]] = {}  # server pid → its watchdog


def start_server(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start the server ``command`` tied to this process (PDEATHSIG, else a watchdog), its
    standard output and error into ``log``."""
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    if _PRCTL is not None:
        arm = _die_with(os.getpid(), _PRCTL)
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, preexec_fn=arm)
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
    _WATCHDOGS[proc.pid] = _watchdog(proc.pid)
    return proc


def end(proc: subprocess.Popen[bytes]) -> None:
    """End the server ``proc`` (SIGTERM, SIGKILL after 5 s) and its watchdog, and reap both."""
    try:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.wait()
    finally:
        watchdog = _WATCHDOGS.pop(proc.pid, None)
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait()


@contextmanager
def stop_on_signals(proc: subprocess.Popen[bytes]) -> Iterator[list[int]]:
    """While inside: SIGINT, SIGTERM and SIGHUP terminate ``proc`` (and are listed in the list
    yielded) instead of ending this process; on leaving, ``proc`` has ended (killed if need be)
    and the previous handlers are back. Outside the main thread no handler can be set: the
    server then still ends with the process (PDEATHSIG or the watchdog)."""
    received: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        received.append(signum)
        if proc.poll() is None:
            proc.terminate()

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in STOP_SIGNALS:
            previous[sig] = signal.signal(sig, stop)
    try:
        yield received
    finally:
        try:
            end(proc)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _log_lines(log: IO[bytes]) -> list[str]:
    log.seek(0)
    return log.read().decode("utf-8", "replace").strip().splitlines()


def _wait_listening(proc: subprocess.Popen[bytes], log: IO[bytes], received: list[int]) -> bool:
    """True once the server says it listens; False when it ended first (or a signal came)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and not received:
        log.seek(0)
        if LISTENING in log.read():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def _failure(host: str, port: int, lines: list[str]) -> SciplanError:
    text = "\n".join(lines)
    if "Address already in use" in text or "os error 98" in text or "AddrInUse" in text:
        return busy(host, port)
    why = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
    return SciplanError(f"{host}:{port}: oxigraph 服务器退出 / the oxigraph server stopped: {why}".rstrip())


def banner(host: str, port: int, writable: bool) -> str:
    root = f"http://{host}:{port}"
    mode = (
        f"可写 writable: sciplan-kg load --endpoint {root}"
        if writable
        else "只读 read-only (serve --writable 以便 load / to load into it)"
    )
    return (
        f"SPARQL 服务器 server: {root}/   查询 query: {root}/query   上传 store: {root}/store   {mode}\n"
        f"查询页面 query page: {root}/  (Ctrl-C 停止 to stop)"
    )


def serve(
    data: str | Path,
    port: int = 7878,
    location: str | Path | None = None,
    host: str = "127.0.0.1",
    writable: bool = False,
) -> int:
    """Serve the build folder ``data`` on ``host``:``port`` until a signal stops it (module
    docstring); 0 when stopped, an error (exit 2) when the server cannot start or fails."""
    data = Path(data)
    check_port(host, port)
    store = prepare_store(data, Path(location) if location is not None else default_location(data))
    check_port(host, port)  # loading takes a while: the port may have been taken meanwhile
    command = [
        oxigraph_binary(),
        "serve" if writable else "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]
    with tempfile.TemporaryFile() as log, folders.lock(store, wait=False):  # a file: the server never blocks on it
        proc = start_server(command, log)
        with stop_on_signals(proc) as received:
            if _wait_listening(proc, log, received):
                print(banner(host, port, writable))
                sys.stdout.flush()
            elif not received and proc.poll() is None:
                raise SciplanError(
                    f"{host}:{port}: oxigraph 服务器 {START_SECONDS:g} 秒内未启动 / the oxigraph server did not "
                    f"start listening within {START_SECONDS:g} s"
                )
            proc.wait()
        if received or -proc.returncode in STOP_SIGNALS:  # stopped, by serve or by a signal sent to it alone
            return EXIT_OK
        if proc.returncode != 0:
            raise _failure(host, port, _log_lines(log))
    return EXIT_OK
