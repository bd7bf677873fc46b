"""A firm registers by its credit code, the county approves it, opens a data campaign, the firm
fills last year's figures and submits them, the county accepts them — and the screening's
explanation of the firm reads the figures the firm typed (source 企业填报)."""

import datetime as dt

import pytest

from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.e2e.session import signed_in_page
from tests.factories import OrganisationFactory, county_officer, region, tier_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xingchen#2026ok"
FIGURES = {
    "operating_revenue": "5200",
    "main_business_revenue": "5000",
    "total_profit": "320",
    "tax_paid": "160",
    "rd_expense": "130",
    "employees": "125",
    "total_assets": "6100",
    "total_liabilities": "2600",
}


def test_registration_to_figures_in_screening(live_server, browser, reference_data):
    officer = county_officer("610113", username="county_610113")
    OrganisationFactory(county=region("610113"), name="雁塔既有企业有限公司")  # another firm of the county
    code = make_credit_code("610113", 61_000_001)
    today = dt.date.today()
    year = today.year - 1

    # 1. the firm registers (no account yet)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    firm = context.new_page()
    firm.set_default_timeout(15_000)
    errors: list[str] = []
    firm.on("pageerror", lambda exc: errors.append(str(exc)))
    firm.goto(f"{live_server.url}/login/")
    firm.click("text=按统一社会信用代码注册")
    firm.fill("#id_credit_code", code)
    firm.fill("#id_name", "西安星辰智造科技有限公司")
    firm.select_option("#id_county", "610113")
    firm.fill("#id_contact_name", "王晓明")
    firm.fill("#id_mobile", "13800138000")
    firm.fill("#id_email", "wang@xingchen.example.cn")
    firm.fill("#id_username", "xingchen")
    firm.fill("#id_password", PASSWORD)
    firm.fill("#id_password2", PASSWORD)
    firm.click("button:has-text('提交注册申请')")
    firm.wait_for_url(f"{live_server.url}/portal/registration/status/")
    assert "注册申请待区县主管部门审核" in firm.content()
    # until approved the account sees nothing of the registry
    firm.goto(f"{live_server.url}/organisations/")
    assert "雁塔既有企业有限公司" not in firm.content()

    # 2. the county approves it in its queue
    bureau = signed_in_page(browser, live_server, officer)
    bureau.goto(f"{live_server.url}/portal/registrations/")
    bureau.click("text=西安星辰智造科技有限公司")
    bureau.click("button:has-text('通过')")
    bureau.wait_for_load_state()
    organisation = Organisation.objects.get(credit_code=code)
    assert organisation.county_id == "610113"

    # 3. the county opens a campaign of last year's figures for its firms
    bureau.goto(f"{live_server.url}/campaigns/new/")
    bureau.fill("#id_title", f"{year}年度雁塔区企业数据填报")
    bureau.fill("#id_year", str(year))
    bureau.check("input[name=targeting][value=region]")
    bureau.select_option("#id_regions", ["610113"])
    bureau.check("input[name=content][value=figures]")
    bureau.fill("#id_opens_on", today.isoformat())
    bureau.fill("#id_deadline", (today + dt.timedelta(days=30)).isoformat())
    bureau.click("#campaign-form button[type=submit]")
    bureau.wait_for_load_state()
    assert "已向 2 家企业发出填报任务" in bureau.content()

    # 4. the firm (now approved) fills its task and submits it
    firm.goto(f"{live_server.url}/")  # still signed in since registering
    firm.click("nav >> text=我的填报")
    firm.click(f"text={year}年度雁塔区企业数据填报")
    for field, value in FIGURES.items():
        firm.fill(f"#id_{field}", value)
    firm.click("button[name=action][value=submit]")
    firm.wait_for_load_state()
    assert "已提交" in firm.content()

    # 5. the county accepts it from its review queue
    bureau.click("nav >> text=填报审核")
    bureau.click("text=西安星辰智造科技有限公司")
    bureau.click("button[name=action][value=accept]")
    bureau.wait_for_load_state()
    assert "已通过" in bureau.content()
    figures = AnnualFigures.objects.get(organisation=organisation, year=year)
    assert figures.operating_revenue == 5200
    revision = FigureRevision.objects.get(organisation=organisation, year=year, field="operating_revenue")
    assert revision.source == "enterprise"  # 企业填报

    # 6. the screening's explanation of the firm reads the figures it typed
    tier = tier_of("growth-province", "growth_star")
    bureau.goto(f"{live_server.url}/programmes/tiers/{tier.pk}/explain/{organisation.pk}/?year={year}")
    text = bureau.locator("main").inner_text()
    assert f"研发强度 {year}年 2.5%" in text  # 130 / 5,200 万元, as the firm typed them
    assert not errors
    context.close()
