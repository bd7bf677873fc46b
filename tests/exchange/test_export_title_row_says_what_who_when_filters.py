"""The first row of an exported sheet says what was exported, by whom, when (Beijing time) and with
which filters; the 说明 sheet repeats it with the row count."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from smeplan.exchange.export import Column, Export, description, write_xlsx
from tests.factories import UserFactory, region


@pytest.mark.django_db
def test_title_row_and_notes():
    user = UserFactory(role="county_officer", region=region("610113"), display_name="王五")
    export = Export(
        title="企业名录",
        actor=user,
        columns=[Column("名称")],
        rows=[("甲公司",), ("乙公司",)],
        filters=[("区县", "雁塔区（610113）"), ("检索词", "机械")],
        now=dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC),
    )
    buffer = io.BytesIO()
    write_xlsx(export, buffer)

    book = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    title = book.get_sheet_by_name("数据").to_python()[0][0]
    assert title == description(export)
    assert title == (
        "企业名录｜导出人：王五（雁塔区 · 县级工作人员）｜导出时间：2026-03-01 09:30（北京时间）"
        "｜筛选条件：区县：雁塔区（610113）；检索词：机械"
    )
    notes = {r[0]: r[1] for r in book.get_sheet_by_name("说明").to_python()}
    assert notes["导出内容"] == "企业名录"
    assert notes["导出人"] == "王五（雁塔区 · 县级工作人员）"
    assert notes["导出时间"] == "2026-03-01 09:30（北京时间）"
    assert notes["导出行数"] == "2"
    assert notes["区县"] == "雁塔区（610113）" and notes["检索词"] == "机械"


@pytest.mark.django_db
def test_no_filters_is_said_plainly():
    user = UserFactory(role="provincial_admin", region=region("610000"), username="sheng")
    export = Export(title="企业名录", actor=user, columns=[Column("名称")], rows=[])
    assert description(export).endswith("｜筛选条件：无（全部）")
    assert "sheng（陕西省 · 省级管理员）" in description(export)
    assert ZoneInfo("Asia/Shanghai") == export.now.tzinfo
