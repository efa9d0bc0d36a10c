"""The report's view of a build: plans, measures, tasks, responsibility statements and agencies,
read from the graph with the report's own queries (``queries/*.rq`` beside this file) and the
catalogue's ``plans``, ``targets`` and ``directive-chain``, on one store opened once. A task's
policy instruments are its ``sk:usesInstrument`` (report query ``instruments``), in the order of
the scheme file (data/registry/instruments.toml).

Who leads a task: the agencies a statement names for the task itself (*stated*, in the order
the text lists them, ``sk:ordinal``), else the ones its measure names, which it inherits
(``sk:inheritedLeadAgency``, listed in the measure's order). Supports likewise.

An agency across plans: every plan has its own agency nodes (巫山's 县科协, 九龙坡's 区科协);
the registry's entry (``…/agency/<area>/kexie``: key ``kexie``) makes them one agency across
plans, named without the level (科协). An agency the registry does not know is one across plans
by its name.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sciplan_kg.query import backend, find_query
from sciplan_kg.query.backends import Backend
from sciplan_kg.resolve.instruments import load_scheme
from sciplan_kg.resolve.registry import load_registry

Row = dict[str, Any]
QUERIES = Path(__file__).parent / "queries"
KIND = {"action": ("提升行动", "action"), "project": ("重点工程", "project")}
ROLE = {"lead": ("牵头", "lead"), "support": ("配合", "support")}


@dataclass(slots=True)
class Agency:
    iri: str
    name: str
    name_en: str
    type_key: str  # the agency type's notation ("science-association"), "" when untyped
    type_name: str
    type_name_en: str
    key: str  # the agency across plans: registry key, or "u-<hash of the name>"
    registered: bool


@dataclass(slots=True)
class Mention:
    """A responsibility statement: an agency named as lead or support of a task or a measure."""

    iri: str
    item: str
    agency: str
    role: str  # lead | support
    ordinal: int
    written: str
    line: int | None
    start: int | None
    end: int | None


@dataclass(slots=True)
class Role:
    """An agency's part in a task, as the report shows it."""

    agency: str
    role: str  # lead | support
    stated: bool  # named for the task itself (else inherited from its measure)


@dataclass(slots=True)
class Task:
    iri: str
    plan: str
    measure: str
    no: int
    text: str
    line: int | None
    start: int | None
    end: int | None
    anchor: str
    roles: list[Role] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)  # policy-instrument keys, in scheme order

    def agencies(self, role: str) -> list[Role]:
        return [r for r in self.roles if r.role == role]

    @property
    def lead_stated(self) -> bool:
        return any(r.stated for r in self.agencies("lead"))


@dataclass(slots=True)
class Measure:
    iri: str
    kind: str
    no: int
    title: str
    line: int | None
    start: int | None
    end: int | None
    anchor: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def kind_zh(self) -> str:
        return KIND.get(self.kind, (self.kind, self.kind))[0]

    @property
    def kind_en(self) -> str:
        return KIND.get(self.kind, (self.kind, self.kind))[1]


@dataclass
class Plan:
    iri: str
    stem: str
    file: str
    facts: Row
    summary: Row
    level: str
    measures: list[Measure] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def place(self) -> str:
        return str(self.facts.get("place") or self.facts.get("title") or self.stem)

    @property
    def tasks(self) -> list[Task]:
        return [t for m in self.measures for t in m.tasks]


@dataclass
class Corpus:
    plans: list[Plan]
    agencies: dict[str, Agency]  # by IRI
    names: dict[str, str]  # cross-plan key → name without level (科协)
    targets: list[Row]  # the catalogue's targets rows
    chains: dict[str, list[Row]]
    # the rest of each plan (issue 18), rows by plan IRI: principles and goals (report query
    # outline), safeguard commitments and phases (catalogue queries safeguards, phases)
    outline: dict[str, list[Row]] = field(default_factory=dict)
    safeguards: dict[str, list[Row]] = field(default_factory=dict)
    phases: dict[str, list[Row]] = field(default_factory=dict)

    def plan_of(self, iri: str) -> Plan:
        """The plan of IRI ``iri`` (a lookup: the report asks for each child plan's parent)."""
        index = self.__dict__.get("_by_iri")
        if index is None or len(index) != len(self.plans):
            index = self.__dict__["_by_iri"] = {p.iri: p for p in self.plans}
        return index[iri]


def anchor(iri: str) -> str:
    """A fragment id for a task or a measure: its path below the plan (action-1-task-2)."""
    tail = iri.split("/plan/", 1)[-1].split("/", 1)[-1]
    return tail.replace("/", "-")


def cross_key(agency_iri: str, name: str, registered: bool, registry_keys: set[str]) -> str:
    tail = agency_iri.rstrip("/").rsplit("/", 1)[-1]
    if registered and tail in registry_keys:
        return tail
    return "u-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


def _run(b: Backend, name: str) -> list[Row]:
    q = find_query(str(QUERIES / f"{name}.rq")) if (QUERIES / f"{name}.rq").is_file() else find_query(name)
    return b.run(q, {}, None).rows


# DuckDB's memory while the corpus is read: by default it keeps the tables' pages it read (the
# report's ``tasks`` joins eleven of them) up to 80 % of the machine's; at 3,000 plans that
# was 0.65 GB more at the read's peak (2.14 → 1.49 GB), for 7–10 s more of its 30 s
READ_MEMORY = "300MB"


def read_corpus(build: Path, manifest: dict[str, Any]) -> Corpus:
    """Everything the report shows, from the build folder's store."""
    # the DuckDB connection closed at the end (query.run_query says why)
    with closing(backend(build, memory=READ_MEMORY)) as b:
        return _read(b, manifest)


def _read(b: Backend, manifest: dict[str, Any]) -> Corpus:
    # each IRI and word held once however many rows name it: every listing's row gives a string
    # of its own (an agency's IRI in 200,000 rows of responsibilities and inherited roles);
    # a dict of this read's strings, not ``sys.intern``, which would keep them for the process
    seen: dict[str, str] = {}

    def one(s: str) -> str:
        return seen.setdefault(s, s)

    facts = {str(r["plan"]): r for r in _run(b, "plans")}
    targets = _run(b, "targets")
    chains: dict[str, list[Row]] = defaultdict(list)
    for r in _run(b, "directive-chain"):
        chains[str(r["plan"])].append(r)
    registry = load_registry()
    keys = {a.key for a in registry.agencies}
    names = {a.key: a.zh.replace("{L}", "") for a in registry.agencies}
    agencies: dict[str, Agency] = {}
    for r in _run(b, "agencies"):
        iri, name = str(r["agency"]), str(r["name"])
        key = cross_key(iri, name, bool(r["registered"]), keys)
        names.setdefault(key, name)
        agencies[iri] = Agency(
            iri=one(iri),
            name=name,
            name_en=str(r["nameEn"] or ""),
            type_key=str(r["typeKey"] or ""),
            type_name=str(r["typeName"] or ""),
            type_name_en=str(r["typeNameEn"] or ""),
            key=key,
            registered=bool(r["registered"]),
        )
    levels: dict[str, str] = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for r in _run(b, "facets"):
        if r["kind"] == "level":
            levels[str(r["item"])] = one(str(r["value"]))
        else:
            groups[str(r["item"])].append(one(str(r["value"])))
    mentions: dict[str, list[Mention]] = defaultdict(list)  # by item
    for r in _run(b, "responsibilities"):
        m = Mention(
            iri=str(r["responsibility"]),
            item=one(str(r["item"])),
            agency=one(str(r["agency"])),
            role=one(str(r["role"])),
            ordinal=int(r["ordinal"] or 0),
            written="",  # asked below where it is shown
            line=r["line"],
            start=r["start"],
            end=r["end"],
        )
        mentions[m.item].append(m)
    for ms in mentions.values():
        ms.sort(key=lambda m: (m.role != "lead", m.ordinal, m.start or 0))
    nameless = {m.iri: m for ms in mentions.values() for m in ms if m.agency not in agencies}
    if nameless:  # the text's own words stand for an agency the graph names not (an invalid build)
        for r in _run(b, "written"):
            if str(r["responsibility"]) in nameless:
                nameless[str(r["responsibility"])].written = str(r["writtenAs"] or "")
    inherited: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in _run(b, "inherited"):
        inherited[str(r["task"])][one(str(r["role"]))].add(one(str(r["agency"])))
    instruments: dict[str, list[str]] = defaultdict(list)
    for r in _run(b, "instruments"):
        instruments[str(r["task"])].append(one(str(r["instrument"])))
    order = {k: i for i, k in enumerate(i.key for i in load_scheme().instruments)}
    task_targets: dict[str, list[Row]] = defaultdict(list)
    for t in targets:
        if t["task"]:
            task_targets[str(t["task"])].append(t)

    plans: dict[str, Plan] = {}
    for entry in manifest["plans"]:
        iri = entry["plan"]
        plans[iri] = Plan(
            iri=iri,
            stem=Path(entry["file"]).stem,
            file=entry["file"],
            facts=facts.get(iri, {"title": entry["title"], "source": entry["file"]}),
            summary=entry,
            level=levels.get(iri, ""),
        )
    measures: dict[str, Measure] = {}
    for r in _run(b, "tasks"):
        plan = plans.get(str(r["plan"]))
        if plan is None:
            continue
        miri = str(r["measure"])
        if miri not in measures:
            measures[miri] = Measure(
                iri=miri,
                kind=one(str(r["measureKind"])),
                no=int(r["measureNo"]),
                title=str(r["measureTitle"]),
                line=r["measureLine"],
                start=r["measureStart"],
                end=r["measureEnd"],
                anchor=anchor(miri),
            )
            plan.measures.append(measures[miri])
        tiri = str(r["task"])
        task = Task(
            iri=tiri,
            plan=plan.iri,
            measure=measures[miri].iri,
            no=int(r["taskNo"]),
            text=str(r["text"]),
            line=r["line"],
            start=r["start"],
            end=r["end"],
            anchor=anchor(tiri),
            targets=task_targets.get(tiri, []),
            groups=sorted(groups.get(tiri, [])),
            instruments=sorted(instruments.get(tiri, []), key=lambda k: (order.get(k, len(order)), k)),
        )
        task.roles = _roles(task, mentions, inherited.get(tiri, {}))
        measures[miri].tasks.append(task)
    for plan in plans.values():
        plan.measures.sort(key=lambda m: (m.kind != "action", m.no))
        for m in plan.measures:
            m.tasks.sort(key=lambda t: t.no)
            plan.mentions.extend(mentions.get(m.iri, []))
            for t in m.tasks:
                plan.mentions.extend(mentions.get(t.iri, []))
    return Corpus(
        list(plans.values()),
        agencies,
        names,
        targets,
        chains,
        outline=_by_plan(_run(b, "outline")),
        safeguards=_by_plan(_run(b, "safeguards")),
        phases=_by_plan(_run(b, "phases")),
    )


def _by_plan(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[str(r["plan"])].append(r)
    return dict(out)


def _roles(task: Task, mentions: dict[str, list[Mention]], inherited: dict[str, set[str]]) -> list[Role]:
    """The task's agencies, leads first, each role in the order the text names them."""
    own = mentions.get(task.iri, [])
    from_measure = mentions.get(task.measure, [])
    out: list[Role] = []
    for role in ("lead", "support"):
        stated = [m.agency for m in own if m.role == role]
        if stated:
            out.extend(Role(a, role, True) for a in dict.fromkeys(stated))
            continue
        names = inherited.get(role, set())
        ordered = [m.agency for m in from_measure if m.role == role and m.agency in names]
        ordered += sorted(names - set(ordered))
        out.extend(Role(a, role, False) for a in dict.fromkeys(ordered))
    return out
