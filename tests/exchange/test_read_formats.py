"""Reading .xlsx and .csv (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16) into rows, by content."""

import pytest

from smeplan.exchange.reading import iter_sheet_rows, read_workbook
from tests.exchange.fixtures.sheets import CODE_A, csv_bytes, xlsx_bytes

ROWS = [["统一社会信用代码", "企业名称", "营业收入（万元）"], [CODE_A, "西安甲科技有限公司", "1,234.5"]]


def test_xlsx_from_bytes_keeps_excel_positions_and_merges():
    data = xlsx_bytes(
        {"汇总": [[None], [None, "标题"], [None, "统一社会信用代码", "2023年", None]]},
        {"汇总": [("C3:D3", "2023年")]},
    )
    book = read_workbook(data, "x.xlsx")
    assert book.kind == "xlsx"
    sheet = book.sheets[0]
    assert sheet.name == "汇总"
    assert sheet.rows[1][1] == "标题"  # B2 stays at rows[1][1]
    assert sheet.rows[2][2] == "2023年"
    assert sheet.merged == [(2, 2, 2, 3)]


def test_xlsx_from_path(tmp_path):
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_bytes({"Sheet1": ROWS}))
    book = read_workbook(path)
    assert book.filename == "企业.xlsx"
    assert book.sheets[0].rows[1] == [CODE_A, "西安甲科技有限公司", "1,234.5"]


def test_extension_is_only_a_hint():
    book = read_workbook(xlsx_bytes({"S": ROWS}), "misnamed.csv")
    assert book.kind == "xlsx"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings(encoding):
    book = read_workbook(csv_bytes(ROWS, encoding=encoding), "企业.csv")
    assert book.kind == "csv"
    assert book.sheets[0].name == "企业"
    assert book.sheets[0].rows == [ROWS[0], ROWS[1]]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters_are_sniffed(delimiter):
    rows = [["统一社会信用代码", "企业名称", "营业收入"], [CODE_A, "甲公司", "12.5"]]
    book = read_workbook(csv_bytes(rows, delimiter=delimiter), "a.csv")
    assert book.sheets[0].rows == rows


def test_csv_quoted_thousands_separator():
    data = f'统一社会信用代码,营业收入\r\n{CODE_A},"1,234.5"\r\n'.encode()
    assert read_workbook(data, "a.csv").sheets[0].rows[1] == [CODE_A, "1,234.5"]


def test_iter_sheet_rows_matches_read_workbook():
    data = xlsx_bytes(
        {
            "A": [
                [None],
                [None],
                [None, None, "标题"],
                [None, "统一社会信用代码", "营业收入"],
                [None, CODE_A, 12.5],
            ],
            "B": [["x", 1]],
        }
    )
    whole = read_workbook(data, "a.xlsx").sheets[0].rows
    streamed = list(iter_sheet_rows(data, "a.xlsx", "A"))
    assert streamed == whole
    assert list(iter_sheet_rows(data, "a.xlsx", 1)) == [["x", 1.0]]


def test_iter_sheet_rows_csv():
    assert list(iter_sheet_rows(csv_bytes(ROWS), "a.csv")) == ROWS


def test_preview_reads_only_the_first_rows():
    rows = [["统一社会信用代码", "营业收入"]] + [[CODE_A, float(i)] for i in range(100)]
    for data, name in ((xlsx_bytes({"S": rows}), "a.xlsx"), (csv_bytes(rows), "a.csv")):
        book = read_workbook(data, name, max_rows=20)
        assert len(book.sheets[0].rows) == 20
