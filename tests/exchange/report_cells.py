"""Reading an .xlsx back cell by cell from its XML (values, formulas, fill colours), for the error
report tests: openpyxl is not a dependency of the project, and calamine does not give styles."""

import io
import zipfile
from xml.etree import ElementTree

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def _parse(xml: bytes):
    return ElementTree.fromstring(xml)  # noqa: S314 - files the tests themselves just wrote


REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class Cell:
    def __init__(self, ref, value, kind, formula, fill, quote_prefix, num_format_id):
        self.ref = ref
        self.value = value
        self.kind = kind  # the t attribute: "inlineStr", "s", "b", None for numbers
        self.formula = formula
        self.fill = fill  # "FFFFC7CE" or None
        self.quote_prefix = quote_prefix
        self.num_format_id = num_format_id

    def __repr__(self):
        return f"Cell({self.ref}={self.value!r}, fill={self.fill})"


def read_cells(data: bytes) -> dict[str, dict[str, Cell]]:
    """Sheet name (in workbook order) → cell reference ("C4") → Cell."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = _parse(archive.read("xl/styles.xml"))
        fills = []
        for fill in styles.find("m:fills", NS):
            colour = fill.find("m:patternFill/m:fgColor", NS)
            fills.append(colour.get("rgb") if colour is not None else None)
        xfs = [
            (fills[int(xf.get("fillId", 0))], xf.get("quotePrefix") == "1", int(xf.get("numFmtId", 0)))
            for xf in styles.find("m:cellXfs", NS)
        ]
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            for si in _parse(archive.read("xl/sharedStrings.xml")):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
        rels = _parse(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        book = _parse(archive.read("xl/workbook.xml"))
        result = {}
        for sheet in book.find("m:sheets", NS):
            target = targets[sheet.get(REL)]
            path = target[1:] if target.startswith("/") else f"xl/{target}"
            xml = _parse(archive.read(path))
            cells = {}
            for c in xml.iter(f"{{{NS['m']}}}c"):
                kind = c.get("t")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif kind == "s":
                    value = shared[int(c.find("m:v", NS).text)]
                else:
                    v = c.find("m:v", NS)
                    value = None if v is None else v.text
                formula = c.find("m:f", NS)
                fill, quote, num_format = xfs[int(c.get("s", 0))]
                cells[c.get("r")] = Cell(
                    c.get("r"),
                    value,
                    kind,
                    None if formula is None else formula.text,
                    fill,
                    quote,
                    num_format,
                )
            result[sheet.get("name")] = cells
        return result


def sheet_xml(data: bytes, index: int) -> str:
    """The XML of the index-th sheet (1-based, in workbook order, as XlsxWriter names them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()
