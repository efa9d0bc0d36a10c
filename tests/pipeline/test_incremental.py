"""A corpus that grows one plan at a time: an incremental rebuild (plans reused from the previous
build folder, the similarity links updated from its state) and an incremental store sync give
what a full build and a fresh store give, file for file and answer for answer, when one plan is
added, replaced or removed, several or a hundred are added, and when the state the rebuild
keeps (similarity state, corpus index, registry state) is damaged or another corpus's."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from sciplan_kg.paths import PLANS_DIR, ROOT
from sciplan_kg.pipeline.build import build
from sciplan_kg.pipeline.ledger import LEDGER
from sciplan_kg.pipeline.state import REGISTRY_STATE, SIMILARITY_FILES, SIMILARITY_STATE
from sciplan_kg.pipeline.summaries import indented, report_json
from sciplan_kg.query import run_query
from sciplan_kg.query.catalogue import catalogue
from sciplan_kg.store.sync import store_path, sync
from sciplan_kg.validation.report import Report, Result


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _code_as_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code fingerprint as of this process's start: another edit to the working tree while
    the test runs (other people work in it) must not make the full build's keys differ from the
    incremental one's; the code this process runs has not changed."""
    import sciplan_kg.pipeline.build as build_module

    code = build_module.fingerprint()
    monkeypatch.setattr(build_module, "fingerprint", lambda: code)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a build folder by its path in it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _answers(build_dir: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every catalogue query's rows at its default parameters, evaluated (not kept) on the
    build's embedded store, in a fixed order."""
    out = {}
    for name in catalogue():
        result = run_query(name, build_dir, views=False)
        out[name] = sorted(tuple("" if v is None else str(v) for v in row) for row in result.rows)
    return out


def _moved(text: str, old: str, new: str) -> str:
    """A plan of another place: every mention of the place renamed."""
    assert old in text
    return text.replace(old, new)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The five bundled plans and ten generated ones, written as other offices write."""
    folder = tmp_path / "plans"
    _generate().generate(10, folder, seed=11)
    shutil.rmtree(folder / "truth", ignore_errors=True)
    for f in sorted(PLANS_DIR.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    return folder


def _check(corpus: Path, out: Path, tmp_path: Path, step: str, jobs: int = 1, answers: bool = True) -> None:
    """Rebuild ``out`` incrementally and sync its store incrementally; compare with a full build
    and a fresh store of the same inputs."""
    result = build([corpus], out, jobs=jobs)
    assert result.reused > 0, step
    synced = sync(out, full_fraction=1.0)
    assert not synced.full, step
    full = tmp_path / f"full-{step}" / "build"
    build([corpus], full, jobs=jobs, incremental=False)
    inc_files, full_files = _files(out), _files(full)
    assert sorted(inc_files) == sorted(full_files), step
    differ = [name for name in inc_files if inc_files[name] != full_files[name]]
    assert not differ, (step, differ)
    assert not store_path(full).exists()
    if answers:
        assert _answers(out) == _answers(full), step  # the synced store, then a fresh store loaded whole


def test_adding_replacing_and_removing_plans_equals_a_full_build(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    sync(out)
    generated = sorted(corpus.glob("plan-*.txt"))
    first_text = generated[0].read_text(encoding="utf-8")
    place = first_text.splitlines()[0][:2]  # the issuer's short name opens the document number

    # add one: a generated plan copied under a new name, for another place
    (corpus / "plan-new-one.txt").write_text(_moved(first_text, place, "新丰"), encoding="utf-8")
    _check(corpus, out, tmp_path, "add-one")

    # replace one: its wording changed
    second = generated[1]
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("科普", "科学普及", 3) + "\n（此件公开发布）\n", encoding="utf-8")
    _check(corpus, out, tmp_path, "replace-one")

    # remove one
    generated[2].unlink()
    _check(corpus, out, tmp_path, "remove-one")

    # add several: more generated plans under new names
    more = tmp_path / "more"
    _generate().generate(14, more, seed=11)  # the same ten, and four more
    for f in sorted(more.glob("*.txt"))[10:]:
        shutil.copy(f, corpus / f"added-{f.name}")
    _check(corpus, out, tmp_path, "add-several")


def test_only_code_a_plan_depends_on_rebuilds_every_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The query, store and publishing layers (above the pipeline) are not in the plans' key:
    editing them keeps every plan; editing extraction rebuilds them."""
    import sciplan_kg.pipeline.plan as plan

    package = tmp_path / "sciplan_kg"
    for rel in ("extract/rules.py", "query/engine.py", "store/sync.py", "cli.py", "publish/html.py"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(plan, "SOURCE_DIR", package)
    before = plan.fingerprint()
    for rel in ("query/engine.py", "store/sync.py", "cli.py", "publish/html.py"):
        (package / rel).write_text("X = 2\n", encoding="utf-8")
    assert plan.fingerprint() == before
    (package / "extract/rules.py").write_text("X = 2\n", encoding="utf-8")
    assert plan.fingerprint() != before


def test_a_hundred_plans_added_equal_a_full_build(corpus: Path, tmp_path: Path) -> None:
    """The issue's "add 100": a hundred generated plans added to a built corpus at once."""
    out = tmp_path / "build"
    build([corpus], out, jobs=2)
    sync(out)
    more = tmp_path / "more"
    _generate().generate(110, more, seed=11)  # the same ten as the corpus, and a hundred more
    added = sorted(more.glob("*.txt"))[10:]
    assert len(added) == 100
    for f in added:
        shutil.copy(f, corpus / f"added-{f.name}")
    started = time.perf_counter()
    _check(corpus, out, tmp_path, "add-100", jobs=2, answers=False)
    print(f"add 100 plans to 15, rebuilt and compared: {time.perf_counter() - started:.1f} s")
    synced = store_path(out)
    assert synced.exists()
    full = tmp_path / "full-add-100" / "build"
    for name in ("plans", "tasks", "similar-tasks"):  # a few answers on the synced store vs a fresh one
        if name in catalogue():
            a = sorted(map(tuple, run_query(name, out, views=False).rows))
            b = sorted(map(tuple, run_query(name, full, views=False).rows))
            assert a == b, name


def test_damaged_or_foreign_state_falls_back_to_the_full_computation(tmp_path: Path) -> None:
    """The state a build keeps for the next is only ever a shortcut: damaged, cut short, gone or
    another corpus's, the rebuild does the work itself and writes a full build's bytes."""
    corpus = tmp_path / "plans"
    _generate().generate(1, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    for f in sorted(PLANS_DIR.glob("*.txt")):
        shutil.copy(f, corpus / f.name)
    base = tmp_path / "base" / "build"
    build([corpus], base, jobs=1)
    other = tmp_path / "other"  # valid state files, of another corpus (two of these plans)
    other.mkdir()
    for f in sorted(corpus.glob("*.txt"))[:2]:
        shutil.copy(f, other / f.name)
    build([other], tmp_path / "other-build", jobs=1)
    text = (corpus / "plan-00001.txt").read_text(encoding="utf-8")
    (corpus / "plan-new-one.txt").write_text(_moved(text, text.splitlines()[0][:2], "新丰"), encoding="utf-8")
    full = tmp_path / "full" / "build"
    build([corpus], full, jobs=1, incremental=False)
    full_files = _files(full)
    for damage in ("garbage", "foreign", "truncated", "missing"):
        out = tmp_path / damage / "build"
        shutil.copytree(base, out)
        for rel in (SIMILARITY_STATE, SIMILARITY_FILES, LEDGER, REGISTRY_STATE):
            f = out / rel
            if damage == "garbage":
                f.write_bytes(b"\x00not a state\xff" * 7)
            elif damage == "foreign":
                f.write_bytes((tmp_path / "other-build" / rel).read_bytes())
            elif damage == "truncated":
                f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
            else:
                f.unlink()
        result = build([corpus], out, jobs=1)
        assert result.reused == 6, damage  # the plans' own summaries stand in for the index
        inc_files = _files(out)
        assert sorted(inc_files) == sorted(full_files), damage
        assert [n for n in inc_files if inc_files[n] != full_files[n]] == [], damage


def test_plan_files_swapping_names_get_their_own_similarity_files(tmp_path: Path) -> None:
    """Two plan files whose names are swapped: each plan's tasks and links are unchanged, but
    a stem's similarity file in the previous folder holds the other plan's links, so it must not
    be linked for the plan now of that name (``state.SIMILARITY_FILES`` names each file's plan).
    A similarity-files state of the format before (no plan) is ignored."""
    corpus = tmp_path / "plans"
    _generate().generate(2, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    shutil.copy(sorted(PLANS_DIR.glob("*.txt"))[0], corpus / "bundled.txt")
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    a, b = corpus / "plan-00001.txt", corpus / "bundled.txt"
    text_a, text_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(text_b)
    b.write_bytes(text_a)
    files = json.loads((out / SIMILARITY_FILES).read_bytes())
    old_format = {**files, "format": 1, "files": {k: v[1] for k, v in files["files"].items()}}
    full = tmp_path / "full" / "build"
    build([corpus], full, jobs=1, incremental=False)
    for label, state in (("swapped", None), ("old format", old_format)):
        step = tmp_path / label / "build"
        shutil.copytree(out, step)
        if state is not None:
            (step / SIMILARITY_FILES).write_text(json.dumps(state), encoding="utf-8")
        build([corpus], step, jobs=1)
        inc_files, full_files = _files(step), _files(full)
        assert sorted(inc_files) == sorted(full_files), label
        assert [n for n in inc_files if inc_files[n] != full_files[n]] == [], label


def test_validation_json_is_report_to_json(tmp_path: Path) -> None:
    """validation.json, made from each result's fields, is the bytes ``Report.to_json`` gives."""
    result = build(None, tmp_path / "build", jobs=1)  # the five bundled plans
    assert result.report is not None and result.report.results
    assert report_json(result.report) == result.report.to_json()
    written = (tmp_path / "build" / "validation.json").read_text(encoding="utf-8")
    assert written == result.report.to_json() + "\n"
    odd = Result("Violation", 'a"\\b\n\u2028\x00', "p", "c", "s", "中文 «»", "en", "fz", "x.txt:3")
    for report in (Report(False, [odd, *result.report.results[:3]]), Report(True, [])):
        assert report_json(report) == report.to_json()
    for name in ("coverage.json", "manifest.json"):  # written by ``indented``
        data = json.loads((tmp_path / "build" / name).read_text(encoding="utf-8"))
        assert indented(data) == json.dumps(data, ensure_ascii=False, indent=1)
    odd_data = {"a": [], "b": {}, "c": [1, 2.5, None, True, "\u2028«»"], "d": [{"x": {"y": []}}], "中": -0.0}
    assert indented(odd_data) == json.dumps(odd_data, ensure_ascii=False, indent=1)
