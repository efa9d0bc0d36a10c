"""The policy-instrument scheme as SKOS, sk:usesInstrument, and the instrument-mix queries run on
a small graph made here from rdf.instruments (the build's wiring is the lead's)."""

from __future__ import annotations

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from sciplan_kg.paths import QUERIES_DIR
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.instruments import instrument, instrument_triples, scheme_graph
from sciplan_kg.rdf.namespaces import SK

MIX = QUERIES_DIR / "research" / "19-instrument-mix.rq"
BY_MEASURE = QUERIES_DIR / "research" / "20-instrument-mix-by-measure.rq"


def test_the_scheme_has_three_top_concepts_and_fourteen_instruments_under_them() -> None:
    g = scheme_graph()
    tops = set(g.objects(SK.PolicyInstruments, SKOS.hasTopConcept))
    assert tops == {instrument("supply"), instrument("environment"), instrument("demand")}
    concepts = set(g.subjects(RDF.type, SK.PolicyInstrument))
    assert len(concepts) == 17
    under = {c for c in concepts if (c, SKOS.broader, None) in g}
    assert len(under) == 14
    assert (instrument("funding"), SKOS.broader, instrument("supply")) in g
    for c in concepts:
        assert {lit.language for lit in g.objects(c, SKOS.prefLabel)} == {"zh", "en"}
        assert {lit.language for lit in g.objects(c, SKOS.definition)} == {"zh", "en"}
    assert str(instrument("public-services")).endswith("/policy-instrument/public-services")


def test_instrument_triples_link_a_node_to_each_key_in_order() -> None:
    node = URIRef("https://w3id.org/sciplan-kg/id/plan/x/task/1")
    assert instrument_triples(node, ["funding", "pilots"]) == [
        (node, SK.usesInstrument, instrument("funding")),
        (node, SK.usesInstrument, instrument("pilots")),
    ]
    assert instrument_triples(node, []) == []


def _graph() -> tuple[Graph, URIRef, URIRef]:
    g = scheme_graph()
    plan = iris.iri("plan", "x-2021-2025")
    area = iris.area("x")
    g.add((plan, RDF.type, SK.ImplementationPlan))
    g.add((plan, SK.area, area))
    g.add((area, RDFS.label, Literal("某县", lang="zh")))
    codes = {
        ("m1", 1): ["funding", "facilities", "pilots"],
        ("m1", 2): ["facilities"],
        ("m2", 1): ["organisation"],
        ("m2", 2): [],
    }
    for (m, no), keys in codes.items():
        measure = iris.child(plan, m)
        g.add((measure, RDF.type, SK.Measure))
        g.add((measure, SK.inPlan, plan))
        g.add((measure, RDFS.label, Literal(f"举措{m}", lang="zh")))
        task = iris.child(measure, "task", str(no))
        g.add((task, RDF.type, SK.Task))
        g.add((task, SK.inMeasure, measure))
        for triple in instrument_triples(task, keys):
            g.add(triple)
    commitment = iris.child(plan, "safeguard", "1")  # a commitment's codes are no task's
    g.add((commitment, RDF.type, SK.SafeguardCommitment))
    for triple in instrument_triples(commitment, ["funding", "regulation"]):
        g.add(triple)
    return g, plan, iris.child(plan, "m1")


def _rows(g: Graph, query: str, **bindings: URIRef) -> list[dict[str, str]]:
    result = g.query(parse_query_file(MIX if query == "mix" else BY_MEASURE).text, initBindings=bindings)
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


def test_instrument_mix_counts_and_shares_tasks_per_group_and_instrument() -> None:
    g, plan, _ = _graph()
    rows = _rows(g, "mix")
    table = {(r["level"], r["instrument"]): (int(r["tasks"]), float(r["sharePercent"])) for r in rows}
    assert table == {
        ("group", "supply"): (2, 50.0),
        ("instrument", "funding"): (1, 25.0),
        ("instrument", "facilities"): (2, 50.0),
        ("group", "environment"): (1, 25.0),
        ("instrument", "organisation"): (1, 25.0),
        ("group", "demand"): (1, 25.0),
        ("instrument", "pilots"): (1, 25.0),
    }
    assert {r["planTasks"] for r in rows} == {"4"} and {r["place"] for r in rows} == {"某县"}
    order = [(r["group"], r["level"]) for r in rows]
    assert order == sorted(order)  # each group's row before its instruments
    assert _rows(g, "mix", plan=plan) == rows
    assert _rows(g, "mix", plan=iris.iri("plan", "other")) == []


def test_instrument_mix_by_measure_shares_a_measures_tasks() -> None:
    g, _, m1 = _graph()
    rows = [r for r in _rows(g, "by-measure") if r["measure"] == str(m1)]
    table = {(r["level"], r["instrument"]): (int(r["tasks"]), float(r["sharePercent"])) for r in rows}
    assert table[("group", "supply")] == (2, 100.0)
    assert table[("instrument", "pilots")] == (1, 50.0)
    assert {r["title"] for r in rows} == {"举措m1"} and {r["measureTasks"] for r in rows} == {"2"}


def test_the_query_headers_name_their_columns_and_parameter() -> None:
    for path in (MIX, BY_MEASURE):
        q = parse_query_file(path)
        assert q.summary_zh and q.summary_en and "instruments" in q.tags
        assert [p.name for p in q.params] == ["plan"]
        assert "sharePercent" in q.columns and "instrument" in q.columns
