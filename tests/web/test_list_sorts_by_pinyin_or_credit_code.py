import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text

# Characters with one reading only (a character with several, such as 长 or 重, may sort under
# either reading depending on the database).
NAMES = ["张家餐饮有限公司", "阿福食品有限公司", "北斗物流有限公司", "陈记机械有限公司", "王府建材有限公司"]
PINYIN_ORDER = [
    "阿福食品有限公司",
    "北斗物流有限公司",
    "陈记机械有限公司",
    "王府建材有限公司",
    "张家餐饮有限公司",
]


@pytest.fixture
def firms(db):
    return [OrganisationFactory(name=name, county=region("610113")) for name in NAMES]


@pytest.mark.django_db
def test_names_sort_by_pinyin_not_by_code_point(client, yanta_officer, firms):
    client.force_login(yanta_officer)

    assert row_names(client.get("/organisations/")) == PINYIN_ORDER
    assert row_names(client.get("/organisations/", {"sort": "-name"})) == PINYIN_ORDER[::-1]
    # a search keeps the same order
    assert row_names(client.get("/organisations/", {"q": "有限"})) == PINYIN_ORDER


@pytest.mark.django_db
def test_the_user_may_sort_by_credit_code_instead(client, yanta_officer, firms):
    client.force_login(yanta_officer)

    response = client.get("/organisations/", {"sort": "credit_code"})

    by_code = [o.name for o in sorted(firms, key=lambda o: o.credit_code)]
    assert row_names(response) == by_code
    body = text(response)
    assert '<option value="credit_code" selected>按统一社会信用代码</option>' in body
    assert '<option value="name">按名称拼音</option>' in body
