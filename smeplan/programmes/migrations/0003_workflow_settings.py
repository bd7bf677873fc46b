from django.db import migrations, models


def forwards(apps, schema_editor):
    from smeplan.programmes.loading import apply_workflow_settings, load_programmes

    Programme = apps.get_model("programmes", "Programme")
    apply_workflow_settings(Programme)
    # programmes added to the seed since 0002 (转型升级示范企业)
    load_programmes(
        Programme,
        apps.get_model("programmes", "Tier"),
        apps.get_model("programmes", "CriteriaVersion"),
        apps.get_model("programmes", "Criterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_seed_programmes")]
    operations = [
        migrations.AddField(
            model_name="programme",
            name="notice_days",
            field=models.PositiveSmallIntegerField(default=7, verbose_name="公示天数"),
        ),
        migrations.AddField(
            model_name="programme",
            name="ban_years",
            field=models.PositiveSmallIntegerField(
                default=2, help_text="0 表示终止后可随时再次申报", verbose_name="终止资格后不再受理的年数"
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="validity_years",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, help_text="空：不设固定期限，以年度测评维持", verbose_name="认定有效期（年）"
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="review_interval_years",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="复核周期（年）"),
        ),
        migrations.AddField(
            model_name="programme",
            name="expert_review",
            field=models.BooleanField(default=False, verbose_name="需要专家评审"),
        ),
        migrations.AddField(
            model_name="programme",
            name="rubric",
            field=models.JSONField(blank=True, default=list, verbose_name="专家评分细则"),
        ),
        migrations.AddField(
            model_name="programme",
            name="title_template",
            field=models.CharField(
                default="{region}{tier}企业", help_text="如 {region}{tier}企业", max_length=80, verbose_name="认定称号格式"
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
