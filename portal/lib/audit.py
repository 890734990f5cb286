"""The audit trail of a record, as detail pages show it (django-simple-history).

Every model with HistoricalRecords shows its history through history_entries(): who
changed what and when, newest first, with field labels, choice labels and the names
of related objects. A page may join the trails of several kinds of record (a contact
moment and its follow-ups), each with its own wording.

A fixed number of queries, however long the history: per trail one for the records
with their users and related objects, and one per tracked many-to-many field (its rows
with their objects). diff_against() is only asked about plain fields: for many-to-many
fields it would query both records' rows for every pair.
"""

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Field, ManyToManyField, Model, Prefetch, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTIONS: Mapping[str, str | Promise] = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}
EMPTY = "–"


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old value, new value)


@dataclass(frozen=True)
class Trail:
    """The history records of one kind of record, and how to word them.

    `fields` limits the fields whose changes are shown (default: every tracked
    field). `actions` words each kind of record ("+", "~", "-"); "%(name)s" in it is
    `name(record)`. `created_fields` are shown for a created record, as changes from
    nothing. `describe(record, previous, changed field names)` may word a change
    itself (say, "marked as done"), or return None for the usual wording.
    """

    records: QuerySet[Any]
    fields: Sequence[str] | None = None
    actions: Mapping[str, str | Promise] = dataclasses.field(default_factory=lambda: ACTIONS)
    name: Callable[[Any], str] | None = None
    created_fields: Sequence[str] = ()
    describe: Callable[[Any, Any, list[str]], str | None] | None = None


def history_entries(*trails: Trail | QuerySet[Any], limit: int = 50) -> list[HistoryEntry]:
    """Newest first, at most `limit`: who changed what, and when. A trail may be given
    as a queryset of history records alone. Saves that changed nothing shown are left
    out."""
    found: list[tuple[Trail, Any, list[tuple[Field, Any, Any]]]] = []
    names: dict[tuple[type[Model], Any], str] = {}
    for trail in trails:
        trail = trail if isinstance(trail, Trail) else Trail(trail)
        found += _changes(trail, limit=limit, names=names)
    found.sort(key=lambda item: (item[1].history_date, item[1].history_id), reverse=True)
    entries = []
    for trail, record, changes in found[:limit]:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else str(_("System")),
                action=_action(trail, record, changes),
                changes=[
                    (
                        capfirst(str(field.verbose_name)),
                        _display(field, old, names),
                        _display(field, new, names),
                    )
                    for field, old, new in changes
                ],
            )
        )
    return entries


def _changes(
    trail: Trail, *, limit: int, names: dict[tuple[type[Model], Any], str]
) -> list[tuple[Trail, Any, list[tuple[Field, Any, Any]]]]:
    """The trail's newest records with what each changed against the one before it;
    `names` gets the names of the related objects they refer to."""
    model = trail.records.model.instance_type
    shown = set(trail.fields) if trail.fields is not None else None
    # Tracked many-to-many fields keep their rows in a "historical<model>_<field>" table.
    accessors = {
        rel.related_model.__name__.lower(): rel.get_accessor_name()
        for rel in trail.records.model._meta.related_objects
    }
    tracked_m2m = {
        field: accessors[f"historical{model._meta.model_name}_{field.name}"]
        for field in model._meta.many_to_many
        if f"historical{model._meta.model_name}_{field.name}" in accessors
        and (shown is None or field.name in shown)
    }
    m2m_names = {field.name for field in model._meta.many_to_many}
    plain = [
        field.name
        for field in trail.records.model.tracked_fields
        if field.editable and field.name not in m2m_names and (shown is None or field.name in shown)
    ]
    relations = [name for name in plain if model._meta.get_field(name).many_to_one]
    # The rows of each tracked many-to-many field, with the objects they name.
    rows = [
        Prefetch(
            accessor,
            queryset=getattr(
                trail.records.model, accessor
            ).rel.related_model.objects.select_related(field.m2m_reverse_field_name()),
        )
        for field, accessor in tracked_m2m.items()
    ]
    # One record more than shown: the previous record of the oldest one shown.
    records = list(
        trail.records.select_related("history_user", *relations)
        .prefetch_related(*rows)
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    for record in records:
        _remember_names(record, relations, tracked_m2m, model, names)
    previous_of: dict[int, Any] = {}
    for record in reversed(records):  # oldest first: remember each object's last record
        record._trail_previous = previous_of.get(record.id)
        previous_of[record.id] = record
    found = []
    for record in records[:limit]:
        previous = record._trail_previous
        changes: list[tuple[Field, Any, Any]] = []
        if record.history_type == "+":
            for name in trail.created_fields:
                field = model._meta.get_field(name)
                changes.append((field, None, getattr(record, field.attname)))
        elif record.history_type == "~" and previous is not None:
            delta = record.diff_against(
                previous,
                included_fields=plain,
                excluded_fields=m2m_names,
                foreign_keys_are_objs=False,
            )
            for change in delta.changes:
                changes.append((model._meta.get_field(change.field), change.old, change.new))
            for field, accessor in tracked_m2m.items():
                key = field.m2m_reverse_field_name() + "_id"
                old = sorted(getattr(row, key) for row in getattr(previous, accessor).all())
                new = sorted(getattr(row, key) for row in getattr(record, accessor).all())
                if old != new:
                    changes.append((field, old, new))
            if not changes:
                continue
        found.append((trail, record, changes))
    return found


def _remember_names(
    record: Any,
    relations: Sequence[str],
    tracked_m2m: Mapping[ManyToManyField, str],
    model: type[Model],
    names: dict[tuple[type[Model], Any], str],
) -> None:
    """The names of the objects a record refers to, from its select_related() and
    prefetched rows; an object deleted since has none (history keeps its id)."""
    for name in relations:
        related = getattr(record, name)
        if related is not None:
            names[(type(related)._meta.concrete_model, related.pk)] = str(related)
    for field, accessor in tracked_m2m.items():
        target = field.m2m_reverse_field_name()
        for row in getattr(record, accessor).all():
            related = getattr(row, target)
            if related is not None:
                names[(type(related)._meta.concrete_model, related.pk)] = str(related)


def _action(trail: Trail, record: Any, changes: list[tuple[Field, Any, Any]]) -> str:
    if trail.describe is not None:
        worded = trail.describe(record, record._trail_previous, [f.name for f, _o, _n in changes])
        if worded:
            return worded
    action = str(trail.actions.get(record.history_type, record.history_type))
    return action % {"name": trail.name(record)} if trail.name else action


def _display(field: Field, value: Any, names: Mapping[tuple[type[Model], Any], str]) -> str:
    if field.many_to_many:
        shown = sorted(_name(field, pk, names) for pk in value or [])
        return ", ".join(shown) or EMPTY
    if value in (None, "", []):
        return EMPTY
    if field.is_relation:
        return _name(field, value, names)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list):  # a JSON list, e.g. the properties of an action
        return ", ".join(str(item) for item in value)
    return str(value)


def _name(field: Field, pk: Any, names: Mapping[tuple[type[Model], Any], str]) -> str:
    """The related object's name; history keeps the id of one deleted since."""
    related_model = field.related_model
    # Only a relation's values are names, and a relation's model is concrete.
    assert related_model is not None and related_model._meta.concrete_model is not None
    name = names.get((related_model._meta.concrete_model, pk))
    if name is None:
        return _("deleted %(model)s %(id)s") % {
            "model": related_model._meta.verbose_name,
            "id": pk,
        }
    return name
