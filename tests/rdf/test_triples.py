"""The build reads a plan's triples from ``rdf.triples.Triples`` instead of rdflib's store: every
step that does must give what it gave on the rdflib graph — the same lookups, the same Turtle
bytes, the same inferences, the same validation report, the same span check."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.graph import ReadOnlyGraphAggregate

from sciplan_kg.corpus.description import Counts
from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.coverage import verify_spans
from sciplan_kg.pipeline.plan import Workbench
from sciplan_kg.rdf.graph import PlanGraph
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.serialize import turtle_bytes
from sciplan_kg.rdf.triples import Triples, Union, sort_key
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.validation.report import validate_graph

PLANS = sorted(PLANS_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def bench() -> Workbench:
    return Workbench.load()


def _graph(path: Path, bench: Workbench) -> tuple[Graph, str]:
    pt = read_plan_text(path)
    return PlanGraph(resolve(extract_text(pt), bench.registry), bench.registry, pt.raw).build(), pt.raw


@pytest.mark.parametrize("path", PLANS[:2], ids=lambda p: p.stem)
def test_lookups_answer_as_rdflib_does(path: Path, bench: Workbench) -> None:
    g, _ = _graph(path, bench)
    t = Triples(g)
    assert len(t) == len(g) and set(t) == set(g)
    rng = random.Random(7)
    for s, p, o in rng.sample(sorted(g, key=str), 300):
        assert list(t.objects(s, p)) == list(g.objects(s, p))
        assert list(t.subjects(p, o)) == list(g.subjects(p, o))
        assert t.value(s, p) == g.value(s, p)
        assert t.subject(p, o) == g.value(predicate=p, object=o)
        assert (s, p, o) in t and (s, p, URIRef("urn:x:absent")) not in t
    assert sorted(t.with_predicate(RDF.type)) == sorted(g.triples((None, RDF.type, None)))
    assert Triples([*g, *g]).items == t.items  # duplicates dropped


def test_union_answers_as_the_aggregate(bench: Workbench) -> None:
    g, _ = _graph(PLANS[0], bench)
    inferred = bench.reasoner.infer(g)
    union = Union([Triples(g), Triples(inferred), bench.context_triples])
    aggregate = ReadOnlyGraphAggregate([g, inferred, bench.validation_context])
    for s in sorted(set(g.subjects(RDF.type, SK.Task)), key=str)[:30]:
        for p in (SK.inMeasure, RDFS.label, RDF.type, SK.leadAgency):
            assert list(union.objects(s, p)) == list(aggregate.objects(s, p))
            assert union.value(s, p) == aggregate.value(s, p)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_step_gives_the_same_on_the_index(path: Path, bench: Workbench) -> None:
    g, text = _graph(path, bench)
    t = Triples(g)
    inferred = bench.reasoner.infer(g)
    indexed = bench.reasoner.infer_triples(t)
    assert set(indexed) == set(inferred)
    assert turtle_bytes(t) == turtle_bytes(g)
    assert turtle_bytes(indexed) == turtle_bytes(inferred)
    assert verify_spans(t, text) == verify_spans(g, text)
    by_graph = validate_graph([g, inferred, bench.validation_context], bench.shapes)
    by_index = validate_graph([t, indexed, bench.context_triples], bench.shapes)
    assert by_index == by_graph
    counted = Counts.of(*(x.with_predicate(p) for x in (t, indexed) for p in (RDF.type, RDFS.label)))
    assert counted == Counts.of(g, inferred)


def test_grouped_turtle_keeps_literals_that_print_alike() -> None:
    """Two literals with one Turtle text (1 and 1.0 as decimals) are both written, as before."""
    s, p = URIRef("urn:x:s"), URIRef("urn:x:p")
    decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    triples = [(s, p, Literal("1", datatype=decimal)), (s, p, Literal("1.0", datatype=decimal)), (s, p, Literal("a"))]
    assert turtle_bytes(Triples(triples)) == turtle_bytes(triples)


def test_sort_key_is_a_total_order_by_text_then_kind() -> None:
    """Triples of IRIs sort by their texts; terms with the same text but another kind (a blank
    node, a literal with a language or a datatype) still get keys of their own, so the order
    never depends on the hash seed."""
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    iris = [(b, a, a), (a, b, a), (a, a, b), (a, a, a)]
    assert sorted(iris, key=sort_key) == sorted(iris, key=lambda t: tuple(map(str, t)))
    same_text = [
        (a, a, a),
        (a, a, BNode("https://example.org/a")),
        (a, a, Literal("https://example.org/a")),
        (a, a, Literal("https://example.org/a", lang="zh")),
        (a, a, Literal("https://example.org/a", datatype=XSD.anyURI)),
    ]
    assert len({sort_key(t) for t in same_text}) == len(same_text)
    assert sorted(same_text, key=sort_key) == sorted(reversed(same_text), key=sort_key)
