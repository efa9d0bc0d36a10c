"""Kept answers of the catalogue queries (query/kept.py): kept only for the queries whose header
says ``#+ keep: yes``, served only when they are exactly what evaluating the query on the store
gives, and made anew whenever the store changes."""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.query import backend, catalogue, find_query, kept
from sciplan_kg.query.backends import OxigraphBackend
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.kept import keep_answers
from sciplan_kg.query.kept import sync_store as sync
from sciplan_kg.query.run import QueryResult
from sciplan_kg.store.sync import state_digest, store_path

CATALOGUE = catalogue()
KEPT = sorted(name for name, q in CATALOGUE.items() if q.keep)


@pytest.fixture(scope="module")
def five_store(five: BuildResult) -> Path:
    keep_answers(five.out)  # synced, and every answer that says keep kept
    return five.out


def _served(build_dir: Path, name: str, params: dict[str, str] | None = None) -> QueryResult | None:
    store_dir = store_path(build_dir)
    return kept.read(store_dir, state_digest(store_dir), CATALOGUE[name], params or {})


def _types(result: QueryResult) -> list[list[type]]:
    return [[type(v) for v in r.values()] for r in result.rows]


def test_the_slow_whole_corpus_listings_are_kept() -> None:
    """The listings of 100,000–310,000 rows over 3,000 plans: 11–20 s on Oxigraph, 2.3–3.7 s on
    DuckDB, and still half the command's time with their rows printed (docs/engines.md); the
    others are evaluated at each run."""
    assert KEPT == ["co-responsibility", "instrument-mix-by-measure", "similar-tasks", "sources", "tasks"]


def test_the_keep_header_is_yes_or_no(tmp_path: Path) -> None:
    rq = tmp_path / "01-mine.rq"
    for value, keep in (("yes", True), ("no", False)):
        rq.write_text(f"#+ keep: {value}\nSELECT ?s WHERE {{ ?s ?p ?o }}\n", encoding="utf-8")
        assert parse_query_file(rq).keep is keep
    rq.write_text("SELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert parse_query_file(rq).keep is False, "not kept unless it says so"
    rq.write_text("#+ keep: always\nSELECT ?s WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="line 1"):
        parse_query_file(rq)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_the_streamed_answer_is_the_encoded_evaluation(name: str, five_store: Path) -> None:
    """Every catalogue query (kept or not, so every ORDER BY, multivalued and boolean column is
    met): the answer written a piece at a time is byte for byte ``encode`` of the evaluation."""
    store = kept._read_only(store_path(five_store))
    q = CATALOGUE[name]
    assert b"".join(kept.stream_encode(store, q)) == kept.encode(OxigraphBackend(store).run(q, {}))


@pytest.mark.parametrize("name", sorted(set(CATALOGUE) - set(KEPT)))
def test_a_query_that_does_not_say_keep_is_evaluated(name: str, five_store: Path) -> None:
    assert _served(five_store, name) is None
    assert not kept._answer_files(store_path(five_store) / kept.VIEWS, name)
    backend(five_store).run(CATALOGUE[name], {})
    assert _served(five_store, name) is None, "its evaluation keeps nothing either"


@pytest.mark.parametrize("name", KEPT)
def test_every_kept_answer_equals_evaluation(name: str, five_store: Path) -> None:
    answer = _served(five_store, name)
    assert answer is not None, f"{name}: no current answer kept after a sync"
    served = backend(five_store).run(CATALOGUE[name], {})
    evaluated = backend(five_store, views=False).run(CATALOGUE[name], {})
    assert served.columns == evaluated.columns == answer.columns
    assert served.rows == evaluated.rows == answer.rows
    # the same types too (1 and True, 1 and 1.0 are equal in Python)
    assert _types(served) == _types(evaluated)


def test_parameters_other_than_the_defaults_are_evaluated(five_store: Path) -> None:
    assert _served(five_store, "similar-tasks", {"minScore": "0.9"}) is None
    assert _served(five_store, "co-responsibility", {"minTasks": "2"}) is None
    default = next(p.default for p in CATALOGUE["similar-tasks"].params if p.name == "minScore")
    assert _served(five_store, "similar-tasks", {"minScore": str(default)}) is not None, "the defaults, given"


# the parent queries have no row on the five plans (none is another's parent): tests/corpus/test_parents.py
# checks their selecting parameters on the constructed parent corpus
NO_ROWS_ON_FIVE = {"parent-diffusion", "parent-task-match"}
SELECTING = [(n, p) for n in KEPT if n not in NO_ROWS_ON_FIVE for p in sorted(kept.selecting_names(CATALOGUE[n]))]


@pytest.mark.parametrize(("name", "param"), SELECTING)
def test_a_selecting_parameter_is_served_from_the_whole_answer(name: str, param: str, five_store: Path) -> None:
    """-p plan IRI (-p task IRI): the rows of the kept answer that hold it, as evaluation gives
    them; with another parameter changed too, evaluated."""
    whole = backend(five_store).run(CATALOGUE[name], {}).rows
    value = sorted({str(r[param]) for r in whole})[-1]
    served = _served(five_store, name, {param: value})
    assert served is not None
    evaluated = backend(five_store, views=False).run(CATALOGUE[name], {param: value})
    assert served.rows == evaluated.rows and served.rows
    assert backend(five_store).run(CATALOGUE[name], {param: value}).rows == evaluated.rows
    assert _served(five_store, name, {param: "https://w3id.org/sciplan-kg/id/plan/none"}).rows == []  # type: ignore[union-attr]
    other = next((p for p in CATALOGUE[name].params if p.name != param and p.default is not None), None)
    if other is not None:
        assert _served(five_store, name, {param: value, other.name: "7"}) is None


def test_an_edited_query_is_evaluated(five_store: Path) -> None:
    q = CATALOGUE["tasks"]
    edited = replace(q, text=q.text.replace("ORDER BY", "# edited\nORDER BY"))
    store_dir = store_path(five_store)
    assert kept.read(store_dir, state_digest(store_dir), edited, {}) is None
    assert kept.read(store_dir, "another state", q, {}) is None


def test_a_damaged_or_missing_answer_is_evaluated_and_kept_again(five: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    keep_answers(out)
    store_dir = store_path(out)
    view = kept.answer_file(store_dir, state_digest(store_dir), CATALOGUE["sources"])
    view.write_bytes(view.read_bytes()[:20])
    assert _served(out, "sources") is None
    evaluated = backend(out, views=False).run(CATALOGUE["sources"], {})
    assert backend(out).run(CATALOGUE["sources"], {}).rows == evaluated.rows
    assert _served(out, "sources") is not None, "the evaluation kept its answer again"
    # without the index nothing is served; each query's evaluation keeps its answer again
    (store_path(out) / kept.VIEWS / kept.INDEX).unlink()
    assert _served(out, "tasks") is None and _served(out, "sources") is None
    assert backend(out).run(CATALOGUE["tasks"], {}).rows == backend(out, views=False).run(CATALOGUE["tasks"], {}).rows
    assert _served(out, "tasks") is not None and _served(out, "sources") is None
    assert sorted(keep_answers(out)) == sorted(set(KEPT) - {"tasks"})
    assert keep_answers(out) == [], "all current: nothing made"


def _kept_files(out: Path) -> list[str]:
    """The files of the kept answers of ``out``'s store (none: no answer kept)."""
    folder = store_path(out) / kept.VIEWS
    return sorted(str(f.relative_to(folder)) for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else []


def test_answers_follow_the_store_when_a_plan_is_added(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    files = sorted(PLANS_DIR.glob("*.txt"))
    for f in files[:2]:
        shutil.copy(f, plans / f.name)
    out = tmp_path / "build"
    build([plans], out)
    first = sync(out)
    assert first.full and _kept_files(out) == [], "a full load makes the tables and keeps no answer by itself"
    assert sorted(keep_answers(out)) == KEPT
    before = _served(out, "co-responsibility")
    assert before is not None and {r["plan"] for r in before.rows} == {
        r["plan"] for r in backend(out).run(CATALOGUE["plans"], {}).rows
    }
    shutil.copy(files[2], plans / files[2].name)
    build([plans], out, incremental=True)
    kept_before = _kept_files(out)
    second = sync(out, full_fraction=1.0)
    assert not second.full and _kept_files(out) == kept_before, "a small change evaluates nothing by itself"
    assert _served(out, "co-responsibility") is None, "the answers of the old state are not served"
    for name in ("co-responsibility", "tasks", "similar-tasks"):
        served = backend(out).run(CATALOGUE[name], {})  # evaluated on the new state, and kept
        assert _served(out, name) is not None
        assert served.rows == backend(out).run(CATALOGUE[name], {}).rows
        assert served.rows == backend(out, views=False).run(CATALOGUE[name], {}).rows
    after = _served(out, "co-responsibility")
    assert after is not None and len({r["plan"] for r in after.rows}) == 3


def test_a_backend_opened_before_a_sync_keeps_nothing_under_the_new_state(tmp_path: Path) -> None:
    """A backend opened in one process (a notebook), then another process rebuilds and syncs: the
    old backend evaluates on its snapshot and keeps nothing; the next process is served the new
    state's rows (an answer of the old snapshot kept under the new state was served to it)."""
    plans = tmp_path / "plans"
    plans.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:3]:
        shutil.copy(f, plans / f.name)
    out = tmp_path / "build"
    build([plans], out)
    store, state = kept.open_store_in_state(out)
    old = OxigraphBackend(store, kept=store_path(out), scope=store_path(out), opened=state)
    max(plans.glob("*.txt"), key=lambda p: p.stat().st_size).unlink()
    build([plans], out)
    sync(out, full_fraction=1.0)
    q = CATALOGUE["tasks"]
    assert old.current_state() is None, "the folder is no longer in the state the store was opened in"
    on_snapshot = old.run(q, {})
    assert _served(out, "tasks") is None, "nothing kept from the old snapshot"
    store, state = kept.open_store_in_state(out)
    new = OxigraphBackend(store, kept=store_path(out), opened=state).run(q, {})
    assert new.rows == OxigraphBackend(store).run(q, {}).rows
    assert len(new.rows) < len(on_snapshot.rows)
    assert _served(out, "tasks") is not None, "the new process keeps its answer under its state"


def test_only_the_catalogue_query_at_its_defaults_is_kept(five: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    sync(out, views=False)
    store_dir = store_path(out)
    plan = backend(out).run(CATALOGUE["plans"], {}).rows[0]["plan"]
    backend(out).run(CATALOGUE["tasks"], {"plan": str(plan)})
    backend(out).run(CATALOGUE["sources"], {})
    q = CATALOGUE["similar-tasks"]
    own = tmp_path / "similar-tasks.rq"
    own.write_text(q.text.replace("ORDER BY", "# mine\nORDER BY"), encoding="utf-8")
    backend(out).run(find_query(str(own)), {})
    index = json.loads((store_dir / kept.VIEWS / kept.INDEX).read_text(encoding="utf-8"))
    assert set(index) == {"sources"}, "not plans (not kept), not tasks of one plan, not a .rq file named like one"


def test_answers_no_longer_kept_are_removed(five: BuildResult, tmp_path: Path) -> None:
    """A store whose views/ an older version filled with every query's answer: the next
    computation keeps the five and removes the others' files and entries."""
    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    keep_answers(out)
    folder = store_path(out) / kept.VIEWS
    index = json.loads((folder / kept.INDEX).read_text(encoding="utf-8"))
    old = dict(index, plans={"state": "old", "query": "old"})
    (folder / kept.INDEX).write_text(json.dumps(old), encoding="utf-8")
    (folder / "plans.json").write_bytes(b"{}")
    (folder / "plans.0123456789abcdef.json").write_bytes(b"{}")
    (folder / "notes.txt").write_bytes(b"mine")
    assert keep_answers(out) == []
    assert set(json.loads((folder / kept.INDEX).read_text(encoding="utf-8"))) == set(KEPT)
    assert not (folder / "plans.json").exists() and (folder / "notes.txt").read_bytes() == b"mine"
    assert not (folder / "plans.0123456789abcdef.json").exists()
    assert _served(out, "tasks") is not None


def test_worker_processes_keep_the_same_answers(five: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    sync(out, views=False)
    store_dir = store_path(out)
    assert not (store_dir / kept.VIEWS).exists()
    made = kept.compute(store_dir, state_digest(store_dir) or "", graphs=kept.PARALLEL_FROM, jobs=2)
    assert sorted(made) == KEPT
    serial = tmp_path / "serial"
    shutil.copytree(five.out, serial)
    keep_answers(serial)  # on the DuckDB tables
    for name in KEPT:
        a = kept.answer_file(store_dir, state_digest(store_dir), CATALOGUE[name]).read_bytes()
        b = kept.answer_file(store_path(serial), state_digest(store_path(serial)), CATALOGUE[name]).read_bytes()
        assert a == b, f"{name}: byte-identical answers, however computed"
    index = json.loads((store_dir / kept.VIEWS / kept.INDEX).read_text(encoding="utf-8"))
    assert set(index) == set(KEPT)


def test_a_full_load_makes_the_tables_and_the_answers_are_kept_from_them(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full load makes the DuckDB tables (beside the store's compaction) and keeps no answer;
    ``keep_answers`` then evaluates the five on the tables (none on Oxigraph: ``_answer``
    refuses here), byte for byte Oxigraph's own encoded answer."""
    pytest.importorskip("duckdb")
    from sciplan_kg.query import tables

    def no_oxigraph(*args: object) -> bool:
        raise AssertionError("evaluated on Oxigraph")

    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    monkeypatch.setattr(kept, "_answer", no_oxigraph)
    assert sync(out).full
    store_dir = store_path(out)
    assert tables.database_path(store_dir).is_file(), "the tables were made by the load"
    assert not (store_dir / kept.VIEWS / kept.INDEX).exists()
    made = tables.database_path(store_dir).stat().st_mtime_ns
    assert sorted(keep_answers(out)) == KEPT
    assert tables.database_path(store_dir).stat().st_mtime_ns == made, "the tables were in step"
    index = json.loads((store_dir / kept.VIEWS / kept.INDEX).read_text(encoding="utf-8"))
    assert sorted(index) == KEPT
    monkeypatch.undo()
    store = kept._read_only(store_dir)
    for name in KEPT:
        got = kept.answer_file(store_dir, state_digest(store_dir), CATALOGUE[name]).read_bytes()
        assert got == b"".join(kept.stream_encode(store, CATALOGUE[name])), name


def test_tables_that_cannot_be_made_leave_the_answers_to_oxigraph(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("duckdb")
    from sciplan_kg.query import tables

    def broken(*args: object, **kwargs: object) -> Path:
        raise OSError("disk full")

    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    monkeypatch.setattr(tables, "fresh", broken)
    result = sync(out)
    assert result.full and _kept_files(out) == []  # the load itself goes on
    store_dir = store_path(out)
    assert not tables.database_path(store_dir).exists()
    assert sorted(keep_answers(out)) == KEPT
    assert not tables.database_path(store_dir).exists()
    assert all(_served(out, name) is not None for name in KEPT), "kept from Oxigraph"


def test_two_states_kept_at_once_never_serve_one_states_rows_for_the_other(five: BuildResult, tmp_path: Path) -> None:
    """A process that opened the store before a sync (state A) keeps its answer while one
    opened after it (state B) keeps B's: whatever the interleaving of their file and index
    writes, what is served for B is B's answer (each state's answer has a file of its own)."""
    out = tmp_path / "build"
    shutil.copytree(five.out, out)
    sync(out, views=False)
    store_dir = store_path(out)
    q = CATALOGUE["tasks"]
    whole = backend(out, views=False).run(q, {})
    a_rows = QueryResult(whole.columns, whole.rows[:3])  # stands for the older state's answer
    real = kept._write_index

    def a_between(folder: Path, entries: dict) -> None:  # B wrote its file; A keeps, whole, now
        kept._write_index = real
        assert kept.keep(store_dir, "state-A", q, {}, a_rows)
        real(folder, entries)

    kept._write_index = a_between  # type: ignore[assignment]
    try:
        assert kept.keep(store_dir, "state-B", q, {}, whole)
    finally:
        kept._write_index = real
    served = kept.read(store_dir, "state-B", q, {})
    assert served is not None and served.rows == whole.rows, "B's rows, not A's"
    assert kept.read(store_dir, "state-A", q, {}) is None, "the index names B"
    a_file, b_file = kept.answer_file(store_dir, "state-A", q), kept.answer_file(store_dir, "state-B", q)
    assert set(kept._answer_files(store_dir / kept.VIEWS, "tasks")) == {a_file, b_file}, "A's is young: kept"
    past = time.time() - 2 * kept.STALE
    os.utime(a_file, (past, past))
    os.utime(b_file, (past, past))
    kept._drop_others(store_dir / kept.VIEWS, "tasks")
    assert kept._answer_files(store_dir / kept.VIEWS, "tasks") == [b_file], "an hour old and not indexed: removed"


def test_evaluate_option_gives_the_same_output(five_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "tasks", "--data", str(five_store), "--format", "json"]) == 0
    served = capsys.readouterr().out
    assert main(["query", "tasks", "--data", str(five_store), "--format", "json", "--evaluate"]) == 0
    assert capsys.readouterr().out == served
    assert "巫山" in served and "\\u" not in served


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)


@given(st.lists(st.tuples(cells, cells), max_size=30))
def test_encoding_keeps_values_and_types(rows: list[tuple[object, object]]) -> None:
    result = QueryResult(["a", "b"], [{"a": a, "b": b} for a, b in rows])  # type: ignore[misc]
    back = kept.decode(kept.encode(result))
    assert back.columns == result.columns
    assert back.rows == result.rows
    assert _types(back) == _types(result)


def test_a_worker_that_cannot_write_prints_no_traceback(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """The kept answers' folder cannot be written to: the worker processes end quietly (no
    Python traceback on the user's terminal) and the parent raises the ``OSError`` the in-line
    path raises, which the sync reports."""
    import pyoxigraph as ox

    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    store.flush()
    del store
    (store_dir / "views").write_text("not a folder", encoding="utf-8")
    todo = [CATALOGUE[name] for name in KEPT[:2]]
    with pytest.raises(OSError, match="cannot be written"):
        kept._in_processes(store_dir, "state", todo, 1)
    assert "Traceback" not in capfd.readouterr().err


def test_temporary_files_of_killed_writers_are_swept_when_old(tmp_path: Path) -> None:
    """A writer killed mid-write leaves ``.<name>.json.*``; the next ``compute`` removes it once
    it is an hour old, and leaves a fresh one (a live writer's) and every answer alone."""
    import os
    import time

    folder = tmp_path / "views"
    folder.mkdir()
    old, fresh, answer = folder / ".tasks.json.ab12", folder / ".sources.json.cd34", folder / "tasks.json"
    for f in (old, fresh, answer):
        f.write_bytes(b"{}")
    past = time.time() - 2 * kept.STALE
    os.utime(old, (past, past))
    os.utime(answer, (past, past))
    kept._sweep(folder)
    assert not old.exists() and fresh.exists() and answer.exists()
