"""The compiled SHACL engine gives pySHACL's results: on the five plans, on generated plans,
and on their graphs with triples deleted and objects swapped at random (which breaks every
kind of constraint the shapes use)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef

from sciplan_kg import validate
from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.plan import Workbench
from sciplan_kg.rdf.graph import PlanGraph
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.validation.compiled import SH, CompiledShapes, RawResult, UnsupportedShape
from sciplan_kg.validation.report import _pyshacl, load_shapes

Key = tuple[object, ...]


def _key(r: RawResult) -> Key:
    return (r.severity, r.focus, r.path, r.inverse, r.component, r.shape, r.value, tuple(sorted(r.messages)))


@pytest.fixture(scope="module")
def bench() -> Workbench:
    return Workbench.load()


def _plan_graphs(path: Path, bench: Workbench) -> tuple[Graph, Graph]:
    pt = read_plan_text(path)
    g = PlanGraph(resolve(extract_text(pt), bench.registry), bench.registry, pt.raw).build()
    return g, bench.reasoner.infer(g)


def _mutated(g: Graph, seed: int) -> Graph:
    rng = random.Random(seed)
    triples = sorted(g, key=str)
    objects = [o for _, _, o in triples]
    out = Graph()
    for t in triples:
        out.add(t)
    for t in rng.sample(triples, len(triples) // 20):
        out.remove(t)
    for s, p, _ in rng.sample(triples, 40):
        out.add((s, p, rng.choice(objects)))
    typed = [t for t in triples if isinstance(t[2], Literal) and t[2].datatype in (XSD.decimal, XSD.date)]
    for s, p, o in rng.sample(typed, min(3, len(typed))):  # ill-formed, and untyped
        out.remove((s, p, o))
        out.add((s, p, Literal("不是数值", datatype=o.datatype) if rng.random() < 0.5 else Literal(str(o))))
    return out


def _both(parts: list[Graph], bench: Workbench) -> tuple[Counter[Key], Counter[Key]]:
    compiled = Counter(map(_key, bench.shapes.validate(parts)))
    merged = Graph()
    for part in parts:
        for t in part:
            merged.add(t)
    reference = Counter(map(_key, _pyshacl(merged, load_shapes())))
    return compiled, reference


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_engine_equals_pyshacl_on_the_five_plans(seed: int, bench: Workbench) -> None:
    total = 0
    for path in sorted(PLANS_DIR.glob("*.txt")):
        g, inferred = _plan_graphs(path, bench)
        if seed:
            g = _mutated(g, seed)
        compiled, reference = _both([g, inferred, bench.validation_context], bench)
        assert compiled == reference, (path.name, compiled - reference, reference - compiled)
        total += sum(compiled.values())
    assert total > 100  # both engines found results, so the comparison compared something


def test_mutations_break_every_kind_of_constraint(bench: Workbench) -> None:
    components = set()
    for seed in range(1, 4):
        for path in sorted(PLANS_DIR.glob("*.txt")):
            g, inferred = _plan_graphs(path, bench)
            components |= {r.component for r in bench.shapes.validate([_mutated(g, seed), inferred])}
    expected = {SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent, SH.ClassConstraintComponent}
    expected |= {SH.DatatypeConstraintComponent, SH.LanguageInConstraintComponent, SH.InConstraintComponent}
    expected |= {SH.QualifiedMinCountConstraintComponent}
    assert expected <= components


def test_build_report_equals_pyshacl_on_the_whole_build(five: BuildResult) -> None:
    compiled = validate(five.out)
    assert compiled == validate(five.out, engine="pyshacl")
    assert compiled.to_json() == (five.out / "validation.json").read_text(encoding="utf-8").rstrip("\n")


def test_unsupported_shacl_is_refused() -> None:
    shapes = load_shapes()
    shape = URIRef("https://w3id.org/sciplan-kg/shapes#TaskTextShape")
    shapes.add((shape, SH.pattern, Literal("^科")))
    with pytest.raises(UnsupportedShape, match=r"TaskTextShape.*pattern"):
        CompiledShapes(shapes)


def test_deactivated_shape_reports_nothing(bench: Workbench) -> None:
    g, inferred = _plan_graphs(sorted(PLANS_DIR.glob("*.txt"))[0], bench)
    g = _mutated(g, 5)
    shapes = load_shapes()
    for node in shapes.subjects(SH.targetClass, None):
        shapes.add((node, SH.deactivated, Literal(True)))
    assert CompiledShapes(shapes).validate([g, inferred]) == []
