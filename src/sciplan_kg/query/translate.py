"""A user's own SELECT query, translated to SQL over the DuckDB tables (``query/tables.py``), so
that a query of one's own shaped like the catalogue's listings is evaluated over the whole
corpus as fast as they are (issue 22: at 3,000 plans Oxigraph takes 13–28 s for the listings'
forms saved as a user's file, their translations 2.1–3.9 s; BENCHMARKS.md).

What it covers, and everything else is Oxigraph's (``Unsupported``, the caller falls back):

* patterns: basic graph patterns whose predicates are the properties the tables hold and
  ``rdf:type`` of the classes they hold (``rdf/rows.py``), sequence and inverse paths of those,
  group, ``OPTIONAL`` (with its filter), ``UNION``, ``MINUS``, ``FILTER``, ``BIND``, ``VALUES``,
  sub-queries, ``EXISTS`` / ``NOT EXISTS``;
* solution modifiers: ``DISTINCT``, ``ORDER BY``, ``LIMIT`` / ``OFFSET``, ``GROUP BY`` variables
  with ``COUNT``, ``SUM``, ``AVG``, ``MIN``, ``MAX``, ``SAMPLE``, ``GROUP_CONCAT`` and ``HAVING``;
* expressions: comparisons, ``IN``, ``&&`` ``||`` ``!``, arithmetic, ``IF``, ``COALESCE``,
  ``BOUND``, ``LANG``, ``LANGMATCHES``, ``STR``, ``STRLEN``, ``UCASE``, ``LCASE``, ``CONCAT``,
  ``CONTAINS``, ``STRSTARTS``, ``STRENDS``, ``REGEX``, ``isIRI``, ``isLiteral``, ``isNumeric``,
  ``sameTerm``, casts to ``xsd:integer``, ``xsd:decimal``, ``xsd:double``, ``xsd:string``.

How it stays SPARQL: every variable has a kind known from where it is bound (an IRI; a string
literal, its text and language tag in two columns; an integer; a decimal; a boolean) — the
tables hold each property's objects of one kind (``rows.KINDS``, checked against the data by
``tests/rdf/test_rows.py``). A triple pattern matches by term (text, language tag, datatype), as
SPARQL's does; joins on variables that may be unbound (``OPTIONAL``) use SPARQL's compatible
mappings; an expression error is SQL's NULL, which SQL's three-valued logic treats as SPARQL
treats an error (a filter drops the row, ``BIND`` leaves it unbound, ``||`` and ``&&`` as in
SPARQL's truth table); ``IF`` on an error is an error; an aggregate over a value unbound in any
row of its group is unbound, as Oxigraph gives it. Where the two would differ — a variable
joined on that holds two kinds of term, ``SAMPLE`` of a value that may be unbound, an ``ORDER
BY`` under ``DISTINCT`` on a variable not returned — the query is not translated.

Two choices SPARQL leaves open are made here and documented for users: the order of
``GROUP_CONCAT``'s values (by text, where Oxigraph's is the order met) and of rows whose ``ORDER
BY`` keys tie (the returned columns in order; with no ``ORDER BY``, the rows sorted by them), so
that the same store gives the same bytes. Held equal to Oxigraph's answers, as multisets and in
the order the keys fix, by ``tests/query/test_translate.py`` (queries as researchers write them,
the catalogue's own forms) and ``tests/query/test_translate_random.py`` (150 seeded random
queries, written by a second reader; it found three faults, fixed).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD
from rdflib.paths import InvPath, Path, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue

from sciplan_kg.query.run import forget_parses, keep_constant_filters
from sciplan_kg.rdf.rows import BY_CLASS, BY_PROPERTY, KINDS

IRI, LIT, INT, NUM, BOOL = "iri", "lit", "int", "num", "bool"
# numbers of both kinds in one variable (``BIND(0 AS ?s)`` in one branch, a decimal score in the
# other): compared and computed with by value, as SPARQL does, but never joined on, for SPARQL
# joins terms ("0"^^xsd:integer is not "0.0"^^xsd:decimal)
MIX = "mix"
_SQL_TYPE = {IRI: "VARCHAR", LIT: "VARCHAR", INT: "BIGINT", NUM: "DOUBLE", BOOL: "BOOLEAN", MIX: "DOUBLE"}
_NUMERIC = (INT, NUM, MIX)
_INTEGERS = {str(XSD[t]) for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger")}
_DECIMALS = {str(XSD.decimal), str(XSD.double), str(XSD.float)}


class Unsupported(Exception):
    """A query (or a part of one) this translation does not cover: Oxigraph answers it."""


@dataclass(frozen=True)
class Col:
    """A variable of a relation: its kind and whether it may be unbound."""

    kind: str
    nullable: bool


@dataclass(frozen=True)
class Ex:
    """An expression in SQL: its value, its kind, its language tag (strings only) and whether it
    may be NULL (an error or an unbound variable)."""

    sql: str
    kind: str
    lang: str | None = None
    nullable: bool = True


@dataclass
class Rel:
    """A pattern as a SQL query: a column per variable (and a language column per string)."""

    sql: str
    vars: dict[str, Col] = field(default_factory=dict)


@dataclass(frozen=True)
class Translation:
    """The SQL of a SELECT query and its result columns with their kinds."""

    sql: str
    columns: list[str]
    kinds: list[str]


def quote(name: str) -> str:
    """A variable's column, quoted. DuckDB matches names without regard to case, even quoted,
    and SPARQL's ``?r`` and ``?R`` are two variables: a capital becomes ``_`` and the letter
    (and ``_`` itself ``__``), so no two names meet."""
    mangled = "".join("_" + c.lower() if c.isupper() else "__" if c == "_" else c for c in name)
    return '"' + mangled.replace('"', '""') + '"'


def lang_col(name: str) -> str:
    return quote(name + "@lang")


def text(value: str) -> str:
    if "\x00" in value:
        raise Unsupported("a NUL character")
    return "'" + value.replace("'", "''") + "'"


def _null(kind: str) -> str:
    return f"CAST(NULL AS {_SQL_TYPE[kind]})"


def _name(term: Any) -> str:
    if isinstance(term, Variable):
        return str(term)
    return "_:" + str(term)  # a blank node of the pattern: a variable that cannot be returned


def _columns(alias: str, name: str, col: Col) -> list[str]:
    """``alias.name`` (and its language column) as select items, named as they are."""
    items = [f"{alias}.{quote(name)} AS {quote(name)}"]
    if col.kind == LIT:
        items.append(f"{alias}.{lang_col(name)} AS {lang_col(name)}")
    return items


def _scope(alias: str, variables: dict[str, Col]) -> dict[str, Ex]:
    return {
        name: Ex(
            f"{alias}.{quote(name)}", col.kind, f"{alias}.{lang_col(name)}" if col.kind == LIT else None, col.nullable
        )
        for name, col in variables.items()
    }


_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>\s]*)>", re.IGNORECASE)
_IRI = re.compile(r"<([^<>\s]*)>")
_PNAME = re.compile(r"(?<![\w?$])([A-Za-z][\w-]*)?:([a-z][\w-]*)")
_DATA = "https://w3id.org/sciplan-kg/id/"
_KNOWN = {*BY_PROPERTY, str(RDF.type), str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.string)}


def may_cover(text: str) -> bool:
    """False when the query plainly names a property the tables do not hold (an IRI whose local
    name starts in lower case, the ontology's way of naming properties): rdflib need not parse
    it (0.1–0.3 s) to find that out. True says nothing: ``translate`` decides."""
    code = "\n".join(line.split("#", 1)[0] if "<" not in line else line for line in text.splitlines())
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX.finditer(code)}
    body = _PREFIX.sub(" ", code)
    iris = [m.group(1) for m in _IRI.finditer(body)]
    iris += [prefixes[m.group(1) or ""] + m.group(2) for m in _PNAME.finditer(body) if (m.group(1) or "") in prefixes]
    for iri in iris:
        if iri.startswith(_DATA):  # a plan, task or agency named by the user, not a property
            continue
        local = re.split(r"[#/]", iri)[-1]
        if local[:1].islower() and iri not in _KNOWN and not iri.startswith(str(XSD)):
            return False
    return True


def translate_text(text: str) -> Translation:
    """The SQL of a SELECT query's text (parameters bound); raises ``Unsupported`` for what the
    translation does not cover, and the parser's exception for text rdflib does not read. A
    constant-false FILTER, which rdflib's algebra drops, is kept (``run.keep_constant_filters``)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(keep_constant_filters(text)).algebra
    finally:
        forget_parses()  # run.forget_parses says why
    return translate(algebra)


def translate(algebra: Any) -> Translation:
    """The SQL of a SELECT query's algebra (``prepareQuery(...).algebra``); raises
    ``Unsupported`` for anything it does not cover."""
    if algebra.name != "SelectQuery":
        raise Unsupported(algebra.name)
    if algebra.datasetClause:
        raise Unsupported("FROM")
    t = _Translator()
    rel, columns, _ = t.query(algebra.p, top=True)
    return Translation(rel.sql, columns, [rel.vars[c].kind for c in columns])


class _Translator:
    def __init__(self) -> None:
        self._n = itertools.count()
        # inside EXISTS: the enclosing row's variables, which a filter of the inner pattern sees
        # (SPARQL substitutes them; SQL refers to the outer row: a correlated subquery)
        self._outer: dict[str, Ex] = {}

    def alias(self) -> str:
        return f"t{next(self._n)}"

    # ---------------------------------------------------------------- queries
    def query(self, node: Any, top: bool = False) -> tuple[Rel, list[str], bool]:
        """A (sub-)query: Slice? Distinct/Reduced? Project OrderBy? pattern. Returns its relation,
        the projected variables and whether its rows are ordered."""
        limit = offset = None
        if node.name == "Slice":
            offset, limit = node.start or 0, node.length
            node = node.p
        distinct = False
        if node.name in ("Distinct", "Reduced"):
            distinct = node.name == "Distinct"
            node = node.p
        if node.name != "Project":
            raise Unsupported(node.name)
        projected = [str(v) for v in node.PV]
        node = node.p
        conditions: list[Any] = []
        if node.name == "OrderBy":
            conditions = list(node.expr)
            node = node.p
        inner = self.pattern(node)
        f = self.alias()
        scope = _scope(f, inner.vars)
        cols: dict[str, Col] = {}
        items: list[str] = []
        for name in projected:
            if name in inner.vars:
                cols[name] = inner.vars[name]
                items += _columns(f, name, inner.vars[name])
            else:  # projected but never bound: unbound in every row
                cols[name] = Col(LIT, True)
                items += [f"{_null(LIT)} AS {quote(name)}", f"{_null(LIT)} AS {lang_col(name)}"]
        keys = [self.order_key(c, scope) for c in conditions]
        if top or limit is not None or offset is not None:
            # ties broken by the returned columns: the same store gives the same rows in order
            keys += [_order_sql(scope[n].sql, False) for n in projected if n in scope]
        if distinct:
            if any(cols[n].kind == MIX for n in projected):
                raise Unsupported("DISTINCT over numbers of two types (1 and 1.0 are two terms)")
            if conditions and not all(_is_projected(c, projected) for c in conditions):
                raise Unsupported("ORDER BY a variable DISTINCT does not return")
            g = self.alias()
            sql = f"SELECT DISTINCT {', '.join(items)} FROM ({inner.sql}) {f}"
            outer = _scope(g, cols)
            keys = [self.order_key(c, outer) for c in conditions]
            if top or limit is not None or offset is not None:
                keys += [_order_sql(outer[n].sql, False) for n in projected]
            shown = ", ".join(f"{g}.{quote(n)}" for n in projected) if top else "*"
            sql = f"SELECT {shown or 'NULL AS __unit'} FROM ({sql}) {g}"
        else:
            if top:  # the values only: the language tags stay inside
                items = [i for i in items if not i.rsplit(" AS ", 1)[1].endswith('@lang"')]
            sql = f"SELECT {', '.join(items) or 'NULL AS __unit'} FROM ({inner.sql}) {f}"
        if keys:
            sql += " ORDER BY " + ", ".join(keys)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return Rel(sql, cols), projected, bool(keys)

    def order_key(self, condition: Any, scope: dict[str, Ex]) -> str:
        descending = False
        expr = condition
        if isinstance(condition, CompValue) and condition.name == "OrderCondition":
            descending = condition.order == "DESC"
            expr = condition.expr
        e = self.expr(expr, scope)
        return _order_sql(e.sql, descending)

    # ---------------------------------------------------------------- patterns
    def pattern(self, node: Any) -> Rel:
        method = getattr(self, "p_" + node.name, None)
        if method is None:
            raise Unsupported(node.name)
        rel: Rel = method(node)
        return rel

    def p_BGP(self, node: Any) -> Rel:
        triples = [t for s, p, o in node.triples for t in self._expand(s, p, o)]
        if not triples:
            return Rel("SELECT 1 AS __unit")
        froms: list[str] = []
        where: list[str] = []
        bound: dict[str, tuple[str, str | None, str]] = {}

        def term(node: Any, value: str, lang: str | None, kind: str) -> None:
            if isinstance(node, Variable | BNode):
                name = _name(node)
                if name in bound:
                    v, lg, k = bound[name]
                    if k != kind:
                        where.append("FALSE")  # an IRI is never a literal, nor an integer a decimal
                    else:
                        where.append(f"{v} = {value}")
                        if kind == LIT:
                            where.append(f"{lg} = {lang}")
                else:
                    bound[name] = (value, lang, kind)
                return
            where.extend(_constant_match(node, value, lang, kind))

        for s, p, o in triples:
            a = self.alias()
            if p == RDF.type and isinstance(o, URIRef) and str(o) in BY_CLASS:
                froms.append(f"{BY_CLASS[str(o)]} {a}")
                term(s, f"{a}.s", None, IRI)
                continue
            if not isinstance(p, URIRef) or str(p) not in BY_PROPERTY:
                raise Unsupported(f"the predicate {p}")
            table = BY_PROPERTY[str(p)]
            froms.append(f"{table} {a}")
            term(s, f"{a}.s", None, IRI)
            term(o, f"{a}.o", f"{a}.lang", KINDS[table])
        items: list[str] = []
        cols: dict[str, Col] = {}
        for name, (value, lang, kind) in bound.items():
            items.append(f"{_typed(value, kind)} AS {quote(name)}")
            if kind == LIT:
                items.append(f"{lang} AS {lang_col(name)}")
            cols[name] = Col(kind, False)
        sql = f"SELECT {', '.join(items) or 'NULL AS __unit'} FROM {', '.join(froms)}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return Rel(sql, cols)

    def _expand(self, s: Any, p: Any, o: Any) -> Iterable[tuple[Any, Any, Any]]:
        """A triple with a sequence or inverse path as plain triples (fresh blank nodes between)."""
        if isinstance(p, InvPath):
            yield from self._expand(o, p.arg, s)
        elif isinstance(p, SequencePath):
            nodes = [s, *(BNode(f"path{next(self._n)}") for _ in p.args[1:]), o]
            for i, step in enumerate(p.args):
                yield from self._expand(nodes[i], step, nodes[i + 1])
        elif isinstance(p, Path):
            raise Unsupported(f"the property path {p.n3()}")
        else:
            yield s, p, o

    def p_ToMultiSet(self, node: Any) -> Rel:
        if node.p.name == "values":
            return self.values(node.p.res)
        rel, _, _ = self.query(node.p)
        return rel

    def values(self, rows: list[dict[Variable, Any]]) -> Rel:
        names = sorted({str(v) for row in rows for v in row})
        kinds: dict[str, str] = {}
        for row in rows:
            for v, term in row.items():
                if _undefined(term):
                    continue
                kind = _term_kind(term)
                if kinds.setdefault(str(v), kind) != kind:
                    raise Unsupported("VALUES of two kinds in one column")
        if not rows:
            return Rel("SELECT 1 AS __unit WHERE FALSE")
        if not names:
            return Rel(" UNION ALL ".join("SELECT 1 AS __unit" for _ in rows))
        selects = []
        for row in rows:
            items = []
            by_name = {str(v): term for v, term in row.items() if not _undefined(term)}
            for name in names:
                kind = kinds[name]
                term = by_name.get(name)
                if term is None:
                    items.append(f"{_null(kind)} AS {quote(name)}")
                    if kind == LIT:
                        items.append(f"{_null(LIT)} AS {lang_col(name)}")
                    continue
                e = _constant(term)
                items.append(f"{e.sql} AS {quote(name)}")
                if kind == LIT:
                    items.append(f"{e.lang} AS {lang_col(name)}")
            selects.append("SELECT " + ", ".join(items))
        nullable = {n: any(_undefined(row.get(Variable(n))) for row in rows) for n in names}
        return Rel(" UNION ALL ".join(selects), {n: Col(kinds[n], nullable[n]) for n in names})

    def p_Join(self, node: Any) -> Rel:
        return self.join(self.pattern(node.p1), self.pattern(node.p2), None, left=False)

    def p_LeftJoin(self, node: Any) -> Rel:
        expr = node.expr if not (isinstance(node.expr, CompValue) and node.expr.name == "TrueFilter") else None
        return self.join(self.pattern(node.p1), self.pattern(node.p2), expr, left=True)

    def join(self, a: Rel, b: Rel, expr: Any, left: bool) -> Rel:
        la, lb = self.alias(), self.alias()
        conds: list[str] = []
        items: list[str] = []
        cols: dict[str, Col] = {}
        scope: dict[str, Ex] = {}
        for name in [*a.vars, *(n for n in b.vars if n not in a.vars)]:
            ca, cb = a.vars.get(name), b.vars.get(name)
            if ca is not None and cb is not None:
                if ca.kind != cb.kind or ca.kind == MIX:
                    raise Unsupported(f"a join on ?{name}, of two kinds")
                conds.append(_compatible(f"{la}.{quote(name)}", f"{lb}.{quote(name)}", ca, cb))
                if ca.kind == LIT:
                    conds[-1] = _compatible_lit(la, lb, name, ca, cb)
                value = (
                    f"{la}.{quote(name)}" if not ca.nullable else f"COALESCE({la}.{quote(name)}, {lb}.{quote(name)})"
                )
                lang = None
                if ca.kind == LIT:
                    lang = (
                        f"{la}.{lang_col(name)}"
                        if not ca.nullable
                        else f"COALESCE({la}.{lang_col(name)}, {lb}.{lang_col(name)})"
                    )
                # unbound only when the left side's is and the right side's is too, or (OPTIONAL)
                # when no right-hand row matched
                col = Col(ca.kind, ca.nullable and (cb.nullable or left))
            elif ca is not None:
                value, lang, col = f"{la}.{quote(name)}", f"{la}.{lang_col(name)}", ca
            else:
                assert cb is not None
                value, lang, col = f"{lb}.{quote(name)}", f"{lb}.{lang_col(name)}", Col(cb.kind, cb.nullable or left)
                if cb.kind != LIT:
                    lang = None
            cols[name] = col
            scope[name] = Ex(value, col.kind, lang if col.kind == LIT else None, col.nullable)
            items.append(f"{value} AS {quote(name)}")
            if col.kind == LIT:
                items.append(f"{lang} AS {lang_col(name)}")
        if expr is not None:
            inner_scope = dict(scope)  # the OPTIONAL's filter sees the right side's values as bound
            for name, cb in b.vars.items():
                if name not in a.vars:
                    inner_scope[name] = Ex(
                        f"{lb}.{quote(name)}",
                        cb.kind,
                        f"{lb}.{lang_col(name)}" if cb.kind == LIT else None,
                        cb.nullable,
                    )
            conds.append(self.boolean(expr, inner_scope).sql)
        kind = "LEFT JOIN" if left else "JOIN"
        on = " AND ".join(conds) if conds else "TRUE"
        sql = f"SELECT {', '.join(items) or 'NULL AS __unit'} FROM ({a.sql}) {la} {kind} ({b.sql}) {lb} ON {on}"
        return Rel(sql, cols)

    def p_Union(self, node: Any) -> Rel:
        a, b = self.pattern(node.p1), self.pattern(node.p2)
        names = [*a.vars, *(n for n in b.vars if n not in a.vars)]
        cols: dict[str, Col] = {}
        for name in names:
            ca, cb = a.vars.get(name), b.vars.get(name)
            kind = _unify(*(c.kind for c in (ca, cb) if c is not None))
            cols[name] = Col(kind, ca is None or cb is None or ca.nullable or cb.nullable)
        parts = []
        for rel in (a, b):
            x = self.alias()
            items = []
            for name in names:
                kind = cols[name].kind
                if name in rel.vars and rel.vars[name].kind != kind:  # a number made a MIX one
                    items.append(f"CAST({x}.{quote(name)} AS DOUBLE) AS {quote(name)}")
                elif name in rel.vars:
                    items += _columns(x, name, rel.vars[name])
                else:
                    items.append(f"{_null(kind)} AS {quote(name)}")
                    if kind == LIT:
                        items.append(f"{_null(LIT)} AS {lang_col(name)}")
            parts.append(f"SELECT {', '.join(items) or 'NULL AS __unit'} FROM ({rel.sql}) {x}")
        return Rel(" UNION ALL ".join(f"({p})" for p in parts), cols)

    def p_Minus(self, node: Any) -> Rel:
        a, b = self.pattern(node.p1), self.pattern(node.p2)
        shared = [n for n in a.vars if n in b.vars]
        if not shared:
            return a
        la, lb = self.alias(), self.alias()
        conds = []
        for name in shared:
            ca, cb = a.vars[name], b.vars[name]
            if ca.nullable or cb.nullable or MIX in (ca.kind, cb.kind):
                raise Unsupported("MINUS on a variable that may be unbound or of two kinds")
            if ca.kind != cb.kind:
                return a
            conds.append(f"{la}.{quote(name)} = {lb}.{quote(name)}")
            if ca.kind == LIT:
                conds.append(f"{la}.{lang_col(name)} = {lb}.{lang_col(name)}")
        sql = (
            f"SELECT * FROM ({a.sql}) {la} WHERE NOT EXISTS (SELECT 1 FROM ({b.sql}) {lb} WHERE {' AND '.join(conds)})"
        )
        return Rel(sql, dict(a.vars))

    def p_Filter(self, node: Any) -> Rel:
        inner = self.pattern(node.p)
        f = self.alias()
        cond = self.boolean(node.expr, _scope(f, inner.vars))
        return Rel(f"SELECT * FROM ({inner.sql}) {f} WHERE {cond.sql}", dict(inner.vars))

    def p_Extend(self, node: Any) -> Rel:
        inner = self.pattern(node.p)
        name = str(node.var)
        if name in inner.vars:
            raise Unsupported(f"BIND to ?{name}, already bound")
        f = self.alias()
        e = self.expr(node.expr, _scope(f, inner.vars))
        items = [f"{f}.*", f"{e.sql} AS {quote(name)}"]
        if e.kind == LIT:
            items.append(f"{e.lang} AS {lang_col(name)}")
        return Rel(f"SELECT {', '.join(items)} FROM ({inner.sql}) {f}", {**inner.vars, name: Col(e.kind, e.nullable)})

    def p_Project(self, node: Any) -> Rel:
        rel, _, _ = self.query(node)
        return rel

    p_Slice = p_Distinct = p_Reduced = p_Project

    def p_AggregateJoin(self, node: Any) -> Rel:
        group = node.p
        if group.name != "Group":
            raise Unsupported(group.name)
        inner = self.pattern(group.p)
        f = self.alias()
        scope = _scope(f, inner.vars)
        keys: list[str] = []
        grouped = {str(e) for e in group.expr or [] if isinstance(e, Variable)}
        for e in group.expr or []:
            if not isinstance(e, Variable):
                raise Unsupported("GROUP BY an expression")
            if str(e) in inner.vars:
                if inner.vars[str(e)].kind == MIX:
                    raise Unsupported("GROUP BY numbers of two types (1 and 1.0 are two terms)")
                keys.append(scope[str(e)].sql)
                if inner.vars[str(e)].kind == LIT:
                    keys.append(scope[str(e)].lang or "")
        items: list[str] = []
        cols: dict[str, Col] = {}
        for agg in node.A:
            name = str(agg.res)
            e = self.aggregate(agg, scope, grouped if group.expr else None)
            items.append(f"{e.sql} AS {quote(name)}")
            if e.kind == LIT:
                items.append(f"{e.lang} AS {lang_col(name)}")
            cols[name] = Col(e.kind, e.nullable)
        sql = f"SELECT {', '.join(items) or 'NULL AS __unit'} FROM ({inner.sql}) {f}"
        if keys:
            sql += " GROUP BY " + ", ".join(keys)
        elif group.expr:  # GROUP BY variables unbound everywhere: one group, none when no rows
            sql += " HAVING COUNT(*) > 0"
        return Rel(sql, cols)

    def aggregate(self, agg: Any, scope: dict[str, Ex], grouped: set[str] | None) -> Ex:
        """An aggregate over the rows of a group; ``grouped``: the GROUP BY variables (None when
        there is no GROUP BY: then the one group may be empty)."""
        kind = agg.name.removeprefix("Aggregate_")
        distinct = bool(agg.distinct)
        if agg.vars == "*":
            if kind != "Count" or distinct:
                raise Unsupported(f"{kind.upper()}(DISTINCT *)")
            return Ex("COUNT(*)", INT, nullable=False)
        e = self.expr(agg.vars, scope)  # translated once, for every aggregate below
        if distinct and e.kind == MIX:
            raise Unsupported("DISTINCT over numbers of two types (1 and 1.0 are two terms)")
        if kind == "Count":
            if not distinct:
                return Ex(f"COUNT({e.sql})", INT, nullable=False)
            key = f"{{'t': {e.sql}, 'l': {e.lang}}}" if e.kind == LIT else e.sql
            return Ex(f"COUNT(DISTINCT {key}) FILTER (WHERE {e.sql} IS NOT NULL)", INT, nullable=False)
        d = "DISTINCT " if distinct else ""

        def whole(sql: str) -> str:
            """Oxigraph's rule: a value that fails (is unbound) in any row of the group makes
            the aggregate fail (SUM, AVG, MIN, MAX, GROUP_CONCAT; COUNT passes over it)."""
            return f"(CASE WHEN COUNT(*) = COUNT({e.sql}) THEN {sql} END)" if e.nullable else sql

        if kind in ("Sum", "Avg"):
            if e.kind not in _NUMERIC:
                raise Unsupported(f"{kind.upper()} of a value that is not a number")
            if kind == "Sum":
                out = INT if e.kind == INT else e.kind
                sql = f"CAST(COALESCE(SUM({d}{e.sql}), 0) AS {_SQL_TYPE[out]})"
                return Ex(whole(sql), out, nullable=e.nullable)
            return Ex(whole(f"COALESCE(AVG({d}CAST({e.sql} AS DOUBLE)), 0)"), NUM, nullable=e.nullable)
        if kind in ("Min", "Max", "Sample"):
            # a group of GROUP BY is never empty: of a value every row has, one is found
            nullable = e.nullable or grouped is None
            if grouped is not None and isinstance(agg.vars, Variable) and str(agg.vars) in grouped:
                return Ex(e.sql, e.kind, e.lang, nullable)  # a grouped variable: its one value
            if kind == "Sample" and e.nullable:
                raise Unsupported("SAMPLE of a value that may be unbound")
            fn = "MAX" if kind == "Max" else "MIN"
            if e.kind == LIT:
                arg = "arg_max" if kind == "Max" else "arg_min"
                return Ex(whole(f"{fn}({e.sql})"), LIT, whole(f"{arg}({e.lang}, {e.sql})"), nullable)
            return Ex(whole(f"{fn}({e.sql})"), e.kind, nullable=nullable)
        if kind == "GroupConcat":
            if e.kind != LIT:
                raise Unsupported("GROUP_CONCAT of a value that is not a string")
            sep = text(str(agg.separator) if agg.separator is not None else " ")
            if distinct:  # distinct terms (text and language tag), their texts joined
                values = f"list_sort(list_distinct(list({{'t': {e.sql}, 'l': {e.lang}}})))"
                sql = f"COALESCE(array_to_string(list_transform({values}, lambda x: x.t), {sep}), '')"
            else:
                sql = f"COALESCE(string_agg({e.sql}, {sep} ORDER BY {e.sql}, {e.lang}), '')"
            return Ex(whole(sql), LIT, "''", e.nullable)
        raise Unsupported(agg.name)

    # ---------------------------------------------------------------- expressions
    def boolean(self, expr: Any, scope: dict[str, Ex]) -> Ex:
        """The effective boolean value of ``expr``."""
        e = self.expr(expr, scope)
        if e.kind == BOOL:
            return e
        if e.kind == LIT:  # a plain string's: not empty; a language-tagged one's: an error
            return Ex(f"CASE WHEN {e.lang} = '' THEN length({e.sql}) > 0 END", BOOL, nullable=True)
        if e.kind in _NUMERIC:
            return Ex(f"({e.sql} <> 0)", BOOL, nullable=e.nullable)
        return Ex("CAST(NULL AS BOOLEAN)", BOOL, nullable=True)

    def expr(self, expr: Any, scope: dict[str, Ex]) -> Ex:
        if isinstance(expr, Variable):
            found = scope.get(str(expr)) or self._outer.get(str(expr))
            if found is None:
                raise Unsupported(f"?{expr} is not bound where it is used")
            return found
        if isinstance(expr, URIRef | Literal):
            return _constant(expr)
        if not isinstance(expr, CompValue):
            raise Unsupported(repr(expr))
        method = getattr(self, "e_" + expr.name, None)
        if method is None:
            raise Unsupported(expr.name)
        out: Ex = method(expr, scope)
        return out

    def e_RelationalExpression(self, node: Any, scope: dict[str, Ex]) -> Ex:
        a = self.expr(node.expr, scope)
        op = node.op
        if op in ("IN", "NOT IN"):
            if not node.other:
                return Ex("TRUE" if op == "NOT IN" else "FALSE", BOOL, nullable=False)
            tests = [_equal(a, self.expr(o, scope)) for o in node.other]
            any_ = Ex("(" + " OR ".join(t.sql for t in tests) + ")", BOOL, nullable=any(t.nullable for t in tests))
            return any_ if op == "IN" else Ex(f"(NOT {any_.sql})", BOOL, nullable=any_.nullable)
        b = self.expr(node.other, scope)
        if op == "=":
            return _equal(a, b)
        if op == "!=":
            eq = _equal(a, b)
            return Ex(f"(NOT {eq.sql})", BOOL, nullable=eq.nullable)
        return _compare(a, op, b)

    def e_ConditionalAndExpression(self, node: Any, scope: dict[str, Ex]) -> Ex:
        parts = [self.boolean(e, scope) for e in [node.expr, *(node.other or [])]]
        return Ex("(" + " AND ".join(p.sql for p in parts) + ")", BOOL, nullable=any(p.nullable for p in parts))

    def e_ConditionalOrExpression(self, node: Any, scope: dict[str, Ex]) -> Ex:
        parts = [self.boolean(e, scope) for e in [node.expr, *(node.other or [])]]
        return Ex("(" + " OR ".join(p.sql for p in parts) + ")", BOOL, nullable=any(p.nullable for p in parts))

    def e_UnaryNot(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self.boolean(node.expr, scope)
        return Ex(f"(NOT {e.sql})", BOOL, nullable=e.nullable)

    def e_UnaryMinus(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self._number(self.expr(node.expr, scope))
        return Ex(f"(- {e.sql})", e.kind, nullable=e.nullable)

    def e_UnaryPlus(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._number(self.expr(node.expr, scope))

    def _number(self, e: Ex) -> Ex:
        if e.kind not in _NUMERIC:
            raise Unsupported("arithmetic on a value that is not a number")
        return e

    def _arithmetic(self, node: Any, scope: dict[str, Ex]) -> Ex:
        acc = self._number(self.expr(node.expr, scope))
        for op, other in zip(node.op, node.other, strict=True):
            b = self._number(self.expr(other, scope))
            nullable = acc.nullable or b.nullable
            if op == "/":  # SPARQL divides integers as decimals; by zero is an error
                acc = Ex(f"(CAST({acc.sql} AS DOUBLE) / NULLIF(CAST({b.sql} AS DOUBLE), 0))", NUM, nullable=True)
            else:
                kind = INT if acc.kind == INT and b.kind == INT else NUM
                acc = Ex(f"({acc.sql} {op} {b.sql})", kind, nullable=nullable)
        return acc

    e_AdditiveExpression = e_MultiplicativeExpression = _arithmetic

    def e_Builtin_IF(self, node: Any, scope: dict[str, Ex]) -> Ex:
        c = self.boolean(node.arg1, scope)
        # an arm that is a variable bound nowhere is an error in every row (``IF(?c, ?m,
        # ?unbound)``: unbound where ?c is false), NULL of the other arm's kind
        a, b = self._arm(node.arg2, scope), self._arm(node.arg3, scope)
        if a is None and b is None:
            return Ex(_null(LIT), LIT, _null(LIT), True)
        if a is None or b is None:
            known = a if a is not None else b
            assert known is not None
            a, b = a or _error_like(known), b or _error_like(known)
        kind = _unify(a.kind, b.kind)
        x, y = _as(a, kind), _as(b, kind)
        sql = f"(CASE WHEN {c.sql} THEN {x} WHEN NOT {c.sql} THEN {y} END)"
        lang = f"(CASE WHEN {c.sql} THEN {a.lang} WHEN NOT {c.sql} THEN {b.lang} END)" if kind == LIT else None
        return Ex(sql, kind, lang, c.nullable or a.nullable or b.nullable)

    def e_Builtin_COALESCE(self, node: Any, scope: dict[str, Ex]) -> Ex:
        # a variable bound nowhere is an error in every row, which COALESCE passes over
        args = [self.expr(a, scope) for a in node.arg if not (isinstance(a, Variable) and not self._knows(a, scope))]
        if not args:
            return Ex(_null(LIT), LIT, _null(LIT), True)
        kind = _unify(*(a.kind for a in args))
        sql = "COALESCE(" + ", ".join(_as(a, kind) for a in args) + ")"
        lang = None
        if kind == LIT:
            lang = "(CASE " + " ".join(f"WHEN {a.sql} IS NOT NULL THEN {a.lang}" for a in args) + " END)"
        return Ex(sql, kind, lang, all(a.nullable for a in args))

    def _arm(self, arg: Any, scope: dict[str, Ex]) -> Ex | None:
        """An argument's expression, None when it is a variable bound nowhere."""
        if isinstance(arg, Variable) and not self._knows(arg, scope):
            return None
        return self.expr(arg, scope)

    def _knows(self, var: Variable, scope: dict[str, Ex]) -> bool:
        return str(var) in scope or str(var) in self._outer

    def e_Builtin_BOUND(self, node: Any, scope: dict[str, Ex]) -> Ex:
        if isinstance(node.arg, Variable) and not self._knows(node.arg, scope):
            return Ex("FALSE", BOOL, nullable=False)  # bound nowhere
        e = self.expr(node.arg, scope)
        return Ex(f"({e.sql} IS NOT NULL)", BOOL, nullable=False)

    def e_Builtin_LANG(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self.expr(node.arg, scope)
        if e.kind == LIT:
            return Ex(str(e.lang), LIT, "''", e.nullable)
        if e.kind in _NUMERIC or e.kind == BOOL:
            return Ex(f"(CASE WHEN {e.sql} IS NOT NULL THEN '' END)", LIT, "''", e.nullable)
        return Ex(_null(LIT), LIT, "''", True)

    def e_Builtin_LANGMATCHES(self, node: Any, scope: dict[str, Ex]) -> Ex:
        tag, rng = self._string(self.expr(node.arg1, scope)), self._string(self.expr(node.arg2, scope))
        sql = (
            f"(CASE WHEN {rng.sql} = '*' THEN {tag.sql} <> '' ELSE lower({tag.sql}) = lower({rng.sql})"
            f" OR starts_with(lower({tag.sql}), lower({rng.sql}) || '-') END)"
        )
        return Ex(sql, BOOL, nullable=tag.nullable or rng.nullable)

    def _string(self, e: Ex) -> Ex:
        if e.kind != LIT:
            raise Unsupported("a string function on a value that is not a string")
        return e

    def e_Builtin_STR(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self.expr(node.arg, scope)
        if e.kind in (IRI, LIT):
            return Ex(e.sql, LIT, "''", e.nullable)
        if e.kind == INT:
            return Ex(f"CAST({e.sql} AS VARCHAR)", LIT, "''", e.nullable)
        raise Unsupported("STR of a decimal or boolean")

    def e_Builtin_STRLEN(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self._string(self.expr(node.arg, scope))
        return Ex(f"CAST(length({e.sql}) AS BIGINT)", INT, nullable=e.nullable)

    def e_Builtin_UCASE(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self._string(self.expr(node.arg, scope))
        return Ex(f"upper({e.sql})", LIT, e.lang, e.nullable)

    def e_Builtin_LCASE(self, node: Any, scope: dict[str, Ex]) -> Ex:
        e = self._string(self.expr(node.arg, scope))
        return Ex(f"lower({e.sql})", LIT, e.lang, e.nullable)

    def e_Builtin_CONCAT(self, node: Any, scope: dict[str, Ex]) -> Ex:
        args = [self._string(self.expr(a, scope)) for a in node.arg]
        if not args:
            return Ex("''", LIT, "''", False)
        sql = "(" + " || ".join(a.sql for a in args) + ")"
        same = " AND ".join(f"{a.lang} = {args[0].lang}" for a in args[1:]) or "TRUE"
        return Ex(sql, LIT, f"(CASE WHEN {same} THEN {args[0].lang} ELSE '' END)", any(a.nullable for a in args))

    def _rounding(self, node: Any, scope: dict[str, Ex], template: str) -> Ex:
        e = self._number(self.expr(node.arg, scope))
        if e.kind == INT:
            return e if template != "abs({})" else Ex(f"abs({e.sql})", INT, nullable=e.nullable)
        return Ex(template.format(e.sql), e.kind, nullable=e.nullable)

    def e_Builtin_ROUND(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._rounding(node, scope, "floor({} + 0.5)")  # SPARQL rounds halves up: ROUND(-2.5) is -2

    def e_Builtin_ABS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._rounding(node, scope, "abs({})")

    def e_Builtin_CEIL(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._rounding(node, scope, "ceil({})")

    def e_Builtin_FLOOR(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._rounding(node, scope, "floor({})")

    def _two_strings(self, node: Any, scope: dict[str, Ex], template: str) -> Ex:
        a, b = self._string(self.expr(node.arg1, scope)), self._string(self.expr(node.arg2, scope))
        # compatible arguments: the second a plain string, or of the first's language
        sql = f"(CASE WHEN {b.lang} = '' OR {b.lang} = {a.lang} THEN {template.format(a=a.sql, b=b.sql)} END)"
        return Ex(sql, BOOL, nullable=True)

    def e_Builtin_CONTAINS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._two_strings(node, scope, "contains({a}, {b})")

    def e_Builtin_STRSTARTS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._two_strings(node, scope, "starts_with({a}, {b})")

    def e_Builtin_STRENDS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._two_strings(node, scope, "ends_with({a}, {b})")

    def e_Builtin_REGEX(self, node: Any, scope: dict[str, Ex]) -> Ex:
        a = self._string(self.expr(node.text, scope))
        pattern = node.pattern
        flags = node.flags  # (CompValue.get gives the key itself when missing)
        if not isinstance(pattern, Literal) or (flags is not None and str(flags) not in ("", "i")):
            raise Unsupported("REGEX with a pattern that is not a constant, or flags other than i")
        options = ", 'i'" if flags is not None and str(flags) == "i" else ""
        return Ex(f"regexp_matches({a.sql}, {text(str(pattern))}{options})", BOOL, nullable=a.nullable)

    def _is(self, node: Any, scope: dict[str, Ex], kinds: tuple[str, ...]) -> Ex:
        e = self.expr(node.arg, scope)
        answer = "TRUE" if e.kind in kinds else "FALSE"
        return Ex(f"(CASE WHEN {e.sql} IS NOT NULL THEN {answer} END)", BOOL, nullable=e.nullable)

    def e_Builtin_isIRI(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._is(node, scope, (IRI,))

    e_Builtin_isURI = e_Builtin_isIRI

    def e_Builtin_isLITERAL(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._is(node, scope, (LIT, INT, NUM, BOOL))

    def e_Builtin_isNUMERIC(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._is(node, scope, _NUMERIC)

    def e_Builtin_isBLANK(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return self._is(node, scope, ())

    def e_Builtin_sameTerm(self, node: Any, scope: dict[str, Ex]) -> Ex:
        a, b = self.expr(node.arg1, scope), self.expr(node.arg2, scope)
        if a.kind != b.kind:
            return Ex(f"(CASE WHEN {a.sql} IS NOT NULL AND {b.sql} IS NOT NULL THEN FALSE END)", BOOL, nullable=True)
        return _equal(a, b)

    def _exists(self, node: Any, scope: dict[str, Ex]) -> str:
        graph = node.graph
        if graph.name == "GroupGraphPatternSub":
            from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

            graph = translateGroupGraphPattern(graph)
        saved = self._outer
        scope = self._outer = {**saved, **scope}
        try:
            inner = self.pattern(graph)
        finally:
            self._outer = saved
        x = self.alias()
        conds = []
        for name, col in inner.vars.items():
            outer = scope.get(name)
            if outer is None:
                continue
            if outer.kind != col.kind or col.kind == MIX:
                raise Unsupported(f"EXISTS on ?{name}, of two kinds")
            cond = f"{x}.{quote(name)} = {outer.sql}"
            if col.kind == LIT:
                cond += f" AND {x}.{lang_col(name)} = {outer.lang}"
            if outer.nullable or col.nullable:
                cond = f"({outer.sql} IS NULL OR {x}.{quote(name)} IS NULL OR ({cond}))"
            conds.append(cond)
        where = " WHERE " + " AND ".join(conds) if conds else ""
        return f"EXISTS (SELECT 1 FROM ({inner.sql}) {x}{where})"

    def e_Builtin_EXISTS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return Ex(self._exists(node, scope), BOOL, nullable=False)

    def e_Builtin_NOTEXISTS(self, node: Any, scope: dict[str, Ex]) -> Ex:
        return Ex(f"(NOT {self._exists(node, scope)})", BOOL, nullable=False)

    def e_Function(self, node: Any, scope: dict[str, Ex]) -> Ex:
        iri = str(node.iri)
        if len(node.expr) != 1:
            raise Unsupported(iri)
        e = self.expr(node.expr[0], scope)
        if iri == str(XSD.string):
            return self.e_Builtin_STR(CompValue("Builtin_STR", arg=node.expr[0]), scope)
        if iri == str(XSD.integer):
            if e.kind in _NUMERIC:
                return Ex(f"CAST(trunc({e.sql}) AS BIGINT)", INT, nullable=e.nullable)
            if e.kind == LIT:
                return Ex(f"TRY_CAST(CASE WHEN {e.lang} = '' THEN trim({e.sql}) END AS BIGINT)", INT, nullable=True)
        if iri in (str(XSD.decimal), str(XSD.double)):
            if e.kind in _NUMERIC:
                return Ex(f"CAST({e.sql} AS DOUBLE)", NUM, nullable=e.nullable)
            if e.kind == LIT:
                return Ex(f"TRY_CAST(CASE WHEN {e.lang} = '' THEN trim({e.sql}) END AS DOUBLE)", NUM, nullable=True)
        raise Unsupported(iri)


def _unify(*kinds: str) -> str:
    """The kind of a value that is one of ``kinds`` (two kinds of number make a MIX one)."""
    found = set(kinds)
    if len(found) == 1:
        return found.pop()
    if found <= set(_NUMERIC):
        return MIX
    raise Unsupported("a value of two kinds")


def _error_like(e: Ex) -> Ex:
    """An error (SQL's NULL) of the kind of ``e``."""
    return Ex(_null(e.kind), e.kind, _null(LIT) if e.kind == LIT else None, True)


def _as(e: Ex, kind: str) -> str:
    return f"CAST({e.sql} AS DOUBLE)" if kind == MIX and e.kind != MIX else e.sql


def _is_projected(condition: Any, projected: list[str]) -> bool:
    expr = condition.expr if isinstance(condition, CompValue) and condition.name == "OrderCondition" else condition
    return isinstance(expr, Variable) and str(expr) in projected


def _order_sql(sql: str, descending: bool) -> str:
    """SPARQL's order: unbound first (last, descending); strings by code point (DuckDB compares
    VARCHAR by bytes: UTF-8's order is the code points'), numbers by value."""
    return f"{sql} DESC NULLS LAST" if descending else f"{sql} ASC NULLS FIRST"


def _typed(value: str, kind: str) -> str:
    if kind == INT:
        return f"CAST({value} AS BIGINT)"
    if kind == NUM:
        return f"CAST({value} AS DOUBLE)"
    return value


def _undefined(term: Any) -> bool:
    """A cell of VALUES left out or ``UNDEF`` (rdflib gives the word itself, a plain str)."""
    return term is None or (type(term) is str and term == "UNDEF")


def _term_kind(term: Any) -> str:
    return _constant(term).kind


def _constant(term: Any) -> Ex:
    if isinstance(term, URIRef):
        return Ex(text(str(term)), IRI, None, False)
    if not isinstance(term, Literal):
        raise Unsupported(repr(term))
    dt = str(term.datatype) if term.datatype is not None else None
    if dt is None or dt == str(XSD.string):
        return Ex(text(str(term)), LIT, text(term.language or ""), False)
    if dt in _INTEGERS:
        try:
            return Ex(f"CAST({int(str(term))} AS BIGINT)", INT, None, False)
        except ValueError as exc:
            raise Unsupported(f"the integer {term.n3()}") from exc
    if dt in _DECIMALS:
        try:
            return Ex(f"CAST({float(str(term))!r} AS DOUBLE)", NUM, None, False)
        except ValueError as exc:
            raise Unsupported(f"the number {term.n3()}") from exc
    if dt == str(XSD.boolean):
        return Ex("TRUE" if term.toPython() is True else "FALSE", BOOL, None, False)
    raise Unsupported(f"a literal of type {dt}")


def _constant_match(node: Any, value: str, lang: str | None, kind: str) -> list[str]:
    """The conditions for a table's column to hold exactly the term ``node`` (SPARQL matches
    terms, not values: ``"01"^^xsd:integer`` is not ``1``)."""
    if isinstance(node, URIRef):
        return [f"{value} = {text(str(node))}"] if kind == IRI else ["FALSE"]
    if not isinstance(node, Literal):
        raise Unsupported(repr(node))
    dt = str(node.datatype) if node.datatype is not None else None
    if kind == LIT:
        if dt not in (None, str(XSD.string)):
            return ["FALSE"]
        return [f"{value} = {text(str(node))}", f"{lang} = {text(node.language or '')}"]
    wanted = {INT: str(XSD.integer), NUM: str(XSD.decimal)}.get(kind)
    if wanted is None or dt != wanted:
        return ["FALSE"]
    return [f"{value} = {text(str(node))}"]


def _compatible(a: str, b: str, ca: Col, cb: Col) -> str:
    if not ca.nullable and not cb.nullable:
        return f"{a} = {b}"
    return f"({a} IS NULL OR {b} IS NULL OR {a} = {b})"


def _compatible_lit(la: str, lb: str, name: str, ca: Col, cb: Col) -> str:
    a, b = f"{la}.{quote(name)}", f"{lb}.{quote(name)}"
    same = f"{a} = {b} AND {la}.{lang_col(name)} = {lb}.{lang_col(name)}"
    if not ca.nullable and not cb.nullable:
        return same
    return f"({a} IS NULL OR {b} IS NULL OR ({same}))"


def _equal(a: Ex, b: Ex) -> Ex:
    """SPARQL's ``=`` as Oxigraph gives it: equal terms (strings with their language tags),
    numbers by value; terms of different kinds unequal."""
    nullable = a.nullable or b.nullable
    if a.kind == b.kind:
        if a.kind == LIT:
            return Ex(f"({a.sql} = {b.sql} AND {a.lang} = {b.lang})", BOOL, nullable=nullable)
        return Ex(f"({a.sql} = {b.sql})", BOOL, nullable=nullable)
    if a.kind in _NUMERIC and b.kind in _NUMERIC:
        return Ex(f"(CAST({a.sql} AS DOUBLE) = CAST({b.sql} AS DOUBLE))", BOOL, nullable=nullable)
    # an IRI and a literal, or literals of kinds that are never equal (1 and "1"): false, as
    # Oxigraph gives it (so != is true)
    return Ex(f"(CASE WHEN {a.sql} IS NOT NULL AND {b.sql} IS NOT NULL THEN FALSE END)", BOOL, nullable=nullable)


def _compare(a: Ex, op: str, b: Ex) -> Ex:
    nullable = a.nullable or b.nullable
    if a.kind in _NUMERIC and b.kind in _NUMERIC:
        return Ex(f"({a.sql} {op} {b.sql})", BOOL, nullable=nullable)
    if a.kind == LIT and b.kind == LIT:  # strings of one language tag (or none); others: an error
        return Ex(f"(CASE WHEN {a.lang} = {b.lang} THEN {a.sql} {op} {b.sql} END)", BOOL, nullable=True)
    if a.kind == BOOL and b.kind == BOOL:
        return Ex(f"({a.sql} {op} {b.sql})", BOOL, nullable=nullable)
    return Ex("CAST(NULL AS BOOLEAN)", BOOL, nullable=True)
