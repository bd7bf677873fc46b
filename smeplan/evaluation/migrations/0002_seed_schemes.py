"""The default 综合测评方案 of the growth programmes: equal weights, min-max, bottom 5%, from 2017."""

from decimal import Decimal

from django.db import migrations

GROWTH_PROGRAMMES = ("growth-province", "growth-city", "growth-county")
WEIGHTS = {"revenue_growth": 1, "profit_growth": 1, "profit_margin": 1, "tax_ratio": 1, "rd_ratio": 1}


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    Scheme = apps.get_model("evaluation", "EvaluationScheme")
    for programme in Programme.objects.filter(code__in=GROWTH_PROGRAMMES):
        Scheme.objects.get_or_create(
            programme=programme,
            effective_year=2017,
            defaults={
                "weights": WEIGHTS,
                "method": "minmax",
                "bottom_share": Decimal("0.05"),
                "note": "默认方案：五项指标等权重，极差标准化，末位 5%",
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("evaluation", "EvaluationScheme").objects.filter(effective_year=2017, created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("programmes", "0003_workflow_settings"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
