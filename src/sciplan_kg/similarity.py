"""Similar tasks across plans, by character n-grams: which tasks plans copy from each other,
and which are local inventions.

Method (``char-2gram-tfidf-cosine``): a task's text is folded (full-width punctuation to
ASCII) and stripped of everything but letters and digits; its character bigrams are weighted
by tf-idf over every task of the corpus (idf = ln(N / df) + 1, tf = count); two tasks' score
is the cosine of their vectors. Chinese needs no word segmentation for this: most words are
two characters, and shared bigrams measure shared wording. For each task, the ``TOP`` most
similar tasks *of other plans* with a score of at least ``MIN_SCORE`` become links.

Cost: an inverted index over bigrams, so each task is compared only with tasks that share a
bigram; idf weights keep the common bigrams (科普, 科学) from dominating.
"""

from __future__ import annotations

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
_KEEP = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class Link:
    task: URIRef
    other: URIRef
    score: float
    rank: int


def bigrams(text: str) -> Counter[str]:
    chars = "".join(c for c in fold(text) if _KEEP.match(c) and c != "_")
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


def similar_tasks(tasks: dict[URIRef, tuple[URIRef, str]], top: int = TOP, min_score: float = MIN_SCORE) -> list[Link]:
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
    index: dict[str, list[tuple[URIRef, float]]] = defaultdict(list)
    for t in sorted(vectors):
        for gram, w in vectors[t].items():
            index[gram].append((t, w))
    links: list[Link] = []
    for t in sorted(vectors):
        plan = tasks[t][0]
        scores: dict[URIRef, float] = defaultdict(float)
        for gram, w in vectors[t].items():
            for other, w2 in index[gram]:
                if tasks[other][0] != plan:
                    scores[other] += w * w2
        best = sorted(((round(s, 3), o) for o, s in scores.items() if s >= min_score), key=lambda x: (-x[0], x[1]))
        for rank, (score, other) in enumerate(best[:top], start=1):
            links.append(Link(t, other, score, rank))
    return links


def similarity_graph(asserted: Graph) -> Graph:
    """Similarity links between the tasks of the graph, as RDF."""
    tasks: dict[URIRef, tuple[URIRef, str]] = {}
    for task in asserted.subjects(RDF.type, SK.Task):
        measure = asserted.value(task, SK.inMeasure)
        plan = asserted.value(measure, SK.inPlan) if measure is not None else None
        text = asserted.value(task, SK.text)
        if isinstance(task, URIRef) and isinstance(plan, URIRef) and text is not None:
            tasks[task] = (plan, str(text))
    g = Graph()
    for link in similar_tasks(tasks):
        node = URIRef(f"{link.task}/similar/{link.rank}")
        g.add((link.task, SK.similarTask, link.other))
        g.add((node, RDF.type, SK.TaskSimilarity))
        g.add((node, SK.fromTask, link.task))
        g.add((node, SK.toTask, link.other))
        g.add((node, SK.score, Literal(Decimal(str(link.score)), datatype=XSD.decimal)))
        g.add((node, SK.rank, Literal(link.rank)))
        g.add((node, SK.method, Literal(METHOD)))
    return g
