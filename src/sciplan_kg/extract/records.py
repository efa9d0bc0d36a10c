"""The records extraction produces: plain data, one plan at a time, before any RDF.

Every record that stands for something in the text carries a :class:`Span`: character offsets
into the decoded plan file (end exclusive) and the 1-based line where it starts. Records are
serialised to JSON (``to_dict``) for golden tests and for the build folder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["lead", "support"]
MeasureKind = Literal["action", "project"]
Comparator = Literal["gt", "ge", "eq"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    line: int


@dataclass
class AgencyMention:
    """One agency name as written, and the registry agency it resolves to (filled by resolve)."""

    written: str
    span: Span
    agency: str | None = None  # registry key, or "unregistered:<name>"
    collective: bool = False


@dataclass
class Assignment:
    """A lead (牵头) or support (责任/配合) statement: the whole annotation and its names."""

    role: Role
    span: Span
    mentions: list[AgencyMention] = field(default_factory=list)  # in the order written: the first is the first lead
    open: bool = False  # the list ends in 等 (…等部门): more bodies take part than it names


@dataclass
class Target:
    """A numeric commitment (literacy share, task quantity)."""

    value: float
    unit: str
    comparator: Comparator
    year: int | None
    quote: str
    span: Span
    period: tuple[int, int] | None = None  # "十四五"期间 → (2021, 2025)
    frequency: str | None = None  # 每学期, 每年: a recurring commitment
    gain: float | None = None  # for a baseline: 比2015年提高了6.4个百分点 → 6.4
    gain_since: int | None = None  # … and 2015


@dataclass
class Task:
    no: int
    title: str
    text: str
    span: Span
    assignments: list[Assignment] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # where the task is stated: "table" (a row of the task table, 重点任务分工) or "text" (the body)
    origin: str = "text"
    # a table task: the body's sentences stating the same commitment (extract.table.link_body)
    restated: list[Span] = field(default_factory=list)


@dataclass
class Measure:
    kind: MeasureKind
    no: int
    title: str  # as written, without 实施 and numbering
    span: Span  # the heading
    assignments: list[Assignment] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    national: str | None = None  # key of the national measure it corresponds to (resolve)
    mapping: str | None = None  # same, renamed, replaced-by-parent, local-addition


@dataclass
class DirectiveRef:
    """A document the plan names as its basis: by number, by title, or both."""

    title: str | None
    number: str | None
    span: Span
    directive: str | None = None  # registry key, filled by resolve


@dataclass
class Agency:
    """One real body in the plan's jurisdiction, after resolution."""

    key: str  # registry key, or the folded name for bodies no template covers
    zh: str
    type: str
    registered: bool
    collective: bool
    written: list[str] = field(default_factory=list)  # every form the text uses


@dataclass
class Warning:
    code: str
    line: int | None
    zh: str
    en: str


@dataclass
class PlanRecord:
    source: str  # file name
    sha256: str
    length: int  # characters in the decoded text
    title: str | None
    title_span: Span | None
    place: str | None
    doc_number: str | None
    doc_number_span: Span | None
    issuer: str | None
    issuer_span: Span | None
    # every body that signs a jointly issued plan, in the order printed (the first is ``issuer``);
    # empty when one body issues it alone
    issuers: list[str] = field(default_factory=list, kw_only=True)
    issued: str | None  # YYYY-MM-DD: the 成文日期 (the signature's date)
    issued_span: Span | None
    published: str | None = field(default=None, kw_only=True)  # YYYY-MM-DD: the 发布日期, when stated
    published_span: Span | None = field(default=None, kw_only=True)
    period: tuple[int, int] | None
    level: str | None  # county, district, city, prefecture, province, national
    # implementation-plan | work-points (工作要点) | task-division (任务分工) | outline (规划纲要) | other
    doc_type: str | None = None
    directives: list[DirectiveRef] = field(default_factory=list)
    literacy_target: Target | None = None
    baseline: Target | None = None
    measures: list[Measure] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def tasks(self) -> list[tuple[Measure, Task]]:
        return [(m, t) for m in self.measures for t in m.tasks]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def warn(self, code: str, line: int | None, zh: str, en: str) -> None:
        self.warnings.append(Warning(code, line, zh, en))
