"""A call's required attachments: submitting without one is refused naming it; an upload for it
must be of its types; with it the submission goes through."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.recognition import services
from smeplan.recognition.models import State
from tests.recognition.calls_make import fill, open_call, start
from tests.recognition.make import applicant

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _filled(monkeypatch):
    call = open_call(
        monkeypatch,
        attachments=[
            {"code": "pledge", "label": "信用承诺书", "types": ["pdf"]},
            {"code": "audit", "label": "审计报告", "types": ["pdf"], "required": False},
        ],
    )
    _, user = applicant()
    application = fill(user, start(user, call))
    return user, application


def _submit(user, application):
    application.refresh_from_db()
    return services.application_act(
        actor=user, application=application, action="submit", expected_version=application.lock_version
    )


def test_submitting_without_a_required_attachment_names_it(monkeypatch):
    user, application = _filled(monkeypatch)
    with pytest.raises(ValidationError) as e:
        _submit(user, application)
    assert e.value.messages == ["请上传本批次要求的附件：信用承诺书"]


def test_an_upload_of_another_type_is_refused_for_that_attachment(monkeypatch):
    user, application = _filled(monkeypatch)
    with pytest.raises(ValidationError) as e:
        services.attachment_add(
            actor=user, application=application, name="照.png", content=PNG, field="pledge"
        )
    assert e.value.message_dict == {"file": ["信用承诺书只接受 pdf 文件，照.png是 png"]}
    assert not application.attachments.filter(field="pledge").exists()


def test_with_the_required_attachment_the_submission_goes_through(monkeypatch):
    user, application = _filled(monkeypatch)
    services.attachment_add(actor=user, application=application, name="执照.pdf", content=PDF, field="pledge")
    assert _submit(user, application).state == State.COUNTY_REVIEW
