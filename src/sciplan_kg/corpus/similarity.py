"""Similar tasks across plans, by character n-grams: which tasks plans copy from each other,
and which are local inventions.

Method (``char-2gram-tfidf-cosine``): a task's text is folded (full-width punctuation to
ASCII) and stripped of everything but letters and digits; its character bigrams are weighted
by tf-idf over every task of the corpus (idf = ln(N / df) + 1, tf = count); two tasks' score
is the cosine of their vectors, rounded to three places. Chinese needs no word segmentation
for this: most words are two characters, and shared bigrams measure shared wording. For each
task, the ``TOP`` most similar tasks *of other plans* with a score of at least ``MIN_SCORE``
become links (ties by task IRI).

The result is exact (every pair is scored). Cost: tasks with the same letters and digits
share one vector, and the scores are sparse matrix products (SciPy) of blocks of those
vectors against all of them: at 3,000 generated plans, 105k tasks are 15k distinct texts and
the products take seconds. Scores below ``MIN_SCORE`` are dropped block by block, so memory
is that of one block's links; the blocks are scored in ``jobs`` forked processes (a build uses
its cores: 13 s → 7 s at 3,000 plans on two), the links the same for any number (tested).
(The first version scored candidate pairs in Python: 41 s at 100 plans; the second pruned
common bigrams and could miss pairs.)
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing import get_context

import numpy as np
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node
from scipy import sparse

from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.serialize import turtle_prefixes
from sciplan_kg.read.text import fold
from sciplan_kg.workers import die_with_parent

METHOD = "char-2gram-tfidf-cosine"
TOP = 3
MIN_SCORE = 0.3
BLOCK = 512  # distinct texts scored against all at once
_DROP = re.compile(r"[\W_]+")  # all but letters and digits


@dataclass(frozen=True)
class Link:
    task: URIRef
    other: URIRef
    score: float
    rank: int


def letters(text: str) -> str:
    """The text folded and reduced to its letters and digits."""
    return _DROP.sub("", fold(text))


def bigrams(text: str) -> Counter[str]:
    return _grams(letters(text))


def _grams(chars: str) -> Counter[str]:
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


@dataclass
class _Vectors:
    """What the workers share (inherited when forked): the unit tf-idf vectors of the distinct
    texts, their transpose, each text's tasks, and each task's plan."""

    x: sparse.csr_matrix
    xt: sparse.csc_matrix
    members: list[list[int]]
    plan_of: list[int]
    top: int
    min_score: float
    block: int


_SHARED: _Vectors | None = None


def similar_tasks(
    tasks: dict[URIRef, tuple[URIRef, str]],
    top: int = TOP,
    min_score: float = MIN_SCORE,
    block: int = BLOCK,
    jobs: int = 1,
) -> list[Link]:
    """``tasks`` maps a task IRI to (its plan IRI, its text). ``jobs`` processes score the
    blocks of texts (forked; the links are the same for any number)."""
    global _SHARED
    order = sorted(tasks, key=str)
    if not order:
        return []
    # one vector per distinct text; its tasks by IRI
    doc_ids: dict[str, int] = {}
    doc_of = np.array([doc_ids.setdefault(letters(tasks[t][1]), len(doc_ids)) for t in order], dtype=np.int64)
    members: list[list[int]] = [[] for _ in doc_ids]
    for i, d in enumerate(doc_of):
        members[d].append(i)
    vocab: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for d, chars in enumerate(doc_ids):
        for gram, count in sorted(_grams(chars).items()):
            rows.append(d)
            cols.append(vocab.setdefault(gram, len(vocab)))
            counts.append(count)
    shape = (len(doc_ids), max(len(vocab), 1))
    x = sparse.csr_matrix((np.array(counts, dtype=np.float64), (rows, cols)), shape=shape)
    # document frequency over tasks (a text used by five tasks counts five times)
    copies = np.bincount(doc_of, minlength=shape[0]).astype(np.float64)
    df = (x > 0).T.astype(np.float64) @ copies
    idf = np.log(len(order) / np.maximum(df, 1.0)) + 1.0
    x = sparse.csr_matrix(x.multiply(idf[np.newaxis, :]))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x = sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)
    plan_ids: dict[URIRef, int] = {}
    plan_of = [plan_ids.setdefault(tasks[t][0], len(plan_ids)) for t in order]
    shared = _Vectors(x, sparse.csc_matrix(x.T), members, plan_of, top, min_score, block)
    starts = range(0, shape[0], block)
    jobs = max(1, min(jobs, len(starts)))
    if jobs == 1:
        found = [_block_links(start, shared) for start in starts]
    else:
        _SHARED = shared
        gc.freeze()  # the workers' collector then leaves the parent's objects (and their pages) alone
        try:
            with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=die_with_parent) as pool:
                found = list(pool.map(_block_links, starts))
        finally:
            _SHARED = None
            gc.unfreeze()
    links = [
        Link(order[i], order[j], score, rank)
        for part in found
        for i, chosen in part
        for rank, (score, j) in enumerate(chosen, start=1)
    ]
    links.sort(key=lambda link: (str(link.task), link.rank))
    return links


def _block_links(start: int, shared: _Vectors | None = None) -> list[tuple[int, list[tuple[float, int]]]]:
    """The chosen (score, task) of every task whose text is in the block from ``start``."""
    v = shared or _SHARED
    assert v is not None
    scores = sparse.csr_matrix(v.x[start : start + v.block] @ v.xt)
    scores.data = np.round(scores.data, 3)
    scores.data[scores.data < v.min_score] = 0.0
    scores.eliminate_zeros()
    out = []
    for offset in range(scores.shape[0]):
        lo, hi = scores.indptr[offset], scores.indptr[offset + 1]
        others, values = scores.indices[lo:hi], scores.data[lo:hi]
        ranked = np.lexsort((others, -values))  # by score, then by first task IRI
        for i in v.members[start + offset]:
            out.append((i, _top(i, others[ranked], values[ranked], v.members, v.plan_of, v.top)))
    return out


def _top(
    task: int, docs: np.ndarray, values: np.ndarray, members: list[list[int]], plan_of: list[int], top: int
) -> list[tuple[float, int]]:
    """The ``top`` (score, task) of other plans, from distinct texts ranked by score; tasks
    with the same score by IRI (a text's tasks are in IRI order, so each text offers only its
    first few of other plans: a text copied by a thousand plans costs ``top`` steps)."""
    plan = plan_of[task]
    chosen: list[tuple[float, int]] = []
    k = 0
    while k < len(docs) and len(chosen) < top:
        score, need = float(values[k]), top - len(chosen)
        tied: list[int] = []
        while k < len(docs) and values[k] == score:
            offered = 0
            for j in members[docs[k]]:
                if plan_of[j] != plan:
                    tied.append(j)
                    offered += 1
                    if offered == need:
                        break
            k += 1
        chosen.extend((score, j) for j in sorted(tied)[:need])
    return chosen


def plan_tasks(asserted: Graph) -> list[tuple[str, str, str]]:
    """(task, plan, text) of every task of the graph, sorted."""
    tasks = []
    for task in asserted.subjects(RDF.type, SK.Task):
        measure = asserted.value(task, SK.inMeasure)
        plan = asserted.value(measure, SK.inPlan) if measure is not None else None
        text = asserted.value(task, SK.text)
        if isinstance(task, URIRef) and isinstance(plan, URIRef) and text is not None:
            tasks.append((str(task), str(plan), str(text)))
    return sorted(tasks)


def similarity_graph(asserted: Graph) -> Graph:
    """Similarity links between the tasks of the graph, as RDF."""
    return similarity_graph_of(plan_tasks(asserted))


def similarity_graph_of(tasks: list[tuple[str, str, str]]) -> Graph:
    """Similarity links between ``tasks`` ((task, plan, text) triples), as an RDF graph."""
    g = Graph()
    for triple in similarity_triples(tasks):
        g.add(triple)
    return g


def similarity_triples(tasks: list[tuple[str, str, str]]) -> Iterator[tuple[Node, Node, Node]]:
    """Similarity links between ``tasks`` ((task, plan, text) triples), as triples."""
    by_task = {URIRef(t): (URIRef(p), text) for t, p, text in tasks}
    method = Literal(METHOD)
    for link in similar_tasks(by_task):
        node = URIRef(f"{link.task}/similar/{link.rank}")
        yield (link.task, SK.similarTask, link.other)
        yield (node, RDF.type, SK.TaskSimilarity)
        yield (node, SK.fromTask, link.task)
        yield (node, SK.toTask, link.other)
        yield (node, SK.score, Literal(Decimal(str(link.score)), datatype=XSD.decimal))
        yield (node, SK.rank, Literal(link.rank))
        yield (node, SK.method, method)


LINK_TRIPLES = 7  # triples per link (below)


def similarity_turtle(links: list[Link]) -> Iterator[bytes]:
    """The links as Turtle, written straight from them: a corpus has millions of these
    triples, too many to sort through rdflib terms (137 s for 3,000 plans). The same
    triples as ``similarity_triples`` (tested), in link order (task IRI, then rank)."""
    yield turtle_prefixes().encode("utf-8")
    for k in range(0, len(links), 10_000):
        out = []
        for link in links[k : k + 10_000]:
            out.append(
                f"<{link.task}/similar/{link.rank}> a sk:TaskSimilarity ;\n"
                f"    sk:fromTask <{link.task}> ;\n"
                f'    sk:method "{METHOD}" ;\n'
                f"    sk:rank {link.rank} ;\n"
                f"    sk:score {Decimal(str(link.score))} ;\n"
                f"    sk:toTask <{link.other}> .\n"
                f"<{link.task}> sk:similarTask <{link.other}> .\n\n"
            )
        yield "".join(out).encode("utf-8")
