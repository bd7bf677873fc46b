from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "smeplan.evaluation"
    verbose_name = "年度综合测评"
    default_auto_field = "django.db.models.BigAutoField"
