from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "smeplan.recognition"
    verbose_name = _("认定工作流")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from smeplan.recognition.obligations import certifications_ended
        from smeplan.recognition.signals import certification_ended

        certification_ended.connect(certifications_ended, dispatch_uid="recognition.obligations_ended")
