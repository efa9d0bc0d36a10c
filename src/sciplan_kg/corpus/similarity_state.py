"""The similarity links kept between builds and updated exactly: the state a build keeps
(``state/similarity.bin``) and the update from it (``update_links``, ``link_corpus``).

Why (issue 22): a rebuild after one plan was added or replaced must cost what that plan
changes, not what the corpus holds. With the frozen idf of ``corpus.similarity`` a task's
links depend on the task set only, so the previous corpus (its tasks, the vectors of its
distinct texts and every task's chosen links) is kept, the new texts are scored against all
(one block product), and only the tasks whose links they or the removed tasks can change are
re-ranked (``_update``). ``update_links`` says which plans' links may have changed, and
makes link objects for those plans only: at 3,000 plans a corpus has 105k tasks and 310k
links, and making them all, as ``link_corpus`` does, costs more than the update itself.

The state holds, in canonical order so that the same tasks give the same bytes however they
were reached: the tasks (IRI, plan, raw text), the distinct letters-only texts with their
vectors (CSR arrays) and vocabulary, and each task's chosen links; a header names the method,
the table's hash and the parameters, and carries a hash of the body. A state that does not
validate (another method, table, version, damaged bytes) is ignored and every pair scored.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from rdflib import URIRef
from scipy import sparse

from sciplan_kg.corpus.similarity import (
    BLOCK,
    METHOD,
    MIN_SCORE,
    TOP,
    Link,
    Reference,
    _canonical,
    _Corpus,
    _full,
    _grams,
    _index,
    _inputs,
    _links,
    _lookup,
    _rank,
    _sorted_links,
    _vectors,
    letters,
    ranks,
    reference,
    rounded_scores,
)

_MAGIC = b"sciplan-kg similarity state\n"
_VERSION = 1
_STRINGS = ("tasks", "plans", "raws", "docs", "vocab")
_ARRAYS = (
    ("task_plan", "<i4"),
    ("task_raw", "<i4"),
    ("raw_doc", "<i4"),
    ("indptr", "<i8"),
    ("indices", "<i4"),
    ("data", "<f8"),
    ("link_task", "<i4"),
    ("link_other", "<i4"),
    ("link_score", "<f8"),
)


def link_corpus(
    tasks: dict[URIRef, tuple[URIRef, str]], state: bytes | None, jobs: int = 1
) -> tuple[list[Link], bytes]:
    """The links of ``tasks`` (task IRI → (plan IRI, text)), exactly as ``similar_tasks``
    gives them, and the state to pass next time. With the ``state`` of a previous call (any
    task set), only the texts new to the corpus are scored and only the tasks whose links they
    or the removed tasks can change are re-ranked; a state that does not validate (another
    method, table, version, damaged bytes) is ignored and every pair scored."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new tuples and strings, none cyclic: no collector passes
    try:
        uris, order, plan_of, raw_of = _inputs(tasks)
        c, _ = _corpus(order, plan_of, raw_of, state, jobs)
        return _links(uris, c), _write_state(c, reference())
    finally:
        if collecting:
            gc.enable()


@dataclass
class LinkUpdate:
    """The links of a corpus after ``update_links``: how many there are, the state to keep, and
    which plans' links may differ from the previous state's (``unchanged``); the links of any
    plans are made on demand (``links_of``), those of unchanged plans only when a caller has
    lost what it wrote from them."""

    count: int
    state: bytes
    _corpus: _Corpus
    _unchanged: set[str] = field(default_factory=set)

    def unchanged(self, plan: str) -> bool:
        """Are the plan's links (task, other task, score, rank: every field) the same as in the
        state the update started from? False whenever that is not proven (a full computation)."""
        return plan in self._unchanged

    def links_of(self, plans: Iterable[str]) -> dict[str, list[Link]]:
        """The links from the tasks of ``plans`` (each plan's in task order, then rank; a plan
        without links: an empty list). Task IRIs are plain strings."""
        c = self._corpus
        out: dict[str, list[Link]] = {p: [] for p in plans}
        pid = _lookup(_index(c.plans), list(out), np.int64)
        wanted = np.zeros(len(c.plans) + 1, dtype=bool)
        wanted[pid[pid >= 0]] = True
        task = c.link_task
        rank = ranks(task)
        plan_of_link = c.task_plan[task] if len(task) else np.zeros(0, dtype=np.int64)
        at = np.flatnonzero(wanted[plan_of_link])
        tasks, plans = c.tasks, c.plans
        for i, j, s, r, p in zip(
            task[at].tolist(), c.link_other[at].tolist(), c.link_score[at].tolist(), rank[at].tolist(),
            plan_of_link[at].tolist(), strict=True,
        ):  # fmt: skip
            out[plans[p]].append(Link(tasks[i], tasks[j], s, r))
        return out


def update_links(tasks: Iterable[tuple[str, str, str]], state: bytes | None, jobs: int = 1) -> LinkUpdate:
    """The links of ``tasks`` ((task IRI, plan IRI, text), plain strings) updated from
    ``state`` (``link_corpus``'s, of any task set; None or invalid: every pair scored), and
    which plans' links are proven unchanged: every task of the plan kept (same IRI, plan and
    text), as many as before, none re-ranked. Only the caller's plans whose links changed need
    their links made (``LinkUpdate.links_of``)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = sorted(tasks)
        order = [t for t, _, _ in rows]
        c, unchanged = _corpus(order, [p for _, p, _ in rows], [x for _, _, x in rows], state, jobs)
        return LinkUpdate(len(c.link_task), _write_state(c, reference()), c, unchanged)
    finally:
        if collecting:
            gc.enable()


def update_links_keeping(
    tasks: Iterable[tuple[str, str, str]], keep: Collection[str], state: bytes | None, jobs: int = 1
) -> LinkUpdate | None:
    """``update_links`` when the caller has only the tasks of the plans that changed: the tasks
    of the plans ``keep`` are taken from ``state`` as it holds them (the caller knows those
    plans unchanged since the state was written), ``tasks`` are the others'. None when the
    state does not validate: the caller then gives every task to ``update_links``."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        old = _read_state(state, reference()) if state else None
        if old is None:
            return None
        wanted = np.array([p in keep for p in old.plans] + [False], dtype=bool)
        at = np.flatnonzero(wanted[old.task_plan]).tolist()
        plans, raws, task_plan, task_raw = old.plans, old.raws, old.task_plan.tolist(), old.task_raw.tolist()
        rows = sorted([*((old.tasks[i], plans[task_plan[i]], raws[task_raw[i]]) for i in at), *tasks])
        order = [t for t, _, _ in rows]
        c, unchanged = _corpus(order, [p for _, p, _ in rows], [x for _, _, x in rows], state, jobs, old)
        return LinkUpdate(len(c.link_task), _write_state(c, reference()), c, unchanged)
    finally:
        if collecting:
            gc.enable()


def _corpus(
    order: list[str],
    plan_of: list[str],
    raw_of: list[str],
    state: bytes | None,
    jobs: int,
    old: _Corpus | None = None,
) -> tuple[_Corpus, set[str]]:
    """The corpus of the tasks (sorted by IRI) updated from ``state`` (or ``old``, the corpus it
    holds, read already) when it validates, else computed whole; and the plans whose links are
    proven unchanged (none after a full computation)."""
    ref = reference()
    if old is None:
        old = _read_state(state, ref) if state else None
    if old is not None and old.tasks and order:
        updated = _update(old, order, plan_of, raw_of, ref, jobs)
        if updated is not None:
            return updated
    return _full(order, plan_of, raw_of, ref, TOP, MIN_SCORE, BLOCK, jobs), set()


def _header(ref: Reference) -> dict[str, object]:
    return {"version": _VERSION, "method": METHOD, "table": ref.sha256, "top": TOP, "min_score": MIN_SCORE}


def _write_state(c: _Corpus, ref: Reference) -> bytes:
    """The corpus as bytes: magic, one JSON line (method, table hash, parameters, the sections'
    lengths and the body's hash), then the sections: strings joined by NUL, arrays little-endian."""
    parts: list[bytes] = []
    sizes: dict[str, list[int]] = {}
    for name in _STRINGS:
        values: list[str] = getattr(c, name)
        blob = "\x00".join(values).encode("utf-8")
        parts.append(blob)
        sizes[name] = [len(values), len(blob)]
    arrays = {"indptr": c.x.indptr, "indices": c.x.indices, "data": c.x.data}
    for name, dtype in _ARRAYS:
        a = np.ascontiguousarray(arrays[name] if name in arrays else getattr(c, name), dtype=dtype)
        parts.append(a.tobytes())
        sizes[name] = [len(a), a.nbytes]
    body = b"".join(parts)
    head = {**_header(ref), "shape": list(c.x.shape), "sizes": sizes, "blake2b": hashlib.blake2b(body).hexdigest()}
    return _MAGIC + json.dumps(head, sort_keys=True).encode("ascii") + b"\n" + body


def _read_state(state: bytes, ref: Reference) -> _Corpus | None:
    """The corpus a state holds, or None if it is not one this code and table wrote, whole."""
    try:
        if not state.startswith(_MAGIC):
            return None
        end = state.index(b"\n", len(_MAGIC))
        head = json.loads(state[len(_MAGIC) : end])
        if any(head.get(k) != v for k, v in _header(ref).items()):
            return None
        body = memoryview(state)[end + 1 :]
        if hashlib.blake2b(body).hexdigest() != head["blake2b"]:
            return None
        at, got = 0, {}
        for name in _STRINGS:
            count, size = head["sizes"][name]
            text = bytes(body[at : at + size]).decode("utf-8")
            got[name] = text.split("\x00") if count else []
            if len(got[name]) != count:
                return None
            at += size
        for name, dtype in _ARRAYS:
            count, size = head["sizes"][name]
            got[name] = np.frombuffer(body, dtype=dtype, count=count, offset=at)
            at += size
        if at != len(body):
            return None
        n, docs, vocab = len(got["tasks"]), len(got["docs"]), len(got["vocab"])
        shape = tuple(head["shape"])
        x = sparse.csr_matrix((got["data"], got["indices"], got["indptr"]), shape=shape)
        ok = (
            shape == (docs, max(vocab, 1))
            and len(got["task_plan"]) == len(got["task_raw"]) == n
            and len(got["raw_doc"]) == len(got["raws"])
            and _within(got["task_plan"], len(got["plans"]))
            and _within(got["task_raw"], len(got["raws"]))
            and _within(got["raw_doc"], docs)
            and _within(got["link_task"], n)
            and _within(got["link_other"], n)
            and len(got["link_task"]) == len(got["link_other"]) == len(got["link_score"])
        )
        x.check_format(full_check=True)
        if not ok:
            return None
        return _Corpus(
            got["tasks"], got["plans"], got["task_plan"], got["raws"], got["task_raw"], got["raw_doc"],
            got["docs"], got["vocab"], x, got["link_task"], got["link_other"], got["link_score"],
        )  # fmt: skip
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, json.JSONDecodeError):
        return None


def _within(a: np.ndarray, n: int) -> bool:
    return len(a) == 0 or (int(a.min()) >= 0 and int(a.max()) < n)


def _update(
    old: _Corpus, order: list[str], plan_of: list[str], raw_of: list[str], ref: Reference, jobs: int = 1
) -> tuple[_Corpus, set[str]] | None:
    """``old`` brought to the tasks ``order``: a task is kept if the old corpus had it with the
    same plan and text. Re-ranked: the new tasks, the kept tasks that linked to a task gone,
    and the kept tasks that a new task could enter (a score above their third's, or tied and
    an IRI before it, or fewer than ``TOP`` links). Every other task's links cannot change.
    Also the plans none of whose tasks was re-ranked, added or removed: their links are the
    old ones. The re-ranking is shared by ``jobs`` processes when it spans several blocks (a
    hundred plans added). None when so much changed that scoring everything is as cheap."""
    n = len(order)
    plans, task_plan, raws, task_raw = _canonical(order, plan_of, raw_of)
    # tasks kept: same IRI, plan and raw text
    old_task = _index(old.tasks)
    old_plan = _index(old.plans)
    old_raw = _index(old.raws)
    was = _lookup(old_task, order, np.int64)
    plan_was = _lookup(old_plan, plans, np.int64)[task_plan]
    raw_was_of = _lookup(old_raw, raws, np.int64)
    raw_was = raw_was_of[task_raw]
    safe = np.maximum(was, 0)
    kept = (was >= 0) & (plan_was == old.task_plan[safe]) & (raw_was == old.task_raw[safe])
    if kept.sum() < n // 2:
        return None
    # the docs: old vectors kept, new ones computed, the vocabulary merged (all sorted)
    raw_letters = [
        old.docs[old.raw_doc[w]] if w >= 0 else letters(r) for r, w in zip(raws, raw_was_of.tolist(), strict=True)
    ]
    docs = sorted(set(raw_letters))
    did = _index(docs)
    raw_doc = _lookup(did, raw_letters, np.int32)
    old_doc = _index(old.docs)
    doc_was = _lookup(old_doc, docs, np.int64)
    fresh = [d for d, w in zip(docs, doc_was.tolist(), strict=True) if w < 0]
    kept_x = old.x[doc_was[doc_was >= 0]]
    used = np.unique(kept_x.indices)
    vocab = sorted({old.vocab[i] for i in used.tolist()} | {g for d in fresh for g in _grams(d)})
    vid = _index(vocab)
    remap = np.zeros(len(old.vocab), dtype=np.int32)
    remap[used] = [vid[old.vocab[i]] for i in used.tolist()]
    kept_x = sparse.csr_matrix(
        (kept_x.data, remap[kept_x.indices], kept_x.indptr), shape=(kept_x.shape[0], max(len(vocab), 1))
    )
    stacked = sparse.vstack([kept_x, _vectors(fresh, vid, ref)], format="csr")
    position = np.empty(len(docs), dtype=np.int64)  # row of each doc in the stacked matrix
    position[doc_was >= 0] = np.arange(int((doc_was >= 0).sum()))
    position[doc_was < 0] = np.arange(len(fresh)) + int((doc_was >= 0).sum())
    x = sparse.csr_matrix(stacked[position])
    c = _Corpus(order, plans, task_plan, raws, task_raw, raw_doc, docs, vocab, x, *_NO_LINKS)
    # the old links, in new task numbers (-1: the task is gone)
    now = np.full(len(old.tasks), -1, dtype=np.int64)
    now[was[kept]] = np.nonzero(kept)[0]
    lt, lo, ls = now[old.link_task], now[old.link_other], old.link_score
    dirty = ~kept
    dirty[lt[(lt >= 0) & (lo < 0)]] = True  # linked to a task gone
    # kept tasks a new task could enter
    task_doc = c.task_doc()
    added = np.nonzero(~kept)[0]
    if len(added):
        third_score = np.full(n, -1.0)
        third_other = np.full(n, n, dtype=np.int64)
        ok = lt >= 0
        starts = np.searchsorted(lt[ok], np.arange(n), side="left")
        counts = np.bincount(lt[ok], minlength=n)
        full = np.nonzero(counts >= TOP)[0]
        at = starts[full] + TOP - 1
        third_score[full] = ls[ok][at]
        third_other[full] = lo[ok][at]
        new_docs = np.unique(task_doc[added])
        first_added = np.full(len(docs), n, dtype=np.int64)
        np.minimum.at(first_added, task_doc[added], added)
        scores = _scores(x, new_docs, MIN_SCORE).tocoo()
        src, dst, val = new_docs[scores.row], scores.col, scores.data
        order_by_doc = np.argsort(task_doc, kind="stable")
        doc_start = np.searchsorted(task_doc[order_by_doc], np.arange(len(docs) + 1))
        size = doc_start[dst + 1] - doc_start[dst]
        rep = np.repeat(np.arange(len(dst)), size)
        offs = np.arange(len(rep)) - np.repeat(np.cumsum(size) - size, size)
        t = order_by_doc[doc_start[dst][rep] + offs]
        s, a = val[rep], first_added[src][rep]
        enters = kept[t] & ((s > third_score[t]) | ((s == third_score[t]) & (a < third_other[t])))
        dirty[t[enters]] = True
    keep = (lt >= 0) & ~dirty[np.maximum(lt, 0)]
    rows = np.unique(task_doc[dirty]).astype(np.int64)
    touched = np.zeros(len(plans), dtype=bool)
    touched[task_plan[dirty]] = True
    old_counts = np.bincount(old.task_plan, minlength=len(old.plans))
    plan_was_of = _lookup(old_plan, plans, np.int64)
    touched |= (plan_was_of < 0) | (
        old_counts[np.maximum(plan_was_of, 0)] != np.bincount(task_plan, minlength=len(plans))
    )
    # a plan of the old corpus with no task now: its links went (it is not "unchanged")
    unchanged = {p for p, t in zip(plans, touched.tolist(), strict=True) if not t}
    nt, no, ns = _rank(c, rows, dirty, TOP, MIN_SCORE, BLOCK, jobs)
    c.link_task, c.link_other, c.link_score = _sorted_links(
        np.concatenate([lt[keep], nt]), np.concatenate([lo[keep], no]), np.concatenate([ls[keep], ns])
    )
    return c, unchanged


_NO_LINKS = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))


def _scores(x: sparse.csr_matrix, rows: np.ndarray, min_score: float) -> sparse.csr_matrix:
    """The rounded scores of the docs ``rows`` against all, those below ``min_score`` dropped."""
    return rounded_scores(x[rows] @ sparse.csc_matrix(x.T), min_score)
