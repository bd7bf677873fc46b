"""The configured application and annual-report forms (``programmes/data/configured/forms``) as
form versions of the programmes that exist — the growth tiers' and 转型升级库's annex 1 among them —
and every existing application set on the form version it was filed on (the version in force for its
year, or the programme's first version for older years)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from smeplan.programmes.formdesign import form_versions_load

    FormVersion = apps.get_model("programmes", "FormVersion")
    Programme = apps.get_model("programmes", "Programme")
    Application = apps.get_model("recognition", "Application")
    form_versions_load(FormVersion, Programme, None)
    for programme_id in (
        Application.objects.filter(form_version__isnull=True).values_list("programme_id", flat=True).distinct()
    ):
        versions = list(
            FormVersion.objects.filter(programme_id=programme_id, purpose="application").order_by(
                "effective_year", "number"
            )
        )
        if not versions:
            continue
        for application in Application.objects.filter(programme_id=programme_id, form_version__isnull=True).only(
            "pk", "year", "call_id"
        ):
            year = application.year
            if application.call_id:
                year = application.call.year
            in_force = [v for v in versions if v.effective_year <= year] or versions[:1]
            Application.objects.filter(pk=application.pk).update(form_version=in_force[-1])


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0003_calls"),
        ("programmes", "0006_form_and_rubric_versions"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
