"""The README's code stays true: its Python blocks run, in order, in an empty folder (as a
newcomer would paste them); its cheap shell lines (`sciplan-kg queries`, any `--help`) run;
and the worked example ``examples/research_question.py`` runs as a script, gives the numbers the
``tasks`` query gives, and reads as a notebook in jupytext's percent format."""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from sciplan_kg import cli
from sciplan_kg.paths import ROOT
from sciplan_kg.pipeline.build import BuildResult

README = ROOT / "README.md"
EXAMPLE = ROOT / "examples" / "research_question.py"
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
CHEAP = re.compile(r"^(?:\.venv/bin/)?sciplan-kg(?: queries\b| --version\b|.*\s--help\b)")


def blocks(language: str) -> list[tuple[int, str]]:
    """The README's fenced blocks of ``language``: (line of the fence, code)."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(2)) for m in FENCE.finditer(text) if m.group(1) == language]


def cheap_shell_lines() -> list[tuple[int, str]]:
    """Lines of the README's shell blocks that run in a second: listing the catalogue, help."""
    found = []
    for line_no, code in blocks("sh"):
        for offset, line in enumerate(code.splitlines(), start=1):
            if CHEAP.match(line.strip()):
                found.append((line_no + offset, line.strip()))
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, five: BuildResult) -> Path:
    """The empty folder the README's blocks run in, in order. Seeded with the session's build of
    the five plans (the README's own ``build()`` then reuses every plan instead of building them
    again, which only saves time: the result is the same)."""
    path = tmp_path_factory.mktemp("newcomer")
    shutil.copytree(five.out, path / "build", symlinks=True)
    return path


def test_the_readme_has_python_blocks_and_cheap_shell_lines() -> None:
    assert len(blocks("python")) >= 4
    lines = [line for _, line in cheap_shell_lines()]
    assert any(shlex.split(line, comments=True) == ["sciplan-kg", "queries"] for line in lines)
    assert any(line.startswith(".venv/bin/") for line in lines)


@pytest.mark.parametrize(("line", "code"), blocks("python"), ids=[f"README.md:{n}" for n, _ in blocks("python")])
def test_python_block_runs(
    line: int, code: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if "dataframe()" in code:
        pytest.importorskip("pandas", reason="pandas is optional (the notebook and dev extras install it)")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    exec(compile(code, f"{README}:{line}", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip(), "a README block shows its result"


@pytest.mark.parametrize(
    ("line", "command"), cheap_shell_lines(), ids=[f"README.md:{n}" for n, _ in cheap_shell_lines()]
)
def test_shell_line_runs(line: int, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = shlex.split(command, comments=True)
    if argv[0].startswith(".venv/bin/"):
        program = Path(sys.executable).parent / "sciplan-kg"  # the installed entry point itself
        done = subprocess.run([str(program), *argv[1:]], capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip()
        return
    assert cli.main(argv[1:]) == 0
    assert capsys.readouterr().out.strip()


def test_the_example_answers_its_question_as_the_tasks_query_does(folder: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], cwd=folder, capture_output=True, text=True, timeout=600, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "agency type" in done.stdout and "Traceback" not in done.stderr
    assert (folder / "lead-shares.png").stat().st_size > 10_000

    with open(folder / "lead-shares.csv", encoding="utf-8") as f:
        shares = list(csv.DictReader(f))
    by_plan: dict[str, float] = defaultdict(float)
    led: dict[tuple[str, str], float] = defaultdict(float)
    for row in shares:
        by_plan[row["place"]] += float(row["sharePercent"])
        led[row["place"], row["agency"]] += float(row["tasksLed"])
    assert len(by_plan) == 5
    for place, total in by_plan.items():
        assert total == pytest.approx(100, abs=0.5), place  # one unit per task: each plan adds up to 100 %

    # the same count from the catalogue's `tasks` query, whose leadAgencies are a task's own leads
    # where it states them, else its measure's
    from sciplan_kg import run_query

    expected: dict[tuple[str, str], float] = defaultdict(float)
    for task in run_query("tasks", folder / "build").rows:
        names = str(task["leadAgencies"] or "(no lead)").split("; ")
        for name in names:
            expected[str(task["place"]), name] += 1 / len(names)
    assert set(led) == set(expected)
    for key, value in expected.items():
        assert led[key] == pytest.approx(value, abs=0.001), key


def test_the_example_is_a_percent_format_notebook() -> None:
    jupytext = pytest.importorskip("jupytext", reason="jupytext is in the dev extra")
    notebook = jupytext.read(EXAMPLE)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith("# Which agencies carry the load")
    assert kinds.count("markdown") >= 5 and kinds.count("code") >= 6
    assert notebook.metadata["jupytext"]["text_representation"]["format_name"] == "percent"
    # every code cell of the notebook is code of the script, in the same order
    script = EXAMPLE.read_text(encoding="utf-8")
    position = 0
    for cell in notebook.cells:
        if cell.cell_type == "code":
            position = script.index(cell.source, position) + len(cell.source)
