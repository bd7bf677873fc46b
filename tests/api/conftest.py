"""Clients for the API tests: a bearer-token client per user, JSON in and out."""

import json

import pytest
from django.test import Client

from smeplan.accounts.services import api_token_issue

BASE = "/api/v1"


class ApiClient:
    """A Django test client that talks JSON to /api/v1 with a bearer token (or a session)."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path, params=None):
        return self.client.get(BASE + path, params or {})

    def post(self, path, body=None):
        return self.client.post(
            BASE + path, json.dumps(body if body is not None else {}), content_type="application/json"
        )

    def put(self, path, body=None):
        return self.client.put(
            BASE + path, json.dumps(body if body is not None else {}), content_type="application/json"
        )

    def upload(self, path, files: dict, data=None):
        """multipart/form-data POST (file uploads)."""
        return self.client.post(BASE + path, {**(data or {}), **files})

    def patch(self, path, body=None):
        return self.client.patch(
            BASE + path, json.dumps(body if body is not None else {}), content_type="application/json"
        )


@pytest.fixture
def api_as():
    """``api_as(user)``: an ApiClient authenticated with a freshly issued token of ``user``."""

    def make(user) -> ApiClient:
        _, raw = api_token_issue(actor=None, user=user, name="tests")
        return ApiClient(Client(headers={"Authorization": f"Bearer {raw}"}))

    return make


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(Client())
