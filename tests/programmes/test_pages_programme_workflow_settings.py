"""认定流程设置: a provincial admin changes notice days, ban years, validity, expert review and its
rubric, and the title format; bad input is explained per field and saves nothing."""

import pytest

from smeplan.audit.models import AuditEvent
from smeplan.programmes.models import Programme, RubricVersion
from tests.factories import city_officer, province_admin
from tests.web.helpers import field_errors, text

URL = "/programmes/growth-province/settings/"
GOOD = {
    "notice_days": "10",
    "ban_years": "3",
    "validity_years": "",
    "review_interval_years": "",
    "title_template": "{region}{tier}企业",
    "rubric-0-code": "",
}


@pytest.mark.django_db
def test_admin_changes_the_settings_and_the_programme_list_shows_them(client):
    client.force_login(province_admin())
    response = client.post(
        URL,
        {
            **GOOD,
            "expert_review": "1",
            "rubric-0-code": "quality",
            "rubric-0-label": "发展质量",
            "rubric-0-weight": "100",
            "rubric-0-bands": "优:90-100；差:0-89",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(code="growth-province")
    assert (programme.notice_days, programme.ban_years, programme.expert_review) == (10, 3, True)
    assert programme.rubric == [
        {
            "code": "quality",
            "label": "发展质量",
            "weight": 100.0,
            "bands": [{"label": "优", "low": 90, "high": 100}, {"label": "差", "low": 0, "high": 89}],
        }
    ]
    assert AuditEvent.objects.filter(event_type="programme.settings_updated").count() == 1
    page = text(client.get("/programmes/"))
    assert "公示 10 天" in page and "终止后 3 年内不再受理" in page


@pytest.mark.django_db
def test_bad_settings_are_explained_per_field_and_nothing_is_saved(client):
    client.force_login(province_admin())
    response = client.post(
        URL,
        {
            **GOOD,
            "notice_days": "0",
            "ban_years": "两年",
            "validity_years": "3",
            "review_interval_years": "5",
            "title_template": "{name}企业",
            "expert_review": "1",
        },
    )
    assert response.status_code == 422
    assert field_errors(response, "notice_days") == ["公示天数应在 1–60 之间（收到 0）"]
    assert field_errors(response, "ban_years") == ["不再受理年数应为整数（收到「两年」）"]
    assert field_errors(response, "review_interval_years") == ["复核周期不能长于认定有效期"]
    assert "占位符" in field_errors(response, "title_template")[0]
    assert field_errors(response, "rubric") == ["需要专家评审时，请至少设置一项评分细则"]
    programme = Programme.objects.get(code="growth-province")
    assert (programme.notice_days, programme.ban_years) == (7, 2)


@pytest.mark.django_db
def test_only_provincial_admins_open_the_settings(client):
    client.force_login(city_officer())
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_the_title_format_is_written_with_chinese_placeholders(client):
    client.force_login(province_admin())
    page = text(client.get(URL))
    assert 'value="{地区}{梯队}企业"' in page and "{region}" not in page and "{tier}" not in page

    response = client.post(URL, {**GOOD, "title_template": "{地区}{梯队}示范企业"})

    assert response.status_code == 302
    programme = Programme.objects.get(code="growth-province")
    assert programme.title_for(region_name="西安市", tier_name="成长之星") == "西安市成长之星示范企业"
    response = client.post(URL, {**GOOD, "title_template": "{地区}企业"})
    assert field_errors(response, "title_template") == ["称号格式须包含 {梯队}（梯队名称）"]


@pytest.mark.django_db
def test_rubric_items_are_named_not_coded(client):
    """The items of a programme whose experts score by weighted items (no rubric version)."""
    RubricVersion.objects.filter(programme__code="transformation-demo").delete()
    client.force_login(province_admin())
    page = text(client.get("/programmes/transformation-demo/settings/"))
    assert "代码" not in page
    assert 'type="hidden" name="rubric-0-code" value="transformation"' in page

    response = client.post(
        "/programmes/transformation-demo/settings/",
        {
            **GOOD,
            "expert_review": "1",
            "rubric-0-code": "transformation",
            "rubric-0-label": "转型升级成效",
            "rubric-0-weight": "60",
            "rubric-0-bands": "优:90-100；差:0-89",
            "rubric-1-code": "",
            "rubric-1-label": "带动作用",
            "rubric-1-weight": "40",
            "rubric-1-bands": "优:90-100；差:0-89",
        },
    )

    assert response.status_code == 302
    rubric = Programme.objects.get(code="transformation-demo").rubric
    assert [(r["code"], r["label"]) for r in rubric] == [
        ("transformation", "转型升级成效"),
        ("item2", "带动作用"),
    ]


@pytest.mark.django_db
def test_a_programme_with_rubric_versions_links_to_them_and_keeps_its_items(client):
    client.force_login(province_admin())
    before = Programme.objects.get(code="transformation-demo").rubric
    page = text(client.get("/programmes/transformation-demo/settings/"))
    assert "专家按本项目的评分细则" in page and "rubric-0-label" not in page
    response = client.post("/programmes/transformation-demo/settings/", {**GOOD, "expert_review": "1"})
    assert response.status_code == 302
    assert Programme.objects.get(code="transformation-demo").rubric == before
