"""Where a query runs: Oxigraph embedded (pyoxigraph, the default, fast on large corpora),
rdflib in memory, or any SPARQL 1.1 endpoint (the SPARQL protocol over urllib, ``query/remote.py``).
All three take the same catalogue query and parameters and return the same rows. The embedded
two refuse ``SERVICE`` (``run.local_prepare``); on an endpoint the user named, it is the
server's business.

Parameters are RDF terms. rdflib and Oxigraph bind them natively (initBindings,
substitutions). A remote endpoint has no binding API, so the terms are sent as a ``VALUES``
block at the top of the outer WHERE, each term serialised and escaped as an RDF term
(``term.n3()``): a value carrying quotes or SPARQL syntax stays one literal or one IRI.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from sciplan_kg.errors import QueryError
from sciplan_kg.query.catalogue import CatalogueQuery
from sciplan_kg.query.run import (
    QueryResult,
    Value,
    ask_result,
    bindings,
    finish,
    graph_result,
    local_prepare,
    prepare,
    python_value,
    query_form,
    service_position,
    text_form,
)
from sciplan_kg.query.run import code_only as _code
from sciplan_kg.rdf.namespaces import ID, SK

SCIPLAN_GRAPHS = "https://w3id.org/sciplan-kg/id/graph/"


class Backend(Protocol):
    def run(self, q: CatalogueQuery, params: dict[str, str], timeout: float | None) -> QueryResult: ...

    def close(self) -> None:
        """Release what the backend holds open (a DuckDB connection: ``frames.FramesBackend``)
        now rather than when it is collected; it opens again if used after."""


@contextmanager
def deadline(seconds: float | None, name: str) -> Iterator[None]:
    """Stop a long local query after ``seconds`` (in the main thread, where signals work)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise QueryError(name, f"查询超时（{seconds:g} 秒）/ the query took longer than {seconds:g} s and was stopped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class RdflibBackend:
    """rdflib's SPARQL engine over an in-memory graph: ``graph``, or the graphs of the build
    folder ``build``, read at the first query that needs them all (minutes at 1,000 plans);
    a query of scope ``plan`` asked for one plan reads only that plan's files and the shared
    ones (``plan_files``), a second or so."""

    def __init__(self, graph: Graph | None = None, build: Path | None = None) -> None:
        if graph is None and build is None:
            raise ValueError("RdflibBackend needs a graph or a build folder")
        self._graph = graph
        self.build = build
        self._scoped: dict[str, Graph] = {}  # the last plan's graph

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from sciplan_kg.pipeline.folder import build_parts
            from sciplan_kg.rdf.parse import load_ontology, parse_files

            assert self.build is not None
            # one graph read into, not a graph per kind copied into a union (a third of the time)
            self._graph = parse_files([f for files in build_parts(self.build).values() for f in files], load_ontology())
        return self._graph

    def knows(self, iri: str, cls: str) -> bool:
        """Whether the build folder is known, without reading its graphs, to hold ``iri`` as a
        thing of ``cls``: a plan its manifest names with its files (``plan_files``). False
        means only "not known this way" (the caller asks the graph)."""
        if self._graph is not None or self.build is None or cls != str(SK.ImplementationPlan):
            return False
        try:
            return plan_files(self.build, iri) is not None
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def _graph_for(self, q: CatalogueQuery, init: dict[Variable, Node]) -> Graph:
        plan = init.get(Variable("plan"))
        if q.scope != "plan" or self.build is None or self._graph is not None or not isinstance(plan, URIRef):
            return self.graph
        if str(plan) not in self._scoped:
            files = plan_files(self.build, str(plan))
            if files is None:
                return self.graph
            from sciplan_kg.rdf.parse import parse_files

            self._scoped = {str(plan): parse_files(files)}
        return self._scoped[str(plan)]

    def close(self) -> None:
        """Nothing held open beyond the object itself."""

    def run(self, q: CatalogueQuery, params: dict[str, str], timeout: float | None = None) -> QueryResult:
        prepared = local_prepare(q)
        init = bindings(q, params)
        form = query_form(prepared)
        graph = self._graph_for(q, init)
        with deadline(timeout, q.name):
            try:
                result = graph.query(prepared, initBindings=init)
                if form == "ASK":
                    return ask_result(bool(result.askAnswer))
                if form in ("CONSTRUCT", "DESCRIBE"):
                    graph = new_result_graph()
                    for triple in result.graph or ():
                        graph.add(triple)
                    return graph_result(form, graph)
                columns = [str(v) for v in result.vars or []]
                rows = [{c: python_value(row[i]) for i, c in enumerate(columns)} for row in result]
            except QueryError:
                raise
            except Exception as exc:
                raise QueryError(q.name, f"查询执行失败 / the query failed: {exc}") from exc
        return finish(q, columns, rows)


def new_result_graph() -> Graph:
    """An empty graph for a CONSTRUCT or DESCRIBE answer, with the project's prefixes bound
    (``output.DISPLAY_PREFIXES``), so that its Turtle reads ``plan:…`` and ``sk:…``."""
    from sciplan_kg.query.output import DISPLAY_PREFIXES

    graph = Graph(bind_namespaces="none")
    for prefix, ns in DISPLAY_PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def parse_graph(data: bytes, fmt: str, form: str, where: str) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer read from ``data`` in the rdflib format ``fmt``; a
    QueryError naming ``where`` when it is not that."""
    graph = new_result_graph()
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:
        raise QueryError(where, f"回答不是 {fmt} RDF / the answer is not {fmt} RDF: {str(exc)[:200]}") from exc
    return graph_result(form, graph)


def _to_oxigraph(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError("parameter", f"不支持的参数类型 / unsupported parameter term {term!r}")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_STRINGS = frozenset({_XSD + "string", _LANG_STRING})
_INTEGERS = frozenset(
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip


def oxigraph_value(term: Any) -> Any:
    """A result term as the plain Python value ``python_value`` gives, without building an
    rdflib term for the common cases (IRIs, strings, integers): on a result of 100,000 rows
    the rdflib detour cost more than the query."""
    kind = type(term)
    if kind is ox.NamedNode:
        return term.value
    if kind is ox.Literal:
        if term.language:  # a language-tagged string
            return term.value
        datatype = term.datatype.value
        if datatype in _STRINGS:
            return term.value
        if datatype in _INTEGERS:
            try:
                return int(term.value)
            except ValueError:
                pass  # ill-formed: as rdflib gives it
    return python_value(_from_oxigraph(term))


_NUMBERS = _INTEGERS | {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def order_key(term: Any) -> tuple[Any, ...]:
    """SPARQL's ORDER BY order of result terms: unbound, blank nodes, IRIs, then literals,
    numbers by value and the others by their text (code point order, as Oxigraph)."""
    if term is None:
        return (0,)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    return _literal_key(term.value, term.datatype.value, term.language or "")


def _literal_key(value: str, datatype: str, language: str) -> tuple[Any, ...]:
    if datatype in _NUMBERS:
        try:
            number = float(value) if datatype in (_XSD + "double", _XSD + "float") else Decimal(value)
            if number == number:  # not NaN
                return (3, 0, number)
        except (ValueError, ArithmeticError):
            pass
    return (3, 1, value, language, datatype)


def json_order_key(binding: tuple[str, str, str, str] | None) -> tuple[Any, ...]:
    """``order_key`` of a term of SPARQL JSON results, given as (type, value, datatype,
    xml:lang): the same order as the embedded store's."""
    if binding is None:
        return (0,)
    kind, value, datatype, language = binding
    if kind == "bnode":
        return (1, value)
    if kind == "uri":
        return (2, value)
    return _literal_key(value, datatype or (_LANG_STRING if language else _XSD + "string"), language)


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CONDITION = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)


def split_order(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """The query without its final ORDER BY and that clause's (variable, descending) keys, when
    the clause ends the query (no LIMIT or OFFSET after it) and orders by variables only;
    otherwise the query and no keys."""
    code = _code(text)
    found = list(_ORDER_BY.finditer(code))
    if not found:
        return text, []
    start = found[-1]
    if code.count("{", 0, start.start()) != code.count("}", 0, start.start()):
        return text, []  # inside a sub-query
    keys, pos = [], start.end()
    while m := _CONDITION.match(code, pos):
        var = m.group(2) or m.group(3)
        keys.append((var, (m.group(1) or "").upper() == "DESC"))
        pos = m.end()
    if not keys or code[pos:].strip():
        return text, []
    return text[: start.start()] + text[pos:], keys


def _cached(function: Any, column: int | None = None) -> Any:
    """``function`` of a term (of the term in ``column`` of a row), computed once per distinct
    term: a listing names the same plans, tasks and agencies on many rows."""
    seen: dict[Any, Any] = {}

    def call(cell: Any) -> Any:
        term = cell if column is None else cell[column]
        try:
            return seen[term]
        except KeyError:
            result = seen[term] = function(term)
            return result

    return call


def _from_oxigraph(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return Literal(str(term))


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """Oxigraph's parse error on one line (it spans several, listing the characters it expected),
    a reason it gives among the expected tokens first (error at 2:1: expected one of "$", …, The
    SELECT contains a variable that is unbound, … → The SELECT contains a variable that is
    unbound (error at 2:1)), cut at ``limit`` characters."""
    text = " ".join(str(exc).split())
    m = re.match(r"(error at \d+:\d+): expected one of (.*)$", text)
    if m:
        reasons = [item for item in m.group(2).split(", ") if re.fullmatch(r"[A-Z][a-z]+(?: [A-Za-z]+){2,}", item)]
        if reasons:
            text = f"{'; '.join(reasons)} ({m.group(1)})"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class OxigraphSyntaxError(QueryError):
    """A query Oxigraph could not parse (``OxigraphBackend.run`` then asks rdflib for its
    message, which names the line and column)."""


def embedded_form(q: CatalogueQuery) -> str:
    """The query's form, and the embedded stores' refusal of ``SERVICE`` (``local_prepare``),
    without parsing the query with rdflib when no ``SERVICE`` keyword can be in it: rdflib
    spends 0.1–0.5 s parsing a catalogue query, more than Oxigraph spends answering one plan.
    A query whose code (strings, IRIs and comments left out, ``\\u`` escapes expanded) holds no
    ``SERVICE`` token holds no SERVICE pattern; one that does is parsed by rdflib, as before.
    A syntax error, or an Update, is then found by Oxigraph and reported in rdflib's words."""
    if service_position(q.text) == (None, None):
        return text_form(q.text)
    return query_form(local_prepare(q))


def _plan_graph(plan: str) -> str | None:
    """The named graph of the plan ``plan`` (``dataset.plan_graph_iri``), or None when ``plan``
    is not a plan IRI."""
    from sciplan_kg.pipeline.dataset import plan_graph_iri
    from sciplan_kg.rdf.namespaces import ID

    return str(plan_graph_iri(URIRef(plan))) if plan.startswith(f"{ID}plan/") else None


def plan_scope(store_dir: Path, plan: str) -> list[Path] | None:
    """The files a query of scope ``plan`` (``CatalogueQuery.scope``) is evaluated on for the
    plan ``plan``, as loaded into the store in ``store_dir`` (``sync.loaded_files``: so they are
    what the store holds): the plan's graph; its own files of the two graphs split by plan (its
    tasks' similarity links; its tasks' matches with its parents' and the identity links of
    every plan); the graphs of its parents in the corpus (their tasks and places, which the
    parent queries read beside the plan's); and every other corpus-wide graph. None when the
    store holds no graph of that plan, or holds similarity links but not in a file of the
    plan's own (a folder built before the files were split).

    Why: over the whole store, Oxigraph reads a plan's rows by joins over every plan's triples
    (a sub-query is evaluated on its own, ``with_values``), 1–7 s for one plan at 1,000 plans
    however the query is written; a store of the plan's few thousand triples is loaded in
    about 0.03 s and answers any query shape, a user's included, in milliseconds. The plan's
    links are its tasks' best matches in the other plans (``local-inventions``) and its tasks'
    matches with its parents' (``parent-task-match``), not the other plans' links: a query that
    reads those is not of scope plan. The other plans' match files are left out too (3,000 of
    them, 70 MB at 3,000 plans: loading them made every plan's query 2.5–3.4 s)."""
    from sciplan_kg.pipeline.dataset import PARENTS_GRAPH, SIMILARITY_GRAPH
    from sciplan_kg.pipeline.folder import PARENTS, parents_file_of, similarity_file_of
    from sciplan_kg.store import sync

    graph = _plan_graph(plan)
    if graph is None:
        return None
    try:
        state = sync.read_state(store_dir)
        if graph not in state or not sync.settled(store_dir, state):
            return None  # another process is syncing: the whole store (its snapshot) answers
        split = {str(SIMILARITY_GRAPH), str(PARENTS_GRAPH)}
        shared = sorted(g for g in state if not g.startswith(_PLAN_GRAPHS) and g not in split)
        files = [f for g in [graph, *shared] for f in sync.loaded_files(store_dir, g)]
        stem = _stem(store_dir, plan)
        if stem is None and split & set(state):
            return None  # its own files of the split graphs cannot be named
        if str(SIMILARITY_GRAPH) in state:
            links = _own_link(store_dir, str(SIMILARITY_GRAPH), similarity_file_of(stem))
            if links is None:
                return None
            files.append(links)
        if str(PARENTS_GRAPH) in state:
            identity = _own_link(store_dir, str(PARENTS_GRAPH), PARENTS)
            if identity is None:
                return None
            matches = _own_link(store_dir, str(PARENTS_GRAPH), parents_file_of(stem))
            files += [identity, *([matches] if matches is not None else [])]
            for parent in parents_named(identity, plan):
                parent_graph = _plan_graph(parent)
                if parent_graph is not None and parent_graph != graph:
                    files += sync.loaded_files(store_dir, parent_graph)
        return files
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        return None  # no readable state, links or manifest: the query is evaluated on the whole store


_PLAN_GRAPHS = f"{ID}graph/plan/"  # the plans' named graphs (dataset.plan_graph_iri)


def parents_named(identity: Path, plan: str) -> list[str]:
    """The plans the identity links in ``identity`` (``graph/parents.ttl``) name as ``plan``'s
    parents in the corpus (``sk:parentPlan``), sorted."""
    subject, predicate = ox.NamedNode(plan), ox.NamedNode(str(SK.parentPlan))
    found = {
        t.object.value
        for t in ox.parse(path=str(identity), format=ox.RdfFormat.TURTLE)
        if t.subject == subject and t.predicate == predicate and isinstance(t.object, ox.NamedNode)
    }
    return sorted(found)


def _stem(store_dir: Path, plan: str) -> str | None:
    """The input file stem of the plan ``plan`` by the build folder's manifest (the names of
    its files in the split graphs), or None when the manifest names it not exactly once."""
    import json

    from sciplan_kg.pipeline.folder import MANIFEST, stem_of

    build = store_dir.with_name(store_dir.name.removesuffix(".oxigraph"))
    entries = json.loads((build / MANIFEST).read_text(encoding="utf-8")).get("plans", [])
    stems = [stem_of(str(e["file"])) for e in entries if isinstance(e, dict) and e.get("plan") == plan]
    return stems[0] if len(stems) == 1 else None


def _own_link(store_dir: Path, graph: str, relative: str) -> Path | None:
    """The store's link (``loaded/``) to the build folder's file ``relative`` of graph
    ``graph``; None when the store holds no such file."""
    from sciplan_kg.store import sync

    build = store_dir.with_name(store_dir.name.removesuffix(".oxigraph"))
    return sync.loaded_file(store_dir, graph, build / relative)


def plan_files(build: Path, plan: str) -> list[Path] | None:
    """``plan_scope`` for a build folder (``dataset.graph_files``): the plan's files, its own
    files of the split graphs, its parents' files and the other shared graphs' files, the
    ontology included; None when the folder holds no such plan, or its similarity links in one
    file (an older build)."""
    from sciplan_kg.pipeline.dataset import PARENTS_GRAPH, SIMILARITY_GRAPH, graph_files
    from sciplan_kg.pipeline.folder import PARENTS, BuildFolder, parents_file_of, similarity_file_of, stem_of

    name = _plan_graph(plan)
    if name is None:
        return None
    files = graph_files(build)
    graph = URIRef(name)
    if graph not in files:
        return None
    shared = sorted(
        g for g in files if not str(g).startswith(_PLAN_GRAPHS) and g not in (SIMILARITY_GRAPH, PARENTS_GRAPH)
    )
    stems = [stem_of(str(e["file"])) for e in BuildFolder.open(build).manifest["plans"] if e.get("plan") == plan]
    links = build / similarity_file_of(stems[0]) if len(stems) == 1 else None
    if links not in files.get(SIMILARITY_GRAPH, []):
        return None
    out = [f for g in [graph, *shared] for f in files[g]] + [links]
    if PARENTS_GRAPH in files:
        identity = build / PARENTS
        matches = build / parents_file_of(stems[0])
        out += [identity, *([matches] if matches in files[PARENTS_GRAPH] else [])]
        for parent in parents_named(identity, plan):
            parent_graph = _plan_graph(parent)
            if parent_graph is not None and URIRef(parent_graph) != graph:
                out += files.get(URIRef(parent_graph), [])
    return out


class OxigraphBackend:
    """Oxigraph embedded through pyoxigraph: the same queries, much faster on a large corpus.
    ``kept``: the folder of a build's store, whose kept answers of the catalogue queries
    (``views.py``) are served when current instead of evaluating the query. ``scope``: that
    folder again, for a query of scope ``plan`` asked for one plan, which is evaluated on a
    store of that plan's graph only (``plan_scope``). ``opened``: the state of that store
    (``sync.state_digest``) when ``store`` was opened, read before opening it (default: now): a
    kept answer is served, and an evaluated one kept, only while the folder is still in that
    state, for ``store`` is a snapshot of it and another process may sync the folder meanwhile
    (an answer of the old snapshot kept under the new state would be served to every later
    process)."""

    def __init__(
        self, store: Any, kept: Path | None = None, scope: Path | None = None, opened: str | None = None
    ) -> None:
        self.store = store
        self.kept = kept
        self.scope = scope
        if kept is not None and opened is None:
            from sciplan_kg.store.sync import state_digest

            opened = state_digest(kept)
        self.opened = opened
        self._scoped: dict[str, Any] = {}  # the last plan's store, for the next query on it

    def current_state(self) -> str | None:
        """The kept answers' folder's state, when it is still the state ``store`` was opened
        in; None when there is none or it changed since (nothing kept is then served or kept)."""
        if self.kept is None:
            return None
        from sciplan_kg.store.sync import state_digest

        state = state_digest(self.kept)
        return state if state is not None and state == self.opened else None

    def _plan_store(self, q: CatalogueQuery, params: dict[str, str]) -> Any | None:
        """The in-memory store of the one plan ``q`` asks for, when ``q`` is of scope ``plan``."""
        if q.scope != "plan" or self.scope is None or "plan" not in params:
            return None
        plan = bindings(q, params).get(Variable("plan"))
        if not isinstance(plan, URIRef):
            return None
        if str(plan) not in self._scoped:
            files = plan_scope(self.scope, str(plan))
            if files is None:
                return None
            store = ox.Store()
            try:
                for f in files:
                    store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
            except (OSError, SyntaxError, ValueError):
                return None  # a file gone or changed under us: evaluated on the whole store
            self._scoped = {str(plan): store}
        return self._scoped[str(plan)]

    @classmethod
    def from_graphs(cls, graphs: dict[URIRef, Graph]) -> OxigraphBackend:
        store = ox.Store()  # all in the default graph, as in the store of a build folder (index.py)
        quads = []
        for g in graphs.values():
            for s, p, o in g:
                quads.append(ox.Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o), ox.DefaultGraph()))
        store.extend(quads)
        return cls(store)

    def close(self) -> None:
        """Nothing held open beyond the object itself."""

    def run(self, q: CatalogueQuery, params: dict[str, str], timeout: float | None = None) -> QueryResult:
        from sciplan_kg.query import kept as views

        state = self.current_state()
        if self.kept is not None and state is not None:
            answer = views.read(self.kept, state, q, params)
            if answer is not None:
                return answer
        scoped = self._plan_store(q, params)
        if scoped is not None:
            return OxigraphBackend(scoped).run(q, params, timeout)
        form = embedded_form(q)  # the same Update and SERVICE refusal as everywhere
        # parameters go in as a VALUES block: pyoxigraph's substitutions accept only projected
        # variables, and a parameter such as ?minTasks is used in a FILTER
        text = with_values(q.text, bindings(q, params), q.name)
        try:
            if form != "SELECT":
                answer = (
                    self._run_with_deadline(q.name, text, timeout, form) if timeout else self._other(q.name, text, form)
                )
                if form == "ASK":
                    return ask_result(bool(answer))
                return parse_graph(answer, "nt", form, q.name)
            columns, rows = self._select(q, params, text, timeout)
        except OxigraphSyntaxError:
            prepare(q)  # rdflib's message names the line and column, and refuses an Update
            raise  # a query rdflib reads and Oxigraph does not: Oxigraph's message
        result = finish(q, columns, rows)
        if self.kept is not None and state is not None:
            views.keep(self.kept, state, q, params, result)
        return result

    def _select(
        self, q: CatalogueQuery, params: dict[str, str], text: str, timeout: float | None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """A SELECT query's columns and rows (``text``: with its parameters bound)."""
        if timeout:
            columns, rows = self._run_with_deadline(q.name, text, timeout)
            return columns, rows
        return self._rows(q.name, text)

    def _rows(self, name: str, text: str) -> tuple[list[str], list[dict[str, Any]]]:
        """The rows; a final ORDER BY over projected variables is done here, not by Oxigraph,
        whose sort looks up the text of both terms at every comparison (on 34k rows ordered by
        plan and task: 1.7 s of 2.5)."""
        unordered, keys = split_order(text)
        try:
            solutions = self.store.query(unordered)
            columns = [v.value for v in solutions.variables]
            if not all(var in columns for var, _ in keys):
                # ordered by a variable it does not return: Oxigraph sorts (the unordered
                # solutions were not read, and Oxigraph evaluates only as they are read)
                solutions, keys = self.store.query(text), []
            ordered = [tuple(sol) for sol in solutions]  # each cell read once from Rust
            for var, descending in reversed(keys):  # stable sorts, last key first
                ordered.sort(key=_cached(order_key, columns.index(var)), reverse=descending)
            value = _cached(oxigraph_value)
            rows = [dict(zip(columns, map(value, cells), strict=True)) for cells in ordered]
        except SyntaxError as exc:
            raise OxigraphSyntaxError(name, f"SPARQL 语法错误 / SPARQL syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(name, f"查询执行失败 / the query failed: {exc}") from exc
        return columns, rows

    def _other(self, name: str, text: str, form: str) -> Any:
        """An ASK answer (a bool) or a CONSTRUCT / DESCRIBE answer as N-Triples bytes."""
        try:
            answer = self.store.query(text)
            if form == "ASK":
                return bool(answer)
            return answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        except SyntaxError as exc:
            raise OxigraphSyntaxError(name, f"SPARQL 语法错误 / SPARQL syntax error: {_one_line(exc)}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(name, f"查询执行失败 / the query failed: {exc}") from exc

    def _run_with_deadline(self, name: str, text: str, seconds: float, form: str = "SELECT") -> Any:
        """Oxigraph evaluates in Rust, where no Python signal reaches it: the query runs in a
        forked child, which is killed at the deadline."""
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        receive, send = ctx.Pipe(duplex=False)

        def child() -> None:
            try:
                send.send(("ok", self._rows(name, text) if form == "SELECT" else self._other(name, text, form)))
            except QueryError as exc:
                send.send(("error", exc))

        proc = ctx.Process(target=child, daemon=True)
        proc.start()
        send.close()
        try:
            if not receive.poll(seconds):
                raise QueryError(
                    name, f"查询超时（{seconds:g} 秒）/ the query took longer than {seconds:g} s and was stopped"
                )
            status, payload = receive.recv()
        except EOFError as exc:
            raise QueryError(name, "查询进程意外退出 / the query process ended unexpectedly") from exc
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
        if status == "error":
            raise payload
        return payload


_WHERE = re.compile(r"\bWHERE\s*\{|\bASK\s*\{", re.IGNORECASE)  # ASK may leave out WHERE
_SUBQUERY = re.compile(r"\bSELECT\b([^{]*?)(?:\bWHERE\s*)?\{", re.IGNORECASE)


def with_values(text: str, init: dict[Variable, Node], name: str = "query") -> str:
    """The query with a VALUES block for the bound parameters at the top of its outer WHERE,
    and, for each sub-query that projects a parameter as a plain variable, at the top of the
    sub-query's WHERE too.

    The second is for speed and changes no row: a sub-query is evaluated on its own, so without
    it ``-p plan IRI`` would still read every plan's tasks in each sub-query and drop the other
    plans' rows only at the outer join; bound inside, the sub-query reads that plan's rows only.
    (A sub-query that projects the parameter's variable shares it with the outer pattern, which
    keeps only the rows with the bound value anyway.) A sub-query must therefore not make a
    parameter's variable by ``BIND`` inside its own WHERE; ``SELECT *`` sub-queries are left
    alone."""
    if not init:
        return text
    code = _code(text)
    outer = _WHERE.search(code)
    if outer is None:
        raise QueryError(name, "找不到 WHERE 子句 / no WHERE clause to bind parameters in")
    inserts = [(outer.end(), list(init))]
    for sub in _SUBQUERY.finditer(code, outer.end()):
        projected = _plain_variables(sub.group(1))
        names = [v for v in init if str(v) in projected]
        if names:
            inserts.append((sub.end(), names))
    for at, names in sorted(inserts, key=lambda x: x[0], reverse=True):
        variables = " ".join(f"?{v}" for v in names)
        terms = " ".join(init[v].n3() for v in names)
        text = text[:at] + f"\n  VALUES ({variables}) {{ ({terms}) }}\n" + text[at:]
    return text


def _plain_variables(projection: str) -> set[str]:
    """The variables a SELECT clause projects as themselves (not those inside ``(… AS ?x)``)."""
    out: set[str] = set()
    depth = 0
    for m in re.finditer(r"[()]|[?$]\w+", projection):
        token = m.group(0)
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        elif depth == 0:
            out.add(token[1:])
    return out


class RemoteBackend:
    """A SPARQL 1.1 endpoint (SPARQL protocol, ``remote.select``). The default graph is the
    sciplan-kg named graphs (sent as default-graph-uri), so the rows are the same whether or
    not the server's default graph is the union of its named graphs, and its system graphs stay
    out. Every request (the listing of the graphs, the query) has one deadline, ``timeout``
    (default ``remote.DEFAULT_TIMEOUT``), its retries included; an answer that is not SPARQL
    JSON results is a RemoteError naming the endpoint.

    Virtuoso (known by the Server header of the graph listing's answer) is asked for CSV, which
    it writes 2.4× faster than JSON and which is read back as the same values
    (``csvresults``), unless the query has a string constant beyond ASCII, which its CSV spoils.

    When the server refuses to sort rows that long (Virtuoso: a cell past its row length,
    SR478 or SR319, which ``indicators`` has from about 100 plans), a final ORDER BY over
    variables the query returns is done here instead, in the embedded store's order
    (``split_order``, ``json_order_key``): the query is asked again without it. Only then:
    Virtuoso 7.2.5 answers ``tasks`` without its ORDER BY with wrong agency cells
    (docs/scaling.md)."""

    def __init__(self, endpoint: str, graphs: list[str] | None = None, timeout: float | None = None) -> None:
        from sciplan_kg.netguard import check_url

        self.endpoint = check_url(endpoint, "--endpoint")
        self.timeout = timeout
        self._graphs = graphs
        self.server = ""  # the software that answered last (its Server header)

    def _select(
        self, text: str, name: str, graphs: list[str] | None, timeout: float | None = None
    ) -> tuple[list[str], list[dict[str, Any]]]:
        from sciplan_kg.query.remote import select_from

        columns, rows, self.server = select_from(self.endpoint, text, name, timeout or self.timeout, graphs or ())
        return columns, rows

    def graphs(self, timeout: float | None = None) -> list[str]:
        if self._graphs is None:
            # GROUP BY, not DISTINCT: Virtuoso 7 answers DISTINCT ?g over 10 million quads in
            # 100 s, GROUP BY ?g in 1.5 s (3,000 plans; docs/scaling.md); Oxigraph alike either way
            listing = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            _, rows = self._select(listing, "graphs", None, timeout)
            found = [b["g"]["value"] for b in rows if "g" in b]
            self._graphs = sorted(g for g in found if g.startswith(SCIPLAN_GRAPHS))
        return self._graphs

    def _values(
        self, text: str, name: str, graphs: list[str], timeout: float | None
    ) -> tuple[list[str], list[dict[str, Value]]]:
        """The rows of a SELECT query as values: from Virtuoso's CSV when the server is
        Virtuoso and the query has no string constant its CSV would spoil
        (``csvresults``), else from SPARQL JSON results."""
        from sciplan_kg.query.csvresults import csv_safe

        if self.server.startswith("Virtuoso/") and csv_safe(text):
            from sciplan_kg.query.remote import select_virtuoso_csv

            columns, cells = select_virtuoso_csv(self.endpoint, text, name, timeout or self.timeout, graphs)
            return columns, [dict(zip(columns, row, strict=True)) for row in cells]
        columns, found = self._select(text, name, graphs, timeout)
        return columns, _json_values(columns, found)

    def _sorted_here(
        self, text: str, keys: list[tuple[str, bool]], name: str, graphs: list[str], timeout: float | None
    ) -> tuple[list[str], list[dict[str, Value]]]:
        """The rows of ``text`` (the query without its final ORDER BY) sorted by ``keys`` as
        the embedded store sorts: from SPARQL JSON results, whose terms say how they sort."""
        columns, found = self._select(text, name, graphs, timeout)
        key = _cached(json_order_key)
        for var, descending in reversed(keys):  # stable sorts, last key first
            found.sort(key=lambda row, var=var: key(_json_term(row.get(var))), reverse=descending)
        return columns, _json_values(columns, found)

    def close(self) -> None:
        """Nothing held open beyond the object itself."""

    def run(self, q: CatalogueQuery, params: dict[str, str], timeout: float | None = None) -> QueryResult:
        prepared = prepare(q)  # syntax and Update refusal; SERVICE is the server's business
        form = query_form(prepared)
        text = with_values(q.text, bindings(q, params), q.name)
        graphs = self.graphs(timeout)
        if not graphs:
            raise QueryError(
                q.name, f"{self.endpoint} 中没有 sciplan-kg 图 / holds no sciplan-kg graphs (run sciplan-kg load)"
            )
        if form == "ASK":
            from sciplan_kg.query.remote import ask

            return ask_result(ask(self.endpoint, text, q.name, timeout or self.timeout, graphs))
        if form in ("CONSTRUCT", "DESCRIBE"):
            from sciplan_kg.query.remote import graph_query

            data, fmt = graph_query(self.endpoint, text, q.name, timeout or self.timeout, graphs)
            return parse_graph(data, fmt, form, f"{self.endpoint}: {q.name}")
        from sciplan_kg.query.remote import RemoteError

        try:
            columns, rows = self._values(text, q.name, graphs, timeout)
        except RemoteError as exc:
            unordered, keys = split_order(text) if SORT_REFUSED.search(str(exc)) else (text, [])
            projected = {str(v) for v in getattr(prepared.algebra, "PV", None) or ()}
            if not keys or not all(var in projected for var, _ in keys):
                raise  # not the sort, or ordered by what it does not return
            columns, rows = self._sorted_here(unordered, keys, q.name, graphs, timeout)
        return finish(q, columns, rows)


# Virtuoso's refusals to sort a row longer than its row length (a cell of GROUP_CONCAT over many
# plans): "SR478: Value of ANY type column too long", "SR319: Max row length is exceeded"
SORT_REFUSED = re.compile(r"\bSR(?:478|319)\b")


def _json_values(columns: list[str], found: list[dict[str, Any]]) -> list[dict[str, Value]]:
    """Rows of SPARQL JSON results as values (``run.python_value``)."""
    return [{c: python_value(_from_json(b.get(c))) for c in columns} for b in found]


def _json_term(binding: dict[str, str] | None) -> tuple[str, str, str, str] | None:
    """A term of SPARQL JSON results as a hashable (type, value, datatype, xml:lang)."""
    if binding is None:
        return None
    return (binding["type"], binding["value"], binding.get("datatype", ""), binding.get("xml:lang", ""))


def _from_json(binding: dict[str, str] | None) -> Node | None:
    """A term of SPARQL JSON results (checked by ``remote.select``: a type and a value)."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(value, datatype=URIRef(binding["datatype"]))
    return Literal(value)
