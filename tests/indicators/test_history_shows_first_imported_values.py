"""A row an import created has no revision per first value: its batch is their history. The
enterprise page still shows where each first value came from (统计数据导入, who confirmed the import,
when, 导入#N（新增）), before any later change of it."""

from decimal import Decimal

import pytest

from smeplan.exchange.services import import_commit, import_validate
from smeplan.indicators.models import FigureRevision
from smeplan.indicators.selectors import revisions_of
from smeplan.indicators.services import figures_update
from tests.exchange.test_import_records_builder import rec
from tests.factories import OrganisationFactory, county_officer, province_admin
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def _imported(officer, confirmer, org):
    records = [rec(2, org.credit_code, 2024, operating_revenue=800, employees=12)]
    batch = import_validate(actor=officer, file_name="h.xlsx", data_bytes=b"h", records=records)
    return import_commit(actor=confirmer, batch=batch, records=records)


def test_first_values_come_from_the_batch_and_stay_first_after_a_later_change(client):
    org = OrganisationFactory()
    officer = county_officer(display_name="张科员")
    admin = province_admin(display_name="省管理员")
    batch = _imported(officer, admin, org)
    assert not FigureRevision.objects.exists()
    figures_update(actor=officer, organisation=org, year=2024, data={"operating_revenue": "850"})

    history = revisions_of(admin, org)
    assert [(r.field, r.old_value, r.new_value, r.note, r.actor) for r in history] == [
        ("operating_revenue", Decimal(800), Decimal(850), "", officer),  # the later change, newest first
        ("operating_revenue", None, Decimal(800), f"导入#{batch.pk}（新增）", admin),  # the value imported
        ("employees", None, Decimal(12), f"导入#{batch.pk}（新增）", admin),
    ]
    assert {r.source for r in history} == {"statistics_import", "bureau"}
    assert history[1].created_at == batch.committed_at and history[1].pk is None

    client.force_login(admin)
    page = text(client.get(f"/organisations/{org.pk}/"))
    section = page.split('id="revisions"')[1].split("</section>")[0]
    assert section.count(f"导入#{batch.pk}（新增）") == 2 and "统计数据导入" in section
    assert "省管理员" in section and "800.00" in section and "850.00" in section


def test_the_import_that_created_a_year_is_listed_among_the_imports_that_changed_it(client):
    org = OrganisationFactory()
    admin = province_admin()
    batch = _imported(admin, admin, org)
    assert not FigureRevision.objects.exists()  # only the figure row knows its batch

    client.force_login(admin)
    page = text(client.get(f"/organisations/{org.pk}/"))
    assert f'href="/imports/{batch.pk}/"' in client.get(f"/organisations/{org.pk}/").content.decode()
    assert "h.xlsx" in page
