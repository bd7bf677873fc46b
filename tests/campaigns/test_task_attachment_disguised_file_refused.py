"""佐证材料 are recognised by content: a .pdf that is really a zip is refused and nothing is stored;
a real PDF is kept under a random name and can be removed while the task is editable."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from smeplan.campaigns.answers import task_attachment_add, task_attachment_remove
from smeplan.campaigns.models import TaskAttachment
from tests.factories import CampaignTaskFactory, enterprise_user


def _upload(name: str, content: bytes):
    f = io.BytesIO(content)
    f.name = name
    return f


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a pdf")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_zip_named_pdf_is_refused(client):
    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation)

    with pytest.raises(ValidationError) as refused:
        task_attachment_add(actor=firm, task=task, upload=_upload("审计报告.pdf", _zip()))

    assert "按文件内容识别" in refused.value.message_dict["file"][0]
    assert not TaskAttachment.objects.exists()
    client.force_login(firm)
    response = client.post(
        f"/campaigns/tasks/{task.pk}/",
        {"action": "upload", "lock_version": 0, "file": _upload("审计报告.pdf", _zip())},
    )
    assert response.status_code == 422 and "按文件内容识别" in response.content.decode()
    assert not TaskAttachment.objects.exists()


@pytest.mark.django_db
def test_a_pdf_is_stored_under_a_random_name_and_removed():
    task = CampaignTaskFactory()
    firm = enterprise_user(task.organisation)

    attachment = task_attachment_add(actor=firm, task=task, upload=_upload("审计报告.pdf", b"%PDF-1.7\n..."))

    stored = Path(settings.MEDIA_ROOT) / "campaign_tasks" / attachment.stored_name
    assert attachment.original_name == "审计报告.pdf" and "审计" not in attachment.stored_name
    assert stored.read_bytes() == b"%PDF-1.7\n..."
    task_attachment_remove(actor=firm, attachment=attachment)
    assert not stored.exists() and not TaskAttachment.objects.exists()
