from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "smeplan.exchange"
    verbose_name = "数据导入导出"
