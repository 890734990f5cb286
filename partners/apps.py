from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from partners import exports
        from partners.services.search import register_sqlite_unaccent

        # Registered in every process, the worker's included: it builds the files.
        exports.register()
        # The SQLite search fallback ignores accents with the same unaccent() call
        # as PostgreSQL's extension.
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="partners.unaccent")
