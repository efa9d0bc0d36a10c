"""Bad input never crashes: each case gets a clear message naming the file, a documented exit
code and no traceback; extraction of mutated plans raises nothing but the documented error and
takes time linear in the input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciplan_kg import extract_file
from sciplan_kg.cli import main
from sciplan_kg.errors import InputError
from sciplan_kg.extract import extract_text
from sciplan_kg.paths import PLANS_DIR
from sciplan_kg.read.text import plan_text
from tests.conftest import FIXTURE_PLANS

SEED = sorted(PLANS_DIR.glob("*.txt"))[1]
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _extract_string(text: str) -> None:
    pt = plan_text(text, "fuzz.txt")
    extract_text(pt)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \n", "empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("control.txt", (b"\x01\x02\x1b\x7f" + "科学素质行动".encode()) * 300, "binary"),  # no NUL
        ("latin1.txt", "Überblick über Maßnahmen, Straße und Größe. ".encode("latin-1") * 50, "cannot decode"),
        (
            "notaplan.txt",
            "关于召开全县安全生产工作会议的通知\n各单位：请准时参加会议。\n".encode(),
            "does not look like",
        ),
    ],
)
def test_bad_files_exit_2_with_the_file_named(
    name: str, content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, err = _cli(capsys, "build", str(path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert name in err and message in err
    assert not (tmp_path / "out").exists(), "nothing half-written"


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _cli(capsys, "build", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"))
    assert code == 2 and "nope.txt" in err


def test_too_large_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    import sciplan_kg.read.text as text_module

    monkeypatch.setattr(text_module, "MAX_BYTES", 1000)
    code, err = _cli(capsys, "build", str(SEED), "--out", str(tmp_path / "out"))
    assert code == 2 and "too large" in err


def test_gb18030_crlf_and_bom_extract_like_utf8(tmp_path: Path) -> None:
    base = extract_file(SEED)
    variants = {
        "gb.txt": SEED_TEXT.encode("gb18030"),
        "crlf.txt": SEED_TEXT.replace("\n", "\r\n").encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"),
    }
    for name, data in variants.items():
        path = tmp_path / name
        path.write_bytes(data)
        rec = extract_file(path)
        assert [t.text for _, t in rec.tasks()] == [t.text for _, t in base.tasks()], name
        assert rec.literacy_target and rec.literacy_target.value == base.literacy_target.value  # type: ignore[union-attr]
        text = data.decode("gb18030" if name == "gb.txt" else "utf-8-sig")
        for _, task in rec.tasks():
            assert "".join(text[task.span.start : task.span.end].split()) == "".join(task.text.split())


def test_cut_off_plan_builds_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(SEED_TEXT[: len(SEED_TEXT) // 2], encoding="utf-8")
    code, _ = _cli(capsys, "build", str(path), "--out", str(tmp_path / "out"))
    assert code in (0, 1)
    warnings = (tmp_path / "out" / "warnings.txt").read_text(encoding="utf-8")
    assert "cut.txt:" in warnings and "truncated" in warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SEED_TEXT)),
            st.integers(min_value=0, max_value=200),
            st.text(
                alphabet="（）()〔〕[]：:，,；;、。—―-牵头部门单位责任配合1234567890万人次个%\n\t 一二三、（一）1.",
                max_size=30,
            ),
        ),
        max_size=12,
    )
)
def test_mutated_plans_never_crash(edits: list[tuple[int, int, str]]) -> None:
    text = SEED_TEXT
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    _extract_string(text)


@pytest.mark.parametrize(
    "unit", ["(", "《", "1个", "牵头部门:", "(牵头部门:县科协、", "——", "、", "〔县科协", "按职责分工负责〕"]
)
def test_pathological_lines_take_linear_time(unit: str) -> None:
    def cost(n: int) -> float:
        text = "（一）实施青少年科学素质提升行动\n——" + unit * (n // len(unit))
        started = time.perf_counter()
        _extract_string(text)
        return time.perf_counter() - started

    small, large = cost(20_000), cost(160_000)
    assert large < 5.0
    assert large < 20 * max(small, 0.005), f"8x the input took {large / max(small, 1e-9):.0f}x the time"


def test_single_enormous_line_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "oneline.txt"
    path.write_text(SEED_TEXT.replace("\n", "") * 20, encoding="utf-8")
    started = time.perf_counter()
    code, _ = _cli(capsys, "extract", str(path))
    assert code == 0 and time.perf_counter() - started < 60


def test_input_error_names_file_and_line() -> None:
    err = InputError(FIXTURE_PLANS / "x.txt", "问题 / problem", 12)
    assert str(err).endswith("x.txt:12: 问题 / problem")


def test_memory_stays_flat_on_a_pathological_file() -> None:
    import tracemalloc

    def peak(text: str) -> int:
        tracemalloc.start()
        _extract_string(text)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    normal = peak(SEED_TEXT)
    huge = "（一）实施青少年科学素质提升行动\n——" + "县科协、（牵头部门:1个" * 20_000  # 260,000 characters, one line
    top = peak(huge)  # measured once: each measurement extracts the 260,000 characters again
    assert top < 100 * 1024 * 1024
    assert top < 200 * max(normal, 1)
