from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "smeplan.registry"
    verbose_name = _("企业名录")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from smeplan.registry.collation import ensure_sqlite_indexes, register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="registry.pinyin_key")
        post_migrate.connect(ensure_sqlite_indexes, sender=self, dispatch_uid="registry.pinyin_indexes")
