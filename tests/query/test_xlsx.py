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


def _cells(book: openpyxl.Workbook) -> dict[str, list[list[object]]]:
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


@pytest.mark.parametrize("through_files", [False, True])
def test_rows_beyond_a_sheet_go_on_over_further_sheets(
    through_files: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel opens at most ``XLSX_SHEET_ROWS`` rows of a sheet and XlsxWriter leaves the rest
    out without a word: an answer longer than that goes on over "name (2)" …, each sheet with
    the header, frozen, and its columns' widths; in memory or through files, the same cells."""
    from sciplan_kg.query import output

    monkeypatch.setattr(output, "XLSX_SHEET_ROWS", 4)  # a header and three rows a sheet
    monkeypatch.setattr(output, "XLSX_IN_MEMORY_ROWS", 0 if through_files else 1000)
    rows = [{"n": n, "text": "科" * n} for n in range(1, 9)]
    out = tmp_path / "long.xlsx"
    out.write_bytes(xlsx_bytes(QueryResult(["n", "text"], rows), "a-query-name-of-thirty-one-chars"))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "a-query-name-of-thirty-one-char",  # Excel's 31 characters
        "a-query-name-of-thirty-one- (2)",
        "a-query-name-of-thirty-one- (3)",
    ]
    assert _cells(book) == {
        title: [["n", "text"], *([r["n"], r["text"]] for r in part)]
        for title, part in zip(book.sheetnames, (rows[0:3], rows[3:6], rows[6:8]), strict=True)
    }
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    widths = [sheet.column_dimensions["B"].width for sheet in book.worksheets]
    assert widths[0] < widths[1] < widths[2]  # each sheet's own longest text (6, 12, 16 columns)


def test_a_long_answer_goes_through_a_temporary_folder_that_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond ``XLSX_IN_MEMORY_ROWS`` rows XlsxWriter keeps a sheet's rows in a file, not in
    memory: the same cells as in memory, the same bytes every time, and its folder gone after,
    also when writing fails half-way."""
    import tempfile

    from sciplan_kg.query import output

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = QueryResult(
        ["plan", "n", "share", "issued"],
        [{"plan": f"{ID}plan/p{n}", "n": n, "share": n / 7, "issued": "2022-10-13"} for n in range(200)],
    )
    in_memory = xlsx_bytes(result, "plans")
    monkeypatch.setattr(output, "XLSX_IN_MEMORY_ROWS", 10)
    through_files = xlsx_bytes(result, "plans")
    assert through_files == xlsx_bytes(result, "plans")
    assert list(scratch.iterdir()) == []
    assert _cells(openpyxl.load_workbook(BytesIO(through_files))) == _cells(openpyxl.load_workbook(BytesIO(in_memory)))
    broken = QueryResult(result.columns, [*result.rows, {"plan": "x"}])  # a row without its other columns
    with pytest.raises(KeyError):
        xlsx_bytes(broken, "plans")
    assert list(scratch.iterdir()) == []


def test_the_sheet_limit_is_xlsxwriters() -> None:
    """The limit the tests above shrink is the one XlsxWriter enforces (a row past it is refused
    with -1, not written): Excel's 1,048,576."""
    import xlsxwriter

    from sciplan_kg.query import output

    sheet = xlsxwriter.Workbook(BytesIO(), {"in_memory": True}).add_worksheet()
    assert sheet.xls_rowmax == output.XLSX_SHEET_ROWS
    assert sheet.write_number(output.XLSX_SHEET_ROWS, 0, 1) == -1
