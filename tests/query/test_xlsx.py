"""Excel output: ``--format xlsx -o FILE`` for every catalogue query and every query form, one
sheet, typed cells, a frozen header row, fitting column widths, written atomically; never to
standard output."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from rdflib import Graph, Literal, URIRef

from sciplan_kg.cli import main
from sciplan_kg.pipeline.build import BuildResult
from sciplan_kg.query import catalogue, run_query
from sciplan_kg.query.output import XLSX_MAX_WIDTH, write, xlsx_bytes
from sciplan_kg.query.run import QueryResult

ID = "https://w3id.org/sciplan-kg/id/"


def _sheet(path: Path):
    book = openpyxl.load_workbook(path)
    assert len(book.sheetnames) == 1
    return book.active


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_catalogue_query_as_xlsx(name: str, five: BuildResult, tmp_path: Path) -> None:
    result = run_query(name, five.out)
    out = tmp_path / f"{name}.xlsx"
    write(result, "xlsx", out, name)
    sheet = _sheet(out)
    assert sheet.title == name[:31]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == result.columns
    assert sheet.max_row == len(result.rows) + 1
    for row, cells in zip(result.rows, sheet.iter_rows(min_row=2), strict=True):
        for column, cell in zip(result.columns, cells, strict=True):
            value = row[column]
            if value is None or value == "":
                assert cell.value in (None, "")
            elif isinstance(value, bool):
                assert cell.value is value
            elif isinstance(value, (int, float)):
                assert cell.data_type == "n" and cell.value == value
            elif isinstance(cell.value, datetime):
                assert cell.value.date().isoformat() == value  # an xsd:date, as a date
            else:
                assert cell.data_type == "s" and cell.value == value  # text and IRIs, whole


def test_cells_are_typed(tmp_path: Path) -> None:
    iri = ID + "plan/wushan-2021-2025/action/1/task/1"
    result = QueryResult(
        ["task", "count", "share", "issued", "stated", "text", "empty"],
        [
            {
                "task": iri,
                "count": 12,
                "share": 90.9,
                "issued": "2022-10-13",
                "stated": True,
                "text": '=HYPERLINK("http://example.org")\x07 县科协',
                "empty": None,
            }
        ],
    )
    out = tmp_path / "typed.xlsx"
    write(result, "xlsx", out, "typed")
    task, count, share, issued, stated, text, empty = next(_sheet(out).iter_rows(min_row=2))
    assert task.data_type == "s" and task.value == iri  # an IRI is text, never cut or a hyperlink
    assert count.data_type == "n" and count.value == 12
    assert share.data_type == "n" and share.value == pytest.approx(90.9)
    assert issued.is_date and issued.value.date() == date(2022, 10, 13)
    assert issued.number_format == "yyyy-mm-dd"
    assert stated.value is True
    assert text.data_type == "s" and text.value == '=HYPERLINK("http://example.org") 县科协'  # text, not a formula
    assert empty.value is None


def test_columns_fit_and_the_header_is_frozen(tmp_path: Path) -> None:
    result = QueryResult(["a", "name", "quote"], [{"a": 1, "name": "县科协", "quote": "科" * 200}])
    out = tmp_path / "w.xlsx"
    out.write_bytes(xlsx_bytes(result, "weird/name:[x]"))
    sheet = _sheet(out)
    assert sheet.title == "weird-name--x-"
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    # Excel stores a width with the cell padding added (≈ 0.71 of a character)
    assert widths["A"] < widths["B"] < widths["C"] == pytest.approx(XLSX_MAX_WIDTH, abs=1)
    assert widths["B"] >= 6  # three CJK characters are six columns wide
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_ask_and_construct_as_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "ask.xlsx"
    write(QueryResult([], [], form="ASK", boolean=False), "xlsx", out)
    sheet = _sheet(out)
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["boolean"], [False]]
    graph = Graph()
    graph.add((URIRef(ID + "area/wushan"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("巫山县")))
    graph.add((URIRef(ID + "area/wushan"), URIRef("urn:n"), Literal(3)))
    write(QueryResult([], [], form="CONSTRUCT", graph=graph), "xlsx", out)
    rows = [[c.value for c in row] for row in _sheet(out).iter_rows()]
    assert rows[0] == ["subject", "predicate", "object"]
    assert sorted(rows[1:], key=str) == sorted(
        [
            [ID + "area/wushan", "http://www.w3.org/2000/01/rdf-schema#label", "巫山县"],
            [ID + "area/wushan", "urn:n", 3],
        ],
        key=str,
    )


def test_cli_writes_xlsx_atomically_and_never_to_stdout(
    five: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tasks.xlsx"
    out.write_bytes(b"the old file")
    code = main(["query", "tasks", "--data", str(five.out), "-p", "plan", "巫山县", "--format", "xlsx", "-o", str(out)])
    assert code == 0
    assert str(out) in capsys.readouterr().err
    sheet = _sheet(out)
    assert sheet.max_row == 1 + len(run_query("tasks", five.out, {"plan": "巫山县"}).rows)
    assert [p.name for p in tmp_path.iterdir()] == ["tasks.xlsx"]  # no temporary file left
    code = main(["query", "plans", "--data", str(five.out), "--format", "xlsx"])
    _, err = capsys.readouterr()
    assert code == 2 and "-o FILE.xlsx" in err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["query", "plans", "--data", str(five.out), "--format", "xlsx", "-o", str(blocker / "p.xlsx")])
    _, err = capsys.readouterr()
    assert code == 2 and str(blocker) in err and "Traceback" not in err


def test_the_same_answer_gives_the_same_bytes() -> None:
    """The workbook's date is fixed (``XLSX_CREATED``), as its zip entries' are: an answer written
    a second later is the same file (the report's XLSX used to be unzipped and zipped again)."""
    import time
    import zipfile

    result = QueryResult(["plan", "n"], [{"plan": ID + "plan/a", "n": 1}, {"plan": "巫山县", "n": 2}])
    first = xlsx_bytes(result, "plans")
    time.sleep(1.1)  # the creation time was written to the second
    assert xlsx_bytes(result, "plans") == first
    core = zipfile.ZipFile(BytesIO(first)).read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def test_widths_stop_being_measured_once_full() -> None:
    """A column as wide as it gets (``XLSX_MAX_WIDTH``) is not measured further; the widths are
    those of measuring every cell."""
    long = "很长的任务文本" * 20
    rows = [{"text": long if i == 0 else f"t{i}", "n": "9" * (i % 50)} for i in range(200)]
    path_bytes = xlsx_bytes(QueryResult(["text", "n"], rows), "q")
    sheet = openpyxl.load_workbook(BytesIO(path_bytes)).active
    # Excel stores a width with the cell padding added (≈ 0.71 of a character)
    assert sheet.column_dimensions["A"].width == pytest.approx(XLSX_MAX_WIDTH, abs=1)
    assert sheet.column_dimensions["B"].width == pytest.approx(49 + 2, abs=1)
