"""Which loaded file states which shared subject: the records of the index beside the store
(``build.oxigraph/subjects/``, kept in shards by ``index.py``) that lets a sync keep, without
searching every other graph, the triples a removed or replaced plan shares with the rest of
the corpus.

Why: a triple about an agency, an issuing body or a document can be stated by several graphs
(two plans of one place, every plan citing one national document). When a graph's blocks go,
such a triple must stay if another file still states it. Searching every other file for the
subjects costs seconds at 1,000 plans; the index names the few files to read.

What it holds, per graph and per loaded file (``sync._links``' file name):

- ``id``: inode, size and modification time of the file it describes (a hard link in
  ``loaded/`` shares them), so a record is used only for the very bytes it was made from;
- ``shared``: the subjects (IRIs) of its statements that are no plan's nodes;
- ``plans``: the plans (``…/id/plan/<slug>``) whose nodes are subjects of its statements.

A graph's entry also holds the digest of its files when it was written (``state.json``'s).
An entry whose digest does not match is not used: the sync describes those files anew
(reading them, as the search did) and writes the entry again. A missing or damaged index is
rebuilt the same way, so the index can make a sync slower, never its store wrong
(``index.py``: how the shards are checked).

Subjects are found by their written form at the start of a line: this package writes every
statement from column 0 and continuation lines indented (``rdf/serialize.py``); a line that
only looks like a statement (inside a long literal) adds a subject that is never asked for.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sciplan_kg.rdf.namespaces import ID
from sciplan_kg.rdf.serialize import turtle_prefixes

PLAN = f"{ID}plan/"
_PREFIXES = {
    m.group(1): m.group(2) for m in re.finditer(r"@prefix ([\w-]*): <([^>]*)> \.", turtle_prefixes(), flags=re.ASCII)
}
# a statement's subject at a line's start: a plan's node (its slug), or another IRI or a
# prefixed name (not @prefix, not a comment, not an indented continuation)
_PLAN_SUBJECT = re.compile(rb"\n<" + re.escape(PLAN.encode()) + rb"([^/>\s]*)")
_OTHER_SUBJECT = re.compile(rb"\n(<(?!" + re.escape(PLAN.encode()) + rb")[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*)(?=[ \t\n])")
_STATEMENT = re.compile(rb"\n(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*)(?=[ \t\n])")
_ESCAPED = re.compile(r"\\(.)")

Record = dict[str, Any]


def link_name(f: Path) -> str:
    """The name of a file's hard link in ``loaded/``: from its path, so that a graph's old and
    new files pair up by name (the same plan's similarity file, the registry) whatever the
    layout, and an unchanged file is known without reading it."""
    return hashlib.sha256(resolved(f).encode()).hexdigest()[:20] + ".ttl"


@functools.lru_cache(maxsize=64)
def _folder(path: str) -> str:
    return str(Path(path).resolve())


def resolved(f: Path) -> str:
    """``str(f.resolve())``, with one resolution per folder rather than per file: resolving
    every file's path walked each folder of it again (6,000 files at 3,000 plans: a second of
    a sync). ``forget_folders`` at the start of each sync, so a moved link is seen."""
    key = str(f)
    done = _RESOLVED.get(key)
    if done is None:
        if os.path.islink(f):
            done = str(f.resolve())
        else:
            done = os.path.join(_folder(os.path.dirname(os.path.abspath(f))), f.name)
        _RESOLVED[key] = done
    return done


def resolved_file(path: str) -> str:
    """``resolved`` of a path known not to be a symbolic link (its ``lstat`` said so)."""
    return os.path.join(_folder(os.path.dirname(os.path.abspath(path))), os.path.basename(path))


_RESOLVED: dict[str, str] = {}  # one sync's resolved paths (a sync asks for each file's 3 times)


def forget_folders() -> None:
    _folder.cache_clear()
    _RESOLVED.clear()


def file_id(st: os.stat_result) -> list[int]:
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def iri(token: bytes) -> str | None:
    """The IRI a subject token names (``<…>`` or a prefixed name of the shared header)."""
    text = token.decode("utf-8", "replace")
    if text.startswith("<"):
        return text[1:-1] if "\\" not in text else None  # \u escapes: never written by us
    prefix, _, local = text.partition(":")
    ns = _PREFIXES.get(prefix)
    return None if ns is None else ns + _ESCAPED.sub(r"\1", local)


def statement_subjects(blocks: Iterable[bytes]) -> set[str]:
    """The subjects of the statements in ``blocks`` (each statement starts a line). A subject
    it cannot read raises ``Unreadable``: the caller loads the store whole rather than guess."""
    out: set[str] = set()
    for block in blocks:
        for token in _STATEMENT.findall(b"\n" + block):
            name = iri(token)
            if name is None:
                raise Unreadable(token.decode("utf-8", "replace"))
            out.add(name)
    return out


class Unreadable(ValueError):
    """A subject written in a form the index does not read (an escaped IRI, an unknown prefix)."""


def plan_slug(subject: str) -> str | None:
    return subject[len(PLAN) :].split("/", 1)[0] if subject.startswith(PLAN) else None


class Describer:
    """Collects a record from a file's bytes, fed in pieces (the full load streams them)."""

    def __init__(self) -> None:
        self.shared: set[str] = set()
        self.plans: set[str] = set()
        self.tail = b"\n"

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        cut = data.rfind(b"\n")  # a match never spans a newline: cut at the last one
        self.tail = data[cut:]
        self._scan(data[:cut])

    def _scan(self, data: bytes) -> None:
        self.plans.update(s.decode("utf-8", "replace") for s in set(_PLAN_SUBJECT.findall(data)))
        for token in set(_OTHER_SUBJECT.findall(data)):
            name = iri(token)
            if name is None:
                continue
            slug = plan_slug(name)
            if slug is None:
                self.shared.add(name)
            else:
                self.plans.add(slug)

    def record(self, st: os.stat_result) -> Record:
        self._scan(self.tail + b"\n")
        self.tail = b"\n"
        return {"id": file_id(st), "plans": sorted(self.plans), "shared": sorted(self.shared)}


def describe(data: bytes, st: os.stat_result) -> Record:
    d = Describer()
    d.feed(data)
    return d.record(st)


def describe_parsed(f: Path) -> Record:
    """A record of a file not written by this package (the ontology): parsed whole."""
    import pyoxigraph as ox

    shared, plans = set(), set()
    for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode):
            slug = plan_slug(t.subject.value)
            (shared if slug is None else plans).add(t.subject.value if slug is None else slug)
    return {"id": file_id(f.stat()), "plans": sorted(plans), "shared": sorted(shared), "parsed": True}


def entry(digest: str, records: dict[str, Record]) -> dict[str, Any]:
    return {"digest": digest, "files": records}


def blocks_by_subject(blocks: Iterable[bytes]) -> dict[str, list[bytes]]:
    """Each subject of a statement in ``blocks`` → the blocks holding such a statement (a block
    may hold two: a similarity link and its task's ``sk:similarTask``)."""
    out: dict[str, list[bytes]] = {}
    for block in blocks:
        for token in set(_STATEMENT.findall(b"\n" + block)):
            name = iri(token)
            if name is not None:
                out.setdefault(name, []).append(block)
    return out
