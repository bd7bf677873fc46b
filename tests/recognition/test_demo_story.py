"""The demo's printed logins fit together (issue 14): ent_1's firm is in the county whose login is
printed, its application meets its criteria and waits there, and the printed county, city and
provincial users can take it, page by page, to a certificate ent_1 can print; the other
enterprise users show the other states."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from smeplan.accounts.models import User
from smeplan.programmes.engine import explanation_compute
from smeplan.recognition import clock
from smeplan.recognition.models import Application, State

PASSWORD = "pw-demo-123"


@pytest.fixture
def logins(db):
    """The demo (province, workflow) loaded; the text demo_logins prints."""
    call_command(
        "demo_province",
        enterprises=1500,
        first_year=2021,
        last_year=2024,
        password=PASSWORD,
        stdout=io.StringIO(),
    )
    call_command("demo_recognition", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_logins", password=PASSWORD, stdout=out)
    return out.getvalue()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD), username
    return client


def _steps(text: str) -> list[tuple[str, str]]:
    """The numbered steps of the story: (username, what to do)."""
    return re.findall(r"^\s+\d+\.\s+(\S+)\s+(.+)$", text, flags=re.MULTILINE)


def test_printed_logins_fit_ent_1s_application(logins):
    steps = _steps(logins)
    assert [who for who, _ in steps][:4] == ["ent_1", "county_610113", "city_610100", "prov_officer"]
    county = User.objects.get(username=steps[1][0])
    city = User.objects.get(username=steps[2][0])
    firm = User.objects.get(username="ent_1").organisation
    assert firm.county_id == county.region_id  # 雁塔区, not 临潼区
    assert firm.county.city_level_unit_code() == city.region_id
    application = Application.objects.get(organisation=firm)
    assert application.state == State.COUNTY_REVIEW and application.waiting_region_id == county.region_id
    # its own check at submission and the engine now: it meets the tier's criteria (revenue included)
    assert application.eligibility["outcome"] == "pass"
    assert (
        explanation_compute(organisation=firm, tier=application.tier, year=application.year).outcome == "pass"
    )
    assert firm.name in logins and "推荐上报" in steps[1][1] and "认定" in steps[-1][1]


def test_the_printed_users_take_ent_1s_application_to_a_certificate(logins):
    steps = _steps(logins)
    firm = User.objects.get(username="ent_1").organisation
    application = Application.objects.get(organisation=firm)
    assert firm.name in _client("ent_1").get("/recognition/applications/").content.decode()
    for username, action in ((steps[1][0], "recommend"), (steps[2][0], "recommend"), (steps[3][0], "select")):
        client = _client(username)
        assert firm.name in client.get("/recognition/queue/").content.decode(), username
        page = client.get(f"/recognition/applications/{application.pk}/").content.decode()
        assert f'value="{action}"' in page, username  # the page offers the step printed for this user
        application.refresh_from_db()
        client.post(
            f"/recognition/applications/{application.pk}/act/",
            {"action": action, "version": application.lock_version},
        )
        application.refresh_from_db()
    assert application.state == State.SELECTED
    province = _client(steps[3][0])
    province.post(
        "/recognition/notices/new/",
        {
            "items": [f"{application.pk}:{application.lock_version}"],
            "title": "演示公示",
            "starts_on": clock.today().isoformat(),
            "days": "7",
            "contact": "省中小企业促进局",
        },
    )
    application.refresh_from_db()
    assert application.state == State.ON_NOTICE
    after = application.notice.ends_on + dt.timedelta(days=1)
    with clock.pretend_today(after):
        province.post(
            "/recognition/certify/",
            {
                "items": [f"{application.pk}:{application.lock_version}"],
                "document_number": "陕中小企发〔2026〕99号",
                "certified_on": after.isoformat(),
            },
        )
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
    certificate = _client("ent_1").get(f"/recognition/certifications/{application.certification.pk}/print/")
    assert certificate.status_code == 200 and application.certification.title in certificate.content.decode()


def test_the_other_enterprise_users_show_the_other_states(logins):
    states = {}
    for n in range(2, 6):
        user = User.objects.get(username=f"ent_{n}")
        application = Application.objects.filter(organisation_id=user.organisation_id).get()
        states[user.username] = application.state
        assert user.organisation.county_id == "610113"
        assert application.get_state_display() in logins
    assert states == {
        "ent_2": State.CERTIFIED,
        "ent_3": State.DRAFT,
        "ent_4": State.RETURNED,
        "ent_5": State.ON_NOTICE,
    }
    certified = Application.objects.get(organisation=User.objects.get(username="ent_2").organisation)
    assert certified.certification.document_number in logins
