"""The criteria and screening pages follow the language switch: their own labels are in English
(the criteria's words and the engine's lines stay as stored, in Chinese)."""

import pytest

from tests.factories import county_officer, screening_run_make, tier_of
from tests.web.conftest import compile_messages
from tests.web.helpers import text

pytestmark = pytest.mark.django_db


def test_the_pages_are_in_english_after_switching(client):
    compile_messages()
    officer = county_officer("610113")
    run = screening_run_make(actor=officer)
    client.force_login(officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/programmes/"})

    listing = text(client.get("/programmes/"))
    assert (
        "Criteria and screening" in listing
        and "Screening runs" in listing
        and "History: 1 version(s)" in listing
    )
    assert "认定条件与筛选" not in listing and "历次筛选" not in listing

    screen = text(client.get(f"/programmes/tiers/{tier_of().pk}/screen/"))
    assert "Run the screening" in screen and "Screening year" in screen

    detail = text(client.get(f"/programmes/runs/{run.pk}/"))
    assert "Criteria used" in detail and "Pass and incomplete" in detail
    assert "Evaluated" in detail and "参评" not in detail

    averages = text(client.get("/programmes/averages/?year=2024"))
    assert "Same-industry averages" in averages and "have not been computed yet" in averages
