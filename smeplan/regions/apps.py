from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "smeplan.regions"
