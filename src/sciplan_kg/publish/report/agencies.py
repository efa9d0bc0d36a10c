"""Pages per agency and per agency type across plans: "the tasks 县科协 leads everywhere".

An agency across plans is the registry's entry (every plan's 县科协, 区科协 … are 科协); a row is
one task the agency leads or supports, stated for the task or inherited from its measure, with
links to the task on its plan's page and to the words that name the agency in the plan's text.
A page lists at most ``MAX_ROWS`` tasks; beyond, it counts them per plan and links to the
explorer, filtered to the agency, for the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sciplan_kg.publish.report.data import Corpus, Measure, Plan, Task
from sciplan_kg.publish.report.source import mention_id

MAX_ROWS = 2000


@dataclass
class Row:
    plan: Plan
    measure: Measure
    task: Task
    agency: str  # the plan's own name (县科协)
    role: str
    stated: bool
    mention: str  # id of the statement's mark in the source page, "" when it has no span


@dataclass
class PlanCount:
    plan: Plan
    lead_stated: int = 0
    lead_inherited: int = 0
    support: int = 0
    lead_share: float = 0.0  # tasks led, 1/n per co-lead, as a share (%) of the plan's tasks


@dataclass
class Page:
    key: str
    name: str
    type_key: str
    type_name: str
    type_name_en: str
    names: list[str] = field(default_factory=list)  # as each plan names it
    rows: list[Row] = field(default_factory=list)
    counts: dict[str, PlanCount] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)  # for a type page: the agency keys

    @property
    def file(self) -> str:
        return f"{self.key}.html"

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.counts.values())

    @property
    def shown(self) -> list[Row]:
        return self.rows[:MAX_ROWS]


def pages(corpus: Corpus) -> tuple[list[Page], list[Page]]:
    """(agency pages, agency type pages), each sorted by tasks led, then name."""
    mentions = {(m.item, m.agency, m.role): m for p in corpus.plans for m in p.mentions if m.start is not None}
    by_agency: dict[str, Page] = {}
    by_type: dict[str, Page] = {}
    for p in corpus.plans:
        for m in p.measures:
            for t in m.tasks:
                leads = t.agencies("lead")
                for r in t.roles:
                    a = corpus.agencies.get(r.agency)
                    if a is None:
                        continue
                    mention = mentions.get((t.iri if r.stated else t.measure, r.agency, r.role))
                    row = Row(p, m, t, a.name, r.role, r.stated, mention_id(mention.iri) if mention else "")
                    type_key = a.type_key or "untyped"
                    pages_of = [
                        by_agency.setdefault(
                            a.key, Page(a.key, corpus.names.get(a.key, a.name), type_key, a.type_name, a.type_name_en)
                        ),
                        by_type.setdefault(
                            type_key,
                            Page(
                                f"type-{type_key}",
                                a.type_name or "未分类",
                                type_key,
                                a.type_name or "未分类",
                                a.type_name_en or "untyped",
                            ),
                        ),
                    ]
                    for page in pages_of:
                        page.rows.append(row)
                        c = page.counts.setdefault(p.iri, PlanCount(p))
                        if r.role == "support":
                            c.support += 1
                        elif r.stated:
                            c.lead_stated += 1
                        else:
                            c.lead_inherited += 1
                        if r.role == "lead":
                            c.lead_share += 100.0 / (len(leads) * max(len(p.tasks), 1))
                        if a.name not in page.names:
                            page.names.append(a.name)
                    if a.key not in by_type[type_key].members:
                        by_type[type_key].members.append(a.key)
    for page in [*by_agency.values(), *by_type.values()]:
        page.rows.sort(
            key=lambda r: (
                r.plan.place,
                r.role != "lead",
                not r.stated,
                r.measure.kind != "action",
                r.measure.no,
                r.task.no,
            )
        )
    # a type page counts a task once per plan even when two agencies of the type share it
    for page in by_type.values():
        _dedupe(page)

    def order(pg: Page) -> tuple[int, str]:
        return (-(pg.total("lead_stated") + pg.total("lead_inherited")), pg.name)

    return sorted(by_agency.values(), key=order), sorted(by_type.values(), key=order)


def _dedupe(page: Page) -> None:
    seen: set[tuple[str, str, bool]] = set()
    rows = []
    counts: dict[str, PlanCount] = {}
    shares: dict[str, float] = defaultdict(float)
    for key, c in page.counts.items():
        shares[key] = c.lead_share
    for r in page.rows:
        k = (r.task.iri, r.role, r.stated)
        if k in seen:
            continue
        seen.add(k)
        rows.append(r)
        c = counts.setdefault(r.plan.iri, PlanCount(r.plan, lead_share=shares[r.plan.iri]))
        if r.role == "support":
            c.support += 1
        elif r.stated:
            c.lead_stated += 1
        else:
            c.lead_inherited += 1
    page.rows, page.counts = rows, counts
