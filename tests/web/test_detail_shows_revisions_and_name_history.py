import datetime as dt

import pytest

from smeplan.indicators.services import figures_update
from smeplan.registry.services import organisation_rename
from tests.web.helpers import text


@pytest.mark.django_db
def test_a_changed_figure_appears_as_old_to_new_with_source_and_author(client, yanta_officer, yanta_org):
    yanta_officer.display_name = "王科长"
    yanta_officer.save()
    figures_update(
        actor=yanta_officer,
        organisation=yanta_org,
        year=2024,
        data={"operating_revenue": "5600.5"},
        note="统计快报",
    )
    client.force_login(yanta_officer)

    body = text(client.get(f"/organisations/{yanta_org.pk}/"))

    revisions = body.split('id="revisions"')[1].split("</section>")[0]
    assert "营业收入" in revisions and "5,000.00" in revisions and "5,600.50" in revisions
    assert "主管部门录入" in revisions and "王科长" in revisions and "统计快报" in revisions


@pytest.mark.django_db
def test_name_history_lists_each_rename(client, yanta_officer, yanta_org):
    organisation_rename(
        actor=yanta_officer,
        organisation=yanta_org,
        new_name="雁塔智造有限公司",
        changed_on=dt.date(2024, 3, 1),
    )
    client.force_login(yanta_officer)

    body = text(client.get(f"/organisations/{yanta_org.pk}/"))

    names = body.split('id="names"')[1]
    assert "2024-03-01" in names and "雁塔精密机械有限公司" in names and "雁塔智造有限公司" in names
    assert "曾用名：雁塔精密机械有限公司" in body


@pytest.mark.django_db
def test_the_detail_page_query_count_does_not_grow_with_revisions(
    client, yanta_officer, yanta_org, django_assert_max_num_queries
):
    for value in range(1, 30):
        figures_update(actor=yanta_officer, organisation=yanta_org, year=2024, data={"tax_paid": value})
    client.force_login(yanta_officer)
    # 15: the 信息变更记录 section (approved change requests) is one query of its own
    with django_assert_max_num_queries(15):
        client.get(f"/organisations/{yanta_org.pk}/")
