"""``sciplan-kg evaluate GOLD [BUILD]``: formats, --min and its exit code, errors as messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sciplan_kg import cli
from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from tests.evaluate.plans import SHIMEN_GOLD, write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_prints_the_table_and_exits_by_the_bar(
    small_build: BuildResult, gold_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(gold_dir, "shimen.toml", SHIMEN_GOLD.replace('"团县委"', '"县妇联"'))
    code, out, err = run(capsys, "evaluate", str(gold_dir), str(small_build.out))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == "field gold build tp fp fn precision recall f1 macro-f1 plans".split()
    assert lines[15].split() == ["supports", "6", "6", "5", "1", "1", "0.8333", "0.8333", "0.8333", "0.8333", "1"]
    assert "shimen:14  supports  missing  县妇联 [womens-federation]" in out
    assert "shimen:14  supports  extra  团县委 [youth-league]" in out
    code, out, _ = run(capsys, "evaluate", str(gold_dir), str(small_build.out), "--min", "0.9")
    assert code == 1 and out.endswith("\n低于 below --min 0.9: supports 0.8333\n")
    code, out, _ = run(capsys, "evaluate", str(gold_dir), str(small_build.out), "--min", "0.8", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["below"] == [] and data["min"] == 0.8
    assert {d["kind"] for d in data["disagreements"]} == {"missing", "extra"}


def test_evaluate_reads_build_by_default(
    small_build: BuildResult, gold_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "DEFAULT_BUILD_DIR", small_build.out)
    write(gold_dir, "shimen.toml", SHIMEN_GOLD)
    code, out, _ = run(capsys, "evaluate", str(gold_dir / "shimen.toml"), "--min", "1")
    assert code == 0 and "0 处不一致 disagreements:" in out and "every field's micro F1 ≥ --min 1" in out


def test_evaluate_errors_are_messages_with_file_and_line(
    small_build: BuildResult, gold_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(gold_dir, "shimen.toml", SHIMEN_GOLD.replace("no = 2\nline = 15", "no = 2\nline = = 15"))
    code, out, err = run(capsys, "evaluate", str(gold_dir), str(small_build.out))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"错误 error: {bad}:53: TOML 格式错误 / malformed TOML")
    write(gold_dir, "shimen.toml", SHIMEN_GOLD.replace("shimen.txt", "cili.txt"))
    code, _, err = run(capsys, "evaluate", str(gold_dir), str(small_build.out))
    assert code == 2 and f"{bad}:2: " in err and "holds no plan cili.txt" in err
    code, _, err = run(capsys, "evaluate", str(gold_dir / "none"), str(small_build.out))
    assert code == 2 and "none: 找不到文件或文件夹 / no such file or folder" in err
    code, _, err = run(capsys, "evaluate", str(gold_dir), str(small_build.out), "--min", "2")
    assert code == 2 and "must be a number from 0 to 1" in err
