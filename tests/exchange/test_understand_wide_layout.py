"""Two-row headers: a year (merged, or written once) over figure names → one record per year."""

from decimal import Decimal

from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import WIDE, extract, understand
from tests.exchange.fixtures.sheets import CODE_A, CODE_B, csv_bytes, xlsx_bytes

TITLE = "2023—2024年西安市规上企业主要经济指标"
HEADER = [
    ["统一社会信用代码", "企业名称", "所属区县", "2023年", None, None, "2024", None, None],
    [
        None,
        None,
        None,
        "营业收入（万元）",
        "利润总额（万元）",
        "从业人员（人）",
        "营业收入（万元）",
        "利润总额（万元）",
        "从业人员（人）",
    ],
]
DATA = [
    [CODE_A, "西安甲科技有限公司", "雁塔区", 1000, 100, 50, 1200, 120, 55],
    [CODE_B, "西安乙制造有限公司", "长安区", 500, -20, 30, None, None, None],
]


def check(layout, sheet):
    assert layout.kind == WIDE
    assert [(c.letter, c.target, c.year) for c in layout.figure_columns] == [
        ("D", "operating_revenue", 2023),
        ("E", "total_profit", 2023),
        ("F", "employees", 2023),
        ("G", "operating_revenue", 2024),
        ("H", "total_profit", 2024),
        ("I", "employees", 2024),
    ]
    assert layout.ok, layout.issues
    result = extract(sheet, layout)
    assert result.issues == []
    got = [(r.credit_code, r.year, r.county, r.values) for r in result.records]
    assert got == [
        (
            CODE_A,
            2023,
            "雁塔区",
            {"operating_revenue": Decimal(1000), "total_profit": Decimal(100), "employees": 50},
        ),
        (
            CODE_A,
            2024,
            "雁塔区",
            {"operating_revenue": Decimal(1200), "total_profit": Decimal(120), "employees": 55},
        ),
        (
            CODE_B,
            2023,
            "长安区",
            {"operating_revenue": Decimal(500), "total_profit": Decimal(-20), "employees": 30},
        ),
    ]  # 乙's empty 2024 columns give no 2024 record
    assert result.records[1].cells["operating_revenue"].column == "G"
    assert result.records[1].cells["operating_revenue"].header == "2024 / 营业收入（万元）"


def test_merged_year_cells_in_xlsx():
    data = xlsx_bytes(
        {"指标": [[TITLE], *HEADER, *DATA]},
        {"指标": [("A1:I1", TITLE), ("D2:F2", "2023年"), ("G2:I2", "2024"), ("A2:A3", HEADER[0][0])]},
    )
    sheet = read_workbook(data, "a.xlsx").sheets[0]
    layout = understand(sheet)
    assert layout.header_rows == [2, 3]
    assert layout.first_data_row == 4
    check(layout, sheet)


def test_year_written_once_without_merge_info():
    # CSV (and .ods) carry no merge information: the year is carried over the empty cells on its right.
    sheet = read_workbook(csv_bytes([[TITLE], *HEADER, *DATA]), "a.csv").sheets[0]
    assert sheet.merged is None
    layout = understand(sheet)
    assert layout.header_rows == [2, 3]
    check(layout, sheet)


def test_year_as_a_number_in_the_upper_row():
    header = [list(HEADER[0]), HEADER[1]]
    header[0][3], header[0][6] = 2023.0, 2024.0
    sheet = read_workbook(xlsx_bytes({"S": [*header, *DATA]}), "a.xlsx").sheets[0]
    check(understand(sheet), sheet)


def test_figure_over_year():
    rows = [
        ["统一社会信用代码", "营业收入（万元）", None, "利润总额（万元）", None],
        [None, "2023年", "2024年", "2023年", "2024年"],
        [CODE_A, 1, 2, 3, 4],
    ]
    sheet = read_workbook(csv_bytes(rows), "a.csv").sheets[0]
    layout = understand(sheet)
    assert layout.header_rows == [1, 2]
    assert [(c.target, c.year) for c in layout.figure_columns] == [
        ("operating_revenue", 2023),
        ("operating_revenue", 2024),
        ("total_profit", 2023),
        ("total_profit", 2024),
    ]
    records = extract(sheet, layout).records
    assert [(r.year, r.values) for r in records] == [
        (2023, {"operating_revenue": Decimal(1), "total_profit": Decimal(3)}),
        (2024, {"operating_revenue": Decimal(2), "total_profit": Decimal(4)}),
    ]


def test_long_layout_data_row_with_a_year_is_not_a_second_header():
    rows = [["统一社会信用代码", "企业名称", "年度", "营业收入"], [CODE_A, "甲", 2023, 2024]]
    sheet = read_workbook(xlsx_bytes({"S": rows}), "a.xlsx").sheets[0]
    layout = understand(sheet)
    assert layout.header_rows == [1]
    assert layout.kind == "long"
    assert extract(sheet, layout).records[0].values == {"operating_revenue": Decimal(2024)}
