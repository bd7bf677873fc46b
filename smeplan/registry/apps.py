from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "smeplan.registry"

    def ready(self):
        from django.db.backends.signals import connection_created

        from smeplan.registry.collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="registry.pinyin_collation")
