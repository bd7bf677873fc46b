"""Load the aliases added to ``data/aliases.csv`` since 0002 (南郑县, 横山县, 神木县 and their old codes):
``load_regions`` is idempotent, so it simply runs again."""

from django.db import migrations


def forwards(apps, schema_editor):
    from smeplan.regions.loading import load_regions

    load_regions(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionAlias"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_load_divisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
