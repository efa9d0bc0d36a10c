"""The ledger (``state/ledger.json``): what the next build needs to take this build's summary
files apart instead of making them again.

The summary files (``manifest.json``, ``coverage.json``, ``warnings.txt``, ``validation.json``,
``validation.txt``) are each a head, every part's pieces and a tail
(``summaries.assemble``). The ledger records, for each plan in the build's order:

- its light summary (``plan.LIGHT``: file, key, IRIs, triple counts, description counts, basis),
  which is all the corpus steps need of a plan that did not change;
- where each of its pieces lies in the summary files (offset and length);
- what those files' heads and the report's order need of it (whether it conforms, its results
  per severity, its first and last result's order key, its informational results counted).

A rebuild that adds or replaces a few plans then reads the ledger (10 MB at 3,000 plans, 0.2 s;
the corpus index it replaces was 84 MB parsed) and the summary files as bytes, and splices: a
reused plan's pieces are copied, the new plans' rendered. Nothing is presumed: the ledger is used
only when it was written under the same code fingerprint and every summary file has the size and
CRC-32 it records (a file edited or cut short since is noticed, and the build reads each plan's
summary file and renders every plan's pieces again).
Written by every build, full or not, with no time or path in it: the same inputs give the same
bytes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sciplan_kg.pipeline.plan import LIGHT, PlanOutput
from sciplan_kg.pipeline.summaries import SUMMARY_FILES, Part

LEDGER = "state/ledger.json"
FORMAT = 1
_FILES = sorted(set(SUMMARY_FILES.values()))
_SLOTS = tuple(SUMMARY_FILES)


@dataclass
class Entry:
    """One plan in the previous build: its light summary, its part's order and counts (no
    pieces), where its pieces lie in the previous summary files, and its line of the ledger
    (written again as it is while the plan is reused)."""

    light: dict[str, Any]
    part: Part
    at: dict[str, tuple[int, int]]
    line: bytes


@dataclass
class Ledger:
    """The previous build's ledger, its summary files (checked against it) and its plans by file
    name."""

    entries: dict[str, Entry]
    files: dict[str, bytes]

    def pieces(self, entry: Entry) -> dict[str, bytes]:
        """A previous plan's pieces, cut from the previous summary files."""
        return {slot: self.files[SUMMARY_FILES[slot]][o : o + n] for slot, (o, n) in entry.at.items()}


def entry_line(p: PlanOutput, part: Part) -> bytes:
    """What the ledger keeps of a plan, on one line: nothing another plan can change."""
    entry = {
        "light": {name: getattr(p, name) for name in LIGHT},
        "conforms": part.conforms,
        "severity": part.severity,
        "first": part.first,
        "last": part.last,
        "info": part.info,
    }
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def ledger_bytes(code: str, lines: list[bytes], at: list[dict[str, tuple[int, int]]], files: dict[str, bytes]) -> bytes:
    """The ledger of a build: a head (format, code, each summary file's size and CRC-32), the
    places of every plan's pieces (one line: per plan, offset and length per slot, -1 for none),
    then each plan's line (``entry_line``), all in the build's order."""
    checks = {rel: [len(files[rel]), zlib.crc32(files[rel])] for rel in _FILES}
    head = json.dumps({"format": FORMAT, "code": code, "files": checks, "slots": _SLOTS}, sort_keys=True)
    places = [[x for slot in _SLOTS for x in where.get(slot, (-1, -1))] for where in at]
    out = [head.encode("utf-8"), json.dumps(places, separators=(",", ":")).encode("ascii"), *lines]
    return b"\n".join(out) + b"\n"


def _key(value: Sequence[Any] | None) -> tuple[Any, ...] | None:
    return tuple(value) if value is not None else None


def read_ledger(previous: Path | None, code: str) -> Ledger | None:
    """The previous build's ledger and summary files, or None when there is none, it is damaged,
    of another format or code, or any summary file differs from what it records."""
    if previous is None:
        return None
    try:
        head_line, places_line, *lines = (previous / LEDGER).read_bytes().split(b"\n")
        if lines.pop() != b"":
            return None
        head = json.loads(head_line)
        if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("code") != code:
            return None
        checks = head["files"]
        if sorted(checks) != _FILES or tuple(head["slots"]) != _SLOTS:
            return None
        files = {}
        for rel in _FILES:
            blob = (previous / rel).read_bytes()
            size, crc = checks[rel]
            if len(blob) != size or zlib.crc32(blob) != crc:
                return None
            files[rel] = blob
        places = json.loads(places_line)
        if len(places) != len(lines):
            return None
        sizes = [len(files[SUMMARY_FILES[slot]]) for slot in _SLOTS]
        entries: dict[str, Entry] = {}
        for line, place in zip(lines, places, strict=True):
            e = json.loads(line)
            light = e["light"]
            if set(light) != set(LIGHT) or len(place) != 2 * len(_SLOTS):
                return None
            at = {}
            for i, slot in enumerate(_SLOTS):
                o, n = int(place[2 * i]), int(place[2 * i + 1])
                if o == -1 == n:
                    continue
                if o < 0 or n < 0 or o + n > sizes[i]:
                    return None
                at[slot] = (o, n)
            part = Part(
                {},
                bool(e["conforms"]),
                [int(x) for x in e["severity"]],
                [_key(k) for k in e["first"]],  # type: ignore[misc]
                [_key(k) for k in e["last"]],  # type: ignore[misc]
                [tuple(i) for i in e["info"]],  # type: ignore[misc]
            )
            entries[str(light["file"])] = Entry(light, part, at, line)
        return Ledger(entries, files)
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
