"""认定流程设置 of a programme scored by a points rubric (评分细则): expert review is turned on without
the 0–100 items (the experts score the rubric's expert indicators), and the page's blank item rows,
which show example bands, are not taken for items."""

import pytest

from smeplan.programmes.models import Programme
from smeplan.programmes.services import rubric_version_create
from tests.factories import province_admin
from tests.web.helpers import field_errors

URL = "/programmes/growth-province/settings/"
BLANK_ROW = {
    "rubric-0-code": "",
    "rubric-0-label": "",
    "rubric-0-weight": "",
    "rubric-0-bands": "优:90-100；良:75-89",
}
SETTINGS = {
    "notice_days": "7",
    "ban_years": "2",
    "title_template": "{region}{tier}企业",
    "expert_review": "1",
}
DESIGN = {
    "max_total": 40,
    "pass_total": 20,
    "indicators": [
        {
            "code": "effect",
            "label": "示范带动作用",
            "max": 40,
            "source": {"expert": True},
            "basis": "69号 三（三）",
        }
    ],
}


@pytest.mark.django_db
def test_expert_review_without_items_needs_a_points_rubric(client):
    admin = province_admin()
    client.force_login(admin)
    Programme.objects.filter(code="growth-province").update(rubric=[], expert_review=False)

    refused = client.post(URL, {**SETTINGS, **BLANK_ROW})
    assert refused.status_code == 422
    assert field_errors(refused, "rubric") == ["需要专家评审时，请至少设置一项评分细则"]

    programme = Programme.objects.get(code="growth-province")
    rubric_version_create(
        actor=admin, programme=programme, design=DESIGN, effective_year=2020, title="测试细则"
    )
    saved = client.post(URL, {**SETTINGS, **BLANK_ROW})
    assert saved.status_code == 302
    programme.refresh_from_db()
    assert programme.expert_review and programme.rubric == []
