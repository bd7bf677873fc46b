"""导出 Excel: the list's current filtered result (same selector, same scope) as .xlsx.

XlsxWriter in constant-memory mode writes row by row to a temporary file that is then streamed;
at most EXPORT_LIMIT rows are written (the query fetches one more row to know whether the result
was larger, without counting). A first sheet, 说明, records the filters, the time, the row count
and — when the result was cut — a clear message; it is the sheet that opens in that case.
"""

import tempfile
from decimal import Decimal

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone

from smeplan.registry.selectors import organisation_search
from smeplan.web import navigation
from smeplan.web.views.common import require_page
from smeplan.web.views.organisations import filters_from

EXPORT_LIMIT = 100_000

COLUMNS: list[tuple[str, int]] = [
    ("名称", 36),
    ("曾用名", 24),
    ("统一社会信用代码", 22),
    ("市级单位", 12),
    ("区县", 12),
    ("行业代码", 9),
    ("行业名称", 24),
    ("单位类型", 12),
    ("企业规模", 9),
    ("四上企业", 9),
    ("划型依据年度", 12),
    ("成立日期", 12),
    ("注册资本（万元）", 16),
    ("登记注册类型", 12),
    ("地址", 36),
    ("联系人", 10),
    ("联系电话", 14),
]

FILTER_LABELS = {
    "q": "检索词",
    "city": "市级单位",
    "county": "区县",
    "section": "行业门类",
    "division": "行业大类",
    "size_class": "企业规模",
    "above_scale": "四上",
    "kind": "单位类型",
    "sort": "排序",
}


def _above_scale_text(value) -> str:
    return "无法判定" if value is None else ("是" if value else "否")


def _city_name(county) -> str:
    parent = county.parent
    if parent is None or parent.parent_id is None:  # 韩城市: a city-level unit and its own county
        return county.name
    return parent.name


@login_required
def organisation_export(request):
    user = request.user
    require_page(navigation.can_browse_registry(user))
    filters = filters_from(request.GET)
    qs = organisation_search(user, filters).select_related("county__parent")

    # Closed by FileResponse once streamed (deleted on close), so no context manager here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    notes = workbook.add_worksheet("说明")
    sheet = workbook.add_worksheet("企业名录")
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1, "text_wrap": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, (_title, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 1)
    for col, (title, _width) in enumerate(COLUMNS):
        sheet.write_string(0, col, title, header)

    written = 0
    truncated = False
    for org in qs[: EXPORT_LIMIT + 1].iterator(chunk_size=2000):
        if written == EXPORT_LIMIT:
            truncated = True
            break
        row = written + 1
        industry = org.industry
        sheet.write_string(row, 0, org.name)
        sheet.write_string(row, 1, "、".join(n for n in org.former_names.split("|") if n))
        sheet.write_string(row, 2, org.credit_code)
        sheet.write_string(row, 3, _city_name(org.county))
        sheet.write_string(row, 4, org.county.name)
        sheet.write_string(row, 5, industry.code if industry else "")
        sheet.write_string(row, 6, industry.name if industry else "")
        sheet.write_string(row, 7, str(org.get_kind_display()))
        sheet.write_string(row, 8, str(org.get_size_class_display()) if org.size_class else "未划型")
        sheet.write_string(row, 9, _above_scale_text(org.above_scale))
        if org.classified_year:
            sheet.write_number(row, 10, org.classified_year)
        if org.founded_on:
            sheet.write_datetime(row, 11, org.founded_on, date)
        if org.registered_capital is not None:
            sheet.write_number(row, 12, float(Decimal(org.registered_capital)), money)
        sheet.write_string(row, 13, str(org.get_ownership_type_display()) if org.ownership_type else "")
        sheet.write_string(row, 14, org.address)
        sheet.write_string(row, 15, org.contact_person)
        sheet.write_string(row, 16, org.contact_phone)
        written += 1
    if not written:
        sheet.write_string(1, 0, "没有符合条件的单位")

    now = timezone.localtime()
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 70)
    lines = [
        ("企业名录导出", ""),
        ("导出时间", now.strftime("%Y-%m-%d %H:%M")),
        ("导出人", f"{user}（{user.get_role_display()}）"),
        ("导出行数", str(written)),
    ]
    if truncated:
        lines.append(
            (
                "注意",
                f"筛选结果超过 {EXPORT_LIMIT:,} 行，只导出了前 {EXPORT_LIMIT:,} 行。"
                "请增加筛选条件（如区县、行业、规模）后分批导出。",
            )
        )
    lines.append(("金额单位", "万元"))
    lines.extend((FILTER_LABELS[k], v) for k, v in vars(filters).items() if k in FILTER_LABELS and v)
    bold = workbook.add_format({"bold": True})
    warn = workbook.add_format({"bold": True, "font_color": "#B00020", "text_wrap": True})
    for row, (key, value) in enumerate(lines):
        notes.write_string(row, 0, key, bold)
        notes.write_string(row, 1, value, warn if key == "注意" else None)
    (notes if truncated else sheet).activate()
    workbook.close()
    handle.seek(0)

    stamp = now.strftime("%Y%m%d-%H%M")
    suffix = f"（仅前{EXPORT_LIMIT}行）" if truncated else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"企业名录_{stamp}{suffix}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Export-Rows"] = str(written)
    response["X-Export-Truncated"] = "1" if truncated else "0"
    return response
