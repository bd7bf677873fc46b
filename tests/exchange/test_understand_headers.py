"""Finding the header under title rows and recognising columns: synonyms, units, unit rows."""

from decimal import Decimal

from smeplan.exchange.reading import Sheet
from smeplan.exchange.understanding import LONG, extract, understand
from tests.exchange.fixtures.sheets import CODE_A


def targets(layout):
    return {c.letter: c.target for c in layout.columns}


def test_title_rows_are_skipped_and_synonyms_recognised():
    sheet = Sheet(
        "S",
        [
            ["2024年西安市规上企业主要经济指标", "", "", ""],
            ["填报单位：西安市中小企业局", "", "", ""],
            [],
            [
                " 社会信用代码 ",
                "企业（单位）名称",
                "县（市、区）",
                "统计年度",
                "营业总收入",
                "上缴税金",
                "R&D经费",
                "职工人数",
                "总资产",
                "总负债",
                "新产品产值",
                "出口额",
                "主营收入",
                "利润",
                "备注",
            ],
            [CODE_A, "甲公司", "雁塔区", 2024, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ""],
        ],
    )
    layout = understand(sheet)
    assert layout.header_rows == [4]
    assert layout.first_data_row == 5
    assert layout.kind == LONG
    assert list(targets(layout).values()) == [
        "credit_code",
        "name",
        "county",
        "year",
        "operating_revenue",
        "tax_paid",
        "rd_expense",
        "employees",
        "total_assets",
        "total_liabilities",
        "new_product_revenue",
        "export_value",
        "main_business_revenue",
        "total_profit",
        "ignored",
    ]
    assert [c.header for c in layout.unrecognised] == ["备注"]
    assert layout.ok, layout.issues
    assert "识别为“统一社会信用代码”" in layout.columns[0].how


def test_units_in_headers_are_converted_to_wan_yuan():
    sheet = Sheet(
        "S",
        [
            [
                "统一社会信用代码",
                "年度",
                "营业收入(元)",
                "利润总额（亿元）",
                "实缴税金\n（千元）",
                "资产总额（万元）",
                "从业人员（人）",
            ],
            [CODE_A, 2024, 12_345_678, 1.23456, 5000, 88.8, 120],
        ],
    )
    layout = understand(sheet)
    columns = {c.target: c for c in layout.columns}
    assert columns["operating_revenue"].unit == "元"
    assert columns["operating_revenue"].factor == Decimal("0.0001")
    assert "除以 10000 换算为万元" in columns["operating_revenue"].how
    assert columns["total_profit"].factor == Decimal(10000)
    record = extract(sheet, layout).records[0]
    assert record.values == {
        "operating_revenue": Decimal("1234.57"),
        "total_profit": Decimal("12345.60"),
        "tax_paid": Decimal("500.00"),
        "total_assets": Decimal("88.80"),
        "employees": 120,
    }


def test_unit_of_the_whole_sheet_in_the_title():
    sheet = Sheet(
        "S", [["主要指标（单位：元）"], ["统一社会信用代码", "年度", "营业收入"], [CODE_A, 2024, 10000]]
    )
    layout = understand(sheet)
    assert extract(sheet, layout).records[0].values["operating_revenue"] == Decimal("1.00")


def test_unit_row_under_the_header():
    sheet = Sheet(
        "S",
        [
            ["统一社会信用代码", "年度", "营业收入", "从业人员"],
            ["甲", "乙", "元", "人"],
            [CODE_A, 2024, 20000, 3],
        ],
    )
    layout = understand(sheet)
    assert layout.first_data_row == 3
    assert layout.column_for("operating_revenue").unit == "元"
    assert extract(sheet, layout).records[0].values == {"operating_revenue": Decimal("2.00"), "employees": 3}


def test_column_number_row_is_skipped():
    sheet = Sheet("S", [["统一社会信用代码", "年度", "营业收入"], ["甲", 1, 2], [CODE_A, 2024, 5]])
    assert understand(sheet).first_data_row == 3


def test_no_recognisable_header():
    sheet = Sheet("说明", [["填表说明"], ["一、本表由各区县中小企业主管部门填报"], ["二、金额单位为万元"]])
    layout = understand(sheet)
    assert not layout.ok
    assert "找不到表头" in layout.issues[0].message
    assert extract(sheet, layout).records == []


def test_empty_sheet():
    layout = understand(Sheet("Sheet2", [["", None]]))
    assert layout.issues[0].message == "工作表“Sheet2”没有数据"


def test_missing_credit_code_column():
    layout = understand(Sheet("S", [["企业名称", "年度", "营业收入"], ["甲公司", 2024, 1]]))
    assert [i.message for i in layout.issues] == ["未找到“统一社会信用代码”列"]


def test_missing_year_without_default_is_an_error():
    sheet = Sheet("S", [["统一社会信用代码", "营业收入"], [CODE_A, 1]])
    assert [i.message for i in understand(sheet).issues] == ["未找到年度列，请在导入时选择年度"]
    layout = understand(sheet, default_year=2023)
    assert layout.ok
    assert extract(sheet, layout).records[0].year == 2023


def test_duplicate_columns_keep_the_first():
    sheet = Sheet("S", [["统一社会信用代码", "年度", "营业收入", "营业总收入"], [CODE_A, 2024, 1, 2]])
    layout = understand(sheet)
    assert targets(layout)["D"] == "ignored"
    assert "只导入第 C 列" in layout.issues[0].message
    assert extract(sheet, layout).records[0].values == {"operating_revenue": Decimal("1.00")}


def test_year_in_a_single_header_cell():
    sheet = Sheet(
        "S", [["统一社会信用代码", "2023年营业收入（元）", "2024年营业收入（元）"], [CODE_A, 10000, 20000]]
    )
    layout = understand(sheet)
    assert [(c.target, c.year) for c in layout.figure_columns] == [
        ("operating_revenue", 2023),
        ("operating_revenue", 2024),
    ]
    records = extract(sheet, layout).records
    assert [(r.year, r.values["operating_revenue"]) for r in records] == [
        (2023, Decimal("1.00")),
        (2024, Decimal("2.00")),
    ]
