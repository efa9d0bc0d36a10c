"""Invisible characters (zero-width space, joiners, word joiner, a BOM inside the text, soft
hyphen) are removed before anything is matched, and every span still quotes the file.

Metamorphic: each bundled plan with invisible characters inserted inside its agency names,
titles, header and task texts extracts to the same records (modulo spans) and the same graph
(modulo offsets and the file's checksum), and each span of it quotes the modified file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from sciplan_kg.extract import extract_text
from sciplan_kg.extract.records import PlanRecord, Span
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.coverage import verify_spans
from sciplan_kg.rdf.graph import plan_graph
from sciplan_kg.rdf.namespaces import OA, SK
from sciplan_kg.read.text import plan_text, read_plan_text
from sciplan_kg.resolve.records import resolve
from sciplan_kg.resolve.registry import load_registry

SEEDS = sorted(PLANS_DIR.glob("*.txt"))
# what the test inserts: the characters the issue names (U+FEFF inside the text, not only first)
INSERTED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# what must never reach a name, a label or an IRI (see sciplan_kg.read.text.INVISIBLE)
REMOVED = "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
REMOVED += "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
_INVISIBLE = re.compile("[" + REMOVED + "]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _every(text: str, span: Span, nth: int, which: re.Pattern[str]) -> list[int]:
    """Offsets strictly inside ``span`` right after every ``nth`` character matching ``which``."""
    out, seen = [], 0
    for i in range(span.start, span.end - 1):
        if which.match(text[i]):
            seen += 1
            if seen % nth == 0:
                out.append(i + 1)
    return out


def _insertion_points(text: str, rec: PlanRecord) -> list[int]:
    points: set[int] = set()
    any_char = re.compile(r"\S")
    for span in (rec.title_span, rec.doc_number_span, rec.issued_span, rec.issuer_span):
        if span:
            points.update(_every(text, span, 2, any_char))  # 20​22年, 巫山府​办发…
    for measure in rec.measures:
        points.update(_every(text, measure.span, 3, _CJK))
        for task in measure.tasks:
            points.update(_every(text, task.span, 7, _CJK))
            begin = text.rfind("\n", 0, task.span.start) + 1
            points.add(begin)  # before the task's number or bullet
        for holder in [measure, *measure.tasks]:
            for a in holder.assignments:
                for m in a.mentions:
                    points.update(_every(text, m.span, 2, _CJK))  # 县科​协
    return sorted(points)


def _insert(text: str, points: list[int]) -> str:
    out, last = [], 0
    for k, p in enumerate(points):
        out.append(text[last:p])
        out.append(INSERTED[k % len(INSERTED)])
        last = p
    out.append(text[last:])
    return "".join(out)


def _is_span(value: Any) -> bool:
    """A span by its shape, whatever the field's name (a section's ``heading``)."""
    return isinstance(value, dict) and set(value) == {"start", "end", "line"}


def _without_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _without_spans(v)
            for k, v in value.items()
            if k not in {"span", "restated", "sha256", "length"} and not k.endswith("_span") and not _is_span(v)
        }
    if isinstance(value, list):
        return [_without_spans(v) for v in value]
    return value


def _comparable(g: Graph, rec: PlanRecord) -> set[tuple]:
    """The graph without offsets, quotes of the file and the file's checksum."""
    source = URIRef(f"https://w3id.org/sciplan-kg/id/source/{rec.sha256}")
    drop = {OA.start, OA.end, OA.exact, SK.sha256, SK.characters}
    swap = {source: URIRef("urn:source")}
    return {tuple(swap.get(x, x) for x in t) for t in g if t[1] not in drop}


def _modified(path: Path, tmp_path: Path) -> tuple[PlanRecord, str, PlanRecord, str]:
    registry = load_registry()
    original = read_plan_text(path)
    rec = resolve(extract_text(original), registry)
    text = _insert(original.raw, _insertion_points(original.raw, rec))
    copy = tmp_path / path.name
    copy.write_bytes(text.encode("utf-8"))
    read = read_plan_text(copy)
    modified = resolve(extract_text(read), registry, read.raw)  # the file: group spans map through it
    return rec, original.raw, modified, text


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_invisible_characters_change_no_record(path: Path, tmp_path: Path) -> None:
    rec, raw, modified, text = _modified(path, tmp_path)
    assert len(text) - len(raw) > 100  # the plan really was changed
    assert _without_spans(modified.to_dict()) == _without_spans(rec.to_dict())
    # same agencies, same IRIs, same labels: the graphs differ only in offsets and checksum
    registry = load_registry()
    g, g_mod = plan_graph(rec, registry, raw), plan_graph(modified, registry, text)
    assert _comparable(g_mod, modified) == _comparable(g, rec)
    # … and every span of the modified plan quotes the modified file (coverage's check)
    spans, verified = verify_spans(g_mod, text)
    assert spans > 50 and verified == spans
    assert verify_spans(g_mod, raw)[1] < spans  # the offsets really moved


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_no_invisible_character_in_any_iri_label_or_name(path: Path, tmp_path: Path) -> None:
    _, _, modified, text = _modified(path, tmp_path)
    g = plan_graph(modified, load_registry(), text)
    exact = {o for o in g.objects(None, OA.exact)}  # quotes of the file keep what the file holds
    assert any(_INVISIBLE.search(str(o)) for o in exact)
    for triple in g:
        for term in triple:
            if isinstance(term, URIRef) or (isinstance(term, Literal) and term not in exact):
                assert not _INVISIBLE.search(str(term)), triple
    for agency in modified.agencies:
        assert not _INVISIBLE.search(agency.key + agency.zh + "".join(agency.written))


def test_agency_name_with_a_zero_width_space_is_the_registered_agency() -> None:
    head = "关于印发《测试县全民科学素质行动规划纲要实施方案（2021—2025年）》的通知\n\n二、提升行动\n\n"
    body = "（一）青少年科学素质提升行动。开展科普活动。\n牵头单位：{}\n"
    registry = load_registry()
    plain = resolve(extract_text(plan_text(head + body.format("县科协、县教体局"))), registry)
    zw = resolve(extract_text(plan_text(head + body.format("县科\u200b协、\u2060县教\u00ad体局\ufeff"))), registry)
    assert [a.key for a in zw.agencies] == [a.key for a in plain.agencies] == ["education", "kexie"]
    assert all(a.registered for a in zw.agencies)
    mentions = [m for a in zw.measures[0].assignments for m in a.mentions]
    assert [m.written for m in mentions] == ["县科协", "县教体局"]
    text = head + body.format("县科\u200b协、\u2060县教\u00ad体局\ufeff")
    # the span quotes the file: the zero-width space inside, none of those around the name
    assert [text[m.span.start : m.span.end] for m in mentions] == ["县科\u200b协", "县教\u00ad体局"]


def test_removed_characters_are_format_characters_only() -> None:
    import unicodedata

    from sciplan_kg.read.text import INVISIBLE

    assert set(INVISIBLE) == set(REMOVED)
    assert {unicodedata.category(c) for c in INVISIBLE} == {"Cf"}
    assert set(INSERTED) <= set(INVISIBLE)
    # visible marks and the genre's own characters are never removed
    for kept in "\u3000\u00a0\u2028\ufe0f·—、":
        assert kept not in INVISIBLE
