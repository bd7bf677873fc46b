"""Targets by spreadsheet (目标导入): the blank template and reading a filled one.

One row per target; the columns are the target form's fields under their Chinese names, then one
column per city-level unit for its share (分解目标; all blank: not broken down). Choices are written
as the page shows them (行动计划 by name, 类型 累计数/年度数/比重/金额, 数据来源 系统统计/部门填报,
统计口径 by name) — codes are accepted too. The file is read through ``exchange.reading`` (xlsx, xls,
ods, csv by content); this module only turns its cells into the plain text the targets service
checks (``services.targets_import``), keeping each row's Excel row number so every problem can be
named by row and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal

import xlsxwriter

from smeplan.exchange.reading import ImportFileError, read_workbook
from smeplan.targets import metrics
from smeplan.targets.models import ActionPlan, TargetKind, TargetSource

#: (field, header, required, what to write, example)
COLUMNS: list[tuple[str, str, bool, str, str]] = [
    (
        "code",
        "代码",
        True,
        "小写英文字母、数字和连字符，本规划期内唯一；已有的代码更新该目标",
        "growth-all-levels",
    ),
    (
        "plan",
        "行动计划",
        True,
        "八项行动计划之一：" + "、".join(str(x) for x in ActionPlan.labels),
        "中小企业成长梯队培育",
    ),
    ("name", "指标", True, "目标进度页上显示的简称（不超过80字）", "省市县梯队企业总数"),
    ("description", "原文表述", True, "规划文件中的原文", "到“十五五”末，省市县梯队企业总数超过30000户"),
    ("source_document", "出处文件", False, "规划文件的文号或名称", "陕中企规发〔2026〕1号"),
    ("seed_section", "出处条款", False, "文件中的章节条款", "中小企业成长梯队培育行动计划 二、培育目标"),
    ("value", "目标值", True, "数字；比重类以百分数填写（30 表示 30%）", "30000"),
    ("unit", "单位", True, f"系统统计的目标为 {metrics.units_text()}", "户"),
    ("kind", "类型", True, "、".join(str(x) for x in TargetKind.labels), "累计数"),
    ("baseline", "基期值", False, "有基期值时，进度从基期值起算", ""),
    ("deadline", "完成期限", True, "日期，须在规划期内（如 2030-12-31）", "2030-12-31"),
    ("source", "数据来源", True, "、".join(str(x) for x in TargetSource.labels), "系统统计"),
    (
        "metric",
        "统计口径",
        False,
        "系统统计时必填：" + "、".join(m.label for m in metrics.METRICS.values()),
        "各级梯队企业",
    ),
    ("reporter", "填报部门", False, "部门填报时必填", ""),
]
HEADERS = {header: field for field, header, *_ in COLUMNS}
LABEL_TO_CODE = {
    "plan": {
        **{str(label): code for code, label in ActionPlan.choices},
        **{f"{label}行动计划": code for code, label in ActionPlan.choices},
    },
    "kind": {str(label): code for code, label in TargetKind.choices},
    "source": {str(label): code for code, label in TargetSource.choices},
    "metric": {m.label: m.code for m in metrics.METRICS.values()},
}


def _metric_labels() -> dict[str, str]:
    """统计口径 by label: the fixed metrics and one per programme serving a plan (read now, so a
    programme created a moment ago is known)."""
    return {m.label: m.code for m in metrics.all_metrics().values()}


MSG_HEADER_ONLY = "文件只有表头，没有数据行"
MSG_NO_HEADER = "找不到表头：第一行应为“代码”“行动计划”“指标”“目标值”等列名（请使用下载的模板）"


@dataclasses.dataclass
class Row:
    number: int  # the Excel row number
    data: dict[str, str]  # field → text
    shares: dict[str, str] | None  # city code → text (None: the file has no share columns)


def header_of(field: str) -> str:
    for f, header, *_ in COLUMNS:
        if f == field:
            return header
    return field


def _clean_header(value) -> str:
    return re.sub(r"[\s*＊]", "", str(value or ""))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _date_text(value) -> str:
    """A deadline cell as ISO text: a date cell, 2030-12-31, 2030/12/31, 2030.12.31, 2030年12月31日,
    or a bare year (its 31 December); anything else is left for the service to refuse."""
    text = _text(value)
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?", text)
    if not match:
        return text
    year, month, day = match.groups()
    if month is None:
        return f"{year}-12-31"
    if day is None:
        return text
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return text


def read_rows(content: bytes, filename: str, cities: dict[str, str]) -> tuple[list[Row], list[str]]:
    """The data rows of the first sheet (``cities``: name → code of the city-level units, for the
    share columns) and the problems of the file itself (no header, unknown columns, …)."""
    try:
        workbook = read_workbook(content, filename)
    except ImportFileError as exc:
        return [], [exc.message]
    sheet = next((s for s in workbook.sheets if not s.is_empty), workbook.sheets[0])
    header_at = None
    for i, row in enumerate(sheet.rows[:10]):
        names = {_clean_header(v) for v in row}
        if {"代码", "指标"} <= names:
            header_at = i
            break
    if header_at is None:
        return [], [MSG_NO_HEADER]
    problems = []
    columns: dict[int, tuple[str, str]] = {}  # column index → ("field", name) | ("share", city code)
    by_city_name = {name: code for name, code in cities.items()}
    for j, value in enumerate(sheet.rows[header_at]):
        name = _clean_header(value)
        if not name:
            continue
        if name in HEADERS:
            columns[j] = ("field", HEADERS[name])
        elif name in by_city_name or name.removeprefix("分解") in by_city_name:
            columns[j] = ("share", by_city_name.get(name) or by_city_name[name.removeprefix("分解")])
        else:
            problems.append(
                f"第{header_at + 1}行第{_column_letter(j)}列的表头“{value}”无法识别（请使用下载的模板）"
            )
    present = {field for kind, field in columns.values() if kind == "field"}
    for field, header, required, *_ in COLUMNS:
        if required and field not in present:
            problems.append(f"缺少“{header}”列")
    has_shares = any(kind == "share" for kind, _ in columns.values())
    rows = []
    for i in range(header_at + 1, len(sheet.rows)):
        cells = sheet.rows[i]
        data: dict[str, str] = {}
        shares: dict[str, str] = {}
        for j, (kind, key) in columns.items():
            value = cells[j] if j < len(cells) else ""
            if kind == "share":
                shares[key] = _text(value)
            elif key == "deadline":
                data[key] = _date_text(value)
            else:
                text = _text(value)
                labels = _metric_labels() if key == "metric" else LABEL_TO_CODE.get(key, {})
                data[key] = labels.get(text, text)
        if not any(data.values()) and not any(shares.values()):
            continue
        rows.append(Row(i + 1, data, shares if has_shares else None))
    if not rows and not problems:
        problems.append(MSG_HEADER_ONLY)
    return rows, problems


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def template_xlsx(cities: list[tuple[str, str]], *, period_name: str = "") -> bytes:
    """The blank template: the header row only (required columns in orange), and a 说明 sheet listing
    every column with an example."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required_head = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    sheet = book.add_worksheet("目标")
    headers = [(h, r) for _f, h, r, *_ in COLUMNS] + [(name, False) for _code, name in cities]
    for j, (header, required) in enumerate(headers):
        sheet.write_string(0, j, header, required_head if required else head)
        sheet.set_column(j, j, 16 if j < len(COLUMNS) else 9)
    sheet.freeze_panes(1, 0)
    notes = book.add_worksheet("说明")
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})
    title = f"规划目标导入模板{'（' + period_name + '）' if period_name else ''}"
    notes.write_string(0, 0, title, bold)
    lines = [
        "每行一个目标，从第 2 行起填写；橙色表头为必填列。",
        "导入时整份文件逐行逐项检查：有任何问题则一项也不导入，并列出每个问题所在的行和列。",
        "代码与本规划期已有目标相同时，更新该目标；否则新增。",
        "各市级单位列填写分解到该市的目标值；一行中全部留空表示该目标不分解到市。",
    ]
    for i, line in enumerate(lines, start=1):
        notes.write_string(i, 0, line)
    start = len(lines) + 2
    for j, text in enumerate(("列名", "是否必填", "填写说明", "示例")):
        notes.write_string(start, j, text, head)
    for i, (_f, header, required, note, sample) in enumerate(COLUMNS, start=start + 1):
        notes.write_string(i, 0, header)
        notes.write_string(i, 1, "必填" if required else "选填")
        notes.write_string(i, 2, note, wrap)
        notes.write_string(i, 3, sample)
    notes.write_string(start + len(COLUMNS) + 1, 0, "各市级单位")
    notes.write_string(start + len(COLUMNS) + 1, 1, "选填")
    notes.write_string(start + len(COLUMNS) + 1, 2, "分解到该市级单位的目标值（数字）", wrap)
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 10)
    notes.set_column(2, 2, 70)
    notes.set_column(3, 3, 30)
    book.close()
    return buffer.getvalue()
