"""The audit trail of register records, as shown on detail pages (django-simple-history)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old value, new value)


def history_entries(records: QuerySet, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first: who changed what, and when.

    A fixed number of queries: the records with their users, then one query per kind
    of related object named in the changes (regions, themes, ...). Saves that changed
    nothing are left out.
    """
    records = list(records.select_related("history_user").order_by("-history_date")[: limit + 1])
    raw: list[tuple[object, list[tuple[object, object, object]]]] = []
    wanted: dict[type[Model], set[object]] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            model = record.instance_type
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                if field.many_to_many:
                    key = field.m2m_reverse_field_name()
                    old = [row[key] for row in change.old or []]
                    new = [row[key] for row in change.new or []]
                    wanted[field.related_model].update(old + new)
                elif field.is_relation:
                    old, new = change.old, change.new
                    wanted[field.related_model].update(v for v in (old, new) if v is not None)
                else:
                    old, new = change.old, change.new
                changes.append((field, old, new))
            if not changes:
                continue
        raw.append((record, changes))

    names = {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }

    def display(field: object, value: object) -> str:
        if field.many_to_many:
            shown = sorted(names[field.related_model].get(pk, str(pk)) for pk in value)
            return ", ".join(shown) or "–"
        if field.is_relation and value is not None:
            return names[field.related_model].get(value, str(value))
        return "–" if value in (None, "") else str(value)

    entries = []
    for record, changes in raw:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("System")),
                action=str(ACTIONS.get(record.history_type, record.history_type)),
                changes=[
                    (capfirst(str(field.verbose_name)), display(field, old), display(field, new))
                    for field, old, new in changes
                ],
            )
        )
    return entries
