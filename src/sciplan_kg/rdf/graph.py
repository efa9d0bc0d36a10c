"""Resolved records and registries → asserted RDF triples. No blank nodes: everything a
person may refer to has an IRI from :mod:`.iris`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from sciplan_kg.extract.records import AgencyMention, GroupMention, Measure, PlanRecord, Span, Target
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.instruments import scheme_graph as instrument_scheme_graph
from sciplan_kg.rdf.namespaces import COMPARATORS, ELI, GOAL_KINDS, LEVELS, MAPPINGS, OA, SECTION_KINDS, SK
from sciplan_kg.rdf.outcomes import outcomes_graph
from sciplan_kg.resolve.groups import load_groups
from sciplan_kg.resolve.indicators import load_indicators
from sciplan_kg.resolve.registry import Registry
from sciplan_kg.resolve.safeguards import load_kinds

_BODY_EN = (
    ("人民政府办公室", "People's Government General Office"),
    ("人民政府办公厅", "People's Government General Office"),
    ("政府办公室", "Government General Office"),
    ("人民政府", "People's Government"),
)


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def _decimal(value: float) -> Literal:
    return Literal(
        Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value)), datatype=XSD.decimal
    )


def _year(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def _labels(g: Graph, node: URIRef, zh_text: str, en_text: str) -> None:
    g.add((node, RDFS.label, zh(zh_text)))
    g.add((node, RDFS.label, en(en_text)))


# ------------------------------------------------------------------------------ registries


def _concept(g: Graph, node: URIRef, cls: URIRef, scheme: URIRef, notation: str, zh_text: str, en_text: str) -> URIRef:
    """A SKOS concept of one of the registries' schemes, labelled in both languages."""
    g.add((node, RDF.type, cls))
    g.add((node, SKOS.inScheme, scheme))
    g.add((node, SKOS.notation, Literal(notation)))
    g.add((node, SKOS.prefLabel, zh(zh_text)))
    g.add((node, SKOS.prefLabel, en(en_text)))
    _labels(g, node, zh_text, en_text)
    return node


def registry_graph(reg: Registry) -> Graph:
    """The curated registries as RDF: areas, directives, national measures, target groups,
    agency types. Each fact here is reference data, marked with its source."""
    g = Graph()
    for key, group in sorted(reg.groups.items()):
        _concept(g, iris.target_group(key), SK.TargetGroup, SK.TargetGroups, key, group["zh"], group["en"])
    for m in reg.measures:
        node = _concept(g, iris.national_measure(m.key), SK.NationalMeasure, SK.NationalMeasures, m.key, m.zh, m.en)
        g.add((node, SK.ordinal, Literal(m.no)))
        g.add((node, SK.partOf, iris.directive("guofa-2021-9")))
        if m.group:
            g.add((node, SK.targetGroup, iris.target_group(m.group)))
    for key, cat in sorted(reg.categories.items()):
        node = _concept(g, iris.agency_category(key), SK.AgencyType, SK.AgencyTypes, key, cat["zh"], cat["en"])
        g.add((node, SKOS.topConceptOf, SK.AgencyTypes))
    for key, t in sorted(reg.types.items()):
        node = _concept(g, iris.agency_type(key), SK.AgencyType, SK.AgencyTypes, key, t["zh"], t["en"])
        g.add((node, SKOS.broader, iris.agency_category(t["category"])))
    for a in reg.areas.values():
        node = iris.area(a.slug)
        g.add((node, RDF.type, SK.AdministrativeArea))
        _labels(g, node, a.zh, a.en)
        g.add((node, SK.level, LEVELS.get(a.level, SK.National) if a.level != "national" else SK.National))
        if a.parent and a.parent in reg.areas:
            g.add((node, SK.withinArea, iris.area(reg.areas[a.parent].slug)))
    for d in reg.directives.values():
        node = iris.directive(d.key)
        g.add((node, RDF.type, SK.ParentDirective if d.is_literacy_plan else SK.PolicyDocument))
        g.add((node, ELI.title, zh(d.titles[0])))
        _labels(g, node, d.number or d.titles[0], d.label_en)
        if d.number:
            g.add((node, ELI.id_local, Literal(d.number)))
        g.add((node, SK.level, LEVELS[d.level]))
        area = reg.areas.get(d.area)
        if area:
            g.add((node, SK.area, iris.area(area.slug)))
        body = iris.body(d.issuer)
        g.add((node, ELI.passed_by, body))
        g.add((body, RDF.type, SK.IssuingBody))
        _labels(g, body, d.issuer, d.issuer_en)
        if d.issued:
            g.add((node, ELI.date_document, Literal(d.issued, datatype=XSD.date)))
        if d.published:
            g.add((node, SK.datePublished, Literal(d.published, datatype=XSD.date)))
        for parent in d.parents:
            g.add((node, SK.implements, iris.directive(parent)))
        for t in d.targets:
            target = iris.child(node, "target", str(t["year"]))
            g.add((node, SK.literacyTarget, target))
            _target_node(g, target, SK.LiteracyTarget, float(t["value"]), "%", t["comparator"], t["year"])
        if d.baseline:
            b = iris.child(node, "baseline", str(d.baseline["year"]))
            g.add((node, SK.baseline, b))
            _target_node(g, b, SK.Baseline, float(d.baseline["value"]), "%", "eq", d.baseline["year"])
        g.add((node, SK.registrySource, Literal(d.source)))
    g += outcomes_graph(reg)  # measured literacy rates as Data Cube observations (rdf/outcomes.py)
    _schemes(g)
    return g


def _schemes(g: Graph) -> None:
    """The schemes the plans' items are coded with: population groups, indicators, policy
    instruments (each from its registry file)."""
    groups = load_groups()
    for key, group in sorted(groups.groups.items()):
        node = _concept(g, iris.population_group(key), SK.PopulationGroup, SK.PopulationGroups, key, group.zh, group.en)
        for alias in sorted(set(group.aliases) - {group.zh}):
            g.add((node, SKOS.altLabel, zh(alias)))
        if group.broader:
            g.add((node, SKOS.broader, iris.population_group(group.broader)))
        else:
            g.add((node, SKOS.topConceptOf, SK.PopulationGroups))
    indicators = load_indicators()
    for key, ind in sorted(indicators.indicators.items()):
        node = _concept(g, iris.indicator(key), SK.Indicator, SK.Indicators, key, ind.zh, ind.en)
        for alias in sorted(set(ind.aliases) - {ind.zh}):
            g.add((node, SKOS.altLabel, zh(alias)))
        g.add((node, SK.indicatorKind, Literal(ind.kind)))
    g += instrument_scheme_graph()
    for kind in load_kinds():  # the safeguard kinds (data/registry/safeguards.toml), which commitments carry
        node = iris.safeguard_kind(kind.key)
        _concept(g, node, SK.SafeguardKind, SK.SafeguardKinds, kind.key, kind.zh, kind.en)
        g.add((node, SKOS.topConceptOf, SK.SafeguardKinds))
        g.add((node, SKOS.definition, zh(kind.zh_definition)))
        g.add((node, SKOS.definition, en(kind.en_definition)))


def _target_node(
    g: Graph, node: URIRef, cls: URIRef, value: float, unit: str, comparator: str, year: int | None
) -> None:
    g.add((node, RDF.type, cls))
    g.add((node, SK.value, _decimal(value)))
    g.add((node, SK.unit, Literal(unit)))
    g.add((node, SK.comparator, COMPARATORS[comparator]))
    if year:
        g.add((node, SK.year, _year(year)))


# ------------------------------------------------------------------------------ one plan


MEDIA_TYPES = {
    "text": "text/plain",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
}
# a publishing page's metadata (``read.reading.METADATA_LABELS``) → what the graph says of the page
PAGE_METADATA = {
    "索引号": SK.indexNumber,
    "发文字号": SK.pageDocumentNumber,
    "发布机构": SK.pagePublisher,
    "成文日期": SK.pageDateWritten,
    "发布日期": SK.pageDatePublished,
    "主题分类": SK.subjectCategory,
    "有效性": SK.validity,
    "标题": SK.pageTitle,
}


@dataclass(frozen=True)
class SourceFacts:
    """What the graph says of a plan's file besides its name, checksum and length: its format,
    its size in bytes, whether its text was recognised from images, the page's metadata."""

    format: str
    size: int
    page: tuple[tuple[str, str], ...] = ()
    ocr: bool = False


class PlanGraph:
    """Builds the triples of one resolved plan."""

    def __init__(self, rec: PlanRecord, reg: Registry, text: str, file: SourceFacts | None = None) -> None:
        self.rec = rec
        self.text = text
        self.reg = reg
        self.file = file
        self.g = Graph(store="SimpleMemory")
        area = reg.area(rec.place)
        self.place_slug = area.slug if area else (rec.place or rec.source.rsplit(".", 1)[0])
        self.place_en = area.en if area else (rec.place or "")
        self.plan = iris.plan(self.place_slug, rec.period, (rec.issued or rec.source)[:10])
        self.source = iris.source(rec.sha256)
        self._section_nodes: list[tuple[int, int, int, URIRef]] = []  # (start, end, level, node)

    def build(self) -> Graph:
        self._source()
        self._plan()
        self._agencies()
        for measure in self.rec.measures:
            self._measure(measure)
        self._sections()
        self._principles()
        self._goals()
        self._commitments()
        self._phases()
        return self.g

    # -- pieces -----------------------------------------------------------------------------
    def _span(
        self, item: URIRef, span: Span, quote: str, prop: URIRef = PROV.wasDerivedFrom, name: str = "span"
    ) -> None:
        """A span of the source as an oa:SpecificResource ``<item>/<name>``, linked from ``item`` by
        ``prop``: prov:wasDerivedFrom for where the item is stated, sk:restatedAt for a task's body
        sentences restating it (``<task>/restated/1`` …)."""
        g = self.g
        node = URIRef(str(item) + "/" + name)
        position = URIRef(str(node) + "/position")
        text = URIRef(str(node) + "/quote")
        g.add((item, prop, node))
        g.add((node, RDF.type, OA.SpecificResource))
        g.add((node, OA.hasSource, self.source))
        g.add((node, OA.hasSelector, position))
        g.add((node, OA.hasSelector, text))
        g.add((node, SK.line, Literal(span.line)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start)))
        g.add((position, OA.end, Literal(span.end)))
        g.add((text, RDF.type, OA.TextQuoteSelector))
        g.add((text, OA.exact, Literal(quote)))

    def _source(self) -> None:
        g, rec = self.g, self.rec
        g.add((self.source, RDF.type, SK.SourceFile))
        g.add((self.source, SK.fileName, Literal(rec.source)))
        g.add((self.source, SK.sha256, Literal(rec.sha256)))
        g.add((self.source, SK.characters, Literal(rec.length)))
        _labels(g, self.source, rec.source, rec.source)
        f = self.file
        if f is None:
            return
        g.add((self.source, SK.mediaType, Literal(MEDIA_TYPES.get(f.format, f.format))))
        g.add((self.source, SK.byteSize, Literal(f.size)))
        if f.ocr:
            g.add((self.source, SK.textRecognised, Literal(True)))
        for label, value in f.page:
            prop = PAGE_METADATA.get(label)
            if prop is not None and value.strip():
                g.add((self.source, prop, Literal(value.strip())))

    def _plan(self) -> None:
        g, rec, plan = self.g, self.rec, self.plan
        g.add((plan, RDF.type, SK.ImplementationPlan))
        g.add((plan, SK.sourceFile, self.source))
        title = rec.title or rec.source
        g.add((plan, ELI.title, zh(title)))
        period = f" ({rec.period[0]}–{rec.period[1]})" if rec.period else ""
        _labels(g, plan, title, f"{self.place_en or title} scientific literacy implementation plan{period}")
        if rec.title_span:
            self._span(plan, rec.title_span, self._quote(rec.title_span))
        if rec.doc_number:
            g.add((plan, ELI.id_local, Literal(rec.doc_number)))
        if rec.issued:
            g.add((plan, ELI.date_document, Literal(rec.issued, datatype=XSD.date)))
        if rec.published:  # the 发布日期, when the text (or its page) states it apart from the 成文日期
            g.add((plan, SK.datePublished, Literal(rec.published, datatype=XSD.date)))
        if rec.period:
            g.add((plan, SK.periodStart, _year(rec.period[0])))
            g.add((plan, SK.periodEnd, _year(rec.period[1])))
        if rec.level:
            g.add((plan, SK.level, LEVELS.get(rec.level, SK.County)))
        self._area(plan)
        if rec.issuer:
            body = iris.body(rec.issuer.strip())
            g.add((plan, ELI.passed_by, body))
            g.add((body, RDF.type, SK.IssuingBody))
            name = rec.issuer.strip()
            g.add((body, RDFS.label, zh(name)))
            g.add((body, RDFS.label, en(self._body_en(name))))
        for ref in rec.directives:
            d = self.reg.directives.get(ref.directive or "")
            if d is not None:
                node = iris.directive(d.key)
                parent = d.is_literacy_plan
            else:
                node = iris.document(ref.number or ref.title or "")
                parent = "科学素质" in (ref.title or "")
                g.add((node, RDF.type, SK.ParentDirective if parent else SK.PolicyDocument))
                if ref.title:
                    g.add((node, ELI.title, zh(ref.title)))
                    g.add((node, RDFS.label, zh(ref.number or ref.title)))
                    g.add((node, RDFS.label, en(ref.number or ref.title)))
                if ref.number:
                    g.add((node, ELI.id_local, Literal(ref.number)))
            g.add((plan, ELI.cites, node))
            if parent:
                g.add((plan, SK.implements, node))
        if rec.literacy_target:
            target = iris.child(plan, "target", "literacy")
            g.add((plan, SK.literacyTarget, target))
            self._target(target, SK.LiteracyTarget, rec.literacy_target)
        if rec.baseline:
            b = rec.baseline
            node = iris.child(plan, "baseline", str(b.year))
            g.add((plan, SK.baseline, node))
            self._target(node, SK.Baseline, b)
            if b.gain is not None and b.gain_since is not None:
                g.add((node, SK.gain, _decimal(b.gain)))
                g.add((node, SK.gainSince, _year(b.gain_since)))

    def _body_en(self, name: str) -> str:
        for suffix, english in _BODY_EN:
            if name.endswith(suffix) and self.place_en:
                return f"{self.place_en} {english}"
        return name

    def _area(self, plan: URIRef) -> None:
        g, rec = self.g, self.rec
        if not rec.place:
            return
        area = self.reg.area(rec.place)
        node = iris.area(self.place_slug)
        g.add((plan, SK.area, node))
        if area is None:
            g.add((node, RDF.type, SK.AdministrativeArea))
            g.add((node, RDFS.label, zh(rec.place)))
            g.add((node, RDFS.label, en(rec.place)))
            if rec.level:
                g.add((node, SK.level, LEVELS.get(rec.level, SK.County)))

    def _target(self, node: URIRef, cls: URIRef, t: Target) -> None:
        _target_node(self.g, node, cls, t.value, t.unit, t.comparator, t.year)
        self.g.add((node, SK.quote, zh(t.quote)))
        if t.period:
            self.g.add((node, SK.periodStart, _year(t.period[0])))
            self.g.add((node, SK.periodEnd, _year(t.period[1])))
        if t.frequency:
            self.g.add((node, SK.frequency, zh(t.frequency)))
        if t.indicator:
            self.g.add((node, SK.indicatorWritten, zh(t.indicator)))
        if t.indicator_key:
            self.g.add((node, SK.indicator, iris.indicator(t.indicator_key)))
        if t.scope:
            self.g.add((node, SK.scope, zh(t.scope)))
        if t.tier:
            self.g.add((node, SK.tier, zh(t.tier)))
        if t.base_value is not None:
            self.g.add((node, SK.baseValue, _decimal(t.base_value)))
        if t.base_year is not None:
            self.g.add((node, SK.baseYear, _year(t.base_year)))
        for key in sorted(set(t.groups)):
            self.g.add((node, SK.namesGroup, iris.population_group(key)))
        self._span(node, t.span, self._quote(t.span))  # the file's words (t.quote: without invisible characters)

    def _agencies(self) -> None:
        g = self.g
        area = iris.area(self.place_slug)
        for a in self.rec.agencies:
            node = iris.agency(self.place_slug, a.key)
            g.add((node, RDF.type, SK.CollectiveAgency if a.collective else SK.Agency))
            g.add((node, RDFS.label, zh(a.zh)))
            g.add((node, SKOS.prefLabel, zh(a.zh)))
            g.add((node, RDFS.label, en(self._agency_en(a.key, a.zh, a.type))))
            for written in sorted(set(a.written)):
                if written != a.zh:
                    g.add((node, SKOS.altLabel, zh(written)))
            g.add((node, SK.agencyType, iris.agency_type(a.type)))
            g.add((node, SK.area, area))
            g.add((node, SK.registered, Literal(a.registered)))

    def _agency_en(self, key: str, name: str, type_key: str) -> str:
        tpl = next((t for t in self.reg.agencies if t.key == key), None)
        if tpl is not None:
            return f"{self.place_en} {tpl.en}" if not tpl.collective else f"{tpl.en} ({self.place_en})"
        pattern = next((p for p in self.reg.patterns if p.type == type_key), None)
        return f"{name} ({pattern.en if pattern else 'unregistered agency'})"

    def _measure(self, m: Measure) -> None:
        g = self.g
        node = iris.child(self.plan, m.kind, str(m.no))
        g.add((node, RDF.type, SK.Action if m.kind == "action" else SK.Project))
        g.add((node, SK.inPlan, self.plan))
        g.add((node, SK.ordinal, Literal(m.no)))
        g.add((node, RDFS.label, zh(m.title)))
        if m.national:
            g.add((node, SK.correspondsTo, iris.national_measure(m.national)))
        if m.mapping:
            g.add((node, SK.mappingKind, MAPPINGS[m.mapping]))
        self._span(node, m.span, self._quote(m.span))
        self._responsibilities(node, m.assignments)
        for t in m.tasks:
            task = iris.child(node, "task", str(t.no))
            g.add((task, RDF.type, SK.Task))
            g.add((task, SK.inMeasure, node))
            g.add((task, SK.ordinal, Literal(t.no)))
            g.add((task, RDFS.label, zh(t.title)))
            g.add((task, SK.text, zh(t.text)))
            g.add((task, SK.statedIn, Literal(t.origin)))
            self._span(task, t.span, self._quote(t.span))
            for n, span in enumerate(t.restated, start=1):
                self._span(task, span, self._quote(span), SK.restatedAt, f"restated/{n}")
            self._responsibilities(task, t.assignments)
            self._groups(task, t.groups)
            for key in t.instruments:
                g.add((task, SK.usesInstrument, iris.instrument(key)))
            for n, target in enumerate(t.targets, start=1):
                target_node = iris.child(task, "target", str(n))
                g.add((task, SK.target, target_node))
                self._target(target_node, SK.TaskTarget, target)

    def _responsibilities(self, item: URIRef, assignments: list) -> None:
        g = self.g
        seen: set[tuple[str, str]] = set()
        ordinals = {"lead": 0, "support": 0}
        for a in assignments:
            role = SK.LeadRole if a.role == "lead" else SK.SupportRole
            prop = SK.leadAgency if a.role == "lead" else SK.supportAgency
            if a.open:
                g.add((item, SK.openLeadList if a.role == "lead" else SK.openSupportList, Literal(True)))
            for mention in a.mentions:
                if mention.agency is None:
                    continue
                agency = iris.agency(self.place_slug, mention.agency)
                node = iris.child(item, a.role, mention.agency)
                g.add((node, SK.writtenAs, zh(mention.written)))
                if (a.role, mention.agency) in seen:
                    continue  # a name listed twice counts once
                seen.add((a.role, mention.agency))
                ordinals[a.role] += 1
                g.add((item, prop, agency))
                g.add((node, SK.ordinal, Literal(ordinals[a.role])))
                g.add((node, RDF.type, SK.Responsibility))
                g.add((node, SK.forItem, item))
                g.add((node, SK.agency, agency))
                g.add((node, SK.role, role))
                self._span(node, mention.span, self._quote(mention.span))

    # -- the rest of the plan: sections, principles, goals, safeguards, phases (issue 18) --------
    def _sections(self) -> None:
        """Each section by what it does, in text order (``<plan>/section/3``); a level-2 section is
        part of the level-1 section it stands in, a level-1 section part of the plan."""
        g = self.g
        open_sections: list[tuple[int, URIRef, int]] = []  # (level, node, end) of the sections still open
        for n, sec in enumerate(sorted(self.rec.sections, key=lambda s: (s.span.start, s.level)), start=1):
            node = iris.child(self.plan, "section", str(n))
            self._section_nodes.append((sec.span.start, sec.span.end, sec.level, node))
            g.add((node, RDF.type, SK.Section))
            g.add((node, SK.sectionKind, SECTION_KINDS.get(sec.kind, SK.OtherSection)))
            g.add((node, SK.depth, Literal(sec.level)))
            g.add((node, SK.ordinal, Literal(n)))
            g.add((node, SK.ofPlan, self.plan))
            g.add((node, RDFS.label, zh(sec.title)))
            while open_sections and (open_sections[-1][0] >= sec.level or open_sections[-1][2] <= sec.span.start):
                open_sections.pop()
            g.add((node, SK.partOf, open_sections[-1][1] if open_sections else self.plan))
            open_sections.append((sec.level, node, sec.span.end))
            self._span(node, sec.heading, self._quote(sec.heading))
            self._extent(node, sec.span)

    def _section_of(self, node: URIRef, span: Span) -> None:
        """``node`` is in the innermost section holding ``span``, and of the plan."""
        self.g.add((node, SK.ofPlan, self.plan))
        holding = [s for s in self._section_nodes if s[0] <= span.start < s[1]]
        if holding:
            self.g.add((node, SK.section, max(holding, key=lambda s: (s[2], s[0]))[3]))

    def _extent(self, node: URIRef, span: Span) -> None:
        """Where a long item runs in the file, without quoting it: a position selector only."""
        g = self.g
        extent = URIRef(str(node) + "/extent")
        position = URIRef(str(extent) + "/position")
        g.add((node, SK.extent, extent))
        g.add((extent, RDF.type, OA.SpecificResource))
        g.add((extent, OA.hasSource, self.source))
        g.add((extent, OA.hasSelector, position))
        g.add((extent, SK.line, Literal(span.line)))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start)))
        g.add((position, OA.end, Literal(span.end)))

    def _item(self, segment: str, n: int, cls: URIRef, text: str, span: Span) -> URIRef:
        """A principle, goal, safeguard commitment or phase: ``<plan>/<segment>/<n>`` of ``cls``, its
        ordinal, text, plan and section, and the span it is stated in."""
        node = iris.child(self.plan, segment, str(n))
        self.g.add((node, RDF.type, cls))
        self.g.add((node, SK.ordinal, Literal(n)))
        self.g.add((node, SK.text, zh(text)))
        self._section_of(node, span)
        self._span(node, span, self._quote(span))
        return node

    def _principles(self) -> None:
        g = self.g
        for n, p in enumerate(self.rec.principles, start=1):
            node = self._item("principle", n, SK.Principle, p.text, p.span)
            g.add((node, RDFS.label, zh(p.title)))

    def _goals(self) -> None:
        g, rec = self.g, self.rec
        for n, goal in enumerate(rec.goals, start=1):
            node = self._item("goal", n, SK.Goal, goal.text, goal.span)
            g.add((node, SK.goalKind, GOAL_KINDS[goal.kind]))
            if goal.year:
                g.add((node, SK.goalYear, _year(goal.year)))
            for m, t in enumerate(goal.targets, start=1):
                if rec.literacy_target is not None and t.span == rec.literacy_target.span:
                    g.add((node, SK.target, iris.child(self.plan, "target", "literacy")))  # the header's target
                    continue
                target = iris.child(node, "target", str(m))
                g.add((node, SK.target, target))
                self._target(target, SK.GoalTarget, t)

    def _commitments(self) -> None:
        g = self.g
        for n, c in enumerate(self.rec.commitments, start=1):
            node = self._item("safeguard", n, SK.SafeguardCommitment, c.text, c.span)
            for i, kind in enumerate(c.kinds):
                g.add((node, SK.safeguardKind, iris.safeguard_kind(kind)))
                if i == 0:
                    g.add((node, SK.mainSafeguardKind, iris.safeguard_kind(kind)))
            if c.heading:
                g.add((node, SK.heading, zh(c.heading)))
            if c.chair:
                g.add((node, SK.chair, zh(c.chair)))
            self._named_agencies(node, c.mentions)
            self._groups(node, c.groups)
            for key in c.instruments:
                g.add((node, SK.usesInstrument, iris.instrument(key)))
            for m, t in enumerate(c.targets, start=1):
                target = iris.child(node, "target", str(m))
                g.add((node, SK.target, target))
                self._target(target, SK.CommitmentTarget, t)

    def _named_agencies(self, item: URIRef, mentions: list[AgencyMention]) -> None:
        """The bodies a safeguard commitment names: ``item sk:namesAgency agency``, and a mention
        node ``<item>/agency/<key>`` quoting the words that first name each."""
        named = [(m.agency, iris.agency(self.place_slug, m.agency), m) for m in mentions if m.agency is not None]
        self._mentioned(item, "agency", SK.namesAgency, SK.AgencyMention, named)

    def _groups(self, item: URIRef, groups: list[GroupMention]) -> None:
        """The population groups a task or commitment names: ``item sk:namesGroup group``, and a
        mention node ``<item>/group/<key>`` quoting the words that first name each."""
        named = [(m.group, iris.population_group(m.group), m) for m in groups if m.group is not None]
        self._mentioned(item, "group", SK.namesGroup, SK.GroupMention, named)

    def _mentioned(
        self,
        item: URIRef,
        segment: str,
        prop: URIRef,
        cls: URIRef,
        named: list[tuple[str, URIRef, AgencyMention | GroupMention]],
    ) -> None:
        g = self.g
        for key, target, mention in named:
            if (item, prop, target) in g:
                continue  # named again: the first mention is the evidence
            node = iris.child(item, segment, key)
            g.add((item, prop, target))
            g.add((item, SK.mention, node))
            g.add((node, RDF.type, cls))
            g.add((node, SK.mentionOf, target))
            g.add((node, SK.writtenAs, zh(mention.written)))
            self._span(node, mention.span, self._quote(mention.span))

    def _phases(self) -> None:
        g = self.g
        for n, ph in enumerate(self.rec.phases, start=1):
            node = self._item("phase", n, SK.Phase, ph.text, ph.span)
            g.add((node, RDFS.label, zh(ph.name)))
            if ph.start is not None:
                g.add((node, SK.periodStart, _year(ph.start)))
            if ph.end is not None:
                g.add((node, SK.periodEnd, _year(ph.end)))

    def _quote(self, span: Span) -> str:
        return self.text[span.start : span.end]


def plan_graph(rec: PlanRecord, reg: Registry, text: str) -> Graph:
    """The asserted triples of one resolved plan; ``text`` is its decoded file text, for quotes."""
    return PlanGraph(rec, reg, text).build()
