import pytest

from tests.web.helpers import text


@pytest.mark.django_db
def test_switching_to_english_shows_the_pages_in_english_and_back(
    client, english_catalog, yanta_officer, yanta_org
):
    client.force_login(yanta_officer)
    assert "企业名录" in text(client.get("/"))

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/organisations/"})

    assert response.status_code == 302 and response["Location"] == "/organisations/"
    listing = text(client.get("/organisations/"))
    assert "Enterprise directory" in listing and "Export to Excel" in listing and "Log out" in listing
    assert "Unified social credit code" in listing and "Page 1" in listing
    assert "1 found" in listing and "By name (pinyin)" in listing
    detail = text(client.get(f"/organisations/{yanta_org.pk}/"))
    assert "Yearly figures" in detail and "Operating revenue growth" in detail and "Not computable" in detail
    assert 'lang="en"' in detail
    assert "Certifications" in detail and "Yearly evaluation" in detail and "Imports" in detail
    home = text(client.get("/"))
    assert "Waiting for me" in home and "Registered enterprises" in home

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "企业名录" in text(client.get("/"))


@pytest.mark.django_db
def test_the_switch_is_a_csrf_protected_post_form_on_every_page(client, yanta_officer):
    client.force_login(yanta_officer)

    body = text(client.get("/"))

    form = body.split('<form class="lang" action="/i18n/setlang/" method="post">')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="language" value="en"' in form and 'name="language" value="zh-hans"' in form
