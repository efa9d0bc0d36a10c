"""Extraction accuracy on generated plans: a build folder's records against the truth files.

    python bench/accuracy.py PLANS_DIR BUILD_DIR [--json]

What is scored (precision / recall / F1 where both sides are sets, accuracy otherwise):
title and document number (exact), literacy target (value), measures (kind + title), tasks
(measure + task title), lead agencies (the task's own where the table gives one, else its
measure's, by registry key), numeric targets (task + value + unit), parent links (the plan
→ the built plan it cites as its basis, from ``graph/parents.ttl``), and how the tasks taken
from the parent are classed (``parent_tasks``: the share of those the truth calls copied or
adapted whose match has that class; a task the pool gave is not scored, as it may equal a
parent's task by chance). A truncated plan is scored on what its text still holds: a task whose
text was cut off is not expected, nor a parent link to a plan whose title was cut off.
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
    truths = _truths(plans)
    for stem, truth in truths.items():
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
    sets["parents"] = _parent_links(truths, build)
    out: dict[str, object] = {k: _f1(*v) for k, v in sets.items()}
    out["parent_tasks"] = _parent_task_classes(truths, build)
    for k, (hit, total) in exact.items():
        out[k] = {"accuracy": hit / total if total else 1.0, "expected": total}
    return out


SK = "https://w3id.org/sciplan-kg/ontology#"


def _plans_by_iri(build: Path) -> dict[str, str]:
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    return {p["plan"]: Path(p["file"]).stem for p in manifest["plans"]}


def _truths(plans: Path) -> dict[str, dict]:
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted((plans / "truth").glob("*.json"))}


def _objects(ttl: Path, *predicates: str) -> dict[str, dict[str, str]]:
    """subject → {predicate's local name: object's value} for ``predicates`` (of ``SK``) in a
    Turtle file, read by Oxigraph's parser (rdflib's takes minutes for a corpus)."""
    import pyoxigraph as ox

    wanted = {SK + p: p for p in predicates}
    out: dict[str, dict[str, str]] = {}
    for t in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE):
        name = wanted.get(t.predicate.value)
        if name is not None:
            out.setdefault(t.subject.value, {})[name] = t.object.value
    return out


def _parent_links(truths: dict[str, dict], build: Path) -> tuple[set, set]:
    """(child, parent) by file stem: expected where the parent plan is in the corpus."""
    by_title = {_fold(t["title"]): stem for stem, t in truths.items()}
    expected = {
        (stem, by_title[_fold(t["parent"])])
        for stem, t in truths.items()
        if t.get("parent") and _fold(t["parent"]) in by_title
    }
    stems = _plans_by_iri(build)
    links = _objects(build / "graph" / "parents.ttl", "parentPlan")
    found = {(stems.get(c, c), stems.get(v["parentPlan"], v["parentPlan"])) for c, v in links.items()}
    return expected, found


def _parent_task_classes(truths: dict[str, dict], build: Path) -> dict[str, object]:
    """Of the tasks the truth says were copied or adapted from the parent (and that the build
    found), the share whose match has that class, by class; and what the others were classed."""
    matches: dict[str, dict[str, str]] = {}
    for f in sorted((build / "graph" / "parents").glob("*.ttl")):  # one file per child plan
        matches.update(_objects(f, "childTask", "matchClass"))
    names = {SK + "CopiedTask": "copied", SK + "AdaptedTask": "adapted", SK + "NewTask": "new"}
    by_task = {m["childTask"]: names[m["matchClass"]] for m in matches.values() if "childTask" in m}
    counts: dict[str, dict[str, int]] = {"copied": {}, "adapted": {}}
    for stem, truth in truths.items():
        origin = {_fold(t["text"]): t["origin"] for m in truth["measures"] for t in m["tasks"] if t.get("origin")}
        ttl = build / "graph" / "asserted" / f"{stem}.ttl"
        if not origin or not ttl.is_file():
            continue
        for task, v in _objects(ttl, "text").items():
            made = origin.get(_fold(v["text"]))
            if made is not None and task in by_task:
                counts[made][by_task[task]] = counts[made].get(by_task[task], 0) + 1
    return {
        made: {"accuracy": c.get(made, 0) / sum(c.values()) if c else 1.0, "expected": sum(c.values()), "classed": c}
        for made, c in counts.items()
    }


def main() -> None:
    result = score(Path(sys.argv[1]), Path(sys.argv[2]))
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    for k, v in result.items():
        print(k, {a: round(b, 3) if isinstance(b, float) else b for a, b in v.items()})


if __name__ == "__main__":
    main()
