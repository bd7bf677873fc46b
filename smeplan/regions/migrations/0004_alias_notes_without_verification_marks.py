"""The aliases' notes as users read them: "（待核实）" moved out of the note into the data file's own
``verified`` column (maintainers' information, never shown)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from smeplan.regions.loading import load_aliases

    load_aliases(apps.get_model("regions", "RegionAlias"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0003_more_aliases")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
