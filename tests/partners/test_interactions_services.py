"""partners/services/interactions.py: recording, editing and completing (issue #3, item 5)."""

import datetime

from django.db import IntegrityError

import pytest

from partners.models import FollowUp, Interaction
from partners.services.interactions import (
    FollowUpInput,
    complete_follow_up,
    record_interaction,
    update_interaction,
)
from portal.lib.roles import Role
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
    UserFactory,
)

OCT_1 = datetime.date(2026, 10, 1)
DEC_1 = datetime.date(2026, 12, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorder():
    return UserFactory(role=Role.ACCOUNT_HOLDER)


def record(**overrides):
    values = {
        "occurred_on": OCT_1,
        "contacts": [],
        "summary": "Overleg over de woningbouwopgave.",
        "agreements": "Provincie stuurt de planning.",
        "follow_ups": [],
    }
    return record_interaction(**{**values, **overrides})


def test_recording_saves_the_moment_with_who_took_part_and_the_follow_ups(recorder) -> None:
    organisation = OrganisationFactory()
    anna, bert = ContactFactory.create_batch(2, organisation=organisation)
    colleague = UserFactory(role=Role.STAFF)
    interaction = record(
        organisation=organisation,
        recorded_by=recorder,
        contacts=[anna, bert],
        follow_ups=[
            FollowUpInput(description="Planning sturen", owner=recorder, due_on=DEC_1),
            FollowUpInput(description="Kaart delen", owner=colleague, due_on=OCT_1),
        ],
    )
    interaction.refresh_from_db()
    assert interaction.organisation == organisation
    assert interaction.recorded_by == recorder
    assert set(interaction.contacts.all()) == {anna, bert}
    assert sorted(interaction.follow_ups.values_list("description", "owner", "due_on")) == [
        ("Kaart delen", colleague.pk, OCT_1),
        ("Planning sturen", recorder.pk, DEC_1),
    ]
    assert not interaction.follow_ups.filter(done_on__isnull=False).exists()


def test_recording_names_the_recorder_in_the_history_without_a_request(recorder) -> None:
    organisation = OrganisationFactory()
    interaction = record(
        organisation=organisation,
        recorded_by=recorder,
        contacts=[ContactFactory(organisation=organisation)],
        follow_ups=[FollowUpInput(description="Bellen", owner=recorder, due_on=DEC_1)],
    )
    assert {r.history_user for r in interaction.history.all()} == {recorder}
    assert interaction.history.last().history_type == "+"
    assert FollowUp.history.get().history_user == recorder


def test_recording_is_all_or_nothing(recorder) -> None:
    broken = FollowUpInput(description="Zonder datum", owner=recorder, due_on=None)  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        record(organisation=OrganisationFactory(), recorded_by=recorder, follow_ups=[broken])
    assert not Interaction.objects.exists()
    assert not Interaction.history.exists()


@pytest.mark.parametrize("whose", ["another organisation", "anonymised"])
def test_recording_refuses_contacts_who_cannot_have_taken_part(recorder, whose: str) -> None:
    organisation = OrganisationFactory()
    if whose == "anonymised":
        contact = ContactFactory(organisation=organisation, anonymised_at="2026-01-01T00:00Z")
    else:
        contact = ContactFactory()
    with pytest.raises(ValueError, match="not current contacts"):
        record(organisation=organisation, recorded_by=recorder, contacts=[contact])
    assert not Interaction.objects.exists()


def test_an_edit_of_fields_and_contacts_writes_one_history_record(recorder) -> None:
    organisation = OrganisationFactory()
    anna, bert, carla = ContactFactory.create_batch(3, organisation=organisation)
    interaction = record(organisation=organisation, recorded_by=recorder, contacts=[anna, bert])
    editor = UserFactory(role=Role.BEHEERDER)
    before = interaction.history.count()
    update_interaction(
        interaction,
        by=editor,
        occurred_on=OCT_1,
        contacts=[bert, carla],
        summary="Nieuwe samenvatting.",
        agreements="Provincie stuurt de planning.",
    )
    assert interaction.history.count() == before + 1
    latest = interaction.history.first()
    assert latest.history_user == editor
    assert latest.summary == "Nieuwe samenvatting."
    assert set(latest.contacts.values_list("contact", flat=True)) == {bert.pk, carla.pk}
    assert set(Interaction.objects.get().contacts.all()) == {bert, carla}


def test_an_edit_that_only_removes_contacts_is_recorded_too(recorder) -> None:
    organisation = OrganisationFactory()
    anna, bert = ContactFactory.create_batch(2, organisation=organisation)
    interaction = record(organisation=organisation, recorded_by=recorder, contacts=[anna, bert])
    before = interaction.history.count()
    update_interaction(
        interaction,
        by=recorder,
        occurred_on=OCT_1,
        contacts=[anna],
        summary=interaction.summary,
        agreements=interaction.agreements,
    )
    assert interaction.history.count() == before + 1
    assert list(interaction.history.first().contacts.values_list("contact", flat=True)) == [anna.pk]


def test_an_edit_without_changes_writes_no_history(recorder) -> None:
    organisation = OrganisationFactory()
    anna = ContactFactory(organisation=organisation)
    interaction = record(organisation=organisation, recorded_by=recorder, contacts=[anna])
    before = interaction.history.count()
    update_interaction(
        interaction,
        by=recorder,
        occurred_on=interaction.occurred_on,
        contacts=[anna],
        summary=interaction.summary,
        agreements=interaction.agreements,
    )
    assert interaction.history.count() == before


def test_an_edit_compares_with_the_stored_row_not_the_instance(recorder) -> None:
    """A ModelForm's validation copies the new values onto the instance before the service."""
    interaction = InteractionFactory(recorded_by=recorder)
    interaction.summary = "Al door het formulier gezet."
    update_interaction(
        interaction,
        by=recorder,
        occurred_on=interaction.occurred_on,
        contacts=[],
        summary="Al door het formulier gezet.",
        agreements=interaction.agreements,
    )
    assert Interaction.objects.get().summary == "Al door het formulier gezet."


def test_an_edit_keeps_contacts_who_were_anonymised_since(recorder) -> None:
    organisation = OrganisationFactory()
    anna, bert = ContactFactory.create_batch(2, organisation=organisation)
    interaction = record(organisation=organisation, recorded_by=recorder, contacts=[anna, bert])
    anna.anonymised_at = "2026-11-01T00:00Z"
    anna.save()
    update_interaction(
        interaction,
        by=recorder,
        occurred_on=OCT_1,
        contacts=[],
        summary=interaction.summary,
        agreements=interaction.agreements,
    )
    assert list(Interaction.objects.get().contacts.all()) == [anna]


def test_an_edit_changes_and_adds_follow_ups_and_leaves_the_others(recorder) -> None:
    interaction = InteractionFactory(recorded_by=recorder)
    changed = FollowUpFactory(interaction=interaction, description="Oud")
    untouched = FollowUpFactory(interaction=interaction, description="Blijft")
    colleague = UserFactory(role=Role.STAFF)
    update_interaction(
        interaction,
        by=recorder,
        occurred_on=interaction.occurred_on,
        contacts=[],
        summary=interaction.summary,
        agreements=interaction.agreements,
        follow_ups=[
            FollowUpInput(description="Nieuw", owner=colleague, due_on=DEC_1, follow_up=changed),
            FollowUpInput(description="Erbij", owner=recorder, due_on=OCT_1),
        ],
    )
    rows = {
        d: (pk, owner)
        for pk, d, owner in interaction.follow_ups.values_list("pk", "description", "owner")
    }
    assert rows["Nieuw"] == (changed.pk, colleague.pk)
    assert rows["Blijft"] == (untouched.pk, recorder.pk)
    assert rows["Erbij"][1] == recorder.pk
    assert len(rows) == 3
    assert FollowUp.history.filter(id=untouched.pk).count() == 1


def test_an_edit_refuses_a_follow_up_of_another_moment(recorder) -> None:
    interaction = InteractionFactory(recorded_by=recorder)
    elsewhere = FollowUpFactory(description="Elders")
    with pytest.raises(ValueError, match="is not one of"):
        update_interaction(
            interaction,
            by=recorder,
            occurred_on=interaction.occurred_on,
            contacts=[],
            summary="Gewijzigd",
            agreements="",
            follow_ups=[
                FollowUpInput(
                    description="Gekaapt", owner=recorder, due_on=DEC_1, follow_up=elsewhere
                )
            ],
        )
    assert FollowUp.objects.get(pk=elsewhere.pk).description == "Elders"
    assert Interaction.objects.get(pk=interaction.pk).summary != "Gewijzigd"


def test_completing_a_follow_up_records_the_date_and_who() -> None:
    follow_up = FollowUpFactory()
    by = UserFactory(role=Role.ACCOUNT_HOLDER)
    complete_follow_up(follow_up, by=by, on=OCT_1)
    assert follow_up.done_on == OCT_1
    assert FollowUp.objects.get().done_on == OCT_1
    assert FollowUp.history.first().history_user == by


def test_completing_twice_keeps_the_first_date_and_one_record() -> None:
    follow_up = FollowUpFactory()
    by = UserFactory(role=Role.ACCOUNT_HOLDER)
    complete_follow_up(follow_up, by=by, on=OCT_1)
    stale = FollowUp.objects.get(pk=follow_up.pk)
    stale.done_on = None  # another tab that still shows it as open
    complete_follow_up(stale, by=by, on=DEC_1)
    assert stale.done_on == OCT_1
    assert FollowUp.objects.get().done_on == OCT_1
    assert FollowUp.history.count() == 2  # created, completed once
    assert FollowUp.objects.open().count() == 0
