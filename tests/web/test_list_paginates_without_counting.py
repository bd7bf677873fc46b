import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text


@pytest.fixture
def forty_five(db):
    county = region("610113")
    for i in range(45):
        OrganisationFactory(name=f"雁塔测试{i:02d}有限公司", county=county)


@pytest.mark.django_db
def test_pages_show_their_rows_and_prev_next_links_without_a_count_query(
    client, yanta_officer, forty_five, django_assert_max_num_queries
):
    client.force_login(yanta_officer)

    with django_assert_max_num_queries(12) as captured:
        first = client.get("/organisations/")
    sql = " ".join(q["sql"] for q in captured.captured_queries).upper()
    assert "COUNT(" not in sql
    assert row_names(first)[0] == "雁塔测试00有限公司" and len(row_names(first)) == 20
    body = text(first)
    assert "第1页" in body and "第 1–20 条" in body
    assert 'rel="next"' in body and 'rel="prev"' not in body

    last = client.get("/organisations/", {"page": 3})
    body = text(last)
    assert row_names(last) == [f"雁塔测试{i}有限公司" for i in range(40, 45)]
    assert "第3页" in body and "第 41–45 条" in body
    assert 'rel="prev"' in body and 'rel="next"' not in body


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_the_rows(
    client, admin_user, forty_five, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(12) as captured:
        client.get("/organisations/", {"page": 2})
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
