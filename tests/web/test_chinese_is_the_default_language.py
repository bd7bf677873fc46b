import pytest

from tests.web.helpers import text


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(
    client, english_catalog, yanta_officer
):
    client.force_login(yanta_officer)

    body = text(client.get("/", headers={"accept-language": "en-US,en;q=0.9"}))
    assert "企业名录" in body and 'lang="zh-hans"' in body

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = text(client.get("/", headers={"accept-language": "zh-CN"}))
    assert "Enterprise directory" in body
