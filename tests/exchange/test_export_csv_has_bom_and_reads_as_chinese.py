"""The .csv starts with a UTF-8 BOM (Excel on Chinese Windows then reads it as UTF-8), holds the
header row and the data only, and its Chinese text is representable in GB18030."""

import csv
import io
from decimal import Decimal

from smeplan.exchange.export import MONEY, Column, Export, csv_chunks


class Actor:
    region_id = None
    organisation_id = None

    def __str__(self):
        return "测试员"


def test_bom_header_and_rows():
    export = Export(
        title="企业名录",
        actor=Actor(),
        columns=[Column("名称"), Column("区县"), Column("营业收入", MONEY)],
        rows=[("雁塔精密机械有限公司", "雁塔区", Decimal("1234.50")), ("未填公司", "雁塔区", None)],
    )
    data = b"".join(csv_chunks(export, chunk_rows=1))

    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    text.encode("gb18030")  # every character exists in GB18030 (what Excel on Chinese Windows uses)
    assert list(csv.reader(io.StringIO(text))) == [
        ["名称", "区县", "营业收入（万元）"],
        ["雁塔精密机械有限公司", "雁塔区", "1234.50"],
        ["未填公司", "雁塔区", ""],
    ]


def test_wide_headers_fold_the_year_into_one_row():
    export = Export(
        title="宽表",
        actor=Actor(),
        columns=[Column("企业名称"), Column("营业收入", MONEY), Column("营业收入", MONEY)],
        groups=[("", 1), ("2023年", 1), ("2024年", 1)],
        rows=[],
    )
    assert b"".join(csv_chunks(export)).decode("utf-8-sig") == (
        "企业名称,2023年营业收入（万元）,2024年营业收入（万元）\r\n"
    )
