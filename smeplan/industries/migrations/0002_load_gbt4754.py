from django.db import migrations


def load(apps, schema_editor):
    from smeplan.industries.loading import load_industries

    load_industries(apps.get_model("industries", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("industries", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
