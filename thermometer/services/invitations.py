"""Personal invitations: creating them, e-mailing links and reminders, and purging them.

A token exists in plain text only inside the e-mail that carries it: the database keeps
its SHA-256. So the token is made in the same step that sends the e-mail (in a Celery
task, thermometer.tasks), and every reminder makes a new token, which replaces the old
hash: the previous link stops working, and the reminder says so.

Each send locks its invitation row, checks again that it is still due, stores the new
hash and sends inside one transaction: if the mail server refuses, nothing is recorded
and a retry sends it again; a task that runs twice (CELERY_TASK_ACKS_LATE) finds the
invitation no longer due. Tokens, e-mail addresses and names are never logged.
"""

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners.models import Contact, Organisation
from portal.lib.models import User
from portal.lib.roles import province_staff
from thermometer import tasks
from thermometer.models import Draft, Invitation, RespondentGroup, Round

logger = logging.getLogger(__name__)

MAX_REMINDERS = 3
TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
# The respondent group of a partner organisation by its kind; any other kind is "other".
GROUP_OF_KIND: dict[str, RespondentGroup] = {
    Organisation.Kind.GEMEENTE: RespondentGroup.GEMEENTE,
    Organisation.Kind.WATERSCHAP: RespondentGroup.WATERSCHAP,
    Organisation.Kind.UITVOERINGSDIENST: RespondentGroup.UITVOERINGSDIENST,
}


# --- Tokens ------------------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store: the token itself is never stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    # A plain SHA-256 suffices: 256 random bits cannot be guessed, so no salt or
    # slow hash is needed, and the lookup stays an indexed equality match.
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("round").filter(token_hash=hash_token(token)).first()


# --- Creating invitations ----------------------------------------------------------------


def _ensure_can_send(survey_round: Round) -> None:
    # Sending needs an open round that accepts answers now: a link mailed for a draft
    # round would lead to "link invalid", and new tokens after closing are pointless.
    if not survey_round.is_accepting:
        raise ValidationError(
            _("Invitations can only be sent while the round is open for answers."),
            code="round_not_accepting",
        )


def group_for(organisation: Organisation) -> str:
    return GROUP_OF_KIND.get(organisation.kind, RespondentGroup.OTHER_PARTNER)


def invite_round(survey_round: Round, *, by: User) -> int:
    """Create the missing invitations of a round and enqueue sending. Idempotent.

    Returns the number of invitations created now. Invitations that already exist are
    kept (the unique constraints make a parallel second run harmless); all unsent ones
    are sent by the task, already sent ones are skipped.
    """
    _ensure_can_send(survey_round)
    with transaction.atomic():
        created = 0
        contacts = (
            Contact.objects.active()
            .filter(organisation__in=survey_round.organisations.all())
            .exclude(email="")
            .exclude(invitations__round=survey_round)
            .select_related("organisation")
        )
        new = [
            Invitation(
                round=survey_round,
                contact=contact,
                organisation=contact.organisation,
                respondent_group=group_for(contact.organisation),
                email=contact.email,
            )
            for contact in contacts
        ]
        if survey_round.include_staff:
            staff = province_staff().exclude(email="").exclude(invitations__round=survey_round)
            new += [
                Invitation(
                    round=survey_round,
                    user=user,
                    respondent_group=RespondentGroup.STAFF,
                    email=user.email,
                )
                for user in staff
            ]
        # ignore_conflicts: a second request racing this one hits the unique
        # constraints, and its rows are simply not created twice.
        created = len(Invitation.objects.bulk_create(new, ignore_conflicts=True))
        logger.info("Round %s: %s invitations created by user %s", survey_round.pk, created, by.pk)
        transaction.on_commit(partial(tasks.send_invitations.delay, survey_round.pk))
    return created


# --- Sending -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mail:
    template: str  # "invitation" or "reminder"
    subject: str


def link_for_token(token: str) -> str:
    """The personal link as mailed: SITE_URL plus /t/<token>/."""
    return settings.SITE_URL.rstrip("/") + reverse("thermometer:invitation_exchange", args=[token])


_link = link_for_token


def _recipient_name(invitation: Invitation) -> str:
    if invitation.contact is not None:
        return invitation.contact.name
    if invitation.user is not None:
        return invitation.user.get_full_name()
    return ""


def build_message(
    invitation: Invitation, *, token: str, reminder: bool, connection: object = None
) -> EmailMultiAlternatives:
    """The Dutch e-mail with a plain-text part and an HTML alternative."""
    survey_round = invitation.round
    with translation.override(settings.LANGUAGE_CODE):
        if reminder:
            subject = _("Reminder: collaboration thermometer %(round)s") % {
                "round": survey_round.name
            }
        else:
            subject = _("Invitation: collaboration thermometer %(round)s") % {
                "round": survey_round.name
            }
        context = {
            "round": survey_round,
            "name": _recipient_name(invitation),
            "link": _link(token),
            "closes_at": timezone.localtime(survey_round.closes_at),
            "staff": invitation.respondent_group == RespondentGroup.STAFF,
            "reminder": reminder,
        }
        text = render_to_string("thermometer/email/invitation.txt", context)
        html = render_to_string("thermometer/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def _send_one(
    pk: int, due: QuerySet[Invitation], *, reminder: bool, now: datetime, connection: object
) -> bool:
    """Lock one invitation, check it is still due, give it a new token and mail it."""
    with transaction.atomic():
        # skip_locked: another worker is sending this one right now.
        invitation = (
            due.filter(pk=pk)
            .select_related("round", "contact", "user")
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if invitation is None:
            return False
        token, invitation.token_hash = new_token()
        fields = ["token_hash"]
        if reminder:
            invitation.reminder_count += 1
            invitation.last_reminded_at = now
            fields += ["reminder_count", "last_reminded_at"]
        else:
            invitation.sent_at = now
            fields.append("sent_at")
        invitation.save(update_fields=fields)
        try:
            build_message(invitation, token=token, reminder=reminder, connection=connection).send()
        except smtplib.SMTPRecipientsRefused:
            # One bad address must not stop the others; the row stays unsent (the
            # transaction rolls back) and the administrator sees it as not sent.
            transaction.set_rollback(True)
            logger.warning("Invitation %s: the mail server refused the address", pk)
            return False
    return True


def _send_all(
    pks: Iterable[int], due: QuerySet[Invitation], *, reminder: bool, now: datetime
) -> int:
    sent = 0
    with get_connection() as connection:
        for pk in pks:
            sent += _send_one(pk, due, reminder=reminder, now=now, connection=connection)
    return sent


def _unfinished() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        used_at__isnull=True,
        revoked_at__isnull=True,
        purged_at__isnull=True,
        receipt__isnull=True,
    ).exclude(email="")


def send_invitations(survey_round: Round, *, now: datetime | None = None) -> int:
    """E-mail every unsent invitation of the round with a new token. Idempotent."""
    now = now or timezone.now()
    if not survey_round.is_accepting:
        return 0
    due = _unfinished().filter(round=survey_round, sent_at__isnull=True)
    pks = list(due.values_list("pk", flat=True))
    sent = _send_all(pks, due, reminder=False, now=now)
    logger.info("Round %s: %s invitations sent", survey_round.pk, sent)
    return sent


# --- Reminders ---------------------------------------------------------------------------


def reminder_moments(survey_round: Round) -> list[datetime]:
    """A week after opening, halfway, and the day before closing; in order.

    In a short round a moment may fall outside the round (a week after opening in a
    five-day round) or coincide with another: those are dropped.
    """
    opens, closes = survey_round.opens_at, survey_round.closes_at
    moments = {
        opens + timedelta(days=7),
        opens + (closes - opens) / 2,
        closes - timedelta(days=1),
    }
    return sorted(moment for moment in moments if opens < moment < closes)


def _scheduled_due_q(survey_round: Round, now: datetime) -> Q | None:
    passed = [moment for moment in reminder_moments(survey_round) if moment <= now]
    if not passed:
        return None
    latest = passed[-1]
    # Reminder n goes out once moment n has passed and fewer than n were sent. Only
    # one per run, and none to someone contacted after the latest moment: a missed
    # moment is caught up once, not with a reminder on each following day.
    return Q(
        round=survey_round,
        reminder_count__lt=len(passed),
        sent_at__lt=latest,
    ) & (Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=latest))


def _accepting_rounds(now: datetime) -> QuerySet[Round]:
    return Round.objects.filter(status=Round.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


def due_reminders(now: datetime) -> QuerySet[Invitation]:
    """The invitations that are due for a scheduled reminder at `now`."""
    condition = Q(pk__in=[])
    for survey_round in _accepting_rounds(now):
        round_q = _scheduled_due_q(survey_round, now)
        if round_q is not None:
            condition |= round_q
    return _unfinished().filter(condition, reminder_count__lt=MAX_REMINDERS)


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send the scheduled reminders that are due (Celery beat, daily). Idempotent."""
    now = now or timezone.now()
    due = due_reminders(now)
    sent = _send_all(list(due.values_list("pk", flat=True)), due, reminder=True, now=now)
    logger.info("%s scheduled reminders sent", sent)
    return sent


def reminders_now_due(survey_round: Round, *, requested_at: datetime) -> QuerySet[Invitation]:
    """Who gets an on-demand reminder asked for at `requested_at`."""
    if not survey_round.is_accepting:
        return Invitation.objects.none()
    # "Not reminded since the request" makes a retried task skip those already done.
    return _unfinished().filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=requested_at),
        round=survey_round,
        sent_at__lt=requested_at,
        reminder_count__lt=MAX_REMINDERS,
    )


def remind_round(survey_round: Round, *, by: User) -> int:
    """Enqueue one reminder now to every unfinished invitee; returns how many are due."""
    _ensure_can_send(survey_round)
    requested_at = timezone.now()
    count = reminders_now_due(survey_round, requested_at=requested_at).count()
    logger.info("Round %s: reminders requested by user %s", survey_round.pk, by.pk)
    transaction.on_commit(
        partial(tasks.send_reminders_now.delay, survey_round.pk, requested_at.isoformat())
    )
    return count


def send_reminders_now(
    survey_round: Round, *, requested_at: datetime, now: datetime | None = None
) -> int:
    """Send the on-demand reminders requested at `requested_at`. Idempotent."""
    now = now or timezone.now()
    due = reminders_now_due(survey_round, requested_at=requested_at)
    sent = _send_all(list(due.values_list("pk", flat=True)), due, reminder=True, now=now)
    logger.info("Round %s: %s reminders sent on request", survey_round.pk, sent)
    return sent


# --- Staff without a token ---------------------------------------------------------------


def join_as_staff(survey_round: Round, *, user: User) -> Invitation:
    """The staff member's invitation for the round, made now if there is none."""
    invitation, _created = Invitation.objects.get_or_create(
        round=survey_round,
        user=user,
        defaults={"respondent_group": RespondentGroup.STAFF, "email": user.email},
    )
    return invitation


# --- Retention ---------------------------------------------------------------------------


def purge_invitation_data(*, now: datetime | None = None) -> int:
    """Strip personal data from invitations of rounds closed longer than the retention
    period; counts per group and organisation stay. Answers are untouched. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THERMOMETER_RETENTION_DAYS)
    with transaction.atomic():
        # By closing time, not status: a round left "open" long after it closed holds
        # personal data just as long.
        invitations = Invitation.objects.filter(round__closes_at__lt=cutoff, purged_at__isnull=True)
        # Unsubmitted drafts belong to a person: they go too (submitted answers live
        # in unlinked Responses and are not touched).
        Draft.objects.filter(invitation__in=invitations).delete()
        purged = invitations.update(
            contact=None, user=None, email="", token_hash=None, purged_at=now
        )
    logger.info("Personal data purged from %s invitations", purged)
    return purged
