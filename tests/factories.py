import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from partners.models import (
    AccountHolder,
    Contact,
    FollowUp,
    Interaction,
    Organisation,
    PartnerAccount,
    Region,
    Theme,
)
from portal.lib.models import User
from portal.lib.roles import Role


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Regio {n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Voorbeeld {n}")
    kind = Organisation.Kind.GEMEENTE
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Persoon {n} (fictief)")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create: bool, extracted: Role | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted.value))

    @factory.post_generation
    def organisation(self, create: bool, extracted: Organisation | None, **kwargs: object) -> None:
        """UserFactory(organisation=...) makes a partner user of that organisation."""
        if create and extracted:
            PartnerAccount.objects.create(user=self, organisation=extracted)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Contact {n} (fictief)")
    function = "Beleidsadviseur"
    email = factory.Sequence(lambda n: f"contact{n}@example.invalid")
    phone = "030 000 0000"
    visibility = Contact.Visibility.SHARED

    @factory.post_generation
    def themes(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.themes.set(extracted)


class AccountHolderFactory(DjangoModelFactory):
    class Meta:
        model = AccountHolder

    user = factory.SubFactory(UserFactory, role=Role.ACCOUNT_HOLDER, phone="030 258 0000")
    organisation = factory.SubFactory(OrganisationFactory)
    scope = AccountHolder.Scope.AREA
    theme = None
    starts_on = datetime.date(2024, 1, 1)


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    organisation = factory.SubFactory(OrganisationFactory)
    recorded_by = factory.SubFactory(UserFactory, role=Role.ACCOUNT_HOLDER)
    occurred_on = datetime.date(2026, 10, 1)
    summary = "Overleg over de woningbouwopgave."
    agreements = "Provincie stuurt de planning."


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    interaction = factory.SubFactory(InteractionFactory)
    description = "Planning sturen"
    owner = factory.SelfAttribute("interaction.recorded_by")
    due_on = datetime.date(2026, 12, 1)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = "thermometer.Round"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ronde 2026-{n}")
    status = "open"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    external_questionnaire = factory.LazyFunction(lambda: _questionnaire("external"))
    internal_questionnaire = factory.LazyFunction(lambda: _questionnaire("internal"))
    created_by = factory.SubFactory(UserFactory, role=Role.BEHEERDER)

    @factory.post_generation
    def organisations(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if create and extracted:
            self.organisations.set(extracted)


def _questionnaire(variant: str):
    from thermometer.models import Questionnaire

    return Questionnaire.objects.get(variant=variant, version=1)


class InvitationFactory(DjangoModelFactory):
    """An invitation for a partner contact; pass token_hash from services for a real one."""

    class Meta:
        model = "thermometer.Invitation"

    round = factory.SubFactory(RoundFactory)
    contact = factory.SubFactory(ContactFactory)
    organisation = factory.SelfAttribute("contact.organisation")
    respondent_group = "gemeente"
    email = factory.SelfAttribute("contact.email")
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class ImprovementActionFactory(DjangoModelFactory):
    class Meta:
        model = "thermometer.ImprovementAction"

    round = factory.SubFactory(RoundFactory, status="published")
    title = factory.Sequence(lambda n: f"Verbeteractie {n}")
    description = "Wat we doen met de uitkomst."
    owner = "Team Samenwerking"
    status = "planned"
    due_date = datetime.date(2027, 6, 30)
    properties = factory.LazyFunction(lambda: ["betrouwbaar"])
    created_by = factory.SubFactory(UserFactory, role=Role.BEHEERDER)


def add_response(
    survey_round,
    *,
    group: str = "gemeente",
    answers: dict[str, int | str],
    organisation=None,
    submitted_on: datetime.date | None = None,
):
    """A submitted response of `group` with `answers` by question code (numbers for
    marks and scales, text for open questions), as services.survey stores one."""
    from thermometer.models import Answer, Response

    questionnaire = (
        survey_round.internal_questionnaire
        if group == "staff"
        else survey_round.external_questionnaire
    )
    questions = {q.code: q for q in questionnaire.questions.all()}
    response = Response.objects.create(
        round=survey_round,
        questionnaire=questionnaire,
        respondent_group=group,
        organisation=organisation,
        submitted_on=submitted_on or datetime.date(2026, 11, 1),
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=questions[code],
            number=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for code, value in answers.items()
    )
    return response
