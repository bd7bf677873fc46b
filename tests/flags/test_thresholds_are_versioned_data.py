"""The thresholds are data (``smeplan/flags/data/thresholds.csv``): for a year each key takes the row
with the greatest effective year not after it; a year before any row, or an unknown key, is refused."""

from decimal import Decimal

import pytest

from smeplan.flags.thresholds import thresholds_for

ROWS = """# comment
effective_from_year,key,value,note_zh
2017,growth_factor,5,
2017,above_revenue_ratio,1,
2017,identical_min_fields,3,
2017,reversal_factor,3,
2017,mismatch_change_ratio,0.1,
2017,form_correction_factor,5,
2025,growth_factor,4,
"""


def test_a_later_row_applies_from_its_year(tmp_path):
    path = tmp_path / "thresholds.csv"
    path.write_text(ROWS, encoding="utf-8")
    assert thresholds_for(2024, path).growth_factor == Decimal(5)
    later = thresholds_for(2025, path)
    assert later.growth_factor == Decimal(4) and later.reversal_factor == Decimal(3)
    assert later.as_dict()["versions"] == {
        "growth_factor": 2025, "above_revenue_ratio": 2017, "identical_min_fields": 2017,
        "reversal_factor": 2017, "mismatch_change_ratio": 2017, "form_correction_factor": 2017,
    }  # fmt: skip
    with pytest.raises(ValueError, match="没有生效的阈值"):
        thresholds_for(2016, path)


def test_unknown_keys_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("effective_from_year,key,value,note_zh\n2017,speed,1,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="未知的阈值“speed”"):
        thresholds_for(2024, path)


def test_the_checked_in_file_covers_every_year_since_2017():
    assert thresholds_for(2017).identical_min_fields == 3
