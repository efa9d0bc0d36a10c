"""The DuckDB engine for the whole-corpus listings (``query/frames.py``) must give Oxigraph's
rows, in Oxigraph's order, for every query it serves, at the default parameters and others;
must leave every other query, a user's text and a plan's rows out of its own SQL (a user's text
may still be translated: tests/query/test_translate.py); and its tables
(``query/tables.py``) must be the store's content, made from the store's files, brought in
step file by file to what a fresh database of the same store holds."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.plan import SOURCE_DIR
from sciplan_kg.query import backend, catalogue
from sciplan_kg.query.backends import OxigraphBackend
from sciplan_kg.query.kept import sync_store as sync
from sciplan_kg.rdf.rows import CLASSES, PROPERTIES
from sciplan_kg.store.index import graph_id
from sciplan_kg.store.sync import read_state, state_digest, store_path

duckdb = pytest.importorskip("duckdb")

from sciplan_kg.query import tables  # noqa: E402
from sciplan_kg.query.frames import SERVED, FramesBackend  # noqa: E402

CATALOGUE = catalogue()
# parameters beside the defaults: a threshold that keeps fewer rows
OTHER = {
    "co-responsibility": {"minTasks": "2"},
    "similar-tasks": {"minScore": "0.8"},
    "parent-task-match": {"matchClass": "adapted"},
}
# the listings of matches with parent plans: the five plans have no parent among them, so these
# are held on the constructed parents corpus (tests/corpus/test_parents.py)
PARENT_LISTINGS = {"parent-diffusion", "parent-task-match"}


@pytest.fixture(scope="module")
def copy(five: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five plans' build, copied (this module writes beside its store), and synced."""
    return _synced_copy(five, tmp_path_factory.mktemp("frames"))


def _synced_copy(five: BuildResult, where: Path) -> Path:
    """The five plans' build copied into ``where`` (as ``build``), its store synced."""
    out = where / "build"
    shutil.copytree(five.out, out)
    sync(out, views=False)
    return out


def _users_tasks(where: Path) -> Path:
    """The catalogue's ``tasks`` saved as a user's own ``.rq`` (translated, not served by SQL)."""
    own = where / "my-tasks.rq"
    own.write_text(CATALOGUE["tasks"].path.read_text(encoding="utf-8"), encoding="utf-8")
    return own


@pytest.fixture(scope="module")
def engines(copy: Path) -> tuple[OxigraphBackend, FramesBackend]:
    import pyoxigraph as ox

    folder = store_path(copy)
    store = ox.Store.read_only(str(folder))
    return OxigraphBackend(store), FramesBackend(store, folder)


def test_serves_the_listings() -> None:
    assert SERVED == {
        "tasks",
        "sources",
        "co-responsibility",
        "similar-tasks",
        "instrument-mix-by-measure",
        *PARENT_LISTINGS,
    }
    assert SERVED <= set(CATALOGUE)


@pytest.mark.parametrize("name", sorted(SERVED))
def test_rows_equal_oxigraphs(
    name: str, engines: tuple[OxigraphBackend, FramesBackend], request: pytest.FixtureRequest
) -> None:
    oxigraph, frames = request.getfixturevalue("parent_engines") if name in PARENT_LISTINGS else engines
    for params in ({}, OTHER.get(name, {})):
        q = CATALOGUE[name]
        assert frames.serves(q, params)
        expected = oxigraph.run(q, params)
        got = frames.run(q, params)
        assert got.columns == expected.columns
        assert got.rows, f"{name}: the fixture should give rows"
        assert got.rows == expected.rows, f"{name} {params}: rows or their order differ"


def _contents(db: object) -> dict[str, list[tuple[str, ...]]]:
    """Every table as the listings read it (the views), sorted; and the files it came from."""
    out = {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in [*PROPERTIES, *CLASSES]}  # type: ignore[attr-defined]
    out["files"] = sorted(db.execute("SELECT link, ident FROM files").fetchall())  # type: ignore[attr-defined]
    return out


def _number(text: str) -> str:
    """A number's text in one form: the store keeps a decimal's canonical form ("1"), the file
    and so the tables the written one ("1.0"); the listings read both as numbers."""
    try:
        return str(Decimal(text).normalize())
    except ArithmeticError:
        return text


def test_the_tables_are_the_stores_triples_made_from_its_files(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each table holds what the store holds of its property or class (one row per distinct
    triple, however many files state it), and it is made from the files: no store is opened."""
    import pyoxigraph as ox

    folder = store_path(copy)
    store = ox.Store.read_only(str(folder))

    def no_store(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tables are made from the files, not from the store")

    monkeypatch.setattr(ox, "Store", no_store)
    target = tables.fresh(folder, folder.parent / "made-from-files.duckdb")
    monkeypatch.undo()
    db = duckdb.connect(str(target), read_only=True)
    files = {link for (link,) in db.execute("SELECT link FROM files").fetchall()}
    assert files == set(tables.loaded(folder)), "every file the store holds, and only those"
    for table, iri in PROPERTIES.items():
        expected = sorted(
            (r["s"].value, _number(r["o"].value), getattr(r["o"], "language", None) or "")
            for r in store.query(f"SELECT ?s ?o WHERE {{ ?s <{iri}> ?o FILTER(isIRI(?s)) }}")
        )
        got = sorted((s, _number(o), lang) for s, o, lang in db.execute(f"SELECT * FROM {table}").fetchall())
        assert got == expected, table
    for table, iri in CLASSES.items():
        expected = sorted((r["s"].value,) for r in store.query(f"SELECT ?s WHERE {{ ?s a <{iri}> FILTER(isIRI(?s)) }}"))
        assert sorted(db.execute(f"SELECT * FROM {table}").fetchall()) == expected, table
    db.close()


def test_other_queries_plans_and_user_text_are_not_served_by_the_five(
    engines: tuple[OxigraphBackend, FramesBackend],
) -> None:
    oxigraph, frames = engines
    assert not frames.serves(CATALOGUE["plans"], {})
    plan = str(oxigraph.run(CATALOGUE["plans"], {}).rows[0]["plan"])
    assert not frames.serves(CATALOGUE["tasks"], {"plan": plan})
    assert frames.run(CATALOGUE["tasks"], {"plan": plan}).rows == oxigraph.run(CATALOGUE["tasks"], {"plan": plan}).rows
    edited = CATALOGUE["tasks"]
    user = replace(edited, path=Path("mine.rq"), text=edited.text.replace("ORDER BY", "# mine\nORDER BY"))
    assert not frames.serves(user, {})


def test_the_query_command_uses_it_and_kept_answers_come_first(copy: Path) -> None:
    """Behind the query command (``query.backend``) the store's kept answers are served first;
    an evaluation (no kept answer, ``--evaluate``) is DuckDB's."""
    served = backend(copy)
    evaluated = backend(copy, views=False)
    assert isinstance(served, FramesBackend) and isinstance(evaluated, FramesBackend)
    q = CATALOGUE["co-responsibility"]
    rows = evaluated.run(q, {}).rows
    assert evaluated._db is not None, "evaluated on DuckDB"
    assert served.run(q, {}).rows == rows
    assert served.run(q, {}).rows == OxigraphBackend(served.store).run(q, {}).rows


def test_no_tables_evaluates_every_query_on_oxigraph(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--no-tables`` (``tables=False``): neither a listing nor a user's ``.rq`` that the tables
    could answer goes to DuckDB; Oxigraph gives the same rows, at the command line too."""
    from sciplan_kg import cli
    from sciplan_kg.query.catalogue import find_query

    oxigraph = backend(copy, views=False, tables=False)
    assert type(oxigraph) is OxigraphBackend
    frames = backend(copy, views=False)
    own = _users_tasks(tmp_path)
    try:
        for q in (CATALOGUE["co-responsibility"], find_query(str(own))):
            rows = oxigraph.run(q, {}).rows
            assert rows and rows == frames.run(q, {}).rows
        assert frames._db is not None, "the frames backend answered on DuckDB"
    finally:
        frames.close()  # this process opens the database again, writable (the tests below)

    args = ["query", "co-responsibility", "--data", str(copy), "--format", "csv", "--evaluate"]
    used: list[str] = []
    real = FramesBackend.run

    def spy(self: FramesBackend, q: object, params: dict[str, str], timeout: float | None = None) -> object:
        used.append("frames")
        return real(self, q, params, timeout)  # type: ignore[arg-type]

    monkeypatch.setattr(FramesBackend, "run", spy)
    assert cli.main([*args, "--no-tables"]) == 0
    plain = capsys.readouterr().out
    assert used == [] and plain.count("\n") > 1
    assert cli.main(args) == 0
    assert used == ["frames"] and capsys.readouterr().out == plain


def test_run_query_leaves_no_connection_open(five: BuildResult, tmp_path: Path) -> None:
    """``run_query`` closes its backend: rdflib's parser keeps the frames of its last parse
    alive (a user's ``.rq`` is parsed to be translated), and with them the DuckDB connection,
    so a writer in the same process (a sync after a build, in a notebook) could not open the
    database. Checked with the collector off: closed by the call, not by chance."""
    import gc

    from sciplan_kg.query import run_query

    copy = _synced_copy(five, tmp_path)  # a store of its own: this module's fixtures hold the other's open
    own = _users_tasks(tmp_path)
    target = tables.database_path(store_path(copy))
    gc.disable()
    try:
        for name in ("co-responsibility", str(own)):
            assert run_query(name, copy, views=False).rows
            db = tables.connect(target, memory=tables.MEMORY)  # a writer's configuration
            db.close()
    finally:
        gc.enable()


def _database(folder: Path) -> dict[str, list[tuple[str, ...]]]:
    db = tables.open_tables(folder)
    try:
        return _contents(db)
    finally:
        db.close()


def _fresh(folder: Path, where: Path) -> dict[str, list[tuple[str, ...]]]:
    target = tables.fresh(folder, where / "fresh.duckdb")
    db = duckdb.connect(str(target), read_only=True)
    try:
        return _contents(db)
    finally:
        db.close()
        target.unlink()


def _files_given_to(monkeypatch: pytest.MonkeyPatch, step: str) -> list[str]:
    """The links of the files the tables' ``step`` (``_stage``: read or parsed; ``_parse_in``:
    parsed) is given from now on, as a list that grows."""
    given: list[str] = []
    real = getattr(tables, step)

    def counting(db: object, store_dir: Path, todo: list[tuple[int, str]], work: Path) -> int:
        given.extend(link for _, link in todo)
        return int(real(db, store_dir, todo, work))

    monkeypatch.setattr(tables, step, counting)
    return given


def _three_plans_built(tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """Three of the bundled plans copied into a folder of their own and built: that folder, the
    bundled plans (the rest are added later), the build folder."""
    plans = tmp_path / "plans"
    plans.mkdir()
    files = sorted(PLANS_DIR.glob("*.txt"))
    for f in files[:3]:
        shutil.copy(f, plans / f.name)
    out = tmp_path / "build"
    build([plans], out)
    return plans, files, out


def test_add_replace_remove_one_plan_equals_a_fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans, files, out = _three_plans_built(tmp_path)
    sync(out, views=False)
    folder = store_path(out)
    assert _database(folder) == _fresh(folder, tmp_path)
    parsed = _files_given_to(monkeypatch, "_stage")
    listed = _folders_listed(monkeypatch)
    steps = {
        "add": lambda: shutil.copy(files[3], plans / files[3].name),
        "replace": lambda: (plans / files[0].name).write_text(
            files[0].read_text(encoding="utf-8").replace("科普", "科学普及", 3), encoding="utf-8"
        ),
        "remove": lambda: (plans / files[1].name).unlink(),
    }
    for step, change in steps.items():
        before = read_state(folder)
        change()
        build([plans], out, incremental=True)
        assert not sync(out, views=False, full_fraction=1.0).full
        changed = {graph_id(g) for g, digest in read_state(folder).items() if before.get(g) != digest}
        parsed.clear()
        listed.clear()
        updated = _database(folder)
        assert parsed, step
        assert len(parsed) < len(tables.loaded(folder)) / 2, f"{step}: only the files that changed are read"
        assert listed == [changed], f"{step}: only the folders of the graphs that changed are listed"
        assert updated == _fresh(folder, tmp_path), step


def _folders_listed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The graphs' folders ``tables.loaded`` is asked to list, each time it is asked for some."""
    asked: list[set[str]] = []
    real = tables.loaded

    def listing(store_dir: Path, graphs: Iterable[str] | None = None) -> dict[str, str]:
        if graphs is not None:
            asked.append(set(graphs))
        return real(store_dir, graphs)

    monkeypatch.setattr(tables, "loaded", listing)
    return asked


def test_the_census_of_an_update_is_the_stores_files(tmp_path: Path) -> None:
    """An update lists only the folders of the graphs whose digest changed since the database
    recorded them, and that census is every file the store holds, a folder no graph of the
    state names (a stopped sync's) included; a database that recorded no graphs (made before
    it did) lists every folder, and records them."""
    plans, files, out = _three_plans_built(tmp_path)
    sync(out)
    folder = store_path(out)
    db = duckdb.connect(str(tables.database_path(folder)))
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    held = {link: ident for link, (_, ident) in tables._held(db).items()}
    assert tables._recorded(meta) == read_state(folder)
    shutil.copy(files[3], plans / files[3].name)
    build([plans], out)
    sync(out, views=False, full_fraction=1.0)  # the store moves on, the tables stay
    stray = folder / "loaded" / ("f" * 24)
    stray.mkdir()
    shutil.copy(next((folder / "loaded").glob("*/*.ttl")), stray / "left.ttl")
    state, census, graphs = tables._consistent(folder, tables._recorded(meta), held)
    assert census == tables.loaded(folder) and f"{stray.name}/left.ttl" in census
    assert graphs == read_state(folder) and state == state_digest(folder)
    shutil.rmtree(stray)
    db.execute("DELETE FROM meta WHERE key = 'graphs'")  # as a database made before
    db.close()
    tables.update(folder)
    db = duckdb.connect(str(tables.database_path(folder)), read_only=True)
    assert tables._recorded(dict(db.execute("SELECT key, value FROM meta").fetchall())) == read_state(folder)
    db.close()
    assert _database(folder) == _fresh(folder, tmp_path)


def test_a_sync_brings_the_tables_it_has_in_step_and_makes_none(tmp_path: Path) -> None:
    """After a plan is added, the sync brings the store's tables in step with it (the next
    listing reads them at once); a store without tables is not given any by a sync."""
    from sciplan_kg.store.sync import state_digest

    plans, files, out = _three_plans_built(tmp_path)
    assert sync(out).full  # a full load: the tables made beside it
    folder = store_path(out)
    database = tables.database_path(folder)
    assert tables._state_of(database) == state_digest(folder)
    shutil.copy(files[3], plans / files[3].name)
    build([plans], out)
    assert not sync(out, full_fraction=1.0).full
    assert tables._state_of(database) == state_digest(folder)  # in step, before any query
    assert tables.update(folder) == {}  # nothing left for a query to do
    database.unlink()
    shutil.copy(files[4], plans / files[4].name)
    build([plans], out)
    assert not sync(out, full_fraction=1.0).full
    assert not database.exists()


def test_a_damaged_or_stale_database_is_made_anew(
    copy: Path, tmp_path: Path, engines: tuple[OxigraphBackend, FramesBackend]
) -> None:
    engines[1].close()  # this process's reader: DuckDB opens a file in one mode per process
    folder = store_path(copy)
    expected = _fresh(folder, tmp_path)
    target = tables.database_path(folder)
    _database(folder)
    target.write_bytes(target.read_bytes()[:5000])  # damaged
    assert _database(folder) == expected
    db = duckdb.connect(str(target))
    db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
    db.execute("DELETE FROM r_text")
    db.close()
    assert _database(folder) == expected, "another version: made anew"
    db = duckdb.connect(str(target))
    db.execute("UPDATE meta SET value = 'another state' WHERE key = 'state'")
    db.close()
    assert _database(folder) == expected, "another state: brought in step"
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")], "no temporary left behind"


def test_a_database_another_process_writes_falls_back_to_oxigraph(
    copy: Path, engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader never sees a half update: while another process holds the database for
    writing, the query waits (``tables.WAIT``), then is answered by Oxigraph."""
    import gc
    import subprocess
    import sys

    folder = store_path(copy)
    _database(folder)
    engines[1].close()  # this process's own readers let go of the file (a reader's shared lock
    gc.collect()  # would refuse the writer below: the test then fails at random, by test order)
    target = tables.database_path(folder)
    hold = f"import duckdb, sys; db = duckdb.connect({str(target)!r}); print('ok', flush=True); sys.stdin.read()"
    holder = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    oxigraph, _ = engines
    q = CATALOGUE["sources"]
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        monkeypatch.setattr(tables, "WAIT", 0.3)
        with pytest.raises(tables.Unavailable):
            tables.open_tables(folder)
        frames = FramesBackend(oxigraph.store, folder)
        assert frames.run(q, {}).rows == oxigraph.run(q, {}).rows
        assert frames._db is None, "answered by Oxigraph"
    finally:
        holder.communicate("")
    assert frames.run(q, {}).rows == oxigraph.run(q, {}).rows
    assert frames._db is not None, "the writer gone: DuckDB again"


def test_many_files_are_parsed_in_processes_to_the_same_tables(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = store_path(copy)
    serial = _fresh(folder, tmp_path)
    monkeypatch.setattr(tables, "PARALLEL_FROM", 2)
    monkeypatch.setattr(tables, "_jobs", lambda: 2)

    def not_here(*args: object) -> int:
        raise AssertionError("parsed in this process")

    monkeypatch.setattr(tables, "_insert", not_here)  # the spawned workers import the real one
    assert _fresh(folder, tmp_path) == serial
    assert not [p for p in tmp_path.iterdir() if p.name != "fresh.duckdb"], "the parts are removed"


def test_the_rows_companions_give_the_tables_parsing_gives(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan's three files are read from the rows companions the build wrote beside them (not
    parsed), and the tables equal those made by parsing every file; a file edited after its
    companion was written is parsed, its companion left unread."""
    out = _synced_copy(five, tmp_path)
    folder = store_path(out)
    parsed = _files_given_to(monkeypatch, "_parse_in")
    read = _fresh(folder, tmp_path)
    assert len(read["files"]) - len(parsed) == 15, "each plan's two graph files and similarity file"
    with monkeypatch.context() as m:
        m.setattr(tables, "_with_companions", lambda store_dir, todo: ([], todo))
        assert _fresh(folder, tmp_path) == read
        m.setattr(tables, "LIST_ROWS", 0)  # each table's parsed rows as numpy arrays, not lists
        assert _fresh(folder, tmp_path) == read
    # a plan's file edited by hand (its companion now stale): that file is parsed
    edited = sorted((out / "graph" / "asserted").glob("*.ttl"))[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("科普", "科学普及"), encoding="utf-8")
    sync(out, views=False, full_fraction=1.0)
    parsed.clear()
    now = _fresh(folder, tmp_path)
    assert len(now["files"]) - len(parsed) == 14
    with monkeypatch.context() as m:
        m.setattr(tables, "_with_companions", lambda store_dir, todo: ([], todo))
        assert _fresh(folder, tmp_path) == now
    assert now != read


def test_a_companion_read_by_duckdb_keeps_every_character(tmp_path: Path) -> None:
    from sciplan_kg.rdf.rows import companion_bytes, triples_rows
    from sciplan_kg.rdf.serialize import turtle_bytes
    from sciplan_kg.rdf.triples import Triples
    from tests.rdf.test_rows import _tricky

    triples = Triples(_tricky())
    rows = triples_rows(triples)
    f = tmp_path / "x.rows"
    f.write_bytes(companion_bytes(rows, turtle_bytes(triples)))
    db = duckdb.connect()
    tables._tables(db)
    assert tables._read_companions(db, [(7, f)]) == len(rows)
    got: list[tuple[str, str, str, str]] = []
    for table in PROPERTIES:
        for file, s, o, lang in db.execute(f"SELECT * FROM r_{table}").fetchall():
            assert file == 7
            got.append((table, s, o, lang))
    for table in CLASSES:
        got += [(table, s, "", "") for _, s in db.execute(f"SELECT * FROM r_{table}").fetchall()]
    assert sorted(got) == sorted(rows)


def test_duckdb_draws_no_progress_bar_into_what_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """DuckDB draws a progress bar on standard output once a statement has run 2 s (making the
    tables at 3,000 plans, a listing over them): into the CSV a query writes there. A connection
    of ``tables.connect`` draws none, made to draw at once; and every connection is made there."""
    real = duckdb.connect

    def eager(*args: object, **kwargs: object) -> object:
        db = real(*args, **kwargs)  # type: ignore[arg-type]
        db.execute("SET progress_bar_time = 0")  # (which turns the bar on, as DuckDB does)
        return db

    monkeypatch.setattr(duckdb, "connect", eager)
    db = tables.connect(tmp_path / "t.duckdb")
    capfd.readouterr()  # the statement that turns the bar off drew it, being made to draw at once
    try:
        assert db.execute("SELECT count(*) FROM range(3000000) t(x) WHERE x % 7 = 1").fetchall() == [(428572,)]
    finally:
        db.close()
    assert capfd.readouterr().out == ""
    made = {
        str(f.relative_to(SOURCE_DIR)): f.read_text(encoding="utf-8").count("duckdb.connect(")
        for f in SOURCE_DIR.rglob("*.py")
    }
    assert {f: n for f, n in made.items() if n} == {"query/tables.py": 1}


def test_a_memory_limit_reaches_duckdb(five: BuildResult) -> None:
    """``backend(..., memory=...)``: the report reads its corpus under 300 MB of DuckDB's memory
    (``publish/report/data.py``); without it DuckDB takes its own default."""
    from contextlib import closing

    from sciplan_kg.query import backend

    with closing(backend(five.out, memory="300MB")) as limited:  # one at a time: DuckDB opens a
        assert isinstance(limited, FramesBackend)  # file once per process, in one configuration
        (mine,) = limited.connection().execute("SELECT current_setting('memory_limit')").fetchone()
    with closing(backend(five.out)) as free:
        assert isinstance(free, FramesBackend)
        (theirs,) = free.connection().execute("SELECT current_setting('memory_limit')").fetchone()
    assert mine.startswith("286") or mine.startswith("300"), mine  # DuckDB reports MiB
    assert mine != theirs
    # beside a connection of the default configuration (a notebook's): set, not refused, and
    # given back when closed
    with closing(backend(five.out)) as free:
        assert isinstance(free, FramesBackend)
        db = free.connection()
        with closing(backend(five.out, memory="300MB")) as limited:
            assert isinstance(limited, FramesBackend)
            started = time.monotonic()
            (mine,) = limited.connection().execute("SELECT current_setting('memory_limit')").fetchone()
            assert time.monotonic() - started < 5  # not the 30 s a refused reader waits
            assert mine.startswith("286") or mine.startswith("300"), mine
        (after,) = db.execute("SELECT current_setting('memory_limit')").fetchone()
    assert after == theirs


def test_ctrl_c_caught_by_duckdb_is_an_interrupt_not_a_failed_query() -> None:
    """DuckDB turns SIGINT into its own InterruptException: that is the user's Ctrl-C (exit 130,
    "interrupted"), not "the DuckDB query failed" (exit 2); its timer's interrupt stays a time-out."""
    import duckdb

    from sciplan_kg.query.frames import _execute

    class Interrupted:
        def execute(self, *args: object) -> None:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

        def interrupt(self) -> None:
            pass

    with pytest.raises(KeyboardInterrupt):
        _execute(Interrupted(), "tasks", "SELECT 1", {}, None)
    with pytest.raises(KeyboardInterrupt):
        _execute(Interrupted(), "tasks", "SELECT 1", {}, 60.0)  # the timer had not fired
