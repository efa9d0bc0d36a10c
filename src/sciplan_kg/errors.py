"""Errors the tool reports to people, and the exit codes the CLI maps them to.

Exit codes (documented in the README):

* ``0`` — success; for ``build`` and ``validate``, the graph conforms to the shapes;
* ``1`` — the graph was built or read but does not conform to the shapes;
* ``2`` — an error: bad input, bad arguments, a query that cannot run, an unreachable server,
  a full or read-only disk, a worker process that died;
* ``130`` — interrupted.

``describe`` is the one place that turns an exception into the message and exit code people
see: the tool's own errors, every operating-system error (by its errno, naming the file), a
worker process that died, memory; anything else is reported as an internal error, still as a
message (``SCIPLAN_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class Terminated(KeyboardInterrupt):
    """The process was asked to end (SIGTERM: ``kill``, a CI's cancel; SIGHUP: its terminal
    closed): unwound as an interrupt is, so every temporary file and folder is removed, and the
    exit code is 128 + the signal's number (143, 129)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# characters a file name may hold that would break a one-line message or turn the terminal's
# text around: control characters (a newline) and the bidirectional overrides and isolates
_UNSHOWN = {c: f"\\x{c:02x}" for c in range(32)} | {
    c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
}


def shown(path: object) -> str:
    """A path as a message shows it: on one line, in the order it is written (a newline or a
    right-to-left override in a file name escaped, as ``\\x0a``, ``\\u202e``)."""
    return str(path).translate(_UNSHOWN)


class SciplanError(Exception):
    """Base class of every error the CLI turns into a message and exit code 2."""

    exit_code = EXIT_ERROR


class InputError(SciplanError):
    """A file that cannot be read as what it should be; names the file and, if known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{shown(self.path)}:{line}" if line else shown(self.path)
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[object, ...]:  # rebuilt from its parts in the process that reports it
        return (type(self), (self.path, self.message, self.line))


class QueryError(SciplanError):
    """A query that cannot be found, parsed or run; names the query and, if known, the position."""

    def __init__(self, query: str, message: str) -> None:
        self.query = query
        self.message = message
        super().__init__(f"{query}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.query, self.message))


class UsageError(SciplanError):
    """Arguments that do not make sense together."""


# errno → (中文, English): what an operating-system error means to the person who sees it
OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("磁盘已满", "no space left on the device"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.EFBIG: ("文件超过大小上限", "file too large (a file-size limit)"),
    errno.EROFS: ("只读文件系统", "read-only file system"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("不允许的操作", "operation not permitted"),
    errno.ENAMETOOLONG: ("文件名过长", "file name too long"),
    errno.EISDIR: ("这是文件夹，不是文件", "is a folder, not a file"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.ENOENT: ("找不到文件或文件夹", "no such file or folder"),
    errno.EEXIST: ("已存在", "already exists"),
    errno.ENOTEMPTY: ("文件夹不是空的", "folder not empty"),
    errno.EPIPE: ("输出管道已关闭", "broken pipe"),
    errno.EIO: ("读写错误", "input/output error"),
    errno.EMFILE: ("打开的文件过多", "too many open files"),
    errno.ENFILE: ("系统打开的文件过多", "too many open files in the system"),
    errno.ENOMEM: ("内存不足", "out of memory"),
    errno.EXDEV: ("不能跨文件系统移动", "cannot move across file systems"),
    errno.ELOOP: ("符号链接层数过多", "too many levels of symbolic links"),
    errno.EBUSY: ("设备或资源忙", "device or resource busy"),
    errno.ETXTBSY: ("文件正被使用", "text file busy"),
    errno.ECONNREFUSED: ("连接被拒绝", "connection refused"),
    errno.ETIMEDOUT: ("连接超时", "connection timed out"),
}


def describe(exc: BaseException) -> tuple[str, int]:
    """The message (without the ``错误 error:`` prefix) and exit code for ``exc``."""
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, SciplanError):
        return str(exc), exc.exit_code
    if isinstance(exc, Terminated):
        import signal

        return f"已终止 / terminated ({signal.Signals(exc.signum).name})", 128 + exc.signum
    if isinstance(exc, KeyboardInterrupt):
        return "已中断 / interrupted", EXIT_INTERRUPTED
    if isinstance(exc, BrokenProcessPool):
        return (
            "工作进程意外终止（可能内存不足或被杀死）；请用 --jobs 1 重试以找出出错的方案 / a worker process ended "
            "unexpectedly (out of memory, or killed); run again with --jobs 1 to find the plan",
            EXIT_ERROR,
        )
    if isinstance(exc, MemoryError):
        return "内存不足 / out of memory", EXIT_ERROR
    if isinstance(exc, OSError):
        return os_message(exc), EXIT_ERROR
    if isinstance(exc, UnicodeEncodeError):
        return (
            f"终端不能显示中文（{exc.encoding}）；请设置 PYTHONIOENCODING=utf-8 / the terminal cannot show Chinese "
            f"({exc.encoding}): set PYTHONIOENCODING=utf-8 or a UTF-8 locale",
            EXIT_ERROR,
        )
    if isinstance(exc, RecursionError):
        return "输入嵌套过深 / the input is nested too deeply", EXIT_ERROR
    return (
        f"内部错误（程序缺陷，请报告）/ internal error (a bug: please report it): {type(exc).__name__}: {exc} "
        "(SCIPLAN_DEBUG=1 shows where)",
        EXIT_ERROR,
    )


_ERRNO_OF = {
    PermissionError: errno.EACCES,
    FileNotFoundError: errno.ENOENT,
    IsADirectoryError: errno.EISDIR,
    NotADirectoryError: errno.ENOTDIR,
}


def with_path(exc: OSError, path: object) -> OSError:
    """``exc`` naming ``path``, with the errno its class means when it has none (pyoxigraph's
    errors carry neither: 系统错误 / PermissionError, and no file named)."""
    if exc.filename is not None and exc.errno is not None:
        return exc
    code = exc.errno if exc.errno is not None else _ERRNO_OF.get(type(exc))
    if code is None:
        return OSError(None, exc.strerror or str(exc) or type(exc).__name__, str(path))
    return type(exc)(code, os.strerror(code), str(path))


def os_message(exc: OSError, where: str | None = None) -> str:
    """An OS error as ``<file>: <what> / <what>``; ``where`` names it when the error does not
    (standard output, a URL)."""
    zh, en = OS_ERRORS.get(exc.errno or -1, ("系统错误", exc.strerror or type(exc).__name__))
    name = shown(exc.filename) if exc.filename is not None else where
    target = f" → {shown(exc.filename2)}" if getattr(exc, "filename2", None) else ""
    prefix = f"{name}{target}: " if name is not None else ""
    return f"{prefix}{zh} / {en}"
