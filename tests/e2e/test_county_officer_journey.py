"""A county officer logs in, finds an enterprise by a Chinese name fragment, opens it, and cannot
open an enterprise of another county."""

import pytest

from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_county_officer_searches_opens_and_is_refused_elsewhere(live_server, page):
    officer = county_officer("610113", username="county_610113")
    mine = OrganisationFactory(county=region("610113"), name="西安秦川精密机床有限公司")
    OrganisationFactory(county=region("610113"), name="雁塔鼎盛商贸有限公司")
    AnnualFiguresFactory(organisation=mine, year=2024, operating_revenue=12345.5)
    theirs = OrganisationFactory(county=region("610302"), name="宝鸡秦川渭滨机械有限公司")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "pw-test-123")
    page.click("form[action='/login/'] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "雁塔区" in page.content()

    page.goto(f"{live_server.url}/organisations/")
    page.fill("input[name=q]", "秦川")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    results = page.locator("table tbody").inner_text()
    assert "西安秦川精密机床有限公司" in results
    assert "宝鸡秦川渭滨机械有限公司" not in results  # same fragment, other county: not listed
    assert "雁塔鼎盛商贸有限公司" not in results

    page.click("text=西安秦川精密机床有限公司")
    page.wait_for_url(f"{live_server.url}/organisations/{mine.pk}/")
    detail = page.content()
    assert mine.credit_code in detail
    assert "12,345.50" in detail

    response = page.goto(f"{live_server.url}/organisations/{theirs.pk}/")
    assert response.status == 404
    assert "宝鸡秦川渭滨机械有限公司" not in page.content()
    assert not [e for e in page.console_errors if "404" not in e]
