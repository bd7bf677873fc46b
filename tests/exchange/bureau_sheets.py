"""Spreadsheets as bureaus send them, built in the tests with XlsxWriter: a title row, a line saying
who filled it in and the unit, a merged group row above the real header, dates and numbers as Excel
keeps them, notes under the table."""

import datetime as dt
import io

import xlsxwriter

from smeplan.registry.credit_code import make_credit_code


def code(county: str, serial: int) -> str:
    return make_credit_code(county, 70_000_000 + serial)


def write_cell(sheet, r: int, c: int, value, formats: dict) -> None:
    if value is None:
        return
    if isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, str):
        sheet.write_string(r, c, value)
    else:
        sheet.write_number(r, c, value)


def registry_xlsx(
    headers: list[str],
    rows: list[list],
    *,
    title: str = "雁塔区中小企业名录（2024年）",
    unit_line: str = "填报单位：雁塔区工业和信息化局　　　　单位：万元",
    groups: list[tuple[str, int]] | None = None,
    notes: tuple[str, ...] = (
        "注：统一社会信用代码请按营业执照填写。",
        "填表人：王五　　联系电话：029-85556666",
    ),
    sheet_name: str = "企业名录",
) -> bytes:
    """An enterprise list: row 1 the title (merged over the table), row 2 who/unit, then an optional
    group row (label, span) merged over the header, the header, the rows, a blank row and notes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"}), "bold": book.add_format({"bold": True})}
    sheet = book.add_worksheet(sheet_name)
    width = len(headers)
    sheet.merge_range(0, 0, 0, width - 1, title, formats["bold"])
    sheet.write_string(1, 0, unit_line)
    r = 2
    if groups:
        c = 0
        for label, span in groups:
            if span > 1:
                sheet.merge_range(r, c, r, c + span - 1, label, formats["bold"])
            elif label:
                sheet.write_string(r, c, label, formats["bold"])
            c += span
        r += 1
    for c, header in enumerate(headers):
        sheet.write_string(r, c, header, formats["bold"])
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            write_cell(sheet, r, c, value, formats)
    r += 1
    for note in notes:
        r += 1
        sheet.write_string(r, 0, note)
    book.close()
    return buffer.getvalue()


def simple_xlsx(headers: list[str], rows: list[list], *, title: str | None = "2024年企业数据") -> bytes:
    """One sheet: an optional title row, the header, the rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {"date": book.add_format({"num_format": "yyyy-mm-dd"})}
    sheet = book.add_worksheet("数据")
    r = 0
    if title:
        sheet.write_string(0, 0, title)
        r = 1
    for c, header in enumerate(headers):
        sheet.write_string(r, c, header)
    for row in rows:
        r += 1
        for c, value in enumerate(row):
            write_cell(sheet, r, c, value, formats)
    book.close()
    return buffer.getvalue()
