"""The programmes' 依据 as the document states it: 陕中企规发〔2017〕69号 (not 陕政办发) and the plan
“千企示范万企转型”行动计划 (not 中小企业转型升级行动计划)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from smeplan.programmes.loading import correct_basis

    correct_basis(apps.get_model("programmes", "Programme"))


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_workflow_settings")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
