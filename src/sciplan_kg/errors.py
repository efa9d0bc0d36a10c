"""Errors the tool reports to people, and the exit codes the CLI maps them to.

Exit codes (documented in the README):

* ``0`` — success; for ``build`` and ``validate``, the graph conforms to the shapes;
* ``1`` — the graph was built or read but does not conform to the shapes;
* ``2`` — an error: bad input, bad arguments, a query that cannot run, an unreachable server.
"""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2


class SciplanError(Exception):
    """Base class of every error the CLI turns into a message and exit code 2."""

    exit_code = EXIT_ERROR


class InputError(SciplanError):
    """A file that cannot be read as what it should be; names the file and, if known, the line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


class QueryError(SciplanError):
    """A query that cannot be found, parsed or run; names the query and, if known, the position."""

    def __init__(self, query: str, message: str) -> None:
        self.query = query
        self.message = message
        super().__init__(f"{query}: {message}")


class UsageError(SciplanError):
    """Arguments that do not make sense together."""
