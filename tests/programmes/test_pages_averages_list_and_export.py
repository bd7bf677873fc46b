"""同行业平均: the stored averages by year, metric and area (value in %, number of enterprises, the sums),
the recompute button for provincial admins only, and the .xlsx export through the export engine."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import county_officer, industry_average_make, province_admin, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    industry_average_make(group_code="33", value="0.112", count=12, numerator="11120", denominator="10000")
    industry_average_make(group_kind="section", group_code="C", value="0.05", count=300)
    industry_average_make(area=region("610100"), group_code="34", value="0.2", count=7)
    industry_average_make(metric="ratio.rd_ratio", group_code="33", value="0.031", count=12)
    industry_average_make(year=2023, group_code="33", value="0.5", count=9)


def test_the_list_shows_values_in_percent_with_counts_and_sums(client, stored):
    client.force_login(county_officer())

    body = client.get("/programmes/averages/?year=2024&metric=growth.operating_revenue").content.decode()

    table = body.split('id="averages"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("</tr>") if ">33<" in r and "陕西省" in r)
    assert "11.2%" in row and ">12<" in row and "11,120.00" in row and "10,000.00" in row
    assert "金属制品业" in row
    assert "研发强度" not in table and "50%" not in table  # other metric, other year


def test_the_area_filter(client, stored):
    client.force_login(county_officer())

    body = client.get("/programmes/averages/?year=2024&area=610100").content.decode()

    table = body.split('id="averages"', 1)[1].split("</table>", 1)[0]
    assert "西安市" in table and "20%" in table and "陕西省" not in table


def test_only_the_provincial_admin_gets_the_recompute_button(client, stored):
    officer = county_officer()
    client.force_login(officer)
    assert "compute-form" not in client.get("/programmes/averages/?year=2024").content.decode()
    assert client.post("/programmes/averages/compute/", {"year": "2024"}).status_code == 403

    client.force_login(province_admin())
    assert "compute-form" in client.get("/programmes/averages/?year=2024").content.decode()


def test_the_export(client, stored):
    client.force_login(county_officer(username="yanta_officer"))

    response = client.get("/programmes/averages/export.xlsx?year=2024&metric=growth.operating_revenue")

    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("同行业平均").to_python()
    assert "2024年同行业平均" in rows[0][0] and "yanta_officer" in rows[0][0] and "营业收入增速" in rows[0][0]
    assert rows[1][:7] == ["年度", "指标", "范围", "行业层级", "行业代码", "行业名称", "平均值（%）"]
    data = [r for r in rows[2:] if r[4] == "33"]
    assert len(data) == 1
    assert data[0][1:4] == ["营业收入增速", "陕西省", "大类"] and data[0][5] == "金属制品业"
    assert data[0][6] == pytest.approx(0.112) and data[0][7] == 12
    assert len(rows) == 2 + 3
