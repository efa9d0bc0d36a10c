"""The build folder's layout, and opening one to read it.

A build folder holds::

    .sciplan-kg                    the marker: kind "build", the tool's version, every file written
    manifest.json                  inputs (name, sha256, graph) and counts
    graph/registry.ttl             the registries (areas, directives, measures, agency types)
    graph/registry.inferred.ttl    their inferences
    graph/parents.ttl              built plans named as another's basis (corpus/parents.py) …
    graph/parents/<stem>.ttl       … and one child plan's tasks matched with its parents' (together:
                                   the parents graph; a file per child, as for similarity)
    graph/dataset.ttl              the VoID/DCAT description
    graph/asserted/<stem>.ttl      one plan's asserted triples (its named graph, with …)
    graph/inferred/<stem>.ttl      … the inferences it adds to the registries'
    graph/asserted/<stem>.rows     the rows of the query tables each of those two files gives
    graph/inferred/<stem>.rows     (``rdf/rows.py``: CSV, after a line naming the tables, the file's size and CRC-32)
    graph/similarity/<stem>.ttl    the similarity links from one plan's tasks (together: the
                                   similarity graph; a file per plan, so a rebuild links the files
                                   whose links did not change and a store re-reads only the others)
    records/<stem>.json            extraction records, resolved
    plans/<stem>.json              what the corpus steps need of a plan, with its key
    sources/<stem>.txt             the plan's text: the file as given, or the text read from it
    originals/<file>               a plan file that is not plain text (web page, Word, PDF), as given
    state/ledger.json              each plan's light summary and where its pieces lie in the summary
                                   files, which a rebuild splices (``ledger.py``)
    state/registry.json            the registries' counts and validation, under the code fingerprint
    state/similarity.bin           what the similarity links are updated from (``corpus.similarity``)
    validation.txt, validation.json, warnings.txt, coverage.json

(A folder built before the similarity files were split has one ``graph/similarity.ttl``; it is
still read.)

A plan's files live in folders of their own, named by the plan file's stem (unique among the
inputs, regardless of case), so no input name can land on another plan's files or on the
build's own (``registry.txt``, ``x.inferred.txt`` beside ``x.txt``).

Every command that reads a build folder opens it here: a folder without the marker, written
by an older version, or missing any file the marker lists is refused with the file named.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph

from sciplan_kg.errors import InputError
from sciplan_kg.pipeline.outputs import BUILD, Marker, read_marker
from sciplan_kg.rdf.parse import parse_file, parse_files
from sciplan_kg.rdf.rows import companion_of

GRAPH_DIR = "graph"
ASSERTED_DIR = "graph/asserted"
INFERRED_DIR = "graph/inferred"
RECORDS_DIR = "records"
SUMMARIES_DIR = "plans"
SOURCE_TEXT_DIR = "sources"
ORIGINALS_DIR = "originals"  # a plan file that is not plain text, byte for byte
MANIFEST = "manifest.json"
REGISTRY = "graph/registry.ttl"
REGISTRY_INFERRED = "graph/registry.inferred.ttl"
SIMILARITY = "graph/similarity.ttl"  # the links in one file, in folders built before issue 22
SIMILARITY_DIR = "graph/similarity"
PARENTS = "graph/parents.ttl"
PARENTS_DIR = "graph/parents"
DATASET = "graph/dataset.ttl"
PLAN_DIRS = (ASSERTED_DIR, INFERRED_DIR, RECORDS_DIR, SUMMARIES_DIR, SOURCE_TEXT_DIR, ORIGINALS_DIR)


def plan_files_of(stem: str) -> tuple[str, str, str, str, str]:
    """A plan's files in a build folder, relative to it: asserted graph, inferred graph,
    records, kept text, summary."""
    return (
        f"{ASSERTED_DIR}/{stem}.ttl",
        f"{INFERRED_DIR}/{stem}.ttl",
        f"{RECORDS_DIR}/{stem}.json",
        f"{SOURCE_TEXT_DIR}/{stem}.txt",
        f"{SUMMARIES_DIR}/{stem}.json",
    )


def rows_files_of(stem: str) -> tuple[str, str]:
    """The rows companions of a plan's asserted and inferred graph files (``rdf.rows``: the
    rows of the query layer's DuckDB tables, made by the build from the triples it wrote)."""
    asserted, inferred, *_ = plan_files_of(stem)
    return companion_of(asserted), companion_of(inferred)


def parents_file_of(stem: str) -> str:
    """The file of a child plan's task matches with its parents', relative to the build folder."""
    return f"{PARENTS_DIR}/{stem}.ttl"


def similarity_file_of(stem: str) -> str:
    """The file of the similarity links from a plan's tasks, relative to the build folder."""
    return f"{SIMILARITY_DIR}/{stem}.ttl"


def stem_of(file_name: str) -> str:
    return Path(file_name).stem


_ENTRY_KEYS = ("file", "plan", "graph", "title")  # what each plan's entry in the manifest gives its readers


@dataclass(frozen=True)
class BuildFolder:
    """An opened, complete build folder."""

    path: Path
    manifest: dict[str, Any]
    marker: Marker

    @classmethod
    def open(cls, path: Path) -> BuildFolder:
        """Open ``path`` as a build folder; every way it is not one is an ``InputError``."""
        if path.exists() and not path.is_dir():
            raise InputError(
                path, "这是文件，不是构建目录 / a file, not a build folder: give the folder sciplan-kg build wrote"
            )
        if not path.is_dir():
            raise InputError(path, "找不到构建目录 / no such build folder")
        marker = read_marker(path)
        if marker is None:
            if (path / MANIFEST).is_file():
                raise InputError(
                    path,
                    "缺少 .sciplan-kg 标记（已删除、已损坏，或由旧版本构建），请重新构建 / its .sciplan-kg marker "
                    "is missing or damaged (or an older sciplan-kg built it): rebuild it "
                    f"(sciplan-kg build … --out {path})",
                )
            raise InputError(path, "不是构建目录：缺少 .sciplan-kg 标记 / not a build folder: no .sciplan-kg marker")
        if marker.kind != BUILD:
            raise InputError(path, f"不是构建目录，而是 {marker.kind} / not a build folder but a {marker.kind}")
        present = _present(path)
        for rel in sorted(marker.files or ()):
            if rel not in present and not os.path.lexists(path / rel):
                raise InputError(
                    path / rel,
                    "构建目录不完整：缺少这个文件，请重新构建 / the build folder is incomplete: this file is "
                    "missing (rebuild it)",
                )
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(path / MANIFEST, f"无法读取 / cannot read: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise InputError(path / MANIFEST, f"JSON 格式错误 / malformed JSON: {exc}") from exc
        if not isinstance(manifest, dict) or not isinstance(manifest.get("plans"), list):
            raise InputError(path / MANIFEST, "清单格式不对 / not a build manifest")
        for n, entry in enumerate(manifest["plans"], start=1):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in _ENTRY_KEYS):
                raise InputError(
                    path / MANIFEST,
                    f"清单第 {n} 个方案的条目格式不对 / plan entry {n} is not a build manifest's "
                    f"(it needs {', '.join(_ENTRY_KEYS)} as text)",
                )
        return cls(path, manifest, marker)

    def read_json(self, rel: str) -> Any:
        f = self.path / rel
        try:
            return json.loads(f.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f, f"无法读取 / cannot read: {exc.strerror or exc}") from exc
        except ValueError as exc:
            raise InputError(f, f"JSON 格式错误 / malformed JSON: {exc}") from exc

    def plan_graph_files(self) -> list[tuple[str, Path, Path]]:
        """(graph IRI, asserted file, inferred file) of each plan, in the manifest's order."""
        out = []
        for entry in self.manifest["plans"]:
            asserted, inferred, *_ = plan_files_of(stem_of(str(entry["file"])))
            out.append((str(entry["graph"]), self.path / asserted, self.path / inferred))
        return out

    def similarity_files(self) -> list[Path]:
        """The files of the similarity graph: one per plan, sorted (or the one file of a folder
        built before they were split)."""
        if (self.path / SIMILARITY).is_file():
            return [self.path / SIMILARITY]
        stems = sorted(stem_of(str(entry["file"])) for entry in self.manifest["plans"])
        return [self.path / similarity_file_of(stem) for stem in stems]

    def parent_files(self) -> list[Path]:
        """The files of the parents graph: the identity links, then each child plan's matches
        (sorted by name; none in a folder built before they were split, or where no plan names
        a built plan); empty in a folder built before the graph was written. Only the files of
        the plans the manifest names: a stray ``.ttl`` put into the folder is not the graph's."""
        if not (self.path / PARENTS).is_file():
            return []
        planned = {f"{stem_of(str(entry['file']))}.ttl" for entry in self.manifest["plans"]}
        try:
            names = sorted(n for n in os.listdir(self.path / PARENTS_DIR) if n in planned)
        except FileNotFoundError:
            names = []
        return [self.path / PARENTS, *(self.path / PARENTS_DIR / n for n in names)]

    def parts(self) -> dict[str, list[Path]]:
        """The graph files by kind: asserted, inferred, similarity, parents, dataset (a fixed order;
        parents is missing from a folder built before it was written)."""
        plans = sorted(self.plan_graph_files(), key=lambda p: p[1].name)
        parts: dict[str, list[Path]] = {
            "asserted": [self.path / REGISTRY, *(a for _, a, _ in plans)],
            "inferred": [self.path / REGISTRY_INFERRED, *(i for _, _, i in plans)],
            "similarity": self.similarity_files(),
            "parents": self.parent_files(),
            "dataset": [self.path / DATASET] if (self.path / DATASET).is_file() else [],
        }
        return parts

    def wrote(self, path: Path) -> bool:
        """Is ``path`` one of the files the build wrote (an export must not overwrite them)?"""
        try:
            rel = path.resolve().relative_to(self.path.resolve()).as_posix()
        except ValueError:
            return False
        return self.marker.owns(rel)


def _present(folder: Path) -> set[str]:
    """The entries under ``folder``, relative ("a/b.ttl"; a sub-folder as "a/"), by one walk: a
    build folder of 3,000 plans lists 21,000 files, and a ``lexists`` each took a tenth of a
    second of every command that opens it. What the walk misses is asked one by one."""
    out: set[str] = set()
    for root, dirs, files in os.walk(folder):
        rel = os.path.relpath(root, folder)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out.update(prefix + name for name in files)
        out.update(prefix + name + "/" for name in dirs)
        out.update(prefix + name for name in dirs)
    return out


def build_parts(path: Path) -> dict[str, list[Path]]:
    """The graph files of a build folder by kind: asserted, inferred, similarity, dataset (the
    folder is checked whole first: ``BuildFolder.open``)."""
    return BuildFolder.open(path).parts()


def load_graphs(path: Path) -> dict[str, Graph]:
    """The graphs of a build folder ({'asserted', 'inferred', 'similarity', 'dataset'}), or
    {'asserted': …} for one RDF file."""
    if path.is_dir():
        return {kind: parse_files(files) for kind, files in build_parts(path).items()}
    if not path.exists():
        raise InputError(path, "找不到文件或文件夹 / no such file or folder")
    return {"asserted": parse_file(path)}
