"""A county officer loads the bureau's enterprise list in the browser: picks 企业名录, sees how each
column was understood and the rename it would record, confirms, and undoes it again."""

import pytest

from smeplan.registry.models import Organisation, OrganisationNameChange
from tests.exchange.bureau_sheets import code, registry_xlsx
from tests.factories import OrganisationFactory, county_officer, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = ["统一社会信用代码", "企业名称", "所属区县代码", "国民经济行业代码", "成立年份", "联系电话"]


def test_a_bureau_list_in_the_browser(live_server, page, tmp_path):
    officer = county_officer("610113", username="county_610113")
    org = OrganisationFactory(county=region("610113"), name="西安秦川精密机床有限公司", industry_id="3311")
    path = tmp_path / "雁塔区企业名录.xlsx"
    rows = [
        [org.credit_code, "西安秦川精密机床集团有限公司", "610113", "C3421", 2008, "029-85550000"],
        [code("610113", 91), "雁塔新材料有限公司", "610113", "2641", 2019, "029-88886666"],
    ]
    path.write_bytes(registry_xlsx(HEADER, rows))

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "pw-test-123")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/imports/new/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_kind", "organisations")
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#mapping")

    assert "企业名录（基本信息）" in page.locator("#batch-kind").inner_text()
    mapping = page.locator("#mapping").inner_text()
    assert "识别为“行业代码”" in mapping and "识别为“成立日期”" in mapping
    assert (
        "名称将由“西安秦川精密机床有限公司”改为“西安秦川精密机床集团有限公司”"
        in page.locator("#issues").inner_text()
    )

    page.check("#commit-form input[name=confirm_warnings]")
    page.click("#commit-form button[type=submit]")
    page.wait_for_selector("#undo-form")
    org.refresh_from_db()
    assert org.name == "西安秦川精密机床集团有限公司" and org.industry_id == "3421"
    assert Organisation.objects.filter(credit_code=code("610113", 91)).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#undo-form button[type=submit]")
    page.wait_for_selector("text=已撤销导入")
    org.refresh_from_db()
    assert org.name == "西安秦川精密机床有限公司" and org.industry_id == "3311"
    assert not OrganisationNameChange.objects.exists()
    assert not Organisation.objects.filter(credit_code=code("610113", 91)).exists()
    assert not page.console_errors
