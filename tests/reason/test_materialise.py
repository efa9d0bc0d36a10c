"""The targeted materialiser against owlrl's full OWL 2 RL closure, on the five real plans."""

from __future__ import annotations

from rdflib import Graph, URIRef

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.reason.materialise import unsupported_axioms
from sciplan_kg.reason.reasoner import Reasoner, infer, infer_owlrl


def test_materialiser_equals_owlrl_on_the_five_plans(five: BuildResult) -> None:
    asserted = load_graphs(five.out)["asserted"]
    ontology = load_ontology()
    ours, reference = set(infer(asserted, ontology)), set(infer_owlrl(asserted, ontology))
    assert reference, "owlrl inferred nothing: the comparison would prove nothing"
    assert ours == reference, f"missing {sorted(reference - ours)[:3]}, extra {sorted(ours - reference)[:3]}"


def test_build_inferences_equal_the_whole_graphs_closure(five: BuildResult) -> None:
    """Plan by plan (each with the registries) gives what the union of everything gives."""
    graphs = load_graphs(five.out)
    assert set(graphs["inferred"]) == set(infer(graphs["asserted"], load_ontology()))


def test_the_ontology_uses_no_construct_without_a_rule() -> None:
    assert unsupported_axioms(load_ontology()) == []


def test_a_new_chain_axiom_is_applied() -> None:
    """Rules come from the ontology: a property chain added to it is materialised."""
    ontology = load_ontology()
    extra = Graph().parse(
        data="""
        @prefix sk: <https://w3id.org/sciplan-kg/ontology#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        sk:measureLead owl:propertyChainAxiom ( sk:inPlan sk:area ) .
        """,
        format="turtle",
    )
    data = Graph().parse(
        data="""
        @prefix sk: <https://w3id.org/sciplan-kg/ontology#> .
        <https://example.org/m> sk:inPlan <https://example.org/p> .
        <https://example.org/p> sk:area <https://example.org/a> .
        """,
        format="turtle",
    )
    inferred = Reasoner(ontology + extra).infer(data)
    m, a = URIRef("https://example.org/m"), URIRef("https://example.org/a")
    assert (m, URIRef(str(SK) + "measureLead"), a) in inferred
