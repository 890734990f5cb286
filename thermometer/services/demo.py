"""Demo data for the thermometer: published rounds to compare (an imported 2020
baseline, 2024 and 2025, with what the province did with them) and an open round with
pending invitations. Generated with fixed seeds, so reruns give the same picture."""

import datetime
import random
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from partners.models import Contact, Organisation
from portal.lib.models import User
from thermometer.models import (
    Aggregation,
    Answer,
    ImprovementAction,
    Invitation,
    Question,
    Questionnaire,
    RespondentGroup,
    Response,
    Round,
    SubmissionReceipt,
)
from thermometer.services import aggregation, counts_file, history_import, invitations, rounds

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


BASELINE_NAME = "Samenwerkingsthermometer 2020 (nulmeting)"
BASELINE_FILE = Path(__file__).resolve().parent.parent / "data" / "baseline-2020.csv"
BASELINE_NOTE = (
    "Fictieve demonstratiecijfers in de vorm van de nulmeting van 2020 (op papier "
    "geteld; een kruisje tussen twee hokjes telt voor beide de helft)."
)
# 2024 is the year before the improvement actions: partners about half a mark lower
# and lower on every property but one, "flexibel", which 2025 then loses (a scale
# answer moves by half the shift, see _answer_value).
SHIFT_2024 = {"partners": -0.5, "staff": 0.1}
PROPERTY_SHIFT_2024 = {"flexibel": 1.2}
# "You said, we did": (title, description, owner, status, due date, properties).
ACTIONS = {
    "Samenwerkingsthermometer 2024": [
        (
            "Vaste accounthouder per gemeente",
            "Elke gemeente heeft een vaste accounthouder die de weg wijst in de provincie.",
            "Team Samenwerking",
            ImprovementAction.Status.DONE,
            datetime.date(2025, 3, 31),
            ["toegankelijk", "betrokken"],
        ),
        (
            "Terugkoppelen wat we met uw inbreng deden",
            "Na elk overleg een korte terugkoppeling: wat is er met de inbreng gebeurd.",
            "Team Samenwerking",
            ImprovementAction.Status.DONE,
            datetime.date(2025, 6, 30),
            ["transparant", "ruimte-voor-inbreng"],
        ),
        (
            "Partners eerder betrekken bij nieuwe programma's",
            "Partners denken mee vóórdat een programma vastligt, niet pas erna.",
            "Programmabureau",
            ImprovementAction.Status.IN_PROGRESS,
            datetime.date(2026, 6, 30),
            ["ruimte-voor-inbreng", "doelgericht"],
        ),
        (
            "Afsprakenlijst na elk bestuurlijk overleg",
            "Wie doet wat vóór wanneer, binnen een week rondgestuurd en bijgehouden.",
            "Bestuursondersteuning",
            ImprovementAction.Status.IN_PROGRESS,
            datetime.date(2026, 3, 31),
            ["betrouwbaar"],
        ),
    ],
    "Samenwerkingsthermometer 2025": [
        (
            "Ruimte voor maatwerk in regelingen",
            "Partners noemden de provincie minder flexibel: regelingen krijgen een "
            "hardheidsclausule en een vast aanspreekpunt voor maatwerk.",
            "Team Subsidies en Regelingen",
            ImprovementAction.Status.IN_PROGRESS,
            datetime.date(2026, 12, 31),
            ["flexibel"],
        ),
        (
            "Samenwerkingsportaal voor partners",
            "Eén plek met contactpersonen, samenwerkingsverbanden en programma's.",
            "Team Informatievoorziening",
            ImprovementAction.Status.PLANNED,
            datetime.date(2027, 6, 30),
            ["toegankelijk", "transparant"],
        ),
    ],
}


def _answer_value(question: Question, rng: random.Random, shift: float) -> tuple[int | None, str]:
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
        Organisation.objects.active()
        .filter(kind__in=list(invitations.GROUP_OF_KIND))
        .order_by("name")
    )
    now = timezone.now()

    _published_round(
        name="Samenwerkingsthermometer 2024",
        opens_at=now - datetime.timedelta(days=765),
        closes_at=now - datetime.timedelta(days=735),
        external=external,
        internal=internal,
        partners=partners,
        rng=random.Random(2024),  # noqa: S311 - demo data, not security
        shift=lambda group, question: (
            SHIFT_2024["staff"]
            if group == RespondentGroup.STAFF
            else SHIFT_2024["partners"] + PROPERTY_SHIFT_2024.get(question.property, 0.0)
        ),
        invited=(4, 45),
        created_by=created_by,
    )
    # 2025 keeps the answers it was first generated with: the shared seed of 2020.
    _published_round(
        name="Samenwerkingsthermometer 2025",
        opens_at=now - datetime.timedelta(days=400),
        closes_at=now - datetime.timedelta(days=370),
        external=external,
        internal=internal,
        partners=partners,
        rng=rng,
        shift=lambda group, question: 0.4 if group == RespondentGroup.STAFF else 0.0,
        invited=(3, 40),
        created_by=created_by,
    )
    for round_name, actions in ACTIONS.items():
        _improvement_actions(Round.objects.get(name=round_name), actions, created_by=created_by)
    _baseline(created_by=created_by)

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
                respondent_group=invitations.GROUP_OF_KIND[contact.organisation.kind],
                email=contact.email,
                sent_at=now - datetime.timedelta(days=10),
            )
            if rng.random() < 0.3:
                _submit(invitation, external, rng, now)
    return {
        "rounds": Round.objects.count(),
        "published": Round.objects.filter(status=Round.Status.PUBLISHED).count(),
        "responses": Response.objects.count(),
        "invitations": Invitation.objects.count(),
    }


def _published_round(
    *,
    name: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    external: Questionnaire,
    internal: Questionnaire,
    partners: list[Organisation],
    rng: random.Random,
    shift: Callable[[str, Question], float],
    invited: tuple[int, int],
    created_by: User,
) -> Round:
    """A round with two responses per partner organisation and 24 of staff, its results
    computed (synchronously: the demo has no worker to wait for) and published."""
    survey_round, created = Round.objects.get_or_create(
        name=name,
        defaults={
            "status": Round.Status.CLOSED,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "external_questionnaire": external,
            "internal_questionnaire": internal,
            "include_staff": True,
            "created_by": created_by,
        },
    )
    if created:
        survey_round.organisations.set(partners)
        submitted_on = (closes_at - datetime.timedelta(days=10)).date()
        plan = [(invitations.GROUP_OF_KIND[o.kind], external) for o in partners for _ in range(2)]
        plan += [(RespondentGroup.STAFF, internal) for _ in range(24)]
        questions = {q.pk: list(q.questions.all()) for q in (external, internal)}
        for group, questionnaire in plan:
            response = Response.objects.create(
                round=survey_round,
                questionnaire=questionnaire,
                respondent_group=group,
                submitted_on=submitted_on,
            )
            answers = []
            for question in questions[questionnaire.pk]:
                number, text = _answer_value(question, rng, shift(group, question))
                if number is None and not text:
                    continue
                answers.append(
                    Answer(response=response, question=question, number=number, text=text)
                )
            Answer.objects.bulk_create(answers)
        _past_invitations(survey_round, partners, invited=invited, sent_at=opens_at)
    done = Aggregation.objects.filter(round=survey_round, status=Aggregation.Status.DONE)
    if survey_round.status == Round.Status.CLOSED or not done.exists():
        aggregation.aggregate_round(survey_round)
    rounds.transition_round(survey_round, to=Round.Status.PUBLISHED, by=created_by)
    return survey_round


def _past_invitations(
    survey_round: Round,
    partners: list[Organisation],
    *,
    invited: tuple[int, int],
    sent_at: datetime.datetime,
) -> None:
    """The invitations of a past round as they are after the retention purge:
    `invited` = (per partner organisation, staff), of which two per organisation and
    24 staff were used (the responses); so the results show a response rate."""
    per_organisation, staff = invited
    rows: list[tuple[str, Organisation | None, bool]] = [
        (invitations.GROUP_OF_KIND[o.kind], o, index < 2)
        for o in partners
        for index in range(per_organisation)
    ]
    rows += [(RespondentGroup.STAFF, None, index < 24) for index in range(staff)]
    purged_at = survey_round.closes_at + datetime.timedelta(days=90)
    created = Invitation.objects.bulk_create(
        Invitation(
            round=survey_round,
            organisation=organisation,
            respondent_group=group,
            sent_at=sent_at,
            used_at=survey_round.closes_at - datetime.timedelta(days=10) if used else None,
            purged_at=purged_at,
        )
        for group, organisation, used in rows
    )
    SubmissionReceipt.objects.bulk_create(
        SubmissionReceipt(invitation=invitation) for invitation in created if invitation.used_at
    )


def _improvement_actions(survey_round: Round, actions: list[tuple], *, created_by: User) -> None:
    for title, description, owner, status, due_date, properties in actions:
        ImprovementAction.objects.get_or_create(
            round=survey_round,
            title=title,
            defaults={
                "description": description,
                "owner": owner,
                "status": status,
                "due_date": due_date,
                "properties": properties,
                "created_by": created_by,
            },
        )


def _baseline(*, created_by: User) -> Round:
    """The 2020 baseline, imported from counts as a round run on paper would be."""
    baseline = Round.objects.filter(name=BASELINE_NAME).first()
    if baseline is None:
        table = counts_file.read_counts_file(
            name=BASELINE_FILE.name, content=BASELINE_FILE.read_bytes()
        )
        baseline = history_import.import_round(
            by=created_by,
            name=BASELINE_NAME,
            opens_on=datetime.date(2020, 9, 1),
            closes_on=datetime.date(2020, 10, 16),
            note=BASELINE_NOTE,
            table=table,
        )
    rounds.transition_round(baseline, to=Round.Status.PUBLISHED, by=created_by)
    return baseline


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
