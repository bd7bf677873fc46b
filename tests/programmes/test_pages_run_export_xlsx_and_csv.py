"""The result list of a run exported through the export engine: .xlsx with a title row naming the
tier, year, version, who ran it and when; .csv with the same rows; the outcome filter applies."""

import io
from urllib.parse import unquote

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import OrganisationFactory, county_officer, region, screening_run_make, tier_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    officer = county_officer("610113", username="yanta_officer")
    first = OrganisationFactory(name="甲精密机械有限公司", county=region("610113"))
    second = OrganisationFactory(name="乙软件有限公司", county=region("610113"))
    return officer, screening_run_make(
        tier=tier_of("transformation", "upgrade_library"),
        actor=officer,
        year=2024,
        results=[(first, "pass", "PP"), (second, "incomplete", "PI")],
    )


def test_xlsx_title_header_and_rows(client, run):
    officer, run = run
    client.force_login(officer)

    response = client.get(f"/programmes/runs/{run.pk}/results.xlsx")

    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("筛选结果").to_python()
    title = rows[0][0]
    assert "转型升级企业库2024年筛选结果（第1版条件）" in title
    assert "第 1 版（2017 年起生效）" in title and "yanta_officer" in title and "执行时间" in title
    header = rows[1]
    assert header[:7] == [
        "统一社会信用代码",
        "企业名称",
        "市级单位",
        "区县",
        "行业代码",
        "行业名称",
        "筛选结果",
    ]
    assert header[7] == "1. 中小企业（中型、小型或微型，不含大型）"
    data = {r[1]: r for r in rows[2:]}
    assert data["甲精密机械有限公司"][2:4] == ["西安市", "雁塔区"]
    assert data["甲精密机械有限公司"][6:9] == ["符合", "符合", "符合"]
    assert data["乙软件有限公司"][6:9] == ["数据不全", "符合", "数据不全"]


def test_csv_with_the_outcome_filter(client, run):
    officer, run = run
    client.force_login(officer)

    response = client.get(f"/programmes/runs/{run.pk}/results.csv?outcome=pass")

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "甲精密机械有限公司" in text and "乙软件有限公司" not in text
    assert "结果：符合" in unquote(response["X-Export-Description"])
