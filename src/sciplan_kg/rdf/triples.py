"""A plan's triples read once out of their rdflib graph into plain dicts, for the steps after.

After a plan's graph is built, six steps read it: the reasoner, the Turtle writer, the
coverage check, the validator, the dataset counts and ``len``. Through rdflib each lookup
walks a generic store (``len`` alone walks every triple; ``g.objects`` passes four
generators per value) and each comparison of two terms is a Python call: at 3,000 plans
these lookups were most of a plan's build. ``Triples`` iterates the graph once and keeps the
triples in a list and two indexes (subject → predicate → objects, predicate → object →
subjects) made of insertion-ordered dicts, so a lookup is two dict reads and answers in the
order the graph's own store would (``value`` gives the same first value as ``Graph.value``).

It is read-only: built once per plan, or once per worker for the registries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
_NONE: dict = {}


class Triples:
    """The triples of a graph (or any iterable of triples, duplicates dropped), indexed."""

    __slots__ = ("items", "pos", "spo")

    def __init__(self, triples: Iterable[Triple]) -> None:
        spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        items: list[Triple] = []
        for t in triples:
            s, p, o = t
            by_p = spo.get(s)
            if by_p is None:
                by_p = spo[s] = {}
            objects = by_p.get(p)
            if objects is None:
                objects = by_p[p] = {}
            elif o in objects:
                continue
            objects[o] = None
            by_o = pos.get(p)
            if by_o is None:
                by_o = pos[p] = {}
            subjects = by_o.get(o)
            if subjects is None:
                subjects = by_o[o] = {}
            subjects[s] = None
            items.append(t)
        self.items, self.spo, self.pos = items, spo, pos

    @classmethod
    def from_spo(cls, spo: dict[Node, dict[Node, dict[Node, None]]]) -> Triples:
        """The triples of a subject → predicate → objects index (taken, not copied), as
        ``Triples(graph)`` of an rdflib graph with that store gives them: the same list and
        indexes, without looking each triple up again."""
        pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        items: list[Triple] = []
        append = items.append
        for s, by_p in spo.items():
            for p, objects in by_p.items():
                by_o = pos.get(p)
                if by_o is None:
                    by_o = pos[p] = {}
                for o in objects:
                    subjects = by_o.get(o)
                    if subjects is None:
                        subjects = by_o[o] = {}
                    subjects[s] = None
                    append((s, p, o))
        self = cls.__new__(cls)
        self.items, self.spo, self.pos = items, spo, pos
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, triple: Triple) -> bool:
        s, p, o = triple
        return o in self.spo.get(s, _NONE).get(p, _NONE)

    def objects(self, s: Node, p: Node) -> Iterable[Node]:
        return self.spo.get(s, _NONE).get(p, _NONE).keys()

    def subjects(self, p: Node, o: Node) -> Iterable[Node]:
        return self.pos.get(p, _NONE).get(o, _NONE).keys()

    def value(self, s: Node, p: Node) -> Node | None:
        return next(iter(self.objects(s, p)), None)

    def subject(self, p: Node, o: Node) -> Node | None:
        """A subject of ``(?, p, o)``: ``Graph.value(predicate=p, object=o)``."""
        return next(iter(self.subjects(p, o)), None)

    def with_predicate(self, p: Node) -> Iterator[Triple]:
        """The triples whose predicate is ``p``."""
        for o, subjects in self.pos.get(p, _NONE).items():
            for s in subjects:
                yield (s, p, o)


class Union:
    """Lookups over several ``Triples`` as if they were one graph (never merged): values in the
    order of the parts, as rdflib's ``ReadOnlyGraphAggregate`` gives them."""

    def __init__(self, parts: Sequence[Triples]) -> None:
        self.parts = parts

    def __contains__(self, triple: Triple) -> bool:
        return any(triple in part for part in self.parts)

    def objects(self, s: Node, p: Node) -> Iterator[Node]:
        for part in self.parts:
            yield from part.objects(s, p)

    def subjects(self, p: Node, o: Node) -> Iterator[Node]:
        for part in self.parts:
            yield from part.subjects(p, o)

    def value(self, s: Node, p: Node) -> Node | None:
        for part in self.parts:
            v = part.value(s, p)
            if v is not None:
                return v
        return None


def sort_key(t: Triple) -> tuple[str, str, str, str]:
    """A total order on triples that does not depend on the hash seed, by plain strings (rdflib's
    own order compares terms by Python calls, ten times slower): the three terms' texts, then
    their kinds, which are empty when all three are IRIs (a plan's inferences are)."""
    s, p, o = t
    if type(s) is URIRef and type(p) is URIRef and type(o) is URIRef:
        return (str(s), str(p), str(o), "")
    return (str(s), str(p), str(o), "\x00".join(map(_kind, t)))


def _kind(x: Node) -> str:
    kind = type(x)
    # the class compared first: rdflib's terms are ABCs, and an isinstance that is false (an
    # IRI tested for a literal) is a Python call; a subclass of Literal still takes isinstance
    if kind is Literal or (kind is not URIRef and isinstance(x, Literal)):
        return f"Literal\x01{x.language or ''}\x01{x.datatype or ''}"  # type: ignore[attr-defined]
    return kind.__name__
