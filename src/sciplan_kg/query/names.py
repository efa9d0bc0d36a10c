"""Parameter values by name: a plan, agency, area or agency type given as a person knows it.

A parameter whose name says what it holds (``plan``, ``agency``, ``area``, ``agencyType``, or a
name ending in one of them: ``parentPlan``, ``leadAgency``) and whose type is ``iri`` accepts

- its IRI: ``https://w3id.org/sciplan-kg/id/plan/wushan-2021-2025``;
- a prefixed name of the project's prefixes: ``plan:wushan-2021-2025``, ``agency:pingluo/kexie``;
- its slug, the IRI's part after its namespace: ``wushan-2021-2025``, ``pingluo/kexie``,
  ``science-association``;
- a name: any of its labels (``rdfs:label``, ``skos:prefLabel``, ``skos:notation``, any
  language) — for a plan also its area's name and slug (``巫山县``, ``wushan``); an agency's
  short name (``县科协``) is the same in every county, so with a ``plan`` parameter beside it
  only that plan's area's agencies are candidates.

Every value is looked up in the store the query runs on (the embedded store, rdflib or the
endpoint): an IRI or name that is not there as a thing of that kind is a QueryError naming the
parameter and the closest names there are (difflib), and so is a name that fits several things.
Any other ``iri`` parameter (``task``) takes an IRI or a prefixed name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sciplan_kg.errors import QueryError
from sciplan_kg.query.catalogue import CatalogueQuery, Param
from sciplan_kg.query.output import expand, prefixed
from sciplan_kg.query.run import close_matches, unknown_parameter
from sciplan_kg.rdf.namespaces import ID, SK

if TYPE_CHECKING:
    from sciplan_kg.query.backends import Backend

# the kind a parameter's name says, by the name's last word → (class, namespace of its IRIs)
KINDS = {
    "agencytype": (str(SK.AgencyType), "agency-type"),
    "agency": (str(SK.Agency), "agency"),
    "plan": (str(SK.ImplementationPlan), "plan"),
    "area": (str(SK.AdministrativeArea), "area"),
}
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_SLUG = re.compile(r"^[^\s:<>\"{}|\\^`]+$")
_PREFIXES = (
    "PREFIX sk: <https://w3id.org/sciplan-kg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def kind_of(param: Param) -> str | None:
    """``plan``, ``agency``, ``area`` or ``agencytype`` for a parameter of type iri so named."""
    if param.type != "iri":
        return None
    name = param.name.lower()
    for kind in KINDS:  # agencytype before agency
        if name.endswith(kind):
            return kind
    return None


def _lookup(name: str, text: str) -> CatalogueQuery:
    return CatalogueQuery(name=name, path=Path("<lookup>"), text=_PREFIXES + text)


def _exists(backend: Backend, iri: str, cls: str, label: str, timeout: float | None) -> bool:
    """Whether ``iri`` is a thing of ``cls`` in the backend's data: what the backend knows
    without a query first (``knows``: rdflib over a build folder finds a plan in its manifest
    instead of reading every plan's graph to answer the ASK), else the ASK."""
    knows = getattr(backend, "knows", None)
    if knows is not None and knows(iri, cls):
        return True
    q = _lookup(label, f"ASK {{ <{iri}> a <{cls}> }}")
    return bool(backend.run(q, {}, timeout).boolean)


def _candidate_iri(value: str, namespace: str) -> str | None:
    """The IRI ``value`` names without a lookup: itself, a prefixed name expanded, or a slug
    under the kind's namespace."""
    full = expand(value)
    if full is not None:
        return full
    if _ABSOLUTE.match(value) and ("://" in value or value.startswith("urn:")):
        return value
    if _SLUG.match(value) and value.isascii():
        return f"{ID}{namespace}/{value}"
    return None


def _candidates(backend: Backend, kind: str, label: str, timeout: float | None) -> list[dict[str, object]]:
    """Every thing of ``kind`` in the store with its names: rows of ?s, ?name, ?area, ?areaName."""
    cls, _ = KINDS[kind]
    names = "?s rdfs:label|skos:prefLabel|skos:notation ?name"
    area = "OPTIONAL { ?s sk:area ?area OPTIONAL { ?area rdfs:label ?areaName } }" if kind in ("plan", "agency") else ""
    q = _lookup(label, f"SELECT ?s ?name ?area ?areaName WHERE {{ ?s a <{cls}> OPTIONAL {{ {names} }} {area} }}")
    return list(backend.run(q, {}, timeout).rows)


def _slug(iri: str, namespace: str) -> str:
    base = f"{ID}{namespace}/"
    return iri[len(base) :] if iri.startswith(base) else iri


def resolve_value(
    backend: Backend,
    query: str,
    param: str,
    kind: str,
    value: str,
    timeout: float | None = None,
    within_area: str | None = None,
) -> str:
    """The IRI of the thing of ``kind`` that ``value`` names (see the module's docstring);
    ``within_area`` narrows a name that fits several agencies to those of one area."""
    cls, namespace = KINDS[kind]
    label = f"{query} -p {param}"
    candidate = _candidate_iri(value.strip(), namespace)
    if candidate is not None and _exists(backend, candidate, cls, label, timeout):
        return candidate
    rows = _candidates(backend, kind, label, timeout)
    keys: dict[str, set[str]] = {}  # a name, case folded → the things it names
    written: set[str] = set()  # the names as written, for the close matches
    areas: dict[str, set[str]] = {}
    for r in rows:
        iri = str(r["s"])
        names = [_slug(iri, namespace), prefixed(iri) or iri, r.get("name")]
        if kind == "plan":
            names += [r.get("areaName"), _slug(str(r["area"]), "area") if r.get("area") else None]
        for n in names:
            if isinstance(n, str) and n:
                keys.setdefault(n.casefold(), set()).add(iri)
                written.add(n)
        if r.get("area"):
            areas.setdefault(iri, set()).add(str(r["area"]))
    wanted = value.strip()
    found = keys.get(wanted.casefold(), set())
    if len(found) > 1 and within_area is not None:
        found = {iri for iri in found if within_area in areas.get(iri, set())} or found
    if len(found) == 1:
        return next(iter(found))
    if found:
        listed = ", ".join(sorted(prefixed(i) or i for i in found))
        hint = "；加 -p plan 限定方案 / add -p plan to narrow it to one plan's" if kind == "agency" else ""
        raise QueryError(
            query,
            f"参数 {param} 的值 '{value}' 对应多个 / the value '{value}' of {param} names several: {listed}{hint}",
        )
    near = close_matches(wanted, sorted(written), n=6)
    hint = f"; 相近的有 / close matches: {', '.join(near)}" if near else ""
    raise QueryError(
        query,
        f"参数 {param}: 存储中没有 '{value}' / no {kind_label(kind)} '{value}' in the store "
        f"(IRI, plan:… prefixed name, slug or Chinese name){hint}",
    )


def kind_label(kind: str) -> str:
    return {"agencytype": "agency type"}.get(kind, kind)


def resolve_params(
    q: CatalogueQuery, params: dict[str, str], backend: Backend, timeout: float | None = None
) -> dict[str, str]:
    """``params`` with every plan, agency, area or agency type value as its IRI and every other
    iri value's prefixed name expanded; an unknown parameter name is a QueryError naming the
    close ones. The plan is resolved first: an agency's short name is looked for in its area."""
    declared = {p.name: p for p in q.params}
    for name in params:
        if name not in declared:
            raise unknown_parameter(q, name)
    out = dict(params)
    order = sorted(params, key=lambda n: kind_of(declared[n]) != "plan")
    plan_area: str | None = None
    # only an agency's name needs the plan's area: its lookup reads the whole data (on rdflib
    # over a build folder, every plan's graph), so it is not made for a plan alone
    agencies = any(kind_of(declared[n]) == "agency" for n in params)
    for name in order:
        param, value = declared[name], params[name]
        kind = kind_of(param)
        if kind is None:
            if param.type == "iri":
                out[name] = expand(value.strip()) or _checked_iri(q, name, value.strip())
            continue
        out[name] = resolve_value(backend, q.name, name, kind, value, timeout, plan_area)
        if kind == "plan" and plan_area is None and agencies:
            plan_area = _area_of(backend, out[name], q.name, timeout)
    return out


# schemes an IRI a user gives may have; anything else before a colon is a prefix
_SCHEMES = frozenset({"http", "https", "urn", "tag", "mailto", "file", "ftp", "data", "did", "info"})


def _checked_iri(q: CatalogueQuery, name: str, value: str) -> str:
    """``value`` as an IRI, unless it reads as a prefixed name of a prefix the project does
    not have (-p task nope:thing, a typo of plan:…): that is a QueryError naming the prefixes,
    not a query for an IRI that nothing has (0 rows, without a word)."""
    prefix, colon, local = value.partition(":")
    if colon and local and not local.startswith("//") and prefix.lower() not in _SCHEMES:
        from sciplan_kg.query.output import DISPLAY_PREFIXES

        known = ", ".join(f"{p}:" for p in sorted(DISPLAY_PREFIXES))
        raise QueryError(
            q.name,
            f"-p {name}：未知前缀 '{prefix}:' / unknown prefix '{prefix}:' in {value!r}; the prefixes are {known}, "
            "or give the whole IRI",
        )
    return value


def _area_of(backend: Backend, plan: str, query: str, timeout: float | None) -> str | None:
    rows = backend.run(
        _lookup(f"{query} -p plan", f"SELECT ?area WHERE {{ <{plan}> sk:area ?area }}"), {}, timeout
    ).rows
    return str(rows[0]["area"]) if rows else None
