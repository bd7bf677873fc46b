"""Targets from a spreadsheet: the blank template downloads with every column; a filled file creates
new targets and updates existing codes (city shares from the city columns, choices by their Chinese
names); any problem — named by row and column — and nothing is written; a header with no rows is
refused as such."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from python_calamine import CalamineWorkbook

from smeplan.audit.models import AuditEvent
from smeplan.recognition import clock
from smeplan.targets.models import Target, TargetShare
from smeplan.targets.services import period_create, targets_import
from tests.factories import province_admin

pytestmark = pytest.mark.django_db

HEADER = [
    "代码", "行动计划", "指标", "原文表述", "出处文件", "出处条款", "目标值", "单位", "类型", "基期值",
    "完成期限", "数据来源", "统计口径", "填报部门", "西安市", "宝鸡市",
]  # fmt: skip


@pytest.fixture
def period(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 12, 7))
    return period_create(
        actor=province_admin(username="maker"),
        data={"code": "15th", "name": "“十五五”（2026—2030年）", "start_year": "2026", "end_year": "2030"},
    )


def _xlsx(rows, header=HEADER) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("目标")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(i, j, dt.datetime(value.year, value.month, value.day), date_format)
            elif value not in (None, ""):
                sheet.write(i, j, value)
    book.close()
    return buffer.getvalue()


GROWTH = [
    "growth-all-levels", "中小企业成长梯队培育", "省市县梯队企业总数", "到“十五五”末，省市县梯队企业总数超过30000户",
    "陕中企规发〔2026〕1号", "二、培育目标", 30000, "户", "累计数", 20000, dt.date(2030, 12, 31), "系统统计",
    "各级梯队企业", "", 6000, 2500,
]  # fmt: skip
LISTED = [
    "financing-listed", "financing", "上市挂牌企业", "到2030年，主板、新三板上市挂牌企业达到500户", "", "", "500",
    "户", "cumulative", "", "2030年12月31日", "部门填报", "", "陕西证监局", "", "",
]  # fmt: skip


def test_the_blank_template_has_every_column(client):
    client.force_login(province_admin())
    response = client.get("/targets/import-template.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names == ["目标", "说明"]
    header = book.get_sheet_by_name("目标").to_python()[0]
    assert header[:14] == HEADER[:14] and "西安市" in header and "杨凌示范区" in header
    assert len(book.get_sheet_by_name("目标").to_python()) == 1  # blank: the header only


def test_a_filled_file_creates_and_updates_targets_with_their_shares(period):
    admin = province_admin()
    result = targets_import(actor=admin, period=period, filename="目标.xlsx", content=_xlsx([GROWTH, LISTED]))
    assert result == {"created": 2, "updated": 0}
    growth = Target.objects.get(period=period, code="growth-all-levels")
    assert (growth.plan, growth.kind, growth.source, growth.metric) == (
        "growth", "cumulative", "computed", "growth.all_levels"
    )  # fmt: skip
    assert (growth.value, growth.baseline, growth.deadline) == (
        Decimal("30000"), Decimal("20000"), dt.date(2030, 12, 31)
    )  # fmt: skip
    assert (growth.source_document, growth.seed_section, growth.scope) == (
        "陕中企规发〔2026〕1号", "二、培育目标", "per_city"
    )  # fmt: skip
    assert dict(growth.shares.values_list("region_id", "value")) == {
        "610100": Decimal("6000"), "610300": Decimal("2500")
    }  # fmt: skip
    listed = Target.objects.get(period=period, code="financing-listed")
    assert (listed.deadline, listed.reporter, listed.scope) == (
        dt.date(2030, 12, 31),
        "陕西证监局",
        "province",
    )
    # again with a changed value and without 宝鸡's share: an update, the share removed
    changed = [*GROWTH[:6], 32000, *GROWTH[7:15], ""]
    assert targets_import(actor=admin, period=period, filename="目标.xlsx", content=_xlsx([changed])) == {
        "created": 0,
        "updated": 1,
    }
    growth.refresh_from_db()
    assert growth.value == Decimal("32000")
    assert dict(growth.shares.values_list("region_id", "value")) == {"610100": Decimal("6000")}
    assert AuditEvent.objects.filter(event_type="target.imported").count() == 2


def _state():
    return (
        list(Target.objects.order_by("id").values_list("code", "value")),
        list(TargetShare.objects.order_by("id").values_list("target_id", "value")),
        AuditEvent.objects.count(),
    )


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(period):
    admin = province_admin()
    bad_value = [*GROWTH[:6], "三万", *GROWTH[7:]]
    bad_deadline = [*LISTED[:10], "2035-12-31", *LISTED[11:]]
    bad_metric = [*GROWTH[:12], "每年新增", *GROWTH[13:14], "很多", ""]
    bad_metric[0] = "growth-more"
    before = _state()
    with pytest.raises(ValidationError) as refused:
        targets_import(
            actor=admin,
            period=period,
            filename="目标.xlsx",
            content=_xlsx([bad_value, LISTED, bad_deadline, bad_metric]),
        )
    messages = refused.value.messages
    assert "第2行「目标值」：目标值应为数字，收到“三万”" in messages
    assert "第4行「代码」：代码“financing-listed”与第3行重复" in messages
    assert "第4行「完成期限」：完成期限 2035-12-31 不在规划期 2026—2030 内" in messages
    assert any(
        m.startswith("第5行「统计口径」：系统统计的目标须选择统计口径，收到“每年新增”") for m in messages
    )
    assert "第5行「西安市」：西安市的目标值应为数字，收到“很多”" in messages
    assert _state() == before


def test_a_header_without_rows_or_a_wrong_file_is_refused(period):
    admin = province_admin()
    with pytest.raises(ValidationError) as empty:
        targets_import(actor=admin, period=period, filename="目标.xlsx", content=_xlsx([]))
    assert empty.value.messages == ["文件只有表头，没有数据行"]
    with pytest.raises(ValidationError) as wrong:
        targets_import(
            actor=admin,
            period=period,
            filename="目标.xlsx",
            content=_xlsx([GROWTH], header=["代码", "指标", "目标"]),
        )
    assert "第1行第C列的表头“目标”无法识别（请使用下载的模板）" in wrong.value.messages
    assert "缺少“目标值”列" in wrong.value.messages
    with pytest.raises(ValidationError) as not_a_sheet:
        targets_import(actor=admin, period=period, filename="目标.xlsx", content=b"MZ\x90\x00binary")
    assert not_a_sheet.value.messages == [
        "文件是可执行程序而不是电子表格（.xlsx/.xls/.ods/.csv），请选择正确的文件"
    ]


def test_the_import_page_lists_the_problems(client, period):
    client.force_login(province_admin())
    bad = [*GROWTH[:6], "三万", *GROWTH[7:]]
    response = client.post(
        "/targets/periods/15th/import/",
        {"file": _upload(_xlsx([bad]))},
    )
    assert response.status_code == 422
    assert "第2行「目标值」：目标值应为数字，收到“三万”" in response.content.decode()
    ok = client.post("/targets/periods/15th/import/", {"file": _upload(_xlsx([GROWTH]))})
    assert ok.status_code == 302 and Target.objects.filter(period=period).count() == 1


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("目标.xlsx", content)
