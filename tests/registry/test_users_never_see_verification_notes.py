"""Whether a rule of the shipped data could be confirmed against its official text is the maintainers'
business (the data files' ``verified`` columns): no explanation, note or page a user reads says
“待核实”, while the results still carry ``verified=False`` for those who maintain the data."""

import csv
from pathlib import Path

import pytest

from smeplan.regions.models import RegionAlias
from smeplan.registry.classification import above_scale, size_class
from tests.factories import AnnualFiguresFactory, OrganisationFactory, city_officer, region
from tests.web.helpers import text

ROOT = Path(__file__).resolve().parents[2] / "smeplan"
#: (data file, the columns whose text reaches users)
SHOWN = [
    ("regions/data/aliases.csv", ("alias", "note")),
    ("registry/data/size_class_industry_map.csv", ("note_zh",)),
    ("registry/data/above_scale_thresholds.csv", ("name_zh", "note_zh")),
    ("registry/data/size_class_thresholds.csv", ("group_name_zh", "source")),
]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if line.strip() and not line.startswith("#")))


@pytest.mark.parametrize(("name", "columns"), SHOWN)
def test_the_text_columns_of_the_data_files_carry_no_verification_note(name, columns):
    rows = _rows(ROOT / name)
    assert rows and all(c in rows[0] for c in columns)
    assert [r for r in rows if any("待核实" in (r[c] or "") for c in columns)] == []


def test_unverified_rules_explain_themselves_without_the_note_and_keep_the_flag():
    # 53 铁路运输业 and 63 电信 map to groups marked unverified; E, 7010 and 85 are unverified 四上 rules
    for code in ("5311", "6311"):
        result = size_class(
            industry_code=code, employees=150, operating_revenue=5000, total_assets=None, year=2024
        )
        assert result.verified is False and result.value and "待核实" not in result.reason
    for code, qualification in (("E4710", "general"), ("7010", None), ("8511", None)):
        result = above_scale(
            industry_code=code,
            main_business_revenue=600,
            operating_revenue=600,
            construction_qualification=qualification,
            year=2024,
        )
        assert result.verified is False and result.value is not None and "待核实" not in result.reason


@pytest.mark.django_db
def test_stored_aliases_carry_no_verification_note():
    assert RegionAlias.objects.filter(alias="户县").get().note == "2016年撤县设区"
    assert not RegionAlias.objects.filter(note__contains="待核实").exists()


@pytest.mark.django_db
def test_the_enterprise_page_shows_the_reasons_without_the_note(client):
    org = OrganisationFactory(county=region("610113"), industry_id="5311", name="雁塔铁路物流有限公司")
    AnnualFiguresFactory(organisation=org, year=2024)
    client.force_login(city_officer("610100"))

    body = text(client.get(f"/organisations/{org.pk}/"))

    assert "雁塔铁路物流有限公司" in body and "待核实" not in body
