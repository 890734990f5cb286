"""portal/lib/audit.py: one history renderer for every model with django-simple-history."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import pytest

from partners.models import Contact, FollowUp, Organisation
from portal.lib.audit import Trail, history_entries
from tests.factories import (
    ContactFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganisationFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def english() -> None:
    with translation.override("en"):
        yield


def test_it_words_labels_choices_dates_and_booleans_as_people_read_them(db: None) -> None:
    contact = ContactFactory(visibility=Contact.Visibility.INTERNAL, is_general=False)
    contact.visibility = Contact.Visibility.SHARED
    contact.is_general = True
    contact.save()
    organisation = OrganisationFactory(ended_on=None)
    organisation.ended_on = datetime.date(2026, 3, 1)
    organisation.save()

    (changed, created) = history_entries(contact.history.all())
    assert (created.action, changed.action) == ("Created", "Changed")
    assert set(changed.changes) == {
        ("Visibility", "Internal (province staff only)", "Shared with partners"),
        ("General contact point", "no", "yes"),
    }
    assert history_entries(organisation.history.all())[0].changes == [
        ("Ended on", "–", "1 March 2026")
    ]


def test_it_names_related_objects_and_says_when_one_was_deleted_since(db: None) -> None:
    organisation = OrganisationFactory(region=RegionFactory(name="U16"))
    organisation.region = RegionFactory(name="Regio Amersfoort")
    organisation.save()
    wonen, energie = ThemeFactory(name="Wonen"), ThemeFactory(name="Energie")
    contact = ContactFactory(themes=[wonen])
    contact.themes.set([wonen, energie])
    contact.save()
    (region_change, _created) = history_entries(organisation.history.all())
    assert region_change.changes == [("Region", "U16", "Regio Amersfoort")]
    assert ("Themes", "Wonen", "Energie, Wonen") in history_entries(contact.history.all())[
        0
    ].changes

    energie_id = energie.pk
    energie.delete()
    shown = history_entries(contact.history.all())[0].changes
    assert ("Themes", "Wonen", f"Wonen, deleted theme {energie_id}") in shown


def test_it_joins_trails_newest_first_with_their_own_wording(db: None) -> None:
    interaction = InteractionFactory()
    follow_up = FollowUpFactory(interaction=interaction, description="Bellen")
    follow_up.done_on = datetime.date(2026, 11, 2)
    follow_up.save()

    def marked_done(record: FollowUp, previous: FollowUp | None, changed: list[str]) -> str | None:
        return f"Done: {record.description}" if changed == ["done_on"] else None

    entries = history_entries(
        Trail(interaction.history.all(), actions={"+": "Recorded"}),
        Trail(
            FollowUp.history.filter(interaction_id=interaction.pk),
            fields=("owner", "due_on", "done_on"),
            actions={"+": "Added “%(name)s”"},
            name=lambda record: record.description,
            created_fields=("due_on",),
            describe=marked_done,
        ),
    )
    assert [entry.action for entry in entries] == ["Done: Bellen", "Added “Bellen”", "Recorded"]
    assert entries[0].changes == [("Done on", "–", "2 November 2026")]
    assert entries[1].changes == [("Due date", "–", follow_up.due_on.strftime("%-d %B %Y"))]


def test_it_leaves_out_saves_that_changed_nothing_shown_and_keeps_the_newest(db: None) -> None:
    organisation = OrganisationFactory(name="Bunnik")
    organisation.save()
    for number in range(5):
        organisation.name = f"Bunnik {number}"
        organisation.save()
    entries = history_entries(organisation.history.all(), limit=3)
    assert [entry.changes[0][2] for entry in entries] == ["Bunnik 4", "Bunnik 3", "Bunnik 2"]
    assert all(entry.action == "Changed" for entry in entries)


def test_the_user_is_named_and_a_system_change_says_so(db: None) -> None:
    organisation = OrganisationFactory()
    organisation._history_user = UserFactory(first_name="Bea", last_name="Heerder")
    organisation.name = "Nieuwe naam"
    organisation.save()
    changed, created = history_entries(Organisation.history.filter(id=organisation.pk))
    assert (changed.who, created.who) == ("Bea Heerder", "System")


@pytest.mark.parametrize("edits", [2, 20])
def test_the_number_of_queries_does_not_grow_with_the_history(edits: int, db: None) -> None:
    themes = [ThemeFactory(name=f"Thema {n}") for n in range(3)]
    contact = ContactFactory(organisation=OrganisationFactory(region=RegionFactory()))
    for number in range(edits):
        contact.themes.set(themes[: number % 3 + 1])
        contact.function = f"Functie {number}"
        contact.save()
    with CaptureQueriesContext(connection) as queries:
        history_entries(contact.history.all())
    # The records with their users and organisations, and the rows of the themes.
    assert len(queries) == 2
