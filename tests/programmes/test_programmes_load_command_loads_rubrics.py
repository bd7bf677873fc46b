"""manage.py programmes_load (run by ``make run``) loads the programmes, their forms and their rubrics
from the data files, and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command

from smeplan.programmes.models import RubricVersion


@pytest.mark.django_db
def test_programmes_load_loads_the_rubric_files_once():
    before = RubricVersion.objects.count()  # the data migration's, for the programmes that existed
    out = io.StringIO()
    call_command("programmes_load", stdout=out)
    codes = set(RubricVersion.objects.values_list("programme__code", flat=True))
    assert {"innovative-sme", "specialised-sme", "transformation-demo"} <= codes
    assert f"评分细则：新增版本 {RubricVersion.objects.count() - before} 个" in out.getvalue()
    again = io.StringIO()
    call_command("programmes_load", stdout=again)
    assert "评分细则：新增版本 0 个" in again.getvalue()
