"""The public notice needs no login and shows name, county and tier — never the credit code or figures."""

import pytest

from tests.recognition.make import applicant, bureaus, on_notice, submitted, to_selected
from tests.web.helpers import text


@pytest.mark.django_db
def test_public_notice_pages_work_without_login_and_hide_the_credit_code(client):
    officers = bureaus()
    org, user = applicant(name="雁塔公开名单有限公司")
    application = to_selected(submitted(user), officers)
    _, notice = on_notice(application, officers["province"])

    listing = client.get("/public/notices/")
    assert listing.status_code == 200
    assert notice.title in text(listing)
    assert "正在公示" in text(listing)

    page = client.get(f"/public/notices/{notice.pk}/")
    assert page.status_code == 200
    body = text(page)
    assert "雁塔公开名单有限公司" in body
    assert "雁塔区" in body
    assert "成长之星" in body
    assert org.credit_code not in body
    assert "营业收入" not in body
    assert 'name="csrfmiddlewaretoken"' in body  # the objection form keeps CSRF
