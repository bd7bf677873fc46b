"""The API: start a run, read the 综合测评表, list and confirm proposals, schemes — the same
services and refusals as the pages."""

import json

import pytest
from django.test import Client

from smeplan.accounts.services import api_token_issue
from smeplan.recognition.models import Certification
from tests.evaluation.make import DOCUMENT, YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import city_officer, province_admin

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    _, raw = api_token_issue(actor=None, user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client, path, body):
    return client.post(f"/api/v1/evaluation{path}", json.dumps(body), content_type="application/json")


def test_run_results_and_confirm():
    admin = province_admin()
    growth, certs = tier_of_21(admin)
    api = client_of(admin)
    created = post(api, "/runs", {"tier_id": growth.pk, "year": YEAR})
    assert created.status_code == 201
    run = created.json()
    assert run["evaluated"] == 21 and run["proposals"] == 1 and run["moves"] == 2
    detail = api.get(f"/api/v1/evaluation/runs/{run['id']}").json()
    top = detail["results"][0]
    assert top["rank"] == 1 and top["organisation_id"] == certs[20].organisation_id
    assert top["indicators"]["profit_margin"] == "0.2000" and top["normalised"]["profit_margin"] == 100
    proposals = api.get(f"/api/v1/evaluation/runs/{run['id']}/proposals").json()
    assert [p["certification_id"] for p in proposals] == [certs[0].pk]
    refused = post(
        client_of(city_officer()),
        "/proposals/confirm",
        {"ids": [proposals[0]["id"]], "document_number": DOCUMENT},
    )
    assert refused.status_code == 403
    bad = post(api, "/proposals/confirm", {"ids": [proposals[0]["id"]], "document_number": ""})
    assert bad.status_code == 422
    ok = post(api, "/proposals/confirm", {"ids": [proposals[0]["id"]], "document_number": DOCUMENT})
    withdrawn = [
        {"kind": "move", "certification_id": certs[0].pk, "organisation": certs[0].organisation_name}
    ]
    assert ok.json()["confirmed"] == 1
    assert [{k: w[k] for k in withdrawn[0]} for w in ok.json()["withdrawn"]] == withdrawn
    assert Certification.objects.get(pk=certs[0].pk).state == "terminated"


def test_bad_year_and_scheme_messages():
    admin = province_admin()
    growth, _ = tier_of_21(admin)
    api = client_of(admin)
    response = post(api, "/runs", {"tier_id": growth.pk, "year": "明年"})
    assert response.status_code == 422 and "测评年度「明年」无效" in response.content.decode()
    response = post(
        api,
        "/schemes",
        {"programme_id": growth.programme_id, "effective_year": 2026, "weights": {"tax_ratio": -1}},
    )
    assert (
        response.status_code == 422
        and "实缴税金占营业收入比重的权重「-1」不能为负数" in response.content.decode()
    )
    schemes = api.get("/api/v1/evaluation/schemes").json()
    assert any(s["effective_year"] == 2024 and s["weights"]["profit_margin"] == 1 for s in schemes)
