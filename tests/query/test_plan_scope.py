"""Queries of scope ``plan`` (``#+ scope: plan``) asked for one plan are evaluated on a store of
that plan's graph and the corpus-wide graphs (``backends.plan_scope``): their rows must be
exactly the rows the whole store gives for that plan, for every plan, and a user's own query
written the natural way may ask for the same."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import URIRef

from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import backend, catalogue, run_query
from sciplan_kg.query.backends import OxigraphBackend, plan_scope
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.kept import sync_store as sync
from sciplan_kg.query.names import resolve_params
from sciplan_kg.store.sync import store_path

CATALOGUE = catalogue()
SCOPED = sorted(name for name, q in CATALOGUE.items() if q.scope == "plan")
# rows for one plan that depend on plans beyond the plan's scope (the plan, its parents in the
# corpus: plan_scope): directive-chain follows parents' parents. local-inventions reads only the
# links from the plan's own tasks (its similarity file), the parent queries its own matches and
# its parents' graphs, which the scope holds
CROSS_PLAN = {"directive-chain"}


@pytest.fixture(scope="module")
def five_store(five: BuildResult) -> Path:
    sync(five.out)
    return five.out


@pytest.fixture(scope="module")
def plans(five_store: Path) -> list[str]:
    return [str(r["plan"]) for r in run_query("plans", five_store, views=False).rows]


def test_every_plan_query_but_the_cross_plan_ones_is_scoped() -> None:
    with_plan = {name for name, q in CATALOGUE.items() if any(p.name == "plan" for p in q.params)}
    assert set(SCOPED) == with_plan - CROSS_PLAN
    assert not CROSS_PLAN & set(SCOPED)


@pytest.mark.parametrize("name", SCOPED)
def test_scoped_rows_equal_the_whole_stores_for_every_plan(name: str, five_store: Path, plans: list[str]) -> None:
    """Row order included: the same rows as the whole store evaluated with the plan bound, and
    as the selection of that plan's rows from the whole answer."""
    scoped = backend(five_store, views=False)
    assert isinstance(scoped, OxigraphBackend) and scoped.scope is not None
    whole = OxigraphBackend(scoped.store)  # no scope: the whole store
    everything = whole.run(CATALOGUE[name], {}).rows
    for plan in plans:
        expected = whole.run(CATALOGUE[name], {"plan": plan})
        got = scoped.run(CATALOGUE[name], {"plan": plan})
        assert plan in scoped._scoped, "evaluated on the plan's own store"
        assert got.columns == expected.columns
        assert got.rows == expected.rows, plan
        assert got.rows == [r for r in everything if r["plan"] == plan]


def test_the_scope_is_the_plans_graph_and_the_shared_ones(five_store: Path, plans: list[str]) -> None:
    files = plan_scope(store_path(five_store), plans[0])
    assert files and all(f.is_file() for f in files)
    # the plan's own similarity links, not the other plans'
    links = [f for f in files if "sk:fromTask <" in f.read_text(encoding="utf-8")]
    assert len(links) == 1
    assert all(
        line.startswith(f"<{plans[0]}/")
        for line in links[0].read_text(encoding="utf-8").splitlines()
        if line.startswith("<")
    )
    assert plan_scope(store_path(five_store), "https://w3id.org/sciplan-kg/id/plan/无此方案") is None
    assert plan_scope(store_path(five_store), "https://example.org/x") is None
    # a plan the store does not hold: evaluated on the whole store, no rows
    scoped = backend(five_store, views=False)
    assert scoped.run(CATALOGUE["tasks"], {"plan": "https://w3id.org/sciplan-kg/id/plan/无此方案"}).rows == []


NATURAL = """#+ summary_zh: 任务
#+ summary_en: tasks, written the natural way
#+ param: plan | iri | (all plans) | only this plan
#+ columns: plan, task, text, leads
#+ multivalued: leads
#+ scope: plan
PREFIX sk:   <https://w3id.org/sciplan-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?plan ?task ?text (GROUP_CONCAT(DISTINCT ?name; separator="; ") AS ?leads) WHERE {
  ?task a sk:Task ; sk:inMeasure ?m ; sk:text ?text . ?m sk:inPlan ?plan .
  OPTIONAL { ?task sk:inheritedLeadAgency ?a . ?a skos:prefLabel ?name . FILTER(lang(?name) = "zh") }
}
GROUP BY ?plan ?task ?text
ORDER BY ?plan ?task
"""


def test_while_a_sync_is_under_way_the_whole_store_answers(tmp_path: Path) -> None:
    """A sync takes the graphs it changes out of ``state.json`` first (the similarity graph
    changes with nearly every build): a scope made then would miss them and give other rows.
    It is not made: the whole store answers. A manifest not as the build writes it is no scope
    either (no traceback)."""
    from sciplan_kg.paths import PLANS_DIR
    from sciplan_kg.pipeline.build import build
    from sciplan_kg.pipeline.dataset import SIMILARITY_GRAPH
    from sciplan_kg.pipeline.folder import MANIFEST
    from sciplan_kg.store.sync import STATE, read_state

    folder = tmp_path / "plans"
    folder.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:2]:
        shutil.copy(f, folder / f.name)
    out = tmp_path / "build"
    build([folder], out)
    sync(out)
    plan = str(run_query("plans", out, views=False).rows[0]["plan"])
    store_dir = store_path(out)
    store = backend(out, views=False).store  # type: ignore[attr-defined]
    assert plan_scope(store_dir, plan) is not None
    whole = read_state(store_dir)
    state = dict(whole)
    del state[str(SIMILARITY_GRAPH)]  # what a sync saves first, before it touches the store
    (store_dir / STATE).write_text(json.dumps(state), encoding="utf-8")
    assert plan_scope(store_dir, plan) is None
    q = CATALOGUE["local-inventions"]
    assert OxigraphBackend(store, scope=store_dir).run(q, {"plan": plan}).rows == (
        OxigraphBackend(store).run(q, {"plan": plan}).rows
    )
    (store_dir / STATE).write_text(json.dumps(whole), encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["plans"]:
        del entry["file"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert plan_scope(store_dir, plan) is None


def test_a_users_query_may_ask_for_the_plan_scope(five_store: Path, plans: list[str], tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(NATURAL, encoding="utf-8")
    q = parse_query_file(path)
    assert q.scope == "plan"
    scoped = backend(five_store, views=False)
    whole = OxigraphBackend(scoped.store)  # type: ignore[attr-defined]
    for plan in plans:
        expected = whole.run(q, {"plan": plan}).rows
        assert expected
        assert scoped.run(q, {"plan": plan}).rows == expected
        # without the header: the whole store
        assert scoped.run(replace(q, scope=""), {"plan": plan}).rows == expected


def test_an_unknown_scope_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(NATURAL.replace("scope: plan", "scope: agency"), encoding="utf-8")
    with pytest.raises(QueryError, match="scope"):
        parse_query_file(path)


@pytest.mark.parametrize("name", SCOPED)
def test_rdflib_reads_only_the_plans_files_and_gives_the_same_rows(
    name: str, five_store: Path, plans: list[str]
) -> None:
    """``--store rdflib -p plan IRI`` parses that plan's files and the shared ones, not the whole
    build (minutes at 1,000 plans); the rows are the whole graph's for that plan."""
    rdflib = backend(five_store, store="rdflib")
    whole = OxigraphBackend(backend(five_store, views=False).store)  # type: ignore[attr-defined]
    for plan in plans[:2]:
        got = rdflib.run(CATALOGUE[name], {"plan": plan})
        assert plan in rdflib._scoped and rdflib._graph is None, "only the plan's files were read"  # type: ignore[attr-defined]
        expected = whole.run(CATALOGUE[name], {"plan": plan})
        assert got.columns == expected.columns
        assert _sorted(got.rows) == _sorted(expected.rows), plan


@pytest.mark.parametrize("name", ["tasks", "lead-load"])
def test_rdflib_resolves_a_plan_iri_without_reading_the_build(name: str, five_store: Path, plans: list[str]) -> None:
    """``query NAME -p plan=IRI --store rdflib`` checks the plan exists from the build's manifest
    (``knows``), not by an ASK over every plan's graph (552 s and 1.7 GB at 100 plans before),
    and looks up no area when no agency is named: the whole graph is never parsed."""
    rdflib = backend(five_store, store="rdflib")
    q = CATALOGUE[name]
    params = resolve_params(q, {"plan": plans[0]}, rdflib, None)
    assert rdflib._graph is None, "resolving the plan read the whole build"  # type: ignore[attr-defined]
    got = rdflib.run(q, params)
    assert rdflib._graph is None and plans[0] in rdflib._scoped  # type: ignore[attr-defined]
    whole = OxigraphBackend(backend(five_store, views=False).store)  # type: ignore[attr-defined]
    assert _sorted(got.rows) == _sorted(whole.run(q, {"plan": plans[0]}).rows)
    with pytest.raises(QueryError):  # an unknown plan is still an error (asked of the graph)
        resolve_params(q, {"plan": plans[0] + "-nowhere"}, backend(five_store, store="rdflib"), None)


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("name", SCOPED)
def test_scoped_rows_equal_the_whole_stores_on_the_parents_corpus(name: str, parents_store: Path) -> None:
    """The scope header is a promise that nothing the query reads about a plan lives in
    another plan's graph: held on the corpus where plans are other plans' parents too."""
    scoped = backend(parents_store, views=False)
    whole = OxigraphBackend(scoped.store)  # type: ignore[attr-defined]
    plans = [str(r["plan"]) for r in whole.run(CATALOGUE["plans"], {}).rows]
    assert len(plans) >= 7
    for plan in plans:
        expected = whole.run(CATALOGUE[name], {"plan": plan})
        got = scoped.run(CATALOGUE[name], {"plan": plan})
        assert plan in scoped._scoped, "evaluated on the plan's own store"  # type: ignore[attr-defined]
        assert got.rows == expected.rows, plan


def test_a_childs_scope_holds_its_own_matches_and_its_parents_graphs(parents_store: Path) -> None:
    """A child plan's scope: its own file of task matches (not its siblings'), the identity
    links, and its parents' graphs (their tasks' texts and places), no other plan's graph; a
    plan with no parent in the corpus gets no match file. Loading every plan's match file made
    each plan's query take 2.5–3.4 s at 3,000 plans."""
    from sciplan_kg.pipeline.dataset import PARENTS_GRAPH, plan_graph_iri
    from sciplan_kg.store.sync import loaded_files

    store = store_path(parents_store)
    whole = backend(parents_store, views=False).store  # type: ignore[attr-defined]
    found = whole.query("SELECT ?c ?p WHERE { ?c <https://w3id.org/sciplan-kg/ontology#parentPlan> ?p }")
    links = {(r["c"].value, r["p"].value) for r in found}
    plans = {
        r["p"].value
        for r in whole.query("SELECT ?p WHERE { ?p a <https://w3id.org/sciplan-kg/ontology#ImplementationPlan> }")
    }
    assert links and {c for c, _ in links} < plans, "children with built parents, and plans without"
    match_files = set(loaded_files(store, str(PARENTS_GRAPH)))
    graph_of = {p: set(loaded_files(store, str(plan_graph_iri(URIRef(p))))) for p in plans}
    for plan in sorted(plans):
        files = set(plan_scope(store, plan) or [])
        assert graph_of[plan] <= files
        parents = {p for c, p in links if c == plan}
        for other in plans - {plan}:
            assert (graph_of[other] <= files) == (other in parents), (plan, other)
        own = [f for f in files & match_files if "sk:childTask" in f.read_text(encoding="utf-8")]
        assert len(own) == (1 if parents else 0), plan
        for f in own:
            subjects = [x for x in f.read_text(encoding="utf-8").splitlines() if x.startswith("<")]
            assert subjects and all(x.startswith(f"<{plan}/") for x in subjects)
