"""The build folder's summary files, written from every plan's summary on every build:
``validation.txt``, ``validation.json``, ``warnings.txt``, ``coverage.json``, ``manifest.json``.

They are rewritten whole (a plan added anywhere changes their order and totals), so writing
them must cost little: at 3,000 plans the validation report holds about 70,000 results, and
``Report.to_json`` (``dataclasses.asdict`` and the pure-Python indenting JSON encoder) took
3.4 s of a 1,000-plan rebuild. ``merged_report`` gives the same merge as
``validation.report.merge_reports`` (a result two parts share listed once, in ``_order``) and
``report_json`` the same bytes as ``Report.to_json`` (tested), each result's JSON made from its
field values by the C string encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from pathlib import Path
from typing import Any

from sciplan_kg.pipeline.coverage import COLUMNS
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.validation.report import SEVERITY_ORDER, Report, Result, format_report

_FIELDS = tuple(Result.__dataclass_fields__)


_VALUES = itemgetter(*_FIELDS)
_TEMPLATE = "    {\n" + ",\n".join(f'      "{name}": %s' for name in _FIELDS) + "\n    }"


def _fragment(r: dict[str, Any]) -> str:
    """One result as ``Report.to_json`` writes it (indent 2, inside the results list): every
    value a string, encoded by the C encoder ``json.dumps`` uses, into a fixed template."""
    values = _VALUES(r)
    try:
        return _TEMPLATE % tuple(map(encode_basestring, values))
    except TypeError:  # a value that is not a string
        return _TEMPLATE % tuple(json.dumps(v, ensure_ascii=False) for v in values)


def _order(r: dict[str, Any]) -> tuple[int, str, str, str, str, str]:
    """``validation.report._order`` on a result's fields."""
    return (SEVERITY_ORDER.index(r["severity"]), r["source"], r["focus"], r["path"], r["shape"], r["component"])


def merged_report(parts: Iterable[tuple[bool, list[dict[str, Any]]]]) -> tuple[Report, str]:
    """The merged report of parts validated apart ((conforms, results as dicts) each) and its
    JSON (``Report.to_json``'s bytes). Results equal in every field are listed once; results
    equal in ``_order`` are ordered by their text too, so the order never depends on a set's."""
    conforms = True
    unique: dict[str, tuple[tuple[int, str, str, str, str, str], dict[str, Any]]] = {}
    for ok, results in parts:
        conforms = conforms and ok
        for r in results:
            fragment = _fragment(r)
            if fragment not in unique:
                unique[fragment] = (_order(r), r)
    ordered = sorted(unique.items(), key=lambda item: (item[1][0], item[0]))
    report = Report(conforms, [Result(**r) for _, (_, r) in ordered])
    head = '{\n  "conforms": ' + ("true" if conforms else "false") + ',\n  "results": '
    if not ordered:
        return report, head + "[]\n}"
    return report, head + "[\n" + ",\n".join(f for f, _ in ordered) + "\n  ]\n}"


def report_json(report: Report) -> str:
    """``report.to_json()``, made as ``merged_report`` makes it (for the tests)."""
    return merged_report([(report.conforms, [r.__dict__ for r in report.results])])[1]


def warnings_text(plans: list[PlanOutput]) -> str:
    lines = [line for p in plans for line in p.warnings]
    return "\n".join(lines) + ("\n" if lines else "")


def indented(obj: object, depth: int = 0) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1)``, with the C string encoder: the
    pure-Python encoder that ``indent`` selects took 0.7 s for coverage.json and manifest.json
    at 1,000 plans (tested equal)."""
    if isinstance(obj, str):
        return encode_basestring(obj)
    pad = " " * (depth + 1)
    if isinstance(obj, dict) and all(isinstance(k, str) for k in obj):
        if not obj:
            return "{}"
        items = ",\n".join(f"{pad}{encode_basestring(k)}: {indented(v, depth + 1)}" for k, v in obj.items())
        return "{\n" + items + "\n" + " " * depth + "}"
    if isinstance(obj, list | tuple):
        if not obj:
            return "[]"
        return "[\n" + ",\n".join(pad + indented(v, depth + 1) for v in obj) + "\n" + " " * depth + "]"
    if obj is None or isinstance(obj, bool):
        return "null" if obj is None else "true" if obj else "false"
    if isinstance(obj, int):
        return int.__repr__(obj)
    return json.dumps(obj, ensure_ascii=False, indent=1)


def _dump(path: Path, data: object) -> None:
    path.write_text(indented(data) + "\n", encoding="utf-8")


def write_summaries(
    tmp: Path, plans: list[PlanOutput], report: Report, report_text: str, asserted: int, inferred: int
) -> None:
    """The summary files of a build into ``tmp`` (``report_text``: the report's JSON)."""
    (tmp / "validation.txt").write_text(format_report(report), encoding="utf-8")
    (tmp / "validation.json").write_text(report_text + "\n", encoding="utf-8")
    (tmp / "warnings.txt").write_text(warnings_text(plans), encoding="utf-8")
    # in the columns' order: a reused plan's row comes back from JSON with its keys sorted
    _dump(tmp / "coverage.json", [{c: p.coverage[c] for c in COLUMNS} for p in plans])
    manifest = {
        "plans": [p.manifest_entry() for p in plans],
        "asserted_triples": asserted,
        "inferred_triples": inferred,
        "conforms": report.conforms,
    }
    _dump(tmp / "manifest.json", manifest)
