"""Reading RDF files back into graphs (a build folder is read by ``pipeline.folder``).

Every parse error names the file and, where the parser says, the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from sciplan_kg.errors import InputError
from sciplan_kg.paths import ONTOLOGY_FILE
from sciplan_kg.rdf.namespaces import canonical

_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".nq": "nquads",
}


def rdf_format(path: Path) -> str:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            path,
            f"不认识的 RDF 文件类型 / unknown RDF file type '{path.suffix}' (use one of {sorted(_FORMATS)})",
        )
    return fmt


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file; a syntax error becomes an InputError with the file and line."""
    g = into if into is not None else Graph()
    fmt = rdf_format(path)
    if not path.is_file():
        raise InputError(path, "找不到文件 / no such file")
    try:
        if fmt in ("trig", "nquads"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(path, format=fmt)
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        elif fmt == "json-ld":
            _parse_jsonld(path, g)
        else:
            g.parse(path, format=fmt)
    except InputError:
        raise
    except Exception as exc:  # rdflib raises many types; all mean "this file is not valid RDF"
        message = str(exc).strip().splitlines()
        text = " ".join(m.strip() for m in message if m.strip())[:300] or type(exc).__name__
        m = re.search(r"line[ :]+(\d+)", str(exc), re.IGNORECASE)
        raise InputError(path, f"RDF 语法错误 / invalid {fmt}: {text}", int(m.group(1)) if m else None) from exc
    return g


def _parse_jsonld(path: Path, g: Graph) -> None:
    """A JSON-LD file, refused when it names a context by IRI (remote or relative): the parser
    would fetch it. The bytes checked are the bytes parsed."""
    import json

    from sciplan_kg.netguard import remote_contexts

    data = path.read_bytes()
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(path, f"JSON 格式错误 / malformed JSON: {getattr(exc, 'msg', exc)}", line) from exc
    named = remote_contexts(doc)
    if named:
        raise InputError(
            path,
            f"不获取远程 JSON-LD @context（{named[0]}）：请把上下文内联到文件中 / a JSON-LD @context named by "
            f"IRI is not fetched ({', '.join(named[:3])}): inline the context in the file",
        )
    g.parse(data=data, format="json-ld", publicID=path.absolute().as_uri())


def parse_files(files: list[Path], into: Graph | None = None) -> Graph:
    """The triples of several RDF files in one graph: Turtle read by Oxigraph
    (``turtle_triples``; ``query --store rdflib`` on the five plans' build 5.0 → 1.4 s with the
    graph read into once), other formats by rdflib (``parse_file``)."""
    g = into if into is not None else Graph()
    turtle = [f for f in files if f.suffix.lower() in _TURTLE]
    if turtle:
        g.addN((s, p, o, g) for s, p, o in turtle_triples(turtle))
    for f in files:
        if f.suffix.lower() not in _TURTLE:
            parse_file(f, g)
    return g


_TURTLE = (".ttl", ".turtle")


def turtle_triples(files: list[Path]) -> list[tuple[Node, Node, Node]]:
    """The triples of Turtle files, parsed by Oxigraph (in Rust: a plan's files in a few
    milliseconds, where rdflib's parser takes a quarter of a second), as the rdflib terms
    rdflib's parser gives: a literal without a language or a datatype written has none
    (Oxigraph says ``xsd:string``), IRIs the one object ``canonical`` keeps. Where Oxigraph
    cannot tell what was written, RDF 1.1 says the two are the same term: ``"x"^^xsd:string``
    is read as ``"x"``, a language tag in lower case (``@en-GB`` as ``@en-gb``, equal in
    rdflib too). A syntax error names the file and line."""
    import pyoxigraph as ox

    made: dict[Any, Node] = {}  # each term of these files made once (a subject is met dozens of times)
    get = made.get  # Oxigraph's terms hash and compare by value, in Rust

    def term(t: Any) -> Node:
        kind = type(t)
        done: Node
        if kind is ox.NamedNode:
            # Oxigraph has checked the IRI: rdflib's own check (a warning) would repeat it
            done = canonical(str.__new__(URIRef, t.value))
        elif kind is ox.Literal:
            datatype = t.datatype.value
            if t.language:
                done = Literal(t.value, lang=t.language)
            elif datatype == _STRING:
                done = Literal(t.value)
            else:
                done = Literal(t.value, datatype=canonical(URIRef(datatype)))
        else:
            done = BNode(t.value)
        made[t] = done
        return done

    out: list[tuple[Node, Node, Node]] = []
    add = out.append
    for f in files:
        for q in read_turtle(f):
            s, p, o = q.subject, q.predicate, q.object
            a, b, c = get(s), get(p), get(o)
            add((term(s) if a is None else a, term(p) if b is None else b, term(o) if c is None else c))
    return out


def read_turtle(f: Path) -> Iterator[Any]:
    """Oxigraph's triples (as quads of the default graph) of the Turtle file ``f``, each file's
    blank nodes its own (renamed); a missing file, a syntax error or a failed read is an
    ``InputError`` naming the file (and the line)."""
    import pyoxigraph as ox

    if not f.is_file():
        raise InputError(f, "找不到文件 / no such file")
    try:
        yield from ox.parse(path=str(f), format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
    except SyntaxError as exc:
        raise InputError(f, f"RDF 语法错误 / invalid turtle: {exc.msg}", exc.lineno) from exc
    except OSError as exc:
        raise InputError(f, f"无法读取 / cannot read: {exc.strerror or exc}") from exc


_STRING = str(XSD.string)


def load_ontology() -> Graph:
    return parse_file(ONTOLOGY_FILE)


def union(graphs: dict[str, Graph], with_ontology: bool = True) -> Graph:
    g = Graph()
    for part in graphs.values():
        g += part
    if with_ontology:
        g += load_ontology()
    return g
