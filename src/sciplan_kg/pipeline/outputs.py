"""Folders the tool writes, and the rule that keeps a user's files safe.

Every folder sciplan-kg writes (a build folder, a report, a store) carries a marker file,
``.sciplan-kg``: the kind of folder, the tool's version and the files it wrote (or ``"all"``
for a folder it owns whole, such as a store). A command writes its output only into

* a new path, or an empty folder;
* a folder carrying its own kind's marker;
* a folder written by an earlier version of the tool before markers existed, recognised by
  the files only that kind of folder holds (``_LEGACY``);

and refuses anything else with exit 2 and a message: a home folder, a folder of notes, the
input folder, another kind of output (``report --out build/``). An output inside an input, or
an input inside the output, is refused too (``check_output``).

A folder is replaced whole: written to a temporary sibling and swapped in by renames, so a
failed or interrupted run leaves the previous folder as it was. Whatever the previous folder
holds that the tool did not write (a notes file a user put into ``build/``, an export) is moved
into the new folder, never deleted; the old folder is then emptied of exactly the files the
tool wrote (``remove_owned``), and left in place, with a warning, if anything else remains.

One writer at a time: ``lock`` takes an exclusive lock on ``.<name>.lock`` beside the folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sciplan_kg.errors import SciplanError

MARKER = ".sciplan-kg"
TOOL = "sciplan-kg"
VERSION = "0.1.0"

BUILD = "build"
REPORT = "report"
QUERY_STORE = "query-store"
SERVE_STORE = "serve-store"
TEMPORARY = "temporary"

_KIND_NAMES = {
    BUILD: "构建目录 / build folder",
    REPORT: "报告目录 / report folder",
    QUERY_STORE: "查询库 / query store",
    SERVE_STORE: "服务库 / server store",
    TEMPORARY: "临时目录 / temporary folder",
}


class OutputRefused(SciplanError):
    """An output path the tool will not write: it would replace or delete what is not its own."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        self.why = why
        super().__init__(f"{path}: {why}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.why))


@dataclass(frozen=True)
class Marker:
    kind: str
    files: frozenset[str] | None  # None: the tool owns every file in the folder
    version: str = VERSION
    legacy: bool = False

    def owns(self, relative: str) -> bool:
        return self.files is None or relative in self.files


# folders written before the marker existed (versions of 2026-11-23 to 12-03): (the proof that the
# tool wrote the folder, which files are ours). Files a user's folder also holds are no proof: a
# web site has index.html and style.css, any Oxigraph or RocksDB database a CURRENT file, an
# application a manifest.json; the proof is what only the tool writes in them.
def _legacy_build(folder: Path) -> Callable[[str], bool] | None:
    if not (folder / "graph" / "registry.ttl").is_file():
        return None
    manifest = _json(folder / "manifest.json")
    if not (isinstance(manifest, dict) and isinstance(manifest.get("plans"), list) and "asserted_triples" in manifest):
        return None  # not the tool's manifest
    top = {"manifest.json", "validation.txt", "validation.json", "warnings.txt", "coverage.json"}
    # (and a build folder whose marker was lost: its originals and state too)
    return lambda rel: (
        rel in top or rel.split("/", 1)[0] in ("graph", "records", "plans", "sources", "originals", "state")
    )


_LEGACY_REPORT_FOOTER = "sciplan-kg 报告 · report"  # every page's footer, then as now


def _legacy_report(folder: Path) -> Callable[[str], bool] | None:
    if not (folder / "style.css").is_file():
        return None
    try:
        with (folder / "index.html").open(encoding="utf-8", errors="replace") as f:
            page = f.read(1 << 20)
    except OSError:
        return None
    if _LEGACY_REPORT_FOOTER not in page:
        return None  # a web site of the user's
    return lambda rel: rel in ("index.html", "style.css") or rel.split("/", 1)[0] in ("plans", "sources", "charts")


def _rocksdb_file(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return (
        name in ("CURRENT", "IDENTITY", "LOCK")
        or name.startswith(("LOG", "MANIFEST-", "OPTIONS-"))
        or (name.endswith((".sst", ".log", ".blob")))
    )


_GRAPHS = "https://w3id.org/sciplan-kg/"


def _legacy_store(folder: Path) -> Callable[[str], bool] | None:
    """A query store of an earlier version: the database and the ``state.json`` naming the
    tool's graphs it was loaded with. A database alone (a server's store of then, or anyone's
    Oxigraph or RocksDB database) is no proof: refused."""
    if not (folder / "CURRENT").is_file():
        return None
    state = _json(folder / "state.json")
    if not (isinstance(state, dict) and state and all(str(k).startswith(_GRAPHS) for k in state)):
        return None
    return lambda rel: _rocksdb_file(rel) or rel == "state.json" or rel.split("/", 1)[0] in ("loaded", "views")


def _json(path: Path) -> object:
    """The JSON value in ``path``, or None when it cannot be read as JSON (at most 64 MB)."""
    try:
        with path.open("rb") as f:
            data = f.read(64 << 20)
        return json.loads(data)
    except (OSError, ValueError):
        return None


_LEGACY = {BUILD: _legacy_build, REPORT: _legacy_report, QUERY_STORE: _legacy_store, SERVE_STORE: _legacy_store}


def read_marker(folder: Path) -> Marker | None:
    """The marker of ``folder``, or None when it has none (or one that is not the tool's)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tool") != TOOL or data.get("kind") not in _KIND_NAMES:
        return None
    files = data.get("files")
    if files == "all":
        return Marker(data["kind"], None, str(data.get("version", "")))
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return Marker(data["kind"], frozenset(files), str(data.get("version", "")))


def marker_bytes(kind: str, files: Iterable[str] | None) -> bytes:
    data = {"tool": TOOL, "kind": kind, "version": VERSION, "files": "all" if files is None else sorted(files)}
    return (json.dumps(data, ensure_ascii=False, indent=0) + "\n").encode("utf-8")


def write_marker(folder: Path, kind: str, files: Iterable[str] | None = None) -> None:
    (folder / MARKER).write_bytes(marker_bytes(kind, files))


def _entries(folder: Path) -> list[str]:
    try:
        return [e.name for e in os.scandir(folder)]
    except FileNotFoundError:
        return []


def ownership(folder: Path, kind: str) -> Marker | None:
    """Who owns the existing folder ``folder`` for a command writing ``kind``: its marker (or a
    legacy folder of that kind, read as a marker), or None if it is empty. Raises
    ``OutputRefused`` when it is another kind's or not the tool's."""
    marker = read_marker(folder)
    if marker is not None:
        if marker.kind != kind:
            (have_zh, have_en), (want_zh, want_en) = (
                _KIND_NAMES[marker.kind].split(" / "),
                _KIND_NAMES[kind].split(" / "),
            )
            raise OutputRefused(
                folder,
                f"这是 sciplan-kg 的{have_zh}，不能用作{want_zh} / this is a sciplan-kg {have_en}, "
                f"not a {want_en}: choose another path",
            )
        return marker
    entries = _entries(folder)
    if not entries:
        return None
    legacy = _LEGACY.get(kind)
    ours = legacy(folder) if legacy else None
    if ours is not None:
        files = frozenset(rel for rel in _walk_files(folder, folders=True) if ours(rel))
        return Marker(kind, files, "", legacy=True)
    shown = ", ".join(sorted(entries)[:3]) + (" …" if len(entries) > 3 else "")
    if kind == QUERY_STORE:  # its place is the build folder's name + .oxigraph: no option chooses it
        advice_zh, advice_en = "请移走或改名，或用 --store rdflib", "move or rename it, or query with --store rdflib"
    else:
        advice_zh, advice_en = "请换一个新的或空的文件夹", "choose a new or empty folder"
    raise OutputRefused(
        folder,
        f"文件夹已存在，且包含不是 sciplan-kg 写入的文件，不会替换或删除它；{advice_zh} / the folder exists and holds "
        f"files sciplan-kg did not write ({shown}); it is never replaced or deleted: {advice_en}",
    )


def _inside(a: Path, b: Path) -> bool:
    """Is ``a`` the same as ``b`` or inside it?"""
    return a == b or b in a.parents


def check_output(out: Path, kind: str, inputs: Iterable[Path] = ()) -> Marker | None:
    """May a command writing ``kind`` replace ``out``? Returns its ownership (None: new or
    empty); raises ``OutputRefused`` with the reason otherwise."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputRefused(out, "输出位置已有同名文件或链接 / the output path is a file or a link, not a folder")
    real = out.resolve()
    for given in inputs:
        inp = given.resolve()
        if _inside(real, inp) and real != inp and inp.is_dir():
            raise OutputRefused(out, f"输出目录在输入目录 {given} 之内 / the output is inside the input folder {given}")
        if _inside(inp, real):
            raise OutputRefused(
                out, f"输入 {given} 在输出目录之内，会被替换 / the input {given} is inside the output folder"
            )
    return ownership(out, kind) if out.is_dir() else None


def _walk_files(folder: Path, folders: bool = False) -> Iterator[str]:
    """Every file (and link) under ``folder``, relative, with '/' separators; with ``folders``,
    every sub-folder too, as ``name/`` (an empty one is the tool's as much as a file)."""
    for root, dirs, files in os.walk(folder):
        rel_root = os.path.relpath(root, folder)
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            rel = name if rel_root == "." else f"{rel_root}/{name}".replace(os.sep, "/")
            yield rel
        if folders:
            for d in dirs:
                if not os.path.islink(os.path.join(root, d)):
                    yield (d if rel_root == "." else f"{rel_root}/{d}".replace(os.sep, "/")) + "/"


def foreign_entries(folder: Path, marker: Marker) -> list[str]:
    """What in ``folder`` the tool did not write: whole sub-folders where none of their files are
    the tool's, single files otherwise (relative paths, sorted)."""
    if marker.files is None:
        return []
    ours_dirs = {"."}
    for rel in marker.files:  # a folder listed as "name/" is the tool's too, even when empty
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            ours_dirs.add("/".join(parts[:i]))
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        rel_root = os.path.relpath(root, folder).replace(os.sep, "/")
        keep = []
        for d in dirs:
            rel = d if rel_root == "." else f"{rel_root}/{d}"
            if rel in ours_dirs and not os.path.islink(os.path.join(root, d)):
                keep.append(d)
            else:
                out.append(rel)
        dirs[:] = keep
        for name in files:
            rel = name if rel_root == "." else f"{rel_root}/{name}"
            if rel != MARKER and rel not in marker.files:
                out.append(rel)
    return sorted(out)


def new_temporary(out: Path) -> Path:
    """A temporary sibling of ``out`` to write the new folder into (marked as the tool's, so a
    later run may remove it if this one is killed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; give the folder the usual mode
    write_marker(tmp, TEMPORARY)
    return tmp


def remove_stale_temporaries(out: Path) -> None:
    """Temporary siblings of ``out`` left by a run that was killed (SIGKILL leaves no chance to
    clean up); only ones that carry the tool's marker. Call with ``out``'s lock held."""
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        if not stale.is_dir() or stale.is_symlink():
            continue
        if stale.name.startswith(f".{out.name}.tmp-old-") and _entries(stale) == ["folder"]:
            remove_old(stale)  # a previous folder whose removal was cut short
            continue
        marker = read_marker(stale)
        if marker is not None and marker.kind == TEMPORARY:
            shutil.rmtree(stale, ignore_errors=True)
        elif marker is None and set(_entries(stale)) <= {MARKER}:
            # killed between making the folder and finishing its marker: it holds nothing else,
            # so nothing of anyone's is lost (a folder with any other file is left alone)
            (stale / MARKER).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                stale.rmdir()


def discard(tmp: Path) -> None:
    """Remove a temporary folder this run made (after a failure)."""
    marker = read_marker(tmp)
    if marker is not None and marker.files is None:
        shutil.rmtree(tmp, ignore_errors=True)


def remove_owned(folder: Path, marker: Marker) -> list[str]:
    """Delete what the tool wrote in ``folder`` and the folder if it is then empty; returns what
    was left (files it did not write)."""
    left = foreign_entries(folder, marker)
    if not left:
        shutil.rmtree(folder, ignore_errors=True)
        return []
    assert marker.files is not None
    for rel in sorted(marker.files, reverse=True):
        if rel.endswith("/"):
            continue  # a folder: removed below once empty
        try:
            os.unlink(folder / rel)
        except OSError:
            pass
    for root, _dirs, _files in sorted(os.walk(folder, topdown=False), key=lambda w: -len(w[0])):
        try:
            os.rmdir(root)
        except OSError:
            pass
    (folder / MARKER).unlink(missing_ok=True)
    return left


def swap_in(tmp: Path, out: Path, kind: str, whole: bool = False) -> None:
    """Put the finished folder ``tmp`` where ``out`` is; its marker lists every file in it (or,
    ``whole``, says the tool owns every file it will ever hold: a store). What the previous
    ``out`` holds that the tool did not write moves into the new folder."""
    written = None if whole else sorted(rel for rel in _walk_files(tmp, folders=True) if rel != MARKER)
    previous = check_output(out, kind) if out.exists() or out.is_symlink() else None
    moving = foreign_entries(out, previous) if previous is not None else []
    for rel in moving:
        if (tmp / rel).exists() or (tmp / rel).is_symlink():
            raise OutputRefused(
                out / rel,
                "这个文件不是 sciplan-kg 写入的，但新输出要写同名文件；请先移走它 / this file was not written by "
                "sciplan-kg but the new output has a file of that name: move it away first",
            )
    write_marker(tmp, kind, written)
    old = None
    if previous is not None:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-old-", dir=out.parent))
        os.replace(out, old / "folder")
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old / "folder", out)
            os.rmdir(old)
        raise
    if old is None or previous is None:
        return
    for rel in moving:  # the user's files go on living in the folder
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(old / "folder" / rel, out / rel)
    if previous.files is not None and len(previous.files) > BACKGROUND_REMOVAL and not previous.legacy:
        _remove_in_background(old)
        return
    left = remove_owned(old / "folder", previous)
    if left:
        print(
            f"警告 warning: {old / 'folder'}: 旧目录中还有文件，已保留 / files left in the previous folder are kept "
            f"here: {', '.join(left[:5])}",
            file=sys.stderr,
        )
    else:
        shutil.rmtree(old, ignore_errors=True)


# A previous folder of more files than this is removed by a process of its own after the swap:
# thousands of unlinks (1-3 s at 3,000 plans) would otherwise stand between a rebuild and the
# first query. The folder is by then a hidden sibling (``.<name>.tmp-old-…/folder``), never
# under a name a user could take for a build; a removal cut short is finished by the next run
# (``remove_stale_temporaries``), and only what the folder's marker lists is deleted.
BACKGROUND_REMOVAL = 5000


def _remove_in_background(old: Path) -> None:
    """Start a detached process that removes ``old`` (a ``tmp-old`` holder) as ``remove_old``."""
    # at the lowest priority: the store sync and the first query that follow a rebuild come first
    code = (
        "import os, sys; from pathlib import Path; os.nice(19); "
        "from sciplan_kg.pipeline.outputs import remove_old; remove_old(Path(sys.argv[1]))"
    )
    try:
        subprocess.Popen(  # our interpreter, a fixed program, a path we made
            [sys.executable, "-c", code, str(old)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError:
        remove_old(old)


def remove_old(old: Path) -> None:
    """Remove a ``.<name>.tmp-old-…`` holder and the previous folder in it: only the files its
    marker lists (what the tool wrote); anything else is left where it is."""
    folder = old / "folder"
    marker = read_marker(folder)
    if marker is not None and marker.kind != TEMPORARY:
        remove_owned(folder, marker)
    with contextlib.suppress(OSError):
        os.rmdir(old)


def swap_subfolder(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` inside a folder the tool owns whole (a store's own parts)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.tmp-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out, old)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def lock(folder: Path, wait: bool = False) -> Iterator[None]:
    """Hold the exclusive lock of ``folder``: a file ``.<name>.lock`` beside it, holding the
    holder's pid, removed when released. Another holder makes this wait (``wait``) or raise a
    message naming its process."""
    path = folder.with_name(f".{folder.name}.lock")
    folder.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise SciplanError(
                f"{folder}: 另一个 sciplan-kg 进程（pid {holder}）正在写入，请等它结束 / another sciplan-kg process "
                f"(pid {holder}) is writing this folder: wait until it finishes"
            ) from exc
        except BaseException:
            os.close(fd)
            raise
        try:  # the holder before us may have removed the file while we waited: lock the one there now
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        try:
            os.unlink(path)  # while still holding it: whoever opened it meanwhile retries
        except OSError:
            pass
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> int:
    """Write ``data`` (bytes, or pieces of it) to ``path`` through a temporary file in the same
    folder and a rename; returns the number of bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary file beside it is named after it, within a name's 255 bytes (a legal name
    # of 250 bytes was refused as "too long" for the temporary file's sake, naming that file)
    prefix = f".{path.name}."
    if len(prefix.encode()) > 200:
        prefix = ".sciplan-kg."
    try:
        fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    except OSError as exc:  # a read-only folder: the user's file is named, not the temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
    size = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in [data] if isinstance(data, bytes) else data:
                fh.write(chunk)
                size += len(chunk)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename == tmp:  # name the file the user asked for
            raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
        raise
    return size
