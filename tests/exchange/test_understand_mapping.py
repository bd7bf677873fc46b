"""The user corrects the mapping; a layout round-trips through JSON and serves as a template."""

import json
from decimal import Decimal

from smeplan.exchange.reading import Sheet
from smeplan.exchange.understanding import Layout, extract, understand
from tests.exchange.fixtures.sheets import CODE_A

ROWS = [["统一社会信用代码", "年度", "营收", "销售额（元）", "备注"], [CODE_A, 2024, 1, 20000, "x"]]


def test_mapping_by_letter_and_by_header():
    sheet = Sheet("S", ROWS)
    layout = understand(sheet, mapping={"C": "ignored", "销售额（元）": "operating_revenue"})
    columns = {c.letter: c for c in layout.columns}
    assert columns["C"].target == "ignored"
    assert columns["D"].target == "operating_revenue"
    assert columns["D"].factor == Decimal("0.0001")  # unit still read from the header
    assert columns["D"].how.startswith("按指定")
    assert extract(sheet, layout).records[0].values == {"operating_revenue": Decimal(2)}


def test_mapping_with_year_and_unit():
    sheet = Sheet("S", [["统一社会信用代码", "营收"], [CODE_A, 3]])
    assert not understand(sheet).ok  # no year
    layout = understand(sheet, mapping={"B": {"target": "operating_revenue", "year": 2022, "unit": "亿元"}})
    assert layout.ok
    assert layout.kind == "wide"
    [record] = extract(sheet, layout).records
    assert (record.year, record.values) == (2022, {"operating_revenue": Decimal(30000)})


def test_unknown_target_and_column():
    layout = understand(Sheet("S", ROWS), mapping={"Z": "name", "C": "profit"})
    messages = [i.message for i in layout.issues]
    assert "映射中的列“Z”在工作表中不存在，已忽略" in messages
    assert "映射中的“profit”不是可导入的字段" in messages


def test_layout_round_trips_through_json():
    sheet = Sheet("S", ROWS)
    layout = understand(sheet)
    data = json.loads(json.dumps(layout.to_dict(), ensure_ascii=False))
    assert data["header_rows"] == [1]
    assert data["columns"][3] == {
        "index": 3,
        "letter": "D",
        "header": "销售额（元）",
        "target": "ignored",
        "target_label": "不导入",
        "year": None,
        "unit": "",
        "factor": "1",
        "how": "未识别，不导入",
    }
    again = Layout.from_dict(data)
    assert again == layout
    assert extract(sheet, again).records == extract(sheet, layout).records


def test_saved_template_applies_to_the_next_file():
    template = understand(
        Sheet("S", ROWS), mapping={"销售额（元）": {"target": "operating_revenue", "unit": "元"}}
    )
    saved = {c["header"]: {"target": c["target"], "unit": c["unit"]} for c in template.to_dict()["columns"]}
    next_file = Sheet("S", [["标题"], ROWS[0], [CODE_A, 2025, 1, 50000, ""]])
    layout = understand(next_file, mapping=saved)
    assert layout.ok
    assert extract(next_file, layout).records[0].values == {"operating_revenue": Decimal(5)}
