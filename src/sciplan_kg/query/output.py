"""Query rows as a table, CSV, TSV or JSON. JSON is an array of objects keyed by column, with
Chinese text unescaped; a multi-valued column is one string joined with "; "."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

from sciplan_kg.query.run import QueryResult, Value

FORMATS = ("table", "csv", "tsv", "json")
TABLE_CELL_WIDTH = 48


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    if width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        w = width(c)
        if used + w > limit - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, w: int) -> str:
    return text + " " * (w - width(text))


def table(result: QueryResult) -> str:
    cells = [[_clip(_text(r[c]), TABLE_CELL_WIDTH) for c in result.columns] for r in result.rows]
    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    lines = [
        "  ".join(_pad(c, widths[i]) for i, c in enumerate(result.columns)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    lines.append(f"({len(result.rows)} 行 rows)")
    return "\n".join(lines) + "\n"


def delimited(result: QueryResult, delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.columns)
    for r in result.rows:
        writer.writerow([_text(r[c]) for c in result.columns])
    return buf.getvalue()


def as_json(result: QueryResult) -> str:
    return json.dumps([{c: r[c] for c in result.columns} for r in result.rows], ensure_ascii=False, indent=1) + "\n"


def render(result: QueryResult, fmt: str) -> str:
    if fmt == "table":
        return table(result)
    if fmt == "csv":
        return delimited(result, ",")
    if fmt == "tsv":
        return delimited(result, "\t")
    if fmt == "json":
        return as_json(result)
    raise ValueError(fmt)
