"""Every configured form file loads through design_check, names its programmes, purpose, effective
year, title and its source (文号 and clause); loading is idempotent and the data migration has put
the forms of the programmes that exist into the database."""

import json
import re

import pytest

from smeplan.programmes import formdesign
from smeplan.programmes.models import FormVersion
from smeplan.recognition.models import Application

FILES = sorted(formdesign.FORMS_FOLDER.glob("*.json"))
DOCUMENT = re.compile(r"〔\d{4}〕\d+号")
CLAUSE = re.compile(r"[一二三四五六七八九十]+（[一二三四五六七八九十]+）|附件\s*\d|[一二三四五六七八九十]+\s")


def test_there_are_form_files_for_the_configured_programmes():
    names = {p.name for p in FILES}
    assert {
        "growth-tiers.application.2017.json",
        "transformation-demo.application.2017.json",
        "transformation-demo.annual_report.2017.json",
        "internet-demo.application.2017.json",
        "smart-manufacturing-demo.application.2017.json",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_is_a_working_design_with_its_source(path):
    data = formdesign.form_file_read(path)  # raises naming the file
    assert data["programmes"] and data["purpose"] in ("application", "annual_report")
    code, purpose, year = path.name[: -len(".json")].rsplit(".", 2)
    assert (purpose, int(year)) == (data["purpose"], data["effective_year"])
    assert code in data["programmes"] or code == "growth-tiers"
    assert DOCUMENT.search(data["basis"]), f"{path.name}: basis names no document"
    assert CLAUSE.search(data["basis"]), f"{path.name}: basis names no clause"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert formdesign.design_check(raw["design"]) == data["design"]


@pytest.mark.django_db
def test_the_migration_loaded_the_forms_and_loading_again_adds_nothing():
    growth = FormVersion.objects.filter(programme__code__startswith="growth-", purpose="application")
    assert growth.count() == 3 and {v.title for v in growth} == {"推荐登记表"}
    assert FormVersion.objects.filter(programme__code="transformation", purpose="application").exists()
    assert FormVersion.objects.filter(programme__code="transformation-demo", purpose="annual_report").exists()
    before = FormVersion.objects.count()
    assert formdesign.form_files_load() == 0
    assert FormVersion.objects.count() == before
    assert not Application.objects.filter(form_version__isnull=True).exists()
