"""Search over contacts and organisations.

Placeholder implementation (icontains); the full-text version with the Dutch
configuration, unaccent and trigram similarity on PostgreSQL replaces it.
"""

from django.db.models import Q, QuerySet


def search_contacts(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(name__icontains=text)
        | Q(function__icontains=text)
        | Q(topics__icontains=text)
        | Q(organisation__name__icontains=text)
    )


def search_organisations(queryset: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(name__icontains=text) | Q(cbs_code__iexact=text))
