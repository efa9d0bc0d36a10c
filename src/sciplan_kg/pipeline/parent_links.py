"""The parent step of a build: which built plan each plan names as its basis, and each child
task matched against its parents' tasks (``corpus.parents``), updated from the previous build.

The parents graph is written as files of its own: ``graph/parents.ttl``, the identity links
(which plan is a document cited, which plan names which as its basis), and one file per child
plan, ``graph/parents/<stem>.ttl``, its tasks' matches (with a rows companion: each match's
class and properties, which the parent listings read from the query tables, ``rdf/rows.py``).
Why (issue 22): in a corpus of provinces' plans and the county plans that copy them every
county plan has a parent, and 3,000 generated
plans have 2,980 children and 99k matches (50 MB of Turtle). Matching every child again
(5.7 s, every child's and parent's summary read), rewriting the one file, and the store and its
tables reading it whole again made adding one plan take 8 s. The matches of one child depend on
its tasks and its parents' tasks only, so ``state/parents.json`` records for each child a key
(its plan key, and each parent's IRI and plan key: plan keys cover the bytes read and the
code), its file's size and CRC-32, and its counts; a child whose key is unchanged and whose
previous file is still the one recorded (not edited since) has that file (and companion)
linked from the previous folder, and the store re-reads only the files that changed. Like
every file of the build folder, the state holds no time, inode or path: the same inputs give
the same bytes, whether built at once or plan by plan. The identity links are made
again from every plan's basis each time (0.2 s; one plan can make a title ambiguous for all).

The files together hold the triples ``corpus.parents.parent_triples`` gives of the whole
corpus's links, each child's in the order ``parents_turtle`` writes them (tested). The state is
used only when written under the same code fingerprint; anything unreadable, and every child
is matched (the same bytes, more time).
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sciplan_kg.corpus.parents import (
    child_matches,
    identities,
    identity_turtle,
    match_rows,
    match_triples,
    matches_turtle,
)
from sciplan_kg.pipeline.folder import PARENTS, PARENTS_DIR, parents_file_of, stem_of
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.pipeline.state import link_or_copy
from sciplan_kg.rdf.rows import companion_bytes, companion_of
from sciplan_kg.rdf.serialize import turtle_prefixes
from sciplan_kg.workers import forked_map

PARENT_STATE = "state/parents.json"
FORMAT = 1


@dataclass(frozen=True)
class ParentsWritten:
    """What the step wrote: task matches, triples in the parents graph, children matched
    afresh (the others' files linked from the previous build)."""

    matches: int
    triples: int
    matched: int


@dataclass(frozen=True)
class _Child:
    key: str
    stem: str
    file: str  # the file's size and CRC-32
    matches: int
    triples: int


def parents_step(
    plans: Sequence[PlanOutput], previous: Path | None, tmp: Path, code: str, cores: int = 1
) -> ParentsWritten:
    """Write the parents graph's files and their state into ``tmp``; a child's file is linked
    from the ``previous`` build when neither it nor its parents changed. The others are matched
    on up to ``cores`` forked workers when there are many (a full build: 2,980 children at 3,000
    generated plans, 4–6 s of CPU)."""
    by_plan = {p.plan: p for p in plans}
    cited = identities({p.plan: p.basis for p in plans})
    parents_of: dict[str, list[str]] = defaultdict(list)
    for child, parent in cited.parents:
        parents_of[child].append(parent)
    (tmp / PARENTS).write_bytes(turtle_prefixes().encode("utf-8") + identity_turtle(cited))
    (tmp / PARENTS_DIR).mkdir(exist_ok=True)
    before = _read(previous, code)
    source, target = os.fspath(previous or ""), os.fspath(tmp)  # strings: pathlib's joins cost more
    children: dict[str, _Child] = {}
    todo: list[_Todo] = []
    for child in sorted(parents_of):
        parents = sorted(parents_of[child])
        key = _key(child, parents, by_plan)
        stem = stem_of(by_plan[child].file)
        was = before.get(child)
        if previous is not None and was is not None and was.key == key and was.stem == stem:
            if _linked(source, target, parents_file_of(stem), was.file):
                children[child] = was
                continue
        todo.append(_Todo(child, key, stem, parents))
    work = _Work(by_plan, target)
    jobs = max(1, min(cores, len(todo) // WORKER_CHILDREN))
    if jobs == 1:
        made = _match(todo, work)
    else:
        shares = [todo[k : k + WORKER_CHILDREN] for k in range(0, len(todo), WORKER_CHILDREN)]
        made = [one for part in forked_map(_share, shares, jobs, work) for one in part]
    children.update(zip((t.child for t in todo), made, strict=True))
    (tmp / PARENT_STATE).write_bytes(_state_bytes(code, children))
    matches = sum(c.matches for c in children.values())
    triples = len(cited.published_as) + len(cited.parents) + sum(c.triples for c in children.values())
    return ParentsWritten(matches, triples, len(todo))


WORKER_CHILDREN = 200  # children matched by one worker at a time; fewer in all are matched here


class _Todo(NamedTuple):
    child: str
    key: str
    stem: str
    parents: list[str]


class _Work(NamedTuple):
    by_plan: dict[str, PlanOutput]
    target: str  # the folder being built


def _share(todo: list[_Todo], work: _Work) -> list[_Child]:
    """A worker's share: ``_match``, looked up when called."""
    return _match(todo, work)


def _match(todo: list[_Todo], work: _Work) -> list[_Child]:
    """Match each child of ``todo`` with its parents and write its file and rows companion."""
    out = []
    for t in todo:
        theirs = {parent: _pairs(work.by_plan[parent]) for parent in t.parents}
        matches = child_matches(_pairs(work.by_plan[t.child]), theirs)
        data = turtle_prefixes().encode("utf-8") + matches_turtle(matches)
        rel = parents_file_of(t.stem)
        with open(f"{work.target}/{rel}", "wb") as fh:
            fh.write(data)
        with open(f"{work.target}/{companion_of(rel)}", "wb") as fh:
            fh.write(companion_bytes(match_rows(matches), data))
        out.append(_Child(t.key, t.stem, _fingerprint(data), len(matches), match_triples(matches)))
    return out


def _pairs(plan: PlanOutput) -> list[tuple[str, str]]:
    return [(task, text) for task, _, text in plan.tasks]


def _key(child: str, parents: list[str], by_plan: dict[str, PlanOutput]) -> str:
    """What a child's matches depend on: its plan key and each parent's IRI and plan key."""
    h = hashlib.sha256()
    for plan in (child, *parents):
        h.update(f"{plan}\0{by_plan[plan].key}\0".encode())
    return h.hexdigest()


def _linked(source: str, target: str, rel: str, recorded: str) -> bool:
    """Link a child's file and its companion from the previous folder ``source`` into
    ``target``, if the file there is the one the state records (``recorded``: its size and
    CRC-32, so a file edited since is not trusted: 0.05 s to read and check 3,000 children's;
    the links cost more, 0.7 s of wall)."""
    old, new = f"{source}/{rel}", f"{target}/{rel}"
    try:
        with open(old, "rb") as fh:
            if _fingerprint(fh.read()) != recorded:
                return False
        link_or_copy(old, new)
        link_or_copy(f"{source}/{companion_of(rel)}", f"{target}/{companion_of(rel)}")
    except FileNotFoundError:
        for f in (new, f"{target}/{companion_of(rel)}"):  # a half-made pair: made afresh instead
            if os.path.lexists(f):
                os.unlink(f)
        return False
    return True


def _fingerprint(data: bytes) -> str:
    return f"{len(data)}:{zlib.crc32(data):08x}"


def _state_bytes(code: str, children: dict[str, _Child]) -> bytes:
    state = {
        "format": FORMAT,
        "code": code,
        "children": {plan: [c.key, c.stem, c.file, c.matches, c.triples] for plan, c in sorted(children.items())},
    }
    return (json.dumps(state, ensure_ascii=False, indent=0, sort_keys=True) + "\n").encode("utf-8")


def _read(previous: Path | None, code: str) -> dict[str, _Child]:
    """The previous build's children, when its state is of this code; else none (every child
    is matched)."""
    if previous is None:
        return {}
    try:
        state: Any = json.loads((previous / PARENT_STATE).read_bytes())
        if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("code") != code:
            return {}
        return {
            str(plan): _Child(str(k), str(stem), str(f), int(m), int(t))
            for plan, (k, stem, f, m, t) in state["children"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
