"""The curated registries in ``data/registry/``: agencies, directives, areas, national measures,
measured literacy rates (outcomes).

These are reference data kept by hand (documented in each TOML file), loaded once and
looked up by the resolve step and the RDF builder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from sciplan_kg.errors import InputError
from sciplan_kg.paths import REGISTRY_DIR
from sciplan_kg.read.text import KEYS_KEPT, fold, title_key

LEVEL_CHAR = {
    "county": "县",
    "district": "区",
    "city": "市",
    "prefecture": "市",
    "province": "省",
}
_PLACE_CHARS = "县区市州旗盟省"


def level_char(place: str | None, level: str | None) -> str:
    """The character a jurisdiction's bodies carry in front of their names: 县 in a county
    (县科协), 区 in a district, 州 in an autonomous prefecture (州教育局)."""
    if place and place[-1] in _PLACE_CHARS:
        return place[-1]
    return LEVEL_CHAR.get(level or "", "县")


@dataclass(frozen=True)
class AgencyTemplate:
    key: str
    type: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    collective: bool = False


@dataclass(frozen=True)
class AgencyPattern:
    regex: re.Pattern[str]
    type: str
    en: str


@dataclass(frozen=True)
class Directive:
    key: str
    number: str | None
    titles: tuple[str, ...]
    label_en: str
    kind: str
    level: str
    area: str
    issuer: str
    issuer_en: str
    parents: tuple[str, ...]
    source: str
    issued: str | None = None
    published: str | None = None
    baseline: dict[str, Any] | None = None
    targets: tuple[dict[str, Any], ...] = ()
    measures_replaced: tuple[dict[str, str], ...] = ()

    @property
    def is_literacy_plan(self) -> bool:
        return self.kind.startswith("literacy")


@dataclass(frozen=True)
class Area:
    zh: str
    slug: str
    en: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class LiteracyDefinition:
    """A way the surveys scored "basic scientific literacy"; ``first``/``last``: the first and
    last survey years scored on it, where known."""

    key: str
    zh: str
    en: str
    description_zh: str
    description_en: str
    first: int | None = None
    last: int | None = None

    def covers(self, year: int) -> bool:
        return (self.first is None or self.first <= year) and (self.last is None or year <= self.last)


@dataclass(frozen=True)
class OutcomeSource:
    """Where measured values were published (the publisher the release names) and read."""

    key: str
    publisher: str
    publisher_en: str
    read_at: str
    released: str | None = None
    doi: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One measured literacy rate (%): an area's value in a survey year for a population group."""

    area: str
    year: int
    group: str
    definition: str
    value: float
    source: OutcomeSource
    edition: int | None = None


@dataclass(frozen=True)
class NationalMeasure:
    key: str
    kind: str
    no: int
    zh: str
    en: str
    stems: tuple[str, ...]
    group: str | None


@dataclass
class Registry:
    categories: dict[str, dict[str, str]]
    types: dict[str, dict[str, str]]
    agencies: list[AgencyTemplate]
    patterns: list[AgencyPattern]
    directives: dict[str, Directive]
    areas: dict[str, Area]
    groups: dict[str, dict[str, str]]
    measures: list[NationalMeasure]
    outcomes: list[Outcome] = field(default_factory=list)
    definitions: dict[str, LiteracyDefinition] = field(default_factory=dict)
    population_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    _alias_cache: dict[str, dict[str, AgencyTemplate]] = field(default_factory=dict)

    # -- agencies -------------------------------------------------------------------------
    def aliases(self, level_char: str) -> dict[str, AgencyTemplate]:
        """Every written form → template, for a jurisdiction whose level character is given."""
        if level_char not in self._alias_cache:
            table: dict[str, AgencyTemplate] = {}
            for tpl in self.agencies:
                for alias in tpl.aliases:
                    table.setdefault(name_key(alias.replace("{L}", level_char)), tpl)
            self._alias_cache[level_char] = table
        return self._alias_cache[level_char]

    def match_agency(self, written: str, level_char: str, place: str | None = None) -> AgencyTemplate | None:
        """Resolve a written name in a jurisdiction: as written, with the jurisdiction's level
        character put in front (科协 → 县科协), with the plan's own place written out
        (三都水族自治县农业农村局 → 县农业农村局), then without a bracketed tail."""
        table = self.aliases(level_char)
        name = name_key(written)
        for candidate in name_candidates(name, level_char, place):
            if candidate in table:
                return table[candidate]
        return None

    def match_pattern(self, written: str) -> AgencyPattern | None:
        name = name_key(written)
        for pattern in self.patterns:
            if pattern.regex.match(name):
                return pattern
        return None

    # -- directives -----------------------------------------------------------------------
    def match_directive(self, number: str | None, title: str | None) -> Directive | None:
        if number:
            key = number_key(number)
            for d in self.directives.values():
                if d.number and number_key(d.number) == key:
                    return d
        if title:
            key = title_key(title)
            for d in self.directives.values():
                if any(title_key(t) == key for t in d.titles):
                    return d
        return None

    def area(self, zh: str | None) -> Area | None:
        return self.areas.get(zh) if zh else None

    # -- areas and outcomes ---------------------------------------------------------------
    def area_chain(self, zh: str) -> list[Area]:
        """The area and every area it lies in, nearest first (county → … → nation)."""
        chain: list[Area] = []
        current = self.areas.get(zh)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.areas.get(current.parent) if current.parent else None
        return chain

    def nearest_outcome(self, zh: str, group: str = "all") -> Outcome | None:
        """The latest measured value of the nearest area, from ``zh`` itself up, that has one."""
        for area in self.area_chain(zh):
            found = [o for o in self.outcomes if o.area == area.zh and o.group == group]
            if found:
                return max(found, key=lambda o: o.year)
        return None


def name_candidates(name: str, level_char: str, place: str | None = None) -> list[str]:
    """The forms a written name is looked up as, in order: as written; with the jurisdiction's
    level character in front (科协 → 县科协); with the plan's own place, written out in full,
    as its level character (三都水族自治县农业农村局 → 县农业农村局, 共青团三都水族自治县委员会 →
    共青团县委员会), 中共 dropped (中共县委宣传部 → 县委宣传部); a province's 厅 as the 局 the
    registry names for every level (省教育厅 → 省教育局); for a name with a bracketed tail, the
    body in the bracket, which is the one doing the work (县委组织部（老干部局） → 老干部局,
    县政府办公室（县大数据应用发展管理中心） → the big-data centre), then the name before it."""
    out = [name]
    if place and len(place) > 1 and place in name and name != place:
        name = name.replace(place, level_char, 1)
        out.append(name)
    if name.startswith("中共") and len(name) > 3:
        name = name[2:]
        out.append(name)
    if level_char == "省" and name.endswith("厅"):
        out.append(name[:-1] + "局")
    if not name.startswith((level_char, "各", "团")):
        out.append(level_char + name)
    tail = re.fullmatch(r"(.+?)\((.+)\)", name)
    if tail:
        bare, inner = tail.groups()
        for form in (inner, bare):
            out.append(form)
            if not form.startswith((level_char, "各", "团")):
                out.append(level_char + form)
    return out


@lru_cache(maxsize=KEYS_KEPT)
def name_key(name: str) -> str:
    """An agency name folded for comparison: punctuation folded, whitespace dropped."""
    return re.sub(r"\s+", "", fold(name))


def number_key(number: str) -> str:
    return re.sub(r"\s+", "", fold(number))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputError(path, f"无法读取登记表 / cannot read the registry: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        line = None
        m = re.search(r"line (\d+)", str(exc))
        if m:
            line = int(m.group(1))
        raise InputError(path, f"登记表格式错误 / malformed registry: {exc}", line) from exc


@cache
def load_registry(directory: Path = REGISTRY_DIR) -> Registry:
    agencies = _read(directory / "agencies.toml")
    directives = _read(directory / "directives.toml")
    areas = _read(directory / "areas.toml")
    measures = _read(directory / "measures.toml")
    outcomes = _read(directory / "outcomes.toml") if (directory / "outcomes.toml").exists() else {}
    return Registry(
        categories=agencies["categories"],
        types=agencies["types"],
        agencies=[
            AgencyTemplate(
                key=a["key"],
                type=a["type"],
                zh=a["zh"],
                en=a["en"],
                aliases=tuple(a["aliases"]),
                collective=bool(a.get("collective", False)),
            )
            for a in agencies["agency"]
        ],
        patterns=[AgencyPattern(re.compile(p["regex"]), p["type"], p["en"]) for p in agencies.get("pattern", [])],
        directives={
            d["key"]: Directive(
                key=d["key"],
                number=d.get("number"),
                titles=tuple(d["titles"]),
                label_en=d["label_en"],
                kind=d["kind"],
                level=d["level"],
                area=d["area"],
                issuer=d["issuer"],
                issuer_en=d["issuer_en"],
                parents=tuple(d.get("parents", [])),
                source=d["source"],
                issued=d.get("issued"),
                published=d.get("published"),
                baseline=d.get("baseline"),
                targets=tuple(d.get("targets", [])),
                measures_replaced=tuple(d.get("measures_replaced", [])),
            )
            for d in directives["directive"]
        },
        areas={a["zh"]: Area(a["zh"], a["slug"], a["en"], a["level"], a.get("parent")) for a in areas["area"]},
        groups=measures["groups"],
        measures=[
            NationalMeasure(
                key=m["key"],
                kind=m["kind"],
                no=m["no"],
                zh=m["zh"],
                en=m["en"],
                stems=tuple(m["stems"]),
                group=m.get("group"),
            )
            for m in measures["measure"]
        ],
        **_outcomes(directory / "outcomes.toml", outcomes),
    )


def _outcomes(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """outcomes.toml: the definitions, population groups, sources and observations, each
    observation's references checked (an unknown source, definition, group or area, or a second
    value for one area, year and group, is an error naming the file)."""
    definitions = {
        key: LiteracyDefinition(
            key, d["zh"], d["en"], d["description_zh"], d["description_en"], d.get("from"), d.get("until")
        )
        for key, d in data.get("definition", {}).items()
    }
    groups: dict[str, dict[str, str]] = data.get("group", {})
    sources = {
        key: OutcomeSource(
            key, s["publisher"], s["publisher_en"], s["read_at"], s.get("released"), s.get("doi"), s.get("note")
        )
        for key, s in data.get("source", {}).items()
    }
    areas = {a["zh"] for a in _read(path.with_name("areas.toml"))["area"]} if data else set()
    outcomes: list[Outcome] = []
    seen: set[tuple[str, int, str]] = set()
    for n, o in enumerate(data.get("outcome", []), start=1):
        where = f"第{n}条观测 / observation {n} ({o.get('area')} {o.get('year')})"
        missing = [k for k in ("area", "year", "group", "definition", "value", "source") if k not in o]
        if missing:
            raise InputError(path, f"{where}: 缺少 / missing {', '.join(missing)}")
        for name, known in (
            ("source", sources),
            ("definition", definitions),
            ("group", groups),
            ("area", areas),
        ):
            if o.get(name) not in known:
                raise InputError(path, f"{where}: 未知的 {name} / unknown {name}: {o.get(name)!r}")
        key = (o["area"], int(o["year"]), o["group"])
        if key in seen:
            raise InputError(path, f"{where}: 同一地区、年份、人群重复 / a second value for one area, year and group")
        seen.add(key)
        if not definitions[o["definition"]].covers(int(o["year"])):
            raise InputError(path, f"{where}: 口径与年份不符 / the definition does not cover that year")
        outcomes.append(
            Outcome(
                area=o["area"],
                year=int(o["year"]),
                group=o["group"],
                definition=o["definition"],
                value=float(o["value"]),
                source=sources[o["source"]],
                edition=o.get("edition"),
            )
        )
    return {"outcomes": outcomes, "definitions": definitions, "population_groups": groups}
