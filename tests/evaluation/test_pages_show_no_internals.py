"""The evaluation pages (runs, annex 2, what-if, proposals, tier moves, schemes) as a provincial
admin sees them: no English words, internal codes, raw decimals such as 0.0500 or Python values;
the bottom share is a percentage and durations are in 秒."""

import re
from html.parser import HTMLParser

import pytest

from smeplan.evaluation import services
from tests.evaluation.make import YEAR
from tests.evaluation.test_proposals import tier_of_21
from tests.factories import province_admin

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The visible text of ``<main>`` and the values of its inputs and option labels."""

    def __init__(self):
        super().__init__()
        self.depth, self.skip, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        attrs = dict(attrs)
        if self.depth and tag == "input" and attrs.get("type") not in ("hidden", "checkbox"):
            self.parts.append(attrs.get("value") or "")
            self.parts.append(attrs.get("placeholder") or "")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def pages(client):
    admin = province_admin()
    admin.display_name = "省中小企业局 王科长"  # a login name is the user's own choice, not checked here
    admin.save(update_fields=["display_name"])
    growth, _certs = tier_of_21(admin)
    run = services.evaluation_run(actor=admin, tier=growth, year=YEAR)
    client.force_login(admin)
    urls = [
        "/evaluation/",
        f"/evaluation/runs/{run.pk}/",
        f"/evaluation/runs/{run.pk}/what-if/",
        f"/evaluation/runs/{run.pk}/what-if/?weight_revenue_growth=1&weight_profit_margin=0.5&method=percentile",
        f"/evaluation/runs/{run.pk}/proposals/",
        f"/evaluation/runs/{run.pk}/moves/",
        "/evaluation/schemes/",
    ]
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = visible(response.content.decode())
    return run, out


def test_no_english_codes_or_raw_decimals(pages):
    _run, texts = pages
    for url, text in texts.items():
        words = set(re.findall(r"[A-Za-z_][A-Za-z_.]{2,}", text)) - {"xlsx"}
        assert not words, (url, words)
        assert not re.search(r"\b0\.\d{3,}\b", text), (url, re.findall(r"\b0\.\d{3,}\b", text))
        assert "None" not in text and "{'" not in text and "minmax" not in text, url


def test_shares_as_percentages_and_durations_in_seconds(pages):
    run, texts = pages
    detail = texts[f"/evaluation/runs/{run.pk}/"]
    assert "末位比例：5%" in detail and re.search(r"用时 (不到 0\.1|\d+\.\d) 秒", detail)
    assert "5%" in texts["/evaluation/schemes/"]
