from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlagsConfig(AppConfig):
    name = "smeplan.flags"
    verbose_name = _("虚假信息疑点")
    default_auto_field = "django.db.models.BigAutoField"
