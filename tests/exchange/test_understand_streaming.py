"""The streaming path (iter_sheet_rows → iter_records) gives what extract gives; its fast number
path agrees with parse_decimal exactly; cells are references made on demand."""

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from smeplan.exchange.parsed import CellRef
from smeplan.exchange.reading import Sheet, iter_sheet_rows, read_workbook
from smeplan.exchange.understanding import RowCells, extract, iter_records, parse_figure, understand
from tests.exchange.fixtures.sheets import CODE_A, CODE_B, xlsx_bytes

ROWS = [
    ["标题"],
    ["统一社会信用代码", "企业名称", "所属区县", "年度", "营业收入（元）", "利润总额（亿元）", "从业人员"],
    [CODE_A, "甲", "雁塔区", 2024, 12345.75, 0.000123456, 12],
    [CODE_B, "乙", None, 2023, "1,000", 2e10, 5.0],
    ["合计", None, None, None, 13345.75, 0.000123456 + 2e10, 17],
]


def test_streaming_equals_extract():
    data = xlsx_bytes({"S": ROWS})
    sheet = read_workbook(data, "a.xlsx").sheets[0]
    layout = understand(sheet)
    whole = extract(sheet, layout)
    rows = iter_sheet_rows(data, "a.xlsx", "S")
    head = list(itertools.islice(rows, 15))
    issues = []
    streamed = list(
        iter_records(Sheet("S", head), understand(Sheet("S", head)), issues, rows=itertools.chain(head, rows))
    )
    assert streamed == whole.records
    assert [i.message for i in whole.issues] == ["利润总额数值过大（收到 200000000000000.0）"]
    assert [i.message for i in issues] == [i.message for i in whole.issues]


def test_cells_are_made_on_demand():
    sheet = Sheet("S", ROWS[1:3])
    [record] = extract(sheet, understand(sheet, default_year=2024)).records
    assert isinstance(record.cells, RowCells)
    assert record.cells["operating_revenue"] == CellRef("S", 2, "E", "营业收入（元）")
    assert record.cells.get("nothing") is None
    assert "county" in record.cells
    assert dict(record.cells)["credit_code"] == CellRef("S", 2, "A", "统一社会信用代码")


def test_vertically_merged_county():
    rows = [
        ["统一社会信用代码", "所属区县", "年度", "营业收入"],
        [CODE_A, "雁塔区", 2024, 1],
        [CODE_B, None, 2024, 2],
    ]
    sheet = read_workbook(xlsx_bytes({"S": rows}, {"S": [("B2:B3", "雁塔区")]}), "a.xlsx").sheets[0]
    records = extract(sheet, understand(sheet)).records
    assert [r.county for r in records] == ["雁塔区", "雁塔区"]


FACTORS = [Decimal(1), Decimal("0.0001"), Decimal("0.1"), Decimal(10000)]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
        st.sampled_from([12.345, 12.355, 1.005, 2.675, 0.125, 9.99999e13, 1e14, 12.300000000001]),
    ),
    st.sampled_from(FACTORS),
)
def test_fast_path_agrees_with_parse_decimal(value, factor):
    sheet = Sheet("S", [["统一社会信用代码", "年度", "营业收入"], [CODE_A, 2024, value]])
    layout = understand(sheet)
    layout.columns[2].factor = factor
    result = extract(sheet, layout)
    expected, error = parse_figure(value, "operating_revenue", factor)
    if error:
        assert [i.message for i in result.issues] == [error]
    else:
        assert result.records[0].values["operating_revenue"] == expected
        assert str(result.records[0].values["operating_revenue"]) == str(expected)
