"""The recognition journey in the browser: an enterprise applies for 省级成长之星 and submits its
推荐登记表; the county and the city recommend from their queues; the province selects it and
publishes the notice from its queue, which anyone can read without logging in; after the notice
period it certifies from its queue, and the enterprise opens its certificate."""

import pytest

from smeplan.recognition.models import Application, State
from tests.e2e.session import signed_in_page
from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    region,
    tier_of,
)
from tests.recognition.make import move_time

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _session(browser, live_server, user):
    return signed_in_page(browser, live_server, user)


def _recommend_from_queue(page, live_server, name, button):
    page.goto(f"{live_server.url}/recognition/queue/")
    row = page.locator("#queue tbody tr", has_text=name)
    row.locator("input[name=items]").check()
    page.click(f"#bulk-actions button:has-text('{button}')")
    page.wait_for_selector(".messages")
    assert "已对 1 项申报办理" in page.locator(".messages").inner_text()


def test_apply_recommend_select_publish_certify(live_server, browser, reference_data, monkeypatch):
    org = OrganisationFactory(county=region("610113"), name="西安秦岭阀门制造有限公司")
    for year in (2022, 2023, 2024):
        AnnualFiguresFactory(organisation=org, year=year)
    user = enterprise_user(org, username="qinling")
    county = county_officer("610113", username="county_610113")
    city = city_officer("610100", username="city_610100")
    province = province_admin(username="province")
    tier = tier_of("growth-province", "growth_star")

    # the enterprise opens a draft, fills the form, declares and submits
    page = _session(browser, live_server, user)
    page.goto(f"{live_server.url}/recognition/applications/")
    form = page.locator(f"#apply-{tier.pk}")
    form.locator("select[name=year]").select_option("2024")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#application-form")
    assert "西安秦岭阀门制造有限公司" in page.locator("#organisation").inner_text()
    page.fill("#id_main_products", "工业阀门、智能控制阀")
    page.fill("#id_figures-2024-operating_revenue", "5300")
    page.check("input[name=declare]")
    page.click("button[name=op][value=submit]")
    page.wait_for_selector("#application-state")
    assert page.locator("#application-state").inner_text() == "县级审核"
    assert not page.console_errors
    application = Application.objects.get(organisation=org)

    # county, then city: recommend in bulk from the queue
    county_page = _session(browser, live_server, county)
    _recommend_from_queue(county_page, live_server, org.name, "审核通过，推荐上报")
    city_page = _session(browser, live_server, city)
    _recommend_from_queue(city_page, live_server, org.name, "审核通过，推荐上报")
    application.refresh_from_db()
    assert application.state == State.PROVINCE_REVIEW

    # the province selects on the detail page, then publishes the notice from its queue
    p = _session(browser, live_server, province)
    p.goto(f"{live_server.url}/recognition/applications/{application.pk}/")
    assert p.locator("#eligibility-outcome").inner_text() in ("符合", "不符合", "数据不全")
    assert p.locator("#eligibility-items li").count() > 0, "the stored criteria check is shown"
    p.click("#act-select button[type=submit]")
    p.wait_for_selector(".messages")
    assert p.locator("#application-state").inner_text() == "待公示"

    p.goto(f"{live_server.url}/recognition/queue/?state=selected")
    p.locator("#queue tbody tr", has_text=org.name).locator("input[name=items]").check()
    p.click("#publish-notice")
    p.wait_for_selector("#id_title")
    p.click("button:has-text('发布公示')")
    p.wait_for_selector(".messages")
    assert "已发布公示" in p.locator(".messages").inner_text()
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE
    assert not p.console_errors

    # the enterprise sees where its application stands
    page.goto(f"{live_server.url}/recognition/applications/{application.pk}/")
    assert page.locator("#application-state").inner_text() == "公示中"

    # anyone, without logging in, finds it on the public notice (name, county, tier; no credit code)
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/login/")
    public.click("text=认定公示公告")
    public.locator("table a", has_text="拟认定企业名单公示").first.click()
    public.wait_for_selector("form")
    listed = public.locator("body").inner_text()
    assert org.name in listed and "雁塔区" in listed and "成长之星" in listed
    assert org.credit_code not in listed
    public.context.close()

    # eight days later the notice has ended without objection: the province certifies
    move_time(monkeypatch, 8)
    p.goto(f"{live_server.url}/recognition/queue/?state=on_notice")
    p.locator("#queue tbody tr", has_text=org.name).locator("input[name=items]").check()
    p.click("#certify")
    p.wait_for_selector("#id_document_number")
    p.fill("#id_document_number", "陕中小企发〔2026〕12号")
    p.click("button:has-text('确认认定')")
    p.wait_for_selector(".messages")
    assert "已认定 1 家企业" in p.locator(".messages").inner_text()
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
    page.goto(f"{live_server.url}/recognition/applications/{application.pk}/")
    assert page.locator("#application-state").inner_text() == "已认定"

    # the enterprise opens its certificate from its application
    page.click("#certificate-link")
    page.click("text=打印证书")
    page.wait_for_selector(".sheet")
    certificate = page.locator(".sheet").inner_text()
    assert "陕西省" in certificate and "之星企业" in certificate and "陕中小企发〔2026〕12号" in certificate
    assert org.name in certificate
    assert not page.console_errors
    for session in (page, county_page, city_page, p):
        session.context.close()
