"""An ordinary refusal (403) is one line in the server log — status, user, path and reason — not a
traceback; a real fault (500) keeps its traceback."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_is_logged_as_one_line_with_user_path_and_reason(client, yanta_officer, caplog):
    client.force_login(yanta_officer)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")

    assert response.status_code == 403
    (record,) = _request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert line == "403 PermissionDenied: user=yanta path=/audit/ reason=您的角色无权打开此页面"
    formatted = logging.Formatter().format(record)
    assert "\n" not in formatted and "Traceback" not in formatted


def test_an_anonymous_refusal_names_no_user(caplog, yanta_org):
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory

    from smeplan.log import ClientErrorOnOneLine

    request = RequestFactory().get("/organisations/1/")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("x",), None)
    record.status_code, record.request = 403, request
    try:
        raise PermissionDenied("无权查看该单位")
    except PermissionDenied as exc:
        record.exc_info = (type(exc), exc, exc.__traceback__)
    assert ClientErrorOnOneLine().filter(record)
    assert (
        record.getMessage()
        == "403 PermissionDenied: user=anonymous path=/organisations/1/ reason=无权查看该单位"
    )


def test_a_500_keeps_its_traceback(yanta_officer, admin_user, caplog, monkeypatch):
    def broken(events):
        raise RuntimeError("故障")

    monkeypatch.setattr("smeplan.web.views.audit.describe_events", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/audit/")

    assert response.status_code == 500
    (record,) = _request_records(caplog)
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(
        record
    ) and "RuntimeError: 故障" in logging.Formatter().format(record)
