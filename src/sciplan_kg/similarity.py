"""Similar tasks across plans, by character n-grams: which tasks plans copy from each other,
and which are local inventions.

Method (``char-2gram-tfidf-cosine``): a task's text is folded (full-width punctuation to
ASCII) and stripped of everything but letters and digits; its character bigrams are weighted
by tf-idf over every task of the corpus (idf = ln(N / df) + 1, tf = count); two tasks' score
is the cosine of their vectors. Chinese needs no word segmentation for this: most words are
two characters, and shared bigrams measure shared wording. For each task, the ``TOP`` most
similar tasks *of other plans* with a score of at least ``MIN_SCORE`` become links.

Cost: each task is compared only with the tasks that share a bigram used by at most
``MAX_POSTINGS`` tasks, and with its exact copies (same letters and digits). In a corpus of a
few hundred tasks that is every task sharing any bigram, so the result is the exact top list;
in a large corpus a common bigram (科普, 科学) no longer makes everything a candidate, which
kept the cost quadratic (41 s for 100 plans, hours for 3,000). A task with exact copies in
``TOP`` other plans links to the first of them (by IRI) with score 1 without computing. What the pruning can miss: a
pair that shares only common bigrams and is not an exact copy — the scores of the pairs it
compares are exact. BENCHMARKS.md reports the links found against the exact method.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from sciplan_kg.extract.text import fold
from sciplan_kg.model.namespaces import SK

METHOD = "char-2gram-tfidf-cosine"
TOP = 3
MIN_SCORE = 0.3
MAX_POSTINGS = 300
_KEEP = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class Link:
    task: URIRef
    other: URIRef
    score: float
    rank: int


def letters(text: str) -> str:
    """The text folded and reduced to its letters and digits."""
    return "".join(c for c in fold(text) if _KEEP.match(c) and c != "_")


def bigrams(text: str) -> Counter[str]:
    chars = letters(text)
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def similar_tasks(
    tasks: dict[URIRef, tuple[URIRef, str]],
    top: int = TOP,
    min_score: float = MIN_SCORE,
    max_postings: int = MAX_POSTINGS,
) -> list[Link]:
    """``tasks`` maps a task IRI to (its plan IRI, its text)."""
    grams = {t: bigrams(text) for t, (_, text) in tasks.items()}
    df: Counter[str] = Counter()
    for g in grams.values():
        df.update(g.keys())
    n = len(tasks)
    idf = {gram: math.log(n / count) + 1 for gram, count in df.items()}
    vectors: dict[URIRef, dict[str, float]] = {}
    for t, g in grams.items():
        v = {gram: count * idf[gram] for gram, count in g.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vectors[t] = {gram: w / norm for gram, w in v.items()}
    order = sorted(vectors)
    index: dict[str, list[URIRef]] = defaultdict(list)
    normal = {t: letters(text) for t, (_, text) in tasks.items()}
    copies: dict[str, list[URIRef]] = defaultdict(list)
    for t in order:
        copies[normal[t]].append(t)
        for gram in vectors[t]:
            if df[gram] <= max_postings:
                index[gram].append(t)
    links: list[Link] = []
    for t in order:
        plan = tasks[t][0]
        vector = vectors[t]
        same = [o for o in copies[normal[t]] if tasks[o][0] != plan][:top]
        if len(same) == top:  # exact copies in other plans score 1 and come first, by IRI
            links.extend(Link(t, other, 1.0, rank) for rank, other in enumerate(same, start=1))
            continue
        candidates = {o for gram in vector if df[gram] <= max_postings for o in index[gram]}
        candidates.update(same)
        scores = []
        for other in candidates:
            if tasks[other][0] == plan:
                continue
            w2 = vectors[other]
            score = round(sum(w * w2[g] for g, w in vector.items() if g in w2), 3)
            if score >= min_score:
                scores.append((-score, other))
        for rank, (score, other) in enumerate(heapq.nsmallest(top, scores), start=1):
            links.append(Link(t, other, -score, rank))
    return links


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
    """Similarity links between ``tasks`` ((task, plan, text) triples), as RDF."""
    by_task = {URIRef(t): (URIRef(p), text) for t, p, text in tasks}
    g = Graph()
    for link in similar_tasks(by_task):
        node = URIRef(f"{link.task}/similar/{link.rank}")
        g.add((link.task, SK.similarTask, link.other))
        g.add((node, RDF.type, SK.TaskSimilarity))
        g.add((node, SK.fromTask, link.task))
        g.add((node, SK.toTask, link.other))
        g.add((node, SK.score, Literal(Decimal(str(link.score)), datatype=XSD.decimal)))
        g.add((node, SK.rank, Literal(link.rank)))
        g.add((node, SK.method, Literal(METHOD)))
    return g
