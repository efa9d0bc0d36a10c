"""The public API (``sciplan_kg.api``) and the CLI's paths: every path a ``str`` or a ``Path``,
read against the current folder; the API's defaults are the CLI's; the same rule for every
command, tested from a folder that is not the repository."""

from __future__ import annotations

import csv
import inspect
import io
import shutil
from pathlib import Path

import pytest

import sciplan_kg
from sciplan_kg import api, cli
from sciplan_kg.errors import InputError
from sciplan_kg.paths import ROOT
from sciplan_kg.pipeline.build import BuildResult

FIXTURE = Path(__file__).parent / "fixtures" / "plans" / "enshi_ascii_numbered.txt"
EXAMPLE_QUERY = ROOT / "examples" / "task-leads.rq"

# CLI command → (arguments it requires, {CLI option dest: API parameter})
CLI_TO_API = {
    "build": ([], {"out": ("build", "out")}),
    "validate": ([], {"path": ("validate", "path")}),
    "export": (["--format", "turtle"], {"data": ("export", "data"), "output": ("export", "out")}),
    "report": ([], {"data": ("report", "data"), "out": ("report", "out")}),
    "coverage": ([], {"data": ("coverage", "data")}),
    "load": (["--endpoint", "http://127.0.0.1:9/query"], {"data": ("load", "data")}),
    "serve": ([], {"data": ("serve", "data"), "port": ("serve", "port"), "location": ("serve", "location")}),
    "evaluate": (["gold/"], {"build": ("evaluate", "data")}),
}
PATH_PARAMETERS = {"inputs", "out", "data", "path", "location", "gold", "name_or_file"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder that is not the repository, holding ``build/``: one plan (not the five bundled
    ones, so reading the repository's build/ by mistake shows), built through the API with
    string paths, its query store made once."""
    folder = tmp_path_factory.mktemp("elsewhere")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(folder)
        result = api.build(str(FIXTURE), out="build", jobs=1)
        assert result.out.resolve() == folder / "build"
        api.run_query("plans")  # the store beside build/, made once for the module
    return folder


@pytest.fixture
def elsewhere(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workspace)
    return workspace


def test_every_api_function_is_exported_and_takes_str_or_path() -> None:
    functions = {name: f for name, f in vars(api).items() if inspect.isfunction(f) and f.__module__ == api.__name__}
    public = {name for name in functions if not name.startswith("_") and name != "as_path"}
    assert public <= set(sciplan_kg.__all__)
    for name in public:
        assert getattr(sciplan_kg, name) is functions[name]
        for parameter in inspect.signature(functions[name]).parameters.values():
            if parameter.name in PATH_PARAMETERS:
                assert "PathLike" in str(parameter.annotation), (name, parameter.name, parameter.annotation)


@pytest.mark.parametrize("command", sorted(CLI_TO_API))
def test_api_defaults_are_the_clis(command: str) -> None:
    required, mapping = CLI_TO_API[command]
    args = vars(cli._parser().parse_args([command, *required]))
    for dest, (function, parameter) in mapping.items():
        default = inspect.signature(getattr(api, function)).parameters[parameter].default
        assert default == args[dest], (command, dest, default, args[dest])
    assert api.DEFAULT_BUILD == Path("build") and not api.DEFAULT_BUILD.is_absolute()
    assert api.DEFAULT_REPORT == Path("report") and not api.DEFAULT_REPORT.is_absolute()


def test_api_reads_the_current_folders_build(elsewhere: Path) -> None:
    plans = api.run_query("plans")
    assert [row["place"] for row in plans.rows] == ["恩施州"]
    assert [row["file"] for row in api.coverage().rows] == [FIXTURE.name]
    assert api.validate().conforms
    size = api.export(out="graph.ttl")  # str, relative: into the current folder
    assert size > 0 and (elsewhere / "graph.ttl").stat().st_size == size


def test_api_takes_str_path_and_home(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(elsewhere))
    expected = api.run_query("plans").rows
    for data in ("build", Path("build"), str(elsewhere / "build"), "~/build"):
        assert api.run_query("plans", data).rows == expected, data
    assert api.validate("~/build").conforms
    assert api.extract_file(str(FIXTURE)).place == "恩施州"
    # a .rq file by Path, and parameters given as numbers are the strings they print as
    rows = api.run_query(EXAMPLE_QUERY, "build").rows
    assert rows and {row["place"] for row in rows} == {"恩施州"}
    by_number = api.run_query("co-responsibility", params={"minTasks": 2}).rows
    assert by_number == api.run_query("co-responsibility", params={"minTasks": "2"}).rows
    assert by_number != api.run_query("co-responsibility", params={"minTasks": 1000}).rows


def test_build_without_arguments_builds_the_bundled_plans_into_the_current_folder(
    five: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # seeded with the session's build of the five plans, so that every plan is reused (fast)
    shutil.copytree(five.out, tmp_path / "build", symlinks=True)
    monkeypatch.chdir(tmp_path)
    result = api.build()
    assert result.out.resolve() == tmp_path / "build"
    assert sorted(p.file for p in result.plans) == sorted(p.file for p in five.plans)
    assert result.reused == len(five.plans)


def test_without_a_build_folder_the_error_names_the_folder_it_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        api.run_query("plans")
    assert caught.value.path == Path("build")
    for argv in (["query", "plans"], ["coverage"], ["validate"], ["export", "--format", "nt"], ["report"]):
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert str(tmp_path / "build") in err and "sciplan-kg build" in err, (argv, err)
        assert "Traceback" not in err
    assert not (tmp_path / "report").exists() and not (tmp_path / "build").exists()


def test_cli_paths_are_relative_to_the_current_folder_for_every_command(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["query", "plans", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["place"] for row in rows] == ["恩施州"]  # this folder's build/, not the repository's
    assert cli.main(["coverage", "--format", "csv"]) == 0
    assert FIXTURE.name in capsys.readouterr().out
    assert cli.main(["validate"]) == 0
    capsys.readouterr()
    assert cli.main(["export", "--format", "nt", "-o", "graph.nt"]) == 0
    assert (elsewhere / "graph.nt").stat().st_size > 0

    # report: --data and --out by the same rule (the writing itself is tested in tests/publish/)
    seen: list[tuple[Path, Path]] = []

    def write_report(build: Path, out: Path, jobs: int | None = None) -> object:
        seen.append((build.resolve(), out.resolve()))
        raise InputError(out, "stop here")

    monkeypatch.setattr("sciplan_kg.publish.report.write_report", write_report)
    monkeypatch.setenv("HOME", str(elsewhere))
    assert cli.main(["report"]) == 2
    assert cli.main(["report", "--data", "~/build", "--out", "~/r"]) == 2
    assert cli.main(["report", "--data", "build", "--out", "r"]) == 2
    capsys.readouterr()
    assert seen == [
        (elsewhere / "build", elsewhere / "report"),
        (elsewhere / "build", elsewhere / "r"),
        (elsewhere / "build", elsewhere / "r"),
    ]


def test_help_says_how_paths_are_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "relative to the current folder" in capsys.readouterr().out
    for command in ("query", "report", "coverage", "export", "serve", "load"):
        assert cli.main([command, "--help"]) == 0
        assert "build/ in the current folder" in " ".join(capsys.readouterr().out.split()), command
