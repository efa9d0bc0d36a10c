"""The next size (docs/scaling.md): the five plans, and 100 generated ones, served by Virtuoso
through ``scripts/virtuoso-serve.sh`` (what ``make virtuoso-serve`` runs: its bulk loader, its
named graphs), every catalogue query answered with the same rows as on the embedded store,
evaluated, over the whole corpus and for one plan. The hundred are there because Virtuoso plans a
query by its statistics: ``directive-chain`` compiled over five plans and failed from 100
(``SQ200``), which five plans alone never showed.

Only in ``make virtuoso-test`` (SCIPLAN_VIRTUOSO=1 and ``virtuoso-t`` installed): the server takes
seconds to start and a few hundred MB, and the default test run starts no server but Oxigraph.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sciplan_kg.pipeline.build import BuildResult, build
from sciplan_kg.query import catalogue, run_query
from tests.conftest import bench_module

from .test_remote import ORDERED, free_port, order

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "virtuoso-serve.sh"
WANTED = os.environ.get("SCIPLAN_VIRTUOSO") == "1"
HAVE = shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None

pytestmark = pytest.mark.skipif(
    not (WANTED and HAVE), reason="Virtuoso only in make virtuoso-test (SCIPLAN_VIRTUOSO=1, virtuoso-t installed)"
)

# Rows Virtuoso 7.2.5 (Debian bookworm) answers differently, keyed by corpus ("five", "hundred"),
# query and scope ("corpus", "plan"), each a strict xfail: the comparison runs, and a gap that
# closes fails the test until it is taken off this list. Closed 2026-12-06: directive-chain lost
# the rows of a title-only parent and did not compile from 100 plans (its chain now sits in a
# sub-query of its own, its national check is an EXISTS); targets dropped 巫山's safeguard target
# (its comparator is one sub-query, not two nested); funding and indicators answered their
# true/false column as 1/0 (named in their `#+ booleans:` headers). Closed 2026-12-06:
# indicators over the hundred (one row per indicator, every plan's value in one cell) was past the
# row length of Virtuoso's sort (SR319, SR478 at 3,000 plans); the client now does a final ORDER BY.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _known_gap(corpus: str, name: str, scope: str, request: pytest.FixtureRequest) -> None:
    """Mark the test a strict xfail when ``name`` asked over ``scope`` ("corpus", "plan") of
    ``corpus`` is a known gap."""
    if (corpus, name, scope) in KNOWN_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_GAPS[corpus, name, scope], strict=True))


@contextmanager
def _serve(build_dir: Path, folder: Path, buffers: int) -> Iterator[str]:
    """A copy of ``build_dir`` (so its .virtuoso folder is this test's) loaded and served by
    scripts/virtuoso-serve.sh on free ports; stopped on leaving the block."""
    data = folder / "build"
    shutil.copytree(build_dir, data)
    env = dict(
        os.environ,
        VIRTUOSO_HTTP_PORT=str(free_port()),
        VIRTUOSO_SQL_PORT=str(free_port()),
        VIRTUOSO_BUFFERS=str(buffers),
        BIN=str(Path(sys.executable).parent),
    )
    done = subprocess.run([str(SERVE), "start", str(data)], env=env, capture_output=True, text=True, timeout=600)
    try:  # stopped even when the start failed after the server came up (a failed load)
        assert done.returncode == 0, done.stderr
        url = f"http://127.0.0.1:{env['VIRTUOSO_HTTP_PORT']}/sparql"
        assert url in done.stdout and "--endpoint" in done.stdout
        yield url
    finally:
        subprocess.run([str(SERVE), "stop", str(data)], env=env, capture_output=True, timeout=120)


def _hundred(folder: Path) -> Path:
    """100 plans of bench/generate.py, built."""
    bench_module("generate").generate(100, folder / "plans")
    build([folder / "plans"], folder / "build")
    return folder / "build"


@pytest.fixture(scope="module", params=["five", "hundred"])
def served(
    request: pytest.FixtureRequest, five: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, str]]:
    """(corpus, its build folder, the URL of a Virtuoso serving it)."""
    corpus = str(request.param)
    build_dir = five.out if corpus == "five" else _hundred(tmp_path_factory.mktemp("hundred-plans"))
    buffers = 20000 if corpus == "five" else 40000
    with _serve(build_dir, tmp_path_factory.mktemp("virtuoso"), buffers) as url:
        yield corpus, build_dir, url


def _rows(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in result.rows)


def _first_plan(build_dir: Path) -> str:
    return sorted(str(r["plan"]) for r in run_query("plans", build_dir).rows)[0]


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_catalogue_rows_equal_embedded_rows(
    name: str, served: tuple[str, Path, str], request: pytest.FixtureRequest
) -> None:
    corpus, build_dir, url = served
    _known_gap(corpus, name, "corpus", request)
    assert _rows(run_query(name, endpoint=url)) == _rows(run_query(name, build_dir, views=False))


@pytest.mark.parametrize("name", ORDERED)
def test_catalogue_rows_come_in_the_embedded_order(name: str, served: tuple[str, Path, str]) -> None:
    """Virtuoso's order, or the client's where Virtuoso refused to sort, is the embedded one."""
    _, build_dir, url = served
    assert order(name, run_query(name, endpoint=url)) == order(name, run_query(name, build_dir, views=False))


@pytest.mark.parametrize("name", sorted(n for n, q in catalogue().items() if any(p.name == "plan" for p in q.params)))
def test_one_plan_rows_equal_embedded_rows(
    name: str, served: tuple[str, Path, str], request: pytest.FixtureRequest
) -> None:
    corpus, build_dir, url = served
    _known_gap(corpus, name, "plan", request)
    params = {"plan": _first_plan(build_dir)}
    remote = run_query(name, params=params, endpoint=url)
    assert _rows(remote) == _rows(run_query(name, build_dir, params=params, views=False))


def test_a_folder_not_its_own_is_refused(tmp_path: Path) -> None:
    """virtuoso-serve never takes over (or deletes) a BUILD.virtuoso folder it did not make."""
    (tmp_path / "build").mkdir()
    theirs = tmp_path / "build.virtuoso"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine", encoding="utf-8")
    done = subprocess.run([str(SERVE), "start", str(tmp_path / "build")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "not this script's folder" in done.stderr
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "mine"
