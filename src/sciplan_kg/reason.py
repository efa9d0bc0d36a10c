"""Asserted triples + ontology → OWL 2 RL inferences (owlrl), kept in a graph of their own.

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

from sciplan_kg.model.namespaces import OA, SK

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


def infer(asserted: Graph, ontology: Graph) -> Graph:
    """The OWL 2 RL inferences from ``asserted`` under ``ontology``, as a separate graph."""
    base = reasoning_input(asserted, ontology)
    closure = Graph()
    for triple in base:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    inferred = Graph()
    for s, p, o in closure:
        if (s, p, o) in base or (s, p, o) in asserted:
            continue
        if p == OWL.sameAs and s == o:
            continue
        if p == RDF.type and o == OWL.Thing:
            continue
        if not isinstance(s, URIRef) or str(s).startswith(_VOCABULARY_PREFIXES):
            continue
        inferred.add((s, p, o))
    return inferred
