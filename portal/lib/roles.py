"""The roles of the portal and the helpers that ask a user's role.

Roles are Django groups; which permissions each role holds is the composition root's
decision (portal/grants.py, applied by portal's data migration). Views check
permissions (`@permission_required`); what depends on the role itself, such as "is
this person province staff?", is asked here, so it is worked out in one place.
"""

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.lib.models import User


class Role(StrEnum):
    PARTNER = "partner"
    STAFF = "staff"
    ACCOUNT_HOLDER = "account-holder"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.PARTNER: _("Partner"),
    Role.STAFF: _("Province staff"),
    Role.ACCOUNT_HOLDER: _("Account-holder"),
    Role.BEHEERDER: _("Administrator"),
}
# The roles of people who work at the province.
PROVINCE_ROLES = (Role.STAFF, Role.ACCOUNT_HOLDER, Role.BEHEERDER)
# When a user holds several roles, the home page follows the most capable one.
ROLE_PRECEDENCE = (Role.BEHEERDER, Role.ACCOUNT_HOLDER, Role.STAFF, Role.PARTNER)


def roles_of(user: User | AnonymousUser) -> set[Role]:
    """The roles of a user, read once per request from the user's groups."""
    if not user.is_authenticated:
        return set()
    cached: set[Role] | None = getattr(user, "_portal_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = {role for role in Role if role.value in names}
        # Cached on the user object of this request: roles_of() runs several times
        # per page (navigation, context processor, views).
        user._portal_roles = cached  # type: ignore[attr-defined]  # an attribute of our own
    return cached


def primary_role(user: User | AnonymousUser) -> Role | None:
    held = roles_of(user)
    return next((role for role in ROLE_PRECEDENCE if role in held), None)


def is_province_staff(user: User | AnonymousUser) -> bool:
    """Staff, account-holders and administrators work at the province."""
    return bool(roles_of(user) & set(PROVINCE_ROLES))


def province_staff(*, also: int | Iterable[int | None] | None = None) -> QuerySet[User]:
    """Active users who work at the province, by name.

    `also` keeps users who are no longer in a province role (a departed colleague who
    still owns a follow-up or an assignment), so a form can show the current value.
    """
    in_role = Q(is_active=True, groups__name__in=[role.value for role in PROVINCE_ROLES])
    keep = [also] if isinstance(also, int) else [pk for pk in also or [] if pk]
    return (
        User.objects.filter((in_role | Q(pk__in=keep)) if keep else in_role)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
