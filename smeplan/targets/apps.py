from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "smeplan.targets"
    verbose_name = "规划目标"
    default_auto_field = "django.db.models.BigAutoField"
