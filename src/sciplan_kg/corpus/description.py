"""The dataset's description (VoID and DCAT), computed from the build: how many triples, plans
and entities of each class, how many entities carry a label in each language, the licence, and
the plan files it was made from. Written by every build as ``graph/dataset.ttl``; loaded into
the query store like the rest, so ``SELECT ?n { ?d void:triples ?n }`` works.

Title, description, licence and publisher are curated in ``data/dataset.toml``; everything
else is counted. No date is written: the same plans give the same bytes.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS
from rdflib.term import Node

from sciplan_kg.paths import ROOT
from sciplan_kg.rdf.namespaces import ELI, ID, OA, SK
from sciplan_kg.rdf.serialize import PREFIXES

VOID = Namespace(str(PREFIXES["void"]))
DATASET = URIRef(str(ID) + "dataset")
DATASET_FILE = ROOT / "data" / "dataset.toml"
LANGUAGES = ("zh", "en")


@dataclass
class Counts:
    """What a part of the graph contributes to the description (a plan, the registries)."""

    classes: dict[str, int] = field(default_factory=dict)  # class IRI → entities
    entities: int = 0
    labelled: dict[str, int] = field(default_factory=dict)  # language → entities with such a label

    @classmethod
    def of(cls, *graphs: Iterable[tuple[Node, Node, Node]]) -> Counts:
        types: dict[Node, set[Node]] = {}
        labels: dict[str, set[Node]] = {lang: set() for lang in LANGUAGES}
        rdf_type, label = RDF.type, RDFS.label
        for g in graphs:
            for s, p, o in g:
                # identity first: ``==`` on rdflib terms is a Python call, and the build gives
                # the very objects (rdf.namespaces.canonical)
                if p is rdf_type or (p is not label and p == rdf_type):
                    types.setdefault(s, set()).add(o)
                elif (p is label or p == label) and isinstance(o, Literal) and o.language in labels:
                    labels[o.language].add(s)
        classes = Counter(str(c) for cs in types.values() for c in cs)
        return cls(
            dict(sorted(classes.items())),
            len(types),
            {lang: len(nodes & types.keys()) for lang, nodes in labels.items()},
        )

    def __add__(self, other: Counts) -> Counts:
        classes = Counter(self.classes) + Counter(other.classes)
        labelled = Counter(self.labelled) + Counter(other.labelled)
        return Counts(dict(sorted(classes.items())), self.entities + other.entities, dict(sorted(labelled.items())))


def describe(
    counts: Counts,
    triples: int,
    sources: list[URIRef],
    similarity_links: int,
) -> Graph:
    """The VoID/DCAT description of a build."""
    meta = tomllib.loads(DATASET_FILE.read_text(encoding="utf-8"))
    g = Graph()
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    for lang in LANGUAGES:
        g.add((d, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((d, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
        g.add((d, RDFS.label, Literal(meta["title"][lang], lang=lang)))
    g.add((d, DCTERMS.license, URIRef(meta["license"])))
    g.add((d, DCTERMS.publisher, Literal(meta["publisher"])))
    g.add((d, DCAT.keyword, Literal("科学素质", lang="zh")))
    g.add((d, DCAT.keyword, Literal("scientific literacy", lang="en")))
    for vocabulary in (SK._NS, ELI, OA, "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#"):
        g.add((d, VOID.vocabulary, URIRef(str(vocabulary))))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    g.add((d, VOID.triples, Literal(triples)))
    g.add((d, VOID.entities, Literal(counts.entities)))
    g.add((d, VOID.classes, Literal(len(counts.classes))))
    g.add((d, SK.plans, Literal(counts.classes.get(str(SK.ImplementationPlan), 0))))
    g.add((d, SK.similarityLinks, Literal(similarity_links)))
    for source in sources:
        g.add((d, DCTERMS.source, source))
    for cls, n in counts.classes.items():
        part = URIRef(f"{d}/class/{_local(cls)}")
        g.add((d, VOID.classPartition, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for lang in LANGUAGES:
        n = counts.labelled.get(lang, 0)
        part = URIRef(f"{d}/label/{lang}")
        g.add((d, VOID.propertyPartition, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, VOID.property, RDFS.label))
        g.add((part, DCTERMS.language, Literal(lang)))
        g.add((part, VOID.entities, Literal(n)))
        share = Decimal(n) / Decimal(counts.entities) if counts.entities else Decimal(0)
        g.add((part, SK.coverage, Literal(share.quantize(Decimal("0.0001")), datatype=XSD.decimal)))
    return g


def _local(iri: str) -> str:
    """A class's partition name: its prefix and local name (sk-Task, oa-SpecificResource)."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if iri.startswith(str(ns)):
            return f"{prefix}-{iri[len(str(ns)) :]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
