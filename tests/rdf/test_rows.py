"""The tables' rows (``rdf/rows.py``): what each property's objects are (``KINDS``) must be
what the graph holds, for the translation of a user's query (``query/translate.py``) types its
variables by it and matches constants as terms of that kind."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from sciplan_kg.rdf.rows import BY_PROPERTY, CLASSES, KINDS, PROPERTIES

_KIND_OF = {None: "lit", str(XSD.string): "lit", str(XSD.integer): "int", str(XSD.decimal): "num"}


def test_every_table_has_a_kind() -> None:
    assert set(KINDS) == set(PROPERTIES)
    assert set(KINDS.values()) <= {"iri", "lit", "int", "num"}
    assert not set(KINDS) & set(CLASSES)


def test_each_propertys_objects_are_of_its_kind(five_graph: Graph) -> None:
    seen: dict[str, set[str]] = {}
    for _, p, o in five_graph:
        table = BY_PROPERTY.get(str(p))
        if table is None:
            continue
        if isinstance(o, URIRef):
            kind = "iri"
        elif isinstance(o, Literal):
            kind = _KIND_OF.get(str(o.datatype) if o.datatype is not None else None, f"literal of {o.datatype}")
        else:
            kind = "blank node"
        seen.setdefault(table, set()).add(kind)
    assert set(seen) == set(PROPERTIES), "every property the tables hold is in the five plans' graph"
    wrong = {t: kinds for t, kinds in seen.items() if kinds != {KINDS[t]}}
    assert not wrong, f"objects not of the declared kind: {wrong}"
    assert RDF.type not in {URIRef(i) for i in PROPERTIES.values()}
