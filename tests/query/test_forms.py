"""Every query form on every store: ASK answers true/false, CONSTRUCT and DESCRIBE answer RDF,
on the embedded Oxigraph store, on rdflib and on a real Oxigraph server started here on
127.0.0.1 — through the API and the command line, in each RDF format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import run_query
from sciplan_kg.query.backends import RemoteBackend
from sciplan_kg.query.catalogue import parse_query_file
from sciplan_kg.query.remote import RemoteError
from tests.conftest import FakeSparql, serving
from tests.publish.test_remote import start_oxigraph

SK = "https://w3id.org/sciplan-kg/ontology#"
WUSHAN = "https://w3id.org/sciplan-kg/id/plan/wushan-2021-2025"
WUSHAN_AREA = "https://w3id.org/sciplan-kg/id/area/wushan"
HEAD = "#+ summary_zh: 测试\n#+ summary_en: test\n#+ description: test\n"
STORES = ["oxigraph", "rdflib", "remote"]


@pytest.fixture(scope="module")
def endpoint(five: BuildResult) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1 holding the five plans."""
    proc, url = start_oxigraph()
    try:
        assert main(["load", "--data", str(five.out), "--endpoint", url]) == 0
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def rq(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Queries of each form, as a researcher writes them (ASK without WHERE, a parameter)."""
    folder = tmp_path_factory.mktemp("forms")
    texts = {
        "ask-plan": HEAD + f"#+ param: plan | iri | (all) | a plan\nPREFIX sk: <{SK}>\nASK {{ ?m sk:inPlan ?plan }}\n",
        "ask-none": f"PREFIX sk: <{SK}>\nASK WHERE {{ ?x sk:inPlan <urn:no-such-plan> }}\n",
        "construct": HEAD + "#+ param: plan | iri | (all) | a plan\n"
        f"PREFIX sk: <{SK}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "CONSTRUCT { ?plan sk:area ?area . ?area rdfs:label ?name }\n"
        "WHERE { ?plan a sk:ImplementationPlan ; sk:area ?area . ?area rdfs:label ?name }\n",
        "describe": f"DESCRIBE <{WUSHAN_AREA}>\n",
        "construct-empty": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o ; <{SK}inPlan> <urn:none> }}\n",
    }
    out = {}
    for name, text in texts.items():
        out[name] = folder / f"{name}.rq"
        out[name].write_text(text, encoding="utf-8")
    return out


def _run(store: str, five: BuildResult, endpoint: str, query: Path, params: dict[str, str] | None = None):
    if store == "remote":
        return run_query(str(query), params=params, endpoint=endpoint)
    return run_query(str(query), five.out, params, store=store)


def _cli(store: str, five: BuildResult, endpoint: str) -> list[str]:
    return ["--endpoint", endpoint] if store == "remote" else ["--data", str(five.out), "--store", store]


@pytest.mark.parametrize("store", STORES)
def test_ask_answers_true_or_false(store: str, five: BuildResult, endpoint: str, rq: dict[str, Path]) -> None:
    result = _run(store, five, endpoint, rq["ask-plan"])
    assert result.form == "ASK" and result.boolean is True and result.rows == []
    assert _run(store, five, endpoint, rq["ask-none"]).boolean is False
    # a parameter bound in an ASK written without WHERE, by the plan's Chinese name
    assert _run(store, five, endpoint, rq["ask-plan"], {"plan": "巫山县"}).boolean is True


@pytest.mark.parametrize("store", STORES)
def test_construct_gives_the_same_graph_on_every_store(
    store: str, five: BuildResult, endpoint: str, rq: dict[str, Path], five_graph: Graph
) -> None:
    result = _run(store, five, endpoint, rq["construct"], {"plan": "wushan-2021-2025"})
    assert result.form == "CONSTRUCT" and result.graph is not None
    expected = Graph()
    expected.add((URIRef(WUSHAN), URIRef(SK + "area"), URIRef(WUSHAN_AREA)))
    for name in five_graph.objects(URIRef(WUSHAN_AREA), RDFS.label):
        expected.add((URIRef(WUSHAN_AREA), RDFS.label, name))
    assert (URIRef(WUSHAN_AREA), RDFS.label, Literal("巫山县", lang="zh")) in expected
    assert isomorphic(result.graph, expected)
    every = _run(store, five, endpoint, rq["construct"]).graph
    assert len(set(every.subjects(URIRef(SK + "area"), None))) == len(five.plans)
    assert len(_run(store, five, endpoint, rq["construct-empty"]).graph) == 0


@pytest.mark.parametrize("store", STORES)
def test_describe_gives_the_resource_description(
    store: str, five: BuildResult, endpoint: str, rq: dict[str, Path]
) -> None:
    result = _run(store, five, endpoint, rq["describe"])
    assert result.form == "DESCRIBE"
    graph = result.graph
    assert (URIRef(WUSHAN_AREA), RDFS.label, Literal("巫山县", lang="zh")) in graph
    assert (URIRef(WUSHAN_AREA), URIRef(SK + "level"), URIRef(SK + "County")) in graph
    assert set(graph.subjects()) == {URIRef(WUSHAN_AREA)}


@pytest.mark.parametrize("store", STORES)
def test_cli_prints_ask_and_rdf(
    store: str, five: BuildResult, endpoint: str, rq: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    where = _cli(store, five, endpoint)
    assert main(["query", str(rq["ask-plan"]), *where]) == 0
    assert capsys.readouterr().out == "true\n"
    assert main(["query", str(rq["ask-none"]), *where, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"boolean": False}
    assert main(["query", str(rq["construct"]), *where, "-p", "plan", "plan:wushan-2021-2025"]) == 0
    turtle = capsys.readouterr().out
    assert "plan:wushan-2021-2025 " in turtle and "@prefix plan: <https://w3id.org/sciplan-kg/id/plan/>" in turtle
    expected = Graph().parse(data=turtle, format="turtle")
    assert len(expected) == 3
    for fmt, parser in [("nt", "nt"), ("xml", "xml"), ("json-ld", "json-ld"), ("trig", "trig"), ("n3", "n3")]:
        assert main(["query", str(rq["construct"]), *where, "-p", "plan", WUSHAN, "--format", fmt]) == 0
        assert isomorphic(Graph().parse(data=capsys.readouterr().out, format=parser), expected), fmt
    assert main(["query", str(rq["describe"]), *where, "--format", "json"]) == 0  # json is JSON-LD here
    described = Graph().parse(data=capsys.readouterr().out, format="json-ld")
    assert (URIRef(WUSHAN_AREA), RDFS.label, Literal("巫山县", lang="zh")) in described


def test_a_format_the_form_has_not_is_an_error(
    five: BuildResult, rq: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", str(rq["construct"]), "--data", str(five.out), "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "--format csv" in err and "turtle" in err and "json-ld" in err and "Traceback" not in err
    assert main(["query", str(rq["ask-plan"]), "--data", str(five.out), "--format", "turtle"]) == 2
    assert "ASK" in capsys.readouterr().err
    assert main(["query", "plans", "--data", str(five.out), "--format", "nt"]) == 2
    assert "table, csv, tsv, json, xlsx" in capsys.readouterr().err


def test_rdf_output_to_a_file(five: BuildResult, rq: dict[str, Path], tmp_path: Path, capsys) -> None:
    out = tmp_path / "wushan.ttl"
    assert main(["query", str(rq["construct"]), "--data", str(five.out), "-p", "plan", "巫山县", "-o", str(out)]) == 0
    assert len(Graph().parse(out, format="turtle")) == 3
    assert capsys.readouterr().out == ""


def test_a_timeout_applies_to_every_form(five: BuildResult, rq: dict[str, Path]) -> None:
    assert run_query(str(rq["ask-plan"]), five.out, timeout=30).boolean is True
    assert len(run_query(str(rq["construct"]), five.out, {"plan": WUSHAN}, timeout=30).graph) == 3


class _Fake(FakeSparql):
    """A server that answers ASK with a boolean that is none, everything else with HTML."""

    def answer(self, query: str, accept: str) -> tuple[int, bytes, str]:
        if "ASK" in query:
            return 200, b'{"head": {}, "boolean": "yes"}', "application/sparql-results+json"
        return 200, b"<html>oops</html>", "text/html"


def test_a_server_answering_nonsense_is_a_message(rq: dict[str, Path]) -> None:
    with serving(_Fake, "/query") as url:
        backend = RemoteBackend(url)
        with pytest.raises(RemoteError, match="not RDF"):
            backend.run(parse_query_file(rq["describe"]), {}, 10)
        with pytest.raises(RemoteError, match="boolean"):
            backend.run(parse_query_file(rq["ask-none"]), {}, 10)


def test_describe_without_where_takes_no_parameter(five: BuildResult, tmp_path: Path) -> None:
    rq = tmp_path / "d.rq"
    rq.write_text(HEAD + "#+ param: plan | iri | (none) | a plan\nDESCRIBE ?plan\n", encoding="utf-8")
    with pytest.raises(QueryError, match="WHERE"):
        run_query(str(rq), five.out, {"plan": WUSHAN})


def test_the_output_file_suffix_chooses_the_format(five: BuildResult, rq: dict[str, Path], tmp_path: Path) -> None:
    """Without --format, ``-o tasks.csv`` writes CSV (it wrote a text table), ``.json`` JSON,
    ``.nt`` N-Triples; a suffix the answer's form has no format for keeps the default; --format
    still wins over the suffix."""
    data = ["--data", str(five.out)]
    assert main(["query", "plans", *data, "-o", str(tmp_path / "plans.csv")]) == 0
    rows = (tmp_path / "plans.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("plan,") and len(rows) == 6
    assert main(["query", "plans", *data, "-o", str(tmp_path / "plans.JSON")]) == 0
    assert len(json.loads((tmp_path / "plans.JSON").read_text(encoding="utf-8"))) == 5
    assert main(["query", "plans", *data, "-o", str(tmp_path / "plans.ttl")]) == 0  # rows have no Turtle
    assert "-----" in (tmp_path / "plans.ttl").read_text(encoding="utf-8").splitlines()[1]
    assert main(["query", "plans", *data, "--format", "tsv", "-o", str(tmp_path / "p.csv")]) == 0
    assert "\t" in (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0]
    out = tmp_path / "wushan.nt"
    assert main(["query", str(rq["construct"]), *data, "-p", "plan", "巫山县", "-o", str(out)]) == 0
    assert len(Graph().parse(out, format="nt")) == 3
