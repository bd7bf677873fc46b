"""The Django admin is for provincial administrators only: every admin route refuses everyone else."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from smeplan.accounts.models import Role
from tests.factories import AnnualFiguresFactory, OrganisationFactory, UserFactory, region

pytestmark = pytest.mark.django_db

OTHER_ROLES = {
    "anonymous": None,
    "province_officer": (Role.PROVINCIAL_OFFICER, "610000"),
    "province_viewer": (Role.VIEWER, "610000"),
    "city_officer": (Role.CITY_OFFICER, "610100"),
    "county_officer": (Role.COUNTY_OFFICER, "610113"),
    "expert": (Role.EXPERT, None),
}


def make_user(role_name):
    spec = OTHER_ROLES.get(role_name)
    if role_name == "province_admin":
        return UserFactory(role=Role.PROVINCIAL_ADMIN, region=region("610000"))
    if spec is None:
        return None
    role, code = spec
    return UserFactory(role=role, region=region(code) if code else None)


def project_routes():
    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else "")
                )
            elif isinstance(p, URLPattern):
                yield (f"{ns}{p.name}" if p.name else None), prefix + str(p.pattern)

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def ctx():
    foreign = OrganisationFactory(county=region("610302"))
    AnnualFiguresFactory(organisation=foreign, year=2024)
    return {"foreign": foreign}


def _admin_urls(ctx):
    samples = {
        "object_id": str(ctx["foreign"].pk),
        "app_label": "registry",
        "content_type_id": "1",
        "id": "1",
    }
    urls = []
    for name, route in project_routes():
        if not route.startswith("admin/") or name in ("admin:login", "admin:logout", "admin:jsi18n", None):
            continue
        kwargs = {}
        pattern_kwargs = [
            k for k in samples if f"<{k}>" in route or f":{k}>" in route or f"(?P<{k}>" in route
        ]
        try:
            urls.append((name, reverse(name, kwargs={k: samples[k] for k in pattern_kwargs} or kwargs)))
        except NoReverseMatch:
            urls.append((name, None))
    return urls


@pytest.mark.parametrize("role", sorted(OTHER_ROLES))
def test_admin_refuses_everyone_but_provincial_admins(client, ctx, role):
    user = make_user(role)
    if user is not None:
        client.force_login(user)
    unreachable = []
    for name, url in _admin_urls(ctx):
        if url is None:
            unreachable.append(name)
            continue
        response = client.get(url)
        refused = response.status_code in (403, 404) or (
            response.status_code == 302 and "/admin/login/" in response["Location"]
        )
        assert refused, f"admin route {name} ({url}) open to {role}: {response.status_code}"
    assert not unreachable, f"admin routes the matrix cannot build: {unreachable}"


def test_admin_opens_for_provincial_admins(client, ctx):
    client.force_login(make_user("province_admin"))
    assert client.get(reverse("admin:registry_organisation_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:registry_organisation_change", args=[ctx["foreign"].pk])).status_code == 200
    )
