from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "smeplan.flags"
    verbose_name = "虚假信息疑点"
    default_auto_field = "django.db.models.BigAutoField"
