"""The annex-1 form: figure corrections become registry revisions; attachments are checked by
content and size; submission needs the declaration."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.indicators.models import FigureRevision
from smeplan.recognition import services
from smeplan.recognition.models import Attachment, State
from tests.factories import tier_of
from tests.recognition.make import YEAR, act, applicant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def draft(db):
    _org, user = applicant()
    return services.application_start(
        actor=user, tier=tier_of("growth-province", "growth_star"), year=YEAR
    ), user


@pytest.mark.django_db
def test_figure_correction_on_the_form_is_a_revision_of_the_registry(draft):
    application, user = draft
    services.application_update(
        actor=user,
        application=application,
        expected_version=application.lock_version,
        form={"main_products": "阀门"},
        figures={YEAR: {"operating_revenue": "6123.45"}},
    )
    revision = FigureRevision.objects.get(
        organisation=application.organisation, year=YEAR, field="operating_revenue"
    )
    assert str(revision.new_value) == "6123.45" and "认定申报" in revision.note


@pytest.mark.django_db
def test_submission_without_the_declaration_is_refused(draft):
    application, user = draft
    with pytest.raises(ValidationError, match="真实性承诺"):
        act(user, application, "submit")
    application.refresh_from_db()
    assert application.state == State.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.pdf", b"MZ\x90\x00" + b"\x00" * 100, "只接受 PDF、PNG、JPEG"),
        ("营业执照.png", PDF, "与扩展名"),
        ("空.pdf", b"", "空的"),
        ("大.pdf", PDF + b"\x00" * (2 * 1024 * 1024), "超过"),
    ],
)
def test_disguised_empty_or_oversized_attachment_is_refused(draft, settings, name, content, message):
    settings.SMEPLAN_ATTACHMENT_MAX_BYTES = 1024 * 1024
    application, user = draft
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=user, application=application, name=name, content=content)
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_pdf_attachment_is_kept_under_a_random_name(draft):
    application, user = draft
    attachment = services.attachment_add(
        actor=user, application=application, name="营业执照.pdf", content=PDF
    )
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert "营业执照" not in attachment.file.name
