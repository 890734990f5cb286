"""thermometer/services/invitations.py: creating, sending, reminding and purging."""

import re
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from partners.models import Organisation
from portal.lib.roles import Role
from tests.factories import (
    ContactFactory,
    InvitationFactory,
    OrganisationFactory,
    RoundFactory,
    UserFactory,
)
from thermometer import tasks
from thermometer.models import Draft, Invitation, SubmissionReceipt
from thermometer.services import invitations

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/t/([A-Za-z0-9_-]+)/")


def tokens_in(message) -> list[str]:
    return LINK.findall(message.body)


@pytest.fixture
def survey_round(administrator):
    gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
    waterschap = OrganisationFactory(kind=Organisation.Kind.WATERSCHAP, cbs_code="")
    rijk = OrganisationFactory(kind=Organisation.Kind.RIJK, cbs_code="")
    ContactFactory(organisation=gemeente, email="a@gemeente.invalid")
    ContactFactory(organisation=waterschap, email="b@waterschap.invalid")
    ContactFactory(organisation=rijk, email="c@rijk.invalid")
    return RoundFactory(organisations=[gemeente, waterschap, rijk], include_staff=False)


def invite(survey_round, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = invitations.invite_round(survey_round, by=by)
    return created, callbacks


# --- Creating -----------------------------------------------------------------------------


def test_it_invites_each_contact_with_an_email_address_once(
    survey_round, administrator, django_capture_on_commit_callbacks
) -> None:
    organisation = survey_round.organisations.first()
    ContactFactory(organisation=organisation, email="")
    ContactFactory(organisation=organisation, anonymised_at=timezone.now())
    ContactFactory(email="not-targeted@elders.invalid")

    created, callbacks = invite(survey_round, administrator, django_capture_on_commit_callbacks)

    assert created == 3
    assert sorted(Invitation.objects.values_list("respondent_group", flat=True)) == [
        "gemeente",
        "other",
        "waterschap",
    ]
    assert Invitation.objects.filter(token_hash__isnull=True, sent_at__isnull=True).count() == 3
    assert len(callbacks) == 1  # send_invitations is enqueued on commit


def test_inviting_twice_creates_no_duplicates(
    survey_round, administrator, django_capture_on_commit_callbacks
) -> None:
    invite(survey_round, administrator, django_capture_on_commit_callbacks)
    created, _ = invite(survey_round, administrator, django_capture_on_commit_callbacks)
    assert created == 0
    assert Invitation.objects.count() == 3


def test_staff_are_invited_when_the_round_includes_them(
    administrator,
    staff_user,
    account_holder,
    partner_user,
    outsider,
    django_capture_on_commit_callbacks,
) -> None:
    UserFactory(role=Role.STAFF, email="")
    UserFactory(role=Role.STAFF, is_active=False)
    survey_round = RoundFactory(include_staff=True)
    survey_round.created_by.groups.clear()  # keep the count to the personas

    invite(survey_round, administrator, django_capture_on_commit_callbacks)

    invited = set(Invitation.objects.values_list("user__username", "respondent_group"))
    assert invited == {
        ("staff", "staff"),
        ("accounthouder", "staff"),
        ("beheerder", "staff"),
    }


def test_a_round_that_does_not_accept_answers_cannot_be_sent(survey_round, administrator) -> None:
    from django.core.exceptions import ValidationError

    survey_round.status = "draft"
    survey_round.save()
    with pytest.raises(ValidationError):
        invitations.invite_round(survey_round, by=administrator)
    assert not Invitation.objects.exists()


# --- Sending and tokens -------------------------------------------------------------------


def test_the_invitation_email_has_a_dutch_subject_a_text_part_and_html(
    survey_round, administrator, django_capture_on_commit_callbacks, settings
) -> None:
    invite(survey_round, administrator, django_capture_on_commit_callbacks)
    assert invitations.send_invitations(survey_round) == 3

    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject == f"Uitnodiging: samenwerkingsthermometer {survey_round.name}" or (
        # until the catalogue holds the translation
        message.subject == f"Invitation: collaboration thermometer {survey_round.name}"
    )
    assert message.content_subtype == "plain"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    [token] = tokens_in(message)
    assert f'href="{settings.SITE_URL}/t/{token}/"' in html
    assert f"{settings.SITE_URL}/t/{token}/" in message.body
    assert {m.to[0] for m in mail.outbox} == {
        "a@gemeente.invalid",
        "b@waterschap.invalid",
        "c@rijk.invalid",
    }


def test_the_token_is_long_and_only_its_hash_is_stored(
    survey_round, administrator, django_capture_on_commit_callbacks
) -> None:
    invite(survey_round, administrator, django_capture_on_commit_callbacks)
    invitations.send_invitations(survey_round)

    tokens = [token for message in mail.outbox for token in tokens_in(message)]
    assert len(tokens) == 3
    for token in tokens:
        assert len(token) >= 43  # 32 bytes, base64: 256 bits
        invitation = Invitation.objects.get(token_hash=invitations.hash_token(token))
        assert invitation.sent_at is not None
    # The plain token is nowhere in the database, in any table.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            for token in tokens:
                assert token not in dump, table


def test_sending_twice_sends_nothing_new(
    survey_round, administrator, django_capture_on_commit_callbacks
) -> None:
    invite(survey_round, administrator, django_capture_on_commit_callbacks)
    invitations.send_invitations(survey_round)
    hashes = set(Invitation.objects.values_list("token_hash", flat=True))

    assert tasks.send_invitations(survey_round.pk) == 0  # the task, called as a function
    assert len(mail.outbox) == 3
    assert set(Invitation.objects.values_list("token_hash", flat=True)) == hashes


def test_the_link_in_the_email_opens_the_survey_without_the_token_in_the_url(
    survey_round, administrator, client, django_capture_on_commit_callbacks
) -> None:
    invite(survey_round, administrator, django_capture_on_commit_callbacks)
    invitations.send_invitations(survey_round)
    message = mail.outbox[0]
    [token] = tokens_in(message)

    response = client.get(reverse("thermometer:invitation_exchange", args=[token]), follow=True)

    assert response.redirect_chain[0] == (reverse("thermometer:survey_start"), 302)
    assert all(token not in url for url, _status in response.redirect_chain)
    assert token not in response.request["PATH_INFO"]
    invitation = Invitation.objects.get(email=message.to[0])
    assert client.session["thermometer_invitation"] == invitation.pk


# --- Reminders ----------------------------------------------------------------------------


@pytest.fixture
def four_week_round():
    """Opened on 1 March 09:00, closes 29 March 09:00; moments 8, 15 and 28 March."""
    opens = timezone.now().replace(microsecond=0) - timedelta(days=400)
    return RoundFactory(opens_at=opens, closes_at=opens + timedelta(days=28))


def sent_invitation(survey_round, **kwargs) -> Invitation:
    return InvitationFactory(
        round=survey_round, sent_at=survey_round.opens_at + timedelta(hours=1), **kwargs
    )


def test_reminder_moments_are_a_week_in_halfway_and_the_day_before_closing(
    four_week_round,
) -> None:
    opens = four_week_round.opens_at
    assert invitations.reminder_moments(four_week_round) == [
        opens + timedelta(days=7),
        opens + timedelta(days=14),
        opens + timedelta(days=27),
    ]


def test_no_reminder_is_due_before_the_first_moment(four_week_round) -> None:
    sent_invitation(four_week_round)
    now = four_week_round.opens_at + timedelta(days=6, hours=23)
    assert not invitations.due_reminders(now).exists()


def test_reminders_go_out_on_each_moment_once_and_at_most_three_times(four_week_round) -> None:
    invitation = sent_invitation(four_week_round)
    opens = four_week_round.opens_at
    sent_per_day = {}
    for day in range(28):
        now = opens + timedelta(days=day, hours=1)
        sent_per_day[day] = invitations.send_due_reminders(now=now)
        # a second run on the same day sends nothing
        assert invitations.send_due_reminders(now=now) == 0

    assert {day for day, sent in sent_per_day.items() if sent} == {7, 14, 27}
    invitation.refresh_from_db()
    assert invitation.reminder_count == 3
    assert len(mail.outbox) == 3


def test_an_invitation_behind_schedule_gets_one_reminder_per_run(four_week_round) -> None:
    invitation = sent_invitation(four_week_round)
    now = four_week_round.opens_at + timedelta(days=27, hours=1)  # all three moments passed

    assert invitations.send_due_reminders(now=now) == 1
    assert invitations.send_due_reminders(now=now + timedelta(days=0, hours=1)) == 0
    invitation.refresh_from_db()
    assert invitation.reminder_count == 1


def test_an_invitation_sent_after_a_moment_waits_for_the_next(four_week_round) -> None:
    opens = four_week_round.opens_at
    InvitationFactory(round=four_week_round, sent_at=opens + timedelta(days=8))
    assert invitations.send_due_reminders(now=opens + timedelta(days=9)) == 0
    assert invitations.send_due_reminders(now=opens + timedelta(days=14, hours=1)) == 1


def test_reminders_skip_finished_revoked_and_unsent_invitations(four_week_round) -> None:
    now = four_week_round.opens_at + timedelta(days=7, hours=1)
    sent_invitation(four_week_round, used_at=now)
    sent_invitation(four_week_round, revoked_at=now)
    SubmissionReceipt.objects.create(invitation=sent_invitation(four_week_round))
    InvitationFactory(round=four_week_round, sent_at=None)
    waiting = sent_invitation(four_week_round)

    assert list(invitations.due_reminders(now)) == [waiting]


def test_a_reminder_replaces_the_token_and_says_so(four_week_round, client) -> None:
    invitation = sent_invitation(four_week_round)
    old_hash = invitation.token_hash

    invitations.send_due_reminders(now=four_week_round.opens_at + timedelta(days=7, hours=1))

    invitation.refresh_from_db()
    [message] = mail.outbox
    [token] = tokens_in(message)
    assert invitation.token_hash == invitations.hash_token(token) != old_hash
    assert invitation.reminder_count == 1
    assert message.subject.endswith(four_week_round.name)
    assert len(message.alternatives) == 1


def test_reminders_are_only_sent_in_rounds_that_accept_answers(four_week_round) -> None:
    sent_invitation(four_week_round)
    four_week_round.status = "closed"
    four_week_round.save()
    now = four_week_round.opens_at + timedelta(days=7, hours=1)
    assert invitations.send_due_reminders(now=now) == 0


def test_an_on_demand_reminder_goes_to_every_unfinished_invitee_once(
    administrator, django_capture_on_commit_callbacks
) -> None:
    survey_round = RoundFactory()
    waiting = [sent_invitation(survey_round) for _ in range(2)]
    sent_invitation(survey_round, used_at=timezone.now())
    sent_invitation(survey_round, reminder_count=3)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert invitations.remind_round(survey_round, by=administrator) == 2
    assert len(callbacks) == 1

    requested_at = timezone.now()
    assert invitations.send_reminders_now(survey_round, requested_at=requested_at) == 2
    # the task run again (acks_late) sends nothing more
    assert tasks.send_reminders_now(survey_round.pk, requested_at.isoformat()) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.email for i in waiting)


# --- Staff and purge ----------------------------------------------------------------------


def test_joining_as_staff_reuses_the_invitation(staff_user) -> None:
    survey_round = RoundFactory()
    first = invitations.join_as_staff(survey_round, user=staff_user)
    again = invitations.join_as_staff(survey_round, user=staff_user)
    assert first == again
    assert first.respondent_group == "staff"
    assert first.token_hash is None


def test_purge_strips_personal_data_after_the_retention_period(settings) -> None:
    settings.THERMOMETER_RETENTION_DAYS = 90
    now = timezone.now()
    old = RoundFactory(
        status="closed", opens_at=now - timedelta(days=130), closes_at=now - timedelta(days=91)
    )
    recent = RoundFactory(
        status="closed", opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=89)
    )
    used = InvitationFactory(round=old, sent_at=now, used_at=now, reminder_count=1)
    unfinished = InvitationFactory(round=old, sent_at=now)
    Draft.objects.create(invitation=unfinished, answers={"q1": 7})
    kept = InvitationFactory(round=recent)

    assert invitations.purge_invitation_data(now=now) == 2
    assert tasks.purge_invitation_data() == 0  # idempotent

    used.refresh_from_db()
    assert (used.contact, used.user, used.email, used.token_hash) == (None, None, "", None)
    assert used.purged_at == now
    assert used.used_at and used.sent_at and used.organisation_id and used.respondent_group
    assert not Draft.objects.exists()
    kept.refresh_from_db()
    assert kept.purged_at is None and kept.contact_id
