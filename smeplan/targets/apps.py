from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "smeplan.targets"
    verbose_name = _("规划目标")
    default_auto_field = "django.db.models.BigAutoField"
