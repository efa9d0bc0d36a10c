"""Namespaces. ``SK`` is a closed :class:`DefinedNamespace`: a mistyped term is an error."""

from __future__ import annotations

from rdflib import OWL, PROV, RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace
from rdflib.term import Node

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")
ID = Namespace("https://w3id.org/sciplan-kg/id/")
ONTOLOGY_IRI = URIRef("https://w3id.org/sciplan-kg/ontology")


class SK(DefinedNamespace):
    """The sciplan-kg ontology (ontology/sciplan.ttl)."""

    _NS = Namespace("https://w3id.org/sciplan-kg/ontology#")
    _fail = True

    # classes
    PolicyDocument: URIRef
    ParentDirective: URIRef
    ImplementationPlan: URIRef
    IssuingBody: URIRef
    AdministrativeArea: URIRef
    SourceFile: URIRef
    ExtractedText: URIRef
    StatedFact: URIRef
    Measure: URIRef
    Action: URIRef
    Project: URIRef
    Task: URIRef
    NationalMeasure: URIRef
    TargetGroup: URIRef
    MappingKind: URIRef
    Agency: URIRef
    CollectiveAgency: URIRef
    AgencyType: URIRef
    Role: URIRef
    Responsibility: URIRef
    Target: URIRef
    LiteracyTarget: URIRef
    TaskTarget: URIRef
    Baseline: URIRef
    Comparator: URIRef
    Level: URIRef
    TaskSimilarity: URIRef
    # the whole plan (issue 18): sections, principles, goals, safeguards, phases, indicators, groups
    Section: URIRef
    SectionKind: URIRef
    SectionKinds: URIRef
    Principle: URIRef
    Goal: URIRef
    GoalKind: URIRef
    GoalKinds: URIRef
    GoalTarget: URIRef
    SafeguardCommitment: URIRef
    SafeguardKind: URIRef
    SafeguardKinds: URIRef
    CommitmentTarget: URIRef
    AgencyMention: URIRef
    GroupMention: URIRef
    Phase: URIRef
    Indicator: URIRef
    Indicators: URIRef
    PopulationGroup: URIRef
    PopulationGroups: URIRef
    BackgroundSection: URIRef
    GuidanceSection: URIRef
    PrinciplesSection: URIRef
    GoalsSection: URIRef
    TasksSection: URIRef
    ActionsSection: URIRef
    ProjectsSection: URIRef
    SafeguardsSection: URIRef
    ScheduleSection: URIRef
    OtherSection: URIRef
    LiteracyGoal: URIRef
    QuantitativeGoal: URIRef
    QualitativeGoal: URIRef
    RelativeGoal: URIRef
    VisionGoal: URIRef
    sectionKind: URIRef
    depth: URIRef
    section: URIRef
    ofPlan: URIRef
    extent: URIRef
    goalKind: URIRef
    safeguardKind: URIRef
    mainSafeguardKind: URIRef
    heading: URIRef
    namesAgency: URIRef
    namesGroup: URIRef
    mention: URIRef
    chair: URIRef
    indicator: URIRef
    indicatorWritten: URIRef
    scope: URIRef
    baseValue: URIRef
    baseYear: URIRef
    mentionOf: URIRef
    indicatorKind: URIRef
    tier: URIRef
    goalYear: URIRef
    usesInstrument: URIRef
    # properties
    partOf: URIRef
    hasPart: URIRef
    inPlan: URIRef
    inMeasure: URIRef
    ordinal: URIRef
    text: URIRef
    correspondsTo: URIRef
    mappingKind: URIRef
    targetGroup: URIRef
    taskTargetGroup: URIRef
    implements: URIRef
    implementsTransitively: URIRef
    area: URIRef
    withinArea: URIRef
    level: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    datePublished: URIRef
    sourceFile: URIRef
    extractedFrom: URIRef
    fileName: URIRef
    sha256: URIRef
    characters: URIRef
    mediaType: URIRef
    byteSize: URIRef
    textRecognised: URIRef
    indexNumber: URIRef
    pageDocumentNumber: URIRef
    pagePublisher: URIRef
    pageDateWritten: URIRef
    pageDatePublished: URIRef
    subjectCategory: URIRef
    validity: URIRef
    pageTitle: URIRef
    registrySource: URIRef
    responsibleAgency: URIRef
    leadAgency: URIRef
    inheritedLeadAgency: URIRef
    inheritedSupportAgency: URIRef
    supportAgency: URIRef
    forItem: URIRef
    statedIn: URIRef
    restatedAt: URIRef
    openLeadList: URIRef
    openSupportList: URIRef
    agency: URIRef
    role: URIRef
    writtenAs: URIRef
    agencyType: URIRef
    registered: URIRef
    target: URIRef
    literacyTarget: URIRef
    baseline: URIRef
    value: URIRef
    unit: URIRef
    comparator: URIRef
    year: URIRef
    quote: URIRef
    line: URIRef
    frequency: URIRef
    similarTask: URIRef
    fromTask: URIRef
    toTask: URIRef
    score: URIRef
    plans: URIRef
    similarityLinks: URIRef
    coverage: URIRef
    rank: URIRef
    method: URIRef
    gain: URIRef
    gainSince: URIRef
    # measured outcomes (rdf/outcomes.py): Data Cube dimensions, measure, attributes
    LiteracyDefinition: URIRef
    LiteracyDefinitions: URIRef
    SurveyGroups: URIRef
    populationGroup: URIRef
    literacyDefinition: URIRef
    literacyRate: URIRef
    surveyEdition: URIRef
    readAt: URIRef
    firstSurveyYear: URIRef
    lastSurveyYear: URIRef
    # individuals
    Roles: URIRef
    LeadRole: URIRef
    SupportRole: URIRef
    Comparators: URIRef
    GreaterThan: URIRef
    AtLeast: URIRef
    EqualTo: URIRef
    Levels: URIRef
    National: URIRef
    Provincial: URIRef
    Prefecture: URIRef
    County: URIRef
    Regional: URIRef
    CityCluster: URIRef
    MappingKinds: URIRef
    SameMeasure: URIRef
    RenamedMeasure: URIRef
    ReplacedByParent: URIRef
    LocalAddition: URIRef
    NationalMeasures: URIRef
    TargetGroups: URIRef
    AgencyTypes: URIRef
    # policy instruments (rdf/instruments.py, data/registry/instruments.toml)
    PolicyInstrument: URIRef
    PolicyInstruments: URIRef
    PolicyProvision: URIRef
    usesInstrument: URIRef
    # parent plans in the corpus (corpus/parents.py): identity, task matches, match classes
    ParentTaskMatch: URIRef
    MatchClass: URIRef
    MatchClasses: URIRef
    CopiedTask: URIRef
    AdaptedTask: URIRef
    NewTask: URIRef
    publishedAs: URIRef
    parentPlan: URIRef
    childTask: URIRef
    parentTask: URIRef
    matchedPlan: URIRef
    matchScore: URIRef
    matchClass: URIRef
    matchMethod: URIRef


# each term set on the class as a plain attribute, the URIRef ``SK["x"]`` gives: ``SK.x`` is then
# found by Python's own attribute lookup, not by the metaclass's ``__getattr__`` (half a million
# Python calls per 300 plans built), and is the same object each time (a dict finds it by
# identity, where an equal IRI made anew costs a Python ``__eq__``). A name not declared above
# still goes to ``__getattr__`` and fails (``_fail``).
for _name in SK.__annotations__:
    type.__setattr__(SK, _name, SK[_name])
del _name


# One object per IRI across what a plan is built with. An IRI parsed from the ontology, the
# shapes or the registries is another object than the same IRI made in code (``SK.Task``,
# ``OA.exact``), and every dict or set lookup that meets the other one costs rdflib's
# ``Identifier.__eq__``, a Python call (4 million per 300 plans: the rules, the shapes and the
# indexes look each other's terms up). ``canonical`` gives the first object seen for an IRI;
# the namespaces' terms are seen first.
_CANONICAL: dict[Node, Node] = {}


def canonical(term: Node) -> Node:
    """The one object of an IRI (``term`` itself when first seen); other terms as they are."""
    if type(term) is not URIRef:
        return term
    return _CANONICAL.setdefault(term, term)


def canonical_graph(graph: Graph) -> Graph:
    """``graph``'s triples in a new graph of the same namespace bindings, its IRIs ``canonical``."""
    out = Graph(bind_namespaces="none")
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)
    for s, p, o in graph:
        out.add((canonical(s), canonical(p), canonical(o)))
    return out


for _ns in (SK, RDF, RDFS, OWL, XSD, PROV, SKOS):
    for _name in _ns.__annotations__:
        canonical(_ns[_name])
del _ns, _name


LEVELS = {
    "national": SK.National,
    "region": SK.Regional,  # 东部 / 中部 / 西部 (areas.toml)
    "province": SK.Provincial,
    "cluster": SK.CityCluster,  # a province's grouping of its counties (重庆's 一区两群)
    "prefecture": SK.Prefecture,
    "city": SK.County,  # a county-level city; prefecture cities are listed as prefecture
    "county": SK.County,
    "district": SK.County,
}
SECTION_KINDS = {
    "background": SK.BackgroundSection,
    "guidance": SK.GuidanceSection,
    "principles": SK.PrinciplesSection,
    "goals": SK.GoalsSection,
    "tasks": SK.TasksSection,
    "actions": SK.ActionsSection,
    "projects": SK.ProjectsSection,
    "safeguards": SK.SafeguardsSection,
    "schedule": SK.ScheduleSection,
    "other": SK.OtherSection,
}
GOAL_KINDS = {
    "literacy": SK.LiteracyGoal,
    "quantitative": SK.QuantitativeGoal,
    "qualitative": SK.QualitativeGoal,
    "relative": SK.RelativeGoal,
    "vision": SK.VisionGoal,
}
COMPARATORS = {"gt": SK.GreaterThan, "ge": SK.AtLeast, "eq": SK.EqualTo}
MAPPINGS = {
    "same": SK.SameMeasure,
    "renamed": SK.RenamedMeasure,
    "replaced-by-parent": SK.ReplacedByParent,
    "local-addition": SK.LocalAddition,
}
