from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "smeplan.web"
