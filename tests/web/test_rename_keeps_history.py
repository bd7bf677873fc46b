import pytest
from django.utils import timezone

from smeplan.registry.models import Organisation, OrganisationNameChange
from tests.web.helpers import field_errors, row_names


@pytest.mark.django_db
def test_renaming_keeps_the_old_name_which_still_finds_the_organisation(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(
        f"/organisations/{yanta_org.pk}/rename/",
        {"new_name": "雁塔智能装备有限公司", "changed_on": "2024-05-20"},
    )

    assert response.status_code == 302
    change = OrganisationNameChange.objects.get(organisation=yanta_org)
    assert (change.old_name, change.new_name, str(change.changed_on)) == (
        "雁塔精密机械有限公司",
        "雁塔智能装备有限公司",
        "2024-05-20",
    )
    assert row_names(client.get("/organisations/", {"q": "精密机械"})) == ["雁塔智能装备有限公司"]


@pytest.mark.django_db
def test_a_rename_with_a_bad_date_or_the_same_name_saves_nothing(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)
    tomorrow = timezone.localdate().toordinal() + 1
    future = timezone.localdate().fromordinal(tomorrow).isoformat()

    same = client.post(f"/organisations/{yanta_org.pk}/rename/", {"new_name": yanta_org.name})
    unreadable = client.post(
        f"/organisations/{yanta_org.pk}/rename/", {"new_name": "新名", "changed_on": "去年"}
    )
    later = client.post(f"/organisations/{yanta_org.pk}/rename/", {"new_name": "新名", "changed_on": future})

    assert field_errors(same, "new_name") == ["新名称与现名称相同"]
    assert field_errors(unreadable, "changed_on") == ["更名日期应为日期（如 2024-06-30），收到“去年”"]
    assert field_errors(later, "changed_on") == [f"更名日期不能晚于今天（收到 {future}）"]
    assert OrganisationNameChange.objects.count() == 0
    assert Organisation.objects.get(pk=yanta_org.pk).name == "雁塔精密机械有限公司"
