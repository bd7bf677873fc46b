"""demo_recognition, after the configured programmes are loaded (as ``make run`` does): an open call
of 创新型中小企业 for this year with quotas for three cities, and on it ent_6's application (a firm of
雁塔区) submitted and scored, so 评分结果 shows an explained score; the story of ent_1 … ent_5 is as
before, a second run adds nothing, and demo_logins names the call."""

import io

import pytest
from django.core.management import call_command

from smeplan.accounts.models import User
from smeplan.recognition import clock
from smeplan.recognition.models import Application, ApplicationScore, Call, Certification, State
from tests.web.helpers import text


@pytest.mark.django_db
def test_demo_opens_a_call_with_an_application_scored_on_it(client):
    call_command(
        "demo_province",
        enterprises=3000,
        first_year=2021,
        last_year=clock.today().year - 1,
        password="pw-demo-123",
        stdout=io.StringIO(),
    )
    call_command("programmes_load", stdout=io.StringIO())
    call_command("demo_recognition", if_empty=True, stdout=io.StringIO())

    call = Call.objects.get()
    assert call.programme.code == "innovative-sme" and call.year == clock.today().year
    assert dict(call.quotas.values_list("region__name", "quota")) == {
        "西安市": 30,
        "宝鸡市": 10,
        "咸阳市": 10,
    }
    application = Application.objects.get(call=call)
    assert application.organisation.county.name == "雁塔区"
    assert application.state == State.COUNTY_REVIEW
    score = ApplicationScore.objects.get(application=application)
    assert score.rubric_version.programme.code == "innovative-sme"
    assert Certification.objects.count() == 4, "the story of ent_1 … ent_5 is unchanged"
    for n in range(1, 6):
        assert not Application.objects.filter(organisation__users__username=f"ent_{n}", call=call).exists()

    client.force_login(User.objects.get(username="prov_officer"))
    listing = text(client.get(f"/recognition/scores/?programme=innovative-sme&year={call.year}"))
    assert application.organisation.name in listing
    assert application.organisation.name in text(client.get("/recognition/scores/")), "opens on it"
    detail = text(client.get(f"/recognition/applications/{application.pk}/score/"))
    assert "逐项计分" in detail and "区间约定" in detail and "上年度研发费用总额占营业收入总额比重" in detail
    client.force_login(User.objects.get(username="ent_6"))
    assert client.get(f"/recognition/applications/{application.pk}/").status_code == 200

    before = Application.objects.count()
    call_command("demo_recognition", if_empty=True, stdout=io.StringIO())
    assert Application.objects.count() == before and Call.objects.count() == 1

    out = io.StringIO()
    call_command("demo_logins", password="pw-demo-123", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.strip().startswith("ent_6"))
    assert application.organisation.name in line
    assert "申报批次「" in line and "创新型中小企业评价（演示）」的申报 · 县级审核（等待雁塔区）" in line


@pytest.mark.django_db
def test_demo_certifications_of_transformation_demo_have_their_annual_report_task(client):
    from smeplan.recognition.models import Obligation

    call_command("programmes_load", stdout=io.StringIO())
    call_command(
        "demo_province",
        enterprises=6000,
        first_year=2019,
        last_year=clock.today().year - 1,
        password="pw-demo-123",
        stdout=io.StringIO(),
    )
    call_command("demo_recognition", if_empty=True, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_targets", if_empty=True, stdout=out)

    in_force = Certification.objects.filter(
        programme__code="transformation-demo",
        state="active",
        certified_on__lt=clock.today().replace(month=1, day=1),
    )
    assert in_force.exists()
    tasks = Obligation.objects.filter(kind="annual_report", certification__in=in_force)
    assert tasks.count() == in_force.count()
    assert {t.period for t in tasks} == {clock.today().year - 1}
    assert "年度报告与复核：生成任务" in out.getvalue()
    client.force_login(User.objects.get(username="prov_officer"))
    page = text(client.get("/recognition/obligations/"))
    assert in_force.first().organisation.name in page and "年度报告" in page
