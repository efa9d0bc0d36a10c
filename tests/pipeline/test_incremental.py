"""A corpus that grows one plan at a time: an incremental rebuild (plans reused from the previous
build folder, the similarity links updated from its state) and an incremental store sync give
what a full build and a fresh store give, file for file and answer for answer, when one plan is
added, replaced or removed, several or a hundred are added, and when the state the rebuild
keeps (similarity state, ledger, registry state) is damaged or another corpus's."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import build
from sciplan_kg.pipeline.ledger import LEDGER
from sciplan_kg.pipeline.plan import PlanOutput
from sciplan_kg.pipeline.state import REGISTRY_STATE, SIMILARITY_FILES, SIMILARITY_STATE
from sciplan_kg.pipeline.summaries import (
    SUMMARY_FILES,
    Part,
    assemble,
    indented,
    merged_report,
    plan_part,
    registry_part,
    report_json,
    report_order,
    write_summaries,
)
from sciplan_kg.query import run_query
from sciplan_kg.query.catalogue import catalogue
from sciplan_kg.store.sync import store_path, sync
from sciplan_kg.validation.report import Report, Result
from tests.conftest import bench_module


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
    bench_module("generate").generate(10, folder, seed=11)
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
    bench_module("generate").generate(14, more, seed=11)  # the same ten, and four more
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
    bench_module("generate").generate(110, more, seed=11)  # the same ten as the corpus, and a hundred more
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
    bench_module("generate").generate(1, corpus, seed=11)
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
    bench_module("generate").generate(2, corpus, seed=11)
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


# ------------------------------------------------------------ the ledger: summary files spliced


def _old_summaries(result_plans: list, registry: Report, asserted: int, inferred: int, out: Path) -> dict[str, bytes]:
    """The summary files as the whole merge writes them (the oracle for the spliced ones)."""
    merged = [(registry.conforms, [r.__dict__ for r in registry.results])]
    merged += [(p.conforms, p.results) for p in result_plans]
    report, text = merged_report(merged)
    out.mkdir(parents=True)
    write_summaries(out, result_plans, report, text, asserted, inferred)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_pieces_put_together_are_the_whole_merge(tmp_path: Path) -> None:
    """``assemble`` gives the bytes the whole merge gives: for the five plans, for none, for plans
    without results or warnings, and for results with every character JSON escapes."""
    result = build(None, tmp_path / "build", jobs=1)
    plans = result.plans
    odd = Result("Violation", 'a"\\b\n\u2028\x00', "p", "c", "s", "中文 «»", "en", "fz", "zzz.txt:3")
    registry = Report(False, [odd])
    quiet = dataclasses.replace(plans[0], results=[], warnings=[], conforms=True)
    cases = {
        "five": (plans, Report(True, [])),
        "none": ([], Report(True, [])),
        "registry only": ([], registry),
        "odd": ([quiet, *plans[1:]], registry),
    }
    for label, (ps, reg) in cases.items():
        parts = [registry_part(reg), *(plan_part(p) for p in ps)]
        made = assemble(parts, 7, 3)
        assert made is not None, label
        want = _old_summaries(ps, reg, 7, 3, tmp_path / label)
        assert {Path(k).name: v for k, v in made.files.items()} == want, label
        # each plan's pieces lie where the ledger will say
        for p, part, at in zip(ps, parts[1:], made.at, strict=True):
            for slot, (o, n) in at.items():
                assert made.files[SUMMARY_FILES[slot]][o : o + n] == part.pieces[slot], (label, p.file, slot)
    built = {name: (tmp_path / "build" / name).read_bytes() for name in set(SUMMARY_FILES.values())}
    assert built == _old_summaries(plans, Report(True, []), result.asserted, result.inferred, tmp_path / "again")


def test_interleaved_results_are_merged_whole(tmp_path: Path) -> None:
    """Two parts whose results interleave in the report's order (a file named like another's
    result source) cannot be spliced: ``assemble`` says so, and the build merges every result,
    writes no ledger, and still gives a full build's bytes when rebuilt."""
    base = Result("Info", "f", "p", "c", "s", "zh", "en", "fz", "x.txt:50")
    a = [base, dataclasses.replace(base, source="x.txt:95")]
    b = [dataclasses.replace(base, source="x.txt:9.txt:3")]
    parts = [registry_part(Report(True, [])), registry_part(Report(True, a)), registry_part(Report(True, b))]
    assert report_order(parts) is None
    parts[2] = registry_part(Report(True, [dataclasses.replace(base, source="y.txt:1")]))
    assert report_order(parts) == [[], [], [1, 2]]
    shared = [registry_part(Report(True, [base])), registry_part(Report(True, [base]))]
    assert report_order(shared) is None  # a result two parts share is listed once: merged whole

    corpus = tmp_path / "plans"
    bench_module("generate").generate(2, tmp_path / "generated", seed=11)  # plan 2: a county's
    text = (tmp_path / "generated" / "plan-00002.txt").read_text(encoding="utf-8")
    corpus.mkdir()
    (corpus / "x.txt").write_text(text, encoding="utf-8")
    (corpus / "x.txt:9.txt").write_text(_moved(text, text.splitlines()[0][:2], "新丰"), encoding="utf-8")
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    assert not (out / LEDGER).exists()
    sources = [r["source"].split(":")[0:2] for r in json.loads((out / "validation.json").read_bytes())["results"]]
    assert ["x.txt", "9.txt"] in sources
    (corpus / "y.txt").write_text(_moved(text, text.splitlines()[0][:2], "新安"), encoding="utf-8")
    build([corpus], out, jobs=1)
    full = tmp_path / "full" / "build"
    build([corpus], full, jobs=1, incremental=False)
    assert _files(out) == _files(full)


def test_a_rebuild_renders_and_reads_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One plan added: only its pieces are rendered, no other plan's summary file is read (the
    ledger has what the corpus steps need); a summary file changed since the last build (same
    size) is noticed, and then every plan is rendered again; both equal a full build."""
    import sciplan_kg.pipeline.build as build_module
    import sciplan_kg.pipeline.plan as plan_module

    corpus = tmp_path / "plans"
    bench_module("generate").generate(6, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    assert (out / LEDGER).is_file()
    rendered: list[str] = []
    read: list[str] = []
    real_part, real_from_dict = build_module.plan_part, plan_module.PlanOutput.from_dict

    def counting_part(p: PlanOutput) -> Part:
        rendered.append(p.file)
        return real_part(p)

    def counting_read(data: dict[str, Any]) -> PlanOutput:
        read.append(str(data["file"]))
        return real_from_dict(data)

    monkeypatch.setattr(build_module, "plan_part", counting_part)
    monkeypatch.setattr(plan_module.PlanOutput, "from_dict", staticmethod(counting_read))
    text = (corpus / "plan-00001.txt").read_text(encoding="utf-8")
    (corpus / "plan-new-one.txt").write_text(_moved(text, text.splitlines()[0][:2], "新丰"), encoding="utf-8")
    result = build([corpus], out, jobs=1)
    assert (result.reused, rendered, read) == (6, ["plan-new-one.txt"], [])
    full = tmp_path / "full" / "build"
    build([corpus], full, jobs=1, incremental=False)
    assert _files(out) == _files(full)

    # validation.json edited by hand, its size kept: the ledger no longer describes it
    data = (out / "validation.json").read_bytes()
    at = data.index(b'"Info"')
    (out / "validation.json").write_bytes(data[:at] + b'"INFO"' + data[at + 6 :])
    rendered.clear()
    (corpus / "plan-new-two.txt").write_text(_moved(text, text.splitlines()[0][:2], "新安"), encoding="utf-8")
    build([corpus], out, jobs=1)
    assert len(rendered) == 8
    full2 = tmp_path / "full2" / "build"
    build([corpus], full2, jobs=1, incremental=False)
    assert _files(out) == _files(full2)


def test_a_reused_plans_summary_is_read_from_its_own_build(tmp_path: Path) -> None:
    """A rebuild's reused plans read the rest of their summary from the build folder when asked
    (after the swap, from the folder's final place); once a later build put another plan under
    that name, asking is a message naming the file, not another plan's summary."""
    corpus = tmp_path / "plans"
    bench_module("generate").generate(2, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    out = tmp_path / "build"
    first = build([corpus], out, jobs=1)
    text = (corpus / "plan-00001.txt").read_text(encoding="utf-8")
    (corpus / "plan-new-one.txt").write_text(_moved(text, text.splitlines()[0][:2], "新丰"), encoding="utf-8")
    second = build([corpus], out, jobs=1)
    assert second.reused == 2
    kept = next(p for p in second.plans if p.file == "plan-00002.txt")
    assert "title" not in kept.__dict__  # not read yet
    other = next(p for p in second.plans if p.file == "plan-00001.txt")
    (corpus / "plan-00002.txt").write_text(_moved(text, text.splitlines()[0][:2], "新安"), encoding="utf-8")
    build([corpus], out, jobs=1)
    with pytest.raises(InputError, match=r"plan-00002\.json"):
        _ = kept.title
    assert other.title == next(p for p in first.plans if p.file == "plan-00001.txt").title


def test_a_builds_report_is_read_from_its_own_validation_json(tmp_path: Path) -> None:
    """``BuildResult.report`` is read from the folder when first asked for; after a later build
    wrote the folder it is a message naming the file, not the later build's report."""
    corpus = tmp_path / "plans"
    bench_module("generate").generate(2, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    (corpus / "plan-00002.txt").unlink()
    first = build([corpus], out, jobs=1)  # a rebuild: its report is read from the folder
    assert first._report is None
    written = (out / "validation.json").read_text(encoding="utf-8")
    assert first.report.to_json() + "\n" == written
    again = build([corpus], out, jobs=1)
    assert again._report is None
    shutil.copy(sorted(PLANS_DIR.glob("*.txt"))[0], corpus / "seed.txt")
    later = build([corpus], out, jobs=1)
    with pytest.raises(InputError, match=r"validation\.json"):
        _ = again.report
    assert later.report.to_json() + "\n" == (out / "validation.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("jobs", [1, 2])
def test_reused_plans_linked_by_forked_children_and_a_vanished_file_rebuilt(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The reused plans' files are linked by forked children (here four plans each, while two
    new plans are built, on forked workers with two jobs); a plan one of whose files vanished
    from the previous build folder is
    built again, without writing through a link into that folder: the result is a full
    build's, file for file."""
    import sciplan_kg.pipeline.build as build_module
    from sciplan_kg.pipeline.folder import plan_files_of
    from sciplan_kg.workers import ChildRun

    monkeypatch.setattr(ChildRun, "INLINE_BELOW", 1)
    monkeypatch.setattr(build_module, "LINK_BATCH", 4)
    out = tmp_path / "build"
    first = build([corpus], out, jobs=jobs)
    victim = sorted(corpus.glob("plan-*.txt"))[3]
    names = plan_files_of(victim.stem)
    (out / names[2]).unlink()  # its record; its graphs, before it in the order, are linked first
    text = sorted(corpus.glob("plan-*.txt"))[0].read_text(encoding="utf-8")
    for name, place in (("plan-new-one.txt", "新丰"), ("plan-new-two.txt", "新安")):  # two: workers start
        (corpus / name).write_text(_moved(text, text.splitlines()[0][:2], place), encoding="utf-8")
    before = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}

    second = build([corpus], out, jobs=jobs)

    assert second.reused == len(first.plans) - 1  # all but the one with a file gone (and the new ones)
    for name in (names[0], names[1], names[3], names[4]):  # written anew, not through the old links
        assert (out / name).stat().st_ino != before[out / name]
    relinked = [p for p, ino in before.items() if p.exists() and p.stat().st_ino == ino]
    assert len(relinked) > 5 * len(first.plans)  # the reused plans' files are the same inodes
    full = tmp_path / "full" / "build"
    build([corpus], full, jobs=jobs, incremental=False)
    inc_files, full_files = _files(out), _files(full)
    assert sorted(inc_files) == sorted(full_files)
    assert [name for name in inc_files if inc_files[name] != full_files[name]] == []


def test_each_plan_file_is_asked_of_the_disk_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild asks the disk for each plan file ``READ_AHEAD`` files before it reads it
    (``read.text.will_read``), once each, so that on a cold cache the reads overlap."""
    import sciplan_kg.pipeline.build as build_module

    corpus = tmp_path / "plans"
    bench_module("generate").generate(5, corpus, seed=11)
    shutil.rmtree(corpus / "truth", ignore_errors=True)
    out = tmp_path / "build"
    build([corpus], out, jobs=1)
    events: list[tuple[str, str]] = []
    read = build_module.read_plan_bytes
    monkeypatch.setattr(build_module, "READ_AHEAD", 2)
    monkeypatch.setattr(build_module, "will_read", lambda f: events.append(("ask", f.name)))
    monkeypatch.setattr(build_module, "read_plan_bytes", lambda f: events.append(("read", f.name)) or read(f))
    assert build([corpus], out, jobs=1).reused == 5
    names = sorted(f.name for f in corpus.glob("*.txt"))
    assert [n for kind, n in events if kind == "ask"] == names
    assert [n for kind, n in events if kind == "read"] == names
    for k, name in enumerate(names):  # asked for before the read two before its own (the first two: at the start)
        assert events.index(("ask", name)) < events.index(("read", names[max(k - 2, 0)]))
