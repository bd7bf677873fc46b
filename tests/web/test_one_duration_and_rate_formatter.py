"""One formatter for durations (秒) and one for rates (percentages) across the pages: '4.4 秒', never
'4.449 s' or '2.26 秒' side by side; '5%', never 0.0500; every template that shows a duration uses
the ``duration`` filter."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from smeplan.web.formatting import duration, percent

TEMPLATES = Path(__file__).resolve().parents[2] / "smeplan" / "web" / "templates"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, "—"),
        (0.01, "不到 0.1 秒"),
        (0.075, "0.1 秒"),
        (2.26, "2.3 秒"),
        (4.449, "4.4 秒"),
        (59.9, "59.9 秒"),
        (59.97, "1 分"),
        (125.4, "2 分 5 秒"),
        (3725, "1 小时 2 分"),
        (7200, "2 小时"),
    ],
)
def test_durations(seconds, shown):
    assert duration(seconds) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.0500"), "5%"),
        (0.05, "5%"),
        ("0.125", "12.5%"),
        (0.1234, "12.34%"),
        (Decimal("0.12345"), "12.35%"),
        (Decimal("-0.00001"), "0%"),
        (None, "—"),
        ("x", "—"),
    ],
)
def test_rates_as_percentages(value, shown):
    assert percent(value) == shown


def test_aligned_columns_keep_their_decimals():
    assert percent(Decimal("0.05"), trim=False) == "5.00%"
    assert percent(0.1, 1, trim=False) == "10.0%"


def test_every_template_shows_durations_through_the_filter():
    shown = []
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r"\{\{[^}]*seconds[^}]*\}\}", path.read_text(encoding="utf-8")):
            shown.append((path.name, match.group(0)))
    assert shown, "no template shows a duration: the test looks in the wrong place"
    assert all("|duration" in text for _name, text in shown), shown
    for path in TEMPLATES.rglob("*.html"):
        assert not re.search(r"\}\}\s*s<|\}\} s\b", path.read_text(encoding="utf-8")), path.name
