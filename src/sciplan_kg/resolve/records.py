"""Records → resolved records: written agency names to one agency per real body, cited
documents to registry directives, measures to the national measures they correspond to.

The written forms stay on every mention as evidence; a name no registry entry covers
becomes an agency of its own and a warning, never dropped.
"""

from __future__ import annotations

import re
from collections import Counter

from sciplan_kg.extract.records import Agency, AgencyMention, Assignment, Measure, PlanRecord
from sciplan_kg.resolve.groups import resolve_groups
from sciplan_kg.resolve.indicators import resolve_indicators
from sciplan_kg.resolve.instruments import code_record
from sciplan_kg.resolve.registry import AgencyTemplate, Registry, name_key, title_key
from sciplan_kg.resolve.registry import level_char as registry_level_char
from sciplan_kg.resolve.safeguards import classify_commitments


def resolve(rec: PlanRecord, reg: Registry, source: str | None = None) -> PlanRecord:
    """Resolve ``rec`` in place (and return it). ``source`` is the decoded plan file its spans
    index (``PlanText.raw``): the population groups' spans are mapped through it where a task's
    text is not the file's characters (a joined line break, an invisible character removed)."""
    _resolve_agencies(rec, reg)
    _leads_are_not_supports(rec)
    _resolve_directives(rec, reg)
    for measure in rec.measures:
        _map_measure(measure, rec, reg)
    classify_commitments(rec)  # the kind of each safeguard commitment (data/registry/safeguards.toml)
    code_record(rec)  # policy instruments of tasks and commitments (data/registry/instruments.toml)
    resolve_indicators(rec)  # what each target counts (data/registry/indicators.toml)
    # population groups tasks, commitments and targets name (data/registry/groups.toml)
    resolve_groups(rec, source=source)
    return rec


def _leads_are_not_supports(rec: PlanRecord) -> None:
    """A body that leads a task is not also one of its supports. 万年 lists every body of a task in
    one 〔…按职责分工负责〕 bracket, the measure's leads among them; the lead a task has (its own, or
    its measure's when it states none) is dropped from its supports. The statement's span still
    quotes the whole list, so the evidence is kept."""
    for measure in rec.measures:
        measure_leads = {m.agency for a in measure.assignments if a.role == "lead" for m in a.mentions}
        _drop_supports(measure.assignments, measure_leads)
        for task in measure.tasks:
            own = {m.agency for a in task.assignments if a.role == "lead" for m in a.mentions}
            _drop_supports(task.assignments, own or measure_leads)


def _drop_supports(assignments: list[Assignment], leads: set[str | None]) -> None:
    for a in assignments:
        if a.role == "support":
            a.mentions = [m for m in a.mentions if m.agency not in leads]


def _mentions(rec: PlanRecord) -> list[AgencyMention]:
    out: list[AgencyMention] = []
    for measure in rec.measures:
        for a in measure.assignments:
            out.extend(a.mentions)
        for task in measure.tasks:
            for a in task.assignments:
                out.extend(a.mentions)
    for commitment in rec.commitments:
        out.extend(commitment.mentions)
    return out


def _resolve_agencies(rec: PlanRecord, reg: Registry) -> None:
    level_char = registry_level_char(rec.place, rec.level)
    info: dict[str, Agency] = {}
    written: dict[str, Counter[str]] = {}
    for mention in _mentions(rec):
        tpl = reg.match_agency(mention.written, level_char, rec.place)
        if tpl is not None:
            key = tpl.key
            if key not in info:
                info[key] = Agency(key, "", tpl.type, True, tpl.collective)
            mention.collective = tpl.collective
        else:
            key = name_key(mention.written)
            if key not in info:
                pattern = reg.match_pattern(mention.written)
                info[key] = Agency(key, mention.written, pattern.type if pattern else "other", bool(pattern), False)
                if pattern is None:
                    rec.warn(
                        "unregistered-agency",
                        mention.span.line,
                        f"登记表中没有「{mention.written}」，作为新机构加入",
                        f"'{mention.written}' is in no registry entry; added as a new agency",
                    )
        mention.agency = key
        written.setdefault(key, Counter())[mention.written] += 1
        if mention.written not in info[key].written:
            info[key].written.append(mention.written)
    templates = {t.key: t for t in reg.agencies}
    for key, agency in info.items():
        if key in templates:
            agency.zh = _label(written[key], templates[key], level_char, reg)
    rec.agencies = sorted(info.values(), key=lambda a: a.key)


def _label(forms: Counter[str], tpl: AgencyTemplate, level_char: str, reg: Registry) -> str:
    """The name the plan itself uses most, in full (with its jurisdiction) and without a
    bracketed tail; for a body the plan only names in short (科协, 人社局), that name in its
    jurisdiction (县科协, 县人社局)."""
    prefixes = (level_char, "各", "团" + level_char, f"共青团{level_char}")
    full = [f for f in forms if name_key(f).startswith(prefixes) and "(" not in name_key(f)]
    if full:
        return max(full, key=lambda f: forms[f])  # max keeps the first seen on a tie
    aliases = {name_key(a.replace("{L}", level_char)) for a in tpl.aliases}
    bare = re.sub(r"\(.*?\)$", "", name_key(max(forms, key=lambda f: forms[f])))
    if level_char + bare in aliases:
        return level_char + bare
    return tpl.zh.replace("{L}", level_char)


def _resolve_directives(rec: PlanRecord, reg: Registry) -> None:
    for ref in rec.directives:
        d = reg.match_directive(ref.number, ref.title)
        if d is not None:
            ref.directive = d.key


def _map_measure(measure: Measure, rec: PlanRecord, reg: Registry) -> None:
    """Map a plan's measure to a national one by title: same, renamed, replaced by a parent,
    or a local addition."""
    title = title_key(measure.title)
    same = [m for m in reg.measures if m.kind == measure.kind and title_key(m.zh) == title]
    if same:
        measure.national, measure.mapping = same[0].key, "same"
        return
    # the stems against the title as written (``title_key`` drops every 年, 青少年's too)
    written = re.sub(r"\s+", "", measure.title)
    for m in reg.measures:
        if m.kind == measure.kind and any(stem in written for stem in m.stems):
            measure.national, measure.mapping = m.key, "renamed"
            return
    for ref in rec.directives:
        d = reg.directives.get(ref.directive or "")
        for replaced in d.measures_replaced if d else ():
            if title_key(replaced["by"]) == title:
                measure.national, measure.mapping = replaced["national"], "replaced-by-parent"
                return
    measure.mapping = "local-addition"
