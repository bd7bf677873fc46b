"""After certification, through the API: a rename reported by the enterprise, confirmed by the city
and re-certified by the province (one history chain); termination and the ban it brings; a merger
kept after the re-check; a county certification promoted to the city level."""

import pytest

from smeplan.registry.models import Organisation
from tests.factories import tier_of
from tests.recognition.make import applicant, bureaus, certified, submitted, to_selected

pytestmark = pytest.mark.django_db


def test_rename_recertify_then_terminate_and_ban(api_as, monkeypatch):
    org, user = applicant()
    officers = bureaus()
    certification = certified(to_selected(submitted(user), officers), officers["province"], monkeypatch)
    enterprise, city, province = api_as(user), api_as(officers["city"]), api_as(officers["province"])

    response = enterprise.post(
        f"/recognition/certifications/{certification.pk}/changes",
        {"kind": "rename", "description": "已完成工商变更登记", "new_name": "陕西新名称科技有限公司"},
    )
    assert response.status_code == 201, response.content
    change = response.json()
    assert change["state"] == "reported" and change["kind_label"] == "更名"

    early = province.post(
        f"/recognition/changes/{change['id']}/recertification", {"document_number": "陕中小企发〔2026〕20号"}
    )
    assert early.status_code == 422 and "更名须先由市（区）主管部门确认" in early.content.decode()
    assert province.post(f"/recognition/changes/{change['id']}/confirmation", {}).status_code == 403

    response = city.post(f"/recognition/changes/{change['id']}/confirmation", {"note": "已核实营业执照"})
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    response = province.post(
        f"/recognition/changes/{change['id']}/recertification", {"document_number": "陕中小企发〔2026〕20号"}
    )
    assert response.status_code == 201, response.content
    renewed = response.json()
    assert renewed["organisation_name"] == "陕西新名称科技有限公司"
    assert [h["id"] for h in renewed["history"]] == [certification.pk, renewed["id"]]
    assert Organisation.objects.get(pk=org.pk).name == "陕西新名称科技有限公司"

    bad = province.post(
        f"/recognition/certifications/{renewed['id']}/termination", {"reason": "无", "document_number": ""}
    )
    assert bad.status_code == 422 and "reason" in bad.json()["errors"]
    response = province.post(
        f"/recognition/certifications/{renewed['id']}/termination",
        {"reason": "voluntary", "document_number": "陕中小企发〔2026〕30号", "note": "企业申请退出"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "terminated" and response.json()["termination_reason"] == "voluntary"

    again = enterprise.post(
        "/recognition/applications", {"tier_id": tier_of("growth-province", "growth_star").pk, "year": 2024}
    )
    assert again.status_code == 422 and "不再受理申报" in again.content.decode()


def test_merger_kept_and_county_certification_promoted(api_as, monkeypatch):
    _, user = applicant()
    officers = bureaus()
    application = to_selected(submitted(user, programme="growth-county"), officers)
    certification = certified(application, officers["county"], monkeypatch)
    county = api_as(officers["county"])

    response = county.post(
        f"/recognition/certifications/{certification.pk}/changes",
        {"kind": "merger", "description": "被同行业企业整体收购"},
    )
    assert response.status_code == 201, response.content
    change = response.json()
    assert change["recheck"]["outcome"]
    assert (
        county.post(f"/recognition/changes/{change['id']}/decision", {"keep": True, "note": ""}).status_code
        == 422
    )
    response = county.post(
        f"/recognition/changes/{change['id']}/decision", {"keep": True, "note": "核查后仍符合条件"}
    )
    assert response.status_code == 200 and response.json()["state"] == "kept"

    response = county.post(f"/recognition/certifications/{certification.pk}/promotion", {"year": 2024})
    assert response.status_code == 201, response.content
    promoted = response.json()
    assert promoted["programme"] == "growth-city" and promoted["state"] == "city_review"
    assert promoted["channel"] == "promote" and promoted["promoted_from_id"] == certification.pk
    queue = api_as(officers["city"]).get("/recognition/queue").json()["items"]
    assert [a["id"] for a in queue] == [promoted["id"]]
