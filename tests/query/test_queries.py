"""Every catalogue query runs on the five plans; its rows are checked against golden sorted rows
(reviewed by hand) and against the extraction records they must agree with."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef, Variable

from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.query import catalogue, find_query, run_query
from sciplan_kg.query import kept as views
from sciplan_kg.query.backends import OxigraphBackend, RdflibBackend, oxigraph_value, split_order, with_values
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.run import bindings, run_local
from sciplan_kg.rdf.parse import union
from sciplan_kg.resolve.registry import load_registry
from tests.conftest import GOLDEN, golden_json, path_of, record_of

QUERIES = sorted(catalogue())
# queries about parent plans in the corpus: the five plans hold none (no rows); they are run on a
# corpus with parents, with the same checks, in tests/corpus/test_parents.py
NEEDS_PARENTS = {"parent-diffusion", "parent-task-match"}


def _sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("name", QUERIES)
def test_query_rows_match_golden(name: str, five_graph: Graph) -> None:
    if name in NEEDS_PARENTS:
        pytest.skip("no parent plan among the five: tests/corpus/test_parents.py")
    result = run_query(name, five_graph)
    q = find_query(name)
    assert result.columns == q.columns, "the header's columns are the query's columns"
    actual = _sorted_rows(result.rows)
    assert actual, f"{name} returned no rows"
    assert golden_json(GOLDEN / "queries" / f"{name}.json", actual) == actual


# rdflib joins these sub-queries by nested loops: 15–45 s each on the five plans (103 s of CI's
# CPU), 2–7 s on two of them, which read the queries the same way (rows of every column)
SLOW_ON_RDFLIB = {"co-responsibility", "tasks", "target-attainment"}


@pytest.fixture(scope="module")
def two_graph(tmp_path_factory: pytest.TempPathFactory, seed_plans: list[Path]) -> Graph:
    """Two of the five plans (the third and fourth: the fewest tasks), built as a corpus of their own."""
    folder = tmp_path_factory.mktemp("two") / "plans"
    folder.mkdir()
    for plan in seed_plans[2:4]:
        (folder / plan.name).write_bytes(plan.read_bytes())
    return union(load_graphs(build([folder], folder.parent / "build", jobs=1).out))


@pytest.mark.parametrize("name", QUERIES)
def test_rdflib_store_gives_the_same_rows(name: str, request: pytest.FixtureRequest) -> None:
    """The queries are shaped for Oxigraph (hash joins of sub-queries, parameters bound outside
    them): rdflib, the other embedded store, must still read them the same way."""
    graph: Graph = request.getfixturevalue("two_graph" if name in SLOW_ON_RDFLIB else "five_graph")
    oxigraph = run_query(name, graph, store="oxigraph")
    rdflib = run_query(name, graph, store="rdflib")
    assert oxigraph.rows or name in NEEDS_PARENTS, "rows to compare"
    assert rdflib.columns == oxigraph.columns
    assert _sorted_rows(rdflib.rows) == _sorted_rows(oxigraph.rows)


# an IRI parameter without a default that names a column selects that column's rows
# (query/views.py serves such a query from the kept answer of the whole corpus)
SELECTING = [
    (n, p.name) for n in QUERIES for p in find_query(n).params if p.name in views.selecting_names(find_query(n))
]


def test_the_catalogue_has_selecting_parameters() -> None:
    assert {p for _, p in SELECTING} == {"plan", "task"}


@pytest.mark.parametrize(("name", "param"), SELECTING)
@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_selecting_parameter_gives_those_rows(name: str, param: str, store: str, five_graph: Graph) -> None:
    """A parameter bound outside the sub-queries still restricts the rows: exactly the rows of
    the whole corpus that hold its value (the plan's rows, the task's rows). The whole corpus
    is Oxigraph's answer on both stores: rdflib's equals it (test_rdflib_store_gives_the_same_rows)
    and takes up to 40 s a query on the five plans."""
    if name in NEEDS_PARENTS:
        pytest.skip("no parent plan among the five: tests/corpus/test_parents.py")
    everything = run_query(name, five_graph, store="oxigraph").rows
    values = sorted({str(r[param]) for r in everything})
    assert len(values) > 1
    value = values[1]
    rows = run_query(name, five_graph, {param: value}, store=store).rows
    assert rows
    assert _sorted_rows(rows) == _sorted_rows([r for r in everything if r[param] == value])


def test_parameters_are_bound_in_the_sub_queries_that_project_them() -> None:
    """-p plan binds ?plan in the outer WHERE and in every sub-query projecting ?plan as itself;
    not in one that makes ?plan by an alias, nor in strings, IRIs or comments."""
    text = (
        'SELECT ?a WHERE { ?a <x:p#> "SELECT ?plan WHERE {" . # SELECT ?plan {\n'
        "{ SELECT ?plan (COUNT(?x) AS ?n) WHERE { ?x <x:q> ?plan } GROUP BY ?plan }\n"
        "{ SELECT (?y AS ?plan) { ?y <x:r> ?z } } FILTER(?a < ?plan) }"
    )
    bound = with_values(text, {Variable("plan"): URIRef("x:P")})
    block = "VALUES (?plan) { (<x:P>) }"
    assert bound.count(block) == 2
    assert bound.index(block) < bound.index('"SELECT ?plan WHERE {"')
    assert "GROUP BY ?plan } { SELECT (?y AS ?plan) { ?y" in bound.replace("\n", " ").replace("  ", " ")
    inner = bound.index("SELECT ?plan (COUNT")
    assert bound.index(block, inner) < bound.index("?x <x:q>")


@pytest.mark.parametrize("name", QUERIES)
def test_query_header_is_complete(name: str) -> None:
    q = find_query(name)
    assert q.summary_zh and q.summary_en and q.description and q.columns
    for p in q.params:
        assert p.description


def test_plans_agree_with_records(five: BuildResult, five_graph: Graph) -> None:
    rows = {r["source"]: r for r in run_query("plans", five_graph).rows}
    assert set(rows) == {p.file for p in five.plans}
    for p in five.plans:
        rec, row = record_of(p), rows[p.file]
        assert row["docNumber"] == rec.doc_number
        assert row["issued"] == rec.issued
        assert row["literacyTarget"] == rec.literacy_target.value  # type: ignore[union-attr]
        reg = load_registry()
        literacy = [
            d
            for d in rec.directives
            if (d.directive and reg.directives[d.directive].is_literacy_plan)
            or (not d.directive and "科学素质" in (d.title or ""))
        ]
        assert len(row["parents"].split("; ")) == len(literacy)


def test_tasks_agree_with_records(five: BuildResult, five_graph: Graph) -> None:
    rows = run_query("tasks", five_graph).rows
    assert len(rows) == sum(len(record_of(p).tasks()) for p in five.plans)
    # every task has a lead, stated or inherited, but the 13 巫山 states only in its body (no table row)
    leadless = [r for r in rows if not r["leadAgencies"]]
    assert len(leadless) == 13 and all("wushan" in str(r["task"]) for r in leadless)
    stated = Counter(r["leadStated"] for r in rows)
    expected_stated = sum(
        1 for p in five.plans for _, t in record_of(p).tasks() if any(a.role == "lead" for a in t.assignments)
    )
    assert stated[True] == expected_stated
    for r in rows:
        assert r["measureKind"] in ("action", "project") and 1 <= r["measureNo"] <= 5


def test_parameter_restricts_rows(five_graph: Graph) -> None:
    plan = run_query("plans", five_graph).rows[0]["plan"]
    rows = run_query("tasks", five_graph, {"plan": plan}).rows
    assert rows and {r["plan"] for r in rows} == {plan}


def test_parameter_values_stay_data(five_graph: Graph) -> None:
    """A value carrying quotes and SPARQL syntax is bound as a term, never pasted into the query."""
    evil = 'https://example.org/x"> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    with pytest.raises(QueryError):
        run_query("tasks", five_graph, {"plan": evil})
    # a plan the store does not hold is an error naming the parameter (query/names.py); bound
    # below that check, an IRI is a term that matches nothing
    with pytest.raises(QueryError, match="no plan"):
        run_query("tasks", five_graph, {"plan": "https://example.org/plan/none"})
    rows = RdflibBackend(five_graph).run(find_query("tasks"), {"plan": "https://example.org/plan/none"}).rows
    assert rows == []


def test_unknown_parameter_is_an_error(five_graph: Graph) -> None:
    with pytest.raises(QueryError, match="unknown parameter"):
        run_query("plans", five_graph, {"nope": "1"})


def test_update_is_refused(tmp_path, five_graph: Graph) -> None:
    rq = tmp_path / "drop.rq"
    rq.write_text("DELETE WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="Update is refused"):
        run_local(parse_query_file(rq), five_graph)
    assert len(five_graph) > 0


def test_syntax_error_names_the_position(tmp_path, five_graph: Graph) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?s WHERE {\n  ?s ?p \n}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"line \d+, column \d+"):
        run_local(parse_query_file(rq), five_graph)


def test_sources_quote_the_files(five: BuildResult, five_graph: Graph) -> None:
    texts = {p.file: path_of(p).read_text(encoding="utf-8") for p in five.plans}
    rows = run_query("sources", five_graph).rows
    assert len(rows) == sum(len(record_of(p).tasks()) for p in five.plans)
    for r in rows:
        assert texts[r["source"]][r["start"] : r["end"]] == r["quote"]


def test_targets_include_every_literacy_target(five: BuildResult, five_graph: Graph) -> None:
    rows = run_query("targets", five_graph).rows
    literacy = {r["plan"]: r for r in rows if r["kind"] == "literacy"}
    assert len(literacy) == len(five.plans)
    assert all(r["unit"] == "%" and r["comparator"] in (">", "≥", "=") for r in literacy.values())
    task_rows = [r for r in rows if r["kind"] == "task"]
    assert len(task_rows) == sum(len(t.targets) for p in five.plans for _, t in record_of(p).tasks())
    assert all(r["task"] for r in task_rows)


def test_data_quality_query_mirrors_the_shacl_report(five: BuildResult, five_graph: Graph) -> None:
    rows = run_query("data-quality", five_graph).rows
    report = five.report
    assert report is not None
    shacl = {(r.focus, r.severity) for r in report.results if r.severity in ("Violation", "Warning")}
    assert {(r["focus"], r["severity"]) for r in rows} == shacl


def test_kexie_share_agrees_with_lead_load_by_type(five_graph: Graph) -> None:
    shares = {r["plan"]: r["tasksLed"] for r in run_query("kexie-share", five_graph).rows}
    by_type = {
        r["plan"]: r["tasksLed"]
        for r in run_query("lead-load-by-type", five_graph).rows
        if r["agencyType"] == "科学技术协会"
    }
    assert {p: n for p, n in shares.items() if n} == by_type


def test_co_responsibility_edges_are_undirected_and_weighted(five_graph: Graph) -> None:
    rows = run_query("co-responsibility", five_graph).rows
    assert rows and all(r["source"] < r["target"] and r["weight"] >= 1 for r in rows)
    heavy = run_query("co-responsibility", five_graph, {"minTasks": "10"}).rows
    assert heavy and all(r["weight"] >= 10 for r in heavy) and len(heavy) < len(rows)


def test_measure_mapping_covers_every_national_measure(five: BuildResult, five_graph: Graph) -> None:
    rows = run_query("measure-mapping", five_graph).rows
    national = [r for r in rows if r["mapping"] != "local-addition"]
    plans = {r["plan"] for r in rows}
    assert len(plans) == len(five.plans)
    for plan in plans:
        assert len([r for r in national if r["plan"] == plan]) == 10, "one row per national measure"
    assert {r["mapping"] for r in rows} <= {"same", "renamed", "replaced-by-parent", "local-addition", "dropped"}


@pytest.fixture(scope="module")
def five_oxigraph(five_graph: Graph) -> OxigraphBackend:
    return OxigraphBackend.from_graphs({URIRef("urn:sciplan-kg:data"): five_graph})


@pytest.mark.parametrize("name", QUERIES)
def test_order_done_in_python_is_oxigraphs_order(name: str, five_oxigraph: OxigraphBackend) -> None:
    """The embedded store sorts the rows in Python (Oxigraph's sort decodes both terms at every
    comparison): the ORDER BY columns come out exactly as Oxigraph orders them."""
    if name in NEEDS_PARENTS:
        pytest.skip("no parent plan among the five: tests/corpus/test_parents.py")
    q = find_query(name)
    text = with_values(q.text, bindings(q, {}))
    unordered, keys = split_order(text)
    assert keys, "the query ends with an ORDER BY over variables"
    assert "ORDER BY" not in unordered.upper().split("}")[-1]
    solutions = five_oxigraph.store.query(text)  # Oxigraph's own ORDER BY
    columns = [v.value for v in solutions.variables]
    assert all(var in columns for var, _ in keys), "ordered by returned columns only"
    engine = [tuple(oxigraph_value(sol[var]) for var, _ in keys) for sol in solutions]
    _, rows = five_oxigraph._rows(name, text)
    assert len(engine) > 0
    assert [tuple(row[var] for var, _ in keys) for row in rows] == engine


def test_split_order_leaves_what_it_cannot_sort_to_the_engine() -> None:
    base = "SELECT ?a ?b WHERE { { SELECT ?a WHERE { ?a ?p ?o } ORDER BY ?a LIMIT 3 } ?a ?q ?b }"
    assert split_order(base) == (base, [])  # only a sub-query is ordered
    assert split_order(base + " ORDER BY ?a LIMIT 10")[1] == []
    assert split_order(base + " ORDER BY STR(?a)")[1] == []
    text, keys = split_order(base + ' ORDER BY DESC(?b) ?a  # "ORDER BY ?x" in a comment\n')
    assert keys == [("b", True), ("a", False)]
    assert text.startswith(base) and "ORDER" not in text[len(base) :].split("#")[0]
