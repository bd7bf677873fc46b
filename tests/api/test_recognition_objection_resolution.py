"""The notice's bureau reads the objections on its notice and resolves them: an upheld objection
rejects the application with the resolution as its reason; others may not resolve (403/404)."""

import pytest

from smeplan.recognition import services
from smeplan.recognition.models import Application, State
from tests.factories import county_officer
from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected

pytestmark = pytest.mark.django_db


def test_upheld_objection_rejects_the_application(api_as):
    _, user = applicant()
    officers = bureaus()
    application, notice = on_notice(to_selected(submitted(user), officers), officers["province"])
    objection = services.objection_file(
        notice=notice,
        application_id=application.pk,
        name="王五",
        phone="13800000000",
        text="该企业存在未披露的重大违法行为。",
    )
    province = api_as(officers["province"])
    detail = province.get(f"/recognition/notices/{notice.pk}").json()
    assert [o["id"] for o in detail["objections"]] == [objection.pk]
    assert detail["objections"][0]["state"] == "open" and detail["applications"][0]["state"] == "on_notice"
    assert [n["id"] for n in province.get("/recognition/notices").json()["items"]] == [notice.pk]

    url = f"/recognition/objections/{objection.pk}/resolution"
    assert api_as(officers["county"]).post(url, {"upheld": True, "resolution": "成立"}).status_code == 404
    assert (
        api_as(county_officer("610302")).post(url, {"upheld": True, "resolution": "成立"}).status_code == 404
    )
    response = province.post(url, {"upheld": True, "resolution": ""})
    assert response.status_code == 422 and response.json()["errors"]["resolution"] == ["请填写处理意见"]

    response = province.post(url, {"upheld": True, "resolution": "经核实，该企业存在违法行为"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "upheld"
    rejected = Application.objects.get(pk=application.pk)
    assert rejected.state == State.REJECTED and "经核实" in rejected.decision_reason
    assert province.post(url, {"upheld": False, "resolution": "再次处理"}).status_code == 422
