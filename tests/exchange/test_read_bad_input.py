"""Files that cannot be read get one clear Chinese message (ImportFileError), never a crash."""

import io
import os
import zipfile

import pytest

from smeplan.exchange.reading import ImportFileError, iter_sheet_rows, read_workbook
from tests.exchange.fixtures.sheets import CODE_A, xlsx_bytes

GOOD = xlsx_bytes({"S": [["统一社会信用代码", "营业收入"], [CODE_A, 1.0]]})


def message(data, filename="a.xlsx", **kwargs) -> str:
    with pytest.raises(ImportFileError) as info:
        read_workbook(data, filename, **kwargs)
    return info.value.message


def test_truncated_xlsx():
    assert "损坏或不完整" in message(GOOD[: len(GOOD) // 2])


def test_zip_that_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert "不是可识别的电子表格（.xlsx/.xls/.ods/.csv）" in message(buffer.getvalue())


def test_word_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w/>")
    assert "Word 文档" in message(buffer.getvalue(), "a.docx")


def test_random_bytes():
    data = bytes(range(256)) * 8 + os.urandom(1024)
    assert "不是可识别的电子表格" in message(data)


def test_renamed_exe():
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    assert "可执行程序" in message(data, "报表.xlsx")


def test_encrypted_xlsx_is_password_protected():
    # An encrypted .xlsx is an OLE2 compound file holding an "EncryptedPackage" stream.
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 200
    )
    assert "密码保护" in message(data, "a.xlsx")


def test_corrupt_ole2():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "损坏或不完整" in message(data, "a.xls")


def test_too_large():
    assert message(GOOD, max_bytes=1000).startswith("文件过大")
    big = b"x" * (3 * 1024 * 1024)
    assert message(big, "a.csv", max_bytes=2 * 1024 * 1024) == "文件过大（3 MB），上限为 2 MB"


def test_size_limit_from_settings(settings):
    settings.SMEPLAN_IMPORT_MAX_BYTES = 1024 * 1024
    assert message(b"a,b\n" * 300_000, "a.csv") == "文件过大（1.1 MB），上限为 1 MB"


def test_too_large_path_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 1000)
    with pytest.raises(ImportFileError, match="文件过大"):
        list(iter_sheet_rows(path, "big.csv", max_bytes=100))


def test_empty_file():
    assert message(b"", "a.csv") == "文件中没有数据"


def test_workbook_with_only_empty_sheets():
    assert message(xlsx_bytes({"Sheet1": [], "Sheet2": [[None, ""]]})) == "文件中没有数据"


def test_blank_csv():
    assert message(b"\r\n ,, \r\n", "a.csv") == "文件中没有数据"


def test_csv_in_unknown_encoding():
    data = "统一社会信用代码,名称\n".encode() + "x,Café Müller\n".encode("latin-1")
    assert message(data, "a.csv") == "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"


def test_missing_path(tmp_path):
    assert "无法打开文件" in message(tmp_path / "nope.xlsx")


def test_html_saved_as_xls():
    data = '<html><head><meta charset="utf-8"></head><body><table><tr><td>统一社会信用代码</td></tr></table>'
    assert "网页（HTML）" in message(data.encode(), "导出.xls")


def test_xml_spreadsheet_2003():
    data = (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    assert "XML 格式" in message(data, "a.xls")
