"""新建认定项目 and 编辑 in the page: a provincial admin creates a programme with its tiers, the list
shows its plan, level, owner and state with 编辑; errors are shown beside the fields and nothing is
saved; a tier is added and renamed; the programme is closed and reopened from its edit page; a
city officer sees 编辑 only on its own city's programmes."""

import pytest

from smeplan.programmes.models import Programme
from tests.factories import city_officer, province_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

FORM = {
    "code": "quality-sme",
    "name": "陕西省质量标杆中小企业",
    "plan": "brand",
    "source": "陕中企规发〔2017〕69号《关于印发〈小微企业创业创新基地建设行动计划〉等八项行动计划的通知》",
    "basis_clause": "中小企业品牌提升培育行动计划 三（三）",
    "owner_level": "province",
    "owner_region": "",
    "subject_kind": "enterprise",
    "average_area": "",
    "title_template": "{地区}{梯队}",
    "tier-0-code": "benchmark",
    "tier-0-name": "质量标杆企业",
}


def test_a_provincial_admin_creates_and_sees_it_in_the_list(client):
    client.force_login(province_admin())
    page = text(client.get("/programmes/"))
    assert "新建认定项目" in page
    assert "新建认定项目" in text(client.get("/programmes/new/"))
    response = client.post("/programmes/new/", FORM)
    assert response.status_code == 302 and response["Location"] == "/programmes/#programme-quality-sme"
    listing = text(client.get("/programmes/"))
    assert "陕西省质量标杆中小企业" in listing
    assert "所属行动计划：中小企业品牌提升培育" in listing
    assert "主管部门：省中小企业局" in listing and "受理中" in listing
    assert "条款：中小企业品牌提升培育行动计划 三（三）" in listing


def test_errors_are_shown_beside_the_fields_and_nothing_is_saved(client):
    client.force_login(province_admin())
    response = client.post("/programmes/new/", {**FORM, "code": "growth-city", "plan": ""})
    assert response.status_code == 422
    page = text(response)
    assert "项目代码「growth-city」已被「市级中小企业成长梯队」使用" in page
    assert "请选择所属行动计划" in page
    assert not Programme.objects.filter(name="陕西省质量标杆中小企业").exists()


def test_edit_tiers_close_and_reopen_from_the_edit_page(client):
    client.force_login(province_admin())
    client.post("/programmes/new/", FORM)
    programme = Programme.objects.get(code="quality-sme")
    edit = text(client.get("/programmes/quality-sme/edit/"))
    assert "梯队（层级）" in edit and "质量标杆企业" in edit and "删除认定项目" in edit
    response = client.post("/programmes/quality-sme/edit/", {**FORM, "name": "陕西省质量标杆企业"})
    assert response.status_code == 302
    client.post("/programmes/quality-sme/tiers/", {"action": "add", "code": "candidate", "name": "培育企业"})
    tier = programme.tiers.get(code="candidate")
    client.post(
        "/programmes/quality-sme/tiers/", {"action": "rename", "tier": tier.pk, "name": "质量标杆培育企业"}
    )
    client.post("/programmes/quality-sme/tiers/", {"action": "up", "tier": tier.pk})
    assert [t.name for t in programme.tiers.all()] == ["质量标杆培育企业", "质量标杆企业"]
    refused = client.post(
        "/programmes/quality-sme/tiers/", {"action": "add", "code": "candidate", "name": "x"}
    )
    assert refused.status_code == 422 and "代码「candidate」重复" in text(refused)
    client.post("/programmes/quality-sme/close/", {"note": "停止受理"})
    listing = text(client.get("/programmes/"))
    assert "陕西省质量标杆企业" in listing and "已关闭" in listing
    assert "重新开放" in text(client.get("/programmes/quality-sme/edit/"))
    client.post("/programmes/quality-sme/reopen/")
    programme.refresh_from_db()
    assert programme.closed_at is None


def test_a_city_officer_edits_only_its_own_city_programmes(client):
    officer = city_officer("610100")
    client.force_login(officer)
    response = client.post(
        "/programmes/new/", {**FORM, "code": "xian-quality", "owner_level": "city", "owner_region": ""}
    )
    assert response.status_code == 302
    assert Programme.objects.get(code="xian-quality").owner_region_id == "610100"
    assert client.get("/programmes/xian-quality/edit/").status_code == 200
    assert client.get("/programmes/growth-city/edit/").status_code == 403
    listing = client.get("/programmes/").content.decode()
    assert listing.count('/edit/">编辑</a>') == 1
