"""The house (README, "Architecture"): each stage imports only the stages before it, checked
with import-linter's layers contract (``[tool.importlinter]`` in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sciplan_kg.paths import ROOT


def test_stages_import_only_the_stages_before_them() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_every_stage_says_what_it_takes_gives_and_must_not_import() -> None:
    package = ROOT / "src" / "sciplan_kg"
    for init in sorted(package.glob("*/__init__.py")):
        doc = init.read_text(encoding="utf-8")
        assert doc.startswith('"""') and "In:" in doc and "Out:" in doc, f"{init}: In:/Out: in the docstring"
        assert "never" in doc or "only" in doc, f"{init}: what the stage must not import"
