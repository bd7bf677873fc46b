"""本单位信息, the change requests' pages, the queue and the enterprise's home read as a person reads
them: no English words, codes, raw values or Python reprs — for the firm and for the county."""

import pytest

from smeplan.portal.changes import change_request_approve
from tests.factories import (
    OrganisationFactory,
    certification_make,
    change_request_make,
    county_officer,
    enterprise_user,
)
from tests.web.test_pages_speak_plainly import problems_of

pytestmark = pytest.mark.django_db


def test_every_page_of_the_changes_speaks_plainly(client):
    org = OrganisationFactory(name="说人话有限公司", ownership_type="private", address="雁塔路1号")
    certification_make(org)
    firm = enterprise_user(org, display_name="企业经办人")
    officer = county_officer("610113", display_name="县级审核人")
    approved = change_request_make(org, actor=firm, kind="legal_form", new_ownership_type="joint_stock")
    change_request_approve(actor=officer, request=approved, note="同意")
    pending = change_request_make(
        org, actor=firm, kind="relocation", new_county="610302", new_address="经二路8号"
    )
    names = frozenset({firm.username, officer.username})

    pages = {
        firm: [
            "/",
            "/portal/profile/",
            "/portal/changes/",
            *(f"/portal/changes/?kind={k}" for k in ("rename", "relocation", "legal_form", "merger")),
            f"/portal/changes/{approved.pk}/",
            f"/portal/changes/{pending.pk}/",
            f"/organisations/{org.pk}/",
        ],
        officer: [
            "/portal/changes/queue/",
            "/portal/changes/queue/?show=all",
            f"/portal/changes/{approved.pk}/",
            f"/portal/changes/{pending.pk}/",
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert problems_of(response.content.decode(), names) == {}, url
