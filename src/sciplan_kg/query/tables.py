"""The DuckDB database the whole-corpus listings read (``query/frames.py``), kept in the store's
folder (``build.oxigraph/frames/tables.duckdb``) and updated file by file.

Why from the files and not from the store: copying the tables out of Oxigraph cost 204 CPU s
and 1.77 GiB at 3,101 plans and was due again after every added plan (docs/engines.md). The
store already keeps hard links to every file it holds (``loaded/``, ``store.sync``); each
file's rows (``rdf/rows.py``) depend on that file alone. So the database records which files
its rows came from (``files``: link path, and inode, size and modification time — a link to
the same bytes keeps them) and an update reads only the files that came or changed: adding one
plan to 3,000 parses that plan's two files and the few similarity files it changed.

It always equals the store's content: it records the store's state (``sync.state_digest``) it
was made from; a query finds the same digest and reads it at once, or brings it in step under
the store folder's lock (no sync runs meanwhile) in one transaction. A triple stated by two
files (an agency's label in the registry and in a plan) is one triple in the store; the tables
keep a row per file (so that removing one file leaves the other's) and the listings read them
through views that keep one (``SELECT DISTINCT``).

Crash safety: a fresh database is written under a temporary name and renamed; an update is one
DuckDB transaction (its write-ahead log undoes a half one). A database that does not open, is
of another version, or fails while being updated is removed and made anew — never served.
Concurrency: DuckDB locks the file: a reader opens it read-only (several at once); an update
needs it alone, and a reader that finds it being written waits for the writer to finish.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sciplan_kg.rdf.rows import (
    CLASSES,
    PROPERTIES,
    SCHEMA,
    TABLES,
    companion,
    companion_matches,
    oxigraph_rows,
)

FOLDER = "frames"
DATABASE = "tables.duckdb"
VERSION = f"3 {SCHEMA}"  # of the schema and the rows: a database of another version is made anew
BATCH = 64 << 20  # bytes of Turtle parsed before their rows go to DuckDB (bounds the update's memory)
PARALLEL_FROM = 64  # files per process from which a fresh database or a big update is parsed in parallel
WAIT = 30.0  # seconds a reader waits for a writer of the database before giving up
LIST_ROWS = 5_000  # rows of a table given to DuckDB as lists (fewer) or numpy arrays (``_insert``)
_COLUMN_TYPES = ("INTEGER", "VARCHAR", "VARCHAR", "VARCHAR")  # file, s, o, lang
MEMORY = "600MB"  # DuckDB's memory while it writes the tables (beyond it, to the file or its temp folder)


def connect(path: Path, read_only: bool = False, memory: str | None = None) -> Any:
    """A DuckDB connection to the database ``path``, with DuckDB's progress bar off: it prints
    to standard output once a statement has run 2 s (making the tables, a listing at 3,000
    plans), into the CSV or JSON a query writes there. Every connection is made here."""
    import duckdb

    # a reader's limit is SET, not given when connecting: DuckDB opens a file once per process,
    # and a second connection to it with another configuration is refused (the one a notebook
    # holds would make the report's reader wait, then fall back to Oxigraph)
    at_connect = {"memory_limit": memory} if memory and not read_only else {}
    db = duckdb.connect(str(path), read_only=read_only, config=at_connect)
    try:
        db.execute("SET enable_progress_bar = false")  # a connection's setting (its cursors share it)
        if memory and read_only:  # the database's setting: its other connections in this process too
            db.execute("SET memory_limit = ?", [memory])
    except BaseException:
        db.close()
        raise
    return db


class Unavailable(Exception):
    """The database cannot be used now (no DuckDB, a read-only store, a writer holding it
    too long): the caller answers with Oxigraph instead."""


def database_path(store_dir: Path) -> Path:
    return store_dir / FOLDER / DATABASE


def _tables(db: Any) -> None:
    for table in PROPERTIES:
        db.execute(f"CREATE TABLE r_{table} (file INTEGER, s VARCHAR, o VARCHAR, lang VARCHAR)")
    for table in CLASSES:
        db.execute(f"CREATE TABLE r_{table} (file INTEGER, s VARCHAR)")


def _schema(db: Any) -> None:
    """The tables (a row per file that states it), the views the listings read (a row per
    triple), the files, and what the database was made from."""
    db.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    db.execute("CREATE TABLE files (id INTEGER, link VARCHAR, ident VARCHAR)")
    _tables(db)
    for table in PROPERTIES:
        db.execute(f"CREATE VIEW {table} AS SELECT DISTINCT s, o, lang FROM r_{table}")
    for table in CLASSES:
        db.execute(f"CREATE VIEW {table} AS SELECT DISTINCT s FROM r_{table}")
    db.execute("INSERT INTO meta VALUES ('version', ?), ('state', '')", [VERSION])


def loaded(store_dir: Path, graphs: Iterable[str] | None = None) -> dict[str, str]:
    """The files the store holds (``loaded/<graph id>/<link>``) → their identity: inode, size,
    modification time (a hard link shares them with the file it was made from); of the graphs
    whose ids are ``graphs`` only, or of every graph."""
    from sciplan_kg.store.sync import LOADED

    root = store_dir / LOADED
    if graphs is None:
        graphs = _graph_folders(root)
    out: dict[str, str] = {}
    for g in sorted(graphs):
        try:
            files = os.scandir(root / g)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with files:
            for f in files:
                if f.name.endswith(".ttl") and not f.name.startswith("."):
                    st = f.stat()
                    out[f"{g}/{f.name}"] = f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
    return out


def _graph_folders(root: Path) -> set[str]:
    """The graphs' folders in ``loaded/`` (a sync's ``.new`` one under way left out)."""
    with os.scandir(root) as entries:
        return {g.name for g in entries if g.is_dir() and not g.name.endswith(".new")}


def _insert(db: Any, store_dir: Path, todo: list[tuple[int, str]]) -> int:
    """Parse the files ``todo`` (id, link path) and insert their rows, in batches of about
    ``BATCH`` bytes of Turtle; the number of rows. Each batch goes to DuckDB as columns (numpy
    arrays, one set per table): no text file in between (Python's CSV writer cost twice the
    parse). A table's few rows (the files an added plan changes besides its own: the dataset
    description, the parent links) go as lists, without importing numpy."""
    import pyoxigraph as ox

    from sciplan_kg.store.sync import LOADED

    total, i = 0, 0
    while i < len(todo):
        columns: dict[str, tuple[list[int], list[str], list[str], list[str]]] = {t: ([], [], [], []) for t in TABLES}
        size = 0
        while i < len(todo) and size < BATCH:
            fid, link = todo[i]
            path = store_dir / LOADED / link
            size += path.stat().st_size
            for table, subject, text, lang in oxigraph_rows(ox.parse(path=str(path))):
                files, subjects, objects, langs = columns[table]
                files.append(fid)
                subjects.append(subject)
                objects.append(text)
                langs.append(lang)
            i += 1
        for table, (files, subjects, objects, langs) in columns.items():
            if not files:
                continue
            if len(files) <= LIST_ROWS:
                values = [files, subjects, *((objects, langs) if table in PROPERTIES else ())]
                unnested = ", ".join(f"unnest(?::{t}[])" for t in _COLUMN_TYPES[: len(values)])
                db.execute(f"INSERT INTO r_{table} SELECT {unnested}", values)
            else:
                import numpy as np

                stage = {"file": np.array(files, dtype=np.int32), "s": np.array(subjects, dtype=object)}
                if table in PROPERTIES:
                    stage["o"] = np.array(objects, dtype=object)
                    stage["lang"] = np.array(langs, dtype=object)
                db.register("stage", stage)
                db.execute(f"INSERT INTO r_{table} SELECT * FROM stage")
                db.unregister("stage")
            total += len(files)
        del columns
    return total


def _part(store_dir: Path, todo: list[tuple[int, str]], path: Path) -> int:
    """A worker's share of ``_stage``: the rows of ``todo`` into a database of its own."""
    db = connect(path)
    try:
        _tables(db)
        return _insert(db, store_dir, todo)
    finally:
        db.close()


def _jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _with_companions(
    store_dir: Path, todo: list[tuple[int, str]]
) -> tuple[list[tuple[int, Path]], list[tuple[int, str]]]:
    """The files of ``todo`` whose rows companion the store keeps beside them and made from
    exactly their bytes (``rdf.rows.companion_matches``): (id, companion path); and the others."""
    from sciplan_kg.store.sync import LOADED

    read: list[tuple[int, Path]] = []
    parse: list[tuple[int, str]] = []
    for fid, link in todo:
        path = store_dir / LOADED / link
        rows = companion(path)
        if companion_matches(rows, path):
            read.append((fid, rows))
        else:
            parse.append((fid, link))
    return read, parse


def _read_companions(db: Any, todo: list[tuple[int, Path]]) -> int:
    """Insert the rows of the companions ``todo`` (id, path), read by DuckDB's CSV reader (every
    core, no row through Python), ``BATCH`` bytes of them at a time; the number of rows."""
    total, i = 0, 0
    while i < len(todo):
        batch: list[tuple[int, Path]] = []
        size = 0
        while i < len(todo) and size < BATCH:
            batch.append(todo[i])
            size += todo[i][1].stat().st_size
            i += 1
        paths = [str(p) for _, p in batch]
        db.execute(
            "CREATE OR REPLACE TEMP TABLE ids AS SELECT unnest(?::INTEGER[]) AS id, unnest(?::VARCHAR[]) AS path",
            [[fid for fid, _ in batch], paths],
        )
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        db.execute(
            f"CREATE OR REPLACE TEMP TABLE stage AS SELECT ids.id AS file, TRY_CAST(r.t AS {_TABLE_NAMES}) AS t, "
            "r.s, r.o, coalesce(r.lang, '') AS lang "
            f"FROM read_csv([{listed}], columns={{'t': 'VARCHAR', 's': 'VARCHAR', 'o': 'VARCHAR', 'lang': 'VARCHAR'}}, "
            "header=false, skip=1, delim=',', quote='\"', escape='\"', allow_quoted_nulls=false, filename=true, "
            "auto_detect=false) r "
            "JOIN ids ON r.filename = ids.path"
        )
        db.execute("DROP TABLE ids")
        for table in PROPERTIES:
            db.execute(f"INSERT INTO r_{table} SELECT file, s, o, lang FROM stage WHERE t = '{table}'")
        for table in CLASSES:
            db.execute(f"INSERT INTO r_{table} SELECT file, s FROM stage WHERE t = '{table}'")
        total += db.execute("SELECT count(*) FROM stage WHERE t IS NOT NULL").fetchall()[0][0]
        db.execute("DROP TABLE stage")
    return total


# the tables' names as a DuckDB ENUM: the stage's ``t`` then holds a small number, and picking
# each table's rows out of it (an INSERT … WHERE t = … per table) compares those (3,000 plans:
# 3 CPU s fewer of the tables' 26)
_TABLE_NAMES = "ENUM(" + ", ".join(f"'{t}'" for t in TABLES) + ")"


def _stage(db: Any, store_dir: Path, todo: list[tuple[int, str]], work: Path) -> int:
    """The rows of the files ``todo`` into ``db``: read from their rows companions where the
    store keeps ones that match them (the plans' files a build wrote: ``_read_companions``);
    the other files are parsed, here for a few files (one plan added), in one process per core
    for many (parsing is the cost, and it is Python's), each into a database of its own in
    ``work`` that is then copied in."""
    read, todo = _with_companions(store_dir, todo)
    return _read_companions(db, read) + _parse_in(db, store_dir, todo, work)


def _parse_in(db: Any, store_dir: Path, todo: list[tuple[int, str]], work: Path) -> int:
    jobs = min(_jobs(), len(todo) // PARALLEL_FROM)
    if jobs < 2:
        return _insert(db, store_dir, todo)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [todo[n::jobs] for n in range(jobs)]
    parts = [work / f"part-{n}.duckdb" for n in range(jobs)]
    context = multiprocessing.get_context("spawn")  # no fork of a process holding DuckDB's threads
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        total = sum(pool.map(_part, [store_dir] * jobs, shares, parts))
    for n, part in enumerate(parts):
        db.execute(f"ATTACH '{part}' AS part{n} (READ_ONLY)")
        for table in TABLES:
            db.execute(f"INSERT INTO r_{table} SELECT * FROM part{n}.r_{table}")
        db.execute(f"DETACH part{n}")
        part.unlink()
    return total


def _held(db: Any) -> dict[str, tuple[int, str]]:
    """The files whose rows the database holds: link → (id, identity)."""
    return {link: (fid, ident) for fid, link, ident in db.execute("SELECT id, link, ident FROM files").fetchall()}


def _recorded(meta: dict[str, str]) -> dict[str, str] | None:
    """The store's graphs (IRI → digest) as the database last recorded them (None: not recorded,
    a database made before they were)."""
    try:
        graphs = json.loads(meta["graphs"])
    except (KeyError, TypeError, ValueError):
        return None
    return graphs if isinstance(graphs, dict) else None


def _apply(
    db: Any,
    store_dir: Path,
    census: tuple[str, dict[str, str], dict[str, str]],
    work: Path,
    known: dict[str, tuple[int, str]] | None = None,
) -> dict[str, int]:
    """Bring the tables of ``db`` to the store's ``census`` (``_consistent``: its state, files and
    graphs): the rows of files gone or changed removed, those of files new or changed added, the
    state and graphs recorded; what was done. ``known``: ``_held(db)``, if read already."""
    state, files, graphs = census
    known = _held(db) if known is None else known
    gone = [fid for link, (fid, ident) in known.items() if files.get(link) != ident]
    came = sorted(link for link, ident in files.items() if known.get(link, (0, None))[1] != ident)
    if gone:
        db.execute("CREATE OR REPLACE TEMP TABLE gone AS SELECT unnest(?::INTEGER[]) AS id", [gone])
        for table in [*PROPERTIES, *CLASSES]:
            db.execute(f"DELETE FROM r_{table} WHERE file IN (SELECT id FROM gone)")
        db.execute("DELETE FROM files WHERE id IN (SELECT id FROM gone)")
        db.execute("DROP TABLE gone")
    first = db.execute("SELECT COALESCE(max(id), 0) FROM files").fetchall()[0][0] + 1
    todo = [(first + n, link) for n, link in enumerate(came)]
    if todo:  # as lists unnested side by side: no numpy to import for the few files of an add
        ids, links = zip(*todo, strict=True)
        db.execute(
            "INSERT INTO files SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [list(ids), list(links), [files[link] for link in links]],
        )
    rows = _stage(db, store_dir, todo, work)
    db.execute("UPDATE meta SET value = ? WHERE key = 'state'", [state])
    db.execute("INSERT OR REPLACE INTO meta VALUES ('graphs', ?)", [json.dumps(graphs, sort_keys=True)])
    return {"removed": len(gone), "added": len(came), "rows": rows}


def _consistent(
    store_dir: Path, recorded: dict[str, str] | None = None, held: dict[str, str] | None = None
) -> tuple[str, dict[str, str], dict[str, str]]:
    """The store's state digest, its files and its graphs (``state.json``: IRI → digest of the
    graph's files), read while no sync changes them (the sync holds the store folder's lock
    while it writes). ``recorded``: the graphs as the database last recorded them, ``held``
    its files (link → identity): a graph whose digest is the one recorded is the one the
    database holds (the sync changed neither it nor its ``loaded/`` folder), so its files are
    taken from ``held`` and only the other graphs' folders are listed. Adding one plan to 3,000
    then lists 4 folders instead of 3,006: 0.36 s on a cold cache, 0.1 s on a warm one."""
    from sciplan_kg.store.index import graph_id
    from sciplan_kg.store.sync import LOADED, read_state_and_digest, state_digest

    graphs, digest = read_state_and_digest(store_dir)
    state = digest or ""
    present = _graph_folders(store_dir / LOADED)
    if recorded is None or held is None:
        files = loaded(store_dir, present)
    else:
        same = {graph_id(g) for g, digest in graphs.items() if recorded.get(g) == digest} & present
        files = {link: ident for link, ident in held.items() if link.partition("/")[0] in same}
        files.update(loaded(store_dir, present - same))
    if (state_digest(store_dir) or "") != state:
        raise Unavailable("the store changed while it was read")
    return state, files, {str(g): str(d) for g, d in graphs.items()}


def _state_of(path: Path) -> str | None:
    """The state a database was made from (None: no usable database there)."""
    import duckdb

    try:
        db = connect(path, read_only=True)
    except Exception as exc:
        if _busy(exc):
            raise _Busy from exc
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        return None
    finally:
        db.close()
    return meta.get("state") if meta.get("version") == VERSION else None


class _Busy(Exception):
    """Another process holds the database for writing, or another connection of this process
    holds it in another mode."""


def _busy(exc: BaseException) -> bool:
    """Is ``exc`` DuckDB refusing a file someone else holds (not a damaged file)?"""
    import duckdb

    if isinstance(exc, duckdb.ConnectionException):  # this process holds it in another mode
        return True
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def fresh(store_dir: Path, target: Path | None = None) -> Path:
    """A new database of the store's files, written under a temporary name and renamed into
    place (``target``, by default ``database_path``); returns that path."""
    target = target or database_path(store_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    census = _consistent(store_dir)
    with tempfile.TemporaryDirectory(prefix=".tables-", dir=target.parent) as tmp:
        path = Path(tmp) / DATABASE
        db = connect(path, memory=MEMORY)
        try:
            _schema(db)
            # one transaction: each INSERT on its own commits through the write-ahead log (3,000
            # plans: 20 s of inserts, against 12 s); the memory limit makes DuckDB write the
            # transaction's rows to the file as they come instead of holding them (2.3 GB peak)
            db.execute("BEGIN TRANSACTION")
            _apply(db, store_dir, census, Path(tmp))
            db.execute("COMMIT")
            db.execute("CHECKPOINT")
        finally:
            db.close()
        os.replace(path, target)
    return target


def update(store_dir: Path) -> dict[str, int]:
    """Bring the database in step with the store's files in one transaction (a fresh one when
    there is none or it cannot be used); what was done."""
    import duckdb

    from sciplan_kg.store.sync import state_digest

    target = database_path(store_dir)
    try:
        db = connect(target, memory=MEMORY)
    except Exception as exc:
        if _busy(exc):
            raise _Busy from exc
        db = None
    if db is None:
        _remove(target)
        fresh(store_dir)
        return {"fresh": 1}
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != VERSION:
            raise duckdb.Error("another version")
        if meta.get("state") == (state_digest(store_dir) or ""):
            return {}
        held = _held(db)
        census = _consistent(store_dir, _recorded(meta), {link: ident for link, (_, ident) in held.items()})
        db.execute("BEGIN TRANSACTION")
        try:
            with tempfile.TemporaryDirectory(prefix=".parts-", dir=target.parent) as work:
                done = _apply(db, store_dir, census, Path(work), held)
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                db.execute("ROLLBACK")
            raise
        return done
    except duckdb.Error:
        db.close()
        db = None
        _remove(target)
        fresh(store_dir)
        return {"fresh": 1}
    finally:
        if db is not None:
            db.close()


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


@contextlib.contextmanager
def _store_lock(store_dir: Path) -> Iterator[None]:
    """The store folder's lock (``pipeline.outputs.lock``): no sync changes ``loaded/`` and
    ``state.json`` while the database is brought in step with them."""
    from sciplan_kg.pipeline.outputs import lock

    try:
        with lock(store_dir, wait=True):
            yield
    except PermissionError as exc:
        raise Unavailable(f"the store folder cannot be written: {exc}") from exc


def open_tables(store_dir: Path, wait: float | None = None, memory: str | None = None) -> Any:
    """A read-only DuckDB connection to the database of the store in ``store_dir``, brought in
    step with the store first, with DuckDB's memory limit ``memory`` if given. ``Unavailable``
    when it cannot be (the caller uses Oxigraph)."""
    try:
        import duckdb
    except ImportError as exc:
        raise Unavailable("DuckDB is not installed") from exc
    from sciplan_kg.store.sync import state_digest

    target = database_path(store_dir)
    deadline = time.monotonic() + (WAIT if wait is None else wait)
    while True:
        try:
            if _state_of(target) != (state_digest(store_dir) or ""):
                with _store_lock(store_dir):
                    update(store_dir)
            db = connect(target, read_only=True, memory=memory)
            state = dict(db.execute("SELECT key, value FROM meta").fetchall()).get("state")
            if state == (state_digest(store_dir) or ""):
                return db
            db.close()  # a sync came between the update and the opening: again
        except (_Busy, Unavailable, duckdb.IOException, duckdb.ConnectionException) as exc:
            if isinstance(exc, Unavailable) and "cannot be written" in str(exc):
                raise
            if time.monotonic() > deadline:
                raise Unavailable(f"the tables are being written by another process: {exc}") from exc
        except OSError as exc:
            raise Unavailable(f"cannot write the tables beside the store: {exc}") from exc
        if time.monotonic() > deadline:
            raise Unavailable("the store kept changing")
        time.sleep(0.1)
