from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustriesConfig(AppConfig):
    name = "smeplan.industries"
    verbose_name = _("国民经济行业分类")
