"""Blank import templates (导入模板), one per import kind, with a 说明 (notes) sheet.

The data sheet holds only the header row(s) the importer recognises — the same Chinese names and
units the exports write (统一社会信用代码, 企业名称, 所属区县, 年度, 营业收入（万元）, …) — so a
filled-in template, or an export, goes back in unchanged. The 说明 sheet lists every column with its
unit, whether it is required, what it means and an example, and the general rules (empty means no
data, never 0; amounts in 万元).

Kinds:

``figures-long``  年度数据（长表）: one row per enterprise and year.
``figures-wide``  年度数据（宽表）: one row per enterprise; a two-row header, the year (merged over its
                  figures) above the figure names.
``organisations`` 企业名录: one row per enterprise with its registry attributes (the columns of the
                  enterprise list's export, which reads back the same way).
"""

import datetime as dt
import io
from dataclasses import dataclass

import xlsxwriter

from smeplan.indicators.models import FIGURE_FIELDS

CREDIT_CODE_EXAMPLE = "91350100M000100Y43"
WIDE_YEARS = 3

#: (column header, unit, required, meaning, example)
KEY_COLUMNS: list[tuple[str, str, str, str, str]] = [
    (
        "统一社会信用代码",
        "",
        "必填",
        "18 位统一社会信用代码（GB 32100），用于识别企业；字母须大写，不能用 I、O、Z、S、V。",
        CREDIT_CODE_EXAMPLE,
    ),
    ("企业名称", "", "必填", "企业在登记机关登记的全称，用于核对。", "西安雁塔精密机械有限公司"),
    (
        "所属区县",
        "",
        "必填",
        "企业所在区县：区县名称或 6 位区划代码均可；旧名称（如凤翔县）会自动对应到现区划。",
        "雁塔区 或 610113",
    ),
]
YEAR_COLUMN = ("年度", "", "必填", "数据所属年度，4 位数字。", "2024")

#: The 企业名录 template's attribute columns (header, unit, required, meaning, example).
ATTRIBUTE_COLUMNS: list[tuple[str, str, str, str, str]] = [
    (
        "行业代码",
        "",
        "选填",
        "GB/T 4754-2017 国民经济行业代码：小类 4 位（如 3411），也可填更粗的大类、中类代码；"
        "可带门类字母（如 C3411）。请将该列设为“文本”格式，以免丢失开头的 0。",
        "3411",
    ),
    (
        "成立日期",
        "",
        "选填",
        "营业执照上的成立日期；只知道年份时可只填年份（如 2015），已登记的同年日期不会被改动。",
        "2015-06-30",
    ),
    (
        "登记注册类型",
        "",
        "选填",
        "国有、集体、民营、股份制、外商投资、港澳台投资、其他；也可按统计口径填写"
        "（如 有限责任公司、私营企业、173）。",
        "民营",
    ),
    ("注册资本（万元）", "万元", "选填", "营业执照上的注册资本，单位万元。", "500"),
    ("地址", "", "选填", "企业注册或经营地址（200 字以内）。", "西安市雁塔区科技路 1 号"),
    ("联系人", "", "选填", "企业联系人姓名。", "张三"),
    ("联系电话", "", "选填", "联系人电话或手机；请将该列设为“文本”格式。", "029-88886666"),
]
ORGANISATION_NOTES = [
    "同一统一社会信用代码已登记时更新该企业的信息：只改动表中填写了的项目，空白单元格不会清除已有信息；"
    "名称与名录不同时记为更名（保留曾用名），所属区县不同时为迁移，导入前会提示确认。",
    "名录中没有的统一社会信用代码登记为新企业，须填写企业名称和所属区县。",
    "也可以在同一张表中加上年度数据列（如“年度”“营业收入（万元）”），一并导入；导入后可整批撤销。",
]

FIGURE_NOTES = {
    "operating_revenue": "全年营业收入（主营业务收入 + 其他业务收入）。",
    "main_business_revenue": "全年主营业务收入。",
    "total_profit": "全年利润总额，亏损填负数。",
    "tax_paid": "全年实际缴纳的各项税金。",
    "rd_expense": "全年研发费用支出。",
    "employees": "年末（或年平均）从业人员人数，整数。",
    "total_assets": "年末资产总额。",
    "total_liabilities": "年末负债总额。",
    "new_product_revenue": "全年新产品销售收入。",
    "export_value": "全年出口交货值。",
}
FIGURE_EXAMPLES = {"employees": "120", "total_profit": "-35.50"}


def figure_header(label: str, unit: str) -> str:
    return f"{label}（{unit}）"


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    description: str


TEMPLATES = {
    "figures-long": Template(
        "figures-long", "年度数据（长表）", "每行一家企业的一个年度：同一企业多个年度填多行。"
    ),
    "figures-wide": Template(
        "figures-wide",
        "年度数据（宽表）",
        "每行一家企业；表头两行：第一行为年度（合并单元格），第二行为指标名称。可增删年度列组。",
    ),
    "organisations": Template(
        "organisations",
        "企业名录",
        "每行一家企业的基本信息：新企业登记，已登记企业按统一社会信用代码更新。",
    ),
}

GENERAL_NOTES = [
    "空白单元格表示没有数据（不是 0）：没有的数据请留空，不要填 0，也不要填“—”以外的文字。",
    "金额单位为万元（保留两位小数），从业人员单位为人；表头中的单位须与数据一致。",
    "表头行请勿修改；表头上方可以有标题行，文件可以有多个工作表（导入时选择）。",
    "同一企业同一年度只能出现一次；已有数据按（统一社会信用代码, 年度）更新，未填写的指标保持不变。",
    "导入前系统会检查全部行并一次列出所有错误；有错误时不会写入任何数据。",
]


def _notes_rows(kind: str) -> list[tuple[str, str, str, str, str]]:
    rows = list(KEY_COLUMNS)
    if kind == "organisations":
        return rows + ATTRIBUTE_COLUMNS
    if kind == "figures-long":
        rows.append(YEAR_COLUMN)
    for field, label, unit in FIGURE_FIELDS:
        example = FIGURE_EXAMPLES.get(field, "1234.56")
        rows.append((figure_header(label, unit), unit, "选填", FIGURE_NOTES.get(field, ""), example))
    return rows


def build(kind: str, *, this_year: int | None = None) -> bytes:
    """The template of ``kind`` as .xlsx bytes."""
    template = TEMPLATES[kind]
    this_year = this_year or dt.date.today().year
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet("数据")
    notes = workbook.add_worksheet("说明")
    header = workbook.add_format(
        {"bold": True, "bg_color": "#E8EEF6", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    group = workbook.add_format(
        {"bold": True, "bg_color": "#D5E0F0", "border": 1, "align": "center", "valign": "vcenter"}
    )
    text = workbook.add_format({"num_format": "@"})  # codes stay text (no 9.1E+17)
    money = workbook.add_format({"num_format": "#,##0.00"})
    persons = workbook.add_format({"num_format": "#,##0"})
    figures = [(figure_header(label, unit), unit) for _f, label, unit in FIGURE_FIELDS]

    sheet.set_column(0, 0, 22, text)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 14, text)
    if kind == "organisations":
        headers = [k[0] for k in KEY_COLUMNS] + [a[0] for a in ATTRIBUTE_COLUMNS]
        widths = [12, 12, 12, 14, 40, 10, 16]
        for i, (title, unit, *_rest) in enumerate(ATTRIBUTE_COLUMNS):
            column_format = money if unit == "万元" else (None if title == "成立日期" else text)
            sheet.set_column(3 + i, 3 + i, widths[i], column_format)
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 2)
    elif kind == "figures-long":
        headers = [k[0] for k in KEY_COLUMNS] + ["年度"] + [h for h, _u in figures]
        sheet.set_column(3, 3, 8)
        for i, (_h, unit) in enumerate(figures):
            sheet.set_column(4 + i, 4 + i, 16, persons if unit == "人" else money)
        for col, title in enumerate(headers):
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 2)
    else:
        years = list(range(this_year - WIDE_YEARS, this_year))
        for col, (title, *_rest) in enumerate(KEY_COLUMNS):
            sheet.merge_range(0, col, 1, col, title, header)
        col = len(KEY_COLUMNS)
        for year in years:
            sheet.merge_range(0, col, 0, col + len(figures) - 1, f"{year}年", group)
            for i, (title, unit) in enumerate(figures):
                sheet.set_column(col + i, col + i, 16, persons if unit == "人" else money)
                sheet.write_string(1, col + i, title, header)
            col += len(figures)
        sheet.freeze_panes(2, 2)

    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    notes.set_column(0, 0, 22)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 8)
    notes.set_column(3, 3, 60)
    notes.set_column(4, 4, 26)
    notes.write_string(0, 0, f"导入模板：{template.title}", title_format)
    notes.write_string(1, 0, template.description)
    row = 3
    general = (
        GENERAL_NOTES
        if kind != "organisations"
        else [GENERAL_NOTES[2], *ORGANISATION_NOTES, GENERAL_NOTES[4]]
    )
    for line in general:
        notes.write_string(row, 0, f"· {line}")
        row += 1
    row += 1
    for col, title in enumerate(("列名", "单位", "是否必填", "说明", "示例")):
        notes.write_string(row, col, title, header)
    row += 1
    for values in _notes_rows(kind):
        for col, value in enumerate(values):
            notes.write_string(row, col, value, wrap if col == 3 else (bold if col == 0 else None))
        row += 1
    if kind == "figures-wide":
        row += 1
        notes.write_string(
            row,
            0,
            f"· 表头第一行为年度（如“{this_year - 1}年”），其下为该年度的各项指标；"
            "年度列组可以增加或删除，每组的指标列可以只保留需要导入的指标。",
        )
    sheet.activate()
    workbook.close()
    return buffer.getvalue()
