"""The import pipeline streams a sheet: it holds only the first ``PREVIEW_ROWS`` rows as Python lists
(for the header) and reads the rest one row at a time — with exactly the records and issues of
reading the whole sheet (xlsx with two sheets, csv; a totals row and a bad cell far below the
preview)."""

from pathlib import Path

import pytest

from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.reading import PREVIEW_ROWS, read_workbook
from smeplan.exchange.understanding import extract, understand_workbook
from smeplan.registry.credit_code import make_credit_code
from tests.exchange.fixtures.sheets import csv_bytes, xlsx_bytes

N = PREVIEW_ROWS * 3


def _rows(year: int) -> list[list]:
    rows = [["2024年企业经营数据"], ["统一社会信用代码", "企业名称", "年度", "营业收入（万元）", "从业人员"]]
    rows += [[make_credit_code("610113", i), f"企业{i}", year, 100 + i + 0.25, i] for i in range(1, N)]
    rows[N - 7][3] = "不详"  # a bad cell far below the preview
    rows.append(["合计", None, None, sum(100 + i + 0.25 for i in range(1, N)) - 999, None])
    return rows


def _whole(data: bytes, name: str):
    """The records and issues of reading every row into memory first."""
    workbook = read_workbook(data, name)
    records, issues = [], []
    for layout in understand_workbook(workbook):
        extraction = extract(workbook.sheet(layout.sheet), layout)
        records += extraction.records
        issues += extraction.issues
    return records, issues


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("two.xlsx", xlsx_bytes({"2023": _rows(2023), "2024": _rows(2024)})),
        ("one.csv", csv_bytes(_rows(2024))),
    ],
)
def test_streamed_parse_equals_reading_everything(name, data, tmp_path):
    path = Path(tmp_path, name)
    path.write_bytes(data)
    parsed = parse_file(path, name)
    records, issues = _whole(data, name)
    assert parsed.records == records and parsed.issues == issues
    assert len(records) == len(parsed.layouts) * (N - 1)
    assert any(i.row == N - 6 and "不详" in i.message for i in issues)
    assert any(i.row == N + 2 and i.message.startswith("合计行营业收入") for i in issues)


def test_a_streamed_sheet_holds_only_its_first_rows():
    workbook = read_workbook(xlsx_bytes({"S": _rows(2024)}), "s.xlsx", stream=True)
    sheet = workbook.sheets[0]
    assert len(sheet.rows) == PREVIEW_ROWS and sheet.row_count == N + 2
    assert sum(1 for _ in sheet.iter_rows()) == N + 2
    assert list(sheet.iter_rows())[:PREVIEW_ROWS] == sheet.rows  # again from row 1, as often as asked


def test_data_only_below_the_preview_is_not_an_empty_sheet():
    rows = [[None]] * (PREVIEW_ROWS + 50) + [["统一社会信用代码", "年度", "营业收入"]]
    streamed = read_workbook(xlsx_bytes({"S": rows}), "s.xlsx", stream=True).sheets[0]
    assert not streamed.is_empty and not read_workbook(xlsx_bytes({"S": rows}), "s.xlsx").sheets[0].is_empty
