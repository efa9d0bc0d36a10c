"""``sciplan-kg serve``: Oxigraph's SPARQL server (PyPI package ``oxigraph``) on 127.0.0.1
with the graph loaded, one named graph per plan and the default graph their union, so a
researcher gets an endpoint at /query and Oxigraph's query page at /.

The server's database is a folder the tool owns (``pipeline/outputs.py``): by default beside the build
folder (``build/`` → ``build.serve/``); ``--location`` names another, which must be new, empty
or an earlier server database, never the build folder or anything inside it.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from sciplan_kg.errors import EXIT_ERROR, EXIT_OK, SciplanError
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


def check_port(host: str, port: int) -> None:
    """Refuse a port another program listens on, before the store is loaded."""
    if not 0 < port < 65536:
        raise SciplanError(f"端口无效 / invalid port {port} (1–65535)")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise SciplanError(
                    f"{host}:{port}: 端口已被占用 / the port is already in use: choose another with --port"
                ) from exc
            raise SciplanError(f"{host}:{port}: 无法使用这个端口 / cannot listen here: {exc.strerror}") from exc


def serve(data: Path, port: int, location: Path | None = None, host: str = "127.0.0.1") -> int:
    check_port(host, port)
    store = prepare_store(data, location or default_location(data))
    check_port(host, port)  # loading takes a while: the port may have been taken meanwhile
    print(f"SPARQL: http://{host}:{port}/query   查询页面 query page: http://{host}:{port}/  (Ctrl-C 停止 to stop)")
    sys.stdout.flush()
    command = [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a long-running server never blocks on it
        try:
            with folders.lock(store, wait=False):
                done = subprocess.run(command, check=False, stderr=log, env={**os.environ, "RUST_BACKTRACE": "0"})
        except KeyboardInterrupt:
            return EXIT_OK
        log.seek(0)
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
    if done.returncode not in (0, -2, 130):
        why = next((line for line in lines if "error" in line.lower()), lines[0] if lines else "")
        print(f"错误 error: {host}:{port}: oxigraph 服务器退出 / the oxigraph server stopped: {why}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
