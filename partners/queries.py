"""Reads of the partner register that other apps and the portal use."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from partners.models import AccountHolder, Contact, FollowUp, Organisation, PartnerAccount, Theme
from portal.lib.models import User


def organisation_of(user: User) -> Organisation | None:
    """The organisation a partner user acts for, or None (staff, or not linked yet)."""
    account = PartnerAccount.objects.filter(user=user).select_related("organisation").first()
    return account.organisation if account else None


def province() -> Organisation | None:
    """The province itself: its contacts are the contact points partners look for."""
    return Organisation.objects.filter(kind=Organisation.Kind.PROVINCIE).order_by("pk").first()


@dataclass
class WhomToCall:
    """The answer to "whom do I call?" for one organisation and, optionally, a theme."""

    organisation: Organisation
    theme: Theme | None
    theme_account_holders: list[AccountHolder] = field(default_factory=list)
    area_account_holders: list[AccountHolder] = field(default_factory=list)
    contact_points: list[Contact] = field(default_factory=list)
    general_contacts: list[Contact] = field(default_factory=list)

    @property
    def fallback(self) -> str | None:
        """Which fallback answers the question, if the first choice is missing.

        "area": no account-holder for the theme, so the area account-holder;
        "general": nobody assigned at all, so the province's general contact point.
        """
        if self.theme and not self.theme_account_holders and self.area_account_holders:
            return "area"
        if not self.theme_account_holders and not self.area_account_holders:
            return "general"
        return None


def whom_to_call(organisation: Organisation, theme: Theme | None, *, user: User) -> WhomToCall:
    """Account-holders and province contact points for a partner, in a fixed number of queries."""
    today = timezone.localdate()
    assignments = list(
        AccountHolder.objects.current(today)
        .filter(organisation=organisation, user__is_active=True)
        .select_related("user", "theme")
        .order_by("-is_primary", "user__last_name", "pk")
    )
    answer = WhomToCall(organisation=organisation, theme=theme)
    answer.area_account_holders = [a for a in assignments if a.scope == AccountHolder.Scope.AREA]
    if theme is not None:
        answer.theme_account_holders = [
            a
            for a in assignments
            if a.scope == AccountHolder.Scope.THEME and a.theme_id == theme.pk
        ]
    the_province = province()
    if the_province is not None:
        points = (
            Contact.objects.visible_to(user)
            .active()
            .filter(organisation=the_province)
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
        )
        if theme is not None:
            answer.contact_points = list(points.filter(themes=theme).distinct())
        answer.general_contacts = list(points.filter(is_general=True))
    return answer


def open_follow_ups_for(user: User) -> QuerySet[FollowUp]:
    """Open follow-ups a user owns, oldest due date first."""
    return (
        FollowUp.objects.open()
        .filter(owner=user)
        .select_related("interaction__organisation")
        .order_by("due_on", "pk")
    )


def partners_of(user: User) -> QuerySet[AccountHolder]:
    """The current assignments of an account-holder ("my partners")."""
    return (
        AccountHolder.objects.current()
        .filter(user=user)
        .select_related("organisation", "organisation__region", "theme")
        .order_by("organisation__name", "scope")
    )
