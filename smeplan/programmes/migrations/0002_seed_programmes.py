from django.db import migrations


def forwards(apps, schema_editor):
    from smeplan.programmes.loading import load_programmes

    load_programmes(
        apps.get_model("programmes", "Programme"),
        apps.get_model("programmes", "Tier"),
        apps.get_model("programmes", "CriteriaVersion"),
        apps.get_model("programmes", "Criterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
