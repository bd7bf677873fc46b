"""The audit log, the review queue, the notices, the notifications, the programmes' pages and the
admin read as a person reads them, for every role that may open them: no English words, event codes,
raw decimals (0.0500), "None", Python reprs ({'…': …}) or “待核实” notes in the text shown."""

import html
import re

import pytest

from smeplan.accounts.models import Role
from smeplan.programmes.screening import screening_run
from smeplan.recognition import services
from tests.factories import UserFactory, enterprise_user, tier_of
from tests.recognition.make import (
    DOCUMENT,
    act,
    applicant,
    bureaus,
    move_time,
    on_notice,
    submitted,
    to_selected,
)

pytestmark = pytest.mark.django_db

#: words that are names, not English prose (file formats, the language switch, standard acronyms)
ALLOWED = {"API", "Excel", "CSV", "PDF", "English", "WPS", "ERP", "MES", "HTTP"}
PATTERNS = {
    "English word": re.compile(r"(?<![A-Za-z0-9_./\-])[A-Za-z]{3,}(?![A-Za-z0-9_])"),
    "event code or model label": re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]{3,}\b"),
    "raw decimal": re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])"),
    "None/True/False": re.compile(r"\b(?:None|True|False|null)\b"),
    "Python repr": re.compile(r"\{'|\['|<QuerySet|object at 0x|Decimal\("),
    "待核实 note": re.compile(r"待核实"),
}


def shown_text(body: str) -> str:
    """What a person reads: the text of the page and its tooltips and placeholders."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    tips = " ".join(re.findall(r'(?:title|placeholder|aria-label)="([^"]*)"', body))
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + tips)


def problems_of(body: str, names: frozenset = frozenset()) -> dict[str, list[str]]:
    """``names``: the users' login names, shown beside their names on the audit log."""
    text = shown_text(body)
    found = {}
    for what, pattern in PATTERNS.items():
        hits = sorted({m for m in pattern.findall(text) if m not in ALLOWED | names})
        if hits:
            found[what] = hits
    return found


@pytest.fixture
def world(monkeypatch):
    """A province with one certified application, one on notice, one waiting for the county, an
    expert-reviewed one, a screening run, audit events and notifications — made through the services."""
    officers = bureaus()
    org, user = applicant(name="秦川阀门有限公司")
    waiting = submitted(applicant(name="雁塔待审有限公司")[1])
    notice_app, notice = on_notice(to_selected(submitted(user), officers), officers["province"])
    expert = UserFactory(role=Role.EXPERT, region=None, username="zhuanjia", display_name="王专家")
    demo = submitted(
        applicant(name="示范申报有限公司")[1], programme="transformation-demo", tier="demonstration"
    )
    for level, action in (("county", "recommend"), ("city", "recommend"), ("province", "send_to_experts")):
        demo = act(officers[level], demo, action)
    services.experts_assign(actor=officers["province"], application=demo, expert_ids=[expert.pk])
    run = screening_run(
        actor=officers["province"], tier=tier_of("transformation", "upgrade_library"), year=2024
    )
    move_time(monkeypatch, 8)
    notice_app.refresh_from_db()
    services.applications_certify(
        actor=officers["province"], items=[(notice_app.pk, notice_app.lock_version)], document_number=DOCUMENT
    )
    users = {
        "provincial_admin": officers["province"],
        "provincial_officer": UserFactory(
            role=Role.PROVINCIAL_OFFICER, username="shengyuan", display_name="省局工作人员"
        ),
        "city_officer": officers["city"],
        "county_officer": officers["county"],
        "viewer": UserFactory(role=Role.VIEWER, username="chakan", display_name="查看员"),
        "expert": expert,
        "enterprise_user": enterprise_user(org),
    }
    pages = [
        "/audit/",
        "/recognition/queue/",
        "/recognition/notices/",
        f"/recognition/notices/{notice.pk}/",
        "/notifications/",
        "/programmes/",
        "/programmes/runs/",
        f"/programmes/runs/{run.pk}/",
        "/programmes/averages/",
        "/programmes/growth-province/settings/",
        "/programmes/transformation-demo/settings/",
        f"/recognition/applications/{waiting.pk}/",
        f"/recognition/applications/{demo.pk}/",
        "/recognition/expert/",
        "/admin/",
        "/admin/audit/auditevent/",
    ]
    return users, pages, notice


@pytest.mark.parametrize(
    "role",
    [
        "provincial_admin",
        "provincial_officer",
        "city_officer",
        "county_officer",
        "viewer",
        "expert",
        "enterprise_user",
    ],
)
def test_every_page_reads_plainly_for_each_role(client, world, role):
    users, pages, _ = world
    client.force_login(users[role])
    opened, found = 0, {}
    for path in pages:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        problems = problems_of(response.content.decode(), frozenset(u.username for u in users.values()))
        if problems:
            found[path] = problems
    assert opened >= 1
    assert found == {}


def test_the_public_notice_pages_read_plainly(client, world):
    _, _, notice = world
    for path in ("/public/notices/", f"/public/notices/{notice.pk}/", "/public/certified/"):
        response = client.get(path)
        assert response.status_code == 200
        assert problems_of(response.content.decode()) == {}, path


def test_the_check_finds_what_it_looks_for():
    page = "<p>application.submit 0.0500 None {'a': 1} （该标准待核实） Pending</p><p title='x'>API 文档</p>"
    assert set(problems_of(page)) == set(PATTERNS)
