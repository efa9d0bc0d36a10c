"""The parent step kept between builds (``pipeline/parent_links.py``): a rebuild matches again
only the children whose tasks or whose parents' tasks changed, and writes the bytes a full
build and the whole-corpus writer (``corpus.parents.parents_turtle``) give."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

import sciplan_kg.pipeline.parent_links as step
from sciplan_kg.corpus.parents import identity_turtle, matches_turtle, parent_links, parents_turtle
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.folder import PARENTS, PARENTS_DIR, BuildFolder
from sciplan_kg.pipeline.parent_links import PARENT_STATE
from sciplan_kg.rdf.rows import companion, companion_bytes, oxigraph_rows
from sciplan_kg.rdf.serialize import turtle_prefixes
from tests.conftest import bench_module

# generate(12): plans 1, 6 and 11 are the provinces' own (河北, 山西, 辽宁); plan 2 is a county
# of 山西 and plan 3 one of 辽宁, each taking tasks from its province's plan
COUNTY, PROVINCE = "plan-00002.txt", "plan-00006.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    bench_module("generate").generate(12, folder, seed=11)
    shutil.rmtree(folder / "truth")
    return folder


@pytest.fixture
def matched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The children the step matched afresh, in order."""
    seen: list[str] = []
    real = step.child_matches

    def counting(child: list[tuple[str, str]], parents: dict[str, list[tuple[str, str]]]) -> list:
        seen.append(child[0][0].split("/action/")[0].split("/project/")[0] if child else "")
        return real(child, parents)

    monkeypatch.setattr(step, "child_matches", counting)
    return seen


def _files(out: Path) -> dict[str, bytes]:
    """The parents graph's files (and companions) by path in the build folder."""
    folder = BuildFolder.open(out)
    found = {}
    for f in folder.parent_files():
        found[f.relative_to(out).as_posix()] = f.read_bytes()
        if f != out / PARENTS:
            found[companion(f).relative_to(out).as_posix()] = companion(f).read_bytes()
    return found


def _reference(result: BuildResult) -> dict[str, bytes]:
    """The files the whole-corpus links give: the identity links, and each child's matches in
    ``parents_turtle``'s order, its rows companion what the tables parse of it."""
    links = parent_links({p.plan: p.basis for p in result.plans}, [t for p in result.plans for t in p.tasks])
    head = turtle_prefixes().encode("utf-8")
    files = {PARENTS: head + identity_turtle(links.identity)}
    stems = {p.plan: Path(p.file).stem for p in result.plans}
    by_child: dict[str, list] = {}
    for m in links.matches:
        by_child.setdefault(m.child_task.split("/action/")[0].split("/project/")[0], []).append(m)
    for child, matches in by_child.items():
        data = head + matches_turtle(matches)
        files[f"{PARENTS_DIR}/{stems[child]}.ttl"] = data
        parsed = list(oxigraph_rows(ox.parse(data, format=ox.RdfFormat.TURTLE)))
        files[f"{PARENTS_DIR}/{stems[child]}.rows"] = companion_bytes(parsed, data)
    assert b"".join(parents_turtle(links)) == head + identity_turtle(links.identity) + b"".join(
        sorted(matches_turtle(m) for m in by_child.values())
    )
    return files


def _full(corpus: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    return _files(build([corpus], tmp_path / name / "build", jobs=1, incremental=False).out)


def _county(text: str, new: str) -> str:
    """The plan of another county of the same province: the place renamed."""
    place = text.splitlines()[0][:2]
    return text.replace(place, new)


def test_only_what_changed_is_matched_again(corpus: Path, tmp_path: Path, matched: list[str]) -> None:
    out = tmp_path / "build"
    first = build([corpus], out, jobs=1)
    assert len(matched) == 2  # the two counties whose province's plan is in the corpus
    written = _files(out)
    assert written == _reference(first) and b"sk:parentPlan" in written[PARENTS]
    assert len(written) == 1 + 2 * 2  # the identity links, two children's files and companions
    for rel, data in written.items():  # the tables' rows of each match: its class and five properties
        if rel.endswith(".ttl") and rel != PARENTS:
            tables = {t for t, *_ in oxigraph_rows(ox.parse(data, format=ox.RdfFormat.TURTLE))}
            assert tables == {"t_match", "childtask", "matchclass", "matchscore", "matchedplan", "parenttask"}, rel

    # a county added: it alone is matched; the others' files are linked from the last build
    inodes = {rel: os.stat(out / rel).st_ino for rel in written if rel != PARENTS}
    matched.clear()
    text = (corpus / COUNTY).read_text(encoding="utf-8")
    (corpus / "plan-new.txt").write_text(_county(text, "新丰"), encoding="utf-8")
    second = build([corpus], out, jobs=1)
    assert len(matched) == 1 and "新丰" in matched[0]
    assert _files(out) == _reference(second) == _full(corpus, tmp_path, "a")
    assert {rel: os.stat(out / rel).st_ino for rel in inodes} == inodes

    # the province's plan changed: both its counties are matched again, not 辽宁's
    matched.clear()
    province = (corpus / PROVINCE).read_text(encoding="utf-8")
    task = next(line for line in province.splitlines() if line[:2] in ("1.", "——", "――"))
    changed = province.replace(task, task.rstrip("。.") + "，并逐年扩大覆盖面。", 1)
    (corpus / PROVINCE).write_text(changed, encoding="utf-8")
    third = build([corpus], out, jobs=1)
    assert len(matched) == 2
    assert _files(out) == _reference(third) == _full(corpus, tmp_path, "b")

    # the province's plan removed: its counties have no parent, and no file
    matched.clear()
    (corpus / PROVINCE).unlink()
    fourth = build([corpus], out, jobs=1)
    assert matched == []
    assert _files(out) == _reference(fourth) == _full(corpus, tmp_path, "c")
    assert set(_files(out)) == {PARENTS, f"{PARENTS_DIR}/plan-00003.ttl", f"{PARENTS_DIR}/plan-00003.rows"}


def test_a_parents_file_changed_since_is_not_trusted(corpus: Path, tmp_path: Path, matched: list[str]) -> None:
    """A child's file edited in place (its size kept): that child is matched again; the state
    damaged: every child is. The bytes are a full build's each time."""
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    before = _files(out)
    rel = f"{PARENTS_DIR}/plan-00002.ttl"
    data = before[rel]
    at = data.index(b"sk:CopiedTask")
    (out / rel).write_bytes(data[:at] + b"sk:NewTask   " + data[at + 13 :])  # same size
    matched.clear()
    build([corpus], out, jobs=1)
    assert len(matched) == 1 and _files(out) == before

    (out / PARENT_STATE).write_bytes(b"{not json")
    matched.clear()
    build([corpus], out, jobs=1)
    assert len(matched) == 2 and _files(out) == before


def test_children_matched_on_workers_give_the_same_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build matches the children on forked workers when there are many (here: one
    child per worker, two workers): the same files and state as one process gives."""
    one = build([corpus], tmp_path / "one", jobs=1, incremental=False)
    monkeypatch.setattr(step, "WORKER_CHILDREN", 1)
    shares: list[int] = []
    real = step.forked_map

    def counting(fn, items, jobs, shared):  # type: ignore[no-untyped-def]
        shares.append(len(items))
        return real(fn, items, jobs, shared)

    monkeypatch.setattr(step, "forked_map", counting)
    two = build([corpus], tmp_path / "two", jobs=2, incremental=False)
    assert shares == [2]
    assert _files(two.out) == _files(one.out) == _reference(one)
    assert (two.out / PARENT_STATE).read_bytes() == (one.out / PARENT_STATE).read_bytes()


def test_a_stray_file_in_the_parents_folder_is_not_the_graphs(corpus: Path, tmp_path: Path) -> None:
    """``BuildFolder.parent_files`` lists the children's files the manifest's plans name: a
    ``.ttl`` put into ``graph/parents/`` by hand is not loaded into the store or exported."""
    out = build([corpus], tmp_path / "build", jobs=1).out
    folder = BuildFolder.open(out)
    files = folder.parent_files()
    assert len(files) == 3 and files[0] == out / PARENTS
    (out / PARENTS_DIR / "notes.ttl").write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
    assert BuildFolder.open(out).parent_files() == files
