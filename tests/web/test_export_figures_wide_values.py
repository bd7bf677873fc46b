"""年度数据（宽表）: one row per enterprise of the filtered list (with or without figures), a group of
figure columns per year of the chosen range under a year header row."""

import io

import pytest
from python_calamine import CalamineWorkbook

from smeplan.indicators.models import FIGURE_FIELDS
from tests.factories import OrganisationFactory, region

N = len(FIGURE_FIELDS)


@pytest.mark.django_db
def test_wide_layout_values(client, admin_user, yanta_org):
    empty = OrganisationFactory(name="雁塔无数据公司", county=region("610113"))
    client.force_login(admin_user)

    response = client.get(
        "/organisations/figures-wide.xlsx", {"county": "610113", "year_from": "2022", "year_to": "2024"}
    )

    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("年度数据").to_python()
    assert "年度：2022–2024" in rows[0][0]
    groups, header, data = rows[1], rows[2], rows[3:]
    assert groups[:7] == [
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "市级单位",
        "行业代码",
        "行业名称",
        "2022年",
    ]
    assert groups[6 + N] == "2023年" and groups[6 + 2 * N] == "2024年"
    assert header[6:8] == ["营业收入（万元）", "主营业务收入（万元）"]
    by_name = {r[1]: r for r in data}
    assert set(by_name) == {yanta_org.name, empty.name}
    row = by_name[yanta_org.name]
    assert row[6 : 6 + N] == [""] * N  # 2022: no figures
    assert row[6 + N] == 4000.0 and row[6 + N + 2] == -50.0  # 2023 revenue, profit
    assert row[6 + 2 * N] == 5000.0 and row[6 + 2 * N + 2] == 300.0  # 2024
    assert by_name[empty.name][6:] == [""] * (3 * N)


@pytest.mark.django_db
def test_wide_csv_folds_years_into_the_header(client, admin_user, yanta_org):
    client.force_login(admin_user)

    response = client.get(
        "/organisations/figures-wide.csv", {"county": "610113", "year_from": "2023", "year_to": "2024"}
    )

    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[6] == "2023年营业收入（万元）" and header[6 + N] == "2024年营业收入（万元）"
    assert lines[1].split(",")[6] == "4000.00" and lines[1].split(",")[6 + N] == "5000.00"
