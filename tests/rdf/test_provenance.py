"""Provenance in the graph: every span's source is the text its offsets and lines index, a node a
consumer holding the export and the build folder can resolve (a plain-text file itself; for a web
page, Word or PDF file the text read from it, ``sources/<stem>.txt``, with its own checksum and
characters, sk:extractedFrom the file); the header's facts point to their characters as
sk:StatedFact statements; a responsibility has one written form, the one its span writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import build
from sciplan_kg.pipeline.coverage import span_failures
from sciplan_kg.pipeline.dataset import named_graphs, plan_graph_iri
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.pipeline.plan import Workbench
from sciplan_kg.rdf.graph import PlanGraph
from sciplan_kg.rdf.namespaces import ELI, OA, SK
from sciplan_kg.read.text import decode, plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.validation.report import validate_graph

TESTS = Path(__file__).parents[1]
HTML = TESTS / "fixtures" / "formats" / "html" / "a_trs" / "002_6b4932196e225269.html"
LINJIANG = TESTS / "fixtures" / "targets" / "linjiang_targets.txt"
PINGLUO = PLANS_DIR / "002_6b4932196e225269.txt"


@pytest.fixture(scope="module")
def bench() -> Workbench:
    return Workbench.load()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same plan as a web page and as text, built together."""
    folder = tmp_path_factory.mktemp("plans")
    (folder / "page.html").write_bytes(HTML.read_bytes())
    (folder / "text.txt").write_bytes(PINGLUO.read_bytes())
    out = tmp_path_factory.mktemp("prov") / "build"
    build([folder / "page.html"], out / "html", jobs=1)
    build([folder / "text.txt"], out / "txt", jobs=1)
    return out


def _spans(g: Graph) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, OA.SpecificResource) if isinstance(s, URIRef))


def _resolve(g: Graph, build_dir: Path, span: URIRef) -> tuple[str, int, int, int]:
    """What a consumer does: the span's source names the text (its file in ``sources/`` and its
    checksum); the offsets index that text, decoded."""
    source = g.value(span, OA.hasSource)
    name = str(g.value(source, SK.fileName))
    data = (build_dir / "sources" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == str(g.value(source, SK.sha256))
    assert str(source).endswith(str(g.value(source, SK.sha256)))
    text = decode(data, Path(name))
    assert int(g.value(source, SK.characters)) == len(text)
    position = next(s for s in g.objects(span, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in g)
    start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
    return text, start, end, int(g.value(span, SK.line))


@pytest.mark.parametrize("kind", ["html", "txt"])
def test_every_span_resolves_against_the_text_its_source_names(built: Path, kind: str) -> None:
    out = built
    g = load_graphs(out / kind)["asserted"]
    spans = _spans(g)
    assert len(spans) > 200
    for span in spans:
        text, start, end, line = _resolve(g, out / kind, span)
        assert 0 <= start < end <= len(text)
        assert line == len(("x" + text[:start] + "x").splitlines())
        for q in g.objects(span, OA.hasSelector):
            exact = g.value(q, OA.exact)
            if exact is not None:
                assert str(exact) == text[start:end]


def test_a_web_page_s_spans_index_the_text_read_from_it(built: Path) -> None:
    out = built
    g = load_graphs(out / "html")["asserted"]
    (plan,) = g.subjects(RDF.type, SK.ImplementationPlan)
    page = g.value(plan, SK.sourceFile)
    (text,) = g.subjects(RDF.type, SK.ExtractedText)
    assert {g.value(s, OA.hasSource) for s in _spans(g)} == {text}
    assert g.value(text, SK.extractedFrom) == page
    assert str(g.value(text, SK.fileName)) == "page.txt"
    assert str(g.value(text, SK.mediaType)) == "text/plain"
    data = (out / "html" / "sources" / "page.txt").read_bytes()
    assert int(g.value(text, SK.byteSize)) == len(data)
    # the page is the file as given: its own checksum, name and type; its characters are not the offsets'
    assert str(g.value(page, SK.sha256)) == hashlib.sha256(HTML.read_bytes()).hexdigest()
    assert str(g.value(page, SK.fileName)) == "page.html"
    assert str(g.value(page, SK.mediaType)) == "text/html"
    assert g.value(page, SK.characters) is None
    # split into named graphs (load, export), the text goes with its plan
    graphs = named_graphs(g)
    assert (text, SK.extractedFrom, page) in graphs[plan_graph_iri(plan)]


def test_a_text_file_is_its_own_source(built: Path) -> None:
    out = built
    g = load_graphs(out / "txt")["asserted"]
    (plan,) = g.subjects(RDF.type, SK.ImplementationPlan)
    source = g.value(plan, SK.sourceFile)
    assert str(source).endswith(hashlib.sha256(PINGLUO.read_bytes()).hexdigest())  # the IRI it always had
    assert {g.value(s, OA.hasSource) for s in _spans(g)} == {source}
    assert not set(g.subjects(RDF.type, SK.ExtractedText))
    assert int(g.value(source, SK.characters)) == len(decode(PINGLUO.read_bytes(), PINGLUO))


def _graph(text: str, bench: Workbench) -> tuple[Graph, str]:
    pt = plan_text(text, "plan.txt")
    return PlanGraph(resolve(extract_text(pt), bench.registry, pt.raw), bench.registry, pt.raw).build(), pt.raw


def test_header_facts_point_to_their_characters(bench: Workbench) -> None:
    g, raw = _graph(LINJIANG.read_text(encoding="utf-8"), bench)
    (plan,) = g.subjects(RDF.type, SK.ImplementationPlan)
    stated = {}
    for node in g.subjects(RDF.type, SK.StatedFact):
        assert g.value(node, RDF.subject) == plan
        p, o = g.value(node, RDF.predicate), g.value(node, RDF.object)
        assert (plan, p, o) in g, "a statement of a triple the graph asserts"
        (span,) = g.objects(node, PROV.wasDerivedFrom)
        quote = str(next(g.value(q, OA.exact) for q in g.objects(span, OA.hasSelector) if g.value(q, OA.exact)))
        stated[(p, str(o).rsplit("/", 1)[-1] if isinstance(o, URIRef) else str(o))] = quote
        assert str(node).startswith(str(plan) + "/statement/")
    assert stated[(ELI.id_local, "临府办发〔2022〕31号")] == "临府办发〔2022〕31号"
    assert stated[(ELI.date_document, "2022-08-16")] == "2022年8月16日"
    issuer = [q for (p, _), q in stated.items() if p == ELI.passed_by]
    assert issuer == ["临江县人民政府办公室"]
    cites = [q for (p, _), q in stated.items() if p == ELI.cites]
    assert cites and all("国发〔2021〕9号" in q for q in cites)
    written = {str(w) for n in g.subjects(RDF.type, SK.StatedFact) for w in g.objects(n, SK.writtenAs)}
    assert written == {"国发〔2021〕9号"}  # the cited document as written
    assert span_failures(g, raw)[1] == []


def test_a_published_date_and_every_cited_document_have_statements(bench: Workbench) -> None:
    g, _ = _graph((PLANS_DIR / "004_8005c2f2abebcfde.txt").read_text(encoding="utf-8"), bench)
    (plan,) = g.subjects(RDF.type, SK.ImplementationPlan)
    predicates = [g.value(n, RDF.predicate) for n in g.subjects(RDF.type, SK.StatedFact)]
    assert predicates.count(SK.datePublished) == 1
    assert predicates.count(ELI.cites) == len(set(g.objects(plan, ELI.cites)))


def test_a_name_listed_twice_in_two_spellings_has_one_written_form(bench: Workbench) -> None:
    text = LINJIANG.read_text(encoding="utf-8")
    assert "牵头单位：县教育局\n" in text
    g, raw = _graph(text.replace("牵头单位：县教育局\n", "牵头单位：县教育局、县科协、县科学技术协会\n", 1), bench)
    statements = [s for s in g.subjects(RDF.type, SK.Responsibility) if str(s).endswith("/action/1/lead/kexie")]
    assert len(statements) == 1
    (node,) = statements
    assert [str(w) for w in g.objects(node, SK.writtenAs)] == ["县科协"]  # the first listing, as its span writes
    (span,) = g.objects(node, PROV.wasDerivedFrom)
    position = next(s for s in g.objects(span, OA.hasSelector) if g.value(s, OA.start) is not None)
    assert raw[int(g.value(position, OA.start)) : int(g.value(position, OA.end))] == "县科协"
    assert span_failures(g, raw)[1] == []


def test_the_shapes_allow_one_written_form(bench: Workbench) -> None:
    g, _ = _graph(LINJIANG.read_text(encoding="utf-8"), bench)
    node = next(iter(g.subjects(RDF.type, SK.Responsibility)))
    inferred = bench.reasoner.infer(g)
    assert validate_graph([g, inferred, bench.context_triples], bench.shapes).conforms
    g.add((node, SK.writtenAs, Literal("又一写法", lang="zh")))
    report = validate_graph([g, inferred, bench.context_triples], bench.shapes)
    assert not report.conforms
    assert any(r.shape.endswith("ResponsibilityWrittenShape") for r in report.results)
