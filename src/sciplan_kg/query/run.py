"""Running a catalogue query on a graph: parameters bound as RDF terms (never pasted into the
query text) and checked by their declared type, SPARQL Update refused, ``SERVICE`` refused on
the embedded stores (``local_prepare``), rows returned as plain Python values.

No network unless asked: rdflib would load the graphs a query names in ``FROM`` / ``FROM
NAMED`` from the web (``SPARQL_LOAD_GRAPHS``), which is switched off here the moment rdflib's
SPARQL module is first imported (``sparql``: every parse of a query goes through it, and a
command that parses none does not pay the 0.14 s of importing it); ``SERVICE`` is refused
before evaluation on rdflib and Oxigraph alike (Oxigraph would send the request from Rust,
where no Python guard sees it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node

from sciplan_kg.errors import QueryError
from sciplan_kg.query.catalogue import CatalogueQuery, Param

Value = str | int | float | bool | None

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_ALGEBRA_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass
class QueryResult:
    """What a query gives, by its form: SELECT ``columns`` and ``rows``; ASK ``boolean``;
    CONSTRUCT and DESCRIBE ``graph`` (an rdflib Graph; no rows)."""

    columns: list[str]
    rows: list[dict[str, Value]]
    form: str = "SELECT"
    boolean: bool | None = None
    graph: Graph | None = None

    def dataframe(self) -> Any:
        """The rows as a pandas DataFrame (pandas is optional: install it to use this)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise QueryError("dataframe", "需要 pandas / pandas is not installed") from exc
        return pd.DataFrame(self.rows, columns=self.columns)


def query_form(prepared: Any) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, from a parsed query (``prepare``)."""
    return _ALGEBRA_FORMS.get(getattr(prepared.algebra, "name", ""), "SELECT")


def text_form(text: str) -> str:
    """The query form read from the text without parsing it: the first of the four keywords
    outside strings, IRIs and comments (the prologue before it holds only BASE and PREFIX)."""
    m = _FORM.search(code_only(text))
    return m.group(1).upper() if m else "SELECT"


def graph_result(form: str, graph: Graph) -> QueryResult:
    """A CONSTRUCT or DESCRIBE answer."""
    return QueryResult([], [], form=form, graph=graph)


def ask_result(answer: bool) -> QueryResult:
    return QueryResult([], [], form="ASK", boolean=bool(answer))


def bind_param(param: Param, value: str, query: str) -> Node:
    """A parameter value as the RDF term its declared type says."""
    try:
        if param.type == "iri":
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise ValueError("not an absolute IRI")
            return URIRef(value)
        if param.type == "zh":
            return Literal(value, lang="zh")
        if param.type == "integer":
            if not _INTEGER.fullmatch(value):
                raise ValueError("not an integer (digits with an optional sign)")
            return Literal(int(value))
        if param.type == "decimal":
            # xsd:decimal's lexical form: no exponent, no NaN or infinity
            if not _DECIMAL.fullmatch(value):
                raise ValueError("not a finite decimal number (digits with an optional sign and point)")
            return Literal(Decimal(value))
        if param.type == "date":
            return Literal(date.fromisoformat(value))
        if param.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("not true or false")
            return Literal(value.lower() == "true")
        return Literal(value)
    except (ValueError, ArithmeticError) as exc:
        raise QueryError(
            query, f"参数 {param.name} 的值无效 / invalid value for {param.name} ({param.type}): {exc}"
        ) from exc


def bindings(q: CatalogueQuery, params: dict[str, str]) -> dict[Variable, Node]:
    declared = {p.name: p for p in q.params}
    out: dict[Variable, Node] = {}
    for name, value in params.items():
        if name not in declared:
            raise unknown_parameter(q, name)
        out[Variable(name)] = bind_param(declared[name], value, q.name)
    for p in q.params:
        if p.name not in params and p.default is not None:
            out[Variable(p.name)] = bind_param(p, p.default, q.name)
    return out


def close_matches(word: str, known: list[str], n: int = 5) -> list[str]:
    """The known words closest to ``word`` (difflib), case not counted."""
    import difflib

    lower = {k.lower(): k for k in known}
    found = difflib.get_close_matches(word.lower(), list(lower), n=n, cutoff=0.5)
    return [lower[f] for f in found]


def unknown_parameter(q: CatalogueQuery, name: str) -> QueryError:
    """The error for a parameter the query does not declare, naming the close ones."""
    declared = [p.name for p in q.params]
    near = close_matches(name, declared)
    hint = f"; 是否指 / did you mean: {', '.join(near)}?" if near else ""
    known = ", ".join(declared) or "none"
    return QueryError(q.name, f"未声明的参数 / unknown parameter '{name}' (declared: {known}){hint}")


def sparql() -> Any:
    """rdflib's SPARQL module, imported on first use, with the loading of the graphs a query
    names from the web switched off before anything can evaluate a query (FROM <http://…>
    never fetches the web)."""
    import rdflib.plugins.sparql as module  # its parser and parserutils with it

    module.SPARQL_LOAD_GRAPHS = False
    return module


def forget_parses() -> None:
    """Empty pyparsing's memo of parse attempts, which rdflib's SPARQL parser fills once
    anything turned it on (matplotlib does, when the report's charts import it): every failed
    attempt it keeps holds its traceback, whose frames hold their callers' frames and their
    variables, so the report kept the corpus read's whole working set (the inherited roles of
    every task, 90 MB at 3,000 plans) until the next parse."""
    from pyparsing import ParserElement

    ParserElement.reset_cache()


def _prefix_position(text: str, message: str) -> tuple[int | None, int | None]:
    """Where an unknown prefix is first used (rdflib's "Unknown namespace prefix : foo" has no
    position): its line and column, outside IRIs, strings and comments; (None, None) otherwise."""
    m = re.fullmatch(r"Unknown namespace prefix : (\S*)", message.strip())
    if m is None:
        return None, None
    use = re.compile(r"<[^>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|(?<![\w:])" + re.escape(m[1]) + ":")
    for found in use.finditer(text):
        if found.group(0).endswith(":") and not found.group(0).startswith(("<", '"', "'", "#")):
            line = text.count("\n", 0, found.start()) + 1
            return line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return None, None


def prepare(q: CatalogueQuery) -> Any:
    """Parse the query; refuse SPARQL Update; report a syntax error with its position. (A
    constant-false FILTER is kept: ``keep_constant_filters``.) pyparsing's memo is emptied
    afterwards (``forget_parses``)."""
    if not re.sub(r"#[^\n]*", "", q.text).strip():  # (an empty text parses as an Update of nothing)
        raise QueryError(q.name, "查询为空 / the query is empty (only white space or comments)")
    try:
        return sparql().prepareQuery(keep_constant_filters(q.text))
    except Exception as exc:
        try:
            sparql().parser.parseUpdate(q.text)
        except Exception:
            pass
        else:
            raise QueryError(
                q.name, "拒绝执行 SPARQL Update，只允许查询 / SPARQL Update is refused: queries only"
            ) from exc
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "col", None)
        if line is None:
            line, col = _prefix_position(q.text, str(exc))
        where = f" (第{line}行第{col}列 / line {line}, column {col})" if line is not None else ""
        raise QueryError(q.name, f"SPARQL 语法错误 / SPARQL syntax error{where}: {str(exc)[:200]}") from exc
    finally:
        forget_parses()


def local_prepare(q: CatalogueQuery) -> Any:
    """``prepare`` for the embedded stores: also refuses a query that holds ``SERVICE``
    anywhere (a sub-query, ``EXISTS``, ``OPTIONAL``…), found in the parsed query, so that a
    comment or a string holding the word is no SERVICE and no spelling hides one."""
    prepared = prepare(q)
    if has_service(prepared.algebra):
        line, column = service_position(q.text)
        zh = f"（第{line}行第{column}列）" if line else ""
        en = f" (line {line}, column {column})" if line else ""
        from sciplan_kg.paths import QUERIES_DIR

        label = q.name if q.path.absolute().is_relative_to(QUERIES_DIR.absolute()) else str(q.path)
        raise QueryError(
            label,
            f"嵌入式存储不执行 SERVICE{zh}：它会向其他服务器发送请求；请用 --endpoint URL 在服务器上运行 / "
            f"SERVICE is not executed by the embedded stores{en}: it would send a request to another "
            "server; run the query on a SPARQL server with --endpoint URL",
        )
    sparql().SPARQL_LOAD_GRAPHS = False
    return prepared


def has_service(algebra: Any) -> bool:
    """Whether a parsed query's algebra holds a ``SERVICE`` pattern anywhere."""
    comp_value = sparql().parserutils.CompValue
    stack, seen = [algebra], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, Node)):
            continue
        seen.add(id(node))
        if isinstance(node, comp_value):
            if node.name == "ServiceGraphPattern":
                return True
            stack.extend(dict.values(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)) or hasattr(node, "as_list"):
            stack.extend(node)
    return False


# what may hide a keyword or a brace: strings, IRIs (a '#' in them is no comment), comments
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)
_SERVICE = re.compile(r"(?<![\w?$:.@-])SERVICE(?![\w:-])", re.IGNORECASE)


def code_only(text: str) -> str:
    """The query with its strings, IRIs and comments blanked out, at the same offsets."""
    return _NOT_CODE.sub(lambda m: " " * len(m.group(0)), text)


def string_constants(text: str) -> list[str]:
    """The query's string literals as written, quotes included (not a quote inside a comment
    or an IRI)."""
    return [m.group(0) for m in _NOT_CODE.finditer(text) if m.group(0)[0] in "\"'"]


_FILTER = re.compile(r"(?<![\w?$:.@-])FILTER\s*\(+([^()]*)\)", re.IGNORECASE)
_FALSY = re.compile(r"false|[+-]?(0+\.?0*|\.0+)(e[+-]?\d+)?|\"\"|''", re.IGNORECASE)


def keep_constant_filters(text: str) -> str:
    """The query with each ``FILTER`` of a constant Python finds false (``false``, ``0``,
    ``""``) written as ``FILTER(c && c)``, which means the same: rdflib's algebra drops the
    first form and keeps every row it should remove (RDFLib/rdflib#3381, open; the fix
    proposed in #3457). Found in the code only (not in strings, IRIs or comments)."""
    code = code_only(text)
    out, last = [], 0
    for m in _FILTER.finditer(code):
        start, end = m.span(1)
        value = text[start:end].strip()
        if _FALSY.fullmatch(value):
            out += [text[last:start], f"({value} && {value})"]
            last = end
    return "".join(out) + text[last:] if out else text


def service_position(text: str) -> tuple[int | None, int | None]:
    """Line and column (from 1) of the first SERVICE keyword (in the text after its \\u
    escapes are expanded when the keyword is spelt with them); (None, None) if not found."""
    escaped = "\\u" in text or "\\U" in text  # what rdflib's parser expands first
    for candidate in (text, sparql().parser.expandUnicodeEscapes(text)) if escaped else (text,):
        m = _SERVICE.search(code_only(candidate))
        if m:
            line = candidate.count("\n", 0, m.start()) + 1
            return line, m.start() - (candidate.rfind("\n", 0, m.start()) + 1) + 1
    return None, None


def python_value(term: Node | None) -> Value:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal | float):
            return plain_number(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(term)
    return str(term)


def _sort_multi(value: Value) -> Value:
    if isinstance(value, str) and value:
        return "; ".join(sorted(dict.fromkeys(v for v in value.split("; ") if v)))
    return value


def finish(q: CatalogueQuery, columns: list[str], rows: list[dict[str, Value]]) -> QueryResult:
    """Rows as every backend returns them: multi-valued columns sorted and without blanks."""
    for values in rows:
        for c in q.multivalued:
            if c in values:
                values[c] = _sort_multi(values[c])
        for c in q.booleans:
            if isinstance(values.get(c), int):
                values[c] = bool(values[c])
    return QueryResult(columns, rows)


def run_local(q: CatalogueQuery, graph: Graph, params: dict[str, str] | None = None) -> QueryResult:
    """Run a catalogue query on an in-memory graph with rdflib."""
    from sciplan_kg.query.backends import RdflibBackend

    return RdflibBackend(graph).run(q, params or {})


def plain_number(value: Decimal | float) -> int | float:
    """A decimal or double as the rows give it: int when integral, otherwise a float rounded to 6
    places (engines differ in double vs decimal results: compare at a fixed precision)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 6)
    value = round(value, 6)
    return int(value) if value.is_integer() else value
