"""The build folder's summary files: ``validation.txt``, ``validation.json``, ``warnings.txt``,
``coverage.json``, ``manifest.json``.

Each is put together from the parts' pieces (below, "pieces"): a rebuild renders the new plans'
pieces only and cuts the others' from the previous files (``ledger.py``). When two parts'
results interleave, the whole merge writes them (``merged_report``, ``write_summaries``); it is
also the tests' oracle for the pieces. Either way the files must cost little: at 3,000 plans
the validation report holds about 70,000 results, and
``Report.to_json`` (``dataclasses.asdict`` and the pure-Python indenting JSON encoder) took
3.4 s of a 1,000-plan rebuild. ``merged_report`` gives the same merge as
``validation.report.merge_reports`` (a result two parts share listed once, in ``_order``) and
``report_json`` the same bytes as ``Report.to_json`` (tested), each result's JSON made from its
field values by the C string encoder.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from pathlib import Path
from typing import Any

from sciplan_kg.pipeline.coverage import COLUMNS
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.validation.report import SEVERITY_ORDER, Report, Result, format_report, report_head, result_lines

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


# ------------------------------------------------------------------ pieces (issue 22)
#
# Each summary file (``SUMMARY_FILES``) is a head, the pieces of its parts (the registries,
# then each plan) in an order, and a tail. A part's pieces depend on that part alone, so a
# rebuild takes a reused plan's pieces from the previous folder's files as bytes, where
# ``ledger.py`` recorded them, and renders the new plans' only. The full build writes its
# files from pieces too, so both give the same bytes by construction (and
# ``tests/pipeline/test_incremental.py`` compares).

SUMMARY_FILES = {
    "manifest": "manifest.json",
    "coverage": "coverage.json",
    "warnings": "warnings.txt",
    "json0": "validation.json",
    "json1": "validation.json",
    "json2": "validation.json",
    "text0": "validation.txt",
    "text1": "validation.txt",
}
LISTED = ("Violation", "Warning")  # the severities validation.txt lists one by one
_SENTINEL = "\x00"
_SENTINEL_JSON = encode_basestring(_SENTINEL)
OrderKey = tuple[int, str, str, str, str, str]


@dataclass
class Part:
    """One part of the corpus (the registries, or a plan) as the summary files hold it: its
    pieces (slot → bytes; ``SUMMARY_FILES`` names each slot's file), and what the files' heads
    and the report's order need: whether it conforms, its results per severity, the first and
    last result's order key per severity, and its informational results by (shape, message)."""

    pieces: dict[str, bytes]
    conforms: bool
    severity: list[int]
    first: list[OrderKey | None]
    last: list[OrderKey | None]
    info: list[tuple[str, str, str, int]]


def _validation_pieces(results: list[dict[str, Any]]) -> tuple[dict[str, bytes], list[int], list, list, list]:
    """A part's results (deduplicated, in ``merged_report``'s order) as validation.json and
    validation.txt pieces, per severity."""
    unique: dict[str, tuple[OrderKey, dict[str, Any]]] = {}
    for r in results:
        fragment = _fragment(r)
        if fragment not in unique:
            unique[fragment] = (_order(r), r)
    ordered = sorted(unique.items(), key=lambda item: (item[1][0], item[0]))
    by_severity: list[list[tuple[str, OrderKey, dict[str, Any]]]] = [[] for _ in SEVERITY_ORDER]
    for fragment, (key, r) in ordered:
        by_severity[key[0]].append((fragment, key, r))
    pieces: dict[str, bytes] = {}
    first: list[OrderKey | None] = []
    last: list[OrderKey | None] = []
    info: Counter[tuple[str, str, str]] = Counter()
    for i, rows in enumerate(by_severity):
        first.append(rows[0][1] if rows else None)
        last.append(rows[-1][1] if rows else None)
        if not rows:
            continue
        pieces[f"json{i}"] = ",\n".join(f for f, _, _ in rows).encode("utf-8")
        if i < len(LISTED):
            blocks = ("\n\n" + "\n".join(result_lines(Result(**r))) for _, _, r in rows)
            pieces[f"text{i}"] = "".join(blocks).encode("utf-8")
        else:
            info.update((r["shape"], r["message_zh"], r["message_en"]) for _, _, r in rows)
    severity = [len(rows) for rows in by_severity]
    return pieces, severity, first, last, [(*k, n) for k, n in sorted(info.items())]


def registry_part(report: Report) -> Part:
    pieces, severity, first, last, info = _validation_pieces([r.__dict__ for r in report.results])
    return Part(pieces, report.conforms, severity, first, last, info)


def plan_part(p: PlanOutput) -> Part:
    """A plan's pieces, rendered from its summary."""
    pieces, severity, first, last, info = _validation_pieces(p.results)
    pieces["manifest"] = indented(p.manifest_entry(), 2).encode("utf-8")
    # in the columns' order: a reused plan's row comes back from JSON with its keys sorted
    pieces["coverage"] = indented({c: p.coverage[c] for c in COLUMNS}, 1).encode("utf-8")
    if p.warnings:
        pieces["warnings"] = "".join(line + "\n" for line in p.warnings).encode("utf-8")
    return Part(pieces, p.conforms, severity, first, last, info)


@dataclass
class Assembled:
    """The summary files made from parts: each file's bytes, and where each plan's pieces lie
    in them (slot → (offset, length), for the next build's ledger)."""

    files: dict[str, bytes]
    at: list[dict[str, tuple[int, int]]]
    conforms: bool
    head: str  # the opening lines of validation.txt (what ``build`` prints)


class _Writer:
    """A file made of pieces, recording where each piece lands."""

    def __init__(self, head: bytes, separator: bytes) -> None:
        self.chunks = [head]
        self.size = len(head)
        self.separator = separator
        self.count = 0

    def add(self, piece: bytes) -> tuple[int, int]:
        if self.count and self.separator:
            self.chunks.append(self.separator)
            self.size += len(self.separator)
        self.count += 1
        at = (self.size, len(piece))
        self.chunks.append(piece)
        self.size += len(piece)
        return at

    def close(self, tail: bytes) -> bytes:
        self.chunks.append(tail)
        return b"".join(self.chunks)


def report_order(parts: list[Part]) -> list[list[int]] | None:
    """For each severity, the parts that have results of it in the report's order (by their
    first result); None when two parts' results interleave or meet (a result two parts share
    is listed once): then only the whole merge (``merged_report``) gives the order."""
    out = []
    for s in range(len(SEVERITY_ORDER)):
        having = sorted((p.first[s], i) for i, p in enumerate(parts) if p.first[s] is not None)
        for (_, a), (first_b, _) in pairwise(having):
            last_a = parts[a].last[s]
            assert last_a is not None
            if not last_a < first_b:
                return None
        out.append([i for _, i in having])
    return out


def assemble(parts: list[Part], asserted: int, inferred: int) -> Assembled | None:
    """The summary files from the registries' part (first) and the plans' (in the build's
    order); None when the parts' results interleave (``report_order``)."""
    order = report_order(parts)
    if order is None:
        return None
    plans = parts[1:]
    at: list[dict[str, tuple[int, int]]] = [{} for _ in parts]
    files: dict[str, bytes] = {}
    conforms = all(p.conforms for p in parts)
    # manifest.json: the plans' entries, then the totals
    files["manifest.json"] = _listed(
        plans,
        "manifest",
        lambda items: {
            "plans": items,
            "asserted_triples": asserted,
            "inferred_triples": inferred,
            "conforms": conforms,
        },
        at,
    )
    files["coverage.json"] = _listed(plans, "coverage", lambda items: items, at)
    w = _Writer(b"", b"")
    for i, p in enumerate(plans, 1):
        if "warnings" in p.pieces:
            at[i]["warnings"] = w.add(p.pieces["warnings"])
    files["warnings.txt"] = w.close(b"")
    # validation.json: every part's results, severity by severity, parts in order
    head = '{\n  "conforms": ' + ("true" if conforms else "false") + ',\n  "results": '
    if not any(order):
        files["validation.json"] = (head + "[]\n}\n").encode("utf-8")
    else:
        w = _Writer((head + "[\n").encode("utf-8"), b",\n")
        for s, having in enumerate(order):
            for i in having:
                at[i][f"json{s}"] = w.add(parts[i].pieces[f"json{s}"])
        files["validation.json"] = w.close(b"\n  ]\n}\n")
    # validation.txt: the counts, the informational results counted, each other result listed
    counts = {name: sum(p.severity[s] for p in parts) for s, name in enumerate(SEVERITY_ORDER)}
    infos: Counter[tuple[str, str, str]] = Counter()
    for p in parts:
        for shape, zh, en, n in p.info:
            infos[(shape, zh, en)] += n
    lines = report_head(conforms, counts, infos)
    w = _Writer("\n".join(lines).encode("utf-8"), b"")
    for s in range(len(LISTED)):
        for i in order[s]:
            at[i][f"text{s}"] = w.add(parts[i].pieces[f"text{s}"])
    files["validation.txt"] = w.close(b"\n")
    return Assembled(files, at[1:], conforms, "\n".join(lines))


def _listed(
    plans: list[Part], slot: str, document: Callable[[list[str]], object], at: list[dict[str, tuple[int, int]]]
) -> bytes:
    """``indented(document(items)) + newline``, the items being the plans' ``slot`` pieces (each
    indented already): the document is rendered around a placeholder item, which gives the
    text before the items, the separator between them and the text after."""
    if not plans:
        return (indented(document([])) + "\n").encode("utf-8")
    text = indented(document([_SENTINEL])) + "\n"
    where = text.index(_SENTINEL_JSON)
    pad = text[text.rindex("\n", 0, where) + 1 : where]
    w = _Writer(text[:where].encode("utf-8"), (",\n" + pad).encode("utf-8"))
    for i, p in enumerate(plans, 1):
        at[i][slot] = w.add(p.pieces[slot])
    return w.close(text[where + len(_SENTINEL_JSON) :].encode("utf-8"))


def write_files(tmp: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (tmp / rel).write_bytes(data)


def write_summaries(
    tmp: Path, plans: list[PlanOutput], report: Report, report_text: str, asserted: int, inferred: int
) -> None:
    """The summary files the old way, from the whole merged report: when parts' results
    interleave (``assemble`` gave None)."""
    (tmp / "validation.txt").write_text(format_report(report), encoding="utf-8")
    (tmp / "validation.json").write_text(report_text + "\n", encoding="utf-8")
    (tmp / "warnings.txt").write_text(warnings_text(plans), encoding="utf-8")
    _dump(tmp / "coverage.json", [{c: p.coverage[c] for c in COLUMNS} for p in plans])
    manifest = {
        "plans": [p.manifest_entry() for p in plans],
        "asserted_triples": asserted,
        "inferred_triples": inferred,
        "conforms": report.conforms,
    }
    _dump(tmp / "manifest.json", manifest)
