from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "smeplan.reporting"
    verbose_name = "汇总表与市级年度计划"
    default_auto_field = "django.db.models.BigAutoField"
