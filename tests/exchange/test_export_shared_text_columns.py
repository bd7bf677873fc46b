"""A column marked ``shared`` (county, industry, labels) is written to the .xlsx shared string table,
each value once; the cells read back as the same text, a formula-like value keeps the quote prefix,
and a value that XlsxWriter would take for rich text ("<r>…") stays an escaped inline string."""

import io
import zipfile

from python_calamine import CalamineWorkbook

from smeplan.exchange.export import Column, Export, write_xlsx
from tests.exchange.report_cells import read_cells

VALUES = ["雁塔区", "未央区", "雁塔区", "=SUM(A1)", "<r>粗体</r>", "A&B", "雁塔区", None]


class Actor:
    region_id = None
    organisation_id = None

    def __str__(self):
        return "测试员"


def _export() -> bytes:
    export = Export(
        title="共享",
        actor=Actor(),
        columns=[Column("名称"), Column("区县", shared=True)],
        rows=[(f"企业{i}", value) for i, value in enumerate(VALUES)],
    )
    buffer = io.BytesIO()
    write_xlsx(export, buffer)
    return buffer.getvalue()


def test_shared_column_reads_back_as_the_same_text():
    data = _export()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("数据").to_python()

    assert [row[1] for row in rows[2:]] == [v or "" for v in VALUES]


def test_each_value_is_stored_once_and_odd_ones_stay_inline():
    data = _export()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    cells = read_cells(data)["数据"]

    assert strings.count("雁塔区") == 1 and strings.count("未央区") == 1
    assert [cells[f"B{r}"].kind for r in (3, 4, 5)] == ["s", "s", "s"]
    assert cells["B6"].kind == "s" and cells["B6"].quote_prefix and cells["B6"].formula is None
    assert cells["B7"].kind == "inlineStr" and cells["B7"].value == "<r>粗体</r>"
    assert "<r>" not in strings
