"""The build: RDF golden by isomorphism, byte-identical rebuilds, atomic output folders,
inferences kept apart, provenance spans that quote the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import sciplan_kg.pipeline.build as pipeline_module
from sciplan_kg.errors import InputError
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.pipeline.folder import load_graphs
from sciplan_kg.rdf.namespaces import OA, SK
from sciplan_kg.rdf.serialize import turtle_bytes
from tests.conftest import FIXTURE_PLANS, GOLDEN, UPDATE, path_of, record_of, tree_bytes

ENSHI = FIXTURE_PLANS / "enshi_ascii_numbered.txt"


def test_plan_graph_matches_golden_by_isomorphism(tmp_path: Path) -> None:
    result = build([ENSHI], tmp_path / "out")
    graphs = load_graphs(result.out)
    golden = GOLDEN / "rdf" / "enshi_ascii_numbered.ttl"
    if UPDATE:
        golden.write_bytes(turtle_bytes(graphs["asserted"]))
    expected = Graph().parse(golden)
    if not isomorphic(graphs["asserted"], expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(graphs["asserted"]))
        pytest.fail(f"missing {len(missing)} triples, e.g. {next(iter(missing), None)}; extra {len(extra)}")


def test_every_task_of_every_plan_has_a_lead(five: BuildResult) -> None:
    graphs = load_graphs(five.out)
    g = graphs["asserted"] + graphs["inferred"]
    tasks = set(g.subjects(predicate=None, object=SK.Task))
    assert len(tasks) == sum(len(record_of(p).tasks()) for p in five.plans)
    # every task has a lead but those 巫山 states only in its body, which its task table gives none
    # (a SHACL warning, and the plan still conforms)
    leadless = {t for t in tasks if g.value(t, SK.leadAgency) is None}
    body_only = {t for t in tasks if str(g.value(t, SK.statedIn)) == "text" and "wushan" in str(t)}
    assert leadless == body_only and len(body_only) == 13
    assert five.conforms


def test_inferences_are_kept_apart(five: BuildResult) -> None:
    graphs = load_graphs(five.out)
    asserted, inferred = graphs["asserted"], graphs["inferred"]
    assert len(asserted & inferred) == 0
    assert not list(asserted.triples((None, SK.inheritedLeadAgency, None)))
    assert list(inferred.triples((None, SK.inheritedLeadAgency, None)))
    # part-of is transitive: a task is part of its plan
    task, measure = next(iter(asserted.subject_objects(SK.inMeasure)))
    plan = asserted.value(measure, SK.inPlan)
    assert (task, SK.partOf, plan) in inferred


def test_every_span_quotes_its_file(five: BuildResult) -> None:
    g = load_graphs(five.out)["asserted"]
    texts = {
        f: (path_of(p).read_text(encoding="utf-8"))
        for p in five.plans
        for f in g.subjects(SK.sha256, Literal(record_of(p).sha256))
    }
    spans = list(g.subjects(OA.hasSource, None))
    assert spans
    for span in spans:
        text = texts[g.value(span, OA.hasSource)]
        selectors = list(g.objects(span, OA.hasSelector))
        position = next(s for s in selectors if (s, None, OA.TextPositionSelector) in g)
        start, end = int(g.value(position, OA.start)), int(g.value(position, OA.end))
        quote = next((s for s in selectors if (s, None, OA.TextQuoteSelector) in g), None)
        if quote is None:  # a section's extent (sk:extent): where it runs, without repeating its text
            assert (None, SK.extent, span) in g
            assert 0 <= start < end <= len(text)
            continue
        assert text[start:end] == str(g.value(quote, OA.exact))


def test_rebuild_is_byte_identical_whatever_the_hash_seed(five: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    code = f"import sys; from pathlib import Path; from sciplan_kg import build; build(None, Path({str(out)!r}))"
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=600)
    assert tree_bytes(out) == tree_bytes(five.out)


def test_similarity_files_made_by_workers_are_the_same(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many plans' similarity files are made by forked workers, ``WORKER_FILES`` plans each:
    the folder is byte for byte the one made in one process, and the parent made none."""
    from sciplan_kg.pipeline import links

    in_parent: list[int] = []
    made = links._files

    def recording(todo: list[tuple[str, str]], work: object) -> list[tuple[str, str, str]]:
        in_parent.append(len(todo))  # a worker appends to its own copy of the list
        return made(todo, work)  # type: ignore[arg-type]

    monkeypatch.setattr(links, "WORKER_FILES", 2)
    monkeypatch.setattr(links, "_files", recording)
    out = build(None, tmp_path / "out", jobs=2)
    assert in_parent == []
    assert tree_bytes(out.out) == tree_bytes(five.out)


def test_failed_build_leaves_the_previous_folder_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build([ENSHI], out)
    before = tree_bytes(out)

    def explode(*_: object, **__: object) -> object:
        raise KeyboardInterrupt

    # interrupted in the corpus steps, after the plans were written into the temporary folder
    monkeypatch.setattr(pipeline_module, "similarity_step", explode)
    with pytest.raises(KeyboardInterrupt):
        build([ENSHI, FIXTURE_PLANS / "anping_bullets_truncated.txt"], out)
    after = tree_bytes(out)
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no temporary folder is left behind"


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        build([tmp_path / "nope.txt"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_iris_are_readable_and_stable(five: BuildResult) -> None:
    g = load_graphs(five.out)["asserted"]
    for task in g.subjects(predicate=None, object=SK.Task):
        assert isinstance(task, URIRef)
        assert "/task/" in str(task) and ("/action/" in str(task) or "/project/" in str(task))
    assert not any(isinstance(t, type(None)) for t in g)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_killed_build_leaves_the_previous_folder_intact(tmp_path: Path) -> None:
    import signal
    import time

    out = tmp_path / "out"
    build([ENSHI], out)
    before = tree_bytes(out)
    code = f"from pathlib import Path; from sciplan_kg.pipeline.build import build; build(None, Path({str(out)!r}))"
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # wait until the build is writing its temporary folder, then kill it
    assert proc.poll() is None, "the build finished before it could be killed"
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree_bytes(out) == before
    # its worker processes end with it (they used to live on, blocked on the task queue)
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], f"workers {workers} outlived the killed build"
    # a build killed while writing leaves its temporary folder behind; the next build clears it
    # (it carries the tool's marker from its first moment); a look-alike that is not the tool's stays
    stale = tmp_path / ".out.tmp-killed"
    stale.mkdir()
    (stale / ".sciplan-kg").write_text('{"tool": "sciplan-kg", "kind": "temporary", "files": "all"}', encoding="utf-8")
    (stale / "asserted.ttl").write_text("half", encoding="utf-8")
    mine = tmp_path / ".out.tmp-mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not the tool's", encoding="utf-8")
    build([ENSHI], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tmp-mine", "out"]
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "not the tool's"


def test_rebuild_reuses_unchanged_plans_and_gives_the_same_folder(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt"))[:2]:
        (plans / f.name).write_bytes(f.read_bytes())
    (plans / ENSHI.name).write_bytes(ENSHI.read_bytes())
    out = tmp_path / "out"
    first = build([plans], out, jobs=2)
    assert first.reused == 0
    again = build([plans], out, jobs=2)
    assert again.reused == 3
    full = build([plans], tmp_path / "full", jobs=1, incremental=False)
    assert tree_bytes(out) == tree_bytes(full.out)
    # one plan changed: only it is built again, and the folder equals a full build of the new set
    changed = plans / ENSHI.name
    changed.write_text(changed.read_text(encoding="utf-8").replace("2025", "2026", 1), encoding="utf-8")
    third = build([plans], out, jobs=2)
    assert third.reused == 2
    assert tree_bytes(out) == tree_bytes(build([plans], tmp_path / "full2", incremental=False).out)


def test_progress_reports_every_plan(tmp_path: Path) -> None:
    seen: list[int] = []
    build([ENSHI, FIXTURE_PLANS / "anping_bullets_truncated.txt"], tmp_path / "out", progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 2 and seen == sorted(seen)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_build_asked_to_end_cleans_up_as_ctrl_c_does(signame: str, tmp_path: Path) -> None:
    """``kill``, a closed terminal or a CI's cancel (SIGTERM, SIGHUP) end the command as Ctrl-C
    does: the temporary folder and the lock removed, the previous folder as it was, a message,
    exit 128 + the signal (they used to leave ``.out.tmp-*`` behind, silently)."""
    import signal
    import time

    out = tmp_path / "out"
    build([ENSHI], out)
    before = tree_bytes(out)
    cmd = [sys.executable, "-m", "sciplan_kg.cli", "build", str(PLANS_DIR), "--out", str(out), "--full", "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # wait until the build is writing its temporary folder
    assert proc.poll() is None, "the build finished before it could be signalled"
    sig = getattr(signal, signame)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert f"terminated ({signame})" in err and "Traceback" not in err, err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
