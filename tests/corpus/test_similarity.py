"""Similar tasks by character bigrams: copies score high, unrelated texts not at all, links only
across plans, the same result every time."""

from __future__ import annotations

import math

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from sciplan_kg.corpus.similarity import bigrams, reference, similar_tasks, similarity_graph_of
from sciplan_kg.pipeline.build import BuildResult

A, B, C = (URIRef(f"urn:plan:{x}") for x in "abc")


def _tasks() -> dict[URIRef, tuple[URIRef, str]]:
    return {
        URIRef("urn:a1"): (A, "深入开展全国科普日、科技活动周等综合性科普品牌活动。"),
        URIRef("urn:a2"): (A, "建设农村科普示范基地，培训高素质农民。"),
        URIRef("urn:b1"): (B, "深入开展全国科普日、科技活动周等综合性科普品牌活动。"),
        URIRef("urn:b2"): (B, "完善干部考核评价机制。"),
        URIRef("urn:c1"): (C, "深入开展全国科普日等综合性科普品牌活动，扩大覆盖面。"),
    }


def test_bigrams_ignore_punctuation() -> None:
    assert bigrams("科普，日。") == bigrams("科普日")


def test_copies_score_one_and_links_cross_plans_only() -> None:
    links = similar_tasks(_tasks())
    by_task = {(link.task, link.rank): link for link in links}
    assert by_task[(URIRef("urn:a1"), 1)].other == URIRef("urn:b1")
    assert by_task[(URIRef("urn:a1"), 1)].score == 1.0
    assert by_task[(URIRef("urn:a1"), 2)].other == URIRef("urn:c1")
    assert 0.3 <= by_task[(URIRef("urn:a1"), 2)].score < 1.0
    tasks = _tasks()
    assert all(tasks[link.task][0] != tasks[link.other][0] for link in links)
    assert not any(link.task == URIRef("urn:b2") for link in links), "an unrelated task has no link"


def test_deterministic() -> None:
    assert similar_tasks(_tasks()) == similar_tasks(dict(reversed(list(_tasks().items()))))


def test_turtle_written_straight_equals_the_links_as_triples(five: BuildResult) -> None:
    tasks = [t for p in five.plans for t in p.tasks]
    written = Graph()
    for f in sorted((five.out / "graph" / "similarity").glob("*.ttl")):  # one file per plan
        written.parse(f, format="turtle")
    expected = similarity_graph_of(tasks)
    assert len(written) == len(expected) > 1000
    assert isomorphic(written, expected)


def test_exact_scores_against_a_plain_python_cosine() -> None:
    tasks = _tasks()
    vectors = {}
    for t, (_, text) in tasks.items():
        vectors[t] = bigrams(text)
    ref = reference()  # idf frozen from the reference corpus, not from these five tasks
    n, df = ref.documents, ref.df

    def weights(v: dict[str, int]) -> dict[str, float]:
        w = {g: c * (math.log((n + 1) / (df.get(g, 0) + 1)) + 1) for g, c in v.items()}
        norm = math.sqrt(sum(x * x for x in w.values()))
        return {g: x / norm for g, x in w.items()}

    for link in similar_tasks(tasks):
        a, b = weights(vectors[link.task]), weights(vectors[link.other])
        assert link.score == round(sum(x * b.get(g, 0.0) for g, x in a.items()), 3)


def test_blocks_scored_in_worker_processes_give_the_same_links(five: BuildResult) -> None:
    tasks = {URIRef(t): (URIRef(plan), text) for out in five.plans for t, plan, text in out.tasks}
    alone = similar_tasks(tasks, block=64)
    assert len({link.task for link in alone}) > 64, "several blocks of texts"
    assert similar_tasks(tasks, block=64, jobs=2) == alone
    assert similar_tasks(tasks, jobs=2) == alone


def test_each_similarity_file_has_the_rows_parsing_it_gives(five: BuildResult) -> None:
    """The rows companion written beside each plan's similarity file (``similarity_rows``)
    holds the rows of the query tables that parsing the file gives, and says so."""
    import csv
    import io

    import pyoxigraph as ox

    from sciplan_kg.corpus.similarity import similarity_rows, similarity_turtle
    from sciplan_kg.rdf.rows import companion, companion_matches, oxigraph_rows

    links = similar_tasks(_tasks())
    links.append(links[0]._replace(score=1.0, rank=9))  # a score written as an integer's text
    data = b"".join(similarity_turtle(links))
    assert sorted(similarity_rows(links)) == sorted(oxigraph_rows(ox.parse(data, format=ox.RdfFormat.TURTLE)))
    files = sorted((five.out / "graph" / "similarity").glob("*.ttl"))
    assert len(files) == 5
    for f in files:
        rows = companion(f)
        assert companion_matches(rows, f)
        body = rows.read_bytes().split(b"\n", 1)[1].decode("utf-8")
        got = sorted(tuple(r) for r in csv.reader(io.StringIO(body, newline="")))
        assert got == sorted(oxigraph_rows(ox.parse(path=str(f)))), f
