"""Each blank import template opens, has the importer's header row(s) and a 说明 sheet explaining
every column, its unit, whether it is required and an example."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.exchange.templates_xlsx import CREDIT_CODE_EXAMPLE, TEMPLATES, build
from smeplan.indicators.models import FIGURE_FIELDS
from smeplan.registry.credit_code import is_valid_credit_code

FIGURE_HEADERS = [f"{label}（{unit}）" for _f, label, unit in FIGURE_FIELDS]


def _book(kind):
    return CalamineWorkbook.from_filelike(io.BytesIO(build(kind, this_year=2026)))


def test_long_template():
    book = _book("figures-long")

    assert book.sheet_names == ["数据", "说明"]
    rows = book.get_sheet_by_name("数据").to_python()
    assert rows[0] == ["统一社会信用代码", "企业名称", "所属区县", "年度", *FIGURE_HEADERS]
    assert "营业收入（万元）" in rows[0] and "从业人员（人）" in rows[0]


def test_wide_template_has_a_two_row_year_header():
    rows = _book("figures-wide").get_sheet_by_name("数据").to_python()

    n = len(FIGURE_HEADERS)
    assert rows[0][:4] == ["统一社会信用代码", "企业名称", "所属区县", "2023年"]
    assert rows[0][3 + n] == "2024年" and rows[0][3 + 2 * n] == "2025年"
    assert rows[1][3 : 3 + n] == FIGURE_HEADERS


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_notes_sheet_explains_every_column(kind):
    book = _book(kind)
    notes = book.get_sheet_by_name("说明").to_python()
    text = "\n".join("\t".join(str(c) for c in row) for row in notes)

    header_row = next(i for i, r in enumerate(notes) if r[:5] == ["列名", "单位", "是否必填", "说明", "示例"])
    described = {r[0]: r for r in notes[header_row + 1 :] if r[0]}
    data_headers = [h for row in book.get_sheet_by_name("数据").to_python()[:2] for h in row if h]
    for header in data_headers:
        if header.endswith("年"):
            continue  # the wide layout's year groups
        assert header in described, header
        assert described[header][2] in ("必填", "选填") and described[header][3]
    if kind.startswith("figures"):
        assert described["营业收入（万元）"][1] == "万元" and described["从业人员（人）"][1] == "人"
        assert "不要填 0" in text
    else:
        assert described["注册资本（万元）"][1] == "万元" and "空白单元格不会清除" in text
    assert described["统一社会信用代码"][4] == CREDIT_CODE_EXAMPLE and is_valid_credit_code(
        CREDIT_CODE_EXAMPLE
    )
    assert "610113" in described["所属区县"][4]
    assert "万元" in text


def test_organisations_template_has_the_registry_columns():
    rows = _book("organisations").get_sheet_by_name("数据").to_python()

    assert rows[0] == [
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "行业代码",
        "成立日期",
        "登记注册类型",
        "注册资本（万元）",
        "地址",
        "联系人",
        "联系电话",
    ]
