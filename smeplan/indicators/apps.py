from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "smeplan.indicators"
    verbose_name = _("年度经营数据")
