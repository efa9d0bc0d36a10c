"""The first version's pipeline, kept as the baseline: every plan into one rdflib graph, owlrl's
full OWL 2 RL closure, one pyshacl run over everything, rdflib's Turtle serializer.

    python bench/naive.py PLANS_DIR OUT.ttl      → prints seconds per stage as JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rdflib import Graph

from sciplan_kg.extract import extract_text
from sciplan_kg.rdf.graph import plan_graph, registry_graph
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.reason.reasoner import infer_owlrl
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry
from sciplan_kg.validation.report import validate_graph


def main() -> None:
    plans, out = Path(sys.argv[1]), Path(sys.argv[2])
    t: dict[str, float] = {}
    start = time.perf_counter()
    reg, ontology = load_registry(), load_ontology()
    asserted = registry_graph(reg)
    for f in sorted(plans.glob("*.txt")):
        pt = read_plan_text(f)
        asserted += plan_graph(resolve(extract_text(pt), reg), reg, pt.raw)
    t["extract+rdf"] = time.perf_counter() - start
    lap = time.perf_counter()
    inferred = infer_owlrl(asserted, ontology)
    t["reason (owlrl)"] = time.perf_counter() - lap
    lap = time.perf_counter()
    validate_graph(asserted + inferred + ontology)
    t["validate"] = time.perf_counter() - lap
    lap = time.perf_counter()
    g = Graph()
    g += asserted
    g += inferred
    out.write_bytes(g.serialize(format="turtle", encoding="utf-8"))
    t["export"] = time.perf_counter() - lap
    t["triples"] = len(asserted)
    print(json.dumps(t))


if __name__ == "__main__":
    main()
