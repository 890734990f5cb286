"""Search over contacts and organisations, best match first.

PostgreSQL: a contact matches when full-text search finds every word of the query, or
when trigram similarity finds the query in its fields despite a typo.
- Full-text search uses the portal_dutch configuration (migration 0002: unaccent before
  the Dutch stemmer) over name (weight A), organisation and function (B), topics and
  themes (C). Every word is a prefix, so results appear while typing and "woningbouw"
  finds "woningbouwprogramma"; stemming lets "gemeenten" find "Gemeentesecretaris".
- word_similarity() compares the unaccented, lower-cased query with the best-matching
  stretch of the contact's fields, so "Jeron" finds "Jeroen" and "Amersfort" finds
  "Amersfoort".
The rank is the full-text rank (higher for a name than for a topic) plus the similarity.

SQLite (the demo and the first CI run) has no full-text search worth the name: there,
every word of the query must occur in some field, ignoring case and accents
(partners/apps.py registers unaccent() on SQLite connections).

Every row is scored on each search, without an index: a trigram index on one field
cannot serve a condition that ORs full-text search over several tables' fields. That
costs about 25-35 ms for 2,000 contacts and 0.4-0.5 s for 20,000; beyond a few
thousand contacts a stored, indexed search column would pay off.
"""

import re
import unicodedata
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connections
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Lower
from django.db.models.lookups import Contains, StartsWith

from partners.models import Theme

# Created by migration 0002_search; the name must match.
SEARCH_CONFIG = "portal_dutch"
# word_similarity() at or above which a contact matches. At 0.5 a three-letter query
# would match every word sharing its first two letters (word_similarity("jer",
# "jeugdzorg") = 0.5); 0.55 still forgives one missing letter in a word of five or
# more ("jeron" → "jeroen" 0.67, "amersfort" → "amersfoort" 0.75) and two swapped
# letters in a two-word name ("ingird bakker" → "ingrid bakker" 0.56).
SIMILARITY_THRESHOLD = 0.55
# Longer input is cut off: it only makes every row more expensive to score.
MAX_LENGTH = 100
MAX_WORDS = 8

# Letters and digits only: the words go into a to_tsquery() expression, in which
# quotes, &, |, !, : and parentheses are operators.
_WORD = re.compile(r"[^\W_]+")


class Unaccent(Func):
    """unaccent(): the PostgreSQL extension, or fold() registered on SQLite."""

    function = "unaccent"
    output_field = TextField()


def fold(text: str | None) -> str | None:
    """Lower case without accents ("Zoë" → "zoe"), for SQLite and for query text."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def register_sqlite_unaccent(sender: object, connection: Any, **kwargs: object) -> None:
    """connection_created receiver: give SQLite the unaccent() PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, fold, deterministic=True)


def normalise_query(text: str) -> str:
    """Single spaces, no NUL (PostgreSQL refuses it in text), at most MAX_LENGTH long."""
    return " ".join(text.replace("\x00", "").split())[:MAX_LENGTH]


def search_contacts(queryset: QuerySet, text: str) -> QuerySet:
    """Contacts in `queryset` matching `text`, best match first; all of them if empty."""
    text = normalise_query(text)
    if not text:
        return queryset
    if not _words(text):
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _search_contacts_postgresql(queryset, text)
    return _search_contacts_fallback(queryset, text)


def search_organisations(queryset: QuerySet, text: str) -> QuerySet:
    """Organisations in `queryset` matching `text` by name or CBS code, best match first."""
    text = normalise_query(text)
    if not text:
        return queryset
    if not _words(text):
        return queryset.none()
    by_name = Q(*[_contains(F("name"), word) for word in _words(text)])
    if connections[queryset.db].vendor == "postgresql":
        return (
            queryset.annotate(search_rank=_word_similarity(text, F("name")))
            .filter(by_name | Q(cbs_code__iexact=text) | Q(search_rank__gte=SIMILARITY_THRESHOLD))
            .order_by("-search_rank", "name", "pk")
        )
    return (
        queryset.filter(by_name | Q(cbs_code__iexact=text))
        .annotate(search_rank=_rank_if_name_starts_with(text))
        .order_by("-search_rank", "name", "pk")
    )


def _search_contacts_postgresql(queryset: QuerySet, text: str) -> QuerySet:
    theme_names = Coalesce(
        Subquery(
            Theme.objects.filter(contacts=OuterRef("pk"))
            .order_by()
            .values("contacts")
            .annotate(names=StringAgg("name", " "))
            .values("names")
        ),
        Value(""),
        output_field=TextField(),
    )
    document = (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("organisation__name", "function", weight="B", config=SEARCH_CONFIG)
        + SearchVector("topics", theme_names, weight="C", config=SEARCH_CONFIG)
    )
    # Every word a prefix; the configuration stems it and drops stop words ("de").
    prefixes = " & ".join(f"{word}:*" for word in _words(text))
    query = SearchQuery(prefixes, search_type="raw", config=SEARCH_CONFIG)
    # One word_similarity() over all fields in a row: a query whose words come from
    # neighbouring fields ("jeroen amersfoort") scores as well as one from a single field.
    all_fields = Concat(
        "name",
        Value(" "),
        "organisation__name",
        Value(" "),
        "function",
        Value(" "),
        "topics",
        Value(" "),
        theme_names,
        output_field=TextField(),
    )
    similarity = _word_similarity(text, all_fields)
    return (
        queryset.alias(search_document=document, search_similarity=similarity)
        .filter(Q(search_document=query) | Q(search_similarity__gte=SIMILARITY_THRESHOLD))
        .annotate(search_rank=SearchRank(document, query) + similarity)
        .order_by("-search_rank", "name", "pk")
    )


def _search_contacts_fallback(queryset: QuerySet, text: str) -> QuerySet:
    fields = [F("name"), F("function"), F("topics"), F("organisation__name")]
    condition = Q()
    for word in _words(text):
        in_a_theme = Theme.objects.filter(_contains(F("name"), word), contacts=OuterRef("pk"))
        condition &= Q(
            *[_contains(field, word) for field in fields], Exists(in_a_theme), _connector=Q.OR
        )
    return (
        queryset.filter(condition)
        .annotate(search_rank=_rank_if_name_starts_with(text))
        .order_by("-search_rank", "name", "pk")
    )


def _rank_if_name_starts_with(text: str) -> Case:
    """1 for a name that starts with the query, else 0: the fallback's whole ranking."""
    return Case(
        When(StartsWith(Unaccent(Lower(F("name"))), fold(text)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _word_similarity(text: str, expression: F | Concat) -> TrigramWordSimilarity:
    """PostgreSQL's word_similarity() of the text and the expression, both folded."""
    folded_text = Unaccent(Lower(Value(text, output_field=TextField())))
    return TrigramWordSimilarity(folded_text, Unaccent(Lower(expression)))  # type: ignore[arg-type]  # Django takes an expression


def _contains(field: F, word: str) -> Contains:
    """The field contains the word, ignoring case and accents (the word is folded)."""
    return Contains(Unaccent(Lower(field)), word)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text) or "")[:MAX_WORDS]
