"""``sciplan-kg serve``: Oxigraph's SPARQL server (PyPI package ``oxigraph``) on 127.0.0.1
with the graph loaded, one named graph per plan and the default graph their union, so a
researcher gets an endpoint at /query and Oxigraph's query page at /."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sciplan_kg.errors import EXIT_OK, SciplanError


def oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise SciplanError("找不到 oxigraph 命令 / the oxigraph command is missing (pip install oxigraph)")
    return found


def prepare_store(data: Path, location: Path) -> Path:
    """Write the build's named graphs as N-Quads and bulk-load them into an Oxigraph store."""
    from sciplan_kg.dataset import load_dataset
    from sciplan_kg.serialize import nquads_bytes

    named = load_dataset(data)
    if location.exists():
        shutil.rmtree(location)
    location.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "sciplan-kg.nq"
        dump.write_bytes(nquads_bytes(named))
        subprocess.run(
            [oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
    return location


def serve(data: Path, port: int, location: Path | None = None, host: str = "127.0.0.1") -> int:
    store = prepare_store(data, location or data / "oxigraph")
    print(f"SPARQL: http://{host}:{port}/query   查询页面 query page: http://{host}:{port}/  (Ctrl-C 停止 to stop)")
    command = [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(store),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]
    try:
        return subprocess.run(command, check=False).returncode or EXIT_OK
    except KeyboardInterrupt:
        return EXIT_OK
