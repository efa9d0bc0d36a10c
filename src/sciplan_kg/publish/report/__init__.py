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

import itertools
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from rdflib import Graph
from rdflib.namespace import DCTERMS

from sciplan_kg.corpus.description import DATASET, VOID
from sciplan_kg.errors import InputError, QueryError
from sciplan_kg.pipeline import outputs as folders
from sciplan_kg.pipeline.folder import BuildFolder
from sciplan_kg.publish import ontodocs
from sciplan_kg.publish.report import agencies, answers, charts, data, explorer, figures, parents, source
from sciplan_kg.rdf.namespaces import SK
from sciplan_kg.read.text import read_plan_text
from sciplan_kg.resolve.instruments import load_scheme
from sciplan_kg.resolve.safeguards import load_kinds
from sciplan_kg.workers import share_work

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


# processes when none are asked for: each comes to hold up to a gigabyte at 3,000 plans (an
# answer's rows, or its own copy of the corpus as it reads it), so not one per core
DEFAULT_JOBS = 2


def write_report(build: Path | str, out: Path | str, jobs: int | None = None) -> ReportResult:
    """Write the report of the build folder ``build`` into ``out`` (replaced whole, atomically).
    The catalogue's answers are written by ``jobs`` worker processes (default ``DEFAULT_JOBS``,
    or one on one core) while this one reads the corpus, and the pages are shared with
    ``jobs - 1`` forked ones (``answers.py``, ``_pages``); ``jobs=1``: all in this process,
    slower and in less memory."""
    build, out = Path(build), Path(out)
    folder = BuildFolder.open(build)
    folders.check_output(out, folders.REPORT, [build])
    manifest = folder.manifest
    validation = folder.read_json("validation.json")
    results = validation.get("results") if isinstance(validation, dict) else None
    if not isinstance(results, list) or not all(
        isinstance(r, dict) and isinstance(r.get("severity"), str) and isinstance(r.get("source"), str) for r in results
    ):
        raise InputError(folder.path / "validation.json", "不是验证报告，请重新构建 / not a validation report: rebuild")
    read_from = _identity(build / folders.MARKER)
    with folders.lock(out):
        folders.remove_stale_temporaries(out)
        try:
            return _write(build, out, manifest, validation, jobs or min(DEFAULT_JOBS, os.cpu_count() or 1))
        except (InputError, QueryError) as exc:
            if _identity(build / folders.MARKER) != read_from:  # a build swapped a new folder in meanwhile
                raise InputError(
                    build,
                    "生成报告期间构建目录被重新构建，请再运行一次 / the build folder was rebuilt while the report "
                    "read it: run the report again",
                ) from exc
            raise


def _identity(path: Path) -> tuple[int, int, int] | None:
    """A file's inode, size and modification time (None: it is not there): a build folder
    swapped in by a rebuild has a new marker file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _env() -> Environment:
    return Environment(
        loader=PackageLoader("sciplan_kg.publish.report", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _write(build: Path, out: Path, manifest: dict[str, Any], validation: Any, jobs: int) -> ReportResult:
    tmp = folders.new_temporary(out)
    try:
        with answers.AnswerFiles(build, tmp / "csv", KEPT_ROWS, jobs, len(manifest["plans"])) as written:
            result = _pages(build, tmp, manifest, validation, written)
        for f in tmp.rglob("*"):
            os.chmod(f, 0o755 if f.is_dir() else 0o644)
        os.chmod(tmp, 0o755)
        folders.swap_in(tmp, out, folders.REPORT)
    except BaseException:
        folders.discard(tmp)
        raise
    return ReportResult(out, *result)


# the answers whose rows the report uses: the corpus charts' and the parent pages'
KEPT_ROWS = set(figures.DRAWN) | set(parents.COMPARED)


@dataclass
class _Shared:
    """What every part of the report reads (``_part``): reaches the worker processes by the fork."""

    build: Path
    tmp: Path
    corpus: data.Corpus
    compared: dict[str, list[parents.ParentSection]]
    kids: dict[str, list[str]]
    problems: dict[str, list[Row]]
    by_plan: dict[str, list[Row]]
    env: Environment


PLAN_CHUNKS = 16  # parts the plans' pages are cut into, for the workers to share


def _pages(
    build: Path, tmp: Path, manifest: dict[str, Any], validation: Any, written: answers.AnswerFiles
) -> tuple[int, int, list[charts.Chart]]:
    """Every page and chart of the report into ``tmp``; the answers' files are written
    meanwhile by ``written``. Once the corpus is read, this process draws the charts and writes
    the agencies' pages; then, once the answers are written, the plans' pages (in
    ``PLAN_CHUNKS`` parts), the explorer's data and the ontology's pages are shared between it
    and ``written.jobs - 1`` processes forked from it (``workers.share_work``), when ``written``
    forks at all (the store and its DuckDB connection are closed by then). Returns the plans,
    pages and charts."""
    env = _env()
    for name in ("style.css", "explorer.js"):
        shutil.copyfile(TEMPLATES / name, tmp / name)
    if not written.forking:  # in this process: every answer before the corpus is held, not beside it
        written.files()
    corpus = data.read_corpus(build, manifest)
    for sub in ("plans", "sources", "agencies"):
        (tmp / sub).mkdir()
    compared = parents.sections(corpus, *(written.rows(q) for q in parents.COMPARED))
    if compared:
        (tmp / "parents").mkdir()
    problems: dict[str, list[Row]] = defaultdict(list)
    for r in validation["results"]:
        if r["severity"] != "Info":
            problems[r["source"].split(":", 1)[0]].append(r)
    by_plan: dict[str, list[Row]] = defaultdict(list)
    for t in corpus.targets:
        if not t["task"]:
            by_plan[str(t["plan"])].append(t)
    shared = _Shared(build, tmp, corpus, compared, parents.children(compared), problems, by_plan, env)
    n = len(corpus.plans)
    cuts = sorted({round(i * n / PLAN_CHUNKS) for i in range(PLAN_CHUNKS + 1)})
    parts: list[tuple[str, int, int]] = [("plans", a, b) for a, b in itertools.pairwise(cuts) if b > a]
    parts += [("ontology", 0, 0), ("explorer", 0, 0)]

    figs = figures.corpus_figures(corpus, {q: written.rows(q) for q in figures.DRAWN}, tmp / "charts")
    agency_pages = _agency_pages(shared)
    if written.forking:
        # the pages' child only once the answers' processes are done: each holds up to 1 GB at
        # 3,000 plans, and the child comes to hold its own copy of the corpus as it reads it
        written.files()
        share_work(lambda part: _part(part, shared), parts, written.jobs, lambda: None)
    else:
        for part in parts:
            _part(part, shared)
    # the index, the explorer, the ontology's index, each plan's page and source page, the parents' pages
    pages = 3 + 2 * n + len(compared) + agency_pages
    index = env.get_template("index.html").render(
        plans=corpus.plans,
        problems={p.iri: problems.get(p.file, []) for p in corpus.plans},
        charts=figs,
        queries=written.files(),
        manifest=manifest,
        validation=validation,
        dataset=_dataset_facts(build),
        safeguard_table=safeguard_table(corpus),
        compared=set(compared),
        root="",
    )
    (tmp / "index.html").write_text(index, encoding="utf-8")
    return n, pages, figs


def _agency_pages(s: _Shared) -> int:
    """The agencies' index and a page per agency and per agency type; returns how many."""
    agency_pages, type_pages = agencies.pages(s.corpus)
    (s.tmp / "agencies" / "index.html").write_text(
        s.env.get_template("agencies.html").render(agencies=agency_pages, types=type_pages, root="../"),
        encoding="utf-8",
    )
    for pg, is_type in [*((a, False) for a in agency_pages), *((t, True) for t in type_pages)]:
        html = s.env.get_template("agency.html").render(page=pg, is_type=is_type, names=s.corpus.names, root="../")
        (s.tmp / "agencies" / pg.file).write_text(html, encoding="utf-8")
    return 1 + len(agency_pages) + len(type_pages)


def _part(part: tuple[str, int, int], s: _Shared) -> None:
    """One part of the report's pages written: the ontology's, the explorer's, or the pages of
    the plans ``start`` to ``end`` (each plan's page, its source page, its parents' page)."""
    kind, start, end = part
    corpus, tmp, env = s.corpus, s.tmp, s.env
    if kind == "ontology":
        ontodocs.write_docs(tmp / "ontology", home="../index.html")
        return
    if kind == "explorer":
        explorer.write_explorer_data(corpus, tmp / "data")
        (tmp / "explorer.html").write_text(
            env.get_template("explorer.html").render(plans=len(corpus.plans), root=""), encoding="utf-8"
        )
        return
    kind_names = safeguard_kinds()
    instrument_names = _instrument_names()
    for p in corpus.plans[start:end]:
        page = env.get_template("plan.html").render(
            plan=p,
            root="../",
            source_page=f"sources/{p.stem}.html",
            chain=sorted(corpus.chains.get(p.iri, []), key=lambda r: -int(r["levelRank"] or 0)),
            problems=s.problems.get(p.file, []),
            plan_targets=s.by_plan.get(p.iri, []),
            roles=_task_roles(corpus, p),
            measure_roles=_measure_roles(corpus, p),
            matrix=figures.plan_matrix(corpus, p) if p.tasks else None,
            principles=[r for r in corpus.outline.get(p.iri, []) if r["kind"] == "principle"],
            goals=[r for r in corpus.outline.get(p.iri, []) if r["kind"] != "principle"],
            safeguards=corpus.safeguards.get(p.iri, []),
            phases=corpus.phases.get(p.iri, []),
            kind_names=kind_names,
            instrument_names=instrument_names,
            compared=s.compared.get(p.iri, []),
            children=[corpus.plan_of(c) for c in s.kids.get(p.iri, [])],
        )
        (tmp / "plans" / f"{p.stem}.html").write_text(page, encoding="utf-8")
        if p.iri in s.compared:
            html = env.get_template("parents.html").render(plan=p, sections=s.compared[p.iri], root="../")
            (tmp / "parents" / f"{p.stem}.html").write_text(html, encoding="utf-8")
        (tmp / "sources" / f"{p.stem}.html").write_text(_source_page(s.build, corpus, p), encoding="utf-8")


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
