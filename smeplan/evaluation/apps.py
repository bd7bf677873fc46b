from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "smeplan.evaluation"
    verbose_name = _("年度综合测评")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from smeplan.evaluation.services import certifications_ended
        from smeplan.recognition.signals import certification_ended

        certification_ended.connect(certifications_ended, dispatch_uid="evaluation.certifications_ended")
