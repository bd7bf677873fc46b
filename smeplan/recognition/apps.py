from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "smeplan.recognition"
    verbose_name = "认定工作流"
    default_auto_field = "django.db.models.BigAutoField"
