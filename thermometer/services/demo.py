"""Demo data for the thermometer: a closed round with responses, an open round with
pending invitations. Generated with a fixed seed, so reruns give the same picture."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partners.models import Contact, Organisation
from portal.models import User
from thermometer.models import (
    Answer,
    Invitation,
    Questionnaire,
    RespondentGroup,
    Response,
    Round,
    SubmissionReceipt,
)
from thermometer.services import invitations

GROUP_OF_KIND = {
    Organisation.Kind.GEMEENTE: RespondentGroup.GEMEENTE,
    Organisation.Kind.WATERSCHAP: RespondentGroup.WATERSCHAP,
    Organisation.Kind.UITVOERINGSDIENST: RespondentGroup.UITVOERINGSDIENST,
}
OPEN_TEXTS = {
    "open-behouden": [
        "De korte lijnen met de accounthouder.",
        "De inhoudelijke kennis van de medewerkers.",
        "Het meedenken bij lastige dossiers.",
    ],
    "open-verbeteren": [
        "Sneller terugkoppelen wat er met onze inbreng gebeurt.",
        "Eerder betrekken bij nieuwe programma's.",
        "Minder wisselingen van contactpersonen.",
    ],
    "open-bijdragen": [
        "Zelf eerder aangeven waar we tegenaan lopen.",
        "Gezamenlijk optrekken richting het Rijk.",
    ],
}


def _answer_value(question: object, rng: random.Random, shift: float) -> tuple[int | None, str]:
    if question.kind == "mark":
        return max(1, min(10, round(rng.gauss(6.8 + shift, 1.1)))), ""
    if question.kind == "scale":
        return max(1, min(5, round(rng.gauss(3.3 + shift / 2, 0.8)))), ""
    texts = OPEN_TEXTS.get(question.code, [])
    return None, rng.choice(texts) if texts and rng.random() < 0.5 else ""


@transaction.atomic
def load_demo_rounds(*, created_by: User) -> dict[str, int]:
    """Idempotent: rounds are found by name and filled only once."""
    rng = random.Random(2020)  # noqa: S311 - demo data, not security
    external = Questionnaire.objects.get(variant="external", version=1)
    internal = Questionnaire.objects.get(variant="internal", version=1)
    partners = list(
        Organisation.objects.active().filter(kind__in=list(GROUP_OF_KIND)).order_by("name")
    )
    now = timezone.now()

    closed, created = Round.objects.get_or_create(
        name="Samenwerkingsthermometer 2025",
        defaults={
            "status": Round.Status.CLOSED,
            "opens_at": now - datetime.timedelta(days=400),
            "closes_at": now - datetime.timedelta(days=370),
            "external_questionnaire": external,
            "internal_questionnaire": internal,
            "include_staff": True,
            "created_by": created_by,
        },
    )
    if created:
        closed.organisations.set(partners)
        submitted_on = (now - datetime.timedelta(days=380)).date()
        plan = [(GROUP_OF_KIND[o.kind], external, 0.0) for o in partners for _ in range(2)]
        plan += [(RespondentGroup.STAFF, internal, 0.4) for _ in range(24)]
        for group, questionnaire, shift in plan:
            response = Response.objects.create(
                round=closed,
                questionnaire=questionnaire,
                respondent_group=group,
                submitted_on=submitted_on,
            )
            answers = []
            for question in questionnaire.questions.all():
                number, text = _answer_value(question, rng, shift)
                if number is None and not text:
                    continue
                answers.append(
                    Answer(response=response, question=question, number=number, text=text)
                )
            Answer.objects.bulk_create(answers)

    open_round, created = Round.objects.get_or_create(
        name="Samenwerkingsthermometer 2026",
        defaults={
            "status": Round.Status.OPEN,
            "opens_at": now - datetime.timedelta(days=10),
            "closes_at": now + datetime.timedelta(days=20),
            "external_questionnaire": external,
            "internal_questionnaire": internal,
            "include_staff": True,
            "created_by": created_by,
        },
    )
    if created:
        open_round.organisations.set(partners)
        contacts = Contact.objects.active().exclude(email="").filter(organisation__in=partners)
        for contact in contacts.select_related("organisation"):
            invitation = Invitation.objects.create(
                round=open_round,
                contact=contact,
                organisation=contact.organisation,
                respondent_group=GROUP_OF_KIND[contact.organisation.kind],
                email=contact.email,
                sent_at=now - datetime.timedelta(days=10),
            )
            if rng.random() < 0.3:
                _submit(invitation, external, rng, now)
    return {
        "rounds": Round.objects.count(),
        "responses": Response.objects.count(),
        "invitations": Invitation.objects.count(),
    }


def demo_link(*, organisation_code: str = "GM0632") -> str | None:
    """A fresh personal link for one unfinished invitation of the open demo round.

    The token is not stored, only its hash, so the demo command prints a new one on
    every run (the previous one stops working), like a reminder does.
    """
    invitation = (
        Invitation.objects.filter(
            round__status=Round.Status.OPEN,
            organisation__cbs_code=organisation_code,
            used_at__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if invitation is None:
        return None
    token, token_hash = invitations.new_token()
    invitation.token_hash = token_hash
    invitation.save(update_fields=["token_hash"])
    return invitations.link_for_token(token)


def _submit(
    invitation: Invitation, questionnaire: Questionnaire, rng: random.Random, now: datetime.datetime
) -> None:
    """A finished invitation and its anonymous response, as a real submit leaves them."""
    SubmissionReceipt.objects.create(invitation=invitation)
    invitation.used_at = now - datetime.timedelta(days=rng.randint(1, 9))
    invitation.started_at = invitation.used_at
    invitation.save(update_fields=["used_at", "started_at"])
    response = Response.objects.create(
        round=invitation.round,
        questionnaire=questionnaire,
        respondent_group=invitation.respondent_group,
        submitted_on=invitation.used_at.date(),
    )
    answers = []
    for question in questionnaire.questions.all():
        number, text = _answer_value(question, rng, 0.3)
        if number is not None or text:
            answers.append(Answer(response=response, question=question, number=number, text=text))
    Answer.objects.bulk_create(answers)
