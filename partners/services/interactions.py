"""Contact moments (interactions) and their follow-ups: recording, editing, completing.

Every write sets the history user explicitly, so the audit trail names the right
person also outside a request (a management command, a test, a task).
"""

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, models, transaction

from partners.models import Contact, FollowUp, Interaction, Organisation
from portal.lib.models import User


@dataclass(frozen=True)
class FollowUpInput:
    """A follow-up as entered: a new one, or the new values of `follow_up`."""

    description: str
    owner: User
    due_on: date
    follow_up: FollowUp | None = None


def record_interaction(
    *,
    organisation: Organisation,
    recorded_by: User,
    occurred_on: date,
    contacts: Iterable[Contact],
    summary: str,
    agreements: str = "",
    follow_ups: Sequence[FollowUpInput] = (),
    submission_key: uuid.UUID | None = None,
) -> Interaction:
    """Record a contact moment with who took part and its follow-ups: all or nothing.

    Idempotent per `submission_key`: posting the same form twice returns the moment
    recorded the first time (the key is unique in the database, so a race loses too).
    """
    if submission_key is not None:
        existing = Interaction.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    contacts = list(contacts)
    _check_contacts(organisation.pk, contacts)
    try:
        return _record(
            organisation=organisation,
            recorded_by=recorded_by,
            occurred_on=occurred_on,
            contacts=contacts,
            summary=summary,
            agreements=agreements,
            follow_ups=follow_ups,
            submission_key=submission_key,
        )
    except IntegrityError:
        if submission_key is None:
            raise
        return Interaction.objects.get(submission_key=submission_key)


def _record(
    *,
    organisation: Organisation,
    recorded_by: User,
    occurred_on: date,
    contacts: list[Contact],
    summary: str,
    agreements: str,
    follow_ups: Sequence[FollowUpInput],
    submission_key: uuid.UUID | None,
) -> Interaction:
    with transaction.atomic():
        interaction = Interaction(
            organisation=organisation,
            recorded_by=recorded_by,
            occurred_on=occurred_on,
            summary=summary,
            agreements=agreements,
            submission_key=submission_key,
        )
        interaction._history_user = recorded_by  # type: ignore[attr-defined]  # read by simple_history
        interaction.save()
        if contacts:
            interaction.contacts.add(*contacts)
        for entered in follow_ups:
            _add_follow_up(interaction, entered, by=recorded_by)
    return interaction


def update_interaction(
    interaction: Interaction,
    *,
    by: User,
    occurred_on: date,
    contacts: Iterable[Contact],
    summary: str,
    agreements: str,
    follow_ups: Sequence[FollowUpInput] = (),
) -> Interaction:
    """Change a contact moment and its follow-ups: all or nothing, one history record.

    Changes are found by comparing with the stored row, not with `interaction`: a
    ModelForm's validation has already copied the new values onto that instance.
    Contacts who were anonymised since stay linked: the form cannot offer them, and
    dropping them would rewrite who took part. Follow-ups are changed or added, never
    removed (no role may delete them); those not in `follow_ups` stay as they are.
    """
    contacts = list(contacts)
    with transaction.atomic():
        # The lock keeps two people editing at once from mixing their changes.
        stored = Interaction.objects.select_for_update().get(pk=interaction.pk)
        _check_contacts(stored.organisation_id, contacts)
        stored_follow_ups = {
            follow_up.pk: follow_up
            for follow_up in FollowUp.objects.select_for_update().filter(interaction=stored)
        }
        for entered in follow_ups:
            if entered.follow_up is not None and entered.follow_up.pk not in stored_follow_ups:
                raise ValueError(f"Follow-up {entered.follow_up.pk} is not one of {stored}.")
        current = set(stored.contacts.values_list("pk", flat=True))
        kept = set(stored.contacts.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
        wanted = {contact.pk for contact in contacts} | kept
        to_add, to_remove = wanted - current, current - wanted
        values = {"occurred_on": occurred_on, "summary": summary, "agreements": agreements}
        changed = [name for name, value in values.items() if getattr(stored, name) != value]
        for name in changed:
            setattr(stored, name, values[name])
        stored._history_user = by  # type: ignore[attr-defined]  # read by simple_history
        # simple-history writes a record on save() and on each m2m signal. The last
        # write of an edit snapshots both the fields and the contacts, so the writes
        # before it are skipped: one entry per edit in the trail, no half-done states.
        if changed:
            with _without_history(stored, skip=bool(to_add or to_remove)):
                stored.save(update_fields=changed)
        if to_remove:
            with _without_history(stored, skip=bool(to_add)):
                stored.contacts.remove(*to_remove)
        if to_add:
            stored.contacts.add(*to_add)
        for entered in follow_ups:
            if entered.follow_up is None:
                _add_follow_up(stored, entered, by=by)
            else:
                _change_follow_up(stored_follow_ups[entered.follow_up.pk], entered, by=by)
    return stored


def complete_follow_up(follow_up: FollowUp, *, by: User, on: date) -> FollowUp:
    """Mark a follow-up done on a date. Idempotent: completing twice keeps the first date."""
    with transaction.atomic():
        # The row lock makes two simultaneous clicks record one completion, not two.
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_on is None:
            locked.done_on = on
            locked._history_user = by  # type: ignore[attr-defined]  # read by simple_history
            locked.save(update_fields=["done_on"])
    follow_up.done_on = locked.done_on
    return follow_up


def _check_contacts(organisation_id: int, contacts: list[Contact]) -> None:
    """The form says this to the user; the service refuses it from any other caller."""
    strangers = [c.pk for c in contacts if c.organisation_id != organisation_id or c.is_anonymised]
    if strangers:
        raise ValueError(
            f"Contacts {strangers} are not current contacts of organisation {organisation_id}."
        )


def _add_follow_up(interaction: Interaction, entered: FollowUpInput, *, by: User) -> FollowUp:
    follow_up = FollowUp(
        interaction=interaction,
        description=entered.description,
        owner=entered.owner,
        due_on=entered.due_on,
    )
    follow_up._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    follow_up.save()
    return follow_up


def _change_follow_up(follow_up: FollowUp, entered: FollowUpInput, *, by: User) -> None:
    values = {
        "description": entered.description,
        "owner_id": entered.owner.pk,
        "due_on": entered.due_on,
    }
    changed = [name for name, value in values.items() if getattr(follow_up, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(follow_up, name, values[name])
    follow_up._history_user = by  # type: ignore[attr-defined]  # read by simple_history
    follow_up.save(update_fields=[name.removesuffix("_id") for name in changed])


@contextmanager
def _without_history(instance: models.Model, *, skip: bool) -> Iterator[None]:
    """simple-history's documented switch: no historical record while it is set."""
    if not skip:
        yield
        return
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]  # read by simple_history
    try:
        yield
    finally:
        del instance.skip_history_when_saving  # type: ignore[attr-defined]  # read by simple_history
