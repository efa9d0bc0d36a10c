"""A query's answer as people and programs read it.

SELECT rows: a table for the terminal (the default), CSV, TSV, JSON (an array of objects keyed
by column, Chinese text unescaped) or an Excel workbook (``xlsx``). A multi-valued column is
one string joined with "; ". In the table an IRI is shown as a prefixed name of the project's
prefixes (``plan:wushan-2021-2025``, ``agency:pingluo/kexie``, ``sk:County``) or, outside
them, in full: an IRI is never cut; long text is. CSV, TSV, JSON and xlsx keep full IRIs.

ASK: ``true`` or ``false`` (JSON ``{"boolean": true}``, CSV/TSV a ``boolean`` column).
CONSTRUCT and DESCRIBE: RDF, Turtle by default, or any format rdflib writes (``GRAPH_FORMATS``).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, Namespace

from sciplan_kg.errors import UsageError
from sciplan_kg.query.run import QueryResult, Value
from sciplan_kg.rdf.namespaces import ID
from sciplan_kg.rdf.serialize import PREFIXES

ROW_FORMATS = ("table", "csv", "tsv", "json", "xlsx")
FORMATS = ROW_FORMATS  # the formats of rows (``coverage`` and the SELECT queries)
# --format for a CONSTRUCT or DESCRIBE answer → rdflib's serializer; "table" (the default) is Turtle
GRAPH_FORMATS = {
    "table": "turtle",
    "turtle": "turtle",
    "ttl": "turtle",
    "longturtle": "longturtle",
    "nt": "nt",
    "ntriples": "nt",
    "n3": "n3",
    "xml": "xml",
    "rdfxml": "xml",
    "pretty-xml": "pretty-xml",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "json": "json-ld",
    "trig": "trig",
    "nquads": "nquads",
    "trix": "trix",
    "xlsx": "xlsx",
}
QUAD_FORMATS = ("trig", "nquads", "trix")  # written from a dataset, the answer its default graph
ASK_FORMATS = ("table", "csv", "tsv", "json", "xlsx")
TABLE_CELL_WIDTH = 48
# the workbook's creation and modification date (docProps/core.xml): fixed, as the zip entries'
# dates are, so that the same answer gives the same bytes
XLSX_CREATED = datetime(2000, 1, 1, tzinfo=UTC)
XLSX_MAX_WIDTH = 60  # characters: wider columns wrap in the cell rather than run off the screen
XLSX_CELL_LIMIT = 32767  # Excel's limit on the characters of one cell
XLSX_SHEET_ROWS = 1_048_576  # Excel's limit on the rows of one sheet, its header row among them
# answers of more rows than this are written row by row through a temporary file (XlsxWriter's
# constant_memory), smaller ones put together in memory (shared strings: 15 % smaller, 30 %
# faster). ``similar-tasks`` at 3,000 plans, 298,844 rows: 0.76 → 0.26 GB, 13 → 18 s. Measured
# on the report at 3,005 plans, side by side: all in memory 114.5 s, 2.24 GB; beyond 50,000 rows
# (seven answers through files) 145–147 s, 1.92–2.04 GB; beyond 200,000 (similar-tasks alone)
# 139 s, 2.13 GB (±10 s between runs): the largest answers only, where memory grows toward
# Excel's limit (a 1,048,575-row sheet would hold ≈ 2.7 GB in memory)
XLSX_IN_MEMORY_ROWS = 200_000

# the instance namespaces under https://w3id.org/sciplan-kg/id/ (README, "IRIs"), each a prefix
INSTANCE_NAMESPACES = (
    "plan",
    "agency",
    "agency-type",
    "agency-category",
    "area",
    "body",
    "dataset",
    "directive",
    "document",
    "graph",
    "national-measure",
    "source",
    "target-group",
)
DISPLAY_PREFIXES: dict[str, Namespace] = {
    **{name: Namespace(f"{ID}{name}/") for name in INSTANCE_NAMESPACES},
    "id": ID,
    **PREFIXES,
}
_BY_LENGTH = sorted(((str(ns), p) for p, ns in DISPLAY_PREFIXES.items()), key=lambda x: -len(x[0]))
_IRI = re.compile(r"^(?:https?://|urn:)\S+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def prefixed(iri: str) -> str | None:
    """``https://w3id.org/sciplan-kg/id/plan/wushan-2021-2025`` → ``plan:wushan-2021-2025``;
    None for an IRI outside the project's prefixes."""
    for ns, prefix in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return None


def expand(name: str) -> str | None:
    """``plan:wushan-2021-2025`` → the full IRI; None when the prefix is not the project's."""
    prefix, colon, local = name.partition(":")
    if not colon or not local or prefix not in DISPLAY_PREFIXES or local.startswith("//"):
        return None
    return f"{DISPLAY_PREFIXES[prefix]}{local}"


def is_iri(value: object) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@functools.cache
def _char_width(c: str) -> int:
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return len(text) if text.isascii() else sum(map(_char_width, text))


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` columns with "…" when wider; reads no further into
    a long text than the cut (a task's text is hundreds of characters; 100,000 rows of them)."""
    text = text.replace("\n", " ")
    used, cut = 0, 0
    for i, c in enumerate(text):
        w = _char_width(c)
        if used + w <= limit - 1:
            cut = i + 1
        used += w
        if used > limit:
            return text[:cut] + "…"
    return text


def _pad(text: str, w: int, have: int | None = None) -> str:
    return text + " " * (w - (width(text) if have is None else have))


def table_cell(value: Value) -> str:
    """A cell as the table shows it: IRIs (one, or several joined with "; ") as prefixed names
    and never cut; other text cut at ``TABLE_CELL_WIDTH`` columns."""
    text = _text(value)
    parts = text.split("; ")
    if text and all(is_iri(p) for p in parts):
        return "; ".join(prefixed(p) or p for p in parts)
    return _clip(text, TABLE_CELL_WIDTH)


def table(result: QueryResult) -> str:
    cells = [[table_cell(r[c]) for c in result.columns] for r in result.rows]
    sizes = [[width(v) for v in row] for row in cells]
    widths = [max([width(c)] + [row[i] for row in sizes]) for i, c in enumerate(result.columns)]
    lines = [
        "  ".join(_pad(c, widths[i]) for i, c in enumerate(result.columns)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(_pad(v, widths[i], n) for i, (v, n) in enumerate(zip(row, have, strict=True))).rstrip()
        for row, have in zip(cells, sizes, strict=True)
    ]
    lines.append(f"({len(result.rows)} 行 rows)")
    return "\n".join(lines) + "\n"


def delimited(result: QueryResult, delimiter: str) -> str:
    return "".join(delimited_pieces(result, delimiter))


def delimited_pieces(result: QueryResult, delimiter: str, rows: int = 10_000) -> Iterator[str]:
    """The answer as CSV or TSV, in pieces of ``rows`` rows (a file of 300,000 rows is written
    without being held whole)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.columns)
    for i, r in enumerate(result.rows, start=1):
        writer.writerow([_text(r[c]) for c in result.columns])
        if i % rows == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def as_json(result: QueryResult) -> str:
    return json.dumps([{c: r[c] for c in result.columns} for r in result.rows], ensure_ascii=False, indent=1) + "\n"


def _formats(result: QueryResult) -> tuple[str, ...]:
    if result.form == "ASK":
        return ASK_FORMATS
    if result.graph is not None:
        return tuple(GRAPH_FORMATS)
    return ROW_FORMATS


# a file's suffix → the format it names, when ``--format`` is not given (``-o tasks.csv``)
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".xlsx": "xlsx",
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
    ".trix": "trix",
}


def format_for(result: QueryResult, out: Path | None) -> str:
    """The format a file name asks for, when this answer's form has it (``tasks.csv`` → csv,
    ``graph.ttl`` → turtle); else the default (``table``: a text table, or Turtle for a graph)."""
    fmt = SUFFIX_FORMATS.get(out.suffix.lower()) if out is not None else None
    return fmt if fmt is not None and fmt in _formats(result) else "table"


def check_format(result: QueryResult, fmt: str) -> None:
    """A UsageError when ``fmt`` is not a format of this answer's form, naming those that are."""
    known = _formats(result)
    if fmt not in known:
        what = {"ASK": "ASK 查询 / an ASK query", "SELECT": "SELECT 查询 / a SELECT query"}.get(
            result.form, f"{result.form} 查询的 RDF / the RDF of a {result.form} query"
        )
        raise UsageError(f"--format {fmt}: {what} 可用格式 / can be written as: {', '.join(known)}")


def as_rows(result: QueryResult) -> QueryResult:
    """An ASK or CONSTRUCT/DESCRIBE answer as rows (for CSV and xlsx): one ``boolean`` cell, or
    one row per triple (subject, predicate, object: IRIs in full, literals as their text)."""
    if result.form == "ASK":
        return QueryResult(["boolean"], [{"boolean": result.boolean}])
    if result.graph is None:
        return result
    rows: list[dict[str, Value]] = []
    for s, p, o in sorted(result.graph):
        obj: Value = str(o)
        if isinstance(o, Literal):
            value = o.toPython()
            if isinstance(value, (bool, int, float)):
                obj = value
        rows.append({"subject": str(s), "predicate": str(p), "object": obj})
    return QueryResult(["subject", "predicate", "object"], rows)


def render(result: QueryResult, fmt: str) -> str:
    """The answer as text in ``fmt`` (every format but xlsx, which is ``xlsx_bytes``)."""
    check_format(result, fmt)
    if fmt == "xlsx":
        raise UsageError(
            "--format xlsx 是二进制文件，请用 -o FILE.xlsx 写入文件 / xlsx is a binary file: write it with -o FILE.xlsx"
        )
    if result.form == "ASK":
        if fmt == "json":
            return json.dumps({"boolean": result.boolean}) + "\n"
        if fmt in ("csv", "tsv"):
            return delimited(as_rows(result), "," if fmt == "csv" else "\t")
        return "true\n" if result.boolean else "false\n"
    if result.graph is not None:
        name = GRAPH_FORMATS[fmt]
        text = (_as_dataset(result.graph) if name in QUAD_FORMATS else result.graph).serialize(format=name)
        return text if text.endswith("\n") else text + "\n"
    if fmt == "table":
        return table(result)
    if fmt == "csv":
        return delimited(result, ",")
    if fmt == "tsv":
        return delimited(result, "\t")
    return as_json(result)


def _as_dataset(graph: Graph) -> Dataset:
    """The answer as the default graph of a dataset (TriG and N-Quads of a plain graph would
    name it with a made-up graph IRI)."""
    dataset = Dataset()
    for prefix, ns in graph.namespaces():
        dataset.bind(prefix, ns, replace=True)
    default = dataset.default_graph
    for triple in graph:
        default.add(triple)
    return dataset


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters an xlsx file cannot hold


def xlsx_value(value: Value) -> Any:
    """A cell's value for Excel: numbers and booleans as themselves, ISO dates as dates, the rest
    (IRIs included) as text, without the control characters XML forbids and within Excel's limit."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = _ILLEGAL.sub("", str(value))
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    elif _ISO_DATETIME.match(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def _sheet_title(name: str) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "query"
    return title[:31]


def xlsx_bytes(result: QueryResult, name: str = "query") -> bytes:
    """The answer as an Excel workbook: one sheet named after the query (more when it has more
    rows than a sheet holds: ``write_xlsx``), the header row frozen and bold, typed cells
    (numbers, booleans, dates; IRIs and text as text, never a formula), each column as wide as
    its longest value (up to ``XLSX_MAX_WIDTH``). Written by XlsxWriter: the 99,641 rows of
    ``tasks`` at 3,000 plans in 8.2 s and 4.9 MB, where openpyxl took 15.1 s and wrote 7.5 MB
    (the report writes every catalogue answer so; README, "Dependencies")."""
    buf = io.BytesIO()
    write_xlsx(result, buf, name)
    return buf.getvalue()


def write_xlsx(result: QueryResult, out: Any, name: str = "query") -> None:
    """``xlsx_bytes``'s workbook written to ``out``, a path or a binary file, in one pass over
    the rows (the columns' widths are set once a sheet's rows are written: XlsxWriter writes them
    when the workbook closes). An answer of more rows than a sheet holds (``XLSX_SHEET_ROWS``)
    goes on over further sheets, "name (2)", "name (3)" …, each with the header row: Excel
    would not open the rows beyond, and XlsxWriter leaves them out without a word. Beyond
    ``XLSX_IN_MEMORY_ROWS`` rows the sheets go through files in a temporary folder of their own
    (removed when the workbook is written, or fails)."""
    import tempfile

    import xlsxwriter

    check_format(result, "xlsx")
    rows = as_rows(result)
    options: dict[str, Any] = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    per_sheet = XLSX_SHEET_ROWS - 1
    sheets = max(1, -(-len(rows.rows) // per_sheet))
    with contextlib.ExitStack() as stack:
        if len(rows.rows) > XLSX_IN_MEMORY_ROWS:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="sciplan-kg-xlsx-"))
            options |= {"in_memory": False, "constant_memory": True, "tmpdir": folder}
        else:
            options["in_memory"] = True  # XlsxWriter then holds the cells until it closes
        book = stack.enter_context(xlsxwriter.Workbook(out, options))  # closed before its folder goes
        book.set_properties({"created": XLSX_CREATED})  # so that the same answer gives the same bytes
        formats = _XlsxFormats(
            book.add_format({"bold": True}),
            book.add_format({"num_format": "yyyy-mm-dd"}),
            book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        )
        for k, title in enumerate(_sheet_titles(name, sheets)):
            part = rows.rows[k * per_sheet : (k + 1) * per_sheet] if sheets > 1 else rows.rows
            _write_sheet(book.add_worksheet(title), rows.columns, part, formats)


@dataclass(frozen=True)
class _XlsxFormats:
    header: Any
    day: Any
    moment: Any


def _sheet_titles(name: str, count: int) -> list[str]:
    """The sheets' names: the query's, then "name (2)" … (Excel's 31 characters each)."""
    title = _sheet_title(name)
    return [title] + [f"{title[: 31 - len(f' ({k})')]} ({k})" for k in range(2, count + 1)]


def _write_sheet(sheet: Any, columns: list[str], rows: list[dict[str, Value]], formats: _XlsxFormats) -> None:
    """One sheet: the header row bold and frozen, then ``rows`` in order, typed; the widths last."""
    widths = [width(c) for c in columns]
    full = XLSX_MAX_WIDTH - 2  # a column this wide is as wide as it gets: its cells need no measuring
    sheet.freeze_panes(1, 0)
    for i, c in enumerate(columns):
        sheet.write_string(0, i, str(xlsx_value(c)), formats.header)
    for n, r in enumerate(rows, start=1):
        for i, c in enumerate(columns):
            v = xlsx_value(r[c])
            if widths[i] < full:
                widths[i] = max(widths[i], width(v.isoformat() if isinstance(v, date) else _text(v)))
            if v is None or v == "":
                continue  # an empty cell
            if isinstance(v, str):
                sheet.write_string(n, i, v)  # text, even when it starts with "=": never a formula
            elif isinstance(v, bool):
                sheet.write_boolean(n, i, v)
            elif isinstance(v, int | float):
                if math.isfinite(v):
                    sheet.write_number(n, i, v)
                else:
                    sheet.write_string(n, i, str(v))
            elif isinstance(v, datetime):
                sheet.write_datetime(n, i, v, formats.moment)
            elif isinstance(v, date):
                sheet.write_datetime(n, i, v, formats.day)
            else:
                sheet.write_string(n, i, str(v))
    for i, w in enumerate(widths):
        sheet.set_column(i, i, min(w + 2, XLSX_MAX_WIDTH))


def write(result: QueryResult, fmt: str, out: Path, name: str = "query") -> int:
    """Write the answer in ``fmt`` to the file ``out`` atomically (a temporary file renamed into
    place: an interrupted write leaves the old file or none); returns the bytes written."""
    from sciplan_kg.pipeline.outputs import write_atomic

    check_format(result, fmt)
    data = xlsx_bytes(result, name) if fmt == "xlsx" else render(result, fmt).encode("utf-8")
    return write_atomic(out, data)
