"""转型升级示范企业's expert rubric (``Programme.rubric``: 0–100 per item, weighted) becomes its first
rubric version (``data/configured/rubrics/transformation-demo.2017.json``: the weights as each
expert indicator's points), so existing databases score experts in points."""

import json
from pathlib import Path

from django.db import migrations

FILE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "configured"
    / "rubrics"
    / "transformation-demo.2017.json"
)


def forwards(apps, schema_editor):
    from smeplan.programmes.rubric import design_check

    Programme = apps.get_model("programmes", "Programme")
    RubricVersion = apps.get_model("programmes", "RubricVersion")
    data = json.loads(FILE.read_text(encoding="utf-8"))
    programme = Programme.objects.filter(code=data["programme"]).first()
    if programme is None or RubricVersion.objects.filter(programme=programme).exists():
        return
    RubricVersion.objects.create(
        programme=programme,
        number=1,
        effective_year=data["effective_year"],
        title=data["title"],
        design=design_check(data["design"]),
        note=data["note"][:200],
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0008_annual_report_and_rename_settings")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
