from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "smeplan.reporting"
    verbose_name = _("汇总表与市级年度计划")
    default_auto_field = "django.db.models.BigAutoField"
