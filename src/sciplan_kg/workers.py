"""Worker processes end with the process that forked them; ``forked_map`` shares one large
object with them without pickling it.

The build, the similarity step and the kept answers fork worker processes. A pool ends its
workers when it is closed, but a parent killed outright (SIGKILL, the out-of-memory killer)
closes nothing, and its workers, blocked on a queue nobody writes to any more, lived on for
good, each holding its memory. On Linux each worker asks the kernel to kill it when its parent
ends (``PR_SET_PDEATHSIG``); elsewhere this does nothing.
"""

from __future__ import annotations

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
    """Call first thing in a forked worker."""
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
