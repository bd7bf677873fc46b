"""晋级: the county that certified an enterprise puts it forward to the city's programme from the
certification page; the new application waits for the city."""

import pytest

from smeplan.recognition.models import Application, State
from tests.recognition.make import YEAR, applicant, bureaus, certified, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_the_certifying_county_promotes_to_the_city_programme(client, monkeypatch):
    officers = bureaus()
    _, user = applicant(name="雁塔晋级有限公司")
    application = to_selected(submitted(user, programme="growth-county"), officers)
    certification = certified(application, officers["county"], monkeypatch)
    url = f"/recognition/certifications/{certification.pk}/"

    client.force_login(officers["city"])  # not the certifying bureau
    assert 'id="promote"' not in text(client.get(url))
    assert client.post(url + "promote/", {"year": YEAR}).status_code == 403

    client.force_login(officers["county"])
    assert 'id="promote"' in text(client.get(url))
    page = client.post(url + "promote/", {"year": YEAR}, follow=True)
    assert "已推荐晋级：市级中小企业成长梯队" in text(page)
    assert "等待西安市审核" in text(page)
    promoted = Application.objects.get(promoted_from=certification)
    assert promoted.state == State.CITY_REVIEW
    assert promoted.programme.code == "growth-city"
