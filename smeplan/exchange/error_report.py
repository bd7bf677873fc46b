"""The import error report (问题报告): the uploaded spreadsheet again, with its problems marked.

:func:`error_report_xlsx` writes an .xlsx that holds

* a first sheet 问题清单: a title line (the file name and the numbers of errors and warnings), then
  every issue — 级别, 工作表, 行, 列, 值, 问题说明 — under a frozen header with an autofilter. Issues
  without a sheet or a row (about the file or a whole sheet) appear only here;
* every sheet of the uploaded file, under the same name, with the same cell values at the same
  positions (row 1 stays row 1, column A stays column A, so the row numbers and column letters of the
  messages are the ones the user sees in their own file). Numbers stay numbers, text stays text —
  text that looks like a formula is written as text (never a formula) with Excel's quote prefix —,
  dates stay dates (a .csv's cells are all text: plain decimal numbers — no leading zero, at most 15
  digits before the point — are written as numbers, as Excel shows them). One extra column, 问题说明, right after the last used column: its header in the
  sheet's header row (as found by :func:`understanding.understand_workbook`, else row 1), and in each
  row with issues that row's messages ("错误：…；警告：…"). Each cell named by an issue keeps its value
  and is filled light red (error) or light yellow (warning); an issue with a row but no column marks
  the row's 问题说明 cell. An autofilter over the header row lets the user show only marked rows.

Memory stays bounded for big files: the issues are first grouped by (sheet, row), then each sheet's
rows are streamed in order (:func:`reading.iter_sheet_rows`) into XlsxWriter in ``constant_memory``
mode, one row at a time (a .csv is decoded whole by the reader, as for the import itself). Like the
export engine, the copied rows are written as ready-made ``<row>`` XML into the worksheet's row file
(:class:`_RowXml`), about 3× less CPU than XlsxWriter's per-cell calls (100,000 rows × 8 columns:
13.6 → 5.2 s, reading included); the 问题清单 sheet uses XlsxWriter's API. What is not bounded is the
reader's: python-calamine holds the cells of the sheet being copied (≈ 100 bytes a cell in Rust
memory). Measured 2026-11-26, a 1,000,000-row × 8-column .xlsx (33 MB) with 142,857 issues: 56 CPU s
(101 s wall on a busy 2-core machine), peak RSS 906 MB, a 49 MB report.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_cell_to_rowcol, xl_col_to_name
from xlsxwriter.workbook import Workbook

from smeplan.exchange.export import _CONTROL, FORMULA_TRIGGERS, _control, _escape, _FastZipWorkbook
from smeplan.exchange.reading import ImportFileError, iter_sheet_rows, read_workbook
from smeplan.exchange.reading import Workbook as ReadBook

LIST_SHEET = "问题清单"
PROBLEM_HEADER = "问题说明"
LEVEL_LABELS = {"error": "错误", "warning": "警告"}
ERROR_FILL = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
WARNING_FILL = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
SEPARATOR = "；"

XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_COLS = 16_384
STRING_MAX = 32_767  # UTF-16 units of one cell's text
PREVIEW_ROWS = 60  # rows read to find each sheet's header row

_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_DATE_FORMATS = {
    dt.datetime: "yyyy-mm-dd hh:mm:ss",
    dt.date: "yyyy-mm-dd",
    dt.time: "hh:mm:ss",
    dt.timedelta: "[h]:mm:ss",
}


def error_report_filename(file_name: str) -> str:
    """ "2024年报_问题报告.xlsx" for "2024年报.xls"."""
    stem = Path(str(file_name or "")).stem.strip() or "导入文件"
    return f"{stem}_问题报告.xlsx"


def _level(issue: dict) -> str:
    return "error" if str(issue.get("level", "error")) == "error" else "warning"


def _row_of(issue: dict) -> int | None:
    row = issue.get("row")
    try:
        row = int(row) if row not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return row if row is not None and row >= 1 else None


def _col_of(issue: dict) -> int | None:
    """0-based column index of the issue's column letter ("C" → 2), None when absent or unreadable."""
    letter = str(issue.get("column") or "").strip().upper()
    if not letter or not letter.isalpha() or not letter.isascii():
        return None
    _row, col = xl_cell_to_rowcol(f"{letter}1")
    return col if 0 <= col < XLSX_MAX_COLS else None


def _message(issue: dict) -> str:
    text = f"{LEVEL_LABELS[_level(issue)]}：{issue.get('message', '')}"
    column = str(issue.get("column") or "").strip()
    return f"{text}（{column}列）" if column else text


class _RowIssues:
    """The issues of one (sheet, row): the 问题说明 text and the level of each marked cell."""

    __slots__ = ("cells", "messages", "row_level")

    def __init__(self):
        self.messages: list[tuple[int, str]] = []  # (0 for errors, 1 for warnings; keeps errors first)
        self.cells: dict[int, str] = {}
        self.row_level: str | None = None  # an issue without a column marks the 问题说明 cell

    def add(self, issue: dict) -> None:
        level = _level(issue)
        self.messages.append((0 if level == "error" else 1, _message(issue)))
        col = _col_of(issue)
        if col is None:
            self.row_level = _worse(self.row_level, level)
        else:
            self.cells[col] = _worse(self.cells.get(col), level)

    @property
    def text(self) -> str:
        return SEPARATOR.join(m for _order, m in sorted(self.messages, key=lambda m: m[0]))


def _worse(a: str | None, b: str) -> str:
    return "error" if "error" in (a, b) else b


class _Formats:
    """Cell formats made once per (fill level, kind): a highlighted date still shows as a date."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.cache: dict[tuple[str | None, str | None], object] = {}

    def get(self, level: str | None, kind: str | None):
        key = (level, kind)
        if key not in self.cache:
            props: dict = {}
            if level == "error":
                props.update(ERROR_FILL)
            elif level == "warning":
                props.update(WARNING_FILL)
            if level == "header":
                props.update({"bold": True, "bg_color": "#E8EEF6", "border": 1})
            if kind == "quote":
                props["quote_prefix"] = True
            elif kind is not None:
                props["num_format"] = kind
            self.cache[key] = self.workbook.add_format(props) if props else None
        return self.cache[key]


def _sheet_name(name: str, taken: set[str]) -> str:
    """The same name when Excel accepts it (a sheet read from .xlsx/.xls always is); a .csv's file
    stem or an .ods name is cleaned and cut to 31 characters, and kept unique."""
    clean = _BAD_SHEET_CHARS.sub("_", str(name)).strip("'") or "Sheet"
    if clean.lower() == "history":
        clean = f"{clean}_"
    clean = clean[:31]
    candidate, n = clean, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _preview(data: bytes, file_name: str) -> ReadBook:
    """Sheet names, merged ranges and the first rows (the whole file for a .csv, which the reader
    decodes whole anyway; the whole workbook too if the first rows of every sheet are empty)."""
    try:
        return read_workbook(data, file_name, max_rows=PREVIEW_ROWS)
    except ImportFileError as exc:
        if "没有数据" not in exc.message:
            raise
    return read_workbook(data, file_name)


def _header_rows(preview: ReadBook) -> dict[str, int]:
    """Sheet name → 0-based row of the header row next to the data (the last of a two-row header)."""
    try:
        from smeplan.exchange.understanding import understand_workbook

        layouts = understand_workbook(preview, skip_unrecognised=False)
    except Exception:  # the report must come out whatever the understanding makes of the sheet
        return {}
    return {layout.sheet: layout.header_rows[-1] - 1 for layout in layouts if layout.header_rows}


def error_report_xlsx(*, data: bytes, file_name: str, issues: list[dict], target) -> None:
    """Write the error report of the uploaded file ``data`` (named ``file_name``) with ``issues``
    (the dicts of ``ImportBatch.issues``) as .xlsx into ``target`` (a binary file object or a path).

    When the file cannot be read at all, the report holds the 问题清单 only, with the reader's
    message under the list."""
    try:
        preview = _preview(data, file_name)
    except ImportFileError as exc:
        preview = ReadBook(file_name, "", [])
        unreadable = exc.message
    else:
        unreadable = None
    _write_report(preview, data, file_name, issues, target, unreadable)


def _write_report(
    preview: ReadBook, data: bytes, file_name: str, issues: list[dict], target, unreadable: str | None
) -> None:
    by_row: dict[tuple[str, int], _RowIssues] = defaultdict(_RowIssues)
    sheet_names = {s.name for s in preview.sheets}
    for issue in issues:
        row = _row_of(issue)
        sheet = str(issue.get("sheet") or "")
        if row is not None and sheet in sheet_names:
            by_row[sheet, row].add(issue)

    workbook = _FastZipWorkbook(
        target,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    taken = {LIST_SHEET.lower()}
    out_names = {s.name: _sheet_name(s.name, taken) for s in preview.sheets}
    list_sheet = workbook.add_worksheet(_sheet_name(LIST_SHEET, set()))
    formats = _Formats(workbook)
    notes = _write_issue_list(workbook, list_sheet, file_name, issues, formats)
    headers = _header_rows(preview)
    cut = []
    for sheet in preview.sheets:
        rows: Iterable[list]
        if preview.kind == "csv" or len(sheet.rows) < PREVIEW_ROWS:
            rows = sheet.rows  # the whole sheet is already there
        else:
            rows = iter_sheet_rows(data, file_name, sheet.name)
        out = workbook.add_worksheet(out_names[sheet.name])
        if _write_sheet(out, formats, sheet, rows, by_row, headers.get(sheet.name), preview.kind == "csv"):
            cut.append(sheet.name)
    if unreadable:
        notes(f"无法读取文件的工作表：{unreadable}")
    if cut:
        notes(f"工作表“{'”“'.join(cut)}”超过 Excel 的 {XLSX_MAX_ROWS:,} 行，报告只含前 {XLSX_MAX_ROWS:,} 行")
    workbook.close()


def _write_issue_list(workbook: Workbook, sheet, file_name: str, issues: list[dict], formats: _Formats):
    """The 问题清单 sheet; returns a function that writes one more note line under the list."""
    errors = sum(1 for i in issues if _level(i) == "error")
    warnings = len(issues) - errors
    title = workbook.add_format({"bold": True, "font_size": 12})
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1})
    sheet.write_string(0, 0, f"文件“{file_name}”的导入问题：错误 {errors} 处，警告 {warnings} 处", title)
    for col, (label, width) in enumerate(
        [("级别", 6), ("工作表", 16), ("行", 8), ("列", 6), ("值", 24), ("问题说明", 80)]
    ):
        sheet.set_column(col, col, width)
        sheet.write_string(1, col, label, header)
    row = 2
    for issue in issues:
        level = _level(issue)
        fill = formats.get(level, None)
        sheet.write_string(row, 0, LEVEL_LABELS[level], fill)
        sheet.write_string(row, 1, str(issue.get("sheet") or ""))
        number = _row_of(issue)
        if number is not None:
            sheet.write_number(row, 2, number)
        sheet.write_string(row, 3, str(issue.get("column") or ""))
        value = issue.get("value")
        if value not in (None, ""):
            value = str(value)
            sheet.write_string(
                row, 4, value, formats.get(None, "quote") if value[0] in FORMULA_TRIGGERS else None
            )
        sheet.write_string(row, 5, str(issue.get("message") or ""))
        row += 1
    if not issues:
        sheet.write_string(row, 0, "没有发现问题")
        row += 1
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(row - 1, 2), 5)
    next_row = [row + 1]

    def note(text: str) -> None:
        sheet.write_string(next_row[0], 0, text, title)
        next_row[0] += 1

    return note


def _write_sheet(
    out,
    formats: _Formats,
    sheet,
    rows: Iterable[list],
    by_row: dict[tuple[str, int], _RowIssues],
    header_row: int | None,
    csv: bool,
) -> bool:
    """Copy one sheet's rows (in order: constant-memory mode) with the marks; True when cut at
    Excel's row limit."""
    name = sheet.name
    pending = sorted(r for (s, r) in by_row if s == name)  # issue rows, 1-based, in order
    marked_cols = max((c for (s, _r), ri in by_row.items() if s == name for c in ri.cells), default=-1)
    # a calamine sheet's rows all have the sheet's full width; a .csv's rows are ragged
    used = _used_width(sheet.rows) if csv else len(sheet.rows[0]) if sheet.rows else 0
    problem_col = min(max(used, marked_cols + 1), XLSX_MAX_COLS - 1)
    if header_row is None:
        header_row = 0
    out.set_column(problem_col, problem_col, 60)

    writer = _RowXml(out, formats, name, by_row, header_row, problem_col, csv)
    first_written = last_written = -1
    cut = False
    batch: list[str] = []
    fh = out.fh
    for index, values in enumerate(rows):
        if index >= XLSX_MAX_ROWS:
            cut = True
            break
        xml = writer.row(index, values)
        last_written = index
        if xml:
            batch.append(xml)
            if first_written < 0:
                first_written = index
            if len(batch) == 2000:
                fh.write("".join(batch))
                batch.clear()
    # rows named by issues beyond the end of the sheet (and the header row of an empty sheet)
    extra = [r - 1 for r in pending if r - 1 > last_written and r - 1 < XLSX_MAX_ROWS]
    if header_row > last_written and header_row not in extra:
        extra.append(header_row)
    for index in sorted(extra):
        batch.append(writer.row(index, []))
        last_written = index
        if first_written < 0:
            first_written = index
    fh.write("".join(batch))
    if first_written >= 0:
        out._check_dimensions(first_written, 0)
        out._check_dimensions(last_written, problem_col)
        out.previous_row = last_written + 1
    if sheet.merged:
        out.merge.extend([r1, c1, r2, c2] for (r1, c1, r2, c2) in sheet.merged if r2 <= last_written)
    if last_written >= header_row:
        out.autofilter(header_row, 0, last_written, problem_col)
    return cut


def _used_width(rows: list[list]) -> int:
    width = 0
    for row in rows:
        n = len(row)
        while n > width and (row[n - 1] is None or row[n - 1] == ""):
            n -= 1
        width = max(width, n)
    return width


class _RowXml:
    """Builds each ``<row>`` of a copied sheet as XML, written straight into the constant-memory
    worksheet's row file (as the export engine does: XlsxWriter's per-cell path costs several times
    more per cell, minutes for a sheet of a million rows). Cells are written as XlsxWriter would:
    text as inline strings (never formulas; quote prefix when it looks like one), numbers with 16
    significant digits, dates as serial days with a date format, booleans as booleans."""

    def __init__(
        self, out, formats: _Formats, name: str, by_row, header_row: int, problem_col: int, csv: bool
    ):
        self.out = out
        self.formats = formats
        self.name = name
        self.by_row = by_row
        self.header_row = header_row
        self.problem_col = problem_col
        self.csv = csv
        self.attrs: dict[tuple[str | None, str | None], str] = {}
        self.letters = [xl_col_to_name(c) for c in range(problem_col + 1)]

    def attr(self, level: str | None, kind: str | None) -> str:
        key = (level, kind)
        attr = self.attrs.get(key)
        if attr is None:
            fmt = self.formats.get(level, kind)
            attr = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
            self.attrs[key] = attr
        return attr

    def row(self, index: int, values: list) -> str:
        n = str(index + 1)
        marks = self.by_row.get((self.name, index + 1))
        cells = marks.cells if marks is not None else None
        parts = [f'<row r="{n}">']
        append = parts.append
        letters = self.letters
        limit = min(len(values), self.problem_col)
        plain = self.attr(None, None)
        for col in range(limit):
            value = values[col]
            level = cells.get(col) if cells else None
            kind = type(value)
            if kind is str and value and level is None and not (self.csv and _NUMBER_TEXT.fullmatch(value)):
                append(
                    _inline(
                        f"{letters[col]}{n}",
                        self.attr(None, "quote") if value[0] in FORMULA_TRIGGERS else plain,
                        value,
                    )
                )
            elif kind is float and level is None and math.isfinite(value):
                append(f'<c r="{letters[col]}{n}"{plain}><v>{value:.16G}</v></c>')
            else:
                xml = self.cell(f"{letters[col]}{n}", value, level)
                if xml:
                    append(xml)
        if cells:
            for col in sorted(c for c in cells if limit <= c < self.problem_col):
                append(f'<c r="{letters[col]}{n}"{self.attr(cells[col], None)}/>')
        text = marks.text if marks is not None else ""
        level = marks.row_level if marks is not None else None
        ref = f"{letters[self.problem_col]}{n}"
        if index == self.header_row:
            text = f"{PROBLEM_HEADER}（本行：{text}）" if text else PROBLEM_HEADER
            append(_inline(ref, self.attr(level or "header", None), text))
        elif text:
            append(_inline(ref, self.attr(level, None), text))
        if len(parts) == 1:
            return ""
        append("</row>")
        return "".join(parts)

    def cell(self, ref: str, value, level: str | None) -> str:
        kind = type(value)
        if value is None or (kind is str and value == ""):
            return f'<c r="{ref}"{self.attr(level, None)}/>' if level is not None else ""
        if kind is str:
            if self.csv and _NUMBER_TEXT.fullmatch(value):
                number = float(value) if "." in value else int(value)
                return f'<c r="{ref}"{self.attr(level, None)}><v>{number:.16G}</v></c>'
            return _inline(ref, self.attr(level, "quote" if value[0] in FORMULA_TRIGGERS else None), value)
        if kind is bool:
            return f'<c r="{ref}"{self.attr(level, None)} t="b"><v>{int(value)}</v></c>'
        if kind in (int, float):
            if kind is float and not math.isfinite(value):
                return _inline(ref, self.attr(level, None), str(value))
            return f'<c r="{ref}"{self.attr(level, None)}><v>{value:.16G}</v></c>'
        if kind in _DATE_FORMATS:
            number = self.out._convert_date_time(value)
            return f'<c r="{ref}"{self.attr(level, _DATE_FORMATS[kind])}><v>{number:.16G}</v></c>'
        return _inline(ref, self.attr(level, None), str(value))


def _inline(ref: str, attr: str, text: str) -> str:
    """An inline-string cell, escaped as XlsxWriter does (control characters as _xHHHH_)."""
    if len(text) > STRING_MAX // 2 and _utf16_len(text) > STRING_MAX:
        text = _utf16_truncate(text, STRING_MAX)
    if not text.isprintable():
        text = _CONTROL.sub(_control, text)
    if "&" in text or "<" in text or ">" in text:
        text = _escape(text)
    if text[0] in " \t\n\r" or text[-1] in " \t\n\r":
        return f'<c r="{ref}"{attr} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}"{attr} t="inlineStr"><is><t>{text}</t></is></c>'
