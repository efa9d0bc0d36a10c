"""Running a catalogue query on a graph: parameters bound as RDF terms (never pasted into the
query text), SPARQL Update refused, rows returned as plain Python values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from sciplan_kg.errors import QueryError
from sciplan_kg.query.catalogue import CatalogueQuery, Param

Value = str | int | float | bool | None


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[dict[str, Value]]

    def dataframe(self) -> Any:
        """The rows as a pandas DataFrame (pandas is optional: install it to use this)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise QueryError("dataframe", "需要 pandas / pandas is not installed") from exc
        return pd.DataFrame(self.rows, columns=self.columns)


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
            return Literal(int(value))
        if param.type == "decimal":
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
            known = ", ".join(declared) or "none"
            raise QueryError(q.name, f"未声明的参数 / unknown parameter '{name}' (declared: {known})")
        out[Variable(name)] = bind_param(declared[name], value, q.name)
    for p in q.params:
        if p.name not in params and p.default is not None:
            out[Variable(p.name)] = bind_param(p, p.default, q.name)
    return out


def prepare(q: CatalogueQuery) -> Any:
    """Parse the query; refuse SPARQL Update; report a syntax error with its position."""
    try:
        return prepareQuery(q.text)
    except Exception as exc:
        try:
            parseUpdate(q.text)
        except Exception:
            pass
        else:
            raise QueryError(
                q.name, "拒绝执行 SPARQL Update，只允许查询 / SPARQL Update is refused: queries only"
            ) from exc
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "col", None)
        where = f" (第{line}行第{col}列 / line {line}, column {col})" if line is not None else ""
        raise QueryError(q.name, f"SPARQL 语法错误 / SPARQL syntax error{where}: {str(exc)[:200]}") from exc


def python_value(term: Node | None) -> Value:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else round(float(value), 6)
        if isinstance(value, float):
            # engines differ in double vs decimal results: compare at a fixed precision
            value = round(value, 6)
            return int(value) if value.is_integer() else value
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
