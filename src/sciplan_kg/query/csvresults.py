"""Virtuoso's CSV results, read back as the values its SPARQL JSON results give.

Why: on a whole-corpus listing Virtuoso spends most of its time writing SPARQL JSON
(``similar-tasks`` at 3,101 plans: 41.9 s as JSON, 17.5 s as CSV; docs/scaling.md). SPARQL 1.1
CSV is lossy in general (a number and a string look alike), but Virtuoso's is typed by quoting:
a string (an IRI, a literal with or without a language) is quoted; a number, a boolean (1 or
0, as its JSON gives it too), a date or a dateTime is not; an unbound cell is empty. The rows
(``run.python_value``) need nothing more: IRIs and strings are both text there, languages are
dropped. So ``read`` gives the same rows as the JSON path, held equal on every catalogue query
by ``make virtuoso-test``.

One thing Virtuoso's CSV loses that its JSON keeps: a string constant of the query with a
character beyond ASCII (``BIND("任务没有牵头部门" AS ?problem)``, or one written with a ``\\u``
escape) comes out as ``?`` marks. A query with such a constant is asked for JSON (``csv_safe``).
"""

from __future__ import annotations

import re

from rdflib import Literal
from rdflib.namespace import XSD

from sciplan_kg.query.run import Value, plain_number, python_value, string_constants

# a cell (quoted, with "" for a quote, or bare) and what ends it; the quoted form unrolled
# ("[^"]*(?:""[^"]*)*"), which the regex engine runs four times faster than ("(?:[^"]|"")*")
_CELL = re.compile(r'(?:("[^"]*(?:""[^"]*)*")|([^,"\r\n]*))(,|\r?\n|\Z)')
_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?INF")
_DATETIME = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_DATE = re.compile(r"-?\d{4,}-\d\d-\d\d(?:Z|[+-]\d\d:\d\d)?")
_TIME = re.compile(r"\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]|\\[uU]")


def csv_safe(query: str) -> bool:
    """True when no string constant of ``query`` (not a comment, not an IRI) holds a character
    beyond ASCII or a ``\\u`` escape: Virtuoso writes those to CSV as ``?``."""
    return not any(_BEYOND_ASCII.search(s) for s in string_constants(query))


def read(body: str) -> tuple[list[str], list[list[Value]]]:
    """The column names and the rows of a Virtuoso CSV answer, each cell the value
    ``run.python_value`` gives for the term SPARQL JSON results would hold. A ValueError
    naming the line when the text is not CSV of that form."""
    cells = _CELL.findall(body)  # one pass in C; checked below to have read every character
    if cells and cells[-1] == ("", "", "") and (len(cells) == 1 or cells[-2][2] != ","):
        cells.pop()  # the empty match at the end of the text, after its last line end
    if sum(len(q) + len(raw) + len(end) for q, raw, end in cells) != len(body):
        raise ValueError(_where_not_csv(body))
    rows: list[list[Value]] = []
    row: list[Value] = []
    names: list[str] | None = None
    for quoted, raw, end in cells:
        if quoted:
            text = quoted[1:-1]
            row.append(text.replace('""', '"') if '""' in text else text)
        elif names is None:
            raise ValueError(f"line 1: the column names are not quoted: {raw[:40]!r}")
        else:
            row.append(_unquoted(raw))
        if end == ",":
            continue
        if names is None:
            names = [str(v) for v in row]
        elif len(row) != len(names):
            raise ValueError(
                f"line {_line_of(body, cells, len(rows) + 1)}: {len(row)} cells where the head names {len(names)}"
            )
        else:
            rows.append(row)
        row = []
    if names is None:
        raise ValueError("line 1: no column names")
    return names, rows


def _line_of(body: str, cells: list[tuple[str, str, str]], row: int) -> int:
    """The line (from 1) where row ``row`` (from 0, the head) of ``cells`` begins: quoted
    cells may hold line ends."""
    line, seen = 1, 0
    for quoted, _, end in cells:
        if seen == row:
            return line
        line += quoted.count("\n") + (end != "," and "\n" in end)
        seen += end != ","
    return line


def _where_not_csv(body: str) -> str:
    """Where ``body`` stops being CSV, as a line and what is there."""
    pos = 0
    while pos < len(body):
        m = _CELL.match(body, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    line = body.count("\n", 0, pos) + 1
    return f"line {line}: not CSV at {body[pos : pos + 20]!r}"


def _unquoted(raw: str) -> Value:
    if not raw:
        return None
    if _INTEGER.fullmatch(raw):
        return int(raw)
    if _NUMBER.fullmatch(raw):
        return plain_number(float(raw))
    for pattern, datatype in ((_DATETIME, XSD.dateTime), (_DATE, XSD.date), (_TIME, XSD.time)):
        if pattern.fullmatch(raw):
            return python_value(Literal(raw, datatype=datatype))
    return raw
