"""The embedded query store of a build folder: an Oxigraph database on disk, beside the folder
(``build/`` → ``build.oxigraph/``), one named graph per plan as in ``dataset.py``.

It is kept in step with the build folder graph by graph: ``state.json`` records the hash of
the files each graph was loaded from, so after a rebuild that changed one plan only that
plan's graph is cleared and loaded again. The graphs to load are taken out of ``state.json``
before they are touched and put back once loaded, so a sync that is interrupted is finished by
the next one. The store lives outside the build folder because a build swaps the folder whole.

Loading: every graph to load goes to Oxigraph's bulk loader in one TriG stream (``<graph> {
Turtle body }`` for each, read from the files as it goes), since each bulk load writes new
files on disk and 3,000 of them cost more than the parsing. Files written by this package
share one prefix header, written once; a file with its own (the ontology) is loaded apart.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciplan_kg.dataset import graph_files
from sciplan_kg.errors import InputError
from sciplan_kg.exporter import write_atomic
from sciplan_kg.serialize import turtle_prefixes

STATE = "state.json"
BATCH = 1000  # graphs per bulk load: fewer loads are faster, each holds its batch in memory


def store_path(build: Path) -> Path:
    return build.with_name(build.name + ".oxigraph")


def _digest(files: list[Path]) -> str:
    """What identifies a graph's files: path, size and modification time of each. A build
    writes a changed plan's files anew and links an unchanged plan's files from the previous
    folder, so this changes exactly when the content may have; and it costs a stat, where
    hashing 3,000 plans' Turtle would add seconds to every query."""
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        h.update(f"{f.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


@dataclass
class SyncResult:
    loaded: int
    removed: int
    kept: int


def sync(build: Path, store_dir: Path | None = None) -> SyncResult:
    """Bring the store of ``build`` in step with it; returns what was done."""
    import pyoxigraph as ox

    store_dir = store_dir or store_path(build)
    wanted = {str(name): (files, _digest(files)) for name, files in graph_files(build).items()}
    state_file = store_dir / STATE
    state: dict[str, str] = {}
    if state_file.is_file():
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except ValueError:
            state = {}
    store_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(store_dir))
    known = {str(g.value) for g in store.named_graphs()}
    result = SyncResult(0, 0, 0)

    def save() -> None:
        write_atomic(state_file, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode("utf-8"))

    gone = sorted((known | set(state)) - set(wanted))
    for name in gone:
        state.pop(name, None)
    if gone:
        save()
    for name in gone:
        if name in known:
            store.remove_graph(ox.NamedNode(name))
    result.removed = len(gone)
    todo = {name: files for name, (files, digest) in sorted(wanted.items()) if state.get(name) != digest}
    result.kept = len(wanted) - len(todo)
    for name in todo:  # cleared and out of the state before anything is loaded
        state.pop(name, None)
    save()
    for name in todo:
        if name in known:
            store.remove_graph(ox.NamedNode(name))
    streamed = {n: fs for n, fs in todo.items() if all(_has_header(f) for f in fs)}
    names = list(streamed)
    for k in range(0, len(names), BATCH):
        batch = {n: streamed[n] for n in names[k : k + BATCH]}
        try:
            store.bulk_load(io.BufferedReader(_Stream(_trig(batch))), format=ox.RdfFormat.TRIG, lenient=True)
        except SyntaxError:
            for name in batch:  # find the file to name; the stream's line numbers are no use
                for f in batch[name]:
                    _load_file(ox.Store(), f, ox.NamedNode(name))
            raise
    for name, files in todo.items():
        if name not in streamed:
            for f in files:
                _load_file(store, f, ox.NamedNode(name))
    for name in todo:
        state[name] = wanted[name][1]
    result.loaded = len(todo)
    save()
    store.flush()
    del store
    return result


_HEADER = turtle_prefixes().encode("utf-8")


def _has_header(f: Path) -> bool:
    with f.open("rb") as fh:
        return fh.read(len(_HEADER)) == _HEADER


def _trig(graphs: dict[str, list[Path]]) -> Iterator[bytes]:
    """One TriG document of ``graphs``, from files that all begin with ``_HEADER``."""
    yield _HEADER
    for name, files in graphs.items():
        yield f"<{name}> {{\n".encode()
        for f in files:
            with f.open("rb") as fh:
                fh.seek(len(_HEADER))
                yield from iter(lambda fh=fh: fh.read(1 << 20), b"")  # type: ignore[misc]
            yield b"\n"
        yield b"}\n"


class _Stream(io.RawIOBase):
    """A readable binary stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.chunk = memoryview(b"")
        self.at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self.at == len(self.chunk):
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.chunk, self.at = memoryview(chunk), 0
        n = min(len(buffer), len(self.chunk) - self.at)
        buffer[:n] = self.chunk[self.at : self.at + n]
        self.at += n
        return n


def _load_file(store: Any, f: Path, graph: Any) -> None:
    import pyoxigraph as ox

    try:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=graph)
    except SyntaxError as exc:
        raise InputError(f, f"RDF 语法错误 / invalid Turtle: {exc}") from exc


def open_store(build: Path) -> Any:
    """The synced store of ``build``, opened for reading."""
    import pyoxigraph as ox

    sync(build)
    return ox.Store.read_only(str(store_path(build)))


def remove_store(build: Path) -> None:
    import shutil

    path = store_path(build)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        os.remove(path)
