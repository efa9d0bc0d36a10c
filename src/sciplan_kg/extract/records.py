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
# what a section of the plan is, whatever its heading calls it (extract.sections)
SectionKind = Literal[
    "background", "guidance", "principles", "goals", "tasks", "actions", "projects", "safeguards", "schedule", "other"
]  # fmt: skip
GoalKind = Literal["literacy", "quantitative", "qualitative", "relative", "vision"]


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
    # what the number counts or measures, as written (科技辅导员, 社区, 科普基地, 公民具备科学素质的比例)
    indicator: str | None = None
    indicator_key: str | None = None  # registry key of the indicator (resolve; data/registry/indicators.toml)
    scope: str | None = None  # where or per what it holds, as written: 全县, 每所学校, 每个乡镇
    base_value: float | None = None  # a baseline stated with the target: 由2020年的8%提高到… → 8
    base_year: int | None = None  # … and 2020
    groups: list[str] = field(default_factory=list)  # population-group keys it names (resolve)
    tier: str | None = None  # the tier of a designation counted, as written: 县级, 市级, 全国 (extract.targets)


@dataclass
class GroupMention:
    """A population group a task or commitment names (留守儿童, 农村妇女, 新就业形态劳动者), as
    written, and its key in the group scheme (data/registry/groups.toml; filled by resolve)."""

    written: str
    span: Span
    group: str | None = None


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
    groups: list[GroupMention] = field(default_factory=list)  # population groups the task names (resolve)
    # policy-instrument keys (resolve; data/registry/instruments.toml)
    instruments: list[str] = field(default_factory=list)


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
class Section:
    """A part of the plan by what it does (guidance, principles, goals, tasks, safeguards, schedule),
    whatever its heading calls it. ``span`` runs from the heading to the section's end (its line is
    the heading's); sections nest (``level`` 1 for 一、, 2 for （一）)."""

    kind: SectionKind
    title: str  # the heading as written, without its numbering
    level: int
    span: Span
    heading: Span


@dataclass
class Principle:
    """One principle of 基本原则: 坚持…, with its explanation."""

    title: str
    text: str
    span: Span


@dataclass
class Goal:
    """One statement of the goals section: the literacy target, another quantitative goal, a
    qualitative or relative goal (高于全市平均水平), or the 2035 vision."""

    kind: GoalKind
    text: str
    span: Span
    year: int | None = None
    targets: list[Target] = field(default_factory=list)


@dataclass
class Commitment:
    """One safeguard commitment (组织实施, 保障措施, 工作要求): a sentence that says how the plan
    will be run, paid for, checked or made known. ``kinds`` are keys of the safeguard-kind scheme
    (data/registry/safeguards.toml), the first the main one."""

    kinds: list[str]
    text: str
    span: Span
    heading: str | None = None  # the heading it stands under (加强组织领导), without numbering
    mentions: list[AgencyMention] = field(default_factory=list)  # the bodies it names
    chair: str | None = None  # who chairs a leading group or joint conference, as written
    targets: list[Target] = field(default_factory=list)
    groups: list[GroupMention] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)  # policy-instrument keys (resolve)


@dataclass
class Phase:
    """One phase of the plan's timetable (进度安排, 实施步骤): 启动实施 2021年."""

    name: str
    start: int | None
    end: int | None
    text: str
    span: Span


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
    sections: list[Section] = field(default_factory=list)
    principles: list[Principle] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def tasks(self) -> list[tuple[Measure, Task]]:
        return [(m, t) for m in self.measures for t in m.tasks]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def warn(self, code: str, line: int | None, zh: str, en: str) -> None:
        self.warnings.append(Warning(code, line, zh, en))
