"""Every entry of the header synonym list (``exchange/data/header_synonyms.csv``) is recognised in a
real file: a sheet with a title row and that header, read through the import pipeline
(``pipeline.parse_file``), puts the cell's value where the entry says."""

import datetime as dt
from decimal import Decimal

import pytest

from smeplan.exchange.pipeline import parse_file
from smeplan.exchange.synonyms import ATTRIBUTE_TARGETS, synonym_rows
from smeplan.indicators.models import FIGURE_NAMES
from tests.exchange.bureau_sheets import code, simple_xlsx

pytestmark = pytest.mark.django_db

CODE = code("610113", 1)
STANDARD = {
    "credit_code": ("统一社会信用代码", CODE),
    "name": ("企业名称", "雁塔精密机械有限公司"),
    "county": ("所属区县", "雁塔区"),
    "year": ("年度", 2024),
}
#: (cell as typed, what the pipeline hands over) per registry attribute
ATTRIBUTE_CELLS = {
    "industry": ("C3411", "C3411"),
    "founded_on": (dt.date(2015, 6, 30), dt.date(2015, 6, 30)),
    "ownership_type": ("有限责任公司", "有限责任公司"),
    "registered_capital": (500, Decimal("500.00")),
    "address": ("西安市雁塔区科技路 1 号", "西安市雁塔区科技路 1 号"),
    "contact_person": ("张三", "张三"),
    "contact_phone": ("029-88886666", "029-88886666"),
}


def _file(target: str, header: str) -> tuple[bytes, object]:
    """A sheet whose column for ``target`` is headed ``header``; the other columns are the
    standard ones the file needs, and the value expected for ``target``."""
    if target in STANDARD:
        columns = dict(STANDARD)
        cell = expected = STANDARD[target][1]
        if target == "county" and "代码" in header:
            cell = expected = "610113"
        columns[target] = (header, cell)
        columns["operating_revenue"] = ("营业收入（万元）", 1234.5)
    elif target in FIGURE_NAMES:
        columns = {k: STANDARD[k] for k in ("credit_code", "name", "year")}
        cell = 120 if target == "employees" else 1234.5
        expected = 120 if target == "employees" else Decimal("1234.50")
        columns[target] = (header, cell)
    else:
        columns = {k: STANDARD[k] for k in ("credit_code", "name", "county")}
        cell, expected = ATTRIBUTE_CELLS[target]
        columns[target] = (header, cell)
    headers = [h for h, _ in columns.values()]
    row = [v for _, v in columns.values()]
    return simple_xlsx(headers, [row]), expected


def _value(record, target):
    if target in STANDARD:
        return getattr(record, target)
    if target in FIGURE_NAMES:
        return record.values[target]
    return record.attributes[target]


@pytest.mark.parametrize(("target", "header"), synonym_rows(), ids=[f"{t}:{h}" for t, h in synonym_rows()])
def test_synonym_is_read_into_its_field(target, header):
    data, expected = _file(target, header)

    parsed = parse_file(data, "企业数据.xlsx")

    assert not [i for i in parsed.issues if i.level == "error"], parsed.issues
    (layout,) = parsed.layouts
    column = next(c for c in layout.columns if c.header == header)
    assert column.target == target
    (record,) = parsed.records
    assert _value(record, target) == expected
    if target in ATTRIBUTE_TARGETS:
        assert parsed.kind == "organisations"  # registry columns: read as 企业名录 unless told otherwise


def test_the_issue_synonyms_are_in_the_list():
    rows = set(synonym_rows())
    for target, header in [
        ("employees", "从业人员数"),
        ("employees", "从业人数"),
        ("employees", "年末从业人员"),
        ("county", "所属区县代码"),
        ("county", "区县代码"),
        ("industry", "行业代码"),
        ("industry", "国民经济行业代码"),
        ("founded_on", "成立日期"),
        ("founded_on", "成立年份"),
        ("founded_on", "注册日期"),
    ]:
        assert (target, header) in rows
