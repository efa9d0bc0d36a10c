"""Deterministic RDF serialisation: same triples, same bytes, whatever the hash seed.

Turtle comes from rdflib's serializer (it sorts subjects and predicates); N-Triples lines
are sorted; JSON-LD and TriG are written from graphs filled in sorted triple order, so the
serializers' iteration order is fixed. Non-ASCII text is written as is, never escaped.
"""

from __future__ import annotations

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

from sciplan_kg.model.namespaces import ELI, OA, SK

PREFIXES = {
    "sk": SK._NS,
    "eli": ELI,
    "oa": OA,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}
FORMATS = {"turtle": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}
SUFFIX = {"turtle": ".ttl", "trig": ".trig", "nt": ".nt", "jsonld": ".jsonld"}


def new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def sorted_graph(g: Graph) -> Graph:
    out = new_graph()
    for triple in sorted(g):
        out.add(triple)
    return out


def turtle_bytes(g: Graph) -> bytes:
    return sorted_graph(g).serialize(format="turtle", encoding="utf-8")


def nt_bytes(g: Graph) -> bytes:
    text = sorted_graph(g).serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonld_bytes(g: Graph) -> bytes:
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return sorted_graph(g).serialize(format="json-ld", context=context, indent=1, encoding="utf-8")


def trig_bytes(graphs: dict[str, Graph]) -> bytes:
    ds = Dataset(default_union=False)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for name in sorted(graphs):
        named = ds.graph(URIRef(name))
        for triple in sorted(graphs[name]):
            named.add(triple)
    return ds.serialize(format="trig", encoding="utf-8")


def nquads_bytes(graphs: dict[URIRef, Graph]) -> bytes:
    """Named graphs as sorted N-Quads lines."""
    lines: list[str] = []
    for name in sorted(graphs):
        suffix = f" <{name}> .\n"
        for line in nt_bytes(graphs[name]).decode("utf-8").splitlines():
            lines.append(line[: -len(" .")] + suffix if line.endswith(" .") else line)
    return "".join(sorted(lines)).encode("utf-8")


def serialize(fmt: str, graphs: dict[str, Graph]) -> bytes:
    """``graphs`` maps a graph IRI to its triples; formats without named graphs get their union."""
    if fmt == "trig":
        return trig_bytes(graphs)
    union = new_graph()
    for g in graphs.values():
        union += g
    if fmt == "turtle":
        return turtle_bytes(union)
    if fmt == "nt":
        return nt_bytes(union)
    if fmt == "jsonld":
        return jsonld_bytes(union)
    raise ValueError(fmt)
