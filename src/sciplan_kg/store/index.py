"""The subjects index on disk (``build.oxigraph/subjects/``), in shards, so that a sync reads and
writes only what its change touches (``subjects.py`` says what a record holds and why).

Why shards: the index of 3,000 plans was one 9.4 MB JSON file, read and rewritten whole by
every sync (1–1.7 s of a one-plan sync at 3,000). A sync asks two things of it: the records of
the graphs it changes (to skip their unchanged files), and who else states the few shared
subjects whose blocks went. So it is kept as

- ``g/<sha>.json``: one graph's entry (its digest and a record per loaded file), forward;
- ``b/<sha>.json``: one bucket of the inverted index (shared subjects whose SHA-256 begins
  with the same two hex digits → the files that state them, as ``<graph id>/<link name>``;
  the graph id is ``sync._links``' folder name);
- ``index.json``: the manifest: per graph its digest and entry shard, per bucket its shard.

Every shard is named by the SHA-256 of its bytes and checked against that name when read, so
a shard is never changed in place: a sync writes its new shards beside the old ones, then the
manifest (one atomic rename: the commit), then removes the shards no longer named. An
interrupted sync leaves the old manifest and its shards whole.

Trust: a graph's entry and postings are used only while its digest in the manifest is the
digest of its files now (a graph changed behind the index is described anew from its files,
the slow path of the single file). A shard that is missing or whose bytes do not match its
name, or a manifest of another version or unreadable, makes the whole index unknown (``Lost``):
the sync starts from an empty index (``Index.empty``), describes from their files the graphs it
changes and the shared subjects it must ask about, and writes a manifest of what it described;
the graphs left out are described when a later sync touches them. So the index can make a sync
slower, never its store wrong. A posting that outlived its file (a graph described anew while the old
entry was unreadable) only makes the sync read a file that no longer states the subject.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sciplan_kg.pipeline.outputs import write_atomic

FOLDER = "subjects"
MANIFEST = "index.json"
OLD_INDEX = "subjects.json"  # the single-file index of earlier versions: removed when rewritten
VERSION = 2

Entry = dict[str, Any]  # {"digest": …, "files": {link name: record}}


class Lost(ValueError):
    """A shard the manifest names is missing or not what was written: nothing is trusted."""


def graph_id(name: str) -> str:
    """A graph's short id: its ``loaded/`` folder's name (``sync._links``)."""
    return hashlib.sha256(name.encode()).hexdigest()[:24]


def bucket(subject: str) -> str:
    return hashlib.sha256(subject.encode()).hexdigest()[:2]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class Index:
    """The index of one store folder, read lazily: the manifest at once, shards when asked."""

    def __init__(self, store_dir: Path, graphs: dict[str, Any], buckets: dict[str, str]) -> None:
        self.dir = store_dir / FOLDER
        self.graphs = graphs  # name → {"digest", "entry": shard name}
        self.buckets = buckets  # bucket → shard name
        self._bucket_docs: dict[str, dict[str, list[str]]] = {}

    @classmethod
    def open(cls, store_dir: Path) -> Index:
        """The store's index; an empty one (nothing trusted) when missing, damaged or of
        another version."""
        try:
            doc = json.loads((store_dir / FOLDER / MANIFEST).read_bytes())
        except (OSError, ValueError, RecursionError):
            return cls.empty(store_dir)
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            return cls.empty(store_dir)
        graphs, buckets = doc.get("graphs"), doc.get("buckets")
        if not isinstance(graphs, dict) or not isinstance(buckets, dict):
            return cls.empty(store_dir)
        if not all(
            isinstance(g, dict) and isinstance(g.get("digest"), str) and isinstance(g.get("entry"), str)
            for g in graphs.values()
        ) or not all(isinstance(b, str) for b in buckets.values()):
            return cls.empty(store_dir)
        return cls(store_dir, graphs, buckets)

    @classmethod
    def empty(cls, store_dir: Path) -> Index:
        return cls(store_dir, {}, {})

    def _shard(self, kind: str, name: str) -> Any:
        try:
            data = (self.dir / kind / f"{name}.json").read_bytes()
        except OSError as exc:
            raise Lost(name) from exc
        if _sha(data) != name:
            raise Lost(name)
        try:
            return json.loads(data)
        except ValueError as exc:  # cannot happen for bytes that match their name; be sure
            raise Lost(name) from exc

    def trusted(self, name: str, digest: str) -> bool:
        """Are ``name``'s entry and postings those of its files now?"""
        g = self.graphs.get(name)
        return g is not None and g["digest"] == digest

    def entry(self, name: str) -> Entry | None:
        """The entry of ``name`` as the manifest names it (None: not in the index). Raises
        ``Lost`` for a missing or damaged shard."""
        g = self.graphs.get(name)
        if g is None:
            return None
        doc = self._shard("g", g["entry"])
        if not _well_formed(doc):
            raise Lost(g["entry"])
        return dict(doc)

    def _bucket(self, b: str) -> dict[str, list[str]]:
        doc = self._bucket_docs.get(b)
        if doc is None:
            shard = self.buckets.get(b)
            doc = {} if shard is None else self._shard("b", shard)
            if not isinstance(doc, dict) or not all(isinstance(v, list) for v in doc.values()):
                raise Lost(str(shard))
            self._bucket_docs[b] = doc
        return doc

    def stating(self, subjects: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """Shared subject → the (graph id, link name) of the files that state it, as indexed
        (the caller keeps those of trusted graphs). Raises ``Lost`` for a damaged bucket."""
        out: dict[str, list[tuple[str, str]]] = {}
        for s in subjects:
            postings = self._bucket(bucket(s)).get(s, [])
            out[s] = [tuple(p.split("/", 1)) for p in postings]  # type: ignore[misc]
        return out

    def preload(self, entries: dict[str, Entry | None], old: dict[str, Entry | None]) -> None:
        """Read (and check) every bucket that ``write`` will change, before the store is
        touched: a damaged one raises ``Lost`` while the sync can still start over."""
        for b in _touched(entries, old):
            self._bucket(b)

    def write(self, keep: Iterable[str], entries: dict[str, Entry], old: dict[str, Entry | None]) -> None:
        """The manifest of the graphs ``keep`` (unchanged) and ``entries`` (new or described
        anew; ``old``: their previous entries, None when unknown, whose postings go), the
        shards it names written first, the unnamed ones removed after."""
        changed: dict[str, Entry | None] = {**{n: None for n in old}, **entries}
        buckets = dict(self.buckets)
        graphs = {n: self.graphs[n] for n in keep if n in self.graphs}
        for name, e in sorted(entries.items()):
            data = _dump(e)
            shard = _sha(data)
            _put(self.dir / "g" / f"{shard}.json", data)
            graphs[name] = {"digest": e["digest"], "entry": shard}
        for b, (gone, came) in sorted(_postings(changed, old).items()):
            doc = {s: list(p) for s, p in self._bucket(b).items()}
            for s, p in gone:
                if p in doc.get(s, ()):
                    doc[s].remove(p)
                    if not doc[s]:
                        del doc[s]
            for s, p in came:
                if p not in doc.setdefault(s, []):
                    doc[s].append(p)
                    doc[s].sort()
            data = _dump(doc)
            buckets[b] = _sha(data)
            _put(self.dir / "b" / f"{buckets[b]}.json", data)
        manifest = {"version": VERSION, "graphs": graphs, "buckets": buckets}
        write_atomic(self.dir / MANIFEST, _dump(manifest))
        self.graphs, self.buckets = graphs, buckets
        self._collect()

    def _collect(self) -> None:
        """Remove the shards the manifest no longer names (and an earlier version's index)."""
        named = {"g": {g["entry"] for g in self.graphs.values()}, "b": set(self.buckets.values())}
        for kind, keep in named.items():
            try:
                with os.scandir(self.dir / kind) as it:
                    stale = [f.path for f in it if f.name.removesuffix(".json") not in keep]
            except FileNotFoundError:
                continue
            for f in stale:
                Path(f).unlink(missing_ok=True)
        (self.dir.parent / OLD_INDEX).unlink(missing_ok=True)


def write_whole(store_dir: Path, entries: dict[str, Entry]) -> None:
    """A new index of ``entries`` (a full load, or an index that was lost), replacing any."""
    folder = store_dir / FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    for kind in ("g", "b"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    Index.empty(store_dir).write((), entries, {})


def _put(path: Path, data: bytes) -> None:
    """A shard, written even when a file of its name exists (that one may be damaged)."""
    write_atomic(path, data)


def _posts(e: Entry | None, name: str) -> set[tuple[str, str]]:
    """(subject, posting) of the shared subjects of ``e``'s files."""
    if e is None:
        return set()
    gid = graph_id(name)
    return {(s, f"{gid}/{link}") for link, r in e["files"].items() for s in r["shared"]}


def _postings(
    changed: dict[str, Entry | None], old: dict[str, Entry | None]
) -> dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]]:
    """Bucket → (postings that go, postings that come) for the graphs that changed."""
    out: dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]] = {}
    for name, e in changed.items():
        before, after = _posts(old.get(name), name), _posts(e, name)
        for s, p in before - after:
            out.setdefault(bucket(s), (set(), set()))[0].add((s, p))
        for s, p in after - before:
            out.setdefault(bucket(s), (set(), set()))[1].add((s, p))
    return out


def _touched(entries: dict[str, Entry | None], old: dict[str, Entry | None]) -> set[str]:
    return set(_postings({**{n: None for n in old}, **entries}, old))


def _well_formed(entry: Any) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("digest"), str):
        return False
    if not isinstance(entry.get("files"), dict):
        return False
    return all(
        isinstance(r, dict)
        and isinstance(r.get("id"), list)
        and isinstance(r.get("plans"), list)
        and isinstance(r.get("shared"), list)
        for r in entry["files"].values()
    )
