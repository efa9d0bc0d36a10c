"""The tables' rows (``rdf/rows.py``): what each property's objects are (``KINDS``) must be
what the graph holds, for the translation of a user's query (``query/translate.py``) types its
variables by it and matches constants as terms of that kind."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from sciplan_kg.rdf.rows import BY_PROPERTY, CLASSES, KINDS, PROPERTIES

_KIND_OF = {None: "lit", str(XSD.string): "lit", str(XSD.integer): "int", str(XSD.decimal): "num"}


def test_every_table_has_a_kind() -> None:
    assert set(KINDS) == set(PROPERTIES)
    assert set(KINDS.values()) <= {"iri", "lit", "int", "num"}
    assert not set(KINDS) & set(CLASSES)


def test_each_propertys_objects_are_of_its_kind(five_graph: Graph, parents_store: Path) -> None:
    """On the five plans and the constructed parents corpus (the five have no parent among
    them, so no task matches)."""
    from sciplan_kg.pipeline.folder import load_graphs
    from sciplan_kg.rdf.parse import union

    seen: dict[str, set[str]] = {}
    for _, p, o in (*five_graph, *union(load_graphs(parents_store))):
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
    assert set(seen) == set(PROPERTIES), "every property the tables hold is in the graphs"
    wrong = {t: kinds for t, kinds in seen.items() if kinds != {KINDS[t]}}
    assert not wrong, f"objects not of the declared kind: {wrong}"
    assert RDF.type not in {URIRef(i) for i in PROPERTIES.values()}


# the rows companions the build writes beside each plan's two graph files


def _tricky() -> Graph:
    """Literals as the plans hold them and worse: quotes, commas, line breaks, a carriage
    return, a backslash, non-ASCII text, language tags, decimals with an integer's lexical
    form, a blank node (left out), an IRI with a comma."""
    from rdflib import BNode

    from sciplan_kg.rdf.rows import BY_CLASS

    g = Graph()
    s = URIRef("https://w3id.org/sciplan-kg/id/plan/x/task/1")
    text = URIRef(PROPERTIES["text"])
    label = URIRef(PROPERTIES["label"])
    for value in ['他说"好"，然后, 走了', "两行\n第二行", "回车\r\n", "反斜杠 \\ 和 \\n", "", " 前后空格 ", '""']:
        g.add((s, text, Literal(value)))
    g.add((s, label, Literal("任务", lang="zh")))
    g.add((s, label, Literal("task, one", lang="en")))
    g.add((s, URIRef(PROPERTIES["score"]), Literal("1", datatype=XSD.decimal)))
    g.add((s, URIRef(PROPERTIES["score"]), Literal("0.25", datatype=XSD.decimal)))
    g.add((s, URIRef(PROPERTIES["ordinal"]), Literal(3)))
    g.add((s, URIRef(PROPERTIES["agency"]), URIRef("https://w3id.org/sciplan-kg/id/agency/a,b")))
    g.add((s, URIRef(PROPERTIES["agency"]), BNode("b1")))
    g.add((BNode("b2"), text, Literal("blank subject")))
    g.add((s, RDF.type, URIRef(next(iter(BY_CLASS)))))
    return g


def _companion_rows(data: bytes) -> list[tuple[str, str, str, str]]:
    import csv
    import io

    body = data.split(b"\n", 1)[1].decode("utf-8")
    return [(t, s, o, lang) for t, s, o, lang in csv.reader(io.StringIO(body, newline=""))]


def test_a_companion_holds_the_rows_its_file_gives(five: object, tmp_path: Path) -> None:
    """For every plan's two files and a graph of awkward literals: the rows the build takes
    from its triples are the rows parsing the Turtle it wrote gives, and the companion holds
    exactly them (read back as CSV) and says which bytes it was made from."""
    import pyoxigraph as ox

    from sciplan_kg.rdf.rows import (
        companion_bytes,
        companion_matches,
        companion_of,
        oxigraph_rows,
        triples_companion,
        triples_rows,
    )
    from sciplan_kg.rdf.serialize import turtle_bytes
    from sciplan_kg.rdf.triples import Triples

    tricky = Triples(_tricky())
    ttl = turtle_bytes(tricky)
    rows = triples_rows(tricky)
    assert sorted(rows) == sorted(oxigraph_rows(ox.parse(ttl, format=ox.RdfFormat.TURTLE)))
    assert len(rows) == 14
    assert sorted(_companion_rows(companion_bytes(rows, ttl))) == sorted(rows)
    out = five.out  # type: ignore[attr-defined]
    # the build's way (a group of rows at a time) gives the same bytes, with and without the
    # blank subject that sends it the row-by-row way
    plain = Triples(t for t in _tricky() if isinstance(t[0], URIRef))
    for graph in (tricky, plain):
        data = turtle_bytes(graph)
        assert triples_companion(graph, data) == companion_bytes(triples_rows(graph), data)
    assert len(_companion_rows(triples_companion(plain, turtle_bytes(plain)))) == 14
    checked = 0
    for sub in ("graph/asserted", "graph/inferred"):
        for f in sorted((out / sub).glob("*.ttl")):
            companion = out / companion_of(f"{sub}/{f.name}")
            assert companion_matches(companion, f), companion
            expected = sorted(oxigraph_rows(ox.parse(path=str(f))))
            assert expected and sorted(_companion_rows(companion.read_bytes())) == expected, f
            checked += 1
    assert checked == 10
    edited = tmp_path / "edited.ttl"
    edited.write_bytes(ttl.replace("两行".encode(), "三行".encode()))  # the same size, other bytes
    (tmp_path / "edited.rows").write_bytes(companion_bytes(rows, ttl))
    assert not companion_matches(tmp_path / "edited.rows", edited)
    (tmp_path / "edited.ttl").write_bytes(ttl)
    assert companion_matches(tmp_path / "edited.rows", edited)
    # written when the tables held other properties (another version's folder): not read
    import sciplan_kg.rdf.rows as rows_module

    other = companion_bytes(rows, ttl).replace(rows_module.SCHEMA.encode(), b"0" * 16, 1)
    (tmp_path / "edited.rows").write_bytes(other)
    assert not companion_matches(tmp_path / "edited.rows", edited)
    # cut short (a full disk, a copy that stopped) or added to: not read
    whole = companion_bytes(rows, ttl)
    for damaged in (whole[:-1], whole[: whole.index(b"\n") + 1], whole + b'label,"x","y",\n'):
        (tmp_path / "edited.rows").write_bytes(damaged)
        assert not companion_matches(tmp_path / "edited.rows", edited)
    (tmp_path / "edited.rows").write_bytes(b"not a companion\n")
    assert not companion_matches(tmp_path / "edited.rows", edited)
    assert not companion_matches(tmp_path / "missing.rows", edited)


def test_a_noted_crc_stands_for_reading_the_file(tmp_path: Path) -> None:
    """The store's full load notes each file's CRC-32 as it reads it; the tables' check of a
    companion then takes it from there, for that very file only (same inode, size, time)."""
    import os
    import zlib

    from sciplan_kg.rdf.rows import companion_bytes, companion_matches, note_crc, triples_rows
    from sciplan_kg.rdf.serialize import turtle_bytes
    from sciplan_kg.rdf.triples import Triples

    graph = Triples(t for t in _tricky() if isinstance(t[0], URIRef))
    ttl = turtle_bytes(graph)
    (tmp_path / "g.ttl").write_bytes(ttl)
    (tmp_path / "g.rows").write_bytes(companion_bytes(triples_rows(graph), ttl))
    assert companion_matches(tmp_path / "g.rows", tmp_path / "g.ttl")
    st = os.stat(tmp_path / "g.ttl")
    note_crc(st, zlib.crc32(ttl) ^ 1)  # noted wrong on purpose: proves the note is what is read
    assert not companion_matches(tmp_path / "g.rows", tmp_path / "g.ttl")
    note_crc(st, zlib.crc32(ttl))
    assert companion_matches(tmp_path / "g.rows", tmp_path / "g.ttl")
    os.utime(tmp_path / "g.ttl", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # written since
    note_crc(st, zlib.crc32(ttl) ^ 1)  # the old identity's note no longer applies
    assert companion_matches(tmp_path / "g.rows", tmp_path / "g.ttl")
