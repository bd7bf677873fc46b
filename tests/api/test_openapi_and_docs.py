"""The OpenAPI document lists every path; the docs page works offline (bundled Swagger UI)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/regions": {"get"},
    "/api/v1/regions/{code}": {"get"},
    "/api/v1/industries": {"get"},
    "/api/v1/organisations": {"get", "post"},
    "/api/v1/organisations/{org_id}": {"get", "patch"},
    "/api/v1/organisations/{org_id}/figures": {"get", "post"},
    "/api/v1/organisations/{org_id}/figures/{year}": {"patch"},
    "/api/v1/organisations/{org_id}/revisions": {"get"},
    "/api/v1/organisations/{org_id}/name-history": {"get"},
    "/api/v1/organisations/{org_id}/rename": {"post"},
    "/api/v1/imports": {"get", "post"},
    "/api/v1/imports/{import_id}": {"get"},
    "/api/v1/imports/{import_id}/issues": {"get"},
    "/api/v1/imports/{import_id}/mapping": {"put"},
    "/api/v1/imports/{import_id}/commit": {"post"},
    "/api/v1/imports/{import_id}/undo": {"post"},
    "/api/v1/programmes": {"get", "post"},
    "/api/v1/programmes/{programme_id}": {"get", "put"},
    "/api/v1/programmes/{programme_id}/close": {"post"},
    "/api/v1/programmes/{programme_id}/reopen": {"post"},
    "/api/v1/programmes/tiers/{tier_id}/versions": {"get", "post"},
    "/api/v1/programmes/tiers/{tier_id}/preview": {"post"},
    "/api/v1/programmes/tiers/{tier_id}/runs": {"post"},
    "/api/v1/programmes/runs": {"get"},
    "/api/v1/programmes/runs/{run_id}": {"get"},
    "/api/v1/programmes/runs/{run_id}/results": {"get"},
    "/api/v1/programmes/runs/{run_id}/compare": {"get"},
    "/api/v1/programmes/tiers/{tier_id}/explain/{org_id}": {"get"},
    "/api/v1/programmes/averages": {"get"},
    "/api/v1/recognition/applications": {"get", "post"},
    "/api/v1/recognition/applications/{application_id}": {"get"},
    "/api/v1/recognition/queue": {"get"},
    "/api/v1/recognition/applications/{application_id}/form": {"put"},
    "/api/v1/recognition/applications/{application_id}/form-schema": {"get"},
    "/api/v1/programmes/{code}/form-schema": {"get"},
    "/api/v1/recognition/applications/{application_id}/attachments": {"post"},
    "/api/v1/recognition/applications/{application_id}/attachments/{attachment_id}": {"delete"},
    "/api/v1/recognition/applications/{application_id}/actions": {"post"},
    "/api/v1/recognition/actions": {"post"},
    "/api/v1/recognition/nominations": {"post"},
    "/api/v1/recognition/applications/{application_id}/experts": {"post"},
    "/api/v1/recognition/expert/assignments": {"get"},
    "/api/v1/recognition/expert/assignments/{assignment_id}/declaration": {"post"},
    "/api/v1/recognition/expert/assignments/{assignment_id}/scores": {"post"},
    "/api/v1/recognition/expert/assignments/{assignment_id}/conflict": {"post"},
    "/api/v1/recognition/scores/compute": {"post"},
    "/api/v1/recognition/scores": {"get"},
    "/api/v1/recognition/applications/{application_id}/score": {"get"},
    "/api/v1/programmes/{code}/rubrics": {"get", "post"},
    "/api/v1/programmes/rubrics/{version_id}": {"get"},
    "/api/v1/recognition/notices": {"get", "post"},
    "/api/v1/recognition/obligations": {"get"},
    "/api/v1/recognition/obligations/{obligation_id}/submit": {"post"},
    "/api/v1/recognition/obligations/{obligation_id}/review": {"post"},
    "/api/v1/recognition/notices/{notice_id}": {"get"},
    "/api/v1/recognition/objections/{objection_id}/resolution": {"post"},
    "/api/v1/recognition/public/notices": {"get"},
    "/api/v1/recognition/public/notices/{notice_id}": {"get"},
    "/api/v1/recognition/public/notices/{notice_id}/objections": {"post"},
    "/api/v1/recognition/public/certified": {"get"},
    "/api/v1/recognition/certifications": {"get", "post"},
    "/api/v1/recognition/certifications/{certification_id}": {"get"},
    "/api/v1/recognition/certifications/{certification_id}/termination": {"post"},
    "/api/v1/recognition/certifications/{certification_id}/review": {"post"},
    "/api/v1/recognition/certifications/{certification_id}/promotion": {"post"},
    "/api/v1/recognition/certifications/{certification_id}/changes": {"post"},
    "/api/v1/recognition/changes/{change_id}/decision": {"post"},
    "/api/v1/recognition/changes/{change_id}/confirmation": {"post"},
    "/api/v1/recognition/changes/{change_id}/recertification": {"post"},
    "/api/v1/recognition/certifications/check": {"post"},
    "/api/v1/recognition/notifications": {"get"},
    "/api/v1/recognition/notifications/read": {"post"},
    "/api/v1/flags": {"get"},
    "/api/v1/flags/detect": {"post"},
    "/api/v1/flags/{flag_id}/decision": {"post"},
    "/api/v1/evaluation/runs": {"get", "post"},
    "/api/v1/evaluation/runs/{run_id}": {"get"},
    "/api/v1/evaluation/runs/{run_id}/proposals": {"get"},
    "/api/v1/evaluation/runs/{run_id}/moves": {"get"},
    "/api/v1/evaluation/proposals/confirm": {"post"},
    "/api/v1/evaluation/moves/confirm": {"post"},
    "/api/v1/evaluation/schemes": {"get", "post"},
    "/api/v1/reporting/annex3": {"get"},
    "/api/v1/reporting/plans": {"get", "post"},
    "/api/v1/reporting/plans/{plan_id}": {"get"},
    "/api/v1/reporting/plans/{plan_id}/actions": {"post"},
    "/api/v1/reporting/filings": {"get", "post"},
    "/api/v1/reporting/filings/{filing_id}": {"get"},
    "/api/v1/targets/periods": {"get", "post"},
    "/api/v1/targets/periods/{code}/progress": {"get"},
    "/api/v1/targets/periods/{code}/targets": {"post"},
    "/api/v1/targets/periods/{code}/copy": {"post"},
    "/api/v1/targets/periods/{code}/import": {"post"},
    "/api/v1/targets/values/{value_id}/confirm": {"post"},
    "/api/v1/targets/values/{value_id}/attachment": {"post"},
    "/api/v1/targets/attachments/{attachment_id}": {"get"},
    "/api/v1/targets/{target_id}": {"get", "patch"},
    "/api/v1/targets/{target_id}/shares": {"put"},
    "/api/v1/targets/{target_id}/values": {"get", "post"},
    "/api/v1/calls": {"get", "post"},
    "/api/v1/calls/{call_id}": {"get", "put"},
    "/api/v1/calls/{call_id}/quotas": {"put"},
    "/api/v1/calls/{call_id}/close": {"post"},
    "/api/v1/calls/{call_id}/progress": {"get"},
    "/api/v1/calls/{call_id}/applications": {"post"},
    # 数据填报, the bureau side (issue 16 part 3)
    "/api/v1/campaigns": {"get", "post"},
    "/api/v1/campaigns/{campaign_id}": {"get"},
    "/api/v1/campaigns/{campaign_id}/progress": {"get"},
    "/api/v1/campaigns/{campaign_id}/tasks": {"get"},
    "/api/v1/campaigns/{campaign_id}/close": {"post"},
}

# 数据填报任务 (issue 16 part 4)
PATHS |= {
    "/api/v1/campaigns/tasks": {"get"},
    "/api/v1/campaigns/tasks/{task_id}": {"get"},
    "/api/v1/campaigns/tasks/{task_id}/answers": {"put"},
    "/api/v1/campaigns/tasks/{task_id}/submit": {"post"},
    "/api/v1/campaigns/tasks/{task_id}/accept": {"post"},
    "/api/v1/campaigns/tasks/{task_id}/return": {"post"},
    "/api/v1/campaigns/{campaign_id}/answers": {"post"},
    # issue 16 part 1: registration and the firm's accounts
    "/api/v1/portal/registrations": {"get", "post"},
    "/api/v1/portal/registrations/{registration_id}/approve": {"post"},
    "/api/v1/portal/registrations/{registration_id}/refuse": {"post"},
    "/api/v1/portal/members": {"get"},
    "/api/v1/portal/invitations": {"post"},
    # 本单位信息与企业信息变更申请 (issue 16 part 2)
    "/api/v1/portal/changes": {"get", "post"},
    "/api/v1/portal/changes/{change_id}": {"get"},
    "/api/v1/portal/changes/{change_id}/approve": {"post"},
    "/api/v1/portal/changes/{change_id}/refuse": {"post"},
    "/api/v1/portal/changes/{change_id}/withdraw": {"post"},
    "/api/v1/portal/profile": {"get", "patch"},
}


def test_openapi_json_lists_the_paths():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert {p: set(ops) for p, ops in document["paths"].items()} == PATHS
    schemes = document["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    money = document["components"]["schemas"]["FiguresYearOut"]["properties"]["operating_revenue"]
    assert "万元" in money["description"]


def test_docs_page_uses_the_bundled_swagger_ui():
    client = Client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    asset = client.get("/static/ninja/swagger-ui-bundle.js")
    assert asset.status_code == 200
