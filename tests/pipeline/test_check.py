"""A build folder validated again from its files (``pipeline.check``, ``sciplan-kg validate
build/``): the files read by Oxigraph give the triples rdflib's parser gives, and the report is
the one the reference engine gives, the same on one process or several, with a violation put
into the files by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

import sciplan_kg.pipeline.check as check
from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.check import validate_folder
from sciplan_kg.pipeline.dataset import graph_files
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.parse import turtle_triples

_TRICKY = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:plain "引号\\"与\\\\反斜杠\\n换行" ;
    ex:tagged "科普"@zh , "science"@en-gb ;
    ex:typed 7 , 2.50 , "2021-06-25"^^xsd:date , true ;
    ex:long \"\"\"两行
文字\"\"\" ;
    ex:escaped "\\u79D1\\U00026B99" ;
    ex:node [ ex:b ex:c ] .
"""


def _rdflib(files: list[Path]) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def _graph(triples: list[tuple[Node, Node, Node]]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_every_graph_file_of_a_build_reads_as_rdflib_reads_it(five: BuildResult) -> None:
    """Term for term (the ontology's lists are blank nodes: the graphs compared by isomorphism)."""
    for files in graph_files(five.out).values():
        assert isomorphic(_graph(turtle_triples(files)), _rdflib(files)), files


def test_literals_of_every_kind_read_as_rdflib_reads_them(tmp_path: Path) -> None:
    f = tmp_path / "tricky.ttl"
    f.write_text(_TRICKY, encoding="utf-8")
    got = turtle_triples([f])
    assert isomorphic(_graph(got), _rdflib([f]))
    assert Literal("科普", lang="zh") in {o for _, _, o in got}
    assert Literal('引号"与\\反斜杠\n换行') in {o for _, _, o in got}
    # the blank node: one node, the same on both sides of its two triples
    (node,) = {o for _, _, o in got if isinstance(o, BNode)}
    assert (node, URIRef("http://example.org/b"), URIRef("http://example.org/c")) in got


def test_a_language_tag_reads_in_lower_case_equal_to_rdflibs(tmp_path: Path) -> None:
    """Oxigraph writes a tag in lower case; RDF compares tags without case, and so does rdflib."""
    f = tmp_path / "tag.ttl"
    f.write_text('<urn:a> <urn:b> "science"@en-GB .\n', encoding="utf-8")
    ((_, _, got),) = turtle_triples([f])
    ((_, _, expected),) = _rdflib([f])
    assert got == expected and got.language == "en-gb"


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.ttl"
    f.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        turtle_triples([f])
    assert caught.value.path == f and caught.value.line == 2


@pytest.fixture(scope="module")
def violated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three plans built, then one task given a lead that is not an agency, by hand."""
    root = tmp_path_factory.mktemp("check")
    plans = root / "plans"
    plans.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:3]:
        shutil.copy(f, plans / f.name)
    out = build([plans], root / "build").out
    asserted = sorted((out / "graph" / "asserted").glob("*.ttl"))[0]
    task = next(
        t.subject.value
        for t in ox.parse(path=str(asserted), format=ox.RdfFormat.TURTLE)
        if t.object == ox.NamedNode(str(SK.Task))
    )
    with asserted.open("a", encoding="utf-8") as fh:
        fh.write(f'\n<{task}> <{SK.leadAgency}> "某部门" .\n')
    return out


def test_a_violation_put_in_by_hand_is_reported_as_the_reference_engine_reports_it(
    violated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = validate_folder(violated, jobs=1)
    assert not one.conforms
    assert any(r.severity == "Violation" and "leadAgency" in r.path for r in one.results)
    monkeypatch.setattr(check, "FORK_FROM", 1)
    assert validate_folder(violated, jobs=2) == one, "the same report on two processes"
    assert validate_folder(violated, engine="pyshacl", jobs=1) == one


def test_an_unchanged_folder_gives_its_own_report(five: BuildResult, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "FORK_FROM", 1)
    report = validate_folder(five.out, jobs=2)
    assert report.to_json() == (five.out / "validation.json").read_text(encoding="utf-8").rstrip("\n")
