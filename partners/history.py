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
    model = records.model.instance_type
    # Tracked many-to-many fields keep their rows in a "historical<model>_<field>" table.
    through_rows = {
        rel.related_model.__name__.lower(): rel.get_accessor_name()
        for rel in records.model._meta.related_objects
    }
    tracked_m2m = {
        f: through_rows[f"historical{model._meta.model_name}_{f.name}"]
        for f in model._meta.many_to_many
        if f"historical{model._meta.model_name}_{f.name}" in through_rows
    }
    records = list(
        records.select_related("history_user")
        .prefetch_related(*tracked_m2m.values())
        .order_by("-history_date")[: limit + 1]
    )
    raw: list[tuple[object, list[tuple[object, object, object]]]] = []
    wanted: dict[type[Model], set[object]] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            # Many-to-many values come from the prefetch, not from diff_against,
            # which would query both records' rows for every pair.
            delta = record.diff_against(
                previous,
                excluded_fields=[f.name for f in tracked_m2m],
                foreign_keys_are_objs=False,
            )
            for field, accessor in tracked_m2m.items():
                key = field.m2m_reverse_field_name() + "_id"
                old = sorted(getattr(row, key) for row in getattr(previous, accessor).all())
                new = sorted(getattr(row, key) for row in getattr(record, accessor).all())
                if old != new:
                    wanted[field.related_model].update(old + new)
                    changes.append((field, old, new))
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                if field.is_relation:
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
        if value in (None, "", []):
            return "–"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, list):  # a JSON list, e.g. the properties of an action
            return ", ".join(str(item) for item in value)
        return str(value)

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
