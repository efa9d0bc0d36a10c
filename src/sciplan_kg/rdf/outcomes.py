"""Measured literacy rates (``data/registry/outcomes.toml``) as W3C Data Cube observations.

One ``qb:DataSet`` (``id/measured-literacy``) with its ``qb:DataStructureDefinition``:

- dimensions: ``sdmx-dimension:refArea`` (the area, ``id/area/<slug>``), ``sdmx-dimension:refPeriod``
  (the survey year, ``xsd:gYear``), ``sk:populationGroup`` (all / urban / rural / men / women) and
  ``sk:literacyDefinition`` (the scoring the value is on: the 2024 survey changed it);
- measure: ``sk:literacyRate`` (%, a sub-property of ``sdmx-measure:obsValue``);
- attributes: ``dcterms:source`` (the release: its publisher, where it was read, its date, a DOI),
  ``sk:surveyEdition`` (9th … 14th, where the source says), ``dcterms:issued`` (released).

Observations are ``id/outcome/<area-slug>/<year>/<group>``; sources ``id/outcome-source/<key>``,
definitions ``id/literacy-definition/<key>``, groups ``id/survey-group/<key>``. The areas and
their hierarchy (``sk:withinArea``, ``sk:level``) are the registry's areas
(:func:`sciplan_kg.rdf.graph.registry_graph`). Reference data: nothing here is extracted.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, QB

from sciplan_kg.rdf import iris
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.resolve.registry import LiteracyDefinition, Outcome, OutcomeSource, Registry

SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

DATASET = iris.iri("measured-literacy")
STRUCTURE = iris.iri("measured-literacy", "structure")

# (component name in the IRI, kind, property, required)
COMPONENTS: tuple[tuple[str, URIRef, URIRef, bool], ...] = (
    ("area", QB.dimension, SDMX_DIMENSION.refArea, True),
    ("year", QB.dimension, SDMX_DIMENSION.refPeriod, True),
    ("group", QB.dimension, SK.populationGroup, True),
    ("definition", QB.dimension, SK.literacyDefinition, True),
    ("rate", QB.measure, SK.literacyRate, True),
    ("source", QB.attribute, DCTERMS.source, True),
    ("edition", QB.attribute, SK.surveyEdition, False),
    ("released", QB.attribute, DCTERMS.issued, False),
)


def observation(area_slug: str, year: int, group: str) -> URIRef:
    return iris.iri("outcome", iris.segment(area_slug), str(year), iris.segment(group))


def source(key: str) -> URIRef:
    return iris.iri("outcome-source", iris.segment(key))


def definition(key: str) -> URIRef:
    return iris.iri("literacy-definition", iris.segment(key))


def group(key: str) -> URIRef:
    return iris.iri("survey-group", iris.segment(key))


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _year(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def _date(text: str) -> Literal:
    """A release date as the source gives it: a day (xsd:date) or a month (xsd:gYearMonth)."""
    return Literal(text, datatype=XSD.date if len(text) == 10 else XSD.gYearMonth)


def _format(value: float) -> str:
    """6.2 for 6.20, 10 for 10.0: the value as the source prints it, without trailing zeros."""
    return format(Decimal(repr(value)).normalize(), "f")


def _percent(value: float) -> Literal:
    return Literal(Decimal(_format(value)), datatype=XSD.decimal)


def outcomes_graph(reg: Registry) -> Graph:
    """The registry's measured values, their sources, definitions and groups, and the data set
    and structure they belong to."""
    g = Graph()
    if not reg.outcomes:
        return g
    _structure(g)
    for key, d in sorted(reg.definitions.items()):
        _definition(g, key, d)
    for key, names in sorted(reg.population_groups.items()):
        node = group(key)
        g.add((node, RDF.type, SK.PopulationGroup))
        g.add((node, SKOS.inScheme, SK.SurveyGroups))
        g.add((node, SKOS.notation, Literal(key)))
        for prop in (SKOS.prefLabel, RDFS.label):
            g.add((node, prop, _zh(names["zh"])))
            g.add((node, prop, _en(names["en"])))
    sources = {o.source.key: o.source for o in reg.outcomes}
    for key in sorted(sources):
        _source(g, sources[key])
    for o in reg.outcomes:
        _observation(g, reg, o)
    return g


def _structure(g: Graph) -> None:
    g.add((DATASET, RDF.type, QB.DataSet))
    g.add((DATASET, QB.structure, STRUCTURE))
    g.add((DATASET, RDFS.label, _zh("公民具备科学素质的比例（调查测得值）")))
    g.add((DATASET, RDFS.label, _en("Measured share of citizens with basic scientific literacy")))
    g.add(
        (
            DATASET,
            DCTERMS.description,
            _zh("中国公民科学素质抽样调查公布的测得值，按地区、年份、人群和测评标准；每个值注明来源。"),
        )
    )
    g.add(
        (
            DATASET,
            DCTERMS.description,
            _en(
                "Values published from the national surveys of citizens' scientific literacy, by area, year, "
                "population group and scoring definition; each value with its source."
            ),
        )
    )
    g.add((DATASET, SK.registrySource, Literal("data/registry/outcomes.toml")))
    g.add((STRUCTURE, RDF.type, QB.DataStructureDefinition))
    for order, (name, kind, prop, required) in enumerate(COMPONENTS, start=1):
        spec = iris.child(STRUCTURE, name)
        g.add((STRUCTURE, QB.component, spec))
        g.add((spec, RDF.type, QB.ComponentSpecification))
        g.add((spec, kind, prop))
        g.add((spec, QB.order, Literal(order)))
        if kind == QB.attribute:
            g.add((spec, QB.componentRequired, Literal(required)))
            g.add((spec, QB.componentAttachment, QB.Observation))


def _definition(g: Graph, key: str, d: LiteracyDefinition) -> None:
    node = definition(key)
    g.add((node, RDF.type, SK.LiteracyDefinition))
    g.add((node, SKOS.inScheme, SK.LiteracyDefinitions))
    g.add((node, SKOS.notation, Literal(key)))
    for prop in (SKOS.prefLabel, RDFS.label):
        g.add((node, prop, _zh(d.zh)))
        g.add((node, prop, _en(d.en)))
    g.add((node, SKOS.definition, _zh(d.description_zh)))
    g.add((node, SKOS.definition, _en(d.description_en)))
    if d.first is not None:
        g.add((node, SK.firstSurveyYear, _year(d.first)))
    if d.last is not None:
        g.add((node, SK.lastSurveyYear, _year(d.last)))


def source_label(s: OutcomeSource) -> tuple[str, str]:
    """A source as one line, zh and en: publisher, release date, where read."""
    released = f" {s.released}" if s.released else ""
    return f"{s.publisher}{released}（{s.read_at}）", f"{s.publisher_en}{released} ({s.read_at})"


def _source(g: Graph, s: OutcomeSource) -> None:
    node = source(s.key)
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, RDF.type, DCTERMS.BibliographicResource))
    label_zh, label_en = source_label(s)
    g.add((node, RDFS.label, _zh(label_zh)))
    g.add((node, RDFS.label, _en(label_en)))
    g.add((node, DCTERMS.publisher, _zh(s.publisher)))
    g.add((node, DCTERMS.publisher, _en(s.publisher_en)))
    g.add((node, SK.readAt, Literal(s.read_at)))
    if s.released:
        g.add((node, DCTERMS.issued, _date(s.released)))
    if s.doi:
        g.add((node, DCTERMS.identifier, Literal(f"doi:{s.doi}")))
        g.add((node, RDFS.seeAlso, URIRef(f"https://doi.org/{s.doi}")))
    if s.note:
        g.add((node, SKOS.note, Literal(s.note)))


def _observation(g: Graph, reg: Registry, o: Outcome) -> None:
    area = reg.areas[o.area]
    node = observation(area.slug, o.year, o.group)
    names = reg.population_groups[o.group]
    g.add((node, RDF.type, QB.Observation))
    g.add((node, QB.dataSet, DATASET))
    g.add((node, SDMX_DIMENSION.refArea, iris.area(area.slug)))
    g.add((node, SDMX_DIMENSION.refPeriod, _year(o.year)))
    g.add((node, SK.populationGroup, group(o.group)))
    g.add((node, SK.literacyDefinition, definition(o.definition)))
    g.add((node, SK.literacyRate, _percent(o.value)))
    g.add((node, DCTERMS.source, source(o.source.key)))
    if o.edition is not None:
        g.add((node, SK.surveyEdition, Literal(o.edition)))
    if o.source.released:
        g.add((node, DCTERMS.issued, _date(o.source.released)))
    value = _format(o.value)
    g.add((node, RDFS.label, _zh(f"{area.zh} {o.year}年 {names['zh']}：{value}%")))
    g.add((node, RDFS.label, _en(f"{area.en} {o.year}, {names['en']}: {value}%")))
