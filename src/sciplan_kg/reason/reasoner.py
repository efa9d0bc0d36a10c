"""Asserted triples + ontology → OWL 2 RL inferences, kept in a graph of their own.

``infer`` uses the targeted materialiser (``materialise.py``): the rules the ontology needs,
in milliseconds per plan. ``infer_owlrl`` is the reference it is proved equal to: owlrl's
full closure, about 0.5 ms per input triple, kept for that proof and for ``--reasoner owlrl``.

owlrl's ``expand(graph, destination=…)`` reads only the source graph, so rules never chain
on each other's results (a task would be part of its measure but not of its plan). The
closure is therefore computed in place on a copy, and the inferred graph is the difference.

Only the triples the ontology can reason about go in: ``rdf:type`` and the object
properties between plans, measures, tasks, agencies, directives, areas and concepts. Text,
labels, quotes and span selectors cannot yield an inference the ontology defines and would
triple the reasoner's work. Entailments that say nothing to a user are dropped: reflexive
``owl:sameAs``, ``rdf:type owl:Thing``, and conclusions about the vocabulary itself.
"""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.term import Node

from sciplan_kg.rdf.namespaces import OA, SK, canonical
from sciplan_kg.rdf.triples import Triples, sort_key
from sciplan_kg.reason.materialise import Closure, Rules

_VOCABULARY_PREFIXES = (
    str(SK),
    "http://www.w3.org/",
    "http://data.europa.eu/eli/ontology#",
    "http://purl.org/dc/",
    "http://purl.org/vocab/",
)


def _object_properties(ontology: Graph) -> set[URIRef]:
    props = {p for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    props |= {p for p in ontology.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)}
    return props


def reasoning_input(asserted: Graph, ontology: Graph) -> Graph:
    """The part of the asserted graph the ontology reasons about, plus the ontology."""
    props = _object_properties(ontology)
    span_types = {OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector}
    spans = {s for t in span_types for s in asserted.subjects(RDF.type, t)}
    g = Graph()
    for triple in ontology:
        g.add(triple)
    for s, p, o in asserted:
        if s in spans:
            continue
        if p == RDF.type or p in props:
            g.add((s, p, o))
    return g


# read once (each read is a Python call), and tested by set membership: ``p == RDF.type`` is a
# Python ``__eq__`` on every triple, a set lookup compares only terms with the same hash
_SAME_AS, _TYPE, _THING = frozenset({OWL.sameAs}), frozenset({RDF.type}), frozenset({OWL.Thing})


def _keep(triple: tuple[Node, Node, Node]) -> bool:
    """An entailment that tells a user something about the plans."""
    s, p, o = triple
    if p in _SAME_AS and s == o:
        return False
    if p in _TYPE and o in _THING:
        return False
    return isinstance(s, URIRef) and not str.startswith(s, _VOCABULARY_PREFIXES)  # rdflib's own takes no tuple


class Reasoner:
    """The targeted materialiser, set up once for an ontology and the registries (the context
    every plan is reasoned with) and then applied plan by plan."""

    def __init__(self, ontology: Graph, context: Graph | None = None) -> None:
        # each IRI the one object the plans' terms are (rdf.namespaces.canonical): the rules and
        # the context then meet a plan's terms by identity, not by rdflib's Python ``__eq__``
        self.rules = Rules.from_ontology(ontology).canonical()
        self.properties = {canonical(p) for p in _object_properties(ontology)}
        relevant = _relevant(context, self.properties) if context is not None else set()
        self.context = {(canonical(s), canonical(p), canonical(o)) for s, p, o in relevant}
        # the registries' closure, made once: a plan's reasoning starts from it and derives only
        # what the plan adds (a semi-naive fixpoint, ``Closure.extend``)
        self.closure = Closure.of(self.context, self.rules)
        self.context_derived = self.closure.triples() - self.context

    def registry_inferences(self) -> list[tuple[Node, Node, Node]]:
        """What the context entails on its own, sorted."""
        return sorted(t for t in self.context_derived if _keep(t))

    def infer(self, asserted: Graph) -> Graph:
        """What ``asserted`` (with the context) entails that the context does not on its own."""
        inferred = Graph(store="SimpleMemory")
        for triple in sorted(self._derived(Triples(asserted))):
            inferred.add(triple)
        return inferred

    def infer_triples(self, asserted: Triples) -> Triples:
        """``infer`` for a plan's indexed triples, as indexed triples (what the build reads):
        the same triples, without building an rdflib graph of them. Sorted by ``sort_key``
        (plain strings: rdflib's own term order costs more than the reasoning)."""
        return Triples(sorted(self._derived(asserted), key=sort_key))

    def _derived(self, asserted: Triples) -> list[tuple[Node, Node, Node]]:
        base = _relevant_triples(asserted, self.properties)
        return [t for t in self.closure.extend(base) if _keep(t) and t not in asserted]


def _relevant(g: Graph, properties: set[URIRef]) -> set[tuple[Node, Node, Node]]:
    """The triples of ``g`` the ontology can reason about (see ``reasoning_input``)."""
    span_types = {OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector}
    spans = {s for t in span_types for s in g.subjects(RDF.type, t)}
    return {(s, p, o) for s, p, o in g if s not in spans and (p == RDF.type or p in properties)}


def _relevant_triples(g: Triples, properties: set[URIRef]) -> set[tuple[Node, Node, Node]]:
    """``_relevant`` read from the index: each predicate looked at once, not every triple."""
    rdf_type = RDF.type
    span_types = (OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector)
    spans = {s for t in span_types for s in g.subjects(rdf_type, t)}
    out: set[tuple[Node, Node, Node]] = set()
    for p in g.pos:
        if p == rdf_type or p in properties:
            out.update(t for t in g.with_predicate(p) if t[0] not in spans)
    return out


def infer(asserted: Graph, ontology: Graph) -> Graph:
    """The inferences from ``asserted`` under ``ontology``, as a separate graph."""
    return Reasoner(ontology).infer(asserted)


def infer_owlrl(asserted: Graph, ontology: Graph) -> Graph:
    """The same inferences by owlrl's full OWL 2 RL closure: the reference for ``infer``."""
    base = reasoning_input(asserted, ontology)
    closure = Graph()
    for triple in base:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    inferred = Graph()
    for triple in closure:
        if triple in base or triple in asserted or not _keep(triple):
            continue
        inferred.add(triple)
    return inferred
