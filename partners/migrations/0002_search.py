"""Search support on PostgreSQL: unaccent, pg_trgm and the portal_dutch configuration.

portal_dutch is the built-in Dutch configuration with unaccent in front of the Dutch
stemmer, so "Rene" finds "René" and "woningbouw" finds "woningbouwprogramma".
partners/services/search.py names it in SEARCH_CONFIG. Nothing happens on other databases
(SQLite has its own fallback); both extensions are trusted since PostgreSQL 13, so
the owner of the database may create them without being a superuser.
"""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION portal_dutch (COPY = pg_catalog.dutch)",
    "ALTER TEXT SEARCH CONFIGURATION portal_dutch"
    " ALTER MAPPING FOR word, hword, hword_part WITH unaccent, dutch_stem",
]
BACKWARDS = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS portal_dutch",
    "DROP EXTENSION IF EXISTS pg_trgm",
    "DROP EXTENSION IF EXISTS unaccent",
]


# RunSQL would run on SQLite too, and the reverse of CreateExtension queries
# pg_extension on any database: a vendor check keeps both directions a no-op there.
def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
