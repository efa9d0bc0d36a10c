"""One plan through the whole chain: text → record → asserted RDF → inferences → validation,
written to its files in a build folder. This is the unit of work a build runs on every core
and keeps between builds.

A plan's inferences and validation need the registries (its directive chain, the national
measures), so each worker holds a ``Workbench``: registries, ontology, shapes and the
reasoner, loaded once. What a plan entails together with the registries, minus what the
registries entail on their own, is the plan's; the registries' own inferences are written
once (``registry_outputs``).
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
import os
import time
from collections.abc import Callable, Container
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Graph

from sciplan_kg.corpus.description import Counts
from sciplan_kg.corpus.parents import plan_basis
from sciplan_kg.corpus.similarity import plan_tasks
from sciplan_kg.errors import InputError
from sciplan_kg.extract import extract_text
from sciplan_kg.paths import ONTOLOGY_DIR, REGISTRY_DIR
from sciplan_kg.pipeline.coverage import coverage
from sciplan_kg.pipeline.dataset import plan_graph_iri
from sciplan_kg.pipeline.folder import (
    ORIGINALS_DIR,
    REGISTRY,
    REGISTRY_INFERRED,
    plan_files_of,
    rows_files_of,
)
from sciplan_kg.pipeline.state import RegistryState, link_or_copy
from sciplan_kg.rdf.graph import PlanGraph, SourceFacts, registry_graph
from sciplan_kg.rdf.namespaces import canonical, canonical_graph
from sciplan_kg.rdf.parse import load_ontology
from sciplan_kg.rdf.rows import companion_of, triples_companion
from sciplan_kg.rdf.serialize import turtle_bytes
from sciplan_kg.rdf.triples import Triples
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.reason.reasoner import Reasoner
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import Registry, load_registry
from sciplan_kg.validation.compiled import CompiledShapes
from sciplan_kg.validation.report import Report, Result, load_shapes, validate_graph

SOURCE_DIR = Path(__file__).resolve().parents[1]  # the package


@dataclass
class Workbench:
    """What every plan is built with, loaded once per process."""

    registry: Registry
    ontology: Graph
    shapes: CompiledShapes
    registry_graph: Graph
    reasoner: Reasoner
    validation_context: Graph  # what a plan is validated with: registries, their inferences, ontology
    context_triples: Triples = field(init=False, repr=False)  # the same, indexed once (rdf.triples)

    def __post_init__(self) -> None:
        # each IRI the one object the plans' terms are (rdf.namespaces.canonical): the
        # validation's lookups in the context are then identity hits
        self.context_triples = Triples(
            (canonical(s), canonical(p), canonical(o)) for s, p, o in self.validation_context
        )

    @classmethod
    def load(cls) -> Workbench:
        reg = load_registry()
        ontology = load_ontology()
        rg = registry_graph(reg)
        reasoner = Reasoner(ontology, rg)
        context = Graph()
        for triple in rg:
            context.add(triple)
        for triple in reasoner.registry_inferences():
            context.add(triple)
        for triple in ontology:  # its individuals (comparators, roles) are values shapes check
            context.add(triple)
        # the shapes' IRIs the objects the plans' terms are (rdf.namespaces.canonical)
        return cls(reg, ontology, CompiledShapes(canonical_graph(load_shapes())), rg, reasoner, context)


# the layers above the pipeline (pyproject's import-linter contract: the pipeline never imports
# them), so a change there cannot change a plan's outputs and does not rebuild every plan
ABOVE_THE_PIPELINE = frozenset({"cli.py", "api.py", "publish", "evaluation", "query", "store"})


def fingerprint() -> str:
    """A hash of everything besides the plan text that a plan's outputs depend on: this
    package's code up to the pipeline (not the query, store or publishing layers above it),
    the ontology and shapes, the registries."""
    h = hashlib.sha256()
    code = [f for f in SOURCE_DIR.rglob("*.py") if f.relative_to(SOURCE_DIR).parts[0] not in ABOVE_THE_PIPELINE]
    files = [*code, *ONTOLOGY_DIR.glob("*.ttl"), *REGISTRY_DIR.glob("*.toml")]
    for f in sorted(files):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def plan_key(name: str, data: bytes, code: str) -> str:
    """What a plan's outputs depend on: its file name, its bytes (as read once) and the code."""
    h = hashlib.sha256(code.encode())
    h.update(name.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


@dataclass
class PlanOutput:
    """What the corpus-wide steps need of a built plan; stored as ``plans/<file>.json``."""

    file: str
    key: str
    sha256: str
    plan: str
    graph: str
    title: str | None
    measures: int
    task_count: int
    agencies: int
    triples: int
    inferred: int
    conforms: bool
    warnings: list[str] = field(default_factory=list)
    coverage: dict[str, str | int] = field(default_factory=dict)
    results: list[dict[str, str]] = field(default_factory=list)
    tasks: list[tuple[str, str, str]] = field(default_factory=list)  # (task, plan, text)
    counts: dict[str, Any] = field(default_factory=dict)  # for the dataset description
    basis: dict[str, Any] = field(default_factory=dict)  # number, titles, citations (corpus.parents)
    # seconds per stage in this build (not stored: a reused plan took none)
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    # where the rest of a summary made by ``lazy`` is read from, until it is
    load: Callable[[], dict[str, Any]] | None = field(default=None, compare=False, repr=False)

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def report(self) -> Report:
        return Report(self.conforms, [Result(**r) for r in self.results])

    def manifest_entry(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "plan": self.plan,
            "graph": self.graph,
            "title": self.title,
            "measures": self.measures,
            "tasks": self.task_count,
            "agencies": self.agencies,
            "triples": self.triples,
            "inferred": self.inferred,
            "warnings": len(self.warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        """The stored fields, JSON-ready; shallow (the lists are this summary's own: read them,
        do not change them). ``asdict``'s deep copy cost more than writing the summary."""
        return {name: getattr(self, name) for name in _STORED}

    def to_json(self) -> str:
        return json_text(self.to_dict()) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PlanOutput:
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanOutput:
        data = dict(data)
        data["tasks"] = [tuple(t) for t in data["tasks"]]
        return cls(**data)

    @classmethod
    def lazy(cls, light: dict[str, Any], load: Callable[[], dict[str, Any]]) -> PlanOutput:
        """A reused plan's summary from its ``LIGHT`` fields, the rest read by ``load`` (its
        summary file as a dict) only when first asked for: a rebuild that adds one plan to
        thousands reads none of the others'."""
        output = cls.__new__(cls)
        for name in LIGHT:
            setattr(output, name, light[name])
        output.load = load
        output.timings = {}
        return output

    def __getattr__(self, name: str) -> Any:
        # only for a field ``lazy`` left unset: read the summary once, set every field
        load = self.__dict__.get("load")
        if name not in _HEAVY or load is None:
            raise AttributeError(name)
        whole = PlanOutput.from_dict(load())
        for heavy in _HEAVY:
            setattr(self, heavy, getattr(whole, heavy))
        self.load = None
        return getattr(self, name)

    def description_counts(self) -> Counts:
        return Counts(**self.counts)


_STORED = tuple(f.name for f in fields(PlanOutput) if f.name not in ("timings", "load"))
# what the ledger keeps of a plan (``ledger.py``): what the corpus steps need of every plan
LIGHT = ("file", "key", "sha256", "plan", "graph", "triples", "inferred", "conforms", "counts", "basis")
_HEAVY = frozenset(_STORED) - frozenset(LIGHT)

# the predicates the dataset description counts (``Counts.of`` reads no other triples)
_COUNTED = (RDF.type, RDFS.label)


def build_plan(path: Path, data: bytes, out: Path, key: str, bench: Workbench) -> PlanOutput:
    """Build one plan from ``data``, the bytes of ``path`` read once, and write its files into
    the build folder ``out``: its hash, kept copy, extraction and key all come from those bytes."""
    clock = _Clock()
    pt = read_plan_text(path, data)
    rec = resolve(extract_text(pt), bench.registry, pt.raw)
    clock.lap("extract")
    if rec.title is None and not rec.measures:
        raise InputError(
            path,
            "不像是科学素质实施方案：没有标题，也没有提升行动或重点工程 / "
            "does not look like a scientific-literacy plan: no title and no actions or projects",
        )
    facts = SourceFacts(pt.format, len(data), pt.metadata, pt.ocr)
    builder = PlanGraph(rec, bench.registry, pt.raw, facts)
    asserted = builder.build_triples()  # every step below reads this index; no rdflib graph is made
    clock.lap("rdf")
    inferred = bench.reasoner.infer_triples(asserted)
    clock.lap("reason")
    graph_file, inferred_file, record_file, text_file, summary_file = plan_files_of(path.stem)
    # the evidence travels with the graph (reports link to it): the text the spans index, and a
    # file in another format as it was given
    if pt.format == "text":
        (out / text_file).write_bytes(data)
    else:
        (out / text_file).write_bytes(pt.raw.encode("utf-8"))
        (out / ORIGINALS_DIR / path.name).write_bytes(data)
    for name, triples in ((graph_file, asserted), (inferred_file, inferred)):
        graph = turtle_bytes(triples)
        (out / name).write_bytes(graph)
        # the rows of the DuckDB tables beside it, so that a full load reads them instead of
        # parsing the file again (rdf/rows.py)
        (out / companion_of(name)).write_bytes(triples_companion(triples, graph))
    clock.lap("write")
    asserted_count, cover, tasks = len(asserted), coverage(rec, asserted, pt.raw).row(), plan_tasks(asserted)
    clock.lap("coverage")
    # the plan with its inferences and the registries, read as one graph (merging them would
    # cost more than the validation)
    report = validate_graph([asserted, inferred, bench.context_triples], bench.shapes)
    clock.lap("validate")
    output = PlanOutput(
        file=path.name,
        key=key,
        sha256=rec.sha256,
        plan=str(builder.plan),
        graph=str(plan_graph_iri(builder.plan)),
        title=rec.title,
        measures=len(rec.measures),
        task_count=len(rec.tasks()),
        agencies=len(rec.agencies),
        triples=asserted_count,
        inferred=len(inferred),
        conforms=report.conforms,
        warnings=[f"{path.name}{f':{w.line}' if w.line else ''}: [{w.code}] {w.zh} / {w.en}" for w in rec.warnings],
        coverage=cover,
        results=[asdict(r) for r in report.results],
        tasks=tasks,
        counts=asdict(Counts.of(*(t.with_predicate(p) for t in (asserted, inferred) for p in _COUNTED))),
        basis=plan_basis(asserted, builder.plan, bench.registry),
    )
    (out / record_file).write_text(json_text(rec) + "\n", encoding="utf-8")  # rec.to_dict() as JSON
    (out / summary_file).write_text(output.to_json(), encoding="utf-8")
    clock.lap("write")
    output.timings = clock.laps
    return output


_ENCODE = json.encoder.encode_basestring  # the C function json.dumps uses with ensure_ascii=False
_FIELDS: dict[type, tuple[str, ...]] = {}


def json_text(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True)``, a dataclass read as
    ``dataclasses.asdict`` reads it, in the same text: with an indent json runs its pure-Python
    encoder, a generator per level, and with ``asdict``'s deep copy that was a fifth of a plan's
    write time. Anything this does not know (a key that is not a string, a subclass) goes to
    json itself."""
    out: list[str] = []
    try:
        _json(obj, out, "\n")
    except _NotPlain:
        return json.dumps(_plain(obj), ensure_ascii=False, indent=1, sort_keys=True)
    return "".join(out)


class _NotPlain(Exception):
    pass


def _plain(obj: Any) -> Any:
    return asdict(obj) if is_dataclass(obj) and not isinstance(obj, type) else obj


def _json(obj: Any, out: list[str], pad: str) -> None:
    t = type(obj)
    if t is str:
        out.append(_ENCODE(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif t is int:
        out.append(int.__repr__(obj))
    elif t is float and obj == obj and obj not in (float("inf"), float("-inf")):
        out.append(float.__repr__(obj))
    elif t is list or t is tuple:
        if not obj:
            out.append("[]")
            return
        inner = pad + " "
        out.append("[")
        for i, v in enumerate(obj):
            out.append(inner if i == 0 else "," + inner)
            _json(v, out, inner)
        out.append(pad + "]")
    elif t is dict:
        if not obj:
            out.append("{}")
            return
        if any(type(k) is not str for k in obj):
            raise _NotPlain
        _members(sorted(obj.items()), out, pad)
    elif is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELDS.get(t)
        if names is None:
            names = _FIELDS[t] = tuple(sorted(f.name for f in fields(obj)))
        if not names:
            out.append("{}")
            return
        _members([(n, getattr(obj, n)) for n in names], out, pad)
    else:
        raise _NotPlain


def _members(items: list[tuple[str, Any]], out: list[str], pad: str) -> None:
    inner = pad + " "
    out.append("{")
    for i, (k, v) in enumerate(items):
        out.append(inner if i == 0 else "," + inner)
        out.append(_ENCODE(k))
        out.append(": ")
        _json(v, out, inner)
    out.append(pad + "}")


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = self.laps.get(stage, 0.0) + now - self.last
        self.last = now


def reusable(previous: Path, path: Path, key: str, known: PlanOutput | None = None) -> PlanOutput | None:
    """The plan's summary in the previous build folder if its key is unchanged (same bytes,
    same name, same code, ontology, shapes and registries): ``known`` (from the ledger) or,
    without one, read from its own file. Its files are not linked here (``ReusedFiles``)."""
    try:
        if known is not None:
            output = known
        else:
            summary = plan_files_of(path.stem)[-1]
            output = PlanOutput.from_json((previous / summary).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if output.key != key or output.file != path.name:
        return None
    return output


class ReusedFiles:
    """A reused plan's files, to be hard-linked from the previous build folder into ``out``.
    ``originals``: the names in the previous ``originals/`` folder, listed once (else each
    plan's original is tried)."""

    __slots__ = ("original", "source", "stem", "target")

    def __init__(self, previous: Path, out: Path, path: Path, originals: Container[str] | None = None) -> None:
        # paths as strings: thousands of plans are linked on every build, and pathlib's joins
        # cost more than the links themselves
        self.source, self.target, self.stem = os.fspath(previous), os.fspath(out), path.stem
        listed = originals is None or path.name in originals
        self.original = f"{ORIGINALS_DIR}/{path.name}" if listed else None

    def names(self) -> tuple[str, ...]:
        return (*plan_files_of(self.stem), *rows_files_of(self.stem))

    def link(self) -> bool:
        """Link them all; a plan whose files are not all there is built again, and its links
        made so far are removed (a write to one would change the previous folder's file)."""
        source, target = self.source, self.target
        linked: list[str] = []
        try:
            for name in self.names():
                link_or_copy(f"{source}/{name}", f"{target}/{name}")
                linked.append(name)
        except OSError:
            for name in linked:
                Path(target, name).unlink(missing_ok=True)
            return False
        if self.original is not None:
            try:  # a plan file that is not plain text was kept as given
                link_or_copy(f"{source}/{self.original}", f"{target}/{self.original}")
            except FileNotFoundError:
                pass
        return True

    def unlink(self) -> None:
        """Remove whatever of them was linked (before the plan is built in their place)."""
        for name in (*self.names(), *([self.original] if self.original else [])):
            Path(self.target, name).unlink(missing_ok=True)


def registry_outputs(out: Path, bench: Workbench, code: str) -> RegistryState:
    """The registries' graph and their own inferences, written once, and their validation
    (kept under the code fingerprint ``code``: ``state.reuse_registry``)."""
    inferred = bench.reasoner.registry_inferences()
    (out / REGISTRY).write_bytes(turtle_bytes(bench.registry_graph))
    (out / REGISTRY_INFERRED).write_bytes(turtle_bytes(inferred))
    report = validate_graph(bench.validation_context, bench.shapes)
    counts = Counts.of(bench.registry_graph, inferred)
    return RegistryState(code, len(bench.registry_graph), len(inferred), counts, report)
