from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "smeplan.recognition"
    verbose_name = _("认定工作流")
    default_auto_field = "django.db.models.BigAutoField"
