"""Reading spreadsheet files (.xlsx, .xls, .ods, .csv) into plain rows of cell values.

The file type is decided by the file's CONTENT (magic bytes), the extension being only a hint, so
a renamed .exe or a password-protected workbook gets a clear Chinese message instead of a crash.
Cells are returned as python-calamine gives them (str/float/int/bool/date/datetime; '' for an empty
cell); CSV cells are strings. Row ``i`` of ``Sheet.rows`` is Excel row ``i + 1`` and column ``j`` is
column ``j`` counted from A, so positions can be reported to the user as they see them in Excel.

``read_workbook(…, stream=True)`` (the import pipeline) keeps only the first ``PREVIEW_ROWS`` rows
of each sheet as Python lists — what recognising the header needs — and ``Sheet.iter_rows()`` then
yields every row once more, one at a time, from calamine's compact copy of the sheet (or the
decoded CSV text): a 10^6-row sheet is never held as 6·10^6 Python cells.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

DEFAULT_MAX_BYTES = 100 * 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

MSG_NOT_SPREADSHEET = "文件不是可识别的电子表格（.xlsx/.xls/.ods/.csv），请检查文件后重新上传"
MSG_EXECUTABLE = "文件是可执行程序而不是电子表格（.xlsx/.xls/.ods/.csv），请选择正确的文件"
MSG_CORRUPT = "文件已损坏或不完整，无法读取；请在 Excel/WPS 中打开确认后重新保存再上传"
MSG_PROTECTED = "文件设有密码保护，无法读取；请在 Excel/WPS 中取消密码后重新保存再上传"
MSG_ENCODING = "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"
MSG_EMPTY = "文件中没有数据"
MSG_HTML = "文件实际是网页（HTML）格式，只是扩展名为 .xls；请在 Excel/WPS 中打开后另存为 .xlsx 再上传"
MSG_XML = "文件是 XML 格式（如“XML 电子表格 2003”）；请在 Excel/WPS 中打开后另存为 .xlsx 再上传"


class ImportFileError(Exception):
    """The file cannot be read at all; ``message`` says why, in Chinese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


#: Rows of a streamed sheet held as Python lists: title rows, the header (within the first 15 rows)
#: and the unit rows under it, with room to spare.
PREVIEW_ROWS = 200


@dataclass
class Sheet:
    """One sheet: ``rows[i][j]`` is the cell at Excel row i+1, column j+1 ('' when empty).

    ``merged`` lists merged ranges as 0-based inclusive (first_row, first_col, last_row, last_col),
    or is None when the format does not expose them (ods, csv).

    A streamed sheet (``read_workbook(stream=True)``) holds only its first rows in ``rows``;
    ``source()`` yields all of them again, from row 1, and ``height`` is its number of rows when
    known. ``iter_rows()`` is every row either way."""

    name: str
    rows: list[list] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] | None = None
    source: Callable[[], Iterator[list]] | None = field(default=None, repr=False, compare=False)
    height: int | None = None

    def iter_rows(self) -> Iterator[list]:
        """Every row of the sheet, from Excel row 1 (one at a time for a streamed sheet)."""
        return self.source() if self.source is not None else iter(self.rows)

    @property
    def row_count(self) -> int | None:
        """The number of rows; None when a streamed sheet does not know it (CSV)."""
        return len(self.rows) if self.source is None else self.height

    @property
    def is_empty(self) -> bool:
        if any(_filled(v) for row in self.rows for v in row):
            return False
        if self.source is None or (self.height is not None and self.height <= len(self.rows)):
            return True
        rest = itertools.islice(self.source(), len(self.rows), None)
        return not any(_filled(v) for row in rest for v in row)


@dataclass
class Workbook:
    filename: str
    kind: str  # "xlsx" | "xls" | "ods" | "csv"
    sheets: list[Sheet] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def max_import_bytes() -> int:
    """``settings.SMEPLAN_IMPORT_MAX_BYTES`` when Django is configured, else 100 MB."""
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, "SMEPLAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ImportError:  # pragma: no cover - Django is always installed here
        pass
    return DEFAULT_MAX_BYTES


def _mb(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def check_size(size: int, max_bytes: int | None = None) -> None:
    """Refuse (ImportFileError) an empty file or one over ``max_bytes`` (default: the setting)."""
    limit = max_import_bytes() if max_bytes is None else max_bytes
    if size > limit:
        raise ImportFileError(f"文件过大（{_mb(size)} MB），上限为 {_mb(limit)} MB")
    if size == 0:
        raise ImportFileError(MSG_EMPTY)


def detect_kind(head: bytes, filename: str = "", source: bytes | str | os.PathLike | None = None) -> str:
    """Return "xlsx", "xls", "ods" or "csv" from the content; raise ImportFileError otherwise.

    ``head`` is the start of the file (a few KB); ``source`` (bytes or path) is needed to look
    inside zip and OLE2 containers."""
    ext = Path(filename).suffix.lower()
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return _zip_kind(source if source is not None else head)
    if head.startswith(OLE2_MAGIC):
        data = source if isinstance(source, bytes) else _read_all(source) if source is not None else head
        if ENCRYPTED_PACKAGE in data:
            raise ImportFileError(MSG_PROTECTED)
        return "xls"
    if head.startswith(b"MZ"):
        raise ImportFileError(MSG_EXECUTABLE)
    if _looks_like_text(head):
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
        if start.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in start:
            raise ImportFileError(MSG_HTML)
        if start.startswith(b"<?xml"):
            raise ImportFileError(MSG_XML)
        return "csv"
    if ext in (".csv", ".txt") and b"\x00" not in head:
        raise ImportFileError(MSG_ENCODING)
    raise ImportFileError(MSG_NOT_SPREADSHEET)


def _read_all(source) -> bytes:
    with open(source, "rb") as fh:
        return fh.read()


def _zip_kind(source) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFileError(MSG_CORRUPT) from exc
    with zf:
        names = set(zf.namelist())
        if "mimetype" in names and zf.read("mimetype").strip().startswith(ODS_MIMETYPE):
            return "ods"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            raise ImportFileError("文件是 Word 文档而不是电子表格，请上传 .xlsx/.xls/.ods/.csv 文件")
    raise ImportFileError(MSG_NOT_SPREADSHEET)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with BOM ("Unicode 文本" from Excel)
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls == 0


def decode_text(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (⊇ GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(MSG_ENCODING) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(MSG_ENCODING)


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", "\t", ";")}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


#: What a spreadsheet would read as a formula; exports guard such text with a leading quote (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _unguard(cell: str) -> str:
    """Undo the CSV formula guard: "'=abc" (as our exports and Excel's own habit write it) → "=abc"."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_TRIGGERS:
        return cell[1:]
    return cell


def _csv_text(data: bytes) -> str:
    text = decode_text(data)
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:65536]):
        raise ImportFileError(MSG_NOT_SPREADSHEET)
    return text


def _csv_iter(text: str, delimiter: str) -> Iterator[list]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield [_unguard(cell) for cell in row]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 文件格式有误：{exc}") from exc


def _csv_rows(data: bytes) -> list[list]:
    text = _csv_text(data)
    return list(_csv_iter(text, _sniff_delimiter(text)))


def _open_calamine(source) -> pc.CalamineWorkbook:
    try:
        if isinstance(source, bytes):
            return pc.CalamineWorkbook.from_filelike(io.BytesIO(source))
        return pc.CalamineWorkbook.from_path(os.fspath(source))
    except pc.PasswordError as exc:
        raise ImportFileError(MSG_PROTECTED) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise ImportFileError(MSG_CORRUPT) from exc


def _sheet_rows(cal_sheet: pc.CalamineSheet, nrows: int | None = None) -> list[list]:
    # skip_empty_area=False keeps row/column 0 at A1, so positions match what the user sees.
    return cal_sheet.to_python(skip_empty_area=False, nrows=nrows)


def _merged(cal_sheet: pc.CalamineSheet) -> list[tuple[int, int, int, int]] | None:
    ranges = cal_sheet.merged_cell_ranges
    if ranges is None:
        return None
    return [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges]


def _prepare(source: bytes | str | os.PathLike, max_bytes: int | None) -> tuple[bytes | str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        check_size(len(data), max_bytes)
        return data, data[:8192]
    path = os.fspath(source)
    try:
        size = os.path.getsize(path)
        check_size(size, max_bytes)
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        raise ImportFileError(f"无法打开文件：{exc.strerror or exc}") from exc
    return path, head


def read_workbook(
    source: bytes | str | os.PathLike,
    filename: str = "",
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    stream: bool = False,
) -> Workbook:
    """Read every sheet of a spreadsheet file (bytes or a path) into memory — or only its first
    ``max_rows`` rows per sheet (a preview to ``understand``, then stream with ``iter_sheet_rows``).
    With ``stream``, each sheet holds its first ``max_rows`` (default ``PREVIEW_ROWS``) rows and
    streams all of them with ``Sheet.iter_rows()``.

    Raises ImportFileError (with a Chinese ``message``) when the file is too large, not a
    spreadsheet, corrupt, password-protected, in an unknown encoding, or has no data at all."""
    src, head = _prepare(source, max_bytes)
    filename = filename or (os.path.basename(src) if isinstance(src, str) else "")
    kind = detect_kind(head, filename, src)
    if stream and not max_rows:
        max_rows = PREVIEW_ROWS
    if kind == "csv":
        data = src if isinstance(src, bytes) else _read_all(src)
        name = Path(filename).stem or "Sheet1"
        if stream:
            text = _csv_text(data)
            del data
            rows = functools.partial(_csv_iter, text, _sniff_delimiter(text))
            preview = list(itertools.islice(rows(), max_rows))
            workbook = Workbook(filename, kind, [Sheet(name, preview, None, source=rows)])
        else:
            rows = _csv_rows(data)
            workbook = Workbook(filename, kind, [Sheet(name, rows[:max_rows] if max_rows else rows, None)])
    else:
        workbook = Workbook(filename, kind, [])
        with _open_calamine(src) as book:
            for meta in book.sheets_metadata:
                if meta.typ != pc.SheetTypeEnum.WorkSheet:
                    continue
                try:
                    cal_sheet = book.get_sheet_by_name(meta.name)
                    sheet = Sheet(meta.name, _sheet_rows(cal_sheet, max_rows), _merged(cal_sheet))
                except pc.PasswordError as exc:
                    raise ImportFileError(MSG_PROTECTED) from exc
                except pc.CalamineError as exc:
                    raise ImportFileError(MSG_CORRUPT) from exc
                if stream:  # the sheet's cells stay in calamine's copy (it outlives the book)
                    sheet.source = functools.partial(_calamine_rows, cal_sheet)
                    end = cal_sheet.end
                    sheet.height = end[0] + 1 if end is not None else 0
                workbook.sheets.append(sheet)
    if all(sheet.is_empty for sheet in workbook.sheets):
        raise ImportFileError(MSG_EMPTY)
    return workbook


def _calamine_rows(cal_sheet: pc.CalamineSheet) -> Iterator[list]:
    """The rows of a calamine sheet one at a time, row 0 and column 0 at A1."""
    start = cal_sheet.start
    if start is None:
        return
    first_row, first_col = start
    width = cal_sheet.width
    # iter_rows starts at the first used column; pad so index 0 is column A again.
    pad = [""] * first_col
    for index, row in enumerate(cal_sheet.iter_rows()):
        if index < first_row and not any(_filled(v) for v in row):
            yield [""] * (first_col + width)
            continue
        yield pad + row if first_col else row


def iter_sheet_rows(
    source: bytes | str | os.PathLike,
    filename: str = "",
    sheet: str | int = 0,
    *,
    max_bytes: int | None = None,
) -> Iterator[list]:
    """Yield the rows of one sheet one at a time (Excel row 1 first, column A first), so a caller
    handling 10^6 rows never holds the Python cells of the whole sheet at once."""
    src, head = _prepare(source, max_bytes)
    kind = detect_kind(head, filename, src)
    if kind == "csv":
        data = src if isinstance(src, bytes) else _read_all(src)
        yield from _csv_rows(data)
        return
    with _open_calamine(src) as book:
        try:
            cal_sheet = (
                book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
            )
        except pc.WorksheetNotFound as exc:
            raise ImportFileError(f"文件中没有名为“{sheet}”的工作表") from exc
        except (pc.CalamineError, IndexError) as exc:
            raise ImportFileError(MSG_CORRUPT) from exc
        yield from _calamine_rows(cal_sheet)
