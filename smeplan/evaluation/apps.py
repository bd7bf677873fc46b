from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "smeplan.evaluation"
    verbose_name = _("年度综合测评")
    default_auto_field = "django.db.models.BigAutoField"
