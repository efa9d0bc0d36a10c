"""Resolved records and registries → asserted RDF triples. No blank nodes: everything a
person may refer to has an IRI from :mod:`.iris`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from sciplan_kg.extract.records import AgencyMention, GroupMention, Measure, PlanRecord, Span, Target
from sciplan_kg.rdf import iris
from sciplan_kg.rdf.instruments import scheme_graph as instrument_scheme_graph
from sciplan_kg.rdf.namespaces import (
    COMPARATORS,
    ELI,
    GOAL_KINDS,
    LEVELS,
    MAPPINGS,
    OA,
    SECTION_KINDS,
    SK,
    canonical,
)
from sciplan_kg.rdf.outcomes import outcomes_graph
from sciplan_kg.rdf.triples import Triples
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


class _Terms:
    """A namespace whose terms are made once: rdflib makes a new ``URIRef`` on every
    ``SK.ordinal`` (a Python call), and a new object is a Python ``__eq__`` on every dict lookup
    that meets the term already stored. One object per term makes those lookups identity hits."""

    def __init__(self, ns: object) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> URIRef:
        term = canonical(getattr(self._ns, name))  # a closed namespace still rejects a mistyped term
        setattr(self, name, term)
        return term


# the plan's builder reads its terms through these (the registries' graph is built once)
_SK, _RDF, _RDFS, _SKOS, _OA, _ELI, _PROV, _XSD = map(_Terms, (SK, RDF, RDFS, SKOS, OA, ELI, PROV, XSD))
_INTS: dict[int, Literal] = {}


def _int(value: int) -> Literal:
    """``Literal(value)`` of an int, made once per value: lines, offsets and ordinals repeat
    across plans, and rdflib's literal constructor is a tenth of a plan's graph."""
    if type(value) is not int:  # a bool is an int that hashes as one: never from the cache
        return Literal(value)
    lit = _INTS.get(value)
    if lit is None:
        lit = Literal(value)
        if 0 <= value < 1 << 17:  # at most 131,072 literals (~45 MB): offsets of very large files are not kept
            _INTS[value] = lit
    return lit


def zh(text: str) -> Literal:
    return _tagged(text, "zh")


def en(text: str) -> Literal:
    return _tagged(text, "en")


_TAGGED: dict[tuple[str, str], Literal] = {}
_TAGGED_KEPT, _TAGGED_LENGTH = 200_000, 64


def _tagged(text: str, lang: str) -> Literal:
    """``Literal(text, lang=lang)``, made once per short text: labels (an agency's, a measure's,
    a role's) repeat across plans (94 % of the calls at 100 plans), and rdflib's literal
    constructor makes Python comparisons of its datatype on every call. Long texts (a task's)
    are made each time and not kept."""
    if len(text) > _TAGGED_LENGTH or type(text) is not str:
        return Literal(text, lang=lang)
    key = (text, lang)
    lit = _TAGGED.get(key)
    if lit is None:
        lit = Literal(text, lang=lang)
        if len(_TAGGED) < _TAGGED_KEPT:
            _TAGGED[key] = lit
    return lit


def _decimal(value: float) -> Literal:
    return Literal(
        Decimal(repr(value)).normalize() if value != int(value) else Decimal(int(value)), datatype=_XSD.decimal
    )


def _year(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=_XSD.gYear)


def _labels(g: Graph, node: URIRef, zh_text: str, en_text: str) -> None:
    g.add((node, _RDFS.label, zh(zh_text)))
    g.add((node, _RDFS.label, en(en_text)))


# ------------------------------------------------------------------------------ registries


def _concept(g: Graph, node: URIRef, cls: URIRef, scheme: URIRef, notation: str, zh_text: str, en_text: str) -> URIRef:
    """A SKOS concept of one of the registries' schemes, labelled in both languages."""
    g.add((node, _RDF.type, cls))
    g.add((node, _SKOS.inScheme, scheme))
    g.add((node, _SKOS.notation, Literal(notation)))
    g.add((node, _SKOS.prefLabel, zh(zh_text)))
    g.add((node, _SKOS.prefLabel, en(en_text)))
    _labels(g, node, zh_text, en_text)
    return node


def registry_graph(reg: Registry) -> Graph:
    """The curated registries as RDF: areas, directives, national measures, target groups,
    agency types. Each fact here is reference data, marked with its source."""
    g = Graph()
    for key, group in sorted(reg.groups.items()):
        _concept(g, iris.target_group(key), _SK.TargetGroup, _SK.TargetGroups, key, group["zh"], group["en"])
    for m in reg.measures:
        node = _concept(g, iris.national_measure(m.key), _SK.NationalMeasure, _SK.NationalMeasures, m.key, m.zh, m.en)
        g.add((node, _SK.ordinal, _int(m.no)))
        g.add((node, _SK.partOf, iris.directive("guofa-2021-9")))
        if m.group:
            g.add((node, _SK.targetGroup, iris.target_group(m.group)))
    for key, cat in sorted(reg.categories.items()):
        node = _concept(g, iris.agency_category(key), _SK.AgencyType, _SK.AgencyTypes, key, cat["zh"], cat["en"])
        g.add((node, _SKOS.topConceptOf, _SK.AgencyTypes))
    for key, t in sorted(reg.types.items()):
        node = _concept(g, iris.agency_type(key), _SK.AgencyType, _SK.AgencyTypes, key, t["zh"], t["en"])
        g.add((node, _SKOS.broader, iris.agency_category(t["category"])))
    for a in reg.areas.values():
        node = iris.area(a.slug)
        g.add((node, _RDF.type, _SK.AdministrativeArea))
        _labels(g, node, a.zh, a.en)
        g.add((node, _SK.level, LEVELS.get(a.level, _SK.National) if a.level != "national" else _SK.National))
        if a.parent and a.parent in reg.areas:
            g.add((node, _SK.withinArea, iris.area(reg.areas[a.parent].slug)))
    for d in reg.directives.values():
        node = iris.directive(d.key)
        g.add((node, _RDF.type, _SK.ParentDirective if d.is_literacy_plan else _SK.PolicyDocument))
        g.add((node, _ELI.title, zh(d.titles[0])))
        _labels(g, node, d.number or d.titles[0], d.label_en)
        if d.number:
            g.add((node, _ELI.id_local, Literal(d.number)))
        g.add((node, _SK.level, LEVELS[d.level]))
        area = reg.areas.get(d.area)
        if area:
            g.add((node, _SK.area, iris.area(area.slug)))
        body = iris.body(d.issuer)
        g.add((node, _ELI.passed_by, body))
        g.add((body, _RDF.type, _SK.IssuingBody))
        _labels(g, body, d.issuer, d.issuer_en)
        if d.issued:
            g.add((node, _ELI.date_document, Literal(d.issued, datatype=_XSD.date)))
        if d.published:
            g.add((node, _SK.datePublished, Literal(d.published, datatype=_XSD.date)))
        for parent in d.parents:
            g.add((node, _SK.implements, iris.directive(parent)))
        for t in d.targets:
            target = iris.child(node, "target", str(t["year"]))
            g.add((node, _SK.literacyTarget, target))
            _target_node(g, target, _SK.LiteracyTarget, float(t["value"]), "%", t["comparator"], t["year"])
        if d.baseline:
            b = iris.child(node, "baseline", str(d.baseline["year"]))
            g.add((node, _SK.baseline, b))
            _target_node(g, b, _SK.Baseline, float(d.baseline["value"]), "%", "eq", d.baseline["year"])
        g.add((node, _SK.registrySource, Literal(d.source)))
    g += outcomes_graph(reg)  # measured literacy rates as Data Cube observations (rdf/outcomes.py)
    _schemes(g)
    return g


def _schemes(g: Graph) -> None:
    """The schemes the plans' items are coded with: population groups, indicators, policy
    instruments (each from its registry file)."""
    groups = load_groups()
    for key, group in sorted(groups.groups.items()):
        node = _concept(
            g, iris.population_group(key), _SK.PopulationGroup, _SK.PopulationGroups, key, group.zh, group.en
        )
        for alias in sorted(set(group.aliases) - {group.zh}):
            g.add((node, _SKOS.altLabel, zh(alias)))
        if group.broader:
            g.add((node, _SKOS.broader, iris.population_group(group.broader)))
        else:
            g.add((node, _SKOS.topConceptOf, _SK.PopulationGroups))
    indicators = load_indicators()
    for key, ind in sorted(indicators.indicators.items()):
        node = _concept(g, iris.indicator(key), _SK.Indicator, _SK.Indicators, key, ind.zh, ind.en)
        for alias in sorted(set(ind.aliases) - {ind.zh}):
            g.add((node, _SKOS.altLabel, zh(alias)))
        g.add((node, _SK.indicatorKind, Literal(ind.kind)))
    g += instrument_scheme_graph()
    for kind in load_kinds():  # the safeguard kinds (data/registry/safeguards.toml), which commitments carry
        node = iris.safeguard_kind(kind.key)
        _concept(g, node, _SK.SafeguardKind, _SK.SafeguardKinds, kind.key, kind.zh, kind.en)
        g.add((node, _SKOS.topConceptOf, _SK.SafeguardKinds))
        g.add((node, _SKOS.definition, zh(kind.zh_definition)))
        g.add((node, _SKOS.definition, en(kind.en_definition)))


def _target_node(
    g: Graph, node: URIRef, cls: URIRef, value: float, unit: str, comparator: str, year: int | None
) -> None:
    g.add((node, _RDF.type, cls))
    g.add((node, _SK.value, _decimal(value)))
    g.add((node, _SK.unit, Literal(unit)))
    g.add((node, _SK.comparator, COMPARATORS[comparator]))
    if year:
        g.add((node, _SK.year, _year(year)))


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
    "索引号": _SK.indexNumber,
    "发文字号": _SK.pageDocumentNumber,
    "发布机构": _SK.pagePublisher,
    "成文日期": _SK.pageDateWritten,
    "发布日期": _SK.pageDatePublished,
    "主题分类": _SK.subjectCategory,
    "有效性": _SK.validity,
    "标题": _SK.pageTitle,
}


@dataclass(frozen=True)
class SourceFacts:
    """What the graph says of a plan's file besides its name, checksum and length: its format,
    its size in bytes, whether its text was recognised from images, the page's metadata."""

    format: str
    size: int
    page: tuple[tuple[str, str], ...] = ()
    ocr: bool = False


class _Store:
    """A plan's triples while they are made: subject → predicate → objects in insertion-ordered
    dicts, as rdflib's ``SimpleMemory`` store keeps them, so the triples come out in the order
    that store gives (``Triples.from_spo``) without its three indexes and per-triple calls."""

    __slots__ = ("spo",)

    def __init__(self) -> None:
        self.spo: dict[Node, dict[Node, dict[Node, None]]] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        s, p, o = triple
        by_p = self.spo.get(s)
        if by_p is None:
            by_p = self.spo[s] = {}
        objects = by_p.get(p)
        if objects is None:
            objects = by_p[p] = {}
        objects[o] = None

    def __contains__(self, triple: tuple[Node, Node, Node]) -> bool:
        s, p, o = triple
        return o in self.spo.get(s, {}).get(p, ())


class PlanGraph:
    """Builds the triples of one resolved plan."""

    def __init__(self, rec: PlanRecord, reg: Registry, text: str, file: SourceFacts | None = None) -> None:
        self.rec = rec
        self.text = text
        self.reg = reg
        self.file = file
        self.g = _Store()
        area = reg.area(rec.place)
        self.place_slug = area.slug if area else (rec.place or rec.source.rsplit(".", 1)[0])
        self.place_en = area.en if area else (rec.place or "")
        self.plan = iris.plan(self.place_slug, rec.period, (rec.issued or rec.source)[:10])
        self.source = iris.source(rec.sha256)  # the plan's file as given
        # the text every span indexes (oa:hasSource): a plain-text file itself; for a web page,
        # Word or PDF file, the text read from it (kept as sources/<stem>.txt, UTF-8), a node of
        # its own named by the checksum of its bytes and sk:extractedFrom the file
        self.extracted = file is not None and file.format != "text"
        self.text_source = (
            iris.source(hashlib.sha256(text.encode("utf-8")).hexdigest()) if self.extracted else self.source
        )
        self._section_nodes: list[tuple[int, int, int, URIRef]] = []  # (start, end, level, node)

    def build(self) -> Graph:
        """The plan's triples as an rdflib graph (for tests and tools; the build reads
        ``build_triples``)."""
        g = Graph(store="SimpleMemory")
        for triple in self.build_triples():
            g.add(triple)
        return g

    def build_triples(self) -> Triples:
        """The plan's triples, indexed: what every step of the build reads, made without an
        rdflib graph (its ``add`` was most of a plan's graph time), in the order an rdflib
        graph of them would give them."""
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
        return Triples.from_spo(self.g.spo)

    # -- pieces -----------------------------------------------------------------------------
    def _span(
        self, item: URIRef, span: Span, quote: str, prop: URIRef = _PROV.wasDerivedFrom, name: str = "span"
    ) -> None:
        """A span of the source as an oa:SpecificResource ``<item>/<name>``, linked from ``item`` by
        ``prop``: prov:wasDerivedFrom for where the item is stated, sk:restatedAt for a task's body
        sentences restating it (``<task>/restated/1`` …)."""
        g = self.g
        node = URIRef(str(item) + "/" + name)
        position = URIRef(str(node) + "/position")
        text = URIRef(str(node) + "/quote")
        g.add((item, prop, node))
        g.add((node, _RDF.type, _OA.SpecificResource))
        g.add((node, _OA.hasSource, self.text_source))
        g.add((node, _OA.hasSelector, position))
        g.add((node, _OA.hasSelector, text))
        g.add((node, _SK.line, _int(span.line)))
        g.add((position, _RDF.type, _OA.TextPositionSelector))
        g.add((position, _OA.start, _int(span.start)))
        g.add((position, _OA.end, _int(span.end)))
        g.add((text, _RDF.type, _OA.TextQuoteSelector))
        g.add((text, _OA.exact, Literal(quote)))

    def _source(self) -> None:
        g, rec = self.g, self.rec
        g.add((self.source, _RDF.type, _SK.SourceFile))
        g.add((self.source, _SK.fileName, Literal(rec.source)))
        g.add((self.source, _SK.sha256, Literal(rec.sha256)))
        if not self.extracted:  # the decoded file is the text the offsets count
            g.add((self.source, _SK.characters, _int(rec.length)))
        _labels(g, self.source, rec.source, rec.source)
        f = self.file
        if f is None:
            return
        if self.extracted:
            self._extracted_text()
        g.add((self.source, _SK.mediaType, Literal(MEDIA_TYPES.get(f.format, f.format))))
        g.add((self.source, _SK.byteSize, _int(f.size)))
        if f.ocr:
            g.add((self.source, _SK.textRecognised, Literal(True)))
        for label, value in f.page:
            prop = PAGE_METADATA.get(label)
            if prop is not None and value.strip():
                g.add((self.source, prop, Literal(value.strip())))

    def _extracted_text(self) -> None:
        """The text read from a file in another format, which the spans index: its name in the
        build folder's ``sources/``, checksum, characters and bytes (UTF-8), from the file."""
        g, node = self.g, self.text_source
        name = PurePath(self.rec.source).stem + ".txt"
        data = self.text.encode("utf-8")
        g.add((node, _RDF.type, _SK.ExtractedText))
        g.add((node, _SK.fileName, Literal(name)))
        g.add((node, _SK.sha256, Literal(hashlib.sha256(data).hexdigest())))
        g.add((node, _SK.characters, _int(len(self.text))))
        g.add((node, _SK.mediaType, Literal("text/plain")))
        g.add((node, _SK.byteSize, _int(len(data))))
        g.add((node, _SK.extractedFrom, self.source))
        _labels(g, node, name, name)

    def _stated(self, name: str, prop: URIRef, value: Node, span: Span | None, written: str | None = None) -> None:
        """The header fact ``<plan> prop value`` as a statement ``<plan>/statement/<name>``
        (``sk:StatedFact``, an ``rdf:Statement``) derived from the span that states it, so that
        a fact of the plan, not only the plan, points to its characters; ``written`` is a cited
        document's number or title as the text writes it."""
        if span is None:
            return
        g = self.g
        node = URIRef(f"{self.plan}/statement/{name}")
        g.add((node, _RDF.type, _SK.StatedFact))
        g.add((node, _RDF.subject, self.plan))
        g.add((node, _RDF.predicate, prop))
        g.add((node, _RDF.object, value))
        if written:
            g.add((node, _SK.writtenAs, zh(written)))
        self._span(node, span, self._quote(span))

    def _plan(self) -> None:
        g, rec, plan = self.g, self.rec, self.plan
        g.add((plan, _RDF.type, _SK.ImplementationPlan))
        g.add((plan, _SK.sourceFile, self.source))
        title = rec.title or rec.source
        g.add((plan, _ELI.title, zh(title)))
        period = f" ({rec.period[0]}–{rec.period[1]})" if rec.period else ""
        _labels(g, plan, title, f"{self.place_en or title} scientific literacy implementation plan{period}")
        if rec.title_span:
            self._span(plan, rec.title_span, self._quote(rec.title_span))
        if rec.doc_number:
            g.add((plan, _ELI.id_local, Literal(rec.doc_number)))
            self._stated("doc-number", _ELI.id_local, Literal(rec.doc_number), rec.doc_number_span)
        if rec.issued:
            issued = Literal(rec.issued, datatype=_XSD.date)
            g.add((plan, _ELI.date_document, issued))
            self._stated("issued", _ELI.date_document, issued, rec.issued_span)
        if rec.published:  # the 发布日期, when the text (or its page) states it apart from the 成文日期
            published = Literal(rec.published, datatype=_XSD.date)
            g.add((plan, _SK.datePublished, published))
            self._stated("published", _SK.datePublished, published, rec.published_span)
        if rec.period:
            g.add((plan, _SK.periodStart, _year(rec.period[0])))
            g.add((plan, _SK.periodEnd, _year(rec.period[1])))
        if rec.level:
            g.add((plan, _SK.level, LEVELS.get(rec.level, _SK.County)))
        self._area(plan)
        if rec.issuer:
            body = iris.body(rec.issuer.strip())
            g.add((plan, _ELI.passed_by, body))
            g.add((body, _RDF.type, _SK.IssuingBody))
            name = rec.issuer.strip()
            g.add((body, _RDFS.label, zh(name)))
            g.add((body, _RDFS.label, en(self._body_en(name))))
            self._stated("issuer", _ELI.passed_by, body, rec.issuer_span)
        for n, ref in enumerate(rec.directives, start=1):
            d = self.reg.directives.get(ref.directive or "")
            if d is not None:
                node = iris.directive(d.key)
                parent = d.is_literacy_plan
            else:
                node = iris.document(ref.number or ref.title or "")
                parent = "科学素质" in (ref.title or "")
                g.add((node, _RDF.type, _SK.ParentDirective if parent else _SK.PolicyDocument))
                if ref.title:
                    g.add((node, _ELI.title, zh(ref.title)))
                    g.add((node, _RDFS.label, zh(ref.number or ref.title)))
                    g.add((node, _RDFS.label, en(ref.number or ref.title)))
                if ref.number:
                    g.add((node, _ELI.id_local, Literal(ref.number)))
            g.add((plan, _ELI.cites, node))
            self._stated(f"cites/{n}", _ELI.cites, node, ref.span, ref.number or ref.title)
            if parent:
                g.add((plan, _SK.implements, node))
        if rec.literacy_target:
            target = iris.child(plan, "target", "literacy")
            g.add((plan, _SK.literacyTarget, target))
            self._target(target, _SK.LiteracyTarget, rec.literacy_target)
        if rec.baseline:
            b = rec.baseline
            node = iris.child(plan, "baseline", str(b.year))
            g.add((plan, _SK.baseline, node))
            self._target(node, _SK.Baseline, b)
            if b.gain is not None and b.gain_since is not None:
                g.add((node, _SK.gain, _decimal(b.gain)))
                g.add((node, _SK.gainSince, _year(b.gain_since)))

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
        g.add((plan, _SK.area, node))
        if area is None:
            g.add((node, _RDF.type, _SK.AdministrativeArea))
            g.add((node, _RDFS.label, zh(rec.place)))
            g.add((node, _RDFS.label, en(rec.place)))
            if rec.level:
                g.add((node, _SK.level, LEVELS.get(rec.level, _SK.County)))

    def _target(self, node: URIRef, cls: URIRef, t: Target) -> None:
        _target_node(self.g, node, cls, t.value, t.unit, t.comparator, t.year)
        self.g.add((node, _SK.quote, zh(t.quote)))
        if t.period:
            self.g.add((node, _SK.periodStart, _year(t.period[0])))
            self.g.add((node, _SK.periodEnd, _year(t.period[1])))
        if t.frequency:
            self.g.add((node, _SK.frequency, zh(t.frequency)))
        if t.indicator:
            self.g.add((node, _SK.indicatorWritten, zh(t.indicator)))
        if t.indicator_key:
            self.g.add((node, _SK.indicator, iris.indicator(t.indicator_key)))
        if t.scope:
            self.g.add((node, _SK.scope, zh(t.scope)))
        if t.tier:
            self.g.add((node, _SK.tier, zh(t.tier)))
        if t.base_value is not None:
            self.g.add((node, _SK.baseValue, _decimal(t.base_value)))
        if t.base_year is not None:
            self.g.add((node, _SK.baseYear, _year(t.base_year)))
        for key in sorted(set(t.groups)):
            self.g.add((node, _SK.namesGroup, iris.population_group(key)))
        self._span(node, t.span, self._quote(t.span))  # the file's words (t.quote: without invisible characters)

    def _agencies(self) -> None:
        g = self.g
        area = iris.area(self.place_slug)
        for a in self.rec.agencies:
            node = iris.agency(self.place_slug, a.key)
            g.add((node, _RDF.type, _SK.CollectiveAgency if a.collective else _SK.Agency))
            g.add((node, _RDFS.label, zh(a.zh)))
            g.add((node, _SKOS.prefLabel, zh(a.zh)))
            g.add((node, _RDFS.label, en(self._agency_en(a.key, a.zh, a.type))))
            for written in sorted(set(a.written)):
                if written != a.zh:
                    g.add((node, _SKOS.altLabel, zh(written)))
            g.add((node, _SK.agencyType, iris.agency_type(a.type)))
            g.add((node, _SK.area, area))
            g.add((node, _SK.registered, Literal(a.registered)))

    def _agency_en(self, key: str, name: str, type_key: str) -> str:
        tpl = next((t for t in self.reg.agencies if t.key == key), None)
        if tpl is not None:
            return f"{self.place_en} {tpl.en}" if not tpl.collective else f"{tpl.en} ({self.place_en})"
        pattern = next((p for p in self.reg.patterns if p.type == type_key), None)
        return f"{name} ({pattern.en if pattern else 'unregistered agency'})"

    def _measure(self, m: Measure) -> None:
        g = self.g
        node = iris.child(self.plan, m.kind, str(m.no))
        g.add((node, _RDF.type, _SK.Action if m.kind == "action" else _SK.Project))
        g.add((node, _SK.inPlan, self.plan))
        g.add((node, _SK.ordinal, _int(m.no)))
        g.add((node, _RDFS.label, zh(m.title)))
        if m.national:
            g.add((node, _SK.correspondsTo, iris.national_measure(m.national)))
        if m.mapping:
            g.add((node, _SK.mappingKind, MAPPINGS[m.mapping]))
        self._span(node, m.span, self._quote(m.span))
        self._responsibilities(node, m.assignments)
        for t in m.tasks:
            task = iris.child(node, "task", str(t.no))
            g.add((task, _RDF.type, _SK.Task))
            g.add((task, _SK.inMeasure, node))
            g.add((task, _SK.ordinal, _int(t.no)))
            g.add((task, _RDFS.label, zh(t.title)))
            g.add((task, _SK.text, zh(t.text)))
            g.add((task, _SK.statedIn, Literal(t.origin)))
            self._span(task, t.span, self._quote(t.span))
            for n, span in enumerate(t.restated, start=1):
                self._span(task, span, self._quote(span), _SK.restatedAt, f"restated/{n}")
            self._responsibilities(task, t.assignments)
            self._groups(task, t.groups)
            for key in t.instruments:
                g.add((task, _SK.usesInstrument, iris.instrument(key)))
            for n, target in enumerate(t.targets, start=1):
                target_node = iris.child(task, "target", str(n))
                g.add((task, _SK.target, target_node))
                self._target(target_node, _SK.TaskTarget, target)

    def _responsibilities(self, item: URIRef, assignments: list) -> None:
        g = self.g
        seen: set[tuple[str, str]] = set()
        ordinals = {"lead": 0, "support": 0}
        for a in assignments:
            role = _SK.LeadRole if a.role == "lead" else _SK.SupportRole
            prop = _SK.leadAgency if a.role == "lead" else _SK.supportAgency
            if a.open:
                g.add((item, _SK.openLeadList if a.role == "lead" else _SK.openSupportList, Literal(True)))
            for mention in a.mentions:
                if mention.agency is None:
                    continue
                if (a.role, mention.agency) in seen:
                    # a name listed twice counts once: its first listing is the statement, with
                    # its one written form and span (县教体局、科协、县科学技术协会: 科协, not both)
                    continue
                seen.add((a.role, mention.agency))
                agency = iris.agency(self.place_slug, mention.agency)
                node = iris.child(item, a.role, mention.agency)
                g.add((node, _SK.writtenAs, zh(mention.written)))
                ordinals[a.role] += 1
                g.add((item, prop, agency))
                g.add((node, _SK.ordinal, _int(ordinals[a.role])))
                g.add((node, _RDF.type, _SK.Responsibility))
                g.add((node, _SK.forItem, item))
                g.add((node, _SK.agency, agency))
                g.add((node, _SK.role, role))
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
            g.add((node, _RDF.type, _SK.Section))
            g.add((node, _SK.sectionKind, SECTION_KINDS.get(sec.kind, _SK.OtherSection)))
            g.add((node, _SK.depth, _int(sec.level)))
            g.add((node, _SK.ordinal, _int(n)))
            g.add((node, _SK.ofPlan, self.plan))
            g.add((node, _RDFS.label, zh(sec.title)))
            while open_sections and (open_sections[-1][0] >= sec.level or open_sections[-1][2] <= sec.span.start):
                open_sections.pop()
            g.add((node, _SK.partOf, open_sections[-1][1] if open_sections else self.plan))
            open_sections.append((sec.level, node, sec.span.end))
            self._span(node, sec.heading, self._quote(sec.heading))
            self._extent(node, sec.span)

    def _section_of(self, node: URIRef, span: Span) -> None:
        """``node`` is in the innermost section holding ``span``, and of the plan."""
        self.g.add((node, _SK.ofPlan, self.plan))
        holding = [s for s in self._section_nodes if s[0] <= span.start < s[1]]
        if holding:
            self.g.add((node, _SK.section, max(holding, key=lambda s: (s[2], s[0]))[3]))

    def _extent(self, node: URIRef, span: Span) -> None:
        """Where a long item runs in the file, without quoting it: a position selector only."""
        g = self.g
        extent = URIRef(str(node) + "/extent")
        position = URIRef(str(extent) + "/position")
        g.add((node, _SK.extent, extent))
        g.add((extent, _RDF.type, _OA.SpecificResource))
        g.add((extent, _OA.hasSource, self.text_source))
        g.add((extent, _OA.hasSelector, position))
        g.add((extent, _SK.line, _int(span.line)))
        g.add((position, _RDF.type, _OA.TextPositionSelector))
        g.add((position, _OA.start, _int(span.start)))
        g.add((position, _OA.end, _int(span.end)))

    def _item(self, segment: str, n: int, cls: URIRef, text: str, span: Span) -> URIRef:
        """A principle, goal, safeguard commitment or phase: ``<plan>/<segment>/<n>`` of ``cls``, its
        ordinal, text, plan and section, and the span it is stated in."""
        node = iris.child(self.plan, segment, str(n))
        self.g.add((node, _RDF.type, cls))
        self.g.add((node, _SK.ordinal, _int(n)))
        self.g.add((node, _SK.text, zh(text)))
        self._section_of(node, span)
        self._span(node, span, self._quote(span))
        return node

    def _principles(self) -> None:
        g = self.g
        for n, p in enumerate(self.rec.principles, start=1):
            node = self._item("principle", n, _SK.Principle, p.text, p.span)
            g.add((node, _RDFS.label, zh(p.title)))

    def _goals(self) -> None:
        g, rec = self.g, self.rec
        for n, goal in enumerate(rec.goals, start=1):
            node = self._item("goal", n, _SK.Goal, goal.text, goal.span)
            g.add((node, _SK.goalKind, GOAL_KINDS[goal.kind]))
            if goal.year:
                g.add((node, _SK.goalYear, _year(goal.year)))
            for m, t in enumerate(goal.targets, start=1):
                if rec.literacy_target is not None and t.span == rec.literacy_target.span:
                    g.add((node, _SK.target, iris.child(self.plan, "target", "literacy")))  # the header's target
                    continue
                target = iris.child(node, "target", str(m))
                g.add((node, _SK.target, target))
                self._target(target, _SK.GoalTarget, t)

    def _commitments(self) -> None:
        g = self.g
        for n, c in enumerate(self.rec.commitments, start=1):
            node = self._item("safeguard", n, _SK.SafeguardCommitment, c.text, c.span)
            for i, kind in enumerate(c.kinds):
                g.add((node, _SK.safeguardKind, iris.safeguard_kind(kind)))
                if i == 0:
                    g.add((node, _SK.mainSafeguardKind, iris.safeguard_kind(kind)))
            if c.heading:
                g.add((node, _SK.heading, zh(c.heading)))
            if c.chair:
                g.add((node, _SK.chair, zh(c.chair)))
            self._named_agencies(node, c.mentions)
            self._groups(node, c.groups)
            for key in c.instruments:
                g.add((node, _SK.usesInstrument, iris.instrument(key)))
            for m, t in enumerate(c.targets, start=1):
                target = iris.child(node, "target", str(m))
                g.add((node, _SK.target, target))
                self._target(target, _SK.CommitmentTarget, t)

    def _named_agencies(self, item: URIRef, mentions: list[AgencyMention]) -> None:
        """The bodies a safeguard commitment names: ``item sk:namesAgency agency``, and a mention
        node ``<item>/agency/<key>`` quoting the words that first name each."""
        named = [(m.agency, iris.agency(self.place_slug, m.agency), m) for m in mentions if m.agency is not None]
        self._mentioned(item, "agency", _SK.namesAgency, _SK.AgencyMention, named)

    def _groups(self, item: URIRef, groups: list[GroupMention]) -> None:
        """The population groups a task or commitment names: ``item sk:namesGroup group``, and a
        mention node ``<item>/group/<key>`` quoting the words that first name each."""
        named = [(m.group, iris.population_group(m.group), m) for m in groups if m.group is not None]
        self._mentioned(item, "group", _SK.namesGroup, _SK.GroupMention, named)

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
            g.add((item, _SK.mention, node))
            g.add((node, _RDF.type, cls))
            g.add((node, _SK.mentionOf, target))
            g.add((node, _SK.writtenAs, zh(mention.written)))
            self._span(node, mention.span, self._quote(mention.span))

    def _phases(self) -> None:
        g = self.g
        for n, ph in enumerate(self.rec.phases, start=1):
            node = self._item("phase", n, _SK.Phase, ph.text, ph.span)
            g.add((node, _RDFS.label, zh(ph.name)))
            if ph.start is not None:
                g.add((node, _SK.periodStart, _year(ph.start)))
            if ph.end is not None:
                g.add((node, _SK.periodEnd, _year(ph.end)))

    def _quote(self, span: Span) -> str:
        return self.text[span.start : span.end]


def plan_graph(rec: PlanRecord, reg: Registry, text: str) -> Graph:
    """The asserted triples of one resolved plan; ``text`` is its decoded file text, for quotes."""
    return PlanGraph(rec, reg, text).build()
