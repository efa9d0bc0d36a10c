"""SHACL cases in tests/shapes/{valid,invalid}/: each is tests/shapes/base.ttl plus its own
triples, judged on (focus node, path, constraint component, severity) as in the W3C suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Namespace, URIRef

from sciplan_kg import validate
from sciplan_kg.validation.report import format_report

SHAPES_CASES = Path(__file__).parents[1] / "shapes"
SH = Namespace("http://www.w3.org/ns/shacl#")
SKT = Namespace("https://w3id.org/sciplan-kg/test#")
CASES = sorted((SHAPES_CASES / "valid").glob("*.ttl")) + sorted((SHAPES_CASES / "invalid").glob("*.ttl"))


def _path(g: Graph, node: object) -> str:
    if isinstance(node, BNode):
        return "^" + str(g.value(node, SH.inversePath))
    return str(node)


def _load_case(case: Path) -> tuple[Graph, bool, set[tuple[str, str, str, str]]]:
    g = Graph()
    g.parse(SHAPES_CASES / "base.ttl")
    g.parse(case)
    conforms = bool(g.value(SKT.case, SKT.conforms).toPython())
    expected = set()
    for exp in g.objects(SKT.case, SKT.expects):
        expected.add(
            (
                str(g.value(exp, SH.focusNode)),
                _path(g, g.value(exp, SH.resultPath)),
                str(g.value(exp, SH.sourceConstraintComponent)),
                str(g.value(exp, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    for prop in list(g.objects(SKT.case, SKT.remove)):
        for s in list(g.subjects(RDF.type, URIRef("https://w3id.org/sciplan-kg/ontology#ImplementationPlan"))):
            g.remove((s, prop, None))
    data = Graph()
    test_nodes = {SKT.case} | set(g.objects(SKT.case, SKT.expects))
    test_nodes |= {o for n in list(test_nodes) for o in g.objects(n, SH.resultPath) if isinstance(o, BNode)}
    for s, p, o in g:
        if s not in test_nodes:
            data.add((s, p, o))
    return data, conforms, expected


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shape_case(case: Path, engine: str, tmp_path: Path) -> None:
    data, conforms, expected = _load_case(case)
    file = tmp_path / "data.ttl"
    data.serialize(file, format="turtle")
    report = validate(file, engine=engine)
    actual = {(r.focus, r.path, r.component, r.severity) for r in report.results}
    assert report.conforms is conforms
    assert actual == expected
    assert (case.parent.name == "valid") is conforms


def test_report_names_the_task_and_plan_not_iris(tmp_path: Path) -> None:
    data, _, _ = _load_case(SHAPES_CASES / "valid" / "task-without-lead.ttl")
    file = tmp_path / "data.ttl"
    data.serialize(file, format="turtle")
    text = format_report(validate(file))
    assert (
        "任务「开展科普活动」（测试县全民科学素质行动规划纲要实施方案（2021—2025年） / 青少年科学素质提升行动）" in text
    )
    assert "任务没有牵头部门" in text and "The task has no lead agency" in text
    assert "警告 Warning" in text
