"""The similarity step of a build: the links between similar tasks of different plans, updated
from the previous build's state and written one file per plan (``graph/similarity/<stem>.ttl``).

Only what changed is made: ``update_links`` says which plans' links are proven the same as in
the previous build's state, and their files are linked from the previous folder with the digest
recorded there (no link object made, nothing formatted: at 3,000 plans the corpus has 310k
links, and making and digesting them all cost 2 s of CPU per build). The other plans' links
are made, digested and, when the digest differs from the recorded one, written.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from sciplan_kg.corpus.similarity import similarity_rows, similarity_turtle
from sciplan_kg.corpus.similarity_state import LinkUpdate, update_links, update_links_keeping
from sciplan_kg.pipeline.folder import similarity_file_of
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.pipeline.state import (
    SIMILARITY_FILES,
    SIMILARITY_STATE,
    link_or_copy,
    links_digest,
    read_similarity_files,
    read_similarity_state,
    similarity_files_bytes,
)
from sciplan_kg.rdf.rows import companion_bytes, companion_of
from sciplan_kg.workers import forked_map


def similarity_step(
    plans: list[PlanOutput], previous: Path | None, tmp: Path, cores: int, code: str, same: Collection[str] = ()
) -> int:
    """Write the similarity links, updated from the previous build's state, one file per plan
    (the links from its tasks); return how many there are. A plan's file is linked from the
    previous folder when its links are the same as the ones that file was written from: proven
    unchanged by the update, or with an equal digest (``state.SIMILARITY_FILES``, which also
    names the plan a file was written for), so a store re-reads only the files that changed.
    The plans ``same`` are known unchanged since the previous build (same key): their tasks are
    taken from its state, and their summaries' task lists are not read."""
    state = read_similarity_state(previous)
    update = None
    if same:
        changed = (t for p in plans if p.plan not in same for t in p.tasks)
        update = update_links_keeping(changed, same, state, jobs=cores)
    if update is None:
        update = update_links((t for p in plans for t in p.tasks), state, jobs=cores)
    (tmp / SIMILARITY_STATE).write_bytes(update.state)
    before = read_similarity_files(previous, code)
    files: dict[str, tuple[str, str]] = {}
    source, target = os.fspath(previous or ""), os.fspath(tmp)  # strings: pathlib's joins cost more
    todo: list[tuple[str, str]] = []
    for p in plans:
        stem = _stem(p.file)
        was = before.get(stem)
        if previous is not None and was is not None and was[0] == p.plan and update.unchanged(p.plan):
            rel = similarity_file_of(stem)
            try:
                _link_with_rows(source, target, rel)
                files[stem] = was
                continue
            except FileNotFoundError:
                pass
        todo.append((stem, p.plan))
    work = _Work(update, before if previous is not None else {}, source, target)
    jobs = max(1, min(cores, len(todo) // WORKER_FILES))
    if jobs == 1:
        made = _files(todo, work)
    else:  # a full build: 3,000 plans' files made in one process were 6 s with a core idle
        shares = [todo[k : k + WORKER_FILES] for k in range(0, len(todo), WORKER_FILES)]
        made = [one for part in forked_map(_share, shares, jobs, work) for one in part]
    for stem, plan, digest in made:
        files[stem] = (plan, digest)
    (tmp / SIMILARITY_FILES).write_bytes(similarity_files_bytes(code, files))
    return update.count


WORKER_FILES = 250  # plans' files made by one worker at a time; fewer in all are made here


class _Work(NamedTuple):
    update: LinkUpdate
    before: dict[str, tuple[str, str]]  # the previous build's files (none: no previous folder)
    source: str  # the previous folder
    target: str  # the folder being built


def _share(todo: list[tuple[str, str]], work: _Work) -> list[tuple[str, str, str]]:
    """A worker's share: ``_files``, looked up when called (the tests replace it)."""
    return _files(todo, work)


def _files(todo: list[tuple[str, str]], work: _Work) -> list[tuple[str, str, str]]:
    """The similarity files of the plans ``todo`` (stem, plan): each linked from the previous
    folder when its links have the digest recorded there, else written with its rows
    companion; (stem, plan, digest) of each."""
    made = work.update.links_of(plan for _, plan in todo)
    out = []
    for stem, plan in todo:
        own = made[plan]
        rel = similarity_file_of(stem)
        digest = links_digest(own)
        out.append((stem, plan, digest))
        if work.before.get(stem) == (plan, digest):
            try:
                _link_with_rows(work.source, work.target, rel)
                continue
            except FileNotFoundError:
                pass
        data = b"".join(similarity_turtle(own))
        with open(f"{work.target}/{rel}", "wb") as fh:
            fh.write(data)
        # the rows of the query tables beside it (rdf/rows.py), so a full load need not parse it
        with open(f"{work.target}/{companion_of(rel)}", "wb") as fh:
            fh.write(companion_bytes(similarity_rows(own), data))
    return out


def _link_with_rows(source: str, target: str, rel: str) -> None:
    """Link a plan's similarity file from the previous folder, and its rows companion when
    that has one (a folder built before companions has none: the tables parse the file)."""
    link_or_copy(f"{source}/{rel}", f"{target}/{rel}")
    rows = companion_of(rel)
    try:
        link_or_copy(f"{source}/{rows}", f"{target}/{rows}")
    except FileNotFoundError:
        pass


def _stem(name: str) -> str:
    """``Path(name).stem`` without pathlib (thousands per build)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name
