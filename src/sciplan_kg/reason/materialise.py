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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sciplan_kg.rdf.namespaces import canonical

Triple = tuple[Node, Node, Node]
Pair = tuple[Node, Node]

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

# rdf:type, tested by set membership (a plan's term may be another object equal to it)
_TYPES = frozenset({RDF.type})


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
    return Closure.empty(rules).extend(triples)


class Closure:
    """A set of triples closed under the rules, indexed for ``extend``: the registries' closure,
    made once, that every plan is reasoned with.

    ``extend`` is a semi-naive fixpoint: each round applies the rules only to the triples the
    previous round added (joined, for the two-premise rules — transitivity and property chains —
    with everything known), so nothing of the closed set is derived again and no triple is
    looked at twice by a one-premise rule."""

    def __init__(self, rules: Rules, by_p: dict[Node, set[Pair]]) -> None:
        self.rules = rules
        self.by_p = by_p
        # the properties the two-premise rules join on, each indexed both ways
        self.joined = rules.transitive | {link for chain, _ in rules.chains for link in chain}
        self.succ: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in self.joined}
        self.pred: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in self.joined}
        for p in self.joined:
            for s, o in by_p.get(p, ()):
                self.succ[p][s].add(o)
                self.pred[p][o].add(s)

    @classmethod
    def empty(cls, rules: Rules) -> Closure:
        return cls(rules, {})

    @classmethod
    def of(cls, triples: Iterable[Triple], rules: Rules) -> Closure:
        """``triples`` and all they entail."""
        triples = set(triples)
        by_p: dict[Node, set[Pair]] = defaultdict(set)
        for s, p, o in triples | materialise(triples, rules):
            by_p[p].add((s, o))
        return cls(rules, dict(by_p))

    def triples(self) -> set[Triple]:
        return {(s, p, o) for p, pairs in self.by_p.items() for s, o in pairs}

    def extend(self, triples: Iterable[Triple]) -> set[Triple]:
        """What ``triples`` entail together with this closure that neither states (the closure
        itself is not changed)."""
        rules, known = self.rules, self.by_p
        empty: frozenset[Pair] = frozenset()
        new: dict[Node, set[Pair]] = defaultdict(set)  # what the closure lacked: given, then derived
        succ: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in self.joined}
        pred: dict[Node, dict[Node, set[Node]]] = {p: defaultdict(set) for p in self.joined}
        out: dict[Node, set[Pair]] = defaultdict(set)
        for s, p, o in triples:
            out[p].add((s, o))
        given = {p: pairs - known.get(p, empty) for p, pairs in out.items()}
        delta = self._admit(given, new, succ, pred)
        while delta:
            out = defaultdict(set)
            types = out[RDF.type]
            for p, pairs in delta.items():
                for q in rules.super_properties.get(p, ()):
                    out[q] |= pairs
                for q in rules.inverses.get(p, ()):
                    out[q].update([(o, s) for s, o in pairs])
                if p in rules.symmetric:
                    out[p].update([(o, s) for s, o in pairs])
                for c in rules.domains.get(p, ()):
                    types.update([(s, c) for s, _ in pairs])
                for c in rules.ranges.get(p, ()):
                    types.update([(o, c) for _, o in pairs if type(o) is URIRef or isinstance(o, URIRef | BNode)])
                if p in _TYPES:
                    sco = rules.super_classes
                    types.update([(s, d) for s, c in pairs for d in sco.get(c, ())])
                if p in rules.transitive:
                    after, before = _look(self.succ[p], succ[p]), _look(self.pred[p], pred[p])
                    out[p].update([(s, y) for s, o in pairs for y in after(o)])
                    out[p].update([(x, o) for s, o in pairs for x in before(s)])
            for chain, q in rules.chains:
                for i, link in enumerate(chain):
                    if link in delta:
                        out[q] |= self._paths(chain, i, delta[link], succ, pred)
            delta = self._admit({p: pairs - known.get(p, empty) for p, pairs in out.items()}, new, succ, pred)
        return {(s, p, o) for p, pairs in new.items() for s, o in pairs - given.get(p, empty)}

    def _admit(
        self,
        found: dict[Node, set[Pair]],
        new: dict[Node, set[Pair]],
        succ: dict[Node, dict[Node, set[Node]]],
        pred: dict[Node, dict[Node, set[Node]]],
    ) -> dict[Node, set[Pair]]:
        """The pairs of ``found`` not yet in ``new``, added to it and to its join indexes."""
        delta: dict[Node, set[Pair]] = {}
        for p, pairs in found.items():
            have = new[p]
            fresh = pairs - have
            if not fresh:
                continue
            have |= fresh
            delta[p] = fresh
            if p in self.joined:
                after, before = succ[p], pred[p]
                for s, o in fresh:
                    after[s].add(o)
                    before[o].add(s)
        return delta

    def _paths(
        self,
        chain: tuple[Node, ...],
        i: int,
        pairs: set[Pair],
        succ: dict[Node, dict[Node, set[Node]]],
        pred: dict[Node, dict[Node, set[Node]]],
    ) -> set[Pair]:
        """The pairs ``chain`` joins with its ``i``-th link one of ``pairs``, the other links
        anything known."""
        current = pairs
        for link in chain[i + 1 :]:
            after = _look(self.succ[link], succ[link])
            current = {(s, y) for s, o in current for y in after(o)}
            if not current:
                return current
        for link in reversed(chain[:i]):
            before = _look(self.pred[link], pred[link])
            current = {(x, o) for s, o in current for x in before(s)}
            if not current:
                return current
        return set(current)


def _look(closed: dict[Node, set[Node]], local: dict[Node, set[Node]]) -> Callable[[Node], Iterable[Node]]:
    """One direction of a property's join index: the closure's pairs and the new ones."""

    def look(n: Node) -> Iterable[Node]:
        a, b = closed.get(n), local.get(n)
        if a is None:
            return b or ()
        return a if b is None else a | b

    return look
