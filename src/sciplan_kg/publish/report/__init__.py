"""HTML reports of a build, to browse offline (file://, no server, nothing fetched from the network):

- ``index.html``: the plans, the corpus charts (each saying what one unit is), every catalogue
  query with its answer as CSV (``csv/<query>.csv``), links to the rest;
- ``explorer.html``: every task of every plan by facet (plan, level, measure, agency, agency
  type, role, target group, numeric target) and full-text search; its data is one small script
  per plan (``data/plans/``), loaded only when needed (see ``explorer.py``);
- ``plans/<stem>.html``: a plan's facts, chain of directives, measures and tasks with their lead
  and supporting agencies in the text's order, stated or inherited, each task's policy
  instruments, its goals, principles, safeguards and timetable, and a matrix of its agencies;
- ``parents/<stem>.html``: for a plan whose parent plan is in the corpus, each task beside the
  parent's closest one, copied / adapted / new, the differences marked (see ``parents.py``);
- ``sources/<stem>.html``: the plan's text with line numbers, every task and every
  responsibility statement marked, linked both ways (see ``source.py``);
- ``agencies/``: a page per agency and per agency type across plans (see ``agencies.py``);
- ``ontology/``: the ontology's documentation in Chinese and English (``ontodocs.py``).

Everything shown comes from the graph, through the query catalogue and the report's own
queries (``queries/``), and from the build's summaries (manifest, validation); the plan texts
are the copies the build keeps in ``sources/``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rdflib import Graph
from rdflib.namespace import DCTERMS

from sciplan_kg.corpus.description import DATASET, VOID
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline import outputs as folders
from sciplan_kg.pipeline.folder import BuildFolder
from sciplan_kg.publish import ontodocs
from sciplan_kg.publish.report import agencies, charts, data, explorer, figures, parents, source
from sciplan_kg.query import backend, catalogue
from sciplan_kg.query.output import delimited, xlsx_bytes
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.instruments import load_scheme
from sciplan_kg.resolve.safeguards import load_kinds

Row = dict[str, Any]
TEMPLATES = Path(__file__).parent / "templates"
anchor = data.anchor
_anchor = data.anchor  # the name the tests and older callers use


@dataclass
class ReportResult:
    out: Path
    plans: int
    pages: int
    charts: list[charts.Chart]


@dataclass
class QueryFiles:
    name: str
    summary_zh: str
    summary_en: str
    rows: int | str
    files: list[tuple[str, str]]


def write_report(build: Path | str, out: Path | str) -> ReportResult:
    """Write the report of the build folder ``build`` into ``out`` (replaced whole, atomically)."""
    build, out = Path(build), Path(out)
    folder = BuildFolder.open(build)
    folders.check_output(out, folders.REPORT, [build])
    manifest = folder.manifest
    validation = folder.read_json("validation.json")
    corpus = data.read_corpus(build, manifest)
    with folders.lock(out):
        folders.remove_stale_temporaries(out)
        return _write(build, out, corpus, manifest, validation)


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("sciplan_kg.publish.report", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _write(build: Path, out: Path, corpus: data.Corpus, manifest: dict[str, Any], validation: Any) -> ReportResult:
    tmp = folders.new_temporary(out)
    try:
        env = _env()
        for name in ("style.css", "explorer.js"):
            shutil.copyfile(TEMPLATES / name, tmp / name)
        answers = _catalogue_files(build, tmp / "csv")
        figs = figures.corpus_figures(corpus, {q: rows for q, (rows, _) in answers.items()}, tmp / "charts")
        for sub in ("plans", "sources", "agencies"):
            (tmp / sub).mkdir()
        compared = parents.sections(
            corpus,
            answers.get("parent-task-match", ([], None))[0],
            answers.get("parent-diffusion", ([], None))[0],
        )
        kids = parents.children(compared)
        problems: dict[str, list[Row]] = defaultdict(list)
        for r in validation["results"]:
            if r["severity"] != "Info":
                problems[r["source"].split(":", 1)[0]].append(r)
        by_plan: dict[str, list[Row]] = defaultdict(list)
        for t in corpus.targets:
            if not t["task"]:
                by_plan[str(t["plan"])].append(t)
        pages = 1
        kind_names = safeguard_kinds()
        instrument_names = _instrument_names()
        for p in corpus.plans:
            page = env.get_template("plan.html").render(
                plan=p,
                root="../",
                source_page=f"sources/{p.stem}.html",
                chain=sorted(corpus.chains.get(p.iri, []), key=lambda r: -int(r["levelRank"] or 0)),
                problems=problems.get(p.file, []),
                plan_targets=by_plan.get(p.iri, []),
                roles=_task_roles(corpus, p),
                measure_roles=_measure_roles(corpus, p),
                matrix=figures.plan_matrix(corpus, p) if p.tasks else None,
                principles=[r for r in corpus.outline.get(p.iri, []) if r["kind"] == "principle"],
                goals=[r for r in corpus.outline.get(p.iri, []) if r["kind"] != "principle"],
                safeguards=corpus.safeguards.get(p.iri, []),
                phases=corpus.phases.get(p.iri, []),
                kind_names=kind_names,
                instrument_names=instrument_names,
                compared=compared.get(p.iri, []),
                children=[corpus.plan_of(c) for c in kids.get(p.iri, [])],
            )
            (tmp / "plans" / f"{p.stem}.html").write_text(page, encoding="utf-8")
            if p.iri in compared:
                (tmp / "parents").mkdir(exist_ok=True)
                html = env.get_template("parents.html").render(plan=p, sections=compared[p.iri], root="../")
                (tmp / "parents" / f"{p.stem}.html").write_text(html, encoding="utf-8")
                pages += 1
            (tmp / "sources" / f"{p.stem}.html").write_text(_source_page(build, corpus, p), encoding="utf-8")
            pages += 2
        agency_pages, type_pages = agencies.pages(corpus)
        (tmp / "agencies" / "index.html").write_text(
            env.get_template("agencies.html").render(agencies=agency_pages, types=type_pages, root="../"),
            encoding="utf-8",
        )
        for pg, is_type in [*((a, False) for a in agency_pages), *((t, True) for t in type_pages)]:
            html = env.get_template("agency.html").render(page=pg, is_type=is_type, names=corpus.names, root="../")
            (tmp / "agencies" / pg.file).write_text(html, encoding="utf-8")
        pages += 1 + len(agency_pages) + len(type_pages)
        explorer.write_explorer_data(corpus, tmp / "data")
        (tmp / "explorer.html").write_text(
            env.get_template("explorer.html").render(plans=len(corpus.plans), root=""), encoding="utf-8"
        )
        ontodocs.write_docs(tmp / "ontology", home="../index.html")
        index = env.get_template("index.html").render(
            plans=corpus.plans,
            problems={p.iri: problems.get(p.file, []) for p in corpus.plans},
            charts=figs,
            queries=[files for _, files in answers.values()],
            manifest=manifest,
            validation=validation,
            dataset=_dataset_facts(build),
            safeguard_table=safeguard_table(corpus),
            compared=set(compared),
            root="",
        )
        (tmp / "index.html").write_text(index, encoding="utf-8")
        pages += 2
        for f in tmp.rglob("*"):
            os.chmod(f, 0o755 if f.is_dir() else 0o644)
        os.chmod(tmp, 0o755)
        folders.swap_in(tmp, out, folders.REPORT)
    except BaseException:
        folders.discard(tmp)
        raise
    return ReportResult(out, len(corpus.plans), pages, figs)


def safeguard_kinds() -> dict[str, tuple[str, str]]:
    """The safeguard kinds' names (zh, en) in the order of their rule file,
    ``data/registry/safeguards.toml`` (the kinds the graph's commitments carry)."""
    return {k.key: (k.zh, k.en) for k in load_kinds()}


def _instrument_names() -> dict[str, tuple[str, str, str, str, str]]:
    """Each policy instrument's (zh, en, group zh, group en, group key), from the scheme file."""
    scheme = load_scheme()
    groups = {g.key: g for g in scheme.groups}
    return {i.key: (i.zh, i.en, groups[i.group].zh, groups[i.group].en, i.group) for i in scheme.instruments}


@dataclass
class SafeguardTable:
    """Plans × safeguard kinds: how many commitments of each kind each plan states (a commitment
    of several kinds counts under each)."""

    kinds: list[tuple[str, str, str]]  # (key, zh, en) of the kinds any plan uses, in scheme order
    rows: list[tuple[data.Plan, list[int], int]]  # plan, count per kind, commitments in all
    totals: list[int]
    plans_with: list[int]  # how many plans state at least one commitment of the kind


def safeguard_table(corpus: data.Corpus) -> SafeguardTable:
    counts: dict[str, dict[str, int]] = {}
    for p in corpus.plans:
        c: dict[str, int] = defaultdict(int)
        for r in corpus.safeguards.get(p.iri, []):
            for kind in str(r["kinds"] or "").split("; "):
                if kind:
                    c[kind] += 1
        counts[p.iri] = c
    used = {k for c in counts.values() for k in c}
    names = safeguard_kinds()
    order = [k for k in names if k in used] + sorted(used - set(names))
    kinds = [(k, *names.get(k, (k, k))) for k in order]
    rows = [(p, [counts[p.iri].get(k, 0) for k in order], len(corpus.safeguards.get(p.iri, []))) for p in corpus.plans]
    return SafeguardTable(
        kinds,
        rows,
        [sum(r[1][i] for r in rows) for i in range(len(order))],
        [sum(1 for r in rows if r[1][i]) for i in range(len(order))],
    )


def _catalogue_files(build: Path, folder: Path) -> dict[str, tuple[list[Row], QueryFiles]]:
    """Every catalogue query at its default parameters, written as CSV and XLSX (full IRIs)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[list[Row], QueryFiles]] = {}
    with closing(backend(build)) as b:  # the DuckDB connection closed now (query.run_query says why)
        for name, q in sorted(catalogue().items()):
            try:
                result = b.run(q, {}, None)
            except QueryError as exc:
                out[name] = ([], QueryFiles(name, q.summary_zh, q.summary_en, f"—（{exc}）", []))
                continue
            (folder / f"{name}.csv").write_text(delimited(result, ","), encoding="utf-8")
            (folder / f"{name}.xlsx").write_bytes(_stable_xlsx(xlsx_bytes(result, name)))
            files = [("CSV", f"csv/{name}.csv"), ("XLSX", f"csv/{name}.xlsx")]
            out[name] = (result.rows, QueryFiles(name, q.summary_zh, q.summary_en, len(result.rows), files))
    return out


def _stable_xlsx(data: bytes) -> bytes:
    """The workbook with no date in it (zip entry times, created/modified), so that the same
    build gives the same report bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


@dataclass
class Named:
    key: str
    name: str
    role: str
    stated: bool
    mention: str


def _mentions(p: data.Plan) -> dict[tuple[str, str, str], str]:
    return {(m.item, m.agency, m.role): source.mention_id(m.iri) for m in p.mentions if m.start is not None}


def _task_roles(corpus: data.Corpus, p: data.Plan) -> dict[str, dict[str, list[Named]]]:
    ids = _mentions(p)
    out: dict[str, dict[str, list[Named]]] = {}
    for t in p.tasks:
        roles: dict[str, list[Named]] = {"lead": [], "support": []}
        for r in t.roles:
            a = corpus.agencies.get(r.agency)
            if a is None:
                continue
            mention = ids.get((t.iri if r.stated else t.measure, r.agency, r.role), "")
            roles[r.role].append(Named(a.key, a.name, r.role, r.stated, mention))
        out[t.iri] = roles
    return out


def _measure_roles(corpus: data.Corpus, p: data.Plan) -> dict[str, list[Named]]:
    out: dict[str, list[Named]] = {m.iri: [] for m in p.measures}
    for s in p.mentions:
        a = corpus.agencies.get(s.agency)
        if s.item in out and a is not None:
            mention = source.mention_id(s.iri) if s.start is not None else ""
            out[s.item].append(Named(a.key, a.name, s.role, True, mention))
    return out


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


def _source_page(build: Path, corpus: data.Corpus, p: data.Plan) -> str:
    """The plan's text, numbered and marked (``source.render``), in the report's frame."""
    import html

    text = read_plan_text(build / "sources" / f"{p.stem}.txt").raw
    title = html.escape(str(p.facts.get("title") or p.file))
    body = source.render(text, source.spans(corpus, p))
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<title>原文 Source — {title}</title>\n<link rel="stylesheet" href="../style.css">\n</head>\n<body>\n'
        f'<nav><a href="../index.html">全部方案 All plans</a> › '
        f'<a href="../plans/{p.stem}.html">{title}</a> › 原文 source'
        ' <span class="links">· <a href="../explorer.html">任务浏览 Explorer</a> · '
        '<a href="../agencies/index.html">部门 Agencies</a></span></nav>\n'
        f"<main>\n<h1>{title}</h1>\n"
        f'<p class="meta">{html.escape(p.file)} · sha256 {p.summary["sha256"]}</p>\n'
        '<p class="legend meta"><mark class="task t0 first">任务 task</mark> '
        '<mark class="task t1 first">相邻任务 next task</mark> '
        '<span class="measure">举措标题 measure title</span> <a class="resp lead">牵头 lead</a> '
        '<a class="resp support">配合 support</a> — 任务前的标号链接到方案页的任务，部门名链接到部门页 / '
        "a task's badge "
        "opens the task on the plan's page, an agency's name its page across plans</p>\n"
        f'<pre class="source">{body}</pre>\n</main>\n</body>\n</html>\n'
    )
