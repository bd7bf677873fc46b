"""Attachments on the annex-1 form: a PDF is accepted and downloadable by who may see the
application; an executable renamed .pdf and an oversize file are refused with a message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from smeplan.recognition import services
from smeplan.recognition.models import Attachment
from tests.factories import OrganisationFactory, county_officer, enterprise_user, region, tier_of
from tests.recognition.make import YEAR, applicant
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, user = applicant()
    application = services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    )
    return application, user


def _upload(client, application, name, content):
    return client.post(
        f"/recognition/applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), "description": "营业执照"},
        follow=True,
    )


def test_a_pdf_is_accepted_and_downloadable(client, draft):
    application, user = draft
    client.force_login(user)
    body = text(_upload(client, application, "营业执照.pdf", PDF))
    assert "已上传附件：营业执照.pdf" in body
    attachment = Attachment.objects.get(application=application)
    assert attachment.content_type == "application/pdf"
    response = client.get(f"/recognition/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]

    client.force_login(county_officer("610113"))
    assert client.get(f"/recognition/attachments/{attachment.pk}/").status_code == 200
    client.force_login(county_officer("610302"))
    assert client.get(f"/recognition/attachments/{attachment.pk}/").status_code == 404
    client.force_login(enterprise_user(OrganisationFactory(county=region("610113"))))
    assert client.get(f"/recognition/attachments/{attachment.pk}/").status_code == 404


def test_an_executable_renamed_pdf_is_refused(client, draft):
    application, user = draft
    client.force_login(user)
    body = text(_upload(client, application, "财务报表.pdf", b"MZ\x90\x00" + b"\x00" * 200))
    assert "财务报表.pdf：只接受 PDF、PNG、JPEG 文件" in body
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(client, draft, settings):
    settings.SMEPLAN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    application, user = draft
    client.force_login(user)
    body = text(_upload(client, application, "大文件.pdf", PDF + b"0" * (2 * 1024 * 1024)))
    assert "大文件.pdf：文件 2.0 MB，超过 1 MB 的上限" in body
    assert not Attachment.objects.exists()


def test_an_attachment_can_be_removed_while_editable(client, draft):
    application, user = draft
    client.force_login(user)
    _upload(client, application, "证书.pdf", PDF)
    attachment = Attachment.objects.get()
    body = text(client.post(f"/recognition/attachments/{attachment.pk}/delete/", follow=True))
    assert "已删除附件：证书.pdf" in body
    assert not Attachment.objects.exists()
