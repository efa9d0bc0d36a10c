"""Keeping the store in step after a small change: the changed graphs' files compared with
what was loaded, block by block, and the difference applied (``sync`` decides when; its
docstring says how and why a result equals a fresh load).

Why a module of its own: the full load (``sync.py``) streams files into a new store; this
path reads only what changed, asks the subjects index (``subjects.py``) who else states a
subject, and lets Oxigraph parse what it removes and adds.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sciplan_kg.rdf.serialize import turtle_prefixes
from sciplan_kg.store import index, subjects, sync

BULK_FROM = 4 << 20  # bytes of Turtle a sync adds from which the bulk loader is used (≈ 10 plans)


def _same(old: Path, new: Path) -> bool:
    """The same bytes? A hard link to the same file (an unchanged plan's files are linked from
    the previous build) is known from its inode, without reading."""
    a, b = old.stat(), new.stat()
    if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
        return True
    return a.st_size == b.st_size and old.read_bytes() == new.read_bytes()


def _written_in_place(st: os.stat_result, record: subjects.Record) -> bool:
    """Is the file of stat ``st`` the very file (inode) the store loaded, changed since (its size
    or time not the ones ``record`` holds from when it was loaded)? A build never writes a file
    in place, but a hand (an editor that does not rename, ``>>``) can; the hard link in
    ``loaded/`` is then the changed file too, and comparing the two would find nothing."""
    then = record.get("id")
    return isinstance(then, list) and len(then) == 3 and then[0] == st.st_ino and then != subjects.file_id(st)


@dataclass
class _Diff:
    """The blocks that went and came with the changed graphs' files, and the records of the
    files whose bytes did not change (skipped: neither read nor diffed)."""

    before: set[bytes] = field(default_factory=set)
    after: set[bytes] = field(default_factory=set)
    skipped: list[tuple[Path, subjects.Record]] = field(default_factory=list)
    entries: dict[str, Any] = field(default_factory=dict)
    old: dict[str, Any] = field(default_factory=dict)  # the changed graphs' previous entries


def _diff(
    store_dir: Path,
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    idx: index.Index,
    changed: list[str],
    gone: list[str],
) -> _Diff:
    d = _Diff()
    for name in changed + gone:
        folder = sync._links(store_dir, name)
        old = {p.name: p for p in sorted(folder.glob("*.ttl"))} if folder.is_dir() else {}
        d.old[name] = idx.entry(name)
        known = (d.old[name] or {}).get("files", {})
        records: dict[str, subjects.Record] = {}
        for f in wanted[name] if name in changed else []:
            link = subjects.link_name(f)
            prev = old.get(link)
            st = f.stat()
            if prev is not None and _same(prev, f):
                del old[link]
                record = known.get(link)
                if record is not None and _written_in_place(st, record):
                    # what the store loaded from it is gone with its old bytes: nothing to diff
                    raise subjects.Unreadable(str(f))
                if record is None or record.get("id") != subjects.file_id(prev.stat()):
                    record = _describe(f)
                records[link] = {**record, "id": subjects.file_id(st)}
                d.skipped.append((f, records[link]))
                continue
            data = f.read_bytes()
            d.after.update(_split(data))
            records[link] = subjects.describe(data, st)
        for p in old.values():
            d.before.update(_split(p.read_bytes()))
        if name in changed:
            d.entries[name] = subjects.entry(digests[name], records)
    return d


def _describe(f: Path) -> subjects.Record:
    return subjects.describe(f.read_bytes(), f.stat()) if sync._ours(f) else subjects.describe_parsed(f)


Stating = dict[str, list[tuple[Path, subjects.Record]]]


def _others(
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    idx: index.Index,
    settled: set[str],
    about: set[str],
    d: _Diff,
) -> tuple[Stating, Stating]:
    """Who else states a subject of ``about``: shared subject → files, plan slug → files. From
    the index's buckets for the graphs it describes as they are now, from the files of the
    graphs it does not (described anew: their entries are written again), and from the
    skipped files."""
    shared: Stating = {}
    plans: Stating = {}
    asked = {s for s in about if subjects.plan_slug(s) is None}
    if asked:
        trusted = {n for n in settled if idx.trusted(n, digests[n])}
        for name in sorted(settled - trusted):
            entry = subjects.entry(digests[name], {subjects.link_name(f): _describe(f) for f in wanted[name]})
            d.entries[name] = entry
            for f in wanted[name]:
                record = entry["files"][subjects.link_name(f)]
                for s in asked.intersection(record["shared"]):
                    shared.setdefault(s, []).append((f, record))
        ids = {index.graph_id(n): n for n in trusted}
        by_link: dict[str, dict[str, Path]] = {}
        for s, postings in sorted(idx.stating(asked).items()):
            for gid, link in postings:
                name = ids.get(gid)
                if name is None:
                    continue
                if name not in by_link:
                    by_link[name] = {subjects.link_name(f): f for f in wanted[name]}
                f = by_link[name].get(link)
                if f is not None:
                    shared.setdefault(s, []).append((f, {"parsed": not sync._ours(f)}))
    for f, record in d.skipped:
        for s in record["shared"]:
            shared.setdefault(s, []).append((f, record))
        for slug in record["plans"]:
            plans.setdefault(slug, []).append((f, record))
    return shared, plans


@dataclass
class _Plan:
    """What a sync will do, found before the store is touched (every read of the index)."""

    d: _Diff
    went: set[bytes]
    came: set[bytes]
    kept: set[bytes]
    parsed: list[Any]
    keep: set[str]  # the graphs whose index entries stay as they are


def _plan(
    store_dir: Path,
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    idx: index.Index,
    changed: list[str],
    gone: list[str],
) -> _Plan:
    d = _diff(store_dir, wanted, digests, idx, changed, gone)
    went, came = d.before - d.after, d.after - d.before
    about = subjects.statement_subjects(went)
    settled = set(wanted) - set(changed)
    shared, plans = _others(wanted, digests, idx, settled, about, d) if about else ({}, {})
    kept: set[bytes] = set()
    parsed: list[Any] = []
    asked: dict[Path, set[str]] = {}  # each file read and split once, however many subjects ask it
    for s in sorted(about):
        slug = subjects.plan_slug(s)
        for f, record in shared.get(s, []) if slug is None else plans.get(slug, []):
            if record.get("parsed"):
                parsed.extend(t for t in sync._parse(f.read_bytes(), f) if _about(t, s))
                continue
            asked.setdefault(f, set()).add(s)
    for f, wanted_subjects in sorted(asked.items()):
        found = subjects.blocks_by_subject(_candidates(_split(f.read_bytes()), wanted_subjects))
        for s in wanted_subjects:
            kept.update(found.get(s, ()))
    idx.preload(d.entries, d.old)
    keep = {n for n in settled if n not in d.entries and idx.trusted(n, digests[n])}
    return _Plan(d, went, came, kept, parsed, keep)


def update(
    store_dir: Path,
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    state: dict[str, str],
    changed: list[str],
    gone: list[str],
) -> None:
    """Remove the blocks that went, add those that came, and add back every block that a file
    still in place states about a subject of the removed ones (so a triple two graphs state
    stays): (store − went) ∪ came ∪ kept = the fresh load, without parsing a triple in Python.
    The index is read before the store is touched: when it is lost (``index.Lost``), the plan
    is made again from the files alone."""
    import pyoxigraph as ox

    # a changed graph leaves the state until it is in place again; a gone one stays in it until
    # its links are removed, so a sync stopped half way removes it again the next time (taken out
    # first, the next sync would not know it was ever there: its triples, or its links, would stay)
    for name in changed:
        state.pop(name, None)
    sync._save_state(store_dir, state)
    idx = index.Index.open(store_dir)
    try:
        plan = _plan(store_dir, wanted, digests, idx, changed, gone)
    except index.Lost:
        idx = index.Index.empty(store_dir)
        plan = _plan(store_dir, wanted, digests, idx, changed, gone)
    store = ox.Store(str(store_dir))
    if plan.went:
        _delete(store, plan.went)
    _add(store, plan.came | plan.kept)  # kept: also the blocks equal to some that went
    if plan.parsed:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in plan.parsed)
    store.flush()
    del store
    idx.write(plan.keep, plan.d.entries, plan.d.old)
    for name in gone:
        shutil.rmtree(sync._links(store_dir, name), ignore_errors=True)
        state.pop(name, None)
    for name in changed:
        sync._keep_links(store_dir, name, wanted[name])
        state[name] = digests[name]
    sync._save_state(store_dir, state)


def _about(t: Any, subject: str) -> bool:
    import pyoxigraph as ox

    return isinstance(t.subject, ox.NamedNode) and t.subject.value == subject and not isinstance(t.object, ox.BlankNode)


_SPARQL_PREFIXES = "".join(
    f"PREFIX {line.split()[1]} {line.split()[2]}\n"
    for line in turtle_prefixes().splitlines()
    if line.startswith("@prefix")
)


def _delete(store: Any, blocks: set[bytes]) -> None:
    """Remove the triples of ``blocks`` in one update: Turtle's subject blocks are SPARQL
    triple templates as they are (prefixed names, ``a``, ``;`` and ``,`` lists)."""
    body = b"\n".join(sorted(blocks)).decode("utf-8")
    store.update(f"{_SPARQL_PREFIXES}DELETE DATA {{\n{body}\n}}")


def _add(store: Any, blocks: set[bytes]) -> None:
    """Add the triples of ``blocks``, parsed by Oxigraph: a transaction in memory for a few
    plans, the bulk loader (files on disk, no transaction) beyond ``BULK_FROM`` bytes."""
    import pyoxigraph as ox

    if not blocks:
        return
    text = sync._HEADER + b"\n\n".join(sorted(blocks)) + b"\n"
    if len(text) > BULK_FROM:
        store.bulk_load(text, format=ox.RdfFormat.TURTLE, lenient=True)
    else:
        store.load(text, format=ox.RdfFormat.TURTLE)


def _needle(subject: str) -> bytes:
    """A piece of ``subject``'s text that any written form of it holds (the longest run of
    letters and digits of its last segment: a prefixed name may escape the punctuation)."""
    last = re.split(r"[/#]", subject)[-1]
    return max(re.split(r"[^\w]|_", last), key=len).encode("utf-8")


def _candidates(blocks: list[bytes], about: set[str]) -> list[bytes]:
    """The blocks that may state a subject of ``about``: those holding one of its needles
    (``blocks_by_subject`` then reads their subjects; a file of 100 blocks asked about one
    agency is scanned by ``bytes.find``, not by the subject expression block by block)."""
    needles = {_needle(s) for s in about}
    if b"" in needles:
        return blocks
    return [b for b in blocks if any(n in b for n in needles)]


def _split(data: bytes) -> list[bytes]:
    """The subject blocks of a file this package wrote (after its prefix header)."""
    return [b.strip() for b in data[len(sync._HEADER) :].split(b"\n\n") if b.strip()]
