"""Worker processes end with the process that forked them; ``forked_map`` shares one large
object with them without pickling it; ``ChildRun`` does work that is system calls (hard links)
in a forked child while this process goes on with its Python work.

The build, the similarity step and the kept answers fork worker processes. A pool ends its
workers when it is closed, but a parent killed outright (SIGKILL, the out-of-memory killer)
closes nothing, and its workers, blocked on a queue nobody writes to any more, lived on for
good, each holding its memory. On Linux each worker asks the kernel to kill it when its parent
ends (``PR_SET_PDEATHSIG``); elsewhere this does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

_Item = TypeVar("_Item")
_Out = TypeVar("_Out")

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Call first thing in a forked worker. A worker asked to end (SIGTERM, SIGHUP: the pool
    shutting down, or the whole group told to) ends quietly, as the default does: the command's
    own process, not its workers, unwinds what was being written (``cli._end_on_termination``)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


_SHARED: Any = None  # what ``forked_map``'s workers read: inherited by the fork, never pickled


def forked_map(fn: Callable[[_Item, Any], _Out], items: Sequence[_Item], jobs: int, shared: Any) -> list[_Out]:
    """``[fn(item, shared) for item in items]`` on ``jobs`` forked workers, in order. ``shared``
    (score matrices, a link update) reaches them by the fork, not pickled; ``fn`` is sent by
    name, so it is a module-level function. The parent's objects are frozen out of the
    workers' garbage collector meanwhile, which would otherwise touch (and so copy) their pages."""
    global _SHARED
    _SHARED = shared
    gc.freeze()
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=die_with_parent) as pool:
            return list(pool.map(_call, [fn] * len(items), items))
    finally:
        _SHARED = None
        gc.unfreeze()


def _call(fn: Callable[[Any, Any], Any], item: Any) -> Any:
    return fn(item, _SHARED)


def share_work(fn: Callable[[_Item], object], items: Sequence[_Item], jobs: int, first: Callable[[], _Out]) -> _Out:
    """``first()`` in this process while ``jobs - 1`` forked children work through ``items``
    with ``fn``, each taking the next item not yet taken; this process joins them once
    ``first`` returns, and returns what it returned. Nothing is sent between the processes
    but the next item's number: ``fn`` writes its own results (files), and what the parent
    holds reaches the children by the fork. An item a child did not finish (it raised, it was
    killed) is done again here, so that its error, if any, is raised here.

    Call it only where forking is safe (no threads that hold locks the children need: not
    after DuckDB ran in this process, ``query/kept.py``)."""
    ctx = get_context("fork")
    taken = ctx.Value("i", 0)  # the number of the next item
    finished = ctx.Array("b", len(items), lock=False)  # each item's flag is set by one process only

    def work() -> None:
        while True:
            with taken.get_lock():
                i = taken.value
                if i >= len(items):
                    return
                taken.value = i + 1
            fn(items[i])
            finished[i] = 1

    children: list[int] = []
    gc.freeze()  # the parent's objects out of the children's collections (which would copy their pages)
    try:
        try:
            for _ in range(jobs - 1):
                try:
                    pid = os.fork()
                except OSError:  # no process to be had (a limit, memory): fewer hands
                    break
                if pid == 0:  # a child: its share, and out without cleanup
                    code = 1
                    try:
                        die_with_parent()
                        gc.disable()
                        work()
                        code = 0
                    finally:
                        os._exit(code)
                children.append(pid)
            result = first()
            work()
        except BaseException:
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            raise
        finally:
            for pid in children:
                os.waitpid(pid, 0)
    finally:
        gc.unfreeze()
    for i, item in enumerate(items):
        if not finished[i]:
            fn(item)
    return result


class ChildRun:
    """``fn`` over ``items`` in a forked child process, while this process goes on with other
    work; ``wait`` gives the indices of the items ``fn`` returned false for. For work that is
    system calls (the hard links of thousands of reused files): a thread would not run beside
    this process's Python code, since it needs the interpreter lock between calls. Where
    ``fork`` is not there (not POSIX), or for few items, ``fn`` runs here at once.

    A child that fails (killed, an exception) counts every item as failed, so the caller
    redoes them all. ``stop`` ends a child whose results are no longer wanted (this process
    failed): call it or ``wait`` before removing what the child writes into."""

    INLINE_BELOW = 64  # items: a fork costs more than the work

    def __init__(self, fn: Callable[[_Item], bool], items: Sequence[_Item]) -> None:
        self.count = len(items)
        self.pid = 0
        self.read_end = -1
        self.failed: list[int] = []
        if not hasattr(os, "fork") or self.count < self.INLINE_BELOW:
            self.failed = _failed(fn, items)
            return
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had (a limit, memory): the work done here
            os.close(read_end)
            os.close(write_end)
            self.failed = _failed(fn, items)
            return
        if pid == 0:  # the child: its work, its answer on the pipe, and out without cleanup
            code = 1
            try:
                os.close(read_end)
                die_with_parent()
                gc.disable()  # a collection would touch (and so copy) the parent's pages
                answer = ",".join(map(str, _failed(fn, items))).encode()
                view = memoryview(answer)
                while view:
                    view = view[os.write(write_end, view) :]
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def wait(self) -> list[int]:
        """The indices of the items that failed (all of them if the child did)."""
        if self.pid:
            chunks = []
            while chunk := os.read(self.read_end, 1 << 16):
                chunks.append(chunk)
            os.close(self.read_end)
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
            if os.waitstatus_to_exitcode(status) != 0:
                self.failed = list(range(self.count))
            else:
                self.failed = [int(i) for i in b"".join(chunks).split(b",") if i]
        return self.failed

    def stop(self) -> None:
        """End the child, if it still runs, and wait for it."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self.read_end)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _failed(fn: Callable[[_Item], bool], items: Sequence[_Item]) -> list[int]:
    """The indices of the items ``fn`` returns false for."""
    return [i for i, item in enumerate(items) if not fn(item)]
