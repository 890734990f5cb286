from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from partners.search import register_sqlite_unaccent

        # The SQLite search fallback ignores accents with the same unaccent() call
        # as PostgreSQL's extension.
        connection_created.connect(register_sqlite_unaccent, dispatch_uid="partners.unaccent")
