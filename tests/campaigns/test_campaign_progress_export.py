"""进度导出: the .xlsx of a campaign's progress holds a row per county, the city subtotals and the total."""

import io

import pytest
from python_calamine import CalamineWorkbook

from tests.factories import OrganisationFactory, campaign_make, province_admin, region

pytestmark = pytest.mark.django_db


def test_the_export_has_the_county_rows(client):
    admin = province_admin()
    orgs = [OrganisationFactory(county=region("610113")), OrganisationFactory(county=region("610302"))]
    campaign = campaign_make(
        actor=admin, organisations=orgs, states={orgs[0]: "accepted"}, title="进度导出测试"
    )
    client.force_login(admin)
    response = client.get(f"/campaigns/{campaign.pk}/progress.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("填报进度").to_python()
    assert rows[1][:7] == ["地区", "任务数", "待填报", "已提交", "已通过", "已退回", "逾期"]
    by_name = {r[0]: r for r in rows[2:]}
    assert by_name["雁塔区"][1:5] == [1, 0, 0, 1]
    assert by_name["渭滨区"][1:3] == [1, 1]
    assert "西安市（小计）" in by_name and "合计" in by_name
    assert by_name["雁塔区"][11] == 1  # 完成率 100%
