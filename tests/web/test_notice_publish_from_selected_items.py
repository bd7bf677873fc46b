"""The queue posts the selected 待公示 applications: the form comes pre-filled, publishing shows the notice."""

import pytest

from smeplan.recognition import clock
from smeplan.recognition.models import State
from tests.recognition.make import applicant, bureaus, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_publish_a_notice_from_the_selected_applications(client):
    officers = bureaus()
    _, user = applicant(name="雁塔公示测试有限公司")
    application = to_selected(submitted(user), officers)
    client.force_login(officers["province"])
    item = f"{application.pk}:{application.lock_version}"

    form = client.post("/recognition/notices/new/", {"items": [item]})
    assert form.status_code == 200
    page = text(form)
    assert "雁塔公示测试有限公司" in page
    assert f"{clock.today().year}年省级中小企业成长梯队拟认定企业名单公示" in page
    assert 'value="7"' in page  # the programme's notice days

    done = client.post(
        "/recognition/notices/new/",
        {"items": [item], "title": "2026年省级成长之星拟认定企业名单公示", "starts_on": "", "days": "7"},
        follow=True,
    )
    page = text(done)
    assert done.redirect_chain[0][0].startswith("/recognition/notices/")
    assert "已发布公示「2026年省级成长之星拟认定企业名单公示」" in page
    assert "公示中" in page
    assert "雁塔公示测试有限公司" in page
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE
