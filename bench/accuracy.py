"""Extraction accuracy on generated plans: a build folder's records against the truth files.

    python bench/accuracy.py PLANS_DIR BUILD_DIR [--json]

What is scored (precision / recall / F1 where both sides are sets, accuracy otherwise):
title and document number (exact), literacy target (value), measures (kind + title), tasks
(measure + task title), lead agencies (the task's own where the table gives one, else its
measure's, by registry key), numeric targets (task + value + unit). A truncated plan is
scored on what its text still holds: a task whose text was cut off is not expected.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _f1(expected: set, found: set) -> dict[str, float]:
    hit = len(expected & found)
    p = hit / len(found) if found else 1.0
    r = hit / len(expected) if expected else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "expected": len(expected)}


def _fold(text: str) -> str:
    return text.translate(str.maketrans(",:;()", "，：；（）"))


def score(plans: Path, build: Path) -> dict[str, object]:
    sets: dict[str, tuple[set, set]] = {k: (set(), set()) for k in ("measures", "tasks", "leads", "targets")}
    exact = {"title": [0, 0], "doc_number": [0, 0], "literacy_target": [0, 0]}
    for truth_file in sorted((plans / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        stem = truth_file.stem
        text = _fold((plans / f"{stem}.txt").read_text(encoding="utf-8"))
        record_file = build / "records" / f"{stem}.json"
        rec = json.loads(record_file.read_text(encoding="utf-8")) if record_file.is_file() else {"measures": []}
        for key, found in (
            ("title", _fold(rec.get("title") or "")),
            ("doc_number", rec.get("doc_number")),
            ("literacy_target", (rec.get("literacy_target") or {}).get("value")),
        ):
            want = truth[key]
            if key == "title":
                want = _fold(want)
            if key == "doc_number" and want:
                want = _fold(want)
                found = _fold(found or "")
            exact[key][0] += found == want or (key == "literacy_target" and found is not None and float(found) == want)
            exact[key][1] += 1
        for m in truth["measures"]:
            if m["title"] not in text:
                continue
            sets["measures"][0].add((stem, m["kind"], m["title"]))
            lead_complete = truth["layout"] == "table" or text.find(m["title"]) < text.rfind("牵头")
            for t in m["tasks"]:
                if _fold(t["text"]) not in text:
                    continue
                sets["tasks"][0].add((stem, m["title"], t["title"]))
                own = t["lead"] or m["lead"]
                if lead_complete:
                    for key in own:
                        sets["leads"][0].add((stem, t["title"], key))
                for target in t["targets"]:
                    sets["targets"][0].add((stem, t["title"], float(target["value"]), target["unit"]))
        for m in rec.get("measures", []):
            title = m["title"].removeprefix("实施")
            sets["measures"][1].add((stem, m["kind"], title))
            measure_leads = [
                x["agency"] for a in m.get("assignments", []) if a["role"] == "lead" for x in a["mentions"]
            ]
            for t in m["tasks"]:
                sets["tasks"][1].add((stem, title, t["title"]))
                own = [x["agency"] for a in t.get("assignments", []) if a["role"] == "lead" for x in a["mentions"]]
                for key in own or measure_leads:
                    sets["leads"][1].add((stem, t["title"], key))
                for target in t.get("targets", []):
                    sets["targets"][1].add((stem, t["title"], float(target["value"]), target["unit"]))
    out: dict[str, object] = {k: _f1(*v) for k, v in sets.items()}
    for k, (hit, total) in exact.items():
        out[k] = {"accuracy": hit / total if total else 1.0, "expected": total}
    return out


def main() -> None:
    result = score(Path(sys.argv[1]), Path(sys.argv[2]))
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    for k, v in result.items():
        print(k, {a: round(b, 3) if isinstance(b, float) else b for a, b in v.items()})


if __name__ == "__main__":
    main()
