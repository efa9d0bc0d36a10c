"""The command line, called in-process: exit codes, formats, messages."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from sciplan_kg.cli import COMMANDS, main
from sciplan_kg.paths import PLANS_DIR, ROOT
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.pipeline.folder import load_graphs
from tests.conftest import FIXTURE_PLANS, record_of


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_conforming_plan_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "build", str(FIXTURE_PLANS / "enshi_ascii_numbered.txt"), "--out", str(tmp_path / "b"))
    assert code == 0
    assert "enshi_ascii_numbered.txt" in out and "conforms" in out


def test_build_nonconforming_plan_exits_1_with_a_readable_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the truncated fixture without its literacy target: a violation (a task with no lead is a warning)
    plan = tmp_path / "in" / "anping_bullets_truncated.txt"
    plan.parent.mkdir()
    text = (FIXTURE_PLANS / "anping_bullets_truncated.txt").read_text(encoding="utf-8")
    plan.write_text(
        text.replace("到2025年，全县公民具备科学素质的比例超过10%。", "到2025年，全县科普工作再上台阶。"), "utf-8"
    )
    out_dir = tmp_path / "b"
    code, out, _ = run(capsys, "build", str(plan), "--out", str(out_dir))
    assert code == 1
    assert "truncated" in out  # the extraction warning, with its line
    code, out, _ = run(capsys, "validate", str(out_dir))
    assert code == 1
    assert "方案没有科学素质比例目标" in out or "literacy target" in out
    assert "任务「开展技能竞赛」" in out and "安平县全民科学素质行动规划纲要实施方案" in out
    assert "anping_bullets_truncated.txt:17" in out
    assert "The task has no lead agency" in out  # the warning, beside the violation


def test_validate_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "missing"))
    assert code == 2 and "missing" in err
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    assert "bad.ttl:3" in err


def test_validate_five_plans_conforms(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(five.out))
    assert code == 0 and "conforms" in out
    code, out, _ = run(capsys, "validate", str(five.out), "--json")
    assert json.loads(out)["conforms"] is True


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(fmt: str, five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "plans", "--data", str(five.out), "--format", fmt)
    assert code == 0
    columns = ["plan", "title", "place", "source", "docNumber", "issuer", "issued", "literacyTarget", "parents"]
    if fmt == "json":
        rows = json.loads(out)
        assert len(rows) == len(five.plans) and list(rows[0]) == columns
        assert "\\u" not in out  # Chinese text is never escaped
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0] == columns and len(rows) == len(five.plans) + 1
    else:
        assert out.splitlines()[0].split() == columns


def test_query_with_parameter_and_file(five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text(
        "#+ summary_zh: 计数\n#+ summary_en: count\n#+ description: tasks of a plan\n"
        "#+ param: plan | iri | (all) | a plan\n#+ columns: n\n"
        "PREFIX sk: <https://w3id.org/sciplan-kg/ontology#>\n"
        "SELECT (COUNT(?t) AS ?n) WHERE { ?t sk:inMeasure/sk:inPlan ?plan }\n",
        encoding="utf-8",
    )
    plan = five.plans[0]
    iri = json.loads(run(capsys, "query", "plans", "--data", str(five.out), "--format", "json")[1])[0]["plan"]
    code, out, _ = run(capsys, "query", str(rq), "--data", str(five.out), "-p", "plan", iri, "--format", "json")
    assert code == 0
    assert json.loads(out) == [{"n": len(record_of(plan).tasks())}]


def test_query_errors_exit_2(five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "query", "no-such-query", "--data", str(five.out))[0] == 2
    upd = tmp_path / "upd.rq"
    upd.write_text("INSERT DATA { <urn:a> <urn:b> <urn:c> }\n", encoding="utf-8")
    code, _, err = run(capsys, "query", str(upd), "--data", str(five.out))
    assert code == 2 and "refused" in err
    code, _, err = run(capsys, "query", "plans", "--data", str(five.out), "-p", "plan", "not an iri")
    assert code == 2 and "plan" in err


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nt", "jsonld"])
def test_export_reimports_isomorphic(fmt: str, five: BuildResult, tmp_path: Path, capsys) -> None:
    out = tmp_path / f"g.{fmt}"
    code, _, _ = run(capsys, "export", "--data", str(five.out), "--format", fmt, "-o", str(out), "--inferred")
    assert code == 0
    graphs = load_graphs(five.out)
    expected = graphs["asserted"] + graphs["inferred"]
    for kind in ("similarity", "parents", "dataset"):  # what the query store holds beside the plans
        expected += graphs.get(kind, Graph())
    assert len(graphs["similarity"]) and len(graphs["dataset"])
    parse_format = {"turtle": "turtle", "trig": "trig", "nt": "nt", "jsonld": "json-ld"}[fmt]
    if fmt == "trig":
        ds = Dataset()
        ds.parse(out, format="trig")
        got = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            got.add((s, p, o))
        names = {str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g)}
        assert {"asserted", "inferred", "similarity", "dataset"} <= names  # each kind a graph of its own
    else:
        got = Graph().parse(out, format=parse_format)
    assert isomorphic(got, expected)
    again = tmp_path / f"h.{fmt}"
    run(capsys, "export", "--data", str(five.out), "--format", fmt, "-o", str(again), "--inferred")
    assert again.read_bytes() == out.read_bytes()
    assert "\\u" not in out.read_text(encoding="utf-8")


def test_export_defaults_to_asserted_triples_and_links(five: BuildResult, tmp_path: Path, capsys) -> None:
    """Without --inferred: the asserted triples, the similar-task and parent links and the
    dataset's description (a store loaded from the export answers similar-tasks as the build's
    does); --no-links: the plans' and registries' asserted triples alone."""
    graphs = load_graphs(five.out)
    out = tmp_path / "g.ttl"
    assert run(capsys, "export", "--data", str(five.out), "--format", "turtle", "-o", str(out))[0] == 0
    linked = graphs["asserted"] + graphs["similarity"] + graphs.get("parents", Graph()) + graphs["dataset"]
    assert isomorphic(Graph().parse(out), linked)
    bare = tmp_path / "bare.ttl"
    assert run(capsys, "export", "--data", str(five.out), "--format", "turtle", "-o", str(bare), "--no-links")[0] == 0
    assert isomorphic(Graph().parse(bare), graphs["asserted"])


def test_every_command_has_help_with_an_example_and_is_in_the_readme(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "example:" in out
        assert f"sciplan-kg {command}" in readme, command


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "export")[0] == 2


def test_coverage_command(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "coverage", "--data", str(five.out), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["file"] for r in rows] == [p.file for p in five.plans]
    for row, plan in zip(rows, five.plans, strict=True):
        assert row["tasks"] == len(record_of(plan).tasks())
        assert row["spansVerified"] == row["spans"] > 0
        with_lead = [
            t for m, t in record_of(plan).tasks() if any(a.role == "lead" for a in m.assignments + t.assignments)
        ]
        assert row["tasksWithLead"] == len(with_lead) > 0  # all but 巫山's 13 body-only tasks
    code, _, err = run(capsys, "coverage", "--data", "/nonexistent")
    assert code == 2 and "/nonexistent" in err and "no such build folder" in err
    code, _, err = run(capsys, "coverage", "--data", str(five.out / "manifest.json"))
    assert code == 2 and "a file, not a build folder" in err


def test_a_parameter_given_twice_is_refused(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    """-p plan 巫山县 -p plan 平罗县 answered for 平罗县 alone, without a word."""
    code, out, err = run(capsys, "query", "tasks", "--data", str(five.out), "-p", "plan", "巫山县", "-p", "plan=平罗县")
    assert code == 2 and out == "" and "given twice" in err


def test_timeout_stops_a_long_query(five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "slow.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }\n", encoding="utf-8")
    import time

    started = time.monotonic()
    code, _, err = run(capsys, "query", str(rq), "--data", str(five.out), "--timeout", "1")
    assert code == 2 and "1 s" in err
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("command", ["build", "validate", "report"])
@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_one_or_more(command: str, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``--jobs -1`` reached the process pool and came out as an internal error."""
    code, _, err = run(capsys, command, "--jobs", jobs)
    assert code == 2 and "--jobs" in err and "1 or more" in err


def _options() -> list[tuple[str, str, str | None]]:
    """Every argument of the command line: (command, option, help)."""
    import argparse

    from sciplan_kg.cli import _parser

    parser = _parser()
    found = [("", "/".join(a.option_strings) or str(a.metavar or a.dest), a.help) for a in parser._actions]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found += [("", f"COMMAND {a.dest}", a.help) for a in sub._choices_actions]
    for command, p in sub.choices.items():
        found += [(command, "/".join(a.option_strings) or str(a.metavar or a.dest), a.help) for a in p._actions]
    return found


def test_every_option_has_help_in_chinese_and_english() -> None:
    """Only the commands' summaries were bilingual: every option's help was English only."""
    import re

    options = _options()
    assert {command for command, _, _ in options} == {"", *COMMANDS}
    assert len(options) > 50
    for command, option, text in options:
        assert text and re.search(r"[\u4e00-\u9fff]", text) and " / " in text, (command, option, text)


def test_help_shows_one_pair_per_parameter_and_every_ask_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "--help")
    assert code == 0 and out.startswith("usage: ")  # --help stays argparse's own
    assert "[-p NAME VALUE]" in out and "NAME VALUE ...]" not in out
    assert "ASK: true/false, json, csv, tsv" in " ".join(out.split())
    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0 and "7878" in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        ([], "required: COMMAND"),
        (["export", "--format", "xml"], "invalid choice: 'xml'"),
        (["evaluate"], "required: GOLD"),
        (["query", "plans", "--timeout", "0"], "应为不超过 1,000,000 的正数秒 / must be a positive number of seconds"),
        (["query", "plans", "-p", "plan"], "-p takes NAME VALUE or NAME=VALUE"),
        (["evaluate", "gold", "--min", "2"], "must be a number from 0 to 1"),
    ],
)
def test_a_usage_error_is_one_line(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    """argparse printed its English usage block and ``sciplan-kg: error: …`` over several lines."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.endswith("\n"), err
    assert err.startswith("错误 error: sciplan-kg") and "参数错误 / usage error: " in err, err
    assert said in err and "usage:" not in err, err
    command = next((a for a in argv if a in COMMANDS), "")
    assert err.rstrip().endswith(f"({' '.join(['sciplan-kg', command]).strip()} --help)"), err


def test_build_says_what_a_folder_holds_that_it_does_not_read(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A .md beside the plans, a sub-folder of them: passed over without a word before."""
    plans = tmp_path / "plans"
    (plans / "sub").mkdir(parents=True)
    shutil.copy(sorted(PLANS_DIR.glob("*.txt"))[0], plans)
    shutil.copy(sorted(PLANS_DIR.glob("*.txt"))[1], plans / "sub")
    (plans / "notes.md").write_text("# notes\n", encoding="utf-8")
    (plans / ".hidden").write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "build", str(plans), "--out", str(tmp_path / "kg"), "--quiet")
    assert code == 0 and "1 个方案 plans" in out
    assert "2 not read" in err and "notes.md, sub/" in err and ".hidden" not in err
