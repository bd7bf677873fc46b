"""The header row is frozen, carries an autofilter over the data, columns have widths and 万元
amounts the #,##0.00 format — checked in the sheet XML inside the .xlsx zip."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from python_calamine import CalamineWorkbook

from smeplan.exchange.export import DATE, MONEY, PERSONS, Column, Export, write_xlsx


class Actor:
    region_id = None
    organisation_id = None

    def __str__(self):
        return "测试员"


def _xml(export):
    buffer = io.BytesIO()
    write_xlsx(export, buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return (
            archive.read("xl/worksheets/sheet2.xml").decode(),
            archive.read("xl/styles.xml").decode(),
            buffer,
        )


def test_frozen_header_autofilter_widths_and_formats():
    export = Export(
        title="测试",
        actor=Actor(),
        columns=[
            Column("名称", width=30),
            Column("营业收入", MONEY),
            Column("从业人员", PERSONS),
            Column("成立日期", DATE),
        ],
        rows=[
            ("甲", Decimal("12345.6"), 12, dt.date(2015, 6, 30)),
            ("乙", None, None, None),
            ("丙", 1, 2, None),
        ],
        freeze_columns=1,
    )
    sheet, styles, buffer = _xml(export)

    assert re.search(r'<pane [^>]*topLeftCell="B3"[^>]*state="frozen"', sheet)
    assert '<autoFilter ref="A2:D5"/>' in sheet
    assert '<col min="1" max="1" width="30.7109375"' in sheet
    assert 'formatCode="#,##0.00"' in styles and 'formatCode="yyyy-mm-dd"' in styles
    rows = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_name("数据").to_python()
    assert rows[1] == ["名称", "营业收入（万元）", "从业人员（人）", "成立日期"]
    assert rows[2][:3] == ["甲", 12345.6, 12.0] and rows[2][3] in (
        dt.date(2015, 6, 30),
        dt.datetime(2015, 6, 30),
    )
    assert rows[3] == ["乙", "", "", ""]  # missing stays empty, never 0


def test_two_row_header_of_a_wide_layout():
    export = Export(
        title="宽表",
        actor=Actor(),
        columns=[Column("企业名称"), Column("营业收入", MONEY), Column("营业收入", MONEY)],
        groups=[("", 1), ("2023年", 1), ("2024年", 1)],
        rows=[("甲", 1, 2)],
    )
    sheet, _styles, buffer = _xml(export)

    assert '<mergeCell ref="A2:A3"/>' in sheet
    assert re.search(r'<pane [^>]*topLeftCell="A4"[^>]*state="frozen"', sheet)
    assert '<autoFilter ref="A3:C4"/>' in sheet
    rows = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_name("数据").to_python()
    assert rows[1] == ["企业名称", "2023年", "2024年"]
    assert rows[2] == ["", "营业收入（万元）", "营业收入（万元）"]
    assert rows[3] == ["甲", 1.0, 2.0]
