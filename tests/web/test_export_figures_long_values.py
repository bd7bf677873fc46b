"""年度数据（长表）: one row per enterprise-year of the filtered list, every figure column, 万元 and
persons as numbers, a missing figure empty (never 0)."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.indicators.models import FIGURE_FIELDS
from tests.factories import AnnualFiguresFactory, OrganisationFactory, region

FIGURE_HEADERS = [f"{label}（{unit}）" for _f, label, unit in FIGURE_FIELDS]


def rows_of(response, sheet="年度数据"):
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name(sheet).to_python()


@pytest.mark.django_db
def test_long_layout_values(client, admin_user, yanta_org):
    other = OrganisationFactory(name="雁塔无数据公司", county=region("610113"))  # no figures: no rows
    AnnualFiguresFactory(organisation=yanta_org, year=2021, operating_revenue=None, employees=7)
    client.force_login(admin_user)

    response = client.get("/organisations/figures-long.xlsx", {"county": "610113"})

    assert response.status_code == 200
    rows = rows_of(response)
    assert rows[0][0].startswith("年度数据（长表）｜导出人：sheng")
    assert "区县：雁塔区（610113）" in rows[0][0]
    header, data = rows[1], rows[2:]
    assert header == [
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "市级单位",
        "行业代码",
        "行业名称",
        "年度",
        *FIGURE_HEADERS,
    ]
    assert [(r[1], r[6]) for r in data] == [
        (yanta_org.name, 2021.0),
        (yanta_org.name, 2023.0),
        (yanta_org.name, 2024.0),
    ]
    first = dict(zip(header, data[0], strict=True))
    assert first["营业收入（万元）"] == "" and first["从业人员（人）"] == 7.0  # missing stays empty
    y2023 = dict(zip(header, data[1], strict=True))
    assert y2023["营业收入（万元）"] == 4000.0 and y2023["利润总额（万元）"] == -50.0
    assert y2023["统一社会信用代码"] == yanta_org.credit_code
    assert y2023["所属区县"] == "雁塔区" and y2023["市级单位"] == "西安市" and y2023["行业代码"] == "3311"
    assert other.name not in {r[1] for r in data}


@pytest.mark.django_db
def test_long_layout_year_range_and_csv(client, admin_user, yanta_org):
    client.force_login(admin_user)

    response = client.get("/organisations/figures-long.csv", {"county": "610113", "year_from": "2024"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith(
        "统一社会信用代码,企业名称,所属区县,市级单位,行业代码,行业名称,年度,营业收入（万元）"
    )
    assert len(lines) == 2 and lines[1].startswith(f"{yanta_org.credit_code},{yanta_org.name},雁塔区,西安市")
    assert ",2024,5000.00," in lines[1]
