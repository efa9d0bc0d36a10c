"""Readable answers: IRIs as prefixed names in the table (never cut), full IRIs in CSV and
JSON; a plan, agency, area or agency type parameter by IRI, prefixed name, slug or Chinese
name, resolved against the store; unknown values and parameter names as errors listing the
close matches."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sciplan_kg.cli import main
from sciplan_kg.errors import QueryError
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import run_query
from sciplan_kg.query.output import expand, prefixed, table, table_cell
from sciplan_kg.query.run import QueryResult

ID = "https://w3id.org/sciplan-kg/id/"
WUSHAN = ID + "plan/wushan-2021-2025"
HEAD = "#+ summary_zh: 测试\n#+ summary_en: test\n#+ description: test\n"
SK = "https://w3id.org/sciplan-kg/ontology#"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prefixed_names_round_trip() -> None:
    task = WUSHAN + "/action/2/task/11"
    assert prefixed(task) == "plan:wushan-2021-2025/action/2/task/11"
    assert prefixed(ID + "agency/pingluo/kexie") == "agency:pingluo/kexie"
    assert prefixed(ID + "agency-type/science-association") == "agency-type:science-association"
    assert prefixed(SK + "County") == "sk:County"
    assert prefixed("http://example.org/x") is None
    for iri in (task, ID + "agency/pingluo/kexie", SK + "County", ID + "area/wushan"):
        assert expand(prefixed(iri)) == iri
    assert expand("http://example.org/x") is None and expand("nope:x") is None


def test_table_cells_show_iris_whole() -> None:
    long = ID + "plan/a-very-long-place-name-that-goes-on-and-on-2021-2025/action/12/task/34"
    assert table_cell(long) == "plan:a-very-long-place-name-that-goes-on-and-on-2021-2025/action/12/task/34"
    other = "http://example.org/" + "x" * 80
    assert table_cell(other) == other  # outside the prefixes: in full, never cut
    assert table_cell(f"{WUSHAN}; {ID}plan/pingluo-2021-2025") == "plan:wushan-2021-2025; plan:pingluo-2021-2025"
    text = "开展" * 40
    assert table_cell(text).endswith("…") and len(table_cell(text)) < len(text)  # text is still cut
    out = table(QueryResult(["a", "b"], [{"a": long, "b": 3}]))
    assert "plan:a-very-long-place-name-that-goes-on-and-on-2021-2025/action/12/task/34  3" in out


def test_table_shows_prefixed_names_and_csv_json_full_iris(
    five: BuildResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "query", "tasks", "--data", str(five.out), "-p", "plan", "wushan-2021-2025")
    assert code == 0
    lines = out.splitlines()
    assert lines[2].startswith("plan:wushan-2021-2025 ")
    assert "plan:wushan-2021-2025/action/1/task/1 " in out
    assert "https://" not in out and "plan:wushan-2…" not in out
    code, out, _ = run(capsys, "query", "tasks", "--data", str(five.out), "-p", "plan", "巫山县", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["plan"] for r in rows} == {WUSHAN}
    assert rows[0]["task"].startswith(WUSHAN + "/")
    code, out, _ = run(capsys, "query", "plans", "--data", str(five.out), "--format", "json")
    assert all(r["plan"].startswith(ID + "plan/") for r in json.loads(out))


PLAN_FORMS = [
    WUSHAN,
    "plan:wushan-2021-2025",
    "wushan-2021-2025",
    "巫山县",  # the plan's area's Chinese name
    "wushan",  # the area's slug
    "巫山县全民科学素质行动规划纲要实施方案（2021—2025年）",  # the plan's title
    " 巫山县 ",
]


@pytest.mark.parametrize("value", PLAN_FORMS)
@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_a_plan_by_any_of_its_names(value: str, store: str, five: BuildResult) -> None:
    rows = run_query("targets", five.out, {"plan": value}, store=store).rows
    assert rows and {r["plan"] for r in rows} == {WUSHAN}


def test_cli_takes_name_equals_value(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "targets", "--data", str(five.out), "-p", "plan=巫山县", "--format", "json")
    assert code == 0 and {r["plan"] for r in json.loads(out)} == {WUSHAN}
    code, _, err = run(capsys, "query", "targets", "--data", str(five.out), "-p", "plan", "巫山县", "extra")
    assert code == 2 and "NAME VALUE" in err


def test_an_unknown_plan_lists_close_matches(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(QueryError, match="巫山县") as err:
        run_query("tasks", five.out, {"plan": "巫山"})
    assert "close matches" in str(err.value) and "plan" in str(err.value)
    with pytest.raises(QueryError, match="wushan-2021-2025"):
        run_query("tasks", five.out, {"plan": "wushan-2021-2026"})
    with pytest.raises(QueryError, match="no plan"):  # an IRI that is no plan in the store
        run_query("tasks", five.out, {"plan": ID + "plan/nowhere-2021-2025"})
    with pytest.raises(QueryError, match="no plan"):  # the IRI of something else
        run_query("tasks", five.out, {"plan": ID + "area/wushan"})
    code, _, err = run(capsys, "query", "tasks", "--data", str(five.out), "-p", "plan", "平罗")
    assert code == 2 and "平罗县" in err and "Traceback" not in err


def test_an_unknown_parameter_name_lists_close_matches(five: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "kexie-share", "--data", str(five.out), "-p", "agencyTyep", "education")
    assert code == 2 and "unknown parameter 'agencyTyep'" in err and "did you mean: agencyType" in err
    with pytest.raises(QueryError, match="did you mean: plan"):
        run_query("tasks", five.out, {"Plan": WUSHAN})


def test_an_agency_type_by_slug_or_name(five: BuildResult) -> None:
    by_iri = run_query("kexie-share", five.out, {"agencyType": ID + "agency-type/science-association"}).rows
    assert run_query("kexie-share", five.out, {"agencyType": "science-association"}).rows == by_iri
    assert run_query("kexie-share", five.out, {"agencyType": "科学技术协会"}).rows == by_iri
    assert run_query("kexie-share", five.out, {"agencyType": "agency-type:science-association"}).rows == by_iri
    with pytest.raises(QueryError, match="science-association"):
        run_query("kexie-share", five.out, {"agencyType": "science-asociation"})


@pytest.fixture(scope="module")
def led_by(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A researcher's own query with an agency and a plan parameter."""
    rq = tmp_path_factory.mktemp("names") / "led-by.rq"
    rq.write_text(
        HEAD + "#+ param: agency | iri | (none) | the agency\n#+ param: plan | iri | (all) | a plan\n"
        "#+ columns: task\n"
        f"PREFIX sk: <{SK}>\n"
        "SELECT ?task WHERE { ?task sk:leadAgency ?agency ; sk:inMeasure/sk:inPlan ?plan }\n",
        encoding="utf-8",
    )
    return rq


def test_an_agency_short_name_needs_its_plan(five: BuildResult, led_by: Path) -> None:
    with pytest.raises(QueryError, match="names several") as err:
        run_query(str(led_by), five.out, {"agency": "县科协"})
    assert "agency:wushan/kexie" in str(err.value) and "-p plan" in str(err.value)
    with_plan = run_query(str(led_by), five.out, {"agency": "县科协", "plan": "巫山县"}).rows
    by_slug = run_query(str(led_by), five.out, {"agency": "wushan/kexie"}).rows
    by_iri = run_query(str(led_by), five.out, {"agency": ID + "agency/wushan/kexie", "plan": WUSHAN}).rows
    assert with_plan and with_plan == by_iri
    assert sorted(r["task"] for r in by_slug) == sorted(r["task"] for r in with_plan)


def test_an_area_by_name(five: BuildResult, tmp_path: Path) -> None:
    rq = tmp_path / "in-area.rq"
    rq.write_text(
        HEAD + "#+ param: area | iri | (none) | an area\n#+ columns: plan\n"
        f"PREFIX sk: <{SK}>\nSELECT ?plan WHERE {{ ?plan a sk:ImplementationPlan ; sk:area ?area }}\n",
        encoding="utf-8",
    )
    for value in ("平罗县", "pingluo", "area:pingluo", ID + "area/pingluo"):
        assert run_query(str(rq), five.out, {"area": value}).rows == [{"plan": ID + "plan/pingluo-2021-2025"}]
    with pytest.raises(QueryError, match="no area"):
        run_query(str(rq), five.out, {"area": "火星"})


def test_other_iri_parameters_take_prefixed_names(five: BuildResult) -> None:
    task = WUSHAN + "/action/1/task/1"
    by_iri = run_query("sources", five.out, {"task": task}).rows
    assert len(by_iri) == 1
    assert run_query("sources", five.out, {"task": "plan:wushan-2021-2025/action/1/task/1"}).rows == by_iri


def test_a_prefix_the_project_does_not_have_is_named(five: BuildResult) -> None:
    """-p task nope:thing (a typo of plan:…) was taken for an IRI and answered with 0 rows."""
    from sciplan_kg.errors import QueryError

    with pytest.raises(QueryError, match=r"unknown prefix 'pln:'.*plan:"):
        run_query("sources", five.out, {"task": "pln:wushan-2021-2025/action/1/task/1"})
    assert run_query("sources", five.out, {"task": "urn:x:nothing"}).rows == []  # an IRI of another scheme
