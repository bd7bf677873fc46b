import pytest

from smeplan.audit.models import AuditEvent
from smeplan.registry.credit_code import make_credit_code
from smeplan.registry.models import Organisation
from tests.web.helpers import field_errors, organisation_post


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91610113MA6", "统一社会信用代码应为18位，实际为11位"),
        (
            "91610113I" + make_credit_code("610113", 5)[9:],
            "第9位字符“I”不允许使用（代码中不得出现 I、O、S、V、Z）",
        ),
    ],
)
def test_a_malformed_credit_code_is_refused_beside_its_field(client, yanta_officer, code, message):
    client.force_login(yanta_officer)

    response = client.post("/organisations/new/", organisation_post(credit_code=code))

    assert response.status_code == 200
    assert field_errors(response, "credit_code") == [message]
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_a_wrong_check_character_names_the_expected_one(client, yanta_officer):
    good = make_credit_code("610113", 1234)
    wrong = "0" if good[17] != "0" else "1"
    client.force_login(yanta_officer)

    response = client.post("/organisations/new/", organisation_post(credit_code=good[:17] + wrong))

    assert field_errors(response, "credit_code") == [f"第18位校验码应为“{good[17]}”，实际为“{wrong}”"]
    assert Organisation.objects.count() == 0
    assert "尚未保存任何数据" in response.content.decode()


@pytest.mark.django_db
def test_an_already_registered_credit_code_is_refused(client, yanta_officer, yanta_org):
    client.force_login(yanta_officer)

    response = client.post(
        "/organisations/new/", organisation_post(credit_code=yanta_org.credit_code.lower())
    )

    assert field_errors(response, "credit_code") == [f"该统一社会信用代码已登记（{yanta_org.name}）"]
    assert Organisation.objects.count() == 1
