"""Every target keeps its source as text: the document (出处文件) beside the clause (出处条款). The
十三五 targets get their document from the data file (``source_document``), leaving any a provincial
admin has already filled in."""

import json

from django.db import migrations, models


def fill(apps, schema_editor):
    from smeplan.targets.loading import PERIOD_13TH

    document = json.loads(PERIOD_13TH.read_text(encoding="utf-8")).get("source_document") or ""
    Target = apps.get_model("targets", "Target")
    Target.objects.filter(period__code="13th", source_document="").update(source_document=document)


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0002_seed_13th_period"),
    ]

    operations = [
        migrations.AddField(
            model_name="target",
            name="source_document",
            field=models.CharField(
                blank=True, help_text="如 陕中企规发〔2017〕69号", max_length=200, verbose_name="出处文件"
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="seed_section",
            field=models.CharField(blank=True, max_length=200, verbose_name="出处条款"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
