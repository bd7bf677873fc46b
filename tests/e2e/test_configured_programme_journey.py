"""A programme configured in the page, end to end in the browser: a provincial admin creates a
programme (新建认定项目), turns expert review on, designs its application form (a money field prefilled
from the figures, a yes/no with a conditional field, a required attachment), writes its points rubric
(an automatic indicator with bands from a form answer, an expert indicator, a pass total, a direct-pass
rule) and opens a call with quotas for 西安市; an enterprise of 雁塔区 applies through the call and
submits the form; 雁塔区 and 西安市 recommend; the province sends it to three experts, who declare no
conflict and score; the province computes the scores and reads the explanation, selects, publishes the
notice and, after the notice period, certifies; the enterprise opens its certificate."""

import pytest

from smeplan.programmes.models import Programme
from smeplan.recognition import clock
from smeplan.recognition.models import Application, State
from tests.e2e.session import signed_in_page
from tests.factories import (
    AnnualFiguresFactory,
    OrganisationFactory,
    UserFactory,
    city_officer,
    county_officer,
    enterprise_user,
    province_admin,
    region,
)
from tests.recognition.make import move_time

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# the smallest PDF the attachment check accepts as a PDF
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: 申报年度: the call's year is this year (the form and rubric editors propose it as effective year)
YEAR = clock.today().year


def _recommend_from_queue(page, live_server, name):
    page.goto(f"{live_server.url}/recognition/queue/")
    page.locator("#queue tbody tr", has_text=name).locator("input[name=items]").check()
    page.click("#bulk-actions button:has-text('审核通过，推荐上报')")
    page.wait_for_selector(".messages")
    assert "已对 1 项申报办理" in page.locator(".messages").inner_text()


def _saved(page) -> str:
    """The success message after a save; a refusal fails the test with the page's reasons."""
    page.wait_for_selector(".messages, .errors-summary, .field-errors, ul.errors")
    refused = page.locator(".errors-summary, .field-errors, ul.errors, .messages .error")
    assert not refused.count(), refused.all_inner_texts()
    return page.locator(".messages").inner_text()


def _create_programme(p, live_server):
    p.goto(f"{live_server.url}/programmes/")
    p.click("text=新建认定项目")
    p.fill("#id_code", "sme-quality")
    p.fill("#id_name", "陕西省中小企业质量标杆企业")
    p.select_option("#id_plan", "brand")
    p.select_option("#id_owner_level", "province")
    p.fill("#id_source", "陕中企规发〔2017〕69号《陕西省中小企业发展行动计划》")
    p.fill("#id_basis_clause", "中小企业品牌提升培育行动计划 三（三）")
    p.fill("#id_title_template", "{地区}中小企业{梯队}")
    p.fill("input[name=tier-0-code]", "benchmark")
    p.fill("input[name=tier-0-name]", "质量标杆企业")
    p.click("form.programme-form button[type=submit]")
    assert "陕西省中小企业质量标杆企业" in _saved(p)
    return Programme.objects.get(code="sme-quality")


def _settings(p, live_server, programme):
    """流程设置: expert review on (the experts score the rubric's expert indicators), 7 days of notice."""
    p.goto(f"{live_server.url}/programmes/{programme.code}/settings/")
    p.fill("#id_notice_days", "7")
    p.check("#id_expert_review")
    p.click("form button[type=submit].primary")
    _saved(p)
    programme.refresh_from_db()
    assert programme.expert_review


def _design_form(p, live_server, programme):
    p.goto(f"{live_server.url}/programmes/")
    p.locator(f"a[href='/programmes/{programme.code}/forms/application/']").first.click()
    p.click("#new-version")
    p.wait_for_selector("#form-design")
    p.fill("#id_title", "申报表")
    rows = [
        {
            "section": "一、企业基本情况",
            "code": "revenue_last",
            "label": "营业收入（上一年度）",
            "type": "money",
            "required": True,
            "prefill": "figure:operating_revenue:-1",
        },
        {
            "section": "一、企业基本情况",
            "code": "has_award",
            "label": "近三年获得省级以上质量奖",
            "type": "yes_no",
        },
        {
            "section": "一、企业基本情况",
            "code": "award_name",
            "label": "质量奖名称",
            "type": "text",
            "required": True,
            "show_if": "has_award=是",
        },
        {
            "section": "二、证明材料",
            "code": "licence",
            "label": "营业执照",
            "type": "attachment",
            "required": True,
            "file_types": "pdf",
            "max_mb": "5",
        },
    ]
    for n, row in enumerate(rows):
        if n:
            p.click("button[data-add-row=f]")
        for key in ("section", "code", "label", "prefill", "show_if", "file_types", "max_mb"):
            if key in row:
                p.fill(f"input[name=f-{n}-{key}]", row[key])
        p.select_option(f"select[name=f-{n}-type]", row["type"])
        if row.get("required"):
            p.check(f"input[name=f-{n}-required]")
    p.click("#form-design button[type=submit].primary")
    assert "已保存陕西省中小企业质量标杆企业申报表第1版" in _saved(p)
    preview = p.locator("main").inner_text()
    assert "营业收入（上一年度）（万元）" in preview and "营业执照" in preview
    assert p.locator("#field-award_name").is_hidden(), "the conditional field waits for 是"


def _write_rubric(p, live_server, programme):
    p.goto(f"{live_server.url}/programmes/")
    p.locator(f"a[href='/programmes/{programme.code}/rubrics/']").first.click()
    p.click("#rubric-new")
    p.wait_for_selector("#rubric-form")
    p.fill("input[name=max_total]", "100")
    p.fill("input[name=pass_total]", "60")
    p.select_option("select[name=aggregation]", "trimmed_mean")
    p.fill("input[name=outlier_points]", "15")
    # an automatic indicator: bands of the revenue answered in the form
    p.fill("input[name=i-0-label]", "营业收入规模")
    p.fill("input[name=i-0-max]", "60")
    p.select_option("select[name=i-0-kind]", "answer")
    p.select_option("select[name=i-0-answer]", "revenue_last")
    p.select_option("select[name=i-0-method]", "bands")
    p.fill("input[name=i-0-rule]", "≥5000:60；1000-5000:40；<1000:10")
    p.select_option("select[name=i-0-unit]", "money")
    p.fill("input[name=i-0-basis]", "陕中企规发〔2017〕69号 品牌 三（三）")
    # an expert indicator
    p.fill("input[name=i-1-label]", "质量管理与示范带动")
    p.fill("input[name=i-1-max]", "40")
    p.select_option("select[name=i-1-kind]", "expert")
    p.fill("input[name=i-1-basis]", "陕中企规发〔2017〕69号 品牌 三（三）")
    # a direct-pass rule: a provincial quality award
    p.select_option("select[name=r-0-list]", "direct_pass")
    p.fill("input[name=r-0-label]", "近三年获得省级以上质量奖")
    p.select_option("select[name=r-0-kind]", "answer")
    p.select_option("select[name=r-0-answer]", "has_award")
    p.select_option("select[name=r-0-op]", "true")
    p.fill("input[name=r-0-basis]", "陕中企规发〔2017〕69号 品牌 三（三）")
    p.click("#rubric-form button[type=submit].primary")
    assert "已保存评分细则第 1 版" in _saved(p)
    shown = p.locator("main").inner_text()
    assert "营业收入规模" in shown and "近三年获得省级以上质量奖" in shown


def _open_call(p, live_server, programme):
    p.goto(f"{live_server.url}/recognition/calls/")
    p.click("text=发布申报批次")
    p.select_option("#id_programme", label=programme.name)
    p.fill("#id_title", f"{YEAR}年度陕西省中小企业质量标杆企业申报")
    p.fill("#id_year", str(YEAR))
    p.fill("#id_opens_at", f"{YEAR}-01-01T09:00")
    p.fill("#id_closes_at", "2099-12-31T17:00")
    p.check("#r-610100")
    p.fill("input[name=quota-610100]", "5")
    p.click("form button[type=submit].primary")
    assert "已发布" in _saved(p)


def test_province_configures_a_programme_and_certifies_through_it(
    live_server, browser, reference_data, monkeypatch
):
    org = OrganisationFactory(county=region("610113"), name="西安大雁塔精密仪器有限公司")
    for year in (YEAR - 3, YEAR - 2, YEAR - 1):
        AnnualFiguresFactory(organisation=org, year=year, operating_revenue=5300)
    user = enterprise_user(org, username="dayanta")
    county = county_officer("610113", username="county_610113")
    city = city_officer("610100", username="city_610100")
    province = province_admin(username="province")
    experts = [UserFactory(role="expert", username=f"expert{i}", display_name=f"专家{i}") for i in (1, 2, 3)]

    p = signed_in_page(browser, live_server, province)
    programme = _create_programme(p, live_server)
    _design_form(p, live_server, programme)
    _write_rubric(p, live_server, programme)
    _settings(p, live_server, programme)
    _open_call(p, live_server, programme)
    assert not p.console_errors

    # the enterprise finds the open call, applies, fills the designed form and submits
    page = signed_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/recognition/calls/")
    row = page.locator("#open-calls tbody tr", has_text="质量标杆企业")
    row.locator("button:has-text('申报')").click()
    page.wait_for_selector("#application-form")
    assert page.locator("#id_revenue_last").input_value() == "5300.00", "prefilled from last year's figures"
    assert page.locator("#field-award_name").is_hidden(), "shown only when a quality award is declared"
    page.check("input[name=has_award][value=true]")
    assert page.locator("#field-award_name").is_visible()
    page.fill("#id_award_name", "陕西省质量奖")
    page.set_input_files(
        "#id_attachment-licence",
        files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.check("input[name=declare]")
    page.click("button[name=op][value=submit]")
    page.wait_for_selector("#application-state")
    assert page.locator("#application-state").inner_text() == "县级审核"
    application = Application.objects.get(organisation=org)
    assert application.call is not None and application.form["award_name"] == "陕西省质量奖"
    assert not page.console_errors

    # 雁塔区, then 西安市: recommend from their queues (the city's forward uses its quota)
    county_page = signed_in_page(browser, live_server, county)
    _recommend_from_queue(county_page, live_server, org.name)
    city_page = signed_in_page(browser, live_server, city)
    _recommend_from_queue(city_page, live_server, org.name)
    application.refresh_from_db()
    assert application.state == State.PROVINCE_REVIEW

    # the province sends it to three experts
    p.goto(f"{live_server.url}/recognition/applications/{application.pk}/")
    p.click("#act-send_to_experts button[type=submit]")
    p.wait_for_selector(".messages")
    assert p.locator("#application-state").inner_text() == "专家评审"
    for expert in experts:
        p.check(f"#assign-experts input[name=experts][value='{expert.pk}']")
    p.click("#assign-experts button[type=submit]")
    assert "已指派 3 位评审专家" in _saved(p)

    # each expert declares no conflict and scores the expert indicator in points
    for expert, points in zip(experts, ("30", "34", "32"), strict=True):
        e = signed_in_page(browser, live_server, expert)
        e.goto(f"{live_server.url}/recognition/expert/")
        e.locator("a", has_text=org.name).first.click()
        e.click("#declare-form button")
        e.wait_for_selector("#score-form")
        e.locator("#score-form input[type=text]").first.fill(points)
        e.click("#score-form button[type=submit]")
        e.wait_for_selector("#my-score")
        assert float(e.locator("#my-score").inner_text()) == float(points)
        assert not e.console_errors
        e.context.close()

    # 评分结果: the province computes the scores and reads the explanation
    p.goto(f"{live_server.url}/recognition/scores/")
    p.select_option("select[name=programme]", label=programme.name)
    p.wait_for_selector("#score-compute")
    p.fill("#score-compute input[name=year]", str(YEAR))
    p.click("#score-compute button[type=submit]")
    assert "已计算 1 件申报的评分" in _saved(p)
    row = p.locator("#scores tbody tr", has_text=org.name)
    assert row.locator("td").nth(3).inner_text() == "92"
    row.locator("a", has_text=org.name).click()
    p.wait_for_selector("#score-summary")
    assert p.locator("#score-outcome").inner_text() == "直通（符合直通条件）"
    assert p.locator("#score-total").inner_text() == "92"
    assert "区间“a–b”表示 a ≤ 数值 < b" in p.locator("#score-convention").inner_text()
    lines = p.locator("#score-lines tbody tr")
    revenue = lines.filter(has_text="营业收入规模").inner_text()
    assert "5,300.00万元" in revenue and "≥ 5,000.00万元" in revenue and "60" in revenue
    experts_line = lines.filter(has_text="质量管理与示范带动").inner_text()
    assert "3 位专家评分，去掉最高分和最低分（专家1、专家2）后平均" in experts_line and "32" in experts_line
    assert "近三年获得省级以上质量奖" in p.locator("#score-direct").inner_text()
    assert not p.console_errors

    # the province selects it, publishes the notice from its queue and, after it, certifies
    p.click("text=申报详情")
    p.wait_for_selector("#act-select")
    p.click("#act-select button[type=submit]")
    p.wait_for_selector(".messages")
    assert p.locator("#application-state").inner_text() == "待公示"
    p.goto(f"{live_server.url}/recognition/queue/?state=selected")
    p.locator("#queue tbody tr", has_text=org.name).locator("input[name=items]").check()
    p.click("#publish-notice")
    p.wait_for_selector("#id_title")
    p.click("button:has-text('发布公示')")
    assert "已发布公示" in _saved(p)
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE

    move_time(monkeypatch, 8)
    p.goto(f"{live_server.url}/recognition/queue/?state=on_notice")
    p.locator("#queue tbody tr", has_text=org.name).locator("input[name=items]").check()
    p.click("#certify")
    p.wait_for_selector("#id_document_number")
    p.fill("#id_document_number", "陕中小企发〔2026〕31号")
    p.click("button:has-text('确认认定')")
    assert "已认定 1 家企业" in _saved(p)
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
    assert not p.console_errors

    # the enterprise opens its certificate from its application
    page.goto(f"{live_server.url}/recognition/applications/{application.pk}/")
    assert page.locator("#application-state").inner_text() == "已认定"
    page.click("#certificate-link")
    page.click("text=打印证书")
    page.wait_for_selector(".sheet")
    certificate = page.locator(".sheet").inner_text()
    assert "陕西省中小企业质量标杆企业" in certificate and "陕中小企发〔2026〕31号" in certificate
    assert org.name in certificate
    assert not page.console_errors
    for session in (page, county_page, city_page, p):
        session.context.close()
