"""Export a build folder as Turtle, TriG, N-Triples, N-Quads or JSON-LD: the asserted triples, the
link graphs (similar tasks, parent plans and their task matches) and the dataset's description
by default — what the query store holds but the ontology —, the inferences on request
(``--inferred``); ``--no-links`` leaves out the links and the description. TriG keeps each kind
in a named graph of its own. Files are written to a temporary sibling and renamed into place.

A build folder is exported as a stream, plan by plan, so a corpus of thousands of plans never
has to fit in memory: Turtle is the plans' Turtle blocks under one set of prefixes; the other
formats are converted by pyoxigraph (a Rust parser and serializer, 20× rdflib's speed) from
those files in their fixed order, so the output is as deterministic as the files. A single
RDF file given instead of a build folder goes through rdflib.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph

from sciplan_kg.errors import InputError, UsageError, with_path
from sciplan_kg.pipeline.dataset import DATASET_GRAPH, PARENTS_GRAPH, SIMILARITY_GRAPH
from sciplan_kg.pipeline.folder import BuildFolder, build_parts, load_graphs
from sciplan_kg.pipeline.outputs import write_atomic
from sciplan_kg.rdf.namespaces import ID
from sciplan_kg.rdf.serialize import FORMATS, PREFIXES, concat_turtle, serialize, turtle_prefixes

GRAPH_IRIS = {
    "asserted": str(ID) + "graph/asserted",
    "inferred": str(ID) + "graph/inferred",
    "similarity": str(SIMILARITY_GRAPH),
    "parents": str(PARENTS_GRAPH),
    "dataset": str(DATASET_GRAPH),
}
LINKS = ("similarity", "parents", "dataset")  # the build's graphs beside the plans'


def export_chunks(
    data: Path,
    fmt: str,
    inferred: bool = False,
    parts: dict[str, list[Path]] | None = None,
    links: bool = True,
) -> Iterator[bytes]:
    """The export of ``data`` in pieces, to be written one after another (``parts``: the build
    folder's graph files, when the caller has opened it already): the asserted triples, the
    inferences if ``inferred``, then the link graphs and the dataset's description if ``links``."""
    if fmt not in FORMATS:
        raise UsageError(f"未知格式 / unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if not data.is_dir():
        yield export_bytes(data, fmt, inferred)
        return
    parts = parts or build_parts(data)
    files = [(GRAPH_IRIS["asserted"], f) for f in parts["asserted"]]
    if inferred:
        files += [(GRAPH_IRIS["inferred"], f) for f in parts["inferred"]]
    if links:
        files += [(GRAPH_IRIS[kind], f) for kind in LINKS for f in parts.get(kind, [])]
    if fmt == "turtle":
        header = turtle_prefixes().encode("utf-8")
        bodies = (f.read_bytes().removeprefix(header) for _, f in files)
        yield from concat_turtle(bodies)
        return
    import pyoxigraph as ox

    target = {"nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG}.get(fmt)
    if target is None:
        yield from _json_ld(ox, files)
        return
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    for graph, f in files:
        items = _quads(ox, f, graph) if target.supports_datasets else (q.triple for q in _quads(ox, f, graph))
        chunk = (
            ox.serialize(items, format=target, prefixes=prefixes)
            if fmt == "trig"
            else ox.serialize(items, format=target)
        )
        yield chunk or b""


def _json_ld(ox: Any, files: list[tuple[str, Path]]) -> Iterator[bytes]:
    """JSON-LD, file by file: Oxigraph writes a file's triples as an array of node objects
    (expanded form), and the arrays are joined into one. A node that two files state (an
    agency of two plans) is two objects of the same ``@id``, which JSON-LD reads as one node:
    the same triples as one array written whole, which held every triple in memory at once
    (614 MB at 300 plans; 3,000 would not fit in 1.5 GiB)."""
    yield b"["
    first = True
    for graph, f in files:
        chunk = ox.serialize((q.triple for q in _quads(ox, f, graph)), format=ox.RdfFormat.JSON_LD) or b"[]"
        inner = chunk.strip()[1:-1].strip()  # the array's members
        if inner:
            yield inner if first else b"," + inner
            first = False
    yield b"]"


def _quads(ox: Any, path: Path, graph: str) -> Iterator[Any]:
    name = ox.NamedNode(graph)
    try:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            yield ox.Quad(q.subject, q.predicate, q.object, name)
    except SyntaxError as exc:
        raise InputError(path, f"RDF 语法错误 / invalid Turtle: {exc}") from exc
    except OSError as exc:  # Oxigraph's name no file: this one
        raise with_path(exc, path) from exc


def export_bytes(data: Path, fmt: str, inferred: bool = False) -> bytes:
    if data.is_dir():
        return b"".join(export_chunks(data, fmt, inferred))
    if fmt not in FORMATS:
        raise UsageError(f"未知格式 / unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    graphs = load_graphs(data)
    chosen: dict[str, Graph] = {GRAPH_IRIS["asserted"]: graphs["asserted"]}
    if inferred:
        if "inferred" not in graphs:
            raise UsageError(f"{data}: 没有推理结果 / has no inferred.ttl; export a build folder")
        chosen[GRAPH_IRIS["inferred"]] = graphs["inferred"]
    return serialize(fmt, chosen)


def check_export_target(data: Path, out: Path, folder: BuildFolder | None = None) -> None:
    """An export file may not be a folder, the data it is made from, or one of the build
    folder's own files (``folder``: the build folder ``data``, opened)."""
    if out.is_dir():
        raise InputError(out, "这是文件夹；请给出要写的文件名 / is a folder: give the name of the file to write")
    if out.resolve() == data.resolve():
        raise InputError(out, "输出文件就是输入 / the output is the input itself")
    if folder is not None and folder.wrote(out):
        raise InputError(
            out,
            "这是构建目录自己的文件，不能覆盖 / this is one of the build folder's own files: choose another name",
        )


def export(data: Path, fmt: str, out: Path | None = None, inferred: bool = False, links: bool = True) -> int:
    """Export and write to ``out`` (or standard output); returns the number of bytes."""
    folder = BuildFolder.open(data) if data.is_dir() else None
    if out is not None:
        check_export_target(data, out, folder)
    chunks = export_chunks(data, fmt, inferred, folder.parts() if folder else None, links)
    if out is not None:
        return write_atomic(out, chunks)
    size = 0
    for chunk in chunks:
        sys.stdout.buffer.write(chunk)
        size += len(chunk)
    sys.stdout.flush()
    return size
