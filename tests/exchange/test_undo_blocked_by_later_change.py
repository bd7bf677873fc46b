"""A value changed after the import blocks its undo, naming enterprise, year, field, date and who."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from smeplan.exchange.models import ImportStatus
from smeplan.exchange.services import import_commit, import_undo, import_validate
from smeplan.indicators.models import AnnualFigures
from smeplan.indicators.services import figures_update
from tests.exchange.test_import_records_builder import figures_checksum, rec
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db


def test_later_edit_blocks_the_undo():
    org = OrganisationFactory(name="西安某某科技有限公司")
    AnnualFiguresFactory(organisation=org, year=2024, operating_revenue=5000)
    officer = county_officer(display_name="张三")
    records = [rec(2, org.credit_code, 2024, operating_revenue=5200, employees=150)]
    batch = import_validate(actor=officer, file_name="b.xlsx", data_bytes=b"b", records=records)
    batch = import_commit(actor=officer, batch=batch, records=records)
    figures_update(actor=officer, organisation=org, year=2024, data={"operating_revenue": "5300"})
    checksum = figures_checksum()

    with pytest.raises(ValidationError) as exc:
        import_undo(actor=officer, batch=batch)
    today = timezone.localdate().isoformat()
    assert exc.value.messages == [
        f"西安某某科技有限公司 2024 年营业收入在本次导入后已被修改（{today} 张三），无法撤销"
    ]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert figures_checksum() == checksum
    assert AnnualFigures.objects.get(organisation=org).operating_revenue == 5300
