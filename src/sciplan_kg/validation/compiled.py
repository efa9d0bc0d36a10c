"""The SHACL shapes compiled into checks, a fast engine for the core constraints they use.

pySHACL validates a plan of ~3,000 triples in ~90 ms, most of it spent walking rdflib
generically; at 3,000 plans that was the largest cost of a build. Our shapes use a small part
of SHACL Core, so they are compiled once into plain lookups and run on each plan in a few ms:

- targets: ``sh:targetClass`` (instances of the class or of its sub-classes);
- paths: an IRI, or ``[ sh:inversePath IRI ]``;
- constraints: ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype`` (with
  ill-formed literals failing), ``sh:languageIn``, ``sh:hasValue``, ``sh:in``,
  ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` / ``sh:qualifiedMaxCount``, nested
  ``sh:property``, ``sh:node``;
- ``sh:severity`` and ``sh:message``; ``sh:deactivated``.

Anything else in the shapes graph (SPARQL constraints, other targets or paths, ...) makes
``CompiledShapes`` raise ``UnsupportedShape`` naming the shape and the term, so a new
constraint cannot be silently skipped: use pySHACL (``engine="pyshacl"``) then. The
semantics are SHACL's; the test suite holds the results equal to pySHACL's on the five plans,
on generated plans, and on graphs with triples deleted at random.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from sciplan_kg.rdf.triples import Triples

SH = Namespace("http://www.w3.org/ns/shacl#")

# what a shape may say, besides the constraints below: documentation and structure
_DESCRIPTIVE = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.path,
    SH.property,
    SH.targetClass,
    SH.deactivated,
    SH.order,
    SH.group,
    URIRef("http://www.w3.org/2004/02/skos/core#definition"),
}
_CONSTRAINTS = {
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.languageIn,
    SH.hasValue,
    SH["in"],
    SH.node,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
}
_COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.node: SH.NodeConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.qualifiedMaxCount: SH.QualifiedMaxCountConstraintComponent,
}


_TYPE = RDF.type  # read once: a DefinedNamespace attribute is a Python call each time


class UnsupportedShape(ValueError):
    """The shapes use SHACL this engine does not compile."""


@dataclass(frozen=True)
class RawResult:
    """One result as SHACL defines it (before it is described for a reader)."""

    severity: URIRef
    focus: Node
    path: URIRef | None
    inverse: bool
    component: URIRef
    shape: Node
    messages: tuple[Literal, ...]
    value: Node | None


@dataclass
class Shape:
    node: Node
    path: URIRef | None = None  # None: a node shape
    inverse: bool = False
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    targets: tuple[URIRef, ...] = ()
    min_count: int | None = None
    max_count: int | None = None
    classes: tuple[URIRef, ...] = ()
    datatype: URIRef | None = None
    languages: tuple[str, ...] | None = None
    has_value: tuple[Node, ...] = ()
    allowed: frozenset[Node] | None = None
    nodes: tuple[Shape, ...] = ()
    qualified: Shape | None = None
    qualified_min: int | None = None
    qualified_max: int | None = None
    properties: list[Shape] = field(default_factory=list)


class CompiledShapes:
    """The shapes of a shapes graph, compiled; ``validate`` a data graph given as parts."""

    def __init__(self, shapes: Graph) -> None:
        self._graph = shapes
        self._cache: dict[Node, Shape] = {}
        declared = {*shapes.subjects(RDF.type, SH.NodeShape), *shapes.subjects(RDF.type, SH.PropertyShape)}
        for node in sorted(declared, key=str):  # compiled (and checked) even when nothing targets them
            self._shape(node)
        self.shapes = [self._shape(n) for n in sorted(set(shapes.subjects(SH.targetClass, None)), key=str)]

    def _shape(self, node: Node) -> Shape:
        if node in self._cache:
            return self._cache[node]
        g = self._graph
        shape = Shape(node)
        self._cache[node] = shape
        for p in g.predicates(node, None):
            if p.startswith(str(SH)) and p not in _DESCRIPTIVE | _CONSTRAINTS:
                raise UnsupportedShape(f"{node}: {p}")
        path = g.value(node, SH.path)
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            if not isinstance(inverse, URIRef) or len(set(g.predicate_objects(path))) != 1:
                raise UnsupportedShape(f"{node}: only IRI and sh:inversePath paths are compiled")
            shape.path, shape.inverse = inverse, True
        elif isinstance(path, URIRef):
            shape.path = path
        shape.severity = g.value(node, SH.severity) or SH.Violation  # type: ignore[assignment]
        shape.messages = tuple(sorted((m for m in g.objects(node, SH.message) if isinstance(m, Literal)), key=str))
        shape.targets = tuple(sorted(g.objects(node, SH.targetClass), key=str))  # type: ignore[arg-type]
        shape.min_count = _int(g.value(node, SH.minCount))
        shape.max_count = _int(g.value(node, SH.maxCount))
        shape.classes = tuple(sorted(g.objects(node, SH["class"]), key=str))  # type: ignore[arg-type]
        shape.datatype = g.value(node, SH.datatype)  # type: ignore[assignment]
        languages = g.value(node, SH.languageIn)
        if languages is not None:
            shape.languages = tuple(str(x).lower() for x in Collection(g, languages))
        shape.has_value = tuple(g.objects(node, SH.hasValue))
        allowed = g.value(node, SH["in"])
        if allowed is not None:
            shape.allowed = frozenset(Collection(g, allowed))
        shape.nodes = tuple(self._shape(n) for n in sorted(g.objects(node, SH.node), key=str))
        qualified = g.value(node, SH.qualifiedValueShape)
        if qualified is not None:
            shape.qualified = self._shape(qualified)
            shape.qualified_min = _int(g.value(node, SH.qualifiedMinCount))
            shape.qualified_max = _int(g.value(node, SH.qualifiedMaxCount))
        shape.properties = [self._shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        if (g.value(node, SH.deactivated) or Literal(False)).toPython() is True:
            shape.targets, shape.properties = (), []
        return shape

    def validate(self, parts: Sequence[Graph | Triples]) -> list[RawResult]:
        """Validate the union of ``parts`` (they are read, never merged or copied; a graph is
        indexed first, so pass ``Triples`` for a part validated many times, the registries)."""
        data = _Union([p if isinstance(p, Triples) else Triples(p) for p in parts])
        results: list[RawResult] = []
        for shape in self.shapes:
            for focus in sorted({f for c in shape.targets for f in data.instances(c)}, key=str):
                results.extend(_check(shape, focus, data))
        return results


def _int(term: Node | None) -> int | None:
    return int(term) if isinstance(term, Literal) else None


class _Union:
    """Lookups over several indexed graphs as if they were one."""

    def __init__(self, parts: Sequence[Triples]) -> None:
        self.parts = parts
        self.spos = [g.spo for g in parts]
        subs: dict[Node, set[Node]] = {}
        for g in parts:
            for s, _, o in g.with_predicate(RDFS.subClassOf):
                subs.setdefault(o, set()).add(s)
        self.subs = subs
        self.below: dict[Node, set[Node]] = {}

    def objects(self, s: Node, p: URIRef) -> set[Node]:
        # the parts' indexes read in line (a method call per part was most of a lookup); most
        # lookups find their values in one part, so the set is made from that one
        found: set[Node] | None = None
        for spo in self.spos:
            by_p = spo.get(s)
            if by_p is not None:
                values = by_p.get(p)
                if values:
                    if found is None:
                        found = set(values)
                    else:
                        found.update(values)
        return set() if found is None else found

    def subjects(self, p: URIRef, o: Node) -> set[Node]:
        return {s for g in self.parts for s in g.subjects(p, o)}

    def subclasses(self, c: Node) -> set[Node]:
        """c and every class below it (rdfs:subClassOf*), worked out once per class."""
        below = self.below.get(c)
        if below is None:
            below = self.below[c] = self._subclasses(c)
        return below

    def _subclasses(self, c: Node) -> set[Node]:
        seen, stack = {c}, [c]
        while stack:
            for sub in self.subs.get(stack.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    stack.append(sub)
        return seen

    def instances(self, c: Node) -> set[Node]:
        return {s for k in self.subclasses(c) for s in self.subjects(_TYPE, k)}

    def is_instance(self, node: Node, c: Node) -> bool:
        kind = type(node)  # before isinstance: rdflib's terms are ABCs, a false isinstance a Python call
        if kind is Literal or (kind is not URIRef and isinstance(node, Literal)):
            return False
        below = self.subclasses(c)
        return any(t in below for t in self.objects(node, _TYPE))

    def values(self, shape: Shape, focus: Node) -> set[Node]:
        if shape.path is None:
            return {focus}
        if shape.inverse:
            return self.subjects(shape.path, focus)
        return self.objects(focus, shape.path)


def _conforms(shape: Shape, focus: Node, data: _Union) -> bool:
    return next(iter(_check(shape, focus, data)), None) is None


def _check(shape: Shape, focus: Node, data: _Union) -> Iterator[RawResult]:
    """The results of ``shape`` on one focus node."""
    values = data.values(shape, focus)
    if shape.min_count is not None and len(values) < shape.min_count:
        yield _result(shape, focus, SH.minCount)
    if shape.max_count is not None and len(values) > shape.max_count:
        yield _result(shape, focus, SH.maxCount)
    ordered = sorted(values, key=str) if len(values) > 1 else list(values)
    for c in shape.classes:
        for v in ordered:
            if not data.is_instance(v, c):
                yield _result(shape, focus, SH["class"], v)
    if shape.datatype is not None:
        for v in ordered:
            if not (isinstance(v, Literal) and v.datatype == shape.datatype and not v.ill_typed):
                yield _result(shape, focus, SH.datatype, v)
    if shape.languages is not None:
        for v in ordered:
            if not (isinstance(v, Literal) and v.language and _lang_in(v.language, shape.languages)):
                yield _result(shape, focus, SH.languageIn, v)
    for required in shape.has_value:
        if required not in values:
            yield _result(shape, focus, SH.hasValue)
    if shape.allowed is not None:
        for v in ordered:
            if v not in shape.allowed:
                yield _result(shape, focus, SH["in"], v)
    for node_shape in shape.nodes:
        for v in ordered:
            if not _conforms(node_shape, v, data):
                yield _result(shape, focus, SH.node, v)
    if shape.qualified is not None:
        matching = sum(1 for v in ordered if _conforms(shape.qualified, v, data))
        if shape.qualified_min is not None and matching < shape.qualified_min:
            yield _result(shape, focus, SH.qualifiedMinCount)
        if shape.qualified_max is not None and matching > shape.qualified_max:
            yield _result(shape, focus, SH.qualifiedMaxCount)
    for prop in shape.properties:
        for v in ordered:
            yield from _check(prop, v, data)


def _result(shape: Shape, focus: Node, constraint: URIRef, value: Node | None = None) -> RawResult:
    return RawResult(
        shape.severity,
        focus,
        shape.path,
        shape.inverse,
        _COMPONENT[constraint],
        shape.node,
        shape.messages,
        value,
    )


def _lang_in(tag: str, ranges: tuple[str, ...]) -> bool:
    """SPARQL langMatches: a range matches the tag or a prefix of it ending at a '-'."""
    tag = tag.lower()
    return any(r == "*" or tag == r or tag.startswith(r + "-") for r in ranges)
