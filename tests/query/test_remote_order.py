"""A server that refuses to sort long rows (Virtuoso: SR478, SR319, a GROUP_CONCAT cell past
its row length) still answers: ``RemoteBackend`` asks again without the final ORDER BY and sorts
the rows itself, in the embedded store's order (unbound, blank nodes, IRIs, literals; numbers by
value). Order conditions the client cannot take over (a variable not returned, LIMIT) and other
errors are left to the server, whose error the user gets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from sciplan_kg.query.backends import RemoteBackend, json_order_key, order_key
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.remote import RemoteError
from tests.conftest import FakeSparql, serving

XSD = "http://www.w3.org/2001/XMLSchema#"
HEAD = "#+ summary_zh: 测试\n#+ summary_en: test\n#+ description: test\n"


def _uri(v: str) -> dict[str, str]:
    return {"type": "uri", "value": v}


def _lit(v: str, datatype: str = "", lang: str = "") -> dict[str, str]:
    b = {"type": "literal", "value": v}
    if datatype:
        b["datatype"] = datatype
    if lang:
        b["xml:lang"] = lang
    return b


# the rows the fake server answers, in no order: n is a count, name a label of any kind
ROWS = [
    {"name": _lit("乙", lang="zh"), "n": _lit("9", XSD + "integer")},
    {"name": _lit("甲", lang="zh"), "n": _lit("10", XSD + "integer")},
    {"name": _uri("https://example.org/a"), "n": _lit("9", XSD + "integer")},
    {"n": _lit("9", XSD + "integer")},  # name unbound
    {"name": _lit("a"), "n": _lit("9.5", XSD + "decimal")},
    {"name": {"type": "bnode", "value": "b0"}, "n": _lit("10", XSD + "integer")},
]


REFUSAL = b"Virtuoso 22026 Error SR478: Value of ANY type column too long"


class _Sorter(FakeSparql):
    """Refuses a query with ORDER BY as Virtuoso refuses to sort long rows (``refusal``), and
    answers any other query with ROWS in the order given; records every query."""

    queries: ClassVar[list[str]] = []
    refusal: ClassVar[bytes] = REFUSAL

    def answer(self, query: str, accept: str) -> tuple[int, bytes, str]:
        type(self).queries.append(query)
        if "ORDER BY" in query:
            return 500, self.refusal, "text/plain"
        doc = {"head": {"vars": ["name", "n"]}, "results": {"bindings": ROWS}}
        return 200, json.dumps(doc).encode(), "application/sparql-results+json"


@pytest.fixture
def sorter() -> Iterator[str]:
    _Sorter.queries = []
    with serving(_Sorter) as url:
        yield url


def _query(tmp_path: Path, tail: str) -> object:
    path = tmp_path / "q.rq"
    path.write_text(HEAD + f"SELECT ?name ?n WHERE {{ ?x <urn:p> ?name ; <urn:n> ?n }}\n{tail}\n", encoding="utf-8")
    return parse_query_file(path)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_the_client_sorts_what_the_server_could_not(sorter: str, tmp_path: Path) -> None:
    result = RemoteBackend(sorter).run(_query(tmp_path, "ORDER BY DESC(?n) ?name"), {}, 10)
    asked, again = _Sorter.queries[0], _Sorter.queries[-1]
    assert "ORDER BY DESC(?n) ?name" in asked and "ORDER BY" not in again
    assert _squash(again) == _squash(asked.replace("ORDER BY DESC(?n) ?name", ""))  # nothing else changed
    # n descending by value (10 before 9.5 before 9, not by text); then name: unbound, blank
    # node, IRI, literals by their text
    assert [(r["n"], r["name"]) for r in result.rows] == [
        (10, "b0"),
        (10, "甲"),
        (9.5, "a"),
        (9, None),
        (9, "https://example.org/a"),
        (9, "乙"),
    ]


def test_order_by_what_is_not_returned_is_left_to_the_server(sorter: str, tmp_path: Path) -> None:
    with pytest.raises(RemoteError, match="SR478"):
        RemoteBackend(sorter).run(_query(tmp_path, "ORDER BY ?x"), {}, 10)
    assert _Sorter.queries[-1].rstrip().endswith("ORDER BY ?x")


def test_order_by_with_a_limit_is_left_to_the_server(sorter: str, tmp_path: Path) -> None:
    with pytest.raises(RemoteError, match="SR478"):
        RemoteBackend(sorter).run(_query(tmp_path, "ORDER BY ?n LIMIT 2"), {}, 10)
    assert "LIMIT 2" in _Sorter.queries[-1]


def test_an_unordered_query_keeps_the_servers_order(sorter: str, tmp_path: Path) -> None:
    result = RemoteBackend(sorter).run(_query(tmp_path, ""), {}, 10)
    assert [r["n"] for r in result.rows] == [9, 10, 9, 9, 9.5, 10]
    assert len(_Sorter.queries) == 1


def test_other_errors_are_not_asked_again(sorter: str, tmp_path: Path) -> None:
    """Another error of the server (HTTP 500) is reported as it is: not asked again without
    the ORDER BY, and not retried (the same query fails again)."""
    _Sorter.refusal = b"Virtuoso 37000 Error SP030: SPARQL compiler: syntax error"
    try:
        with pytest.raises(RemoteError, match="SP030"):
            RemoteBackend(sorter).run(_query(tmp_path, "ORDER BY ?n"), {}, 10)
    finally:
        _Sorter.refusal = REFUSAL
    assert len(_Sorter.queries) == 1


def test_the_refused_sort_is_asked_once_then_unordered_once(sorter: str, tmp_path: Path) -> None:
    RemoteBackend(sorter).run(_query(tmp_path, "ORDER BY ?n"), {}, 10)
    assert ["ORDER BY" in q for q in _Sorter.queries] == [True, False]


TERMS = [
    None,
    ox.BlankNode("b1"),
    ox.NamedNode("https://example.org/z"),
    ox.NamedNode("https://example.org/甲"),
    ox.Literal("9", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("10", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("9.50", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("1e1", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("NaN", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("x", datatype=ox.NamedNode(XSD + "integer")),  # ill-formed: by its text
    ox.Literal("甲"),
    ox.Literal("甲", language="zh"),
    ox.Literal("2025-12-31", datatype=ox.NamedNode(XSD + "date")),
]


def _as_json(term: object) -> tuple[str, str, str, str] | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value, "", "")
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value, "", "")
    assert isinstance(term, ox.Literal)
    if term.language:
        return ("literal", term.value, "", term.language)
    plain = term.datatype.value == XSD + "string"
    return ("literal", term.value, "" if plain else term.datatype.value, "")


@pytest.mark.parametrize("term", TERMS, ids=str)
def test_a_json_term_sorts_where_the_embedded_term_sorts(term: object) -> None:
    assert json_order_key(_as_json(term)) == order_key(term)


def test_the_sort_keys_order_terms_as_sparql_does() -> None:
    ranked = sorted(TERMS[:8], key=order_key)
    assert ranked[:4] == TERMS[:4]
    assert [t.value for t in ranked[4:]] == ["9", "9.50", "10", "1e1"]  # type: ignore[union-attr]
