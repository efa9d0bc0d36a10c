"""The embedded query store of a build folder: an Oxigraph database on disk, beside the folder
(``build/`` → ``build.oxigraph/``), holding the whole graph in its default graph.

One default graph, not a named graph per plan: Oxigraph answers a query over the union of
3,000 named graphs 5–10× slower than over one graph (it must merge the graphs' copies of a
triple). The named graphs are for a SPARQL server (``sciplan-kg load``), where a plan is
replaced by replacing its graph.

Keeping the store in step with the build folder, graph by graph (``dataset.graph_files``):

- ``state.json`` records a digest (path, size, mtime) of the files each graph was loaded from;
  ``loaded/`` keeps hard links to those files, so what was loaded is known after the build
  folder has moved on.
- ``glance.json`` records the build folder as it was when the store was last found in step
  (``_glance``: every graph file's name, inode, size and time, listed folder by folder) and
  the state's digest then: every query asks first, and when both are as recorded nothing
  changed (0.06 s at 3,000 plans, where naming and digesting every graph's files takes 0.45 s).
  The record is a shortcut, never the truth: anything else, and the digests are taken.
- A fresh store, or one where many graphs changed, is loaded whole: the files go to Oxigraph's
  bulk loader as Turtle streams (this package's files share one prefix header, written once)
  of ``LOAD_BATCH`` bytes each (the loader's memory grows with what it is given at once),
  into a new folder that then replaces the old one. The same bytes, as they stream past,
  make the subjects index (``subjects.py``: which file states which shared subject).
- Otherwise only the changed graphs' files are compared, file by file (paired by path): a
  file whose bytes did not change (the same inode, or equal bytes) is neither read again nor
  diffed (the same inode written in place since it was loaded, by hand, leaves nothing to
  compare with: the store is loaded whole); the others are split into Turtle blocks (this
  package writes one block per subject, blank-line separated). The blocks that went are
  removed (one SPARQL ``DELETE DATA``), those that came are added (Oxigraph parses both: no
  triple is made in Python), and every block that a file still in place states about a
  subject of the removed ones is added back: the files come from the subjects index
  (agencies, issuing bodies and documents that two graphs state; a plan's nodes that an
  unchanged file of a changed graph states), so a triple another graph still states stays,
  without searching every other file. Store = (store − went) ∪ came ∪ still stated = a fresh
  load. (A plan's nodes are stated by its own graph and by the link graphs, similarity and
  parents, which never repeat its triples: as before the index, no other graph is asked
  about them.) Adding or replacing one plan in 3,000 touches that plan's triples and its
  links.
- Changed graphs leave ``state.json`` before the store is touched and come back once done;
  the steps can be repeated, so a sync that is interrupted is finished by the next one.
- After a full load, before the new store replaces the old, an ``after_load`` callback given
  by the caller runs on it: the query layer makes its DuckDB tables there (``frames/``,
  ``query/tables.py``), evaluates the kept catalogue queries and keeps their answers in
  ``views/`` (``query/kept.py``). After a small change nothing is evaluated
  here (the change stays a matter of seconds): each catalogue query's first evaluation on the
  new state keeps its answer.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import traceback
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciplan_kg.errors import OS_ERRORS, InputError
from sciplan_kg.pipeline import outputs as folders
from sciplan_kg.pipeline.dataset import ONTOLOGY_GRAPH, graph_files
from sciplan_kg.pipeline.outputs import swap_subfolder, write_atomic
from sciplan_kg.rdf.rows import companion, companion_of, note_crc
from sciplan_kg.rdf.serialize import turtle_prefixes
from sciplan_kg.store import index, subjects

STATE = "state.json"
GLANCE = "glance.json"  # the build folder as last seen in step with the store (``_glance``)
LOADED = "loaded"
FULL_FRACTION = 0.2  # reload whole when more than this share of the graphs changed
LOAD_BATCH = 64 << 20  # bytes of Turtle in the bulk loads of a full load at once (its peak memory: ``_load_into``)
MAX_LOADERS = 4  # bulk loads at once in a full load, at most (fewer on fewer cores)
_HEADER = turtle_prefixes().encode("utf-8")
_HEADER_CRC = zlib.crc32(_HEADER)


def store_path(build: Path) -> Path:
    return build.with_name(build.name + ".oxigraph")


def _content(files: list[Path]) -> str:
    """What identifies the ontology graph: its files' bytes. The file is the installed
    package's, so its path and time change with every install (another virtual environment,
    a reinstall) while its content rarely does; a change of the ontology graph loads the store
    whole (minutes at 3,000 plans), which an identical file must not cost. Hashing it (about
    100 KB) takes a millisecond."""
    h = hashlib.sha256(b"content\0")
    for f in files:
        h.update(hashlib.sha256(Path(f).read_bytes()).digest())
    return h.hexdigest()


def _digest(files: list[Path]) -> str:
    """What identifies a graph's files: path, size and modification time of each. A build
    writes a changed plan's files anew and links an unchanged plan's files from the previous
    folder, so this changes exactly when the content may have; and it costs a stat, where
    hashing 3,000 plans' Turtle would add seconds to every query."""
    h = hashlib.sha256()
    for f in files:
        path = os.fspath(f)
        st = os.lstat(path)  # one call per file (6,000 at 3,000 plans): a link's target is resolved
        if stat.S_ISLNK(st.st_mode):
            st = os.stat(path)
            where = subjects.resolved(f)
        else:
            where = subjects.resolved_file(path)
        h.update(f"{where}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()


@dataclass
class SyncResult:
    loaded: int
    removed: int
    kept: int
    full: bool = False


def state_digest(store_dir: Path) -> str | None:
    """What identifies the store's content: the digest of its ``state.json`` (None: no store)."""
    try:
        return _digest_of((store_dir / STATE).read_bytes())
    except OSError:
        return None


def _digest_of(raw: bytes) -> str:
    """The digest of ``state.json``'s bytes: the one definition ``state_digest`` and
    ``read_state_and_digest`` share."""
    return hashlib.sha256(raw).hexdigest()


# what the caller of a full load does on the new store's folder (folder, state digest, number of
# graphs, final location) before it replaces the old: it runs once the files are linked in
# ``loaded/`` and the state is written, while Oxigraph compacts the store in another thread, so
# it reads those files and never opens the store
AfterLoad = Callable[[Path, str, int, Path], None]


def sync(
    build: Path,
    store_dir: Path | None = None,
    full_fraction: float = FULL_FRACTION,
    after_load: AfterLoad | None = None,
) -> SyncResult:
    """Bring the store of ``build`` in step with it; returns what was done. More than
    ``full_fraction`` of the graphs changed (or a fresh store): load it whole into a new folder,
    call ``after_load(folder, state digest, graphs, final location)`` on it before it replaces
    the old store (the query layer makes its DuckDB tables there: ``query.kept``). The store
    never imports the query layer."""
    store_dir = store_dir or store_path(build)
    glance = _glance(build)  # before anything is read: a file changed after it changes the next one
    if glance is not None and (graphs := _seen(store_dir, glance)) is not None:
        return SyncResult(0, 0, graphs)
    subjects.forget_folders()
    wanted = {str(name): files for name, files in graph_files(build).items()}
    owner = folders.check_output(store_dir, folders.QUERY_STORE)
    if owner is not None and owner.legacy:  # a store of an earlier version: mark it as the tool's
        with contextlib.suppress(OSError):
            folders.write_marker(store_dir, folders.QUERY_STORE)
    # each file's stat once per sync (6,000 files at 3,000 plans): the digests taken here are
    # the ones recorded; a file changed after this point changes the digest again, so the next
    # sync sees it
    digests = {name: _digest(files) for name, files in wanted.items()}
    if str(ONTOLOGY_GRAPH) in wanted:  # the installed package's file, not the build's: see _content
        digests[str(ONTOLOGY_GRAPH)] = _content(wanted[str(ONTOLOGY_GRAPH)])
    state, digest = read_state_and_digest(store_dir)
    if state == digests:  # nothing to write but the glance: no lock (the store may be read-only)
        _saw(store_dir, glance, digest, len(wanted))
        return SyncResult(0, 0, len(wanted))
    try:
        with folders.lock(store_dir, wait=True):
            result = _sync_locked(store_dir, wanted, digests, full_fraction, after_load)
            _saw(store_dir, glance, state_digest(store_dir), len(wanted))
            return result
    except OSError as exc:
        if not isinstance(exc, PermissionError) and exc.errno not in (errno.EROFS, errno.EACCES):
            raise
        if exc.filename is not None and not _inside(Path(exc.filename), store_dir):
            raise  # a graph file of the build that cannot be read: its own message names it
        raise _unwritable(store_dir, exc) from exc


def _glance(build: Path) -> str | None:
    """A digest of the build folder's graph files as listed: each file's name, inode, size and
    modification time, by one ``scandir`` of each folder the graphs' files are in, with the
    folders' real paths, the manifest and the marker, and the installed ontology's file. What
    ``_digest`` reads of the same files, without naming each file's path through the manifest
    first: 0.06 s at 3,000 plans where the graphs' digests take 0.45 s, which every query
    paid to learn that nothing had changed. None where it cannot vouch for the files: a folder
    that cannot be listed, or a graph file that is a symbolic link (whose target may change
    while the link does not); the graphs' digests are taken then."""
    from sciplan_kg.paths import ONTOLOGY_FILE
    from sciplan_kg.pipeline.folder import ASSERTED_DIR, GRAPH_DIR, INFERRED_DIR, MANIFEST, PARENTS_DIR, SIMILARITY_DIR

    h = hashlib.sha256(b"glance 1\0")
    try:
        for rel in ("", GRAPH_DIR, ASSERTED_DIR, INFERRED_DIR, SIMILARITY_DIR, PARENTS_DIR):
            folder = os.path.join(build, rel)
            try:
                with os.scandir(folder) as listing:
                    if rel:
                        entries = [e for e in listing if e.name.endswith(".ttl")]
                    else:
                        entries = [e for e in listing if e.name in (MANIFEST, folders.MARKER)]
            except FileNotFoundError:
                h.update(f"{rel}\0-\0".encode())
                continue
            h.update(f"{rel}\0{os.path.realpath(folder)}\0".encode())
            seen = []
            for e in entries:
                st = e.stat(follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    return None
                seen.append(f"{e.name}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0")
            seen.sort()
            h.update("".join(seen).encode())
        st = os.stat(ONTOLOGY_FILE)
        h.update(f"{ONTOLOGY_FILE}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    except OSError:
        return None
    return h.hexdigest()


def _seen(store_dir: Path, glance: str) -> int | None:
    """The number of graphs, if the store was last in step with a build folder of this glance
    and its state has not changed since (``GLANCE``: the glance, the state's digest then)."""
    try:
        seen = json.loads((store_dir / GLANCE).read_bytes())
        state = state_digest(store_dir)
        if state is not None and seen["glance"] == glance and seen["state"] == state:
            return int(seen["graphs"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _saw(store_dir: Path, glance: str | None, state: str | None, graphs: int) -> None:
    """Record that the store, in ``state``, is in step with a build folder of ``glance`` (or
    forget it: ``glance`` None). The record is a shortcut, never the truth: a store that cannot
    be written to (read-only) goes without it."""
    with contextlib.suppress(OSError):
        if glance is None or state is None:
            (store_dir / GLANCE).unlink(missing_ok=True)
        elif store_dir.is_dir():
            record = {"glance": glance, "graphs": graphs, "state": state}
            write_atomic(store_dir / GLANCE, (json.dumps(record, sort_keys=True) + "\n").encode("utf-8"))


def _inside(path: Path, folder: Path) -> bool:
    """Is ``path`` the folder, in it, or beside it under its name (its lock, its new folder)?"""
    path, folder = path.absolute(), folder.absolute()
    return path == folder or folder in path.parents or path.name.startswith(f".{folder.name}")


def _unwritable(store_dir: Path, exc: OSError) -> InputError:
    zh, en = OS_ERRORS.get(exc.errno or -1, ("无法写入", exc.strerror or "cannot write"))
    return InputError(
        store_dir,
        f"无法在构建目录旁建立查询库（{zh}）：请用 --store rdflib，或把构建目录复制到可写的位置 / cannot write the "
        f"query store beside the build folder ({en}): use --store rdflib, or copy the build folder somewhere writable",
    )


def _sync_locked(
    store_dir: Path,
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    full_fraction: float,
    after_load: AfterLoad | None,
) -> SyncResult:
    state = read_state(store_dir)  # again: another process may have synced while this one waited
    changed = sorted(n for n in wanted if state.get(n) != digests[n])
    gone = sorted(set(state) - set(wanted))
    if not changed and not gone:
        return SyncResult(0, 0, len(wanted))
    fresh = not (store_dir / STATE).is_file() or not (store_dir / LOADED).is_dir()
    many = len(changed) + len(gone) > full_fraction * max(len(wanted), 1)
    if fresh or many or str(ONTOLOGY_GRAPH) in changed or not all(_new_ours(store_dir, n, wanted[n]) for n in changed):
        _load_whole(store_dir, wanted, digests, after_load)
        return SyncResult(len(wanted), len(gone), 0, full=True)
    from sciplan_kg.store.update import update

    try:
        update(store_dir, wanted, digests, state, changed, gone)
    except subjects.Unreadable:  # a subject the index cannot follow: no guessing, load whole
        _load_whole(store_dir, wanted, digests, after_load)
        return SyncResult(len(wanted), len(gone), 0, full=True)
    return SyncResult(len(changed), len(gone), len(wanted) - len(changed))


def read_state(store_dir: Path) -> dict[str, str]:
    return read_state_and_digest(store_dir)[0]


def read_state_and_digest(store_dir: Path) -> tuple[dict[str, str], str | None]:
    """``read_state`` and ``state_digest`` from one read of ``state.json``, so that they agree
    (the query layer's tables record both: ``query.tables._consistent``)."""
    try:
        raw = (store_dir / STATE).read_bytes()
    except OSError:
        return {}, None
    try:
        state = json.loads(raw.decode("utf-8"))
    except ValueError:
        state = {}
    return (state if isinstance(state, dict) else {}), _digest_of(raw)


def _save_state(store_dir: Path, state: dict[str, str]) -> None:
    write_atomic(store_dir / STATE, (json.dumps(state, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _new_ours(store_dir: Path, name: str, files: list[Path]) -> bool:
    """Is every file of graph ``name`` that the store did not load as it is ours (``_ours``)?
    A file whose hard link in ``loaded/`` is the same inode was checked when it was loaded: of
    the similarity graph's 3,000 files an added plan changes a few, and reading every file's
    head cost a second of a sync."""
    try:
        there = _inodes(_links(store_dir, name))
    except OSError:
        there = {}
    return all(there.get(subjects.link_name(f)) == os.stat(f).st_ino or _ours(f) for f in files)


def _inodes(folder: Path) -> dict[str, int]:
    """The inode of each entry of a ``loaded/`` folder, by name (one scan, no stat per file)."""
    with os.scandir(folder) as it:
        return {e.name: e.inode() for e in it}


def _ours(f: Path) -> bool:
    """Written by this package (one prefix header, then subject blocks)?"""
    with f.open("rb") as fh:
        return fh.read(len(_HEADER)) == _HEADER


def loaded_files(store_dir: Path, graph: str) -> list[Path]:
    """The files the store in ``store_dir`` holds graph ``graph`` (its IRI) from, sorted: hard
    links kept in ``loaded/`` (so they are what the store holds, whatever became of the build
    folder since). Empty when the store holds no such graph; ``OSError`` when the folder
    cannot be read. The query layer evaluates a plan's query on these (``plan_scope``)."""
    folder = _links(store_dir, graph)
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".ttl"))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / n for n in names]


def loaded_file(store_dir: Path, graph: str, f: Path) -> Path | None:
    """The link (``loaded_files``) by which the store in ``store_dir`` holds the file ``f`` of
    graph ``graph``, found by name without listing the graph's folder (3,000 links in the
    split graphs); None when it holds no such file."""
    link = _links(store_dir, graph) / subjects.link_name(f)
    return link if link.is_file() else None


def settled(store_dir: Path, state: dict[str, str]) -> bool:
    """Whether ``state`` (``read_state``) is what a finished sync leaves: every graph in it has
    its ``loaded/`` folder and every folder there is of a graph in it. A sync under way (or
    stopped) takes the graphs it changes out of the state first, so a reader of
    ``loaded_files`` would miss them (the similarity graph changes with nearly every build)."""
    try:
        with os.scandir(store_dir / LOADED) as entries:  # a directory entry's type, no stat
            found = {e.name for e in entries if "." not in e.name and e.is_dir()}
    except (FileNotFoundError, NotADirectoryError):
        return not state
    return found == {index.graph_id(name) for name in state}


def _links(store_dir: Path, name: str) -> Path:
    """The ``loaded/`` folder of graph ``name`` (``loaded_files`` and ``loaded_file`` are the
    public ways in)."""
    return store_dir / LOADED / index.graph_id(name)


def _keep_links(store_dir: Path, name: str, files: list[Path]) -> None:
    """Hard links to the files ``name`` was loaded from (copies across file systems), named
    by their paths (``subjects.link_name``). A folder that exists is brought in step link by
    link (each an atomic rename; a link to the same file is left as it is): the similarity
    graph's 3,000 files changed in a few places by each added plan, where making every link
    anew cost a second of a sync. An interrupted update leaves each link old or new, and the
    graph out of ``state.json``: the next sync diffs what the links say and applies it again
    (removing and adding the same blocks twice changes nothing)."""
    final = _links(store_dir, name)
    wanted = _with_companions(files)
    if not final.is_dir():
        tmp = final.with_name(final.name + ".new")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for link, f in wanted.items():
            _link(f, tmp / link)
        swap_subfolder(tmp, final)
        return
    there = _inodes(final)
    for link, f in wanted.items():
        if there.get(link) == f.stat().st_ino:
            continue
        tmp = final / f".{link}.new"
        tmp.unlink(missing_ok=True)
        _link(f, tmp)
        os.replace(tmp, final / link)
    for link in there.keys() - wanted.keys():
        (final / link).unlink(missing_ok=True)


def _with_companions(files: list[Path]) -> dict[str, Path]:
    """The links to keep for ``files`` (``subjects.link_name``) and for the rows companion
    each has beside it (``rdf.rows``: ``X.ttl`` → ``X.rows``, linked as ``<link>.rows``), which
    the query layer's tables read instead of parsing the file when it matches its bytes."""
    wanted: dict[str, Path] = {}
    for f in files:
        link = subjects.link_name(f)
        wanted[link] = f
        rows = companion(f)
        if os.path.isfile(rows):
            wanted[companion_of(link)] = rows
    return wanted


def _link(f: Path, to: Path) -> None:
    try:
        os.link(f, to)
    except OSError:
        shutil.copyfile(f, to)


def _load_whole(
    store_dir: Path, wanted: dict[str, list[Path]], digests: dict[str, str], after_load: AfterLoad | None
) -> None:
    folders.remove_stale_temporaries(store_dir)
    tmp = folders.new_temporary(store_dir)

    def beside() -> None:
        if after_load is not None:
            after_load(tmp, state_digest(tmp) or "", len(wanted), store_dir)

    try:
        _load_into(tmp, wanted, digests, beside=beside)
        folders.swap_in(tmp, store_dir, folders.QUERY_STORE, whole=True)
    except BaseException as exc:
        # the failed load's frames hold the new store open, and RocksDB may still be writing
        # into its folder in the background: cleared, the store closes (its work ends) before
        # the folder is removed (else files written meanwhile left it behind)
        _clear_frames(exc)
        folders.discard(tmp)
        raise


def _clear_frames(exc: BaseException) -> None:
    """Clear the local variables of every frame ``exc`` and the exceptions it came from hold
    (a bulk load's error comes from its thread, inside the error that names the file)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        traceback.clear_frames(e.__traceback__)
        todo += (e.__cause__, e.__context__)


def _batches(files: list[tuple[str, Path]], size: int) -> Iterator[list[tuple[str, Path]]]:
    """Consecutive runs of files of about ``size`` bytes each (the last one smaller)."""
    batch: list[tuple[str, Path]] = []
    total = 0
    for item in files:
        batch.append(item)
        total += item[1].stat().st_size
        if total >= size:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def _loaders() -> int:
    """Bulk loads run at once in a full load: one per core, up to ``MAX_LOADERS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_LOADERS))


def _load_into(
    tmp: Path,
    wanted: dict[str, list[Path]],
    digests: dict[str, str],
    batch_bytes: int | None = None,
    beside: Callable[[], None] | None = None,
) -> None:
    """Load every graph's files into a new store in ``tmp``: runs of files, ``LOAD_BATCH``
    bytes of Turtle shared among ``_loaders()`` bulk loads that run at once, each in a thread
    of its own (Oxigraph parses and sorts outside the GIL). Why runs: Oxigraph's bulk loader
    holds about 11 bytes of memory per byte of Turtle it is given, so one stream of 3,000 plans
    peaks at 1.9 GB. Why at once: a bulk load of fewer than a million triples parses them
    first and only then sorts and writes them, one core at a time; two such loads side by
    side keep both cores busy (3,000 plans on 2 cores: 97 s in 64 MB runs one after the other,
    55 s in 32 MB runs two at a time, peak 1.0 GB). The subjects index is made from the same
    bytes as they are read.

    Then Oxigraph compacts the store (``optimize``) in a thread while this one links the files,
    writes the index and the state and calls ``beside`` (the query layer makes its tables from
    the files: 3,000 plans on 2 cores, 20 s of compaction and 44 s of tables one after the
    other)."""
    from collections import deque
    from concurrent.futures import Future, ThreadPoolExecutor, wait

    import pyoxigraph as ox

    store = ox.Store(str(tmp))
    records: dict[str, dict[str, subjects.Record]] = {name: {} for name in wanted}
    ours = [(name, f) for name, files in wanted.items() for f in files if _ours(f)]
    loaders = _loaders()
    size = max(1, (batch_bytes or LOAD_BATCH) // loaders)
    running: deque[tuple[Future[None], list[tuple[str, Path]]]] = deque()

    def finish() -> None:
        done, batch = running.popleft()
        try:
            done.result()
        except SyntaxError:
            for _, f in batch:  # name the file: the run's line numbers are no use
                _load_file(ox.Store(), f)
            raise

    with ThreadPoolExecutor(loaders) as pool:
        try:
            for batch in _batches(ours, size):
                data = _turtle(batch, records)
                if len(running) == loaders:  # no more runs in memory than loads at once
                    finish()
                running.append((pool.submit(_bulk_load, store, data), batch))
            while running:
                finish()
        finally:
            for done, _ in running:
                done.cancel()
    for name, files in wanted.items():
        for f in files:
            if not _ours(f):
                _load_file(store, f)
                records[name][subjects.link_name(f)] = subjects.describe_parsed(f)
    store.flush()
    # the bulk loader leaves many overlapping files: compacting them once makes every later
    # lookup one seek instead of one per file (30x faster joins on a 1,000-plan corpus; 3-5x
    # on whole-corpus listings at 3,000 plans)
    with ThreadPoolExecutor(1) as compactor:
        compacted = compactor.submit(store.optimize)
        try:
            for name, files in wanted.items():
                _keep_links(tmp, name, files)
            index.write_whole(tmp, {name: subjects.entry(digests[name], records[name]) for name in wanted})
            _save_state(tmp, digests)
            if beside is not None:
                beside()
        finally:
            wait([compacted])
        compacted.result()
    del store


def _bulk_load(store: Any, data: bytes) -> None:
    import pyoxigraph as ox

    store.bulk_load(data, format=ox.RdfFormat.TURTLE, lenient=True)


def _parse(data: bytes, f: Path) -> Iterator[Any]:
    import pyoxigraph as ox

    try:
        yield from ox.parse(data, format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise InputError(f, f"RDF 语法错误 / invalid Turtle: {exc}") from exc


def _turtle(files: list[tuple[str, Path]], records: dict[str, dict[str, subjects.Record]]) -> bytes:
    """One Turtle document from files that all begin with ``_HEADER``; each file's record for
    the subjects index is made on the way."""
    parts = [_HEADER]
    for name, f in files:
        with f.open("rb") as fh:
            st = os.fstat(fh.fileno())
            fh.seek(len(_HEADER))
            data = fh.read()
        records[name][subjects.link_name(f)] = subjects.describe(data, st)
        # the file's CRC-32, which the query layer's tables check its rows companion against
        note_crc(st, zlib.crc32(data, _HEADER_CRC))
        parts += (data, b"\n")
    return b"".join(parts)


def _load_file(store: Any, f: Path) -> None:
    import pyoxigraph as ox

    try:
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise InputError(f, f"RDF 语法错误 / invalid Turtle: {exc}") from exc


def open_store(build: Path, after_load: AfterLoad | None = None) -> Any:
    """The synced store of ``build``, opened for reading."""
    return open_store_in_state(build, after_load)[0]


def open_store_in_state(build: Path, after_load: AfterLoad | None = None) -> tuple[Any, str | None]:
    """The synced store of ``build``, opened for reading, and its state (``state_digest``) read
    before it was opened: the store is a snapshot at least that new; if another process syncs
    meanwhile, the state differs from the one read next (what ``OxigraphBackend`` checks)."""
    store_dir = store_path(build)
    try:
        return _synced(build, store_dir, after_load)
    except (RuntimeError, OSError) as exc:  # RocksDB's "Corruption: …", a file of it gone
        if _system(exc):
            raise
        if not _forget_damaged(store_dir):
            raise _damaged(store_dir, exc) from exc
    try:  # once more, loaded anew
        return _synced(build, store_dir, after_load)
    except (RuntimeError, OSError) as exc:
        if _system(exc):
            raise
        raise _damaged(store_dir, exc) from exc


def _synced(build: Path, store_dir: Path, after_load: AfterLoad | None) -> tuple[Any, str | None]:
    import pyoxigraph as ox

    sync(build, after_load=after_load)
    state = state_digest(store_dir)
    return ox.Store.read_only(str(store_dir)), state


def _system(exc: BaseException) -> bool:
    """The system's error (a full disk, no permission), which names its own file, not a store
    that will not open."""
    return isinstance(exc, OSError) and (exc.errno is not None or isinstance(exc, PermissionError))


def _damaged(store_dir: Path, exc: BaseException) -> InputError:
    return InputError(
        store_dir,
        f"查询库已损坏，无法打开；请删除它（会由构建目录重新生成）/ the query store is damaged and cannot be "
        f"opened: delete it (it is made again from the build folder): {str(exc)[:200]}",
    )


def _forget_damaged(store_dir: Path) -> bool:
    """Make a store that will not open be loaded anew by the next sync: its state and glance
    forgotten (the full load writes a new folder and swaps it in). Only a store the tool owns
    whole (its marker says so); False for any other."""
    marker = folders.read_marker(store_dir)
    if marker is None or marker.kind != folders.QUERY_STORE or marker.files is not None:
        return False
    with folders.lock(store_dir, wait=True):
        for name in (STATE, GLANCE):
            (store_dir / name).unlink(missing_ok=True)
    return True
