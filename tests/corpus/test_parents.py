"""Plans of every level in one corpus (issue 19, item 1): a built plan another plan names as its
basis is that document, the chain of directives runs through it, and each child task is matched
with its closest parent task as copied, adapted or new — as the test corpus was constructed
(tests/fixtures/parents/make.py)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, URIRef

from sciplan_kg.corpus.parents import (
    ADAPTED,
    COPIED,
    classify,
    differences,
    identities,
    match_tasks,
    parent_links,
    parents_graph,
    parents_turtle,
)
from sciplan_kg.corpus.similarity import letters
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.folder import PARENTS, BuildFolder, load_graphs
from sciplan_kg.query import find_query, run_query
from sciplan_kg.query.backends import OxigraphBackend, oxigraph_value, split_order, with_values
from sciplan_kg.query.run import bindings
from sciplan_kg.rdf.namespaces import ID, SK
from sciplan_kg.rdf.serialize import turtle_prefixes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parents"
PLAN = str(ID) + "plan/"
CHONGQING = URIRef(PLAN + "chongqing-2021-2025")
ZUNYI = URIRef(PLAN + "遵义市-2021-2025")
CHILDREN = {"chengkou": "城口县", "bishan": "璧山区", "meitan": "湄潭县", "fenggang": "凤冈县"}
QUERIES = ["parent-diffusion", "parent-task-match"]


def _make() -> ModuleType:
    spec = importlib.util.spec_from_file_location("parents_make", FIXTURES / "make.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


make = _make()


def plan_iri(place: str) -> URIRef:
    return URIRef(f"{PLAN}{place}-2021-2025")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, dict[str, list[tuple[str, str, str]]]]:
    """Two parents, four children, and 平罗 (whose parent, 宁夏's plan, is not in the corpus)."""
    folder = tmp_path_factory.mktemp("parents") / "plans"
    made = make.write(folder)
    shutil.copy(next(PLANS_DIR.glob("002_*.txt")), folder)
    return build([folder], folder.parent / "build", jobs=1), made


@pytest.fixture(scope="module")
def parents(corpus: tuple[BuildResult, dict]) -> Graph:
    return load_graphs(corpus[0].out)["parents"]


def parents_bytes(out: Path) -> bytes:
    """The parents graph's files as one Turtle document in ``parents_turtle``'s order: the
    identity links, then each child's matches (its file after the prefixes) by child task."""
    folder = BuildFolder.open(out)
    first, *children = folder.parent_files()
    head = turtle_prefixes().encode("utf-8")
    bodies = [f.read_bytes().removeprefix(head) for f in children]
    return first.read_bytes() + b"".join(sorted(bodies))


@pytest.fixture(scope="module")
def data(corpus: tuple[BuildResult, dict]) -> Graph:
    g = Graph()
    for part in load_graphs(corpus[0].out).values():
        g += part
    return g


def _texts(result: BuildResult) -> dict[str, str]:
    return {t: text for p in result.plans for t, _, text in p.tasks}


# ---------------------------------------------------------------- identity and the chain


def test_a_plan_whose_number_is_a_registry_directive_is_that_directive(parents: Graph) -> None:
    """重庆市's plan carries 渝府办发〔2021〕138号: the registry directive every Chongqing plan
    cites is that built plan."""
    assert (CHONGQING, SK.publishedAs, URIRef(str(ID) + "directive/yufuban-2021-138")) in parents
    # cited by number (城口) and by title only (璧山: the title resolves to the registry entry)
    assert set(parents.subjects(SK.parentPlan, CHONGQING)) == {plan_iri("城口县"), plan_iri("璧山区")}


def test_a_plan_no_registry_knows_is_the_document_its_children_cite(parents: Graph) -> None:
    """遵义市's number is in no registry: the documents its children cite (by number: 湄潭; by
    title only: 凤冈) are that plan."""
    documents = {str(o) for o in parents.objects(ZUNYI, SK.publishedAs)}
    assert documents == {
        str(ID) + "document/遵府办发〔2021〕57号",
        str(ID) + "document/遵义市全民科学素质行动规划纲要实施方案（2021—2025年）",
    }
    assert set(parents.subjects(SK.parentPlan, ZUNYI)) == {plan_iri("湄潭县"), plan_iri("凤冈县")}


def test_a_plan_with_no_parent_in_the_corpus_gets_no_links(parents: Graph) -> None:
    pingluo = URIRef(PLAN + "pingluo-2021-2025")
    assert not list(parents.triples((pingluo, None, None)))
    assert not [m for m in parents.subjects(SK.childTask, None) if str(m).startswith(str(pingluo))]


def test_the_five_plans_have_no_parent_among_them(five: BuildResult) -> None:
    """巫山, 梁平 and 九龙坡 cite 重庆市's plan, which is not among the five: no links."""
    assert BuildFolder.open(five.out).parent_files() == [five.out / PARENTS]
    assert len(Graph().parse(five.out / PARENTS)) == 0


def test_the_chain_of_directives_runs_through_the_built_plan(corpus: tuple[BuildResult, dict]) -> None:
    """璧山 names only 重庆市's plan; through it the chain reaches the national outline, and the
    registry entry the plan is does not appear beside it."""
    rows = run_query("directive-chain", corpus[0].out, {"plan": str(plan_iri("璧山区"))}, views=False).rows
    chain = {str(r["directive"]): r for r in rows}
    assert set(chain) == {str(CHONGQING), str(ID) + "directive/guofa-2021-9"}
    assert chain[str(CHONGQING)]["direct"] is True
    assert chain[str(CHONGQING)]["docNumber"] == "渝府办发〔2021〕138号"
    national = chain[str(ID) + "directive/guofa-2021-9"]
    assert national["direct"] is False and national["reachesNational"] is True
    rows = run_query("directive-chain", corpus[0].out, {"plan": str(plan_iri("凤冈县"))}, views=False).rows
    assert str(ZUNYI) in {str(r["directive"]) for r in rows}
    assert str(ID) + "directive/guofa-2021-9" in {str(r["directive"]) for r in rows}


# ---------------------------------------------------------------- tasks: as constructed


def _constructed(result: BuildResult, made: dict[str, list[tuple[str, str, str]]]) -> list[tuple[str, str, str, str]]:
    """(child, fate, child task IRI, parent paragraph) of every constructed task."""
    out = []
    for child, fates in made.items():
        plan = str(plan_iri(CHILDREN[child]))
        by_text = {letters(text): t for p in result.plans if p.plan == plan for t, _, text in p.tasks}
        for fate, text, parent in fates:
            assert letters(text) in by_text, f"{child}: the constructed task is read as a task: {text[:30]}"
            out.append((child, fate, by_text[letters(text)], parent))
    return out


def test_each_constructed_task_gets_its_class(corpus: tuple[BuildResult, dict], parents: Graph) -> None:
    result, made = corpus
    classes = {
        str(parents.value(m, SK.childTask)): parents.value(m, SK.matchClass)
        for m in parents.subjects(SK.childTask, None)
    }
    expected = {
        "copy": SK.CopiedTask,
        "excerpt": SK.CopiedTask,
        "localise": SK.AdaptedTask,
        "reword": SK.AdaptedTask,
        "new": SK.NewTask,
    }
    constructed = _constructed(result, made)
    assert Counter(f for _, f, _, _ in constructed).keys() == expected.keys()
    wrong = [(c, f, t) for c, f, t, _ in constructed if classes[t] != expected[f]]
    assert not wrong


def test_a_copied_or_adapted_task_is_matched_with_the_task_it_came_from(
    corpus: tuple[BuildResult, dict], parents: Graph
) -> None:
    result, made = corpus
    texts = _texts(result)
    for _, fate, task, source in _constructed(result, made):
        if fate == "new":
            continue
        match = next(parents.subjects(SK.childTask, URIRef(task)))
        parent_task = parents.value(match, SK.parentTask)
        assert letters(texts[str(parent_task)]) == letters(source), (fate, task)


def test_every_child_task_is_matched_once_per_parent(corpus: tuple[BuildResult, dict], parents: Graph) -> None:
    result, _ = corpus
    for child in CHILDREN.values():
        plan = str(plan_iri(child))
        tasks = {t for p in result.plans if p.plan == plan for t, _, _ in p.tasks}
        matched = [str(parents.value(m, SK.childTask)) for m in parents.subjects(SK.childTask, None)]
        mine = [t for t in matched if t in tasks]
        assert sorted(mine) == sorted(tasks)
    for m in parents.subjects(SK.childTask, None):
        slug = str(parents.value(m, SK.matchedPlan)).rsplit("/", 1)[-1]
        assert str(m) == f"{parents.value(m, SK.childTask)}/parent-match/{slug}"


def test_shares_per_plan_and_per_measure(corpus: tuple[BuildResult, dict]) -> None:
    result, made = corpus
    rows = run_query("parent-diffusion", result.out, views=False).rows
    for child, place in CHILDREN.items():
        fates = Counter(f for f, _, _ in made[child])
        mine = [r for r in rows if str(r["plan"]) == str(plan_iri(place))]
        whole = [r for r in mine if r["scope"] == "plan"]
        assert len(whole) == 1
        row = whole[0]
        assert row["copied"] == fates["copy"] + fates["excerpt"]
        assert row["adapted"] == fates["localise"] + fates["reword"]
        assert row["new"] == fates["new"]
        assert row["tasks"] == sum(fates.values())
        assert abs(float(row["copiedPercent"]) - 100 * row["copied"] / row["tasks"]) <= 0.05
        measures = [r for r in mine if r["scope"] == "measure"]
        assert len(measures) == 10 and all(r["title"] for r in measures)
        for column in ("tasks", "copied", "adapted", "new"):
            assert sum(r[column] for r in measures) == row[column]


def test_task_match_rows_show_both_texts(corpus: tuple[BuildResult, dict], parents: Graph) -> None:
    result, _ = corpus
    rows = run_query("parent-task-match", result.out, views=False).rows
    assert len(rows) == len(set(parents.subjects(SK.childTask, None)))
    texts = _texts(result)
    for r in rows:
        assert r["text"] == texts[str(r["task"])]
        assert r["parentText"] == texts[str(r["parentTask"])]
        assert r["matchClass"] == classify(float(r["score"]))
    adapted = run_query("parent-task-match", result.out, {"matchClass": "adapted"}, views=False).rows
    assert adapted and {r["matchClass"] for r in adapted} == {"adapted"}


# ---------------------------------------------------------------- the queries, as the catalogue tests check them


@pytest.mark.parametrize("name", QUERIES)
def test_rdflib_store_gives_the_same_rows(name: str, data: Graph) -> None:
    def rows(store: str) -> list[str]:
        return sorted(
            json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
            for r in run_query(name, data, store=store).rows
        )

    assert rows("oxigraph") == rows("rdflib")
    assert rows("oxigraph")


@pytest.mark.parametrize("name", QUERIES)
@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_selecting_a_plan_gives_its_rows(name: str, store: str, data: Graph) -> None:
    everything = run_query(name, data, store=store).rows
    values = sorted({str(r["plan"]) for r in everything})
    assert len(values) == 4
    rows = run_query(name, data, {"plan": values[1]}, store=store).rows
    assert rows and len(rows) == len([r for r in everything if str(r["plan"]) == values[1]])


@pytest.mark.parametrize("name", QUERIES)
def test_order_done_in_python_is_oxigraphs_order(name: str, data: Graph) -> None:
    backend = OxigraphBackend.from_graphs({URIRef("urn:sciplan-kg:data"): data})
    q = find_query(name)
    text = with_values(q.text, bindings(q, {}))
    _, keys = split_order(text)
    assert keys
    engine = [tuple(oxigraph_value(sol[var]) for var, _ in keys) for sol in backend.store.query(text)]
    _, rows = backend._rows(name, text)
    assert engine and [tuple(row[var] for var, _ in keys) for row in rows] == engine


# ---------------------------------------------------------------- determinism and the writer


def test_same_input_same_bytes(corpus: tuple[BuildResult, dict]) -> None:
    """The file is the links written in a fixed order, whatever order the plans come in; the
    Turtle writer states exactly the triples of ``parent_triples``."""
    result, _ = corpus
    written = parents_bytes(result.out)
    plans = list(reversed(result.plans))
    tasks = [t for p in plans for t in reversed(p.tasks)]
    links = parent_links({p.plan: p.basis for p in plans}, tasks)
    assert b"".join(parents_turtle(links)) == written
    assert parents_graph(links).isomorphic(Graph().parse(data=written, format="turtle"))


def test_rebuild_gives_the_same_file(corpus: tuple[BuildResult, dict], tmp_path: Path) -> None:
    result, _ = corpus
    again = build([result.out.parent / "plans"], tmp_path / "build", jobs=1)
    assert parents_bytes(again.out) == parents_bytes(result.out)


def test_the_dataset_counts_the_matches(corpus: tuple[BuildResult, dict], parents: Graph) -> None:
    from sciplan_kg.corpus.description import DATASET, VOID

    d = Graph().parse(corpus[0].out / "graph" / "dataset.ttl")
    partitions = {
        d.value(p, VOID["class"]): int(d.value(p, VOID.entities)) for p in d.objects(DATASET, VOID.classPartition)
    }
    assert partitions[SK.ParentTaskMatch] == len(set(parents.subjects(SK.childTask, None)))


# ---------------------------------------------------------------- the rules, one by one


def _basis(number: str | None, title: str | None, cites: list[tuple[str, str | None, list[str]]]) -> dict:
    return {
        "number": number,
        "titles": [title] if title else [],
        "same_as": [],
        "cites": [{"node": n, "number": num, "titles": ts} for n, num, ts in cites],
    }


def test_numbers_decide_when_both_sides_have_one() -> None:
    title = "某市全民科学素质行动规划纲要实施方案（2021—2025年）"
    bases = {
        "p": _basis("某府办发〔2021〕1号", title, []),
        "c1": _basis("c1号", "c1", [("doc/2", "某府办发〔2021〕2号", [title])]),  # same title, other number
        "c2": _basis("c2号", "c2", [("doc/t", None, [f"《{title}》"])]),  # title only
        "c3": _basis("c3号", "c3", [("doc/1", "某府办发 〔2021〕1号", [])]),  # number only (spaced)
    }
    identity = identities(bases)
    assert identity.parents == [("c2", "p"), ("c3", "p")]
    assert identity.published_as == [("p", "doc/1"), ("p", "doc/t")]


def test_a_number_or_title_two_plans_share_names_neither() -> None:
    title = "某市全民科学素质行动规划纲要实施方案（2021—2025年）"
    bases = {
        "p1": _basis("同号", None, []),
        "p2": _basis("同号", None, []),
        "q1": _basis(None, title, []),
        "q2": _basis(None, title, []),
        "c": _basis(None, "c", [("doc/n", "同号", []), ("doc/t", None, [title])]),
    }
    assert identities(bases).parents == []


def test_a_plan_is_not_its_own_parent() -> None:
    bases = {"p": _basis("某号", None, [("doc/p", "某号", [])])}
    identity = identities(bases)
    assert identity.parents == [] and identity.published_as == []


def test_a_parent_without_tasks_leaves_every_task_new() -> None:
    matches = match_tasks([("c/1", "开展科普活动。")], [], "plan/p")
    assert [(m.parent_task, m.score, m.cls) for m in matches] == [(None, 0.0, "new")]


def test_scores_count_repeated_bigrams_once_each() -> None:
    """Multiset containment: 科普科普科普 shares only two 科普 with 科普科普."""
    (m,) = match_tasks([("c/1", "科普科普科普")], [("p/1", "科普科普"), ("p/2", "无关文字")], "plan/p")
    assert m.parent_task == "p/1"
    assert m.score == round(3 / 5, 3)  # 科普 普科 科普 of 科普 普科 科普 普科 科普


def test_ties_go_to_the_closer_text_then_the_first_iri() -> None:
    (m,) = match_tasks([("c/1", "加强科普")], [("p/b", "加强科普工作"), ("p/a", "加强科普工作队伍建设")], "plan/p")
    assert (m.parent_task, m.score) == ("p/b", 1.0)
    (m,) = match_tasks([("c/1", "加强科普")], [("p/b", "加强科普。"), ("p/a", "加强科普")], "plan/p")
    assert m.parent_task == "p/a"


def test_thresholds() -> None:
    assert [classify(s) for s in (1.0, COPIED, COPIED - 0.001, ADAPTED, ADAPTED - 0.001, 0.0)] == [
        "copied",
        "copied",
        "adapted",
        "adapted",
        "new",
        "new",
    ]


def test_differences_rebuild_both_texts() -> None:
    parent, child = "加强科普阵地建设，建好科普画廊。", "加强基层科普阵地建设，建好村科普画廊和宣传栏。"
    runs = differences(parent, child)
    assert "".join(t for op, t in runs if op != "added") == parent
    assert "".join(t for op, t in runs if op != "removed") == child
    assert ("added", "基层") in runs
