"""The export engine (导出): every list export of the project goes through it.

An :class:`Export` says what is exported (``title``), by whom (``actor``), with which filters
(``filters``: already human-readable (label, value) pairs), the columns (:class:`Column`: a Chinese
label and a kind — text, 万元 money, persons, integer, percent, date — from which the unit shown in the
header and the number format follow) and a row iterator. Rows are sequences in column order; callers
produce them from a scoped queryset with ``.values_list(...).iterator(chunk_size=...)`` so there is no
query per row — or, on PostgreSQL, with :func:`copy_rows` (the same scoped query's SQL wrapped in
``COPY … TO STDOUT``: text rows streamed by the server while Python writes, no per-value conversion;
numeric cells take the text as is and a date may come as its Excel serial day).

.xlsx (:func:`write_xlsx`, :func:`xlsx_response`)
    XlsxWriter with ``constant_memory=True`` into a temporary file that :class:`FileResponse` streams
    back and that disappears when closed. Row 1 is the title row (what, by whom — display name and
    region —, when in Beijing time, which filters), then the header row(s) (an optional group row such
    as the years of a wide layout above the figure names), frozen, with an autofilter over the data,
    column widths and number formats (``#,##0.00`` for 万元). A second sheet, 说明, repeats the
    description with the row count and says when the result was cut.

    The header and title cells use XlsxWriter's public API. The data rows — up to a million of them —
    are written by :class:`_RowWriter` as ready-made ``<row>`` XML into the worksheet's own
    constant-memory row file: XlsxWriter's per-cell path (a namedtuple per cell, a dict per row,
    attribute lists, three regular expressions per string) costs about 13 µs a cell on the reference
    machine, i.e. about 220 s for a million 17-column rows; this writer precomputes every column's
    style index and cell reference and needs about 2.2 µs a cell (≈ 6× faster). The file is then
    packaged by XlsxWriter as usual, with zlib level 1 (:class:`_FastZipWorkbook`).

    Row limit: an .xlsx sheet holds 1,048,576 rows; the data capacity is that minus the title and
    header rows. A larger result is cut at the capacity (``ExportResult.truncated``), the 说明 sheet
    says so and opens first, and the pages offer .csv, which has no limit.

.csv (:func:`csv_response`)
    Streamed (``StreamingHttpResponse``), UTF-8 with a BOM so that Excel on Chinese Windows opens it
    correctly. The file holds the header row and the data only — no title or comment lines, so it
    parses as a plain table and can be imported back. The description (title, exporter, time,
    filters) is in the file name (title and time) and, complete, in the response header
    ``X-Export-Description`` (percent-encoded UTF-8, as HTTP headers are Latin-1).

    With ``Export.copy_sql`` on PostgreSQL the data rows are ``COPY (…) TO STDOUT (FORMAT csv)``
    forwarded as they come (:func:`copy_csv_chunks`; rows end with LF there, CRLF in the Python path);
    the SQL then does the labels and the formula escaping (:func:`sql_text`).

Formula injection (OWASP "CSV Injection"): a text value beginning with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is data, never a formula. In .xlsx every text value is written as an inline
string (never a formula; the workbook also sets ``strings_to_formulas``/``strings_to_urls`` off for
the cells written through XlsxWriter's API), and such a value additionally carries Excel's
"quote prefix" style so that editing the cell in Excel keeps it text. In .csv such a value is
prefixed with a single quote ``'`` (in Python by :func:`csv_safe`, in SQL by :func:`sql_text`).
Numbers (a negative profit, say) are numbers, not text, and are not touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from smeplan.exchange.reading import FORMULA_TRIGGERS  # the one definition (the CSV reader undoes the guard)

TEXT = "text"
MONEY = "money"  # 万元, Decimal
PERSONS = "persons"  # 人, integer
INTEGER = "integer"  # a count or a year: no unit, no thousands separator
PERCENT = "percent"  # a fraction shown as a percentage
DATE = "date"
KINDS = (TEXT, MONEY, PERSONS, INTEGER, PERCENT, DATE)
SHARED = "shared"  # the .xlsx row writer's kind of a shared text column (Column.shared)

UNITS = {MONEY: "万元", PERSONS: "人", PERCENT: "%"}
NUMBER_FORMATS = {MONEY: "#,##0.00", PERSONS: "#,##0", INTEGER: "0", PERCENT: "0.00%", DATE: "yyyy-mm-dd"}
DEFAULT_WIDTHS = {TEXT: 16, MONEY: 16, PERSONS: 12, INTEGER: 8, PERCENT: 10, DATE: 12}

XLSX_MAX_ROWS = 1_048_576  # rows of one .xlsx worksheet, title and header included
SHANGHAI = ZoneInfo("Asia/Shanghai")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: A text value starting with one of these could be read as a formula by a spreadsheet.

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Column:
    """One exported column: its Chinese ``label``, its ``kind`` (unit and number format follow)."""

    label: str
    kind: str = TEXT
    width: float | None = None
    unit: str | None = None  # None: the kind's unit (万元 / 人 / %); "" for none
    #: text with few distinct values from reference data or fixed labels (county, industry, size
    #: class…): .xlsx stores each value once in the shared string table and the cells refer to it,
    #: a smaller file, written faster. Not for free text typed by users.
    shared: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def header(self) -> str:
        """ "营业收入（万元）": the label with its unit in full-width brackets, as bureau sheets do."""
        unit = UNITS.get(self.kind, "") if self.unit is None else self.unit
        return f"{self.label}（{unit}）" if unit else self.label


@dataclass
class Export:
    """What to export. ``rows`` yields tuples in column order (None for an empty cell, never 0)."""

    title: str  # what was exported: "企业名录", "年度数据（长表）"
    actor: object  # the user
    columns: list[Column]
    rows: Iterable[Sequence]
    filters: list[tuple[str, str]] = field(default_factory=list)  # (label, value), human-readable
    sheet_name: str = "数据"
    #: an optional row above the headers: (label, number of columns it spans), e.g. the years of a
    #: wide layout; "" for columns without a group (their header then spans both rows)
    groups: list[tuple[str, int]] | None = None
    freeze_columns: int = 0
    limit: int | None = None  # at most this many data rows (default and maximum: the sheet's capacity)
    notes: list[tuple[str, str]] = field(default_factory=list)  # extra lines of the 说明 sheet
    empty_message: str = "没有符合条件的数据"
    now: dt.datetime | None = None
    #: PostgreSQL only: (sql, params) of a SELECT producing the CSV's columns as text, already
    #: formula-escaped (see :func:`sql_text`); .csv then streams ``COPY (…) TO STDOUT`` instead of
    #: iterating ``rows`` in Python
    copy_sql: tuple[str, Sequence] | None = None

    def __post_init__(self):
        if self.now is None:
            self.now = timezone.now()
        self.now = self.now.astimezone(SHANGHAI)
        if self.groups is not None and sum(span for _, span in self.groups) != len(self.columns):
            raise ValueError("the groups must span all the columns")

    @property
    def header_rows(self) -> int:
        return 2 if self.groups else 1

    @property
    def first_data_row(self) -> int:
        return 1 + self.header_rows  # after the title row

    @property
    def capacity(self) -> int:
        capacity = XLSX_MAX_ROWS - self.first_data_row
        return capacity if self.limit is None else min(self.limit, capacity)

    @property
    def stamp(self) -> str:
        return self.now.strftime("%Y%m%d-%H%M")

    def filename(self, extension: str, suffix: str = "") -> str:
        return f"{self.title}_{self.stamp}{suffix}.{extension}"

    def csv_headers(self) -> list[str]:
        """One header row: a group's label is put before each of its columns ("2023年营业收入（万元）")."""
        if not self.groups:
            return [c.header for c in self.columns]
        labels = [g for g, span in self.groups for _ in range(span)]
        return [f"{g}{c.header}" for g, c in zip(labels, self.columns, strict=True)]


@dataclass
class ExportResult:
    rows: int
    truncated: bool


def actor_text(user) -> str:
    """ "王五（雁塔区 · 县级工作人员）": the display name, where the user belongs and the role."""
    name = str(user)
    where = ""
    region = getattr(user, "region", None) if getattr(user, "region_id", None) else None
    if region is not None:
        where = region.name
    elif getattr(user, "organisation_id", None):
        where = user.organisation.name
    role = user.get_role_display() if hasattr(user, "get_role_display") else ""
    details = " · ".join(str(p) for p in (where, role) if p)
    return f"{name}（{details}）" if details else name


def filters_text(filters: Sequence[tuple[str, str]]) -> str:
    return "；".join(f"{label}：{value}" for label, value in filters) or "无（全部）"


def description(export: Export) -> str:
    """The title line: what, by whom, when (Beijing time), with which filters."""
    return (
        f"{export.title}｜导出人：{actor_text(export.actor)}"
        f"｜导出时间：{export.now:%Y-%m-%d %H:%M}（北京时间）"
        f"｜筛选条件：{filters_text(export.filters)}"
    )


# --- .xlsx -----------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _control(match: re.Match) -> str:
    return f"_x{ord(match.group()):04X}_"


class _RowWriter:
    """Writes data rows as XML straight into a constant-memory worksheet's row file."""

    def __init__(self, workbook: Workbook, sheet, columns: list[Column], text_format, quote_format):
        self.sheet = sheet
        self.columns = columns
        # the writer's own kind: SHARED for a shared text column
        self.kinds = [SHARED if column.shared and column.kind == TEXT else column.kind for column in columns]
        self.strings = workbook.str_table
        self.shared_index: dict[str, str] = {}
        self.letters = [xl_col_to_name(i) for i in range(len(columns))]
        self.styles = []
        for column in columns:
            if column.kind == TEXT:
                self.styles.append(None)
            else:
                fmt = workbook.add_format({"num_format": NUMBER_FORMATS[column.kind]})
                self.styles.append(fmt)
        self.text_format = text_format
        self.quote_format = quote_format
        self._style_attrs: list[str] | None = None

    def _resolve_styles(self) -> None:
        # xf indices are assigned when first asked for; ask once, after every format exists.
        self._style_attrs = [f' s="{f._get_xf_index()}"' if f is not None else "" for f in self.styles]
        self._plain = f' s="{self.text_format._get_xf_index()}"' if self.text_format is not None else ""
        self._quote = f' s="{self.quote_format._get_xf_index()}"'

    def _share(self, value) -> str:
        """The tail of a shared-string cell for ``value`` (' s="…" t="s"><v>7</v></c>'), or "" when
        the value must stay inline (XlsxWriter would write "<r>…</r>" as rich text, unescaped)."""
        text = value if type(value) is str else str(value)
        if text.startswith("<r>"):
            tail = ""
        else:
            if self._style_attrs is None:
                self._resolve_styles()
            attr = self._quote if text[0] in FORMULA_TRIGGERS else self._plain
            tail = f'{attr} t="s"><v>{self.strings._get_shared_string_index(text)}</v></c>'
        self.shared_index[value] = tail
        return tail

    def cells(self, number: int, values: Sequence) -> str:
        """The ``<row>`` element of 1-based row ``number``."""
        if self._style_attrs is None:
            self._resolve_styles()
        n = str(number)
        parts = [f'<row r="{n}">']
        append = parts.append
        quote, plain = self._quote, self._plain
        for letter, style, kind, value in zip(
            self.letters, self._style_attrs, self.kinds, values, strict=False
        ):
            if value is None or value == "":
                continue
            if kind is SHARED:
                index = self.shared_index.get(value)
                if index is None:
                    index = self._share(value)
                if index:
                    append(f'<c r="{letter}{n}"{index}')
                    continue
                kind = TEXT
            if kind is TEXT:
                text = value if type(value) is str else str(value)
                attr = quote if text[0] in FORMULA_TRIGGERS else plain
                if not text.isprintable():  # C-fast; false for control characters (and a few spaces)
                    text = _CONTROL.sub(_control, text)
                if "&" in text or "<" in text or ">" in text:
                    text = _escape(text)
                if text[0] in " \t\n\r" or text[-1] in " \t\n\r":
                    append(
                        f'<c r="{letter}{n}"{attr} t="inlineStr"><is><t xml:space="preserve">{text}'
                        "</t></is></c>"
                    )
                else:
                    append(f'<c r="{letter}{n}"{attr} t="inlineStr"><is><t>{text}</t></is></c>')
            elif kind is DATE:
                if type(value) is str:  # already an Excel serial day (computed by the database)
                    days = value
                else:
                    days = ((value if type(value) is dt.date else value.date()) - _EXCEL_EPOCH).days
                append(f'<c r="{letter}{n}"{style}><v>{days}</v></c>')
            else:
                append(f'<c r="{letter}{n}"{style}><v>{value}</v></c>')
        append("</row>")
        return "".join(parts)


class _FastCopyWorksheet(Worksheet):
    """A constant-memory worksheet that moves its row file into the sheet XML as bytes.

    XlsxWriter reads the row file back as text in 64 KB pieces and writes them out again, decoding
    and re-encoding the whole ≈1 GB of XML of a million rows; a byte copy does the same in a
    fraction of the time."""

    def _write_optimized_sheet_data(self) -> None:
        target = getattr(self.fh, "buffer", None)
        if self.dim_rowmin is None or target is None or self.row_data_filename is None:
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        self.row_data_fh.close()
        self.fh.flush()
        with open(self.row_data_filename, "rb") as source:
            shutil.copyfileobj(source, target, 1 << 20)
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")


class _FastZipWorkbook(Workbook):
    """XlsxWriter's workbook, packaged with zlib level 1 instead of 6.

    Compressing the ≈1 GB of sheet XML of a million rows at level 6 takes longer than writing it;
    level 1 is about 3× faster for files about 20 % larger. The packaging code names ``ZipFile`` as a
    module global, so it is swapped for the duration of :meth:`_store_workbook` only; the swap
    changes nothing but the compression level, so concurrent workbooks are unaffected in substance.
    """

    worksheet_class = _FastCopyWorksheet

    def _store_workbook(self) -> None:
        import xlsxwriter.workbook as module

        original = module.ZipFile

        def fast_zip(*args, **kwargs):
            kwargs.setdefault("compresslevel", 1)
            return original(*args, **kwargs)

        module.ZipFile = fast_zip
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = original


def write_xlsx(export: Export, target) -> ExportResult:
    """Write ``export`` as .xlsx to ``target`` (a path or a binary file object)."""
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
    notes = workbook.add_worksheet("说明")
    sheet = workbook.add_worksheet(export.sheet_name)
    title_format = workbook.add_format({"bold": True, "font_size": 12})
    header_format = workbook.add_format(
        {"bold": True, "bg_color": "#E8EEF6", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    group_format = workbook.add_format(
        {"bold": True, "bg_color": "#D5E0F0", "border": 1, "align": "center", "valign": "vcenter"}
    )
    quote_format = workbook.add_format({"quote_prefix": True})
    columns = export.columns
    last_col = len(columns) - 1
    for col, column in enumerate(columns):
        width = column.width or max(DEFAULT_WIDTHS[column.kind], min(40, 2.2 * len(column.header) + 2))
        sheet.set_column(col, col, width)

    sheet.write_string(0, 0, description(export), title_format)
    header_row = export.first_data_row - 1
    if export.groups:
        _write_grouped_headers(sheet, export, header_format, group_format)
    else:
        for c, column in enumerate(columns):
            sheet.write_string(1, c, column.header, header_format)

    writer = _RowWriter(workbook, sheet, columns, None, quote_format)
    first = export.first_data_row
    sheet._write_single_row(first)  # flush the title and header rows; the data rows follow
    capacity = export.capacity
    written = 0
    truncated = False
    fh = sheet.fh
    batch: list[str] = []
    for values in export.rows:
        if written == capacity:
            truncated = True
            break
        batch.append(writer.cells(first + written + 1, values))
        written += 1
        if len(batch) == 2000:
            fh.write("".join(batch))
            batch.clear()
    if batch:
        fh.write("".join(batch))
    close = getattr(export.rows, "close", None)
    if truncated and close is not None:
        close()  # stop a generator (and its server-side cursor) early
    if written:
        last_row = first + written - 1
        sheet._check_dimensions(last_row, last_col)
        sheet.previous_row = last_row + 1
    else:
        last_row = first
        sheet.write_string(first, 0, export.empty_message)
    sheet.freeze_panes(first, export.freeze_columns)
    sheet.autofilter(header_row, 0, last_row, last_col)

    _write_notes(workbook, notes, export, written, truncated)
    (notes if truncated else sheet).activate()
    workbook.close()
    return ExportResult(rows=written, truncated=truncated)


def _write_grouped_headers(sheet, export: Export, header_format, group_format) -> None:
    """Rows 2 and 3: the group labels (merged across their columns) over the column headers; a
    column without a group has its header merged over both rows.

    In constant-memory mode rows must be written in order, so ``merge_range`` (which writes both
    rows of a vertical merge at once) cannot be used: the cells are written row by row and the
    merged ranges are registered with the worksheet directly.
    """
    columns = export.columns
    spans = []
    col = 0
    for label, span in export.groups:
        spans.append((label, col, col + span - 1))
        col += span
    for label, first, last in spans:  # row 2
        if not label:
            for c in range(first, last + 1):
                sheet.write_string(1, c, columns[c].header, header_format)
        else:
            sheet.write_string(1, first, label, group_format)
            for c in range(first + 1, last + 1):
                sheet.write_blank(1, c, None, group_format)
    for label, first, last in spans:  # row 3
        for c in range(first, last + 1):
            if label:
                sheet.write_string(2, c, columns[c].header, header_format)
            else:
                sheet.write_blank(2, c, None, header_format)
    for label, first, last in spans:
        if not label:
            sheet.merge.extend([1, c, 2, c] for c in range(first, last + 1))
        elif last > first:
            sheet.merge.append([1, first, 1, last])


def _write_notes(workbook: Workbook, notes, export: Export, written: int, truncated: bool) -> None:
    bold = workbook.add_format({"bold": True})
    warn = workbook.add_format({"bold": True, "font_color": "#B00020", "text_wrap": True})
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 80)
    lines = [
        ("导出内容", export.title),
        ("导出人", actor_text(export.actor)),
        ("导出时间", f"{export.now:%Y-%m-%d %H:%M}（北京时间）"),
        ("导出行数", str(written)),
    ]
    if truncated:
        lines.append(
            (
                "注意",
                f"筛选结果超过 {export.capacity:,} 行，只导出了前 {export.capacity:,} 行"
                f"（Excel 工作表最多 {XLSX_MAX_ROWS:,} 行）。请改用 CSV 导出完整结果，"
                "或增加筛选条件（如区县、行业、规模）后分批导出。",
            )
        )
    lines.append(("金额单位", "万元"))
    lines.extend(export.notes)
    lines.append(("筛选条件", filters_text(export.filters)))
    lines.extend(export.filters)
    for row, (key, value) in enumerate(lines):
        notes.write_string(row, 0, key, bold)
        notes.write_string(row, 1, value, warn if key == "注意" else None)


def xlsx_response(export: Export) -> FileResponse:
    """Write to an anonymous temporary file (gone when closed) and stream it back."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        result = write_xlsx(export, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    suffix = f"（仅前{export.capacity}行）" if result.truncated else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=export.filename("xlsx", suffix),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["X-Export-Rows"] = str(result.rows)
    response["X-Export-Truncated"] = "1" if result.truncated else "0"
    response["X-Export-Description"] = quote(description(export))
    return response


# --- .csv ------------------------------------------------------------------------------------------


def csv_safe(text: str) -> str:
    """OWASP: a cell starting with = + - @ tab or CR is prefixed with a single quote."""
    return "'" + text if text and text[0] in FORMULA_TRIGGERS else text


def _csv_converter(kind: str):
    if kind == TEXT:
        return lambda v: "" if v is None else csv_safe(v if type(v) is str else str(v))
    if kind == DATE:
        return lambda v: "" if v is None else v.isoformat()
    if kind == PERCENT:
        return lambda v: "" if v is None else f"{Decimal(str(v)) * 100:f}%"
    return lambda v: "" if v is None else str(v)


def csv_chunks(export: Export, chunk_rows: int = 2000) -> Iterator[bytes]:
    """The CSV as UTF-8 (BOM first) in chunks of ``chunk_rows`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_safe(h) for h in export.csv_headers()])
    # The csv module writes None as "" and a date as its ISO form; numbers need nothing either.
    # Only text (formula escaping) and percentages are converted, column by column.
    text_cols = [i for i, c in enumerate(export.columns) if c.kind == TEXT]
    percent_cols = [i for i, c in enumerate(export.columns) if c.kind == PERCENT]
    to_percent = _csv_converter(PERCENT)
    pending = 0
    writerow = writer.writerow
    for values in export.rows:
        row = list(values)
        for i in text_cols:
            v = row[i]
            if type(v) is str:
                if v and v[0] in FORMULA_TRIGGERS:
                    row[i] = "'" + v
            elif v is not None:
                row[i] = csv_safe(str(v))
        for i in percent_cols:
            row[i] = to_percent(row[i])
        writerow(row)
        pending += 1
        if pending == chunk_rows:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    rest = buffer.getvalue()
    if rest:
        yield rest.encode("utf-8")


def sql_text(expression: str) -> str:
    """SQL twin of :func:`csv_safe` for the COPY path: a quote before = + - @ tab or CR."""
    return (
        # ascii() reads the first character's code without building a new text value (left() does)
        f"CASE WHEN ascii({expression}) IN (61, 43, 45, 64, 9, 13)"
        f" THEN '''' || {expression} ELSE {expression} END"
    )


def sql_literal(text: str) -> str:
    if "%" in text:
        raise ValueError("no % in SQL literals here: the statement still has %s placeholders")
    return "'" + text.replace("'", "''") + "'"


def copy_csv_chunks(export: Export, using: str = "default") -> Iterator[bytes]:
    """PostgreSQL: the header row from Python, the data straight from ``COPY (…) TO STDOUT (FORMAT
    csv)`` — the server formats the CSV, Python only forwards its buffers (rows end with LF)."""
    from django.db import connections

    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\n").writerow([csv_safe(h) for h in export.csv_headers()])
    yield buffer.getvalue().encode("utf-8")
    sql, params = export.copy_sql
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with (
        connections[using].cursor() as cursor,
        _export_settings(cursor),
        cursor.cursor.copy(statement, params) as copy,
    ):
        try:
            # libpq hands COPY data over a row at a time; forwarding ~64 KB blocks instead of a
            # million small ones saves most of this process's CPU time (the server's is the bottleneck)
            yield from _blocks(copy)
        finally:
            for _data in copy:  # the client went away: read the rest so the connection stays usable
                pass


COPY_BLOCK_BYTES = 64 * 1024

#: Default collations whose order is Unicode code point order, i.e. for UTF-8 text the byte order of
#: collation "C": sorting with COLLATE "C" there gives the very same order, but much faster.
CODEPOINT_COLLATIONS = frozenset({"c", "posix", "c.utf-8", "c.utf8"})
_codepoint_order: dict[str, bool] = {}


def sorts_by_codepoint(using: str = "default") -> bool:
    """PostgreSQL: whether the database's default collation orders text by code point (C, POSIX,
    C.UTF-8). Then a text sort may say ``COLLATE "C"`` without changing the order: PostgreSQL sorts
    with abbreviated keys and memcmp() instead of calling strcoll() per comparison (for a
    million names ≈ 3× faster; PostgreSQL does not treat C.UTF-8 as C by itself)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    key = f"{connection.settings_dict.get('HOST')}:{connection.settings_dict.get('PORT')}/{connection.settings_dict.get('NAME')}"
    if key not in _codepoint_order:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            row = cursor.fetchone()
        _codepoint_order[key] = bool(row) and str(row[0]).lower() in CODEPOINT_COLLATIONS
    return _codepoint_order[key]


@contextmanager
def _export_settings(cursor):
    """For one big export query: sort in memory (work_mem; the default 4 MB spills a million-row sort
    to disk) and no JIT (its compile time is pure overhead for a single scan). Reset afterwards, as
    the connection is reused by later requests."""
    cursor.execute("SET work_mem = '256MB'")
    cursor.execute("SET jit = off")
    try:
        yield
    finally:
        cursor.execute("RESET work_mem")
        cursor.execute("RESET jit")


_COPY_ESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_COPY_ESCAPE = re.compile(r"\\(.)")


def _copy_unescape(field: str) -> str:
    return _COPY_ESCAPE.sub(lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), field)


def _blocks(copy, size: int = COPY_BLOCK_BYTES) -> Iterator[bytes]:
    """COPY's data (a row at a time from libpq) joined into blocks of about ``size`` bytes."""
    block: list = []
    length = 0
    for data in copy:
        block.append(data)
        length += len(data)
        if length >= size:
            yield b"".join(block)
            block.clear()
            length = 0
    if block:
        yield b"".join(block)


def copy_rows(sql: str, params: Sequence, using: str = "default") -> Iterator[list[str]]:
    """PostgreSQL: the rows of ``COPY (sql) TO STDOUT`` (text format, NULL as an empty string), each
    a list of strings — numbers in their text form, no per-value type conversion in Python. The
    server produces rows while Python writes the previous ones (a server-side cursor would make
    each stop and wait for the other). For the .xlsx writer, whose numeric cells take the text as is.
    """
    from django.db import connections

    statement = f"COPY ({sql}) TO STDOUT WITH (NULL '')"
    with (
        connections[using].cursor() as cursor,
        _export_settings(cursor),
        cursor.cursor.copy(statement, params) as copy,
    ):
        rest = b""
        try:
            # libpq hands over a row at a time: gather ~64 KB, then decode and split in one go
            for data in _blocks(copy):
                block = rest + data
                end = block.rfind(b"\n")
                if end < 0:
                    rest = block
                    continue
                rest = block[end + 1 :]
                for line in block[:end].decode("utf-8").split("\n"):
                    fields = line.split("\t")
                    if "\\" in line:
                        fields = [_copy_unescape(f) if "\\" in f else f for f in fields]
                    yield fields
        finally:
            for _data in copy:  # stopped early (a cut result): read the rest so the connection is usable
                pass


def csv_response(export: Export, using: str = "default") -> StreamingHttpResponse:
    from django.db import connections

    if export.copy_sql is not None and connections[using].vendor == "postgresql":
        chunks = copy_csv_chunks(export, using)
    else:
        chunks = csv_chunks(export)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(export.filename("csv"))
    response["X-Export-Description"] = quote(description(export))
    return response


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


__all__ = [
    "DATE",
    "FORMULA_TRIGGERS",
    "INTEGER",
    "MONEY",
    "PERCENT",
    "PERSONS",
    "TEXT",
    "XLSX_MAX_ROWS",
    "Column",
    "Export",
    "ExportResult",
    "copy_csv_chunks",
    "copy_rows",
    "csv_chunks",
    "csv_response",
    "csv_safe",
    "description",
    "sorts_by_codepoint",
    "sql_text",
    "write_xlsx",
    "xlsx_response",
]
