"""The embedded Oxigraph store answers without rdflib's parse when no SERVICE can be in the
query (``backends.embedded_form``), and still refuses an Update, names a syntax error's line and
column, and refuses SERVICE as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from sciplan_kg.errors import QueryError
from sciplan_kg.query.backends import OxigraphBackend, embedded_form
from sciplan_kg.query.catalogue import catalogue, parse_query_file

SK = "https://w3id.org/sciplan-kg/ontology#"


@pytest.fixture(scope="module")
def store() -> OxigraphBackend:
    import pyoxigraph as ox

    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode("urn:p"), ox.NamedNode(SK + "inPlan"), ox.NamedNode("urn:plan"), ox.DefaultGraph()))
    return OxigraphBackend(s)


def _query(tmp_path: Path, text: str, name: str = "mine.rq"):
    rq = tmp_path / name
    rq.write_text(text, encoding="utf-8")
    return parse_query_file(rq)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("# SERVICE in a comment\nASK { ?s ?p ?o }", "ASK"),
        ('CONSTRUCT { ?s ?p "SERVICE" } WHERE { ?s ?p ?o }', "CONSTRUCT"),
        ("DESCRIBE <urn:service>", "DESCRIBE"),
    ],
)
def test_form_without_rdflib(tmp_path: Path, text: str, form: str) -> None:
    assert embedded_form(_query(tmp_path, text)) == form


def test_every_catalogue_query_needs_no_rdflib_parse() -> None:
    """No catalogue query holds a SERVICE token: all take the fast path, with the form rdflib gives."""
    from sciplan_kg.query.run import local_prepare, query_form

    for q in catalogue().values():
        assert embedded_form(q) == query_form(local_prepare(q)), q.name


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/q> { ?s ?p ?o } }",
        "SELECT * WHERE { service silent <http://127.0.0.1:9/q> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(tmp_path: Path, store: OxigraphBackend, text: str) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        store.run(_query(tmp_path, text), {})


def test_update_is_refused(tmp_path: Path, store: OxigraphBackend) -> None:
    with pytest.raises(QueryError, match="Update is refused"):
        store.run(_query(tmp_path, "DELETE WHERE { ?s ?p ?o }\n"), {})
    assert len(store.store) == 1


@pytest.mark.parametrize("text", ["", "\n  \n", "# only a comment\n"])
def test_an_empty_query_is_called_empty_not_an_update(tmp_path: Path, store: OxigraphBackend, text: str) -> None:
    with pytest.raises(QueryError, match="the query is empty"):
        store.run(_query(tmp_path, text), {})


def test_syntax_error_names_the_position(tmp_path: Path, store: OxigraphBackend) -> None:
    with pytest.raises(QueryError, match=r"line \d+, column \d+"):
        store.run(_query(tmp_path, "SELECT ?s WHERE {\n  ?s ?p \n}\n"), {})


def test_syntax_error_with_a_deadline(tmp_path: Path, store: OxigraphBackend) -> None:
    with pytest.raises(QueryError, match=r"line \d+, column \d+"):
        store.run(_query(tmp_path, "SELECT ?s WHERE {\n  ?s ?p \n}\n"), {}, timeout=30)


def test_answers_as_before(tmp_path: Path, store: OxigraphBackend) -> None:
    q = _query(tmp_path, f"#+ param: plan | iri | (all) | a plan\nSELECT ?s WHERE {{ ?s <{SK}inPlan> ?plan }}\n")
    assert store.run(q, {"plan": "urn:plan"}).rows == [{"s": "urn:p"}]
    assert store.run(_query(tmp_path, "ASK { ?s ?p ?o }", "ask.rq"), {}).boolean is True


def test_oxigraphs_refusal_is_one_line_with_its_reason_first(tmp_path: Path, store: OxigraphBackend) -> None:
    """A query rdflib reads and Oxigraph refuses: Oxigraph's message spans lines listing the
    characters it expected, its reason among them; one line now, the reason first."""
    text = "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?p\n"
    with pytest.raises(QueryError) as caught:
        store.run(_query(tmp_path, text), {})
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400, message
    assert "unbound" in message.split("(error at")[0], message


def test_an_unknown_prefix_is_named_with_its_position(tmp_path: Path, store: OxigraphBackend) -> None:
    """rdflib says "Unknown namespace prefix : foo" with no position: its first use is found,
    passing over IRIs, strings and comments that hold the same letters."""
    text = 'SELECT ?x WHERE {\n  ?x <http://e/foo:x> "foo:" . # foo:\n  ?x a foo:Bar\n}\n'
    with pytest.raises(QueryError, match=r"line 3, column 8\): Unknown namespace prefix : foo"):
        store.run(_query(tmp_path, text), {})
