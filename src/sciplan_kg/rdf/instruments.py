"""Policy instruments as RDF: the scheme (``data/registry/instruments.toml``) as SKOS concepts,
and the instruments a task or safeguard commitment uses (``sk:usesInstrument``).

The scheme is ``sk:PolicyInstruments``: three top concepts (supply, environment, demand), each
instrument ``skos:broader`` its group; every concept an ``sk:PolicyInstrument`` with its key as
``skos:notation``, labels and definitions in Chinese and English. IRIs are minted from the keys
(``id/policy-instrument/<key>``), so they stay put when the rules change.

Wiring (rdf/graph.py): ``registry_graph`` adds :func:`scheme_graph`; each task and commitment
node adds :func:`instrument_triples` of its ``instruments``.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from sciplan_kg.rdf import iris
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.resolve.instruments import InstrumentScheme, load_scheme

Triple = tuple[URIRef, URIRef, URIRef]


instrument = iris.instrument  # the IRI of an instrument or a group of the scheme


def instrument_triples(node: URIRef, keys: Iterable[str]) -> list[Triple]:
    """``node sk:usesInstrument <instrument>`` for each key (a task's or commitment's codes)."""
    return [(node, SK.usesInstrument, instrument(key)) for key in keys]


def scheme_graph(scheme: InstrumentScheme | None = None) -> Graph:
    """The scheme as SKOS: the groups as top concepts, the instruments under them."""
    scheme = scheme or load_scheme()
    g = Graph()
    g.add((SK.PolicyInstruments, RDF.type, SKOS.ConceptScheme))
    for group in scheme.groups:
        node = _concept(g, group.key, group.zh, group.en, group.definition_zh, group.definition_en)
        g.add((node, SKOS.topConceptOf, SK.PolicyInstruments))
        g.add((SK.PolicyInstruments, SKOS.hasTopConcept, node))
    for item in scheme.instruments:
        node = _concept(g, item.key, item.zh, item.en, item.definition_zh, item.definition_en)
        g.add((node, SKOS.broader, instrument(item.group)))
        g.add((instrument(item.group), SKOS.narrower, node))
    return g


def _concept(g: Graph, key: str, zh_text: str, en_text: str, def_zh: str, def_en: str) -> URIRef:
    node = instrument(key)
    g.add((node, RDF.type, SK.PolicyInstrument))
    g.add((node, SKOS.inScheme, SK.PolicyInstruments))
    g.add((node, SKOS.notation, Literal(key)))
    for p in (SKOS.prefLabel, RDFS.label):
        g.add((node, p, Literal(zh_text, lang="zh")))
        g.add((node, p, Literal(en_text, lang="en")))
    g.add((node, SKOS.definition, Literal(def_zh, lang="zh")))
    g.add((node, SKOS.definition, Literal(def_en, lang="en")))
    return node
