"""HTML reports of a build: an index of the plans with the corpus charts, one page per plan
(header facts, the chain of directives, each measure with its tasks, lead and supporting
agencies and targets), and each plan's text with every task's sentence marked, so a task links
to the words it came from. Pages are static and work offline: no scripts, no CDN; charts are
PNG and SVG files beside them.

Everything shown comes from the graph through the query catalogue (``plans``, ``tasks``,
``targets``, ``sources``, ``directive-chain``, ``lead-load-by-type``, ``co-responsibility``,
``literacy-ambition``) and from the build's summaries (manifest, validation); the plan texts
are the copies the build keeps in ``sources/``.
"""

from __future__ import annotations

import html
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rdflib import Graph
from rdflib.namespace import DCTERMS

from sciplan_kg.corpus.description import DATASET, VOID
from sciplan_kg.pipeline import outputs as folders
from sciplan_kg.pipeline.folder import BuildFolder
from sciplan_kg.publish.report import charts
from sciplan_kg.query import run_query
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.registry import load_registry

Row = dict[str, Any]
_KIND = {"action": ("提升行动", "action"), "project": ("重点工程", "project")}


@dataclass
class Task:
    iri: str
    no: int
    text: str
    leads: str
    lead_stated: bool
    supports: str
    targets: list[Row]
    line: int | None
    start: int | None  # character offsets of the task in the plan text
    end: int | None
    anchor: str


@dataclass
class Measure:
    kind: str
    no: int
    title: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def kind_zh(self) -> str:
        return _KIND.get(self.kind, (self.kind, self.kind))[0]

    @property
    def kind_en(self) -> str:
        return _KIND.get(self.kind, (self.kind, self.kind))[1]


@dataclass
class PlanPage:
    iri: str
    page: str
    source_page: str
    facts: Row
    summary: Row
    chain: list[Row]
    measures: list[Measure]
    plan_targets: list[Row]
    problems: list[Row]
    edges: list[Row]  # co-responsibility: agencies named on the same tasks
    network: charts.Chart | None = None


@dataclass
class ReportResult:
    out: Path
    plans: int
    pages: int
    charts: list[charts.Chart]


def write_report(build: Path, out: Path) -> ReportResult:
    """Write the report of the build folder ``build`` into ``out`` (replaced whole, atomically)."""
    folder = BuildFolder.open(build)
    folders.check_output(out, folders.REPORT, [build])
    manifest = folder.manifest
    validation = folder.read_json("validation.json")
    pages = _plan_pages(build, manifest, validation)
    with folders.lock(out):
        folders.remove_stale_temporaries(out)
        return _write(build, out, pages, manifest, validation)


def _write(build: Path, out: Path, pages: list[PlanPage], manifest: dict[str, Any], validation: Any) -> ReportResult:
    tmp = folders.new_temporary(out)
    try:
        env = Environment(
            loader=PackageLoader("sciplan_kg.publish.report", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        shutil.copyfile(Path(__file__).parent / "templates" / "style.css", tmp / "style.css")
        places = {p.iri: str(p.facts.get("place") or p.facts.get("title") or p.iri) for p in pages}
        figures = _corpus_charts(build, places, tmp / "charts")
        (tmp / "plans").mkdir()
        (tmp / "sources").mkdir()
        for p in pages:
            edges = [(str(r["sourceName"]), str(r["targetName"]), int(r["weight"])) for r in p.edges]
            p.network = charts.network(
                edges, tmp / "charts", f"network-{_stem(p)}", f"{places[p.iri]} 协同网络 / co-responsibility"
            )
            (tmp / p.page).write_text(env.get_template("plan.html").render(plan=p, root="../"), encoding="utf-8")
            (tmp / p.source_page).write_text(_source_page(build, p), encoding="utf-8")
        dataset = _dataset_facts(build)
        index = env.get_template("index.html").render(
            plans=pages, charts=figures, manifest=manifest, validation=validation, dataset=dataset, root=""
        )
        (tmp / "index.html").write_text(index, encoding="utf-8")
        for f in tmp.rglob("*"):
            os.chmod(f, 0o755 if f.is_dir() else 0o644)
        os.chmod(tmp, 0o755)
        folders.swap_in(tmp, out, folders.REPORT)
    except BaseException:
        folders.discard(tmp)
        raise
    return ReportResult(out, len(pages), 1 + 2 * len(pages), figures)


def _stem(p: PlanPage) -> str:
    return Path(p.page).stem


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[str(r[key])].append(r)
    return out


def _plan_pages(build: Path, manifest: dict[str, Any], validation: dict[str, Any]) -> list[PlanPage]:
    plans = {str(r["plan"]): r for r in run_query("plans", build).rows}
    tasks = _by(run_query("tasks", build).rows, "plan")
    chains = _by(run_query("directive-chain", build).rows, "plan")
    targets = run_query("targets", build).rows
    sources = {str(r["task"]): r for r in run_query("sources", build).rows}
    edges = _by(run_query("co-responsibility", build).rows, "plan")
    task_targets = _by([t for t in targets if t["task"]], "task")
    plan_targets = _by([t for t in targets if not t["task"]], "plan")
    problems = defaultdict(list)
    for r in validation["results"]:
        if r["severity"] != "Info":
            problems[r["source"].split(":", 1)[0]].append(r)
    pages = []
    for entry in manifest["plans"]:
        iri, stem = entry["plan"], Path(entry["file"]).stem
        measures: dict[tuple[str, int], Measure] = {}
        for r in tasks.get(iri, []):
            m = measures.setdefault(
                (r["measureKind"], r["measureNo"]), Measure(r["measureKind"], r["measureNo"], r["measure"])
            )
            src = sources.get(str(r["task"]), {})
            m.tasks.append(
                Task(
                    iri=str(r["task"]),
                    no=int(r["taskNo"]),
                    text=str(r["text"]),
                    leads=str(r["leadAgencies"] or ""),
                    lead_stated=bool(r["leadStated"]),
                    supports=str(r["supportAgencies"] or ""),
                    targets=task_targets.get(str(r["task"]), []),
                    line=src.get("line"),
                    start=src.get("start"),
                    end=src.get("end"),
                    anchor=_anchor(str(r["task"])),
                )
            )
        ordered = sorted(measures.values(), key=lambda m: (m.kind != "action", m.no))
        pages.append(
            PlanPage(
                iri=iri,
                page=f"plans/{stem}.html",
                source_page=f"sources/{stem}.html",
                facts=plans.get(iri, {"title": entry["title"], "source": entry["file"]}),
                summary=entry,
                chain=sorted(chains.get(iri, []), key=lambda r: -int(r["levelRank"] or 0)),
                measures=ordered,
                plan_targets=plan_targets.get(iri, []),
                problems=problems.get(entry["file"], []),
                edges=edges.get(iri, []),
            )
        )
    return pages


def _anchor(task_iri: str) -> str:
    """A fragment id for a task: its path below the plan (action-1-task-2)."""
    tail = task_iri.split("/plan/", 1)[-1].split("/", 1)[-1]
    return tail.replace("/", "-")


def _corpus_charts(build: Path, places: dict[str, str], folder: Path) -> list[charts.Chart]:
    figures = [
        charts.lead_load(run_query("lead-load-by-type", build).rows, places, folder),
        charts.literacy_targets(run_query("literacy-ambition", build).rows, places, folder),
    ]
    # the corpus network: agencies of the same registry entry are one node across plans
    names = {a.key: a.zh.replace("{L}", "") for a in load_registry().agencies}
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for r in run_query("co-responsibility", build).rows:
        a, b = (
            names.get(str(x).rsplit("/", 1)[-1], str(n))
            for x, n in ((r["source"], r["sourceName"]), (r["target"], r["targetName"]))
        )
        if a != b:
            weights[(min(a, b), max(a, b))] += int(r["weight"])
    edges = [(a, b, w) for (a, b), w in weights.items()]
    edges = sorted(edges, key=lambda e: (-e[2], e))[:120]  # the strongest ties: a readable picture
    figures.append(
        charts.network(
            edges, folder, "co-responsibility", "部门协同网络（各方案合计）/ Co-responsibility network, all plans"
        )
    )
    return figures


def _dataset_facts(build: Path) -> Row:
    """Counts from the build's VoID description, for the index."""
    f = build / "graph" / "dataset.ttl"
    if not f.is_file():
        return {}
    g = Graph().parse(f)
    labels = {
        str(g.value(part, DCTERMS.language)): float(g.value(part, SK.coverage) or 0)
        for part in g.objects(DATASET, VOID.propertyPartition)
    }
    return {
        "triples": int(g.value(DATASET, VOID.triples) or 0),
        "entities": int(g.value(DATASET, VOID.entities) or 0),
        "links": int(g.value(DATASET, SK.similarityLinks) or 0),
        "license": str(g.value(DATASET, DCTERMS.license) or ""),
        "labels": dict(sorted(labels.items())),
    }


def _source_page(build: Path, p: PlanPage) -> str:
    """The plan's text, line by line (ids L1, L2, …), each task's sentence marked (id = the
    task's anchor), so a task links to the words it came from."""
    file = build / "sources" / f"{_stem(p)}.txt"
    text = read_plan_text(file).raw
    spans = []
    for m in p.measures:
        for t in m.tasks:
            if t.start is not None and t.end is not None:
                spans.append((int(t.start), int(t.end), t.anchor))
    spans.sort()
    marks: dict[int, list[str]] = defaultdict(list)
    last_end = -1
    for start, end, anchor in spans:
        if start < last_end:
            continue  # overlapping spans: the first keeps its mark
        marks[start].append(f'<mark id="{anchor}">')
        marks[end].insert(0, "</mark>")
        last_end = end
    out = []
    line = 1
    out.append(f'<span class="line" id="L{line}"></span>')
    for i, ch in enumerate(text):
        out.extend(marks.get(i, ()))
        if ch == "\n":
            line += 1
            out.append(f'\n<span class="line" id="L{line}"></span>')
        else:
            out.append(html.escape(ch))
    out.extend(marks.get(len(text), ()))
    title = html.escape(str(p.facts.get("title") or p.summary["file"]))
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<title>原文 Source — {title}</title>\n<link rel="stylesheet" href="../style.css">\n</head>\n<body>\n'
        f'<nav><a href="../index.html">全部方案 All plans</a> › <a href="../{p.page}">{title}</a> › 原文 source</nav>\n'
        f"<main>\n<h1>{title}</h1>\n"
        f'<p class="meta">{html.escape(p.summary["file"])} · sha256 {p.summary["sha256"]}</p>\n'
        f'<pre class="source">{"".join(out)}</pre>\n</main>\n</body>\n</html>\n'
    )
