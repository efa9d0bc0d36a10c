"""SHACL validation and a report a person can read, in Chinese and English.

Two engines give the same results: the shapes compiled into checks (``sciplan_kg.validation.compiled``,
the default, ~20× faster) and pySHACL (the reference, ``engine="pyshacl"``).

The data graph is the asserted triples, their OWL 2 RL inferences and the ontology, so a
lead inherited from a measure counts and ``sh:class`` sees the ontology's individuals.
A result names its focus node the way a reader knows it: a task by its heading, its
measure and its plan, with the file and line it came from; never a bare IRI.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV

from sciplan_kg.paths import SHAPES_FILE
from sciplan_kg.rdf.namespaces import ELI, OA, SK
from sciplan_kg.rdf.triples import Triples, Union
from sciplan_kg.validation.compiled import SH, CompiledShapes, RawResult

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}


@dataclass(frozen=True)
class Result:
    """One validation result, judged by (focus, path, component, severity); messages are text."""

    severity: str
    focus: str
    path: str
    component: str
    shape: str
    message_zh: str
    message_en: str
    focus_zh: str  # what the focus node is, for a reader
    source: str  # file:line where the focus node came from, if known


@dataclass
class Report:
    conforms: bool
    results: list[Result]

    def counts(self) -> Counter[str]:
        return Counter(r.severity for r in self.results)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """The report ``to_json`` wrote, parsed (``{"conforms": …, "results": [...]}``)."""
        return cls(bool(data["conforms"]), [Result(**r) for r in data["results"]])

    def to_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "results": [asdict(r) for r in self.results]},
            ensure_ascii=False,
            indent=2,
        )


def load_shapes(path: Path = SHAPES_FILE) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


ENGINES = ("compiled", "pyshacl")


def validate_graph(
    data: Graph | Triples | Sequence[Graph | Triples],
    shapes: Graph | CompiledShapes | None = None,
    engine: str = "compiled",
) -> Report:
    """Validate ``data`` (asserted + inferred + ontology; one graph or parts of one, read as
    their union) against the shapes. A part may be given indexed (``rdf.triples.Triples``):
    the build indexes a plan once and the registries once per worker.

    ``engine="compiled"`` (the default) runs the shapes compiled by ``sciplan_kg.validation.compiled``;
    ``"pyshacl"`` runs pySHACL, the reference the compiled engine is tested against."""
    given = [data] if isinstance(data, Graph | Triples) else list(data)
    parts = [p if isinstance(p, Triples) else Triples(p) for p in given]
    if engine == "compiled":
        compiled = shapes if isinstance(shapes, CompiledShapes) else CompiledShapes(shapes or load_shapes())
        raw = compiled.validate(parts)
    elif engine == "pyshacl":
        if isinstance(shapes, CompiledShapes):
            raise TypeError("pySHACL needs the shapes graph, not compiled shapes")
        raw = _pyshacl(_union(given), shapes if shapes is not None else load_shapes())
    else:
        raise ValueError(f"unknown validation engine {engine!r}: one of {', '.join(ENGINES)}")
    readable = Union(parts)
    results = [_result(r, readable) for r in raw]
    results.sort(key=_order)
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results)


def _union(parts: list[Graph | Triples]) -> Graph:
    if len(parts) == 1 and isinstance(parts[0], Graph):
        return parts[0]
    g = Graph()
    for part in parts:
        for triple in part:
            g.add(triple)
    return g


def _pyshacl(data: Graph, shapes: Graph) -> list[RawResult]:
    # imported here: pySHACL (and rdflib's SPARQL engine it loads) cost 0.3 s of every command's
    # start, and only the reference engine needs it
    from pyshacl import validate as shacl_validate

    _, report_graph, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=False)
    raw = []
    for node in report_graph.subjects(RDF.type, SH.ValidationResult):
        path = report_graph.value(node, SH.resultPath)
        inverse = report_graph.value(path, SH.inversePath) if isinstance(path, BNode) else None
        raw.append(
            RawResult(
                severity=report_graph.value(node, SH.resultSeverity) or SH.Violation,  # type: ignore[arg-type]
                focus=report_graph.value(node, SH.focusNode),  # type: ignore[arg-type]
                path=inverse if inverse is not None else path,  # type: ignore[arg-type]
                inverse=inverse is not None,
                component=report_graph.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                shape=report_graph.value(node, SH.sourceShape),  # type: ignore[arg-type]
                messages=tuple(m for m in report_graph.objects(node, SH.resultMessage) if isinstance(m, Literal)),
                value=report_graph.value(node, SH.value),
            )
        )
    return raw


def _result(r: RawResult, data: Union) -> Result:
    messages = {m.language: str(m) for m in r.messages}
    focus_zh, source = describe(data, r.focus) if isinstance(r.focus, URIRef) else (str(r.focus), "")
    return Result(
        severity=_SEVERITY.get(r.severity, "Violation"),
        focus=str(r.focus),
        path="" if r.path is None else ("^" if r.inverse else "") + str(r.path),
        component=str(r.component),
        shape=_local(r.shape),
        message_zh=messages.get("zh", messages.get(None, "")),
        message_en=messages.get("en", messages.get(None, "")),
        focus_zh=focus_zh,
        source=source,
    )


def merge_reports(reports: list[Report]) -> Report:
    """One report from the reports of parts of a graph validated apart (plans, registries):
    a result that two parts share (about a registry node) is listed once."""
    results = sorted(set(r for rep in reports for r in rep.results), key=_order)
    return Report(all(rep.conforms for rep in reports), results)


SEVERITY_ORDER = ("Violation", "Warning", "Info")  # a report lists its results in this order


def _order(r: Result) -> tuple[int, str, str, str, str, str]:
    return (SEVERITY_ORDER.index(r.severity), r.source, r.focus, r.path, r.shape, r.component)


def _local(term: object) -> str:
    text = str(term) if term is not None else ""
    return text.rsplit("#", 1)[-1] if "#" in text else text


def _label(g: Graph | Union, node: object, lang: str = "zh") -> str | None:
    for label in g.objects(node, RDFS.label):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return None


def describe(g: Graph | Union, node: URIRef) -> tuple[str, str]:
    """(what the node is, for a reader; file:line it came from)."""
    source = ""
    spans = sorted(s for s in g.objects(node, PROV.wasDerivedFrom) if (s, RDF.type, OA.SpecificResource) in g)
    span = spans[0] if spans else None
    if span is not None:
        file_node = g.value(span, OA.hasSource)
        name = g.value(file_node, SK.fileName) if file_node is not None else None
        line = g.value(span, SK.line)
        if name is not None:
            source = f"{name}:{line}" if line is not None else str(name)
    if (node, RDF.type, SK.Task) in g:
        measure = g.value(node, SK.inMeasure)
        plan = g.value(measure, SK.inPlan) if measure is not None else None
        title = _label(g, node) or str(node)
        where = " / ".join(x for x in (_label(g, plan) if plan else None, _label(g, measure) if measure else None) if x)
        return f"任务「{title}」（{where}）", source
    if (node, RDF.type, SK.ImplementationPlan) in g:
        return f"方案《{_label(g, node) or g.value(node, ELI.title) or node}》", source
    if (node, RDF.type, SK.Action) in g or (node, RDF.type, SK.Project) in g:
        plan = g.value(node, SK.inPlan)
        return f"举措「{_label(g, node)}」（{_label(g, plan) if plan else ''}）", source
    label = _label(g, node)
    return (label or str(node)), source


def format_report(report: Report, verbose: bool = False) -> str:
    """The report as text: a summary line, then each violation and warning with what it is
    about and where it came from; informational results are counted (listed with ``verbose``)."""
    infos = Counter((r.shape, r.message_zh, r.message_en) for r in report.results if r.severity == "Info")
    lines = report_head(report.conforms, report.counts(), infos)
    for r in report.results:
        if r.severity == "Info" and not verbose:
            continue
        lines.append("")
        lines.extend(result_lines(r))
    return "\n".join(lines) + "\n"


def report_head(conforms: bool, counts: Mapping[str, int], infos: Mapping[tuple[str, str, str], int]) -> list[str]:
    """The summary lines that open ``format_report``: status, counts by severity, and the
    informational results counted by (shape, message)."""
    status_zh = "符合约束" if conforms else "不符合约束"
    status_en = "conforms" if conforms else "does not conform"
    v, w, i = (counts.get(s, 0) for s in SEVERITY_ORDER)
    lines = [
        f"SHACL 校验：{status_zh}；违规 {v}，警告 {w}，提示 {i}",
        f"SHACL validation: {status_en}; {v} violations, {w} warnings, {i} info",
    ]
    for (_, zh, en), n in sorted(infos.items()):
        lines.append(f"  提示 Info ×{n}: {zh} / {en}")
    return lines


def result_lines(r: Result) -> list[str]:
    """One result as ``format_report`` lists it: what it is about, where from, the messages."""
    lines = [f"[{_SEVERITY_ZH[r.severity]} {r.severity}] {r.focus_zh}"]
    if r.source:
        lines.append(f"  出处 source: {r.source}")
    lines.append(f"  {r.message_zh}")
    lines.append(f"  {r.message_en}")
    path = ("^" if r.path.startswith("^") else "") + _local(r.path.lstrip("^")) if r.path else "-"
    lines.append(f"  ({r.shape}, path {path}, {_local(r.component)}; {r.focus})")
    return lines
