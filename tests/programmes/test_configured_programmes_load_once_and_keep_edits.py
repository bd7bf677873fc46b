"""``programme_files_load``: creates the configured programmes with their tiers and first criteria,
fills only EMPTY new fields of existing ones (never an administrator's edit), writes nothing the
second time, and refuses a bad file naming file and key without writing anything."""

import json
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from smeplan.audit.models import AuditEvent
from smeplan.programmes.configured import FOLDER, programme_files_load
from smeplan.programmes.models import Programme

pytestmark = pytest.mark.django_db
NEW = {"innovative-sme", "specialised-sme", "internet-demo", "smart-manufacturing-demo"}


def test_the_new_programmes_are_created_with_tiers_and_criteria():
    assert not Programme.objects.filter(code__in=NEW).exists()
    # the four new ones, and the seeded transformation-demo gets its empty 年度报告截止日 filled
    assert programme_files_load() == 4
    innovative = Programme.objects.get(code="innovative-sme")
    assert (innovative.name, innovative.plan, innovative.owner_level) == (
        "创新型中小企业",
        "brand",
        "province",
    )
    assert innovative.source == "工信部企业〔2022〕63号《优质中小企业梯度培育管理暂行办法》"
    assert "附件1" in innovative.basis_clause
    assert (innovative.validity_years, innovative.ban_years) == (3, 3)
    tier = innovative.tiers.get()
    assert tier.name == "创新型中小企业"
    version = tier.versions.get()
    assert [c.metric for c in version.criteria.all()] == ["size_class"]
    assert AuditEvent.objects.filter(event_type="programme.files_loaded").count() == 4


def test_a_second_load_writes_nothing():
    programme_files_load()
    events = AuditEvent.objects.count()
    assert programme_files_load() == 0
    assert AuditEvent.objects.count() == events


def test_existing_programmes_get_only_their_empty_new_fields():
    Programme.objects.filter(code="growth-city").update(plan="", basis_clause="")
    Programme.objects.filter(code="transformation").update(plan="platforms", basis_clause="管理员写的条款")
    Programme.objects.filter(code="growth-province").update(name="管理员改过的名称", notice_days=10)
    programme_files_load()
    city = Programme.objects.get(code="growth-city")
    assert (city.plan, city.basis_clause) == ("growth", "中小企业成长梯队培育行动计划 四、五")
    transformation = Programme.objects.get(code="transformation")
    assert (transformation.plan, transformation.basis_clause) == ("platforms", "管理员写的条款")
    province = Programme.objects.get(code="growth-province")
    assert (province.name, province.notice_days) == ("管理员改过的名称", 10)


def test_a_bad_file_is_refused_naming_file_and_key_and_nothing_is_loaded(tmp_path):
    folder = tmp_path / "programmes"
    shutil.copytree(FOLDER, folder)
    data = json.loads((folder / "internet-demo.json").read_text(encoding="utf-8"))
    data["plan"] = "moon"
    data["criteria"]["demonstration"][0].pop("basis")
    (folder / "internet-demo.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValidationError) as refused:
        programme_files_load(folder)
    messages = refused.value.message_dict["internet-demo.json"]
    assert any(m.startswith("internet-demo.json：plan：行动计划“moon”无效") for m in messages)
    assert any("criteria.demonstration[1].basis：每条条件须注明依据" in m for m in messages)
    assert not Programme.objects.filter(code__in=NEW).exists()


def test_the_command_prints_what_it_loaded(capsys):
    call_command("programmes_load")
    out = capsys.readouterr().out
    assert "新建认定项目 创新型中小企业（innovative-sme）" in out
    assert "新建或补充 4 个" in out
    call_command("programmes_load")
    assert "新建或补充 0 个" in capsys.readouterr().out
