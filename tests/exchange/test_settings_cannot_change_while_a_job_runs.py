"""While a background job checks or writes a batch, its mapping cannot be changed nor the batch given
up: the job's result would no longer match what the page shows."""

import pytest
from django.core.exceptions import ValidationError

from smeplan.exchange.models import ImportBatch, JobAction, JobState
from smeplan.exchange.uploads import import_configure, import_discard, import_upload
from tests.factories import OrganisationFactory, county_officer
from tests.web.import_files import xlsx_bytes

pytestmark = pytest.mark.django_db


def test_configure_and_discard_wait_for_the_job():
    org = OrganisationFactory()
    officer = county_officer()
    batch = import_upload(
        actor=officer,
        file_name="a.xlsx",
        content=xlsx_bytes([[org.credit_code, org.name, "雁塔区", 2024, 1, 1]]),
    )
    before = dict(batch.options)
    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.RUNNING, job_action=JobAction.ANALYSE)
    with pytest.raises(ValidationError, match="正在识别与校验"):
        import_configure(actor=officer, batch=batch, default_year=2023)
    with pytest.raises(ValidationError, match="后台任务尚在进行"):
        import_discard(actor=officer, batch=batch)
    batch.refresh_from_db()
    assert batch.options == before and batch.status == "uploaded"

    ImportBatch.objects.filter(pk=batch.pk).update(job_state=JobState.IDLE)
    import_configure(actor=officer, batch=batch, default_year=2023)
    batch.refresh_from_db()
    assert batch.options["default_year"] == 2023
