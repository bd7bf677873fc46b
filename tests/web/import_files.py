"""Spreadsheets the import page tests upload (made with XlsxWriter, in memory)."""

import io

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

HEADER = ["统一社会信用代码", "企业名称", "所属区县", "年度", "营业收入（万元）", "从业人员（人）"]


def xlsx_bytes(rows, header=HEADER, title="2024年企业经营数据", sheet="企业数据") -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    r = 0
    if title:
        ws.write_row(0, 0, [title])
        r = 1
    ws.write_row(r, 0, header)
    for i, row in enumerate(rows, start=r + 1):
        ws.write_row(i, 0, row)
    book.close()
    return buf.getvalue()


def upload(data: bytes, name: str = "数据.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
