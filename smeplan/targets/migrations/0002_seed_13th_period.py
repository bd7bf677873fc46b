from django.db import migrations


def load(apps, schema_editor):
    from smeplan.targets.loading import PERIOD_13TH, load_period

    load_period(apps, PERIOD_13TH)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("regions", "0002_load_divisions"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
