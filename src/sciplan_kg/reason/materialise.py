"""A targeted materialiser: exactly the OWL 2 RL rules this ontology uses, read from the
ontology, run to a fixpoint over plain Python sets.

owlrl computes the full OWL 2 RL closure (every rule, over every triple, with axiomatic
triples for the vocabulary) at about 0.5 ms per input triple; a plan needs a handful of
rules. The rules applied here, with their names in the OWL 2 RL profile:

=================  ==========================================================
cax-sco, cax-eqc   ``rdfs:subClassOf``, ``owl:equivalentClass``
prp-spo1, prp-eqp  ``rdfs:subPropertyOf``, ``owl:equivalentProperty``
prp-spo2           ``owl:propertyChainAxiom`` (any length)
prp-inv            ``owl:inverseOf``
prp-trp, prp-symp  ``owl:TransitiveProperty``, ``owl:SymmetricProperty``
prp-dom, prp-rng   ``rdfs:domain``, ``rdfs:range`` (IRI and blank-node objects)
=================  ==========================================================

``tests/test_materialise.py`` proves, on the five real plans, that the result equals owlrl's
closure as ``reason.infer_owlrl`` filters it. Anything the ontology says that these rules do
not cover (restrictions, ``owl:sameAs``, ``owl:hasKey``, inverse-functional properties) is
reported by ``unsupported_axioms`` so that a change to the ontology cannot silently lose
inferences: the test fails until the rule is added here. ``owl:FunctionalProperty`` (prp-fp)
is not applied: two values of a functional property would make owlrl equate them; here the
shapes' ``sh:maxCount 1`` reports them instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sciplan_kg.rdf.namespaces import canonical

Triple = tuple[Node, Node, Node]

# OWL constructs with a rule of their own in OWL 2 RL that this materialiser does not apply
_UNSUPPORTED = (
    OWL.hasValue,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasKey,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.oneOf,
    OWL.sameAs,
    OWL.InverseFunctionalProperty,
)


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    """Every node reachable from each node (not itself unless on a cycle)."""
    out: dict[Node, frozenset[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        stack = list(edges[start])
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(edges.get(n, ()))
        out[start] = frozenset(seen)
    return out


@dataclass(frozen=True)
class Rules:
    """The ontology's axioms, compiled for instance data."""

    super_classes: dict[Node, frozenset[Node]]
    super_properties: dict[Node, frozenset[Node]]
    inverses: dict[Node, frozenset[Node]]
    transitive: frozenset[Node]
    symmetric: frozenset[Node]
    chains: tuple[tuple[tuple[Node, ...], Node], ...]
    domains: dict[Node, frozenset[Node]]
    ranges: dict[Node, frozenset[Node]]

    def canonical(self) -> Rules:
        """The same rules, each IRI the one object ``rdf.namespaces.canonical`` gives (the plans'
        terms are those objects: a rule found for a plan's property is then an identity hit)."""

        def terms(m: dict[Node, frozenset[Node]]) -> dict[Node, frozenset[Node]]:
            return {canonical(k): frozenset(map(canonical, v)) for k, v in m.items()}

        return Rules(
            super_classes=terms(self.super_classes),
            super_properties=terms(self.super_properties),
            inverses=terms(self.inverses),
            transitive=frozenset(map(canonical, self.transitive)),
            symmetric=frozenset(map(canonical, self.symmetric)),
            chains=tuple((tuple(map(canonical, chain)), canonical(p)) for chain, p in self.chains),
            domains=terms(self.domains),
            ranges=terms(self.ranges),
        )

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Rules:
        sub_class = _edges(ontology, RDFS.subClassOf, OWL.equivalentClass)
        sub_prop = _edges(ontology, RDFS.subPropertyOf, OWL.equivalentProperty)
        inverses: dict[Node, set[Node]] = defaultdict(set)
        for p, q in ontology.subject_objects(OWL.inverseOf):
            inverses[p].add(q)
            inverses[q].add(p)
        chains = []
        for p, head in ontology.subject_objects(OWL.propertyChainAxiom):
            chains.append((tuple(Collection(ontology, head)), p))
        domains: dict[Node, set[Node]] = defaultdict(set)
        for p, c in ontology.subject_objects(RDFS.domain):
            domains[p].add(c)
        ranges: dict[Node, set[Node]] = defaultdict(set)
        for p, c in ontology.subject_objects(RDFS.range):
            ranges[p].add(c)
        return cls(
            super_classes=_closure(sub_class),
            super_properties=_closure(sub_prop),
            inverses={p: frozenset(qs) for p, qs in inverses.items()},
            transitive=frozenset(ontology.subjects(RDF.type, OWL.TransitiveProperty)),
            symmetric=frozenset(ontology.subjects(RDF.type, OWL.SymmetricProperty)),
            chains=tuple(sorted(chains)),
            domains={p: frozenset(cs) for p, cs in domains.items()},
            ranges={p: frozenset(cs) for p, cs in ranges.items()},
        )


def _edges(ontology: Graph, sub: URIRef, equivalent: URIRef) -> dict[Node, set[Node]]:
    """Each term's direct super-terms: ``sub`` one way, ``equivalent`` both ways (restrictions,
    which are blank nodes, are not terms here)."""
    edges: dict[Node, set[Node]] = defaultdict(set)
    for a, b in ontology.subject_objects(sub):
        if isinstance(b, URIRef):
            edges[a].add(b)
    for a, b in ontology.subject_objects(equivalent):
        edges[a].add(b)
        edges[b].add(a)
    return edges


def unsupported_axioms(ontology: Graph) -> list[str]:
    """The ontology's axioms whose rules ``materialise`` does not apply."""
    found = []
    for term in _UNSUPPORTED:
        if (None, term, None) in ontology or (None, RDF.type, term) in ontology:
            found.append(str(term))
    return found


def materialise(triples: Iterable[Triple], rules: Rules) -> set[Triple]:
    """The triples the rules derive from ``triples`` that are not among them."""
    by_p: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)
    for s, p, o in triples:
        by_p[p].add((s, o))
    asserted = {(s, p, o) for p, pairs in by_p.items() for s, o in pairs}
    types = by_p[RDF.type]
    changed = True
    while changed:
        size = sum(len(v) for v in by_p.values())
        for p in list(by_p):
            pairs = by_p[p]
            if not pairs:
                continue
            for q in rules.super_properties.get(p, ()):
                by_p[q] |= pairs
            for q in rules.inverses.get(p, ()):
                by_p[q] |= {(o, s) for s, o in pairs}
            if p in rules.symmetric:
                pairs |= {(o, s) for s, o in pairs}
            if p in rules.transitive:
                _transitive(pairs)
            for c in rules.domains.get(p, ()):
                types |= {(s, c) for s, _ in pairs}
            for c in rules.ranges.get(p, ()):
                types |= {(o, c) for _, o in pairs if isinstance(o, URIRef | BNode)}
        for chain, p in rules.chains:
            by_p[p] |= _chain(by_p, chain)
        for s, c in list(types):
            for d in rules.super_classes.get(c, ()):
                types.add((s, d))
        changed = sum(len(v) for v in by_p.values()) != size
    closure = {(s, p, o) for p, pairs in by_p.items() for s, o in pairs}
    return closure - asserted


def _transitive(pairs: set[tuple[Node, Node]]) -> None:
    succ: dict[Node, set[Node]] = defaultdict(set)
    for s, o in pairs:
        succ[s].add(o)
    for s, reach in _closure(succ).items():
        pairs |= {(s, o) for o in reach}


def _chain(by_p: dict[Node, set[tuple[Node, Node]]], chain: tuple[Node, ...]) -> set[tuple[Node, Node]]:
    current = set(by_p.get(chain[0], ()))
    for link in chain[1:]:
        succ: dict[Node, set[Node]] = defaultdict(set)
        for s, o in by_p.get(link, ()):
            succ[s].add(o)
        current = {(s, o2) for s, o in current for o2 in succ.get(o, ())}
        if not current:
            break
    return current
