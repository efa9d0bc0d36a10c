"""Measured literacy rates as Data Cube observations (rdf/outcomes.py): readable IRIs, every
dimension and the measure on every observation, each value traceable to its source, the area
hierarchy in the registry graph, and the shapes that hold them."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, QB

from sciplan_kg.rdf import iris
from sciplan_kg.rdf.graph import registry_graph
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.rdf.outcomes import DATASET, SDMX_DIMENSION, STRUCTURE, outcomes_graph
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.rdf.serialize import turtle_bytes
from sciplan_kg.resolve.registry import Registry, load_registry
from sciplan_kg.validation.report import Report, validate_graph

ID = "https://w3id.org/sciplan-kg/id/"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def graph(reg: Registry) -> Graph:
    return outcomes_graph(reg)


def _observations(g: Graph) -> list[URIRef]:
    return sorted(o for o in g.subjects(RDF.type, QB.Observation) if isinstance(o, URIRef))


def test_one_observation_per_value_with_a_readable_iri(graph: Graph, reg: Registry) -> None:
    obs = _observations(graph)
    assert len(obs) == len(reg.outcomes) == 35
    wushan_cluster = URIRef(ID + "outcome/chongqing-northeast-three-gorges/2020/all")
    assert wushan_cluster in obs
    assert URIRef(ID + "outcome/china/2024/all") in obs
    assert URIRef(ID + "outcome/china/2023/rural") in obs
    assert graph.value(wushan_cluster, SK.literacyRate) == Literal("8.2", datatype=XSD.decimal)
    assert graph.value(wushan_cluster, SDMX_DIMENSION.refArea) == iris.area("chongqing-northeast-three-gorges")
    assert graph.value(wushan_cluster, SDMX_DIMENSION.refPeriod) == Literal("2020", datatype=XSD.gYear)


def test_every_observation_has_every_dimension_and_the_measure(graph: Graph) -> None:
    """Data Cube integrity constraints IC-1 (one data set) and IC-11/IC-14 (every dimension, the
    measure), checked on the structure the data set declares."""
    assert graph.value(DATASET, QB.structure) == STRUCTURE
    specs = list(graph.objects(STRUCTURE, QB.component))
    dimensions = {graph.value(s, QB.dimension) for s in specs} - {None}
    measures = {graph.value(s, QB.measure) for s in specs} - {None}
    assert dimensions == {SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, SK.populationGroup, SK.literacyDefinition}
    assert measures == {SK.literacyRate}
    for o in _observations(graph):
        assert list(graph.objects(o, QB.dataSet)) == [DATASET]
        for prop in dimensions | measures:
            assert len(list(graph.objects(o, prop))) == 1, (o, prop)


def test_every_value_is_traceable_to_its_publisher_and_where_it_was_read(graph: Graph) -> None:
    for o in _observations(graph):
        src = graph.value(o, DCTERMS.source)
        assert src is not None, o
        assert {lit.language for lit in graph.objects(src, DCTERMS.publisher)} == {"zh", "en"}
        assert graph.value(src, SK.readAt) is not None
    national_2023 = URIRef(ID + "outcome/china/2023/all")
    src = graph.value(national_2023, DCTERMS.source)
    assert graph.value(src, DCTERMS.identifier) == Literal("doi:10.19293/j.cnki.1673-8357.2024.02.001")
    assert graph.value(national_2023, DCTERMS.issued) == Literal("2024-04-16", datatype=XSD.date)
    assert graph.value(national_2023, SK.surveyEdition) == Literal(13)
    cluster = URIRef(ID + "outcome/chongqing-main-metropolitan-area/2020/all")
    assert graph.value(cluster, DCTERMS.issued) == Literal("2021-03", datatype=XSD.gYearMonth)
    assert graph.value(cluster, SK.surveyEdition) is None  # the source does not say


def test_the_definition_is_a_dimension_and_says_which_years_it_covers(graph: Graph) -> None:
    graded = URIRef(ID + "literacy-definition/graded-2024")
    earlier = URIRef(ID + "literacy-definition/pre-2024-criteria")
    assert graph.value(URIRef(ID + "outcome/china/2024/all"), SK.literacyDefinition) == graded
    assert graph.value(URIRef(ID + "outcome/china/2023/all"), SK.literacyDefinition) == earlier
    assert graph.value(graded, SK.firstSurveyYear) == Literal("2024", datatype=XSD.gYear)
    assert graph.value(earlier, SK.lastSurveyYear) == Literal("2023", datatype=XSD.gYear)
    for node in (graded, earlier):
        assert (node, SKOS.inScheme, SK.LiteracyDefinitions) in graph
        assert {lit.language for lit in graph.objects(node, SKOS.definition)} == {"zh", "en"}


def test_the_registry_graph_holds_the_outcomes_and_the_area_hierarchy(reg: Registry) -> None:
    g = registry_graph(reg)
    assert len(_observations(g)) == 35
    wushan = iris.area("wushan")
    cluster = iris.area("chongqing-northeast-three-gorges")
    assert g.value(wushan, SK.withinArea) == cluster
    assert g.value(cluster, SK.withinArea) == iris.area("chongqing")
    assert g.value(cluster, SK.level) == SK.CityCluster
    assert g.value(iris.area("chongqing"), SK.withinArea) == iris.area("western-region")
    assert g.value(iris.area("western-region"), SK.level) == SK.Regional
    assert g.value(iris.area("western-region"), SK.withinArea) == iris.area("china")
    assert g.value(iris.area("jiangxi"), SK.withinArea) == iris.area("central-region")


def test_the_same_registry_gives_the_same_bytes(reg: Registry) -> None:
    assert turtle_bytes(outcomes_graph(reg)) == turtle_bytes(outcomes_graph(reg))
    text = turtle_bytes(outcomes_graph(reg)).decode("utf-8")
    assert "渝东北三峡库区城镇群 2020年 全体公民：8.2%" in text  # Chinese as is, never escaped


def test_a_registry_without_outcomes_adds_nothing(reg: Registry) -> None:
    assert len(outcomes_graph(dataclasses.replace(reg, outcomes=[]))) == 0


# ------------------------------------------------------------------------------ shapes


def _focus(report: Report, shape: str) -> set[str]:
    return {r.focus for r in report.results if r.severity == "Violation" and r.shape.endswith(shape)}


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_the_outcomes_conform(reg: Registry, engine: str) -> None:
    report = validate_graph([registry_graph(reg), load_ontology()], engine=engine)
    assert not [r for r in report.results if r.severity == "Violation"]


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
@pytest.mark.parametrize(
    ("remove", "shape"),
    [
        (SK.literacyDefinition, "OutcomeDefinitionShape"),
        (DCTERMS.source, "OutcomeSourceShape"),
        (SK.literacyRate, "OutcomeRateShape"),
    ],
)
def test_an_observation_missing_a_component_is_a_violation(
    reg: Registry, engine: str, remove: URIRef, shape: str
) -> None:
    g = outcomes_graph(reg)
    node = URIRef(ID + "outcome/china/2024/all")
    g.remove((node, remove, None))
    report = validate_graph([g, load_ontology()], engine=engine)
    assert _focus(report, shape) == {str(node)}


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_a_source_that_does_not_say_where_it_was_read_is_a_violation(reg: Registry, engine: str) -> None:
    g = outcomes_graph(reg)
    src = URIRef(ID + "outcome-source/cqast")
    g.remove((src, SK.readAt, None))
    report = validate_graph([g, load_ontology()], engine=engine)
    assert _focus(report, "OutcomeSourceShape") == {
        ID + "outcome/chongqing/2015/all",
        ID + "outcome/chongqing/2018/all",
    }
