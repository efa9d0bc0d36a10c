"""The targeted materialiser against owlrl's full OWL 2 RL closure, on the five real plans;
a plan reasoned from the registries' closure (the semi-naive ``Closure.extend``) against the
rules applied to everything from nothing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef

from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.pipeline.plan import Workbench
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.reason.materialise import Closure, Rules, materialise, unsupported_axioms
from sciplan_kg.reason.reasoner import Reasoner, _relevant, infer, infer_owlrl


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


def test_a_plan_extending_the_registries_closure_gets_what_the_whole_closure_gives(five: BuildResult) -> None:
    """Each plan is reasoned from the registries' closure, made once: what it derives must be
    what the rules give over the plan and the registries together, from nothing, less what the
    registries give alone. Some of it must need both (a join across them), or the test would not
    show that the joins reach into the closure."""
    reasoner = Workbench.load().reasoner
    across = 0
    for path in sorted((five.out / "graph" / "asserted").glob("*.ttl")):
        base = _relevant(Graph().parse(path, format="turtle"), reasoner.properties)
        expected = materialise(base | reasoner.context, reasoner.rules) - reasoner.context_derived
        assert reasoner.closure.extend(base) == expected, path.name
        across += len(expected - materialise(base, reasoner.rules) - base)
    assert across, "no inference joined a plan with the registries"


_ONTOLOGY_RULES = Rules.from_ontology(load_ontology())
_NODES = [URIRef(f"https://example.org/n{i}") for i in range(4)]
# the properties the two-premise rules join on (transitivity, chains), drawn as often as all the
# others the rules say something about together: a join across the two halves is what can fail
_JOINED = sorted(_ONTOLOGY_RULES.transitive | {link for chain, _ in _ONTOLOGY_RULES.chains for link in chain})
_OTHERS = sorted(
    set(_ONTOLOGY_RULES.super_properties)
    | set(_ONTOLOGY_RULES.inverses)
    | set(_ONTOLOGY_RULES.domains)
    | set(_ONTOLOGY_RULES.ranges)
    | _ONTOLOGY_RULES.symmetric
)
_CLASSES = sorted(set(_ONTOLOGY_RULES.super_classes))
_TRIPLES = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_JOINED), st.sampled_from(_NODES)),
    st.tuples(st.sampled_from(_NODES), st.sampled_from(_OTHERS), st.sampled_from(_NODES)),
    st.tuples(st.sampled_from(_NODES), st.just(RDF.type), st.sampled_from(_CLASSES)),
)


@settings(max_examples=300, deadline=None)
@given(st.sets(_TRIPLES, max_size=14), st.sets(_TRIPLES, max_size=14))
def test_extending_a_closure_equals_the_closure_of_the_union(closed: set, added: set) -> None:
    """Random graphs over the ontology's rules, split in two: the closure of the first, extended
    by the second, derives what the rules give over both from nothing, less the first's closure
    and the second's own triples."""
    first = Closure.of(closed, _ONTOLOGY_RULES)
    expected = materialise(closed | added, _ONTOLOGY_RULES) - first.triples() - added
    assert first.extend(added) == expected
