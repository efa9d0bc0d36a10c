"""The ontology and shapes document themselves: a header, and zh and en labels and definitions
on every term; every term the code uses is declared."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from sciplan_kg.paths import ONTOLOGY_FILE, SHAPES_FILE
from sciplan_kg.rdf.namespaces import ONTOLOGY_IRI, SK, VANN

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def _langs(g: Graph, s: URIRef, p: URIRef) -> set[str | None]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_header(ontology: Graph) -> None:
    for p in (DCTERMS.title, DCTERMS.description):
        assert _langs(ontology, ONTOLOGY_IRI, p) >= {"zh", "en"}
    for p in (OWL.versionInfo, OWL.versionIRI, DCTERMS.license, VANN.preferredNamespacePrefix):
        assert ontology.value(ONTOLOGY_IRI, p) is not None


def test_every_term_has_zh_and_en_labels_and_definitions(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(SK._NS))}
    assert terms
    for term in terms:
        assert _langs(ontology, term, RDFS.label) >= {"zh", "en"}, term
        assert _langs(ontology, term, SKOS.definition) >= {"zh", "en"}, term


def test_every_term_the_code_uses_is_declared(ontology: Graph) -> None:
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    for name in SK.__annotations__:
        assert SK[name] in declared, name


def test_reasoning_axioms(ontology: Graph) -> None:
    assert (SK.partOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert (SK.leadAgency, RDFS.subPropertyOf, SK.responsibleAgency) in ontology
    assert (SK.supportAgency, RDFS.subPropertyOf, SK.responsibleAgency) in ontology
    assert ontology.value(SK.inheritedLeadAgency, OWL.propertyChainAxiom) is not None


def test_every_shape_is_named_and_speaks_both_languages(shapes: Graph) -> None:
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert property_shapes and node_shapes
    for shape in property_shapes:
        assert isinstance(shape, URIRef), "property shapes have readable IRIs"
        assert _langs(shapes, shape, SH.message) >= {"zh", "en"}, shape
        assert shapes.value(shape, SH.severity) is not None, shape
    for shape in node_shapes:
        assert _langs(shapes, shape, RDFS.label) >= {"zh", "en"}, shape
