"""Every bad input answers 422 with the page's Chinese message, and nothing is saved."""

import pytest
from django.utils import timezone

from smeplan.audit.models import AuditEvent
from smeplan.indicators.models import AnnualFigures, FigureRevision
from smeplan.registry.credit_code import ALPHABET, make_credit_code
from smeplan.registry.models import Organisation, OrganisationNameChange
from tests.factories import AnnualFiguresFactory, OrganisationFactory, county_officer

pytestmark = pytest.mark.django_db

GOOD_CODE = make_credit_code("610113", 777)
WRONG_CHECK = next(c for c in ALPHABET if c != GOOD_CODE[17])
NEXT_YEAR = timezone.localdate().year + 1


def counts():
    return (
        Organisation.objects.count(),
        AnnualFigures.objects.count(),
        FigureRevision.objects.count(),
        OrganisationNameChange.objects.count(),
        AuditEvent.objects.count(),
    )


def register(**kw):
    return {
        "credit_code": GOOD_CODE,
        "name": "西安秦川测试有限公司",
        "county": "610113",
        "industry": "3311",
    } | kw


@pytest.fixture
def setup(api_as):
    org = OrganisationFactory(name="已登记企业")
    AnnualFiguresFactory(organisation=org, year=2023)
    client = api_as(county_officer("610113"))
    return client, org


CASES = [
    # (method, path, body, field, exact message)
    (
        "post",
        "/organisations",
        register(credit_code=GOOD_CODE[:17] + WRONG_CHECK),
        "credit_code",
        f"第18位校验码应为“{GOOD_CODE[17]}”，实际为“{WRONG_CHECK}”",
    ),
    (
        "post",
        "/organisations",
        register(credit_code=GOOD_CODE[:16]),
        "credit_code",
        "统一社会信用代码应为18位，实际为16位",
    ),
    (
        "post",
        "/organisations",
        register(credit_code=GOOD_CODE[:5] + "I" + GOOD_CODE[6:]),
        "credit_code",
        "第6位字符“I”不允许使用（代码中不得出现 I、O、S、V、Z）",
    ),
    (
        "post",
        "/organisations",
        register(county="火星区"),
        "county",
        "未知区县“火星区”：请填写陕西省的县级行政区名称或代码",
    ),
    (
        "post",
        "/organisations",
        register(registered_capital="abc"),
        "registered_capital",
        "注册资本应为数字，收到“abc”",
    ),
    (
        "post",
        "/organisations",
        register(registered_capital=-5),
        "registered_capital",
        "注册资本不能为负数（收到 -5）",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": 2024, "employees": -5},
        "employees",
        "从业人员不能为负数（收到 -5）",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": NEXT_YEAR},
        "year",
        f"年度不能晚于当前年度（{NEXT_YEAR - 1}），收到 {NEXT_YEAR}",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": 2024, "operating_revenue": "abc"},
        "operating_revenue",
        "营业收入应为数字，收到“abc”",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": 2024, "employees": "12.5"},
        "employees",
        "从业人员应为整数，收到“12.5”",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": 2023, "employees": 10},
        "year",
        "已登记企业 2023 年度数据已存在，请修改该年度数据",
    ),
    ("post", "/organisations/{id}/figures", {"employees": 10}, "year", "请填写年度"),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": "二〇二四"},
        "year",
        "年度应为四位数字年份，收到“二〇二四”",
    ),
    (
        "post",
        "/organisations/{id}/figures",
        {"year": 2024, "employees": True},
        "employees",
        "从业人员应为数字，收到“True”",
    ),
    (
        "patch",
        "/organisations/{id}/figures/2023",
        {"tax_paid": "abc"},
        "tax_paid",
        "实缴税金应为数字，收到“abc”",
    ),
    (
        "patch",
        "/organisations/{id}/figures/2023",
        {"employees": -1},
        "employees",
        "从业人员不能为负数（收到 -1）",
    ),
    (
        "patch",
        "/organisations/{id}/figures/2022",
        {"employees": 1},
        "year",
        "已登记企业 没有 2022 年度数据，请先新增",
    ),
    (
        "patch",
        "/organisations/{id}",
        {"county": "火星区"},
        "county",
        "未知区县“火星区”：请填写陕西省的县级行政区名称或代码",
    ),
    (
        "patch",
        "/organisations/{id}",
        {"founded_on": "去年"},
        "founded_on",
        "成立日期应为日期（如 2015-06-30），收到“去年”",
    ),
    ("post", "/organisations/{id}/rename", {"new_name": ""}, "new_name", "请填写新名称"),
    (
        "post",
        "/organisations/{id}/rename",
        {"new_name": "新名", "changed_on": "abc"},
        "changed_on",
        "更名日期应为日期（如 2024-06-30），收到“abc”",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "message"), CASES, ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES]
)
def test_service_validation_is_422_with_the_page_message(setup, method, path, body, field, message):
    client, org = setup
    before = counts()
    response = getattr(client, method)(path.format(id=org.pk), body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["detail"] == "输入有误"
    assert payload["errors"][field] == [message]
    assert counts() == before


def test_duplicate_credit_code_is_422(setup):
    client, org = setup
    before = counts()
    response = client.post("/organisations", register(credit_code=org.credit_code))
    assert response.status_code == 422
    assert response.json()["errors"]["credit_code"] == ["该统一社会信用代码已登记（已登记企业）"]
    assert counts() == before


def test_every_problem_is_listed_at_once(setup):
    client, org = setup
    response = client.post(
        f"/organisations/{org.pk}/figures",
        {"year": NEXT_YEAR, "employees": -1, "operating_revenue": "abc", "tax_paid": "1,234.5"},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"year", "employees", "operating_revenue"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field", "fragment"),
    [
        ("post", "/organisations/{id}/figures", {"year": 2024, "revenue": 1}, "revenue", "不支持此字段"),
        ("patch", "/organisations/{id}", {"name": "改名"}, "name", "更名"),
        ("patch", "/organisations/{id}", {"credit_code": GOOD_CODE}, "credit_code", "不能修改"),
        ("patch", "/organisations/{id}", {"address": 123}, "address", "应为文本，收到“123”"),
        ("post", "/organisations/{id}/figures", [1, 2], "__all__", "JSON 对象"),
    ],
)
def test_schema_errors_are_422_naming_the_field(setup, method, path, body, field, fragment):
    client, org = setup
    before = counts()
    response = getattr(client, method)(path.format(id=org.pk), body)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(fragment in m for m in errors[field]), errors
    assert response.json()["detail"].startswith("请求参数有误")
    assert counts() == before


def test_malformed_json_is_400(setup):
    client, org = setup
    response = client.client.post(
        f"/api/v1/organisations/{org.pk}/figures", "{year: 2024", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "请求体不是有效的 JSON"
