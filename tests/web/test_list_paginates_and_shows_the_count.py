import pytest

from tests.factories import OrganisationFactory, region
from tests.web.helpers import row_names, text


@pytest.fixture
def forty_five(db):
    county = region("610113")
    for i in range(45):
        OrganisationFactory(name=f"雁塔测试{i:02d}有限公司", county=county)


@pytest.mark.django_db
def test_pages_show_their_rows_prev_next_links_and_the_number_found(client, yanta_officer, forty_five):
    OrganisationFactory(name="他县测试有限公司", county=region("610402"))  # outside the officer's county
    client.force_login(yanta_officer)

    first = client.get("/organisations/")
    body = text(first)
    assert row_names(first)[0] == "雁塔测试00有限公司" and len(row_names(first)) == 20
    assert "共 45 家" in body
    assert "第1页" in body and "第 1–20 条" in body
    assert 'rel="next"' in body and 'rel="prev"' not in body

    last = client.get("/organisations/", {"page": 3})
    body = text(last)
    assert row_names(last) == [f"雁塔测试{i}有限公司" for i in range(40, 45)]
    assert "第3页" in body and "第 41–45 条" in body
    assert 'rel="prev"' in body and 'rel="next"' not in body


@pytest.mark.django_db
def test_the_number_found_follows_the_search(client, yanta_officer, forty_five):
    client.force_login(yanta_officer)

    assert "共 10 家" in text(client.get("/organisations/", {"q": "测试1"}))
    assert "共 0 家" in text(client.get("/organisations/", {"q": "没有这家"}))


@pytest.mark.django_db
def test_the_list_query_count_does_not_grow_with_the_rows(
    client, admin_user, forty_five, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(14):
        client.get("/organisations/", {"page": 2})
    with django_assert_max_num_queries(14):
        client.get("/organisations/", {"page": 2, "q": "雁塔"})


@pytest.mark.django_db
def test_a_large_number_is_shown_as_an_estimate(client, yanta_officer, forty_five, monkeypatch):
    from smeplan.registry import search, selectors

    monkeypatch.setattr(selectors.search, "list_count", lambda qs, **kw: search.ListCount(1_234_567, False))
    client.force_login(yanta_officer)

    body = text(client.get("/organisations/"))

    assert "约 1,230,000 家" in body and "共 " not in body


@pytest.mark.django_db
def test_a_number_counted_only_so_far_says_more_than(client, yanta_officer, forty_five, monkeypatch):
    from smeplan.registry import search, selectors

    monkeypatch.setattr(selectors.search, "list_count", lambda qs, **kw: search.ListCount(2000, False, True))
    client.force_login(yanta_officer)

    assert "超过 2,000 家" in text(client.get("/organisations/", {"q": "测试有限"}))
