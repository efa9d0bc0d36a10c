"""``rdf.parse.parse_files``: Turtle read by Oxigraph's parser, other formats by rdflib's, into
one graph equal to rdflib's own reading of the same files."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic

from sciplan_kg.errors import InputError
from sciplan_kg.rdf.parse import parse_files


def test_turtle_and_other_formats_read_into_one_graph_as_rdflib_reads_them(tmp_path: Path) -> None:
    a = tmp_path / "a.ttl"
    a.write_text('@prefix ex: <http://example.org/> .\nex:s ex:p "科普"@zh , 3 ; ex:q [ ex:r ex:t ] .\n', "utf-8")
    b = tmp_path / "b.ttl"
    b.write_text("@prefix ex: <http://example.org/> .\nex:s ex:q [ ex:r ex:t ] .\n", "utf-8")
    c = tmp_path / "c.nt"
    c.write_text('<http://example.org/s> <http://example.org/p> "n-triples" .\n', "utf-8")
    expected = Graph()
    for f, fmt in [(a, "turtle"), (b, "turtle"), (c, "nt")]:
        expected.parse(f, format=fmt)
    into = Graph()
    got = parse_files([a, c, b], into)
    assert got is into and len(got) == 7
    assert isomorphic(got, expected)
    # each file's blank node its own, as two parses by rdflib give
    assert len({o for _, _, o in got if isinstance(o, BNode)}) == 2


def test_a_syntax_error_in_any_file_names_it(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n\n<urn:a> <urn:b> .\n", "utf-8")
    with pytest.raises(InputError) as caught:
        parse_files([good, bad])
    assert caught.value.path == bad and caught.value.line == 3
