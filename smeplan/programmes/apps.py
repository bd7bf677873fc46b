from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "smeplan.programmes"
    verbose_name = "认定项目与条件"
