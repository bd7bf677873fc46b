from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "smeplan.registry"
    verbose_name = _("企业名录")
