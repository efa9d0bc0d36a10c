"""The embedded query store of a build folder: an Oxigraph database on disk, beside the folder
(``build/`` → ``build.oxigraph/``), one named graph per plan as in ``dataset.py``.

It is kept in step with the build folder graph by graph: ``state.json`` records the hash of
the files each graph was loaded from, so after a rebuild that changed one plan only that
plan's graph is cleared and loaded again. A graph is taken out of ``state.json`` before it is
touched and put back once loaded, so a sync that is interrupted is finished by the next one.
The store lives outside the build folder because a build swaps the folder whole.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciplan_kg.dataset import graph_files
from sciplan_kg.errors import InputError
from sciplan_kg.exporter import write_atomic

STATE = "state.json"


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

    for name in sorted(known | set(state)):
        if name in wanted and state.get(name) == wanted[name][1]:
            continue
        state.pop(name, None)
        save()
        if name in known:
            store.remove_graph(ox.NamedNode(name))
        result.removed += name not in wanted
    for name, (files, digest) in sorted(wanted.items()):
        if state.get(name) == digest:
            result.kept += 1
            continue
        graph = ox.NamedNode(name)
        for f in files:
            try:
                store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=graph)
            except SyntaxError as exc:
                raise InputError(f, f"RDF 语法错误 / invalid Turtle: {exc}") from exc
        state[name] = digest
        save()
        result.loaded += 1
    store.flush()
    del store
    return result


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
