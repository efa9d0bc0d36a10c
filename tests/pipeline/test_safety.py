"""Never lose a user's files (issue 15): outputs are owned, each input is read once, one writer
at a time, every fault is a message with exit 2 and nothing half-written.

Each test here was written to fail on the main of 2026-12-03 (before the fix) and checked to.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sciplan_kg.cli import main
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.pipeline import outputs
from sciplan_kg.pipeline.build import BuildResult, build
from tests.conftest import FIXTURE_PLANS, tree_bytes

ENSHI = FIXTURE_PLANS / "enshi_ascii_numbered.txt"
ANPING = FIXTURE_PLANS / "anping_bullets_truncated.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def users_folder(root: Path) -> Path:
    """A folder like a user's home: dot-folders, notes, a thesis."""
    home = root / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("PRIVATE KEY", encoding="utf-8")
    (home / "thesis").mkdir()
    (home / "thesis" / "chapter1.md").write_text("# 第一章\n", encoding="utf-8")
    (home / "notes.txt").write_text("科学素质 notes", encoding="utf-8")
    return home


def all_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, dot-files included."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- outputs are owned --------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        lambda home, five: ["build", str(ENSHI), "--out", str(home)],
        lambda home, five: ["report", "--data", str(five.out), "--out", str(home)],
        lambda home, five: ["serve", "--data", str(five.out), "--location", str(home), "--port", str(free_port())],
        lambda home, five: ["export", "--data", str(five.out), "--format", "turtle", "-o", str(home)],
    ],
    ids=["build", "report", "serve", "export"],
)
def test_a_users_folder_survives_every_command_byte_for_byte(
    command, five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = users_folder(tmp_path)
    before = all_bytes(home)
    code, _, err = run(capsys, *command(home, five))
    assert code == 2, err
    assert "错误 error:" in err and str(home) in err and "Traceback" not in err
    assert all_bytes(home) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"], "nothing left beside it"


def test_the_input_folder_is_never_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ENSHI, plans)
    before = all_bytes(plans)
    for out in (plans, plans / "kg"):
        code, _, err = run(capsys, "build", str(plans), "--out", str(out))
        assert code == 2 and "input" in err, err
    assert all_bytes(plans) == before and not (plans / "kg").exists()


def test_an_input_inside_the_output_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kg"
    build([ENSHI], out)
    before = all_bytes(out)
    code, _, err = run(capsys, "build", str(out / "sources"), "--out", str(out))
    assert code == 2 and "inside the output" in err, err
    assert all_bytes(out) == before


def test_report_never_replaces_the_build_folder(five: BuildResult, tmp_path: Path, capsys) -> None:
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    before = all_bytes(data)
    code, _, err = run(capsys, "report", "--data", str(data), "--out", str(data))
    assert code == 2, err
    code, _, err = run(capsys, "report", "--data", str(data), "--out", str(data / "report"))
    assert code == 2, err
    assert all_bytes(data) == before


def test_a_build_folder_keeps_the_users_files_across_rebuilds(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    build([ENSHI], out)
    (out / "my-notes.md").write_text("我的笔记", encoding="utf-8")
    (out / "analysis").mkdir()
    (out / "analysis" / "fig.svg").write_text("<svg/>", encoding="utf-8")
    (out / "graph" / "mine.ttl").write_text("# mine", encoding="utf-8")
    (out / "empty-of-mine").mkdir()
    build([ENSHI, ANPING], out)
    build([ENSHI, ANPING], out)  # again: the folders the build made (some empty) are its own
    assert (out / "empty-of-mine").is_dir()
    assert (out / "my-notes.md").read_text(encoding="utf-8") == "我的笔记"
    assert (out / "analysis" / "fig.svg").read_text(encoding="utf-8") == "<svg/>"
    assert (out / "graph" / "mine.ttl").read_text(encoding="utf-8") == "# mine"
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["plans"]) == 2
    marker = json.loads((out / ".sciplan-kg").read_text(encoding="utf-8"))
    assert marker["kind"] == "build" and "my-notes.md" not in marker["files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"]


def test_a_large_previous_folder_is_removed_in_the_background_and_only_its_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A previous build folder of many files is removed by a process of its own after the swap
    (at the lowest priority): it ends with the holder gone, and the user's files in the folder
    moved into the new one, never deleted."""
    monkeypatch.setattr(outputs, "BACKGROUND_REMOVAL", 10)
    out = tmp_path / "kg"
    build([ENSHI], out)
    (out / "my-notes.md").write_text("我的笔记", encoding="utf-8")
    build([ENSHI, ANPING], out)
    for _ in range(300):  # the removal runs in its own process: wait for it (30 s at most)
        if sorted(p.name for p in tmp_path.iterdir()) == ["kg"]:
            break
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"]
    assert (out / "my-notes.md").read_text(encoding="utf-8") == "我的笔记"
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["plans"]) == 2


def test_an_older_build_folder_is_replaced_but_its_foreign_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    (out / "graph").mkdir(parents=True)
    (out / "graph" / "registry.ttl").write_text("# old", encoding="utf-8")
    (out / "manifest.json").write_text('{"plans": [], "asserted_triples": 0}', encoding="utf-8")
    (out / "sciplan-kg.ttl").write_text("# an export the user keeps", encoding="utf-8")
    build([ENSHI], out)
    assert (out / "sciplan-kg.ttl").read_text(encoding="utf-8") == "# an export the user keeps"
    assert (out / ".sciplan-kg").is_file()


def test_export_never_overwrites_a_folder_or_the_builds_own_files(five: BuildResult, tmp_path: Path, capsys) -> None:
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    before = all_bytes(data)
    for target in (data, data / "manifest.json", data / "graph" / "registry.ttl", tmp_path):
        code, _, err = run(capsys, "export", "--data", str(data), "--format", "nt", "-o", str(target))
        assert code == 2 and "Traceback" not in err, err
    assert all_bytes(data) == before
    code, _, _ = run(capsys, "export", "--data", str(data), "--format", "nt", "-o", str(data / "export.nt"))
    assert code == 0


@pytest.mark.parametrize("names", [["registry", "similarity", "dataset"], ["x", "x.inferred"]], ids=["own", "twin"])
def test_plan_names_never_collide_with_the_builds_files(names: list[str], tmp_path: Path, capsys) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    sources = sorted(PLANS_DIR.glob("*.txt"))
    for name, src in zip(names, sources, strict=False):
        shutil.copy(src, plans / f"{name}.txt")
    out = tmp_path / "kg"
    code, _, err = run(capsys, "build", str(plans), "--out", str(out))
    assert code == 0, err
    code, text, err = run(capsys, "query", "plans", "--data", str(out), "--format", "json")
    assert code == 0, err
    assert len(json.loads(text)) == len(names), "every plan can still be queried"
    from sciplan_kg.pipeline.folder import load_graphs

    graphs = load_graphs(out)
    assert len(graphs["asserted"]) > 1000 and len(graphs["similarity"]) >= 0


def test_input_names_are_matched_without_regard_to_case(tmp_path: Path, capsys) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ENSHI, plans / "a.txt")
    shutil.copy(ANPING, plans / "B.TXT")
    out = tmp_path / "kg"
    code, _, err = run(capsys, "build", str(plans), "--out", str(out))
    assert code in (0, 1), err  # built (the truncated plan does not conform)
    assert {p["file"] for p in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["plans"]} == {
        "a.txt",
        "B.TXT",
    }
    shutil.copy(ANPING, plans / "b.txt")  # the same stem but for case: would share files
    code, _, err = run(capsys, "build", str(plans), "--out", str(out))
    assert code == 2 and "same name" in err, err


# --- one read of each input ---------------------------------------------------------------


def test_a_plan_rewritten_while_it_is_built_is_never_kept_stale(tmp_path: Path, monkeypatch) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    plan = plans / ENSHI.name
    first = ENSHI.read_bytes()
    second = first.replace(b"2025", b"2026", 1)
    plan.write_bytes(first)
    real_open = Path.open
    opened: list[int] = []

    def open_then_rewrite(self: Path, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(self, mode, *args, **kwargs)
        if self.name == plan.name and "b" in mode and "r" in mode and not opened:
            opened.append(1)
            data = handle.read()
            handle.close()
            plan.write_bytes(second)  # the file changes right after the build first read it
            import io

            return io.BytesIO(data)
        return handle

    monkeypatch.setattr(Path, "open", open_then_rewrite)
    out = tmp_path / "kg"
    result = build([plans], out)
    monkeypatch.undo()
    kept = (out / "sources" / f"{plan.stem}.txt").read_bytes()
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["plans"][0]
    summary = json.loads((out / "plans" / f"{plan.stem}.json").read_text(encoding="utf-8"))
    from sciplan_kg.pipeline.plan import fingerprint, plan_key

    assert entry["sha256"] == hashlib.sha256(kept).hexdigest(), "the manifest's hash is the kept copy's"
    assert summary["key"] == plan_key(plan.name, kept, fingerprint()), "the key is the kept copy's"
    assert result.plans[0].sha256 == entry["sha256"]
    again = build([plans], out)
    assert again.reused == 0, "the changed file is built again"
    assert (out / "sources" / f"{plan.stem}.txt").read_bytes() == second


# --- one writer at a time ------------------------------------------------------------------


def test_two_builds_into_one_folder_leave_one_whole_build(tmp_path: Path, capsys) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for f in sorted(PLANS_DIR.glob("*.txt")):
        shutil.copy(f, plans)
    out = tmp_path / "kg"
    code = (
        "from pathlib import Path; from sciplan_kg.pipeline.build import build; "
        f"build([Path({str(plans)!r})], Path({str(out)!r}), jobs=1)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".kg.tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "the first build finished before the second could start"
    second, _, err = run(capsys, "build", str(plans), "--out", str(out))
    assert second == 2 and "another sciplan-kg process" in err, err
    _, first_err = proc.communicate(timeout=300)
    assert proc.returncode == 0, first_err.decode()
    from sciplan_kg.pipeline.folder import BuildFolder

    assert len(BuildFolder.open(out).manifest["plans"]) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg", "plans"]


# --- faults are messages, nothing half-written ----------------------------------------------


def _cli(args: list[str], limit: int | None = None, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
    def limit_files() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "sciplan_kg.cli", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=limit_files,
        timeout=300,
        check=False,
    )


def test_a_file_size_limit_is_a_message_and_the_previous_build_stays(tmp_path: Path) -> None:
    out = tmp_path / "kg"
    build([ENSHI], out)
    before = tree_bytes(out)
    done = _cli(["build", str(ENSHI), str(ANPING), "--out", str(out), "--jobs", "1"], limit=20_000)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "错误 error:" in err and "file too large" in err and "Traceback" not in err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg"], "no temporary folder left"


@contextlib.contextmanager
def tmpfs(path: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_is_a_message_and_nothing_is_left(tmp_path: Path, capsys) -> None:
    with tmpfs(tmp_path / "small", "300k") as disk:
        code, _, err = run(capsys, "build", "--out", str(disk / "kg"))
        assert code == 2, err
        assert "no space left" in err and "Traceback" not in err
        assert list(disk.iterdir()) == [], "nothing half-written"


def test_a_read_only_place_is_a_message(five: BuildResult, tmp_path: Path, capsys) -> None:
    place = tmp_path / "ro"
    with contextlib.ExitStack() as stack:
        disk = stack.enter_context(tmpfs(place, "64m"))
        shutil.copytree(five.out, disk / "build")
        shutil.copytree(five.out, disk / "synced")
        assert run(capsys, "query", "plans", "--data", str(disk / "synced"))[0] == 0  # its store made
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        code, out, err = run(capsys, "query", "plans", "--data", str(disk / "synced"), "--format", "json")
        assert code == 0 and len(json.loads(out)) == 5, "a store already in step answers read-only"
        for argv in (
            ["build", str(ENSHI), "--out", str(disk / "build")],
            ["report", "--data", str(disk / "build"), "--out", str(disk / "report")],
            ["query", "plans", "--data", str(disk / "build")],
            ["export", "--data", str(disk / "build"), "--format", "nt", "-o", str(disk / "x.nt")],
        ):
            code, _, err = run(capsys, *argv)
            assert code == 2, (argv, err)
            assert "read-only" in err and "Traceback" not in err, (argv, err)
        code, _, err = run(capsys, "query", "plans", "--data", str(disk / "build"), "--store", "rdflib")
        assert code == 0, err


def test_standard_output_to_a_full_device_is_a_message() -> None:
    with open("/dev/full", "wb") as full:
        done = _cli(["queries"], stdout=full.fileno())
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "standard output" in err and "no space left" in err and "Traceback" not in err
    assert "Exception ignored" not in err


def test_a_busy_port_is_a_message(five: BuildResult, tmp_path: Path, capsys) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run(
            capsys, "serve", "--data", str(five.out), "--location", str(tmp_path / "s"), "--port", str(port)
        )
    assert code == 2 and "already in use" in err and "Traceback" not in err, err
    assert "SPARQL:" not in out, "no URL banner for a server that never started"


def test_a_failing_plan_in_a_multi_process_build_is_named(tmp_path: Path, capsys) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(ENSHI, plans)
    shutil.copy(ANPING, plans)
    (plans / "zz_not_a_plan.txt").write_text("这是一份会议纪要，和科学素质无关。\n" * 50, encoding="utf-8")
    code, _, err = run(capsys, "build", str(plans), "--out", str(tmp_path / "kg"), "--jobs", "2")
    assert code == 2 and "zz_not_a_plan.txt" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


def _die(*args: object) -> None:
    os._exit(9)  # as the out-of-memory killer would end it


def test_a_worker_that_dies_is_a_message(tmp_path: Path, capsys, monkeypatch) -> None:
    from sciplan_kg.pipeline import build as pipeline

    monkeypatch.setattr(pipeline, "build_plan", _die)  # the forked workers inherit it
    code, _, err = run(capsys, "build", str(ENSHI), str(ANPING), "--out", str(tmp_path / "kg"), "--jobs", "2")
    assert code == 2 and "worker process" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_name_too_long_is_a_message(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    long = plans / ("科" * 83 + "xy.txt")  # 255 bytes: the plan's records file would need 256
    shutil.copy(ENSHI, long)
    done = _cli(["build", str(long), "--out", str(tmp_path / "kg")])
    err = done.stderr.decode()
    assert done.returncode == 2 and "file name too long" in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


# --- nothing silent --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{b}"],
        ["query", "plans", "--data", "{b}"],
        ["query", "plans", "--data", "{b}", "--store", "rdflib"],
        ["export", "--data", "{b}", "--format", "nt"],
        ["report", "--data", "{b}", "--out", "{t}/report"],
        ["coverage", "--data", "{b}"],
    ],
    ids=lambda a: "-".join(a[:1] + [x for x in a[1:] if x in ("rdflib", "nt")]),
)
def test_a_build_folder_missing_a_file_is_refused_by_every_reader(
    argv: list[str], five: BuildResult, tmp_path: Path, capsys
) -> None:
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    missing = data / "graph" / "asserted" / f"{Path(five.plans[1].file).stem}.ttl"
    missing.unlink()
    code, _, err = run(capsys, *[a.format(b=data, t=tmp_path) for a in argv])
    assert code == 2, err
    assert str(missing) in err and "missing" in err and "Traceback" not in err
    assert not (tmp_path / "report").exists()


# --- folders that look like the tool's but are the user's (the audit of 2026-12-07) ----------------


def _web_site(root: Path) -> Path:
    site = root / "site"
    (site / "charts").mkdir(parents=True)
    (site / "index.html").write_text("<h1>My homepage</h1>", encoding="utf-8")
    (site / "style.css").write_text("body{}", encoding="utf-8")
    (site / "charts" / "my-chart.png").write_bytes(b"PNG")
    return site


def _app_folder(root: Path) -> Path:
    proj = root / "proj"
    (proj / "graph").mkdir(parents=True)
    (proj / "records").mkdir()
    (proj / "manifest.json").write_text('{"name": "my app"}', encoding="utf-8")
    (proj / "graph" / "registry.ttl").write_text("<http://ex/a> <http://ex/b> <http://ex/c> .\n", encoding="utf-8")
    (proj / "graph" / "my-own-graph.ttl").write_text("# mine", encoding="utf-8")
    (proj / "records" / "interview-notes.json").write_text("{}", encoding="utf-8")
    return proj


def _oxigraph_database(path: Path) -> Path:
    import pyoxigraph as ox

    store = ox.Store(str(path))
    store.add(ox.Quad(ox.NamedNode("http://me/x"), ox.NamedNode("http://me/p"), ox.Literal("my precious data")))
    store.flush()
    del store
    return path


@pytest.mark.parametrize(
    ("make", "command"),
    [
        (_web_site, lambda folder, five: ["report", "--data", str(five.out), "--out", str(folder), "--jobs", "1"]),
        (_app_folder, lambda folder, five: ["build", str(ENSHI), "--out", str(folder)]),
        (
            lambda root: _oxigraph_database(root / "mydb"),
            lambda folder, five: [
                *("serve", "--data", str(five.out), "--location", str(folder), "--port", str(free_port()))
            ],
        ),
    ],
    ids=["web-site", "app-with-manifest", "oxigraph-database"],
)
def test_a_folder_holding_what_the_tool_writes_is_no_proof_it_is_the_tools(
    make, command, five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """index.html and style.css (any web site), manifest.json and graph/registry.ttl, a CURRENT
    file (any Oxigraph or RocksDB database) were taken for a folder of an earlier version and
    their files replaced or deleted; only what the tool alone writes in them proves it now."""
    folder = make(tmp_path)
    before = all_bytes(folder)
    code, _, err = run(capsys, *command(folder, five))
    assert code == 2 and "did not write" in err and str(folder) in err, err
    assert all_bytes(folder) == before


def test_a_users_database_where_the_query_store_goes_is_kept(five: BuildResult, tmp_path: Path, capsys) -> None:
    data = tmp_path / "u1"
    shutil.copytree(five.out, data)
    _oxigraph_database(tmp_path / "u1.oxigraph")
    before = all_bytes(tmp_path / "u1.oxigraph")
    code, _, err = run(capsys, "query", "plans", "--data", str(data))
    assert code == 2 and "--store rdflib" in err, err
    assert all_bytes(tmp_path / "u1.oxigraph") == before
    code, out, err = run(capsys, "query", "plans", "--data", str(data), "--store", "rdflib")
    assert code == 0 and "wushan" in out, err


def test_an_earlier_versions_report_folder_is_still_the_tools(tmp_path: Path) -> None:
    """Its pages carried the footer they carry now: that is the proof. Its own files are the
    report's to replace, a file of the user's in it is not (``remove_owned`` deletes only the
    former; the rebuild itself is the marked folders' path, tested above)."""
    old = tmp_path / "report"
    (old / "charts").mkdir(parents=True)
    footer = "<footer>sciplan-kg 报告 · report — 由构建目录生成，离线可读 / generated from a build folder</footer>"
    (old / "index.html").write_text(f"<html>{footer}</html>", encoding="utf-8")
    (old / "style.css").write_text("body{}", encoding="utf-8")
    (old / "charts" / "lead-load.png").write_bytes(b"PNG")
    (old / "my-notes.txt").write_text("mine", encoding="utf-8")
    marker = outputs.check_output(old, outputs.REPORT)
    assert marker is not None and marker.legacy
    assert {"index.html", "style.css", "charts/lead-load.png"} <= set(marker.files or ())
    assert not marker.owns("my-notes.txt")


def test_a_query_answer_never_overwrites_the_build_the_store_or_the_query(
    five: BuildResult, tmp_path: Path, capsys
) -> None:
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    code, _, err = run(capsys, "query", "plans", "--data", str(data))  # the store beside it
    assert code == 0, err
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?s WHERE { ?s a <https://w3id.org/sciplan-kg/ontology#Plan> }", encoding="utf-8")
    before = {p: all_bytes(p) for p in (data, tmp_path / "build.oxigraph")} | {rq: rq.read_bytes()}
    targets = [
        ("plans", data / "manifest.json"),
        ("plans", data / "graph" / "registry.ttl"),
        ("plans", tmp_path / "build.oxigraph" / "CURRENT"),
        (str(rq), rq),
    ]
    for query, target in targets:
        code, _, err = run(capsys, "query", query, "--data", str(data), "--format", "csv", "-o", str(target))
        assert code == 2 and str(target) in err and "Traceback" not in err, err
    assert {p: all_bytes(p) for p in (data, tmp_path / "build.oxigraph")} | {rq: rq.read_bytes()} == before
    code, _, err = run(capsys, "query", "plans", "--data", str(data), "-o", str(data / "plans.csv"))
    assert code == 0, err


def _reshape(data: Path, what: str) -> None:
    if what in ("entry-without-graph", "entry-a-number"):
        manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
        if what == "entry-a-number":
            manifest["plans"][0] = 1
        else:
            del manifest["plans"][0]["graph"]
        (data / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    elif what == "coverage":
        (data / "coverage.json").write_text("[1, 2]", encoding="utf-8")
    elif what == "validation":
        (data / "validation.json").write_text("[]", encoding="utf-8")
    else:
        record = sorted((data / "records").glob("*.json"))[0]
        record.write_text('{"measures": "x"}', encoding="utf-8")


@pytest.mark.parametrize(
    ("what", "command", "file"),
    [
        ("entry-without-graph", ["validate", "{data}"], "manifest.json"),
        ("entry-a-number", ["export", "--data", "{data}", "--format", "nt", "-o", "{tmp}/x.nt"], "manifest.json"),
        ("entry-a-number", ["query", "plans", "--data", "{data}"], "manifest.json"),
        ("coverage", ["coverage", "--data", "{data}"], "coverage.json"),
        ("validation", ["report", "--data", "{data}", "--out", "{tmp}/rep", "--jobs", "1"], "validation.json"),
        ("record", ["evaluate", str(Path(__file__).parents[1] / "gold"), "{data}"], "records/"),
    ],
)
def test_a_build_file_of_another_shape_is_a_message_naming_it(
    what: str, command: list[str], file: str, five: BuildResult, tmp_path: Path, capsys
) -> None:
    """Well-formed JSON of another shape in a build folder (a manifest entry without its graph, a
    coverage table of numbers) was an internal error: now the file is named, exit 2."""
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    _reshape(data, what)
    code, _, err = run(capsys, *(a.format(data=data, tmp=tmp_path) for a in command))
    assert code == 2 and str(data / file) in err and "internal error" not in err, err


def test_a_build_folder_whose_marker_was_lost_is_rebuilt_as_the_message_says(tmp_path: Path, capsys) -> None:
    out = tmp_path / "kg"
    build([ENSHI], out)
    (out / ".sciplan-kg").unlink()
    code, _, err = run(capsys, "query", "plans", "--data", str(out))
    assert code == 2 and "marker is missing or damaged" in err and f"--out {out}" in err, err
    code, _, err = run(capsys, "build", str(ENSHI), "--out", str(out), "--quiet")
    assert code == 0, err
    assert (out / ".sciplan-kg").is_file()


def _without_privileges(argv: list[str]) -> list[str]:
    """``argv`` run so that file permissions bind (as root they do not: its capabilities dropped)."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-all", "--", *argv]


@pytest.mark.parametrize(
    "argv",
    [["query", "plans"], ["export", "--format", "nt", "-o", "x.nt"], ["export", "--format", "turtle", "-o", "x.ttl"]],
    ids=["query", "export-nt", "export-turtle"],
)
def test_a_graph_file_that_cannot_be_read_is_named(argv: list[str], five: BuildResult, tmp_path: Path) -> None:
    """It was "cannot write the query store beside the build folder" (query) or "系统错误 /
    PermissionError" with no file (export)."""
    data = tmp_path / "build"
    shutil.copytree(five.out, data)
    graph = sorted((data / "graph" / "asserted").glob("*.ttl"))[2]
    graph.chmod(0)
    try:
        cmd = [sys.executable, "-m", "sciplan_kg.cli", argv[0], "--data", str(data), *argv[1:]]
        proc = subprocess.run(_without_privileges(cmd), capture_output=True, text=True, cwd=tmp_path, timeout=120)
    finally:
        graph.chmod(0o644)
    assert proc.returncode == 2 and f"{graph}: 没有权限 / permission denied" in proc.stderr, proc.stderr


def test_an_answer_file_with_a_long_legal_name_is_written(five: BuildResult, tmp_path: Path, capsys) -> None:
    """A name of 250 bytes is legal; the temporary file beside it, named after it, was not (the
    message named that temporary file)."""
    out = tmp_path / ("q" * 246 + ".csv")
    code, _, err = run(capsys, "query", "plans", "--data", str(five.out), "-o", str(out))
    assert code == 0, err
    assert out.is_file() and sorted(p.name for p in tmp_path.iterdir()) == [out.name]
