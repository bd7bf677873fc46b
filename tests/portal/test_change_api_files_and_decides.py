"""The API files, lists, approves and withdraws requests through the same services: 422 with the
pages' messages, 403 for a role that may not decide."""

import pytest

from tests.factories import OrganisationFactory, county_officer, enterprise_user

pytestmark = pytest.mark.django_db


def test_file_list_and_decide_through_the_api(api_as):
    org = OrganisationFactory(name="接口变更有限公司")
    firm = api_as(enterprise_user(org))
    county = api_as(county_officer("610113"))
    baoji = api_as(county_officer("610302"))

    bad = firm.post("/portal/changes", {"kind": "merger", "description": "并购"})
    assert bad.status_code == 422 and bad.json()["errors"] == {
        "description": ["请写明并购的情况（至少5个字）"]
    }
    made = firm.post("/portal/changes", {"kind": "rename", "new_name": "接口新名有限公司"})
    assert made.status_code == 201, made.content
    change = made.json()
    assert change["state"] == "pending" and change["actions"] == ["withdraw"]
    assert change["changes"] == [{"label": "名称", "before": "接口变更有限公司", "after": "接口新名有限公司"}]

    assert [c["id"] for c in county.get("/portal/changes", {"queue": "true"}).json()["items"]] == [
        change["id"]
    ]
    assert baoji.get(f"/portal/changes/{change['id']}").status_code == 404
    assert firm.post(f"/portal/changes/{change['id']}/approve", {"note": ""}).status_code == 403
    approved = county.post(f"/portal/changes/{change['id']}/approve", {"note": "同意"}).json()
    assert approved["state"] == "approved" and approved["actions"] == []
    assert firm.get("/portal/profile").json()["history"][0]["id"] == change["id"]

    other = firm.post("/portal/changes", {"kind": "transfer", "description": "股权转让给某集团"}).json()
    assert firm.post(f"/portal/changes/{other['id']}/withdraw").json()["state"] == "withdrawn"
    bureau_made = county.post(
        "/portal/changes",
        {"kind": "legal_form", "new_ownership_type": "joint_stock", "organisation_id": org.pk},
    )
    assert bureau_made.status_code == 201 and bureau_made.json()["kind_label"] == "变更登记注册类型"
