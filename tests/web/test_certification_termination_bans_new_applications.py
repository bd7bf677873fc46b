"""终止资格 on the certification page: the ban and its end date are shown, a new application is refused."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import clock, services
from smeplan.recognition.models import Application
from tests.factories import tier_of
from tests.recognition.make import YEAR, applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_termination_shows_the_ban_and_refuses_a_new_application(client, monkeypatch):
    officers = bureaus()
    _, user = applicant(name="雁塔终止资格有限公司")
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    url = f"/recognition/certifications/{certification.pk}/"

    client.force_login(officers["city"])  # sees it, but did not certify it: no form, and refused
    assert 'id="terminate"' not in text(client.get(url))
    assert client.post(url + "terminate/", {"reason": "criteria", "document_number": "X"}).status_code == 403

    client.force_login(officers["province"])
    assert 'id="terminate"' in text(client.get(url))
    today = clock.today()
    until = clock.add_years(today, 2)
    page = client.post(
        url + "terminate/",
        {"reason": "false_information", "document_number": "陕中小企函〔2026〕3号", "note": "核查发现虚报"},
        follow=True,
    )
    body = text(page)
    assert f"{until:%Y年%m月%d日} 前不再受理该单位的省级中小企业成长梯队申报" in body
    assert "已终止" in body
    assert "提供虚假信息（陕中小企函〔2026〕3号）" in body
    assert f"<strong>{until:%Y年%m月%d日}</strong> 前不再受理申报" in body  # the 不再受理 section

    client.force_login(user)  # the enterprise tries again: the 申报 page refuses with the date
    tier = tier_of("growth-province", "growth_star")
    again = client.post("/recognition/applications/new/", {"tier": tier.pk, "year": YEAR})
    assert f"{until:%Y年%m月%d日} 前不再受理申报" in text(again)
    assert not Application.objects.filter(organisation=certification.organisation, state="draft").exists()
    with pytest.raises(ValidationError) as refused:
        services.application_start(actor=user, tier=tier, year=YEAR)
    assert f"{until:%Y年%m月%d日} 前不再受理申报" in "；".join(refused.value.messages)
