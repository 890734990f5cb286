"""Filter pieces shared by the list pages of every app."""

from typing import Any

from django.db.models import F, OrderBy, QuerySet

import django_filters


class SortFilter(django_filters.OrderingFilter):
    """Column sorting that behaves the same on SQLite and PostgreSQL.

    Empty values sort last in both directions (the databases disagree by default),
    and `tiebreak` fields keep the order stable across pages.
    """

    def __init__(self, *args: Any, tiebreak: tuple[str, ...] = ("pk",), **kwargs: Any) -> None:
        self.tiebreak = tiebreak
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param: str) -> OrderBy:
        descending = param.startswith("-")
        field = self.param_map[param.lstrip("-")]
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if not value:
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], *self.tiebreak)
