"""The `target-attainment` query: each plan's literacy target against the latest measured value of
the nearest measured area. The five plans' rows are written here by hand (from
data/registry/outcomes.toml and the plans' targets); constructed plans cover what the five do
not: a plan compared with the nation's 2024 value (across the definition change), one whose own
area has a series, one whose area is on no chain."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from sciplan_kg.query import run_query
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.graph import registry_graph
from sciplan_kg.rdf.namespaces import ELI, SK
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.resolve.registry import load_registry

NAME = "target-attainment"
ID = "https://w3id.org/sciplan-kg/id/"
COLUMNS = (
    "place target comparator targetYear baseline baselineYear measuredArea measuredLevel latestYear latest "
    "latestDefinition gap yearlyGainNeeded yearlyGainSeen gainSeenFrom gainSeenSince crossesDefinition"
).split()

# place: target, comparator, target year, baseline, baseline year, measured area, its level, latest year,
# latest, its definition, gap, yearly gain needed, seen, seen from, since, crosses the definition change
FIVE = {
    "九龙坡区": (19.5, ">", "2025", 14.2, "2020", "主城都市区", "cluster", "2020", 11.6, "pre-2024-criteria",
             7.9, 1.58, 1.28, "baseline", "2015", False),  # the plan's +6.4 points since 2015: 6.4 / 5
    "梁平区": (16, ">", "2025", None, None, "渝东北三峡库区城镇群", "cluster", "2020", 8.2, "pre-2024-criteria",
            7.8, 1.56, None, None, None, False),
    "平罗县": (11, "≥", "2025", None, None, "西部地区", "region", "2023", 11.51, "pre-2024-criteria",
            -0.51, -0.25, 1.02, "measured", "2020", False),  # (11.51 − 8.44) / 3; −0.255 rounds up
    "万年县": (14, "=", "2025", None, None, "中部地区", "region", "2023", 13.12, "pre-2024-criteria",
            0.88, 0.44, 1, "measured", "2020", False),  # (13.12 − 10.13) / 3 = 0.997
    "巫山县": (12, ">", "2025", None, None, "渝东北三峡库区城镇群", "cluster", "2020", 8.2, "pre-2024-criteria",
            3.8, 0.76, None, None, None, False),
}  # fmt: skip
SOURCES = {
    "九龙坡区": ("重庆日报", "chongqing-main-metropolitan-area/2020/all"),
    "梁平区": ("重庆日报", "chongqing-northeast-three-gorges/2020/all"),
    "巫山县": ("重庆日报", "chongqing-northeast-three-gorges/2020/all"),
    "平罗县": ("科普研究 2024(2)", "western-region/2023/all"),
    "万年县": ("科普研究 2024(2)", "central-region/2023/all"),
}


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_the_five_plans_rows(five_graph: Graph, store: str) -> None:
    rows = run_query(NAME, five_graph, store=store).rows
    assert {r["place"]: tuple(r[c] for c in COLUMNS[1:]) for r in rows} == FIVE
    for r in rows:
        publisher, observation = SOURCES[r["place"]]
        assert r["source"].startswith(publisher)
        assert r["observation"] == ID + "outcome/" + observation


def test_each_latest_value_is_traceable_to_its_source(five_graph: Graph) -> None:
    """The row's observation holds the value shown, and its source the publisher shown."""
    from rdflib.namespace import DCTERMS

    for r in run_query(NAME, five_graph).rows:
        obs = URIRef(r["observation"])
        assert float(five_graph.value(obs, SK.literacyRate)) == r["latest"]  # type: ignore[arg-type]
        src = five_graph.value(obs, DCTERMS.source)
        assert src is not None and five_graph.value(src, SK.readAt) is not None
        assert r["source"] in {str(label) for label in five_graph.objects(src, RDFS.label)}


# ------------------------------------------------------------------------------ constructed plans


def _plan(g: Graph, slug: str, area: URIRef, target: float, issued: str, baseline: tuple[float, int] | None) -> None:
    plan = iris.plan(slug, (2021, 2025), issued)
    t = iris.child(plan, "target", "literacy")
    g.add((plan, RDF.type, SK.ImplementationPlan))
    g.add((plan, SK.area, area))
    g.add((plan, ELI.date_document, Literal(issued, datatype=XSD.date)))
    g.add((plan, SK.literacyTarget, t))
    g.add((t, RDF.type, SK.LiteracyTarget))
    g.add((t, SK.value, Literal(str(target), datatype=XSD.decimal)))
    g.add((t, SK.comparator, SK.GreaterThan))
    g.add((t, SK.year, Literal("2025", datatype=XSD.gYear)))
    if baseline:
        b = iris.child(plan, "baseline", str(baseline[1]))
        g.add((plan, SK.baseline, b))
        g.add((b, SK.value, Literal(str(baseline[0]), datatype=XSD.decimal)))
        g.add((b, SK.year, Literal(str(baseline[1]), datatype=XSD.gYear)))


@pytest.fixture(scope="module")
def constructed() -> Graph:
    g = registry_graph(load_registry()) + load_ontology()
    # a county the registry does not know, lying directly in the nation: its nearest value is the nation's 2024
    county = iris.area("测试县")
    g.add((county, RDF.type, SK.AdministrativeArea))
    g.add((county, RDFS.label, Literal("测试县", lang="zh")))
    g.add((county, SK.withinArea, iris.area("china")))
    _plan(g, "测试县", county, 16, "2022-05-01", None)
    # the same, stating a 2024 baseline: no longer across the change
    later = iris.area("后来县")
    g.add((later, RDF.type, SK.AdministrativeArea))
    g.add((later, RDFS.label, Literal("后来县", lang="zh")))
    g.add((later, SK.withinArea, iris.area("china")))
    _plan(g, "后来县", later, 18, "2024-09-01", (15.0, 2024))
    # a municipality's own plan: its own series 2015 → 2020
    _plan(g, "chongqing", iris.area("chongqing"), 15, "2021-12-01", None)
    # a county on no chain: no measured value
    lone = iris.area("孤立县")
    g.add((lone, RDF.type, SK.AdministrativeArea))
    g.add((lone, RDFS.label, Literal("孤立县", lang="zh")))
    _plan(g, "孤立县", lone, 10, "2022-01-01", None)
    return g


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_constructed_plans(constructed: Graph, store: str) -> None:
    rows = {r["place"]: r for r in run_query(NAME, constructed, store=store).rows}
    nation = rows["测试县"]
    assert (nation["measuredArea"], nation["measuredLevel"], nation["latestYear"], nation["latest"]) == (
        "中国",
        "national",
        "2024",
        15.37,
    )
    assert nation["latestDefinition"] == "graded-2024"
    assert nation["crossesDefinition"] is True  # a target set in 2022 against a 2024-graded value
    assert (nation["gap"], nation["yearlyGainNeeded"]) == (0.63, 0.63)
    assert nation["yearlyGainSeen"] is None  # one value on the graded definition: no series across the change
    assert rows["后来县"]["crossesDefinition"] is False  # its baseline is of 2024
    chongqing = rows["重庆市"]
    assert (chongqing["measuredArea"], chongqing["measuredLevel"], chongqing["latest"]) == ("重庆市", "province", 10.2)
    assert (chongqing["yearlyGainSeen"], chongqing["gainSeenFrom"], chongqing["gainSeenSince"]) == (
        1.09,
        "measured",
        "2015",
    )  # (10.20 − 4.74) / 5
    assert (chongqing["gap"], chongqing["yearlyGainNeeded"], chongqing["crossesDefinition"]) == (4.8, 0.96, False)
    lone = rows["孤立县"]
    assert lone["measuredArea"] is None and lone["latest"] is None and lone["crossesDefinition"] is None
