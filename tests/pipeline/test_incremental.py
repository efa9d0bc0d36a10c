"""A corpus that grows one plan at a time: an incremental rebuild (plans reused from the previous
build folder) and an incremental store sync give what a full build and a fresh store give,
file for file and answer for answer, when one plan is added, replaced or removed, or several
are added."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sciplan_kg.paths import PLANS_DIR, ROOT
from sciplan_kg.pipeline.build import build
from sciplan_kg.query import run_query
from sciplan_kg.query.catalogue import catalogue
from sciplan_kg.store.sync import store_path, sync


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


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


def _check(corpus: Path, out: Path, tmp_path: Path, step: str) -> None:
    """Rebuild ``out`` incrementally and sync its store incrementally; compare with a full build
    and a fresh store of the same inputs."""
    result = build([corpus], out, jobs=1)
    assert result.reused > 0, step
    synced = sync(out, full_fraction=1.0)
    assert not synced.full, step
    full = tmp_path / f"full-{step}" / "build"
    build([corpus], full, jobs=1, incremental=False)
    inc_files, full_files = _files(out), _files(full)
    assert sorted(inc_files) == sorted(full_files), step
    differ = [name for name in inc_files if inc_files[name] != full_files[name]]
    assert not differ, (step, differ)
    assert not store_path(full).exists()
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
