"""The audit trail of register records, as shown on detail pages (django-simple-history)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old value, new value)


def history_entries(records: QuerySet, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first: who changed what, and when. Two queries for any number of records."""
    records = list(records.select_related("history_user").order_by("-history_date")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            model = record.instance_type
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                if field.many_to_many:
                    old, new = _names(field, change.old), _names(field, change.new)
                else:
                    old, new = _display(change.old), _display(change.new)
                changes.append((str(field.verbose_name), old, new))
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("System")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=changes,
            )
        )
    return entries


def _display(value: object) -> str:
    return "–" if value in (None, "") else str(value)


def _names(field: object, rows: list[dict]) -> str:
    """Many-to-many values arrive as through-table rows: show the related objects' names.

    Related rows are few (themes, participants), so one lookup per changed field is fine.
    """
    key = field.m2m_reverse_field_name()
    ids = [row[key] for row in rows]
    names = sorted(str(obj) for obj in field.related_model.objects.filter(pk__in=ids))
    return ", ".join(names) or "–"
