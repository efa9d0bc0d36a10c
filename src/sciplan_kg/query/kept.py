"""Kept answers: the catalogue queries' answers at their default parameters, kept beside the
embedded store (``build.oxigraph/views/``) and served instead of evaluating the query again.

Why: Oxigraph spends 3–10 µs on each row of each pattern (an index seek, a dictionary lookup
for every long literal): on 3,000 plans a listing of 100,000–300,000 rows takes 10–20 s however
the query is written, and counting the 310,000 similarity links alone takes 2 s. A corpus
changes only when it is built or a plan is added, and the catalogue is fixed: so each
catalogue query is answered once per state of the store, as a database keeps a materialised
view, and a query is then a file read (the 310,000 similar-task rows: 0.9 s).

Which: only the queries whose header says ``#+ keep: yes`` (``catalogue.py``): the
whole-corpus listings that still take more than 5 s to evaluate at 3,000 plans (``tasks``,
``sources``, ``co-responsibility``, ``similar-tasks``, ``instrument-mix-by-measure``). The
others evaluate in a few seconds; keeping them cost half of the time after a full load and
disk for every state, for a saving of a second or two at their first run.

When: at each kept query's first evaluation on the store's current state (``keep``), after a
full load as after a small change: evaluated on the DuckDB tables (``query/tables.py``, which
a full load makes) a listing takes 2–5 s at 3,000 plans, so the load does not make all five
before a first query can be answered (``after_load``). ``keep_answers`` makes the missing ones
at once (``compute``: on the tables, or one read-only Oxigraph process per core, each answer
streamed from the solutions into its file, ``stream_encode``).

A kept answer is served only when it is exactly what evaluating the query would give:

- the store is in the state it was computed from (``state`` is the digest of the store's
  ``state.json``, which holds the digest of every graph's files, see ``store/sync.py``);
- the query's text is the text it was computed from (its sha256: an edited catalogue file
  makes its answer stale);
- the parameters are the defaults (none given, or the given ones equal to the defaults as
  RDF terms), except a selecting parameter (``selecting``: ``-p plan IRI``, ``-p task IRI``),
  which is served as the rows of the whole answer that hold it.

Otherwise the query is evaluated (``sciplan-kg query --evaluate`` always evaluates).
``tests/test_views.py`` holds every kept answer, and every selection from one, equal to
evaluation.

Files: one per query and state (``answer_file``: ``<name>.<key>.json``, the key a digest of
the state and the query's text), then ``index.json`` naming, for each query, the state and the
query text its answer was computed from: the answer is written before its entry, so an
interrupted write serves nothing, and a file only ever holds the answer its name says, so two
processes keeping answers of two states at once cannot cross them. An answer is JSON with its
columns dictionary-encoded (each column's distinct values once, then one index per row):
310,000 similar-task rows take 18 MB instead of 106 MB and load in 0.9 s instead of 1.7 s.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import re
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Variable

from sciplan_kg.query.catalogue import CatalogueQuery, catalogue
from sciplan_kg.query.run import QueryResult, Value, bindings, text_form

if TYPE_CHECKING:
    from sciplan_kg.store.sync import SyncResult

VIEWS = "views"
INDEX = "index.json"
PARALLEL_FROM = 100  # graphs in the store from which answers are made in worker processes
JOBS = 1  # worker processes at once: the peak of memory, not the cores, is the limit (compute)


def text_digest(q: CatalogueQuery) -> str:
    return hashlib.sha256(q.text.encode("utf-8")).hexdigest()


def encode(result: QueryResult) -> bytes:
    """A result as JSON, each column dictionary-encoded."""
    values: list[list[Value]] = []
    index: list[list[int]] = []
    for c in result.columns:
        table: dict[tuple[type, Value], int] = {}  # keyed by type too: 1, 1.0 and True are equal keys
        index.append([table.setdefault((type(r[c]), r[c]), len(table)) for r in result.rows])
        values.append([v for _, v in table])
    doc = {"columns": result.columns, "rows": len(result.rows), "values": values, "index": index}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Malformed(ValueError):
    """A kept answer that is JSON but not what ``encode`` writes: it is evaluated instead."""


_SCALARS = (str, int, float, bool, type(None))


def decode(data: bytes, where: dict[str, str] | None = None, columns: list[str] | None = None) -> QueryResult:
    """The result ``encode`` wrote; with ``where``, only its rows whose columns hold those
    values; with ``columns``, it must have exactly those columns. A document that is not what
    ``encode`` writes (other keys or types, codes out of range, columns of unequal length)
    raises ``Malformed``."""
    doc = json.loads(data)
    if not isinstance(doc, dict) or set(doc) != {"columns", "rows", "values", "index"}:
        raise Malformed("not a kept answer")
    names, n, values, index = doc["columns"], doc["rows"], doc["values"], doc["index"]
    if not isinstance(names, list) or not all(isinstance(c, str) for c in names) or len(set(names)) != len(names):
        raise Malformed("columns")
    if columns is not None and columns and names != columns:
        raise Malformed("not the query's columns")
    if type(n) is not int or n < 0:
        raise Malformed("rows")
    if not isinstance(values, list) or not isinstance(index, list) or not len(values) == len(index) == len(names):
        raise Malformed("one list of values and of codes per column")
    for distinct, codes in zip(values, index, strict=True):
        if not isinstance(distinct, list) or not all(type(v) in _SCALARS for v in distinct):
            raise Malformed("values")
        if not isinstance(codes, list) or len(codes) != n:
            raise Malformed("codes")
        if n and not (set(map(type, codes)) == {int} and 0 <= min(codes) and max(codes) < len(distinct)):
            raise Malformed("codes out of range")
    if not names:
        return QueryResult(names, [{} for _ in range(n)])
    keep: range | list[int] = range(n)
    for column, wanted in (where or {}).items():
        if column not in names:
            raise Malformed(f"no column {column}")
        j = names.index(column)
        found = {i for i, v in enumerate(values[j]) if v == wanted}
        codes = index[j]
        keep = [r for r in keep if codes[r] in found]
    cells = [[distinct[codes[r]] for r in keep] for distinct, codes in zip(values, index, strict=True)]
    return QueryResult(names, [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)])


def _views(store_dir: Path) -> Path:
    return store_dir / VIEWS


def answer_file(store_dir: Path, state: str | None, q: CatalogueQuery) -> Path:
    """The file of ``q``'s answer on the store in state ``state``: ``<name>.<key>.json``, the key
    a digest of the state and the query's text. A file so named only ever holds the answer its
    name says: two processes keeping an answer for two states (one that opened the store before
    a sync, one after) write two files, and the index entry of either names its own (one file
    per query, rewritten, could be left holding one state's rows under the other's entry)."""
    return _views(store_dir) / _file_name(q.name, _entry(state, q))


def _file_name(name: str, entry: dict[str, Any]) -> str:
    """``<name>.<key>.json`` of the answer an index entry (state, query digest) names."""
    key = hashlib.sha256(f"{entry.get('state')}\n{entry.get('query')}".encode()).hexdigest()[:16]
    return f"{name}.{key}.json"


def _answer_files(folder: Path, name: str) -> list[Path]:
    """Every answer file of the query ``name`` in ``folder`` (any state; the single
    ``<name>.json`` of versions before the keyed names too)."""
    try:
        found = [p for p in folder.glob(f"{name}.*.json") if _KEY.fullmatch(p.name[len(name) + 1 : -5])]
    except OSError:
        return []
    return sorted(found) + [p for p in (folder / f"{name}.json",) if p.exists()]


_KEY = re.compile(r"[0-9a-f]{16}")


def _drop_others(folder: Path, name: str) -> None:
    """Remove the query's answer files that the index does not name once they are an hour old
    (``STALE``), and the unkeyed file of older versions: answers of earlier states are never
    served again. Not younger ones: another process may have written its answer and not yet
    its index entry (a worker's answer waits for the others'), and removing it would only make
    its readers evaluate again."""
    import time

    current = _file_name(name, _index(folder).get(name) or {})
    now = time.time()
    for p in _answer_files(folder, name):
        if p.name == current:
            continue
        with contextlib.suppress(OSError):
            if p.name == f"{name}.json" or now - p.stat().st_mtime > STALE:
                p.unlink()


def read(store_dir: Path, state: str | None, q: CatalogueQuery, params: dict[str, str]) -> QueryResult | None:
    """The kept answer of ``q`` with ``params``, or None when there is none that is current.
    A parameter that selects rows (``selecting``) is applied to the kept answer."""
    if text_form(q.text) != "SELECT" or not q.keep:
        return None  # only rows are kept, and only of a query that says so (``#+ keep: yes``)
    where = selecting(q, params)
    rest = {name: value for name, value in params.items() if name not in where}
    if not _default(q, rest, state):
        return None
    folder = _views(store_dir)
    if _index(folder).get(q.name) != _entry(state, q):
        return None
    try:
        return decode(answer_file(store_dir, state, q).read_bytes(), where, q.columns)
    except (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError):
        return None  # a damaged or wrong file (Malformed is a ValueError): evaluate, and keep again


def selecting(q: CatalogueQuery, params: dict[str, str]) -> dict[str, str]:
    """The given parameters that select rows, by column: an IRI parameter without a default
    that names one of the query's columns (``-p plan IRI``, ``-p task IRI``) gives exactly the
    rows of the whole answer whose column holds that IRI (``tests/test_queries.py`` holds every
    catalogue query to it), so such a query is served from its kept answer too."""
    names = selecting_names(q)
    return {name: str(bindings(q, {name: value})[Variable(name)]) for name, value in params.items() if name in names}


def selecting_names(q: CatalogueQuery) -> set[str]:
    return {p.name for p in q.params if p.type == "iri" and p.default is None and p.name in q.columns}


def keep(store_dir: Path, state: str | None, q: CatalogueQuery, params: dict[str, str], result: QueryResult) -> bool:
    """Keep ``result``, the evaluation of ``q`` with ``params`` on the store in state ``state``,
    when it is the answer at the default parameters of a catalogue query; returns whether kept.
    A store folder that cannot be written to keeps nothing."""
    known = catalogue().get(q.name)
    if result.form != "SELECT" or not _default(q, params, state) or known is None or known.text != q.text:
        return False  # not the catalogue's query (a .rq file of the same name, an edited copy)
    if not known.keep:
        return False  # evaluated fast enough: a kept answer would only cost a write and the disk
    from sciplan_kg.pipeline.outputs import write_atomic

    folder = _views(store_dir)
    path = answer_file(store_dir, state, q)
    try:
        write_atomic(path, encode(result))
        _write_index(folder, {q.name: _entry(state, q)})
    except OSError:
        return False
    _drop_others(folder, q.name)
    return True


def _default(q: CatalogueQuery, params: dict[str, str], state: str | None) -> bool:
    return state is not None and bindings(q, params) == bindings(q, {})


def _entry(state: str | None, q: CatalogueQuery) -> dict[str, str | None]:
    return {"state": state, "query": text_digest(q)}


def _write_index(folder: Path, entries: dict[str, dict[str, str | None]]) -> None:
    """Add ``entries`` to the index, once their answers' files are written (another process may
    have added entries meanwhile: the index is read again just before it is replaced)."""
    from sciplan_kg.pipeline.outputs import write_atomic

    index = _index(folder)
    index.update(entries)
    write_atomic(folder / INDEX, (json.dumps(index, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _read_only(store_dir: Path) -> Any:
    import pyoxigraph as ox

    return ox.Store.read_only(str(store_dir))


def stream_encode(store: Any, q: CatalogueQuery) -> Iterator[bytes]:
    """``encode(OxigraphBackend(store).run(q, {}))`` of a SELECT query, byte for byte, in
    pieces, without the rows as Python dicts: each solution's terms are dictionary-encoded as they come from
    Oxigraph (one small integer per cell, in an ``array``), the final ORDER BY is a sort of
    row numbers, and each distinct term becomes a Python value once. The 310,000 similar-task
    rows held as dicts of values and tuples of terms took hundreds of MB per query, and two
    such queries ran at once: the peak of the load + answers step at 3,000 plans (1.6 GB).
    The query is evaluated before the first piece is given (so a failing query writes
    nothing); raises what ``store.query`` raises."""
    from sciplan_kg.query.backends import order_key, oxigraph_value, split_order, with_values
    from sciplan_kg.query.run import _sort_multi

    text = with_values(q.text, bindings(q, {}), q.name)
    unordered, keys = split_order(text)
    solutions = store.query(unordered)
    columns = [v.value for v in solutions.variables]
    if not all(var in columns for var, _ in keys):
        solutions, keys = store.query(text), []  # as OxigraphBackend._rows: Oxigraph sorts
    terms: list[dict[Any, int]] = [{} for _ in columns]
    codes = [array("I") for _ in columns]
    n = 0
    for solution in solutions:
        n += 1
        for table, column, term in zip(terms, codes, solution, strict=True):
            code = table.get(term)
            if code is None:
                code = table[term] = len(table)
            column.append(code)
    order: range | list[int] = range(n)
    for var, descending in reversed(keys):  # stable sorts, last key first, as _rows
        j = columns.index(var)
        sort_keys = [order_key(t) for t in terms[j]]
        column = codes[j]
        order = sorted(order, key=lambda r: sort_keys[column[r]], reverse=descending)
    head = {"columns": columns, "rows": n}
    yield _json(head)[:-1] + b',"values":['
    finals: list[array[int]] = []
    for j, (table, column) in enumerate(zip(terms, codes, strict=True)):
        name = columns[j]
        values: list[Value] = []
        for term in table:  # in code order
            value = oxigraph_value(term)
            if name in q.multivalued:
                value = _sort_multi(value)
            if name in q.booleans and isinstance(value, int):
                value = bool(value)
            values.append(value)
        # encode's codes: by (type, value), numbered in the order rows first show them
        final: dict[tuple[type, Value], int] = {}
        by_term = array("I", [0]) * len(values)
        seen = bytearray(len(values))
        out = array("I")
        for r in order:
            c = column[r]
            if not seen[c]:
                v = values[c]
                by_term[c] = final.setdefault((type(v), v), len(final))
                seen[c] = 1
            out.append(by_term[c])
        yield (b"," if j else b"") + _json([v for _, v in final])
        finals.append(out)
        terms[j] = {}
        codes[j] = array("I")  # the term codes of this column are no longer needed
    yield b'],"index":['
    for j, out in enumerate(finals):
        yield (b",[" if j else b"[") + ",".join(map(str, out)).encode("ascii") + b"]"
        finals[j] = array("I")
    yield b"]}"


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _answer(store: Any, store_dir: Path, state: str, q: CatalogueQuery) -> bool:
    """Evaluate ``q`` and write its answer's file (the index entry is the caller's), streamed
    from the solutions (``stream_encode``); whether it was written."""
    from sciplan_kg.pipeline.outputs import write_atomic
    from sciplan_kg.query.backends import embedded_form

    pieces = stream_encode(store, q)
    try:
        if embedded_form(q) != "SELECT":
            return False  # only rows are kept
        first = next(pieces)  # the query is evaluated here
        write_atomic(answer_file(store_dir, state, q), _chain(first, pieces))
    except OSError:
        raise  # a folder that cannot be written to: as before, the caller's to report
    except Exception:  # no answer kept: the query is evaluated, and its error reported, when asked for
        return False
    return True


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


_UNWRITABLE = 3  # a worker's exit status: the answer's folder could not be written to


def _answer_in_process(store_dir: Path, state: str, q: CatalogueQuery) -> None:
    """A forked process's work: one answer; its exit status says whether it was written (0),
    not (1), or could not be for the folder (``_UNWRITABLE``). It ends by ``os._exit``: an
    exception left to multiprocessing would print its traceback to the user's terminal."""
    import os

    from sciplan_kg.workers import die_with_parent

    die_with_parent()
    try:
        status = 0 if _answer(_read_only(store_dir), store_dir, state, q) else 1
    except OSError:
        status = _UNWRITABLE
    except BaseException:  # nothing kept: the query is evaluated when asked for
        status = 1
    os._exit(status)


def _in_processes(store_dir: Path, state: str, todo: list[CatalogueQuery], jobs: int) -> dict[str, bool]:
    """Each query in a process of its own, forked by this thread, ``jobs`` at a time: the memory
    of a 300,000-row answer goes back to the system with its process, so at most ``jobs``
    answers are held at once, and opening the store costs milliseconds. (Not a Pool with
    ``maxtasksperchild``: its replacement workers are forked by a helper thread, whose end
    the parent-death signal of ``die_with_parent`` follows.)"""
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    waiting, running, done = list(todo), {}, {}
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                q = waiting.pop(0)
                proc = ctx.Process(target=_answer_in_process, args=(store_dir, state, q), daemon=True)
                proc.start()
                running[proc.sentinel] = (proc, q.name)
            for sentinel in wait(list(running)):
                proc, name = running.pop(sentinel)  # type: ignore[call-overload]
                proc.join()
                done[name] = proc.exitcode == 0
                if proc.exitcode == _UNWRITABLE:  # as the in-line path: the caller's to report
                    raise OSError(errno.EACCES, "the kept answers' folder cannot be written to", str(_views(store_dir)))
    finally:
        for proc, _ in running.values():
            proc.kill()
            proc.join()
    return done


def compute(
    store_dir: Path,
    state: str,
    graphs: int,
    jobs: int | None = None,
    frames: bool = False,
) -> list[str]:
    """Evaluate the catalogue queries whose kept answer is missing or stale on the store in
    ``store_dir`` (closed for writing) and keep the answers; returns their names. A store of
    ``PARALLEL_FROM`` graphs or more is queried by read-only worker processes, ``jobs`` at a
    time (``JOBS``: one), the largest answers first (by the size of the last ones kept here),
    so that no worker is left alone with a long one at the end.

    One at a time, though the machine has more cores: the memory is Oxigraph's own evaluation
    (``co-responsibility`` at 3,000 plans: 1.1 GB for a 10 MB answer), and two such processes
    at once peaked at 1.44 GiB, at the issue's 1.5 GiB line; one at a time the step peaks at
    its largest query.

    ``frames``: the store's DuckDB tables are made and in step: the queries they serve are
    evaluated on them first, in this process (``_with_frames``); the rest in this process too
    (streamed, one at a time): a process that has run DuckDB's threads is not forked."""
    folder = _views(store_dir)
    _sweep(folder)
    queries = {name: q for name, q in catalogue().items() if q.keep}
    index = _index(folder)
    _forget(folder, [name for name in index if name not in queries])
    todo = [q for name, q in queries.items() if index.get(name) != _entry(state, q)]
    todo.sort(key=lambda q: -_size(store_dir / VIEWS, q.name))
    jobs = jobs or JOBS
    done: dict[str, bool] = {}
    if frames:
        done = {q.name: True for q in todo if _with_frames(store_dir, state, q)}
        todo = [q for q in todo if q.name not in done]
    if graphs >= PARALLEL_FROM and len(todo) > 1 and not frames:  # no fork once DuckDB ran here
        done |= _in_processes(store_dir, state, todo, jobs)
    elif todo:
        store = _read_only(store_dir)
        done |= {q.name: _answer(store, store_dir, state, q) for q in todo}
        del store
    made = sorted(name for name, ok in done.items() if ok)
    if made:
        _write_index(folder, {name: _entry(state, queries[name]) for name in made})
        for name in made:
            _drop_others(folder, name)
    return made


STALE = 3600.0  # seconds after which a temporary answer file is a writer's that was killed


def _sweep(folder: Path) -> None:
    """Remove the temporary files (``write_atomic``'s ``.<name>.json.*``) that writers killed
    mid-write left, once they are an hour old: a writer alive now (another process keeping an
    answer) is never that slow, and its file must not go from under it."""
    import time

    now = time.time()
    try:
        found = [p for p in folder.glob(".*.json.*") if p.is_file()]
    except OSError:
        return
    for tmp in found:
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE:
                tmp.unlink()


def _forget(folder: Path, names: list[str]) -> None:
    """Remove the answers of queries no longer kept (kept by an older version, or a query whose
    ``#+ keep: yes`` was taken out): never served, they would only take disk. The entries go
    first, then the files; a name that is not a plain query name is left alone."""
    from sciplan_kg.pipeline.outputs import write_atomic

    names = [n for n in names if _PLAIN.fullmatch(n)]
    if not names:
        return
    index = {name: entry for name, entry in _index(folder).items() if name not in names}
    write_atomic(folder / INDEX, (json.dumps(index, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    for name in names:
        for p in _answer_files(folder, name):
            p.unlink(missing_ok=True)


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _index(folder: Path) -> dict[str, Any]:
    try:
        index = json.loads((folder / INDEX).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}  # damaged: nothing is served, and the next answer kept writes it anew
    if not isinstance(index, dict):
        return {}
    return {name: entry for name, entry in index.items() if isinstance(entry, dict)}


def answer_size(store_dir: Path, name: str) -> int:
    """The size of the largest answer of the query ``name`` the store in ``store_dir`` keeps
    (0: none): how long it takes to write, roughly (the report's workers start the largest first)."""
    return _size(_views(store_dir), name)


def _size(folder: Path, name: str) -> int:
    """The size of the query's largest answer file in ``folder`` (0: none)."""
    sizes = [0]
    for p in _answer_files(folder, name):
        with contextlib.suppress(OSError):
            sizes.append(p.stat().st_size)
    return max(sizes)


def after_load(store_dir: Path, state: str, graphs: int, final: Path) -> None:
    """What a full load of the store does beside it (``store.sync``'s ``after_load``, while
    Oxigraph compacts the new store): make the DuckDB tables of the whole-corpus listings
    (``query/tables.py``) from the files it loaded; no answer is kept here.

    Why the tables here: the first listing evaluated after a full load would make them anyway
    (44 s of parsing on 2 cores at 3,000 plans), and made beside the compaction they cost
    about half that in wall time. Why no answers: evaluated on the tables, a catalogue
    listing takes 2–5 s at 3,000 plans, so each is kept at its first evaluation (as after a
    small change) instead of all five before the first query is answered (12 s more; issue
    22: what a first query needs). ``keep_answers`` keeps them all at once. When the tables
    cannot be made (DuckDB missing, a file it cannot read) a later query tries again
    (``tables.open_tables``) or Oxigraph answers."""
    _tables_made(store_dir)


def _tables_made(store_dir: Path, afresh: bool = True) -> bool:
    """Make the DuckDB tables of the store in ``store_dir`` afresh (a new store, closed for
    writing) or bring them in step (the synced store); whether they are there."""
    from sciplan_kg.query.frames import available

    if not available():
        return False
    from sciplan_kg.query import tables

    try:
        if afresh:
            tables.fresh(store_dir)
        else:
            tables.open_tables(store_dir).close()
    except Exception:  # an accelerator only: Oxigraph answers, the tables are made later or never
        return False
    return True


def _with_frames(store_dir: Path, state: str, q: CatalogueQuery) -> bool:
    """Keep ``q``'s answer evaluated on the store's DuckDB tables (``FramesBackend``, rows
    equal to Oxigraph's: ``tests/query/test_frames.py``); whether it was written. In this
    process, one query at a time: no fork of a process that holds DuckDB's threads, and one
    answer's rows are held at once."""
    from sciplan_kg.pipeline.outputs import write_atomic
    from sciplan_kg.query.frames import FramesBackend

    backend = FramesBackend(_read_only(store_dir), store_dir)
    try:
        if not backend.serves(q, {}):
            return False
        result = backend.run(q, {})
    except Exception:  # no answer kept: the query is evaluated, and its error reported, when asked for
        return False
    finally:
        backend.close()
    write_atomic(answer_file(store_dir, state, q), encode(result))
    return True


def sync_store(build: Path, views: bool = True, full_fraction: float | None = None) -> SyncResult:
    """Bring the query store of ``build`` in step, and with ``views`` its DuckDB tables: a full
    load makes them (``after_load``), an update of the store brings the tables it has in step
    (``tables.update``: the added plan's rows), so that the next query of any kind is answered
    at once. Tables the store does not have are not made here (a query makes them when it
    needs them)."""
    from sciplan_kg.store.sync import FULL_FRACTION, store_path, sync

    fraction = FULL_FRACTION if full_fraction is None else full_fraction
    result = sync(build, full_fraction=fraction, after_load=after_load if views else None)
    if views and not result.full and (result.loaded or result.removed):
        store_dir = store_path(build)
        from sciplan_kg.query.tables import database_path

        if database_path(store_dir).is_file():
            _tables_made(store_dir, afresh=False)
    return result


def open_store(build: Path, views: bool = True) -> Any:
    """The synced store of ``build``, opened for reading (tables made after a full load)."""
    return open_store_in_state(build, views)[0]


def open_store_in_state(build: Path, views: bool = True) -> tuple[Any, str | None]:
    """``open_store`` and the state the store was opened in (``sync.open_store_in_state``)."""
    from sciplan_kg.store.sync import open_store_in_state as open_synced

    return open_synced(build, after_load=after_load if views else None)


def keep_answers(build: Path) -> list[str]:
    """Evaluate the catalogue queries whose answer the synced store of ``build`` does not keep
    for its current state, and keep them, all at once rather than at each query's first run
    (on the DuckDB tables where they serve the query). Returns their names."""
    from sciplan_kg.store.sync import read_state, state_digest, store_path, sync

    store_dir = store_path(build)
    sync(build, after_load=after_load)
    state = state_digest(store_dir)
    if not state:
        return []
    return compute(store_dir, state, len(read_state(store_dir)), frames=_tables_made(store_dir, afresh=False))
