"""Seeded random SELECT queries (``query/translate.py``) against Oxigraph: a differential test.

A small grammar walks the five plans' graph along the properties the DuckDB tables hold
(``rdf/rows.py``) — chains of triple patterns joined on shared variables, literal ends, class
patterns — and adds OPTIONAL, UNION, MINUS, FILTER (comparisons, IN, strings, language tags,
BOUND, EXISTS), BIND, VALUES, GROUP BY with aggregates and HAVING, DISTINCT, ORDER BY and
LIMIT/OFFSET, with constants sampled from the store. Each query the translation covers must
give Oxigraph's answer: the same columns, the same rows as a multiset (GROUP_CONCAT's values
compared as sorted lists: SPARQL leaves their order open), the ORDER BY keys in the same order,
and with LIMIT the same rows (LIMIT only comes with an ORDER BY on every returned column).

``MINIMAL`` holds the smallest queries this test found to differ, one per fault (all fixed), so
that each would fail on its own with its query in the message if it came back. The grammar and
the test were written by a second reader of the translation, who did not write it."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from sciplan_kg.query.backends import OxigraphBackend
from tests.query.test_translate import PREFIXES, _user

pytest.importorskip("duckdb")

from sciplan_kg.query import translate
from sciplan_kg.query.frames import FramesBackend

SEED = 20240611
COUNT = 150
PREFIXES_ALL = PREFIXES + "PREFIX prov: <http://www.w3.org/ns/prov#>\n"

SK = "https://w3id.org/sciplan-kg/ontology#"
NS = {
    "sk:": SK,
    "rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
    "skos:": "http://www.w3.org/2004/02/skos/core#",
    "oa:": "http://www.w3.org/ns/oa#",
    "prov:": "http://www.w3.org/ns/prov#",
}

# the node types of the walk: (class the tables hold, or None)
CLASS = {
    "plan": "sk:ImplementationPlan", "measure": "sk:Measure", "task": "sk:Task", "agency": "sk:Agency",
    "instr": "sk:PolicyInstrument", "resp": None, "atype": None, "group": None, "sim": None, "res": None,
    "pos": None, "quote": None, "file": None, "area": None, "role": None,
}  # fmt: skip
# IRI-valued properties between node types (subject type, predicate, object type)
EDGES = [
    ("measure", "sk:inPlan", "plan"), ("task", "sk:inMeasure", "measure"), ("resp", "sk:forItem", "task"),
    ("resp", "sk:forItem", "measure"), ("resp", "sk:role", "role"), ("resp", "sk:agency", "agency"),
    ("task", "sk:responsibleAgency", "agency"), ("measure", "sk:responsibleAgency", "agency"),
    ("task", "sk:leadAgency", "agency"), ("task", "sk:supportAgency", "agency"),
    ("task", "sk:inheritedLeadAgency", "agency"), ("task", "sk:inheritedSupportAgency", "agency"),
    ("task", "sk:usesInstrument", "instr"), ("instr", "skos:broader", "instr"), ("agency", "sk:agencyType", "atype"),
    ("atype", "skos:broader", "atype"), ("agency", "sk:area", "area"), ("task", "sk:taskTargetGroup", "group"),
    ("sim", "sk:fromTask", "task"), ("sim", "sk:toTask", "task"), ("task", "prov:wasDerivedFrom", "res"),
    ("resp", "prov:wasDerivedFrom", "res"), ("res", "oa:hasSource", "file"), ("res", "oa:hasSelector", "pos"),
    ("res", "oa:hasSelector", "quote"),
]  # fmt: skip
# literal-valued properties: (subject type, predicate, kind: lit, int or num)
ATTRS = [
    ("plan", "rdfs:label", "lit"), ("measure", "sk:ordinal", "int"), ("measure", "rdfs:label", "lit"),
    ("task", "sk:ordinal", "int"), ("task", "sk:text", "lit"), ("task", "rdfs:label", "lit"),
    ("resp", "sk:ordinal", "int"), ("agency", "skos:prefLabel", "lit"), ("agency", "rdfs:label", "lit"),
    ("atype", "skos:prefLabel", "lit"), ("atype", "skos:notation", "lit"), ("instr", "skos:notation", "lit"),
    ("instr", "skos:prefLabel", "lit"), ("group", "skos:prefLabel", "lit"), ("sim", "sk:score", "num"),
    ("sim", "sk:rank", "int"), ("res", "sk:line", "int"), ("pos", "oa:start", "int"), ("pos", "oa:end", "int"),
    ("quote", "oa:exact", "lit"), ("file", "sk:fileName", "lit"), ("area", "rdfs:label", "lit"),
]  # fmt: skip
# nodes many others point at (a source file, a role, an area, a type): walked to, never back
# from, else a walk of three steps joins most of the store with itself
HUBS = {"file", "role", "area", "atype", "group", "instr", "agency"}
STARTS = ["task", "task", "task", "measure", "agency", "resp", "sim", "res", "plan", "instr"]


def iri(name: str) -> str:
    for prefix, ns in NS.items():
        if name.startswith(prefix):
            return ns + name[len(prefix) :]
    return name


def literal(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def term_text(term: Any) -> str:
    """A pyoxigraph term as SPARQL text."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    assert isinstance(term, ox.Literal)
    if term.language:
        return f"{literal(term.value)}@{term.language}"
    datatype = term.datatype.value
    if datatype.endswith(("#integer", "#decimal")):
        return term.value
    return literal(term.value)


@dataclass
class Data:
    """Constants sampled from the store: node IRIs by type, literal terms by predicate."""

    nodes: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, list[Any]] = field(default_factory=dict)  # pyoxigraph literals


def sample(store: Any) -> Data:
    data = Data()
    found: dict[str, set[str]] = {}
    for s, p, o in EDGES:
        for row in store.query(f"SELECT ?s ?o WHERE {{ ?s <{iri(p)}> ?o }} ORDER BY ?s ?o LIMIT 400"):
            found.setdefault(s, set()).add(term_text(row["s"]))
            found.setdefault(o, set()).add(term_text(row["o"]))
    data.nodes = {t: sorted(v) for t, v in found.items()}
    for _, p, _ in ATTRS:
        if p not in data.values:
            q = f"SELECT DISTINCT ?o WHERE {{ ?s <{iri(p)}> ?o FILTER(STRLEN(STR(?o)) < 30) }} ORDER BY ?o LIMIT 300"
            data.values[p] = [row["o"] for row in store.query(q)]
    return data


@dataclass
class Var:
    name: str
    kind: str  # iri, lit, int, num
    node: str | None = None  # the node type of an IRI
    optional: bool = False
    prop: str | None = None  # the predicate a literal came from


@dataclass
class Query:
    text: str
    ordered: list[str]  # the columns the ORDER BY fixes the order of
    lists: list[str]  # GROUP_CONCAT columns


class Gen:
    """One random query: a walk, then patterns around it, then the solution modifiers."""

    def __init__(self, rng: random.Random, data: Data) -> None:
        self.rng = rng
        self.data = data
        self.vars: dict[str, Var] = {}
        self.n = 0

    def new(self, kind: str, node: str | None = None, optional: bool = False, prop: str | None = None) -> Var:
        self.n += 1
        v = Var(f"v{self.n}", kind, node, optional, prop)
        self.vars[v.name] = v
        return v

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    # ------------------------------------------------------------ constants
    def node_const(self, node: str) -> str:
        return self.rng.choice(self.data.nodes[node])

    def value_const(self, prop: str) -> Any:
        return self.rng.choice(self.data.values[prop])

    def int_const(self, v: Var) -> str:
        values = self.data.values.get(v.prop or "")
        return term_text(self.rng.choice(values)) if values else str(self.rng.randint(0, 30))

    # ------------------------------------------------------------ patterns
    @staticmethod
    def ways(node: str | None) -> list[tuple[str, str, bool]]:
        """The edges a walk may take from a node of type ``node``: (predicate, type, forward)."""
        ways = [(p, o, True) for s, p, o in EDGES if s == node]
        return ways + [(p, s, False) for s, p, o in EDGES if o == node and o not in HUBS]

    def hop(self, v: Var, optional: bool = False) -> tuple[str, Var]:
        """A triple pattern from ``v`` to a new node along an edge, either way."""
        p, other, forward = self.rng.choice(self.ways(v.node))
        w = self.new("iri", other, optional)
        if forward:
            return f"?{v.name} {p} ?{w.name} .", w
        if self.chance(0.25):
            return f"?{v.name} ^{p} ?{w.name} .", w
        return f"?{w.name} {p} ?{v.name} .", w

    def attr(self, v: Var, optional: bool = False) -> tuple[str, Var] | None:
        choices = [(p, k) for s, p, k in ATTRS if s == v.node]
        if not choices:
            return None
        p, kind = self.rng.choice(choices)
        w = self.new(kind, None, optional, p)
        return f"?{v.name} {p} ?{w.name} .", w

    def nodes(self, optional: bool | None = None, walkable: bool = False) -> list[Var]:
        return [
            v
            for v in self.vars.values()
            if v.kind == "iri" and (optional is None or v.optional == optional) and (not walkable or self.ways(v.node))
        ]

    def core(self) -> list[str]:
        start = self.new("iri", self.rng.choice(STARTS))
        lines: list[str] = []
        if CLASS[start.node or ""] and self.chance(0.4):
            lines.append(f"?{start.name} a {CLASS[start.node or '']} .")
        for _ in range(self.rng.randint(0, 3)):
            line, _ = self.hop(self.rng.choice(self.nodes(walkable=True)))
            lines.append(line)
        for _ in range(self.rng.randint(0 if lines else 1, 2)):
            found = self.attr(self.rng.choice(self.nodes()))
            if found:
                lines.append(found[0])
        if not lines:
            lines.append(self.hop(start)[0])
        if self.chance(0.12):  # a constant at a node's place
            v = self.rng.choice(self.nodes())
            assert v.node is not None
            if self.data.nodes.get(v.node) and any(f"?{v.name} " in x or x.endswith(f"?{v.name} .") for x in lines):
                lines.append(f"VALUES ?{v.name} {{ {' '.join(self.rng.sample(self.data.nodes[v.node], 2))} }}")
        if self.chance(0.1):  # a path of two steps
            v = self.rng.choice(self.nodes())
            steps = [(p, o) for s, p, o in EDGES if s == v.node]
            if steps:
                p, middle = self.rng.choice(steps)
                nexts = [(q, o) for s, q, o in EDGES if s == middle]
                if nexts:
                    q, end = self.rng.choice(nexts)
                    w = self.new("iri", end)
                    lines.append(f"?{v.name} {p}/{q} ?{w.name} .")
        return lines

    def optional(self) -> str:
        v = self.rng.choice(self.nodes(optional=False, walkable=True))
        parts = []
        if self.chance(0.5):
            line, w = self.hop(v, optional=True)
            parts.append(line)
            found = self.attr(w, optional=True) if self.chance(0.6) else None
        else:
            found = self.attr(v, optional=True)
            if found is None:
                line, w = self.hop(v, optional=True)
                parts.append(line)
                found = self.attr(w, optional=True)
        if found:
            parts.append(found[0])
            if self.chance(0.4):
                parts.append(f"FILTER({self.condition(found[1], inner=True)})")
            elif self.chance(0.3):  # a filter on the left side's variables too
                outer = self.rng.choice([x for x in self.vars.values() if not x.optional])
                parts.append(f"FILTER({self.condition(outer)} || {self.condition(found[1], inner=True)})")
            if found[1].kind == "iri" and self.ways(found[1].node) and self.chance(0.3):  # nested
                line, w = self.hop(found[1], optional=True)
                parts.append(f"OPTIONAL {{ {line} }}")
        return "OPTIONAL { " + " ".join(parts) + " }"

    def subquery(self) -> str:
        """A grouped sub-query joined on a node: how many of something it has."""
        v = self.rng.choice(self.nodes(optional=False, walkable=True))
        p, _, forward = self.rng.choice(self.ways(v.node))
        triple = f"?{v.name} {p} ?s{self.n}" if forward else f"?s{self.n} {p} ?{v.name}"
        c = self.new("int", None, False, None)
        agg = self.rng.choice(["COUNT(*)", f"COUNT(DISTINCT ?s{self.n})"])
        having = f" HAVING (COUNT(*) > {self.rng.randint(1, 3)})" if self.chance(0.3) else ""
        return f"{{ SELECT ?{v.name} ({agg} AS ?{c.name}) WHERE {{ {triple} }} GROUP BY ?{v.name}{having} }}"

    def union(self) -> str:
        v = self.rng.choice(self.nodes(optional=False))
        assert v.node is not None
        agencies = [p for s, p, o in EDGES if s == v.node and o == "agency"]
        attrs = [(p, k) for s, p, k in ATTRS if s == v.node]
        if len(agencies) >= 2 and self.chance(0.6):
            p, q = self.rng.sample(agencies, 2)
            w = self.new("iri", "agency", optional=True)  # (bound; but no EXISTS on it: slow in Oxigraph)
            return f"{{ ?{v.name} {p} ?{w.name} }} UNION {{ ?{v.name} {q} ?{w.name} }}"
        if len(attrs) >= 2 and self.chance(0.6):
            (p, k), (q, j) = self.rng.sample(attrs, 2)
            if k == j:
                w = self.new(k, None, optional=True, prop=p)
                return f"{{ ?{v.name} {p} ?{w.name} }} UNION {{ ?{v.name} {q} ?{w.name} }}"
        # two branches that bind different variables
        if not self.ways(v.node):
            return f"{{ ?{v.name} a sk:Task }} UNION {{ ?{v.name} a sk:Measure }}" if v.node == "task" else ""
        a, b = self.hop(v, optional=True), self.hop(v, optional=True)
        return f"{{ {a[0]} }} UNION {{ {b[0]} }}"

    def minus(self) -> str:
        v = self.rng.choice(self.nodes(optional=False))
        assert v.node is not None
        ways = [(p, o) for s, p, o in EDGES if s == v.node and self.data.nodes.get(o)]
        attrs = [(p, k) for s, p, k in ATTRS if s == v.node and self.data.values.get(p)]
        if attrs and (not ways or self.chance(0.5)):
            p, _ = self.rng.choice(attrs)
            return f"MINUS {{ ?{v.name} {p} {term_text(self.value_const(p))} }}"
        if ways:
            p, o = self.rng.choice(ways)
            if self.chance(0.5):
                return f"MINUS {{ ?{v.name} {p} {self.node_const(o)} }}"
            mattrs = [(q, k) for s, q, k in ATTRS if s == o and k == "lit"]
            if mattrs:
                q, _ = self.rng.choice(mattrs)
                return (
                    f'MINUS {{ ?{v.name} {p} ?m{self.n} . ?m{self.n} {q} ?l{self.n} FILTER(lang(?l{self.n}) = "en") }}'
                )
            return f"MINUS {{ ?{v.name} {p} ?m{self.n} }}"
        return f"MINUS {{ ?{v.name} a sk:Action }}"

    def exists(self) -> str:
        # (not on a variable that may be unbound: Oxigraph then scans the whole pattern each row)
        v = self.rng.choice(self.nodes(optional=False))
        assert v.node is not None
        ways = [(p, o) for s, p, o in EDGES if s == v.node]
        ways += [(f"^{p}", s) for s, p, o in EDGES if o == v.node and o not in HUBS]
        if not ways:
            return f"FILTER NOT EXISTS {{ ?{v.name} a sk:Action }}"
        p, o = self.rng.choice(ways)
        inner = f"?{v.name} {p} ?e{self.n}"
        attrs = [(q, k) for s, q, k in ATTRS if s == o]
        if attrs and self.chance(0.5):
            q, k = self.rng.choice(attrs)
            e = Var(f"f{self.n}", k, prop=q)
            inner += f" . ?e{self.n} {q} ?f{self.n} FILTER({self.condition(e, inner=True)})"
        word = self.rng.choice(["EXISTS", "NOT EXISTS"])
        return f"FILTER {word} {{ {inner} }}"

    def bind(self) -> str | None:
        ints = [v for v in self.vars.values() if v.kind == "int"]
        lits = [v for v in self.vars.values() if v.kind == "lit"]
        options: list[Callable[[], tuple[str, str, str | None]]] = []
        if ints:

            def arithmetic() -> tuple[str, str, str | None]:
                a, b = self.rng.choice(ints), self.rng.choice(ints)
                op = self.rng.choice(["+", "-", "*", "/"])
                kind = "num" if op == "/" else "int"
                return f"?{a.name} {op} ?{b.name}", kind, None

            def conditional() -> tuple[str, str, str | None]:
                a = self.rng.choice(ints)
                return f"IF(?{a.name} > {self.int_const(a)}, ?{a.name} * 10, ?{a.name} - 1)", "int", None

            def coalesce() -> tuple[str, str, str | None]:
                a = self.rng.choice(ints)
                return f"COALESCE(?{a.name}, -1)", "int", None

            options += [arithmetic, conditional, coalesce]
            nums = [v for v in self.vars.values() if v.kind == "num"]
            if nums:

                def mixed() -> tuple[str, str, str | None]:
                    a, b = self.rng.choice(ints), self.rng.choice(nums)
                    return f"?{a.name} {self.rng.choice(['+', '*', '-'])} ?{b.name}", "num", None

                options.append(mixed)
        if lits:

            def text_default() -> tuple[str, str, str | None]:
                a = self.rng.choice(lits)
                return f'COALESCE(?{a.name}, "none")', "lit", None

            def text_if() -> tuple[str, str, str | None]:
                a = self.rng.choice(lits)
                return f'IF(lang(?{a.name}) = "zh", ?{a.name}, "other")', "lit", None

            options += [text_default, text_if]
        if not options:
            return None
        expr, kind, prop = self.rng.choice(options)()
        w = self.new(kind, None, True, prop)  # an expression may fail: the variable may be unbound
        if self.chance(0.3) and f"V{self.n - 1}" not in self.vars:  # a name differing in case only
            del self.vars[w.name]
            w.name = f"V{self.n - 1}"
            self.vars[w.name] = w
        return f"BIND({expr} AS ?{w.name})"

    # ------------------------------------------------------------ expressions
    def condition(self, v: Var, inner: bool = False) -> str:
        r = self.rng
        n = f"?{v.name}"
        if v.kind == "iri":
            consts = self.data.nodes.get(v.node or "", [])
            if not consts:
                return f'STRSTARTS(STR({n}), "https://w3id.org/sciplan-kg/")'
            c = r.choice(consts)
            return r.choice(
                [
                    f"{n} = {c}",
                    f"{n} != {c}",
                    f"{n} IN ({', '.join(r.sample(consts, min(3, len(consts))))})",
                    f"sameTerm({n}, {c})",
                    f'STRSTARTS(STR({n}), "https://w3id.org/sciplan-kg/id/")',
                    f"isIRI({n})",
                ]
            )
        if v.kind == "lit":
            values = self.data.values.get(v.prop or "") or self.data.values["skos:prefLabel"]
            t = r.choice(values)
            head = literal(t.value[:2])
            char = literal(r.choice(t.value))
            return r.choice(
                [
                    f'lang({n}) = "zh"',
                    f'lang({n}) = ""',
                    f'langMatches(lang({n}), "{r.choice(["en", "zh", "*"])}")',
                    f"STRSTARTS({n}, {head})",
                    f"STRSTARTS(STR({n}), {head})",
                    f"CONTAINS({n}, {char})",
                    f"{n} = {term_text(t)}",
                    f"{n} != {term_text(t)}",
                    f"STR({n}) = {literal(t.value)}",
                    f"STRLEN({n}) > {r.randint(2, 12)}",
                    f"{n} < {literal(t.value)}",
                    f"{n} >= {term_text(t)}",  # a language-tagged one too
                    f"!({n} = {r.choice(['1', '<https://w3id.org/x>', literal(t.value)])})",
                    f"REGEX({n}, {literal('^' + re.escape(t.value[:1]))})",
                ]
            )
        if v.kind == "num":
            k = r.choice(["0.3", "0.5", "0.75", "0.9"])
            return r.choice([f"{n} >= {k}", f"{n} < {k}", f"{n} * 2 > 1", f"{n} != {k}"])
        k = self.int_const(v)
        return r.choice(
            [
                f"{n} < {k}",
                f"{n} >= {k}",
                f"{n} = {k}",
                f"{n} != {k}",
                f"{n} IN ({k}, {self.int_const(v)}, {self.int_const(v)})",
                f'{n} != "{k}"',  # a number and a string
                f"{n} + 1 > {k}",
                f"{n} / 2 <= {k}",
            ]
        )

    def filter(self) -> str:
        vs = list(self.vars.values())
        one = self.condition(self.rng.choice(vs))
        shape = self.rng.random()
        optional = [v for v in vs if v.optional]
        if optional and shape < 0.3:
            v = self.rng.choice(optional)
            return f"FILTER(!BOUND(?{v.name}) || {self.condition(v)})"
        if shape < 0.5:
            return f"FILTER({one} && {self.condition(self.rng.choice(vs))})"
        if shape < 0.65:
            return f"FILTER({one} || {self.condition(self.rng.choice(vs))})"
        if shape < 0.75:
            return f"FILTER(!({one}))"
        return f"FILTER({one})"

    # ------------------------------------------------------------ queries
    def query(self) -> Query:
        lines = self.core()
        extras = [
            (0.35, self.optional),
            (0.2, self.union),
            (0.12, self.minus),
            (0.15, self.exists),
            (0.2, self.bind),
            (0.08, self.subquery),
            (0.5, self.filter),
        ]
        for p, make in extras:
            if self.chance(p):
                made = make()
                if made:
                    lines.append(made)
        if self.chance(0.1):
            lines.append(self.values_block())
        if self.chance(0.35):
            return self.grouped(lines)
        return self.plain(lines)

    def values_block(self) -> str:
        candidates = [v for v in self.vars.values() if not v.optional and v.kind in ("lit", "int")]
        candidates = [v for v in candidates if self.data.values.get(v.prop or "")]
        if not candidates:
            v = self.rng.choice(self.nodes(optional=False))
            return f"VALUES ?{v.name} {{ {' '.join(self.rng.sample(self.data.nodes[v.node or ''], 2))} }}"
        v = self.rng.choice(candidates)
        consts = [term_text(self.value_const(v.prop or "")) for _ in range(3)]
        if self.chance(0.3):
            return f"VALUES (?{v.name} ?x{self.n}) {{ ({consts[0]} UNDEF) ({consts[1]} 1) }}"
        return f"VALUES ?{v.name} {{ {' '.join(consts)} }}"

    def order(self, projected: list[str], kinds: dict[str, str]) -> tuple[str, list[str], bool]:
        """An ORDER BY on some projected columns (all of them when ``total``)."""
        keys = [c for c in projected if kinds.get(c) != "concat"]
        total = bool(keys) and len(keys) == len(projected) and self.chance(0.35)
        if not total:
            keys = self.rng.sample(keys, self.rng.randint(0, min(2, len(keys))))
        self.rng.shuffle(keys)
        if not keys:
            return "", [], False
        text = " ".join(f"DESC(?{k})" if self.chance(0.3) else f"?{k}" for k in keys)
        return f" ORDER BY {text}", keys, total

    def plain(self, lines: list[str]) -> Query:
        names = self.used(lines)
        projected = self.rng.sample(names, self.rng.randint(1, min(4, len(names))))
        distinct = "DISTINCT " if self.chance(0.3) else ""
        order, keys, total = self.order(projected, {})
        slice_ = ""
        if total and self.chance(0.7):
            slice_ = f" LIMIT {self.rng.randint(1, 25)}" + (
                f" OFFSET {self.rng.randint(1, 10)}" if self.chance(0.4) else ""
            )
        head = f"SELECT {distinct}{' '.join('?' + p for p in projected)}"
        return Query(self.text(head, lines, order + slice_), keys, [])

    def grouped(self, lines: list[str]) -> Query:
        names = self.used(lines)
        sure = [n for n in names if not self.vars[n].optional or self.chance(0.3)]
        by = self.rng.sample(sure, self.rng.randint(0, min(2, len(sure))))
        items: list[str] = [f"?{b}" for b in by]
        kinds: dict[str, str] = {}
        lists: list[str] = []
        others = [self.vars[n] for n in names if n not in by]
        for i in range(self.rng.randint(1, 3)):
            name = f"a{i}"
            v = self.rng.choice(others) if others else None
            choices = ["COUNT(*)"]
            if v is not None:
                d = "DISTINCT " if self.chance(0.4) else ""
                choices += [f"COUNT({d}?{v.name})", f"COUNT(?{v.name})"]
                if v.kind in ("int", "num"):
                    choices += [f"SUM(?{v.name})", f"AVG(?{v.name})", f"MIN(?{v.name})", f"MAX({d}?{v.name})"]
                if v.kind == "lit":
                    choices += [f"MIN(?{v.name})", f"MAX(?{v.name})", f'GROUP_CONCAT({d}?{v.name}; separator="|")']
                if v.kind == "iri":
                    choices += [f"MIN(?{v.name})", f"SAMPLE(?{by[0] if by else v.name})"]
            agg = self.rng.choice(choices)
            if agg.startswith("SAMPLE") and not by:
                agg = "COUNT(*)"
            if agg.startswith("GROUP_CONCAT"):
                lists.append(name)
                kinds[name] = "concat"
            items.append(f"({agg} AS ?{name})")
        projected = [i.rsplit("?", 1)[1].rstrip(")") for i in items]
        having = f" HAVING (COUNT(*) > {self.rng.randint(1, 5)})" if self.chance(0.25) else ""
        group = f" GROUP BY {' '.join('?' + b for b in by)}" if by else ""
        order, keys, total = self.order(projected, kinds)
        slice_ = f" LIMIT {self.rng.randint(1, 10)}" if total and self.chance(0.5) else ""
        head = f"SELECT {'DISTINCT ' if self.chance(0.1) else ''}{' '.join(items)}"
        return Query(self.text(head, lines, group + having + order + slice_), keys, lists)

    def used(self, lines: list[str]) -> list[str]:
        body = "\n".join(lines)
        return [n for n in self.vars if re.search(rf"\?{n}\b", body)]

    def text(self, head: str, lines: list[str], tail: str) -> str:
        body = "\n  ".join(lines)
        return f"{head} WHERE {{\n  {body}\n}}{tail}"


def generate(data: Data, seed: int = SEED, count: int = COUNT) -> list[Query]:
    rng = random.Random(seed)
    return [Gen(rng, data).query() for _ in range(count)]


# ---------------------------------------------------------------------------- comparison
def _normal(rows: list[dict[str, Any]], lists: list[str]) -> list[str]:
    def cell(column: str, value: Any) -> Any:
        if column in lists and isinstance(value, str):
            return sorted(value.split("|"))
        return value

    return sorted(repr(sorted((c, cell(c, v)) for c, v in row.items())) for row in rows)


class Refused(Exception):
    """The translation did not cover the query (Oxigraph answered)."""


@dataclass
class Outcome:
    problem: str | None  # None when the translation gives Oxigraph's answer
    rows: int  # Oxigraph's
    may_cover: bool  # what ``translate.may_cover`` said (the test translates regardless)


def compare(
    engines: tuple[OxigraphBackend, FramesBackend], q: Query, monkeypatch: pytest.MonkeyPatch, name: str = "q"
) -> Outcome:
    """The translation's answer against Oxigraph's; raises ``Refused`` (with the reason) when
    the query was not translated."""
    oxigraph, frames = engines
    user = _user(name, PREFIXES_ALL + q.text)
    expected = oxigraph.run(user, {})
    outcome: dict[str, Any] = {}
    real = translate.translate
    select = OxigraphBackend._select
    cover = translate.may_cover(user.text)

    def translating(algebra: Any) -> translate.Translation:
        try:
            result = real(algebra)
        except Exception as exc:
            outcome["refused"] = exc
            raise
        outcome["sql"] = result.sql
        return result

    def fallback(self: Any, *args: Any, **kwargs: Any) -> Any:
        outcome["fallback"] = True
        return select(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(translate, "translate", translating)
        m.setattr(translate, "may_cover", lambda text: True)  # its refusals are counted apart
        m.setattr(OxigraphBackend, "_select", fallback)
        got = frames.run(user, {})
    if "refused" in outcome:
        exc = outcome["refused"]
        raise Refused(f"{type(exc).__name__}: {exc}" if not isinstance(exc, translate.Unsupported) else str(exc))
    return Outcome(_differs(frames, q, outcome, got.columns, got.rows, expected), len(expected.rows), cover)


def _differs(
    frames: FramesBackend, q: Query, outcome: dict[str, Any], columns: list[str], rows: list[dict[str, Any]], ox: Any
) -> str | None:
    if outcome.get("fallback"):
        try:
            frames.connection().execute(outcome["sql"]).fetchall()
            why = "?"
        except Exception as exc:
            why = str(exc)[:300]
        return f"DuckDB could not run the translation: {why}"
    if columns != ox.columns:
        return f"columns {columns} != Oxigraph's {ox.columns}"
    if _normal(rows, q.lists) != _normal(ox.rows, q.lists):
        a, b = Counter(_normal(rows, q.lists)), Counter(_normal(ox.rows, q.lists))
        extra, missing = list((a - b).elements())[:4], list((b - a).elements())[:4]
        return f"rows differ ({len(rows)} vs Oxigraph's {len(ox.rows)}): extra {extra}, missing {missing}"
    if q.ordered:
        keys = [[r[c] for c in q.ordered] for r in rows]
        if keys != [[r[c] for c in q.ordered] for r in ox.rows]:
            return f"order of {q.ordered} differs"
    return None


def _reason(message: str) -> str:
    """A refusal's reason without its variable names and terms, to count them."""
    message = re.sub(r"\?\w+", "?v", message)
    message = re.sub(r"<[^>]*>|https?://\S+", "<iri>", message)
    return message[:80]


def test_random_queries_give_oxigraphs_answer(
    engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample(engines[0].store)
    queries = generate(data)
    assert len({q.text for q in queries}) > COUNT * 0.9, "the generator repeats itself"
    refused: Counter[str] = Counter()
    failures: list[str] = []
    answered = empty = uncovered = 0
    for i, q in enumerate(queries):
        try:
            outcome = compare(engines, q, monkeypatch, f"random-{i}")
        except Refused as exc:
            refused[_reason(str(exc))] += 1
            continue
        answered += 1
        empty += outcome.rows == 0
        uncovered += not outcome.may_cover
        if outcome.problem is not None:
            failures.append(f"query {i}: {outcome.problem}\n{q.text}")
    summary = (
        f"{answered} of {len(queries)} translated ({empty} with no rows; {uncovered} that may_cover would"
        f" send to Oxigraph); refused: {refused.most_common(8)}"
    )
    print(summary)
    assert answered >= 0.7 * len(queries), f"the grammar is off: {summary}"
    assert uncovered <= 0.05 * answered, f"may_cover sends translatable queries to Oxigraph: {summary}"
    assert not failures, f"{len(failures)} translated answers differ from Oxigraph's:\n\n" + "\n\n".join(failures)


# ---------------------------------------------------------------------------- the faults found
# name → (query, the columns its ORDER BY fixes, GROUP_CONCAT columns): the smallest query found
# to differ, one per fault; each was fixed in translate.py where the comment says
MINIMAL: dict[str, tuple[str, list[str], list[str]]] = {
    # SPARQL variables are case-sensitive, DuckDB's column names are not, even quoted: ?R read
    # ?r's column (Oxigraph: (1, 1), (2, 0.8); translated: (1, 1), (2, 2)); translate.quote now
    # spells a capital as _ and the letter
    "names-differing-in-case": (
        "SELECT ?r ?R WHERE { ?x sk:rank ?r ; sk:score ?R } ORDER BY ?x LIMIT 2",
        ["r", "R"],
        [],
    ),
    # a number and a string are unequal terms: Oxigraph's = is false (!= true), the translation's
    # was an error (Oxigraph 472, translated 0); translate._equal now gives false
    "number-not-a-string": ('SELECT (COUNT(*) AS ?n) WHERE { ?x sk:rank ?r FILTER(?r != "1") }', [], []),
    # strings of one language tag are ordered by Oxigraph, were an error in the translation
    # (Oxigraph 2, translated 0); translate._compare now compares strings of one tag
    "tagged-strings-ordered": ('SELECT (COUNT(*) AS ?n) WHERE { ?a skos:prefLabel ?l FILTER(?l < "B"@zh) }', [], []),
}


@pytest.mark.parametrize("name", sorted(MINIMAL))
def test_minimal_differences(
    name: str, engines: tuple[OxigraphBackend, FramesBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, ordered, lists = MINIMAL[name]
    problem = compare(engines, Query(text, ordered, lists), monkeypatch, name).problem
    assert problem is None, f"{name}: {problem}\n{text}"
