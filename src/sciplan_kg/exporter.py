"""Export a build folder as Turtle, TriG, N-Triples or JSON-LD: the asserted triples by default,
the inferences on request. Files are written to a temporary sibling and renamed into place."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from rdflib import Graph

from sciplan_kg.errors import UsageError
from sciplan_kg.model.namespaces import ID
from sciplan_kg.serialize import FORMATS, serialize
from sciplan_kg.store import load_graphs

GRAPH_IRIS = {"asserted": str(ID) + "graph/asserted", "inferred": str(ID) + "graph/inferred"}


def export_bytes(data: Path, fmt: str, inferred: bool = False) -> bytes:
    if fmt not in FORMATS:
        raise UsageError(f"未知格式 / unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    graphs = load_graphs(data)
    chosen: dict[str, Graph] = {GRAPH_IRIS["asserted"]: graphs["asserted"]}
    if inferred:
        if "inferred" not in graphs:
            raise UsageError(f"{data}: 没有推理结果 / has no inferred.ttl; export a build folder")
        chosen[GRAPH_IRIS["inferred"]] = graphs["inferred"]
    return serialize(fmt, chosen)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(data: Path, fmt: str, out: Path | None = None, inferred: bool = False) -> int:
    """Export and write to ``out`` (or standard output); returns the number of bytes."""
    payload = export_bytes(data, fmt, inferred)
    if out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(out, payload)
    return len(payload)
