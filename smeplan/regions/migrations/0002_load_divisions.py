from django.db import migrations


def load(apps, schema_editor):
    from smeplan.regions.loading import load_regions

    load_regions(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionAlias"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
