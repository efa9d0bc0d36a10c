"""Worker processes end with the process that forked them.

The build, the similarity step and the kept answers fork worker processes. A pool ends its
workers when it is closed, but a parent killed outright (SIGKILL, the out-of-memory killer)
closes nothing, and its workers, blocked on a queue nobody writes to any more, lived on for
good, each holding its memory. On Linux each worker asks the kernel to kill it when its parent
ends (``PR_SET_PDEATHSIG``); elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

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
