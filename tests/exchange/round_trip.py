"""Helpers of the round-trip tests: a file through the importer's own reading steps, and filling a
blank template the way a user typing into it in Excel would (rows added to its data sheet's XML,
the template's styles, merges and column formats kept)."""

import io
import re
import zipfile
from xml.sax.saxutils import escape

from xlsxwriter.utility import xl_col_to_name

from smeplan.exchange.reading import read_workbook
from smeplan.exchange.understanding import extract, understand_workbook


def extracted(data: bytes, file_name: str):
    """(records, issues) of every sheet the importer recognises in the file."""
    book = read_workbook(data, file_name)
    records, issues = [], []
    for layout in understand_workbook(book):
        result = extract(book.sheet(layout.sheet), layout)
        records.extend(result.records)
        issues.extend(result.issues)
    return records, issues


def _cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def fill_xlsx(
    template: bytes, rows: list[list], first_row: int, sheet_file: str = "xl/worksheets/sheet1.xml"
):
    """The template with ``rows`` typed in from Excel row ``first_row`` on (None: left empty; str:
    text, as typed into a text-formatted column; numbers: numbers)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == sheet_file:
                xml = content.decode()
                added = []
                for offset, values in enumerate(rows):
                    number = first_row + offset
                    cells = "".join(
                        _cell(f"{xl_col_to_name(c)}{number}", v)
                        for c, v in enumerate(values)
                        if v is not None
                    )
                    added.append(f'<row r="{number}">{cells}</row>')
                xml = xml.replace("</sheetData>", "".join(added) + "</sheetData>")
                last = first_row + len(rows) - 1
                xml = re.sub(
                    r'<dimension ref="([A-Z]+1):([A-Z]+)\d+"/>', rf'<dimension ref="\1:\g<2>{last}"/>', xml
                )
                content = xml.encode()
            target.writestr(item, content)
    return out.getvalue()
