"""Virtuoso's CSV results read back as the values its SPARQL JSON results give
(``query/csvresults.py``), and ``RemoteBackend`` asking Virtuoso for CSV only when the query
has no string constant its CSV would spoil. The cells of VIRTUOSO_CSV are as Virtuoso 7.2.5
wrote them (2026-12-06, two queries binding each kind of term, their rows joined into one);
``make virtuoso-test`` holds the rows of every catalogue query equal to the embedded store's on
a real server."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from sciplan_kg.query import catalogue
from sciplan_kg.query.backends import RemoteBackend
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.csvresults import csv_safe, read
from sciplan_kg.query.remote import RemoteError
from sciplan_kg.query.run import python_value
from tests.conftest import FakeSparql, serving

# what Virtuoso 7.2.5 answered, as text/csv, for every kind of term (two answers' rows in one)
VIRTUOSO_CSV = (
    '"iri","s","e","n","d","dbl","b","date","dt","lang","u","numstr","q","big","nan","small","y"\n'
    '"http://ex.org/a","str","",5,2.5,1.5,1,2025-12-31,2025-12-31T10:00:00Z,"甲",,"123","a ""q"", b\n'
    'line2",1e+20,NaN,-0.000001,"2025"\n'
)
# the terms that row holds, as SPARQL JSON results give them (Virtuoso: true is the integer 1)
TERMS = {
    "iri": URIRef("http://ex.org/a"),
    "s": Literal("str"),
    "e": Literal(""),
    "n": Literal("5", datatype=XSD.integer),
    "d": Literal("2.50", datatype=XSD.decimal),
    "dbl": Literal("1.5e0", datatype=XSD.double),
    "b": Literal("1", datatype=XSD.integer),
    "date": Literal("2025-12-31", datatype=XSD.date),
    "dt": Literal("2025-12-31T10:00:00Z", datatype=XSD.dateTime),
    "lang": Literal("甲", lang="zh"),
    "u": None,
    "numstr": Literal("123"),
    "q": Literal('a "q", b\nline2'),
    "big": Literal("1e+20", datatype=XSD.double),
    "nan": Literal("NaN", datatype=XSD.double),
    "small": Literal("-0.000001", datatype=XSD.decimal),
    "y": Literal("2025", datatype=XSD.gYear),
}


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def test_every_kind_of_cell_reads_as_the_json_value() -> None:
    names, rows = read(VIRTUOSO_CSV)
    assert names == list(TERMS)
    assert len(rows) == 1
    for name, cell in zip(names, rows[0], strict=True):
        assert _same(cell, python_value(TERMS[name])), name


def test_line_ends_and_many_rows() -> None:
    names, rows = read('"a","b"\r\n1,"x"\r\n,"y\r\nz"\r\n2,""')
    assert names == ["a", "b"]
    assert rows == [[1, "x"], [None, "y\r\nz"], [2, ""]]


def test_a_last_line_without_its_line_end() -> None:
    assert read('"a","b"\n1,"x"') == (["a", "b"], [[1, "x"]])
    assert read('"a","b"\n1,') == (["a", "b"], [[1, None]])  # the last cell unbound


def test_no_rows() -> None:
    assert read('"a","b"\n') == (["a", "b"], [])


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("", "line 1"),
        ("a,b\n1,2\n", "line 1"),  # the head unquoted: not Virtuoso's CSV
        ('"a","b"\n1\n', "line 2"),  # a short row
        ('"a","b"\n1,2\n"x""y",3,4\n', "line 3"),
        ('"a"\n"x"y\n', "line 2"),  # a quote in the middle of a cell
    ],
)
def test_what_is_not_csv_is_a_value_error_naming_the_line(body: str, where: str) -> None:
    with pytest.raises(ValueError, match=where):
        read(body)


def test_only_queries_with_string_constants_beyond_ascii_are_unsafe() -> None:
    unsafe = {n for n, q in catalogue().items() if not csv_safe(q.text)}
    # their Chinese constants (a problem's name, the national outline's number) would be "?"
    assert unsafe == {"data-quality", "directive-chain", "issue-lag", "literacy-ambition"}
    assert csv_safe('SELECT ?x WHERE { ?x <urn:p> "ascii" } # 中文 in a comment')
    assert csv_safe("SELECT ?x WHERE { ?x <urn:p> <https://w3id.org/sciplan-kg/id/plan/巫山> }")
    assert not csv_safe('SELECT ("\\u4efb" AS ?x) {}')
    assert not csv_safe("SELECT ('任务' AS ?x) {}")
    assert not csv_safe('SELECT ("""任务""" AS ?x) {}')


# --- RemoteBackend: which format it asks for ----------------------------------------------

VIRTUOSO = "Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu"
HEAD = "#+ summary_zh: 测试\n#+ summary_en: test\n#+ description: test\n"
JSON_ROWS = {
    "head": {"vars": ["name", "n"]},
    "results": {
        "bindings": [
            {
                "name": {"type": "literal", "value": "乙", "xml:lang": "zh"},
                "n": {"type": "typed-literal", "datatype": str(XSD.integer), "value": "9"},
            },
            {"name": {"type": "uri", "value": "https://example.org/a"}},
        ]
    },
}
CSV_ROWS = '"name","n"\n"乙",9\n"https://example.org/a",\n'


class _Server(FakeSparql):
    """Answers like Virtuoso (or, with ``software`` changed, like another server): CSV when
    asked for it, SPARQL JSON otherwise; records what each query asked for."""

    software: ClassVar[str] = VIRTUOSO
    asked: ClassVar[list[str]] = []

    def answer(self, query: str, accept: str) -> tuple[int, bytes, str]:
        type(self).asked.append(accept)
        if accept == "text/csv":
            return 200, CSV_ROWS.encode(), "text/csv; charset=UTF-8"
        return 200, json.dumps(JSON_ROWS).encode(), "application/sparql-results+json"


@pytest.fixture
def server() -> Iterator[str]:
    _Server.asked = []
    _Server.software = VIRTUOSO
    with serving(_Server) as url:
        yield url


def _query(tmp_path: Path, body: str) -> object:
    path = tmp_path / "q.rq"
    path.write_text(HEAD + body, encoding="utf-8")
    return parse_query_file(path)


def test_virtuoso_is_asked_for_csv_and_gives_the_json_rows(server: str, tmp_path: Path) -> None:
    q = _query(tmp_path, 'SELECT ?name ?n WHERE { ?x <urn:p> ?name ; <urn:q> "ascii" OPTIONAL { ?x <urn:n> ?n } }')
    rows = RemoteBackend(server).run(q, {}, 10).rows
    assert _Server.asked == ["text/csv"]
    assert rows == [{"name": "乙", "n": 9}, {"name": "https://example.org/a", "n": None}]


def test_a_query_with_a_chinese_constant_is_asked_for_json(server: str, tmp_path: Path) -> None:
    q = _query(tmp_path, 'SELECT ?name ?n WHERE { ?x <urn:p> ?name ; <urn:q> "任务" OPTIONAL { ?x <urn:n> ?n } }')
    rows = RemoteBackend(server).run(q, {}, 10).rows
    assert _Server.asked == ["application/sparql-results+json"]
    assert rows == [{"name": "乙", "n": 9}, {"name": "https://example.org/a", "n": None}]


def test_another_server_is_asked_for_json(server: str, tmp_path: Path) -> None:
    _Server.software = "Oxigraph/0.5.2"
    q = _query(tmp_path, "SELECT ?name ?n WHERE { ?x <urn:p> ?name OPTIONAL { ?x <urn:n> ?n } }")
    RemoteBackend(server).run(q, {}, 10)
    assert _Server.asked == ["application/sparql-results+json"]


def test_csv_that_cannot_be_read_is_a_remote_error(server: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(f"{__name__}.CSV_ROWS", '"name","n"\n"乙",9,9\n')
    q = _query(tmp_path, "SELECT ?name ?n WHERE { ?x <urn:p> ?name OPTIONAL { ?x <urn:n> ?n } }")
    with pytest.raises(RemoteError, match="CSV cannot be read: line 2"):
        RemoteBackend(server).run(q, {}, 10)
