"""认定前检查梯队构成 through the API: the certifying bureau learns, before it certifies, what the batch
does to the share of 规模以下 enterprises in its list (before, after, how many more are needed);
the check writes nothing; a bureau the application does not wait for is refused."""

import datetime as dt

import pytest

from smeplan.recognition import services
from smeplan.recognition.models import Certification
from tests.factories import OrganisationFactory, region
from tests.recognition.make import applicant, bureaus, move_time, submitted, to_selected
from tests.targets.make import certify

pytestmark = pytest.mark.django_db


def test_the_check_reports_before_and_after_and_the_number_needed(api_as, monkeypatch):
    year = dt.date.today().year
    for name, above in (("甲企业", False), ("乙企业", False), ("丙企业", True), ("丁企业", True)):
        org = OrganisationFactory(county=region("610113"), name=name, above_scale=above)
        certify(org, "growth-province", "growth_star", f"{year - 1}-03-01")
    officers = bureaus()
    _org, user = applicant(above_scale=True)
    application = to_selected(submitted(user, tier="growth_star"), officers)
    notice = services.notice_publish(
        actor=officers["province"],
        items=[(application.pk, application.lock_version)],
        title="省级成长梯队企业公示",
        days=7,
    )
    move_time(monkeypatch, (notice.ends_on - dt.date.today()).days + 1)
    application.refresh_from_db()
    body = {"items": [{"id": application.pk, "version": application.lock_version}]}
    before = Certification.objects.count()

    response = api_as(officers["province"]).post("/recognition/certifications/check", body)
    assert response.status_code == 200, response.content
    (impact,) = response.json()
    assert impact["programme"] == "growth-province" and impact["list"] == "省级梯队（全省）"
    assert impact["min_share"] == "0.5000"
    assert impact["before"] == {"below": 2, "above": 2, "unknown": 0, "total": 4, "share": "0.5000"}
    assert impact["after"] == {"below": 2, "above": 3, "unknown": 0, "total": 5, "share": "0.4000"}
    assert (impact["added"], impact["warns"], impact["needed"]) == (1, True, 1)
    assert "降至 40%（2/5 家）" in impact["message"]
    assert Certification.objects.count() == before  # nothing written

    assert api_as(officers["city"]).post("/recognition/certifications/check", body).status_code == 403
