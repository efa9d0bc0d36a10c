"""A user's own SELECT query, translated to SQL on the DuckDB tables (``query/translate.py``),
must give Oxigraph's answer: the same columns, the same rows as a multiset, in the order the
query's ORDER BY fixes; and what the translation does not cover must go to Oxigraph unchanged.

The queries are written the way a researcher writes them (not the catalogue's forms): every
construct the translation claims, over the five plans' store. The catalogue's own texts that
the tables cover are held to the same standard, as if a user had saved a copy."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rdflib.plugins.sparql import prepareQuery

from sciplan_kg.query import catalogue
from sciplan_kg.query.backends import OxigraphBackend, with_values
from sciplan_kg.query.catalogue import CatalogueQuery
from sciplan_kg.query.run import bindings

pytest.importorskip("duckdb")

from sciplan_kg.query import translate
from sciplan_kg.query.frames import FramesBackend

PREFIXES = """PREFIX sk: <https://w3id.org/sciplan-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

# name → (query, the columns its ORDER BY fixes the order of, columns whose values are joined
# lists: GROUP_CONCAT's order is left open by SPARQL and differs between the engines)
QUERIES: dict[str, tuple[str, list[str], list[str]]] = {
    "tasks-with-leads": (
        """SELECT ?plan ?task ?no ?text ?lead WHERE {
  ?task a sk:Task ; sk:inMeasure ?m ; sk:ordinal ?no ; sk:text ?text . ?m sk:inPlan ?plan .
  OPTIONAL { ?r sk:forItem ?task ; sk:role sk:LeadRole ; sk:agency ?a .
             ?a skos:prefLabel ?lead FILTER(lang(?lead) = "zh") }
} ORDER BY ?plan ?task ?lead""",
        ["plan", "task", "lead"],
        [],
    ),
    "load-per-plan": (
        """SELECT ?plan (COUNT(DISTINCT ?task) AS ?tasks) (GROUP_CONCAT(DISTINCT ?name; separator="|") AS ?names)
       (SUM(?no) AS ?total) (AVG(?no) AS ?mean) (MIN(?name) AS ?first) (MAX(?no) AS ?last) (COUNT(*) AS ?rows)
WHERE { ?task sk:inMeasure/sk:inPlan ?plan ; sk:ordinal ?no ; sk:responsibleAgency/skos:prefLabel ?name .
        FILTER(langMatches(lang(?name), "zh")) }
GROUP BY ?plan HAVING (COUNT(?task) > 10) ORDER BY DESC(?tasks) ?plan""",
        ["tasks", "plan"],
        ["names"],
    ),
    "aggregates-of-unbound": (
        """SELECT ?plan ?task (GROUP_CONCAT(DISTINCT ?lead; separator="; ") AS ?leads) (MIN(?lead) AS ?first)
       (SUM(?rank) AS ?ranks) (MAX(?score) AS ?best) (COUNT(?lead) AS ?named) WHERE {
  ?task a sk:Task ; sk:inMeasure/sk:inPlan ?plan .
  OPTIONAL { ?r sk:forItem ?task ; sk:role sk:LeadRole ; sk:agency ?a .
             ?a skos:prefLabel ?lead FILTER(lang(?lead) = "zh") }
  OPTIONAL { ?l sk:fromTask ?task ; sk:rank ?rank ; sk:score ?score FILTER(?rank <= 2) }
} GROUP BY ?plan ?task ORDER BY ?plan ?task""",
        ["plan", "task"],
        ["leads"],
    ),
    "optional-twice": (
        """SELECT ?task ?lead ?m ?plan WHERE {
  ?task a sk:Task .
  OPTIONAL { ?r sk:forItem ?task ; sk:role sk:LeadRole ; sk:agency ?a . ?a skos:prefLabel ?lead }
  OPTIONAL { ?task sk:inMeasure ?m . FILTER(BOUND(?lead)) }
  OPTIONAL { ?m sk:inPlan ?plan }
  ?task sk:ordinal ?no . FILTER(?no <= 3)
} ORDER BY ?task ?lead ?m ?plan""",
        ["task", "lead", "m", "plan"],
        [],
    ),
    "unbound-after-an-optional-that-matched-nothing": (
        """SELECT ?task ?m ?ml WHERE {
  ?task a sk:Task ; sk:ordinal 1 .
  OPTIONAL { ?task sk:inMeasure ?m FILTER(1 = 2) }
  OPTIONAL { ?m sk:inPlan ?plan FILTER(?plan = <https://example.org/Nothing>) }
  OPTIONAL { ?m sk:ordinal ?ml FILTER(?ml = 2) }
} ORDER BY ?task ?m""",
        ["task", "m"],
        [],
    ),
    "grouped-by-nothing-bound": (
        """SELECT (COUNT(*) AS ?n) WHERE { ?y sk:rank 1 } GROUP BY ?nothing""",
        [],
        [],
    ),
    "constant-false-filters": (
        """SELECT ?t ?m WHERE {
  ?t a sk:Task ; sk:ordinal ?o . FILTER(?o <= 2)
  OPTIONAL { ?t sk:inMeasure ?m FILTER(false) }
  { ?t sk:text ?x } UNION { ?t sk:ordinal ?y FILTER("") } UNION { ?t sk:ordinal ?z FILTER((0.0)) }
} ORDER BY ?t""",
        ["t"],
        [],
    ),
    "kinds-by-union": (
        """SELECT ?x ?kind ?n ?half WHERE {
  { ?x a sk:Action . BIND("action" AS ?kind) }
  UNION { ?x a sk:Measure . FILTER NOT EXISTS { ?x a sk:Action } BIND("other" AS ?kind) }
  ?x sk:ordinal ?o .
  BIND(IF(?o > 2, ?o * 10, ?o / 2) AS ?n)
  BIND(COALESCE(?missing, ?o - 1) AS ?half)
}""",
        [],
        [],
    ),
    "agencies-but-none": (
        """SELECT DISTINCT ?plan ?a WHERE {
  ?task sk:inMeasure/sk:inPlan ?plan ; sk:responsibleAgency ?a .
  MINUS { ?a skos:prefLabel "市科协"@zh }
} ORDER BY ?plan ?a LIMIT 40 OFFSET 5""",
        ["plan", "a"],
        [],
    ),
    "values-and-strings": (
        """SELECT ?plan ?m ?label (STRLEN(?label) AS ?len) (UCASE(STR(?m)) AS ?u) (CONCAT(?label, "·", STR(?o)) AS ?c)
WHERE {
  VALUES ?o { 1 3 }
  ?m sk:ordinal ?o ; rdfs:label ?label . ?plan ^sk:inPlan ?m .
  FILTER(CONTAINS(?label, "科") || REGEX(?label, "^提升") || STRSTARTS(STR(?m), "https://w3id.org/"))
} ORDER BY ?label ?m""",
        ["label", "m"],
        [],
    ),
    "best-link-if-any": (
        """SELECT ?task ?score ?rank WHERE {
  ?task a sk:Task .
  OPTIONAL { ?l sk:fromTask ?task ; sk:score ?score ; sk:rank ?rank FILTER(?score >= 0.5 && ?rank = 1) }
  FILTER(!BOUND(?score) || ?score < 0.9)
} ORDER BY DESC(?score) ?task""",
        ["score", "task"],
        [],
    ),
    "nothing-counted": (
        """SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?s) (GROUP_CONCAT(?t) AS ?g) WHERE {
  ?x sk:ordinal ?o ; sk:text ?t . FILTER(?o > 100000) }""",
        [],
        [],
    ),
    "terms-not-values": (
        """SELECT ?x ?y ?z WHERE {
  { ?x sk:ordinal 1 } UNION { ?y sk:ordinal "1" } UNION { ?z sk:rank 1.0 }
  FILTER(isIRI(?x) || sameTerm(?y, ?y) || isLiteral(?z))
} ORDER BY ?x""",
        ["x"],
        [],
    ),
    "strings-by-term": (
        """SELECT ?m ?label ?same ?plain WHERE {
  ?m sk:ordinal 1 ; rdfs:label ?label .
  BIND(?label = STR(?label) AS ?same) BIND(?label != STR(?label) AS ?plain)
  FILTER(?label != "科普"@en && (LANG(?label) = "zh" || ?label = STR(?label)))
} ORDER BY ?m ?label""",
        ["m", "label"],
        [],
    ),
    "leads-by-type": (
        """SELECT ?plan ?type (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?project) AS ?projects) WHERE {
  ?task a sk:Task ; sk:inMeasure ?m ; sk:leadAgency ?a . ?m sk:inPlan ?plan .
  ?a a sk:Agency . OPTIONAL { ?a sk:agencyType ?type }
  OPTIONAL { ?m a sk:Project BIND(?m AS ?project) }
  FILTER EXISTS { ?task sk:supportAgency ?other FILTER(?other != ?a) }
} GROUP BY ?plan ?type ORDER BY ?plan DESC(?tasks) ?type""",
        ["plan", "tasks", "type"],
        [],
    ),
    "sources-quoted": (
        """SELECT ?file ?line (xsd:integer(?start) AS ?from) (?end - ?start AS ?width) ?quote WHERE {
  ?task sk:text ?text ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?d .
  ?d oa:hasSource/sk:fileName ?file ; sk:line ?line ; oa:hasSelector ?p, ?q .
  ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?quote .
  FILTER(?line IN (40, 41, 60) && ?end - ?start > 5)
} ORDER BY ?file ?line ?from LIMIT 30""",
        ["file", "line", "from"],
        [],
    ),
}


def _user(name: str, text: str) -> CatalogueQuery:
    return CatalogueQuery(name=name, path=Path(f"{name}.rq"), text=text)


def _normal(rows: list[dict[str, Any]], lists: list[str]) -> list[str]:
    def cell(column: str, value: Any) -> Any:
        if column in lists and isinstance(value, str):
            return sorted(value.replace("; ", "|").split("|"))
        return value

    return sorted(repr(sorted((c, cell(c, v)) for c, v in row.items())) for row in rows)


def _same_answer(
    engines: tuple[OxigraphBackend, FramesBackend],
    q: CatalogueQuery,
    ordered: list[str],
    lists: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> list[dict[str, Any]]:
    oxigraph, frames = engines
    translate.translate(prepareQuery(with_values(q.text, bindings(q, {}), q.name)).algebra)  # else why not
    expected = oxigraph.run(q, {})
    with monkeypatch.context() as m:

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError(f"{q.name}: evaluated by Oxigraph, not translated")

        m.setattr(OxigraphBackend, "_select", refuse)
        got = frames.run(q, {})
    assert got.columns == expected.columns
    assert _normal(got.rows, lists) == _normal(expected.rows, lists), f"{q.name}: rows differ"
    if ordered:
        keys = [[r[c] for c in ordered] for r in got.rows]
        assert keys == [[r[c] for c in ordered] for r in expected.rows], f"{q.name}: order differs"
    return got.rows


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_users_query_gives_oxigraphs_answer(
    name: str, engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, ordered, lists = QUERIES[name]
    rows = _same_answer(engines, _user(name, PREFIXES + text), ordered, lists, monkeypatch)
    if name not in ("nothing-counted",):
        assert rows, f"{name}: the fixture should give rows"


def test_edge_answers(engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the queries above are there to show, beyond agreeing: an empty group counts 0 and
    sums 0; a term matches a term, not a value; DISTINCT and LIMIT hold."""
    _, frames = engines
    nothing = frames.run(_user("n", PREFIXES + QUERIES["nothing-counted"][0]), {}).rows
    assert nothing == [{"n": 0, "s": 0, "g": ""}]
    terms = frames.run(_user("t", PREFIXES + QUERIES["terms-not-values"][0]), {}).rows
    assert any(r["x"] for r in terms) and not any(r["y"] or r["z"] for r in terms)
    grouped = frames.run(_user("g", PREFIXES + QUERIES["aggregates-of-unbound"][0]), {}).rows
    assert any(r["leads"] is None and r["named"] == 0 for r in grouped), "a task without a lead: unbound"
    assert any(r["leads"] and r["first"] for r in grouped)
    empty = "SELECT (COUNT(*) AS ?n) WHERE { ?x sk:ordinal ?o FILTER(?o > 100000) } GROUP BY ?nothing"
    assert frames.run(_user("e", PREFIXES + empty), {}).rows == [], "GROUP BY: no rows, no group"
    kept = frames.run(_user("k", PREFIXES + QUERIES["constant-false-filters"][0]), {}).rows
    assert kept and all(r["m"] is None for r in kept), "FILTER(false) inside OPTIONAL binds nothing"
    distinct = frames.run(_user("d", PREFIXES + QUERIES["agencies-but-none"][0]), {}).rows
    assert len(distinct) == 40 and len({(r["plan"], r["a"]) for r in distinct}) == 40


COVERED = ["co-responsibility", "instrument-mix", "instrument-mix-by-measure", "local-inventions", "similar-tasks"]
COVERED += ["sources", "tasks"]


@pytest.mark.parametrize("name", COVERED)
def test_the_catalogues_own_forms_saved_as_a_users_query(
    name: str, engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sub-queries, EXISTS in BIND, a path, COALESCE of IF, SUM of IF, GROUP_CONCAT of IF, MAX
    over a union of an integer and decimals, ROUND: the same rows in the same order (ties too)."""
    q = catalogue()[name]
    user = replace(q, name=f"my-{name}", text=q.text + "\n# my copy\n")
    rows = _same_answer(engines, user, [], [], monkeypatch)
    oxigraph = engines[0]
    assert rows == oxigraph.run(user, {}).rows


@pytest.mark.parametrize("name", ["parent-diffusion", "parent-task-match"])
def test_the_parent_listings_saved_as_a_users_query(
    name: str, parent_engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the parents corpus (the five plans have no parent among them): the match tables, a
    VALUES of IRIs and strings, and ``IF(…, ?m, ?unbound)`` — an arm bound nowhere, an error in
    every row, which leaves the BIND unbound — give the same rows in the same order."""
    q = catalogue()[name]
    user = replace(q, name=f"my-{name}", text=q.text + "\n# my copy\n")
    rows = _same_answer(parent_engines, user, [], [], monkeypatch)
    assert rows and rows == parent_engines[0].run(user, {}).rows


def test_not_covered_goes_to_oxigraph(engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    """A predicate the tables do not hold, a property path of repetition, a class by variable,
    a CONSTRUCT: Oxigraph's answer; and the catalogue's own texts are never translated."""
    oxigraph, frames = engines
    for text in (
        "SELECT ?p ?t WHERE { ?p sk:literacyTarget ?t } ORDER BY ?p ?t",
        "SELECT ?t WHERE { ?t sk:inMeasure+ ?m } ORDER BY ?t",
        "SELECT ?x ?c WHERE { ?x a ?c ; sk:ordinal 1 } ORDER BY ?x ?c",
    ):
        with pytest.raises(translate.Unsupported):
            translate.translate_text(PREFIXES + text)
        q = _user("other", PREFIXES + text)
        assert frames.run(q, {}).rows == oxigraph.run(q, {}).rows
    assert not frames.translates(catalogue()["tasks"], {})
    assert frames.translates(_user("mine", PREFIXES + QUERIES["tasks-with-leads"][0]), {})


def test_one_plan_named_goes_to_oxigraph(engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    """A parameter naming a plan (an IRI) is a lookup Oxigraph's indexes answer at once."""
    oxigraph, frames = engines
    plan = str(oxigraph.run(catalogue()["plans"], {}).rows[0]["plan"])
    q = replace(catalogue()["tasks"], name="my-tasks", text=catalogue()["tasks"].text + "\n# mine\n")
    assert not frames.translates(q, {"plan": plan})
    assert frames.run(q, {"plan": plan}).rows == oxigraph.run(q, {"plan": plan}).rows


def test_the_same_bytes_each_time(engines: tuple[OxigraphBackend, FramesBackend]) -> None:
    """Ties of ORDER BY and GROUP_CONCAT's order are fixed: two runs give the same rows."""
    _, frames = engines
    q = _user("twice", PREFIXES + QUERIES["kinds-by-union"][0])
    assert frames.run(q, {}).rows == frames.run(q, {}).rows


def test_sql_duckdb_cannot_run_goes_to_oxigraph(
    engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation DuckDB refuses (a fault of the translation, never of the user's query) is
    answered by Oxigraph, not reported as the query's failure."""
    oxigraph, frames = engines
    q = _user("mine", PREFIXES + QUERIES["tasks-with-leads"][0])
    monkeypatch.setattr(
        translate, "translate", lambda algebra: translate.Translation("SELECT nonsense(", ["x"], ["iri"])
    )
    assert frames.run(q, {}).rows == oxigraph.run(q, {}).rows


def test_rdflib_keeps_a_constant_false_filter(five_graph: object) -> None:
    """rdflib's algebra drops ``FILTER(false)`` (rdflib#3381): ``--store rdflib`` gave every row.
    Written as ``FILTER(false && false)`` it is kept; a string or comment holding the words is
    left alone."""
    from sciplan_kg.query.run import keep_constant_filters, run_local

    text = PREFIXES + "SELECT ?t WHERE { ?t a sk:Task FILTER(false) } # FILTER(false)\n"
    assert keep_constant_filters(text).count("(false && false)") == 1
    assert (
        keep_constant_filters('SELECT ?x WHERE { BIND("FILTER(0)" AS ?x) }')
        == 'SELECT ?x WHERE { BIND("FILTER(0)" AS ?x) }'
    )
    for constant in ("false", "0", '""', "0.0", "(false)"):
        q = _user("f", PREFIXES + f"SELECT ?t WHERE {{ ?t a sk:Task FILTER({constant}) }}")
        assert run_local(q, five_graph).rows == [], constant  # type: ignore[arg-type]
    assert run_local(_user("t", PREFIXES + "SELECT ?t WHERE { ?t a sk:Task FILTER(true) }"), five_graph).rows  # type: ignore[arg-type]
