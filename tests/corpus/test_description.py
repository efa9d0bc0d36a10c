"""The build's VoID/DCAT description is computed from the graph: its counts are the graph's."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from sciplan_kg.corpus.description import DATASET, VOID
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.query import run_query
from sciplan_kg.rdf.namespaces import SK


def test_counts_are_the_graphs(five: BuildResult) -> None:
    d = Graph().parse(five.out / "graph" / "dataset.ttl")
    graphs = load_graphs(five.out)
    data = graphs["asserted"] + graphs["inferred"] + graphs["similarity"]
    assert (DATASET, RDF.type, VOID.Dataset) in d and (DATASET, RDF.type, DCAT.Dataset) in d
    assert int(d.value(DATASET, VOID.triples)) == len(data)
    assert int(d.value(DATASET, SK.plans)) == len(five.plans)
    typed: dict[object, set[object]] = {}
    for s, o in data.subject_objects(RDF.type):
        typed.setdefault(s, set()).add(o)
    assert int(d.value(DATASET, VOID.entities)) == len(typed)
    classes = Counter(c for cs in typed.values() for c in cs)
    partitions = {
        d.value(p, VOID["class"]): int(d.value(p, VOID.entities)) for p in d.objects(DATASET, VOID.classPartition)
    }
    assert partitions == dict(classes)
    assert partitions[SK.Task] == sum(p.task_count for p in five.plans)
    for part in d.objects(DATASET, VOID.propertyPartition):
        lang = str(d.value(part, DCTERMS.language))
        labelled = {s for s, o in data.subject_objects(RDFS.label) if isinstance(o, Literal) and o.language == lang}
        assert int(d.value(part, VOID.entities)) == len(labelled & typed.keys())
        assert abs(float(d.value(part, SK.coverage)) - len(labelled & typed.keys()) / len(typed)) < 1e-4


def test_licence_titles_and_sources(five: BuildResult) -> None:
    d = Graph().parse(five.out / "graph" / "dataset.ttl")
    assert isinstance(d.value(DATASET, DCTERMS.license), URIRef)
    assert {t.language for t in d.objects(DATASET, DCTERMS.title)} == {"zh", "en"}
    files = set(d.objects(DATASET, DCTERMS.source))
    assert len(files) == len(five.plans)
    graphs = load_graphs(five.out)
    assert all((f, RDF.type, SK.SourceFile) in graphs["asserted"] for f in files)
    text = (five.out / "graph" / "dataset.ttl").read_text(encoding="utf-8")
    assert "全民科学素质" in text and "\\u" not in text


def test_the_description_is_queryable(five: BuildResult) -> None:
    d = Graph().parse(five.out / "graph" / "dataset.ttl")
    rows = run_query("dataset", five.out).rows
    by_key = {(r["kind"], r["key"]): r["value"] for r in rows}
    assert by_key[("dataset", "triples")] == int(d.value(DATASET, VOID.triples))
    assert by_key[("class", str(SK.Task))] == sum(p.task_count for p in five.plans)
    assert {k for kind, k in by_key if kind == "labels"} == {"zh", "en"}
